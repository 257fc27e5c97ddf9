import * as vscode from 'vscode';
import { localResourceRoots, webviewDocument } from './webviewHtml';

/**
 * What every editor panel of the extension shares, the inspector, the computation graph and the
 * labs: the webview document (strict CSP with a nonce, one bundled script, a body class),
 * options restated on revival, the icon, posting to the webview until it is gone, and disposal.
 * Each panel checks what its webview sends in `receive` (a webview is never trusted) and keeps
 * at most one panel of its kind in a `PanelSlot`. The webviews keep only view state: on every
 * load they say `ready` and the host answers with the whole state, so no panel needs
 * `retainContextWhenHidden`.
 */
export abstract class WebviewPanelBase<ToWebview> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** The options a new panel is created with: scripts on, and only what ships may load. */
  static panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
  }

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    script: string,
    title: string,
    bodyClass: string,
  ) {
    // A revived panel keeps the options it was serialized with; restate them so a panel saved by
    // an older version cannot widen what the webview may load.
    panel.webview.options = WebviewPanelBase.panelOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mlp-inspector.svg');
    panel.title = title;
    panel.webview.html = webviewDocument(panel.webview, extensionUri, script, title, bodyClass);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), undefined, this.disposables);
  }

  /** A message from the webview, unchecked: check it before acting on it. */
  protected abstract receive(raw: unknown): void;

  /** Called once when the panel closes, before its listeners are released. */
  protected onDispose(): void {}

  protected post(message: ToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** Brings the panel to the front (into `column`, when given). */
  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/**
 * The one panel of a kind: asked for again, it comes to the front; closed, it is forgotten; a
 * panel VS Code restores after a reload takes its place.
 */
export class PanelSlot<P extends WebviewPanelBase<unknown>> {
  private current: P | undefined;

  /** The open panel, if any. */
  get panel(): P | undefined {
    return this.current && !this.current.isDisposed ? this.current : undefined;
  }

  /** Reveals the open panel (into `column`, when given), or makes one with `make`. */
  show(make: () => P, column?: vscode.ViewColumn): P {
    const open = this.panel;
    if (open) {
      open.reveal(column);
      return open;
    }
    return (this.current = make());
  }

  /** Takes a panel VS Code restored after a reload, closing any other of its kind. */
  adopt(panel: P): void {
    const open = this.panel;
    this.current = panel;
    if (open !== panel) open?.dispose();
  }
}
