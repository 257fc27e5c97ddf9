/**
 * The engineered input features a model computes from its raw inputs (`data.engineered`, see
 * src/data/engineeredFeatures.ts), for inference outside training: the CLI's `forward` and
 * `backward` take the raw inputs, as in the data file, and widen them exactly as loading the
 * data did, before the saved normalization.
 */
import { resolveEngineered, withEngineered } from '../data/engineeredFeatures';
import { isObject } from '../engine/jsonValue';
import type { ModelFile } from './modelFile';

/** How a model widens a raw input: how many raw values it takes, and the widening. */
export interface SavedFeatures {
  /** Raw input values per row: the input layer's units less the engineered ones. */
  readonly rawUnits: number;
  /** The raw inputs of `rows` rows (row-major) with the features appended to each row. */
  expand(x: Float64Array): Float64Array;
}

/**
 * The model's engineered features, or undefined when it has none. The raw inputs' names come
 * from the saved normalization (a trained model's, which lists every input unit) or else from
 * `data.features`; a RangeError says what is missing when neither names them.
 */
export function savedFeatures(model: ModelFile): SavedFeatures | undefined {
  const list = model.data?.engineered;
  if (!list || list.length === 0) return undefined;
  const n0 = model.layers[0].units;
  const rawUnits = n0 - list.length;
  if (rawUnits < 1) throw new RangeError(`the input layer has ${n0} unit${n0 === 1 ? '' : 's'}: too few for ${list.length} engineered features and the raw inputs they are computed from`);
  const n = model.normalization;
  const saved = isObject(n) && Array.isArray(n.inputNames) && n.inputNames.length === n0 ? (n.inputNames.slice(0, rawUnits) as string[]) : undefined;
  const listed = model.data?.features?.length === rawUnits ? model.data.features : undefined;
  const names = saved ?? listed;
  if (!names) {
    throw new RangeError(`the engineered inputs ${list.map((f) => JSON.stringify(f)).join(', ')} need the names of the ${rawUnits} raw input${rawUnits === 1 ? '' : 's'}: list them in "data.features", or train and save the model (its "normalization" keeps them)`);
  }
  const features = resolveEngineered(list, names);
  return { rawUnits, expand: (x) => withEngineered(x, rawUnits, features) };
}
