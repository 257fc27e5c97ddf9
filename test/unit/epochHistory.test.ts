import { strict as assert } from 'assert';
import { COMPACT_BATCH, EpochHistory, FULL_RESOLUTION, HISTORY_BOUND, thinMinMax } from '../../src/training/epochHistory';
import type { EpochRecord } from '../../src/training/workerProtocol';

/** A noisy decaying loss with plateaus (ties) and a few spikes, deterministic in the epoch. */
function lossAt(epoch: number): number {
  if (epoch === 123_457) return 1e6; // a spike long before the end
  if (epoch === 77) return NaN;
  if (epoch % 50_000 === 0) return 0; // a dip
  const noise = Math.sin(epoch * 12.9898) * 43758.5453;
  return Math.round((1 / Math.sqrt(epoch) + 0.05 * (noise - Math.floor(noise))) * 1e4) / 1e4;
}
const recordAt = (epoch: number): EpochRecord => ({ epoch, loss: lossAt(epoch), seconds: epoch / 250_000 });

/** First-lowest and first-highest loss of `series`, judged as the history does (NaN highest), by brute force. */
function minMax(series: readonly EpochRecord[]): { lo: EpochRecord; hi: EpochRecord } {
  const rank = (x: number) => (Number.isNaN(x) ? Infinity : x);
  let lo = series[0];
  let hi = series[0];
  for (const r of series) {
    const x = rank(r.loss);
    if (x < rank(lo.loss) || (Number.isNaN(lo.loss) && !Number.isNaN(r.loss))) lo = r;
    if (x > rank(hi.loss) || (Number.isNaN(r.loss) && !Number.isNaN(hi.loss))) hi = r;
  }
  return { lo, hi };
}

/** Checks `h` against the full series it was fed: structure, the full-resolution tail, and every bucket's min and max. */
function checkAgainst(h: EpochHistory, series: readonly EpochRecord[]): void {
  const kept = h.records;
  assert.ok(kept.length <= HISTORY_BOUND, `${kept.length} records`);
  assert.equal(kept[0], series[0], 'the first epoch is kept');
  assert.equal(kept[kept.length - 1], series[series.length - 1], 'the latest epoch is kept');
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i].epoch > kept[i - 1].epoch, 'in epoch order');
  const from = h.fullResolutionFrom!;
  assert.ok(from <= series.length - FULL_RESOLUTION + 1 || from === 1, `full resolution only from ${from}`);
  // From `from` on, every epoch, the very objects pushed.
  const tail = kept.filter((r) => r.epoch >= from);
  assert.equal(tail.length, series.length - from + 1);
  tail.forEach((r) => assert.equal(r, series[r.epoch - 1]));
  // Before it, bucket by bucket: exactly the first epoch (bucket 0), the lowest and the highest.
  const w = h.bucketWidth;
  const byBucket = new Map<number, EpochRecord[]>();
  for (const r of kept) if (r.epoch < from) byBucket.set(Math.floor((r.epoch - 1) / w), [...(byBucket.get(Math.floor((r.epoch - 1) / w)) ?? []), r]);
  for (let b = 0; b * w + 1 < from; b++) {
    const inBucket = series.slice(b * w, Math.min((b + 1) * w, from - 1));
    const { lo, hi } = minMax(inBucket);
    const expected = inBucket.filter((r) => r === lo || r === hi || r.epoch === 1);
    assert.deepEqual((byBucket.get(b) ?? []).map((r) => r.epoch), expected.map((r) => r.epoch), `bucket ${b} of width ${w}`);
  }
}

