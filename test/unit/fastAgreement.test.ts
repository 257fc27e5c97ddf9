/**
 * The float32 fast path against the float64 engine: the same network, data and optimizer give
 * the same J over 5 full-batch steps to a relative 1e-4, for every kernel variant the runtime
 * supports, over architectures that cover every activation, every loss, both fused output
 * shortcuts and the non-fused softmax backward, and sgd, momentum, Adam and weight decay.
 */
import * as assert from 'node:assert/strict';
import type { ActivationName } from '../../src/engine/activations';
import type { LossName } from '../../src/engine/losses';
import { fromRows } from '../../src/engine/matrix';
import { backward, createNetwork, forward, type LayerSpec } from '../../src/engine/network';
import { createOptimizer, type OptimizerSpec } from '../../src/engine/optimizers';
import { Random } from '../../src/engine/random';
import { evaluate } from '../../src/engine/training';
import { FastNetwork } from '../../src/fast/FastNetwork';
import { supportedVariants } from '../../src/fast/kernels';

interface Arch {
  name: string;
  layers: LayerSpec[];
  loss: LossName;
  m: number;
  optimizer: OptimizerSpec;
  targets: 'onehot' | 'binary' | 'real';
}

const dense = (units: number, activation: ActivationName, alpha?: number): LayerSpec => ({ units, activation, ...(alpha !== undefined ? { alpha } : {}) });

const ARCHS: Arch[] = [
  { name: '2-4-1 sigmoid, sse (XOR)', layers: [{ units: 2 }, dense(4, 'sigmoid'), dense(1, 'sigmoid')], loss: 'sse', m: 4, optimizer: { learningRate: 0.5 }, targets: 'binary' },
  { name: '3-8-8-2 tanh, identity, mse', layers: [{ units: 3 }, dense(8, 'tanh'), dense(8, 'tanh'), dense(2, 'identity')], loss: 'mse', m: 23, optimizer: { learningRate: 0.1 }, targets: 'real' },
  { name: '20-16-4 relu, softmax + cross-entropy (fused)', layers: [{ units: 20 }, dense(16, 'relu'), dense(4, 'softmax')], loss: 'cross_entropy', m: 37, optimizer: { learningRate: 0.2 }, targets: 'onehot' },
  { name: '4-6-1 leaky relu, sigmoid + binary cross-entropy (fused)', layers: [{ units: 4 }, dense(6, 'leaky_relu'), dense(1, 'sigmoid')], loss: 'binary_cross_entropy', m: 9, optimizer: { learningRate: 0.3 }, targets: 'binary' },
  { name: '3-7-5-3 elu, gelu, softmax + mse (softmax backward)', layers: [{ units: 3 }, dense(7, 'elu', 0.7), dense(5, 'gelu'), dense(3, 'softmax')], loss: 'mse', m: 11, optimizer: { learningRate: 0.5 }, targets: 'onehot' },
  { name: '5-9-3 relu, softmax + binary cross-entropy (not fused)', layers: [{ units: 5 }, dense(9, 'relu'), dense(3, 'softmax')], loss: 'binary_cross_entropy', m: 12, optimizer: { learningRate: 0.3 }, targets: 'binary' },
  { name: '6-5-2 tanh, sigmoid + cross-entropy (not fused)', layers: [{ units: 6 }, dense(5, 'tanh'), dense(2, 'sigmoid')], loss: 'cross_entropy', m: 8, optimizer: { learningRate: 0.2 }, targets: 'onehot' },
  { name: '40-33-17-5 relu, leaky relu, identity, sse, momentum + weight decay', layers: [{ units: 40 }, dense(33, 'relu'), dense(17, 'leaky_relu'), dense(5, 'identity')], loss: 'sse', m: 70, optimizer: { learningRate: 0.002, momentum: 0.9, weightDecay: 0.01 }, targets: 'real' },
  { name: '300-40-10 relu, softmax + CE, Adam + weight decay', layers: [{ units: 300 }, dense(40, 'relu'), dense(10, 'softmax')], loss: 'cross_entropy', m: 50, optimizer: { type: 'adam', learningRate: 0.01, weightDecay: 0.001 }, targets: 'onehot' },
];

