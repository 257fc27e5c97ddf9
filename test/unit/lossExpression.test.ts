import { strict as assert } from 'assert';
import { ComputationalGraph } from '../../src/engine/graph';
import { fromRows } from '../../src/engine/matrix';
import { backward, createNetwork, forward } from '../../src/engine/network';
import { lossExpression, lossExpressionProblem } from '../../src/model/lossExpression';

describe('a network’s loss as a computational graph', () => {
  for (const [hidden, out, loss] of [['sigmoid', 'sigmoid', 'sse'], ['tanh', 'identity', 'mse'], ['relu', 'sigmoid', 'sse']] as const) {
    it(`the graph's gradients equal backprop's for a 2-2-1 ${hidden}/${out} network with ${loss}`, () => {
      const net = createNetwork([{ units: 2 }, { units: 2, activation: hidden }, { units: 1, activation: out }], loss, { seed: 11, weights: 'normal', scale: 1, bias: 0.1 });
      const x = [0.7, -1.3];
      const y = [1];
      const { expression, values } = lossExpression(net, x, y);
      const graph = new ComputationalGraph(expression);
      const value = graph.forward(values);
      const grads = graph.backward();
      const bp = backward(net, forward(net, fromRows([x])), fromRows([y]));
      const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
      close(value, bp.loss, 'L');
      net.layers.forEach((layer, k) => {
        const l = k + 1;
        for (let i = 0; i < layer.nIn; i++) for (let j = 0; j < layer.nOut; j++) close(grads[`W${l}_${i}_${j}`], bp.dLdW[l].data[i * layer.nOut + j], `W${l}_${i}_${j}`);
        for (let j = 0; j < layer.nOut; j++) close(grads[`b${l}_${j}`], bp.dLdb[l][j], `b${l}_${j}`);
      });
    });
  }

  it('says why a network cannot be drawn', () => {
    assert.match(lossExpressionProblem(createNetwork([{ units: 2 }, { units: 3, activation: 'softmax' }], 'cross_entropy'))!, /no softmax/);
    assert.match(lossExpressionProblem(createNetwork([{ units: 10 }, { units: 8, activation: 'relu' }, { units: 1 }], 'sse'))!, /97 parameters/);
    assert.equal(lossExpressionProblem(createNetwork([{ units: 2 }, { units: 1, activation: 'sigmoid' }], 'sse')), undefined);
  });
});
