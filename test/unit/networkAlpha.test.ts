// ELU's α travels with the layer itself (DenseLayer.alpha), not through its formula's text: the
// fast path, a clone and a snapshot all get the α the model file gave. Reference: ELU written
// out here, a·(e^z − 1) for z < 0.
import { strict as assert } from 'assert';
import { cloneNetwork, createNetwork, forward } from '../../src/engine/network';
import { FastNetwork } from '../../src/fast';
import { layerSnapshots } from '../../src/training/snapshot';

describe('ELU’s α belongs to the layer', () => {
  // A 1-1 network with W = 1, b = 0, so z = x; an α whose shortest decimal is long.
  const alpha = 0.123456789012345;
  const make = () => {
    const net = createNetwork([{ units: 1 }, { units: 1, activation: 'elu', alpha }], 'sse', { weights: 'zeros' });
    net.layers[0].W.data[0] = 1;
    return net;
  };
  const elu = (z: number) => (z > 0 ? z : alpha * (Math.exp(z) - 1));

  it('the engine, a clone and a snapshot carry it', () => {
    const net = make();
    assert.equal(net.layers[0].alpha, alpha);
    assert.equal(cloneNetwork(net).layers[0].alpha, alpha);
    assert.equal(layerSnapshots(net)[0].alpha, alpha);
    const a = forward(net, { rows: 1, cols: 1, data: Float64Array.of(-2) }).a[1].data[0];
    assert.equal(a, elu(-2));
    // Other activations have none.
    assert.equal(createNetwork([{ units: 1 }, { units: 1, activation: 'tanh' }], 'sse').layers[0].alpha, undefined);
  });

  it('the float32 fast path computes with it', () => {
    const fast = FastNetwork.fromNetwork(make(), 4);
    fast.loadBatch({ x: Float64Array.of(-2, -0.5, 0.25, 3), y: new Float64Array(4), rows: 4 }, 0, 4);
    fast.forward();
    [-2, -0.5, 0.25, 3].forEach((z, r) => {
      const got = fast.output(r)[0];
      assert.ok(Math.abs(got - elu(z)) <= 1e-6 * Math.max(1, Math.abs(elu(z))), `x = ${z}: ${got} vs ${elu(z)}`);
    });
  });
});
