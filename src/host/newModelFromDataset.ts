/**
 * "MLP Inspector: New Model from Dataset": from a CSV/TSV/JSON/JSONL file in the workspace to a
 * `name.mlp.json` beside it, through quick picks (target, features, hidden layers, activation).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ACTIVATION_NAMES, type ActivationName } from '../engine/activations';
import { isInitializerName } from '../engine/initializers';
import { DataError } from '../data/dataError';
import { describeColumns, loadData } from '../data/loadData';
import { nodeFileAccess } from '../data/nodeFileAccess';
import { serializeModel, type ModelFile } from '../model/modelFile';
import { writeFileAtomic } from '../node/files';

const DATA_GLOB = '**/*.{csv,tsv,json,jsonl,ndjson}';

/** Runs the quick picks; resolves with the new model file, or undefined if the user cancelled. */
export async function newModelFromDataset(dataUri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = dataUri ?? (await pickDataFile());
  if (!uri) return undefined;
  const file = uri.fsPath;
  const dir = path.dirname(file);
  const base = path.basename(file);

  let columns;
  try {
    columns = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${base}…`, cancellable: true }, (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return describeColumns(base, { baseDir: dir, files: nodeFileAccess, signal: abort.signal });
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    void vscode.window.showErrorMessage(`MLP Inspector: ${err instanceof DataError ? err.message : `${base}: ${(err as Error).message}`}`);
    return undefined;
  }

  const describe = (i: number) => `${columns.types[i]}`;
  const target = await vscode.window.showQuickPick(
    columns.header.map((name, i) => ({ label: name, description: describe(i), index: i })).reverse(),
    { title: `New Model from ${base} (1/5): the target column`, placeHolder: 'What should the network predict?', ignoreFocusOut: true },
  );
  if (!target) return undefined;
  const featureItems = columns.header
    .map((name, i) => ({ label: name, description: describe(i), index: i, picked: true }))
    .filter((item) => item.index !== target.index);
  const features = await vscode.window.showQuickPick(featureItems, {
    title: `New Model from ${base} (2/5): the input features`,
    placeHolder: 'Inputs of the network (categorical columns are one-hot encoded)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!features || features.length === 0) return undefined;
  const hiddenText = await vscode.window.showInputBox({
    title: `New Model from ${base} (3/5): hidden layers`,
    prompt: 'Neurons per hidden layer, comma-separated (empty: no hidden layer, a single-layer perceptron)',
    value: '8',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || /^\s*\d+(\s*,\s*\d+)*\s*$/.test(v) && v.split(',').every((n) => Number(n) >= 1 && Number(n) <= 4096) ? undefined : 'Whole numbers from 1 to 4096, e.g. 8,8'),
  });
  if (hiddenText === undefined) return undefined;
  const hidden = hiddenText.trim() === '' ? [] : hiddenText.split(',').map((n) => Number(n.trim()));
  let activation: ActivationName = 'relu';
  if (hidden.length > 0) {
    const pick = await vscode.window.showQuickPick(
      ACTIVATION_NAMES.filter((a) => a !== 'softmax').map((a) => ({ label: a, picked: a === 'relu' })),
      { title: `New Model from ${base} (4/5): hidden activation`, placeHolder: 'σ of the hidden layers', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    activation = pick.label as ActivationName;
  }
  const stem = base.replace(/\.[^.]+$/, '');
  const name = await vscode.window.showInputBox({
    title: `New Model from ${base} (5/5): name`,
    prompt: `The model is written to NAME.mlp.json beside ${base}`,
    value: stem,
    ignoreFocusOut: true,
    validateInput: (v) => (/^[^\\/:*?"<>|]+$/.test(v.trim()) ? undefined : 'A file name without / \\ : * ? " < > |'),
  });
  if (!name) return undefined;
  const out = path.join(dir, `${name.trim()}.mlp.json`);

  // Load once with the chosen columns: it checks them and tells the encoded widths.
  const data = { path: base, features: features.map((f) => f.label), target: [target.label], normalize: 'standard' as const, validationSplit: 0.2, seed: 1 };
  let prepared;
  try {
    prepared = await loadData(data, { baseDir: dir, files: nodeFileAccess });
  } catch (err) {
    void vscode.window.showErrorMessage(`MLP Inspector: ${(err as Error).message}`);
    return undefined;
  }
  const classification = prepared.task === 'classification';
  const configured = vscode.workspace.getConfiguration('mlpInspector').get<string>('defaultInitializer', 'xavier');
  const model: ModelFile = {
    name: name.trim(),
    description: `Predicts ${target.label} from ${features.length} column${features.length === 1 ? '' : 's'} of ${base}.`,
    layers: [{ units: prepared.nIn }, ...hidden.map((units) => ({ units, activation })), { units: prepared.nOut, activation: classification ? 'softmax' : 'identity' }],
    loss: classification ? 'cross_entropy' : 'mse',
    init: { weights: isInitializerName(configured) ? configured : 'xavier', seed: 1 },
    optimizer: { type: 'adam', learningRate: 0.01, batchSize: 32, shuffle: true, epochs: 100 },
    data,
  };
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(out));
    const choice = await vscode.window.showWarningMessage(`${path.basename(out)} exists. Replace it?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return undefined;
  } catch {
    // does not exist: fine
  }
  await writeFileAtomic(out, serializeModel(model));
  return vscode.Uri.file(out);
}

/** A data file from the workspace, or (with no folder open, or "Browse…") from anywhere. */
/** A data file from the workspace (or "Browse…"); `title` names the command asking. */
export async function pickDataFile(title = 'New Model from Dataset', placeHolder = 'The data file to learn from'): Promise<vscode.Uri | undefined> {
  const files = (await vscode.workspace.findFiles(DATA_GLOB, '**/{node_modules,.git,.cache}/**', 500)).filter((u) => !u.fsPath.endsWith('.mlp.json'));
  if (files.length === 0) return browseDataFile(title, placeHolder);
  const browse = { label: '$(folder-opened) Browse…', description: 'a data file outside the workspace', uri: undefined };
  const pick = await vscode.window.showQuickPick(
    [...files.map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), uri: u as vscode.Uri | undefined })), browse],
    { title, placeHolder, ignoreFocusOut: true },
  );
  if (pick === browse) return browseDataFile(title, placeHolder);
  return pick?.uri;
}

async function browseDataFile(title: string, placeHolder: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `${title}: ${placeHolder.charAt(0).toLowerCase()}${placeHolder.slice(1)}`,
    openLabel: 'Use This Data',
    canSelectMany: false,
    filters: { 'Data sets': ['csv', 'tsv', 'json', 'jsonl', 'ndjson'] },
  });
  return picked?.[0];
}
