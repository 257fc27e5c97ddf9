// The PyTorch export (issue #12), run in real PyTorch: Debian's /usr/bin/python3 with
// python3-torch (scripts/setup-python.sh installs them; PyPI is not reachable here). Each test
// writes exports to a temporary folder, imports their model.py in one Python process and compares
// with our engine: load()(raw x) against our forward, the safetensors file against our reader, and
// the training snippet's steps against our loss, backward pass and optimizer.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { ActivationName } from '../../src/engine/activations';
import type { LossName } from '../../src/engine/losses';
import { fromRows } from '../../src/engine/matrix';
import { backward, createNetwork, forward } from '../../src/engine/network';
import { createOptimizer, type OptimizerSpec } from '../../src/engine/optimizers';
import { applyNormalization } from '../../src/data/normalization';
import { parseModelFile } from '../../src/model/modelFile';
import { networkFromModel } from '../../src/model/modelNetwork';
import { savedNormalization } from '../../src/model/savedNormalization';
import { portableForward, portableModelOf, type PortableFeature, type PortableModel } from '../../src/interop/portableModel';
import { pytorchExport } from '../../src/interop/pytorchExport';
import { readSafetensors } from '../../src/interop/safetensors';
import { pristineExamples } from '../pristineExamples';

const PYTHON = '/usr/bin/python3';
const SETUP = 'bash scripts/setup-python.sh';

/** Fails (never skips) when Debian's Python or its PyTorch is missing. */
function requirePyTorch(python = PYTHON): void {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`the PyTorch export tests need ${python} with PyTorch (Debian's python3-torch); run \`${SETUP}\` first. ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
  }
}

/** Runs `script` in Debian's Python with `input` as JSON on stdin; its stdout's JSON. */
function runPython(script: string, input: unknown): unknown {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`${PYTHON} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Imports each job's model.py as its own module. */
const IMPORT = `
import importlib.util, json, os, sys, torch
def imported(k, folder):
    spec = importlib.util.spec_from_file_location("exported_%d" % k, os.path.join(folder, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
jobs = json.load(sys.stdin)
`;

/** load()(x) for each job {dir, x}: the outputs, flattened, float32 values as doubles. */
const FORWARD = `${IMPORT}
out = []
for k, job in enumerate(jobs):
    net = imported(k, job["dir"]).load()
    assert not net.training
    with torch.no_grad():
        out.append(net(torch.tensor(job["x"], dtype=torch.float32)).double().flatten().tolist())
print(json.dumps(out))
`;

let scratch: string;
let maxRelativeError = 0;

/** Writes the export of `m` to a fresh folder; its path. */
function exportTo(m: PortableModel, label: string): string {
  const dir = path.join(scratch, label);
  mkdirSync(dir, { recursive: true });
  for (const f of pytorchExport(m).files) writeFileSync(path.join(dir, f.name), f.bytes);
  return dir;
}

/** A deterministic stream of numbers in [−1, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

interface LayerDef {
  readonly units: number;
  readonly activation: ActivationName;
  readonly alpha?: number;
}

function makeModel(opts: {
  inputNames: string[];
  engineered?: PortableFeature[];
  normalization?: { offset: number[]; scale: number[] };
  layers: LayerDef[];
  loss: LossName;
  classes?: string[];
  optimizer?: OptimizerSpec;
  seed: number;
  name?: string;
}): PortableModel {
  const rand = uniform(opts.seed);
  let nIn = opts.inputNames.length + (opts.engineered?.length ?? 0);
  const layers = opts.layers.map((def) => {
    const layer = {
      W: Float64Array.from({ length: nIn * def.units }, () => rand() * 1.2),
      nIn,
      nOut: def.units,
      b: Float64Array.from({ length: def.units }, () => rand() * 0.5),
      activation: def.activation,
      ...(def.alpha !== undefined ? { alpha: def.alpha } : {}),
    };
    nIn = def.units;
    return layer;
  });
  return {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    inputNames: opts.inputNames,
    engineered: opts.engineered ?? [],
    ...(opts.normalization ? { normalization: opts.normalization } : {}),
    layers,
    loss: opts.loss,
    ...(opts.classes ? { classes: opts.classes } : {}),
    ...(opts.optimizer ? { optimizer: opts.optimizer } : {}),
  };
}

function randomRows(rows: number, cols: number, seed: number, spread = 3): number[][] {
  const rand = uniform(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rand() * spread));
}

/** Asserts |got − want| ≤ 1e-5 |want|, relative to each value; records the largest relative error. */
function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const rel = err === 0 ? 0 : err / Math.abs(want[i]);
    maxRelativeError = Math.max(maxRelativeError, rel);
    assert.ok(rel <= tol, `${what}[${i}]: PyTorch ${got[i]}, ours ${want[i]} (relative error ${rel.toExponential(2)})`);
  }
}

