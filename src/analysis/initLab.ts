/**
 * The initialization lab: for one architecture, how each initializer sets up the signal at step 0.
 * Per layer, the mean and variance of z[l], a[l] and of the gradients dL/dz[l] and dL/dW[l], and
 * whether the hidden units of a layer are still identical copies of one another (the symmetry
 * that zero initialization never breaks).
 *
 * The measurement, so that the numbers mean the same for every architecture:
 * - inputs: a batch of x drawn i.i.d. from N(0, 1) (the scale normalized data has);
 * - the backward pass starts from dL/dŷ drawn i.i.d. from N(0, 1), whatever the model's loss, so
 *   the gradient figures show how the layers scale a unit-size error signal on its way back
 *   (the quantity Glorot and He analyse), not the size of some particular loss;
 * - dL/dW[l] is averaged over the batch (a[l−1]ᵀ dL/dz[l] / m), so it does not grow with m;
 * - each figure is pooled over `seeds` networks (seeds firstSeed, firstSeed + 1, …), each with
 *   its own input batch.
 */
import type { ActivationName } from '../engine/activations';
import { describeInitializer, type InitializerName } from '../engine/initializers';
import { zeros, type Matrix } from '../engine/matrix';
import { backward, createNetwork, forward, type LayerSpec } from '../engine/network';
import { Random, mixSeeds } from '../engine/random';

/** The initializers the lab compares by default, in the lecture's order. */
export const INIT_LAB_INITIALIZERS: readonly InitializerName[] = ['zeros', 'uniform', 'normal', 'xavier', 'he'];

/** How the lab measures. */
export interface InitLabOptions {
  /** Default `INIT_LAB_INITIALIZERS`. */
  readonly initializers?: readonly InitializerName[];
  /** Networks (and input batches) to pool over. Default 3. */
  readonly seeds?: number;
  /** The first seed. Default 1. */
  readonly firstSeed?: number;
  /** Samples per batch. Default 128. */
  readonly batch?: number;
  /** For `uniform` (half-width) and `normal` (std), as in the model file's `init.scale`. Default 0.5. */
  readonly scale?: number;
  /** The value every bias starts at. Default 0. */
  readonly bias?: number;
}

/** Mean and variance of a set of values. */
export interface Moments {
  readonly mean: number;
  /** Population variance (divide by n). */
  readonly variance: number;
}

/** Layer l's figures at step 0 under one initializer. */
export interface InitLayerStats {
  /** l, 1-based. */
  readonly l: number;
  readonly activation: ActivationName;
  /** n_l. */
  readonly units: number;
  readonly z: Moments;
  readonly a: Moments;
  /** dL/dz[l], per sample. */
  readonly dLdz: Moments;
  /** dL/dW[l], averaged over the batch. */
  readonly dLdW: Moments;
  /**
   * True when the layer has at least 2 units and they are all identical on every sample of every
   * seed: equal activations and equal gradients dL/dz (up to 1e-12 relative).
   */
  readonly symmetric: boolean;
  /** The largest |a[l]_j − a[l]_k| over unit pairs (j, k), samples and seeds. */
  readonly maxPairwiseDifference: number;
  /** The largest |dL/dz[l]_j − dL/dz[l]_k| over unit pairs, samples and seeds. */
  readonly maxPairwiseGradientDifference: number;
}

/** The figures of one initializer. */
export interface InitLabResult {
  readonly initializer: InitializerName;
  /** The distribution of W[1], e.g. "W ~ N(0, 2/n_in), σ = 0.7071". */
  readonly description: string;
  readonly layers: InitLayerStats[];
}

const SYMMETRY_TOLERANCE = 1e-12;

/** The lab's figures for every initializer, for the architecture `layers` (input layer first). */
export function initLab(layers: readonly LayerSpec[], options: InitLabOptions = {}): InitLabResult[] {
  return (options.initializers ?? INIT_LAB_INITIALIZERS).map((name) => initStatistics(layers, name, options));
}

