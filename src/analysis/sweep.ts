/**
 * The architecture sweep: train every combination of depth, width (and optionally hidden
 * activation and learning rate) on the same data split with the same seed, and compare their
 * final losses. Results go to a versioned JSON file so that a sweep can be reopened later.
 *
 * Each configuration trains exactly as the CLI's `train` and the worker's `Trainer` do: the
 * network from the model's `init` with the sweep's seed, the shuffling generator seeded
 * shuffleRandom(seed), the engine's `trainEpoch`, then `evaluate`. So opening a configuration as a new
 * model file (`modelForConfig`) and training it for the same epochs gives the same final loss.
 *
 * Runs in whatever thread calls it; it hands control back (`yieldControl`) every `yieldEveryMs`
 * so that a worker can receive a cancel message between epochs.
 */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ACTIVATION_NAMES, isActivationName, type ActivationName } from '../engine/activations';
import { createOptimizer } from '../engine/optimizers';
import { evaluate, isBinaryTarget, shuffleRandom, trainEpoch, type Samples } from '../engine/training';
import type { ModelFile } from '../model/modelFile';
import { networkFromModel } from '../model/modelNetwork';
import { formatPath, lineColumn, locate, type JsonPath } from '../model/jsonLocation';
import { isObject, describeValue } from '../engine/jsonValue';

/** What to sweep. */
export interface SweepSpec {
  /** Numbers of hidden layers (0: no hidden layer, the output layer reads x directly). */
  readonly depths: readonly number[];
  /** Units per hidden layer (every hidden layer of a configuration has the same width). */
  readonly widths: readonly number[];
  /** Hidden activations; default: the base model's first hidden activation, else ReLU. */
  readonly activations?: readonly ActivationName[];
  /** Learning rates η; default: the base model's. */
  readonly learningRates?: readonly number[];
  /** Epochs per configuration. */
  readonly epochs: number;
  /** The seed of every configuration's initialization and shuffling; default: the base model's `init.seed`, else 1. */
  readonly seed?: number;
}

/** One configuration of a sweep. */
export interface SweepConfig {
  /** Hidden layers. */
  readonly depth: number;
  /** Units per hidden layer (0 when depth is 0). */
  readonly width: number;
  /** The hidden layers' activation. */
  readonly activation: ActivationName;
  /** η. */
  readonly learningRate: number;
}

/**
 * What makes two configurations the same across sweeps: depth, η, and for hidden layers their
 * width and σ (a network without hidden layers has neither).
 */
export function configKey(c: SweepConfig): string {
  return c.depth === 0 ? `0|${c.learningRate}` : `${c.depth}|${c.width}|${c.activation}|${c.learningRate}`;
}

/**
 * For each result of a sweep, the result of the same configuration in an earlier sweep, or null
 * where the earlier one did not train it: the rows of a comparison, in the current sweep's order.
 */
export function matchResults(current: readonly SweepResult[], earlier: readonly SweepResult[]): (SweepResult | null)[] {
  const byKey = new Map(earlier.map((r) => [configKey(r.config), r]));
  return current.map((r) => byKey.get(configKey(r.config)) ?? null);
}

/** How one configuration did. */
export interface SweepResult {
  readonly config: SweepConfig;
  /** Trainable parameters: Σ_l (n_{l−1} + 1) n_l. */
  readonly parameters: number;
  /** Epochs trained. */
  readonly epochs: number;
  /** J on the training split after the last epoch (NaN or ∞ if training diverged). */
  readonly finalLoss: number;
  /** J on the validation split, when the data has one. */
  readonly finalValLoss?: number;
  /** Classification only: accuracy on the training split. */
  readonly accuracy?: number;
  /** Classification only, with a validation split. */
  readonly valAccuracy?: number;
  /** Wall-clock seconds of training and evaluation (time handed back to other work not counted). */
  readonly seconds: number;
  /** The training loss is not finite. */
  readonly diverged: boolean;
}

/** Reported after every epoch of every configuration. */
export interface SweepProgress {
  /** 0-based index of the configuration training now. */
  readonly index: number;
  readonly configs: number;
  readonly config: SweepConfig;
  /** Epochs of this configuration done (1-based). */
  readonly epoch: number;
  readonly epochs: number;
  /** The fraction of all the sweep's epochs done, 0..1. */
  readonly fraction: number;
}

/** An AbortSignal or anything with an `aborted` flag. */
export interface AbortLike {
  readonly aborted: boolean;
}

