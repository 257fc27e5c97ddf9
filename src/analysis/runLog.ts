/**
 * The run-metrics file: one training run's per-epoch figures (all of them, or for a fast run a
 * min/max thinning of them: see src/host/RunRecorder.ts), written beside the model (e.g.
 * `xor.runs/2025-01-31T09-15-00-000Z.jsonl`) so that runs can be overlaid and compared later.
 * Deleting it loses nothing else.
 *
 * JSON Lines, one object per line, appended as training goes:
 *
 *   {"format":"mlp-inspector-run","version":1,"model":"xor","started":"2025-01-31T09:15:00.000Z","hyperparameters":{…}}
 *   {"epoch":1,"loss":0.52,"accuracy":0.5,"seconds":0.01}
 *   {"epoch":2,"loss":0.49,"valLoss":0.5,"accuracy":0.75,"valAccuracy":0.5,"seconds":0.02}
 *   {"epoch":3,"loss":0.01,"valLoss":0.02,"r2":0.98,"rmse":0.1,"mae":0.08,"valR2":0.97,"valRmse":0.12,"valMae":0.09,"seconds":0.03}
 *   {"stopped":"early","epoch":412,"bestEpoch":362,"bestValLoss":0.0123,…,"message":"stopped early at epoch 412: …"}
 *
 * The first line is the header; every other line is one epoch, except a run that early stopping
 * ended, whose last line says so (src/engine/earlyStopping.ts). Regression runs carry R², RMSE
 * and MAE (src/engine/regressionMetrics.ts); an R² of null is undefined (constant targets). `seconds` is the training time
 * from the start of the run to the end of that epoch. A loss that became NaN or ∞ is written as
 * null (JSON has neither) and read back as NaN.
 *
 * The parser is tolerant, because a run killed mid-write leaves a half line at the end: it
 * keeps every good line and reports each bad one with its 1-based line number.
 */
import type { EarlyStop } from '../engine/earlyStopping';
import { describeValue, isObject } from '../engine/jsonValue';

/** The header's `format` value. */
export const RUN_LOG_FORMAT = 'mlp-inspector-run';
/** The version this code writes and reads. */
export const RUN_LOG_VERSION = 1;

/** A JSON value, for the free-form hyperparameters. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The first line of a run file. */
export interface RunHeader {
  readonly format: typeof RUN_LOG_FORMAT;
  readonly version: number;
  /** The model's name. */
  readonly model: string;
  /** ISO 8601 time the run started. */
  readonly started: string;
  /** What the run was trained with: optimizer, η, batch size, seed, epochs… (free-form). */
  readonly hyperparameters: { readonly [key: string]: JsonValue };
  /** The layer sizes n_0, …, n_L, when known. */
  readonly sizes?: number[];
}

/** One epoch's figures (the protocol's `EpochRecord` has this shape). */
export interface RunEpoch {
  /** 1-based. */
  readonly epoch: number;
  /** J on the training split after the epoch. */
  readonly loss: number;
  readonly valLoss?: number;
  /** Classification only. */
  readonly accuracy?: number;
  readonly valAccuracy?: number;
  /** Regression only: R² (null: undefined, the targets are constant), RMSE and MAE, in target units. */
  readonly r2?: number | null;
  readonly rmse?: number;
  readonly mae?: number;
  readonly valR2?: number | null;
  readonly valRmse?: number;
  readonly valMae?: number;
  /** Training seconds from the start of the run to the end of this epoch. */
  readonly seconds: number;
}

/** A line that could not be read. */
export interface RunLogProblem {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly message: string;
}

/** What a run file holds. */
export interface RunLog {
  /** Absent when the first line is not a readable header (a problem says why). */
  readonly header?: RunHeader;
  /** The good epoch lines, in file order. */
  readonly epochs: RunEpoch[];
  /** Set when early stopping ended the run: its last line. */
  readonly earlyStop?: EarlyStop;
  readonly problems: RunLogProblem[];
}

/** The header line (no newline) for a run that starts now, or at `started`. */
export function runHeaderLine(header: { model: string; started: Date | string; hyperparameters: { readonly [key: string]: JsonValue }; sizes?: readonly number[] }): string {
  const started = typeof header.started === 'string' ? header.started : header.started.toISOString();
  const line: RunHeader = {
    format: RUN_LOG_FORMAT,
    version: RUN_LOG_VERSION,
    model: header.model,
    started,
    hyperparameters: header.hyperparameters,
    ...(header.sizes ? { sizes: [...header.sizes] } : {}),
  };
  return JSON.stringify(line, finiteOrNull);
}

