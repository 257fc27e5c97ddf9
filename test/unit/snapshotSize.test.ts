// A snapshot carries what the panel draws, not every parameter (issue #20): wide layers travel as
// block means and the diagram's edges, the loss of each batch as a bounded series, and the
// confusion matrix comes from the end-of-epoch evaluation's own pass. Every figure is checked
// against an independent computation here: block means and edges against the parameters read
// back with getParameters, batch means against the losses added, counts against the engine's
// confusionOf (predict + argmax) on the same parameters.
import { strict as assert } from 'assert';
import * as path from 'node:path';
import { BatchLosses, MAX_POINTS } from '../../src/training/batchLosses';
import { reduceMatrix, WHOLE_WEIGHTS } from '../../src/training/snapshot';
import { drawnUnits, MAX_SLICE_INPUTS } from '../../src/training/shownUnits';
import { TrainingSession } from '../../src/training/TrainingSession';
import { Trainer } from '../../src/training/Trainer';
import { confusionOf } from '../../src/analysis/confusion';
import { chunkedEvaluation, type Evaluation } from '../../src/engine/training';
import { FastNetwork } from '../../src/fast';
import { networkFromModel } from '../../src/model/modelNetwork';
import { Random } from '../../src/engine/random';
import type { ModelFile } from '../../src/model/modelFile';
import type { EpochRecord, TrainingData, TrainingSnapshot } from '../../src/training/workerProtocol';
import { DRAWN_TIMEOUT_MS, SnapshotFeed } from '../../src/host/snapshotFeed';

const WORKER = path.resolve(__dirname, '../../src/training/trainingWorker.js');

/** Three well-separated classes of `nIn` inputs: class k is centred at +2 on inputs ≡ k (mod 3). */
function blobs(rows: number, nIn: number, seed = 7): TrainingData {
  const rng = new Random(seed);
  const x = new Float64Array(rows * nIn);
  const y = new Float64Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    const k = r % 3;
    for (let i = 0; i < nIn; i++) x[r * nIn + i] = (i % 3 === k ? 2 : 0) + 0.5 * (rng.next() - 0.5);
    y[r * 3 + k] = 1;
  }
  return { task: 'classification', inputNames: Array.from({ length: nIn }, (_, i) => `x${i}`), outputNames: ['a', 'b', 'c'], classes: ['a', 'b', 'c'], nIn, nOut: 3, train: { x, y, rows } };
}

