/**
 * The input normalization a trained model carries (`normalization`, written by `train --out` and
 * Save Model): the network was trained on normalized inputs, so a raw input must go through the
 * same map before the first layer, exactly as in training.
 */
import type { NormalizationSpec } from '../data/normalization';
import { isObject } from '../engine/jsonValue';
import type { ModelFile } from './modelFile';

/**
 * The model's saved normalization, checked (method, and one finite offset and scale per input
 * unit); undefined when it has none or it is `none`. Throws a RangeError naming what is wrong.
 */
export function savedNormalization(model: ModelFile): NormalizationSpec | undefined {
  const n = model.normalization;
  if (n === undefined) return undefined;
  const n0 = model.layers[0].units;
  if (!isObject(n) || typeof n.method !== 'string') throw new RangeError('"normalization" must be an object with a "method"');
  if (n.method === 'none') return undefined;
  const numbers = (key: string, positive: boolean): number[] => {
    const v = n[key];
    if (!Array.isArray(v) || v.length !== n0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0))) {
      throw new RangeError(`"normalization.${key}" must be ${n0} finite numbers${positive ? ' > 0' : ''}, one per input unit`);
    }
    return v as number[];
  };
  const inputNames = Array.isArray(n.inputNames) && n.inputNames.length === n0 ? (n.inputNames as string[]) : Array.from({ length: n0 }, (_, k) => `x${k}`);
  if (n.method === 'standard') return { method: 'standard', inputNames, mean: numbers('mean', false), std: numbers('std', true) };
  if (n.method === 'minmax') {
    const min = numbers('min', false);
    const max = numbers('max', false);
    if (max.some((hi, k) => !(hi > min[k]))) throw new RangeError('"normalization.max" must be above "normalization.min" for every input');
    return { method: 'minmax', inputNames, min, max };
  }
  throw new RangeError(`unknown normalization method ${JSON.stringify(n.method)}; expected "standard", "minmax" or "none"`);
}

/**
 * The normalization a trained model's data must use: its saved one (including `none`) when the
 * model has parameters, so the weights keep seeing the inputs they were trained (or imported)
 * with; undefined for a model without parameters or without a usable saved normalization, whose
 * data fits its own.
 */
export function fixedNormalization(model: ModelFile): NormalizationSpec | undefined {
  if (!model.parameters) return undefined;
  const n = model.normalization;
  if (!isObject(n)) return undefined;
  try {
    if (n.method === 'none') {
      const n0 = model.layers[0].units;
      return { method: 'none', inputNames: Array.isArray(n.inputNames) && n.inputNames.length === n0 ? (n.inputNames as string[]) : Array.from({ length: n0 }, (_, k) => `x${k}`) };
    }
    return savedNormalization(model);
  } catch {
    return undefined;
  }
}
