/**
 * The training loop on the fast path: the engine's trainEpoch (training.ts) with the same
 * batching and the same shuffle of the same generator, so a seed orders the samples exactly as
 * the float64 path does; only the arithmetic is float32.
 */
import type { Random } from '../engine/random';
import type { FastNetwork, FastSamples } from './FastNetwork';

/** Rows evaluation runs at a time when the batches are smaller: fewer, larger GEMMs. */
const EVALUATION_ROWS = 256;

/**
 * The maxBatch to build a network with for training on `rows` samples in batches of `batchSize`
 * (0: full batch). The CLI and the extension's worker both use it: evaluation sums J chunk by
 * chunk, so the same chunks are what make their reported losses equal to the last bit.
 */
export function fastMaxBatch(rows: number, batchSize: number): number {
  const batch = batchSize > 0 && batchSize < rows ? batchSize : rows;
  return Math.max(1, Math.min(rows, Math.max(batch, EVALUATION_ROWS)));
}

export interface FastEpochOptions {
  /** Samples per batch; 0 or ≥ rows: full batch. Must not exceed the network's maxBatch. */
  readonly batchSize: number;
  readonly shuffle: boolean;
  /** The run's generator (as the engine's EpochOptions.rng). */
  readonly rng: Random;
  /** A buffer of at least `rows` ints to hold the sample order, reused across epochs. */
  readonly order?: Int32Array;
}

/** One epoch over `train`; returns the sum of the batches' J (before each update) and the updates made. */
export function trainEpochFast(net: FastNetwork, train: FastSamples, options: FastEpochOptions): { updates: number; lossSum: number } {
  const m = train.rows;
  const batch = options.batchSize > 0 && options.batchSize < m ? options.batchSize : m;
  let order: Int32Array | undefined;
  if (options.shuffle) {
    order = options.order && options.order.length >= m ? options.order.subarray(0, m) : new Int32Array(m);
    for (let i = 0; i < m; i++) order[i] = i;
    options.rng.shuffle(order);
  }
  let updates = 0;
  let lossSum = 0;
  for (let start = 0; start < m; start += batch) {
    const count = Math.min(batch, m - start);
    net.loadBatch(train, start, count, order);
    lossSum += net.trainLoaded();
    updates++;
  }
  return { updates, lossSum };
}
