// The panel's figures come from the worker (issue #20): the decision map and neuron maps, the
// truth table, σ′(z) in the stepping view, the map's axes; and the activation lab's curves from
// the host. Each value is checked against a forward pass written out here by hand from the
// parameters read back with getParameters, or against the activations' closed forms.
import { strict as assert } from 'assert';
import * as path from 'node:path';
import { TrainingSession } from '../../src/training/TrainingSession';
import { activationCurves, CURVE_Z, softmaxFigure } from '../../src/analysis/activationCurves';
import type { ModelFile } from '../../src/model/modelFile';
import type { TrainingData } from '../../src/training/workerProtocol';
import { checkLabMessage } from '../../src/host/labMessages';
import { checkViewMessage } from '../../src/host/webviewMessages';

const WORKER = path.resolve(__dirname, '../../src/training/trainingWorker.js');

const XOR: TrainingData = {
  task: 'regression',
  inputNames: ['x1', 'x2'],
  outputNames: ['y'],
  nIn: 2,
  nOut: 1,
  train: { x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), y: Float64Array.from([0, 1, 1, 0]), rows: 4 },
};

const LESSON: ModelFile = {
  lesson: { title: 'XOR', goal: 'solve it' },
  layers: [{ units: 2 }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'sse',
  init: { weights: 'xavier', seed: 5 },
  optimizer: { type: 'sgd', learningRate: 0.5, batchSize: 4, epochs: 5 },
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('figures computed in the worker', () => {
  const sessions: TrainingSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()));
  });
  async function open(model: ModelFile, data: TrainingData): Promise<TrainingSession> {
    const s = new TrainingSession({ workerPath: WORKER, precision: 'float64' });
    sessions.push(s);
    await s.load(model, { ...data, train: { x: data.train.x.slice(), y: data.train.y.slice(), rows: data.train.rows } });
    return s;
  }

  it('draws the decision map, the hidden neurons’ maps and the truth table of the weights it holds', async () => {
    const s = await open(LESSON, XOR);
    await s.start(5);
    const snap = await s.waitFor((x) => x.state === 'stopped');
    const p = await s.getParameters();
    const [W1, W2] = p.layers.map((l) => l.W);
    const [b1, b2] = p.layers.map((l) => l.b);
    const hidden = (x1: number, x2: number) => [0, 1, 2].map((j) => Math.tanh(b1[j] + W1[0 * 3 + j] * x1 + W1[1 * 3 + j] * x2));
    const out = (x1: number, x2: number) => sigmoid(b2[0] + hidden(x1, x2).reduce((z, a, j) => z + W2[j] * a, 0));
    const f = snap.figures;
    assert.deepEqual([f.epoch, f.step], [snap.epoch, snap.step]);
    // The truth table: each row's ŷ, by hand.
    f.truthTable!.rows.forEach((r, k) => assert.ok(Math.abs(r.yhat[0] - out(XOR.train.x[2 * k], XOR.train.x[2 * k + 1])) < 1e-12, `row ${k}`));
    // The map: a binary decision (one sigmoid unit) over a 48 × 48 grid around [0, 1]².
    const plane = f.plane!;
    const { grid } = plane;
    assert.deepEqual([grid.nx, grid.ny, plane.rawInputs, plane.decision.kind], [48, 48, 2, 'binary']);
    assert.ok(grid.x1Min < 0 && grid.x1Max > 1 && grid.x2Min < 0 && grid.x2Max > 1);
    for (const [i, j] of [[0, 0], [17, 30], [47, 47]]) {
      const c = i * grid.nx + j;
      const x1 = grid.x1Min + ((j + 0.5) * (grid.x1Max - grid.x1Min)) / grid.nx;
      const x2 = grid.x2Min + ((i + 0.5) * (grid.x2Max - grid.x2Min)) / grid.ny;
      assert.ok(Math.abs(plane.decision.yhat[c] - out(x1, x2)) < 1e-12, `ŷ at cell ${i}, ${j}`);
      const h = hidden(x1, x2);
      const layer1 = plane.neurons.find((n) => n.l === 1)!;
      assert.deepEqual(layer1.units, [0, 1, 2]);
      for (let u = 0; u < 3; u++) assert.ok(Math.abs(layer1.values[u * 48 * 48 + c] - h[u]) < 1e-12, `a[1]_${u} at cell ${i}, ${j}`);
    }
    assert.equal(plane.neurons.length, 1, 'the output layer’s map is the decision map');
  });

  it('carries σ′(z[l]) in the stepping view: 1 − tanh² and σ(1 − σ) at the stepped z', async () => {
    const s = await open(LESSON, XOR);
    await s.stepSample({ kind: 'row', index: 2 });
    await s.step('forward');
    const { stepping } = await s.step('forward');
    const v = stepping!;
    assert.equal(v.dadz[0].length, 0);
    v.z[1].forEach((z, j) => assert.ok(Math.abs(v.dadz[1][j] - (1 - Math.tanh(z) ** 2)) < 1e-15, `tanh′ of unit ${j}`));
    assert.ok(Math.abs(v.dadz[2][0] - sigmoid(v.z[2][0]) * (1 - sigmoid(v.z[2][0]))) < 1e-15, 'sigmoid′');
  });

  it('maps a slice through the two inputs asked for, and refuses axes the model does not have', async () => {
    const rows = 30;
    const x = Float64Array.from({ length: rows * 3 }, (_, i) => Math.sin(i * 1.7));
    const y = Float64Array.from({ length: rows }, (_, r) => x[3 * r] * x[3 * r + 2]);
    const s = await open(
      { layers: [{ units: 3 }, { units: 4, activation: 'tanh' }, { units: 1 }], loss: 'mse', init: { weights: 'xavier', seed: 2 } },
      { task: 'regression', inputNames: ['a', 'b', 'c'], outputNames: ['y'], nIn: 3, nOut: 1, train: { x, y, rows } },
    );
    assert.deepEqual(s.snapshot!.figures.plane!.grid.slice!.axes, [0, 1]);
    await s.setMapAxes([2, 0]);
    const plane = s.snapshot!.figures.plane!;
    assert.deepEqual(plane.grid.slice!.axes, [2, 0]);
    // The input held fixed sits at its mean over the training rows.
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += x[3 * r + 1] / rows;
    assert.ok(Math.abs(plane.grid.slice!.base[1] - mean) < 1e-12);
    await assert.rejects(s.setMapAxes([0, 3]), /two different inputs from 0 to 2/);
    await assert.rejects(s.setMapAxes([1, 1]), /two different inputs/);
    assert.deepEqual(checkViewMessage({ type: 'mapAxes', axes: [0, -1] }).ok, false);
  });
});

