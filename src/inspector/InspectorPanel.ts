import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { SnapshotFeed } from '../host/snapshotFeed';
import { handleViewMessage } from './viewMessages';
import type { HostToPanelMessage } from '../protocol';
import { webviewDocument, localResourceRoots } from './webviewHtml';

/**
 * The inspector's editor panel. One at a time: `createOrShow` reveals the existing panel, and
 * `revive` adopts a panel VS Code restores after a window reload (see `InspectorPanelSerializer`).
 * The panel's webview keeps only view state; on every load it says `ready` and the host answers
 * with the full state, so no `retainContextWhenHidden` is needed.
 */
export class InspectorPanel {
  /** The webview panel type; also the `onWebviewPanel:` activation event and the serializer key. */
  public static readonly viewType = 'mlpInspector.inspector';

  private static current: InspectorPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  /** What loss history this view already has. */
  private readonly feed = new SnapshotFeed();

  /** Shows the inspector panel, creating it beside the active editor if there is none. */
  public static createOrShow(extensionUri: vscode.Uri, inspector: Inspector): InspectorPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    if (InspectorPanel.current) {
      InspectorPanel.current.panel.reveal(column);
      return InspectorPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(InspectorPanel.viewType, 'MLP Inspector', column, {
      enableScripts: true,
      localResourceRoots: localResourceRoots(extensionUri),
    });
    InspectorPanel.current = new InspectorPanel(panel, extensionUri, inspector);
    return InspectorPanel.current;
  }

  /** Adopts a panel restored by VS Code after a reload. */
  public static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, inspector: Inspector): InspectorPanel {
    InspectorPanel.current?.dispose();
    InspectorPanel.current = new InspectorPanel(panel, extensionUri, inspector);
    return InspectorPanel.current;
  }

  /** The open panel, if any. */
  public static get currentPanel(): InspectorPanel | undefined {
    return InspectorPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {
    // A revived panel keeps the options it was serialized with; restate them so a panel saved by
    // an older version cannot widen what the webview may load.
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mlp-inspector.svg');
    panel.webview.html = webviewDocument(panel.webview, extensionUri, 'main.js', 'MLP Inspector', 'inspector');
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), undefined, this.disposables);
    inspector.onDidChange(() => this.postState(), undefined, this.disposables);
    inspector.onSnapshot((snapshot) => this.post(this.feed.next(snapshot)), undefined, this.disposables);
    inspector.onStepping((e) => this.post({ type: 'stepping', ...e }), undefined, this.disposables);
    inspector.onGradCheck((gradCheck) => this.post({ type: 'gradCheck', gradCheck }), undefined, this.disposables);
    // A preview tab is replaced by the next file a user single-clicks: keep the panel a real editor.
    vscode.window.tabGroups.onDidChangeTabs(() => this.keepEditor(), undefined, this.disposables);
    panel.onDidChangeViewState(() => this.keepEditor(), undefined, this.disposables);
    this.updateTitle();
  }

  /** Pins the panel's tab if VS Code opened (or moved) it as a preview, while it is the active editor. */
  private keepEditor(): void {
    if (!this.panel.active) return;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (tab?.isPreview && tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(InspectorPanel.viewType)) {
      void vscode.commands.executeCommand('workbench.action.keepEditor');
    }
  }

  /**
   * Closes the panel and releases its listeners. Nothing a user made is lost with it: a model
   * with trained weights or edits that are not saved stays open, its run paused (nothing keeps
   * training unseen), and Open Inspector shows it again; an untouched model is closed.
   */
  public dispose(): void {
    if (InspectorPanel.current === this) {
      InspectorPanel.current = undefined;
      void this.inspector.panelClosed();
    }
    this.panel.dispose();
    while (this.disposables.length) {
      this.disposables.pop()?.dispose();
    }
  }

  private onMessage(raw: unknown): void {
    handleViewMessage(raw, this.inspector, () => this.postState(), 'panel');
  }

  private postState(): void {
    this.updateTitle();
    const snapshot = this.inspector.snapshot;
    this.feed.sentWhole(snapshot);
    this.post({ type: 'state', model: this.inspector.view, snapshot, stepping: this.inspector.stepping, gradCheck: this.inspector.gradCheck });
  }

  private updateTitle(): void {
    const view = this.inspector.view;
    this.panel.title = view ? `MLP Inspector: ${view.name}${view.unsaved ? ' ●' : ''}` : 'MLP Inspector';
  }

  private post(message: HostToPanelMessage): void {
    void this.panel.webview.postMessage(message);
  }
}

/** Restores the inspector panel after a window reload, reopening the model it showed. */
export class InspectorPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {}

  public async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    InspectorPanel.revive(panel, this.extensionUri, this.inspector);
    const uri = typeof state === 'object' && state !== null && typeof (state as { modelUri?: unknown }).modelUri === 'string' ? (state as { modelUri: string }).modelUri : undefined;
    if (uri) {
      try {
        await this.inspector.open(vscode.Uri.parse(uri, true));
      } catch (err) {
        void vscode.window.showWarningMessage(`MLP Inspector: could not reopen ${uri}: ${(err as Error).message}`);
      }
    }
  }
}
