import * as assert from 'node:assert/strict';
import { lossTrend } from '../../src/analysis/lossTrend';

const run = (losses: [number, number][]) => losses.map(([epoch, loss]) => ({ epoch, loss }));

describe('the loss trend the panel announces', () => {
  it('compares the last loss with the one 1,000 epochs before: 0.05 → 0.031 is down 38 %', () => {
    const h = run([[1, 0.5], [500, 0.08], [1000, 0.05], [1500, 0.04], [2000, 0.031]]);
    // (0.031 − 0.05) / 0.05 = −0.38.
    assert.equal(lossTrend(h), 'loss 0.031, down 38 % in the last 1,000 epochs');
  });
  it('a run shorter than the window compares with its first epoch', () => {
    assert.equal(lossTrend(run([[1, 0.2], [2, 0.1], [3, 0.25]])), 'loss 0.25, up 25 % in the last 2 epochs');
  });
  it('level within 1 %, one epoch alone, and losses that are not finite', () => {
    assert.equal(lossTrend(run([[1, 0.1], [1001, 0.1004]])), 'loss 0.1, level in the last 1,000 epochs');
    assert.equal(lossTrend(run([[1, 0.693147]])), 'loss 0.693');
    assert.equal(lossTrend(run([[1, 0.5], [2, Number.NaN]])), 'loss not a number');
    assert.equal(lossTrend([]), undefined);
  });
});
