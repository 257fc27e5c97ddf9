/**
 * A restored panel's model comes from webview state, which a webview can write: it is untrusted
 * input. Before the host opens, saves or writes sweeps beside it, it must be a `file` URI of a
 * `*.mlp.json` file inside one of the workspace's folders. Pure (paths in, verdict out), so the
 * rule is tested without VS Code; src/host/restoredModel.ts applies it to real URIs.
 */
import * as path from 'node:path';

/** Why `uri` (scheme and file-system path) may not be reopened, or undefined when it may. */
export function restoredModelProblem(scheme: string, fsPath: string, workspaceFolders: readonly string[]): string | undefined {
  if (scheme !== 'file') return `only files can be reopened, not ${scheme}: URIs`;
  if (!/\.mlp\.json$/i.test(fsPath)) return 'only *.mlp.json model files can be reopened';
  return isInsideFolders(fsPath, workspaceFolders) ? undefined : 'the model is not inside the open workspace';
}

/** True when `fsPath` lies inside (not at) one of `folders`. */
export function isInsideFolders(fsPath: string, folders: readonly string[]): boolean {
  const resolved = path.resolve(fsPath);
  return folders.some((folder) => {
    const rel = path.relative(path.resolve(folder), resolved);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}
