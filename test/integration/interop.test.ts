import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlpInspectorApi } from '../../src/extension';
import { parseModelFile } from '../../src/model/modelFile';
import { networkFromModel } from '../../src/model/modelNetwork';
import { forward } from '../../src/engine/network';
import { waitFor, workspaceFile } from './workspace';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'onnx');

/** ONNX Runtime itself (the test-only devDependency), loaded from the repository. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require(path.join(ROOT, 'node_modules', 'onnxruntime-node')) as typeof import('onnxruntime-node');

describe('Import ONNX Model and Export Model (real vscode API)', () => {
  let api: MlpInspectorApi;

  before(async () => {
    api = await vscode.extensions.getExtension<MlpInspectorApi>('mlp-inspector.mlp-inspector')!.activate();
  });

  afterEach(async () => {
    await api.inspector.close();
  });

  it('imports a PyTorch-exported ONNX file beside it and opens the inspector on it', async () => {
    const onnx = workspaceFile('interop/iris.onnx');
    fs.mkdirSync(path.dirname(onnx.fsPath), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'torch_relu_softmax.onnx'), onnx.fsPath);
    const model = await vscode.commands.executeCommand<vscode.Uri | undefined>('mlpInspector.importOnnx', onnx);
    assert.ok(model, 'the command returns the model file');
    assert.strictEqual(path.basename(model.fsPath), 'iris.mlp.json');
    // Open, without data yet: the panel says so and offers Attach Dataset (the next test).
    await waitFor(() => api.inspector.uri?.fsPath === model.fsPath && api.inspector.view?.dataError !== undefined, 'the inspector on the imported model');
    assert.deepStrictEqual(api.inspector.view?.layers.map((l) => l.units), [4, 8, 3]);
    assert.match(api.inspector.view!.dataError!, /Attach Dataset/);
    const written = parseModelFile(fs.readFileSync(model.fsPath, 'utf8'), model.fsPath);
    assert.deepStrictEqual(written.classes, ['setosa', 'versicolor', 'virginica']);
    assert.strictEqual(written.parameters?.length, 2);
  });

  it('attaches a dataset to the imported model, keeping its weights and its (absent) normalization', async () => {
    const model = workspaceFile('interop/iris.mlp.json');
    assert.ok(fs.existsSync(model.fsPath), 'the import test before this one wrote it');
    await vscode.commands.executeCommand('mlpInspector.openInspector', model);
    await waitFor(() => api.inspector.uri?.fsPath === model.fsPath && api.inspector.view?.dataError !== undefined, 'the imported model, without data');
    const weightsBefore = parseModelFile(fs.readFileSync(model.fsPath, 'utf8'), model.fsPath).parameters;
    const data = workspaceFile('data/penguins.csv');
    const features = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
    // A column list that does not fit the network's 4 inputs is refused, and nothing is written.
    const text = fs.readFileSync(model.fsPath, 'utf8');
    assert.strictEqual(await vscode.commands.executeCommand('mlpInspector.attachDataset', model, data, { target: ['Species'], features: features.slice(0, 3), missing: 'drop' }), undefined);
    assert.strictEqual(fs.readFileSync(model.fsPath, 'utf8'), text);
    const attached = await vscode.commands.executeCommand<vscode.Uri | undefined>('mlpInspector.attachDataset', model, data, { target: ['Species'], features, missing: 'drop' });
    assert.strictEqual(attached?.fsPath, model.fsPath);
    await waitFor(() => api.inspector.snapshot?.state === 'idle' && api.inspector.view?.dataError === undefined, 'the model to load with its data', 30_000);
    const written = parseModelFile(fs.readFileSync(model.fsPath, 'utf8'), model.fsPath);
    assert.deepStrictEqual(written.data, { path: '../data/penguins.csv', target: ['Species'], features, missing: 'drop' });
    assert.deepStrictEqual(written.parameters, weightsBefore);
    assert.deepStrictEqual(api.inspector.session?.info?.classes, ['Adelie', 'Chinstrap', 'Gentoo']);
    // The imported network took raw features: the data is not refitted to a standardization.
    const live = await api.inspector.session!.trainedModel();
    assert.strictEqual((live.normalization as { method: string }).method, 'none');
    assert.deepStrictEqual(live.parameters, weightsBefore);
  });

  it('refuses a graph that is not an MLP and writes nothing', async () => {
    const onnx = workspaceFile('interop/bn.onnx');
    fs.mkdirSync(path.dirname(onnx.fsPath), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'torch_batchnorm.onnx'), onnx.fsPath);
    const model = await vscode.commands.executeCommand<vscode.Uri | undefined>('mlpInspector.importOnnx', onnx);
    assert.strictEqual(model, undefined);
    assert.ok(!fs.existsSync(workspaceFile('interop/bn.mlp.json').fsPath));
    assert.deepStrictEqual(fs.readdirSync(path.dirname(onnx.fsPath)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('exports the trained weights on screen, not the file’s, and ONNX Runtime gives what they give', async () => {
    const uri = workspaceFile('xor-learn.mlp.json');
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(2000);
    await session.waitFor((s) => s.state === 'stopped', 60_000);
    assert.strictEqual(api.inspector.view?.unsaved, true);
    const out = workspaceFile('interop/xor-trained.onnx');
    const written = await vscode.commands.executeCommand<string[] | undefined>('mlpInspector.exportModel', 'onnx', out);
    assert.deepStrictEqual(written, [out.fsPath]);
    // The model file is as it was; the weights are still unsaved.
    assert.strictEqual(fs.readFileSync(uri.fsPath, 'utf8'), before);
    assert.strictEqual(api.inspector.view?.unsaved, true);
    const trained = await session.trainedModel();
    const net = networkFromModel(trained);
    const onnx = await ort.InferenceSession.create(out.fsPath);
    const rows = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const result = await onnx.run({ input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [4, 2]) });
    const got = Array.from(result.output.data as Float32Array);
    const expected = Array.from(forward(net, { rows: 4, cols: 2, data: Float64Array.from(rows.flat()) }).a[2].data);
    expected.forEach((e, r) => assert.ok(Math.abs(got[r] - e) <= 1e-5 * Math.max(Math.abs(e), 0.1), `row ${r}: ${got[r]} against ${e}`));
    // It learned XOR, so this is the trained network, not the file's initial one.
    assert.deepStrictEqual(got.map((v) => Math.round(v)), [0, 1, 1, 0]);
  });

  it('exports to a PyTorch folder', async () => {
    await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor.mlp.json'));
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    const out = workspaceFile('interop/xor-torch');
    const written = await vscode.commands.executeCommand<string[] | undefined>('mlpInspector.exportModel', 'pytorch', out);
    assert.deepStrictEqual(written?.map((f) => path.basename(f)).sort(), ['model.py', 'model.safetensors']);
    assert.match(fs.readFileSync(path.join(out.fsPath, 'model.py'), 'utf8'), /nn\.Sequential\(/);
  });
});
