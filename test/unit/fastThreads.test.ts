/**
 * Data-parallel float32 training (src/fast/threads.ts): deterministic for a given thread count,
 * within float32 rounding of one thread, one thread and the small-batch fallback exactly today's
 * path; the CLI's --threads; the extension's default thread count. No timing assertions.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LossName } from '../../src/engine/losses';
import { createNetwork, type LayerSpec } from '../../src/engine/network';
import type { OptimizerSpec } from '../../src/engine/optimizers';
import { Random } from '../../src/engine/random';
import { fastMaxBatch, FastNetwork, trainEpochFast } from '../../src/fast';
import { enableRelaxedSimd } from '../../src/node/relaxedSimd';
import type { ModelFile } from '../../src/model/modelFile';
import { TrainingSession } from '../../src/training/TrainingSession';
import { resolveTrainingThreads } from '../../src/training/trainingThreads';
import type { TrainingSnapshot } from '../../src/training/workerProtocol';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Case {
  readonly layers: LayerSpec[];
  readonly loss: LossName;
  readonly optimizer: OptimizerSpec;
  readonly rows: number;
  readonly batch: number;
}

/** W3's shape, smaller: ReLU, softmax + cross-entropy, SGD with momentum. */
const W3ISH: Case = {
  layers: [{ units: 48 }, { units: 32, activation: 'relu' }, { units: 16, activation: 'relu' }, { units: 10, activation: 'softmax' }],
  loss: 'cross_entropy',
  optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.1 },
  rows: 200,
  batch: 64,
};

/** A regression: tanh, MSE, Adam with weight decay, a batch that does not divide evenly. */
const REGRESSION: Case = {
  layers: [{ units: 6 }, { units: 20, activation: 'tanh' }, { units: 2 }],
  loss: 'mse',
  optimizer: { type: 'adam', learningRate: 0.01, weightDecay: 0.001 },
  rows: 150,
  batch: 29,
};

function samples(c: Case, seed: number): { rows: number; x: Float32Array; y: Float32Array } {
  const r = new Random(seed);
  const n0 = c.layers[0].units;
  const nL = c.layers[c.layers.length - 1].units;
  const x = new Float32Array(c.rows * n0);
  const y = new Float32Array(c.rows * nL);
  for (let i = 0; i < c.rows; i++) {
    let s = 0;
    for (let j = 0; j < n0; j++) s += (x[i * n0 + j] = r.next() * 2 - 1) * (j % 3 === 0 ? 1 : -0.5);
    if (c.loss === 'cross_entropy') y[i * nL + (Math.floor((s + 4) * 2) % nL + nL) % nL] = 1;
    else for (let k = 0; k < nL; k++) y[i * nL + k] = Math.sin(s + k);
  }
  return { rows: c.rows, x, y };
}

/** Every W and b after `epochs` epochs on `threads` threads, and each epoch's loss sum. */
function train(c: Case, threads: number | undefined, epochs: number, shardMinWork?: number): { params: Float32Array[]; losses: number[]; threads: number; split: boolean } {
  const net = FastNetwork.build({ layers: c.layers, loss: c.loss, maxBatch: fastMaxBatch(c.rows, c.batch), ...(threads !== undefined ? { threads } : {}), ...(shardMinWork !== undefined ? { shardMinWork } : {}) });
  try {
    net.setParameters(createNetwork(c.layers, c.loss, { seed: 3 }));
    net.setOptimizer(c.optimizer);
    const data = samples(c, 11);
    const options = { batchSize: c.batch, shuffle: true, rng: new Random(5) };
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) losses.push(trainEpochFast(net, data, options).lossSum);
    const params = net.layers.flatMap((_, k) => [Float32Array.from(net.parameters(k).W), Float32Array.from(net.parameters(k).b)]);
    return { params, losses, threads: net.threads, split: net.splits(c.batch) };
  } finally {
    net.dispose();
  }
}

/** The largest |a − b| / (1 + |b|) over all parameters. */
function maxRelative(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((arr, k) => arr.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[k][i]) / (1 + Math.abs(b[k][i]))))));
  return worst;
}

