/**
 * The loss history of a run, bounded: a 2-4-1 network trains about 250,000 epochs a second, so a
 * record per epoch kept for ever would grow without limit in the worker, the host and every view.
 *
 * The newest epochs are kept at full resolution: always the last `FULL_RESOLUTION`, often up to
 * `COMPACT_BATCH` more. Older epochs are thinned into buckets of `bucketWidth` consecutive epochs
 * (bucket k holds epochs first + k·w … first + (k+1)·w − 1), each keeping only its record of
 * lowest and its record of highest loss, in epoch order, so that a spike or a dip stays visible
 * however old it is (a NaN loss counts as the highest). The very first record is always kept.
 * When the thinned region would need more than `MAX_BUCKETS` buckets, the width doubles (pairs of
 * buckets merge), so the whole history never holds more than `HISTORY_BOUND` records.
 *
 * Thinning is amortized: records move into buckets `COMPACT_BATCH` at a time, and the width
 * doubles only when the thinned span has doubled, so an append costs O(1) on average. Between
 * two compactions the history only grows at its end.
 *
 * `records` is always a subsequence of the epochs pushed, in epoch order: a compaction only
 * removes records, never inserts or reorders them. A reader that holds an earlier copy therefore
 * shares a prefix with the current one, and `delta` says where it ends.
 *
 * Records are opaque here except for `epoch` and `loss`. No `vscode`, DOM or `fs` import.
 */
import type { EpochRecord } from './workerProtocol';

// The sizes trade detail against what a snapshot costs: while a fast network trains (a 2-4-1
// network makes some 12,000 epochs between two snapshots) every full-resolution record is new in
// each snapshot, so the worker, the host and each view copy about FULL_RESOLUTION + COMPACT_BATCH
// / 2 records per snapshot. A run of up to 3,000 epochs is kept whole (the first compactions
// only move records into buckets of 1 and 2 epochs), so short runs match the CLI epoch by epoch.

/** The newest epochs always kept at full resolution. */
export const FULL_RESOLUTION = 1000;
/** How many records move into buckets at once (the full-resolution tail grows this far past FULL_RESOLUTION). */
export const COMPACT_BATCH = 500;
/** The most buckets the thinned region spans; each keeps at most 2 records (bucket 0 also the first). */
export const MAX_BUCKETS = 750;
/** The most records a history ever holds. */
export const HISTORY_BOUND = FULL_RESOLUTION + COMPACT_BATCH + 2 * MAX_BUCKETS + 1;

/** What changed since the previous `delta`: drop your records from `start` on, then append `records`. */
export interface HistoryDelta {
  readonly start: number;
  readonly records: EpochRecord[];
}

/** One run's per-epoch records: recent ones in full, older ones thinned to min and max per bucket. */
export class EpochHistory {
  private all: EpochRecord[] = [];
  /** How many of `all`, from the start, are the thinned region. */
  private thinned = 0;
  private width = 1;
  /** What the reader of `delta` holds: its first `sent` records, unless a compaction rewrote them from `rewrittenFrom`. */
  private sent = 0;
  private rewrittenFrom = Infinity;

  /** The records kept, oldest first. Read-only for callers; it changes as records are pushed. */
  get records(): readonly EpochRecord[] {
    return this.all;
  }

  get length(): number {
    return this.all.length;
  }

  /** The newest record, or undefined before the first epoch. */
  get last(): EpochRecord | undefined {
    return this.all[this.all.length - 1];
  }

  /** Epochs per bucket in the thinned region (1 before any thinning). */
  get bucketWidth(): number {
    return this.width;
  }

  /** The first epoch from which every epoch is kept (the first record's epoch while nothing is thinned). */
  get fullResolutionFrom(): number | undefined {
    return this.all[this.thinned]?.epoch;
  }

  /** Appends the record of the epoch after the last one. */
  push(record: EpochRecord): void {
    this.all.push(record);
    if (this.all.length - this.thinned > FULL_RESOLUTION + COMPACT_BATCH) this.compact();
  }

