/** The confusion matrix and per-class figures on hand-made examples. */
import { strict as assert } from 'assert';
import { classIndices, confusionFromIndices, confusionMatrix, confusionOf } from '../../src/analysis/confusion';
import { fromRows } from '../../src/engine/matrix';
import { createNetwork, predict } from '../../src/engine/network';
import { Random } from '../../src/engine/random';
import { accuracy } from '../../src/engine/training';

const oneHot = (classes: number[], k: number) => fromRows(classes.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));

describe('analysis: confusion matrix', () => {
  it('three classes: counts, accuracy, precision and recall by hand', () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    const guess = [0, 1, 0, 1, 1, 2, 0, 2, 1];
    // Scores that put the guessed class on top, so the argmax path is exercised.
    const yhat = fromRows(guess.map((g) => [0.1, 0.2, 0.3].map((v, j) => (j === g ? 0.9 : v))));
    const cm = confusionMatrix(yhat, oneHot(truth, 3), ['a', 'b', 'c']);
    // rows: truth, columns: prediction
    assert.deepEqual(Array.from(cm.counts), [2, 1, 0, 0, 2, 0, 1, 1, 2]);
    assert.equal(cm.total, 9);
    assert.equal(cm.accuracy, 6 / 9);
    assert.deepEqual(cm.perClass.map((c) => c.support), [3, 2, 4]);
    assert.deepEqual(cm.perClass.map((c) => c.predicted), [3, 4, 2]);
    assert.deepEqual(cm.perClass.map((c) => c.precision), [2 / 3, 2 / 4, 2 / 2]);
    assert.deepEqual(cm.perClass.map((c) => c.recall), [2 / 3, 2 / 2, 2 / 4]);
    assert.equal(cm.perClass[1].f1, (2 * 0.5 * 1) / 1.5);
    assert.deepEqual(cm.names, ['a', 'b', 'c']);
  });

  it('one output unit: class 1 when ŷ ≥ ½, two classes', () => {
    const cm = confusionMatrix(fromRows([[0.2], [0.7], [0.5], [0.4]]), fromRows([[0], [1], [0], [1]]));
    assert.equal(cm.classes, 2);
    assert.deepEqual(Array.from(cm.counts), [1, 1, 1, 1]);
    assert.equal(cm.accuracy, 0.5);
  });

  it('a class never predicted has NaN precision; a class absent from the split has NaN recall', () => {
    const cm = confusionFromIndices([0, 0, 1], [0, 0, 0], 3);
    assert.ok(Number.isNaN(cm.perClass[1].precision));
    assert.equal(cm.perClass[1].recall, 0);
    assert.ok(Number.isNaN(cm.perClass[2].recall));
    assert.ok(Number.isNaN(cm.perClass[2].f1));
  });

  it('accuracy equals the engine’s accuracy on random scores', () => {
    const rng = new Random(5);
    const rows = Array.from({ length: 200 }, () => [rng.next(), rng.next(), rng.next(), rng.next()]);
    const truth = Array.from({ length: 200 }, () => rng.int(4));
    const yhat = fromRows(rows);
    const y = oneHot(truth, 4);
    assert.equal(confusionMatrix(yhat, y).accuracy, accuracy(yhat, y));
  });

  it('confusionOf runs the network; bad shapes and class indices are refused', () => {
    const net = createNetwork([{ units: 2 }, { units: 3, activation: 'softmax' }], 'cross_entropy', { seed: 9 });
    const x = fromRows([[1, 2], [-1, 0], [0.5, 0.5]]);
    const y = oneHot([0, 1, 2], 3);
    const cm = confusionOf(net, { x, y });
    assert.deepEqual(Array.from(classIndices(predict(net, x))).map((p, t) => cm.counts[t * 3 + p]), [1, 1, 1]);
    assert.throws(() => confusionMatrix(fromRows([[1, 0]]), fromRows([[1, 0, 0]])), /ŷ is 1 × 2 but y is 1 × 3/);
    assert.throws(() => confusionFromIndices([0, 3], [0, 0], 3), /sample 1/);
  });
});