function data(arch: Arch, seed: number): { x: number[][]; y: number[][] } {
  const rng = new Random(seed);
  const n0 = arch.layers[0].units;
  const nL = arch.layers[arch.layers.length - 1].units;
  const x = Array.from({ length: arch.m }, () => Array.from({ length: n0 }, () => rng.uniform(-1, 1)));
  const y = Array.from({ length: arch.m }, () => {
    if (arch.targets === 'onehot') {
      const row = new Array<number>(nL).fill(0);
      row[rng.int(nL)] = 1;
      return row;
    }
    return Array.from({ length: nL }, () => (arch.targets === 'binary' ? rng.int(2) : rng.uniform(-1, 1)));
  });
  return { x, y };
}

const STEPS = 5;

describe('fast path agrees with the float64 engine', () => {
  for (const variant of supportedVariants()) {
    describe(`${variant} kernels`, () => {
      for (const arch of ARCHS) {
        it(`${arch.name}: J over ${STEPS} full-batch steps to 1e-4`, () => {
          const { x, y } = data(arch, 42);
          const X = fromRows(x);
          const Y = fromRows(y);
          const init = { seed: 3, weights: 'xavier' as const, bias: 0.05 };
          const net = createNetwork(arch.layers, arch.loss, init);
          const fast = FastNetwork.fromNetwork(createNetwork(arch.layers, arch.loss, init), arch.m, variant);
          const optimizer = createOptimizer(arch.optimizer);
          fast.setOptimizer(arch.optimizer);
          const samples = { rows: arch.m, x: new Float32Array(X.data), y: new Float32Array(Y.data) };
          for (let step = 0; step < STEPS; step++) {
            const grads = backward(net, forward(net, X), Y);
            optimizer.update(net, grads);
            fast.loadBatch(samples, 0, arch.m);
            const J = fast.trainLoaded();
            const rel = Math.abs(J - grads.loss) / Math.abs(grads.loss);
            assert.ok(rel <= 1e-4, `step ${step + 1}: float32 J = ${J}, float64 J = ${grads.loss} (relative ${rel.toExponential(2)})`);
          }
          // And the trained parameters, and J and accuracy over the set after the last update.
          const after = createNetwork(arch.layers, arch.loss, init);
          fast.copyParametersTo(after);
          net.layers.forEach((layer, k) => {
            const scale = Math.max(...Array.from(layer.W.data, Math.abs));
            layer.W.data.forEach((w, i) => assert.ok(Math.abs(after.layers[k].W.data[i] - w) <= 1e-4 * scale, `W[${k + 1}] element ${i}: ${after.layers[k].W.data[i]} vs ${w}`));
          });
          const classification = arch.targets !== 'real';
          const want = evaluate(net, { x: X, y: Y }, classification);
          const got = fast.evaluate({ ...samples, rows: arch.m }, classification);
          assert.ok(Math.abs(got.loss - want.loss) <= 1e-4 * Math.abs(want.loss), `evaluate: ${got.loss} vs ${want.loss}`);
          if (classification) assert.ok(Math.abs((got.accuracy ?? NaN) - (want.accuracy ?? NaN)) <= 1 / arch.m + 1e-12);
        });
      }
      it('evaluates a set larger than maxBatch in chunks as the engine does in one pass', () => {
        const arch = ARCHS[2];
        const { x, y } = data({ ...arch, m: 53 }, 5);
        const X = fromRows(x);
        const Y = fromRows(y);
        const net = createNetwork(arch.layers, arch.loss, { seed: 4 });
        const fast = FastNetwork.fromNetwork(net, 8, variant);
        const got = fast.evaluate({ rows: 53, x: X.data, y: Y.data }, true);
        const want = evaluate(net, { x: X, y: Y }, true);
        assert.ok(Math.abs(got.loss - want.loss) <= 1e-5 * want.loss);
        assert.equal(got.accuracy, want.accuracy);
      });
    });
  }
  // Every optimizer setting, including β's whose 1 − β is lost in float32 (β₂ = 0.99999999 is
  // 1.0 there), must train what float64 trains: the parameters after 8 steps agree to 1e-3.
  const SETTINGS: OptimizerSpec[] = [
    { learningRate: 0.1 },
    { learningRate: 0.1, momentum: 0.99, weightDecay: 0.01 },
    { type: 'adam', learningRate: 0.01 },
    { type: 'adam', learningRate: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-4, weightDecay: 0.1 },
    { type: 'adam', learningRate: 0.01, beta2: 0.99999999 },
    { type: 'adam', learningRate: 0.01, beta1: 0.99999999, beta2: 0.999999999 },
  ];
  for (const variant of supportedVariants()) {
    for (const optimizer of SETTINGS) {
      it(`${variant} kernels, ${JSON.stringify(optimizer)}: the parameters float64 trains, to 1e-3`, () => {
        const arch = ARCHS[2];
        const { x, y } = data({ ...arch, m: 8 }, 11);
        const X = fromRows(x);
        const Y = fromRows(y);
        const init = { seed: 6, weights: 'xavier' as const };
        const net = createNetwork(arch.layers, arch.loss, init);
        const fast = FastNetwork.fromNetwork(createNetwork(arch.layers, arch.loss, init), 8, variant);
        const engine = createOptimizer(optimizer);
        fast.setOptimizer(optimizer);
        const samples = { rows: 8, x: new Float32Array(X.data), y: new Float32Array(Y.data) };
        for (let step = 0; step < 8; step++) {
          engine.update(net, backward(net, forward(net, X), Y));
          fast.loadBatch(samples, 0, 8);
          fast.trainLoaded();
        }
        const after = createNetwork(arch.layers, arch.loss, init);
        fast.copyParametersTo(after);
        net.layers.forEach((layer, k) => {
          const scale = Math.max(...Array.from(layer.W.data, Math.abs));
          layer.W.data.forEach((w, i) => assert.ok(Math.abs(after.layers[k].W.data[i] - w) <= 1e-3 * scale, `W[${k + 1}] element ${i}: float32 ${after.layers[k].W.data[i]} vs float64 ${w}`));
        });
      });
    }
  }

  it('resized keeps parameters and optimizer state: the twin steps exactly as the original does', () => {
    for (const optimizer of [{ learningRate: 0.1, momentum: 0.9 }, { type: 'adam', learningRate: 0.01 }] as OptimizerSpec[]) {
      const arch = ARCHS[2];
      const { x, y } = data({ ...arch, m: 16 }, 9);
      const samples = { rows: 16, x: new Float32Array(x.flat()), y: new Float32Array(y.flat()) };
      const original = FastNetwork.fromNetwork(createNetwork(arch.layers, arch.loss, { seed: 2 }), 8);
      original.setOptimizer(optimizer);
      for (let step = 0; step < 3; step++) {
        original.loadBatch(samples, 8 * (step % 2), 8);
        original.trainLoaded();
      }
      const twin = original.resized(16);
      assert.equal(twin.maxBatch, 16);
      assert.equal(twin.variant, original.variant);
      for (let step = 0; step < 3; step++) {
        original.loadBatch(samples, 0, 8);
        twin.loadBatch(samples, 0, 8);
        assert.equal(twin.trainLoaded(), original.trainLoaded(), `${optimizer.type ?? 'sgd'} step ${step + 1}`);
      }
      twin.loadBatch(samples, 0, 16); // and it takes the larger batch
      assert.ok(Number.isFinite(twin.trainLoaded()));
    }
  });

  for (const variant of supportedVariants().filter((v) => v !== 'js')) {
    it(`${variant}: one wasm call per pass gives the same bits as calling each kernel from JS`, () => {
      for (const arch of ARCHS.filter((a) => a.layers.every((l) => l.activation !== 'gelu'))) {
        const { x, y } = data(arch, 3);
        const samples = { rows: arch.m, x: new Float32Array(x.flat()), y: new Float32Array(y.flat()) };
        const net = createNetwork(arch.layers, arch.loss, { seed: 8 });
        const [whole, each] = [true, false].map((wholeNetwork) => {
          const fast = FastNetwork.build({ layers: arch.layers, loss: arch.loss, maxBatch: arch.m, kernels: variant, wholeNetwork });
          fast.setParameters(net);
          fast.setOptimizer(arch.optimizer);
          fast.loadBatch(samples, 0, arch.m);
          return fast;
        });
        for (let step = 0; step < 3; step++) assert.equal(whole.trainLoaded(), each.trainLoaded(), `${arch.name}, step ${step + 1}`);
        for (let k = 0; k < arch.layers.length - 1; k++) {
          assert.deepEqual(whole.parameters(k).W, each.parameters(k).W, `${arch.name}: W[${k + 1}]`);
          assert.deepEqual(whole.parameters(k).b, each.parameters(k).b, `${arch.name}: b[${k + 1}]`);
        }
      }
    });
  }

  it('refuses a batch larger than maxBatch', () => {
    const fast = FastNetwork.build({ layers: [{ units: 2 }, { units: 1 }], loss: 'sse', maxBatch: 2 });
    assert.throws(() => fast.loadBatch({ rows: 3, x: new Float32Array(6), y: new Float32Array(3) }, 0, 3), /maxBatch/);
  });
});