  /** The change since the previous call (everything, at the first), and marks it as taken. */
  delta(): HistoryDelta {
    const start = Math.min(this.sent, this.rewrittenFrom, this.all.length);
    this.sent = this.all.length;
    this.rewrittenFrom = Infinity;
    return { start, records: this.all.slice(start) };
  }

  /** Moves the oldest COMPACT_BATCH full-resolution records into buckets, widening them as needed. */
  private compact(): void {
    const before = this.all;
    const moved = this.thinned + COMPACT_BATCH;
    let old = reduceBuckets(before.slice(0, moved), before[0], this.width);
    while (bucketCount(old, before[0].epoch, this.width) > MAX_BUCKETS) {
      this.width *= 2;
      old = reduceBuckets(old, before[0], this.width);
    }
    const after = old.concat(before.slice(moved));
    this.all = after;
    this.thinned = old.length;
    this.rewrittenFrom = Math.min(this.rewrittenFrom, commonPrefix(before, after));
  }
}

/** How many leading elements `a` and `b` share (compared by identity). */
export function commonPrefix<T>(a: readonly T[], b: readonly T[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** a is below b in the order buckets are judged by: numeric, with NaN above everything. */
function below(a: number, b: number): boolean {
  return a < b || (Number.isNaN(b) && !Number.isNaN(a));
}

/**
 * Of `records` (in epoch order), the ones each bucket of `width` epochs from `first`'s epoch
 * keeps: its first-lowest and first-highest loss, and `first` itself, in epoch order.
 */
function reduceBuckets(records: readonly EpochRecord[], first: EpochRecord, width: number): EpochRecord[] {
  const out: EpochRecord[] = [];
  let i = 0;
  while (i < records.length) {
    const bucket = Math.floor((records[i].epoch - first.epoch) / width);
    let j = i + 1;
    let lo = records[i];
    let hi = records[i];
    while (j < records.length && Math.floor((records[j].epoch - first.epoch) / width) === bucket) {
      const r = records[j];
      if (below(r.loss, lo.loss)) lo = r;
      if (below(hi.loss, r.loss)) hi = r;
      j++;
    }
    for (let k = i; k < j; k++) {
      const r = records[k];
      if (r === first || r === lo || r === hi) out.push(r);
    }
    i = j;
  }
  return out;
}

/** How many distinct buckets of `width` epochs from `firstEpoch` the (epoch-ordered) records fall in. */
function bucketCount(records: readonly EpochRecord[], firstEpoch: number, width: number): number {
  let count = 0;
  let previous = -1;
  for (const r of records) {
    const bucket = Math.floor((r.epoch - firstEpoch) / width);
    if (bucket !== previous) count++;
    previous = bucket;
  }
  return count;
}

/**
 * At most about `max` of `records` (in epoch order) for a reader that wants fewer: the records
 * split into max/2 runs of equal count, each keeping its lowest and highest loss, and the last
 * record always. All of them when there are no more than `max`.
 */
export function thinMinMax(records: readonly EpochRecord[], max: number): EpochRecord[] {
  if (records.length <= max) return records.slice();
  const runs = Math.max(1, Math.floor(max / 2));
  const size = Math.ceil(records.length / runs);
  const out: EpochRecord[] = [];
  for (let i = 0; i < records.length; i += size) {
    const end = Math.min(records.length, i + size);
    let lo = i;
    let hi = i;
    for (let k = i + 1; k < end; k++) {
      if (below(records[k].loss, records[lo].loss)) lo = k;
      if (below(records[hi].loss, records[k].loss)) hi = k;
    }
    for (let k = i; k < end; k++) if (k === lo || k === hi || k === records.length - 1) out.push(records[k]);
  }
  return out;
}

/**
 * Applies a history delta (`historyStart`, `newEpochs` of a worker's or a view's snapshot
 * message) to a reader's copy: drops its records from `start` on and appends `records`. The one
 * rule the host and every view follow.
 */
export function applyHistoryDelta(history: EpochRecord[], start: number, records: readonly EpochRecord[]): void {
  history.length = Math.min(history.length, start);
  for (const record of records) history.push(record);
}
