/**
 * A linear network collapses into one layer: the product of its weight matrices and the combined
 * bias reproduce the network's own forward pass.
 */
import { strict as assert } from 'assert';
import { checkCollapse, collapseLinear, collapsedOutput, linearized, rank } from '../../src/analysis/linearCollapse';
import { fromRows, zeros } from '../../src/engine/matrix';
import { createNetwork, forward, setLayerParameters } from '../../src/engine/network';
import { Random } from '../../src/engine/random';

function randomInputs(seed: number, m: number, n: number) {
  const rng = new Random(seed);
  const x = zeros(m, n);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform(-3, 3);
  return x;
}

describe('analysis: linear collapse', () => {
  it('a hand-worked 1-2-1 network: W = W[1]W[2] = 23, b = b[1]W[2] + b[2] = −0.5', () => {
    const net = createNetwork([{ units: 1 }, { units: 2 }, { units: 1 }], 'mse');
    setLayerParameters(net, 1, [[2, 3]], [1, -1]);
    setLayerParameters(net, 2, [[4], [5]], [0.5]);
    const one = collapseLinear(net);
    assert.deepEqual(Array.from(one.W.data), [2 * 4 + 3 * 5]);
    assert.deepEqual(Array.from(one.b), [1 * 4 + -1 * 5 + 0.5]);
    assert.equal(one.exact, true);
    // ŷ(x = 2) through the network: a[1] = (5, 5), ŷ = 20 + 25 + 0.5
    assert.deepEqual(Array.from(collapsedOutput(one, fromRows([[2]])).data), [45.5]);
  });

  it('the product of the weight matrices of a deep linear network equals its output map to 1e-12', () => {
    const net = createNetwork([{ units: 3 }, { units: 5 }, { units: 7 }, { units: 4 }, { units: 2 }], 'mse', { weights: 'normal', scale: 0.8, bias: 0.3, seed: 11 });
    // Random biases too, so the combined bias is exercised.
    const rng = new Random(12);
    for (const layer of net.layers) for (let j = 0; j < layer.b.length; j++) layer.b[j] = rng.normal();
    const x = randomInputs(13, 50, 3);
    const check = checkCollapse(net, x);
    assert.equal(check.equal, true);
    assert.ok(check.maxAbsDifference <= 1e-12 * Math.max(1, check.maxAbsOutput), `difference ${check.maxAbsDifference}`);
    const direct = forward(net, x).a[4].data;
    const one = collapsedOutput(collapseLinear(net), x).data;
    for (let i = 0; i < direct.length; i++) assert.ok(Math.abs(direct[i] - one[i]) <= 1e-12 * Math.max(1, Math.abs(direct[i])));
  });

  it('with non-linear activations: the collapse is what the linearized network computes, not the network', () => {
    const net = createNetwork([{ units: 2 }, { units: 6, activation: 'relu' }, { units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], 'sse', { seed: 5 });
    const one = collapseLinear(net);
    assert.equal(one.exact, false);
    assert.deepEqual(one.nonLinearLayers, [1, 2, 3]);
    const x = randomInputs(6, 40, 2);
    assert.equal(checkCollapse(net, x).equal, true);
    const asIs = checkCollapse(net, x, { asLinear: false });
    assert.equal(asIs.equal, false);
    assert.ok(asIs.maxAbsDifference > 0.01);
    // linearized() swaps the activations in a copy: the original network is untouched.
    assert.equal(net.layers[0].activationName, 'relu');
    assert.equal(linearized(net).layers[0].activationName, 'identity');
  });

  it('the rank of the product is at most the narrowest layer', () => {
    const net = createNetwork([{ units: 4 }, { units: 1 }, { units: 4 }], 'mse', { seed: 2 });
    const one = collapseLinear(net);
    assert.equal(one.bottleneck, 1);
    assert.equal(one.rank, 1);
    const wide = collapseLinear(createNetwork([{ units: 3 }, { units: 5 }, { units: 3 }], 'mse', { seed: 2 }));
    assert.equal(wide.rank, 3);
  });

  it('rank by hand', () => {
    assert.equal(rank(fromRows([[1, 2], [2, 4]])), 1);
    assert.equal(rank(fromRows([[0, 0], [0, 0]])), 0);
    assert.equal(rank(fromRows([[0, 1], [1, 0], [1, 1]])), 2);
  });
});
