// Engineered input features (data.engineered): the syntax, the widened rows checked against the
// raw columns by hand (x², x1·x2, sin x before normalization), the located errors, the CLI's raw
// inputs widened the same way (a hand-worked forward pass), and the circles example: with
// x1² and x2² a network without a hidden layer separates a disc from a ring, without them the
// same network cannot.
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parseEngineeredFeature, engineeredChoices } from '../../src/data/engineeredFeatures';
import { loadData } from '../../src/data/loadData';
import { createNodeFileAccess } from '../../src/data/nodeFileAccess';
import { generateSynthetic } from '../../src/data/synthetic';
import { parseModelText, type ModelFile } from '../../src/model/modelFile';
import { checkViewMessage } from '../../src/host/webviewMessages';
import { Trainer } from '../../src/training/Trainer';
import { pristineExamples } from '../pristineExamples';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const load = (spec: Record<string, unknown>) => loadData(spec, { baseDir: ROOT, files: createNodeFileAccess() });

describe('engineered input features (data.engineered)', () => {
  it('reads squares, products and sines of named columns, and says what else to write', () => {
    assert.deepEqual(parseEngineeredFeature(' x1^2 '), { name: 'x1^2', kind: 'square', columns: ['x1'] });
    assert.deepEqual(parseEngineeredFeature('x1 * x2'), { name: 'x1 * x2', kind: 'product', columns: ['x1', 'x2'] });
    assert.deepEqual(parseEngineeredFeature('sin( bill length )'), { name: 'sin( bill length )', kind: 'sin', columns: ['bill length'] });
    assert.equal(parseEngineeredFeature('cos(x1)'), '"cos(x1)" is not an engineered feature; write "NAME^2", "NAME*OTHER" or "sin(NAME)", NAME being an input column');
    assert.equal(typeof parseEngineeredFeature('x1^3'), 'string');
    assert.deepEqual(engineeredChoices(['a', 'b', 'c']), { squares: ['a^2', 'b^2', 'c^2'], products: ['a*b', 'a*c', 'b*c'], sines: ['sin(a)', 'sin(b)', 'sin(c)'] });
  });

  it('appends the features to every row, computed from the raw inputs before normalization', async () => {
    const spec = { synthetic: 'circles', samples: 40, noise: 0.05, seed: 3, engineered: ['x1^2', 'x1*x2', 'sin(x2)'], normalize: 'none', validationSplit: 0.25 };
    const data = await load(spec);
    assert.deepEqual(data.inputNames, ['x1', 'x2', 'x1^2', 'x1*x2', 'sin(x2)']);
    assert.equal(data.nIn, 5);
    for (const split of [data.train, data.validation!]) {
      for (let r = 0; r < split.rows; r++) {
        const [x1, x2, sq, prod, sine] = split.x.subarray(r * 5, r * 5 + 5);
        assert.equal(sq, x1 * x1);
        assert.equal(prod, x1 * x2);
        assert.equal(sine, Math.sin(x2));
      }
    }
    // Normalized: the features are fitted like any input, on the raw squares' training statistics.
    const standard = await load({ ...spec, normalize: 'standard' });
    assert.equal(standard.normalization.method, 'standard');
    const raw = data.train.x;
    const rows = data.train.rows;
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += raw[r * 5 + 2] / rows;
    assert.ok(Math.abs((standard.normalization as { mean: number[] }).mean[2] - mean) < 1e-12);
  });

  it('locates a bad entry in the model file, and a column the data lacks when it loads', async () => {
    const text = '{\n  "layers": [{"units": 4}, {"units": 2, "activation": "softmax"}],\n  "loss": "cross_entropy",\n  "data": {"synthetic": "circles", "features": ["x1", "x2"],\n    "engineered": ["x1^2", "cos(x2)", "x3*x1", "x1^2"]}\n}';
    const problems = parseModelText(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    assert.deepEqual(problems, [
      '5:28 data.engineered[1]: "cos(x2)" is not an engineered feature; write "NAME^2", "NAME*OTHER" or "sin(NAME)", NAME being an input column',
      '5:39 data.engineered[2]: "x3" is not one of "features" ("x1", "x2")',
      '5:48 data.engineered[3]: "x1^2" is listed twice',
    ]);
    await assert.rejects(load({ synthetic: 'circles', samples: 10, engineered: ['sin(x9)'] }), /"data.engineered": "sin\(x9\)" uses "x9", which is not a numeric input column; the inputs are "x1", "x2"/);
  });

  it('the sidebar\'s edit is checked in the host, with the reason', () => {
    const reason = (engineered: unknown) => {
      const r = checkViewMessage({ type: 'setEngineered', engineered });
      return r.ok ? undefined : r.reason;
    };
    assert.equal(reason(['x1^2', 'x1*x2', 'sin(x2)']), undefined);
    assert.equal(reason([]), undefined, 'none: back to the raw inputs');
    assert.equal(reason('x1^2'), 'setEngineered needs an array of at most 1000 features');
    assert.equal(reason(['x1^2', 7]), 'each engineered feature must be a string of at most 200 characters');
    assert.equal(reason(['exp(x1)']), '"exp(x1)" is not an engineered feature; write "NAME^2", "NAME*OTHER" or "sin(NAME)", NAME being an input column');
    assert.equal(reason(['x1^2', ' x1^2']), '"x1^2" is listed twice');
  });

  it('the CLI takes raw inputs and widens them as loading did: forward by hand', () => {
    // a[0] = (x1, x2, x1·x2) = (2, 5, 10); z = 0.5 + 1·2 + 2·5 + 3·10 = 42.5.
    const dir = mkdtempSync(path.join(tmpdir(), 'mlp-engineered-'));
    const model = {
      layers: [{ units: 3 }, { units: 1, activation: 'identity' }],
      loss: 'mse',
      data: { synthetic: 'plane', features: ['x1', 'x2'], engineered: ['x1*x2'], normalize: 'none' },
      parameters: [{ W: [[1], [2], [3]], b: [0.5] }],
    };
    writeFileSync(path.join(dir, 'm.mlp.json'), JSON.stringify(model));
    const out = JSON.parse(execFileSync(process.execPath, [CLI, 'forward', path.join(dir, 'm.mlp.json'), '--input', '2,5'], { encoding: 'utf8' }));
    assert.deepEqual(out.engineeredInput, [2, 5, 10]);
    assert.deepEqual(out.output, [42.5]);
    const wrong = spawnSync(process.execPath, [CLI, 'forward', path.join(dir, 'm.mlp.json'), '--input', '2,5,10'], { encoding: 'utf8' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /--input has 3 values, but the model takes 2 raw inputs \(the input layer's 3 units less the 1 engineered from them\)/);
  });

  it('a trained and saved model remembers its features: the CLI widens and normalizes a raw input as training did', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlp-engineered-'));
    const trained = path.join(dir, 't.mlp.json');
    execFileSync(process.execPath, [CLI, 'train', path.join(pristineExamples(), 'circles-features.mlp.json'), '--epochs', '5', '--out', trained], { encoding: 'utf8' });
    const saved = JSON.parse(readFileSync(trained, 'utf8'));
    assert.deepEqual(saved.data.engineered, ['x1^2', 'x2^2']);
    const out = JSON.parse(execFileSync(process.execPath, [CLI, 'forward', trained, '--input', '0.3,-0.4'], { encoding: 'utf8' }));
    assert.deepEqual(out.engineeredInput, [0.3, -0.4, 0.3 * 0.3, 0.4 * 0.4]);
    const { mean, std } = saved.normalization;
    assert.deepEqual(out.normalizedInput, out.engineeredInput.map((v: number, k: number) => (v - mean[k]) / std[k]));
  });

  it('circles: with x1² and x2², a network without a hidden layer separates the disc from the ring; without them it cannot', async () => {
    const model = JSON.parse(readFileSync(path.join(pristineExamples(), 'circles-features.mlp.json'), 'utf8')) as ModelFile;
    const accuracy = async (m: ModelFile) => {
      const data = await load(m.data as Record<string, unknown>);
      const t = new Trainer(m, data, 'float32');
      let last;
      while (t.epoch < 150) {
        const o = t.runBatch();
        if (o.kind === 'epoch') last = o.record;
      }
      return last!.valAccuracy!;
    };
    const withFeatures = await accuracy(model);
    const { engineered: _dropped, ...plainData } = model.data!;
    const without = await accuracy({ ...model, layers: [{ units: 2 }, model.layers[1]], data: plainData });
    assert.ok(withFeatures >= 0.97, `with x1², x2²: ${withFeatures}`);
    // A line through a disc inside a ring classifies at best the disc's side of it right: far from all.
    assert.ok(without <= 0.8, `without: ${without}`);
    assert.equal(generateSynthetic('circles', { samples: 4 }).header.join(','), 'x1,x2,class');
  });
});
