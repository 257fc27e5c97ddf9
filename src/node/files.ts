/**
 * File helpers for the Node side (CLI, extension host, worker): reading with errors a user can
 * act on, and writing atomically, so that a crash or a full disk never leaves a half-written
 * model or data file behind.
 */
import { firstInvalid, lineAndColumnAt, looksLikeUtf16, utf16Message } from '../data/utf8';
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

/** A file could not be read or written; the message names the file and why. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    /** Where in the file, when the problem is at a place in it (1-based). */
    readonly at?: { readonly line: number; readonly column: number },
  ) {
    super(`${file}${at ? `:${at.line}:${at.column}` : ''}: ${message}`);
    this.name = 'FileError';
  }

  /** The message without the file and place in front. */
  get reason(): string {
    return this.message.slice(this.file.length + (this.at ? `:${this.at.line}:${this.at.column}`.length : 0) + 2);
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

/** The largest model file read (64 MiB: a 784-128-64-10 model's JSON is about 2.5 MB). */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

/** What a non-regular file is, for a message: "a FIFO (named pipe)", "a device", … */
export function fileKind(s: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens `file` for reading without ever blocking: O_NONBLOCK makes opening a FIFO return at
 * once (a plain open waits for a writer, holding one of Node's few I/O threads for ever), and
 * anything but a regular file (a FIFO, /dev/zero, a folder; symbolic links are followed) is
 * refused before a byte is read. Returns the handle and the file's size.
 */
export async function openRegularFile(file: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await fsp.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new NotRegularFileError(fileKind(s));
    return { handle, size: s.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The path names something other than a regular file. */
export class NotRegularFileError extends Error {
  constructor(readonly kind: string) {
    super(kind === 'not a regular file' ? 'is not a regular file' : `is ${kind}, not a regular file`);
    this.name = 'NotRegularFileError';
  }
}

/** Reads a UTF-8 text file (a leading BOM is dropped), at most `maxBytes` of it. */
export async function readTextFile(file: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  let buf: Buffer;
  try {
    const { handle, size } = await openRegularFile(file);
    try {
      if (size > maxBytes) throw new FileTooLargeError(size, maxBytes);
      buf = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new FileError(file, err instanceof NotRegularFileError || err instanceof FileTooLargeError ? err.message : explain(err));
  }
  const utf16 = looksLikeUtf16(buf);
  if (utf16) throw new FileError(file, utf16Message(utf16), { line: 1, column: 1 });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // Say where: the line and column of the first bad byte, counted in the valid text before it.
    const bad = Math.max(0, firstInvalid(buf));
    const before = new TextDecoder('utf-8').decode(buf.subarray(0, bad)).replace(/^\ufeff/, '');
    const at = lineAndColumnAt(before, before.length, 1);
    const bytes = Array.from(buf.subarray(bad, bad + 4), (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    throw new FileError(file, `bytes ${bytes} are not valid UTF-8; save the file as UTF-8`, { line: at.line, column: at.column ?? 1 });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A file larger than a reader takes. */
export class FileTooLargeError extends Error {
  constructor(size: number, max: number) {
    super(`is ${(size / 1048576).toFixed(1)} MiB; a model file may be at most ${max / 1048576} MiB`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * Writes `content` to `file` atomically: to a temporary file in the same folder, flushed, then
 * renamed over the target (a rename within one file system is atomic). On failure the target is
 * untouched and the temporary file is removed.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  // Through a symbolic link to its target (renaming over the link would replace the link), and
  // never over a read-only file: both are checked before anything is written.
  const target = await writableTarget(file);
  const dir = path.dirname(target);
  await removeStaleTemporaries(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let handle: fsp.FileHandle | undefined;
  try {
    const mode = await fsp.stat(target).then((s) => s.mode & 0o777, () => undefined);
    handle = await fsp.open(tmp, 'wx');
    // The written file keeps the target's permissions, not the temporary file's default ones.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw new FileError(file, `could not be written: ${explain(err)}`);
  }
}

/**
 * Where writing `file` will put the bytes, after checking that it can: a name (not empty, not a
 * folder), a folder that exists, and, if the file exists, a regular file that is writable (a
 * read-only file stays as it is). A symbolic link resolves to its target. Throws a FileError.
 */
export async function writableTarget(file: string): Promise<string> {
  if (file === '' || /[\\/]$/.test(file)) throw new FileError(file || '(empty)', 'needs a file name, not a folder');
  let target = file;
  try {
    if ((await fsp.lstat(file)).isSymbolicLink()) target = await fsp.realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileError(file, explain(err));
  }
  const dir = path.dirname(target);
  const folder = await fsp.stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) throw new FileError(file, `cannot be written: the folder ${dir} does not exist`);
  const existing = await fsp.stat(target).catch(() => undefined);
  if (existing) {
    if (existing.isDirectory()) throw new FileError(file, 'is a folder, not a file');
    if (!existing.isFile()) throw new FileError(file, `is ${fileKind(existing)}, not a file to write`);
    if ((existing.mode & 0o222) === 0) throw new FileError(file, 'is read-only; it was left as it is');
  }
  return target;
}

/**
 * Removes temporary files an earlier write of `target` left when its process was killed
 * (`.NAME.PID.TIME.tmp` whose process is gone), so that kills do not pile them up.
 */
async function removeStaleTemporaries(target: string): Promise<void> {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
