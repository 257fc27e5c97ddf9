/**
 * The network's output over its input plane, for 2-input models: the decision map (which class,
 * how sure, or the fitted surface ŷ) and the neuron maps (every neuron's a[l]_j over the same
 * plane, so one sees features being built from features). For 1-input models, the fitted curve.
 *
 * The plane is the network's own input space: the values of a[0] = x after the data's
 * normalization, the space the prepared data's `x` is in. A view that labels axes in raw units
 * maps the ranges back through the normalization itself.
 *
 * Everything returned is plain data (numbers and typed arrays), ready to post to a webview.
 *
 * Cost: one forward pass of nx·ny samples through the engine. Measured for a 2-8-8-1 tanh
 * network at 40 × 40 (`planeMaps`, decision and all neuron maps) on Node 20 with the machine's
 * 2 cores shared with other jobs (load ≈ 5): 3–4 ms a call, 2 ms with ReLU; nearly all of it in
 * the engine's `forward`. Recomputing 10 times a second uses under 5 % of a core.
 */
import { argmax } from '../engine/argmax';
import { zeros, type Matrix } from '../engine/matrix';
import { forward, type ForwardPass, type Network } from '../engine/network';
import { withEngineered, type EngineeredFeature } from '../data/engineeredFeatures';
import type { NormalizationSpec } from '../data/normalization';

/**
 * An nx × ny grid of sample points over [x1Min, x1Max] × [x2Min, x2Max]. Point (i, j) is the
 * centre of cell (i, j): row i runs along x2 (row 0 at x2Min, the bottom of the plot, so a
 * renderer that draws row 0 at the top flips it), column j along x1. Row-major: the point's
 * index is c = i·nx + j.
 */
export interface Grid {
  readonly nx: number;
  readonly ny: number;
  readonly x1Min: number;
  readonly x1Max: number;
  readonly x2Min: number;
  readonly x2Max: number;
  /**
   * A model with more than 2 inputs is mapped on a slice: the plane of inputs `axes[0]` (x1) and
   * `axes[1]` (x2), every other input held at its value in `base` (its mean over the data).
   */
  readonly slice?: GridSlice;
}

/** The plane through a model's input space that a grid covers. */
export interface GridSlice {
  /** The inputs the plane varies: horizontal, vertical. */
  readonly axes: readonly [number, number];
  /** A value for every input (those of `axes` are replaced by the grid's). */
  readonly base: Float64Array;
  /** Inputs computed from others (engineered features): worked out at every point of the plane. */
  readonly derived?: DerivedInputs;
}

/**
 * Engineered features (x1², x1·x2, sin x1) are inputs of their own, but a point of the plane
 * fixes them: x1² at x1 = 2 is 4, not its mean. They follow the `raw` inputs, computed from the
 * raw values (un-normalized) and normalized as the data was.
 */
export interface DerivedInputs {
  /** How many inputs come first, before the features; a slice's axes are among them. */
  readonly raw: number;
  readonly features: readonly { readonly feature: EngineeredFeature; readonly at: readonly number[] }[];
  readonly normalization?: NormalizationSpec;
}

/** How `gridFor` chooses the plane. */
export interface GridOptions {
  /** Points along x1 (columns). Default 40. */
  readonly nx?: number;
  /** Points along x2 (rows). Default `nx`. */
  readonly ny?: number;
  /** Added on each side, as a fraction of the data's span in that direction. Default 0.1. */
  readonly margin?: number;
  /** The smallest span of each axis, so a single point or a constant column still gives a plane. Default 1. */
  readonly minSpan?: number;
  /** With more than 2 columns: the two the plane varies (default the first two); the rest are held at their means. */
  readonly axes?: readonly [number, number];
  /** Columns computed from the others (engineered features), recomputed at every point. */
  readonly derived?: DerivedInputs;
}

/** Which of the three kinds of map a decision map is. */
export type DecisionKind = 'classes' | 'binary' | 'regression';

/** The network's output over a grid. */
export interface DecisionMap {
  readonly grid: Grid;
  /**
   * `classes`: several outputs, the predicted class is argmax_k ŷ_k; `binary`: one output read as
   * P(class 1), the predicted class is ŷ ≥ ½; `regression`: ŷ as it is.
   */
  readonly kind: DecisionKind;
  /** n_L. */
  readonly nOut: number;
  /** ŷ at every grid point, point-major: ŷ_k at point c is yhat[c·nOut + k]. */
  readonly yhat: Float64Array;
  /** Classification only: the predicted class index at every point. */
  readonly predicted?: Int32Array;
  /** Classification only: the probability of the predicted class (max_k ŷ_k; ŷ or 1 − ŷ for one output). */
  readonly confidence?: Float64Array;
  /** The smallest and largest ŷ over the grid (all outputs), for a colour scale. */
  readonly min: number;
  readonly max: number;
}

