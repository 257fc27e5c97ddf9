/**
 * Histograms against hand-counted bins, dead ReLU units on a hand-built network, and the
 * saturation thresholds against the closed-form derivatives.
 */
import { strict as assert } from 'assert';
import { deadUnits, distributionSnapshot, histogram, layerDistributions, quantile, saturation, saturationThreshold } from '../../src/analysis/histograms';
import { sigmoidActivation, tanh } from '../../src/engine/activations';
import { fromRows } from '../../src/engine/matrix';
import { backward, createNetwork, forward, setLayerParameters } from '../../src/engine/network';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('analysis: histograms', () => {
  it('bins match a hand count; the last bin is closed; counts sum to the number of values', () => {
    const h = histogram([0, 0.1, 0.2, 0.25, 0.5, 0.9, 1.0], { bins: 4, range: [0, 1] });
    // [0, .25): 0, .1, .2   [.25, .5): .25   [.5, .75): .5   [.75, 1]: .9, 1
    assert.deepEqual(Array.from(h.counts), [3, 1, 1, 2]);
    assert.equal(h.count, 7);
    assert.deepEqual([h.below, h.above, h.nonFinite], [0, 0, 0]);
  });

  it('values beyond a fixed range go to the edge bins and are tallied; NaN and ∞ are left out', () => {
    const h = histogram([-5, 0.3, 7, NaN, Infinity, 0.6], { bins: 2, range: [0, 1] });
    assert.deepEqual(Array.from(h.counts), [2, 2]); // −5 and 0.3 | 0.6 and 7
    assert.deepEqual([h.below, h.above, h.nonFinite, h.count], [1, 1, 2, 4]);
    assert.equal(h.min, -5);
    assert.equal(h.max, 7);
  });

  it('mean and population std by hand', () => {
    const h = histogram([1, 2, 3, 4]);
    assert.equal(h.mean, 2.5);
    close(h.std, Math.sqrt(1.25)); // ((1.5² + 0.5²)·2)/4
  });

  it('the robust range ignores one huge outlier, which still counts in the last bin', () => {
    const values = Array.from({ length: 999 }, (_, i) => i / 998);
    values.push(1e6);
    const h = histogram(values, { bins: 10 });
    assert.ok(h.hi < 2, `hi ${h.hi}`);
    assert.ok(h.above >= 1 && h.above < 10, `above ${h.above}`);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 1000);
    // roughly 100 values per bin; with [min, max] instead, 999 of them would share bin 0
    for (const c of h.counts) assert.ok(c > 80 && c < 120, `bin count ${c}`);
    const full = histogram(values, { bins: 10, tail: 0 });
    assert.equal(full.counts[0], 999);
  });

  it('equal values (a zero-initialized layer) get a unit-wide range around them', () => {
    const h = histogram(new Float64Array(12), { bins: 30 });
    assert.deepEqual([h.lo, h.hi], [-0.5, 0.5]);
    assert.equal(h.counts[15], 12);
    assert.equal(histogram([]).count, 0);
  });

  it('quantile interpolates between order statistics', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4], 0), 1);
    assert.equal(quantile([1, 2, 3, 4], 1), 4);
  });

  it('layer distributions count every weight, activation and weight gradient', () => {
    const net = createNetwork([{ units: 3 }, { units: 5, activation: 'relu' }, { units: 2, activation: 'softmax' }], 'cross_entropy', { seed: 2 });
    const x = fromRows([[1, 2, 3], [0, -1, 1], [2, 2, -2], [1, 0, 0]]);
    const pass = forward(net, x);
    const grads = backward(net, pass, fromRows([[1, 0], [0, 1], [1, 0], [0, 1]]));
    const d = layerDistributions(net, pass, grads, { bins: 8 });
    assert.deepEqual(d.map((l) => [l.weights.count, l.biases.count, l.activations.count, l.gradients!.count]), [[15, 5, 20, 15], [10, 2, 8, 10]]);
    close(d[1].activations.mean, 0.5); // softmax rows sum to 1 over 2 units
  });
});

