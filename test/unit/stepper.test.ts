import { strict as assert } from 'assert';
import { pristineExamples } from '../pristineExamples';
import { readFileSync } from 'fs';
import * as path from 'path';
import { fromRows } from '../../src/engine/matrix';
import { backward, copyParameters, createNetwork, forward, setLayerParameters } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optimizers';
import { Stepper } from '../../src/engine/stepper';
import { parseModelFile } from '../../src/model/modelFile';
import { networkFromModel } from '../../src/model/modelNetwork';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('Stepper: one sample, one layer at a time', () => {
  it('steps the hand-built XOR network forward layer by layer (values worked by hand)', () => {
    const model = parseModelFile(readFileSync(path.join(pristineExamples(), 'xor.mlp.json'), 'utf8'), 'xor');
    const st = new Stepper(networkFromModel(model), createOptimizer(model.optimizer), [1, 0], [1]);
    assert.equal(st.stepForward(), 1);
    let s = st.snapshot();
    assert.deepEqual(Array.from(s.z[1]), [-10, 10]);
    assert.equal(s.z[2].length, 0, 'layer 2 not computed yet');
    assert.equal(s.loss, undefined);
    assert.equal(st.canStepBackward, false);
    assert.equal(st.stepForward(), 2);
    s = st.snapshot();
    const yhat = sigmoid(-10 - 20 * sigmoid(-10) + 20 * sigmoid(10));
    close(s.a[2][0], yhat);
    close(s.loss!, 0.5 * (1 - yhat) ** 2);
    assert.equal(st.canStepForward, false);
  });

  it('backward, layer by layer, gives the chain rule of the hand-derived 1-1-1 network; the update is w − η dL/dw', () => {
    const net = createNetwork([{ units: 1 }, { units: 1, activation: 'sigmoid' }, { units: 1, activation: 'identity' }], 'sse');
    setLayerParameters(net, 1, [[0.5]], [0.1]);
    setLayerParameters(net, 2, [[2]], [-1]);
    const st = new Stepper(net, createOptimizer({ type: 'sgd', learningRate: 0.25 }), [1.5], [0.2]);
    st.stepForward();
    st.stepForward();
    const a1 = sigmoid(0.1 + 0.5 * 1.5);
    const yhat = -1 + 2 * a1;
    assert.equal(st.stepBackward(), 2);
    let s = st.snapshot();
    close(s.dLdz[2][0], yhat - 0.2);
    close(s.dLdW[2][0], (yhat - 0.2) * a1);
    close(s.dLda[1][0], (yhat - 0.2) * 2);
    assert.equal(s.dLdz[1].length, 0, 'layer 1 not backpropagated yet');
    assert.equal(st.canApplyUpdate, false);
    assert.equal(st.stepBackward(), 1);
    s = st.snapshot();
    const dLdz1 = (yhat - 0.2) * 2 * a1 * (1 - a1);
    close(s.dLdz[1][0], dLdz1);
    close(s.dLdW[1][0], dLdz1 * 1.5);
    close(s.dLda[0][0], dLdz1 * 0.5);
    const u = st.applyUpdate();
    close(u.layers[0].Wafter[0], 0.5 - 0.25 * dLdz1 * 1.5);
    close(u.layers[1].bAfter[0], -1 - 0.25 * (yhat - 0.2));
    close(u.layers[0].dW[0], -0.25 * dLdz1 * 1.5);
    assert.equal(net.layers[0].W.data[0], u.layers[0].Wafter[0]);
  });

  it('agrees with the whole-batch forward/backward for every layer (softmax + cross-entropy, fused)', () => {
    const net = createNetwork([{ units: 3 }, { units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }], 'cross_entropy', { seed: 4, weights: 'he' });
    const x = [0.3, -1.2, 2];
    const y = [0, 0, 1];
    const pass = forward(net, fromRows([x]));
    const grads = backward(net, pass, fromRows([y]));
    const st = new Stepper(net, createOptimizer({}), x, y);
    st.stepForward();
    st.stepForward();
    st.stepBackward();
    st.stepBackward();
    const s = st.snapshot();
    assert.ok(s.fused?.startsWith('softmax + cross-entropy'));
    for (const l of [1, 2]) {
      assert.deepEqual(Array.from(s.z[l]), Array.from(pass.z[l].data));
      assert.deepEqual(Array.from(s.dLdz[l]), Array.from(grads.dLdz[l].data));
      assert.deepEqual(Array.from(s.dLdW[l]), Array.from(grads.dLdW[l].data));
    }
    assert.equal(s.loss, grads.loss);
  });

  it('undo restores the parameters bit for bit, several steps back', () => {
    const net = createNetwork([{ units: 2 }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], 'binary_cross_entropy', { seed: 9 });
    const before = copyParameters(net);
    const st = new Stepper(net, createOptimizer({ type: 'sgd', learningRate: 0.5 }), [1, 0], [1]);
    st.stepAll();
    const afterOne = copyParameters(net);
    st.stepAll();
    assert.equal(st.snapshot().undoable, 2);
    assert.equal(st.undo(), true);
    assert.deepEqual(copyParameters(net), afterOne);
    assert.equal(st.undo(), true);
    assert.deepEqual(copyParameters(net), before);
    assert.equal(st.undo(), false);
    assert.equal(st.snapshot().forwardLayer, 0, 'passes start over on the restored parameters');
  });

  it('refuses steps out of order with a reason', () => {
    const net = createNetwork([{ units: 1 }, { units: 1 }], 'sse');
    const st = new Stepper(net, createOptimizer({}), [1], [0]);
    assert.throws(() => st.stepBackward(), /finish the forward pass first/);
    assert.throws(() => st.applyUpdate(), /finish the backward pass first/);
    assert.throws(() => new Stepper(net, createOptimizer({}), [1, 2], [0]), /input has 2 values/);
  });
});
