/**
 * The model file's `data` section: where the rows come from and how they become tensors.
 * Plain JSON; `checkDataSpec` validates one read from a model file.
 */
import { DataError } from './dataError';

/** How inputs are rescaled; the statistics are fitted on the training split only. */
export type NormalizeMethod = 'standard' | 'minmax' | 'none';
/** What to do with empty / `NA` / `NaN` cells. Never "treat as zero". */
export type MissingPolicy = 'error' | 'drop' | 'mean';
export type ColumnType = 'numeric' | 'categorical';
export type DataFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

export interface DataSpec {
  /** A file, relative to the model file's folder (or absolute). Either this or `synthetic`. */
  path?: string;
  /** A built-in synthetic set by name (see `SYNTHETIC_NAMES`). */
  synthetic?: string;
  /** Rows to generate for a synthetic set. */
  samples?: number;
  /** Standard deviation of the Gaussian jitter a synthetic set adds. */
  noise?: number;
  /** Seeds the synthetic generator and the split; the same seed gives the same data bit for bit. */
  seed?: number;
  /** Input columns; default: every column but the target's. */
  features?: string[];
  /** Output columns; default: the last column. */
  target?: string[];
  /** Extra inputs computed from the input columns: "x1^2", "x1*x2", "sin(x1)" (engineeredFeatures.ts). */
  engineered?: string[];
  /** Default `standard`. */
  normalize?: NormalizeMethod;
  /** Fraction of rows held out for validation, in [0, 1). Default 0. */
  validationSplit?: number;
  /** Fraction of rows held out for a final test, in [0, 1). Default 0. */
  testSplit?: number;
  /** Default `error`. */
  missing?: MissingPolicy;
  /** Overrides the inferred type of named columns. */
  columnTypes?: Record<string, ColumnType>;
  /** Default: from the file's extension (`.tsv`, `.json`, `.jsonl`/`.ndjson`; otherwise CSV). */
  format?: DataFormat;
}

const KEYS: ReadonlySet<string> = new Set([
  'path', 'synthetic', 'samples', 'noise', 'seed', 'features', 'target', 'engineered', 'normalize',
  'validationSplit', 'testSplit', 'missing', 'columnTypes', 'format',
]);

/**
 * Checks that `value` is a well-formed `DataSpec` and returns it typed. `where` names the model
 * file for the error message. Only the shape is checked here; column names are checked against
 * the data when it is loaded.
 */
export function checkDataSpec(value: unknown, where = 'model file'): DataSpec {
  const fail = (problem: string): never => {
    throw new DataError(`"data" ${problem}`, where);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('must be an object');
  const spec = value as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!KEYS.has(key)) fail(`has an unknown field "${key}" (known: ${[...KEYS].join(', ')})`);
  }
  const optString = (key: string): void => {
    if (spec[key] !== undefined && typeof spec[key] !== 'string') fail(`field "${key}" must be a string`);
  };
  const optNumber = (key: string, ok: (n: number) => boolean, what: string): void => {
    const v = spec[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))) fail(`field "${key}" must be ${what}`);
  };
  const optEnum = (key: string, allowed: readonly string[]): void => {
    const v = spec[key];
    if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) {
      fail(`field "${key}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  };
  const optNames = (key: string): void => {
    const v = spec[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string')) {
      fail(`field "${key}" must be a non-empty array of column names`);
    }
  };
  optString('path');
  optString('synthetic');
  if ((spec.path === undefined) === (spec.synthetic === undefined)) fail('needs exactly one of "path" and "synthetic"');
  optNumber('samples', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  optNumber('noise', (n) => n >= 0, 'a number ≥ 0');
  optNumber('seed', (n) => Number.isInteger(n), 'a whole number');
  optNames('features');
  optNames('target');
  if (spec.engineered !== undefined && (!Array.isArray(spec.engineered) || !spec.engineered.every((s) => typeof s === 'string'))) fail('field "engineered" must be an array of features like "x1^2"');
  optEnum('normalize', ['standard', 'minmax', 'none']);
  optNumber('validationSplit', (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  optNumber('testSplit', (n) => n >= 0 && n < 1, 'a fraction in [0, 1)');
  optEnum('missing', ['error', 'drop', 'mean']);
  optEnum('format', ['csv', 'tsv', 'json', 'jsonl']);
  if (spec.columnTypes !== undefined) {
    const ct = spec.columnTypes;
    if (typeof ct !== 'object' || ct === null || Array.isArray(ct)) fail('field "columnTypes" must be an object');
    for (const [name, t] of Object.entries(ct as Record<string, unknown>)) {
      if (t !== 'numeric' && t !== 'categorical') fail(`field "columnTypes": "${name}" must be "numeric" or "categorical"`);
    }
  }
  const v = (spec.validationSplit as number | undefined) ?? 0;
  const t = (spec.testSplit as number | undefined) ?? 0;
  if (v + t >= 1) fail('fields "validationSplit" + "testSplit" must leave rows for training (sum < 1)');
  return spec as DataSpec;
}
