/**
 * The activation and initialization labs' views, against hand-worked values: the lecture's XOR
 * network multiplied out by hand, and the symmetry that zero initialization never breaks.
 */
import { pristineExamples } from '../pristineExamples';
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { gelu, elu } from '../../src/engine/activations';
import { parseModelFile } from '../../src/model/modelFile';
import { collapseView } from '../../src/analysis/collapseView';
import { DEFAULT_INIT_LAB_LAYERS, initLabView } from '../../src/analysis/initLabView';

const EXAMPLES = pristineExamples();
const load = (name: string) => parseModelFile(readFileSync(path.join(EXAMPLES, name), 'utf8'), name);

describe('labs: why linear activations collapse', () => {
  it('multiplies out the lecture’s XOR network by hand: W = W[1]W[2] = 0, b = 390', () => {
    // W[1] = [[20, 20], [20, 20]], b[1] = (−30, −10); W[2] = [[−20], [20]], b[2] = (−10).
    // W = W[1]W[2] = [[20·(−20) + 20·20], [20·(−20) + 20·20]] = [[0], [0]]
    // b = b[1]W[2] + b[2] = (−30)(−20) + (−10)(20) − 10 = 390: the linearized XOR net is a constant.
    const xorData = { rows: 4, x: new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]) };
    const v = collapseView(load('xor.mlp.json'), 'xor.mlp.json', xorData);
    assert.deepEqual(Array.from(v.W.data), [0, 0]);
    assert.deepEqual([v.W.rows, v.W.cols], [2, 1]);
    assert.deepEqual(Array.from(v.b), [390]);
    assert.equal(v.rank, 0);
    assert.equal(v.bottleneck, 1);
    assert.deepEqual(v.nonLinearLayers, [1, 2]);
    assert.deepEqual(v.layers.map((l) => l.activation), ['sigmoid', 'sigmoid']);
    assert.equal(v.check.inputs, 4);
    assert.equal(v.check.inputSource, 'the 4 training rows');
    assert.equal(v.check.equal, true);
  });

  it('without data, checks on random inputs; the product still matches a by-hand multiplication', () => {
    const model = load('xor-learn.mlp.json');
    const v = collapseView(model, 'xor-learn.mlp.json');
    assert.equal(v.check.inputs, 64);
    assert.equal(v.check.equal, true);
    const [W1, W2] = v.layers.map((l) => l.W);
    for (let i = 0; i < 2; i++) {
      let expected = 0;
      for (let t = 0; t < 4; t++) expected += W1.data[i * 4 + t] * W2.data[t];
      assert.ok(Math.abs(v.W.data[i] - expected) < 1e-14);
    }
  });
});

describe('labs: initialization', () => {
  it('on xor-learn: one row per layer and initializer, zeros symmetric and the random init not', () => {
    const model = load('xor-learn.mlp.json');
    const data = { x: new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]), y: new Float64Array([0, 1, 1, 0]), rows: 4 };
    const v = initLabView({ layers: model.layers, source: { kind: 'model', name: 'xor-learn', fileName: 'xor-learn.mlp.json' }, loss: model.loss, optimizer: model.optimizer, randomInit: model.init?.weights, data });
    assert.deepEqual(v.results.map((r) => r.initializer), ['zeros', 'uniform', 'normal', 'xavier', 'he']);
    for (const r of v.results) assert.deepEqual(r.layers.map((s) => [s.l, s.units, s.activation]), [[1, 4, 'tanh'], [2, 1, 'sigmoid']]);
    const zeros = v.results[0].layers[0];
    assert.equal(zeros.symmetric, true);
    // tanh(0) = 0 for every unit and sample: mean and variance exactly 0.
    assert.deepEqual([zeros.a.mean, zeros.a.variance], [0, 0]);
    for (const r of v.results.slice(1)) assert.equal(r.layers[0].symmetric, false, r.initializer);
    // After 100 steps from zero, every hidden unit is still a copy of the others; from Xavier they are not.
    assert.equal(v.symmetry.zeros.maxUnitDifference, 0);
    assert.equal(v.symmetry.zeros.maxColumnDifference, 0);
    assert.equal(v.symmetry.random.initializer, 'xavier');
    assert.ok(v.symmetry.random.maxUnitDifference > 0.01);
    assert.equal(v.symmetry.data, "the model's 4 training rows");
    assert.deepEqual([v.symmetry.zeros.a1.rows, v.symmetry.zeros.a1.cols], [4, 4]);
  });

  it('on the default 2-16-16-16-1 ReLU network, He keeps Var(a[l]) level while Xavier lets it shrink', () => {
    const v = initLabView({ layers: DEFAULT_INIT_LAB_LAYERS, source: { kind: 'default' } });
    const varA = (name: string) => v.results.find((r) => r.initializer === name)!.layers.slice(0, 3).map((s) => s.a.variance);
    const he = varA('he');
    const xavier = varA('xavier');
    // He: Var(z[l]) = 2/n · n · E[a²] keeps E[a²] constant, so layer 3 is within a factor 2 of layer 1.
    assert.ok(he[2] / he[0] > 0.5 && he[2] / he[0] < 2, `He ${he}`);
    // Xavier uniform on ReLU: Var(W) = 2/(n_in + n_out) = 1/16 per 16-wide layer, half of He's 2/16: the signal halves a layer.
    assert.ok(xavier[2] / xavier[0] < 0.5, `Xavier ${xavier}`);
    assert.equal(v.symmetry.data.startsWith('64 inputs drawn from N(0, 1)'), true);
  });
});

describe('labs: the activation plots use the engine’s f and f′', () => {
  it('ELU with α and GELU agree with their closed forms and with finite differences', () => {
    const e = elu(2);
    assert.equal(e.f(-1), 2 * (Math.exp(-1) - 1));
    for (const act of [e, gelu]) {
      for (const z of [-2.3, -0.4, 0.7, 3.1]) {
        const h = 1e-6;
        assert.ok(Math.abs((act.f(z + h) - act.f(z - h)) / (2 * h) - act.df(z)) < 1e-7, `${act.name} at ${z}`);
      }
    }
  });
});
