/**
 * From typed columns to tensors: pick the task, one-hot encode categories, split, impute,
 * normalize. Rows are copied out in file order and each stored block is given back to the system
 * as soon as its rows are out, while the split arrays' pages are only touched as they are filled:
 * so the two never coexist in full, and the peak stays near the size of the tensors.
 */
import { release } from './blocks';
import { DataError, quote } from './dataError';
import type { DataSpec } from './dataSpec';
import { resolveEngineered, withEngineered } from './engineeredFeatures';
import { fitNormalization, normalizeInPlace, type NormalizationSpec } from './normalization';
import type { PreparedData, Split } from './preparedData';
import { TEST, TRAIN, VALIDATION, assignSplits } from './split';
import { BLOCK_MASK, BLOCK_SHIFT, type StoredColumn, type Table } from './tableBuilder';

export function prepare(table: Table, spec: DataSpec, source: string, fixed?: NormalizationSpec): PreparedData {
  const { file, features, targets } = table;
  const rows = table.rows;
  if (rows === 0) {
    throw new DataError(`no rows left: all ${table.rowsRead} rows have missing values`, file, table.headerLine);
  }

  // The task.
  const categoricalTargets = targets.filter((t) => t.type === 'categorical');
  if (categoricalTargets.length > 0 && targets.length > 1) {
    const t = categoricalTargets[0];
    throw new DataError(
      `target column ${quote(t.name)} holds class labels; a class target must be the only target column`,
      file, t.headerLocation.line, t.headerLocation.column,
    );
  }
  const task = categoricalTargets.length === 1 ? 'classification' : 'regression';
  const classes = task === 'classification' ? targets[0].categories : undefined;
  if (classes && classes.length < 2) {
    const t = targets[0];
    throw new DataError(
      `target column ${quote(t.name)} has only one class (${quote(classes[0] ?? '')}); a classifier needs at least two`,
      file, t.headerLocation.line, t.headerLocation.column,
    );
  }
  const outputNames = classes ? [...classes] : targets.map((t) => t.name);
  const nOut = outputNames.length;

  // The input units.
  const inputNames: string[] = [];
  const scaled: boolean[] = [];
  const offsets: number[] = [];
  for (const f of features) {
    offsets.push(inputNames.length);
    if (f.type === 'numeric') {
      inputNames.push(f.name);
      scaled.push(true);
    } else {
      for (const c of f.categories) {
        inputNames.push(`${f.name}=${c}`);
        scaled.push(false);
      }
    }
  }
  let nIn = inputNames.length;

  // The split.
  const targetCodes = classes ? (targets[0].codes as Int32Array[]) : undefined;
  const assign = assignSplits(
    rows,
    spec.validationSplit ?? 0,
    spec.testSplit ?? 0,
    spec.seed ?? 0,
    targetCodes ? (r) => targetCodes[r >>> BLOCK_SHIFT][r & BLOCK_MASK] : undefined,
    classes?.length ?? 1,
  );
  const counts = [0, 0, 0];
  for (let r = 0; r < rows; r++) counts[assign[r]]++;
  if (counts[TRAIN] === 0) {
    throw new DataError(`validationSplit and testSplit leave no training rows out of ${rows}`, file);
  }
  const splits: Split[] = counts.map((n) => ({
    x: new Float64Array(n * nIn),
    y: new Float64Array(n * nOut),
    rows: n,
    sourceLines: new Int32Array(n),
  }));

  // Copy rows out, block by block, releasing each block once done (see blocks.ts for why released
  // rather than just dropped).
  const filled = [0, 0, 0];
  for (let r = 0; r < rows; r++) {
    const b = r >>> BLOCK_SHIFT;
    const o = r & BLOCK_MASK;
    const s = assign[r];
    const dst = splits[s];
    const i = filled[s]++;
    dst.sourceLines[i] = (table.lines[b] as Int32Array)[o];
    const xBase = i * nIn;
    for (let c = 0; c < features.length; c++) writeInput(features[c], b, o, dst.x, xBase + offsets[c]);
    const yBase = i * nOut;
    if (classes) {
      dst.y[yBase + (targets[0].codes as Int32Array[])[b][o]] = 1;
    } else {
      for (let t = 0; t < nOut; t++) dst.y[yBase + t] = (targets[t].num as Float64Array[])[b][o];
    }
    if (o === BLOCK_MASK || r === rows - 1) {
      release(table.lines[b]);
      table.lines[b] = undefined;
      for (const col of [...features, ...targets]) {
        if (col.num) {
          release(col.num[b]);
          col.num[b] = undefined;
        }
        if (col.codes) {
          release(col.codes[b]);
          col.codes[b] = undefined;
        }
      }
    }
  }

  if (spec.missing === 'mean') imputeMeans(splits, nIn, inputNames, file);
  // Engineered features, from the raw (imputed) inputs, before normalization.
  if (spec.engineered && spec.engineered.length > 0) {
    let engineered;
    try {
      engineered = resolveEngineered(spec.engineered, inputNames);
    } catch (err) {
      throw new DataError(`"data.engineered": ${(err as Error).message}`, file);
    }
    for (const split of splits) split.x = withEngineered(split.x, nIn, engineered);
    for (const { feature } of engineered) {
      inputNames.push(feature.name);
      scaled.push(true);
    }
    nIn = inputNames.length;
  }
  // A trained model's own normalization when it fits these inputs; else fitted on this training split.
  const normalization: NormalizationSpec =
    fixed && fixed.inputNames.length === nIn ? { ...fixed, inputNames } : fitNormalization(spec.normalize ?? 'standard', splits[TRAIN].x, inputNames, scaled);
  for (const split of splits) normalizeInPlace(normalization, split.x);

  const result: PreparedData = {
    task,
    inputNames,
    outputNames,
    featureColumns: features.map((f) => f.name),
    targetColumns: targets.map((t) => t.name),
    train: splits[TRAIN],
    nIn,
    nOut,
    normalization,
    summary: {
      source,
      rowsRead: table.rowsRead,
      rowsDropped: table.rowsDropped,
      columns: table.header.map((name, i) => ({ name, type: table.columnTypes[i] })),
    },
  };
  if (classes) result.classes = [...classes];
  if (splits[VALIDATION].rows > 0) result.validation = splits[VALIDATION];
  if (splits[TEST].rows > 0) result.test = splits[TEST];
  return result;
}

