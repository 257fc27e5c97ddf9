// The per-epoch layer statistics the Trainer records for the "over epochs" charts (issue #10,
// item 6): checked against a hand-worked example, and against the engine's own forward and
// backward pass of the epoch's last batch with the weights it was trained with, summarized here
// with a plain loop, never against the Trainer's earlier output.
import { strict as assert } from 'assert';
import { layerStat, meanStd, type LayerStatQuantity, type MeanStd } from '../../src/analysis/layerStats';
import { selectRows, fromRows } from '../../src/engine/matrix';
import { backward, createNetwork, forward, type Network } from '../../src/engine/network';
import type { ModelFile } from '../../src/model/modelFile';
import type { EpochRecord, TrainingData, TrainingPrecision } from '../../src/training/workerProtocol';
import { LAYER_STATS_INTERVAL_S, Trainer } from '../../src/training/Trainer';

/** Mean and population std, the textbook way. */
function plain(values: ArrayLike<number>): { mean: number; std: number } {
  const v = Array.from(values);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length) };
}

function near(got: { mean: number; std: number }, want: { mean: number; std: number }, tol: number, what: string): void {
  const scale = Math.abs(want.mean) + want.std + 1e-300;
  assert.ok(Math.abs(got.mean - want.mean) <= tol * scale, `${what} mean: ${got.mean} vs ${want.mean}`);
  assert.ok(Math.abs(got.std - want.std) <= tol * scale, `${what} std: ${got.std} vs ${want.std}`);
}

/** Layer l's three summaries in a record. */
function statsOf(record: EpochRecord, l: number): Record<LayerStatQuantity, MeanStd | undefined> {
  const s = record.layerStats ?? [];
  return { W: layerStat(s, l, 'W'), a: layerStat(s, l, 'a'), dLdW: layerStat(s, l, 'dLdW') };
}

/** Runs batches until an epoch ends; returns its record. */
function epochOf(t: Trainer): EpochRecord {
  for (;;) {
    const o = t.runBatch();
    if (o.kind === 'epoch') return o.record;
    assert.ok(o.kind === 'batch' || o.kind === 'evaluating', `unexpected ${o.kind}`);
  }
}

/** A float64 copy of `net`'s architecture and current parameters. */
function copyOf(net: Network, model: ModelFile): Network {
  const copy = createNetwork(model.layers, model.loss, { weights: 'zeros' });
  copy.layers.forEach((layer, k) => {
    layer.W.data.set(net.layers[k].W.data);
    layer.b.set(net.layers[k].b);
  });
  return copy;
}

