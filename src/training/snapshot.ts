/**
 * Turning the live network into the plain data of a snapshot. Every array here is a fresh copy
 * (training goes on mutating the network's own), which also lets the worker transfer the copies
 * instead of having them cloned a second time.
 */
import { classOf } from '../engine/argmax';
import { confusionFromIndices } from '../analysis/confusion';
import { layerStates } from '../engine/networkState';
import { distributionSnapshot, histogram } from '../analysis/histograms';
import { zeros, type Matrix } from '../engine/matrix';
import { backward, forward, lossOf, predict, type Network } from '../engine/network';
import type { ActivationMatrix, BatchSnapshot, ConfusionSnapshot, TrainingData, DistributionsSnapshot, LayerSnapshot, SampleSnapshot, SplitData, SplitName } from './workerProtocol';

/** Heatmap rows: the first rows of the training split, a fixed, labelled sample. */
export const BATCH_MAX_ROWS = 32;
/** Heatmap columns: neurons of a layer shown (a 784-pixel input is summarized, not drawn). */
export const BATCH_MAX_NEURONS = 64;

/** Rows of the distributions card's fixed sample: the first of the training split. */
export const DISTRIBUTION_ROWS = 32;
/** Bins of each of its histograms. */
export const DISTRIBUTION_BINS = 24;

/**
 * The distributions card: histograms of W[l], a[l] and dL/dW[l], dead and saturated units, from
 * the first DISTRIBUTION_ROWS rows of the training split, whole (every input, however wide),
 * forwarded and backpropagated against their own targets through the current weights. A fixed
 * sample, so that what changes from one picture to the next is the network, not the batch.
 * About 3·32·|W| multiply-adds: a few milliseconds for a 784-128-64-10 network.
 */
export function distributionsSnapshot(net: Network, train: SplitData, epoch: number, step: number): DistributionsSnapshot {
  const nIn = net.sizes[0];
  const nOut = net.sizes[net.sizes.length - 1];
  const rows = Math.min(DISTRIBUTION_ROWS, train.rows);
  const x: Matrix = { rows, cols: nIn, data: train.x.subarray(0, rows * nIn) };
  const y: Matrix = { rows, cols: nOut, data: train.y.subarray(0, rows * nOut) };
  const pass = forward(net, x);
  const grads = backward(net, pass, y);
  return { ...distributionSnapshot(net, pass, grads, { bins: DISTRIBUTION_BINS }), rows, inputs: histogram(x.data, { bins: DISTRIBUTION_BINS }), epoch, step };
}

/** Copies of every layer's W[l] and b[l], with its shape and activation (the engine's plain-data layers). */
export const layerSnapshots: (net: Network) => LayerSnapshot[] = layerStates;

/** The forward pass of row `index` of `split` alone, with its own J. */
export function sampleSnapshot(net: Network, splitName: SplitName, split: SplitData, index: number): SampleSnapshot {
  const nIn = net.sizes[0];
  const nOut = net.sizes[net.sizes.length - 1];
  const x: Matrix = { rows: 1, cols: nIn, data: split.x.slice(index * nIn, (index + 1) * nIn) };
  const y: Matrix = { rows: 1, cols: nOut, data: split.y.slice(index * nOut, (index + 1) * nOut) };
  const pass = forward(net, x);
  return {
    split: splitName,
    index,
    // z[0] has no meaning; the engine keeps an empty matrix there and so do we.
    z: pass.z.map((z) => z.data),
    a: pass.a.map((a) => a.data),
    y: y.data,
    loss: lossOf(net, pass, y),
  };
}

/**
 * The activation heatmaps: the first BATCH_MAX_ROWS rows of the training split, in file order,
 * forwarded through the current weights. A fixed sample, as the distributions card's: the batch
 * trained last changed from one picture to the next (and after an epoch was often the last,
 * partial batch, one row of the penguins), so the heatmap showed the batch changing rather than
 * the network.
 */
export function batchSnapshot(net: Network, train: SplitData): BatchSnapshot {
  const nIn = net.sizes[0];
  const rows = Math.min(BATCH_MAX_ROWS, train.rows);
  const indices = new Int32Array(rows);
  for (let i = 0; i < rows; i++) indices[i] = i;
  const pass = forward(net, { rows, cols: nIn, data: train.x.subarray(0, rows * nIn) });
  return { sampleIndices: indices, a: pass.a.map((a) => capped(a, rows)) };
}

/** The top-left rows × BATCH_MAX_NEURONS corner of a (one row per sample). */
function capped(a: Matrix, rows: number): ActivationMatrix {
  const r = Math.min(rows, a.rows);
  const cols = Math.min(a.cols, BATCH_MAX_NEURONS);
  const out = zeros(r, cols);
  for (let i = 0; i < r; i++) out.data.set(a.data.subarray(i * a.cols, i * a.cols + cols), i * cols);
  return { rows: r, cols, neurons: a.cols, data: out.data };
}

/** Rows forwarded at a time for the confusion matrix (the engine evaluates 256 at a time too). */
const CONFUSION_CHUNK = 256;

/**
 * The confusion matrix of the whole validation split (or the training split without one) under
 * `net`, forwarded a chunk at a time so its memory is that of 256 rows.
 */
export function confusionSnapshot(net: Network, data: TrainingData, epoch: number, step: number): ConfusionSnapshot {
  const split = data.validation && data.validation.rows > 0 ? data.validation : data.train;
  const nIn = net.sizes[0];
  const nOut = net.sizes[net.sizes.length - 1];
  const truth = new Int32Array(split.rows);
  const predicted = new Int32Array(split.rows);
  for (let r0 = 0; r0 < split.rows; r0 += CONFUSION_CHUNK) {
    const rows = Math.min(CONFUSION_CHUNK, split.rows - r0);
    const yhat = predict(net, { rows, cols: nIn, data: split.x.subarray(r0 * nIn, (r0 + rows) * nIn) });
    for (let r = 0; r < rows; r++) {
      predicted[r0 + r] = classOf(yhat.data, r * nOut, nOut);
      truth[r0 + r] = classOf(split.y, (r0 + r) * nOut, nOut);
    }
  }
  const names = data.classes ?? (nOut === 1 ? ['0', '1'] : undefined);
  const matrix = confusionFromIndices(truth, predicted, nOut === 1 ? 2 : nOut, names);
  return { split: split === data.train ? 'training' : 'validation', matrix, epoch, step };
}
