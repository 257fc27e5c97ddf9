/**
 * A network as plain data: what crosses a thread or webview boundary (structured clone keeps
 * typed arrays and plain objects, not functions), and what the engine's Network is rebuilt from.
 * Each layer names its activation and that activation's parameter (ELU's α), so nothing has to be
 * recovered from a display string; W and b are flat, row-major as in the engine.
 */
import { getActivation, type ActivationName } from './activations';
import { getLoss, type LossName } from './losses';
import type { Network } from './network';

/** Layer l as plain data. */
export interface LayerState {
  /** n_{l−1}. */
  readonly nIn: number;
  /** n_l. */
  readonly nOut: number;
  readonly activation: ActivationName;
  /** ELU's α (absent for the other activations). */
  readonly alpha?: number;
  /** W[l], n_{l−1} × n_l, row-major: W[l][i][j] = W[i * nOut + j]. */
  readonly W: Float64Array;
  /** b[l], length n_l. */
  readonly b: Float64Array;
}

/** A whole network as plain data; layers[l − 1] is layer l. */
export interface NetworkState {
  readonly loss: LossName;
  readonly layers: readonly LayerState[];
}

/** Copies of every layer's shape, activation (with its parameter) and parameters. */
export function layerStates(net: Network): LayerState[] {
  return net.layers.map((layer) => ({
    nIn: layer.nIn,
    nOut: layer.nOut,
    activation: layer.activationName,
    ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
    W: new Float64Array(layer.W.data),
    b: new Float64Array(layer.b),
  }));
}

/** The network as plain data (copies: later training does not change it). */
export function fromNetwork(net: Network): NetworkState {
  return { loss: net.loss.name, layers: layerStates(net) };
}

/** An engine Network with copies of the state's parameters. */
export function toNetwork(state: NetworkState): Network {
  const first = state.layers[0];
  if (!first) throw new RangeError('a network needs at least one layer after the input');
  state.layers.forEach((l, k) => {
    if (k > 0 && l.nIn !== state.layers[k - 1].nOut) throw new RangeError(`layer ${k + 1} reads ${l.nIn} values, but layer ${k} has ${state.layers[k - 1].nOut} units`);
    if (l.W.length !== l.nIn * l.nOut || l.b.length !== l.nOut) throw new RangeError(`layer ${k + 1} needs W of ${l.nIn}×${l.nOut} and b of ${l.nOut}`);
  });
  return {
    sizes: [first.nIn, ...state.layers.map((l) => l.nOut)],
    layers: state.layers.map((l) => ({
      nIn: l.nIn,
      nOut: l.nOut,
      W: { rows: l.nIn, cols: l.nOut, data: new Float64Array(l.W) },
      b: new Float64Array(l.b),
      activationName: l.activation,
      ...(l.alpha !== undefined ? { alpha: l.alpha } : {}),
      activation: getActivation(l.activation, { alpha: l.alpha }),
    })),
    loss: getLoss(state.loss),
  };
}
