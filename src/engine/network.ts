/**
 * A multi-layer perceptron in the lecture's notation. For layer l = 1..L with n_l neurons:
 *
 *   z[l] = b[l] + W[l]ᵀ a[l−1],   a[l] = σ[l](z[l]),   a[0] = x,
 *
 * where W[l] is n_{l−1} × n_l and W[l][i][j] is the weight of the edge from neuron i of layer l−1
 * to neuron j of layer l. A batch of m samples is stored one sample per row, so in matrix form
 * Z[l] = A[l−1] W[l] + 1 b[l]ᵀ.
 *
 * Forward, backward and update are separate calls so that an inspector can stop between them
 * and show every cached intermediate: `forward` keeps z[l] and a[l] of every layer, `backward`
 * keeps dL/da[l], dL/dz[l], dL/dW[l] and dL/db[l]; the optimizers (optimizers.ts) update.
 */
import { getActivation, type Activation, type ActivationName } from './activations';
import { fusedOutputFor, rowsSumToOne, type FusedOutput } from './fusedOutput';
import { fillWeights, type InitSpec } from './initializers';
import { getLoss, type Loss, type LossName } from './losses';
import { zeros, type Matrix } from './matrix';
import { Random } from './random';

/** One layer as a model file declares it; layers[0] is the input layer (units only). */
export interface LayerSpec {
  readonly units: number;
  readonly activation?: ActivationName;
  /** ELU's α. */
  readonly alpha?: number;
}

/** A dense layer l: its parameters W[l], b[l] and its activation σ[l]. */
export interface DenseLayer {
  /** n_{l−1}. */
  readonly nIn: number;
  /** n_l. */
  readonly nOut: number;
  /** W[l], n_{l−1} × n_l, row-major: W[l][i][j] = W.data[i * nOut + j]. */
  readonly W: Matrix;
  /** b[l], length n_l. */
  readonly b: Float64Array;
  readonly activationName: ActivationName;
  /** ELU's α, the activation's one parameter (absent for the others). */
  readonly alpha?: number;
  readonly activation: Activation;
}

/** The network: its layer sizes, layers and loss. */
export interface Network {
  /** n_0, n_1, …, n_L. */
  readonly sizes: readonly number[];
  /** layers[l − 1] is layer l. */
  readonly layers: readonly DenseLayer[];
  readonly loss: Loss;
}

/** Everything forward propagation computed, for a batch of m samples. */
export interface ForwardPass {
  /** z[l] (m × n_l) for l = 1..L; z[0] is an empty placeholder so that indices match the lecture. */
  readonly z: Matrix[];
  /** a[l] (m × n_l) for l = 0..L; a[0] is the input x and a[L] is ŷ. */
  readonly a: Matrix[];
}

/** Everything backpropagation computed for a batch, given the targets y. */
export interface BackwardPass {
  /** J for the batch. */
  readonly loss: number;
  /** dL/da[l] (m × n_l) for l = 0..L: the gradient of J with respect to each layer's output. */
  readonly dLda: Matrix[];
  /** dL/dz[l] (m × n_l) for l = 1..L; dLdz[0] is an empty placeholder. */
  readonly dLdz: Matrix[];
  /** dL/dW[l] (n_{l−1} × n_l) = a[l−1]ᵀ dL/dz[l] summed over the batch, for l = 1..L; index 0 empty. */
  readonly dLdW: Matrix[];
  /** dL/db[l] (n_l) = Σ over the batch of dL/dz[l], for l = 1..L; index 0 empty. */
  readonly dLdb: Float64Array[];
  /** The fused output shortcut used for dL/dz[L], if any. */
  readonly fused?: string;
}

/** Builds a network with freshly initialized parameters. */
export function createNetwork(layers: readonly LayerSpec[], lossName: LossName, init: InitSpec = {}): Network {
  if (layers.length < 2) throw new RangeError('a network needs an input layer and at least one more layer');
  const rng = new Random(init.seed ?? 1);
  const sizes = layers.map((l) => l.units);
  const dense: DenseLayer[] = [];
  for (let l = 1; l < layers.length; l++) {
    const spec = layers[l];
    const nIn = sizes[l - 1];
    const nOut = sizes[l];
    const activationName = spec.activation ?? 'identity';
    const W = zeros(nIn, nOut);
    fillWeights(W.data, init.weights ?? 'xavier', nIn, nOut, rng, init.scale);
    const b = new Float64Array(nOut).fill(init.bias ?? 0);
    const alpha = activationName === 'elu' ? (spec.alpha ?? 1) : undefined;
    dense.push({ nIn, nOut, W, b, activationName, ...(alpha !== undefined ? { alpha } : {}), activation: getActivation(activationName, { alpha }) });
  }
  return { sizes, layers: dense, loss: getLoss(lossName) };
}

