/**
 * The model file, `*.mlp.json`: one JSON document describing a network, read by the extension
 * and the CLI alike. This module turns its text into a checked `ModelFile`, reporting every
 * problem with the line and column where it is, and writes a model back out.
 *
 * The checks here mirror `schemas/mlp.schema.json` (which VS Code uses for completion and
 * squiggles while editing); they add what a schema cannot say, such as parameter shapes that
 * must match the layer sizes.
 */
import { DEFAULT_MAX_PARAMETERS, parameterBudgetProblem } from './parameterBudget';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ACTIVATION_NAMES, isActivationName } from '../engine/activations';
import { INITIALIZER_NAMES, isInitializerName, type InitSpec } from '../engine/initializers';
import { LOSS_NAMES, isLossName, type LossName } from '../engine/losses';
import { NO_VALIDATION_FOR_EARLY_STOPPING } from '../engine/earlyStopping';
import { ENGINEERED_SYNTAX, parseEngineeredFeature } from '../data/engineeredFeatures';
import { earlyStoppingProblems, TRAINING_RULES, trainingValueProblem, type TrainingConfig, type TrainingKey } from './trainingConfig';
import type { LayerSpec } from '../engine/network';
import { duplicateKeys, formatPath, lineColumn, locate, MAX_JSON_DEPTH, tooDeep, type JsonPath } from './jsonLocation';
import { isObject } from '../engine/jsonValue';

/** Trained (or hand-set) parameters of one non-input layer l: W[l] (n_{l−1} rows of n_l) and b[l]. */
export interface LayerParameters {
  readonly W: number[][];
  readonly b: number[];
}

/** The `data` section: where the samples come from and how they become tensors (see src/data). */
export interface ModelDataSection {
  readonly path?: string;
  readonly synthetic?: string;
  readonly samples?: number;
  readonly noise?: number;
  readonly seed?: number;
  readonly features?: string[];
  readonly target?: string[];
  /** Extra input units computed from the input columns (src/data/engineeredFeatures.ts). */
  readonly engineered?: string[];
  readonly normalize?: 'standard' | 'minmax' | 'none';
  readonly validationSplit?: number;
  readonly testSplit?: number;
  readonly missing?: 'error' | 'drop' | 'mean';
  readonly columnTypes?: Record<string, 'numeric' | 'categorical'>;
  readonly format?: 'csv' | 'tsv' | 'json' | 'jsonl';
}

/** The `lesson` section: lesson mode, a truth table to solve by setting W and b by hand. */
export interface LessonSection {
  readonly title: string;
  readonly goal: string;
}

/** The longest lesson title and goal, in characters. */
export const LESSON_LIMITS = { title: 200, goal: 2000 } as const;

export interface ModelFile {
  readonly name?: string;
  readonly description?: string;
  /** Present: the inspector shows the data as a truth table to solve by hand. */
  readonly lesson?: LessonSection;
  /** layers[0] is the input layer. */
  readonly layers: LayerSpec[];
  readonly loss: LossName;
  readonly init?: InitSpec;
  readonly optimizer?: TrainingConfig;
  readonly data?: ModelDataSection;
  /** One entry per non-input layer; absent: initialize from `init`. */
  readonly parameters?: LayerParameters[];
  /** The input transform fitted on the training split, stored so inference uses the same one. */
  readonly normalization?: unknown;
  /** Anything else the file holds is kept as it is when the model is written back. */
  readonly [extra: string]: unknown;
}

/** One problem in a model file. */
export interface ModelProblem {
  readonly message: string;
  readonly path: JsonPath;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
}

/** A model file that cannot be used, with every problem found; the message names the first. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ModelProblem[],
  ) {
    const p = problems[0];
    super(`${file}:${p.line}:${p.column}: ${p.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`);
    this.name = 'ModelFileError';
  }
  get line(): number {
    return this.problems[0].line;
  }
  get column(): number {
    return this.problems[0].column;
  }
}

const KNOWN_TOP = new Set(['$schema', 'name', 'description', 'lesson', 'layers', 'loss', 'init', 'optimizer', 'data', 'parameters', 'normalization', 'classes', 'inputNames', 'outputNames', 'training']);

/** How a model file is checked. */
export interface ParseOptions {
  /** The most parameters its network may have (src/model/parameterBudget.ts). */
  readonly maxParameters?: number;
}

