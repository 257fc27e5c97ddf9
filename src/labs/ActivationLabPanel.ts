import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { activationCurves, CURVE_Z, softmaxFigure } from '../analysis/activationCurves';
import { collapseView } from '../analysis/collapseView';
import { PanelSlot } from '../inspector/WebviewPanelBase';
import { LabPanel, type LabRequest } from './LabPanel';
import { currentModel } from './modelFor';

/**
 * MLP Inspector: Show Activation Functions. The host computes every figure with the engine's own
 * activation code (f and f′ of each activation, ELU at the α asked for; softmax of the vector
 * typed; "why linear activations collapse" from the open model); the webview only draws them.
 */
export class ActivationLabPanel extends LabPanel {
  public static readonly viewType = 'mlpInspector.activationLab';
  private static readonly slot = new PanelSlot<ActivationLabPanel>();

  public static createOrShow(extensionUri: vscode.Uri, inspector: Inspector): ActivationLabPanel {
    return ActivationLabPanel.slot.show(() => new ActivationLabPanel(vscode.window.createWebviewPanel(ActivationLabPanel.viewType, 'Activation Functions', vscode.ViewColumn.Active, LabPanel.panelOptions(extensionUri)), extensionUri, inspector));
  }

  public static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, inspector: Inspector): void {
    ActivationLabPanel.slot.adopt(new ActivationLabPanel(panel, extensionUri, inspector));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {
    super(panel, extensionUri, 'activations', 'Activation Functions');
  }

  /** Exports go beside the open model, else to the workspace. */
  protected override exportFolder(): vscode.Uri | undefined {
    return this.inspector.uri ? vscode.Uri.joinPath(this.inspector.uri, '..') : super.exportFolder();
  }

  protected override async onMessage(message: LabRequest): Promise<void> {
    switch (message.type) {
      case 'ready':
        return; // the lab asks for its curves itself, with the α it keeps
      case 'askCurves':
        this.post({ type: 'activationCurves', alpha: message.alpha, z: CURVE_Z, curves: activationCurves(message.alpha) });
        return;
      case 'askSoftmax':
        this.post({ type: 'softmax', softmax: softmaxFigure(message.z) });
        return;
      case 'showCollapse': {
        const found = await currentModel(this.inspector);
        if ('unavailable' in found) return this.post({ type: 'collapse', unavailable: found.unavailable });
        this.post({ type: 'collapse', collapse: collapseView(found.model, found.fileName, found.source?.data?.train) });
        return;
      }
      case 'runSweep':
      case 'cancelSweep':
      case 'openBest':
      case 'compareSweep':
        return; // refused by checkLabMessage already
      default: {
        const never: never = message;
        console.warn(`MLP Inspector: unexpected lab message ${JSON.stringify(never)}`);
      }
    }
  }
}
