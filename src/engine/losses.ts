/**
 * The losses J(ŷ, y) over a batch, each with its gradient dJ/dŷ. The batch gradient is the
 * gradient of that J: `sse` sums over the batch (the lecture's J = ½ Σ (y − ŷ)²), the others
 * average, so their gradients carry the 1/m.
 */
import type { Matrix } from './matrix';

export const LOSS_NAMES = ['sse', 'mse', 'cross_entropy', 'binary_cross_entropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** ŷ is kept this far from 0 and 1 inside logarithms so that J stays finite. */
export const PROBABILITY_EPSILON = 1e-15;

/** A loss over a batch: ŷ and y are m × n (one sample per row). */
export interface Loss {
  readonly name: LossName;
  /** J in the lecture's notation. */
  readonly formula: string;
  /** J(ŷ, y) for the whole batch. */
  value(yhat: Matrix, y: Matrix): number;
  /** dJ/dŷ, written into `dJdyhat` (m × n). */
  gradient(yhat: Matrix, y: Matrix, dJdyhat: Matrix): void;
}

function clampProbability(p: number): number {
  return p < PROBABILITY_EPSILON ? PROBABILITY_EPSILON : p > 1 - PROBABILITY_EPSILON ? 1 - PROBABILITY_EPSILON : p;
}

/** J = ½ Σ_samples Σ_outputs (y − ŷ)²; dJ/dŷ = ŷ − y. */
export const sse: Loss = {
  name: 'sse',
  formula: 'J = ½ Σ (y − ŷ)²',
  value(yhat, y) {
    let s = 0;
    for (let i = 0; i < y.data.length; i++) {
      const d = y.data[i] - yhat.data[i];
      s += d * d;
    }
    return 0.5 * s;
  },
  gradient(yhat, y, g) {
    for (let i = 0; i < y.data.length; i++) g.data[i] = yhat.data[i] - y.data[i];
  },
};

/** J = (1/(m n)) Σ (y − ŷ)²; dJ/dŷ = 2(ŷ − y)/(m n). */
export const mse: Loss = {
  name: 'mse',
  formula: 'J = (1/mn) Σ (y − ŷ)²',
  value(yhat, y) {
    let s = 0;
    for (let i = 0; i < y.data.length; i++) {
      const d = y.data[i] - yhat.data[i];
      s += d * d;
    }
    return s / y.data.length;
  },
  gradient(yhat, y, g) {
    const k = 2 / y.data.length;
    for (let i = 0; i < y.data.length; i++) g.data[i] = k * (yhat.data[i] - y.data[i]);
  },
};

/** J = (1/m) Σ_samples −Σ_k y_k log ŷ_k; dJ/dŷ_k = −y_k / (m ŷ_k). */
export const crossEntropy: Loss = {
  name: 'cross_entropy',
  formula: 'J = −(1/m) Σ Σ_k y_k log ŷ_k',
  value(yhat, y) {
    let s = 0;
    for (let i = 0; i < y.data.length; i++) if (y.data[i] !== 0) s -= y.data[i] * Math.log(clampProbability(yhat.data[i]));
    return s / y.rows;
  },
  gradient(yhat, y, g) {
    const m = y.rows;
    for (let i = 0; i < y.data.length; i++) g.data[i] = y.data[i] === 0 ? 0 : -y.data[i] / (m * clampProbability(yhat.data[i]));
  },
};

/** J = (1/(m n)) Σ −[y log ŷ + (1 − y) log(1 − ŷ)]; dJ/dŷ = (ŷ − y) / (ŷ (1 − ŷ) m n). */
export const binaryCrossEntropy: Loss = {
  name: 'binary_cross_entropy',
  formula: 'J = −(1/mn) Σ [y log ŷ + (1 − y) log(1 − ŷ)]',
  value(yhat, y) {
    let s = 0;
    for (let i = 0; i < y.data.length; i++) {
      const p = clampProbability(yhat.data[i]);
      const t = y.data[i];
      s -= t * Math.log(p) + (1 - t) * Math.log1p(-p);
    }
    return s / y.data.length;
  },
  gradient(yhat, y, g) {
    const n = y.data.length;
    for (let i = 0; i < n; i++) {
      const p = clampProbability(yhat.data[i]);
      g.data[i] = (p - y.data[i]) / (p * (1 - p) * n);
    }
  },
};

export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && (LOSS_NAMES as readonly string[]).includes(name);
}

export function getLoss(name: LossName): Loss {
  switch (name) {
    case 'sse':
      return sse;
    case 'mse':
      return mse;
    case 'cross_entropy':
      return crossEntropy;
    case 'binary_cross_entropy':
      return binaryCrossEntropy;
    default: {
      const never: never = name;
      throw new Error(`unknown loss "${String(never)}"`);
    }
  }
}