/**
 * One epoch's line (no newline), with only the fields the epoch has, in a fixed order. Only the
 * metrics: an EpochRecord's per-layer statistics (layerStats) are left out, so a line stays a
 * short, readable row of numbers whatever the network's depth, and the file the same format for
 * every reader; they are the panel's, for the run on screen.
 */
export function runEpochLine(e: RunEpoch): string {
  const line: Record<string, number | null> = { epoch: e.epoch, loss: e.loss };
  for (const key of OPTIONAL_FIELDS) if (e[key] !== undefined) line[key] = e[key];
  line.seconds = e.seconds;
  return JSON.stringify(line, finiteOrNull);
}

/** The line that ends a run early stopping stopped: its EarlyStop, marked `"stopped": "early"`. */
export function runEarlyStopLine(stop: EarlyStop): string {
  return JSON.stringify({ stopped: 'early', ...stop }, finiteOrNull);
}

/** An epoch line's optional figures, in the order a line writes them. */
const OPTIONAL_FIELDS = ['valLoss', 'accuracy', 'valAccuracy', 'r2', 'rmse', 'mae', 'valR2', 'valRmse', 'valMae'] as const;

/** A whole run file: the header line, then one line per epoch, each ending in a newline. */
export function serializeRunLog(header: Parameters<typeof runHeaderLine>[0], epochs: readonly RunEpoch[]): string {
  return [runHeaderLine(header), ...epochs.map(runEpochLine)].map((l) => l + '\n').join('');
}

/**
 * A file name for a run started at `started`: its UTC time with the colons and dot replaced
 * (Windows allows neither colons in names), so names sort by time. E.g.
 * `2025-01-31T09-15-00-000Z.jsonl`.
 */
export function runFileName(started: Date): string {
  return started.toISOString().replace(/[:.]/g, '-') + '.jsonl';
}

/** A problem as `file:line: message`. */
export function formatRunLogProblem(file: string, problem: RunLogProblem): string {
  return `${file}:${problem.line}: ${problem.message}`;
}

/** Reads a run file, keeping every good line and reporting every bad one. */
export function parseRunLog(text: string): RunLog {
  const lines = text.split('\n');
  const problems: RunLogProblem[] = [];
  const epochs: RunEpoch[] = [];
  let header: RunHeader | undefined;
  let earlyStop: EarlyStop | undefined;
  let sawFirst = false;
  let lastEpoch = 0;
  lines.forEach((raw, k) => {
    const line = k + 1;
    const src = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (src.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(src);
    } catch {
      const last = k === lines.length - 1 || lines.slice(k + 1).every((l) => l.trim() === '');
      problems.push({ line, message: last ? 'not valid JSON (a line cut short, perhaps the run was interrupted while writing it)' : 'not valid JSON' });
      sawFirst = true;
      return;
    }
    if (!sawFirst) {
      sawFirst = true;
      const h = readHeader(value);
      if (typeof h === 'string') {
        problems.push({ line, message: h });
        // A file without its header may still hold epochs: fall through to read this line as one.
        if (!isObject(value) || value.format !== undefined) return;
      } else {
        header = h;
        return;
      }
    }
    if (isObject(value) && value.stopped !== undefined) {
      const stop = readEarlyStop(value);
      if (typeof stop === 'string') problems.push({ line, message: stop });
      else earlyStop = stop;
      return;
    }
    const e = readEpoch(value);
    if (typeof e === 'string') {
      problems.push({ line, message: e });
      return;
    }
    if (e.epoch <= lastEpoch) {
      problems.push({ line, message: `epoch ${e.epoch} comes after epoch ${lastEpoch}; epochs must increase, so this line is skipped` });
      return;
    }
    lastEpoch = e.epoch;
    epochs.push(e);
  });
  if (!sawFirst) problems.push({ line: 1, message: 'the file is empty; a run file starts with a header line' });
  return { ...(header ? { header } : {}), epochs, ...(earlyStop ? { earlyStop } : {}), problems };
}