/** How the sweep runs. */
export interface SweepOptions {
  /** Checked after every epoch; once set, the sweep stops and the configuration in progress is dropped. */
  readonly signal?: AbortLike;
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Called with each finished configuration. */
  readonly onResult?: (result: SweepResult, index: number) => void;
  /** Milliseconds; default `performance.now()`. */
  readonly now?: () => number;
  /** Hand control back at least this often (ms). Default 50. */
  readonly yieldEveryMs?: number;
  /** How control is handed back; default a `setTimeout(0)`, which lets queued messages in. */
  readonly yieldControl?: () => Promise<void>;
}

/** One split as the engine needs it; a `PreparedData` split fits. */
export interface SweepSplit {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
}

/** The data a sweep trains on; `PreparedData` (and the protocol's `TrainingData`) fit this shape. */
export interface SweepData {
  readonly task: 'classification' | 'regression';
  readonly nIn: number;
  readonly nOut: number;
  readonly train: SweepSplit;
  readonly validation?: SweepSplit;
}

/** The sweep file's `format` value. */
export const SWEEP_FORMAT = 'mlp-inspector-sweep';
/** The version this code writes and reads. */
export const SWEEP_VERSION = 1;

/** A sweep as written to and read from its file. */
export interface SweepFile {
  readonly format: typeof SWEEP_FORMAT;
  readonly version: typeof SWEEP_VERSION;
  /** The base model's name. */
  readonly model: string;
  /** ISO 8601 time the sweep started. */
  readonly started: string;
  /** The spec with its defaults filled in (seed, activations, learning rates). */
  readonly spec: Required<SweepSpec>;
  /**
   * The base model without its parameters: what `modelForConfig` builds on when the file is
   * reopened. `parseSweep` checks only its layer sizes and loss; the model written from it is
   * checked in full when it is opened as a model file.
   */
  readonly base: ModelFile;
  readonly data: { readonly task: 'classification' | 'regression'; readonly trainRows: number; readonly validationRows: number; readonly source?: string };
  /** True when the sweep was cancelled; `results` then holds the configurations finished before. */
  readonly cancelled: boolean;
  readonly results: SweepResult[];
}

/** The spec with every default taken from the base model. */
export function resolveSpec(base: ModelFile, spec: SweepSpec): Required<SweepSpec> {
  const problems: string[] = [];
  const wholeList = (name: string, values: readonly number[], min: number) => {
    if (values.length === 0) problems.push(`${name} must list at least one value`);
    for (const v of values) if (!Number.isInteger(v) || v < min || v > 100000) problems.push(`${name} must be whole numbers from ${min} to 100000, got ${v}`);
  };
  wholeList('depths', spec.depths, 0);
  wholeList('widths', spec.widths, 1);
  if (!Number.isInteger(spec.epochs) || spec.epochs < 1) problems.push(`epochs must be a whole number ≥ 1, got ${spec.epochs}`);
  const hidden = base.layers.length > 2 ? base.layers[1].activation : undefined;
  const activations = spec.activations ?? [hidden ?? 'relu'];
  if (activations.length === 0) problems.push('activations must list at least one activation');
  for (const a of activations) if (!isActivationName(a) || a === 'softmax') problems.push(`unknown hidden activation "${String(a)}"; expected one of ${ACTIVATION_NAMES.filter((n) => n !== 'softmax').join(', ')}`);
  const learningRates = spec.learningRates ?? [base.optimizer?.learningRate ?? (base.optimizer?.type === 'adam' ? 0.001 : 0.1)];
  if (learningRates.length === 0) problems.push('learningRates must list at least one value');
  for (const r of learningRates) if (!(Number.isFinite(r) && r > 0)) problems.push(`learning rates must be numbers > 0, got ${r}`);
  const seed = spec.seed ?? base.init?.seed ?? 1;
  if (!Number.isInteger(seed)) problems.push(`seed must be a whole number, got ${seed}`);
  if (problems.length > 0) throw new RangeError(`invalid sweep: ${problems.join('; ')}`);
  return { depths: [...spec.depths], widths: [...spec.widths], activations: [...activations], learningRates: [...learningRates], epochs: spec.epochs, seed };
}

/**
 * Every configuration of the spec, depth-major (then width, activation, learning rate). Depth 0
 * has no hidden layer, so width and activation do not apply: it appears once per learning rate.
 */
export function sweepConfigs(base: ModelFile, spec: SweepSpec): SweepConfig[] {
  const s = resolveSpec(base, spec);
  const out: SweepConfig[] = [];
  const seen = new Set<string>();
  for (const depth of s.depths) {
    for (const width of s.widths) {
      for (const activation of s.activations) {
        for (const learningRate of s.learningRates) {
          const config: SweepConfig = depth === 0 ? { depth, width: 0, activation: s.activations[0], learningRate } : { depth, width, activation, learningRate };
          const key = JSON.stringify(config);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(config);
        }
      }
    }
  }
  return out;
}

