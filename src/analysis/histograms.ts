/**
 * Distributions inside the network, per layer: histograms of the weights W[l], the activations
 * a[l] and the gradients dL/dW[l], with their mean and standard deviation; the ReLU units that
 * are dead on a batch; and how saturated the sigmoid and tanh units are.
 *
 * Definitions (the panel shows them as they are written here):
 * - **Histogram**: `bins` equal bins over [lo, hi]. Bin k holds lo + k·w ≤ v < lo + (k+1)·w with
 *   w = (hi − lo)/bins; the last bin also holds v = hi. Values outside [lo, hi] are counted in the
 *   nearest edge bin (and tallied in `below`/`above`), so the counts sum to the number of finite
 *   values. NaN and ±∞ are left out and tallied in `nonFinite`.
 * - **Robust range**: unless a range is given, [lo, hi] is from the `tail` quantile to the
 *   1 − `tail` quantile (default 0.5 % and 99.5 %), so one huge weight does not squash every
 *   other value into a single bin.
 * - **Mean and std** are over all finite values; std is the population standard deviation
 *   (divide by n), the spread of exactly these values.
 * - **Dead ReLU unit**: a unit j of a ReLU layer whose a[l]_j is 0 for every sample of the batch.
 *   There σ′ = 0, so no gradient reaches its incoming weights and it cannot come back on this
 *   batch. Only ReLU layers have such units (leaky ReLU, ELU and GELU never output a flat 0).
 * - **Saturated sigmoid/tanh unit**: a value z where σ′(z) < d (default d = 0.01: the gradient
 *   through the unit is cut to under 1 % of tanh's best, under 4 % of the sigmoid's best ¼).
 *   That is |z| > 4.5849 for the sigmoid and |z| > 2.9932 for tanh (`saturationThreshold`).
 */
import type { Matrix } from '../engine/matrix';
import type { BackwardPass, ForwardPass, Network } from '../engine/network';

/** How a histogram is binned. */
export interface HistogramOptions {
  /** Number of bins. Default 30. */
  readonly bins?: number;
  /** A fixed [lo, hi] (e.g. the same axis for every epoch); default: the robust range. */
  readonly range?: readonly [number, number];
  /** The fraction cut from each end for the robust range. Default 0.005; 0 gives [min, max]. */
  readonly tail?: number;
}

/** A histogram of a set of values, with its summary statistics. */
export interface Histogram {
  /** The left edge of bin 0. */
  readonly lo: number;
  /** The right edge of the last bin. */
  readonly hi: number;
  /** counts[k]: values in bin k (edge bins include the values beyond the range). */
  readonly counts: Int32Array;
  /** Values below lo (counted in bin 0). */
  readonly below: number;
  /** Values above hi (counted in the last bin). */
  readonly above: number;
  /** Finite values: the sum of `counts`. */
  readonly count: number;
  /** NaN and ±∞ values, left out of everything else. */
  readonly nonFinite: number;
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/** The histogram of `values`; an empty set gives zero counts, NaN mean/std and the range [0, 1]. */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`a histogram needs a whole number of bins ≥ 1, got ${bins}`);
  const tail = options.tail ?? 0.005;
  if (!(tail >= 0 && tail < 0.5)) throw new RangeError(`the tail must be in [0, 0.5), got ${tail}`);

  const finite = new Float64Array(values.length);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      finite[n++] = v;
      sum += v;
    }
  }
  const nonFinite = values.length - n;
  const counts = new Int32Array(bins);
  if (n === 0) {
    const [lo, hi] = options.range ?? [0, 1];
    return { lo, hi, counts, below: 0, above: 0, count: 0, nonFinite, mean: NaN, std: NaN, min: NaN, max: NaN };
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (finite[i] - mean) ** 2;
  const std = Math.sqrt(sq / n);

  const sorted = finite.subarray(0, n).sort();
  const min = sorted[0];
  const max = sorted[n - 1];
  let [lo, hi] = options.range ?? [quantile(sorted, tail), quantile(sorted, 1 - tail)];
  if (!(hi > lo)) {
    // Every value the same (a zero-initialized layer): a unit-wide range centred on it.
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  let below = 0;
  let above = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i];
    let k: number;
    if (v < lo) {
      below++;
      k = 0;
    } else if (v > hi) {
      above++;
      k = bins - 1;
    } else k = Math.min(bins - 1, Math.floor((v - lo) / width));
    counts[k]++;
  }
  return { lo, hi, counts, below, above, count: n, nonFinite, mean, std, min, max };
}

/** The p-quantile of sorted values, interpolating linearly between order statistics. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = p * (n - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[n - 1];
}

/** Layer l's distributions. */
export interface LayerDistribution {
  /** l, 1-based. */
  readonly l: number;
  readonly activation: string;
  /** W[l]'s entries. */
  readonly weights: Histogram;
  /** b[l]'s entries. */
  readonly biases: Histogram;
  /** a[l] over the batch (every sample, every unit). */
  readonly activations: Histogram;
  /** dL/dW[l]'s entries, when a backward pass is given. */
  readonly gradients?: Histogram;
}

/** Dead units of layer l on a batch. */
export interface DeadUnits {
  readonly l: number;
  readonly activation: string;
  /** n_l. */
  readonly units: number;
  /** True for ReLU layers, the only ones whose units can die. */
  readonly applies: boolean;
  /** The indices j of the units whose a[l]_j is 0 for every sample (empty where it does not apply). */
  readonly dead: number[];
}

