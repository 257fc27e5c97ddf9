/**
 * How the data layer reads files. The extension host implements it over `vscode.workspace.fs`,
 * the CLI and workers over `node:fs` (see `nodeFileAccess.ts`), tests over memory; the parsing
 * code never touches a file system itself.
 */
export interface FileAccess {
  /**
   * Streams a file's bytes in chunks, so a large CSV is never held whole. Rejects with a
   * `FileVanishedError` (or an error whose `code` is `ENOENT`) if the file disappears mid-read.
   * Each chunk is the reader's from then on: it may keep it, or free it at once if it sits on a
   * resizable `ArrayBuffer` (see `blocks.ts`), so never hand out the same buffer twice.
   */
  readChunks(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** The file's size in bytes (for progress); rejects with an `ENOENT` error when it is absent. */
  stat(path: string): Promise<{ size: number }>;
}

/** The file was there when reading began and was gone (deleted or replaced) before it ended. */
export class FileVanishedError extends Error {
  readonly code = 'ENOENT';
  constructor(
    readonly path: string,
    readonly bytesRead: number,
  ) {
    super(`${path} vanished after ${bytesRead} bytes had been read`);
    this.name = 'FileVanishedError';
  }
}

/** True for an error that means "no such file": ours, node's, or a `vscode.FileSystemError`. */
export function isFileNotFound(err: unknown): boolean {
  if (err instanceof FileVanishedError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'FileNotFound' || code === 'EntryNotFound';
}