/** The number of layers L (not counting the input layer). */
export function depth(net: Network): number {
  return net.layers.length;
}

/**
 * Layer l's forward step for a batch: z = b[l] + W[l]ᵀ a[l−1] per sample, then a = σ[l](z).
 * Exported on its own so that the inspector can step one layer at a time.
 */
export function forwardLayer(layer: DenseLayer, aPrev: Matrix, z: Matrix, a: Matrix): void {
  const { nIn, nOut, W, b } = layer;
  const m = aPrev.rows;
  for (let r = 0; r < m; r++) {
    const zo = r * nOut;
    const ao = r * nIn;
    for (let j = 0; j < nOut; j++) z.data[zo + j] = b[j];
    for (let i = 0; i < nIn; i++) {
      const ai = aPrev.data[ao + i];
      if (ai === 0) continue;
      const wo = i * nOut;
      for (let j = 0; j < nOut; j++) z.data[zo + j] += W.data[wo + j] * ai;
    }
    layer.activation.forward(z.data.subarray(zo, zo + nOut), a.data.subarray(zo, zo + nOut));
  }
}

/** Forward propagation over a batch x (m × n_0), keeping z[l] and a[l] of every layer. */
export function forward(net: Network, x: Matrix): ForwardPass {
  if (x.cols !== net.sizes[0]) {
    throw new RangeError(`the input has ${x.cols} values per sample, but the network's input layer has ${net.sizes[0]} units`);
  }
  const m = x.rows;
  const z: Matrix[] = [zeros(0, 0)];
  const a: Matrix[] = [x];
  for (let l = 1; l <= net.layers.length; l++) {
    const layer = net.layers[l - 1];
    z.push(zeros(m, layer.nOut));
    a.push(zeros(m, layer.nOut));
    forwardLayer(layer, a[l - 1], z[l], a[l]);
  }
  return { z, a };
}

/** ŷ = a[L] for a batch. */
export function predict(net: Network, x: Matrix): Matrix {
  const pass = forward(net, x);
  return pass.a[pass.a.length - 1];
}

/** The fused shortcut that applies to this network's output layer and these targets, if any. */
export function outputShortcut(net: Network, y: Matrix): FusedOutput | undefined {
  const out = net.layers[net.layers.length - 1];
  return fusedOutputFor(out.activationName, net.loss.name, out.activationName === 'softmax' ? rowsSumToOne(y) : false);
}

/** J for a forward pass and targets y, using the fused (more accurate) form where it applies. */
export function lossOf(net: Network, pass: ForwardPass, y: Matrix): number {
  const L = net.layers.length;
  const fused = outputShortcut(net, y);
  return fused ? fused.value(pass.z[L], y) : net.loss.value(pass.a[L], y);
}

/**
 * Layer l's backward step, given dL/da[l] (or, with `dLdzKnown`, dL/dz[l] already filled):
 *   dL/dz[l] = J_σ(z[l])ᵀ dL/da[l]   (dL/da[l] ⊙ σ′(z[l]) for element-wise σ),
 *   dL/dW[l] = a[l−1]ᵀ dL/dz[l],   dL/db[l] = Σ_batch dL/dz[l],   dL/da[l−1] = dL/dz[l] W[l]ᵀ.
 */