describe('EpochHistory: recent epochs in full, older ones thinned to min and max per bucket', () => {
  it('keeps everything while a run is short', () => {
    const h = new EpochHistory();
    const series = Array.from({ length: 3000 }, (_, k) => recordAt(k + 1));
    series.forEach((r) => h.push(r));
    // Bucketed already, but buckets of 1 and 2 epochs keep both: nothing dropped.
    assert.deepEqual(h.records, series);
    h.push(recordAt(3001));
    assert.ok(h.length < 3001, 'the next compaction thins');
  });

  it('matches a brute-force min and max of every bucket, at every size up to 10⁶ epochs', () => {
    const h = new EpochHistory();
    const series: EpochRecord[] = [];
    const checks = new Set([3001, 4001, 5000, 10_007, 65_536, 200_000, 1_000_000]);
    let longest = 0;
    for (let e = 1; e <= 1_000_000; e++) {
      const r = recordAt(e);
      series.push(r);
      h.push(r);
      longest = Math.max(longest, h.length);
      if (checks.has(e)) checkAgainst(h, series);
    }
    assert.ok(longest <= HISTORY_BOUND, `held ${longest} records`);
    assert.ok(h.bucketWidth > 1);
    // The spike and the dips, long since thinned, are still there.
    assert.ok(h.records.some((r) => r.epoch === 123_457 && r.loss === 1e6), 'the spike at epoch 123,457 survives');
    for (let e = 50_000; e < 1_000_000 - FULL_RESOLUTION; e += 50_000) assert.ok(h.records.some((r) => r.epoch === e), `the dip at ${e} survives`);
    assert.ok(h.records.some((r) => r.epoch === 77 && Number.isNaN(r.loss)), 'a NaN counts as a spike');
  });

  it('stays within its bound over 10⁷ epochs, with the last FULL_RESOLUTION always complete', function () {
    this.timeout(120_000);
    const h = new EpochHistory();
    let longest = 0;
    for (let e = 1; e <= 10_000_000; e++) {
      h.push({ epoch: e, loss: e === 4_000_000 ? 50 : 1 / e, seconds: 0 });
      if (h.length > longest) longest = h.length;
    }
    assert.ok(longest <= HISTORY_BOUND, `held ${longest} records`);
    const r = h.records;
    assert.equal(r[0].epoch, 1);
    assert.equal(r[r.length - 1].epoch, 10_000_000);
    assert.equal(r[r.length - FULL_RESOLUTION].epoch, 10_000_000 - FULL_RESOLUTION + 1);
    assert.ok(r.some((x) => x.epoch === 4_000_000), 'the spike at epoch 4,000,000 survives');
  });

  it('deltas bring a reader to the same records, restarting where a compaction rewrote them', () => {
    const h = new EpochHistory();
    const reader: EpochRecord[] = [];
    let biggest = 0;
    let restarts = 0;
    let step = 1;
    for (let e = 1; e <= 60_000; e++) {
      h.push(recordAt(e));
      if (e % step === 0) {
        const d = h.delta();
        if (d.start < reader.length) restarts++;
        reader.length = d.start;
        reader.push(...d.records);
        assert.deepEqual(reader, h.records);
        biggest = Math.max(biggest, d.records.length);
        step = (step * 7 + 3) % 2500 || 1;
      }
    }
    assert.ok(biggest <= HISTORY_BOUND);
    assert.ok(restarts > 0, 'compactions were seen');
    // A reader that keeps up epoch by epoch gets only the new record, except at a compaction,
    // which comes once per COMPACT_BATCH epochs.
    h.delta();
    let rewrites = 0;
    for (let e = 60_001; e <= 65_000; e++) {
      h.push(recordAt(e));
      const d = h.delta();
      if (d.start === h.length - 1) assert.deepEqual(d.records, [h.last]);
      else rewrites++;
    }
    assert.ok(rewrites >= 1 && rewrites <= 5000 / COMPACT_BATCH + 1, `${rewrites} rewrites in 5,000 epochs`);
  });
});

describe('thinMinMax: fewer records for a reader that wants them, spikes kept', () => {
  it('keeps all of a short list and, of a long one, each run’s min, max and the last', () => {
    const few = [1, 2, 3].map(recordAt);
    assert.deepEqual(thinMinMax(few, 10), few);
    const many = Array.from({ length: 1000 }, (_, k) => ({ epoch: k + 1, loss: k === 500 ? 9 : k === 501 ? -9 : 1, seconds: 0 }));
    const thin = thinMinMax(many, 100);
    assert.ok(thin.length <= 101, `${thin.length}`);
    assert.ok(thin.some((r) => r.loss === 9) && thin.some((r) => r.loss === -9));
    assert.equal(thin[thin.length - 1], many[999]);
    for (let i = 1; i < thin.length; i++) assert.ok(thin[i].epoch > thin[i - 1].epoch);
  });
});
