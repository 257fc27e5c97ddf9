import * as vscode from 'vscode';
import * as path from 'node:path';
import { writeFileAtomic } from '../node/files';

/**
 * Asks where to save an exported chart (in `folder` by default) and writes it atomically. Shared
 * by the inspector's views and the labs; the message was validated before (a PNG is a data URL).
 */
export async function saveExport(folder: vscode.Uri | undefined, format: 'png' | 'csv' | 'svg', name: string, data: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : format === 'svg' ? { 'SVG image': ['svg'] } : { CSV: ['csv'] },
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