function readHeader(v: unknown): RunHeader | string {
  if (!isObject(v) || v.format !== RUN_LOG_FORMAT) return `the first line must be the run header {"format": "${RUN_LOG_FORMAT}", …}`;
  if (typeof v.version !== 'number' || !Number.isInteger(v.version) || v.version < 1) return `the header's "version" must be a whole number ≥ 1, got ${describeValue(v.version)}`;
  if (v.version > RUN_LOG_VERSION) return `version ${v.version} was written by a newer MLP Inspector; this one reads version ${RUN_LOG_VERSION}`;
  if (typeof v.model !== 'string') return `the header's "model" must be a string, got ${describeValue(v.model)}`;
  if (typeof v.started !== 'string' || Number.isNaN(Date.parse(v.started))) return `the header's "started" must be an ISO date-time string, got ${describeValue(v.started)}`;
  if (!isObject(v.hyperparameters)) return `the header's "hyperparameters" must be an object, got ${describeValue(v.hyperparameters)}`;
  if (v.sizes !== undefined && (!Array.isArray(v.sizes) || v.sizes.some((n) => !Number.isInteger(n) || n < 1))) return `the header's "sizes" must be an array of whole numbers ≥ 1`;
  return {
    format: RUN_LOG_FORMAT,
    version: v.version,
    model: v.model,
    started: v.started,
    hyperparameters: v.hyperparameters as { [key: string]: JsonValue },
    ...(v.sizes !== undefined ? { sizes: v.sizes as number[] } : {}),
  };
}

function readEpoch(v: unknown): RunEpoch | string {
  if (!isObject(v)) return `an epoch line must be an object like {"epoch": 1, "loss": 0.5, "seconds": 0.1}, got ${describeValue(v)}`;
  if (typeof v.epoch !== 'number' || !Number.isInteger(v.epoch) || v.epoch < 1) return `"epoch" must be a whole number ≥ 1, got ${describeValue(v.epoch)}`;
  const out: { -readonly [K in keyof RunEpoch]: RunEpoch[K] } = { epoch: v.epoch, loss: NaN, seconds: NaN };
  for (const key of ['loss', 'seconds', ...OPTIONAL_FIELDS] as const) {
    const x = v[key];
    const required = key === 'loss' || key === 'seconds';
    if (x === undefined) {
      if (required) return `epoch ${v.epoch}: "${key}" is missing`;
      continue;
    }
    if (x === null && (key === 'r2' || key === 'valR2')) {
      out[key] = null; // R² undefined: constant targets
      continue;
    }
    if (x === null && key !== 'seconds' && key !== 'accuracy' && key !== 'valAccuracy') {
      out[key] = NaN; // written for a loss (or an error) that was NaN or ∞
      continue;
    }
    if (typeof x !== 'number') return `epoch ${v.epoch}: "${key}" must be a number, got ${describeValue(x)}`;
    if ((key === 'accuracy' || key === 'valAccuracy') && !(x >= 0 && x <= 1)) return `epoch ${v.epoch}: "${key}" must be a fraction from 0 to 1, got ${x}`;
    if (key === 'seconds' && !(x >= 0)) return `epoch ${v.epoch}: "seconds" must be a number ≥ 0, got ${x}`;
    out[key] = x;
  }
  return out;
}

function readEarlyStop(v: Record<string, unknown>): EarlyStop | string {
  if (v.stopped !== 'early') return `"stopped" must be "early", got ${describeValue(v.stopped)}`;
  const whole = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (!whole(v.epoch) || !whole(v.bestEpoch) || !whole(v.patience)) return 'the early-stop line needs whole numbers "epoch", "bestEpoch" and "patience"';
  if (typeof v.minDelta !== 'number' || typeof v.restored !== 'boolean' || typeof v.message !== 'string') return 'the early-stop line needs "minDelta", "restored" and "message"';
  const best = v.bestValLoss === null ? NaN : v.bestValLoss;
  if (typeof best !== 'number') return `"bestValLoss" must be a number, got ${describeValue(v.bestValLoss)}`;
  return { epoch: v.epoch as number, bestEpoch: v.bestEpoch as number, bestValLoss: best, patience: v.patience as number, minDelta: v.minDelta, restored: v.restored, message: v.message };
}

function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}


