import * as vscode from 'vscode';
import { restoredModel } from '../host/restoredModel';
import type { Inspector } from '../host/Inspector';
import { SnapshotFeed } from '../host/snapshotFeed';
import { handleViewMessage } from './viewMessages';
import type { HostToPanelMessage } from './viewProtocol';
import { PanelSlot, WebviewPanelBase } from './WebviewPanelBase';

/**
 * The inspector's editor panel. One at a time (a PanelSlot): `createOrShow` reveals the existing
 * panel, and `revive` adopts a panel VS Code restores after a window reload (see
 * `InspectorPanelSerializer`).
 */
export class InspectorPanel extends WebviewPanelBase<HostToPanelMessage> {
  /** The webview panel type; also the `onWebviewPanel:` activation event and the serializer key. */
  public static readonly viewType = 'mlpInspector.inspector';

  private static readonly slot = new PanelSlot<InspectorPanel>();

  /** What loss history this view already has. */
  private readonly feed = new SnapshotFeed((m) => this.post(m));

  /** Shows the inspector panel, creating it beside the active editor if there is none. */
  public static createOrShow(extensionUri: vscode.Uri, inspector: Inspector): InspectorPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    return InspectorPanel.slot.show(
      () => new InspectorPanel(vscode.window.createWebviewPanel(InspectorPanel.viewType, 'MLP Inspector', column, WebviewPanelBase.panelOptions(extensionUri)), extensionUri, inspector),
      column,
    );
  }

  /** Adopts a panel restored by VS Code after a reload. */
  public static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, inspector: Inspector): InspectorPanel {
    const revived = new InspectorPanel(panel, extensionUri, inspector);
    InspectorPanel.slot.adopt(revived);
    return revived;
  }

  /** The open panel, if any. */
  public static get currentPanel(): InspectorPanel | undefined {
    return InspectorPanel.slot.panel;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {
    super(panel, extensionUri, 'main.js', 'MLP Inspector', 'inspector');
    inspector.onDidChange(() => this.postState(), undefined, this.disposables);
    inspector.onSnapshot((snapshot) => this.feed.offer(snapshot), undefined, this.disposables);
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
   * Nothing a user made is lost with the panel: a model with trained weights or edits that are
   * not saved stays open, its run paused (nothing keeps training unseen), and Open Inspector
   * shows it again; an untouched model is closed.
   */
  protected override onDispose(): void {
    // Only the panel in the slot speaks for the model: one replaced by a revived panel does not.
    if (InspectorPanel.slot.panel === undefined) void this.inspector.panelClosed();
  }

  protected receive(raw: unknown): void {
    handleViewMessage(raw, this.inspector, () => this.postState(), 'panel', () => this.feed.drawn());
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
}

/** Restores the inspector panel after a window reload, reopening the model it showed. */
export class InspectorPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {}

  public async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    InspectorPanel.revive(panel, this.extensionUri, this.inspector);
    // Webview state is untrusted: only a model file inside the workspace (or an example's working copy) is reopened.
    const uri = restoredModel(state, this.inspector.ownFolders);
    if (uri) {
      try {
        await this.inspector.open(uri);
      } catch (err) {
        void vscode.window.showWarningMessage(`MLP Inspector: could not reopen ${uri.fsPath}: ${(err as Error).message}`);
      }
    }
  }
}
