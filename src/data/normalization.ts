/**
 * Input normalization: fitted on the training split only, stored as plain JSON with the model,
 * and applied the same way to validation, test and every new input.
 *
 * - `standard`: x' = (x − mean) / std, std being the population standard deviation (÷ n).
 * - `minmax`:   x' = (x − min) / (max − min), mapping the training range onto [0, 1].
 * - `none`:     x' = x.
 * One-hot units are left as 0/1 (their entries are the identity: mean 0 and std 1, or min 0 and
 * max 1), and so is a constant column (std 1, or range 1), which would otherwise divide by zero.
 */

export type NormalizationSpec =
  | { method: 'none'; inputNames: string[] }
  | { method: 'standard'; inputNames: string[]; mean: number[]; std: number[] }
  | { method: 'minmax'; inputNames: string[]; min: number[]; max: number[] };

/**
 * Fits `method` on the rows of `x` (rows × nIn, row-major). `scaled[k]` false marks input k as
 * left unscaled (a one-hot unit).
 */
export function fitNormalization(
  method: NormalizationSpec['method'],
  x: Float64Array,
  inputNames: string[],
  scaled: readonly boolean[],
): NormalizationSpec {
  const nIn = inputNames.length;
  const rows = nIn === 0 ? 0 : x.length / nIn;
  if (method === 'none') return { method, inputNames };
  if (method === 'standard') {
    const mean = new Array<number>(nIn).fill(0);
    const std = new Array<number>(nIn).fill(1);
    for (let k = 0; k < nIn; k++) {
      if (!scaled[k] || rows === 0) continue;
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += x[r * nIn + k];
      const m = sum / rows;
      let ss = 0; // two-pass, so a large offset does not cancel the variance away
      for (let r = 0; r < rows; r++) {
        const d = x[r * nIn + k] - m;
        ss += d * d;
      }
      const s = Math.sqrt(ss / rows);
      mean[k] = m;
      std[k] = s > 0 ? s : 1;
    }
    return { method, inputNames, mean, std };
  }
  const min = new Array<number>(nIn).fill(0);
  const max = new Array<number>(nIn).fill(1);
  for (let k = 0; k < nIn; k++) {
    if (!scaled[k] || rows === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = x[r * nIn + k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[k] = lo;
    max[k] = hi > lo ? hi : lo + 1;
  }
  return { method, inputNames, min, max };
}

/** Normalizes `x` (one input, or rows × nIn row-major) in place. */
export function normalizeInPlace(spec: NormalizationSpec, x: Float64Array): Float64Array {
  const nIn = spec.inputNames.length;
  if (spec.method === 'none' || nIn === 0) return x;
  if (x.length % nIn !== 0) {
    throw new RangeError(`normalization expects a multiple of ${nIn} values, got ${x.length}`);
  }
  const offset = spec.method === 'standard' ? spec.mean : spec.min;
  const scale = spec.method === 'standard' ? spec.std : spec.max.map((hi, k) => hi - spec.min[k]);
  for (let i = 0; i < x.length; i++) {
    const k = i % nIn;
    x[i] = (x[i] - offset[k]) / scale[k];
  }
  return x;
}

/** Returns a normalized copy of `x` (one new input of nIn values, or several rows of them). */
export function applyNormalization(spec: NormalizationSpec, x: Float64Array): Float64Array {
  return normalizeInPlace(spec, Float64Array.from(x));
}
