// Early stopping on the validation loss, on sets where when it must stop is known beforehand:
// the watch's verdicts on a written-out sequence of losses; a 1-1 network whose validation loss
// can only grow (training pulls ŷ towards +1, validation wants −1), so its best epoch is the
// first and it must stop at 1 + patience, with W and b restored to the values of one hand-worked
// step; the restored weights of a real run against an independent run trained for exactly the
// best epoch's count; and every refusal, located, when there is no validation split.
import { strict as assert } from 'assert';
import { EarlyStoppingWatch, NO_VALIDATION_FOR_EARLY_STOPPING, type EarlyStoppingSpec } from '../../src/engine/earlyStopping';
import { parseModelText } from '../../src/model/modelFile';
import type { ModelFile } from '../../src/model/modelFile';
import { checkViewMessage } from '../../src/host/webviewMessages';
import { checkHyperparameters } from '../../src/training/hyperparameters';
import type { TrainingData } from '../../src/training/workerProtocol';
import { Trainer, type BatchOutcome } from '../../src/training/Trainer';
import { Random } from '../../src/engine/random';
import { parseRunLog, runEarlyStopLine } from '../../src/analysis/runLog';
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { pristineExamples } from '../pristineExamples';
import { main } from '../../src/cli/main';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Runs batches until an epoch ends; its outcome. */
function epoch(t: Trainer): Extract<BatchOutcome, { kind: 'epoch' }> {
  for (;;) {
    const o = t.runBatch();
    if (o.kind === 'epoch') return o;
    assert.notEqual(o.kind, 'diverged');
  }
}

/** Trains until early stopping ends the run (or `max` epochs). */
function trainUntilStop(t: Trainer, max = 10_000): Extract<BatchOutcome, { kind: 'epoch' }> {
  assert.equal(t.startRun(), undefined);
  for (let e = 0; e < max; e++) {
    const o = epoch(t);
    if (o.earlyStop) return o;
  }
  assert.fail(`no early stop in ${max} epochs`);
}

