/**
 * Every format feature of issue 3, one fixture each: the values are written out by hand from
 * the fixture files, and every fixture is also read in 3-byte chunks, which must agree.
 */
import * as assert from 'node:assert/strict';
import { loadData } from '../../src/data/loadData';
import { detectDelimiter } from '../../src/data/csvSource';
import { FIXTURES, loadFixture, memoryFiles, rowOf } from './dataTestUtil';

const XOR_X = [0, 0, 0, 1, 1, 0, 1, 1];
const XOR_Y = [0, 1, 1, 0];

describe('data formats', () => {
  describe('CSV', () => {
    it('reads quoted headers that contain the delimiter, quotes and semicolons', async () => {
      const d = await loadFixture({ path: 'quoted-headers.csv', normalize: 'none' });
      assert.deepEqual(d.featureColumns, ['width, cm', 'height "in"', 'kind; of']);
      assert.deepEqual(d.targetColumns, ['label']);
      assert.equal(d.task, 'classification');
      assert.deepEqual(d.classes, ['a', 'b']);
      assert.deepEqual(Array.from(d.train.x), [1.5, 2, 3, 2.5, 3, 4, 3.5, 4, 5]);
      assert.deepEqual(Array.from(d.train.y), [1, 0, 0, 1, 1, 0]);
      assert.deepEqual(Array.from(d.train.sourceLines), [2, 3, 4]);
    });

    it('selects columns by names with any characters in them', async () => {
      const d = await loadFixture({ path: 'quoted-headers.csv', features: ['height "in"', 'width, cm'], target: ['label'], normalize: 'none' });
      assert.deepEqual(d.inputNames, ['height "in"', 'width, cm']);
      assert.deepEqual(rowOf(d.train.x, 2, 0), [2, 1.5]);
    });

    for (const [fixture, what] of [
      ['crlf.csv', 'CRLF line endings'],
      ['bom.csv', 'a UTF-8 byte-order mark'],
      ['blank-trailing.csv', 'blank and space-only lines at the end'],
    ]) {
      it(`reads ${what}`, async () => {
        const d = await loadFixture({ path: fixture, normalize: 'none' });
        assert.deepEqual(d.inputNames, ['x1', 'x2'], 'no BOM or CR may stick to a name');
        assert.deepEqual(d.outputNames, ['y']);
        assert.equal(d.task, 'regression');
        assert.deepEqual(Array.from(d.train.x), XOR_X);
        assert.deepEqual(Array.from(d.train.y), XOR_Y);
        assert.deepEqual(Array.from(d.train.sourceLines), [2, 3, 4, 5]);
        assert.equal(d.summary.rowsRead, 4);
      });
    }

    it('skips blank lines anywhere and still counts them in line numbers', async () => {
      const d = await loadFixture({ path: 'blank-lines-inside.csv', normalize: 'none' });
      assert.deepEqual(Array.from(d.train.x), XOR_X);
      assert.deepEqual(Array.from(d.train.sourceLines), [3, 5, 7, 8]);
    });

    for (const [fixture, what] of [
      ['semicolon.csv', 'semicolon-separated (detected)'],
      ['tabs.tsv', 'tab-separated (.tsv)'],
      ['tabs-detected.txt', 'tab-separated (detected)'],
    ]) {
      it(`reads ${what} files`, async () => {
        const d = await loadFixture({ path: fixture, normalize: 'none' });
        assert.deepEqual(d.inputNames, ['x1', 'x2']);
        assert.deepEqual(d.classes, ['red', 'blue']);
        assert.deepEqual(Array.from(d.train.x), [1.5, 2, 2.5, 3, 3.5, 4]);
        assert.deepEqual(Array.from(d.train.y), [1, 0, 0, 1, 1, 0]);
      });
    }

    it('reads quoted fields with embedded newlines (LF and CRLF), quotes and delimiters', async () => {
      const d = await loadFixture({ path: 'embedded-newlines.csv', normalize: 'none' });
      assert.deepEqual(d.inputNames, ['x', 'note=plain', 'note=two\nlines', 'note=with "quote" and\r\nCRLF', 'note=x, y']);
      assert.deepEqual(Array.from(d.train.sourceLines), [2, 3, 5, 7], 'each row at the line it starts on');
      assert.deepEqual(rowOf(d.train.x, 5, 2), [3, 0, 0, 1, 0]);
      assert.deepEqual(d.classes, ['a', 'b']);
    });

    it('detects the delimiter from the header line, ignoring quoted text', () => {
      assert.equal(detectDelimiter('a,b,c\n1;2;3'), ',');
      assert.equal(detectDelimiter('a;b;c\n'), ';');
      assert.equal(detectDelimiter('"a,b";c;d\n'), ';');
      assert.equal(detectDelimiter('a\tb,c\td\n'), '\t');
      assert.equal(detectDelimiter('single\n'), ',');
    });

    it('matches names given without the space a "x1, x2" header puts before them', async () => {
      const files = memoryFiles({ 'spaced.csv': 'x1, x2, y\n1, 2, 3\n4, 5, 6\n' });
      const d = await loadData({ path: 'spaced.csv', features: ['x2'], target: ['y'], normalize: 'none' }, { baseDir: '/m', files });
      assert.deepEqual(d.featureColumns, [' x2']);
      assert.deepEqual(Array.from(d.train.x), [2, 5]);
      assert.deepEqual(Array.from(d.train.y), [3, 6]);
    });
  });

  describe('JSON', () => {
    const XC = [0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1];
    const YC = [1, 0, 0, 1, 0, 1, 1, 0];

    for (const [fixture, what, lines] of [
      ['rows.json', 'an array of row objects', [2, 3, 4, 5]],
      ['columns.json', 'an object of column arrays', [2, 2, 2, 2]],
      ['rows.jsonl', 'JSON Lines (with a blank line and a CRLF)', [1, 2, 4, 5]],
    ] as const) {
      it(`reads ${what}`, async () => {
        const d = await loadFixture({ path: fixture, normalize: 'none' });
        assert.deepEqual(d.inputNames, ['x1', 'x2', 'color=red', 'color=blue', 'color=green']);
        assert.deepEqual(d.classes, ['no', 'yes']);
        assert.deepEqual(Array.from(d.train.x), XC);
        assert.deepEqual(Array.from(d.train.y), YC);
        assert.deepEqual(Array.from(d.train.sourceLines), lines);
        assert.deepEqual(d.summary.columns, [
          { name: 'x1', type: 'numeric' },
          { name: 'x2', type: 'numeric' },
          { name: 'color', type: 'categorical' },
          { name: 'y', type: 'categorical' },
        ]);
      });
    }

    it('takes the format from data.format over the extension', async () => {
      const files = memoryFiles({ 'data.txt': '{"a": 1, "b": 2}\n{"a": 3, "b": 4}\n' });
      const d = await loadData({ path: 'data.txt', format: 'jsonl', normalize: 'none' }, { baseDir: '/m', files });
      assert.deepEqual(Array.from(d.train.x), [1, 3]);
    });
  });

  describe('column types', () => {
    it('one-hot encodes a categorical feature in first-seen order', async () => {
      const d = await loadFixture({ path: 'categorical.csv', normalize: 'none' });
      assert.deepEqual(d.inputNames, ['size', 'color=red', 'color=blue', 'color=green']);
      assert.deepEqual(Array.from(d.train.x), [1, 1, 0, 0, 2, 0, 1, 0, 3, 1, 0, 0, 4, 0, 0, 1]);
      assert.deepEqual(d.classes, ['cat', 'dog']);
      assert.deepEqual(d.outputNames, ['cat', 'dog']);
    });

    it('makes a numeric target regression, unless columnTypes says categorical', async () => {
      const reg = await loadFixture({ path: 'numeric-classes.csv', normalize: 'none' });
      assert.equal(reg.task, 'regression');
      assert.deepEqual(Array.from(reg.train.y), [7, 3, 7, 1]);
      const cls = await loadFixture({ path: 'numeric-classes.csv', normalize: 'none', columnTypes: { digit: 'categorical' } });
      assert.equal(cls.task, 'classification');
      assert.deepEqual(cls.classes, ['7', '3', '1']);
      assert.deepEqual(Array.from(cls.train.y), [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
    });

    it('reads numbers as categories when columnTypes says so', async () => {
      const d = await loadFixture({ path: 'categorical.csv', normalize: 'none', columnTypes: { size: 'categorical' } });
      assert.deepEqual(d.inputNames.slice(0, 4), ['size=1', 'size=2', 'size=3', 'size=4']);
    });

    it('accepts several numeric targets (multi-output regression)', async () => {
      const d = await loadFixture({ path: 'norm.csv', features: ['a'], target: ['b', 't'], normalize: 'none' });
      assert.equal(d.nOut, 2);
      assert.deepEqual(Array.from(d.train.y), [10, 0.5, 20, 1.5, 30, 2.5, 60, 3.5]);
    });

    it('keeps nothing but plain data: typed arrays, strings and numbers', async () => {
      const d = await loadFixture({ path: 'rows.json', validationSplit: 0.5 });
      assert.deepEqual(structuredClone(d), d);
      assert.ok(d.train.x instanceof Float64Array && d.train.sourceLines instanceof Int32Array);
    });
  });

  it('resolves data.path against baseDir', async () => {
    const d = await loadData({ path: 'crlf.csv' }, { baseDir: FIXTURES, files: memoryFiles({ 'crlf.csv': 'a,b\n1,2\n3,4\n' }) });
    assert.equal(d.summary.source, 'crlf.csv');
  });
});