/**
 * The base model reshaped to a configuration: the same input and output layers, `depth` hidden
 * layers of `width` units, the configuration's η, the sweep's seed; no parameters, so it starts
 * from a fresh initialization. This is the model "open the best as a new model file" writes.
 */
export function modelForConfig(base: ModelFile, config: SweepConfig, seed: number, epochs?: number): ModelFile {
  const { parameters: _parameters, ...rest } = base;
  const input = base.layers[0];
  const output = base.layers[base.layers.length - 1];
  const hidden = Array.from({ length: config.depth }, () => ({ units: config.width, activation: config.activation }));
  const shape = config.depth === 0 ? 'no hidden layer' : `${config.depth}×${config.width} ${config.activation}`;
  return {
    ...rest,
    name: `${base.name ?? 'model'} (${shape}, η ${config.learningRate})`,
    description: `${base.name ?? 'The model'} with ${config.depth === 0 ? 'no hidden layer' : `${config.depth} hidden layer${config.depth === 1 ? '' : 's'} of ${config.width} ${config.activation} units`} and η = ${config.learningRate}, from an architecture sweep.`,
    layers: [{ units: input.units }, ...hidden, { ...output }],
    init: { ...base.init, seed },
    optimizer: { ...base.optimizer, learningRate: config.learningRate, ...(epochs !== undefined ? { epochs } : {}) },
  };
}

/** Σ_l (n_{l−1} + 1) n_l. */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += (sizes[l - 1] + 1) * sizes[l];
  return n;
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains the configurations one after another and yields each result as it finishes. Stops
 * (without yielding the configuration in progress) once `options.signal.aborted` is set.
 */
export async function* sweepResults(base: ModelFile, data: SweepData, spec: SweepSpec, options: SweepOptions = {}): AsyncGenerator<SweepResult, void, undefined> {
  const s = resolveSpec(base, spec);
  const configs = sweepConfigs(base, s);
  if (base.layers[0].units !== data.nIn) throw new RangeError(`the data has ${data.nIn} inputs per row but the model's input layer has ${base.layers[0].units} units`);
  if (base.layers[base.layers.length - 1].units !== data.nOut) throw new RangeError(`the data has ${data.nOut} targets per row but the model's output layer has ${base.layers[base.layers.length - 1].units} units`);
  const now = options.now ?? (() => performance.now());
  const yieldControl = options.yieldControl ?? defaultYield;
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  const train = samples(data.train, data.nIn, data.nOut);
  const validation = data.validation && data.validation.rows > 0 ? samples(data.validation, data.nIn, data.nOut) : undefined;
  const classification = data.task === 'classification' || isBinaryTarget(train.y);
  const total = configs.length * s.epochs;
  let lastYield = now();

  for (let index = 0; index < configs.length; index++) {
    if (options.signal?.aborted) return;
    const config = configs[index];
    const model = modelForConfig(base, config, s.seed, s.epochs);
    const started = now();
    let paused = 0;
    const net = networkFromModel(model);
    const optimizer = createOptimizer(model.optimizer);
    const rng = shuffleRandom(s.seed);
    const epochOptions = { batchSize: model.optimizer?.batchSize ?? 0, shuffle: model.optimizer?.shuffle ?? true, rng };
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      trainEpoch(net, optimizer, train, epochOptions);
      options.onProgress?.({ index, configs: configs.length, config, epoch, epochs: s.epochs, fraction: (index * s.epochs + epoch) / total });
      if (options.signal?.aborted) return;
      if (now() - lastYield >= yieldEveryMs) {
        const before = now();
        await yieldControl();
        lastYield = now();
        paused += lastYield - before; // time other work had: not this configuration's
        if (options.signal?.aborted) return;
      }
    }
    const t = evaluate(net, train, classification);
    const v = validation ? evaluate(net, validation, classification) : undefined;
    const result: SweepResult = {
      config,
      parameters: parameterCount(net.sizes),
      epochs: s.epochs,
      finalLoss: t.loss,
      ...(v ? { finalValLoss: v.loss } : {}),
      ...(t.accuracy !== undefined ? { accuracy: t.accuracy } : {}),
      ...(v?.accuracy !== undefined ? { valAccuracy: v.accuracy } : {}),
      seconds: (now() - started - paused) / 1000,
      diverged: !Number.isFinite(t.loss),
    };
    options.onResult?.(result, index);
    yield result;
  }
}

