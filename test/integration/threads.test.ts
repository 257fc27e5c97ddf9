import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlpInspectorApi } from '../../src/extension';
import { waitFor } from './workspace';

const ROOT = path.resolve(__dirname, '..', '..', '..');

// mlpInspector.trainingThreads in the real extension host: the training worker starts worker
// threads of its own over shared WebAssembly memory, and a run on them gives, epoch by epoch,
// the losses the CLI's `train --threads 2` prints for the same model.
describe('Training on several threads (real vscode API)', () => {
  let api: MlpInspectorApi;
  const config = () => vscode.workspace.getConfiguration('mlpInspector');

  before(async () => {
    api = await vscode.extensions.getExtension<MlpInspectorApi>('mlp-inspector.mlp-inspector')!.activate();
  });

  after(async () => {
    await api.inspector.close();
    await config().update('trainingThreads', undefined, vscode.ConfigurationTarget.Global);
  });

  it('trains a model wide enough to split on 2 threads, with the CLI’s losses for --threads 2', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const dir = path.join(folder, 'threads');
    fs.mkdirSync(dir, { recursive: true });
    // 256 rows of 128 features and one of 3 classes, from a fixed formula (no randomness).
    const header = [...Array.from({ length: 128 }, (_, k) => `f${k}`), 'class'].join(',');
    const rows = Array.from({ length: 256 }, (_, r) => {
      const x = Array.from({ length: 128 }, (_, k) => Math.sin(r * 0.37 + k * 1.3).toFixed(4));
      return [...x, ['a', 'b', 'c'][(r * 7) % 3]].join(',');
    });
    fs.writeFileSync(path.join(dir, 'wide.csv'), [header, ...rows].join('\n') + '\n');
    // 128-320-3: a batch of 64 splits into shards of 32 rows × 41,920 weights, above the 2²⁰
    // multiply-adds under which a run stays on one thread.
    const modelFile = path.join(dir, 'wide.mlp.json');
    fs.writeFileSync(
      modelFile,
      JSON.stringify({
        layers: [{ units: 128 }, { units: 320, activation: 'relu' }, { units: 3, activation: 'softmax' }],
        loss: 'cross_entropy',
        init: { weights: 'he', seed: 5 },
        optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.1, batchSize: 64, epochs: 5 },
        data: { path: 'wide.csv', target: ['class'] },
      }),
    );
    await config().update('trainingThreads', 2, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('mlpInspector.openInspector', vscode.Uri.file(modelFile));
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load', 30_000);
    const session = api.inspector.session!;
    await session.start(5);
    const done = await session.waitFor((s) => s.state === 'stopped', 60_000);
    // What the sidebar shows: the worker trained on both threads, on the fused multiply-add
    // kernels (the worker turns relaxed SIMD on where the host's Node, as code-server's 20, lacks it).
    assert.deepStrictEqual(done.arithmetic, { precision: 'float32', kernels: 'relaxed-simd', threads: 2 });
    const cli = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', modelFile, '--threads', '2'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { epoch: number; loss: number });
    assert.strictEqual(cli.length, 5);
    for (const e of cli) assert.strictEqual(done.history[e.epoch - 1].loss, e.loss, `epoch ${e.epoch}`);
  });
});
