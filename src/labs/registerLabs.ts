import * as path from 'node:path';
import { restoredModel } from '../host/restoredModel';
import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { ActivationLabPanel } from './ActivationLabPanel';
import { InitializationLabPanel } from './InitializationLabPanel';
import { modelFileFor } from './sweepFiles';
import { SweepLabPanel } from './SweepLabPanel';

/** The labs' command ids, as contributed in package.json. */
export const LabCommands = {
  showActivationFunctions: 'mlpInspector.showActivationFunctions',
  openInitializationLab: 'mlpInspector.openInitializationLab',
  runArchitectureSweep: 'mlpInspector.runArchitectureSweep',
} as const;

/**
 * Registers the labs: Show Activation Functions, Open Initialization Lab, Run Architecture Sweep,
 * and the serializers that restore their panels after a window reload.
 */
export function registerLabs(context: vscode.ExtensionContext, inspector: Inspector): void {
  const extensionUri = context.extensionUri;
  context.subscriptions.push(
    // Disposed when the extension deactivates: no sweep keeps training after it is gone.
    { dispose: () => SweepLabPanel.cancelRunning() },
    vscode.commands.registerCommand(LabCommands.showActivationFunctions, () => void ActivationLabPanel.createOrShow(extensionUri, inspector)),
    vscode.commands.registerCommand(LabCommands.openInitializationLab, () => void InitializationLabPanel.createOrShow(extensionUri, inspector)),
    vscode.commands.registerCommand(LabCommands.runArchitectureSweep, async (uri?: vscode.Uri) => {
      const model = await sweepTarget(inspector, uri instanceof vscode.Uri ? uri : undefined);
      if (model) SweepLabPanel.createOrShow(extensionUri, model);
    }),
    vscode.window.registerWebviewPanelSerializer(ActivationLabPanel.viewType, {
      deserializeWebviewPanel: async (panel) => ActivationLabPanel.revive(panel, extensionUri, inspector),
    }),
    vscode.window.registerWebviewPanelSerializer(InitializationLabPanel.viewType, {
      deserializeWebviewPanel: async (panel) => InitializationLabPanel.revive(panel, extensionUri, inspector),
    }),
    vscode.window.registerWebviewPanelSerializer(SweepLabPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        // Webview state is untrusted: only a model file inside the workspace (or an example's working copy) is reopened.
        const uri = restoredModel(state, inspector.ownFolders);
        if (uri) SweepLabPanel.revive(panel, extensionUri, uri);
        else panel.dispose();
      },
    }),
  );
}

/**
 * The model to sweep: the file the command was run on (a model, or a sweep file beside its
 * model), the active editor's, the inspector's open model, or one picked from the workspace.
 */
async function sweepTarget(inspector: Inspector, uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const asModel = (u: vscode.Uri | undefined): vscode.Uri | undefined => {
    if (!u || u.scheme !== 'file') return undefined;
    if (u.fsPath.endsWith('.mlp.json')) return u;
    if (u.fsPath.endsWith('.sweep.json')) return vscode.Uri.file(modelFileFor(u.fsPath));
    return undefined;
  };
  const direct = asModel(uri) ?? asModel(vscode.window.activeTextEditor?.document.uri) ?? inspector.uri;
  if (direct) return direct;
  const files = await vscode.workspace.findFiles('**/*.mlp.json', '**/{node_modules,.git,.cache}/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('MLP Inspector: no *.mlp.json model in this workspace to sweep. Run "MLP Inspector: New Model from Dataset" on a CSV to make one.');
    return undefined;
  }
  if (files.length === 1) return files[0];
  const pick = await vscode.window.showQuickPick(
    files.map((u) => ({ label: vscode.workspace.asRelativePath(u), description: path.basename(u.fsPath).replace(/\.mlp\.json$/, ''), uri: u })).sort((a, b) => a.label.localeCompare(b.label)),
    { title: 'MLP Inspector: Run Architecture Sweep', placeHolder: 'The model whose depth and width to sweep', ignoreFocusOut: true },
  );
  return pick?.uri;
}
