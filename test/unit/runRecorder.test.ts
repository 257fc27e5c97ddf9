import { strict as assert } from 'assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseRunLog } from '../../src/analysis/runLog';
import { EXACT_LINES, LOG_LINES_PER_SNAPSHOT, RunRecorder } from '../../src/host/RunRecorder';
import type { EpochRecord } from '../../src/training/workerProtocol';

const record = (epoch: number, loss = 1 / epoch): EpochRecord => ({ epoch, loss, seconds: epoch / 1000 });

describe('RunRecorder: what a run file gets from the snapshots’ histories', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'mlp-runs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('every epoch of a slow run, once each, even when the history was thinned between snapshots', async () => {
    const r = RunRecorder.start(path.join(dir, 'xor.mlp.json'), { model: 'xor', hyperparameters: {} });
    const all = Array.from({ length: 30 }, (_, k) => record(k + 1));
    assert.equal(r.appendHistory(all.slice(0, 10)), true);
    // The next snapshot's history lost epochs 2 to 5 to thinning; 11 to 30 are new.
    assert.equal(r.appendHistory([all[0], ...all.slice(5, 30)]), true);
    await r.flush();
    const log = parseRunLog(readFileSync(r.file, 'utf8'));
    assert.deepEqual(log.epochs.map((e) => e.epoch), all.map((e) => e.epoch));
  });

  it('a short run that trains within one snapshot is written whole', async () => {
    const r = RunRecorder.start(path.join(dir, 'xor.mlp.json'), { model: 'xor', hyperparameters: {} });
    const all = Array.from({ length: 3000 }, (_, k) => record(k + 1));
    assert.equal(r.appendHistory(all), true);
    await r.flush();
    assert.deepEqual(parseRunLog(readFileSync(r.file, 'utf8')).epochs.map((e) => e.epoch), all.map((e) => e.epoch));
  });

  it('a long fast run: past EXACT_LINES, at most LOG_LINES_PER_SNAPSHOT lines a snapshot, keeping spikes and the latest epoch', async () => {
    const r = RunRecorder.start(path.join(dir, 'xor.mlp.json'), { model: 'xor', hyperparameters: {} }, new Date(), 100);
    // Its first EXACT_LINES epochs, snapshot by snapshot, are written whole.
    for (let e = 101; e <= 100 + EXACT_LINES; e += 2500) assert.equal(r.appendHistory(Array.from({ length: 2500 }, (_, k) => record(e + k))), true);
    const burst = Array.from({ length: 4000 }, (_, k) => record(101 + EXACT_LINES + k, k === 1234 ? 50 : 1 / (k + 1)));
    assert.equal(r.appendHistory(burst), true);
    // A reset: the history goes back, and the run is over.
    assert.equal(r.appendHistory([record(1)]), false);
    await r.flush();
    const all = parseRunLog(readFileSync(r.file, 'utf8')).epochs;
    assert.deepEqual(all.slice(0, EXACT_LINES).map((e) => e.epoch), Array.from({ length: EXACT_LINES }, (_, k) => 101 + k));
    const epochs = all.slice(EXACT_LINES);
    assert.ok(epochs.length <= LOG_LINES_PER_SNAPSHOT + 1, `${epochs.length} lines`);
    assert.ok(epochs.some((e) => e.loss === 50), 'the spike is written');
    assert.equal(epochs[epochs.length - 1].epoch, 4100 + EXACT_LINES);
  });
});
