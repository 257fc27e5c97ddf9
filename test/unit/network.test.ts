import { strict as assert } from 'assert';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/engine/activations';
import { gradientCheck } from '../../src/engine/gradcheck';
import { LOSS_NAMES, type LossName } from '../../src/engine/losses';
import { fromRows, toRows, zeros } from '../../src/engine/matrix';
import { backward, copyParameters, createNetwork, forward, lossOf, setLayerParameters } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optimizers';
import { Random } from '../../src/engine/random';
import { accuracy, evaluate, EVALUATION_ROWS, trainEpoch } from '../../src/engine/training';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

/** Output activations whose values suit each loss (probabilities for the cross-entropies). */
const OUTPUTS_FOR: Record<LossName, ActivationName[]> = {
  sse: [...ACTIVATION_NAMES],
  mse: [...ACTIVATION_NAMES],
  cross_entropy: ['softmax', 'sigmoid'],
  binary_cross_entropy: ['sigmoid', 'softmax'],
};

function randomTargets(rng: Random, m: number, n: number, loss: LossName): number[][] {
  return Array.from({ length: m }, () => {
    if (loss === 'cross_entropy') {
      const row = new Array<number>(n).fill(0);
      row[rng.int(n)] = 1;
      return row;
    }
    if (loss === 'binary_cross_entropy') return Array.from({ length: n }, () => rng.int(2));
    return Array.from({ length: n }, () => rng.uniform(-1, 1));
  });
}

