/**
 * The data layer's entry point: a model file's `data` section in, a complete `PreparedData`
 * out, or one `DataError` and nothing else. Nothing is shared or cached between calls, so a
 * failed load leaves whatever was loaded before untouched.
 */
import type { NormalizationSpec } from './normalization';
import * as nodePath from 'node:path';
import { readCsv, type ReadPosition } from './csvSource';
import { DataError } from './dataError';
import { checkDataSpec, type ColumnType, type DataFormat, type DataSpec } from './dataSpec';
import { isFileNotFound, type FileAccess } from './fileAccess';
import { readJson, readJsonl } from './jsonSource';
import { prepare } from './prepare';
import type { PreparedData } from './preparedData';
import { generateSynthetic } from './synthetic';
import { TableBuilder, type Table } from './tableBuilder';

/** Reported after each chunk read. */
export interface LoadProgress {
  bytesRead: number;
  totalBytes: number;
  /** Data rows read so far (0 while a JSON document is still being read whole). */
  rows: number;
}

export interface LoadOptions {
  /** The folder `spec.path` is relative to: the model file's folder. */
  baseDir: string;
  files: FileAccess;
  onProgress?: (p: LoadProgress) => void;
  /** Aborting rejects the load with the signal's reason (an `AbortError`). */
  signal?: AbortSignal;
  /**
   * The input normalization to apply instead of fitting one: a trained model's saved one
   * (src/model/savedNormalization.ts `fixedNormalization`), so its weights see the inputs they
   * were trained on whatever rows the file holds now. Used when it has one entry per input unit.
   */
  normalization?: NormalizationSpec;
}

/** Loads, checks, encodes, splits and normalizes the data a `data` section describes. */
export async function loadData(spec: DataSpec, options: LoadOptions): Promise<PreparedData> {
  checkDataSpec(spec);
  options.signal?.throwIfAborted();
  if (spec.synthetic !== undefined) return loadSynthetic(spec, options.normalization);
  return prepare(await readTable(spec, options), spec, spec.path as string, options.normalization);
}

/** A data file's columns as the loader sees them, for choosing features and target. */
export interface ColumnsDescription {
  readonly header: string[];
  /** The inferred type of each column of `header`. */
  readonly types: ColumnType[];
  readonly rows: number;
}

/**
 * Reads a data file (with the last column as a provisional target) to list its columns and
 * their inferred types, e.g. for the quick picks of "New Model from Dataset".
 */
export async function describeColumns(path: string, options: LoadOptions): Promise<ColumnsDescription> {
  const spec: DataSpec = { path, missing: 'mean' };
  checkDataSpec(spec);
  const table = await readTable(spec, options);
  return { header: table.header, types: table.columnTypes, rows: table.rowsRead };
}

/** Streams the file a spec names into typed column blocks, or throws one DataError. */
async function readTable(spec: DataSpec, options: LoadOptions): Promise<Table> {
  const file = spec.path as string;
  const full = nodePath.isAbsolute(file) ? file : nodePath.join(options.baseDir, file);
  let totalBytes: number;
  try {
    totalBytes = (await options.files.stat(full)).size;
  } catch (err) {
    if (isFileNotFound(err)) throw new DataError(`file not found (looked for ${full})`, file);
    // A FIFO, a device or a folder (src/node/files.ts openRegularFile): say what it is.
    if ((err as Error).name === 'NotRegularFileError') throw new DataError(`the data set ${(err as Error).message}`, file);
    throw new DataError(`cannot read the file: ${(err as Error).message}`, file);
  }
  const format = spec.format ?? formatOf(file);
  const position: ReadPosition = { bytesRead: 0, line: 0 };
  const onChunk = options.onProgress
    ? (bytesRead: number, rows: number) => options.onProgress?.({ bytesRead, totalBytes, rows })
    : undefined;
  const common = { file, spec, signal: options.signal, onChunk };
  let table: Table;
  try {
    const chunks = options.files.readChunks(full, options.signal);
    if (format === 'json') table = await readJson(chunks, common, position);
    else if (format === 'jsonl') table = await readJsonl(chunks, common, position);
    else table = await readCsv(chunks, { ...common, delimiter: format === 'tsv' ? '\t' : undefined }, position);
  } catch (err) {
    if (err instanceof DataError || options.signal?.aborted) throw err;
    if (isFileNotFound(err)) {
      throw new DataError(
        `the file vanished while it was being read (after ${position.bytesRead} of ${totalBytes} bytes)`,
        file, position.line > 0 ? position.line + 1 : undefined,
      );
    }
    throw new DataError(`cannot read the file: ${(err as Error).message}`, file, position.line > 0 ? position.line + 1 : undefined);
  }
  return table;
}

/** The format a file name implies: `.tsv`/`.tab`, `.json`, `.jsonl`/`.ndjson`, else CSV. */
export function formatOf(file: string): DataFormat {
  const ext = nodePath.extname(file).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return 'csv';
}

function loadSynthetic(spec: DataSpec, normalization: NormalizationSpec | undefined): PreparedData {
  const source = `synthetic:${spec.synthetic}`;
  let set;
  try {
    set = generateSynthetic(spec.synthetic as string, { samples: spec.samples, noise: spec.noise, seed: spec.seed });
  } catch (err) {
    throw new DataError(`${(err as Error).message}`, source);
  }
  const merged: DataSpec = { ...spec, columnTypes: { ...set.columnTypes, ...spec.columnTypes } };
  const builder = new TableBuilder(source, set.header, 0, merged, () => ({ line: 0 }));
  set.rows.forEach((row, i) => builder.addRow(row, i + 1, () => ({ line: i + 1 })));
  return prepare(builder.finish(), merged, source, normalization);
}


