/**
 * From a checked model file to a live network, and back: the network's parameters come from the
 * file's `parameters` when present (hand-set or trained), otherwise from its `init` section.
 */
import { createNetwork, setLayerParameters, type Network } from '../engine/network';
import { toRows } from '../engine/matrix';
import type { LayerParameters, ModelFile } from './modelFile';

/** The network a model file describes. Ignores `parameters` when `fresh` (Reset Weights). */
export function networkFromModel(model: ModelFile, fresh = false): Network {
  const net = createNetwork(model.layers, model.loss, model.init ?? {});
  if (model.parameters && !fresh) {
    model.parameters.forEach((p, k) => setLayerParameters(net, k + 1, p.W, p.b));
  }
  return net;
}

/** The network's current parameters in the model file's form. */
export function parametersOf(net: Network): LayerParameters[] {
  return net.layers.map((layer) => ({ W: toRows(layer.W), b: Array.from(layer.b) }));
}

/** A copy of the model with the network's current parameters. */
export function modelWithParameters(model: ModelFile, net: Network, extra: Partial<ModelFile> = {}): ModelFile {
  return { ...model, ...extra, parameters: parametersOf(net) };
}
