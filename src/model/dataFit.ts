import type { ModelFile } from './modelFile';

/** The widths of prepared data that matter to a network. */
export interface DataShape {
  readonly nIn: number;
  readonly nOut: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/**
 * Why this data cannot feed this model (its encoded widths differ from the input or output
 * layer), or undefined when it fits. The message lists the encoded names, since one-hot
 * encoding makes the width differ from the number of columns.
 */
export function dataMismatch(model: ModelFile, data: DataShape & { readonly train?: { readonly y: Float64Array; readonly rows: number } }): string | undefined {
  const n0 = model.layers[0].units;
  const nL = model.layers[model.layers.length - 1].units;
  const s = (n: number) => (n === 1 ? '' : 's');
  if (data.nIn !== n0) {
    return `the data has ${data.nIn} input value${s(data.nIn)} per row (${data.inputNames.join(', ')}), but the model's input layer has ${n0} unit${s(n0)}`;
  }
  if (data.nOut !== nL) {
    return `the data has ${data.nOut} target value${s(data.nOut)} per row (${data.outputNames.join(', ')}), but the model's output layer has ${nL} unit${s(nL)}`;
  }
  return data.train ? targetProblem(model.loss, data.train.y, data.train.rows, data.nOut) : undefined;
}

/**
 * Targets a loss cannot take: cross-entropy compares a distribution over classes with a one-hot
 * target, binary cross-entropy a probability with a target in [0, 1]; anything else trains on a
 * number that is not the loss the lecture defines (and logs of negative numbers). Names the first
 * training row that breaks the rule and says what to use instead.
 */
export function targetProblem(loss: string, y: Float64Array, rows: number, nOut: number): string | undefined {
  const row = (r: number) => `(${Array.from(y.subarray(r * nOut, (r + 1) * nOut), (v) => String(v)).join(', ')})`;
  if (loss === 'cross_entropy') {
    for (let r = 0; r < rows; r++) {
      let ones = 0;
      let others = false;
      for (let j = 0; j < nOut; j++) {
        const v = y[r * nOut + j];
        if (v === 1) ones++;
        else if (v !== 0) others = true;
      }
      const ok = nOut === 1 ? !others : ones === 1 && !others;
      if (!ok) return `"cross_entropy" needs one-hot targets (one 1, the rest 0), but training row ${r} has ${row(r)}: use "mse" for real-valued targets, or a categorical target column`;
    }
  } else if (loss === 'binary_cross_entropy') {
    for (let r = 0; r < rows * nOut; r++) {
      const v = y[r];
      if (!(v >= 0 && v <= 1)) return `"binary_cross_entropy" needs targets in [0, 1], but training row ${Math.floor(r / nOut)} has ${row(Math.floor(r / nOut))}: use "mse" for other values`;
    }
  }
  return undefined;
}