describe('network: z[l] = b[l] + W[l]ᵀ a[l−1], a[l] = σ(z[l])', () => {
  it('forward follows the lecture notation on a hand-worked 2-2-1 example', () => {
    const net = createNetwork([{ units: 2 }, { units: 2, activation: 'relu' }, { units: 1, activation: 'identity' }], 'sse');
    // W[1][i][j]: edge from input i to hidden j.
    setLayerParameters(net, 1, [[1, -1], [2, 0.5]], [0.5, -3]);
    setLayerParameters(net, 2, [[3], [-2]], [1]);
    const pass = forward(net, fromRows([[1, 2]]));
    // z1_0 = 0.5 + 1·1 + 2·2 = 5.5; z1_1 = −3 + (−1)·1 + 0.5·2 = −3 → a1 = (5.5, 0)
    assert.deepEqual(toRows(pass.z[1]), [[5.5, -3]]);
    assert.deepEqual(toRows(pass.a[1]), [[5.5, 0]]);
    // z2 = 1 + 3·5.5 + (−2)·0 = 17.5
    assert.deepEqual(toRows(pass.a[2]), [[17.5]]);
  });

  it('backward gives the hand-derived chain rule on a 1-1-1 sigmoid network', () => {
    const net = createNetwork([{ units: 1 }, { units: 1, activation: 'sigmoid' }, { units: 1, activation: 'identity' }], 'sse');
    setLayerParameters(net, 1, [[0.5]], [0.1]);
    setLayerParameters(net, 2, [[2]], [-1]);
    const x = 1.5;
    const y = 0.2;
    const z1 = 0.1 + 0.5 * x;
    const a1 = 1 / (1 + Math.exp(-z1));
    const yhat = -1 + 2 * a1;
    const dLdyhat = yhat - y; // J = ½ (y − ŷ)²
    const dLdW2 = dLdyhat * a1;
    const dLda1 = dLdyhat * 2;
    const dLdz1 = dLda1 * a1 * (1 - a1);
    const g = backward(net, forward(net, fromRows([[x]])), fromRows([[y]]));
    close(g.loss, 0.5 * (y - yhat) ** 2);
    close(g.dLdW[2].data[0], dLdW2);
    close(g.dLdb[2][0], dLdyhat);
    close(g.dLda[1].data[0], dLda1);
    close(g.dLdz[1].data[0], dLdz1);
    close(g.dLdW[1].data[0], dLdz1 * x);
    close(g.dLdb[1][0], dLdz1);
    close(g.dLda[0].data[0], dLdz1 * 0.5);
  });

  for (const loss of LOSS_NAMES) {
    for (const hidden of ACTIVATION_NAMES) {
      for (const output of OUTPUTS_FOR[loss]) {
        it(`gradient check: hidden ${hidden}, output ${output}, loss ${loss} (rel. error < 1e-6)`, () => {
          const seed = 7 + hidden.length * 31 + output.length * 7 + loss.length;
          const rng = new Random(seed);
          const net = createNetwork(
            [{ units: 3 }, { units: 4, activation: hidden }, { units: 3, activation: hidden, ...(hidden === 'elu' ? { alpha: 0.7 } : {}) }, { units: 2, activation: output }],
            loss,
            { weights: 'normal', scale: 0.8, seed, bias: 0.1 },
          );
          const x = fromRows(Array.from({ length: 5 }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)]));
          const y = fromRows(randomTargets(rng, 5, 2, loss));
          const result = gradientCheck(net, x, y);
          assert.ok(result.ok, `max relative error ${result.maxRelError} at ${JSON.stringify(result.worst)}`);
          assert.equal(result.parametersChecked + result.kinksSkipped, 3 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2);
          assert.ok(result.kinksSkipped <= 2, `${result.kinksSkipped} parameters straddled a kink`);
        });
      }
    }
  }

  it('uses the fused softmax + cross-entropy and sigmoid + BCE shortcuts, equal to the composed gradient', () => {
    for (const [act, loss] of [['softmax', 'cross_entropy'], ['sigmoid', 'binary_cross_entropy']] as const) {
      const net = createNetwork([{ units: 2 }, { units: 3, activation: act }], loss, { seed: 3, weights: 'normal', scale: 1 });
      const x = fromRows([[0.5, -1], [2, 0.3]]);
      const y = fromRows(act === 'softmax' ? [[0, 1, 0], [1, 0, 0]] : [[0, 1, 1], [1, 0, 1]]);
      const pass = forward(net, x);
      const g = backward(net, pass, y);
      assert.ok(g.fused, 'fused path taken');
      // The composed path: dL/dz = Jᵀ dL/da row by row.
      const dLdz = zeros(2, 3);
      for (let r = 0; r < 2; r++) {
        const s = r * 3;
        net.layers[0].activation.backward(pass.z[1].data.subarray(s, s + 3), pass.a[1].data.subarray(s, s + 3), g.dLda[1].data.subarray(s, s + 3), dLdz.data.subarray(s, s + 3));
      }
      for (let i = 0; i < 6; i++) close(g.dLdz[1].data[i], dLdz.data[i], 1e-10);
      close(g.loss, net.loss.value(pass.a[1], y), 1e-12);
    }
  });

  it('cross-entropy stays finite when the softmax output saturates', () => {
    const net = createNetwork([{ units: 1 }, { units: 2, activation: 'softmax' }], 'cross_entropy');
    setLayerParameters(net, 1, [[1000, -1000]], [0, 0]);
    const pass = forward(net, fromRows([[1]]));
    const g = backward(net, pass, fromRows([[0, 1]]));
    close(g.loss, 2000, 1e-12); // −log softmax = 2000 exactly, from the logits
    assert.ok(g.dLdW[1].data.every(Number.isFinite));
  });

  it('the same seed gives bit-identical parameters twice, and another seed differs', () => {
    for (const weights of ['uniform', 'normal', 'xavier', 'xavier_normal', 'he', 'he_uniform'] as const) {
      const spec = [{ units: 5 }, { units: 7, activation: 'relu' as const }, { units: 3, activation: 'softmax' as const }];
      const a = copyParameters(createNetwork(spec, 'cross_entropy', { weights, seed: 42 }));
      const b = copyParameters(createNetwork(spec, 'cross_entropy', { weights, seed: 42 }));
      const c = copyParameters(createNetwork(spec, 'cross_entropy', { weights, seed: 43 }));
      for (let k = 0; k < a.length; k++) {
        assert.deepEqual(Buffer.from(a[k].W.buffer), Buffer.from(b[k].W.buffer), weights);
        assert.notDeepEqual(Array.from(a[k].W), Array.from(c[k].W));
      }
    }
  });

  it('zero init keeps hidden units symmetric through training (the symmetry problem)', () => {
    const net = createNetwork([{ units: 2 }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], 'sse', { weights: 'zeros' });
    const data = { x: fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), y: fromRows([[0], [1], [1], [0]]) };
    const opt = createOptimizer({ type: 'sgd', learningRate: 0.5 });
    for (let e = 0; e < 50; e++) trainEpoch(net, opt, data, { batchSize: 0, shuffle: false, rng: new Random(1) });
    const W1 = net.layers[0].W.data;
    for (let i = 0; i < 2; i++) {
      assert.equal(W1[i * 3 + 0], W1[i * 3 + 1]);
      assert.equal(W1[i * 3 + 1], W1[i * 3 + 2]);
    }
  });

  it('an MLP learns XOR to 100 % from a fixed seed', () => {
    const net = createNetwork([{ units: 2 }, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], 'sse', { weights: 'xavier', seed: 1 });
    const data = { x: fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), y: fromRows([[0], [1], [1], [0]]) };
    const opt = createOptimizer({ type: 'sgd', learningRate: 0.5 });
    const rng = new Random(2);
    for (let e = 0; e < 2000; e++) trainEpoch(net, opt, data, { batchSize: 4, shuffle: true, rng });
    const ev = evaluate(net, data, true);
    assert.equal(ev.accuracy, 1);
    assert.ok(ev.loss < 0.05, `loss ${ev.loss}`);
  });

  it('sgd with momentum and adam reduce the loss; weight decay shrinks weights', () => {
    const data = { x: fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]), y: fromRows([[0], [1], [1], [0]]) };
    for (const spec of [{ type: 'sgd' as const, learningRate: 0.3, momentum: 0.9 }, { type: 'adam' as const, learningRate: 0.05 }]) {
      const net = createNetwork([{ units: 2 }, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], 'mse', { seed: 5 });
      const before = lossOf(net, forward(net, data.x), data.y);
      const opt = createOptimizer(spec);
      for (let e = 0; e < 300; e++) trainEpoch(net, opt, data, { batchSize: 0, shuffle: false, rng: new Random(1) });
      const after = lossOf(net, forward(net, data.x), data.y);
      assert.ok(after < before / 2, `${spec.type}: ${before} → ${after}`);
    }
    // With zero gradient (targets equal outputs), decay alone gives W := W − ηλW.
    const net = createNetwork([{ units: 1 }, { units: 1, activation: 'identity' }], 'sse');
    setLayerParameters(net, 1, [[2]], [0]);
    const g = backward(net, forward(net, fromRows([[1]])), fromRows([[2]]));
    createOptimizer({ type: 'sgd', learningRate: 0.1, weightDecay: 0.5 }).update(net, g);
    close(net.layers[0].W.data[0], 2 - 0.1 * 0.5 * 2);
  });

  it('adam’s first step moves each parameter by η against the sign of its gradient', () => {
    // With bias correction, m̂ = g and v̂ = g² at t = 1, so Δ = −η g/(|g| + ε).
    const net = createNetwork([{ units: 2 }, { units: 1, activation: 'identity' }], 'sse');
    setLayerParameters(net, 1, [[1], [-1]], [0.5]);
    const g = backward(net, forward(net, fromRows([[1, 2]])), fromRows([[3]]));
    const steps = createOptimizer({ type: 'adam', learningRate: 0.01 }).update(net, g);
    for (let i = 0; i < 2; i++) close(steps[0].dW[i], -0.01 * Math.sign(g.dLdW[1].data[i]), 1e-6);
    close(steps[0].db[0], -0.01 * Math.sign(g.dLdb[1][0]), 1e-6);
  });
});