/** The lab's figures for one initializer. */
export function initStatistics(layers: readonly LayerSpec[], initializer: InitializerName, options: InitLabOptions = {}): InitLabResult {
  const seeds = options.seeds ?? 3;
  const firstSeed = options.firstSeed ?? 1;
  const m = options.batch ?? 128;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`seeds must be a whole number ≥ 1, got ${seeds}`);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`batch must be a whole number ≥ 1, got ${m}`);
  const L = layers.length - 1;
  const acc = Array.from({ length: L + 1 }, () => ({ z: new Pool(), a: new Pool(), dLdz: new Pool(), dLdW: new Pool(), spreadA: 0, spreadG: 0, scaleA: 0, scaleG: 0 }));

  for (let s = 0; s < seeds; s++) {
    const seed = firstSeed + s;
    // The loss does not matter (dL/dŷ is drawn directly); sse makes dJ/dŷ = ŷ − y easy to set.
    const net = createNetwork(layers, 'sse', { weights: initializer, seed, scale: options.scale, bias: options.bias });
    const rng = new Random(mixSeeds(seed, 0x1ab));
    const x = zeros(m, net.sizes[0]);
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
    const pass = forward(net, x);
    const yhat = pass.a[L];
    const y = zeros(m, yhat.cols);
    for (let i = 0; i < y.data.length; i++) y.data[i] = yhat.data[i] - rng.normal(); // so dL/dŷ = ŷ − y ~ N(0, 1)
    const grads = backward(net, pass, y);
    for (let l = 1; l <= L; l++) {
      const t = acc[l];
      t.z.add(pass.z[l].data);
      t.a.add(pass.a[l].data);
      t.dLdz.add(grads.dLdz[l].data);
      t.dLdW.add(grads.dLdW[l].data, 1 / m);
      t.spreadA = Math.max(t.spreadA, maxPairwiseDifference(pass.a[l]));
      t.spreadG = Math.max(t.spreadG, maxPairwiseDifference(grads.dLdz[l]));
      t.scaleA = Math.max(t.scaleA, maxAbs(pass.a[l].data));
      t.scaleG = Math.max(t.scaleG, maxAbs(grads.dLdz[l].data));
    }
  }

  const stats: InitLayerStats[] = [];
  for (let l = 1; l <= L; l++) {
    const t = acc[l];
    const units = layers[l].units;
    const symmetric = units >= 2 && t.spreadA <= SYMMETRY_TOLERANCE * Math.max(1, t.scaleA) && t.spreadG <= SYMMETRY_TOLERANCE * Math.max(1, t.scaleG);
    stats.push({
      l,
      activation: layers[l].activation ?? 'identity',
      units,
      z: t.z.moments(),
      a: t.a.moments(),
      dLdz: t.dLdz.moments(),
      dLdW: t.dLdW.moments(),
      symmetric,
      maxPairwiseDifference: t.spreadA,
      maxPairwiseGradientDifference: t.spreadG,
    });
  }
  return { initializer, description: describeInitializer(initializer, layers[0].units, layers.length > 1 ? layers[1].units : 0, options.scale), layers: stats };
}

/**
 * The largest difference between two units (columns) of a batch matrix on the same sample:
 * max over samples r and pairs (j, k) of |M[r][j] − M[r][k]|, which is max_r (max_j − min_j).
 * 0 exactly when every unit computes the same value on every sample.
 */
export function maxPairwiseDifference(M: Matrix): number {
  let worst = 0;
  for (let r = 0; r < M.rows; r++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < M.cols; j++) {
      const v = M.data[r * M.cols + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (M.cols > 0 && hi - lo > worst) worst = hi - lo;
  }
  return worst;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i]) > m) m = Math.abs(v[i]);
  return m;
}

/** Pools values from several batches into one mean and variance (sums in float64). */
class Pool {
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private shift: number | undefined;

  add(values: Float64Array, factor = 1): void {
    // Sums around the first value seen, so the variance of values far from 0 keeps its digits.
    this.shift ??= values.length > 0 ? values[0] * factor : undefined;
    const c = this.shift ?? 0;
    for (let i = 0; i < values.length; i++) {
      const d = values[i] * factor - c;
      this.sum += d;
      this.sumSq += d * d;
    }
    this.n += values.length;
  }

  moments(): Moments {
    if (this.n === 0) return { mean: NaN, variance: NaN };
    const meanShifted = this.sum / this.n;
    return { mean: meanShifted + (this.shift ?? 0), variance: Math.max(0, this.sumSq / this.n - meanShifted * meanShifted) };
  }
}
