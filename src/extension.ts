import * as vscode from 'vscode';
import { registerComputationGraph } from './graph/registerComputationGraph';
import { Inspector } from './host/Inspector';
import { newModelFromDataset } from './host/newModelFromDataset';
import { Commands } from './inspector/commands';
import { InspectorPanel, InspectorPanelSerializer } from './inspector/InspectorPanel';
import { RunStatusItem } from './inspector/RunStatusItem';
import { SidebarView } from './inspector/SidebarView';
import { registerLabs } from './labs/registerLabs';
import { exportOpenModel, importOnnxModel } from './host/interopCommands';
import { attachDataset } from './host/attachDataset';
import { EXPORT_FORMATS, type ExportFormat } from './node/interopFiles';
import { exampleCopiesFolder, registerOpenExample } from './walkthrough/openExample';
import { WalkthroughKeys } from './walkthrough/walkthroughKeys';
import { WalkthroughProgress } from './walkthrough/walkthroughProgress';

export { Commands };

let inspector: Inspector | undefined;

/** The extension's API, for the integration tests (not a public contract). */
export interface MlpInspectorApi {
  readonly inspector: Inspector;
}

/** Registers the commands, the panel serializer and the sidebar view. */
export function activate(context: vscode.ExtensionContext): MlpInspectorApi {
  const extensionUri = context.extensionUri;
  // The bundled examples open from working copies here, also in a window with no folder.
  const copiesFolder = exampleCopiesFolder(context.globalStorageUri);
  const insp = (inspector = new Inspector(extensionUri, [copiesFolder]));
  const sidebar = new SidebarView(extensionUri, insp);
  const progress = new WalkthroughProgress(insp, copiesFolder);

  const openInspector = async (uri?: vscode.Uri) => {
    const target = uri ?? (await pickModel(insp));
    if (!target) return;
    InspectorPanel.createOrShow(extensionUri, insp);
    await insp.open(target);
  };

  context.subscriptions.push(
    insp,
    sidebar,
    progress,
    new RunStatusItem(insp),
    vscode.commands.registerCommand(Commands.openInspector, (uri?: vscode.Uri) => openInspector(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand(Commands.newModelFromDataset, async (uri?: vscode.Uri) => {
      const created = await newModelFromDataset(uri instanceof vscode.Uri ? uri : undefined);
      if (created) {
        progress.markDone(WalkthroughKeys.modelCreated);
        await vscode.window.showTextDocument(created, { preview: false });
        await openInspector(created);
      }
    }),
    vscode.commands.registerCommand(Commands.train, () => insp.train()),
    vscode.commands.registerCommand(Commands.pause, () => insp.pause()),
    vscode.commands.registerCommand(Commands.resume, () => insp.resume()),
    vscode.commands.registerCommand(Commands.resetWeights, () => insp.resetWeights()),
    vscode.commands.registerCommand(Commands.saveModel, () => insp.save()),
    vscode.commands.registerCommand(Commands.stepForward, () => insp.step('forward')),
    vscode.commands.registerCommand(Commands.stepBackward, () => insp.step('backward')),
    vscode.commands.registerCommand(Commands.applyUpdate, () => insp.step('update')),
    vscode.commands.registerCommand(Commands.step, () => insp.step('all')),
    vscode.commands.registerCommand(Commands.undoStep, () => insp.step('undo')),
    vscode.commands.registerCommand(Commands.showLossGraph, async () => {
      const graph = await insp.lossGraph();
      if (typeof graph === 'string') {
        void vscode.window.showInformationMessage(`MLP Inspector: the loss cannot be drawn as a graph: ${graph}.`);
        return;
      }
      const values = Object.entries(graph.values).map(([name, v]) => `${name}=${v}`).join(', ');
      await vscode.commands.executeCommand(Commands.openComputationGraph, { expression: graph.expression, values });
    }),
    vscode.commands.registerCommand(Commands.runGradientCheck, async () => {
      const result = await insp.runGradientCheck();
      if (result) {
        const text = `Gradient check on ${result.sampleIndex !== undefined ? `row ${result.sampleIndex}` : 'the typed-in sample'}: largest relative error ${result.maxRelError.toExponential(2)} over ${result.parametersChecked} parameters`;
        if (result.ok) void vscode.window.showInformationMessage(`MLP Inspector: ${text}; backprop agrees with finite differences.`);
        else void vscode.window.showWarningMessage(`MLP Inspector: ${text}, above ${result.tolerance} (worst: ${result.worst.param} of layer ${result.worst.layer}).`);
      }
      return result;
    }),
    // Tests pass the model, the data file and the columns; from the palette or a view, picks ask.
    vscode.commands.registerCommand(Commands.attachDataset, (model?: unknown, data?: unknown, columns?: unknown) =>
      attachDataset(insp, model instanceof vscode.Uri ? model : undefined, data instanceof vscode.Uri ? data : undefined, attachChoiceOf(columns)),
    ),
    vscode.commands.registerCommand(Commands.importOnnx, (uri?: vscode.Uri) => importOnnxModel(insp, openInspector, uri instanceof vscode.Uri ? uri : undefined)),
    // Tests and keybindings may pass the format and the target; from the palette or the panel, dialogs ask.
    vscode.commands.registerCommand(Commands.exportModel, (format?: unknown, out?: unknown) =>
      exportOpenModel(insp, (EXPORT_FORMATS as readonly unknown[]).includes(format) ? (format as ExportFormat) : undefined, out instanceof vscode.Uri ? out : undefined),
    ),
    vscode.window.registerWebviewPanelSerializer(InspectorPanel.viewType, new InspectorPanelSerializer(extensionUri, insp)),
    vscode.window.registerWebviewViewProvider(SidebarView.viewId, sidebar),
  );
  registerComputationGraph(context);
  registerLabs(context, insp);
  registerOpenExample(context, insp, copiesFolder);
  return { inspector: insp };
}

/** The model to open: the active *.mlp.json editor, the open model, or one picked from the workspace. */
async function pickModel(insp: Inspector): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.fsPath.endsWith('.mlp.json')) return active;
  if (insp.uri) return insp.uri;
  const files = await vscode.workspace.findFiles('**/*.mlp.json', '**/{node_modules,.git,.cache}/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('MLP Inspector: no *.mlp.json model in this workspace. Run "MLP Inspector: New Model from Dataset" on a CSV to make one.');
    return undefined;
  }
  if (files.length === 1) return files[0];
  const pick = await vscode.window.showQuickPick(
    files.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })).sort((a, b) => a.label.localeCompare(b.label)),
    { title: 'MLP Inspector: Open Inspector', placeHolder: 'The model to inspect', ignoreFocusOut: true },
  );
  return pick?.uri;
}

/** The columns a caller passed to Attach Dataset, if they are lists of strings. */
function attachChoiceOf(v: unknown): { target?: string[]; features?: string[]; missing?: 'drop' | 'mean' } {
  const strings = (x: unknown) => (Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string') ? (x as string[]) : undefined);
  if (typeof v !== 'object' || v === null) return {};
  const { target, features, missing } = v as { target?: unknown; features?: unknown; missing?: unknown };
  const t = strings(target);
  const f = strings(features);
  return { ...(t && f ? { target: t, features: f } : {}), ...(missing === 'drop' || missing === 'mean' ? { missing } : {}) };
}

/** Closes the panel and stops any run; nothing keeps training after the extension is gone. */
export async function deactivate(): Promise<void> {
  InspectorPanel.currentPanel?.dispose();
  await inspector?.close();
}
