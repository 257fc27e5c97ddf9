/**
 * The confusion matrix of a classifier on one split, with per-class precision and recall.
 *
 * Classes are read as the engine's `accuracy` reads them (training.ts): with several outputs the
 * class is argmax_k (of ŷ for the prediction, of y for the truth); with one output it is
 * ŷ ≥ ½ → class 1, else class 0 (and y ≥ ½ likewise). So `accuracy` here equals the accuracy
 * the training loop reports.
 */
import { classOf } from '../engine/argmax';
import type { Matrix } from '../engine/matrix';
import { predict, type Network } from '../engine/network';

/** Per-class figures of a confusion matrix. */
export interface ClassFigures {
  /** Samples whose true class is this one (the row sum). */
  readonly support: number;
  /** Samples predicted as this class (the column sum). */
  readonly predicted: number;
  /** Right among those predicted as this class: TP / (TP + FP); NaN when none was predicted. */
  readonly precision: number;
  /**
   * Right among those truly of this class: TP / (TP + FN), the per-class accuracy; NaN when the
   * split has no sample of this class.
   */
  readonly recall: number;
  /** The harmonic mean of precision and recall; NaN when either is NaN, 0 when both are 0. */
  readonly f1: number;
}

/** A k × k confusion matrix and what follows from it. */
export interface ConfusionMatrix {
  /** k: the number of classes (2 for a single output unit). */
  readonly classes: number;
  /** Class names, when given. */
  readonly names?: readonly string[];
  /** counts[t·k + p]: samples of true class t predicted as class p (rows: truth, columns: prediction). */
  readonly counts: Int32Array;
  /** The number of samples. */
  readonly total: number;
  /** The fraction on the diagonal; NaN for an empty split. */
  readonly accuracy: number;
  readonly perClass: ClassFigures[];
}

/** The class index each row of an m × n matrix stands for (argmax, or ≥ ½ for one column). */
export function classIndices(m: Matrix): Int32Array {
  const out = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    out[r] = classOf(m.data, r * m.cols, m.cols);
  }
  return out;
}

/** The confusion matrix of true class indices against predicted ones, k classes. */
export function confusionFromIndices(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number, names?: readonly string[]): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new RangeError(`${truth.length} true classes but ${predicted.length} predictions`);
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`the number of classes must be a whole number ≥ 1, got ${classes}`);
  if (names && names.length !== classes) throw new RangeError(`${names.length} class names for ${classes} classes`);
  const k = classes;
  const counts = new Int32Array(k * k);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (!(Number.isInteger(t) && t >= 0 && t < k && Number.isInteger(p) && p >= 0 && p < k)) {
      throw new RangeError(`sample ${i}: classes must be whole numbers from 0 to ${k - 1}, got true ${t}, predicted ${p}`);
    }
    counts[t * k + p]++;
  }
  return confusionFromCounts(counts, k, names);
}

/**
 * The confusion matrix of counts already taken (counts[t·k + p], as an evaluation's
 * `Evaluation.counts`): its per-class figures. The counts are kept, not copied.
 */
export function confusionFromCounts(counts: Int32Array, classes: number, names?: readonly string[]): ConfusionMatrix {
  const k = classes;
  if (counts.length !== k * k) throw new RangeError(`${counts.length} counts for ${k} classes`);
  if (names && names.length !== k) throw new RangeError(`${names.length} class names for ${k} classes`);
  let diagonal = 0;
  let total = 0;
  const perClass: ClassFigures[] = [];
  for (let c = 0; c < k; c++) {
    const tp = counts[c * k + c];
    diagonal += tp;
    let support = 0;
    let predictedAs = 0;
    for (let j = 0; j < k; j++) {
      support += counts[c * k + j];
      predictedAs += counts[j * k + c];
    }
    total += support;
    const precision = predictedAs > 0 ? tp / predictedAs : NaN;
    const recall = support > 0 ? tp / support : NaN;
    const f1 = Number.isNaN(precision) || Number.isNaN(recall) ? NaN : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ support, predicted: predictedAs, precision, recall, f1 });
  }
  return { classes: k, ...(names ? { names } : {}), counts, total, accuracy: total > 0 ? diagonal / total : NaN, perClass };
}

/** The confusion matrix of predictions ŷ (m × n) against targets y (m × n). */
export function confusionMatrix(yhat: Matrix, y: Matrix, names?: readonly string[]): ConfusionMatrix {
  if (yhat.rows !== y.rows || yhat.cols !== y.cols) throw new RangeError(`ŷ is ${yhat.rows} × ${yhat.cols} but y is ${y.rows} × ${y.cols}`);
  const k = y.cols === 1 ? 2 : y.cols;
  return confusionFromIndices(classIndices(y), classIndices(yhat), k, names);
}

/** The network's confusion matrix on a split (x: m × n_0, y: m × n_L). */
export function confusionOf(net: Network, split: { readonly x: Matrix; readonly y: Matrix }, names?: readonly string[]): ConfusionMatrix {
  return confusionMatrix(predict(net, split.x), split.y, names);
}
