/**
 * The architecture sweep on XOR: configurations, reproducibility, cancellation, agreement with
 * training the same model directly, the best configuration, and the sweep file.
 */
import { pristineExamples } from '../pristineExamples';
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import {
  bestConfig,
  configKey,
  matchResults,
  modelForConfig,
  parseSweep,
  runSweep,
  serializeSweep,
  sweepConfigs,
  sweepResults,
  SweepFileError,
  type SweepData,
  type SweepResult,
} from '../../src/analysis/sweep';
import { createOptimizer } from '../../src/engine/optimizers';
import { Random } from '../../src/engine/random';
import { evaluate, trainEpoch } from '../../src/engine/training';
import { parseModelFile } from '../../src/model/modelFile';
import { networkFromModel } from '../../src/model/modelNetwork';

const EXAMPLES = pristineExamples();
/** 2 inputs, 4 tanh, 1 sigmoid, sse, sgd η 0.5, batch 4, shuffled, seed 1. */
const base = parseModelFile(readFileSync(path.join(EXAMPLES, 'xor-learn.mlp.json'), 'utf8'), 'xor-learn.mlp.json');

const XOR: SweepData = {
  task: 'classification',
  nIn: 2,
  nOut: 1,
  train: { x: new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]), y: new Float64Array([0, 1, 1, 0]), rows: 4 },
  validation: { x: new Float64Array([0.1, 0.05, -0.05, 0.9, 0.95, 0.1, 1.05, 0.9]), y: new Float64Array([0, 1, 1, 0]), rows: 4 },
};
const SPEC = { depths: [1, 2], widths: [2, 4], epochs: 300 };
const noYield = { yieldControl: async () => undefined, yieldEveryMs: Infinity };
const withoutTime = (r: SweepResult) => ({ ...r, seconds: 0 });

describe('analysis: architecture sweep', () => {
  it('enumerates depth × width (× activation × η), depth 0 once, with the base model’s defaults', () => {
    const configs = sweepConfigs(base, SPEC);
    assert.deepEqual(
      configs.map((c) => [c.depth, c.width, c.activation, c.learningRate]),
      [[1, 2, 'tanh', 0.5], [1, 4, 'tanh', 0.5], [2, 2, 'tanh', 0.5], [2, 4, 'tanh', 0.5]],
    );
    assert.equal(sweepConfigs(base, { depths: [0, 1], widths: [2, 4], epochs: 1 }).length, 3);
    assert.equal(sweepConfigs(base, { depths: [1], widths: [3], activations: ['relu', 'tanh'], learningRates: [0.1, 1], epochs: 1 }).length, 4);
    assert.throws(() => sweepConfigs(base, { depths: [1], widths: [0], epochs: 1 }), /widths must be whole numbers from 1/);
  });

  it('2 depths × 2 widths on XOR: 4 results, the same twice over', async () => {
    const a = await runSweep(base, XOR, SPEC, noYield);
    const b = await runSweep(base, XOR, SPEC, noYield);
    assert.equal(a.results.length, 4);
    assert.equal(a.cancelled, false);
    assert.deepEqual(a.results.map(withoutTime), b.results.map(withoutTime));
    for (const r of a.results) {
      assert.ok(Number.isFinite(r.finalLoss) && r.finalValLoss !== undefined && r.accuracy !== undefined && r.valAccuracy !== undefined);
      assert.ok(r.seconds >= 0);
    }
    // Σ (n_{l−1} + 1) n_l: 2-2-1 = 9, 2-4-1 = 17, 2-2-2-1 = 15, 2-4-4-1 = 37
    assert.deepEqual(a.results.map((r) => r.parameters), [9, 17, 15, 37]);
  });

  it('each configuration trains exactly like its own model trained with the engine directly', async () => {
    const results: SweepResult[] = [];
    for await (const r of sweepResults(base, XOR, SPEC, noYield)) results.push(r);
    const config = results[1].config; // 1 × 4 tanh: the base model's own architecture
    const model = modelForConfig(base, config, 1, SPEC.epochs);
    assert.deepEqual(model.layers, base.layers);
    // The CLI's loop, written out here.
    const net = networkFromModel(base);
    const optimizer = createOptimizer(base.optimizer);
    const rng = new Random(1 + 0x5eed);
    const train = { x: { rows: 4, cols: 2, data: XOR.train.x }, y: { rows: 4, cols: 1, data: XOR.train.y } };
    for (let e = 0; e < SPEC.epochs; e++) trainEpoch(net, optimizer, train, { batchSize: 4, shuffle: true, rng });
    assert.equal(results[1].finalLoss, evaluate(net, train, true).loss);
  });

  it('cancels mid-configuration, keeping only the finished ones, and yields control between epochs', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    let yields = 0;
    const run = await runSweep(base, XOR, SPEC, {
      signal: abort.signal,
      yieldEveryMs: 0,
      yieldControl: async () => {
        yields++;
      },
      onProgress: (p) => {
        seen.push(p.index);
        if (p.index === 2 && p.epoch === 10) abort.abort();
      },
    });
    assert.equal(run.cancelled, true);
    assert.equal(run.results.length, 2);
    assert.equal(seen.length, 2 * 300 + 10);
    assert.ok(yields >= 600);
    // Already cancelled before it starts: nothing runs.
    const none = await runSweep(base, XOR, SPEC, { signal: { aborted: true } });
    assert.deepEqual([none.results.length, none.cancelled], [0, true]);
  });

  it('bestConfig: lowest validation loss; diverged runs last; ties to the smaller network', () => {
    const r = (valLoss: number | undefined, loss: number, parameters: number): SweepResult => ({
      config: { depth: 1, width: parameters, activation: 'relu', learningRate: 0.1 },
      parameters,
      epochs: 1,
      finalLoss: loss,
      ...(valLoss !== undefined ? { finalValLoss: valLoss } : {}),
      seconds: 0,
      diverged: !Number.isFinite(loss),
    });
    assert.equal(bestConfig([r(0.3, 0.1, 5), r(0.2, 0.4, 9), r(NaN, NaN, 1)])?.parameters, 9);
    assert.equal(bestConfig([r(0.2, 0.1, 9), r(0.2, 0.4, 5)])?.parameters, 5);
    assert.equal(bestConfig([r(undefined, 0.5, 1), r(undefined, 0.25, 2)])?.parameters, 2);
    assert.equal(bestConfig([r(undefined, NaN, 1)]), undefined);
    assert.equal(bestConfig([]), undefined);
  });

  it('the best XOR configuration is the one with the lowest validation loss', async () => {
    const run = await runSweep(base, XOR, SPEC, noYield);
    const min = Math.min(...run.results.map((x) => x.finalValLoss!));
    assert.equal(bestConfig(run.results)?.finalValLoss, min);
  });
});