/** Parses and checks a model file's text; `problems` is empty exactly when `model` is set. */
export function parseModelText(text: string, options: ParseOptions = {}): { model?: ModelFile; problems: ModelProblem[] } {
  const problems: ModelProblem[] = [];
  const deep = tooDeep(text);
  if (deep !== undefined) {
    // Before any recursive parser sees it (jsonc-parser and JSON.parse would overflow the stack).
    problems.push({ message: `the JSON nests deeper than ${MAX_JSON_DEPTH} levels here; a model file nests 5`, path: [], offset: deep, length: 1, ...lineColumn(text, deep) });
    return { problems };
  }
  const syntaxErrors: ParseError[] = [];
  const tree = parseTree(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const add = (path: JsonPath, message: string, at?: { offset: number; length: number } | 'key') => {
    const loc = at === 'key' || at === undefined ? locate(tree, path, at === 'key') : at;
    problems.push({ message, path, ...loc, ...lineColumn(text, loc.offset) });
  };
  if (text.trim() === '') {
    add([], 'the file is empty; a model file is a JSON object with "layers" and "loss"');
    return { problems };
  }
  for (const e of syntaxErrors) add([], `invalid JSON: ${describeParseError(printParseErrorCode(e.error))}`, { offset: e.offset, length: e.length });
  if (problems.length > 0 || !tree) return { problems };
  // JSON.parse keeps the last of two equal keys without a word: which one the user meant is unknown.
  for (const d of duplicateKeys(tree)) {
    const first = lineColumn(text, d.first.offset);
    add([], `"${d.key}" appears twice in one object (first at line ${first.line}, column ${first.column}); keep one`, { offset: d.node.offset, length: d.node.length });
  }
  if (problems.length > 0) return { problems };

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    add([], `invalid JSON: ${(e as Error).message}`);
    return { problems };
  }
  const v = new Checker(add, options.maxParameters ?? DEFAULT_MAX_PARAMETERS);
  v.model(doc);
  return problems.length > 0 ? { problems } : { model: doc as ModelFile, problems };
}

/** Parses a model file's text, throwing a ModelFileError that names file, line and column. */
export function parseModelFile(text: string, file: string, options: ParseOptions = {}): ModelFile {
  const { model, problems } = parseModelText(text, options);
  if (!model) throw new ModelFileError(file, problems);
  return model;
}

/** The model as the JSON text to write back (two-space indent, W rows on one line each). */
export function serializeModel(model: ModelFile): string {
  // Keep each row of W (and each b) on one line: a 784×128 matrix as one number per line
  // would be 100,000 lines, and rows on lines read like the lecture's matrices.
  const json = JSON.stringify(model, null, 2);
  return json.replace(/\[\s+(-?[\d.eE+-]+(?:,\s+-?[\d.eE+-]+)*)\s+\]/g, (_m, inner: string) => `[${inner.replace(/,\s+/g, ', ')}]`) + '\n';
}

function describeParseError(code: string): string {
  const map: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ','",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'unexpected text after the end of the document',
    InvalidCommentToken: 'comments are not allowed in a model file',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return map[code] ?? code;
}

type Add = (path: JsonPath, message: string, at?: 'key') => void;

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** The checks, one method per section, each reporting at the path it checks. */
class Checker {
  constructor(
    private readonly add: Add,
    private readonly maxParameters: number,
  ) {}

  model(doc: unknown): void {
    if (!isObject(doc)) {
      this.add([], 'a model file must be a JSON object with "layers" and "loss"');
      return;
    }
    for (const key of Object.keys(doc)) {
      if (!KNOWN_TOP.has(key)) this.add([key], `unknown property "${key}"; a model file has ${list([...KNOWN_TOP].filter((k) => k !== '$schema'))}`, 'key');
    }
    if (doc.name !== undefined && typeof doc.name !== 'string') this.add(['name'], '"name" must be a string');
    if (doc.description !== undefined && typeof doc.description !== 'string') this.add(['description'], '"description" must be a string');
    if (doc.lesson !== undefined) this.lesson(doc.lesson);
    const sizes = this.layers(doc.layers);
    const overBudget = sizes && parameterBudgetProblem(sizes, this.maxParameters);
    if (overBudget) this.add(['layers'], overBudget);
    if (doc.loss === undefined) this.add([], `missing "loss"; one of ${list(LOSS_NAMES)}`);
    else if (!isLossName(doc.loss)) this.add(['loss'], `unknown loss ${JSON.stringify(doc.loss)}; expected one of ${list(LOSS_NAMES)}`);
    if (doc.init !== undefined) this.init(doc.init);
    if (doc.optimizer !== undefined) this.optimizer(doc.optimizer);
    if (doc.data !== undefined) this.data(doc.data);
    if (isObject(doc.optimizer) && doc.optimizer.earlyStopping !== undefined) {
      // Known from the file alone: the validation split is data.validationSplit's.
      const split = isObject(doc.data) ? doc.data.validationSplit : undefined;
      if (split === undefined || split === 0) this.add(['optimizer', 'earlyStopping'], NO_VALIDATION_FOR_EARLY_STOPPING, 'key');
    }
    if (doc.parameters !== undefined && sizes) this.parameters(doc.parameters, sizes);
  }

