import { fromRows, row, type Matrix } from '../engine/matrix';
import { normalizeInPlace } from '../data/normalization';
import { savedNormalization } from '../model/savedNormalization';
import type { ModelFile } from '../model/modelFile';
import { numberListOption, type ParsedArgs } from './args';
import { CliError } from './cliError';

/**
 * The `--input` vector as a batch of one, checked against the input layer's size: raw values, as
 * in the data file, put through the model's saved normalization when it has one (a trained model
 * saw its inputs normalized), so `normalized` is what a[0] is. Without one they are used as given.
 */
export function inputBatch(args: ParsedArgs, model: ModelFile): Matrix & { normalized: boolean } {
  const x = numberListOption(args, 'input');
  if (!x) throw new CliError('missing --input, e.g. --input 1,0');
  const n0 = model.layers[0].units;
  if (x.length !== n0) throw new CliError(`--input has ${x.length} value${x.length === 1 ? '' : 's'}, but the input layer has ${n0} unit${n0 === 1 ? '' : 's'}`);
  let spec;
  try {
    spec = savedNormalization(model);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const batch = fromRows([x]);
  if (spec) normalizeInPlace(spec, batch.data);
  return { ...batch, normalized: spec !== undefined };
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
