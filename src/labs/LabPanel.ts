import * as vscode from 'vscode';
import { WebviewPanelBase } from '../inspector/WebviewPanelBase';
import { saveExport } from '../host/saveExport';
import type { HostToLabMessage, LabName, LabToHostMessage } from './labProtocol';
import type { ViewExportMessage } from '../inspector/viewProtocol';
import { checkLabMessage } from '../host/labMessages';

/** A lab's own messages: 'export' (every lab's chart buttons) is answered here, by LabPanel. */
export type LabRequest = Exclude<LabToHostMessage, ViewExportMessage>;

/**
 * What every lab panel shares beyond any panel's (WebviewPanelBase): the labs' script, the body
 * class `lab lab-NAME` that tells the script which lab it is, the labs' message check, and the
 * chart exports every lab offers. Each lab is a subclass that keeps at most one panel of its
 * kind (a PanelSlot) and answers its lab's own messages.
 */
export abstract class LabPanel extends WebviewPanelBase<HostToLabMessage> {
  protected constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly lab: LabName,
    title: string,
  ) {
    super(panel, extensionUri, 'labs.js', title, `lab lab-${lab}`);
  }

  /** Handles a message that passed the check. */
  protected abstract onMessage(message: LabRequest): void | Promise<void>;

  /** Where an exported chart is saved by default: the first workspace folder, unless a lab knows better. */
  protected exportFolder(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  protected receive(raw: unknown): void {
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
}
