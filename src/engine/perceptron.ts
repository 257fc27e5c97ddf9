/**
 * The single-layer perceptron of the lecture's first half: ŷ = w·x + b, trained by gradient
 * descent on J = ½ Σ_i (y_i − ŷ_i)², whose gradient gives the delta rule
 *
 *   Δw_j = η Σ_i (y_i − ŷ_i) x_ij,   Δb = η Σ_i (y_i − ŷ_i),
 *
 * and classifies by thresholding ŷ at ½. Its decision boundary w·x + b = ½ is a line, so it can
 * learn AND and OR but not XOR, which no line separates: at best 3 of XOR's 4 points are right.
 */
import type { Matrix } from './matrix';

export interface Perceptron {
  /** w, one weight per input. */
  readonly w: Float64Array;
  /** The bias b. */
  b: number;
}

export function createPerceptron(nIn: number, w0 = 0, b0 = 0): Perceptron {
  return { w: new Float64Array(nIn).fill(w0), b: b0 };
}

/** ŷ = w·x + b for one sample. */
export function perceptronOutput(p: Perceptron, x: ArrayLike<number>): number {
  let s = p.b;
  for (let j = 0; j < p.w.length; j++) s += p.w[j] * x[j];
  return s;
}

/** The class 1 if ŷ ≥ ½, else 0. */
export function perceptronClass(p: Perceptron, x: ArrayLike<number>): 0 | 1 {
  return perceptronOutput(p, x) >= 0.5 ? 1 : 0;
}

/** J = ½ Σ_i (y_i − ŷ_i)² over a data set (x: m × n, y: m targets). */
export function perceptronLoss(p: Perceptron, x: Matrix, y: ArrayLike<number>): number {
  let J = 0;
  for (let i = 0; i < x.rows; i++) {
    const d = y[i] - perceptronOutput(p, x.data.subarray(i * x.cols, (i + 1) * x.cols));
    J += 0.5 * d * d;
  }
  return J;
}

/** One batch step of the delta rule over the whole data set; returns J before the step. */
export function deltaRuleStep(p: Perceptron, x: Matrix, y: ArrayLike<number>, eta: number): number {
  const dw = new Float64Array(p.w.length);
  let db = 0;
  let J = 0;
  for (let i = 0; i < x.rows; i++) {
    const xi = x.data.subarray(i * x.cols, (i + 1) * x.cols);
    const err = y[i] - perceptronOutput(p, xi);
    J += 0.5 * err * err;
    for (let j = 0; j < dw.length; j++) dw[j] += eta * err * xi[j];
    db += eta * err;
  }
  for (let j = 0; j < dw.length; j++) p.w[j] += dw[j];
  p.b += db;
  return J;
}

/** The fraction of samples whose thresholded class equals y. */
export function perceptronAccuracy(p: Perceptron, x: Matrix, y: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < x.rows; i++) if (perceptronClass(p, x.data.subarray(i * x.cols, (i + 1) * x.cols)) === y[i]) right++;
  return right / x.rows;
}
