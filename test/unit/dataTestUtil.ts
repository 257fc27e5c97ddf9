/** Helpers shared by the data-layer tests (not a test file itself). */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DataError } from '../../src/data/dataError';
import type { DataSpec } from '../../src/data/dataSpec';
import { FileVanishedError, type FileAccess } from '../../src/data/fileAccess';
import { loadData } from '../../src/data/loadData';
import { createNodeFileAccess } from '../../src/data/nodeFileAccess';
import type { PreparedData } from '../../src/data/preparedData';

/** test/fixtures/data, from out/test/unit. */
export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'data');

/** A FileAccess over in-memory files, handing out `chunkBytes`-sized chunks. */
export function memoryFiles(files: Record<string, string | Uint8Array>, chunkBytes = 7): FileAccess {
  const bytesOf = (p: string): Uint8Array => {
    const name = path.basename(p);
    const f = files[name];
    if (f === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return typeof f === 'string' ? new TextEncoder().encode(f) : f;
  };
  return {
    async stat(p) {
      return { size: bytesOf(p).length };
    },
    async *readChunks(p) {
      const bytes = bytesOf(p);
      for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.slice(i, i + chunkBytes);
    },
  };
}

/** A FileAccess whose stream yields `goodChunks` chunks of the file, then fails as if it were deleted. */
export function vanishingFile(content: string, goodChunks: number, chunkBytes = 16, error: 'enoent' | 'vanished' = 'enoent'): FileAccess {
  const bytes = new TextEncoder().encode(content);
  return {
    async stat() {
      return { size: bytes.length };
    },
    async *readChunks(p) {
      for (let k = 0; k < goodChunks; k++) yield bytes.slice(k * chunkBytes, (k + 1) * chunkBytes);
      if (error === 'vanished') throw new FileVanishedError(p, goodChunks * chunkBytes);
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
    },
  };
}

/**
 * Loads a fixture twice, in 1 MiB chunks and in 3-byte chunks (so every boundary case is
 * crossed), checks both give the same data, and returns it.
 */
export async function loadFixture(spec: DataSpec): Promise<PreparedData> {
  const whole = await loadData(spec, { baseDir: FIXTURES, files: createNodeFileAccess() });
  const bits = await loadData(spec, { baseDir: FIXTURES, files: createNodeFileAccess(3) });
  assert.deepEqual(bits, whole, 'the result must not depend on chunk boundaries');
  return whole;
}

/** Expects `promise` to reject with exactly one DataError at `line`/`column`, its message matching. */
export async function expectDataError(
  promise: Promise<unknown>,
  expected: { file?: string; line?: number; column?: number; message: RegExp },
): Promise<DataError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof DataError, `expected a DataError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  const e = caught as DataError;
  if (expected.file !== undefined) assert.equal(e.file, expected.file, e.message);
  assert.equal(e.line, expected.line, `line of: ${e.message}`);
  assert.equal(e.column, expected.column, `column of: ${e.message}`);
  assert.match(e.message, expected.message);
  return e;
}

/** Loads a fixture expecting a DataError (through both chunk sizes, which must agree). */
export async function expectFixtureError(
  spec: DataSpec,
  expected: { line?: number; column?: number; message: RegExp },
): Promise<DataError> {
  const file = spec.path;
  const a = await expectDataError(loadData(spec, { baseDir: FIXTURES, files: createNodeFileAccess() }), { file, ...expected });
  const b = await expectDataError(loadData(spec, { baseDir: FIXTURES, files: createNodeFileAccess(3) }), { file, ...expected });
  assert.equal(b.message, a.message);
  return a;
}

/** Row r of a split's x as a plain array. */
export function rowOf(x: Float64Array, nIn: number, r: number): number[] {
  return Array.from(x.subarray(r * nIn, (r + 1) * nIn));
}