describe('analysis: dead ReLU units and saturation', () => {
  it('a ReLU neuron with bias −100 is dead on the batch; the others are not', () => {
    const net = createNetwork([{ units: 2 }, { units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], 'sse');
    setLayerParameters(net, 1, [[1, 1, -1], [1, 1, 1]], [0, -100, 0.5]);
    setLayerParameters(net, 2, [[1], [1], [1]], [0]);
    const pass = forward(net, fromRows([[1, 2], [-1, 0.5], [3, -3], [0, 0]]));
    const dead = deadUnits(net, pass);
    assert.deepEqual(dead[0].dead, [1]);
    assert.equal(dead[0].applies, true);
    assert.equal(dead[1].applies, false); // sigmoid output: cannot die
    assert.deepEqual(dead[1].dead, []);
  });

  it('a ReLU unit that is off for only some samples is alive', () => {
    const net = createNetwork([{ units: 1 }, { units: 1, activation: 'relu' }], 'sse');
    setLayerParameters(net, 1, [[1]], [0]);
    assert.deepEqual(deadUnits(net, forward(net, fromRows([[-1], [-2], [0.1]])))[0].dead, []);
    assert.deepEqual(deadUnits(net, forward(net, fromRows([[-1], [-2], [0]])))[0].dead, [0]);
  });

  it('the thresholds are where σ′ falls to 0.01: |z| = 4.5849 (sigmoid), 2.9932 (tanh)', () => {
    const s = saturationThreshold('sigmoid');
    const t = saturationThreshold('tanh');
    close(sigmoidActivation.df(s), 0.01, 1e-12);
    close(tanh.df(t), 0.01, 1e-12);
    // s(1 − s) = 0.01 → e^z = (1 + √0.96)/(1 − √0.96); tanh² z = 0.99
    close(s, Math.log((1 + Math.sqrt(0.96)) / (1 - Math.sqrt(0.96))));
    assert.equal(s.toFixed(4), '4.5849');
    assert.equal(t.toFixed(4), '2.9932');
    assert.throws(() => saturationThreshold('sigmoid', 0.3), /at most ¼/);
  });

  it('saturation counts |z| beyond the threshold on a hand-built sigmoid layer', () => {
    const net = createNetwork([{ units: 1 }, { units: 2, activation: 'sigmoid' }, { units: 1, activation: 'relu' }], 'sse');
    setLayerParameters(net, 1, [[1, 10]], [0, 0]);
    setLayerParameters(net, 2, [[1], [1]], [0]);
    // z unit 0: 0.1, 1, 10, −50 → saturated on 2 of 4; unit 1: 1, 10, 100, −500 → 3 of 4
    const pass = forward(net, fromRows([[0.1], [1], [10], [-50]]));
    const sat = saturation(net, pass);
    assert.equal(sat[0].applies, true);
    assert.deepEqual(Array.from(sat[0].perUnit), [0.5, 0.75]);
    assert.equal(sat[0].fraction, 5 / 8);
    assert.equal(sat[0].saturatedUnits, 0);
    assert.equal(sat[1].applies, false);
    const all = saturation(net, forward(net, fromRows([[10], [-10]])));
    assert.equal(all[0].saturatedUnits, 2);
  });

  it('distributionSnapshot gathers the three views for one batch', () => {
    const net = createNetwork([{ units: 2 }, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], 'sse', { seed: 3 });
    const snap = distributionSnapshot(net, forward(net, fromRows([[0, 1], [1, 0]])));
    assert.equal(snap.layers.length, 2);
    assert.equal(snap.layers[0].gradients, undefined);
    assert.deepEqual(snap.dead.map((d) => d.applies), [false, false]);
    assert.deepEqual(snap.saturation.map((s) => s.applies), [true, true]);
  });
});
