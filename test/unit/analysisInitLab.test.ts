/**
 * The initialization lab against the theory it illustrates: He keeps ReLU activations at a
 * constant scale, Xavier follows the mean-field recurrence for tanh, an untuned N(0, 0.5²)
 * explodes at the predicted rate, and zero initialization leaves the hidden units identical.
 */
import { strict as assert } from 'assert';
import { initLab, initStatistics, maxPairwiseDifference } from '../../src/analysis/initLab';
import type { ActivationName } from '../../src/engine/activations';
import { fromRows } from '../../src/engine/matrix';
import { createNetwork, forward, type LayerSpec } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optimizers';
import { Random } from '../../src/engine/random';
import { trainEpoch } from '../../src/engine/training';

const stack = (width: number, depth: number, activation: ActivationName): LayerSpec[] => [{ units: width }, ...Array.from({ length: depth }, () => ({ units: width, activation }))];

/** E[f(√q g)] for g ~ N(0, 1), by the trapezoidal rule on [−10, 10] (error far below 1e-9 here). */
function gaussianExpectation(f: (z: number) => number, q: number): number {
  const n = 4000;
  const h = 20 / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const g = -10 + i * h;
    const w = i === 0 || i === n ? 0.5 : 1;
    s += w * f(Math.sqrt(q) * g) * Math.exp(-0.5 * g * g);
  }
  return (s * h) / Math.sqrt(2 * Math.PI);
}

describe('analysis: initialization lab', () => {
  it('He init keeps ReLU activations at one scale over 6 layers of width 256', () => {
    const r = initStatistics(stack(256, 6, 'relu'), 'he', { seeds: 2, batch: 32 });
    const v = r.layers.map((s) => s.a.variance);
    assert.ok(Math.max(...v) / Math.min(...v) < 2, `Var a[l]: ${v.map((x) => x.toFixed(3))}`);
    // Var z[l] = n·(2/n)·E[a[l−1]²] = 2 with E[x²] = 1, so E[a²] = 1 and Var a = 1 − 1/π in every layer.
    for (const s of r.layers) {
      assert.ok(Math.abs(s.z.variance - 2) < 0.3, `Var z[${s.l}] = ${s.z.variance}`);
      assert.ok(Math.abs(s.a.variance - (1 - 1 / Math.PI)) < 0.12, `Var a[${s.l}] = ${s.a.variance}`);
      assert.equal(s.symmetric, false);
    }
  });

  it('Xavier init with tanh follows the mean-field recurrence q[l] = E[tanh²(√q[l−1] g)]', () => {
    // Xavier uniform on a 256 → 256 layer: Var W = (6/512)/3 = 1/256, so n·Var W = 1 and
    // Var z[1] = E[x²] = 1, then Var z[l] = E[a[l−1]²] = E[tanh²(z[l−1])].
    const r = initStatistics(stack(256, 6, 'tanh'), 'xavier', { seeds: 2, batch: 32 });
    let q = 1;
    for (const s of r.layers) {
      assert.ok(Math.abs(s.z.variance - q) / q < 0.12, `Var z[${s.l}] = ${s.z.variance}, theory ${q}`);
      q = gaussianExpectation((z) => Math.tanh(z) ** 2, q);
    }
    // tanh contracts slowly: no explosion, no collapse, but not flat either (≈ 0.39 → 0.09).
    const v = r.layers.map((s) => s.a.variance);
    assert.ok(v[0] / v[5] > 2 && v[0] / v[5] < 8, `Var a[l]: ${v.map((x) => x.toFixed(3))}`);
  });

  it('N(0, 0.5²) on width-64 ReLU layers multiplies Var z by n·σ²/2 = 8 per layer', () => {
    const r = initStatistics(stack(64, 5, 'relu'), 'normal', { seeds: 2, batch: 64, scale: 0.5 });
    for (let l = 1; l < r.layers.length; l++) {
      const ratio = r.layers[l].z.variance / r.layers[l - 1].z.variance;
      assert.ok(ratio > 5 && ratio < 12, `Var z[${l + 1}] / Var z[${l}] = ${ratio}`);
    }
  });

  it('zero init: every hidden layer symmetric (identical units), no gradient reaches hidden weights', () => {
    const layers: LayerSpec[] = [{ units: 2 }, { units: 8, activation: 'sigmoid' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }];
    const [zero, xavier] = initLab(layers, { initializers: ['zeros', 'xavier'], batch: 16 });
    assert.equal(zero.initializer, 'zeros');
    const [h1, h2, out] = zero.layers;
    for (const h of [h1, h2]) {
      assert.equal(h.symmetric, true);
      assert.equal(h.maxPairwiseDifference, 0);
      assert.equal(h.dLdW.mean, 0);
      assert.equal(h.dLdW.variance, 0); // W[l+1] = 0 blocks the way back
    }
    assert.equal(h1.a.mean, 0.5); // σ(0)
    assert.equal(h1.a.variance, 0);
    assert.equal(h2.a.mean, 0); // tanh(0)
    assert.equal(out.symmetric, false); // a single output unit has no twin
    for (const h of xavier.layers.slice(0, 2)) {
      assert.equal(h.symmetric, false);
      assert.ok(h.maxPairwiseDifference > 0.1, `difference ${h.maxPairwiseDifference}`);
    }
    assert.match(xavier.description, /U\(−r, r\)/);
  });

  it('zero-initialized hidden units stay identical through training (the lab’s point), random ones do not', () => {
    const x = fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = fromRows([[0], [1], [1], [0]]);
    for (const weights of ['zeros', 'xavier'] as const) {
      const net = createNetwork([{ units: 2 }, { units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], 'sse', { weights, seed: 3 });
      const opt = createOptimizer({ learningRate: 0.5 });
      const rng = new Random(1);
      for (let e = 0; e < 200; e++) trainEpoch(net, opt, { x, y }, { batchSize: 0, shuffle: false, rng });
      const spread = maxPairwiseDifference(forward(net, x).a[1]);
      if (weights === 'zeros') assert.equal(spread, 0);
      else assert.ok(spread > 0.05, `spread ${spread}`);
    }
  });

  it('maxPairwiseDifference by hand', () => {
    assert.equal(maxPairwiseDifference(fromRows([[1, 3, 2], [0, 0, 5]])), 5);
    assert.equal(maxPairwiseDifference(fromRows([[7, 7], [1, 1]])), 0);
  });
});
