/**
 * Why a deep network needs non-linear activations: with σ(z) = z in every layer, the layers
 * compose into one. In the batch form a[l] = a[l−1] W[l] + b[l] (network.ts),
 *
 *   ŷ = x W[1] W[2] … W[L] + (b[1] W[2] … W[L] + b[2] W[3] … W[L] + … + b[L]),
 *
 * a single layer with W = W[1]W[2]…W[L] (n_0 × n_L) and b as in the brackets. However many
 * layers and units, the map stays affine, and its rank is at most the narrowest layer's width.
 *
 * For a network that does have non-linear activations this is the answer to "what if every
 * activation were linear": the same weights with σ replaced by the identity.
 */
import { identity } from '../engine/activations';
import { zeros, type Matrix } from '../engine/matrix';
import { forward, type Network } from '../engine/network';

/** The single layer equivalent to the network with every activation linear. */
export interface CollapsedLayer {
  /** n_0. */
  readonly nIn: number;
  /** n_L. */
  readonly nOut: number;
  /** W[1]W[2]…W[L], n_0 × n_L, row-major: W[i][j] = W.data[i·nOut + j]. */
  readonly W: Matrix;
  /** b[1]W[2]…W[L] + b[2]W[3]…W[L] + … + b[L], length n_L. */
  readonly b: Float64Array;
  /** True when every layer of the network already is linear (identity), so the collapse is exact. */
  readonly exact: boolean;
  /** The layers whose activation is not the identity (1-based l), replaced by it here. */
  readonly nonLinearLayers: number[];
  /** min over l of n_l: no affine map through the network can have a higher rank. */
  readonly bottleneck: number;
  /** The numerical rank of W (Gaussian elimination with partial pivoting, relative tolerance 1e-10). */
  readonly rank: number;
}

/** How well the collapsed layer reproduces the network on some inputs. */
export interface CollapseCheck {
  /** max |ŷ_network − ŷ_collapsed| over the inputs and outputs. */
  readonly maxAbsDifference: number;
  /** max |ŷ_network| (the scale the difference is relative to). */
  readonly maxAbsOutput: number;
  /** maxAbsDifference ≤ tolerance · max(1, maxAbsOutput). */
  readonly equal: boolean;
  readonly tolerance: number;
}

/** The product of the weight matrices and the combined bias: the one equivalent layer. */
export function collapseLinear(net: Network): CollapsedLayer {
  const first = net.layers[0];
  // Fold left to right: after layer l, (W, b) is the affine map x ↦ x W + b from a[0] to a[l].
  let W = first.W.data.slice();
  let b = first.b.slice();
  let cols = first.nOut;
  const nIn = first.nIn;
  for (let k = 1; k < net.layers.length; k++) {
    const layer = net.layers[k];
    const nOut = layer.nOut;
    const W2 = new Float64Array(nIn * nOut);
    const b2 = layer.b.slice();
    for (let i = 0; i < nIn; i++) {
      for (let t = 0; t < cols; t++) {
        const w = W[i * cols + t];
        if (w === 0) continue;
        const o = t * nOut;
        for (let j = 0; j < nOut; j++) W2[i * nOut + j] += w * layer.W.data[o + j];
      }
    }
    for (let t = 0; t < cols; t++) {
      const bt = b[t];
      if (bt === 0) continue;
      for (let j = 0; j < nOut; j++) b2[j] += bt * layer.W.data[t * nOut + j];
    }
    W = W2;
    b = b2;
    cols = nOut;
  }
  const nonLinearLayers = net.layers.flatMap((layer, k) => (layer.activationName === 'identity' ? [] : [k + 1]));
  const Wm: Matrix = { rows: nIn, cols, data: W };
  return { nIn, nOut: cols, W: Wm, b, exact: nonLinearLayers.length === 0, nonLinearLayers, bottleneck: Math.min(...net.sizes), rank: rank(Wm) };
}

/** ŷ = x W + b of the collapsed layer for a batch x (m × n_0). */
export function collapsedOutput(layer: CollapsedLayer, x: Matrix): Matrix {
  if (x.cols !== layer.nIn) throw new RangeError(`the input has ${x.cols} values per sample, but the collapsed layer takes ${layer.nIn}`);
  const out = zeros(x.rows, layer.nOut);
  const n = layer.nOut;
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < n; j++) out.data[r * n + j] = layer.b[j];
    for (let i = 0; i < layer.nIn; i++) {
      const xi = x.data[r * layer.nIn + i];
      for (let j = 0; j < n; j++) out.data[r * n + j] += xi * layer.W.data[i * n + j];
    }
  }
  return out;
}

/**
 * The network with the same W[l] and b[l] (shared, not copied) and every σ replaced by the
 * identity: the network the collapsed layer is equal to.
 */
export function linearized(net: Network): Network {
  return { sizes: net.sizes, loss: net.loss, layers: net.layers.map(({ alpha: _alpha, ...layer }) => ({ ...layer, activationName: 'identity', activation: identity })) };
}

/**
 * Compares the collapsed layer with the network's own forward pass on the inputs x. With
 * `asLinear` (the default) the network runs with every activation replaced by the identity, so
 * the two must agree; with `asLinear: false` it runs as it is, and the difference measures how
 * far its activations take it from the linear map.
 */
export function checkCollapse(net: Network, x: Matrix, options: { asLinear?: boolean; tolerance?: number } = {}): CollapseCheck {
  const tolerance = options.tolerance ?? 1e-12;
  const pass = forward(options.asLinear === false ? net : linearized(net), x);
  const yNet = pass.a[pass.a.length - 1].data;
  const yOne = collapsedOutput(collapseLinear(net), x).data;
  let maxAbsDifference = 0;
  let maxAbsOutput = 0;
  for (let i = 0; i < yNet.length; i++) {
    maxAbsDifference = Math.max(maxAbsDifference, Math.abs(yNet[i] - yOne[i]));
    maxAbsOutput = Math.max(maxAbsOutput, Math.abs(yNet[i]));
  }
  return { maxAbsDifference, maxAbsOutput, equal: maxAbsDifference <= tolerance * Math.max(1, maxAbsOutput), tolerance };
}

/** The numerical rank of a matrix by Gaussian elimination with partial pivoting. */
export function rank(M: Matrix, relativeTolerance = 1e-10): number {
  const rows = M.rows;
  const cols = M.cols;
  const a = M.data.slice();
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0) return 0;
  const tol = relativeTolerance * scale * Math.max(rows, cols);
  let r = 0;
  for (let c = 0; c < cols && r < rows; c++) {
    let pivot = r;
    for (let i = r + 1; i < rows; i++) if (Math.abs(a[i * cols + c]) > Math.abs(a[pivot * cols + c])) pivot = i;
    if (Math.abs(a[pivot * cols + c]) <= tol) continue;
    if (pivot !== r) {
      for (let j = 0; j < cols; j++) {
        const t = a[r * cols + j];
        a[r * cols + j] = a[pivot * cols + j];
        a[pivot * cols + j] = t;
      }
    }
    for (let i = r + 1; i < rows; i++) {
      const f = a[i * cols + c] / a[r * cols + c];
      if (f === 0) continue;
      for (let j = c; j < cols; j++) a[i * cols + j] -= f * a[r * cols + j];
    }
    r++;
  }
  return r;
}
