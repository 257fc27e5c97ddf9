// "MLP Inspector: Open Example" in a real extension host: the walkthrough's buttons run it with
// arguments from a link, so every argument is checked, the example opens from a working copy in
// the extension's global storage, and a copy the user changed is never replaced.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MlpInspectorApi } from '../../src/extension';
import { waitFor } from './workspace';

const EXTENSION_ID = 'mlp-inspector.mlp-inspector';
type Result = { model: string; kept: string[] } | { refused: string } | undefined;

async function openExample(...args: unknown[]): Promise<Result> {
  return vscode.commands.executeCommand<Result>('mlpInspector.openExample', ...args);
}

function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));
}

describe('Open Example: the bundled examples, from working copies (real vscode API)', () => {
  let api: MlpInspectorApi;
  let copies: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<MlpInspectorApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
  });

  after(async () => {
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview));
    await api.inspector.close();
  });

  it('refuses a name that is not a bundled example, and an unknown follow-up, saying why; nothing is written', async () => {
    for (const bad of ['../package', '/etc/passwd', 'xor.mlp.json', 'lessons/../xor']) {
      const r = await openExample(bad);
      assert.ok(r && 'refused' in r, `${bad} was not refused`);
      assert.match(r.refused, /^there is no bundled example called ".*"; the examples are .*\bxor\b/);
    }
    const notString = await openExample(42);
    assert.ok(notString && 'refused' in notString);
    assert.match(notString.refused, /must be a string, not number/);
    const badThen = await openExample('xor', 'deleteEverything');
    assert.ok(badThen && 'refused' in badThen);
    assert.match(badThen.refused, /"deleteEverything" is not something to do with an example; one of inspect, stepForward/);
    assert.strictEqual(api.inspector.uri, undefined, 'no model was opened');
  });

  it('opens an example from a copy in global storage, with its data, and trains it there', async () => {
    const r = await openExample('perceptron-xor');
    assert.ok(r && 'model' in r, JSON.stringify(r));
    copies = path.dirname(r.model);
    assert.strictEqual(path.basename(copies), 'examples');
    assert.ok(!vscode.workspace.workspaceFolders?.some((f) => r.model.startsWith(f.uri.fsPath)), 'the copy is outside the workspace');
    assert.ok(fs.existsSync(path.join(copies, 'data', 'xor.csv')));
    assert.strictEqual(api.inspector.uri?.fsPath, r.model);
    assert.strictEqual(api.inspector.view?.dataError, undefined);
    await waitFor(() => api.inspector.snapshot?.state === 'idle', 'the network to load');
    // Run logs go beside the copy, as beside any model.
    await vscode.commands.executeCommand('mlpInspector.train');
    const done = await api.inspector.session!.waitFor((s) => s.state === 'stopped', 60_000);
    assert.strictEqual(done.epoch, 300);
    const runs = path.join(copies, 'perceptron-xor.runs');
    await waitFor(() => fs.existsSync(runs) && fs.readdirSync(runs).length === 1, 'the run log beside the copy');
    await vscode.commands.executeCommand('mlpInspector.resetWeights');
  });

  it('keeps a copy the user changed, and opens it as it is', async () => {
    await api.inspector.close();
    const mine = path.join(copies, 'xor.mlp.json');
    const first = await openExample('xor');
    assert.ok(first && 'model' in first && first.kept.length === 0);
    await api.inspector.close();
    const edited = fs.readFileSync(mine, 'utf8').replace('"name": "xor"', '"name": "my xor"');
    assert.notStrictEqual(edited, fs.readFileSync(mine, 'utf8'));
    fs.writeFileSync(mine, edited);
    const again = await openExample('xor');
    assert.ok(again && 'model' in again);
    assert.deepStrictEqual(again.kept, ['xor.mlp.json']);
    assert.strictEqual(fs.readFileSync(mine, 'utf8'), edited);
    assert.strictEqual(api.inspector.view?.name, 'my xor');
  });

  it('runs the follow-up on the opened example: the Initialization Lab opens on it', async () => {
    const r = await openExample('xor-learn', 'openInitializationLab');
    assert.ok(r && 'model' in r);
    assert.strictEqual(api.inspector.uri?.fsPath, r.model);
    await waitFor(() => webviewTabs('mlpInspector.initializationLab').length === 1, 'the Initialization Lab tab');
  });
});
