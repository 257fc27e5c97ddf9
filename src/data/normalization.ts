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
    if (rows === 0) return { method, inputNames, mean, std };
    // Row by row (the array's order, so memory is read once per pass), each column summing its
    // rows in the same order as a column-by-column loop would: the same sums, bit for bit.
    const sum = new Float64Array(nIn);
    for (let r = 0, i = 0; r < rows; r++) for (let k = 0; k < nIn; k++, i++) sum[k] += x[i];
    const m = sum.map((s) => s / rows);
    const ss = new Float64Array(nIn); // two-pass, so a large offset does not cancel the variance away
    for (let r = 0, i = 0; r < rows; r++) {
      for (let k = 0; k < nIn; k++, i++) {
        const d = x[i] - m[k];
        ss[k] += d * d;
      }
    }
    for (let k = 0; k < nIn; k++) {
      if (!scaled[k]) continue;
      const s = Math.sqrt(ss[k] / rows);
      mean[k] = m[k];
      std[k] = s > 0 ? s : 1;
    }
    return { method, inputNames, mean, std };
  }
  const min = new Array<number>(nIn).fill(0);
  const max = new Array<number>(nIn).fill(1);
  if (rows === 0) return { method, inputNames, min, max };
  const lo = new Float64Array(nIn).fill(Infinity);
  const hi = new Float64Array(nIn).fill(-Infinity);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let k = 0; k < nIn; k++, i++) {
      const v = x[i];
      if (v < lo[k]) lo[k] = v;
      if (v > hi[k]) hi[k] = v;
    }
  }
  for (let k = 0; k < nIn; k++) {
    if (!scaled[k]) continue;
    min[k] = lo[k];
    max[k] = hi[k] > lo[k] ? hi[k] : lo[k] + 1;
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
  for (let i = 0; i < x.length; ) {
    for (let k = 0; k < nIn; k++, i++) x[i] = (x[i] - offset[k]) / scale[k];
  }
  return x;
}

/** Returns a normalized copy of `x` (one new input of nIn values, or several rows of them). */
export function applyNormalization(spec: NormalizationSpec, x: Float64Array): Float64Array {
  return normalizeInPlace(spec, Float64Array.from(x));
}
