import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlpInspectorApi } from '../../src/extension';
import { waitFor, workspaceFile } from './workspace';

const EXTENSION_ID = 'mlp-inspector.mlp-inspector';
/** Must match InspectorPanel.viewType; the test reads it from the outside, as VS Code does. */
const INSPECTOR_VIEW_TYPE = 'mlpInspector.inspector';
/** The repository (this file runs from out/test/integration/). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** Editor tabs showing the inspector panel. VS Code prefixes the panel's viewType in the tab input. */
function inspectorTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(INSPECTOR_VIEW_TYPE));
}

/** The CLI's per-epoch lines for a model: the reference the extension's numbers must equal. */
function cliTrain(model: string, epochs: number): { epoch: number; loss: number; accuracy?: number }[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', model, '--epochs', String(epochs)], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

describe('MLP Inspector extension (real vscode API)', () => {
  let extension: vscode.Extension<MlpInspectorApi>;
  let api: MlpInspectorApi;

  before(async () => {
    const found = vscode.extensions.getExtension<MlpInspectorApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not loaded`);
    extension = found;
    api = await extension.activate();
  });

  afterEach(async () => {
    await vscode.window.tabGroups.close(inspectorTabs());
    await api.inspector.close();
  });

  it('activates', () => {
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every contributed command, each under the "MLP Inspector" category', async () => {
    const contributed = (extension.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands;
    const titles = contributed.map((c) => c.title).sort();
    assert.deepStrictEqual(titles, [
      'Apply Update',
      'Attach Dataset…',
      'Export Model to ONNX or PyTorch…',
      'Forward, Backward and Update (Full Step)',
      'Import ONNX Model…',
      'New Model from Dataset',
      'Open Computation Graph',
      'Open Example',
      'Open Initialization Lab',
      'Open Inspector',
      'Pause',
      'Reset Weights',
      'Resume',
      'Run Architecture Sweep',
      'Run Gradient Check',
      'Save Model',
      'Show Activation Functions',
      'Show Loss as Computation Graph',
      'Step Backward',
      'Step Forward',
      'Train',
      'Undo Step',
    ]);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
      assert.strictEqual(c.category, 'MLP Inspector', `${c.command} category`);
    }
  });

  it('opens a model in one inspector panel, and reveals it rather than opening a second', async () => {
    const uri = workspaceFile('xor-learn.mlp.json');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => inspectorTabs().length === 1, 'the inspector tab');
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    assert.strictEqual(api.inspector.view?.name, 'xor-learn');
    assert.deepStrictEqual(api.inspector.session?.info?.sizes, [2, 4, 1]);
    await waitFor(() => inspectorTabs()[0]?.label.startsWith('MLP Inspector: xor-learn'), 'the tab title');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(inspectorTabs().length, 1);
  });

  it('trains in a worker, and its losses equal the CLI’s for the same seed', async () => {
    const uri = workspaceFile('xor-learn.mlp.json');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    await vscode.commands.executeCommand('mlpInspector.train');
    const session = api.inspector.session!;
    const done = await session.waitFor((s) => s.state === 'stopped', 60_000);
    assert.strictEqual(done.epoch, 2000);
    const reference = cliTrain(uri.fsPath, 2000);
    for (const e of [1, 10, 500, 2000]) {
      assert.strictEqual(done.history[e - 1].loss, reference[e - 1].loss, `epoch ${e}`);
    }
    assert.strictEqual(done.history[1999].accuracy, 1);
    // The run's metrics are kept beside the model, one JSON line per epoch after a header.
    const runs = path.join(path.dirname(uri.fsPath), 'xor-learn.runs');
    await waitFor(() => fs.existsSync(runs) && fs.readdirSync(runs).length === 1 && (api.inspector.view?.runs?.length ?? 0) === 1, 'the run file');
    const lines = fs.readFileSync(path.join(runs, fs.readdirSync(runs)[0]), 'utf8').trim().split('\n');
    assert.strictEqual(lines.length, 2001);
    assert.strictEqual(JSON.parse(lines[0]).format, 'mlp-inspector-run');
    assert.strictEqual(JSON.parse(lines[2000]).loss, reference[1999].loss);
  });

  it('pauses and resumes from the commands; Reset Weights starts over', async () => {
    await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor-learn.mlp.json'));
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 5);
    await vscode.commands.executeCommand('mlpInspector.pause');
    assert.strictEqual(session.state, 'paused');
    const step = session.snapshot!.step;
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(session.snapshot!.step, step, 'no progress while paused');
    await vscode.commands.executeCommand('mlpInspector.resume');
    await session.waitFor((s) => s.step > step + 10);
    await vscode.commands.executeCommand('mlpInspector.resetWeights');
    await session.waitFor((s) => s.step === 0);
    assert.strictEqual(session.snapshot!.history.length, 0);
  });

  it('Save Model writes the trained parameters into the model file, atomically', async () => {
    const uri = workspaceFile('xor-learn.mlp.json');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(300);
    const done = await session.waitFor((s) => s.state === 'stopped', 60_000);
    assert.strictEqual(api.inspector.view?.unsaved, true);
    const saved = await vscode.commands.executeCommand<boolean>('mlpInspector.saveModel');
    assert.strictEqual(saved, true);
    const written = JSON.parse(fs.readFileSync(uri.fsPath, 'utf8'));
    assert.strictEqual(written.parameters.length, 2);
    assert.strictEqual(written.parameters[0].W.length, 2);
    assert.strictEqual(written.parameters[0].W[0].length, 4);
    assert.strictEqual(api.inspector.view?.unsaved, false);
    // No temp file left beside it.
    assert.deepStrictEqual(fs.readdirSync(path.dirname(uri.fsPath)).filter((f) => f.endsWith('.tmp')), []);
    // The saved weights reproduce the loss the run reported (J over XOR's 4 rows, by the CLI).
    let J = 0;
    for (const [x, y] of [['0,0', 0], ['0,1', 1], ['1,0', 1], ['1,1', 0]] as const) {
      const out = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'forward', uri.fsPath, '--input', x], { encoding: 'utf8' }));
      J += 0.5 * (y - out.output[0]) ** 2;
    }
    // Training runs in float32 (the fast path): its J and this float64 one agree to float32's
    // precision, magnified near ŷ ≈ y (see the CLI test of the same thing).
    assert.ok(Math.abs(J - done.history[299].loss) <= 1e-5 * J, `${J} vs ${done.history[299].loss}`);
  });

  it('sets W and b by hand through the host: an edit outside the network is refused with a notice; Undo Step and Save Model take edits', async () => {
    const uri = workspaceFile('lessons/lesson-or.mlp.json');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    assert.strictEqual(api.inspector.view?.lesson?.title, 'OR from one neuron');
    const notices: string[] = [];
    const listening = api.inspector.onStepping((e) => e.notice && notices.push(e.notice));
    try {
      // The host checks the sizes itself (a webview is not trusted with them): the worker never sees it.
      await api.inspector.setParameter({ layer: 1, param: 'W', i: 2, j: 0, value: 1 });
      assert.deepStrictEqual(notices, ['Not set: W[1][2][0]: layer 0 has neurons 0 to 1, not 2']);
      assert.strictEqual(api.inspector.view?.unsaved, false);
      assert.strictEqual(api.inspector.snapshot?.step, 0);
      // OR: z = −0.5 + x1 + x2, so ŷ = σ(−0.5), σ(0.5), σ(0.5), σ(1.5).
      await api.inspector.setParameter({ layer: 1, param: 'W', i: 0, j: 0, value: 1 });
      await api.inspector.setParameter({ layer: 1, param: 'W', i: 1, j: 0, value: 1 });
      await api.inspector.setParameter({ layer: 1, param: 'b', j: 0, value: -0.5 });
      assert.strictEqual(api.inspector.view?.unsaved, true);
      const snap = api.inspector.snapshot!;
      assert.strictEqual(snap.step, 3);
      // The selected row 0 is x = (0, 0): z = b = −0.5, a = σ(−0.5) = 0.3775406687981454.
      assert.ok(Math.abs(snap.sample.a[1][0] - 0.3775406687981454) < 1e-15, String(snap.sample.a[1][0]));
      await vscode.commands.executeCommand('mlpInspector.undoStep');
      assert.deepStrictEqual(Array.from((await api.inspector.session!.getParameters()).layers[0].b), [0]);
      await api.inspector.setParameter({ layer: 1, param: 'b', j: 0, value: -0.5 });
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('mlpInspector.saveModel'), true);
      const written = JSON.parse(fs.readFileSync(uri.fsPath, 'utf8'));
      assert.deepStrictEqual(written.parameters, [{ W: [[1], [1]], b: [-0.5] }]);
      assert.strictEqual(written.lesson.title, 'OR from one neuron');
      assert.strictEqual(api.inspector.view?.unsaved, false);
      assert.strictEqual(notices.length, 1);
    } finally {
      listening.dispose();
    }
  });

  it('shows a broken model file’s problems in the Problems view instead of failing', async () => {
    const uri = workspaceFile('broken.mlp.json');
    fs.writeFileSync(uri.fsPath, '{\n  "layers": [{"units": 2}, {"units": 1, "activation": "sigmod"}],\n  "loss": "sse"\n}\n');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => (api.inspector.view?.problems.length ?? 0) > 0, 'the problems');
    assert.match(api.inspector.view!.problems[0].message, /unknown activation "sigmod"/);
    await waitFor(() => vscode.languages.getDiagnostics(uri).length > 0, 'diagnostics');
    const d = vscode.languages.getDiagnostics(uri)[0];
    assert.strictEqual(d.range.start.line, 1);
    assert.strictEqual(d.range.start.character, 54);
    assert.strictEqual(api.inspector.session, undefined, 'no worker for a model that cannot train');
  });

  it('shows the data layer’s message when the data does not load', async () => {
    const uri = workspaceFile('missing-data.mlp.json');
    fs.writeFileSync(uri.fsPath, JSON.stringify({ layers: [{ units: 2 }, { units: 1, activation: 'sigmoid' }], loss: 'sse', data: { path: 'data/nope.csv' } }));
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.view?.dataError !== undefined, 'the data error');
    assert.match(api.inspector.view!.dataError!, /nope\.csv: file not found/);
  });

  it('closing the panel mid-training pauses the run and keeps it; Open Inspector shows it again', async () => {
    const uri = workspaceFile('kept.mlp.json');
    fs.copyFileSync(workspaceFile('xor-learn.mlp.json').fsPath, uri.fsPath);
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle' && api.inspector.uri?.fsPath === uri.fsPath, 'the network to load');
    const session = api.inspector.session!;
    await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 2);
    // The tab model follows the panel asynchronously: close the tab once it is listed.
    await waitFor(() => inspectorTabs().length === 1, 'the panel’s tab');
    await vscode.window.tabGroups.close(inspectorTabs());
    await waitFor(() => session.state === 'paused', 'the run to pause');
    assert.strictEqual(api.inspector.session, session, 'the trained run is kept');
    assert.strictEqual(api.inspector.view?.unsaved, true);
    const epoch = session.snapshot!.epoch;
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => inspectorTabs().length === 1, 'the panel again');
    assert.strictEqual(api.inspector.session, session);
    assert.strictEqual(api.inspector.snapshot?.epoch, epoch);
    // Saved, there is nothing to lose: closing the panel closes the model and its worker.
    assert.ok(await api.inspector.save());
    await vscode.window.tabGroups.close(inspectorTabs());
    await waitFor(() => api.inspector.uri === undefined, 'the model to close');
    await assert.rejects(session.start(), /disposed/);
  });

  it('keeps the panel a real editor: a single click on a file beside it does not replace it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // As the report had it: the panel open beside a file on one model, then a file in its group
    // in front, and the inspector opened on a second model, which moves the panel to a new group.
    await vscode.window.showTextDocument(workspaceFile('xor.mlp.json'), { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('and.mlp.json'));
    await waitFor(() => inspectorTabs().length === 1 && api.inspector.snapshot !== undefined, 'the first panel');
    await vscode.window.showTextDocument(workspaceFile('and-not.mlp.json'), { viewColumn: inspectorTabs()[0].group.viewColumn, preview: false });
    await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor-learn.mlp.json'));
    await waitFor(() => inspectorTabs().length === 1 && api.inspector.uri?.fsPath === workspaceFile('xor-learn.mlp.json').fsPath, 'the panel on the second model');
    await waitFor(() => inspectorTabs().length === 1 && !inspectorTabs()[0].isPreview, 'the panel as a pinned tab');
    // A single click in the Explorer opens a file as a preview in the active group: the panel's.
    const group = inspectorTabs()[0].group.viewColumn;
    await vscode.window.showTextDocument(workspaceFile('or.mlp.json'), { viewColumn: group, preview: true });
    assert.strictEqual(inspectorTabs().length, 1, 'the panel is still open');
    assert.strictEqual(api.inspector.uri?.fsPath, workspaceFile('xor-learn.mlp.json').fsPath);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => api.inspector.uri === undefined, 'the untouched model to close with its panel');
  });

  it('a worker that dies mid-run loses nothing: the run restarts from the last weights shown', async () => {
    const uri = workspaceFile('crash.mlp.json');
    fs.copyFileSync(workspaceFile('xor-learn.mlp.json').fsPath, uri.fsPath);
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.uri?.fsPath === uri.fsPath && api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 100);
    await session.pause();
    // The host copies the parameters out at every rest: the restart starts from them.
    await waitFor(() => session.lastParameters?.step === session.snapshot!.step, 'the parameters of the pause');
    // Killed from outside, as the operating system or a crash would.
    await (session as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await waitFor(() => session.state === 'error', 'the session to see the worker gone');
    const last = session.snapshot!;
    assert.match(session.error ?? '', /exited unexpectedly/);
    assert.ok(await api.inspector.restartFromLastWeights());
    const fresh = api.inspector.session!;
    assert.notStrictEqual(fresh, session);
    await waitFor(() => fresh.snapshot?.state === 'idle', 'the new worker');
    fresh.snapshot!.layers.forEach((l, k) => {
      assert.deepStrictEqual(Array.from(l.W!), Array.from(last.layers[k].W!), `W[${k + 1}]`);
      assert.deepStrictEqual(Array.from(l.b), Array.from(last.layers[k].b), `b[${k + 1}]`);
    });
    assert.strictEqual(api.inspector.view?.unsaved, true, 'the weights are not in the file');
    // Saved, they are.
    assert.ok(await api.inspector.save());
    const saved = JSON.parse(fs.readFileSync(uri.fsPath, 'utf8'));
    assert.deepStrictEqual(saved.parameters[0].b, Array.from(last.layers[0].b));
  });

  it('deleting the model file mid-training stops the run and keeps the file deleted', async () => {
    const uri = workspaceFile('doomed.mlp.json');
    fs.copyFileSync(workspaceFile('xor-learn.mlp.json').fsPath, uri.fsPath);
    fs.mkdirSync(path.join(path.dirname(uri.fsPath), 'data'), { recursive: true });
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 2);
    fs.rmSync(uri.fsPath);
    await waitFor(() => api.inspector.session === undefined, 'the run to stop', 20_000);
    assert.match(api.inspector.view?.dataError ?? '', /was deleted/);
    await assert.rejects(session.start(), /disposed/);
    assert.strictEqual(fs.existsSync(uri.fsPath), false);
  });

  it('a model file replaced by an invalid one mid-run: the run goes on, the problems are shown, Save Model writes a valid file again', async () => {
    const uri = workspaceFile('replaced.mlp.json');
    fs.copyFileSync(workspaceFile('xor-learn.mlp.json').fsPath, uri.fsPath);
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.uri?.fsPath === uri.fsPath && api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 10);
    fs.writeFileSync(uri.fsPath, '{\n  "layers": [{"units": 2}, {"units": 1, "activation": "sigmod"}],\n  "loss": "sse"\n}\n');
    await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => /unknown activation "sigmod"/.test(d.message)), 'the new file’s problems', 30_000);
    assert.strictEqual(api.inspector.session, session, 'the same run');
    const epoch = session.snapshot!.epoch;
    await session.waitFor((s) => s.epoch > epoch + 10);
    assert.strictEqual(session.state, 'training');
    await session.pause();
    const W = Array.from(session.snapshot!.layers[0].W!);
    assert.ok(await api.inspector.save());
    const saved = JSON.parse(fs.readFileSync(uri.fsPath, 'utf8'));
    assert.deepStrictEqual(saved.layers.map((l: { units: number }) => l.units), [2, 4, 1]);
    assert.deepStrictEqual(saved.parameters[0].W.flat(), W);
  });

  it('Save Model onto a read-only model file: a clear error, the file left as it was', async () => {
    const uri = workspaceFile('readonly.mlp.json');
    fs.copyFileSync(workspaceFile('xor-learn.mlp.json').fsPath, uri.fsPath);
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.uri?.fsPath === uri.fsPath && api.inspector.snapshot?.state === 'idle', 'the network to load');
    await api.inspector.session!.start(50);
    await api.inspector.session!.waitFor((s) => s.state === 'stopped');
    fs.chmodSync(uri.fsPath, 0o444);
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    try {
      assert.strictEqual(await api.inspector.save(), false);
      assert.strictEqual(fs.readFileSync(uri.fsPath, 'utf8'), before);
      assert.strictEqual(fs.statSync(uri.fsPath).mode & 0o777, 0o444);
      assert.strictEqual(api.inspector.view?.unsaved, true, 'the trained weights are still unsaved, not lost');
    } finally {
      fs.chmodSync(uri.fsPath, 0o644);
    }
  });

  it('Save Model onto a full disk: a clear error, the model file intact, no temporary file left', async function () {
    // A real full file system: a 64 KiB tmpfs mounted in the workspace (mounting needs root, as CI runs).
    if (process.getuid?.() !== 0) this.skip();
    const dir = workspaceFile('fulldisk').fsPath;
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    try {
      fs.mkdirSync(path.join(dir, 'data'));
      fs.copyFileSync(workspaceFile('data/xor.csv').fsPath, path.join(dir, 'data', 'xor.csv'));
      const file = path.join(dir, 'm.mlp.json');
      fs.copyFileSync(workspaceFile('xor-learn.mlp.json').fsPath, file);
      const before = fs.readFileSync(file, 'utf8');
      await vscode.commands.executeCommand('mlpInspector.openInspector', vscode.Uri.file(file));
      await waitFor(() => api.inspector.uri?.fsPath === file && api.inspector.snapshot?.state === 'idle', 'the network to load');
      await api.inspector.session!.start(50);
      await api.inspector.session!.waitFor((s) => s.state === 'stopped');
      // Fill what is left, then save.
      try {
        fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(64 * 1024));
      } catch (err) {
        assert.strictEqual((err as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      assert.strictEqual(await api.inspector.save(), false);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), before);
      assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
      assert.strictEqual(api.inspector.view?.unsaved, true, 'the trained weights are still unsaved, not lost');
      // It was the space: with room made, the same Save Model writes them.
      fs.rmSync(path.join(dir, 'filler'));
      assert.strictEqual(await api.inspector.save(), true);
      assert.strictEqual(JSON.parse(fs.readFileSync(file, 'utf8')).parameters.length, 2);
      await api.inspector.close();
    } finally {
      execFileSync('umount', ['-l', dir]);
    }
  });

  it('refuses a model whose training would exceed mlpInspector.maxTrainingMemoryMiB, saying what to change', async () => {
    const config = vscode.workspace.getConfiguration('mlpInspector');
    // xor-learn (2-4-1, its 4 rows in batches of 4): 48·17 + 32·7·4 = 816 + 896 = 1,712 bytes; 0.001 MiB is 1,048.
    await config.update('maxTrainingMemoryMiB', 0.001, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor-learn.mlp.json'));
      await waitFor(() => api.inspector.view?.dataError !== undefined, 'the budget message');
      assert.match(api.inspector.view!.dataError!, /training the network 2-4-1 in one batch of all 4 training rows needs about 1\.67 KiB \(parameters, gradients and optimizer state 816 bytes; a batch's activations 896 bytes\), more than the budget of 0\.001 MiB: .*mlpInspector\.maxTrainingMemoryMiB/);
      assert.strictEqual(api.inspector.session, undefined, 'no worker for a model over the budget');
      // An architecture edit is held to it too: 2-4096-1 has 16,385 parameters (far inside the
      // parameter budget), 786,480 bytes with their state, plus 32·4,099·4 = 524,672 bytes of
      // activations: over 1 MiB (1,048,576).
      await config.update('maxTrainingMemoryMiB', 1, vscode.ConfigurationTarget.Global);
      await api.inspector.close();
      await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor-learn.mlp.json'));
      await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
      await api.inspector.setLayers([{ units: 2 }, { units: 4096, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }]);
      assert.deepStrictEqual(api.inspector.session!.info!.sizes, [2, 4, 1], 'the edit was refused');
      await api.inspector.setLayers([{ units: 2 }, { units: 2048, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }]);
      await waitFor(() => api.inspector.session?.info?.sizes[1] === 2048, 'the edit inside the budget');
    } finally {
      await config.update('maxTrainingMemoryMiB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('steps the XOR network through forward, backward and update; every number is the CLI’s', async () => {
    const uri = workspaceFile('xor.mlp.json');
    await vscode.commands.executeCommand('mlpInspector.openInspector', uri);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    await api.inspector.selectSample(2); // x = (1, 0), y = 1
    const cli = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8' }));
    const fwd = cli('forward', uri.fsPath, '--input', '1,0');
    const bwd = cli('backward', uri.fsPath, '--input', '1,0', '--target', '1');

    await vscode.commands.executeCommand('mlpInspector.stepForward');
    let st = api.inspector.stepping!;
    assert.strictEqual(st.forwardLayer, 1);
    assert.deepStrictEqual(Array.from(st.z[1]), fwd.layers[0].z);
    assert.deepStrictEqual(Array.from(st.a[1]), fwd.layers[0].a);
    await vscode.commands.executeCommand('mlpInspector.stepForward');
    st = api.inspector.stepping!;
    assert.deepStrictEqual(Array.from(st.a[2]), fwd.output);
    assert.strictEqual(st.loss, bwd.loss);
    for (const l of [2, 1]) {
      await vscode.commands.executeCommand('mlpInspector.stepBackward');
      st = api.inspector.stepping!;
      assert.strictEqual(st.backwardLayer, l);
      const want = bwd.layers[l - 1];
      assert.deepStrictEqual(Array.from(st.dLdz[l]), want.dLdz);
      assert.deepStrictEqual(Array.from(st.dLdb[l]), want.dLdb);
      assert.deepStrictEqual(Array.from(st.dLdW[l]), want.dLdW.flat());
    }
    const before = await api.inspector.session!.getParameters();
    await vscode.commands.executeCommand('mlpInspector.applyUpdate');
    st = api.inspector.stepping!;
    assert.strictEqual(st.phase, 'updated');
    // SGD with η = 0.5: W := W − η dL/dW, and the worker now trains from the stepped weights.
    const after = await api.inspector.session!.getParameters();
    for (const l of [1, 2]) {
      const g = bwd.layers[l - 1].dLdW.flat();
      Array.from(after.layers[l - 1].W).forEach((w, k) => assert.strictEqual(w, before.layers[l - 1].W[k] - 0.5 * g[k]));
    }
    assert.strictEqual(after.step, before.step + 1);
    await vscode.commands.executeCommand('mlpInspector.undoStep');
    const undone = await api.inspector.session!.getParameters();
    assert.deepStrictEqual(undone.layers, before.layers);

    const check = await vscode.commands.executeCommand<{ ok: boolean; maxRelError: number; perLayer: unknown[] }>('mlpInspector.runGradientCheck');
    assert.strictEqual(check.ok, true, `max relative error ${check.maxRelError}`);
    assert.strictEqual(check.perLayer.length, 2);

    // The same sample's loss as a computation graph: its gradients are backprop's.
    const graph = await api.inspector.lossGraph();
    assert.ok(typeof graph !== 'string', String(graph));
    assert.match(graph.expression, /^0\.5\*\(\(y0 - sigmoid\(b2_0 \+ W2_0_0\*sigmoid\(b1_0 \+ W1_0_0\*x0/);
    assert.strictEqual(graph.values.W1_0_0, 20);
    await vscode.commands.executeCommand('mlpInspector.showLossGraph');
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('mlpInspector.computationGraph')), 'the graph panel');
  });

  it('pausing a run and stepping continues from the paused weights', async () => {
    await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor-learn.mlp.json'));
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 3);
    await vscode.commands.executeCommand('mlpInspector.stepForward'); // pauses first
    assert.strictEqual(session.state, 'paused');
    const paused = await session.getParameters();
    const st = api.inspector.stepping!;
    // z[1] of row 0 computed from the paused weights: b + Wᵀx with x = a[0].
    const x = st.a[0];
    const W = paused.layers[0].W;
    const b = paused.layers[0].b;
    for (let j = 0; j < 4; j++) {
      let z = b[j];
      for (let i = 0; i < 2; i++) if (x[i] !== 0) z += W[i * 4 + j] * x[i];
      assert.strictEqual(st.z[1][j], z);
    }
    await vscode.commands.executeCommand('mlpInspector.step');
    assert.strictEqual((await session.getParameters()).step, paused.step + 1);
    await vscode.commands.executeCommand('mlpInspector.resume');
    await session.waitFor((s) => s.step > paused.step + 5);
  });

  // Last: it deactivates the extension, as disabling it or closing the window does.
  it('deactivating the extension mid-training closes the panel and stops the worker', async () => {
    await vscode.commands.executeCommand('mlpInspector.openInspector', workspaceFile('xor-learn.mlp.json'));
    await waitFor(() => api.inspector.snapshot?.state === 'training' || api.inspector.snapshot?.state === 'idle', 'the network to load');
    const session = api.inspector.session!;
    if (session.state !== 'training') await session.start(1_000_000);
    await session.waitFor((s) => s.epoch > 2);
    await waitFor(() => inspectorTabs().length === 1, 'the panel’s tab');
    // The very module the extension host loaded (require's cache), so its own deactivate runs.
    const main = path.join(extension.extensionPath, extension.packageJSON.main as string);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(main) as { deactivate(): Promise<void> };
    await loaded.deactivate();
    assert.strictEqual(api.inspector.session, undefined);
    await waitFor(() => inspectorTabs().length === 0, 'the panel to close');
    await assert.rejects(session.start(), /disposed/);
  });
});