/** Runs the whole sweep and returns it as its file contents (partial, `cancelled`, if aborted). */
export async function runSweep(base: ModelFile, data: SweepData, spec: SweepSpec, options: SweepOptions & { started?: Date; source?: string } = {}): Promise<SweepFile> {
  const resolved = resolveSpec(base, spec);
  const results: SweepResult[] = [];
  const started = (options.started ?? new Date()).toISOString();
  for await (const r of sweepResults(base, data, resolved, options)) results.push(r);
  const expected = sweepConfigs(base, resolved).length;
  const { parameters: _parameters, ...baseWithoutParameters } = base;
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    model: base.name ?? 'model',
    started,
    spec: resolved,
    base: baseWithoutParameters as ModelFile,
    data: {
      task: data.task,
      trainRows: data.train.rows,
      validationRows: data.validation?.rows ?? 0,
      ...(options.source !== undefined ? { source: options.source } : {}),
    },
    cancelled: results.length < expected,
    results,
  };
}

/**
 * The best result: the lowest final validation loss when any result has one, else the lowest
 * final training loss. Diverged results and results without the figure rank last; ties go to
 * the smaller network, then to the earlier configuration.
 */
export function bestConfig(results: readonly SweepResult[]): SweepResult | undefined {
  const useValidation = results.some((r) => r.finalValLoss !== undefined && Number.isFinite(r.finalValLoss));
  const key = (r: SweepResult): number => {
    const v = useValidation ? r.finalValLoss : r.finalLoss;
    return v !== undefined && Number.isFinite(v) ? v : Infinity;
  };
  let best: SweepResult | undefined;
  for (const r of results) {
    if (best === undefined || key(r) < key(best) || (key(r) === key(best) && r.parameters < best.parameters)) best = r;
  }
  return best !== undefined && key(best) === Infinity ? undefined : best;
}

function samples(split: SweepSplit, nIn: number, nOut: number): Samples {
  return { x: { rows: split.rows, cols: nIn, data: split.x }, y: { rows: split.rows, cols: nOut, data: split.y } };
}

// ---- the file -------------------------------------------------------------------------------

/** A sweep file that cannot be read; the message says where (line:column and JSON path) and what. */
export class SweepFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly path: string,
  ) {
    super(message);
    this.name = 'SweepFileError';
  }
}

/** The file's text: JSON, two-space indent, one result per line; NaN and ±∞ losses are written as null. */
export function serializeSweep(file: SweepFile): string {
  const { results, ...head } = file;
  const lines = results.map((r) => '    ' + JSON.stringify(r, finiteOrNull));
  const headJson = JSON.stringify({ ...head, results: [] }, finiteOrNull, 2);
  return headJson.replace(/"results": \[\]/, lines.length === 0 ? '"results": []' : `"results": [\n${lines.join(',\n')}\n  ]`) + '\n';
}