export function backwardLayer(
  layer: DenseLayer,
  aPrev: Matrix,
  z: Matrix,
  a: Matrix,
  dLda: Matrix,
  dLdz: Matrix,
  dLdW: Matrix,
  dLdb: Float64Array,
  dLdaPrev: Matrix,
  dLdzKnown = false,
): void {
  const { nIn, nOut, W } = layer;
  const m = aPrev.rows;
  if (!dLdzKnown) {
    for (let r = 0; r < m; r++) {
      const o = r * nOut;
      layer.activation.backward(z.data.subarray(o, o + nOut), a.data.subarray(o, o + nOut), dLda.data.subarray(o, o + nOut), dLdz.data.subarray(o, o + nOut));
    }
  }
  dLdW.data.fill(0);
  dLdb.fill(0);
  dLdaPrev.data.fill(0);
  for (let r = 0; r < m; r++) {
    const zo = r * nOut;
    const ao = r * nIn;
    for (let j = 0; j < nOut; j++) dLdb[j] += dLdz.data[zo + j];
    for (let i = 0; i < nIn; i++) {
      const ai = aPrev.data[ao + i];
      const wo = i * nOut;
      let back = 0;
      for (let j = 0; j < nOut; j++) {
        const g = dLdz.data[zo + j];
        dLdW.data[wo + j] += ai * g;
        back += W.data[wo + j] * g;
      }
      dLdaPrev.data[ao + i] = back;
    }
  }
}

/** Backpropagation for the batch of `pass` against targets y (m × n_L). */
export function backward(net: Network, pass: ForwardPass, y: Matrix): BackwardPass {
  const L = net.layers.length;
  const yhat = pass.a[L];
  if (y.cols !== yhat.cols || y.rows !== yhat.rows) {
    throw new RangeError(`the target has ${y.cols} values per sample, but the network's output layer has ${yhat.cols} units`);
  }
  const m = y.rows;
  const dLda: Matrix[] = net.sizes.map((n) => zeros(m, n));
  const dLdz: Matrix[] = [zeros(0, 0), ...net.layers.map((layer) => zeros(m, layer.nOut))];
  const dLdW: Matrix[] = [zeros(0, 0), ...net.layers.map((layer) => zeros(layer.nIn, layer.nOut))];
  const dLdb: Float64Array[] = [new Float64Array(0), ...net.layers.map((layer) => new Float64Array(layer.nOut))];

  net.loss.gradient(yhat, y, dLda[L]);
  const fused = outputShortcut(net, y);
  if (fused) fused.dJdz(yhat, y, dLdz[L]);
  for (let l = L; l >= 1; l--) {
    backwardLayer(net.layers[l - 1], pass.a[l - 1], pass.z[l], pass.a[l], dLda[l], dLdz[l], dLdW[l], dLdb[l], dLda[l - 1], l === L && fused !== undefined);
  }
  return { loss: lossOf(net, pass, y), dLda, dLdz, dLdW, dLdb, fused: fused?.description };
}

/** A deep copy of the parameters (W[l], b[l] for each layer), for undo and snapshots. */
export function copyParameters(net: Network): { W: Float64Array; b: Float64Array }[] {
  return net.layers.map((layer) => ({ W: new Float64Array(layer.W.data), b: new Float64Array(layer.b) }));
}

/** Restores parameters taken by `copyParameters`. */
export function restoreParameters(net: Network, params: readonly { W: Float64Array; b: Float64Array }[]): void {
  net.layers.forEach((layer, k) => {
    layer.W.data.set(params[k].W);
    layer.b.set(params[k].b);
  });
}

/** Sets layer l's parameters from nested arrays (W as n_{l−1} rows of n_l values). */
export function setLayerParameters(net: Network, l: number, W: readonly (readonly number[])[], b: readonly number[]): void {
  const layer = net.layers[l - 1];
  if (W.length !== layer.nIn || W.some((r) => r.length !== layer.nOut) || b.length !== layer.nOut) {
    throw new RangeError(`layer ${l} needs W of shape ${layer.nIn}×${layer.nOut} and b of length ${layer.nOut}`);
  }
  for (let i = 0; i < layer.nIn; i++) for (let j = 0; j < layer.nOut; j++) layer.W.data[i * layer.nOut + j] = W[i][j];
  layer.b.set(b);
}

/**
 * A network with the same shape, activations and loss and a copy of the parameters: a change to
 * one never reaches the other. (Activations and losses hold no state and are shared.)
 */
export function cloneNetwork(net: Network): Network {
  return {
    sizes: [...net.sizes],
    layers: net.layers.map((layer) => ({ ...layer, W: { rows: layer.W.rows, cols: layer.W.cols, data: new Float64Array(layer.W.data) }, b: new Float64Array(layer.b) })),
    loss: net.loss,
  };
}