  /** Returns the layer sizes when the layers are valid. */
  layers(layers: unknown): number[] | undefined {
    if (layers === undefined) {
      this.add([], 'missing "layers": an array with the input layer first, e.g. [{"units": 2}, {"units": 1, "activation": "sigmoid"}]');
      return undefined;
    }
    if (!Array.isArray(layers)) {
      this.add(['layers'], '"layers" must be an array of layers');
      return undefined;
    }
    if (layers.length < 2) {
      this.add(['layers'], '"layers" needs the input layer and at least one more layer');
      return undefined;
    }
    let ok = true;
    const sizes: number[] = [];
    layers.forEach((layer, l) => {
      const at: JsonPath = ['layers', l];
      if (!isObject(layer)) {
        this.add(at, `layer ${l} must be an object like {"units": 4, "activation": "relu"}`);
        ok = false;
        return;
      }
      for (const key of Object.keys(layer)) {
        if (!['units', 'activation', 'alpha'].includes(key)) {
          this.add([...at, key], `unknown property "${key}" in layer ${l}; a layer has "units", "activation" and (for ELU) "alpha"`, 'key');
          ok = false;
        }
      }
      if (!Number.isInteger(layer.units) || (layer.units as number) < 1 || (layer.units as number) > 100000) {
        this.add([...at, 'units'], `layer ${l}: "units" must be a whole number from 1 to 100000`);
        ok = false;
      } else sizes.push(layer.units as number);
      if (l === 0) {
        if (layer.activation !== undefined) {
          this.add([...at, 'activation'], 'the input layer (layers[0]) has no activation: a[0] is the input x itself');
          ok = false;
        }
      } else if (layer.activation !== undefined && !isActivationName(layer.activation)) {
        this.add([...at, 'activation'], `unknown activation ${JSON.stringify(layer.activation)} in layer ${l}; expected one of ${list(ACTIVATION_NAMES)}`);
        ok = false;
      } else if (layer.activation === 'softmax' && layer.units === 1) {
        this.add([...at, 'activation'], `softmax over one unit is always 1, whatever z is (layer ${l}): for two classes use one "sigmoid" unit with "binary_cross_entropy", or two softmax units`);
        ok = false;
      }
      if (layer.alpha !== undefined) {
        if (layer.activation !== 'elu') {
          this.add([...at, 'alpha'], `"alpha" applies only to "elu" activations`);
          ok = false;
        } else if (!isFiniteNumber(layer.alpha) || layer.alpha <= 0) {
          this.add([...at, 'alpha'], '"alpha" must be a positive number');
          ok = false;
        }
      }
    });
    return ok ? sizes : undefined;
  }

  lesson(lesson: unknown): void {
    if (!isObject(lesson)) return this.add(['lesson'], '"lesson" must be an object like {"title": "AND from one neuron", "goal": "Set W and b so that …"}');
    this.onlyKeys(['lesson'], lesson, ['title', 'goal']);
    for (const key of ['title', 'goal'] as const) {
      const v = lesson[key];
      const max = LESSON_LIMITS[key];
      if (v === undefined) this.add(['lesson'], `"lesson" needs "${key}": a string of 1 to ${max} characters`);
      else if (typeof v !== 'string' || v.trim() === '' || v.length > max) this.add(['lesson', key], `"lesson.${key}" must be a non-empty string of at most ${max} characters`);
    }
  }

