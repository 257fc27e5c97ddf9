// The training session against a real worker thread (the compiled out/src/training/trainingWorker.js).
// Reference values come from the engine's own loop (trainEpoch + evaluate, seeded as the CLI
// seeds it) run in the test, never from the session's earlier output. Runs asked for in float64
// must match it to 1e-12; the default float32 runs (the fast path) must track it to 1e-4, and
// their divergence is checked against the fast network stepped by hand here.
import { pristineExamples } from '../pristineExamples';
import { strict as assert } from 'assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
// The module object itself (an import-star copy has getters only), so that its Worker can be wrapped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import workerThreads = require('node:worker_threads');
import { fromRows } from '../../src/engine/matrix';
import { backward, forward, type Network } from '../../src/engine/network';
import { createOptimizer, type OptimizerSpec } from '../../src/engine/optimizers';
import { Random } from '../../src/engine/random';
import { evaluate, trainEpoch, type Samples } from '../../src/engine/training';
import type { PreparedData } from '../../src/data/preparedData';
import type { ModelFile } from '../../src/model/modelFile';
import { FastNetwork } from '../../src/fast';
import { networkFromModel, parametersOf } from '../../src/model/modelNetwork';
import { SnapshotFeed } from '../../src/host/snapshotFeed';
import type { EpochRecord, LayerSnapshot, RunState, TrainingData, TrainingPrecision, TrainingSnapshot } from '../../src/training/workerProtocol';
import { FULL_RESOLUTION, HISTORY_BOUND } from '../../src/training/epochHistory';
import { TrainingSession, type SessionData } from '../../src/training/TrainingSession';

// The data layer's PreparedData must load as it is (checked by the compiler, not at run time).
export const preparedDataLoads: (data: PreparedData) => SessionData = (data) => data;

const WORKER = path.resolve(__dirname, '../../src/training/trainingWorker.js');
const XOR_MODEL: ModelFile = JSON.parse(readFileSync(path.join(pristineExamples(), 'xor-learn.mlp.json'), 'utf8'));

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

/** XOR as the data layer would prepare examples/data/xor.csv (a numeric target: regression). Fresh arrays each call, since loading transfers them. */
function xorData(y: number[][] = XOR_Y): TrainingData {
  return {
    task: 'regression',
    inputNames: ['x1', 'x2'],
    outputNames: ['y'],
    nIn: 2,
    nOut: y[0].length,
    train: { x: Float64Array.from(XOR_X.flat()), y: Float64Array.from(y.flat()), rows: 4 },
  };
}

function xorSamples(y: number[][] = XOR_Y): Samples {
  return { x: fromRows(XOR_X), y: fromRows(y) };
}

/** The CLI's loop: the engine's trainEpoch and evaluate, with the run's generator seeded `(seed ?? 1) + 0x5eed`. */
class ReferenceRun {
  readonly net: Network;
  private optimizer;
  private readonly rng: Random;
  constructor(
    private model: ModelFile,
    private readonly samples: Samples,
  ) {
    this.net = networkFromModel(model);
    this.optimizer = createOptimizer(model.optimizer);
    this.rng = new Random((model.init?.seed ?? 1) + 0x5eed);
  }
  /** A new optimizer, or (`keepState`) only new batching, as the worker does when only the batch size changes. */
  setOptimizer(spec: OptimizerSpec, keepState = false): void {
    this.model = { ...this.model, optimizer: spec };
    if (!keepState) this.optimizer = createOptimizer(spec);
  }
  /** The training loss after each of `epochs` epochs. */
  epochs(epochs: number): number[] {
    return this.evaluations(epochs).map((e) => e.loss);
  }
  /** Loss and accuracy after each of `epochs` epochs (XOR's 0/1 target is scored as classes, as the CLI does). */
  evaluations(epochs: number): { loss: number; accuracy?: number }[] {
    const out: { loss: number; accuracy?: number }[] = [];
    for (let e = 0; e < epochs; e++) {
      trainEpoch(this.net, this.optimizer, this.samples, { batchSize: this.model.optimizer?.batchSize ?? 0, shuffle: this.model.optimizer?.shuffle ?? true, rng: this.rng });
      out.push(evaluate(this.net, this.samples, true));
    }
    return out;
  }
}

/** Equal to a relative 1e-12; NaN and ±∞ must match exactly (a diverged network holds them). */
const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Number.isFinite(b) ? Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)) : Object.is(a, b), `${a} vs ${b}`);

