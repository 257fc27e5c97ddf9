/**
 * The fused output shortcuts: softmax + cross-entropy and sigmoid + binary cross-entropy.
 *
 * Composed one step at a time, dJ/dz = J(z)ᵀ dJ/dŷ divides by ŷ and multiplies by it again,
 * which loses precision (and gives 0·∞) when ŷ is near 0 or 1. The fused forms give the same
 * derivative exactly and stably: dJ/dz = (ŷ − y)/m for softmax + CE (rows of y summing to 1) and
 * (ŷ − y)/(m n) for sigmoid + BCE, and J itself is computed from z (log-sum-exp, softplus).
 */
import type { ActivationName } from './activations';
import type { LossName } from './losses';
import type { Matrix } from './matrix';

export interface FusedOutput {
  readonly description: string;
  /** J computed from the output layer's z (more accurate than from ŷ). */
  value(z: Matrix, y: Matrix): number;
  /** dJ/dz of the output layer, written into `dJdz`. */
  dJdz(yhat: Matrix, y: Matrix, dJdz: Matrix): void;
}

const softmaxCrossEntropy: FusedOutput = {
  description: 'softmax + cross-entropy: dJ/dz = (ŷ − y)/m',
  value(z, y) {
    let s = 0;
    for (let r = 0; r < z.rows; r++) {
      const o = r * z.cols;
      let max = -Infinity;
      for (let k = 0; k < z.cols; k++) if (z.data[o + k] > max) max = z.data[o + k];
      let sum = 0;
      for (let k = 0; k < z.cols; k++) sum += Math.exp(z.data[o + k] - max);
      const logSumExp = max + Math.log(sum);
      // −Σ_k y_k log ŷ_k with log ŷ_k = z_k − logsumexp(z)
      for (let k = 0; k < z.cols; k++) if (y.data[o + k] !== 0) s -= y.data[o + k] * (z.data[o + k] - logSumExp);
    }
    return s / z.rows;
  },
  dJdz(yhat, y, g) {
    const m = y.rows;
    for (let i = 0; i < y.data.length; i++) g.data[i] = (yhat.data[i] - y.data[i]) / m;
  },
};

const sigmoidBinaryCrossEntropy: FusedOutput = {
  description: 'sigmoid + binary cross-entropy: dJ/dz = (ŷ − y)/(m n)',
  value(z, y) {
    let s = 0;
    for (let i = 0; i < z.data.length; i++) {
      const v = z.data[i];
      // −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z y + log(1 + e^(−|z|))
      s += Math.max(v, 0) - v * y.data[i] + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return s / z.data.length;
  },
  dJdz(yhat, y, g) {
    const n = y.data.length;
    for (let i = 0; i < n; i++) g.data[i] = (yhat.data[i] - y.data[i]) / n;
  },
};

/**
 * The fused shortcut for this output activation and loss, if one applies. Softmax + CE assumes
 * each row of y sums to 1 (a one-hot class or a distribution); `rowsSumToOne` says whether it does.
 */
export function fusedOutputFor(activation: ActivationName, loss: LossName, rowsSumToOne: boolean): FusedOutput | undefined {
  if (activation === 'softmax' && loss === 'cross_entropy' && rowsSumToOne) return softmaxCrossEntropy;
  if (activation === 'sigmoid' && loss === 'binary_cross_entropy') return sigmoidBinaryCrossEntropy;
  return undefined;
}

/** True when every row of y sums to 1 within 1e-9. */
export function rowsSumToOne(y: Matrix): boolean {
  for (let r = 0; r < y.rows; r++) {
    let s = 0;
    for (let k = 0; k < y.cols; k++) s += y.data[r * y.cols + k];
    if (Math.abs(s - 1) > 1e-9) return false;
  }
  return true;
}
