/**
 * The training loop over an in-memory data set: epochs of mini-batches, each one forward,
 * backward and update, and the measurements reported after each epoch.
 */
import { argmax } from './argmax';
import { selectRows, zeros, type Matrix } from './matrix';
import { backward, forward, lossOf, type Network } from './network';
import type { Optimizer } from './optimizers';
import { Random } from './random';
import { RegressionAccumulator, type RegressionMetrics } from './regressionMetrics';

/** A set of samples: x is m × n_0, y is m × n_L. */
export interface Samples {
  readonly x: Matrix;
  readonly y: Matrix;
}

export interface EpochOptions {
  /** Samples per batch; 0 or ≥ m: full batch. */
  readonly batchSize: number;
  readonly shuffle: boolean;
  /** The generator that orders samples when shuffling (one per run, so a seed reproduces it). */
  readonly rng: Random;
}

/**
 * A run's shuffling generator for the model's `init.seed` (default 1): seeded seed + 0x5eed, so
 * that it is not the stream the initial weights were drawn from. The CLI's `train`, the
 * extension's worker and the architecture sweep all shuffle with it, so one seed orders the
 * samples identically in all three.
 */
export function shuffleRandom(seed: number | undefined): Random {
  return new Random((seed ?? 1) + 0x5eed);
}

/** One epoch over `train`; returns the number of updates made. */
export function trainEpoch(net: Network, optimizer: Optimizer, train: Samples, options: EpochOptions): number {
  const m = train.x.rows;
  const batch = options.batchSize > 0 && options.batchSize < m ? options.batchSize : m;
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  if (options.shuffle) options.rng.shuffle(order);
  let updates = 0;
  for (let start = 0; start < m; start += batch) {
    const count = Math.min(batch, m - start);
    const idx = order.subarray(start, start + count);
    const x = batch === m && !options.shuffle ? train.x : selectRows(train.x, idx);
    const y = batch === m && !options.shuffle ? train.y : selectRows(train.y, idx);
    const grads = backward(net, forward(net, x), y);
    optimizer.update(net, grads);
    updates++;
  }
  return updates;
}

/** J and accuracy (classification) or R², RMSE and MAE (regression) over a set of samples. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy?: number;
  /** Regression only (not `classification`): src/engine/regressionMetrics.ts. */
  readonly metrics?: RegressionMetrics;
  /**
   * Classification only: counts[t·k + p], rows of true class t predicted as class p, k classes
   * (2 for one output unit), read as `accuracy` reads them: the confusion matrix of this very
   * pass, so a panel shows it without forwarding the split again.
   */
  readonly counts?: Int32Array;
}

/**
 * Rows `evaluate` forwards at a time. Its memory is then that of 256 rows' z[l] and a[l], not of
 * the whole set's (95 MB for 10,000 MNIST-sized rows), and a caller can run it a chunk at a time.
 */
export const EVALUATION_ROWS = 256;

/**
 * J over the whole set, and accuracy when `classification`: argmax of ŷ against argmax of y for
 * several outputs, ŷ ≥ ½ against y for one; otherwise R², RMSE and MAE.
 */
export function evaluate(net: Network, samples: Samples, classification: boolean): Evaluation {
  const evaluation = chunkedEvaluation(net, samples, classification);
  let result: Evaluation | undefined;
  do result = evaluation.step();
  while (result === undefined);
  return result;
}

/** An evaluation in progress, a chunk of rows per `step`; the network must not change meanwhile. */
export interface ChunkedEvaluation {
  /** Evaluates the next chunk; returns J (and accuracy) after the last one, else undefined. */
  step(): Evaluation | undefined;
}

/**
 * `evaluate`, EVALUATION_ROWS rows per step. J adds up as the loss defines it: sse sums over the
 * chunks, the means weigh each chunk's J by its share of the rows. A set of one chunk gives the
 * loss of one pass over it exactly.
 */
export function chunkedEvaluation(net: Network, samples: Samples, classification: boolean, rows = EVALUATION_ROWS): ChunkedEvaluation {
  const m = samples.x.rows;
  const { x, y } = samples;
  const summed = net.loss.name === 'sse';
  let start = 0;
  let loss = 0;
  let right = 0;
  const metrics = classification ? undefined : new RegressionAccumulator(y.cols, y.data);
  const counts = classification ? new Int32Array(classCount(y.cols) ** 2) : undefined;
  return {
    step() {
      if (m === 0) return { loss: NaN };
      const count = Math.min(rows, m - start);
      const xc: Matrix = { rows: count, cols: x.cols, data: x.data.subarray(start * x.cols, (start + count) * x.cols) };
      const yc: Matrix = { rows: count, cols: y.cols, data: y.data.subarray(start * y.cols, (start + count) * y.cols) };
      const pass = forward(net, xc);
      const J = lossOf(net, pass, yc);
      loss += summed || count === m ? J : J * (count / m);
      if (classification) right += correctRows(pass.a[pass.a.length - 1], yc, counts);
      else metrics!.add(pass.a[pass.a.length - 1].data, 0, start, count);
      start += count;
      if (start < m) return undefined;
      return classification ? { loss, accuracy: right / m, counts } : { loss, metrics: metrics!.result() };
    },
  };
}

/** The fraction of rows whose predicted class matches the target's. */
export function accuracy(yhat: Matrix, y: Matrix): number {
  return correctRows(yhat, y) / y.rows;
}

/** Classes of an n-unit output: n, or 2 for one unit read as ŷ ≥ ½. */
export const classCount = (n: number): number => (n === 1 ? 2 : n);

/** The rows whose predicted class matches the target's; each row also counted in `counts[t·k + p]` when given. */
function correctRows(yhat: Matrix, y: Matrix, counts?: Int32Array): number {
  let right = 0;
  const k = classCount(y.cols);
  for (let r = 0; r < y.rows; r++) {
    const o = r * y.cols;
    const t = y.cols === 1 ? (y.data[o] >= 0.5 ? 1 : 0) : argmax(y.data, o, y.cols);
    const p = y.cols === 1 ? (yhat.data[o] >= 0.5 ? 1 : 0) : argmax(yhat.data, o, y.cols);
    if (t === p) right++;
    if (counts) counts[t * k + p]++;
  }
  return right;
}

/**
 * True when y is one column of 0s and 1s: a two-class target encoded as one output unit (the
 * truth tables), which is scored by accuracy like any classification.
 */
export function isBinaryTarget(y: Matrix): boolean {
  if (y.cols !== 1 || y.rows === 0) return false;
  for (let i = 0; i < y.data.length; i++) if (y.data[i] !== 0 && y.data[i] !== 1) return false;
  return true;
}

/** An empty sample set of the given widths. */
export function emptySamples(nIn: number, nOut: number): Samples {
  return { x: zeros(0, nIn), y: zeros(0, nOut) };
}
