/**
 * ONNX import and export against the real thing: ONNX Runtime (onnxruntime-node) runs every
 * exported file and every fixture, and its outputs are the reference; files PyTorch's own
 * exporter wrote (test/fixtures/onnx/make_fixtures.py) are imported; onnx.checker (Debian's
 * python3-onnx) checks every export.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { pristineExamples } from '../pristineExamples';
import { parseModelFile, type ModelFile } from '../../src/model/modelFile';
import { networkFromModel } from '../../src/model/modelNetwork';
import { forward } from '../../src/engine/network';
import { savedFeatures } from '../../src/model/savedFeatures';
import { savedNormalization } from '../../src/model/savedNormalization';
import { normalizeInPlace } from '../../src/data/normalization';
import { exportOnnx } from '../../src/interop/onnxExport';
import { importOnnx, OnnxImportError } from '../../src/interop/onnxImport';
import { encodeModel } from '../../src/interop/onnxProto';
import { portableModelOf } from '../../src/interop/portableModel';
import { MessageWriter, readFields, intField, intsField, fixedField, WireFormatError } from '../../src/interop/protobuf';
import { importOnnxFile } from '../../src/node/interopFiles';
import { Random } from '../../src/engine/random';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'onnx');
const EX = pristineExamples();

/** Our engine's output for raw input rows, the way `mlp-inspector forward` computes it. */
function engineForward(model: ModelFile, rows: number[][]): number[][] {
  const features = savedFeatures(model);
  const spec = savedNormalization(model);
  return rows.map((raw) => {
    const u = features ? features.expand(Float64Array.from(raw)) : Float64Array.from(raw);
    if (spec) normalizeInPlace(spec, u);
    const net = networkFromModel(model);
    const pass = forward(net, { rows: 1, cols: u.length, data: u });
    return Array.from(pass.a[net.layers.length].data);
  });
}

async function ortRun(file: string | Uint8Array, rows: number[][], type: 'float32' | 'float64' = 'float32'): Promise<number[][]> {
  const session = typeof file === 'string' ? await ort.InferenceSession.create(file) : await ort.InferenceSession.create(file);
  const n = rows[0].length;
  const flat = rows.flat();
  const x = new ort.Tensor(type, type === 'float32' ? Float32Array.from(flat) : Float64Array.from(flat), [rows.length, n]);
  const out = await session.run({ [session.inputNames[0]]: x });
  const y = out[session.outputNames[0]];
  const m = y.dims[1] as number;
  const data = Array.from(y.data as Float32Array);
  return rows.map((_, r) => data.slice(r * m, (r + 1) * m));
}

/**
 * Relative error at most `rel`, measured against max(|expected|, 0.1): a saturated sigmoid or
 * softmax output of 1e-7 carries the float32 rounding of its z (about 1e-7 of |z| ≈ 15), not of
 * itself, so below 0.1 the error is compared at the scale of the outputs that matter.
 */
function assertClose(actual: number[][], expected: number[][], rel: number, what: string): number {
  let worst = 0;
  expected.forEach((row, r) =>
    row.forEach((e, j) => {
      const a = actual[r][j];
      const err = Math.abs(a - e) / Math.max(Math.abs(e), rel < 1e-9 ? 1e-300 : 0.1);
      worst = Math.max(worst, err);
      assert.ok(err <= rel, `${what}: row ${r}, output ${j}: ${a} against ${e} (relative error ${err.toExponential(2)} > ${rel})`);
    }),
  );
  return worst;
}

function randomRows(n: number, count: number, seed: number, scale = 2): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-onnx-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function model(layers: ModelFile['layers'], loss: ModelFile['loss'], extra: Partial<ModelFile> = {}): ModelFile {
  return { layers, loss, init: { weights: 'xavier', seed: 3, bias: 0.1 }, ...extra } as ModelFile;
}

