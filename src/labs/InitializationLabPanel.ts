import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { loadModelSource } from '../host/loadModelSource';
import { DEFAULT_INIT_LAB_LAYERS, initLabView, type InitLabInput } from '../analysis/initLabView';
import { PanelSlot } from '../inspector/WebviewPanelBase';
import { LabPanel, type LabRequest } from './LabPanel';

/**
 * MLP Inspector: Open Initialization Lab. The figures are for the open model's architecture (or
 * 2-16-16-16-1 when none is open) and follow it: when the inspector's model or its layers change,
 * the lab measures again. The measurement takes milliseconds for teaching-size networks (and the
 * batch shrinks for large ones), so it runs in the host.
 */
export class InitializationLabPanel extends LabPanel {
  public static readonly viewType = 'mlpInspector.initializationLab';
  private static readonly slot = new PanelSlot<InitializationLabPanel>();

  public static createOrShow(extensionUri: vscode.Uri, inspector: Inspector): InitializationLabPanel {
    return InitializationLabPanel.slot.show(() => new InitializationLabPanel(vscode.window.createWebviewPanel(InitializationLabPanel.viewType, 'Initialization Lab', vscode.ViewColumn.Active, LabPanel.panelOptions(extensionUri)), extensionUri, inspector));
  }

  public static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, inspector: Inspector): void {
    InitializationLabPanel.slot.adopt(new InitializationLabPanel(panel, extensionUri, inspector));
  }

  /** What the figures shown were measured for; a change of it triggers a new measurement. */
  private measuredFor: string | undefined;
  private generation = 0;

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly inspector: Inspector,
  ) {
    super(panel, extensionUri, 'initialization', 'Initialization Lab');
    inspector.onDidChange(() => void this.refresh(false), undefined, this.disposables);
  }

  /** Exports go beside the open model, else to the workspace. */
  protected override exportFolder(): vscode.Uri | undefined {
    return this.inspector.uri ? vscode.Uri.joinPath(this.inspector.uri, '..') : super.exportFolder();
  }

  protected override async onMessage(message: LabRequest): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.refresh(true);
      case 'showCollapse':
      case 'askCurves':
      case 'askSoftmax':
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

  /** Measures again when the architecture differs from the one shown (always when `force`). */
  private async refresh(force: boolean): Promise<void> {
    const view = this.inspector.view;
    const usable = view && view.layers.length >= 2 && view.problems.length === 0;
    const key = usable ? JSON.stringify([view.uri, view.layers, view.loss]) : 'default';
    if (!force && key === this.measuredFor) return;
    this.measuredFor = key;
    const generation = ++this.generation;
    let input: InitLabInput = { layers: DEFAULT_INIT_LAB_LAYERS, source: { kind: 'default' } };
    if (usable && this.inspector.uri) {
      const source = await loadModelSource(this.inspector.uri.fsPath);
      const model = this.inspector.session?.model ?? source.model;
      if (model) {
        input = {
          layers: model.layers,
          source: { kind: 'model', name: view.name, fileName: view.fileName },
          loss: model.loss,
          optimizer: model.optimizer,
          randomInit: model.init?.weights,
          scale: model.init?.scale,
          bias: model.init?.bias,
          ...(source.data ? { data: source.data.train } : {}),
        };
      }
    }
    if (generation !== this.generation || this.isDisposed) return;
    this.post({ type: 'initStats', view: initLabView(input) });
  }
}
