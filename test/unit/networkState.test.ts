// The engine's plain-data network: what crosses a worker or webview boundary comes back as the
// same network (same activations with their parameters, same W and b, same outputs), as copies.
import { strict as assert } from 'assert';
import { createNetwork, forward } from '../../src/engine/network';
import { fromNetwork, toNetwork } from '../../src/engine/networkState';

describe('NetworkState: a network as plain data', () => {
  const net = createNetwork(
    [{ units: 3 }, { units: 4, activation: 'elu', alpha: 0.3 }, { units: 2, activation: 'gelu' }, { units: 2, activation: 'softmax' }],
    'cross_entropy',
    { seed: 5 },
  );
  const x = { rows: 2, cols: 3, data: Float64Array.of(-1, 0.5, 2, 0.25, -3, 1) };

  it('survives structured cloning and comes back as the same network', () => {
    const state = structuredClone(fromNetwork(net));
    assert.deepEqual(state.layers.map((l) => [l.activation, l.alpha]), [['elu', 0.3], ['gelu', undefined], ['softmax', undefined]]);
    const back = toNetwork(state);
    assert.deepEqual(back.sizes, [3, 4, 2, 2]);
    assert.equal(back.loss.name, 'cross_entropy');
    // Hand-checked for layer 1, unit 0: z = b + Σ W_i0 x_i, then ELU with α = 0.3.
    const l1 = net.layers[0];
    const z = l1.b[0] + l1.W.data[0] * -1 + l1.W.data[4] * 0.5 + l1.W.data[8] * 2;
    const a = z > 0 ? z : 0.3 * (Math.exp(z) - 1);
    const passBack = forward(back, x);
    assert.ok(Math.abs(passBack.a[1].data[0] - a) <= 1e-15 * Math.max(1, Math.abs(a)));
    assert.deepEqual(Array.from(passBack.a[3].data), Array.from(forward(net, x).a[3].data));
  });

  it('holds copies: changing the network afterwards changes neither', () => {
    const state = fromNetwork(net);
    const back = toNetwork(state);
    const w = net.layers[0].W.data[0];
    net.layers[0].W.data[0] = w + 1;
    assert.equal(state.layers[0].W[0], w);
    back.layers[0].W.data[0] = 42;
    assert.equal(state.layers[0].W[0], w);
    net.layers[0].W.data[0] = w;
  });

  it('refuses layers whose shapes do not chain', () => {
    const s = fromNetwork(net);
    assert.throws(() => toNetwork({ ...s, layers: [s.layers[0], s.layers[2]] }), /layer 2 reads 2 values, but layer 1 has 4 units/);
    assert.throws(() => toNetwork({ ...s, layers: [{ ...s.layers[0], b: new Float64Array(3) }] }), /layer 1 needs W of 3×4 and b of 4/);
  });
});