describe('float32 training on several threads', () => {
  for (const [name, c] of [['W3-like (ReLU, softmax + CE, SGD μ)', W3ISH], ['regression (tanh, MSE, Adam λ, uneven shards)', REGRESSION]] as const) {
    describe(name, () => {
      for (const T of [2, 3]) {
        it(`threads ${T} gives the same parameters, bit for bit, on two runs (the fixed reduction order)`, () => {
          const a = train(c, T, 3, 0);
          const b = train(c, T, 3, 0);
          assert.equal(a.threads, T, 'the network runs on the threads asked for');
          assert.ok(a.split, 'and splits its batches');
          assert.deepEqual(a.params, b.params);
          assert.deepEqual(a.losses, b.losses);
        });
        it(`threads ${T} gives one thread's parameters bit for bit after 4 epochs, and its losses within rounding`, () => {
          const one = train(c, 1, 4);
          const many = train(c, T, 4, 0);
          // Each number is one thread's sum in one thread's order, and a GEMM's path (packed
          // micro-kernel or plain loops) depends on its n and k, not on the rows a thread has.
          assert.deepEqual(many.params, one.params, 'one thread\'s numbers, bit for bit');
          const d = maxRelative(many.params, one.params);
          assert.ok(d < 2e-5, `parameters differ by ${d} (relative)`);
          many.losses.forEach((l, e) => assert.ok(Math.abs(l - one.losses[e]) <= 1e-5 * Math.abs(one.losses[e]), `epoch ${e + 1}: ${l} vs ${one.losses[e]}`));
        });
      }
    });
  }

  it('evaluation splits its chunks too: the same loss within rounding, the same accuracy, R², RMSE and MAE', () => {
    for (const c of [W3ISH, REGRESSION]) {
      const results = [1, 2, 3].map((threads) => {
        const net = FastNetwork.build({ layers: c.layers, loss: c.loss, maxBatch: 64, threads, shardMinWork: 0 });
        try {
          net.setParameters(createNetwork(c.layers, c.loss, { seed: 3 }));
          return net.evaluate(samples(c, 8), c.loss === 'cross_entropy');
        } finally {
          net.dispose();
        }
      });
      for (const r of results.slice(1)) {
        assert.ok(Math.abs(r.loss - results[0].loss) <= 1e-6 * Math.abs(results[0].loss), `${r.loss} vs ${results[0].loss}`);
        assert.equal(r.accuracy, results[0].accuracy);
        if (results[0].metrics) for (const k of ['r2', 'rmse', 'mae'] as const) assert.ok(Math.abs((r.metrics![k] ?? 0) - (results[0].metrics[k] ?? 0)) < 1e-6, k);
      }
    }
  });

  it('threads 1 is the single-threaded path itself, bit for bit', () => {
    const today = train(W3ISH, undefined, 3);
    const one = train(W3ISH, 1, 3, 0);
    assert.equal(one.threads, 1);
    assert.deepEqual(one.params, today.params);
    assert.deepEqual(one.losses, today.losses);
  });

  it('a batch whose shards would be too small runs on one thread: exactly the numbers of one thread', () => {
    // XOR-sized work: with the default SHARD_MIN_WORK nothing of this size is split.
    const small: Case = { ...REGRESSION, batch: 10 };
    const one = train(small, 1, 3);
    const two = train(small, 2, 3);
    assert.equal(two.threads, 2, 'the network has two threads');
    assert.equal(two.split, false, 'but does not split a batch of 10');
    assert.deepEqual(two.params, one.params);
    assert.deepEqual(two.losses, one.losses);
  });

  it('a network with GELU (no whole-network kernels) trains on one thread', () => {
    const net = FastNetwork.build({ layers: [{ units: 2 }, { units: 4, activation: 'gelu' }, { units: 1 }], loss: 'mse', maxBatch: 8, threads: 2 });
    assert.equal(net.threads, 1);
    net.dispose();
  });

  it('a stopped network refuses to train on its threads with a clear error, not a hang', () => {
    const net = FastNetwork.build({ layers: W3ISH.layers, loss: W3ISH.loss, maxBatch: 64, threads: 2, shardMinWork: 0 });
    const data = samples(W3ISH, 1);
    net.dispose();
    net.loadBatch(data, 0, 64);
    assert.throws(() => net.trainLoaded(), /training threads have been stopped/);
  });

  it('mlpInspector.trainingThreads: 0 is cores − 1, at most 8, at least 1; a whole number is itself', () => {
    assert.equal(resolveTrainingThreads(0, 2), 1);
    assert.equal(resolveTrainingThreads(0, 1), 1);
    assert.equal(resolveTrainingThreads(0, 4), 3);
    assert.equal(resolveTrainingThreads(0, 32), 8);
    assert.equal(resolveTrainingThreads(undefined, 6), 5);
    assert.equal(resolveTrainingThreads(3, 2), 3);
    assert.equal(resolveTrainingThreads(1.5, 4), 3, 'not a whole number: the default');
    assert.equal(resolveTrainingThreads(500, 4), 64);
  });

  it('the extension\'s training worker trains on the threads it is given, as one thread within rounding, and stops them', async () => {
    const model = {
      layers: [{ units: 100 }, { units: 64, activation: 'relu' }, { units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }],
      loss: 'cross_entropy',
      init: { weights: 'he', seed: 1 },
      optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.1, batchSize: 256, epochs: 3 },
    } as ModelFile;
    const c: Case = { layers: model.layers as LayerSpec[], loss: 'cross_entropy', optimizer: {}, rows: 512, batch: 256 };
    const { x, y } = samples(c, 4);
    const data = () => ({ task: 'classification' as const, inputNames: Array.from({ length: 100 }, (_, j) => `p${j}`), outputNames: Array.from({ length: 10 }, (_, k) => `c${k}`), nIn: 100, nOut: 10, train: { rows: 512, x: Float64Array.from(x), y: Float64Array.from(y) } });
    const losses: number[][] = [];
    for (const threads of [1, 2]) {
      const s = new TrainingSession({ workerPath: path.resolve(__dirname, '../../src/training/trainingWorker.js'), threads });
      try {
        await s.load(model, data());
        await s.start(3);
        const last = await s.waitFor((snap: TrainingSnapshot) => snap.state === 'stopped' || snap.state === 'diverged');
        assert.equal(last.state, 'stopped');
        // The snapshot says what trained it (the sidebar shows this): the worker turns relaxed
        // SIMD on itself where the runtime can run it.
        assert.deepEqual(last.arithmetic, { precision: 'float32', kernels: enableRelaxedSimd() === 'unavailable' ? 'simd' : 'relaxed-simd', threads });
        losses.push(last.history.map((h) => h.loss));
      } finally {
        await s.dispose();
      }
    }
    assert.equal(losses[1].length, 3);
    losses[1].forEach((l, e) => assert.ok(Math.abs(l - losses[0][e]) <= 1e-5 * Math.abs(losses[0][e]), `epoch ${e + 1}: ${l} vs ${losses[0][e]}`));
  });

  describe('CLI train --threads (dist/cli.js)', () => {
    /** A model whose batches of 256 rows are worth splitting (100-64-32-10, 9,000 weights). */
    function model(): string {
      const dir = mkdtempSync(path.join(tmpdir(), 'mlp-threads-'));
      const r = new Random(2);
      const header = [...Array.from({ length: 100 }, (_, j) => `p${j}`), 'label'].join(',');
      const lines = Array.from({ length: 512 }, (_, i) => [...Array.from({ length: 100 }, () => r.next().toFixed(3)), `c${i % 10}`].join(','));
      writeFileSync(path.join(dir, 'data.csv'), [header, ...lines].join('\n') + '\n');
      const m = {
        layers: [{ units: 100 }, { units: 64, activation: 'relu' }, { units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }],
        loss: 'cross_entropy',
        init: { weights: 'he', seed: 1 },
        optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.1, batchSize: 256, epochs: 3 },
        data: { path: 'data.csv', target: ['label'] },
      };
      const file = path.join(dir, 'm.mlp.json');
      writeFileSync(file, JSON.stringify(m));
      return file;
    }
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

    it('--threads 2 exits promptly with as many epoch lines as one thread, the same losses within rounding', () => {
      const file = model();
      const one = cli('train', file, '--threads', '1');
      const two = cli('train', file, '--threads', '2');
      assert.equal(one.status, 0, one.stderr);
      assert.equal(two.status, 0, two.stderr);
      assert.equal(two.signal, null, 'exited by itself, not by the timeout');
      const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; loss: number });
      assert.equal(lines(two.stdout).length, 3);
      assert.equal(lines(two.stdout).length, lines(one.stdout).length);
      lines(two.stdout).forEach((l, k) => assert.ok(Math.abs(l.loss - lines(one.stdout)[k].loss) < 1e-5, `${l.loss} vs ${lines(one.stdout)[k].loss}`));
      assert.equal(cli('train', file, '--threads', '2').stdout, two.stdout, 'the same on every run');
    });

    for (const bad of ['0', 'abc', '65', '1.5']) {
      it(`--threads ${bad} is refused with one clear line`, () => {
        const r = cli('train', path.join(ROOT, 'examples', 'xor-learn.mlp.json'), '--threads', bad);
        assert.notEqual(r.status, 0);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`--threads must be a whole number from 1 to 64, got "${bad.replace('.', '\\.')}"`));
      });
    }
  });
});
