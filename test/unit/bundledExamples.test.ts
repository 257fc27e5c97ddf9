// The examples that ship with the extension open from working copies in its storage: names are
// checked against the bundled list (nothing else reaches the file system), a copy brings its data
// along, and a copy the user changed is never replaced.
import { strict as assert } from 'assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadModelSource } from '../../src/host/loadModelSource';
import { bundledExampleNames, exampleNameProblem, installExample, restoreExampleFiles } from '../../src/node/bundledExamples';
import { pristineExamples } from '../pristineExamples';

describe('bundled examples and their working copies', () => {
  const EXAMPLES = pristineExamples();
  let storage: string;
  beforeEach(() => {
    storage = mkdtempSync(path.join(tmpdir(), 'mlp-examples-'));
  });
  afterEach(() => rmSync(storage, { recursive: true, force: true }));

  it('lists every *.mlp.json of examples/ (and of examples/lessons/, as lessons/NAME), and nothing else', async () => {
    const names = await bundledExampleNames(EXAMPLES);
    for (const n of ['and', 'perceptron-and', 'perceptron-xor', 'xor', 'xor-learn', 'penguins']) assert.ok(names.includes(n), n);
    assert.ok(!names.some((n) => n.includes('.') || n.startsWith('data')), names.join());
    const withLessons = path.join(storage, 'bundle');
    mkdirSync(path.join(withLessons, 'lessons'), { recursive: true });
    writeFileSync(path.join(withLessons, 'a.mlp.json'), '{}');
    writeFileSync(path.join(withLessons, 'lessons', 'intro.mlp.json'), '{}');
    writeFileSync(path.join(withLessons, 'lessons', 'notes.md'), '');
    assert.deepEqual(await bundledExampleNames(withLessons), ['a', 'lessons/intro']);
    assert.deepEqual(await bundledExampleNames(path.join(storage, 'missing')), []);
  });

  it('refuses any name that is not exactly a bundled one, saying which exist', () => {
    const names = ['and', 'xor', 'lessons/intro'];
    assert.equal(exampleNameProblem('xor', names), undefined);
    assert.equal(exampleNameProblem('lessons/intro', names), undefined);
    for (const bad of ['../xor', '/etc/passwd', 'xor.mlp.json', 'XOR', 'lessons/../xor', '', 'lessons']) {
      assert.match(exampleNameProblem(bad, names) ?? '', /^there is no bundled example called ".*"; the examples are and, xor, lessons\/intro$/, bad);
    }
    assert.match(exampleNameProblem(undefined, names) ?? '', /must be a string, not undefined/);
    assert.match(exampleNameProblem(null, names) ?? '', /must be a string, not null/);
    assert.match(exampleNameProblem({ name: 'xor' }, names) ?? '', /must be a string, not object/);
    assert.match(exampleNameProblem('x'.repeat(500), names) ?? '', /"x{60}…"/, 'a long name is cut short in the message');
  });

  it('copies the model and the data it names, laid out so that the model loads from the copy', async () => {
    const copies = path.join(storage, 'examples');
    const installed = await installExample(EXAMPLES, copies, 'perceptron-xor');
    assert.equal(installed.model, path.join(copies, 'perceptron-xor.mlp.json'));
    assert.deepEqual(installed.copied, ['perceptron-xor.mlp.json', path.join('data', 'xor.csv')]);
    assert.deepEqual(installed.kept, []);
    assert.equal(readFileSync(installed.model, 'utf8'), readFileSync(path.join(EXAMPLES, 'perceptron-xor.mlp.json'), 'utf8'));
    // The copy loads on its own, also in Restricted Mode with the copies' folder allowed (as the
    // Inspector allows its own folders) and no workspace folder at all.
    const source = await loadModelSource(installed.model, { untrustedFolders: [copies] });
    assert.equal(source.dataProblem, undefined);
    assert.equal(source.data?.train.rows, 4);
    // ... and not when only some workspace elsewhere is allowed: the allowance is what makes it work.
    const refused = await loadModelSource(installed.model, { untrustedFolders: [path.join(storage, 'workspace')] });
    assert.match(refused.dataProblem?.message ?? '', /outside the workspace; in Restricted Mode/);
  });

  it('leaves a copy the user trained or edited as it is, and copies only what is missing', async () => {
    const copies = path.join(storage, 'examples');
    await installExample(EXAMPLES, copies, 'xor');
    const mine = path.join(copies, 'xor.mlp.json');
    const edited = readFileSync(mine, 'utf8').replace('"xor"', '"my xor"');
    writeFileSync(mine, edited);
    rmSync(path.join(copies, 'data', 'xor.csv'));
    const again = await installExample(EXAMPLES, copies, 'xor');
    assert.deepEqual(again.kept, ['xor.mlp.json']);
    assert.deepEqual(again.copied, [path.join('data', 'xor.csv')]);
    assert.equal(readFileSync(mine, 'utf8'), edited);
    // An untouched copy is neither kept nor copied again.
    const third = await installExample(EXAMPLES, copies, 'xor');
    assert.deepEqual([third.copied, third.kept], [[], ['xor.mlp.json']]);
    const and = await installExample(EXAMPLES, copies, 'and');
    assert.deepEqual(and.kept, []);
    assert.deepEqual((await installExample(EXAMPLES, copies, 'and')).copied, []);
  });

  it('restores the originals of the files it is told, only the example\'s own, only when asked', async () => {
    const copies = path.join(storage, 'examples');
    await installExample(EXAMPLES, copies, 'xor');
    const mine = path.join(copies, 'xor.mlp.json');
    writeFileSync(mine, '{"mine": true}');
    await assert.rejects(restoreExampleFiles(EXAMPLES, copies, 'xor', ['and.mlp.json']), /is not a file of the example xor/);
    await assert.rejects(restoreExampleFiles(EXAMPLES, copies, 'xor', ['../../etc/passwd']), /is not a file of the example xor/);
    assert.equal(readFileSync(mine, 'utf8'), '{"mine": true}');
    await restoreExampleFiles(EXAMPLES, copies, 'xor', ['xor.mlp.json']);
    assert.equal(readFileSync(mine, 'utf8'), readFileSync(path.join(EXAMPLES, 'xor.mlp.json'), 'utf8'));
    assert.deepEqual((await installExample(EXAMPLES, copies, 'xor')).kept, []);
  });

  it('copies no file from outside the bundled examples, whatever a model names as its data', async () => {
    const bundle = path.join(storage, 'bundle');
    mkdirSync(bundle);
    writeFileSync(path.join(storage, 'secret.csv'), 'x,y\n1,2\n');
    writeFileSync(path.join(bundle, 'bad.mlp.json'), JSON.stringify({ data: { path: '../secret.csv' } }));
    await assert.rejects(installExample(bundle, path.join(storage, 'copies'), 'bad'), /names the data set \.\.\/secret\.csv, which is not inside the bundled examples/);
    // A copy that is a folder or unreadable is reported, not replaced.
    const copies = path.join(storage, 'copies2');
    mkdirSync(path.join(copies, 'xor.mlp.json'), { recursive: true });
    await assert.rejects(installExample(EXAMPLES, copies, 'xor'), /could not be read/);
  });
});
