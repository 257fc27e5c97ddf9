import { fromRows, row, type Matrix } from '../engine/matrix';
import type { ModelFile } from '../model/modelFile';
import { numberListOption, type ParsedArgs } from './args';
import { CliError } from './cliError';

/** The `--input` vector as a batch of one, checked against the input layer's size. */
export function inputBatch(args: ParsedArgs, model: ModelFile): Matrix {
  const x = numberListOption(args, 'input');
  if (!x) throw new CliError('missing --input, e.g. --input 1,0');
  const n0 = model.layers[0].units;
  if (x.length !== n0) throw new CliError(`--input has ${x.length} value${x.length === 1 ? '' : 's'}, but the input layer has ${n0} unit${n0 === 1 ? '' : 's'}`);
  return fromRows([x]);
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