describe('per-epoch layer statistics (EpochRecord.layerStats)', () => {
  it('meanStd: finite values only, population std, and a sub-range', () => {
    const s = meanStd([1, 2, 3, 4, NaN, Infinity, -Infinity]);
    assert.equal(s.mean, 2.5);
    assert.equal(s.std, Math.sqrt(1.25));
    assert.deepEqual(meanStd([9, 9, 2, 4, 9], 2, 2), { mean: 3, std: 1 });
    const none = meanStd([NaN]);
    assert.ok(Number.isNaN(none.mean) && Number.isNaN(none.std));
  });

  // 1 input → 2 identity units, W = [1 3], b = 0, J = ½ Σ (y − ŷ)², x = 1 and 2, y = 0:
  //   a = x W = [1 3] and [2 6]                    → mean 3, std √3.5
  //   dL/dz = ŷ − y = a, dL/dW = Σ x dL/dz = [5 15] → mean 10, std 5
  //   W − η dL/dW (η = ⅛) = [0.375 1.125]           → mean 0.75, std 0.375
  // Every number is exact in float32 too.
  const HAND: ModelFile = {
    name: 'hand',
    layers: [{ units: 1 }, { units: 2, activation: 'identity' }],
    loss: 'sse',
    parameters: [{ W: [[1, 3]], b: [0, 0] }],
    optimizer: { type: 'sgd', learningRate: 0.125, momentum: 0, batchSize: 2, shuffle: false },
  };
  const handData = (): TrainingData => ({
    task: 'regression',
    inputNames: ['x'],
    outputNames: ['y1', 'y2'],
    nIn: 1,
    nOut: 2,
    train: { x: Float64Array.from([1, 2]), y: new Float64Array(4), rows: 2 },
  });
  for (const precision of ['float64', 'float32'] as TrainingPrecision[]) {
    it(`${precision}: a hand-worked epoch of a 1-2 linear layer`, () => {
      const t = new Trainer(HAND, handData(), precision, 0);
      const record = epochOf(t);
      assert.equal(record.layerStats?.length, 6);
      const l1 = statsOf(record, 1);
      assert.deepEqual(l1.W, { mean: 0.75, std: 0.375 });
      assert.deepEqual(l1.a, { mean: 3, std: Math.sqrt(3.5) });
      assert.deepEqual(l1.dLdW, { mean: 10, std: 5 });
    });
  }

  // A 2-3-2 net, two batches of 2 per epoch without shuffling: the epoch's last batch is rows 2
  // and 3, trained with the weights the first batch left.
  const NET: ModelFile = {
    name: 'two-batches',
    layers: [{ units: 2 }, { units: 3, activation: 'tanh' }, { units: 2, activation: 'sigmoid' }],
    loss: 'sse',
    init: { weights: 'xavier', seed: 3 },
    optimizer: { type: 'sgd', learningRate: 0.5, momentum: 0.5, batchSize: 2, shuffle: false },
  };
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const Y = [[0, 1], [1, 0], [1, 0], [0, 1]];
  const netData = (): TrainingData => ({
    task: 'regression',
    inputNames: ['x1', 'x2'],
    outputNames: ['y1', 'y2'],
    nIn: 2,
    nOut: 2,
    train: { x: Float64Array.from(X.flat()), y: Float64Array.from(Y.flat()), rows: 4 },
  });
  for (const [precision, tol] of [['float64', 1e-12], ['float32', 2e-6]] as [TrainingPrecision, number][]) {
    it(`${precision}: W after each epoch, a and dL/dW of its last batch, as the engine computes them`, () => {
      const t = new Trainer(NET, netData(), precision, 0);
      const last = [2, 3];
      for (let e = 1; e <= 20; e++) {
        assert.equal(t.runBatch().kind, 'batch'); // rows 0 and 1
        const before = copyOf(t.net, NET); // the weights rows 2 and 3 are trained with
        const record = epochOf(t);
        assert.equal(record.epoch, e);
        const pass = forward(before, selectRows(fromRows(X), last));
        const grads = backward(before, pass, selectRows(fromRows(Y), last));
        assert.equal(record.layerStats?.length, 12);
        for (const l of [1, 2]) {
          const stats = statsOf(record, l);
          near(stats.W!, plain(t.net.layers[l - 1].W.data), tol, `epoch ${e} W[${l}]`);
          near(stats.a!, plain(pass.a[l].data), tol, `epoch ${e} a[${l}]`);
          near(stats.dLdW!, plain(grads.dLdW[l].data), tol, `epoch ${e} dL/dW[${l}]`);
        }
      }
      assert.equal(t.history.length, 20);
      assert.ok(t.history.records.every((r) => r.layerStats?.length === 12));
    });
  }

  it('takes the statistics of the first epoch, of the run’s last, and of one epoch per interval of training time', () => {
    assert.ok(LAYER_STATS_INTERVAL_S > 0 && LAYER_STATS_INTERVAL_S <= 1e-4, 'every epoch of anything but the tiniest nets');
    const t = new Trainer(NET, netData(), 'float32', Infinity);
    for (let e = 0; e < 5; e++) epochOf(t);
    assert.deepEqual(t.history.records.map((r) => r.layerStats !== undefined), [true, false, false, false, false]);
    t.statsEpoch = 7; // the run's last epoch
    epochOf(t);
    epochOf(t);
    assert.deepEqual(t.history.records.slice(5).map((r) => r.layerStats !== undefined), [false, true]);
    t.resetWeights();
    epochOf(t);
    assert.equal(t.history.records[0].layerStats?.length, 12, 'a new history starts with them again');
  });
});
