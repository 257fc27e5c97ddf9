/**
 * Keeps every training run: its per-epoch metrics go, one JSON line each, into
 * `NAME.runs/<start time>.jsonl` beside the model, so runs can be overlaid and compared later.
 * Appends only (a crash loses at most the line being written, which the reader reports as cut
 * short); deleting the folder loses nothing else. No `vscode` import.
 *
 * The file gets the epochs the host received (snapshot by snapshot) that it does not have yet.
 * The first EXACT_LINES lines of a run are written as they come, so a run of up to 3,000 epochs
 * (which the worker's bounded history keeps whole, src/training/epochHistory.ts) is logged epoch
 * by epoch however fast it trains. After that, a snapshot adds at most LOG_LINES_PER_SNAPSHOT
 * lines (10,000 epochs/s at 20 snapshots/s): a faster run's new epochs, some of them already
 * thinned by the worker, are thinned to that many, keeping each stretch's lowest and highest
 * loss and always the latest epoch, so a long file grows with training time, not with epochs.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseRunLog, runEarlyStopLine, runEpochLine, runFileName, runHeaderLine, type JsonValue, type RunEpoch } from '../analysis/runLog';
import type { EarlyStop } from '../engine/earlyStopping';
import type { EpochRecord } from '../training/workerProtocol';
import type { RunSummary } from '../inspector/viewProtocol';
import { thinMinMax } from '../training/epochHistory';

/** The most epoch lines one snapshot adds to a run file, once the run has EXACT_LINES. */
export const LOG_LINES_PER_SNAPSHOT = 500;
/** Lines a run file gets whole before LOG_LINES_PER_SNAPSHOT applies. */
export const EXACT_LINES = 10_000;

/** The folder a model's runs go in: `xor.mlp.json` → `xor.runs/`. */
export function runsFolder(modelFile: string): string {
  return path.join(path.dirname(modelFile), `${path.basename(modelFile).replace(/\.mlp\.json$|\.json$/, '')}.runs`);
}

export class RunRecorder {
  private chain: Promise<void> = Promise.resolve();
  private failed = false;
  readonly file: string;

  /** The last epoch written (or the one the run started after). */
  private lastEpoch: number;
  /** Epoch lines written so far. */
  private lines = 0;

  private constructor(file: string, fromEpoch: number) {
    this.file = file;
    this.lastEpoch = fromEpoch;
  }

  /** Starts a run file with its header line, for the epochs after `fromEpoch`. */
  static start(modelFile: string, header: { model: string; hyperparameters: { [key: string]: JsonValue }; sizes?: number[] }, started = new Date(), fromEpoch = 0): RunRecorder {
    const dir = runsFolder(modelFile);
    const recorder = new RunRecorder(path.join(dir, runFileName(started)), fromEpoch);
    recorder.chain = fsp
      .mkdir(dir, { recursive: true })
      .then(() => fsp.writeFile(recorder.file, runHeaderLine({ ...header, started }) + '\n', { flag: 'wx' }))
      .catch(() => {
        recorder.failed = true; // a read-only folder must not stop training
      });
    return recorder;
  }

  /** Appends epochs, in order, after everything written before. */
  append(epochs: readonly RunEpoch[]): void {
    if (epochs.length === 0) return;
    this.write(epochs.map((e) => runEpochLine(e) + '\n').join(''));
  }

  /** Ends the file with why early stopping ended the run. */
  appendEarlyStop(stop: EarlyStop): void {
    this.write(runEarlyStopLine(stop) + '\n');
  }

  private write(text: string): void {
    this.chain = this.chain.then(() => (this.failed ? undefined : fsp.appendFile(this.file, text).catch(() => void (this.failed = true))));
  }

  /**
   * Appends the records of `history` (a snapshot's, oldest first) newer than what was written,
   * at most LOG_LINES_PER_SNAPSHOT of them (see the top of this file). False, and nothing
   * written, when the history went back before the last epoch written (a reset: another run).
   */
  appendHistory(history: readonly EpochRecord[]): boolean {
    const latest = history.length > 0 ? history[history.length - 1].epoch : 0;
    if (latest < this.lastEpoch) return false;
    let from = history.length;
    while (from > 0 && history[from - 1].epoch > this.lastEpoch) from--;
    const fresh = history.slice(from);
    const lines = this.lines < EXACT_LINES ? fresh : thinMinMax(fresh, LOG_LINES_PER_SNAPSHOT);
    this.append(lines);
    this.lines += lines.length;
    this.lastEpoch = latest;
    return true;
  }

  /** Resolves when everything appended so far is written. */
  flush(): Promise<void> {
    return this.chain;
  }
}

/** The newest `max` runs of a model, with at most `points` epochs each (evenly thinned), newest first. */
export async function readRuns(modelFile: string, max = 5, points = 2000): Promise<RunSummary[]> {
  const dir = runsFolder(modelFile);
  let names: string[];
  try {
    names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort().reverse().slice(0, max);
  } catch {
    return [];
  }
  const runs: RunSummary[] = [];
  for (const name of names) {
    try {
      const log = parseRunLog(await fsp.readFile(path.join(dir, name), 'utf8'));
      const stride = Math.max(1, Math.ceil(log.epochs.length / points));
      const epochs = log.epochs.filter((_, i) => i % stride === 0 || i === log.epochs.length - 1).map((e) => ({ epoch: e.epoch, loss: e.loss, ...(e.valLoss !== undefined ? { valLoss: e.valLoss } : {}) }));
      if (epochs.length > 0) runs.push({ name, epochs });
    } catch {
      // an unreadable file is skipped; the others still show
    }
  }
  return runs;
}