describe('evaluate, in chunks of EVALUATION_ROWS rows', () => {
  const outputFor: Record<LossName, ActivationName> = { sse: 'tanh', mse: 'identity', cross_entropy: 'softmax', binary_cross_entropy: 'sigmoid' };
  for (const loss of LOSS_NAMES) {
    it(`${loss}: J and accuracy over 1,000 rows equal one forward pass over all of them (J to 1e-13), and a set of one chunk exactly`, () => {
      const rng = new Random(77);
      const n = loss === 'cross_entropy' ? 3 : 1;
      const net = createNetwork([{ units: 4 }, { units: 6, activation: 'tanh' }, { units: n, activation: outputFor[loss] }], loss, { seed: 3 });
      for (const rows of [1_000, EVALUATION_ROWS, 17]) {
        const x = fromRows(Array.from({ length: rows }, () => Array.from({ length: 4 }, () => rng.uniform(-2, 2))));
        const y = fromRows(
          Array.from({ length: rows }, () => {
            if (loss === 'cross_entropy') {
              const target = rng.int(3);
              return [0, 1, 2].map((k) => (k === target ? 1 : 0));
            }
            return [loss === 'binary_cross_entropy' ? rng.int(2) : rng.uniform(-1, 1)];
          }),
        );
        const pass = forward(net, x);
        const J = lossOf(net, pass, y);
        const got = evaluate(net, { x, y }, true);
        if (rows <= EVALUATION_ROWS) assert.equal(got.loss, J, `${rows} rows: one chunk`);
        else assert.ok(Math.abs(got.loss - J) <= 1e-13 * Math.abs(J), `${rows} rows: ${got.loss} in chunks, ${J} in one pass`);
        assert.equal(got.accuracy, accuracy(pass.a[2], y));
      }
    });
  }
});