  init(init: unknown): void {
    if (!isObject(init)) return this.add(['init'], '"init" must be an object like {"weights": "xavier", "seed": 1}');
    this.onlyKeys(['init'], init, ['weights', 'seed', 'scale', 'bias']);
    if (init.weights !== undefined && !isInitializerName(init.weights)) {
      this.add(['init', 'weights'], `unknown initializer ${JSON.stringify(init.weights)}; expected one of ${list(INITIALIZER_NAMES)}`);
    }
    if (init.seed !== undefined && !Number.isInteger(init.seed)) this.add(['init', 'seed'], '"seed" must be a whole number');
    if (init.scale !== undefined && (!isFiniteNumber(init.scale) || init.scale < 0)) this.add(['init', 'scale'], '"scale" must be a number ≥ 0');
    if (init.bias !== undefined && !isFiniteNumber(init.bias)) this.add(['init', 'bias'], '"bias" must be a number');
  }

  optimizer(opt: unknown): void {
    if (!isObject(opt)) return this.add(['optimizer'], '"optimizer" must be an object like {"type": "sgd", "learningRate": 0.1}');
    const at = ['optimizer'];
    this.onlyKeys(at, opt, Object.keys(TRAINING_RULES));
    for (const key of Object.keys(TRAINING_RULES) as TrainingKey[]) {
      if (opt[key] === undefined) continue;
      if (key === 'earlyStopping') {
        // Each problem at its own key: "optimizer.earlyStopping.patience must be …".
        for (const p of earlyStoppingProblems(opt[key])) {
          const path = p.key !== undefined ? [...at, key, p.key] : [...at, key];
          this.add(path, `${formatPath(path)} ${p.message}`, p.unknown ? 'key' : undefined);
        }
        continue;
      }
      const problem = trainingValueProblem(key, opt[key]);
      if (problem) this.add([...at, key], `${formatPath([...at, key])} ${problem}`);
    }
  }

  data(data: unknown): void {
    if (!isObject(data)) return this.add(['data'], '"data" must be an object like {"path": "xor.csv", "target": ["y"]}');
    const at = ['data'];
    this.onlyKeys(at, data, ['path', 'synthetic', 'samples', 'noise', 'seed', 'features', 'target', 'engineered', 'normalize', 'validationSplit', 'testSplit', 'missing', 'columnTypes', 'format']);
    if (data.path === undefined && data.synthetic === undefined) this.add(at, '"data" needs "path" (a file relative to the model file) or "synthetic" (a generated data set)');
    if (data.path !== undefined && data.synthetic !== undefined) this.add(['data', 'synthetic'], '"data" takes either "path" or "synthetic", not both');
    if (data.path !== undefined && (typeof data.path !== 'string' || data.path === '')) this.add(['data', 'path'], '"path" must be a non-empty string');
    if (data.synthetic !== undefined && typeof data.synthetic !== 'string') this.add(['data', 'synthetic'], '"synthetic" must be the name of a data set');
    for (const key of ['features', 'target']) {
      const v = data[key];
      if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string') || v.length === 0)) this.add(['data', key], `"${key}" must be a non-empty array of column names`);
    }
    if (data.engineered !== undefined) this.engineered(data.engineered, Array.isArray(data.features) ? data.features : undefined);
    if (data.normalize !== undefined && !['standard', 'minmax', 'none'].includes(data.normalize as string)) this.add(['data', 'normalize'], '"normalize" must be "standard", "minmax" or "none"');
    if (data.missing !== undefined && !['error', 'drop', 'mean'].includes(data.missing as string)) this.add(['data', 'missing'], '"missing" must be "error", "drop" or "mean"');
    if (data.format !== undefined && !['csv', 'tsv', 'json', 'jsonl'].includes(data.format as string)) this.add(['data', 'format'], '"format" must be "csv", "tsv", "json" or "jsonl"');
    this.number(at, data, 'samples', (x) => Number.isInteger(x) && x >= 1 && x <= 10_000_000, 'a whole number from 1 to 10000000');
    this.number(at, data, 'noise', (x) => x >= 0, 'a number ≥ 0');
    this.number(at, data, 'seed', (x) => Number.isInteger(x), 'a whole number');
    this.number(at, data, 'validationSplit', (x) => x >= 0 && x < 1, 'a fraction in [0, 1)');
    this.number(at, data, 'testSplit', (x) => x >= 0 && x < 1, 'a fraction in [0, 1)');
    if (data.columnTypes !== undefined) {
      if (!isObject(data.columnTypes)) this.add(['data', 'columnTypes'], '"columnTypes" must map column names to "numeric" or "categorical"');
      else for (const [k, t] of Object.entries(data.columnTypes)) if (t !== 'numeric' && t !== 'categorical') this.add(['data', 'columnTypes', k], `column type of ${JSON.stringify(k)} must be "numeric" or "categorical"`);
    }
  }

