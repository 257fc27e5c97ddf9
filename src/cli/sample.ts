import { fromRows, row, type Matrix } from '../engine/matrix';
import { normalizeInPlace } from '../data/normalization';
import { savedNormalization } from '../model/savedNormalization';
import { savedFeatures } from '../model/savedFeatures';
import type { ModelFile } from '../model/modelFile';
import { numberListOption, type ParsedArgs } from './args';
import { CliError } from './cliError';

/**
 * The `--input` vector as a batch of one, checked against the input layer's size: raw values, as
 * in the data file, widened with the model's engineered features (src/model/savedFeatures.ts)
 * and put through its saved normalization when it has them, exactly as in training, so that the
 * batch is a[0]. `engineered` (raw inputs and features) and `normalized` say which applied.
 */
export function inputBatch(args: ParsedArgs, model: ModelFile): Matrix & { normalized: boolean; engineered?: number[] } {
  const x = numberListOption(args, 'input');
  if (!x) throw new CliError('missing --input, e.g. --input 1,0');
  let spec;
  let features;
  try {
    spec = savedNormalization(model);
    features = savedFeatures(model);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const n0 = model.layers[0].units;
  const raw = features?.rawUnits ?? n0;
  const what = features ? `raw input${raw === 1 ? '' : 's'} (the input layer's ${n0} units less the ${n0 - raw} engineered from them)` : `unit${n0 === 1 ? '' : 's'}`;
  if (x.length !== raw) throw new CliError(`--input has ${x.length} value${x.length === 1 ? '' : 's'}, but the ${features ? 'model takes' : 'input layer has'} ${raw} ${what}`);
  const widened = features ? features.expand(Float64Array.from(x)) : undefined;
  const batch = fromRows([widened ? Array.from(widened) : x]);
  if (spec) normalizeInPlace(spec, batch.data);
  return { ...batch, normalized: spec !== undefined, ...(widened ? { engineered: Array.from(widened) } : {}) };
}

/** The `--target` vector (already encoded: one-hot for classes) as a batch of one. */
export function targetBatch(args: ParsedArgs, model: ModelFile): Matrix {
  const y = numberListOption(args, 'target');
  if (!y) throw new CliError('missing --target, e.g. --target 1 (one-hot for classes: --target 0,1,0)');
  const nL = model.layers[model.layers.length - 1].units;
  if (y.length !== nL) throw new CliError(`--target has ${y.length} value${y.length === 1 ? '' : 's'}, but the output layer has ${nL} unit${nL === 1 ? '' : 's'}`);
  return fromRows([y]);
}

/** Row 0 of a batch-of-one matrix as a plain array (for JSON). */
export function first(m: Matrix): number[] {
  return row(m, 0);
}
