/**
 * A portable model (from an import) as a model file: layers, loss, parameters, the saved
 * normalization (which also keeps the input names), and the class names; plus, for a file MLP
 * Inspector exported, the data and optimizer sections it carried, so that a round trip keeps
 * what to train on and how.
 */
import { isObject } from '../engine/jsonValue';
import type { LayerSpec } from '../engine/network';
import type { ModelFile } from '../model/modelFile';
import type { PortableModel } from './portableModel';

export interface TrainingExtras {
  readonly data?: unknown;
  readonly optimizer?: unknown;
  readonly description?: unknown;
}

/** The model file for a portable model; `training` is used only where it is an object. */
export function modelFromPortable(m: PortableModel, training: unknown, description: string): ModelFile {
  const extras: TrainingExtras = isObject(training) ? training : {};
  const n0 = m.layers[0].nIn;
  const unitNames = [...m.inputNames, ...m.engineered.map((f) => f.name)];
  const layers: LayerSpec[] = [{ units: n0 }, ...m.layers.map((l) => ({ units: l.nOut, activation: l.activation, ...(l.alpha !== undefined ? { alpha: l.alpha } : {}) }))];
  const data = isObject(extras.data) ? { ...extras.data } : undefined;
  if (m.engineered.length > 0) {
    if (!data) throw new RangeError(`the model computes the engineered inputs ${m.engineered.map((f) => JSON.stringify(f.name)).join(', ')}, which a model file keeps in its "data" section, and the file carries none (it was not exported by MLP Inspector)`);
    data.engineered = m.engineered.map((f) => f.name);
  }
  return {
    name: m.name ?? 'imported',
    description: typeof extras.description === 'string' ? extras.description : description,
    layers,
    loss: m.loss,
    ...(isObject(extras.optimizer) ? { optimizer: extras.optimizer } : {}),
    ...(data ? { data } : {}),
    ...(m.classes ? { classes: [...m.classes] } : {}),
    ...(m.outputNames ? { outputNames: [...m.outputNames] } : {}),
    parameters: m.layers.map((l) => ({
      W: Array.from({ length: l.nIn }, (_, i) => Array.from(l.W.subarray(i * l.nOut, (i + 1) * l.nOut))),
      b: Array.from(l.b),
    })),
    normalization: m.normalization
      ? { method: 'standard', inputNames: unitNames, mean: [...m.normalization.offset], std: [...m.normalization.scale] }
      : { method: 'none', inputNames: unitNames },
  };
}
