import * as path from 'node:path';
import { loadData } from '../data/loadData';
import { nodeFileAccess } from '../data/nodeFileAccess';
import type { PreparedData } from '../data/preparedData';
import type { DataSpec } from '../data/dataSpec';
import type { Samples } from '../engine/training';
import { dataMismatch } from '../model/dataFit';
import { trainingMemoryProblem } from '../model/trainingMemory';
import { fixedNormalization } from '../model/savedNormalization';
import type { ModelFile } from '../model/modelFile';
import { CliError } from './cliError';

/** A split of the prepared data as the engine's matrices (sharing the typed arrays). */
export function samplesOf(split: { x: Float64Array; y: Float64Array; rows: number }, nIn: number, nOut: number): Samples {
  return { x: { rows: split.rows, cols: nIn, data: split.x }, y: { rows: split.rows, cols: nOut, data: split.y } };
}

/**
 * Loads the data a model trains on (its `data` section, or `--data FILE` instead of its path),
 * and checks that the encoded widths match the model's input and output layers. With
 * `maxMemoryMiB` (commands that train), also that training fits the memory budget.
 */
export async function loadModelData(
  model: ModelFile,
  modelFile: string,
  dataOverride: string | undefined,
  cwd: string,
  options: { onProgress?: (p: { bytesRead: number; totalBytes: number; rows: number }) => void; maxMemoryMiB?: number } = {},
): Promise<PreparedData> {
  const { onProgress } = options;
  let spec: DataSpec | undefined = model.data as DataSpec | undefined;
  let baseDir = path.dirname(modelFile);
  if (dataOverride !== undefined) {
    const { synthetic: _synthetic, path: _path, ...rest } = spec ?? {};
    spec = { ...rest, path: path.resolve(cwd, dataOverride) };
    baseDir = cwd;
  }
  if (!spec) throw new CliError('the model has no "data" section; give one, or pass --data FILE', path.relative(cwd, modelFile) || modelFile);
  let data: PreparedData;
  try {
    data = await loadData(spec, { baseDir, files: nodeFileAccess, onProgress, normalization: fixedNormalization(model) });
  } catch (err) {
    // The data layer's messages already name file, line and column.
    throw new CliError((err as Error).message);
  }
  const mismatch = dataMismatch(model, data);
  if (mismatch) throw new CliError(mismatch, path.relative(cwd, modelFile) || modelFile);
  if (options.maxMemoryMiB !== undefined) {
    const sizes = model.layers.map((l) => l.units);
    const tooBig = trainingMemoryProblem(sizes, model.optimizer?.batchSize, data.train.rows, options.maxMemoryMiB);
    if (tooBig) throw new CliError(tooBig, path.relative(cwd, modelFile) || modelFile);
  }
  return data;
}