/** Writes one feature's unit(s) for one row; a missing cell becomes NaN, to be imputed or refused. */
function writeInput(col: StoredColumn, b: number, o: number, x: Float64Array, at: number): void {
  if (col.num) {
    x[at] = (col.num[b] as Float64Array)[o];
    return;
  }
  const code = (col.codes as Int32Array[])[b][o];
  if (code >= 0) x[at + code] = 1;
  else for (let k = 0; k < col.categories.length; k++) x[at + k] = NaN;
}

/**
 * `missing: "mean"`: each missing input becomes the training split's mean of that unit (for a
 * one-hot unit, the frequency of that category), so nothing leaks from validation or test.
 */
function imputeMeans(splits: Split[], nIn: number, inputNames: string[], file: string): void {
  const train = splits[TRAIN];
  const sum = new Float64Array(nIn);
  const count = new Float64Array(nIn);
  for (let i = 0; i < train.x.length; i++) {
    const v = train.x[i];
    if (!Number.isNaN(v)) {
      sum[i % nIn] += v;
      count[i % nIn]++;
    }
  }
  for (let k = 0; k < nIn; k++) {
    if (count[k] === 0) throw new DataError(`input ${quote(inputNames[k])} has no values in the training split to take a mean of`, file);
  }
  for (const split of splits) {
    for (let i = 0; i < split.x.length; i++) {
      if (Number.isNaN(split.x[i])) split.x[i] = sum[i % nIn] / count[i % nIn];
    }
  }
}