describe('early stopping on the validation loss', () => {
  it('improves when J_val < best − minDelta, and stops patience epochs after the best', () => {
    const spec: EarlyStoppingSpec = { patience: 3, minDelta: 0.1 };
    const w = new EarlyStoppingWatch();
    // 1.0 (first: best), 0.95 (not by > 0.1), 0.85 (by 0.15: best), 0.8, 0.76, 0.9 → 3 epochs after 3: stop at 6.
    const verdicts = [1.0, 0.95, 0.85, 0.8, 0.76, 0.9].map((loss, k) => w.observe(spec, k + 1, loss));
    assert.deepEqual(verdicts, ['improved', 'waiting', 'improved', 'waiting', 'waiting', 'stop']);
    assert.equal(w.bestEpoch, 3);
    assert.equal(w.bestValLoss, 0.85);
    const stop = w.stop(spec, 6, true);
    assert.equal(stop.message, 'stopped early at epoch 6: validation loss did not improve by 0.1 for 3 epochs; best 0.85 at epoch 3, weights restored');
    assert.equal(w.stop(spec, 6, false).message, 'stopped early at epoch 6: validation loss did not improve by 0.1 for 3 epochs; best 0.85 at epoch 3, weights of the last epoch kept');
  });

  it('never takes a non-finite validation loss as the best', () => {
    const w = new EarlyStoppingWatch();
    assert.deepEqual([NaN, Infinity, 2].map((l, k) => w.observe({ patience: 5 }, k + 1, l)), ['waiting', 'waiting', 'improved']);
    assert.equal(w.bestEpoch, 3);
  });

  // x = 1 in both splits; training wants y = 1, validation y = −1. From W = b = 0, sgd on
  // J = ½(y − ŷ)² moves ŷ towards 1 every epoch, so J_val = ½(−1 − ŷ)² only grows: the best
  // epoch is 1. Epoch 1 by hand: ŷ = 0, dL/dz = ŷ − y = −1, dL/dW = x·(−1) = −1, dL/db = −1,
  // so W = b = 0 − 0.1·(−1) = 0.1.
  const model = (earlyStopping: EarlyStoppingSpec | undefined): ModelFile => ({
    layers: [{ units: 1 }, { units: 1, activation: 'identity' }],
    loss: 'sse',
    init: { weights: 'zeros' },
    optimizer: { type: 'sgd', learningRate: 0.1, batchSize: 0, shuffle: false, ...(earlyStopping ? { earlyStopping } : {}) },
  });
  const opposite: TrainingData = {
    task: 'regression',
    inputNames: ['x'],
    outputNames: ['y'],
    nIn: 1,
    nOut: 1,
    train: { x: Float64Array.from([1]), y: Float64Array.from([1]), rows: 1 },
    validation: { x: Float64Array.from([1]), y: Float64Array.from([-1]), rows: 1 },
  };

  for (const precision of ['float64', 'float32'] as const) {
    it(`${precision}: stops at epoch 1 + patience when the validation loss only grows, and restores epoch 1's W = b = 0.1`, () => {
      const t = new Trainer(model({ patience: 4 }), opposite, precision);
      const o = trainUntilStop(t);
      assert.equal(o.record.epoch, 5);
      assert.equal(t.epoch, 5);
      const stop = o.earlyStop!;
      assert.equal(stop.bestEpoch, 1);
      assert.equal(stop.restored, true);
      // J_val at epoch 1: ŷ = 0.1·1 + 0.1 = 0.2, ½(−1 − 0.2)² = 0.72.
      const expect = precision === 'float64' ? 0.72 : 0.5 * (-1 - Math.fround(Math.fround(0.1) + Math.fround(0.1))) ** 2;
      assert.ok(Math.abs(stop.bestValLoss - expect) < 1e-7, `${stop.bestValLoss}`);
      assert.match(stop.message, /^stopped early at epoch 5: validation loss did not improve by 0 for 4 epochs; best 0\.72 at epoch 1, weights restored$/);
      const w = precision === 'float64' ? 0.1 : Math.fround(0.1);
      assert.equal(t.net.layers[0].W.data[0], w);
      assert.equal(t.net.layers[0].b[0], w);
      assert.equal(t.bestRecord?.epoch, 1);
      // Restoring counts as one more step: 5 updates, then the restore.
      assert.equal(t.step, 6);
    });
  }

  it('keeps the last epoch\'s weights with restoreBest false', () => {
    const t = new Trainer(model({ patience: 2, restoreBest: false }), opposite, 'float64');
    const o = trainUntilStop(t);
    assert.equal(o.record.epoch, 3);
    assert.equal(o.earlyStop!.restored, false);
    // Three steps of W ← W + 0.1·(1 − 2W)·… by hand: ŷ = 2W (x = 1, b = W), dL/dW = ŷ − 1:
    // W: 0 → 0.1 → 0.1 + 0.1·(1 − 0.2) = 0.18 → 0.18 + 0.1·(1 − 0.36) = 0.244.
    assert.ok(Math.abs(t.net.layers[0].W.data[0] - 0.244) < 1e-15);
    assert.equal(t.step, 3);
  });

  for (const precision of ['float64', 'float32'] as const) {
    it(`${precision}: the restored weights of a noisy regression equal those of a run trained for exactly the best epoch's count`, () => {
      const rng = new Random(11);
      const split = (rows: number) => {
        const x = new Float64Array(rows);
        const y = new Float64Array(rows);
        for (let i = 0; i < rows; i++) {
          x[i] = rng.uniform(-2, 2);
          y[i] = Math.sin(2 * x[i]) + rng.uniform(-0.6, 0.6);
        }
        return { x, y, rows };
      };
      const data: TrainingData = { task: 'regression', inputNames: ['x'], outputNames: ['y'], nIn: 1, nOut: 1, train: split(20), validation: split(20) };
      const m: ModelFile = {
        layers: [{ units: 1 }, { units: 24, activation: 'tanh' }, { units: 1, activation: 'identity' }],
        loss: 'mse',
        init: { weights: 'xavier', seed: 4 },
        optimizer: { type: 'adam', learningRate: 0.03, batchSize: 5, shuffle: true, earlyStopping: { patience: 20, minDelta: 0 } },
      };
      const t = new Trainer(m, data, precision);
      const stop = trainUntilStop(t, 5000).earlyStop!;
      assert.ok(stop.bestEpoch > 1 && stop.epoch === stop.bestEpoch + 20, JSON.stringify(stop));
      // The reference: the same model trained for bestEpoch epochs, no early stopping.
      const { earlyStopping: _none, ...plain } = m.optimizer!;
      const ref = new Trainer({ ...m, optimizer: plain }, data, precision);
      for (let e = 0; e < stop.bestEpoch; e++) epoch(ref);
      t.net.layers.forEach((layer, k) => {
        assert.deepEqual(Array.from(layer.W.data), Array.from(ref.net.layers[k].W.data), `W[${k + 1}]`);
        assert.deepEqual(Array.from(layer.b), Array.from(ref.net.layers[k].b), `b[${k + 1}]`);
      });
      assert.equal(t.bestRecord?.valLoss, stop.bestValLoss);
    });
  }

  it('refuses to watch a run without a validation split: the worker\'s run, its edits, and the model file (located)', () => {
    const noValidation: TrainingData = { ...opposite, validation: undefined };
    const t = new Trainer(model({ patience: 3 }), noValidation, 'float64');
    assert.equal(t.startRun(), NO_VALIDATION_FOR_EARLY_STOPPING);
    const plain = new Trainer(model(undefined), noValidation, 'float64');
    assert.equal(plain.setHyperparameters({ earlyStopping: { patience: 5 } }), NO_VALIDATION_FOR_EARLY_STOPPING);
    assert.equal(plain.setHyperparameters({ earlyStopping: null }), undefined, 'turning it off is always fine');
    assert.match(NO_VALIDATION_FOR_EARLY_STOPPING, /no validation split: set "data.validationSplit" above 0/);

    const text = '{\n  "layers": [{"units": 1}, {"units": 1}],\n  "loss": "mse",\n  "optimizer": {"earlyStopping": {"patience": 5}},\n  "data": {"synthetic": "sine"}\n}';
    const { problems } = parseModelText(text);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].message, NO_VALIDATION_FOR_EARLY_STOPPING);
    assert.deepEqual([problems[0].line, problems[0].column], [4, 17]);
    assert.equal(parseModelText(text.replace('"sine"', '"sine", "validationSplit": 0.2')).problems.length, 0);
  });

  it('locates each bad setting of optimizer.earlyStopping at its own key in the model file', () => {
    const text = '{\n  "layers": [{"units": 1}, {"units": 1}],\n  "loss": "mse",\n  "optimizer": {"earlyStopping": {\n    "patience": 0,\n    "minDelta": -1,\n    "restore": true\n  }},\n  "data": {"synthetic": "sine", "validationSplit": 0.2}\n}';
    const problems = parseModelText(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    assert.deepEqual(problems, [
      '7:5 optimizer.earlyStopping.restore is not a setting; expected "patience", "minDelta", "restoreBest"',
      '5:17 optimizer.earlyStopping.patience must be a whole number of epochs from 1 to 10000000, got 0',
      '6:17 optimizer.earlyStopping.minDelta must be a number ≥ 0 (how much the validation loss must fall to count as better), got -1',
    ]);
    const missing = parseModelText(text.replace(/"patience": 0,\n\s+"minDelta": -1,\n\s+"restore": true/, '"minDelta": 0.1')).problems;
    assert.equal(missing[0].message, 'optimizer.earlyStopping needs "patience": how many epochs without improvement end the run');
    const notObject = parseModelText(text.replace(/\{\n {4}"patience"[^}]*\}/, '3')).problems;
    assert.equal(notObject[0].message, 'optimizer.earlyStopping must be an object like {"patience": 50, "minDelta": 0.0001, "restoreBest": true}, got 3');
    assert.deepEqual([notObject[0].line, notObject[0].column], [4, 34]);
  });

  it('the sidebar\'s edit is checked in the host by the same rule, with the reason', () => {
    const refused = (hyperparameters: unknown) => {
      const r = checkViewMessage({ type: 'setHyperparameters', hyperparameters });
      assert.equal(r.ok, false);
      return r.ok ? '' : r.reason;
    };
    assert.equal(refused({ earlyStopping: 'yes' }), 'earlyStopping must be an object like {"patience": 50} or null');
    assert.equal(refused({ earlyStopping: { patience: 2.5 } }), '"earlyStopping": "patience" must be a whole number of epochs from 1 to 10000000, got 2.5');
    assert.equal(refused({ earlyStopping: { patience: 5, minDelta: '0.1' } }), '"earlyStopping": "minDelta" must be a number ≥ 0 (how much the validation loss must fall to count as better), got "0.1"');
    assert.equal(refused({ earlyStopping: { patience: 5, restoreBest: 1 } }), '"earlyStopping": "restoreBest" must be true or false, got 1');
    assert.equal(refused({ earlyStopping: { minDelta: 0 } }), '"earlyStopping" needs "patience": how many epochs without improvement end the run');
    assert.equal(refused({ earlyStopping: { patience: 5, extra: 1 } }), '"earlyStopping": "extra" is not a setting; expected "patience", "minDelta", "restoreBest"');
    const ok = checkViewMessage({ type: 'setHyperparameters', hyperparameters: { earlyStopping: { patience: 50, minDelta: 1e-4, restoreBest: false } } });
    assert.ok(ok.ok);
    assert.ok(checkViewMessage({ type: 'setHyperparameters', hyperparameters: { earlyStopping: null } }).ok);
    assert.equal(checkHyperparameters({ earlyStopping: { patience: 0 } }), '"earlyStopping": "patience" must be a whole number of epochs from 1 to 10000000, got 0');
  });

  it('the CLI stops where the worker would, says why, and --out writes the best epoch\'s weights', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlp-early-'));
    const example = path.join(pristineExamples(), 'sine-early-stop.mlp.json');
    const run = (file: string, ...args: string[]) => execFileSync(process.execPath, [CLI, 'train', file, '--every', '1000000', ...args], { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
    const lines = run(example, '--out', path.join(dir, 'stopped.mlp.json'));
    const stop = lines[lines.length - 1];
    const last = lines[lines.length - 2];
    assert.equal(stop.stopped, 'early');
    assert.equal(last.epoch, stop.epoch, 'the stopping epoch is printed whatever --every says');
    assert.equal(stop.epoch, stop.bestEpoch + 100);
    assert.equal(stop.restored, true);
    assert.match(stop.message, new RegExp(`^stopped early at epoch ${stop.epoch}: validation loss did not improve by 0\\.0001 for 100 epochs; best [0-9.]+ at epoch ${stop.bestEpoch}, weights restored$`));
    // A regression run's lines carry R², RMSE and MAE; with the mse loss RMSE² is J itself (to
    // float32's precision: J sums float32 errors against float32-rounded targets, RMSE against
    // the float64 targets).
    assert.ok(Math.abs(last.rmse ** 2 - last.loss) < 1e-5 * last.loss, `${last.rmse}² vs ${last.loss}`);
    assert.ok(Math.abs(last.valRmse ** 2 - last.valLoss) < 1e-5 * last.valLoss);
    assert.ok(last.r2 > 0 && last.r2 < 1 && last.valR2 < 1 && last.mae > 0 && last.valMae > 0);
    // The reference: the same model without early stopping, trained for exactly bestEpoch epochs.
    const model = JSON.parse(readFileSync(example, 'utf8'));
    delete model.optimizer.earlyStopping;
    writeFileSync(path.join(dir, 'plain.mlp.json'), JSON.stringify(model));
    const plain = run(path.join(dir, 'plain.mlp.json'), '--epochs', String(stop.bestEpoch), '--out', path.join(dir, 'best.mlp.json'));
    assert.equal(plain[plain.length - 1].valLoss, stop.bestValLoss);
    const saved = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')).parameters;
    assert.deepEqual(saved('stopped.mlp.json'), saved('best.mlp.json'));
  });

  it('at a terminal, the CLI\'s summary gives the restored weights\' figures and the reason', async () => {
    const out: Record<string, number | boolean | string>[] = [];
    const info: string[] = [];
    const code = await main(['train', path.join(pristineExamples(), 'sine-early-stop.mlp.json'), '--every', '1000000'], { json: (v) => void out.push(v as Record<string, number>), info: (t) => info.push(t), stderrIsTTY: false, stdoutIsTTY: true, cwd: process.cwd() });
    assert.equal(code, 0);
    const stop = out[out.length - 1] as unknown as { epoch: number; bestEpoch: number; bestValLoss: number; message: string };
    assert.equal(info.length, 2);
    const p4 = (x: number) => x.toPrecision(4).replace('.', '\\.');
    // The figures are the best epoch's: its validation loss is the stop's bestValLoss.
    assert.match(info[0], new RegExp(`^trained ${stop.epoch} of 3000 epochs: loss [0-9.]+, R² [0-9.]+, RMSE [0-9.]+, MAE [0-9.]+, validation R² [0-9.]+, RMSE ${p4(Math.sqrt(stop.bestValLoss))}, MAE [0-9.]+ \\(weights of epoch ${stop.bestEpoch}\\), [0-9.]+ s, [0-9,]+ samples/s \\(float32: (relaxed-simd|simd|js) kernels, 1 thread\\)$`));
    assert.equal(info[1], stop.message);
  });

  it('ends the run log with a line that reads back', () => {
    const w = new EarlyStoppingWatch();
    [3, 2, 2.5].forEach((l, k) => w.observe({ patience: 1 }, k + 1, l));
    const stop = w.stop({ patience: 1 }, 3, true);
    const log = parseRunLog(`{"format":"mlp-inspector-run","version":1,"model":"m","started":"2026-01-01T00:00:00.000Z","hyperparameters":{}}\n{"epoch":1,"loss":1,"seconds":0}\n${runEarlyStopLine(stop)}\n`);
    assert.deepEqual(log.problems, []);
    assert.equal(log.epochs.length, 1);
    assert.deepEqual(log.earlyStop, stop);
  });
});
