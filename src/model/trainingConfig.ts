/**
 * The training configuration, the model file's `optimizer` section, and the one rule for what
 * each of its values may be. The model file parser, the sidebar's edits (checked on the host and
 * again in the worker), the sweep lab's form and the CLI's flags all judge a value here, so a
 * learning rate is valid or invalid everywhere alike.
 */
import type { EarlyStoppingSpec } from '../engine/earlyStopping';
import { isObject } from '../engine/jsonValue';
import { isOptimizerName, OPTIMIZER_NAMES, type OptimizerSpec } from '../engine/optimizers';

/** The most epochs one run may ask for: the model file, the sidebar and `train --epochs` alike. */
export const MAX_EPOCHS = 10_000_000;

/** Every setting of the training configuration, as the model file names it. */
export type TrainingConfig = OptimizerSpec & {
  /** Stop when the validation loss stops improving (src/engine/earlyStopping.ts). */
  readonly earlyStopping?: EarlyStoppingSpec;
};

/** The keys of the training configuration. */
export type TrainingKey = keyof Required<TrainingConfig>;

interface Rule {
  readonly ok: (x: unknown) => boolean;
  /** What a valid value is, completing "… must be". */
  readonly what: string;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const unitInterval: Rule = { ok: (x) => finite(x) && x >= 0 && x < 1, what: 'a number in [0, 1)' };

/** The rule for each key. */
export const TRAINING_RULES: { readonly [K in TrainingKey]: Rule } = {
  type: { ok: isOptimizerName, what: `one of ${OPTIMIZER_NAMES.map((n) => JSON.stringify(n)).join(', ')}` },
  learningRate: { ok: (x) => finite(x) && x > 0, what: 'a number > 0' },
  momentum: unitInterval,
  beta1: unitInterval,
  beta2: unitInterval,
  epsilon: { ok: (x) => finite(x) && x > 0, what: 'a number > 0' },
  weightDecay: { ok: (x) => finite(x) && x >= 0, what: 'a number ≥ 0' },
  batchSize: { ok: (x) => Number.isSafeInteger(x) && (x as number) >= 0, what: 'a whole number ≥ 0 (0: the whole training set)' },
  shuffle: { ok: (x) => typeof x === 'boolean', what: 'true or false' },
  epochs: { ok: (x) => Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= MAX_EPOCHS, what: `a whole number from 1 to ${MAX_EPOCHS}` },
  earlyStopping: { ok: (x) => earlyStoppingProblems(x).length === 0, what: 'an object like {"patience": 50, "minDelta": 0.0001, "restoreBest": true}' },
};

/** The keys of `optimizer.earlyStopping`, and what each may be. */
const EARLY_STOPPING_RULES: { readonly [K in keyof EarlyStoppingSpec]-?: Rule } = {
  patience: { ok: (x) => Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= MAX_EPOCHS, what: `a whole number of epochs from 1 to ${MAX_EPOCHS}` },
  minDelta: { ok: (x) => finite(x) && x >= 0, what: 'a number ≥ 0 (how much the validation loss must fall to count as better)' },
  restoreBest: { ok: (x) => typeof x === 'boolean', what: 'true or false' },
};

/** One problem of an `earlyStopping` value. */
export interface EarlyStoppingProblem {
  /** The key it is at; absent for the value as a whole. */
  readonly key?: string;
  /** True when `key` is not a setting at all. */
  readonly unknown?: boolean;
  /** Completes the key's (or the value's) name: "must be …, got …", "needs …", "is not a setting; …". */
  readonly message: string;
}

/**
 * Every problem of an `earlyStopping` value, each with the key it is at, so that the model file
 * can point at the very key.
 */
export function earlyStoppingProblems(value: unknown): EarlyStoppingProblem[] {
  if (!isObject(value)) return [{ message: `must be an object like {"patience": 50, "minDelta": 0.0001, "restoreBest": true}, got ${describe(value)}` }];
  const problems: EarlyStoppingProblem[] = [];
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(EARLY_STOPPING_RULES, key)) problems.push({ key, unknown: true, message: `is not a setting; expected ${Object.keys(EARLY_STOPPING_RULES).map((k) => `"${k}"`).join(', ')}` });
  }
  if (value.patience === undefined) problems.push({ message: 'needs "patience": how many epochs without improvement end the run' });
  for (const [key, rule] of Object.entries(EARLY_STOPPING_RULES) as [keyof EarlyStoppingSpec, Rule][]) {
    if (value[key] !== undefined && !rule.ok(value[key])) problems.push({ key, message: `must be ${rule.what}, got ${describe(value[key])}` });
  }
  return problems;
}

/** True for a key of the training configuration. */
export function isTrainingKey(key: string): key is TrainingKey {
  return Object.prototype.hasOwnProperty.call(TRAINING_RULES, key);
}

/** Why `value` cannot be the setting `key` ("must be …, got …"), or undefined when it can. */
export function trainingValueProblem(key: TrainingKey, value: unknown): string | undefined {
  if (key === 'earlyStopping') {
    const first = earlyStoppingProblems(value)[0];
    return first && (first.key !== undefined ? `: "${first.key}" ${first.message}` : first.message);
  }
  const rule = TRAINING_RULES[key];
  return rule.ok(value) ? undefined : `must be ${rule.what}, got ${describe(value)}`;
}

/**
 * The first problem of a (partial) configuration, as `"key" must be …, got …`; an unknown key is
 * one too. Undefined when every field it sets is valid.
 */
export function trainingConfigProblem(config: Readonly<Record<string, unknown>>): string | undefined {
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (!isTrainingKey(key)) return `unknown setting "${key}"; expected one of ${Object.keys(TRAINING_RULES).join(', ')}`;
    const problem = trainingValueProblem(key, value);
    if (problem) return `"${key}" ${problem}`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value;
}
