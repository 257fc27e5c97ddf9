// A restored panel's webview state names the model to reopen; a webview can write it, so only a
// file URI of a *.mlp.json inside the workspace passes.
import { strict as assert } from 'assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadModelSource } from '../../src/host/loadModelSource';
import { restoredModelProblem } from '../../src/host/restoredModelUri';

describe('restored panels: which model URIs may be reopened', () => {
  const ws = ['/home/u/course', '/home/u/other'];
  it('takes a model file inside a workspace folder', () => {
    assert.equal(restoredModelProblem('file', '/home/u/course/xor.mlp.json', ws), undefined);
    assert.equal(restoredModelProblem('file', '/home/u/other/deep/m.MLP.JSON', ws), undefined);
  });
  it('refuses other schemes, other files, and paths outside the workspace', () => {
    assert.match(restoredModelProblem('https', '/evil/x.mlp.json', ws) ?? '', /only files can be reopened, not https/);
    assert.match(restoredModelProblem('file', '/home/u/course/.bashrc', ws) ?? '', /only \*\.mlp\.json/);
    assert.match(restoredModelProblem('file', '/etc/x.mlp.json', ws) ?? '', /not inside the open workspace/);
    assert.match(restoredModelProblem('file', '/home/u/course/../secret/x.mlp.json', ws) ?? '', /not inside/);
    assert.match(restoredModelProblem('file', '/home/u/courses/x.mlp.json', ws) ?? '', /not inside/, 'a sibling with a common prefix');
    assert.match(restoredModelProblem('file', '/home/u/course/x.mlp.json', []) ?? '', /not inside/, 'no workspace open');
  });
});

describe('Restricted Mode: data sets outside the workspace wait for trust', () => {
  it('loads a data set inside the workspace and refuses one outside, saying how to allow it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mlp-trust-'));
    try {
      const ws = path.join(root, 'course');
      mkdirSync(path.join(ws, 'data'), { recursive: true });
      const csv = 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n';
      writeFileSync(path.join(ws, 'data', 'xor.csv'), csv);
      writeFileSync(path.join(root, 'outside.csv'), csv);
      const model = (p: string) => JSON.stringify({ layers: [{ units: 2 }, { units: 1, activation: 'sigmoid' }], loss: 'sse', data: { path: p, features: ['x1', 'x2'], target: ['y'], normalize: 'none', validationSplit: 0 } });
      writeFileSync(path.join(ws, 'in.mlp.json'), model('data/xor.csv'));
      writeFileSync(path.join(ws, 'out.mlp.json'), model('../outside.csv'));
      const inside = await loadModelSource(path.join(ws, 'in.mlp.json'), { untrustedFolders: [ws] });
      assert.equal(inside.dataProblem, undefined);
      assert.equal(inside.data?.train.rows, 4);
      const outside = await loadModelSource(path.join(ws, 'out.mlp.json'), { untrustedFolders: [ws] });
      assert.match(outside.dataProblem?.message ?? '', /the data set \.\.\/outside\.csv is outside the workspace; in Restricted Mode .* Manage Workspace Trust/);
      // Trusted (no restriction given), it loads.
      assert.equal((await loadModelSource(path.join(ws, 'out.mlp.json'))).data?.train.rows, 4);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