/** Every activation, both probability outputs, regression, with and without normalization and engineered features. */
function modelZoo(): { label: string; m: PortableModel }[] {
  return [
    {
      label: 'engineered-normalized-relu-elu-leaky-gelu-softmax',
      m: makeModel({
        inputNames: ['x1', 'x2', 'x3'],
        engineered: [
          { name: 'x1^2', kind: 'square', at: [0] },
          { name: 'x1*x2', kind: 'product', at: [0, 1] },
          { name: 'sin(x3)', kind: 'sin', at: [2] },
        ],
        normalization: { offset: [0.5, -1, 2, 1.5, 0.2, 0], scale: [2, 0.5, 1.5, 3, 2.5, 0.7] },
        layers: [
          { units: 5, activation: 'relu' },
          { units: 5, activation: 'elu', alpha: 0.7 },
          { units: 4, activation: 'leaky_relu' },
          { units: 4, activation: 'gelu' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross_entropy',
        classes: ['a', 'b', 'c'],
        seed: 1,
      }),
    },
    {
      label: 'tanh-sigmoid-binary',
      m: makeModel({ inputNames: ['u', 'v'], layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'binary_cross_entropy', classes: ['yes'], seed: 2 }),
    },
    {
      label: 'identity-regression-normalized',
      m: makeModel({ inputNames: ['t'], normalization: { offset: [10], scale: [4] }, layers: [{ units: 3, activation: 'elu' }, { units: 2, activation: 'identity' }], loss: 'mse', seed: 3 }),
    },
    {
      label: 'softmax-hidden-sse',
      m: makeModel({ inputNames: ['p', 'q'], layers: [{ units: 3, activation: 'softmax' }, { units: 2, activation: 'relu' }], loss: 'sse', seed: 4 }),
    },
  ];
}

describe('PyTorch export (model.py + model.safetensors, run in PyTorch)', function () {
  this.timeout(120000);

  before(() => {
    requirePyTorch();
    scratch = mkdtempSync(path.join(tmpdir(), 'mlp-pytorch-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    console.log(`      largest relative error seen against our float64 forward: ${maxRelativeError.toExponential(2)}`);
  });

  it('writes safetensors our reader reads back: state_dict names, [out, in] shapes, float32 values bit for bit', () => {
    const { m } = modelZoo()[0];
    const file = pytorchExport(m).files.find((f) => f.name === 'model.safetensors')!;
    const headerLength = Number(new DataView(file.bytes.buffer, file.bytes.byteOffset).getBigUint64(0, true));
    assert.equal(headerLength % 8, 0, 'the header is padded to a multiple of 8');
    const { tensors, metadata } = readSafetensors(file.bytes);
    assert.deepEqual(metadata, { format: 'pt', producer: 'MLP Inspector' });
    const names = ['1.offset', '1.scale', '2.weight', '2.bias', '4.weight', '4.bias', '6.weight', '6.bias', '8.weight', '8.bias', '10.weight', '10.bias'];
    assert.deepEqual([...tensors.keys()].sort(), [...names].sort());
    const same = (name: string, want: ArrayLike<number>, shape: number[]) => {
      const t = tensors.get(name)!;
      assert.equal(t.dtype, 'F32');
      assert.deepEqual(t.shape, shape, name);
      assert.deepEqual(Array.from(t.data), Array.from(want, Math.fround), name);
    };
    same('1.offset', m.normalization!.offset, [6]);
    same('1.scale', m.normalization!.scale, [6]);
    m.layers.forEach((layer, k) => {
      const Wt = Array.from({ length: layer.nIn * layer.nOut }, (_, t) => layer.W[(t % layer.nIn) * layer.nOut + Math.floor(t / layer.nIn)]);
      same(`${2 + 2 * k}.weight`, Wt, [layer.nOut, layer.nIn]);
      same(`${2 + 2 * k}.bias`, layer.b, [layer.nOut]);
    });
  });

  it('load()(raw x) matches our forward for every activation, softmax, sigmoid and identity outputs, normalization and engineered features', () => {
    const zoo = modelZoo();
    const jobs = zoo.map(({ label, m }, k) => ({ dir: exportTo(m, label), x: randomRows(6, m.inputNames.length, 100 + k) }));
    const got = runPython(FORWARD, jobs) as number[][];
    zoo.forEach(({ label, m }, k) => assertClose(got[k], portableForward(m, Float64Array.from(jobs[k].x.flat())), label));
  });

  it('the example models (parseModelFile + portableModelOf) match, and a trained-looking penguins model with saved normalization matches networkFromModel + forward', () => {
    const dir = pristineExamples();
    const files = readdirSync(dir).filter((f) => f.endsWith('.mlp.json'));
    assert.ok(files.length >= 10, `found ${files.length} examples`);
    const models = files.map((f) => ({ label: f, m: portableModelOf(parseModelFile(readFileSync(path.join(dir, f), 'utf8'), f)) }));
    // penguins as Save Model writes it after training on standardized inputs
    const penguinsFile = { ...parseModelFile(readFileSync(path.join(dir, 'penguins.mlp.json'), 'utf8'), 'penguins.mlp.json') };
    const saved = { ...penguinsFile, normalization: { method: 'standard', inputNames: penguinsFile.data!.features!, mean: [43.9, 17.2, 200.9, 4201.8], std: [5.45, 1.97, 14.04, 800.8] } };
    models.push({ label: 'penguins-saved-normalization', m: portableModelOf(saved, { classes: ['Adelie', 'Chinstrap', 'Gentoo'] }) });
    const penguinX = [
      [39.1, 18.7, 181, 3750],
      [46.5, 17.9, 192, 3500],
      [50.0, 15.2, 218, 5700],
      [44.0, 17.0, 200, 4200],
    ];
    const jobs = models.map(({ label, m }, k) => ({ dir: exportTo(m, label), x: label.startsWith('penguins') ? penguinX : randomRows(5, m.inputNames.length, 200 + k, 2) }));
    const got = runPython(FORWARD, jobs) as number[][];
    models.forEach(({ label, m }, k) => assertClose(got[k], portableForward(m, Float64Array.from(jobs[k].x.flat())), label));
    // the engine's own path, as the CLI's forward takes it: saved normalization, then the network
    const net = networkFromModel(saved);
    const a0 = applyNormalization(savedNormalization(saved)!, Float64Array.from(penguinX.flat()));
    const yhat = forward(net, { rows: penguinX.length, cols: 4, data: a0 }).a[net.layers.length];
    assertClose(got[got.length - 1], yhat.data, 'penguins via networkFromModel + forward');
  });

  it('names from the user stay inside their string literals (quotes, triple quotes, backslashes, newlines, bidi controls)', () => {
    const inputNames = ['a"""b', "back\\slash\n\"\"\"; import os; os._exit(3) #", '\u202eevil\u2066', 'é²·😀', "'''", 'nul\u0000\u0085\u2028end', 'lone\ud800'];
    const classes = ['"', '\\', '"""\nraise SystemExit'];
    const m = makeModel({ inputNames, layers: [{ units: 3, activation: 'softmax' }], loss: 'cross_entropy', classes, seed: 5, name: 'x"""\nimport sys; sys.exit(4)\n"""' });
    const dir = exportTo(m, 'names');
    const script = `${IMPORT}
mod = imported(0, jobs[0]["dir"])
print(json.dumps({"inputs": mod.INPUT_NAMES, "classes": mod.CLASSES, "doc": mod.__doc__}))
`;
    const got = runPython(script, [{ dir }]) as { inputs: string[]; classes: string[]; doc: string };
    assert.deepEqual(got.inputs, inputNames);
    assert.deepEqual(got.classes, classes);
    assert.match(got.doc, /^The model "x\\"\\"\\"\\nimport sys; sys\.exit\(4\)\\n\\"\\"\\"", exported from MLP Inspector to PyTorch\./);
    assert.ok(got.doc.includes('    0: "a\\"\\"\\"b"'), got.doc);
  });

  it('train() takes the same steps as our engine: the loss before each step and the weights after (sse + sgd with momentum, cross_entropy + adam, binary_cross_entropy, mse)', () => {
    const cases: { label: string; m: PortableModel; y: number[][]; yForPython?: number[] }[] = [];
    const x = randomRows(8, 2, 300);
    const sse = makeModel({ inputNames: ['x1', 'x2'], normalization: { offset: [0.3, -0.2], scale: [1.7, 1.2] }, layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'identity' }], loss: 'sse', optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 0.01 }, seed: 6 });
    cases.push({ label: 'sse+sgd-momentum', m: sse, y: x.map(([a, b]) => [a * b, Math.sin(a)]) });
    const labels = x.map(([a, b]) => (a + b > 0.5 ? 2 : a > b ? 1 : 0));
    const ce = makeModel({ inputNames: ['x1', 'x2'], engineered: [{ name: 'x1*x2', kind: 'product', at: [0, 1] }], layers: [{ units: 6, activation: 'gelu' }, { units: 3, activation: 'softmax' }], loss: 'cross_entropy', optimizer: { type: 'adam', learningRate: 0.01, weightDecay: 0.001 }, seed: 7 });
    cases.push({ label: 'cross_entropy+adam', m: ce, y: labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))), yForPython: labels });
    const bce = makeModel({ inputNames: ['x1', 'x2'], layers: [{ units: 4, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], loss: 'binary_cross_entropy', optimizer: { type: 'sgd' }, seed: 8 });
    cases.push({ label: 'binary_cross_entropy+sgd', m: bce, y: x.map(([a]) => [a > 0 ? 1 : 0]) });
    const mse = makeModel({ inputNames: ['x1', 'x2'], layers: [{ units: 3, activation: 'elu', alpha: 0.5 }, { units: 1, activation: 'identity' }], loss: 'mse', optimizer: { type: 'adam' }, seed: 9 });
    cases.push({ label: 'mse+adam-defaults', m: mse, y: x.map(([a, b]) => [a - b]) });

    const EPOCHS = 3;
    const script = `${IMPORT}
out = []
for k, job in enumerate(jobs):
    mod = imported(k, job["dir"])
    net = mod.load()
    history = mod.train(net, torch.tensor(job["x"]), torch.tensor(job["y"]), epochs=${EPOCHS}, batch_size=0, shuffle=False)
    out.append({"history": history, "state": {name: t.double().flatten().tolist() for name, t in net.state_dict().items()}})
print(json.dumps(out))
`;
    const jobs = cases.map(({ label, m, y, yForPython }) => ({ dir: exportTo(m, label), x, y: yForPython ?? y }));
    const got = runPython(script, jobs) as { history: number[]; state: Record<string, number[]> }[];
    cases.forEach(({ label, m, y }, k) => {
      // our engine from the same float32 weights PyTorch starts from
      const net = createNetwork([{ units: m.layers[0].nIn }, ...m.layers.map((l) => ({ units: l.nOut, activation: l.activation, ...(l.alpha !== undefined ? { alpha: l.alpha } : {}) }))], m.loss);
      net.layers.forEach((layer, l) => {
        layer.W.data.set(Array.from(m.layers[l].W, Math.fround));
        layer.b.set(Array.from(m.layers[l].b, Math.fround));
      });
      const a0 = fromRows(x.map((row) => inputUnits(m, row)));
      const target = fromRows(y);
      const optimizer = createOptimizer(m.optimizer);
      const losses: number[] = [];
      for (let e = 0; e < EPOCHS; e++) {
        const grads = backward(net, forward(net, a0), target);
        losses.push(grads.loss);
        optimizer.update(net, grads);
      }
      assertClose(got[k].history, losses, `${label}: loss before each step`);
      const first = m.engineered.length > 0 ? 1 : 0;
      const offset = first + (m.normalization ? 1 : 0);
      let index = offset;
      net.layers.forEach((layer) => {
        const Wt = Array.from({ length: layer.nIn * layer.nOut }, (_, t) => layer.W.data[(t % layer.nIn) * layer.nOut + Math.floor(t / layer.nIn)]);
        assertWeights(got[k].state[`${index}.weight`], Wt, `${label}: ${index}.weight after ${EPOCHS} steps`);
        assertWeights(got[k].state[`${index}.bias`], layer.b, `${label}: ${index}.bias after ${EPOCHS} steps`);
        index += layer.activationName === 'identity' ? 1 : 2;
      });
    });
  });

  it('fails loudly, naming the setup script, when Python or PyTorch is missing', () => {
    assert.throws(() => requirePyTorch('/nonexistent/python3'), (e: Error) => e.message.includes(`run \`${SETUP}\``) && e.message.includes('/nonexistent/python3'));
    assert.ok(readFileSync(path.join(__dirname, '..', '..', '..', 'scripts', 'setup-python.sh'), 'utf8').includes('python3-torch'));
  });
});

/** a[0] of one raw row: engineered features appended, then the normalization, in float64. */
function inputUnits(m: PortableModel, raw: number[]): number[] {
  const u = [...raw, ...m.engineered.map((f) => (f.kind === 'sin' ? Math.sin(raw[f.at[0]]) : f.kind === 'square' ? raw[f.at[0]] ** 2 : raw[f.at[0]] * raw[f.at[1]]))];
  return m.normalization ? u.map((v, k) => (v - m.normalization!.offset[k]) / m.normalization!.scale[k]) : u;
}

/** Updated weights agree to float32 precision: within 1e-5 of the weight's size (or 1e-6 absolute). */
function assertWeights(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    assert.ok(err <= 1e-5 * Math.abs(want[i]) + 1e-6, `${what}[${i}]: PyTorch ${got[i]}, ours ${want[i]} (difference ${err.toExponential(2)})`);
  }
}