function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** Reads a sweep file, or throws a SweepFileError naming the first problem and where it is. */
export function parseSweep(text: string): SweepFile {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const fail = (path: JsonPath, message: string, offset?: number): never => {
    const at = offset ?? locate(tree, path).offset;
    const { line, column } = lineColumn(text, at);
    throw new SweepFileError(`sweep file ${line}:${column}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`, line, column, formatPath(path));
  };
  if (text.trim() === '') fail([], 'the file is empty', 0);
  if (errors.length > 0) fail([], `invalid JSON: ${printParseErrorCode(errors[0].error)}`, errors[0].offset);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail([], `invalid JSON: ${(e as Error).message}`, 0);
  }
  const obj = (v: unknown, path: JsonPath): Record<string, unknown> => (isObject(v) ? v : fail(path, `must be an object, got ${describeValue(v)}`));
  const num = (v: unknown, path: JsonPath, what = 'a number'): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, `must be ${what}, got ${describeValue(v)}`));
  const whole = (v: unknown, path: JsonPath, min: number): number => {
    const n = num(v, path, `a whole number ≥ ${min}`);
    return Number.isInteger(n) && n >= min ? n : fail(path, `must be a whole number ≥ ${min}, got ${n}`);
  };
  const lossOrNull = (v: unknown, path: JsonPath): number => (v === null ? NaN : num(v, path, 'a number or null'));
  const fraction = (v: unknown, path: JsonPath): number => {
    const n = num(v, path, 'a fraction from 0 to 1');
    return n >= 0 && n <= 1 ? n : fail(path, `must be a fraction from 0 to 1, got ${n}`);
  };
  const str = (v: unknown, path: JsonPath): string => (typeof v === 'string' ? v : fail(path, `must be a string, got ${describeValue(v)}`));
  const arr = (v: unknown, path: JsonPath): unknown[] => (Array.isArray(v) ? v : fail(path, `must be an array, got ${describeValue(v)}`));
  const activation = (v: unknown, path: JsonPath): ActivationName => (isActivationName(v) ? v : fail(path, `must be one of ${ACTIVATION_NAMES.join(', ')}, got ${describeValue(v)}`));
  const task = (v: unknown, path: JsonPath): 'classification' | 'regression' => (v === 'classification' || v === 'regression' ? v : fail(path, `must be "classification" or "regression", got ${describeValue(v)}`));

  const root = obj(doc, []);
  if (root.format !== SWEEP_FORMAT) fail(['format'], `must be "${SWEEP_FORMAT}" (this is not a sweep file?), got ${describeValue(root.format)}`);
  if (root.version !== SWEEP_VERSION) {
    fail(['version'], typeof root.version === 'number' && root.version > SWEEP_VERSION ? `version ${root.version} was written by a newer MLP Inspector; this one reads version ${SWEEP_VERSION}` : `must be ${SWEEP_VERSION}, got ${describeValue(root.version)}`);
  }
  const specObj = obj(root.spec, ['spec']);
  const spec: Required<SweepSpec> = {
    depths: arr(specObj.depths, ['spec', 'depths']).map((v, i) => whole(v, ['spec', 'depths', i], 0)),
    widths: arr(specObj.widths, ['spec', 'widths']).map((v, i) => whole(v, ['spec', 'widths', i], 1)),
    activations: arr(specObj.activations, ['spec', 'activations']).map((v, i) => activation(v, ['spec', 'activations', i])),
    learningRates: arr(specObj.learningRates, ['spec', 'learningRates']).map((v, i) => num(v, ['spec', 'learningRates', i])),
    epochs: whole(specObj.epochs, ['spec', 'epochs'], 1),
    seed: num(specObj.seed, ['spec', 'seed']),
  };
  const base = obj(root.base, ['base']);
  const baseLayers = arr(base.layers, ['base', 'layers']);
  if (baseLayers.length < 2) fail(['base', 'layers'], 'needs the input layer and the output layer');
  baseLayers.forEach((l, i) => whole(obj(l, ['base', 'layers', i]).units, ['base', 'layers', i, 'units'], 1));
  str(base.loss, ['base', 'loss']);
  const dataObj = obj(root.data, ['data']);
  const data = {
    task: task(dataObj.task, ['data', 'task']),
    trainRows: whole(dataObj.trainRows, ['data', 'trainRows'], 0),
    validationRows: whole(dataObj.validationRows, ['data', 'validationRows'], 0),
    ...(dataObj.source !== undefined ? { source: str(dataObj.source, ['data', 'source']) } : {}),
  };
  if (typeof root.cancelled !== 'boolean') fail(['cancelled'], `must be true or false, got ${describeValue(root.cancelled)}`);
  const results = arr(root.results, ['results']).map((value, i): SweepResult => {
    const at: JsonPath = ['results', i];
    const r = obj(value, at);
    const c = obj(r.config, [...at, 'config']);
    const optional = (key: string, read: (v: unknown, path: JsonPath) => number) => (r[key] === undefined ? {} : { [key]: read(r[key], [...at, key]) });
    return {
      config: {
        depth: whole(c.depth, [...at, 'config', 'depth'], 0),
        width: whole(c.width, [...at, 'config', 'width'], 0),
        activation: activation(c.activation, [...at, 'config', 'activation']),
        learningRate: num(c.learningRate, [...at, 'config', 'learningRate']),
      },
      parameters: whole(r.parameters, [...at, 'parameters'], 0),
      epochs: whole(r.epochs, [...at, 'epochs'], 0),
      finalLoss: lossOrNull(r.finalLoss, [...at, 'finalLoss']),
      ...optional('finalValLoss', lossOrNull),
      ...optional('accuracy', fraction),
      ...optional('valAccuracy', fraction),
      seconds: num(r.seconds, [...at, 'seconds']),
      diverged: typeof r.diverged === 'boolean' ? r.diverged : fail([...at, 'diverged'], `must be true or false, got ${describeValue(r.diverged)}`),
    };
  });
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    model: str(root.model, ['model']),
    started: str(root.started, ['started']),
    spec,
    base: base as ModelFile,
    data,
    cancelled: root.cancelled as boolean,
    results,
  };
}


