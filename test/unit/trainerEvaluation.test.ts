// The Trainer's end-of-epoch evaluation runs a few milliseconds at a time, so
// that an MNIST-sized set never holds the worker. Its records are checked against the float64
// engine's own evaluation of the same parameters (to float32's 1e-4), never against the trainer's
// earlier output; the counting of epochs and the interruption points are checked directly.
import { strict as assert } from 'assert';
import { forward, lossOf, type Network } from '../../src/engine/network';
import { Random } from '../../src/engine/random';
import { accuracy, evaluate, type Samples } from '../../src/engine/training';
import type { ModelFile } from '../../src/model/modelFile';
import type { TrainingData } from '../../src/training/workerProtocol';
import { Trainer, type BatchOutcome } from '../../src/training/Trainer';

const ROWS = 12_000;
const VALIDATION_ROWS = 3_000;
const N_IN = 64;
const CLASSES = 10;

/** A classification set big enough that evaluating it takes tens of milliseconds. */
function bigData(): TrainingData {
  const rng = new Random(31);
  const split = (rows: number) => {
    const x = Float64Array.from({ length: rows * N_IN }, () => rng.uniform(-1, 1));
    const y = new Float64Array(rows * CLASSES);
    for (let r = 0; r < rows; r++) y[r * CLASSES + (x[r * N_IN] > 0 ? 1 : 0) + (x[r * N_IN + 1] > 0 ? 2 : 0)] = 1;
    return { x, y, rows };
  };
  return {
    task: 'classification',
    inputNames: Array.from({ length: N_IN }, (_, i) => `x${i}`),
    outputNames: Array.from({ length: CLASSES }, (_, i) => `c${i}`),
    classes: Array.from({ length: CLASSES }, (_, i) => `c${i}`),
    nIn: N_IN,
    nOut: CLASSES,
    train: split(ROWS),
    validation: split(VALIDATION_ROWS),
  };
}

const MODEL: ModelFile = {
  name: 'big',
  layers: [{ units: N_IN }, { units: 128, activation: 'relu' }, { units: 64, activation: 'tanh' }, { units: CLASSES, activation: 'softmax' }],
  loss: 'cross_entropy',
  init: { seed: 5 },
  optimizer: { type: 'sgd', learningRate: 0.1, batchSize: 4_000, shuffle: true },
};

const samples = (s: { x: Float64Array; y: Float64Array; rows: number }): Samples => ({ x: { rows: s.rows, cols: N_IN, data: s.x }, y: { rows: s.rows, cols: CLASSES, data: s.y } });

/** Runs batches until the epoch ends; returns the outcomes in order. */
function runEpoch(t: Trainer): BatchOutcome[] {
  const outcomes: BatchOutcome[] = [];
  for (;;) {
    const o = t.runBatch();
    outcomes.push(o);
    if (o.kind !== 'batch' && o.kind !== 'evaluating') return outcomes;
  }
}

function near(got: number, want: number, what: string): void {
  assert.ok(Math.abs(got - want) <= 1e-4 * Math.abs(want), `${what}: ${got}, the engine's float64 evaluation gives ${want}`);
}

function checkRecord(record: { loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number }, net: Network, data: TrainingData): void {
  const train = evaluate(net, samples(data.train), true);
  const validation = evaluate(net, samples(data.validation!), true);
  near(record.loss, train.loss, 'training loss');
  near(record.valLoss!, validation.loss, 'validation loss');
  // float32 may move a sample across the decision boundary; a handful at most.
  assert.ok(Math.abs(record.accuracy! - train.accuracy!) <= 5 / ROWS, `accuracy ${record.accuracy} vs ${train.accuracy}`);
  assert.ok(Math.abs(record.valAccuracy! - validation.accuracy!) <= 5 / VALIDATION_ROWS, `validation accuracy ${record.valAccuracy} vs ${validation.accuracy}`);
}