/** Models with every activation, each output kind, both normalizations and engineered inputs. */
const CASES: { name: string; model: ModelFile }[] = [
  { name: 'relu → softmax', model: model([{ units: 3 }, { units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }], 'cross_entropy') },
  { name: 'elu (α 0.7) → leaky_relu → sigmoid', model: model([{ units: 2 }, { units: 5, activation: 'elu', alpha: 0.7 }, { units: 4, activation: 'leaky_relu' }, { units: 1, activation: 'sigmoid' }], 'binary_cross_entropy') },
  { name: 'tanh → gelu → identity', model: model([{ units: 4 }, { units: 7, activation: 'tanh' }, { units: 5, activation: 'gelu' }, { units: 2, activation: 'identity' }], 'mse') },
  { name: 'elu (α 1) → identity', model: model([{ units: 2 }, { units: 3, activation: 'elu' }, { units: 1 }], 'sse') },
  {
    name: 'standard normalization',
    model: model([{ units: 3 }, { units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }], 'cross_entropy', {
      normalization: { method: 'standard', inputNames: ['a', 'b', 'c'], mean: [10, -3, 1000], std: [2, 0.25, 300] },
    }),
  },
  {
    name: 'min-max normalization',
    model: model([{ units: 2 }, { units: 4, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], 'binary_cross_entropy', {
      normalization: { method: 'minmax', inputNames: ['p', 'q'], min: [-5, 0], max: [5, 40] },
    }),
  },
  {
    name: 'engineered inputs and normalization',
    model: model([{ units: 5 }, { units: 3, activation: 'gelu' }, { units: 2, activation: 'softmax' }], 'cross_entropy', {
      data: { synthetic: 'circles', engineered: ['x1^2', 'x1*x2', 'sin(x2)'] },
      normalization: { method: 'standard', inputNames: ['x1', 'x2', 'x1^2', 'x1*x2', 'sin(x2)'], mean: [0, 0.1, 1, 0, 0.2], std: [1, 1.5, 0.8, 0.5, 0.6] },
    }),
  },
];

describe('ONNX: protocol buffers wire format', () => {
  it('reads back what it writes: varints (negative int64 too), packed integers and floats', () => {
    const bytes = new MessageWriter().int(1, 300).int(2, -5).packedInts(3, [1, 150, -2]).float(4, 0.1).finish();
    const f = readFields(bytes);
    assert.equal(intField(f, 1), 300);
    assert.equal(intField(f, 2), -5);
    assert.deepEqual(intsField(f, 3, () => 0), [1, 150, -2]);
    assert.deepEqual(fixedField(f, 4, 4), [Math.fround(0.1)]);
    // 300 is the varint ac 02 after the tag 08, as the protobuf documentation works it out.
    assert.deepEqual(Array.from(bytes.subarray(0, 3)), [0x08, 0xac, 0x02]);
  });

  it('says where a file stops making sense: a length that runs past the end, a cut number', () => {
    const bytes = new MessageWriter().int(1, 7).bytes(2, new Uint8Array(10)).finish();
    assert.throws(() => readFields(bytes.subarray(0, bytes.length - 3)), (e: unknown) => e instanceof WireFormatError && e.offset === 2 && /10 bytes long, but only 7 remain/.test(e.message));
    assert.throws(() => readFields(Uint8Array.from([0x08, 0xff])), (e: unknown) => e instanceof WireFormatError && /ends inside a number/.test(e.message));
    assert.throws(() => readFields(Uint8Array.from([0x0b, 0x00])), (e: unknown) => e instanceof WireFormatError && /wire type 3/.test(e.message));
  });
});

describe('ONNX export, run in ONNX Runtime', function () {
  this.timeout(60000);
  for (const c of CASES) {
    it(`gives what forward gives for raw inputs: ${c.name}`, async () => {
      const parsed = parseModelFile(JSON.stringify(c.model), 'case.mlp.json');
      const bytes = exportOnnx(portableModelOf(parsed), { producerVersion: 'test' });
      const rows = randomRows(parsed.layers[0].units - (parsed.data?.engineered?.length ?? 0), 8, 11, c.name.includes('normalization') ? 20 : 2);
      assertClose(await ortRun(bytes, rows), engineForward(parsed, rows), 1e-5, c.name);
      fs.writeFileSync(path.join(tmp, `case-${CASES.indexOf(c)}.onnx`), bytes);
    });
  }

  it('every example model, exported, gives what forward gives', async () => {
    const files = fs.readdirSync(EX, { recursive: true }).map(String).filter((f) => f.endsWith('.mlp.json'));
    assert.ok(files.length >= 15, `only ${files.length} examples`);
    for (const f of files) {
      const m = parseModelFile(fs.readFileSync(path.join(EX, f), 'utf8'), f);
      const bytes = exportOnnx(portableModelOf(m), { producerVersion: 'test' });
      const rows = randomRows(m.layers[0].units - (m.data?.engineered?.length ?? 0), 6, 5);
      assertClose(await ortRun(bytes, rows), engineForward(m, rows), 1e-5, f);
      fs.writeFileSync(path.join(tmp, `example-${f.replace(/[\\/]/g, '_')}.onnx`), bytes);
    }
  });

  it('writes models that onnx.checker accepts (full check, with shape inference)', () => {
    const files = fs.readdirSync(tmp).filter((f) => f.endsWith('.onnx'));
    assert.ok(files.length >= CASES.length + 15, `the exports above wrote only ${files.length} files`);
    const script = 'import onnx,sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv)-1)';
    const r = spawnSync('/usr/bin/python3', ['-c', script, ...files.map((f) => path.join(tmp, f))], { encoding: 'utf8' });
    assert.equal(r.status, 0, `onnx.checker (Debian's python3-onnx; bash scripts/setup-python.sh installs it): ${r.stderr}`);
    assert.equal(r.stdout.trim(), String(files.length));
  });
});

describe('ONNX round trip: export, then import', function () {
  this.timeout(60000);
  it('every example model comes back with float32-rounded weights, its normalization, engineered inputs, names and loss', async () => {
    const files = fs.readdirSync(EX, { recursive: true }).map(String).filter((f) => f.endsWith('.mlp.json'));
    for (const f of files) {
      const original = parseModelFile(fs.readFileSync(path.join(EX, f), 'utf8'), f);
      const p = portableModelOf(original);
      const onnxFile = path.join(tmp, `rt-${path.basename(f, '.mlp.json')}.onnx`);
      fs.writeFileSync(onnxFile, exportOnnx(p, { producerVersion: 'test', training: JSON.stringify({ ...(original.data ? { data: original.data } : {}), ...(original.optimizer ? { optimizer: original.optimizer } : {}) }) }));
      const back = await importOnnxFile(onnxFile);
      const m = back.model;
      assert.deepEqual(m.layers, original.layers.map((l, k) => (k === 0 ? { units: l.units } : { units: l.units, activation: l.activation ?? 'identity', ...(l.alpha !== undefined ? { alpha: Math.fround(l.alpha) } : {}) })), f);
      assert.equal(m.loss, original.loss, f);
      p.layers.forEach((layer, k) => {
        const W = m.parameters![k].W.flat();
        assert.deepEqual(W, Array.from(layer.W, Math.fround), `${f}: W[${k + 1}]`);
        assert.deepEqual(m.parameters![k].b, Array.from(layer.b, Math.fround), `${f}: b[${k + 1}]`);
      });
      assert.deepEqual(m.data?.engineered ?? [], original.data?.engineered ?? [], f);
      assert.deepEqual(m.optimizer, original.optimizer, f);
      const rows = randomRows(p.inputNames.length, 5, 9);
      assertClose(engineForward(m, rows), await ortRun(onnxFile, rows), 1e-5, `${f} imported`);
    }
  });
});

describe('ONNX import of files real exporters wrote', function () {
  this.timeout(60000);
  const accepted: { file: string; layers: string; check?: (r: Awaited<ReturnType<typeof importOnnxFile>>) => void; type?: 'float64'; rel?: number }[] = [
    {
      file: 'torch_relu_softmax.onnx',
      layers: '4 8:relu 3:softmax',
      check: (r) => {
        assert.deepEqual(r.summary.inputNames, ['sepal length', 'sepal width', 'petal length', 'petal width']);
        assert.deepEqual(r.model.classes, ['setosa', 'versicolor', 'virginica']);
        assert.equal(r.summary.loss, 'cross_entropy');
        assert.equal(r.summary.lossFrom, 'output activation');
        assert.match(r.summary.producer, /^pytorch 1\.13/);
      },
    },
    { file: 'torch_tanh_sigmoid_opset13.onnx', layers: '2 5:tanh 1:sigmoid', check: (r) => assert.equal(r.summary.loss, 'binary_cross_entropy') },
    { file: 'torch_gelu.onnx', layers: '3 6:gelu 2:identity' },
    { file: 'torch_elu_leaky_opset11.onnx', layers: '3 5:elu 4:leaky_relu 2:identity', check: (r) => assert.equal(r.model.layers[1].alpha, 0.5) },
    { file: 'torch_flatten_dropout.onnx', layers: '5 7:relu 1:identity' },
    { file: 'torch_float64.onnx', layers: '3 4:tanh 2:softmax', type: 'float64', rel: 1e-12, check: (r) => assert.equal(r.summary.weightType, 'float64') },
    { file: 'torch_external.onnx', layers: '6 10:sigmoid 3:identity' },
    { file: 'hand_keras_matmul_add.onnx', layers: '4 6:relu 3:softmax', check: (r) => assert.equal(r.summary.input, 'dense_input') },
    { file: 'hand_gelu_opset20.onnx', layers: '3 5:gelu 2:identity' },
    { file: 'hand_matmul_transpose.onnx', layers: '3 2:sigmoid' },
    { file: 'hand_gelu_erf_orders.onnx', layers: '3 4:gelu 4:gelu 1:identity' },
    { file: 'hand_normalize_reshape.onnx', layers: '3 2:tanh', check: (r) => assert.deepEqual((r.model.normalization as { mean: number[] }).mean, [10, -3, 100]) },
  ];
  for (const a of accepted) {
    it(`${a.file}: ${a.layers}, and forward equals ONNX Runtime on the file`, async () => {
      const r = await importOnnxFile(path.join(FIXTURES, a.file));
      assert.equal(r.model.layers.map((l, k) => (k === 0 ? `${l.units}` : `${l.units}:${l.activation}`)).join(' '), a.layers);
      a.check?.(r);
      const rows = randomRows(r.model.layers[0].units, 10, 21, 3);
      assertClose(engineForward(r.model, rows), await ortRun(path.join(FIXTURES, a.file), rows, a.type), a.rel ?? 1e-5, a.file);
    });
  }

  const refused: [string, RegExp][] = [
    ['torch_batchnorm.onnx', /^unsupported operator BatchNormalization \(node "\/1\/BatchNormalization"\)/],
    ['torch_leaky_0_2.onnx', /^LeakyRelu node "\/1\/LeakyRelu" has slope 0\.2 below zero; MLP Inspector's leaky_relu has slope 0\.01/],
    ['torch_residual.onnx', /^the value "features" feeds 2 nodes .*the graph branches/],
    ['hand_scaler_ml.onnx', /^unsupported operator ai\.onnx\.ml\.Scaler \(node "scaler"\)/],
    ['hand_two_outputs.onnx', /^the graph has 2 outputs \("y", "r"\); an MLP has one/],
    ['hand_transA.onnx', /^Gemm node "fc" transposes its input/],
    ['hand_softmax_axis0.onnx', /^Softmax node "sm" normalizes over axis 0/],
    ['hand_activation_first.onnx', /^Relu node "relu_in" is an activation with no dense layer/],
    ['hand_gelu_tanh.onnx', /^Gelu node "gelu_tanh" is GELU's tanh approximation/],
    ['hand_float16.onnx', /^the tensor "W" holds float16; MLP Inspector reads float32 and float64 weights/],
    ['hand_external_escape.onnx', /^the tensor "W" is stored in "\.\.\/outside\.bin", outside the model's folder/],
  ];
  for (const [file, message] of refused) {
    it(`refuses ${file} in one sentence`, async () => {
      await assert.rejects(importOnnxFile(path.join(FIXTURES, file)), (e: unknown) => e instanceof OnnxImportError && message.test(e.message) && !e.message.includes('\n'));
    });
  }

  it('refuses a NaN or infinite weight, naming the tensor and the index', () => {
    const bytes = encodeModel({
      irVersion: 8, opset: 17, producerName: 'test', producerVersion: '', docString: '', graphName: 'g', metadata: [],
      nodes: [{ name: 'fc', opType: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['y'] }],
      initializers: [{ name: 'W', dims: [2, 2], float32: [1, 2, NaN, 4] }, { name: 'b', dims: [2], float32: [0, Infinity] }],
      inputs: [{ name: 'x', shape: ['N', 2] }], outputs: [{ name: 'y', shape: ['N', 2] }],
    });
    assert.throws(() => importOnnx(bytes, () => new Uint8Array()), (e: unknown) => e instanceof OnnxImportError && /^the tensor "W" holds NaN at index 2 \(of shape \[2, 2\]\); weights must be finite numbers$/.test(e.message));
  });

  it('refuses a cut-off or foreign file with the byte where it stops making sense', () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, 'torch_gelu.onnx'));
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2), 17]) {
      assert.throws(
        () => importOnnx(bytes.subarray(0, cut), () => new Uint8Array()),
        (e: unknown) => e instanceof OnnxImportError && /^not a valid ONNX file|has no graph|the graph has 0/.test(e.message),
        `cut at ${cut}`,
      );
    }
    assert.throws(() => importOnnx(new TextEncoder().encode('{"layers": []}\n'), () => new Uint8Array()), (e: unknown) => e instanceof OnnxImportError && e.offset !== undefined);
    assert.throws(() => importOnnx(new Uint8Array(0), () => new Uint8Array()), /has no graph/);
  });
});
