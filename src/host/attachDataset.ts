/**
 * "Attach Dataset…": gives a model (typically one imported from ONNX, which carries no data) a
 * `data` section, keeping its weights: the user picks a data file, the target column and the
 * input columns; the data is loaded and checked against the network before anything is written.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspector } from './Inspector';
import { pickDataFile } from './newModelFromDataset';
import { DataError } from '../data/dataError';
import type { DataSpec } from '../data/dataSpec';
import { describeColumns, loadData } from '../data/loadData';
import { nodeFileAccess } from '../data/nodeFileAccess';
import { dataMismatch } from '../model/dataFit';
import { parseModelText, serializeModel, type ModelFile } from '../model/modelFile';
import { DEFAULT_MAX_PARAMETERS } from '../model/parameterBudget';
import { fixedNormalization } from '../model/savedNormalization';
import { isObject } from '../engine/jsonValue';
import { readTextFile, writeFileAtomic } from '../node/files';

/** Columns chosen ahead (tests, or a caller that knows them); otherwise quick picks ask. */
export interface AttachChoice {
  readonly target?: readonly string[];
  readonly features?: readonly string[];
  /** What to do with missing values; asked when the data has some and this is absent. */
  readonly missing?: 'drop' | 'mean';
}

/** Attaches a data set to `modelUri` (default: the open model); resolves with the model file when written. */
export async function attachDataset(insp: Inspector, modelUri?: vscode.Uri, dataUri?: vscode.Uri, choice: AttachChoice = {}): Promise<vscode.Uri | undefined> {
  const uri = modelUri ?? insp.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('MLP Inspector: open a model first (MLP Inspector: Open Inspector), then attach a dataset to it.');
    return undefined;
  }
  const name = path.basename(uri.fsPath);
  const fail = (message: string) => void vscode.window.showErrorMessage(`MLP Inspector: cannot attach the dataset to ${name}: ${message}`);
  // Trained weights not saved yet: saved (or dropped) first, then the file is read as it is.
  if (insp.uri?.fsPath === uri.fsPath && !(await insp.confirmDiscard('attach a dataset'))) return undefined;
  let model: ModelFile;
  try {
    const max = vscode.workspace.getConfiguration('mlpInspector').get<number>('maxParameters', DEFAULT_MAX_PARAMETERS);
    const parsed = parseModelText(await readTextFile(uri.fsPath), { maxParameters: max });
    if (!parsed.model) return fail(`${name}:${parsed.problems[0].line}:${parsed.problems[0].column}: ${parsed.problems[0].message}`), undefined;
    model = parsed.model;
  } catch (err) {
    return fail((err as Error).message), undefined;
  }
  const dataFile = dataUri ?? (await pickDataFile(`Attach Dataset to ${name}`, 'The data file to train and step it on'));
  if (!dataFile) return undefined;
  const base = path.basename(dataFile.fsPath);
  const dir = path.dirname(uri.fsPath);
  const n0 = model.layers[0].units;
  const engineered = model.data?.engineered ?? [];
  const rawInputs = n0 - engineered.length;

  let target = choice.target;
  let features = choice.features;
  if (!target || !features) {
    let columns;
    try {
      columns = await describeColumns(dataFile.fsPath, { baseDir: dir, files: nodeFileAccess });
    } catch (err) {
      return fail(err instanceof DataError ? err.message : `${base}: ${(err as Error).message}`), undefined;
    }
    const picked = await vscode.window.showQuickPick(
      columns.header.map((label, i) => ({ label, description: columns.types[i] })).reverse(),
      { title: `Attach ${base} to ${name} (1/2): the target column`, placeHolder: `What the network's ${model.layers[model.layers.length - 1].units} output unit(s) predict`, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    target = [picked.label];
    // Ticked first: the columns named as the model's inputs (an imported model carries their
    // names), else the numeric columns when there are as many as the network's inputs, else all.
    const known = isObject(model.normalization) && Array.isArray(model.normalization.inputNames) ? (model.normalization.inputNames as string[]) : [];
    const others = columns.header.map((label, i) => ({ label, type: columns.types[i] })).filter((c) => c.label !== picked.label);
    const named = others.filter((c) => known.includes(c.label)).map((c) => c.label);
    const numeric = others.filter((c) => c.type === 'numeric').map((c) => c.label);
    const ticked = named.length > 0 ? named : numeric.length === rawInputs ? numeric : others.map((c) => c.label);
    const chosen = await vscode.window.showQuickPick(
      others.map((c) => ({ label: c.label, description: c.type, picked: ticked.includes(c.label) })),
      { title: `Attach ${base} to ${name} (2/2): the input columns`, placeHolder: `The network takes ${rawInputs} input${rawInputs === 1 ? '' : 's'} (categorical columns become one unit per category)`, canPickMany: true, ignoreFocusOut: true },
    );
    if (!chosen || chosen.length === 0) return undefined;
    features = chosen.map((c) => c.label);
  }
  const relative = path.relative(dir, dataFile.fsPath).split(path.sep).join('/');
  let data: DataSpec = { path: relative, target: [...target], features: [...features], ...(engineered.length > 0 ? { engineered } : {}), ...(choice.missing ? { missing: choice.missing } : {}) };
  // Loaded with the normalization the weights were trained with, and checked against the
  // network's widths before the model file changes. Missing values: asked once, dropped if so.
  for (;;) {
    try {
      const prepared = await loadData(data, { baseDir: dir, files: nodeFileAccess, normalization: fixedNormalization(model) });
      const mismatch = dataMismatch(model, prepared);
      if (mismatch) return fail(`${base} does not fit it: ${mismatch}`), undefined;
      break;
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof DataError && data.missing === undefined && /data\.missing/.test(message)) {
        const drop = 'Drop Those Rows';
        const answer = await vscode.window.showWarningMessage(`${message}. Drop the rows with missing values?`, { modal: true }, drop);
        if (answer !== drop) return undefined;
        data = { ...data, missing: 'drop' };
        continue;
      }
      return fail(message), undefined;
    }
  }
  try {
    await writeFileAtomic(uri.fsPath, serializeModel({ ...model, data: data as ModelFile['data'] }));
  } catch (err) {
    return fail((err as Error).message), undefined;
  }
  vscode.window.setStatusBarMessage(`MLP Inspector: ${name} trains on ${relative} now`, 5000);
  // The open model reloads from its file (the watcher); another one opens.
  if (insp.uri?.fsPath !== uri.fsPath) await insp.open(uri);
  return uri;
}
