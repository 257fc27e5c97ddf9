/**
 * A model as it crosses to and from other frameworks (ONNX, PyTorch): the function from raw
 * input features to the output, and the names and training settings that go with it. Every
 * exporter reads one, every importer writes one, so the rules for what a model file means
 * (parameters or seeded init, engineered features, saved normalization) live in one place.
 *
 * The function, for a raw input x (as in the data file):
 *   u      = x widened with the engineered features (x1², x1·x2, sin x1), in order;
 *   a[0]   = (u − offset) / scale             (the saved normalization; absent: a[0] = u);
 *   z[l]   = b[l] + W[l]ᵀ a[l−1],  a[l] = σ[l](z[l])  for l = 1..L;
 *   output = a[L].
 */
import { getActivation, type ActivationName } from '../engine/activations';
import type { LossName } from '../engine/losses';
import { resolveEngineered, type EngineeredFeature } from '../data/engineeredFeatures';
import { savedNormalization } from '../model/savedNormalization';
import { networkFromModel } from '../model/modelNetwork';
import type { ModelFile } from '../model/modelFile';
import type { TrainingConfig } from '../model/trainingConfig';
import { isObject } from '../engine/jsonValue';

/** One dense layer l: W[l] as n_{l−1} rows of n_l (W[i][j]: neuron i of l−1 to neuron j of l). */
export interface PortableLayer {
  readonly W: Float64Array;
  readonly nIn: number;
  readonly nOut: number;
  readonly b: Float64Array;
  readonly activation: ActivationName;
  /** ELU's α. */
  readonly alpha?: number;
}

/** An engineered input unit: what it computes from which raw inputs (indices into the raw input). */
export interface PortableFeature {
  readonly name: string;
  readonly kind: EngineeredFeature['kind'];
  /** One raw input index for square and sin, two for a product. */
  readonly at: readonly number[];
}

export interface PortableModel {
  readonly name?: string;
  /** Names of the raw inputs, as in the data file. */
  readonly inputNames: readonly string[];
  /** Extra input units computed from the raw inputs, after them, in order. */
  readonly engineered: readonly PortableFeature[];
  /** a[0] = (u − offset) / scale over the n_0 input units; absent: no normalization. */
  readonly normalization?: { readonly offset: readonly number[]; readonly scale: readonly number[] };
  readonly layers: readonly PortableLayer[];
  readonly loss: LossName;
  /** Class names, one per output unit of a softmax (or the positive class of one sigmoid unit). */
  readonly classes?: readonly string[];
  /** Names of the output units for a regression. */
  readonly outputNames?: readonly string[];
  /** The training settings to continue with elsewhere (the model file's `optimizer`). */
  readonly optimizer?: TrainingConfig;
}

/**
 * The model file's function: its parameters (or, without them, the weights its `init` section
 * draws, exactly as `forward` and the inspector do), its engineered features and its saved
 * normalization. `classes` names the output units when the caller knows them (from the data).
 * Throws a RangeError when the saved normalization or engineered features are not usable.
 */
export function portableModelOf(model: ModelFile, names: { inputNames?: readonly string[]; classes?: readonly string[]; outputNames?: readonly string[] } = {}): PortableModel {
  const net = networkFromModel(model);
  const n0 = model.layers[0].units;
  const list = model.data?.engineered ?? [];
  const rawUnits = n0 - list.length;
  const norm = model.normalization;
  const savedNames = isObject(norm) && Array.isArray(norm.inputNames) && norm.inputNames.length === n0 ? (norm.inputNames as string[]) : undefined;
  const listed = model.data?.features?.length === rawUnits ? model.data.features : undefined;
  const fromData = names.inputNames?.length === n0 ? names.inputNames.slice(0, rawUnits) : undefined;
  const inputNames = savedNames?.slice(0, rawUnits) ?? fromData ?? listed ?? Array.from({ length: rawUnits }, (_, k) => `x${k + 1}`);
  const engineered = list.length === 0 ? [] : resolveEngineered(list, inputNames).map(({ feature, at }) => ({ name: feature.name, kind: feature.kind, at }));
  const spec = savedNormalization(model);
  const normalization =
    spec === undefined || spec.method === 'none'
      ? undefined
      : spec.method === 'standard'
        ? { offset: spec.mean, scale: spec.std }
        : { offset: spec.min, scale: spec.max.map((hi, k) => hi - spec.min[k]) };
  const classes = names.classes ?? stringList(model.classes);
  const outputNames = names.outputNames ?? stringList(model.outputNames);
  return {
    ...(model.name !== undefined ? { name: model.name } : {}),
    inputNames,
    engineered,
    ...(normalization ? { normalization } : {}),
    layers: net.layers.map((layer) => ({
      W: Float64Array.from(layer.W.data),
      nIn: layer.nIn,
      nOut: layer.nOut,
      b: Float64Array.from(layer.b),
      activation: layer.activationName,
      ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}),
    })),
    loss: model.loss,
    ...(classes ? { classes } : {}),
    ...(outputNames ? { outputNames } : {}),
    ...(model.optimizer ? { optimizer: model.optimizer } : {}),
  };
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
}

/** The output of the portable model for rows of raw inputs (rows × inputNames.length, row-major), in float64. */
export function portableForward(m: PortableModel, x: Float64Array): Float64Array {
  const nRaw = m.inputNames.length;
  const rows = x.length / nRaw;
  const n0 = nRaw + m.engineered.length;
  let a = new Float64Array(rows * n0);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nRaw; k++) a[r * n0 + k] = x[r * nRaw + k];
    m.engineered.forEach((f, e) => {
      const u = x[r * nRaw + f.at[0]];
      a[r * n0 + nRaw + e] = f.kind === 'sin' ? Math.sin(u) : f.kind === 'square' ? u * u : u * x[r * nRaw + f.at[1]];
    });
    if (m.normalization) for (let k = 0; k < n0; k++) a[r * n0 + k] = (a[r * n0 + k] - m.normalization.offset[k]) / m.normalization.scale[k];
  }
  for (const layer of m.layers) {
    const next = new Float64Array(rows * layer.nOut);
    const z = new Float64Array(layer.nOut);
    const out = new Float64Array(layer.nOut);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < layer.nOut; j++) {
        let s = layer.b[j];
        for (let i = 0; i < layer.nIn; i++) s += layer.W[i * layer.nOut + j] * a[r * layer.nIn + i];
        z[j] = s;
      }
      getActivation(layer.activation, layer.alpha !== undefined ? { alpha: layer.alpha } : {}).forward(z, out);
      next.set(out, r * layer.nOut);
    }
    a = next;
  }
  return a;
}
