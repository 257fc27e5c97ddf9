/**
 * File helpers for the Node side (CLI, extension host, worker): reading with errors a user can
 * act on, and writing atomically, so that a crash or a full disk never leaves a half-written
 * model or data file behind.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** A file could not be read or written; the message names the file and why. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'FileError';
  }
}

function explain(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return (err as Error).message;
  }
}

/** Reads a UTF-8 text file (a leading BOM is dropped). */
export async function readTextFile(file: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch (err) {
    throw new FileError(file, explain(err));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new FileError(file, 'is not valid UTF-8 text');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Writes `content` to `file` atomically: to a temporary file in the same folder, flushed, then
 * renamed over the target (a rename within one file system is atomic). On failure the target is
 * untouched and the temporary file is removed.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, 'wx');
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw new FileError(file, `could not be written: ${explain(err)}`);
  }
}
