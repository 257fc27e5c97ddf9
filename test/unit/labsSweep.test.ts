/**
 * The sweep lab's pure parts: the form's parsers, the host's check of a request, the labs'
 * message check, the file names, and the runner (in the host and in the worker) against
 * runSweep called directly.
 */
import { pristineExamples } from '../pristineExamples';
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { runSweep, sweepConfigs, type SweepData, type SweepResult } from '../../src/analysis/sweep';
import { parseModelFile } from '../../src/model/modelFile';
import { checkLabMessage } from '../../src/host/labMessages';
import { archivedSweepName, bestModelFileFor, describeConfig, modelFileFor, sweepArchiveFor, sweepFileFor } from '../../src/labs/sweepFiles';
import { configCount, parseRateList, parseWholeList } from '../../src/labs/sweepRequest';
import { checkSweepRequest } from '../../src/host/labMessages';
import { startSweep, type RunningSweep } from '../../src/labs/SweepRunner';

const EXAMPLES = pristineExamples();
const base = parseModelFile(readFileSync(path.join(EXAMPLES, 'xor-learn.mlp.json'), 'utf8'), 'xor-learn.mlp.json');
const XOR: SweepData = { task: 'classification', nIn: 2, nOut: 1, train: { x: new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]), y: new Float64Array([0, 1, 1, 0]), rows: 4 } };
/** The compiled worker, beside this test in out/. */
const WORKER = path.join(__dirname, '..', '..', 'src', 'labs', 'sweepWorker.js');
const withoutTime = (r: SweepResult) => ({ ...r, seconds: 0 });
const noListener = { onProgress: () => undefined, onResult: () => undefined };

/** A checker's reason for refusing, or '(accepted)'. */
const refusal = (c: { ok: true } | { ok: false; reason: string }): string => (c.ok ? '(accepted)' : c.reason);

