/**
 * `mlp-inspector import` and `export` as a user runs them: exit codes, the JSON on stdout, one
 * line on stderr for a refusal, and nothing written when a file is refused.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { pristineExamples } from '../pristineExamples';
import { decodeModel } from '../../src/interop/onnxProto';
import { PRODUCT_VERSION } from '../../src/productVersion';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'onnx');
const EX = pristineExamples();

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

describe('CLI import and export', function () {
  this.timeout(60000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-cli-interop-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  before(() => {
    for (const f of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    fs.cpSync(EX, path.join(dir, 'examples'), { recursive: true });
  });

  it('import writes NAME.mlp.json beside the ONNX file and prints a summary', () => {
    const r = cli(dir, 'import', 'torch_relu_softmax.onnx');
    assert.equal(r.code, 0, r.stderr);
    const s = r.json();
    assert.equal(s.wrote, 'torch_relu_softmax.mlp.json');
    assert.deepEqual(s.layers, [{ units: 4 }, { units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }]);
    assert.equal(s.parameters, 4 * 8 + 8 + 8 * 3 + 3);
    assert.deepEqual(s.outputNames, ['setosa', 'versicolor', 'virginica']);
    assert.equal(s.input, 'features');
    const f = cli(dir, 'forward', 'torch_relu_softmax.mlp.json', '--input', '5.1,3.5,1.4,0.2');
    assert.equal(f.code, 0, f.stderr);
    const p = f.json().output as number[];
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12, 'softmax probabilities sum to 1');
  });

  it('import refuses a graph that is not an MLP in one line naming the node, exit 1, and writes nothing', () => {
    const r = cli(dir, 'import', 'torch_batchnorm.onnx', '--out', 'bn.mlp.json');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^mlp-inspector import: torch_batchnorm\.onnx: unsupported operator BatchNormalization \(node "\/1\/BatchNormalization"\)/);
    assert.ok(!fs.existsSync(path.join(dir, 'bn.mlp.json')));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  });

  it('import of a cut-off file names the byte, and leaves an existing model file as it was', () => {
    const bytes = fs.readFileSync(path.join(dir, 'torch_gelu.onnx'));
    fs.writeFileSync(path.join(dir, 'cut.onnx'), bytes.subarray(0, bytes.length - 40));
    fs.writeFileSync(path.join(dir, 'cut.mlp.json'), 'precious');
    const r = cli(dir, 'import', 'cut.onnx');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mlp-inspector import: cut\.onnx: byte \d+: not a valid ONNX file: /);
    assert.equal(fs.readFileSync(path.join(dir, 'cut.mlp.json'), 'utf8'), 'precious');
  });

  it('export --format onnx writes NAME.onnx beside the model, with class names from its data, and ONNX Runtime runs it', async () => {
    const r = cli(dir, 'export', 'examples/penguins.mlp.json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().wrote, ['examples/penguins.onnx']);
    const file = path.join(dir, 'examples', 'penguins.onnx');
    const m = decodeModel(fs.readFileSync(file));
    assert.equal(m.producerName, 'mlp-inspector');
    assert.equal(m.producerVersion, PRODUCT_VERSION);
    assert.deepEqual(JSON.parse(m.metadata.get('class_names')!), ['Adelie', 'Chinstrap', 'Gentoo']);
    assert.equal(m.metadata.get('loss'), 'cross_entropy');
    const session = await ort.InferenceSession.create(file);
    const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from([39.1, 18.7, 181, 3750]), [1, 4]) });
    const ours = cli(dir, 'forward', 'examples/penguins.mlp.json', '--input', '39.1,18.7,181,3750').json().output as number[];
    Array.from(out.output.data as Float32Array).forEach((v, j) => assert.ok(Math.abs(v - ours[j]) <= 1e-5 * Math.max(Math.abs(ours[j]), 0.1), `class ${j}: ${v} against ${ours[j]}`));
  });

  it('export then import gives back the model, its data section pointing at the same data', () => {
    assert.equal(cli(dir, 'export', 'examples/three-blobs.mlp.json', '--out', 'blobs.onnx').code, 0);
    const r = cli(dir, 'import', 'blobs.onnx');
    assert.equal(r.code, 0, r.stderr);
    const back = JSON.parse(fs.readFileSync(path.join(dir, 'blobs.mlp.json'), 'utf8'));
    const original = JSON.parse(fs.readFileSync(path.join(dir, 'examples', 'three-blobs.mlp.json'), 'utf8'));
    assert.equal(back.data.path, 'examples/data/three-blobs.csv');
    assert.deepEqual({ ...back.data, path: undefined }, { ...original.data, path: undefined });
    // The data loads from the imported model's place: training runs.
    const t = cli(dir, 'train', 'blobs.mlp.json', '--epochs', '2');
    assert.equal(t.code, 0, t.stderr);
  });

  it('export --format pytorch writes model.py and model.safetensors into a folder', () => {
    const r = cli(dir, 'export', 'examples/xor.mlp.json', '--format', 'pytorch', '--out', 'xor-torch');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().wrote.sort(), ['xor-torch/model.py', 'xor-torch/model.safetensors']);
    assert.match(fs.readFileSync(path.join(dir, 'xor-torch', 'model.py'), 'utf8'), /def load\(/);
  });

  it('export refuses a format it does not know and a folder that is a file', () => {
    assert.match(cli(dir, 'export', 'examples/xor.mlp.json', '--format', 'tflite').stderr, /unknown --format "tflite"; expected onnx or pytorch/);
    fs.writeFileSync(path.join(dir, 'afile'), 'x');
    const r = cli(dir, 'export', 'examples/xor.mlp.json', '--format', 'pytorch', '--out', 'afile');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /afile: is a file; a PyTorch export is a folder/);
    assert.equal(fs.readFileSync(path.join(dir, 'afile'), 'utf8'), 'x');
  });

  it('writes the version package.json has into exported files', () => {
    assert.equal(PRODUCT_VERSION, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});
