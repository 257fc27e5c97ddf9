/**
 * Reads a model file and the data it names, for the extension host: every failure becomes a
 * problem to show (in the panel and the Problems view), never an exception that leaves a blank
 * panel. No `vscode` import, so it is tested like the engine.
 */
import { fixedNormalization } from '../model/savedNormalization';
import { isInsideFolders } from './restoredModelUri';
import * as path from 'node:path';
import { DataError } from '../data/dataError';
import type { DataSpec } from '../data/dataSpec';
import { loadData, type LoadProgress } from '../data/loadData';
import { nodeFileAccess } from '../data/nodeFileAccess';
import type { PreparedData } from '../data/preparedData';
import { dataMismatch } from '../model/dataFit';
import { trainingMemoryProblem } from '../model/trainingMemory';
import { parseModelText, type ModelFile, type ModelProblem } from '../model/modelFile';
import { FileError, readTextFile } from '../node/files';

/** Where in which file a data problem is, when the data layer knows. */
export interface DataProblem {
  readonly message: string;
  /** Absolute path of the file the problem is in (the data file, or the model file). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The model names no data at all (an imported one): nothing is wrong, something is missing. */
  readonly missing?: boolean;
}

/** A model file as read: the model when it is valid, else its problems; the data, else why not. */
export interface ModelSource {
  readonly file: string;
  readonly text: string;
  readonly model?: ModelFile;
  readonly problems: readonly ModelProblem[];
  readonly data?: PreparedData;
  readonly dataProblem?: DataProblem;
}

/** Reads and checks the model file, then loads its data (unless the model is invalid). */
export async function loadModelSource(
  file: string,
  options: {
    signal?: AbortSignal;
    onProgress?: (p: LoadProgress) => void;
    maxParameters?: number;
    /** The training-memory budget in MiB (src/model/trainingMemory.ts). */
    maxTrainingMemoryMiB?: number;
    /** In an untrusted workspace (Restricted Mode): the folders a data set may be read from. */
    untrustedFolders?: readonly string[];
  } = {},
): Promise<ModelSource> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (err) {
    const message = err instanceof FileError ? err.reason : (err as Error).message;
    const at = err instanceof FileError && err.at ? err.at : { line: 1, column: 1 };
    return { file, text: '', problems: [{ message, path: [], offset: 0, length: 0, line: at.line, column: at.column }] };
  }
  const { model, problems } = parseModelText(text, options.maxParameters !== undefined ? { maxParameters: options.maxParameters } : {});
  if (!model) return { file, text, problems };
  if (!model.data) {
    return { file, text, model, problems, dataProblem: { message: 'the model has no "data" section: run "MLP Inspector: Attach Dataset…" to pick a data file, or add one with a "path" (a CSV or JSON file beside the model) or a "synthetic" data set', file, missing: true } };
  }
  const dataPath = (model.data as DataSpec).path;
  if (options.untrustedFolders && typeof dataPath === 'string' && !isInsideFolders(path.resolve(path.dirname(file), dataPath), options.untrustedFolders)) {
    return { file, text, model, problems, dataProblem: { message: `the data set ${dataPath} is outside the workspace; in Restricted Mode only files inside it are read. Trust the workspace (Workspaces: Manage Workspace Trust) to load it`, file } };
  }
  return { file, text, model, problems, ...(await loadModelData(model, file, options)) };
}

/**
 * Loads the data a (valid) model names, relative to its `file`, and checks that it fits the
 * network: the data, or the problem to show. Also for a model edited in memory (engineered
 * features change the input layer), so the same checks apply as to one read from its file.
 */
export async function loadModelData(model: ModelFile, file: string, options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void; maxTrainingMemoryMiB?: number } = {}): Promise<{ data?: PreparedData; dataProblem?: DataProblem }> {
  try {
    const data = await loadData(model.data as DataSpec, { baseDir: path.dirname(file), files: nodeFileAccess, signal: options.signal, onProgress: options.onProgress, normalization: fixedNormalization(model) });
    const mismatch = dataMismatch(model, data);
    if (mismatch) return { dataProblem: { message: mismatch, file } };
    const tooBig = trainingMemoryProblem(model.layers.map((l) => l.units), model.optimizer?.batchSize, data.train.rows, options.maxTrainingMemoryMiB);
    if (tooBig) return { dataProblem: { message: tooBig, file } };
    return { data };
  } catch (err) {
    if (err instanceof DataError) {
      const dataFile = err.file.startsWith('synthetic:') ? file : path.resolve(path.dirname(file), err.file);
      return { dataProblem: { message: err.message, file: dataFile, line: err.line, column: err.column } };
    }
    if ((err as Error).name === 'AbortError') throw err;
    return { dataProblem: { message: `the data could not be loaded: ${(err as Error).message}`, file } };
  }
}
