/**
 * Turning the live network into the plain data of a snapshot. Every array here is a fresh copy
 * (training goes on mutating the network's own), which also lets the worker transfer the copies
 * instead of having them cloned a second time.
 */
import { confusionFromCounts } from '../analysis/confusion';
import type { ConfusionCounts } from './Trainer';
import { distributionSnapshot, histogram } from '../analysis/histograms';
import { zeros, type Matrix } from '../engine/matrix';
import { backward, forward, lossOf, type Network } from '../engine/network';
import type { ActivationMatrix, BatchSnapshot, ConfusionSnapshot, TrainingData, DistributionsSnapshot, LayerSnapshot, ReducedMatrix, SampleSnapshot, SplitData, SplitName } from './workerProtocol';
import { drawnUnits, MAX_SLICE_INPUTS } from './shownUnits';

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

/**
 * A snapshot carries W[l] whole up to this many entries (a 64 × 64 layer), and for a model of at
 * most MAX_SLICE_INPUTS inputs (whose decision map the panel computes); otherwise what is drawn of it.
 */
export const WHOLE_WEIGHTS = 4096;
/** A reduced W[l] has at most this many cells a side: about what its heatmap can show. */
export const WEIGHT_CELLS_PER_SIDE = 96;

/**
 * Every layer as the panel draws it (LayerSnapshot): b[l], the diagram's edges, and W[l] whole
 * or as its heatmap's block means. Fresh copies, so the worker can transfer them.
 */
export function layerSnapshots(net: Network): LayerSnapshot[] {
  // The panel draws a narrow model's decision map from its weights: they all travel whole.
  const mapped = net.sizes[0] <= MAX_SLICE_INPUTS;
  return net.layers.map((layer) => {
    const { nIn, nOut } = layer;
    const W = layer.W.data;
    const i = drawnUnits(nIn);
    const j = drawnUnits(nOut);
    const edges = new Float64Array(i.length * j.length);
    i.forEach((row, a) => j.forEach((col, b) => (edges[a * j.length + b] = W[row * nOut + col])));
    let absMaxW = 0;
    for (let k = 0; k < W.length; k++) absMaxW = Math.max(absMaxW, Math.abs(W[k]));
    const view: LayerSnapshot = {
      nIn,
      nOut,
      activation: layer.activationName,
      ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
      b: new Float64Array(layer.b),
      absMaxW,
      edges: { i, j, W: edges },
      ...(mapped || W.length <= WHOLE_WEIGHTS ? { W: new Float64Array(W) } : { weightCells: reduceMatrix(W, nIn, nOut, WEIGHT_CELLS_PER_SIDE, absMaxW) }),
    };
    return view;
  });
}

/** `m` (rows × cols, row-major) as block means, at most `side` cells a side. */
export function reduceMatrix(m: Float64Array, rows: number, cols: number, side: number, absMax: number): ReducedMatrix {
  const rowBlock = Math.ceil(rows / side);
  const colBlock = Math.ceil(cols / side);
  const r = Math.ceil(rows / rowBlock);
  const c = Math.ceil(cols / colBlock);
  const data = new Float64Array(r * c);
  for (let i = 0; i < rows; i++) {
    const o = ((i / rowBlock) | 0) * c;
    for (let j = 0; j < cols; j++) data[o + ((j / colBlock) | 0)] += m[i * cols + j];
  }
  for (let a = 0; a < r; a++) {
    const h = Math.min(rowBlock, rows - a * rowBlock);
    for (let b = 0; b < c; b++) data[a * c + b] /= h * Math.min(colBlock, cols - b * colBlock);
  }
  return { rows: r, cols: c, fullRows: rows, fullCols: cols, rowBlock, colBlock, data, absMax };
}

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
export function batchSnapshot(net: Network, train: SplitData, epoch: number, step: number): BatchSnapshot {
  const nIn = net.sizes[0];
  const rows = Math.min(BATCH_MAX_ROWS, train.rows);
  const indices = new Int32Array(rows);
  for (let i = 0; i < rows; i++) indices[i] = i;
  const pass = forward(net, { rows, cols: nIn, data: train.x.subarray(0, rows * nIn) });
  return { sampleIndices: indices, a: pass.a.map((a) => capped(a, rows)), epoch, step };
}

/** The top-left rows × BATCH_MAX_NEURONS corner of a (one row per sample). */
function capped(a: Matrix, rows: number): ActivationMatrix {
  const r = Math.min(rows, a.rows);
  const cols = Math.min(a.cols, BATCH_MAX_NEURONS);
  const out = zeros(r, cols);
  for (let i = 0; i < r; i++) out.data.set(a.data.subarray(i * a.cols, i * a.cols + cols), i * cols);
  return { rows: r, cols, neurons: a.cols, data: out.data };
}

/**
 * The confusion matrix of counts an evaluation took (Trainer.confusion: the whole validation
 * split, or the training split without one), with the data's class names.
 */
export function confusionSnapshot(c: ConfusionCounts, data: TrainingData): ConfusionSnapshot {
  const k = Math.round(Math.sqrt(c.counts.length));
  const names = data.classes && data.classes.length === k ? data.classes : k === 2 && data.nOut === 1 ? ['0', '1'] : undefined;
  return { split: c.split, matrix: confusionFromCounts(c.counts, k, names), epoch: c.epoch, step: c.step };
}