function sameParameters(actual: { W: Float64Array; b: Float64Array }[], net: Network): void {
  assert.equal(actual.length, net.layers.length);
  net.layers.forEach((layer, k) => {
    assert.equal(actual[k].W.length, layer.W.data.length);
    layer.W.data.forEach((w, i) => close(actual[k].W[i], w));
    layer.b.forEach((b, j) => close(actual[k].b[j], b));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isDone = (s: TrainingSnapshot) => s.state === 'stopped' || s.state === 'diverged';

describe('TrainingSession (real worker thread)', function () {
  // Every Worker any session creates is recorded here (by wrapping the constructor the session
  // calls), so that each test can check, from outside the session, that its worker exited.
  const OriginalWorker = workerThreads.Worker;
  let workers: { worker: workerThreads.Worker; exited: Promise<number>; hasExited: () => boolean }[] = [];
  let sessions: TrainingSession[] = [];

  before(() => {
    (workerThreads as { Worker: typeof OriginalWorker }).Worker = class RecordedWorker extends OriginalWorker {
      constructor(...args: ConstructorParameters<typeof OriginalWorker>) {
        super(...args);
        let exited = false;
        workers.push({ worker: this, exited: new Promise((resolve) => this.once('exit', (code) => ((exited = true), resolve(code)))), hasExited: () => exited });
      }
    };
  });
  after(() => {
    (workerThreads as { Worker: typeof OriginalWorker }).Worker = OriginalWorker;
  });
  afterEach(async () => {
    await Promise.all(sessions.map((s) => s.dispose()));
    sessions = [];
    assert.ok(workers.every((w) => w.hasExited()), 'a worker is still running after dispose');
    workers = [];
  });

  function session(snapshotsPerSecond = 20, precision?: TrainingPrecision): TrainingSession {
    const s = new TrainingSession({ workerPath: WORKER, snapshotsPerSecond, ...(precision ? { precision } : {}) });
    sessions.push(s);
    return s;
  }

  it('in float64, gives, epoch by epoch, the loss of the engine’s own loop with the CLI’s seeds', async () => {
    const epochs = 300;
    const reference = new ReferenceRun(XOR_MODEL, xorSamples());
    const expected = reference.evaluations(epochs);
    const s = session(20, 'float64');
    const info = await s.load(XOR_MODEL, xorData());
    assert.deepEqual(info.sizes, [2, 4, 1]);
    assert.equal(s.state, 'idle');
    await s.start(epochs);
    const last = await s.waitFor(isDone);
    assert.equal(last.state, 'stopped');
    assert.equal(last.epoch, epochs);
    assert.equal(last.targetEpoch, epochs);
    assert.equal(last.step, epochs); // batch size 4 = the whole set: one update per epoch
    assert.equal(last.history.length, epochs);
    last.history.forEach((record, k) => {
      assert.equal(record.epoch, k + 1);
      close(record.loss, expected[k].loss);
      assert.equal(record.accuracy, expected[k].accuracy);
      assert.equal(record.valLoss, undefined);
    });
    assert.ok(expected[epochs - 1].loss < expected[0].loss, 'XOR should be learning');
    // The snapshot's parameters and getParameters are the reference's W and b after 300 epochs.
    sameParameters(whole(last.layers), reference.net);
    const params = await s.getParameters();
    assert.equal(params.epoch, epochs);
    sameParameters(params.layers, reference.net);
    const trained = await s.trainedModel();
    assert.deepEqual(trained.parameters, parametersOf(reference.net));
    assert.deepEqual(trained.layers, XOR_MODEL.layers);
  });

  it('sends snapshots no more often than the rate asked for, and never a backlog', async () => {
    const rate = 20;
    const s = session(rate);
    await s.load(XOR_MODEL, xorData());
    const times: number[] = [];
    s.onSnapshot(() => times.push(performance.now()));
    await s.start(10_000_000);
    const started = performance.now();
    await sleep(2000);
    await s.stop();
    const seconds = (performance.now() - started) / 1000;
    // One extra for the stop, one for timer slack at each end.
    assert.ok(times.length <= seconds * rate + 3, `${times.length} snapshots in ${seconds.toFixed(2)} s at ${rate}/s`);
    assert.ok(times.length >= seconds * rate * 0.4, `only ${times.length} snapshots in ${seconds.toFixed(2)} s`);
    const snap = s.snapshot!;
    assert.equal(snap.state, 'stopped');
    assert.ok(snap.epoch > 0 && snap.epoch === snap.history[snap.history.length - 1].epoch);
  });

  it('keeps the history bounded over a long run: recent epochs in full, older ones thinned, as views see it', async () => {
    const s = session();
    await s.load(XOR_MODEL, xorData());
    // What a view holds, applying the feed's deltas; and the most records one snapshot carried.
    const feed = new SnapshotFeed();
    const view: EpochRecord[] = [];
    let longest = 0;
    s.onSnapshot((snap) => {
      const m = feed.next(snap);
      view.length = m.historyStart;
      view.push(...m.newEpochs);
      longest = Math.max(longest, snap.history.length);
    });
    await s.start(10_000_000);
    const long = await s.waitFor((snap) => snap.epoch > 4 * HISTORY_BOUND, 60_000);
    await s.stop();
    const snap = s.snapshot!;
    assert.ok(long.history.length <= HISTORY_BOUND, `${long.history.length} records at epoch ${long.epoch}`);
    assert.ok(longest <= HISTORY_BOUND, `a snapshot held ${longest} records`);
    const h = snap.history;
    assert.equal(h[0].epoch, 1, 'the first epoch is kept');
    assert.equal(h[h.length - 1].epoch, snap.epoch, 'the latest epoch is kept');
    for (let i = 1; i < h.length; i++) assert.ok(h[i].epoch > h[i - 1].epoch, 'in epoch order');
    // The last FULL_RESOLUTION epochs, every one of them.
    h.slice(-FULL_RESOLUTION).forEach((r, k) => assert.equal(r.epoch, snap.epoch - FULL_RESOLUTION + 1 + k));
    assert.deepEqual(view, h);
  });

  it('pauses promptly, makes no progress while paused, and resumes where it was', async () => {
    const s = session();
    await s.load(XOR_MODEL, xorData());
    await s.start(10_000_000);
    await s.waitFor((snap) => snap.epoch > 100);
    const asked = performance.now();
    assert.equal(await s.pause(), 'paused');
    const latency = performance.now() - asked;
    assert.ok(latency < 250, `pausing took ${latency.toFixed(1)} ms`);
    const paused = s.snapshot!;
    assert.equal(paused.state, 'paused');
    assert.equal(paused.samplesPerSecond, 0);
    let during = 0;
    const sub = s.onSnapshot(() => during++);
    await sleep(300);
    sub.dispose();
    assert.equal(during, 0, 'snapshots while paused');
    const params = await s.getParameters();
    assert.equal(params.epoch, paused.epoch);
    assert.equal(params.step, paused.step);
    sameParameters(params.layers, networkWith(paused));
    await assert.rejects(s.resume().then(() => s.resume()), /nothing to resume/);
    const resumed = await s.waitFor((snap) => snap.state === 'training' && snap.epoch > paused.epoch + 10);
    // The history continues without a gap (its recent part is complete; older epochs may be thinned).
    const h = resumed.history;
    assert.equal(h[h.length - 1].epoch, resumed.epoch);
    assert.ok(h.length >= Math.min(resumed.epoch, FULL_RESOLUTION));
    h.slice(-Math.min(h.length, FULL_RESOLUTION)).forEach((r, k, tail) => assert.equal(r.epoch, resumed.epoch - tail.length + 1 + k));
    await s.stop();
  });

  it('stop then dispose leaves no worker thread running', async () => {
    const s = session();
    await s.load(XOR_MODEL, xorData());
    await s.start(10_000_000);
    await s.waitFor((snap) => snap.epoch > 10);
    assert.equal(await s.stop(), 'stopped');
    assert.equal(workers.length, 1);
    assert.equal(workers[0].hasExited(), false);
    await s.dispose();
    assert.equal(workers[0].hasExited(), true);
    await s.dispose(); // twice is fine
    await assert.rejects(s.start(), /disposed/);
  });

  it('dispose in the middle of training terminates the worker too', async () => {
    const s = session();
    await s.load(XOR_MODEL, xorData());
    await s.start(10_000_000);
    await s.waitFor((snap) => snap.epoch > 10);
    await s.dispose();
    assert.ok(workers[0].hasExited());
  });

  // With squared errors J overflows (|ŷ| ≈ 1e154) before any z or a does, so at η = 1e6 only J
  // is non-finite and the output layer L is named; at η = 1e300 one step sends a z to ±∞.
  // With the whole set as the batch, the epoch-end evaluation sees J = ∞ first; with batches of
  // one, a batch's own J does, and that batch's step is not applied.
  for (const { learningRate, seed, batchSize, expectOnlyJ, expectMidEpoch } of [
    { learningRate: 1e6, seed: 3, batchSize: 0, expectOnlyJ: true, expectMidEpoch: false },
    { learningRate: 1e300, seed: 7, batchSize: 0, expectOnlyJ: false, expectMidEpoch: false },
    { learningRate: 1e6, seed: 3, batchSize: 1, expectOnlyJ: undefined, expectMidEpoch: true },
  ]) {
    it(`in float64, η = ${learningRate}, batch size ${batchSize} diverges, halts, and names the first non-finite layer`, async () => {
      const model: ModelFile = {
        layers: [{ units: 2 }, { units: 8, activation: 'relu' }, { units: 8, activation: 'relu' }, { units: 1, activation: 'identity' }],
        loss: 'mse',
        init: { weights: 'he', seed },
        optimizer: { type: 'sgd', learningRate, batchSize, shuffle: false },
      };
      const y = [[1], [3], [-2], [5]];
      // Reference, written out here: batches in order, each forward and backward, stopping at
      // the first non-finite J (a batch's, before its update, or the epoch-end evaluation's);
      // then a scan for the first layer in forward order whose W, b, z or a holds NaN or ±∞
      // (L if none does).
      const net = networkFromModel(model);
      const optimizer = createOptimizer(model.optimizer);
      const samples = xorSamples(y);
      const L = net.layers.length;
      const m = 4;
      const batch = batchSize > 0 ? batchSize : m;
      let steps = 0;
      let found: { epoch: number; pass: ReturnType<typeof forward>; midEpoch: boolean } | undefined;
      for (let epoch = 1; epoch <= 1000 && !found; epoch++) {
        for (let start = 0; start < m && !found; start += batch) {
          const idx = Array.from({ length: Math.min(batch, m - start) }, (_, k) => start + k);
          const x = fromRows(idx.map((i) => XOR_X[i]));
          const pass = forward(net, x);
          const grads = backward(net, pass, fromRows(idx.map((i) => y[i])));
          if (!Number.isFinite(grads.loss)) found = { epoch, pass, midEpoch: true };
          else {
            optimizer.update(net, grads);
            steps++;
          }
        }
        if (!found && !Number.isFinite(evaluate(net, samples, false).loss)) found = { epoch, pass: forward(net, samples.x), midEpoch: false };
      }
      assert.ok(found, 'the reference should diverge');
      const bad = (v: Float64Array) => v.some((e) => !Number.isFinite(e));
      let badLayer = -1;
      for (let l = 1; l <= L && badLayer < 0; l++) {
        if (bad(net.layers[l - 1].W.data) || bad(net.layers[l - 1].b) || bad(found.pass.z[l].data) || bad(found.pass.a[l].data)) badLayer = l;
      }
      if (expectOnlyJ !== undefined) assert.equal(badLayer < 0, expectOnlyJ);
      assert.equal(found.midEpoch, expectMidEpoch);

      const s = session(20, 'float64');
      await s.load(model, xorData(y));
      const states: RunState[] = [];
      s.onStateChange((st) => states.push(st));
      await s.start(1000);
      const snap = await s.waitFor(isDone);
      assert.equal(snap.state, 'diverged');
      assert.ok(states.includes('diverged'));
      const d = snap.divergence!;
      assert.ok(!Number.isFinite(d.loss));
      assert.equal(d.step, steps);
      assert.equal(d.epoch, found.epoch);
      assert.equal(snap.step, steps);
      if (!found.midEpoch) assert.ok(!Number.isFinite(snap.history[found.epoch - 1].loss));
      if (badLayer < 0) {
        assert.equal(d.layer, L);
        assert.deepEqual(d.quantities, ['J']);
        assert.match(d.message, /Every W, b, z and a is still finite/);
      } else {
        assert.equal(d.layer, badLayer);
        assert.ok(d.quantities.length > 0 && d.quantities.every((q) => q.endsWith(`[${badLayer}]`)), d.quantities.join());
        assert.match(d.message, new RegExp(`Layer ${badLayer} went non-finite first`));
      }
      // The snapshot shows the parameters that produced the non-finite J (the step was not applied).
      sameParameters(whole(snap.layers), net);
      await assert.rejects(s.resume(), /nothing to resume/);
    });
  }

  it('in float64, setHyperparameters changes the learning rate from the next batch on', async () => {
    const reference = new ReferenceRun(XOR_MODEL, xorSamples());
    const first = reference.epochs(20);
    const faster: OptimizerSpec = { ...XOR_MODEL.optimizer, learningRate: 2 };
    reference.setOptimizer(faster);
    const second = reference.epochs(20);
    const unchanged = new ReferenceRun(XOR_MODEL, xorSamples()).epochs(40);

    const s = session(20, 'float64');
    await s.load(XOR_MODEL, xorData());
    await s.start(20);
    await s.waitFor(isDone);
    await s.setHyperparameters({ learningRate: 2 });
    assert.equal(s.snapshot!.hyperparameters.learningRate, 2);
    assert.equal(s.model!.optimizer?.learningRate, 2);
    await s.start(20);
    const snap = await s.waitFor((x) => isDone(x) && x.epoch === 40);
    const losses = snap.history.map((r) => r.loss);
    [...first, ...second].forEach((l, k) => close(losses[k], l));
    assert.ok(Math.abs(losses[39] - unchanged[39]) > 1e-6, 'the new learning rate should change the run');

    await assert.rejects(s.setHyperparameters({ learningRate: -1 }), /"learningRate" must be a number > 0, got -1/);
    await assert.rejects(s.setHyperparameters({ batchSize: 1.5 }), /"batchSize" must be a whole number ≥ 0/);
    // Switching optimizer without a rate takes the new optimizer's default η.
    await s.setHyperparameters({ optimizer: 'adam' });
    assert.equal(s.snapshot!.hyperparameters.optimizer, 'adam');
    assert.equal(s.snapshot!.hyperparameters.learningRate, 0.001);
    assert.equal(s.model!.optimizer?.type, 'adam');
    assert.equal(s.model!.optimizer?.learningRate, undefined);
  });

  it('in float64, resetWeights starts over from the model’s init and reproduces the run', async () => {
    const expected = new ReferenceRun(XOR_MODEL, xorSamples()).epochs(50);
    const s = session(20, 'float64');
    await s.load(XOR_MODEL, xorData());
    await s.start(30);
    await s.waitFor(isDone);
    assert.equal(await s.resetWeights(), 'idle');
    const reset = s.snapshot!;
    assert.equal(reset.epoch, 0);
    assert.equal(reset.step, 0);
    assert.equal(reset.history.length, 0);
    sameParameters(whole(reset.layers), networkFromModel(XOR_MODEL, true));
    await s.start(50);
    const snap = await s.waitFor(isDone);
    assert.equal(snap.history.length, 50);
    snap.history.forEach((r, k) => close(r.loss, expected[k]));
  });

  it('the selected sample carries z[l] and a[l] of its own forward pass', async () => {
    const s = session();
    await s.load(XOR_MODEL, xorData());
    await s.start(10);
    await s.waitFor(isDone);
    await s.selectSample(3);
    const snap = s.snapshot!;
    assert.equal(snap.sample.index, 3);
    assert.deepEqual(Array.from(snap.sample.a[0]), [1, 1]);
    assert.deepEqual(Array.from(snap.sample.y), [0]);
    // z[l]_j = b[l]_j + Σ_i W[l][i][j] a[l−1]_i, by hand from the snapshot's own W and b.
    snap.layers.forEach((layer, k) => {
      const l = k + 1;
      for (let j = 0; j < layer.nOut; j++) {
        let z = layer.b[j];
        for (let i = 0; i < layer.nIn; i++) z += layer.W![i * layer.nOut + j] * snap.sample.a[l - 1][i];
        close(snap.sample.z[l][j], z);
      }
    });
    close(snap.sample.a[1][0], Math.tanh(snap.sample.z[1][0]));
    close(snap.sample.a[2][0], 1 / (1 + Math.exp(-snap.sample.z[2][0])));
    close(snap.sample.loss, 0.5 * snap.sample.a[2][0] ** 2);
    // The batch heatmaps: the 4 samples of the last batch, every neuron (all layers ≤ 64 wide).
    assert.deepEqual(snap.batch.a.map((a) => [a.rows, a.cols, a.neurons]), [[4, 2, 2], [4, 4, 4], [4, 1, 1]]);
    await assert.rejects(s.selectSample(4), /not in the train split/);
    await assert.rejects(s.selectSample(0, 'validation'), /no validation split/);
  });

  it('draws the heatmaps of a fixed sample, the first 32 training rows, capped at 64 neurons', async () => {
    const rows = 100;
    const nIn = 100;
    const x = new Float64Array(rows * nIn).map((_, i) => Math.sin(i));
    const y = new Float64Array(rows).map((_, i) => Math.cos(i));
    const s = session();
    await s.load(
      { layers: [{ units: nIn }, { units: 3, activation: 'tanh' }, { units: 1 }], loss: 'mse', optimizer: { learningRate: 0.01, batchSize: 50 } },
      { task: 'regression', inputNames: [], outputNames: ['y'], nIn, nOut: 1, train: { x, y, rows } },
    );
    const before = s.snapshot!;
    assert.deepEqual(before.batch.a.map((a) => [a.rows, a.cols, a.neurons]), [[32, 64, 100], [32, 3, 3], [32, 1, 1]]);
    assert.equal(before.layers[0].W!.length, nIn * 3); // W of up to 4,096 entries is sent whole
    assert.equal(before.sample.a[0].length, nIn); // and so is the selected sample
    assert.equal(x.length, 0, 'the data arrays were transferred, not copied');
    await s.start(2);
    const after = await s.waitFor(isDone);
    // A fixed sample (the first 32 training rows), not the last batch (rows 50–99, shuffled),
    // forwarded through the weights the snapshot carries: a[1]_j = tanh(b_j + Σ_i W_ij x_i).
    assert.deepEqual(Array.from(after.batch.sampleIndices), Array.from({ length: 32 }, (_, r) => r));
    const { W, b } = after.layers[0];
    for (const r of [0, 17, 31]) {
      for (let j = 0; j < 3; j++) {
        let z = b[j];
        for (let i = 0; i < nIn; i++) z += W![i * 3 + j] * Math.sin(r * nIn + i);
        assert.ok(Math.abs(after.batch.a[1].data[r * 3 + j] - Math.tanh(z)) < 1e-12, `a[1]_${j} of row ${r}`);
      }
    }
  });

  it('records W, a and dL/dW per layer for every epoch, though the run ends between two snapshots', async () => {
    // One snapshot every 10 s: 200 epochs take a fraction of that, so the run starts and ends
    // between snapshots, and the history must still hold every epoch's statistics. (A net whose
    // epochs take well over LAYER_STATS_INTERVAL_S: 8 batches of 32 rows, 2-16-16-1.)
    const epochs = 200;
    const rows = 256;
    const x = new Float64Array(2 * rows).map((_, i) => Math.sin(1.7 * i));
    const y = new Float64Array(rows).map((_, r) => (x[2 * r] * x[2 * r + 1] > 0 ? 1 : 0));
    const s = session(0.1);
    await s.load(
      { layers: [{ units: 2 }, { units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'sse', init: { seed: 2 }, optimizer: { learningRate: 0.05, batchSize: 32 } },
      { task: 'regression', inputNames: ['x1', 'x2'], outputNames: ['y'], nIn: 2, nOut: 1, train: { x, y, rows } },
    );
    let snapshots = 0;
    s.onSnapshot(() => snapshots++);
    await s.start(epochs);
    const last = await s.waitFor(isDone);
    assert.ok(snapshots <= 2, `${snapshots} snapshots during the run`);
    assert.equal(last.history.length, epochs);
    last.history.forEach((r, k) => {
      assert.equal(r.epoch, k + 1);
      assert.equal(r.layerStats?.length, 3 * 6, `epoch ${k + 1}: six numbers per layer`);
      assert.ok(r.layerStats!.every(Number.isFinite), `epoch ${k + 1}: ${r.layerStats}`);
    });
    // The last epoch's W is the trained network's (a float32 run's values, summarized in float64).
    const params = await s.getParameters();
    params.layers.forEach((p, k) => {
      const mean = p.W.reduce((a, w) => a + w, 0) / p.W.length;
      const std = Math.sqrt(p.W.reduce((a, w) => a + (w - mean) ** 2, 0) / p.W.length);
      const stat = last.history[epochs - 1].layerStats!;
      close(stat[6 * k], mean, 1e-12);
      close(stat[6 * k + 1], std, 1e-12);
    });
  });

  it('sends the confusion matrix of the whole validation split, past the views’ 5,000-row preview', async () => {
    // Three classes by the sign pattern of x, 6,000 validation rows; the reference is z = b + Wᵀx
    // by hand for every row and its argmax (softmax keeps the order), against the target's.
    const model: ModelFile = {
      name: 'three',
      layers: [{ units: 2 }, { units: 3, activation: 'softmax' }],
      loss: 'cross_entropy',
      init: { weights: 'normal', seed: 9 },
      optimizer: { learningRate: 0.1, epochs: 1 },
    };
    const make = (rows: number, seed: number) => {
      const rng = new Random(seed);
      const x = new Float64Array(rows * 2);
      const y = new Float64Array(rows * 3);
      for (let r = 0; r < rows; r++) {
        x[2 * r] = rng.next() * 2 - 1;
        x[2 * r + 1] = rng.next() * 2 - 1;
        y[3 * r + (x[2 * r] > 0 ? (x[2 * r + 1] > 0 ? 0 : 1) : 2)] = 1;
      }
      return { x, y, rows };
    };
    const train = make(50, 1);
    const validation = make(6000, 2);
    const net = networkFromModel(model);
    const W = net.layers[0].W.data;
    const b = net.layers[0].b;
    const expected = new Array(9).fill(0);
    for (let r = 0; r < validation.rows; r++) {
      const z = [0, 1, 2].map((j) => b[j] + W[j] * validation.x[2 * r] + W[3 + j] * validation.x[2 * r + 1]);
      const p = z.indexOf(Math.max(...z));
      const t = [0, 1, 2].find((j) => validation.y[3 * r + j] === 1)!;
      expected[t * 3 + p]++;
    }
    const s = session();
    await s.load(model, { task: 'classification', inputNames: ['x1', 'x2'], outputNames: ['a', 'b', 'c'], classes: ['a', 'b', 'c'], nIn: 2, nOut: 3, train: { ...train }, validation: { ...validation } });
    const c = s.snapshot!.confusion!;
    assert.equal(c.split, 'validation');
    assert.equal(c.matrix.total, 6000);
    assert.deepEqual(Array.from(c.matrix.counts), expected);
    assert.deepEqual(c.matrix.names, ['a', 'b', 'c']);
    assert.deepEqual([c.epoch, c.step], [0, 0]);
    // XOR's one 0/1 column is scored as two classes, as the CLI scores it.
    const r = session();
    await r.load(XOR_MODEL, xorData());
    assert.equal(r.snapshot!.confusion === undefined, false, 'XOR’s 0/1 target is scored as two classes');
  });

  it('sends the distributions of a model with more than 64 inputs, from every input of its first 32 rows', async () => {
    const rows = 100;
    const nIn = 100;
    const x = new Float64Array(rows * nIn).map((_, i) => Math.sin(i));
    const y = new Float64Array(rows).map((_, i) => Math.cos(i));
    const x32 = x.slice(0, 32 * nIn);
    const y32 = y.slice(0, 32);
    const s = session();
    await s.load(
      { layers: [{ units: nIn }, { units: 3, activation: 'relu' }, { units: 1 }], loss: 'mse', init: { seed: 4 }, optimizer: { learningRate: 0.01, batchSize: 50 } },
      { task: 'regression', inputNames: [], outputNames: ['y'], nIn, nOut: 1, train: { x, y, rows } },
    );
    const check = (snap: TrainingSnapshot) => {
      const d = snap.distributions;
      assert.equal(d.rows, 32);
      assert.equal(d.epoch, snap.epoch);
      assert.equal(d.step, snap.step);
      // a[0] is every input of the 32 rows, not the heatmap's 64 columns.
      assert.equal(d.inputs.count, 32 * nIn);
      close(d.inputs.mean, x32.reduce((a, v) => a + v, 0) / x32.length, 1e-12);
      assert.equal(d.layers.length, 2);
      assert.equal(d.layers[0].weights.count, nIn * 3);
      assert.equal(d.layers[0].activations.count, 32 * 3);
      assert.equal(d.dead.length, 2);
      // dL/dW[1] against the engine's backward pass of those rows with the snapshot's weights.
      const net = networkFromModel({ layers: [{ units: nIn }, { units: 3, activation: 'relu' }, { units: 1 }], loss: 'mse' });
      net.layers.forEach((layer, k) => {
        layer.W.data.set(snap.layers[k].W!);
        layer.b.set(snap.layers[k].b);
      });
      const pass = forward(net, { rows: 32, cols: nIn, data: x32 });
      const grads = backward(net, pass, { rows: 32, cols: 1, data: y32 });
      for (const l of [1, 2]) {
        const g = grads.dLdW[l].data;
        assert.equal(d.layers[l - 1].gradients?.count, g.length);
        close(d.layers[l - 1].gradients!.mean, g.reduce((a, v) => a + v, 0) / g.length, 1e-9);
      }
    };
    check(s.snapshot!);
    await s.start(3);
    check(await s.waitFor(isDone));
  });

  describe('float32, the default: the fast path', () => {
    /** |a − b| ≤ 1e-4 |b|: float32 rounding, compounded over a few epochs, stays well inside it. */
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.abs(b), `${what}: float32 ${a} vs float64 ${b}`);
    const isFloat32 = (v: Float64Array) => v.every((w) => Math.fround(w) === w);

    it('tracks the float64 engine’s losses and parameters on XOR to a relative 1e-4', async () => {
      const epochs = 50;
      const reference = new ReferenceRun(XOR_MODEL, xorSamples());
      const expected = reference.evaluations(epochs);
      const s = session();
      await s.load(XOR_MODEL, xorData());
      await s.start(epochs);
      const last = await s.waitFor(isDone);
      assert.equal(last.state, 'stopped');
      assert.equal(last.step, epochs);
      // XOR's epochs are too short for each to keep its layer statistics; the first and the run's last do.
      assert.ok(last.history[0].layerStats && last.history[epochs - 1].layerStats);
      last.history.forEach((r, k) => {
        near(r.loss, expected[k].loss, `epoch ${k + 1}`);
        assert.equal(r.accuracy, expected[k].accuracy);
      });
      const params = await s.getParameters();
      params.layers.forEach((p, k) => {
        // They are the fast network's: float32 values, copied out.
        assert.ok(isFloat32(p.W) && isFloat32(p.b), `layer ${k + 1} holds values float32 cannot`);
        const ref = reference.net.layers[k];
        const scale = Math.max(...Array.from(ref.W.data, Math.abs));
        ref.W.data.forEach((w, i) => assert.ok(Math.abs(p.W[i] - w) <= 1e-4 * scale, `W[${k + 1}] element ${i}: ${p.W[i]} vs ${w}`));
      });
      // Snapshots stay float64 arithmetic on those parameters: the selected sample's z by hand.
      await s.selectSample(1);
      const snap = s.snapshot!;
      snap.layers.forEach((layer, k) => {
        for (let j = 0; j < layer.nOut; j++) {
          let z = layer.b[j];
          for (let i = 0; i < layer.nIn; i++) z += layer.W![i * layer.nOut + j] * snap.sample.a[k][i];
          close(snap.sample.z[k + 1][j], z);
        }
      });
    });

    it('shuffles as the float64 run does, and keeps momentum across a batch size raised mid-run', async () => {
      // 300 two-feature rows in three classes; shuffled batches of 10 (the fast network is built
      // for 256 rows), then full batches of 300: the fast network must grow and keep its velocity.
      const rng = new Random(11);
      const rows = 300;
      const x = new Float64Array(rows * 2);
      const y = new Float64Array(rows * 3);
      for (let r = 0; r < rows; r++) {
        const c = r % 3;
        x[2 * r] = Math.cos((2 * Math.PI * c) / 3) + rng.uniform(-0.8, 0.8);
        x[2 * r + 1] = Math.sin((2 * Math.PI * c) / 3) + rng.uniform(-0.8, 0.8);
        y[3 * r + c] = 1;
      }
      const model: ModelFile = {
        layers: [{ units: 2 }, { units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
        loss: 'cross_entropy',
        init: { weights: 'xavier', seed: 5 },
        optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, batchSize: 10, shuffle: true },
      };
      const samples: Samples = { x: { rows, cols: 2, data: x.slice() }, y: { rows, cols: 3, data: y.slice() } };
      const reference = new ReferenceRun(model, samples);
      const first = reference.evaluations(4);
      reference.setOptimizer({ ...model.optimizer, batchSize: 0 }, true);
      const second = reference.evaluations(4);

      const s = session();
      await s.load(model, { task: 'classification', inputNames: ['x1', 'x2'], outputNames: ['a', 'b', 'c'], nIn: 2, nOut: 3, train: { x, y, rows } });
      await s.start(4);
      await s.waitFor(isDone);
      await s.setHyperparameters({ batchSize: 0 });
      await s.start(4);
      const snap = await s.waitFor((z) => isDone(z) && z.epoch === 8);
      assert.equal(snap.step, 4 * 30 + 4);
      [...first, ...second].forEach((e, k) => {
        near(snap.history[k].loss, e.loss, `epoch ${k + 1}`);
        assert.ok(Math.abs(snap.history[k].accuracy! - e.accuracy!) <= 1 / rows, `epoch ${k + 1} accuracy`);
      });
      assert.ok(second[3].loss < first[0].loss, 'it should be learning');
    });

    it('steps a row in the worker: the update is −η dJ/dW of that row alone, and training continues from it', async () => {
      // The reference: row 1 (x = (0, 1), y = 1) forward and backward through the engine, and
      // plain SGD (η = 0.5, no momentum) written out here.
      const start = networkFromModel(XOR_MODEL);
      const x = fromRows([[0, 1]]);
      const y = fromRows([[1]]);
      const grads = backward(start, forward(start, x), y);
      start.layers.forEach((layer, k) => {
        layer.W.data.forEach((w, i) => (layer.W.data[i] = w - 0.5 * grads.dLdW[k + 1].data[i]));
        layer.b.forEach((b, j) => (layer.b[j] = b - 0.5 * grads.dLdb[k + 1][j]));
      });
      const s = session();
      await s.load(XOR_MODEL, xorData());
      assert.equal((await s.stepSample({ kind: 'row', index: 1 })).problem, undefined);
      const { stepping, problem } = await s.step('all');
      assert.equal(problem, undefined);
      assert.equal(stepping?.phase, 'updated');
      assert.deepEqual(stepping?.computedAt, { epoch: 0, step: 1 });
      close(stepping!.loss!, grads.loss);
      const back = await s.getParameters();
      assert.equal(back.step, 1);
      sameParameters(back.layers, start);
      const reference = new ReferenceRun({ ...XOR_MODEL, parameters: parametersOf(start) }, xorSamples());
      const expected = reference.epochs(5);
      await s.start(5);
      const snap = await s.waitFor(isDone);
      snap.history.forEach((r, k) => near(r.loss, expected[k], `epoch ${k + 1}`));
      // Undo after training would put back weights from before it: refused, and nothing changes.
      const undo = await s.step('undo');
      assert.match(undo.problem ?? '', /trained since/);
      assert.equal((await s.getParameters()).step, snap.step);
    });

    it('recomputes a ledger left mid-pass when training stops: z[1] = b[1] + W[1]ᵀ x with the trained W and b', async () => {
      const s = session();
      await s.load(XOR_MODEL, xorData());
      await s.stepSample({ kind: 'row', index: 0 });
      await s.step('forward');
      await s.step('forward');
      const first = (await s.step('backward')).stepping!;
      assert.deepEqual(first.computedAt, { epoch: 0, step: 0 });
      const recomputed = new Promise<NonNullable<typeof first>>((resolve) => s.onStepping((v) => v && v.computedAt.step > 0 && resolve(v)));
      await s.start(50);
      const snap = await s.waitFor(isDone);
      const st = await recomputed;
      assert.deepEqual(st.computedAt, { epoch: snap.epoch, step: snap.step });
      assert.equal(s.stepping, st);
      // The same place in the passes: both layers forward, layer 2 backward.
      assert.equal(st.forwardLayer, 2);
      assert.equal(st.backwardLayer, 2);
      // By hand, from the snapshot's (current) parameters: x = (0, 0), so z[1] = b[1] exactly,
      // and z[2] = b[2] + W[2]ᵀ tanh(z[1]).
      const [l1, l2] = snap.layers;
      assert.deepEqual(Array.from(st.W[0]), Array.from(l1.W!));
      assert.deepEqual(Array.from(st.b[1]), Array.from(l2.b));
      st.z[1].forEach((z, j) => close(z, l1.b[j]));
      let z2 = l2.b[0];
      for (let i = 0; i < 4; i++) z2 += l2.W![i] * Math.tanh(l1.b[i]);
      close(st.z[2][0], z2);
      close(st.a[2][0], 1 / (1 + Math.exp(-z2)));
    });

    it('keeps an applied update on screen after training, marked by the parameters it was computed with', async () => {
      const s = session();
      await s.load(XOR_MODEL, xorData());
      const { stepping } = await s.step('all');
      assert.deepEqual(stepping?.computedAt, { epoch: 0, step: 1 });
      await s.start(10);
      const snap = await s.waitFor(isDone);
      assert.ok(snap.step > 1);
      // Replaying an update would be another update: it stays, and its computedAt says how old it is.
      assert.deepEqual(s.stepping?.computedAt, { epoch: 0, step: 1 });
      const next = await s.step('forward');
      assert.deepEqual(next.stepping?.computedAt, { epoch: snap.epoch, step: snap.step });
      assert.equal(next.stepping?.phase, 'forward');
      assert.equal(next.stepping?.forwardLayer, 1);
    });

    it('changes the epochs per run without touching the run: epoch, history and shuffling go on', async () => {
      const reference = new ReferenceRun(XOR_MODEL, xorSamples());
      const expected = reference.epochs(10);
      const s = session(20, 'float64');
      await s.load(XOR_MODEL, xorData());
      await s.start(3);
      const three = await s.waitFor(isDone);
      await s.setHyperparameters({ epochs: 7 });
      assert.equal(s.model?.optimizer?.epochs, 7);
      assert.equal(s.snapshot?.epoch, 3);
      assert.equal(s.snapshot?.step, three.step);
      assert.equal(s.snapshot?.history.length, 3);
      await s.start();
      const ten = await s.waitFor((z) => isDone(z) && z.epoch === 10);
      ten.history.forEach((r, k) => close(r.loss, expected[k]));
      await assert.rejects(s.setHyperparameters({ epochs: 0 }), /whole number from 1/);
    });

    // The reference is the fast network itself, stepped by hand as the float64 reference above
    // is: batches in order, a non-finite J halting before its update, then the epoch's
    // evaluation. The layer to name is the first whose W, b, z or a, as float32 holds them in
    // the fast network, is non-finite.
    for (const { learningRate, seed, batchSize } of [
      { learningRate: 1e300, seed: 7, batchSize: 0 },
      { learningRate: 1e6, seed: 3, batchSize: 0 },
      { learningRate: 1e6, seed: 3, batchSize: 1 },
    ]) {
      it(`η = ${learningRate}, batch size ${batchSize} diverges, halts, and names the first layer float32 overflowed in`, async () => {
        const model: ModelFile = {
          layers: [{ units: 2 }, { units: 8, activation: 'relu' }, { units: 8, activation: 'relu' }, { units: 1, activation: 'identity' }],
          loss: 'mse',
          init: { weights: 'he', seed },
          optimizer: { type: 'sgd', learningRate, batchSize, shuffle: false },
        };
        const y = [[1], [3], [-2], [5]];
        const fast = FastNetwork.fromNetwork(networkFromModel(model), 4);
        fast.setOptimizer(model.optimizer!);
        const set = { rows: 4, x: Float64Array.from(XOR_X.flat()), y: Float64Array.from(y.flat()) };
        const batch = batchSize > 0 ? batchSize : 4;
        let steps = 0;
        let found: { epoch: number; midEpoch: boolean } | undefined;
        for (let epoch = 1; epoch <= 1000 && !found; epoch++) {
          for (let start = 0; start < 4 && !found; start += batch) {
            fast.loadBatch(set, start, Math.min(batch, 4 - start));
            fast.forward();
            if (!Number.isFinite(fast.backward())) found = { epoch, midEpoch: true };
            else {
              fast.update();
              steps++;
            }
          }
          if (!found && !Number.isFinite(fast.evaluate(set, false).loss)) found = { epoch, midEpoch: false };
        }
        assert.ok(found, 'the reference should diverge');
        const h = fast.kernels.heap;
        const bad = (at: number, n: number) => h.subarray(at, at + n).some((v) => !Number.isFinite(v));
        const m = found.midEpoch ? batch : 4;
        const badLayer = fast.layers.findIndex((l) => bad(l.W, l.nIn * l.nOut) || bad(l.b, l.nOut) || bad(l.z, m * l.nOut) || bad(l.a, m * l.nOut)) + 1;
        assert.ok(badLayer > 0, 'float32 overflows in some layer');

        const s = session();
        await s.load(model, xorData(y));
        await s.start(1000);
        const snap = await s.waitFor(isDone);
        assert.equal(snap.state, 'diverged');
        const d = snap.divergence!;
        assert.ok(!Number.isFinite(d.loss));
        assert.equal(d.epoch, found.epoch);
        assert.equal(d.step, steps);
        assert.equal(d.layer, badLayer, d.message);
        assert.ok(d.quantities.length > 0 && d.quantities.every((q) => q.endsWith(`[${badLayer}]`)), d.quantities.join());
        assert.match(d.message, new RegExp(`Layer ${badLayer} went non-finite first`));
        // The snapshot shows the fast network's parameters that produced it (no step applied).
        snap.layers.forEach((p, k) => {
          const want = fast.parameters(k);
          assert.deepEqual(Array.from(p.W!), Array.from(want.W));
          assert.deepEqual(Array.from(p.b), Array.from(want.b));
        });
      });
    }
  });

  it('reports a model that does not fit the data, and a data set that fails to load, as errors', async () => {
    const s = session();
    const threeInputs = { ...xorData(), nIn: 3, train: { x: new Float64Array(12), y: new Float64Array(4), rows: 4 } };
    await assert.rejects(s.load(XOR_MODEL, threeInputs), /3 input values per row, but the model's input layer has 2 units/);
    assert.equal(s.state, 'error');
    assert.match(s.error!, /input layer has 2 units/);
    // The worker is still usable.
    await s.load(XOR_MODEL, xorData());
    assert.equal(s.state, 'idle');

    const states: RunState[] = [];
    s.onStateChange((st) => states.push(st));
    let fail!: (err: Error) => void;
    const loading = s.load(XOR_MODEL, new Promise((_resolve, reject) => (fail = reject)));
    assert.equal(s.state, 'loading');
    fail(new Error('data/xor.csv:3:2: not a number'));
    await assert.rejects(loading, /not a number/);
    assert.deepEqual(states, ['loading', 'error']);
    assert.equal(s.error, 'data/xor.csv:3:2: not a number');
  });
});

/** A small network's layers as the snapshot sends them whole (W of up to 4,096 entries). */
function whole(layers: readonly LayerSnapshot[]): { W: Float64Array; b: Float64Array }[] {
  return layers.map((l, k) => {
    assert.ok(l.W, `W[${k + 1}] is sent whole`);
    return { W: l.W, b: l.b };
  });
}

/** A network with the snapshot's parameters (the architecture is XOR_MODEL's). */
function networkWith(snap: TrainingSnapshot): Network {
  const net = networkFromModel(XOR_MODEL);
  snap.layers.forEach((p, k) => {
    net.layers[k].W.data.set(p.W!);
    net.layers[k].b.set(p.b);
  });
  return net;
}
