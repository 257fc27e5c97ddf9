/**
 * `FileAccess` over `node:fs`, for the CLI, worker threads and tests. Kept apart from the
 * parsers so that they never import `fs`.
 */
import { promises as fsp } from 'node:fs';
import { releasableBuffer } from './blocks';
import { FileVanishedError, type FileAccess } from './fileAccess';
import { openRegularFile } from '../node/files';

/** 1 MiB: large enough that per-chunk overhead vanishes, small enough to stay out of the way. */
const DEFAULT_CHUNK_BYTES = 1 << 20;

/** The `FileAccess` the CLI and workers use. */
export const nodeFileAccess: FileAccess = createNodeFileAccess();

/** A node `FileAccess` with a chosen chunk size (tests use small chunks to cross boundaries). */
export function createNodeFileAccess(chunkBytes = DEFAULT_CHUNK_BYTES): FileAccess {
  return {
  async stat(path: string): Promise<{ size: number }> {
    // Opened, not just stat'ed: a FIFO or a device (/dev/zero) is refused here, before any read.
    const { handle, size } = await openRegularFile(path);
    await handle.close();
    return { size };
  },

  async *readChunks(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const { handle } = await openRegularFile(path);
    try {
      const { ino, dev } = await handle.stat();
      let position = 0;
      for (;;) {
        signal?.throwIfAborted();
        // A fresh buffer per chunk: the consumer may keep a chunk while it parses the next, and
        // a releasable one, so it can free the chunk when done rather than at the next full GC.
        const buffer = new Uint8Array(releasableBuffer(chunkBytes), 0, chunkBytes);
        const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        // On POSIX an open file can still be read after it is deleted, so a deleted or replaced
        // file would otherwise load "successfully" from a ghost; check the path still names it.
        await assertStillThere(path, ino, dev, position);
        yield bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  },
  };
}

async function assertStillThere(path: string, ino: number, dev: number, bytesRead: number): Promise<void> {
  let now;
  try {
    now = await fsp.stat(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new FileVanishedError(path, bytesRead);
    throw err;
  }
  // Inode 0 means the platform does not report one (some Windows file systems); skip the check.
  if (ino !== 0 && (now.ino !== ino || now.dev !== dev)) throw new FileVanishedError(path, bytesRead);
}
