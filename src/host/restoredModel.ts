import * as vscode from 'vscode';
import { restoredModelProblem } from './restoredModelUri';

/**
 * The model URI a restored panel's webview state names, if it may be reopened (see
 * restoredModelProblem): inside the workspace or one of `ownFolders` (the extension's working
 * copies of its examples). A refused one is logged with its reason and yields undefined.
 */
export function restoredModel(state: unknown, ownFolders: readonly string[]): vscode.Uri | undefined {
  const raw = typeof state === 'object' && state !== null ? (state as { modelUri?: unknown }).modelUri : undefined;
  if (typeof raw !== 'string' || raw.length > 4096) return undefined;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(raw, true);
  } catch {
    return undefined;
  }
  const folders = [...(vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath), ...ownFolders];
  const problem = restoredModelProblem(uri.scheme, uri.scheme === 'file' ? uri.fsPath : uri.path, folders);
  if (problem) {
    console.warn(`MLP Inspector: a restored panel named ${raw}; not reopened: ${problem}`);
    return undefined;
  }
  return uri;
}
