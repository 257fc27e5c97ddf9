import * as vscode from 'vscode';
import { PanelSlot, WebviewPanelBase } from '../inspector/WebviewPanelBase';
import type { GraphToHostMessage, HostToGraphMessage } from './graphProtocol';
import { checkGraphMessage, readPersistedState, type GraphPanelPersistedState } from '../host/graphMessages';
import { DEFAULT_EXPRESSION, DEFAULT_VALUES, GraphSession } from './GraphSession';

/**
 * The computation graph panel. One at a time, like the inspector: `createOrShow` reveals it,
 * `revive` adopts the panel VS Code restores after a reload (GraphPanelSerializer). The graph
 * lives here in the host (a GraphSession); the webview draws the snapshots it is sent, says
 * `ready` on every load and gets the whole state back, so hiding and showing the panel loses
 * nothing without `retainContextWhenHidden`.
 */
export class GraphPanel extends WebviewPanelBase<HostToGraphMessage> {
  /** The webview panel type; also the serializer key (and the `onWebviewPanel:` activation event). */
  public static readonly viewType = 'mlpInspector.computationGraph';

  private static readonly slot = new PanelSlot<GraphPanel>();

  /**
   * workspaceState key of the graph shown. The webview's setState copy reaches VS Code's editor
   * memento only when the workbench next saves its editors, which a browser reload can beat;
   * workspaceState is flushed within a moment, so revive prefers it.
   */
  private static readonly stateKey = 'mlpInspector.computationGraph';

  /** Shows the panel with a graph of `expression` at `valuesText` (already validated by the caller). */
  public static createOrShow(extensionUri: vscode.Uri, memento: vscode.Memento, expression: string, valuesText: string): GraphPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const open = GraphPanel.slot.panel;
    if (open) {
      open.setExpression(expression, valuesText);
      open.reveal(column);
      return open;
    }
    return GraphPanel.slot.show(() => new GraphPanel(vscode.window.createWebviewPanel(GraphPanel.viewType, 'Computation Graph', column, WebviewPanelBase.panelOptions(extensionUri)), extensionUri, memento, new GraphSession(expression, valuesText)));
  }

  /** Adopts a panel restored by VS Code after a reload, rebuilding the graph it showed. */
  public static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, memento: vscode.Memento, state: unknown): GraphPanel {
    const saved = readPersistedState(memento.get(GraphPanel.stateKey)) ?? readPersistedState(state);
    let session: GraphSession;
    try {
      session = new GraphSession(saved?.expression, saved?.valuesText);
    } catch {
      // Saved by a version that accepted more; start from the lecture's example instead.
      session = new GraphSession(DEFAULT_EXPRESSION, DEFAULT_VALUES);
    }
    const revived = new GraphPanel(panel, extensionUri, memento, session);
    GraphPanel.slot.adopt(revived);
    return revived;
  }

  /** The open panel, if any. */
  public static get currentPanel(): GraphPanel | undefined {
    return GraphPanel.slot.panel;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly memento: vscode.Memento,
    private readonly session: GraphSession,
  ) {
    super(panel, extensionUri, 'graph.js', 'Computation Graph', 'graph-body');
    this.updateTitle();
    this.remember();
  }

  /** The expression shown, so the command can prefill its input box with it. */
  public get expression(): string {
    return this.session.expression;
  }
  public get valuesText(): string {
    return this.session.valuesText;
  }

  private setExpression(expression: string, valuesText: string): void {
    const refused = this.session.setExpression(expression, valuesText);
    if (refused) {
      this.post(refused);
      return;
    }
    this.remember();
    this.postState();
  }

  private remember(): void {
    const state: GraphPanelPersistedState = { expression: this.session.expression, valuesText: this.session.valuesText };
    void this.memento.update(GraphPanel.stateKey, state);
  }

  protected receive(raw: unknown): void {
    const checked = checkGraphMessage(raw);
    if (!checked.ok) {
      console.warn(`MLP Inspector: ignored a message from the computation graph panel: ${checked.reason}`);
      return;
    }
    const message: GraphToHostMessage = checked.message;
    switch (message.type) {
      case 'ready':
        this.postState();
        if (this.session.inputError) this.post(this.session.inputError);
        return;
      case 'graphAction':
        this.session.act(message.action);
        this.postState();
        return;
      case 'setExpression':
        this.setExpression(message.expression, message.valuesText);
        return;
      default: {
        const unexpected: never = message;
        console.warn(`MLP Inspector: unexpected message from the computation graph panel: ${String(unexpected)}`);
      }
    }
  }

  private postState(): void {
    this.updateTitle();
    this.post(this.session.state());
  }

  private updateTitle(): void {
    const e = this.session.expression;
    this.panel.title = `Computation Graph: ${e.length > 40 ? `${e.slice(0, 39)}…` : e}`;
  }

}

/** Restores the computation graph panel after a window reload, from the expression it saved. */
export class GraphPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly memento: vscode.Memento,
  ) {}

  public async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    GraphPanel.revive(panel, this.extensionUri, this.memento, state);
  }
}