const wideModel = (nIn: number, hidden: number): ModelFile => ({
  layers: [{ units: nIn }, { units: hidden, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  loss: 'cross_entropy',
  init: { weights: 'he', seed: 3 },
  optimizer: { type: 'adam', learningRate: 0.01, batchSize: 32, epochs: 2 },
});

describe('snapshots carry what is drawn', () => {
  describe('reduceMatrix', () => {
    it('averages blocks, the last ones smaller, worked by hand', () => {
      // 5 × 3, at most 2 cells a side: blocks of 3 rows × 2 columns, the last 2 rows × 1 column.
      const m = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      const r = reduceMatrix(m, 5, 3, 2, 15);
      assert.deepEqual([r.rows, r.cols, r.rowBlock, r.colBlock, r.fullRows, r.fullCols, r.absMax], [2, 2, 3, 2, 5, 3, 15]);
      // rows 0–2 × cols 0–1: 1,2,4,5,7,8 → 27/6; rows 0–2 × col 2: 3,6,9 → 6; rows 3–4 × cols 0–1: 10,11,13,14 → 12; rows 3–4 × col 2: 12,15 → 13.5
      assert.deepEqual(Array.from(r.data), [27 / 6, 6, 12, 13.5]);
    });

    it('keeps a matrix that fits as it is', () => {
      const m = Float64Array.from([1, -2, 3, -4]);
      const r = reduceMatrix(m, 2, 2, 8, 4);
      assert.deepEqual([r.rows, r.cols, r.rowBlock, r.colBlock], [2, 2, 1, 1]);
      assert.deepEqual(Array.from(r.data), [1, -2, 3, -4]);
    });
  });

  describe('BatchLosses', () => {
    it('keeps at most MAX_POINTS points, each the mean J of the batches it stands for, at its last batch’s epoch', () => {
      const b = new BatchLosses();
      const n = 5000;
      const J = (k: number) => 1 + Math.sin(k) + k / 1000;
      for (let k = 0; k < n; k++) b.add((k + 1) / 100, J(k));
      const v = b.view();
      assert.ok(v.epoch.length <= MAX_POINTS && v.epoch.length >= MAX_POINTS / 4, `${v.epoch.length} points`);
      assert.ok(Number.isInteger(Math.log2(v.every)) && v.every >= n / MAX_POINTS, `every ${v.every}`);
      // Point p stands for batches p·every … (p+1)·every − 1: check every point against a direct mean.
      for (let p = 0; p < v.epoch.length; p++) {
        let sum = 0;
        for (let k = p * v.every; k < (p + 1) * v.every; k++) sum += J(k);
        assert.ok(Math.abs(v.loss[p] - sum / v.every) < 1e-12, `point ${p}: ${v.loss[p]} vs ${sum / v.every}`);
        assert.equal(v.epoch[p], ((p + 1) * v.every) / 100);
      }
    });

    it('draws the first batches at once, one point each, and skips non-finite J', () => {
      const b = new BatchLosses();
      b.add(0.1, 2);
      b.add(0.2, NaN);
      b.add(0.3, 1.5);
      const v = b.view();
      assert.deepEqual([Array.from(v.epoch), Array.from(v.loss), v.every], [[0.1, 0.3], [2, 1.5], 1]);
    });
  });

  describe('evaluation counts: the confusion matrix of the pass itself', () => {
    const data = blobs(600, 6);
    const model = wideModel(6, 5);
    const split = { x: { rows: 600, cols: 6, data: data.train.x }, y: { rows: 600, cols: 3, data: data.train.y } };

    it('float64 (chunked, 256 rows a chunk): the engine’s confusionOf, count for count', () => {
      const net = networkFromModel(model);
      const e = chunkedEvaluation(net, split, true);
      let result: Evaluation | undefined;
      do result = e.step();
      while (result === undefined);
      const want = confusionOf(net, split);
      assert.deepEqual(Array.from(result.counts!), Array.from(want.counts));
      assert.equal(result.accuracy, want.accuracy);
    });

    it('float32 (the fast path): confusionOf of the same parameters (well-separated classes: no near ties)', () => {
      const net = networkFromModel(model);
      const fast = FastNetwork.fromNetwork(net, 256);
      const result = fast.evaluate({ x: data.train.x, y: data.train.y, rows: 600 }, true);
      assert.deepEqual(Array.from(result.counts!), Array.from(confusionOf(net, split).counts));
    });

    for (const precision of ['float32', 'float64'] as const) {
      it(`${precision}: the trainer keeps each epoch's counts, of the parameters it ended with`, () => {
        const t = new Trainer(model, blobs(600, 6), precision);
        while (t.epoch < 1) t.runBatch();
        const c = t.confusion!;
        assert.deepEqual([c.split, c.epoch, c.step], ['training', 1, t.step]);
        const reference = confusionOf(t.net, split);
        if (precision === 'float64') assert.deepEqual(Array.from(c.counts), Array.from(reference.counts));
        else assert.ok(Array.from(c.counts).every((n, k) => Math.abs(n - reference.counts[k]) <= 2), `${c.counts} vs ${reference.counts}`);
        // At rest after another batch: counted anew on these parameters.
        t.runBatch();
        const now = t.confusionNow()!;
        assert.equal(now.step, t.step);
        if (precision === 'float64') assert.deepEqual(Array.from(now.counts), Array.from(confusionOf(t.net, split).counts));
        t.dispose();
      });
    }
  });

  describe('SnapshotFeed: a view paces its own snapshots', () => {
    const snap = (step: number) => ({ step, history: [] as EpochRecord[] }) as unknown as TrainingSnapshot;
    it('sends one, holds the rest until the view says it drew it, then sends the newest; a silent view gets one a second', () => {
      const sent: number[] = [];
      const feed = new SnapshotFeed((m) => sent.push(m.snapshot.step));
      feed.offer(snap(1), 0);
      feed.offer(snap(2), 10);
      feed.offer(snap(3), 20);
      assert.deepEqual(sent, [1]);
      feed.drawn(30);
      assert.deepEqual(sent, [1, 3], 'the newest, not a backlog');
      feed.drawn(40);
      assert.deepEqual(sent, [1, 3], 'nothing held: nothing sent');
      feed.offer(snap(4), 50);
      feed.offer(snap(5), 60 + DRAWN_TIMEOUT_MS);
      assert.deepEqual(sent, [1, 3, 4, 5], 'a view that never answers (hidden) still gets one a second');
      feed.offer(snap(6), 70 + DRAWN_TIMEOUT_MS);
      feed.sentWhole(snap(6));
      feed.offer(snap(7), 80 + DRAWN_TIMEOUT_MS);
      assert.deepEqual(sent, [1, 3, 4, 5, 7], 'a whole state resets the pacing');
    });
  });

  describe('a live session', () => {
    const sessions: TrainingSession[] = [];
    afterEach(async () => {
      await Promise.all(sessions.splice(0).map((s) => s.dispose()));
    });

    it('sends a wide layer as block means and the diagram’s edges, true to the parameters, and a small one whole', async () => {
      const nIn = MAX_SLICE_INPUTS + 36; // no decision map: W[1] (100 × 80 = 8,000 > WHOLE_WEIGHTS) is reduced
      const hidden = 80;
      assert.ok(nIn * hidden > WHOLE_WEIGHTS);
      const s = new TrainingSession({ workerPath: WORKER });
      sessions.push(s);
      await s.load(wideModel(nIn, hidden), blobs(300, nIn));
      await s.start(1);
      const snap: TrainingSnapshot = await s.waitFor((x) => x.state === 'stopped');
      const p = await s.getParameters();
      assert.equal(p.step, snap.step);
      const [l1, l2] = snap.layers;
      assert.equal(l1.W, undefined, 'W[1] is not sent whole');
      assert.deepEqual(Array.from(l2.W!), Array.from(p.layers[1].W), 'W[2] (80 × 3) is');
      const W = p.layers[0].W;
      const cells = l1.weightCells!;
      assert.deepEqual([cells.fullRows, cells.fullCols], [nIn, hidden]);
      for (const [a, b] of [[0, 0], [3, 7], [cells.rows - 1, cells.cols - 1]]) {
        let sum = 0;
        let n = 0;
        for (let i = a * cells.rowBlock; i < Math.min(nIn, (a + 1) * cells.rowBlock); i++) {
          for (let j = b * cells.colBlock; j < Math.min(hidden, (b + 1) * cells.colBlock); j++, n++) sum += W[i * hidden + j];
        }
        assert.ok(Math.abs(cells.data[a * cells.cols + b] - sum / n) < 1e-12, `cell ${a}, ${b}`);
      }
      assert.equal(l1.absMaxW, Math.max(...Array.from(W, Math.abs)));
      assert.deepEqual(l1.edges.i, drawnUnits(nIn));
      assert.deepEqual(l1.edges.j, drawnUnits(hidden));
      l1.edges.i.forEach((i, a) => l1.edges.j.forEach((j, b) => assert.equal(l1.edges.W[a * l1.edges.j.length + b], W[i * hidden + j], `W[1][${i}][${j}]`)));
      assert.deepEqual(Array.from(l1.b), Array.from(p.layers[0].b));
      // The loss of the batches is there from the first snapshot of a run, one point a batch here.
      assert.equal(snap.batchLosses.every, 1);
      assert.equal(snap.batchLosses.epoch.length, Math.ceil(300 / 32));
      assert.equal(snap.batchLosses.epoch[snap.batchLosses.epoch.length - 1], 1);
      // The confusion matrix is the epoch's evaluation of the training split.
      assert.deepEqual([snap.confusion?.split, snap.confusion?.epoch, snap.confusion?.matrix.total], ['training', 1, 300]);
      // The host keeps the parameters of the last rest, for a restart after a crash.
      for (let k = 0; k < 100 && s.lastParameters?.step !== snap.step; k++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(s.lastParameters?.step, snap.step);
      assert.deepEqual(Array.from(s.lastParameters!.layers[0].W), Array.from(W));
    });
  });
});
