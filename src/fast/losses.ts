/**
 * The losses on the fast path, over float32 rows of the network's heap: the same J and dJ/dŷ as
 * the engine's losses.ts and fusedOutput.ts, summed in float64.
 *
 * J is computed as a raw sum S over a batch and divided by `lossDivisor`, so that evaluation can
 * add up the sums of several chunks and divide once: sse is not averaged (divisor 1), mse and
 * binary cross-entropy average over m·n, cross-entropy over m.
 */
import type { ActivationName } from '../engine/activations';
import { PROBABILITY_EPSILON, type LossName } from '../engine/losses';

import type { FusedKind } from './codes';

export type { FusedKind } from './codes';

/** The fused shortcut for this output activation and loss; softmax + CE also needs rows of y summing to 1. */
export function fusedKind(activation: ActivationName, loss: LossName, rowsSumToOne: boolean): FusedKind {
  if (activation === 'softmax' && loss === 'cross_entropy' && rowsSumToOne) return 'softmax-ce';
  if (activation === 'sigmoid' && loss === 'binary_cross_entropy') return 'sigmoid-bce';
  return undefined;
}

/** True when every row of y (rows × n at yOff) sums to 1 within 1e-6 (float32 one-hot rows do exactly). */
export function rowsSumToOne(h: Float32Array, yOff: number, rows: number, n: number): boolean {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += h[yOff + r * n + k];
    if (Math.abs(s - 1) > 1e-6) return false;
  }
  return true;
}

/** J = S / lossDivisor for a set of `rows` samples with n outputs. */
export function lossDivisor(loss: LossName, rows: number, n: number): number {
  return loss === 'sse' ? 1 : loss === 'cross_entropy' ? rows : rows * n;
}

function clamp(p: number): number {
  return p < PROBABILITY_EPSILON ? PROBABILITY_EPSILON : p > 1 - PROBABILITY_EPSILON ? 1 - PROBABILITY_EPSILON : p;
}

/** S, the undivided J, of `rows` rows; the fused forms read z (log-sum-exp, softplus). */
export function lossSum(loss: LossName, fused: FusedKind, h: Float32Array, zOff: number, aOff: number, yOff: number, rows: number, n: number): number {
  const count = rows * n;
  let s = 0;
  if (fused === 'softmax-ce') {
    for (let r = 0; r < rows; r++) {
      const zo = zOff + r * n;
      const yo = yOff + r * n;
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (h[zo + k] > max) max = h[zo + k];
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(h[zo + k] - max);
      const logSumExp = max + Math.log(sum);
      for (let k = 0; k < n; k++) if (h[yo + k] !== 0) s -= h[yo + k] * (h[zo + k] - logSumExp);
    }
    return s;
  }
  if (fused === 'sigmoid-bce') {
    for (let i = 0; i < count; i++) {
      const v = h[zOff + i];
      s += Math.max(v, 0) - v * h[yOff + i] + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return s;
  }
  switch (loss) {
    case 'sse':
    case 'mse':
      for (let i = 0; i < count; i++) {
        const d = h[yOff + i] - h[aOff + i];
        s += d * d;
      }
      return loss === 'sse' ? 0.5 * s : s;
    case 'cross_entropy':
      for (let i = 0; i < count; i++) if (h[yOff + i] !== 0) s -= h[yOff + i] * Math.log(clamp(h[aOff + i]));
      return s;
    case 'binary_cross_entropy':
      for (let i = 0; i < count; i++) {
        const p = clamp(h[aOff + i]);
        const t = h[yOff + i];
        s -= t * Math.log(p) + (1 - t) * Math.log1p(-p);
      }
      return s;
    default: {
      const never: never = loss;
      throw new Error(`unknown loss "${String(never)}"`);
    }
  }
}

/**
 * Writes into d (rows × n) dJ/dz of the output layer when a shortcut is fused, otherwise dJ/dŷ,
 * which the caller then passes back through σ. J is the batch's own (divided by its rows).
 */
export function lossGradient(loss: LossName, fused: FusedKind, h: Float32Array, aOff: number, yOff: number, dOff: number, rows: number, n: number): void {
  const count = rows * n;
  if (fused !== undefined) {
    const k = 1 / (fused === 'softmax-ce' ? rows : count);
    for (let i = 0; i < count; i++) h[dOff + i] = (h[aOff + i] - h[yOff + i]) * k;
    return;
  }
  switch (loss) {
    case 'sse':
      for (let i = 0; i < count; i++) h[dOff + i] = h[aOff + i] - h[yOff + i];
      return;
    case 'mse': {
      const k = 2 / count;
      for (let i = 0; i < count; i++) h[dOff + i] = k * (h[aOff + i] - h[yOff + i]);
      return;
    }
    case 'cross_entropy':
      for (let i = 0; i < count; i++) h[dOff + i] = h[yOff + i] === 0 ? 0 : -h[yOff + i] / (rows * clamp(h[aOff + i]));
      return;
    case 'binary_cross_entropy':
      for (let i = 0; i < count; i++) {
        const p = clamp(h[aOff + i]);
        h[dOff + i] = (p - h[yOff + i]) / (p * (1 - p) * count);
      }
      return;
    default: {
      const never: never = loss;
      throw new Error(`unknown loss "${String(never)}"`);
    }
  }
}
