import * as vscode from 'vscode';
import { localResourceRoots, webviewDocument } from '../inspector/webviewHtml';
import { saveExport } from '../host/saveExport';
import type { HostToLabMessage, LabName, LabToHostMessage, ViewExportMessage } from '../protocol';
import { checkLabMessage } from '../host/labMessages';

/** A lab's own messages: 'export' (every lab's chart buttons) is answered here, by LabPanel. */
export type LabRequest = Exclude<LabToHostMessage, ViewExportMessage>;

/**
 * What every lab panel shares: the webview document (strict CSP, the labs' script, the body
 * class `lab lab-NAME` that tells the script which lab it is), message checking, and disposal.
 * Each lab is a subclass that keeps at most one panel of its kind and answers its lab's messages.
 * The webview keeps only view state; on every load it says `ready` and the host answers.
 */
export abstract class LabPanel implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly lab: LabName,
    title: string,
  ) {
    // A revived panel keeps the options it was serialized with; restate them.
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mlp-inspector.svg');
    panel.title = title;
    panel.webview.html = webviewDocument(panel.webview, extensionUri, 'labs.js', title, `lab lab-${lab}`);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), undefined, this.disposables);
  }

  /** The options a new lab panel is created with. */
  protected static panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
  }

  /** Handles a message that passed the check. */
  protected abstract onMessage(message: LabRequest): void | Promise<void>;

  /** Where an exported chart is saved by default: the first workspace folder, unless a lab knows better. */
  protected exportFolder(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /** Called once when the panel closes (before its listeners are released). */
  protected onDispose(): void {}

  private receive(raw: unknown): void {
    const checked = checkLabMessage(raw, this.lab);
    if (!checked.ok) {
      console.warn(`MLP Inspector: ignored a message from the ${this.lab} lab: ${checked.reason}`);
      return;
    }
    const m = checked.message;
    Promise.resolve(m.type === 'export' ? saveExport(this.exportFolder(), m.format, m.name, m.data) : this.onMessage(m)).catch((err: unknown) => {
      void vscode.window.showErrorMessage(`MLP Inspector: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  protected post(message: HostToLabMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** Brings the panel to the front. */
  reveal(): void {
    this.panel.reveal();
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
 * The one lab panel of a kind: asked for again, it comes to the front; closed, it is forgotten.
 * Each lab keeps one of these instead of its own copy of the same bookkeeping.
 */
export class PanelSlot<P extends LabPanel> {
  private current: P | undefined;

  /** The open panel, if any. */
  get panel(): P | undefined {
    return this.current && !this.current.isDisposed ? this.current : undefined;
  }

  /** Reveals the open panel, or makes one with `make`. */
  show(make: () => P): P {
    const open = this.panel;
    if (open) {
      open.reveal();
      return open;
    }
    return (this.current = make());
  }

  /** Takes a panel VS Code restored after a reload, closing any other of its kind. */
  adopt(panel: P): void {
    const open = this.panel;
    this.current = panel;
    open?.dispose();
  }
}