/** Saturation of layer l's sigmoid or tanh units on a batch. */
export interface Saturation {
  readonly l: number;
  readonly activation: string;
  /** True for sigmoid and tanh layers. */
  readonly applies: boolean;
  /** |z| beyond which σ′(z) < d; NaN where it does not apply. */
  readonly threshold: number;
  /** The fraction of all (sample, unit) values with |z| > threshold. */
  readonly fraction: number;
  /** Per unit j, the fraction of samples with |z[l]_j| > threshold. */
  readonly perUnit: Float64Array;
  /** Units saturated on every sample of the batch. */
  readonly saturatedUnits: number;
}

/** Everything the distributions view shows for one batch (say, once per epoch). */
export interface DistributionSnapshot {
  readonly layers: LayerDistribution[];
  readonly dead: DeadUnits[];
  readonly saturation: Saturation[];
}

/** The default d in "σ′(z) < d" for saturation. */
export const SATURATION_DERIVATIVE = 0.01;

/**
 * The |z| beyond which σ′(z) < d, for the sigmoid (σ′ = s(1 − s), at most ¼, so d < ¼) or tanh
 * (σ′ = 1 − tanh², at most 1, so d < 1). Solved in closed form: s = (1 + √(1 − 4d))/2,
 * z = ln(s/(1 − s)) for the sigmoid; z = atanh(√(1 − d)) for tanh.
 */
export function saturationThreshold(activation: 'sigmoid' | 'tanh', d = SATURATION_DERIVATIVE): number {
  if (activation === 'sigmoid') {
    if (!(d > 0 && d < 0.25)) throw new RangeError(`the sigmoid's σ′ is at most ¼; d must be in (0, ¼), got ${d}`);
    const s = (1 + Math.sqrt(1 - 4 * d)) / 2;
    return Math.log(s / (1 - s));
  }
  if (!(d > 0 && d < 1)) throw new RangeError(`tanh's σ′ is at most 1; d must be in (0, 1), got ${d}`);
  return Math.atanh(Math.sqrt(1 - d));
}

/** Histograms of W[l], b[l], a[l] (and dL/dW[l] when `grads` is given) for every layer. */
export function layerDistributions(net: Network, pass: ForwardPass, grads?: BackwardPass, options: HistogramOptions = {}): LayerDistribution[] {
  return net.layers.map((layer, k) => {
    const l = k + 1;
    const base = {
      l,
      activation: layer.activationName,
      weights: histogram(layer.W.data, options),
      biases: histogram(layer.b, options),
      activations: histogram(pass.a[l].data, options),
    };
    return grads ? { ...base, gradients: histogram(grads.dLdW[l].data, options) } : base;
  });
}

/** The dead units of every layer l = 1..L on the batch of `pass`. */
export function deadUnits(net: Network, pass: ForwardPass): DeadUnits[] {
  return net.layers.map((layer, k) => {
    const l = k + 1;
    const units = layer.nOut;
    const applies = layer.activationName === 'relu';
    const dead: number[] = [];
    if (applies) {
      const a = pass.a[l];
      for (let j = 0; j < units; j++) {
        let alive = false;
        for (let r = 0; r < a.rows && !alive; r++) if (a.data[r * units + j] !== 0) alive = true;
        if (!alive && a.rows > 0) dead.push(j);
      }
    }
    return { l, activation: layer.activationName, units, applies, dead };
  });
}

/** The saturation of every layer l = 1..L on the batch of `pass`, with σ′(z) < d as the criterion. */
export function saturation(net: Network, pass: ForwardPass, d = SATURATION_DERIVATIVE): Saturation[] {
  return net.layers.map((layer, k) => {
    const l = k + 1;
    const name = layer.activationName;
    const units = layer.nOut;
    const perUnit = new Float64Array(units);
    if (name !== 'sigmoid' && name !== 'tanh') {
      return { l, activation: name, applies: false, threshold: NaN, fraction: 0, perUnit, saturatedUnits: 0 };
    }
    const threshold = saturationThreshold(name, d);
    const z: Matrix = pass.z[l];
    let total = 0;
    for (let r = 0; r < z.rows; r++) {
      for (let j = 0; j < units; j++) {
        if (Math.abs(z.data[r * units + j]) > threshold) {
          perUnit[j]++;
          total++;
        }
      }
    }
    let saturatedUnits = 0;
    for (let j = 0; j < units; j++) {
      if (z.rows > 0 && perUnit[j] === z.rows) saturatedUnits++;
      perUnit[j] = z.rows > 0 ? perUnit[j] / z.rows : 0;
    }
    const fraction = z.rows > 0 ? total / (z.rows * units) : 0;
    return { l, activation: name, applies: true, threshold, fraction, perUnit, saturatedUnits };
  });
}

/** Histograms, dead units and saturation for one batch, in one call. */
export function distributionSnapshot(net: Network, pass: ForwardPass, grads?: BackwardPass, options: HistogramOptions & { saturationDerivative?: number } = {}): DistributionSnapshot {
  return {
    layers: layerDistributions(net, pass, grads, options),
    dead: deadUnits(net, pass),
    saturation: saturation(net, pass, options.saturationDerivative ?? SATURATION_DERIVATIVE),
  };
}