describe('analysis: sweep file', () => {
  const sample = async () => runSweep(base, XOR, { depths: [1], widths: [2, 3], epochs: 5 }, { ...noYield, started: new Date('2025-01-31T09:15:00Z'), source: 'xor.csv' });

  it('round-trips, with a non-finite loss written as null and read back as NaN', async () => {
    const run = await sample();
    const broken = { ...run, results: [...run.results, { ...run.results[0], finalLoss: NaN, diverged: true }] };
    const text = serializeSweep(broken);
    assert.match(text, /"finalLoss":null/);
    const back = parseSweep(text);
    assert.deepEqual(back.results.slice(0, 2), run.results);
    assert.ok(Number.isNaN(back.results[2].finalLoss));
    assert.equal(back.started, '2025-01-31T09:15:00.000Z');
    assert.deepEqual(back.data, { task: 'classification', trainRows: 4, validationRows: 4, source: 'xor.csv' });
    assert.equal(back.base.parameters, undefined);
    assert.deepEqual(back.spec, { depths: [1], widths: [2, 3], activations: ['tanh'], learningRates: [0.5], epochs: 5, seed: 1 });
  });

  it('malformed files say what is wrong and where', async () => {
    const text = serializeSweep(await sample());
    const err = (t: string) => {
      try {
        parseSweep(t);
      } catch (e) {
        assert.ok(e instanceof SweepFileError);
        return e;
      }
      assert.fail('expected a SweepFileError');
    };
    // A result on its own line: the error names that line and the field.
    const lines = text.split('\n');
    const k = lines.findIndex((l) => l.includes('"width":3'));
    lines[k] = lines[k].replace(/"finalLoss":[^,]+/, '"finalLoss":"low"');
    const bad = err(lines.join('\n'));
    assert.equal(bad.line, k + 1);
    assert.match(bad.message, /results\[1\]\.finalLoss: must be a number or null, got "low"/);

    assert.match(err(text.slice(0, 40)).message, /invalid JSON/);
    assert.match(err('').message, /empty/);
    assert.match(err('{"format": "something-else"}').message, /format: must be "mlp-inspector-sweep"/);
    assert.match(err(text.replace('"version": 1', '"version": 7')).message, /version 7 was written by a newer MLP Inspector/);
    assert.match(err(text.replace(/"depths": \[\s*1\s*\]/, '"depths": [-1]')).message, /spec\.depths\[0\]: must be a whole number ≥ 0, got -1/);
    assert.match(err(text.replace('"cancelled": false', '"cancelled": "no"')).message, /cancelled: must be true or false/);
  });
});

describe('analysis: comparing two sweeps configuration by configuration', () => {
  const result = (depth: number, width: number, activation: 'tanh' | 'relu', learningRate: number, finalLoss: number): SweepResult => ({
    config: { depth, width, activation, learningRate },
    parameters: 0,
    epochs: 10,
    finalLoss,
    seconds: 0.01,
    diverged: false,
  });

  it('pairs each configuration with the same depth, width, σ and η of the earlier sweep, null where it was not trained', () => {
    const earlier = [result(1, 2, 'tanh', 0.5, 0.2), result(1, 4, 'tanh', 0.5, 0.1), result(2, 2, 'relu', 0.5, 0.3), result(0, 0, 'tanh', 0.5, 0.25)];
    const current = [result(1, 4, 'tanh', 0.5, 0.09), result(1, 4, 'tanh', 0.1, 0.4), result(2, 2, 'tanh', 0.5, 0.05), result(1, 2, 'tanh', 0.5, 0.19), result(0, 0, 'relu', 0.5, 0.26)];
    const matched = matchResults(current, earlier);
    assert.deepEqual(
      matched.map((r) => r?.finalLoss ?? null),
      // 1×4 tanh η 0.5 · η 0.1 not swept before · σ differs · 1×2 tanh · no hidden layer: σ does not matter
      [0.1, null, null, 0.2, 0.25],
    );
  });

  it('keys a network without hidden layers by η alone', () => {
    assert.equal(configKey({ depth: 0, width: 0, activation: 'tanh', learningRate: 0.5 }), configKey({ depth: 0, width: 3, activation: 'relu', learningRate: 0.5 }));
    assert.notEqual(configKey({ depth: 1, width: 3, activation: 'tanh', learningRate: 0.5 }), configKey({ depth: 1, width: 3, activation: 'relu', learningRate: 0.5 }));
  });
});