describe('labs: sweep form and request', () => {
  it('reads lists and ranges of whole numbers as a person types them', () => {
    assert.deepEqual(parseWholeList('1..3, 5', 0, 8), { ok: true, values: [1, 2, 3, 5] });
    assert.deepEqual(parseWholeList('8 2 4 2', 1, 64), { ok: true, values: [2, 4, 8] });
    assert.deepEqual(parseWholeList('2-4', 1, 64), { ok: true, values: [2, 3, 4] });
    assert.equal(parseWholeList('', 0, 8).ok, false);
    assert.equal(parseWholeList('3..1', 0, 8).ok, false);
    assert.equal(parseWholeList('1.5', 0, 8).ok, false);
    assert.equal(parseWholeList('0..9', 0, 8).ok, false);
    assert.match((parseWholeList('x', 0, 8) as { error: string }).error, /"x" is not a whole number/);
  });

  it('reads learning rates, refusing 0, negatives and words', () => {
    assert.deepEqual(parseRateList('0.1, 0.5 1e-3 0.1'), { ok: true, values: [0.1, 0.5, 0.001] });
    for (const bad of ['0', '-0.1', 'fast', '']) assert.equal(parseRateList(bad).ok, false, bad);
  });

  it('counts configurations as sweepConfigs makes them (depth 0 once per η)', () => {
    const cases = [
      { depths: [1, 2], widths: [2, 3, 4], activations: ['tanh' as const], learningRates: [0.5] },
      { depths: [0, 1, 3], widths: [2, 8], activations: ['relu' as const, 'tanh' as const], learningRates: [0.1, 1] },
      { depths: [0], widths: [4], activations: ['relu' as const, 'gelu' as const], learningRates: [0.1] },
    ];
    for (const c of cases) assert.equal(configCount(c), sweepConfigs(base, { ...c, epochs: 1 }).length, JSON.stringify(c));
  });

  it('checks a request from the webview: ranges, activations, limits', () => {
    const good = { depths: [1, 2], widths: [2, 4], activations: ['tanh'], learningRates: [0.5], epochs: 300 };
    assert.deepEqual(checkSweepRequest(good), good);
    assert.match(checkSweepRequest({ ...good, depths: [1.5] }) as string, /depths must be whole numbers/);
    assert.match(checkSweepRequest({ ...good, widths: [] }) as string, /widths must be a list/);
    assert.match(checkSweepRequest({ ...good, activations: ['softmax'] }) as string, /not a hidden activation/);
    assert.match(checkSweepRequest({ ...good, learningRates: [Infinity] }) as string, /a learning rate must be a number > 0, got Infinity/);
    assert.match(checkSweepRequest({ ...good, epochs: 0 }) as string, /epochs/);
    assert.match(checkSweepRequest({ ...good, depths: [1, 2, 3, 4, 5, 6, 7, 8], widths: Array.from({ length: 30 }, (_, i) => i + 1) }) as string, /240 configurations is more than 200/);
    assert.equal(typeof checkSweepRequest(null), 'string');
  });

  it('accepts only each lab’s own messages', () => {
    assert.deepEqual(checkLabMessage({ type: 'ready' }, 'initialization'), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(checkLabMessage({ type: 'showCollapse' }, 'activations'), { ok: true, message: { type: 'showCollapse' } });
    assert.match(refusal(checkLabMessage({ type: 'showCollapse' }, 'sweep')), /the sweep lab does not send "showCollapse"/);
    assert.match(refusal(checkLabMessage({ type: 'runSweep', request: { depths: [1] } }, 'sweep')), /widths must be a list/);
    assert.equal(checkLabMessage({ type: 'runSweep', request: { depths: [1], widths: [2], activations: ['relu'], learningRates: [0.1], epochs: 5 } }, 'sweep').ok, true);
    assert.match(refusal(checkLabMessage({ type: 'openBest' }, 'activations')), /the activations lab does not send "openBest"/);
    for (const bad of [null, 'ready', [], { type: 3 }]) assert.match(refusal(checkLabMessage(bad, 'sweep')), /not an object with a "type"/, JSON.stringify(bad));
    assert.match(refusal(checkLabMessage({ type: 'nope' }, 'sweep')), /the sweep lab does not send "nope"/);
  });

  it('takes compareSweep with the file name of a kept sweep or null, never a path', () => {
    assert.deepEqual(checkLabMessage({ type: 'compareSweep', id: '2026-11-26T01-45-39-000Z.sweep.json' }, 'sweep'), { ok: true, message: { type: 'compareSweep', id: '2026-11-26T01-45-39-000Z.sweep.json' } });
    assert.deepEqual(checkLabMessage({ type: 'compareSweep', id: null }, 'sweep'), { ok: true, message: { type: 'compareSweep', id: null } });
    for (const id of ['../xor-learn.sweep.json', '/etc/passwd', 'a/b.sweep.json', 'x.json', 3, undefined, 'a'.repeat(300) + '.sweep.json']) {
      assert.match(refusal(checkLabMessage({ type: 'compareSweep', id }, 'sweep')), /compareSweep needs the file name of an earlier sweep, or null/, String(id));
    }
    assert.match(refusal(checkLabMessage({ type: 'compareSweep', id: null }, 'activations')), /the activations lab does not send "compareSweep"/);
  });

  it('names the files beside the model and never overwrites an earlier best', () => {
    assert.equal(sweepFileFor('/w/xor-learn.mlp.json'), '/w/xor-learn.sweep.json');
    assert.equal(sweepArchiveFor('/w/xor-learn.mlp.json'), '/w/xor-learn.sweeps');
    assert.equal(archivedSweepName('2026-11-26T01:45:39.123Z'), '2026-11-26T01-45-39.123Z.sweep.json');
    assert.equal(modelFileFor('/w/xor-learn.sweep.json'), '/w/xor-learn.mlp.json');
    const taken = new Set(['/w/xor-learn-best.mlp.json', '/w/xor-learn-best-2.mlp.json']);
    assert.equal(bestModelFileFor('/w/xor-learn.mlp.json', (f) => taken.has(f)), '/w/xor-learn-best-3.mlp.json');
    assert.equal(bestModelFileFor('/w/a.mlp.json', () => false), '/w/a-best.mlp.json');
    assert.equal(describeConfig({ depth: 2, width: 4, activation: 'tanh', learningRate: 0.5 }), '2×4 tanh, η 0.5');
    assert.equal(describeConfig({ depth: 0, width: 0, activation: 'tanh', learningRate: 0.5 }), 'no hidden layer, η 0.5');
  });
});

describe('labs: sweep runner', () => {
  const spec = { depths: [1, 2], widths: [2, 3], epochs: 200, seed: 1 };

  it('in the host and in the worker gives runSweep’s own results', async function () {
    this.timeout(30_000);
    const direct = await runSweep(base, XOR, spec, { yieldControl: async () => undefined, yieldEveryMs: Infinity });
    const seen: number[] = [];
    const host = startSweep(undefined, base, XOR, spec, { onProgress: () => undefined, onResult: (_r, i) => seen.push(i) });
    const worker = startSweep(WORKER, base, XOR, spec, noListener);
    assert.equal(host.ranIn, 'host');
    assert.equal(worker.ranIn, 'worker');
    const [h, w] = await Promise.all([host.done, worker.done]);
    assert.deepEqual(seen, [0, 1, 2, 3]);
    for (const f of [h, w]) {
      assert.equal(f.cancelled, false);
      assert.deepEqual(f.results.map(withoutTime), direct.results.map(withoutTime));
    }
  });

  for (const where of ['host', 'worker'] as const) {
    it(`cancels in the ${where}: the finished configurations come back, marked cancelled`, async function () {
      this.timeout(30_000);
      const long = { depths: [1, 2, 3], widths: [8, 16], epochs: 20_000, seed: 1 };
      const run: RunningSweep = startSweep(where === 'worker' ? WORKER : undefined, base, XOR, long, {
        onProgress: () => undefined,
        onResult: () => run.cancel(), // stop once the first configuration is done
      });
      const file = await run.done;
      assert.equal(file.cancelled, true);
      assert.ok(file.results.length >= 1 && file.results.length < 6, `${file.results.length} results`);
    });
  }
});
