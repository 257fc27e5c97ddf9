// A restored panel's webview state names the model to reopen; a webview can write it, so only a
// file URI of a *.mlp.json inside the workspace passes.
import { strict as assert } from 'assert';
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
