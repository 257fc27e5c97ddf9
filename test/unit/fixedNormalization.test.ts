/**
 * A trained model's saved normalization is what its data goes through, not one refitted on the
 * rows the file holds now: otherwise appending rows to a CSV, or attaching a dataset to a model
 * imported from ONNX, would silently change the function the weights compute.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadData } from '../../src/data/loadData';
import { nodeFileAccess } from '../../src/data/nodeFileAccess';
import { fixedNormalization } from '../../src/model/savedNormalization';
import type { ModelFile } from '../../src/model/modelFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-fixed-norm-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'd.csv'), 'a,b,y\n1,10,0\n3,30,1\n5,50,0\n7,70,1\n');

const layers = [{ units: 2 }, { units: 1, activation: 'sigmoid' as const }];
const parameters = [{ W: [[1], [2]], b: [0] }];

describe('fixed normalization: a trained model keeps its own', () => {
  it('is the saved one (standard, minmax or none) only for a model with parameters', () => {
    const standard = { method: 'standard', inputNames: ['a', 'b'], mean: [2, 20], std: [4, 40] };
    assert.equal(fixedNormalization({ layers, loss: 'sse', normalization: standard } as ModelFile), undefined);
    assert.deepEqual(fixedNormalization({ layers, loss: 'sse', parameters, normalization: standard } as ModelFile), standard);
    assert.deepEqual(fixedNormalization({ layers, loss: 'sse', parameters, normalization: { method: 'none', inputNames: ['a', 'b'] } } as ModelFile), { method: 'none', inputNames: ['a', 'b'] });
    assert.equal(fixedNormalization({ layers, loss: 'sse', parameters, normalization: { method: 'standard', mean: [1], std: [1] } } as ModelFile), undefined, 'one entry for two inputs: unusable, so the data fits its own');
    assert.equal(fixedNormalization({ layers, loss: 'sse', parameters } as ModelFile), undefined);
  });

  it('loadData applies it instead of fitting: (x − 2) / 4 and (x − 20) / 40, and none leaves x raw', async () => {
    const spec = { path: 'd.csv', target: ['y'], normalize: 'standard' as const };
    const fixed = await loadData(spec, { baseDir: dir, files: nodeFileAccess, normalization: { method: 'standard', inputNames: ['p', 'q'], mean: [2, 20], std: [4, 40] } });
    assert.deepEqual(Array.from(fixed.train.x), [(1 - 2) / 4, (10 - 20) / 40, (3 - 2) / 4, (30 - 20) / 40, (5 - 2) / 4, (50 - 20) / 40, (7 - 2) / 4, (70 - 20) / 40]);
    assert.deepEqual(fixed.normalization.inputNames, ['a', 'b'], 'named by the data');
    const none = await loadData(spec, { baseDir: dir, files: nodeFileAccess, normalization: { method: 'none', inputNames: ['a', 'b'] } });
    assert.deepEqual(Array.from(none.train.x), [1, 10, 3, 30, 5, 50, 7, 70]);
    // Without it (or with one of the wrong width) the training split's own: mean 4, population std √5.
    for (const normalization of [undefined, { method: 'none' as const, inputNames: ['a'] }]) {
      const fitted = await loadData(spec, { baseDir: dir, files: nodeFileAccess, ...(normalization ? { normalization } : {}) });
      assert.ok(Math.abs(fitted.train.x[0] - (1 - 4) / Math.sqrt(5)) < 1e-15);
    }
  });
});