  /** `data.engineered`: each entry's syntax, and its columns among `data.features` when the file lists them. */
  engineered(list: unknown, features: unknown[] | undefined): void {
    if (!Array.isArray(list)) return this.add(['data', 'engineered'], `"engineered" must be an array of features: ${ENGINEERED_SYNTAX}`);
    const seen = new Set<string>();
    list.forEach((entry, k) => {
      const at: JsonPath = ['data', 'engineered', k];
      if (typeof entry !== 'string') return this.add(at, `data.engineered[${k}] must be a string: ${ENGINEERED_SYNTAX}`);
      const feature = parseEngineeredFeature(entry);
      if (typeof feature === 'string') return this.add(at, `data.engineered[${k}]: ${feature}`);
      if (seen.has(feature.name)) return this.add(at, `data.engineered[${k}]: ${JSON.stringify(feature.name)} is listed twice`);
      seen.add(feature.name);
      const unknown = features && feature.columns.find((c) => !features.includes(c));
      if (unknown !== undefined) this.add(at, `data.engineered[${k}]: ${JSON.stringify(unknown)} is not one of "features" (${features!.map((f) => JSON.stringify(f)).join(', ')})`);
    });
  }

  parameters(params: unknown, sizes: number[]): void {
    const L = sizes.length - 1;
    if (!Array.isArray(params)) return this.add(['parameters'], '"parameters" must be an array with one {"W", "b"} per non-input layer');
    if (params.length !== L) return this.add(['parameters'], `"parameters" has ${params.length} entries, but the network has ${L} non-input layer${L === 1 ? '' : 's'}`);
    params.forEach((p, k) => {
      const l = k + 1;
      const at: JsonPath = ['parameters', k];
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      if (!isObject(p)) return this.add(at, `parameters of layer ${l} must be {"W": [...], "b": [...]}`);
      this.onlyKeys(at, p, ['W', 'b']);
      if (!Array.isArray(p.W) || p.W.length !== nIn) {
        this.add([...at, 'W'], `W[${l}] must have ${nIn} rows (one per neuron of layer ${l - 1}) of ${nOut} values (one per neuron of layer ${l}); found ${Array.isArray(p.W) ? `${p.W.length} rows` : 'no array'}`);
      } else {
        p.W.forEach((rowValue: unknown, i: number) => {
          if (!Array.isArray(rowValue) || rowValue.length !== nOut) {
            this.add([...at, 'W', i], `W[${l}] row ${i} must have ${nOut} values (one per neuron of layer ${l}); found ${Array.isArray(rowValue) ? rowValue.length : 'no array'}`);
          } else {
            rowValue.forEach((x: unknown, j: number) => {
              if (!isFiniteNumber(x)) this.add([...at, 'W', i, j], `W[${l}][${i}][${j}] must be a finite number`);
            });
          }
        });
      }
      if (!Array.isArray(p.b) || p.b.length !== nOut) {
        this.add([...at, 'b'], `b[${l}] must have ${nOut} values (one per neuron of layer ${l}); found ${Array.isArray(p.b) ? p.b.length : 'no array'}`);
      } else {
        p.b.forEach((x: unknown, j: number) => {
          if (!isFiniteNumber(x)) this.add([...at, 'b', j], `b[${l}][${j}] must be a finite number`);
        });
      }
    });
  }

  private number(at: JsonPath, obj: Record<string, unknown>, key: string, ok: (x: number) => boolean, what: string): void {
    const x = obj[key];
    if (x === undefined) return;
    if (!isFiniteNumber(x) || !ok(x)) this.add([...at, key], `${formatPath([...at, key])} must be ${what}, got ${JSON.stringify(x)}`);
  }

  private onlyKeys(at: JsonPath, obj: Record<string, unknown>, allowed: string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.add([...at, key], `unknown property "${key}" in ${formatPath(at)}; expected ${list(allowed)}`, 'key');
    }
  }
}
