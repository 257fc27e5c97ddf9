import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { SnapshotFeed } from '../host/snapshotFeed';
import { handleViewMessage } from './viewMessages';
import type { HostToPanelMessage } from './viewProtocol';
import { localResourceRoots, webviewDocument } from './webviewHtml';

/**
 * The "MLP Inspector" activity-bar view: the model's architecture and hyperparameters
 * (editable), the dataset summary and the run's state. A view of the Inspector's truth, like
 * the panel: it says `ready` and is sent the whole state, then snapshots.
 */
export class SidebarView implements vscode.WebviewViewProvider, vscode.Disposable {
  /** The view id contributed in package.json under `views.mlpInspector`. */
  public static readonly viewId = 'mlpInspector.sidebar';

  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** What loss history this view already has. */
  private readonly feed = new SnapshotFeed((m) => this.post(m));

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {
    inspector.onDidChange(() => this.postState(), undefined, this.disposables);
    inspector.onSnapshot((snapshot) => this.feed.offer(snapshot), undefined, this.disposables);
    inspector.onStepping((e) => this.post({ type: 'stepping', ...e }), undefined, this.disposables);
    inspector.onGradCheck((gradCheck) => this.post({ type: 'gradCheck', gradCheck }), undefined, this.disposables);
  }

  public resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.extensionUri) };
    view.webview.html = webviewDocument(view.webview, this.extensionUri, 'sidebar.js', 'MLP Inspector', 'sidebar-body');
    // A view VS Code resolves again (after the old one was disposed) must not be forgotten when
    // the old one's dispose event arrives late.
    view.onDidDispose(() => this.view === view && (this.view = undefined), undefined, this.disposables);
    // A hidden view misses what was posted meanwhile; its reloaded document also says `ready`,
    // but the state is sent on showing too, so the view never waits on one message.
    view.onDidChangeVisibility(() => view.visible && this.postState(), undefined, this.disposables);
    view.webview.onDidReceiveMessage((raw: unknown) => handleViewMessage(raw, this.inspector, () => this.postState(), 'sidebar', () => this.feed.drawn()), undefined, this.disposables);
  }

  private postState(): void {
    const snapshot = this.inspector.snapshot;
    this.feed.sentWhole(snapshot);
    this.post({ type: 'state', model: this.inspector.view, snapshot, stepping: this.inspector.stepping, gradCheck: this.inspector.gradCheck });
  }

  private post(message: HostToPanelMessage): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