/** Every neuron's activation a[l]_j over a grid, for one layer l. */
export interface NeuronLayerMap {
  /** l, 1-based; layer L is the output layer. */
  readonly l: number;
  readonly activation: string;
  /** n_l. */
  readonly units: number;
  /**
   * a[l]_j at every grid point, neuron-major so each neuron's map is one contiguous block:
   * neuron j's value at point c is values[j·(nx·ny) + c] (`values.subarray(j·cells, (j+1)·cells)`).
   */
  readonly values: Float64Array;
  /** Per neuron, the smallest and largest a[l]_j over the grid, for its own colour scale. */
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** The decision map and the neuron maps of one forward pass over the grid. */
export interface PlaneMaps {
  readonly decision: DecisionMap;
  /** One entry per non-input layer l = 1..L; the hidden ones are neurons[0 .. L−2]. */
  readonly neurons: NeuronLayerMap[];
}

/** ŷ over a range of x, for 1-input models. */
export interface FittedCurve {
  /** The n sample points, evenly spaced from the range's start to its end inclusive. */
  readonly x: Float64Array;
  /** ŷ at every point, point-major: ŷ_k at point i is yhat[i·nOut + k]. */
  readonly yhat: Float64Array;
  readonly nOut: number;
}

/**
 * A grid covering two input columns of `x` (rows × cols, row-major; the first two, or
 * `options.axes`), widened by the margin on each side. With more than 2 columns it is a slice:
 * the other columns are held at their means over `x`.
 */
export function gridFor(x: ArrayLike<number>, rows: number, cols: number, options: GridOptions = {}): Grid {
  if (cols < 2) throw new RangeError(`a decision map needs 2 inputs; the data has ${cols}`);
  const nx = options.nx ?? 40;
  const ny = options.ny ?? nx;
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1) throw new RangeError(`the grid needs whole numbers of points ≥ 1, got ${nx} × ${ny}`);
  const [a, b] = options.axes ?? [0, 1];
  const free = options.derived ? options.derived.raw : cols;
  if (![a, b].every((k) => Number.isInteger(k) && k >= 0 && k < free) || a === b) throw new RangeError(`a slice needs two different inputs among 0…${free - 1}, got ${a} and ${b}`);
  const [x1Min, x1Max] = axisRange(x, rows, cols, a, options);
  const [x2Min, x2Max] = axisRange(x, rows, cols, b, options);
  if (cols === 2 && a === 0 && b === 1) return { nx, ny, x1Min, x1Max, x2Min, x2Max };
  const slice: GridSlice = { axes: [a, b], base: columnMeans(x, rows, cols), ...(options.derived ? { derived: options.derived } : {}) };
  return { nx, ny, x1Min, x1Max, x2Min, x2Max, slice };
}

/** Each column's mean over its finite values (0 for a column with none). */
export function columnMeans(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const sum = new Float64Array(cols);
  const count = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c];
      if (Number.isFinite(v)) {
        sum[c] += v;
        count[c]++;
      }
    }
  }
  return sum.map((s, c) => (count[c] > 0 ? s / count[c] : 0));
}

/** How many inputs a grid's points have: 2, or the slice's. */
export function gridWidth(grid: Grid): number {
  return grid.slice ? grid.slice.base.length : 2;
}

function axisRange(x: ArrayLike<number>, rows: number, cols: number, col: number, options: GridOptions): [number, number] {
  const margin = options.margin ?? 0.1;
  const minSpan = options.minSpan ?? 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < rows; r++) {
    const v = x[r * cols + col];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1]; // no data: the unit square around the origin
  const span = hi - lo;
  if (span < minSpan) {
    const mid = (lo + hi) / 2;
    return [mid - minSpan * (0.5 + margin), mid + minSpan * (0.5 + margin)];
  }
  return [lo - margin * span, hi + margin * span];
}

/** The x1 coordinate of column j (a cell centre). */
export function gridX1(grid: Grid, j: number): number {
  return grid.x1Min + ((j + 0.5) * (grid.x1Max - grid.x1Min)) / grid.nx;
}

/** The x2 coordinate of row i (a cell centre; row 0 is nearest x2Min). */
export function gridX2(grid: Grid, i: number): number {
  return grid.x2Min + ((i + 0.5) * (grid.x2Max - grid.x2Min)) / grid.ny;
}

/**
 * The grid's points as a batch a[0] (nx·ny × 2, or × every input for a slice, the others at the
 * slice's base values), in the grid's row-major order.
 */
export function gridInputs(grid: Grid): Matrix {
  const { nx, ny } = grid;
  const width = gridWidth(grid);
  const [a, b] = grid.slice?.axes ?? [0, 1];
  const x = zeros(nx * ny, width);
  for (let i = 0; i < ny; i++) {
    const x2 = gridX2(grid, i);
    for (let j = 0; j < nx; j++) {
      const c = i * nx + j;
      if (grid.slice) x.data.set(grid.slice.base, c * width);
      x.data[c * width + a] = gridX1(grid, j);
      x.data[c * width + b] = x2;
      if (grid.slice?.derived) derive(x.data.subarray(c * width, (c + 1) * width), grid.slice.derived);
    }
  }
  return x;
}