describe('Trainer: the end-of-epoch evaluation, a slice at a time', function () {
  this.timeout(60_000);

  it('returns between slices of the evaluation, counts the epoch only once it is done, and records the engine’s J', () => {
    const data = bigData();
    const t = new Trainer(MODEL, data, 'float32');
    const outcomes = runEpoch(t);
    const kinds = outcomes.map((o) => o.kind);
    assert.deepEqual(kinds.slice(0, 2), ['batch', 'batch'], 'three batches of 4,000 rows: two plain ones, then the one that ends the epoch');
    assert.ok(kinds.filter((k) => k === 'evaluating').length >= 2, `15,000 rows through a 64-128-64-10 net take more than two 4 ms slices: ${kinds.join(', ')}`);
    assert.equal(kinds[kinds.length - 1], 'epoch');
    assert.equal(t.epoch, 1);
    assert.equal(t.history.length, 1);
    assert.equal(t.step, 3);
    checkRecord(t.history.records[0], t.net, data);
  });

  it('finishes an interrupted evaluation on demand, of the parameters the epoch ended with', () => {
    const data = bigData();
    const t = new Trainer(MODEL, data, 'float32');
    let o: BatchOutcome;
    do o = t.runBatch();
    while (o.kind !== 'evaluating');
    assert.ok(t.evaluating);
    assert.equal(t.epoch, 0, 'not counted before its evaluation is done');
    const finished = t.finishEpoch();
    assert.equal(finished?.kind, 'epoch');
    assert.ok(!t.evaluating);
    assert.equal(t.epoch, 1);
    checkRecord(t.history.records[0], t.net, data);
    assert.equal(t.finishEpoch(), undefined, 'nothing left to finish');
    // The next call starts epoch 2 with a batch, not more evaluation.
    assert.equal(t.runBatch().kind, 'batch');
  });

  it('setParameters first completes the evaluation, with the old parameters; resetWeights drops it', () => {
    const data = bigData();
    const t = new Trainer(MODEL, data, 'float32');
    let o: BatchOutcome;
    do o = t.runBatch();
    while (o.kind !== 'evaluating');
    const before = t.net;
    const snapshotOfBefore = before.layers.map((l) => ({ W: Float64Array.from(l.W.data), b: Float64Array.from(l.b) }));
    const zeros = before.layers.map((l) => ({ W: new Float64Array(l.W.data.length), b: new Float64Array(l.b.length) }));
    assert.equal(t.setParameters(zeros, 0), undefined);
    assert.equal(t.epoch, 1);
    // Scored with the epoch's parameters, not the zeros (which give every class the same ŷ: J = ln 10).
    assert.ok(Math.abs(t.history.records[0].loss - Math.log(CLASSES)) > 1e-3);
    const restored = new Trainer(MODEL, data, 'float32');
    restored.setParameters(snapshotOfBefore, 0);
    checkRecord(t.history.records[0], restored.net, data);

    const again = new Trainer(MODEL, data, 'float32');
    do o = again.runBatch();
    while (o.kind !== 'evaluating');
    again.resetWeights();
    assert.ok(!again.evaluating);
    assert.equal(again.epoch, 0);
    assert.equal(again.runBatch().kind, 'batch');
  });

  it('a float64 run slices its evaluation too, and its J is the one-pass J of the whole set to 1e-12', () => {
    const data = bigData();
    const t = new Trainer({ ...MODEL, layers: [{ units: N_IN }, { units: 32, activation: 'tanh' }, { units: CLASSES, activation: 'softmax' }] }, data, 'float64');
    const kinds = runEpoch(t).map((o) => o.kind);
    assert.deepEqual(kinds.slice(0, 2), ['batch', 'batch']);
    assert.ok(kinds.includes('evaluating'), `15,000 float64 rows take more than one 4 ms slice: ${kinds.join(', ')}`);
    assert.equal(kinds[kinds.length - 1], 'epoch');
    // One forward pass over the whole set, as the engine computed J before it evaluated in chunks.
    for (const [split, got, gotAccuracy] of [
      [data.train, t.history.records[0].loss, t.history.records[0].accuracy],
      [data.validation!, t.history.records[0].valLoss!, t.history.records[0].valAccuracy],
    ] as const) {
      const s = samples(split);
      const pass = forward(t.net, s.x);
      const J = lossOf(t.net, pass, s.y);
      assert.ok(Math.abs(got - J) <= 1e-12 * J, `J ${got} in chunks, ${J} in one pass`);
      assert.equal(gotAccuracy, accuracy(pass.a[pass.a.length - 1], s.y));
    }
  });
});
