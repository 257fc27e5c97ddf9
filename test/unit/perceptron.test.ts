import { strict as assert } from 'assert';
import { fromRows } from '../../src/engine/matrix';
import { backward, createNetwork, forward, setLayerParameters } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optimizers';
import { createPerceptron, deltaRuleStep, perceptronAccuracy, perceptronLoss } from '../../src/engine/perceptron';

const X = fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const TABLES = { AND: [0, 0, 0, 1], OR: [0, 1, 1, 1], XOR: [0, 1, 1, 0] };

function train(y: number[], epochs = 2000, eta = 0.1) {
  const p = createPerceptron(2);
  for (let e = 0; e < epochs; e++) deltaRuleStep(p, X, y, eta);
  return p;
}

describe('single-layer perceptron (delta rule on J = ½ Σ (y − ŷ)²)', () => {
  it('learns AND and OR', () => {
    assert.equal(perceptronAccuracy(train(TABLES.AND), X, TABLES.AND), 1);
    assert.equal(perceptronAccuracy(train(TABLES.OR), X, TABLES.OR), 1);
  });

  it('converges to the least-squares solution for AND: w = (½, ½), b = −¼ (solved by hand)', () => {
    const p = train(TABLES.AND, 5000);
    assert.ok(Math.abs(p.w[0] - 0.5) < 1e-9 && Math.abs(p.w[1] - 0.5) < 1e-9 && Math.abs(p.b + 0.25) < 1e-9, `${p.w} ${p.b}`);
  });

  it('fails on XOR: at most 75 % whatever the start, and J cannot go below ½', () => {
    // J's minimum for XOR is at w = 0, b = ½ where J = 4 · ½ · ¼ = ½ (solved by hand).
    for (const [w0, b0] of [[0, 0], [1, -1], [-2, 3], [0.3, 0.7]]) {
      const p = createPerceptron(2, w0, b0);
      for (let e = 0; e < 3000; e++) deltaRuleStep(p, X, TABLES.XOR, 0.1);
      assert.ok(perceptronAccuracy(p, X, TABLES.XOR) <= 0.75);
      assert.ok(perceptronLoss(p, X, TABLES.XOR) >= 0.5 - 1e-9);
    }
  });

  it('its delta rule is exactly gradient descent on a 2-1 identity network with sse', () => {
    const p = createPerceptron(2, 0.2, -0.1);
    const net = createNetwork([{ units: 2 }, { units: 1, activation: 'identity' }], 'sse');
    setLayerParameters(net, 1, [[0.2], [0.2]], [-0.1]);
    const opt = createOptimizer({ type: 'sgd', learningRate: 0.05 });
    const y = fromRows(TABLES.XOR.map((v) => [v]));
    for (let e = 0; e < 10; e++) {
      deltaRuleStep(p, X, TABLES.XOR, 0.05);
      opt.update(net, backward(net, forward(net, X), y));
    }
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(p.w[j] - net.layers[0].W.data[j]) < 1e-15);
    assert.ok(Math.abs(p.b - net.layers[0].b[0]) < 1e-15);
  });
});
