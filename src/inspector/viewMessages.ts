import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { checkViewMessage } from '../host/webviewMessages';
import { Commands } from './commands';
import * as path from 'node:path';
import { writeFileAtomic } from '../node/files';

/** Asks where to save an exported chart (beside the model by default) and writes it atomically. */
async function saveExport(inspector: Inspector, format: 'png' | 'csv', name: string, data: string): Promise<void> {
  const dir = inspector.uri ? vscode.Uri.file(path.dirname(inspector.uri.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: dir ? vscode.Uri.joinPath(dir, name) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    title: `Export ${name}`,
  });
  if (!target) return;
  const bytes = format === 'png' ? Buffer.from(data.slice('data:image/png;base64,'.length), 'base64') : data;
  try {
    await writeFileAtomic(target.fsPath, bytes);
    vscode.window.setStatusBarMessage(`MLP Inspector: saved ${path.basename(target.fsPath)}`, 3000);
  } catch (err) {
    void vscode.window.showErrorMessage(`MLP Inspector: ${(err as Error).message}`);
  }
}

/**
 * Acts on a message from the panel or the sidebar, after validating it; `onReady` answers the
 * handshake. Both views offer the same actions, and every action goes through its command, so
 * a button does exactly what the palette does.
 */
export function handleViewMessage(raw: unknown, inspector: Inspector, onReady: () => void, from: string): void {
  const checked = checkViewMessage(raw);
  if (!checked.ok) {
    console.warn(`MLP Inspector: ignored a message from the ${from}: ${checked.reason}`);
    return;
  }
  const m = checked.message;
  switch (m.type) {
    case 'ready':
      onReady();
      return;
    case 'command':
      void vscode.commands.executeCommand(Commands[m.command]);
      return;
    case 'selectSample':
      void inspector.selectSample(m.index);
      return;
    case 'setHyperparameters':
      void inspector.setHyperparameters(m.hyperparameters, m.epochs);
      return;
    case 'setLayers':
      void inspector.setLayers(m.layers);
      return;
    case 'customSample':
      void inspector.useCustomSample(m.x, m.y);
      return;
    case 'export':
      void saveExport(inspector, m.format, m.name, m.data);
      return;
    default: {
      const unexpected: never = m;
      console.warn(`MLP Inspector: unexpected message from the ${from}: ${String(unexpected)}`);
    }
  }
}
