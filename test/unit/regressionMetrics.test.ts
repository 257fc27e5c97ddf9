// R², RMSE and MAE of a regression model, against values worked out by hand from their
// definitions (R² = 1 − SS_res/SS_tot, RMSE = √(SS_res/N), MAE = Σ|y − ŷ|/N), on sets small
// enough to do on paper: the accumulator itself, the engine's and the float32 path's end-of-epoch
// evaluation, the Trainer's epoch records and the run log that keeps them.
import { strict as assert } from 'assert';
import { regressionMetrics, RegressionAccumulator } from '../../src/engine/regressionMetrics';
import { evaluate } from '../../src/engine/training';
import { networkFromModel } from '../../src/model/modelNetwork';
import type { ModelFile } from '../../src/model/modelFile';
import { FastNetwork } from '../../src/fast';
import { Trainer } from '../../src/training/Trainer';
import { parseRunLog, runEpochLine } from '../../src/analysis/runLog';

const close = (actual: number | null, expected: number, tolerance = 1e-12) => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);
};

describe('regression metrics: R², RMSE, MAE', () => {
  // y = 1, 2, 3, 4; ŷ = 1.5, 2, 2, 5: residuals −0.5, 0, 1, −1.
  // SS_res = 0.25 + 0 + 1 + 1 = 2.25; ȳ = 2.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5.
  // R² = 1 − 2.25/5 = 0.55; RMSE = √(2.25/4) = 0.75; MAE = (0.5 + 0 + 1 + 1)/4 = 0.625.
  const y = [1, 2, 3, 4];
  const yhat = [1.5, 2, 2, 5];

  it('matches the hand-worked values on four rows', () => {
    const m = regressionMetrics(yhat, y, 1);
    close(m.r2, 0.55);
    close(m.rmse, 0.75);
    close(m.mae, 0.625);
  });

  it('gives the same figures when the rows come in chunks (as the evaluation forwards them)', () => {
    const acc = new RegressionAccumulator(1, y);
    acc.add(yhat, 0, 0, 1);
    acc.add(yhat.slice(1), 0, 1, 3);
    const m = acc.result();
    close(m.r2, 0.55);
    close(m.rmse, 0.75);
    close(m.mae, 0.625);
  });

  it('says R² is undefined (null, not NaN) when every target is the same', () => {
    // SS_tot = 0: y = 2, 2, 2; ŷ = 1, 2, 4: SS_res = 1 + 0 + 4 = 5, RMSE = √(5/3), MAE = 3/3 = 1.
    const m = regressionMetrics([1, 2, 4], [2, 2, 2], 1);
    assert.equal(m.r2, null);
    close(m.rmse, Math.sqrt(5 / 3));
    close(m.mae, 1);
    // A perfect fit of constant targets is still undefined, not 1 or NaN.
    assert.equal(regressionMetrics([7, 7], [7, 7], 1).r2, null);
  });

  it('pools the columns of several outputs, each around its own mean', () => {
    // Column 0: y = 0, 2 (ȳ 1, SS_tot 2), ŷ = 1, 2 (SS_res 1). Column 1: y = 10, 14 (ȳ 12,
    // SS_tot 8), ŷ = 10, 12 (SS_res 4). R² = 1 − 5/10 = 0.5; RMSE = √(5/4); MAE = (1 + 0 + 0 + 2)/4.
    const m = regressionMetrics([1, 10, 2, 12], [0, 10, 2, 14], 2);
    close(m.r2, 0.5);
    close(m.rmse, Math.sqrt(5 / 4));
    close(m.mae, 0.75);
  });

  // A 1-1 identity network with W = 2, b = 1: ŷ = 2x + 1. On x = 0, 1, 2, 3 with y = 1, 2, 3, 4:
  // ŷ = 1, 3, 5, 7, residuals 0, −1, −2, −3: SS_res = 14, SS_tot = 5 → R² = 1 − 14/5 = −1.8,
  // RMSE = √(14/4), MAE = 6/4 = 1.5; the mse loss J is the mean squared error, 14/4 = 3.5 = RMSE².
  const model: ModelFile = {
    layers: [{ units: 1 }, { units: 1, activation: 'identity' }],
    loss: 'mse',
    init: { weights: 'zeros' },
    optimizer: { type: 'sgd', learningRate: 0.01, batchSize: 0, shuffle: false },
    parameters: [{ W: [[2]], b: [1] }],
  };
  const x = Float64Array.from([0, 1, 2, 3]);
  const targets = Float64Array.from([1, 2, 3, 4]);

  it('comes with the engine\'s evaluation of a regression set', () => {
    const e = evaluate(networkFromModel(model), { x: { rows: 4, cols: 1, data: x }, y: { rows: 4, cols: 1, data: targets } }, false);
    close(e.loss, 3.5);
    assert.ok(e.metrics);
    close(e.metrics.r2, -1.8);
    close(e.metrics.rmse, Math.sqrt(3.5));
    close(e.metrics.mae, 1.5);
    assert.equal(evaluate(networkFromModel(model), { x: { rows: 4, cols: 1, data: x }, y: { rows: 4, cols: 1, data: targets } }, true).metrics, undefined, 'classification has accuracy instead');
  });

  it('comes with the float32 path\'s evaluation, chunk by chunk, against the float64 targets', () => {
    const fast = FastNetwork.fromNetwork(networkFromModel(model), 3); // chunks of 3 rows, then 1
    const e = fast.evaluate({ x, y: targets, rows: 4 }, false);
    assert.ok(e.metrics);
    close(e.metrics.r2, -1.8, 1e-6);
    close(e.metrics.rmse, Math.sqrt(3.5), 1e-6);
    close(e.metrics.mae, 1.5, 1e-6);
  });

  for (const precision of ['float32', 'float64'] as const) {
    it(`is in every epoch record of a ${precision} regression run, for the training and the validation split`, () => {
      // η tiny and one epoch: the record is of W ≈ 2, b ≈ 1 after one small step, so compare with
      // the metrics of the trainer's own network after that step, computed from the definitions.
      const validationX = Float64Array.from([4]);
      const validationY = Float64Array.from([5]); // one row: SS_tot = 0, R² undefined
      const trainer = new Trainer(model, { task: 'regression', inputNames: ['x'], outputNames: ['y'], nIn: 1, nOut: 1, train: { x, y: targets, rows: 4 }, validation: { x: validationX, y: validationY, rows: 1 } }, precision);
      let outcome = trainer.runBatch();
      while (outcome.kind !== 'epoch') outcome = trainer.runBatch();
      const W = trainer.net.layers[0].W.data[0];
      const b = trainer.net.layers[0].b[0];
      const yhatTrain = Array.from(x, (v) => W * v + b);
      const ssRes = yhatTrain.reduce((s, p, i) => s + (targets[i] - p) ** 2, 0);
      const tol = precision === 'float32' ? 1e-5 : 1e-12;
      const r = outcome.record;
      close(r.r2 ?? null, 1 - ssRes / 5, tol);
      close(r.rmse ?? NaN, Math.sqrt(ssRes / 4), tol);
      close(r.mae ?? NaN, yhatTrain.reduce((s, p, i) => s + Math.abs(targets[i] - p), 0) / 4, tol);
      assert.equal(r.valR2, null, 'one validation row: R² undefined');
      close(r.valRmse ?? NaN, Math.abs(5 - (4 * W + b)), tol);
      close(r.valMae ?? NaN, Math.abs(5 - (4 * W + b)), tol);
      assert.equal(r.accuracy, undefined);
    });
  }

  it('goes into the run log and back, an undefined R² as null', () => {
    const line = runEpochLine({ epoch: 3, loss: 0.5, valLoss: 0.7, r2: 0.9, rmse: 0.2, mae: 0.1, valR2: null, valRmse: 0.3, valMae: 0.25, seconds: 1 });
    assert.equal(line, '{"epoch":3,"loss":0.5,"valLoss":0.7,"r2":0.9,"rmse":0.2,"mae":0.1,"valR2":null,"valRmse":0.3,"valMae":0.25,"seconds":1}');
    const log = parseRunLog(`{"format":"mlp-inspector-run","version":1,"model":"m","started":"2026-01-01T00:00:00.000Z","hyperparameters":{}}\n${line}\n`);
    assert.deepEqual(log.problems, []);
    assert.deepEqual(log.epochs[0], { epoch: 3, loss: 0.5, valLoss: 0.7, r2: 0.9, rmse: 0.2, mae: 0.1, valR2: null, valRmse: 0.3, valMae: 0.25, seconds: 1 });
  });
});
