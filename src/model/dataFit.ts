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
export function dataMismatch(model: ModelFile, data: DataShape): string | undefined {
  const n0 = model.layers[0].units;
  const nL = model.layers[model.layers.length - 1].units;
  const s = (n: number) => (n === 1 ? '' : 's');
  if (data.nIn !== n0) {
    return `the data has ${data.nIn} input value${s(data.nIn)} per row (${data.inputNames.join(', ')}), but the model's input layer has ${n0} unit${s(n0)}`;
  }
  if (data.nOut !== nL) {
    return `the data has ${data.nOut} target value${s(data.nOut)} per row (${data.outputNames.join(', ')}), but the model's output layer has ${nL} unit${s(nL)}`;
  }
  return undefined;
}