/** Recomputes a point's derived inputs (in place) from its raw ones, all in normalized units. */
function derive(point: Float64Array, d: DerivedInputs): void {
  const n = d.normalization;
  const offset = (k: number) => (n?.method === 'standard' ? n.mean[k] : n?.method === 'minmax' ? n.min[k] : 0);
  const scale = (k: number) => (n?.method === 'standard' ? n.std[k] : n?.method === 'minmax' ? n.max[k] - n.min[k] : 1);
  const raw = new Float64Array(d.raw);
  for (let k = 0; k < d.raw; k++) raw[k] = point[k] * scale(k) + offset(k);
  const widened = withEngineered(raw, d.raw, d.features);
  for (let f = 0; f < d.features.length; f++) {
    const k = d.raw + f;
    point[k] = (widened[k] - offset(k)) / scale(k);
  }
}

/**
 * How a network's output is read: several outputs → classes, one sigmoid output → binary, else
 * regression. Pass `task` to override (e.g. one identity output trained on 0/1 targets is a
 * binary classifier too).
 */
export function decisionKind(net: Network, task?: 'classification' | 'regression'): DecisionKind {
  const nOut = net.sizes[net.sizes.length - 1];
  const out = net.layers[net.layers.length - 1].activationName;
  const classification = task ? task === 'classification' : out === 'softmax' || out === 'sigmoid';
  if (!classification) return 'regression';
  return nOut > 1 ? 'classes' : 'binary';
}

/** The decision map and every layer's neuron maps from one forward pass over the grid. */
export function planeMaps(net: Network, grid: Grid, task?: 'classification' | 'regression'): PlaneMaps {
  const pass = gridPass(net, grid);
  return { decision: decisionFromPass(net, grid, pass, task), neurons: neuronsFromPass(net, grid, pass) };
}

/** The network's output over the grid. */
export function decisionMap(net: Network, grid: Grid, task?: 'classification' | 'regression'): DecisionMap {
  return decisionFromPass(net, grid, gridPass(net, grid), task);
}

/** Every neuron's activation over the grid, for layers l = 1..L. */
export function neuronMaps(net: Network, grid: Grid): NeuronLayerMap[] {
  return neuronsFromPass(net, grid, gridPass(net, grid));
}

function gridPass(net: Network, grid: Grid): ForwardPass {
  const width = gridWidth(grid);
  if (net.sizes[0] !== width) throw new RangeError(`this grid has points of ${width} inputs; the network takes ${net.sizes[0]}`);
  return forward(net, gridInputs(grid));
}

function decisionFromPass(net: Network, grid: Grid, pass: ForwardPass, task?: 'classification' | 'regression'): DecisionMap {
  const kind = decisionKind(net, task);
  const out = pass.a[pass.a.length - 1];
  const nOut = out.cols;
  const cells = out.rows;
  const yhat = out.data; // freshly allocated by forward(), so it can be handed out as it is
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < yhat.length; i++) {
    if (yhat[i] < min) min = yhat[i];
    if (yhat[i] > max) max = yhat[i];
  }
  if (kind === 'regression') return { grid, kind, nOut, yhat, min, max };
  const predicted = new Int32Array(cells);
  const confidence = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    const o = c * nOut;
    if (kind === 'binary') {
      const p = yhat[o];
      predicted[c] = p >= 0.5 ? 1 : 0;
      confidence[c] = p >= 0.5 ? p : 1 - p;
    } else {
      const best = argmax(yhat, o, nOut);
      predicted[c] = best;
      confidence[c] = yhat[o + best];
    }
  }
  return { grid, kind, nOut, yhat, predicted, confidence, min, max };
}

function neuronsFromPass(net: Network, grid: Grid, pass: ForwardPass): NeuronLayerMap[] {
  const cells = grid.nx * grid.ny;
  return net.layers.map((layer, k) => {
    const l = k + 1;
    const a = pass.a[l].data;
    const n = layer.nOut;
    const values = new Float64Array(n * cells);
    const min = new Float64Array(n).fill(Infinity);
    const max = new Float64Array(n).fill(-Infinity);
    for (let c = 0; c < cells; c++) {
      for (let j = 0; j < n; j++) {
        const v = a[c * n + j];
        values[j * cells + c] = v;
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    return { l, activation: layer.activationName, units: n, values, min, max };
  });
}

/**
 * ŷ over the range of a 1-input model's data (`x` is its one input column), widened by the
 * margin, at `points` evenly spaced values: the fitted curve of a regression.
 */
export function fittedCurve(net: Network, x: ArrayLike<number>, rows: number, options: { points?: number; margin?: number; minSpan?: number } = {}): FittedCurve {
  if (net.sizes[0] !== 1) throw new RangeError(`a fitted curve needs a network with 1 input; this one has ${net.sizes[0]}`);
  const n = options.points ?? 200;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`a fitted curve needs a whole number of points ≥ 2, got ${n}`);
  const [lo, hi] = axisRange(x, rows, 1, 0, options);
  const xs = zeros(n, 1);
  for (let i = 0; i < n; i++) xs.data[i] = lo + ((hi - lo) * i) / (n - 1);
  const pass = forward(net, xs);
  const out = pass.a[pass.a.length - 1];
  return { x: xs.data, yhat: out.data, nOut: out.cols };
}