describe('the activation lab’s figures, computed by the host', () => {
  it('f and f′ of each activation on z ∈ [−5, 5], against their closed forms; ELU with the α asked for', () => {
    const curves = activationCurves(0.5);
    assert.deepEqual(curves.map((c) => c.id), ['identity', 'relu', 'elu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu']);
    assert.equal(CURVE_Z.length, 201);
    const at = (id: string) => curves.find((c) => c.id === id)!;
    CURVE_Z.forEach((z, i) => {
      assert.ok(Math.abs(at('tanh').df[i] - (1 - Math.tanh(z) ** 2)) < 1e-15);
      assert.ok(Math.abs(at('sigmoid').f[i] - sigmoid(z)) < 1e-15);
      if (z < -1e-9) assert.ok(Math.abs(at('elu').f[i] - 0.5 * (Math.exp(z) - 1)) < 1e-15, `ELU(${z}) with α = 0.5`);
      if (z > 1e-9) assert.equal(at('relu').df[i], 1);
    });
    assert.match(at('elu').formula, /0\.5/);
  });

  it('softmax of a vector: e^z_k / Σ e^z_j', () => {
    const f = softmaxFigure([2, 1, 0.1]);
    const e = [2, 1, 0.1].map(Math.exp);
    const sum = e.reduce((a, b) => a + b);
    e.forEach((v, k) => assert.ok(Math.abs(f.a[k] - v / sum) < 1e-15));
  });

  it('the host checks what the lab asks before it computes', () => {
    assert.equal(checkLabMessage({ type: 'askCurves', alpha: 0 }, 'activations').ok, false);
    assert.equal(checkLabMessage({ type: 'askCurves', alpha: 11 }, 'activations').ok, false);
    assert.equal(checkLabMessage({ type: 'askSoftmax', z: [] }, 'activations').ok, false);
    assert.equal(checkLabMessage({ type: 'askSoftmax', z: [1, Infinity] }, 'activations').ok, false);
    assert.equal(checkLabMessage({ type: 'askSoftmax', z: [1, 2] }, 'sweep').ok, false);
    assert.deepEqual(checkLabMessage({ type: 'askCurves', alpha: 1.5 }, 'activations'), { ok: true, message: { type: 'askCurves', alpha: 1.5 } });
  });
});
