/**
 * Bad input: each case gives exactly one DataError naming the file, the line (and column where
 * it applies) and what is wrong. Lines and columns are read off the fixture files by hand.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError } from '../../src/data/dataError';
import { checkDataSpec } from '../../src/data/dataSpec';
import { loadData } from '../../src/data/loadData';
import { createNodeFileAccess } from '../../src/data/nodeFileAccess';
import type { PreparedData } from '../../src/data/preparedData';
import type { FileAccess } from '../../src/data/fileAccess';
import { FIXTURES, expectDataError, expectFixtureError, memoryFiles, vanishingFile } from './dataTestUtil';

describe('data errors', () => {
  it('a ragged row (too many fields): line and the first extra field', async () => {
    await expectFixtureError({ path: 'ragged.csv' }, { line: 4, column: 7, message: /^ragged\.csv:4:7: row has 4 fields but the header \(line 1\) has 3 columns$/ });
  });

  it('a ragged row (too few fields): line', async () => {
    await expectFixtureError({ path: 'ragged-short.csv' }, { line: 3, message: /^ragged-short\.csv:3: row has 2 fields but the header \(line 1\) has 3 columns$/ });
  });

  it('text in a numeric feature column: line, column and the text', async () => {
    const e = await expectFixtureError({ path: 'text-in-numeric.csv' }, { line: 7, column: 3, message: /^text-in-numeric\.csv:7:3: text "abc" in numeric column "x2"$/ });
    assert.equal(e.problem, 'text "abc" in numeric column "x2"');
  });

  it('text in a column that columnTypes declares numeric', async () => {
    await expectFixtureError({ path: 'categorical.csv', columnTypes: { color: 'numeric' } }, { line: 2, column: 3, message: /text "red" in numeric column "color"/ });
  });

  it('a feature column that does not exist: lists the columns there are', async () => {
    await expectFixtureError({ path: 'crlf.csv', features: ['x1', 'x3'] }, { line: 1, message: /^crlf\.csv:1: feature column "x3" does not exist \(columns: "x1", "x2", "y"\)$/ });
  });

  it('a target column that does not exist', async () => {
    await expectFixtureError({ path: 'rows.json', target: ['label'] }, { line: 2, message: /target column "label" does not exist/ });
  });

  it('an empty file', async () => {
    await expectFixtureError({ path: 'empty.csv' }, { line: 1, message: /^empty\.csv:1: the file is empty$/ });
  });

  it('a header-only file', async () => {
    await expectFixtureError({ path: 'header-only.csv' }, { line: 1, message: /header \(line 1\) but no data rows/ });
  });

  it('a target with one class only: points at the target column', async () => {
    await expectFixtureError({ path: 'one-class.csv' }, { line: 1, column: 7, message: /target column "label" has only one class \("spam"\); a classifier needs at least two/ });
  });

  it('a non-UTF-8 file: the line and column of the bad byte', async () => {
    await expectFixtureError({ path: 'latin1.csv' }, { line: 3, column: 6, message: /^latin1\.csv:3:6: bytes 0xE9 0x20 0x64 0x75 at byte \d+ are not valid UTF-8; save the file as UTF-8$/ });
  });

  it('a non-UTF-8 JSON Lines file', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"a": 1, "b": "x"}\n{"a": 2, "b": "'), 0xff, ...new TextEncoder().encode('"}\n')]);
    await expectDataError(loadData({ path: 'bad.jsonl' }, { baseDir: '/m', files: memoryFiles({ 'bad.jsonl': bytes }, 5) }), {
      line: 2, column: 16, message: /bytes 0xFF .* not valid UTF-8/,
    });
  });

  it('a missing value, by default: names the column and the cell', async () => {
    await expectFixtureError({ path: 'missing-value.csv' }, { line: 3, column: 3, message: /^missing-value\.csv:3:3: empty cell in column "x2" \(set data\.missing to "drop" or "mean"/ });
    await expectFixtureError({ path: 'missing.csv' }, { line: 3, column: 3, message: /empty cell in column "x2"/ });
  });

  it('an NA cell is missing too, never zero', async () => {
    const files = memoryFiles({ 'na.csv': 'a,b\n1,2\nNA,3\n' });
    await expectDataError(loadData({ path: 'na.csv' }, { baseDir: '/m', files }), { line: 3, column: 1, message: /missing value "NA" in column "a"/ });
  });

  it('an unclosed quote', async () => {
    await expectFixtureError({ path: 'unclosed-quote.csv' }, { line: 3, message: /quoted field that starts on line 3 or after is never closed/ });
  });

  describe('JSON that is not one of the shapes', () => {
    const cases: [string, number, number, RegExp][] = [
      ['scalar.json', 1, 1, /the file holds a single number; expected an array of row objects, an object of column arrays, or JSON Lines/],
      ['array-of-numbers.json', 1, 2, /row 1 is a number, not an object/],
      ['column-not-array.json', 3, 8, /column "y" is a number, not an array of values/],
      ['unequal-columns.json', 3, 3, /column "y" has 2 values but column "x" has 3/],
      ['nested-value.json', 3, 9, /the value of "x" is an object; a cell must be a number, a string, true\/false or null/],
      ['empty-array.json', 1, 1, /the top-level array has no rows/],
      ['syntax-error.json', 3, 11, /JSON syntax: a comma was expected/],
      ['syntax-error.jsonl', 2, 15, /JSON syntax: a value was expected/],
      ['not-object.jsonl', 2, 1, /the line holds an array, not an object/],
    ];
    for (const [fixture, line, column, message] of cases) {
      it(fixture, async () => {
        await expectFixtureError({ path: fixture }, { line, column, message });
      });
    }
  });

  describe('a key given twice in a row (JSON.parse would keep the last without a word)', () => {
    const cases: [string, string, number, number, RegExp][] = [
      ['first-row.json', '[{"x": 1, "x": 2, "y": 0},\n {"x": 1, "y": 1}]\n', 1, 11, /key "x" appears twice in this object \(first at line 1, column 3\)/],
      ['later-row.json', '[{"x": 1, "y": 0},\n {"x": 1, "y": 1, "y": 0}]\n', 2, 19, /key "y" appears twice in this object \(first at line 2, column 11\)/],
      ['columns.json', '{"x": [1, 2], "y": [0, 1],\n "x": [3, 4]}\n', 2, 2, /key "x" appears twice in this object \(first at line 1, column 2\)/],
      ['first-line.jsonl', '{"x": 1, "x": 5, "y": 0}\n{"x": 1, "y": 1}\n', 1, 10, /key "x" appears twice in this object \(first at line 1, column 2\)/],
      ['later-line.jsonl', '{"x": 1, "y": 0}\n{"x": 2, "y": 1, "y": 0}\n', 2, 18, /key "y" appears twice in this object \(first at line 2, column 10\)/],
    ];
    for (const [name, text, line, column, message] of cases) {
      it(name, async () => {
        await expectDataError(loadData({ path: name }, { baseDir: '/m', files: memoryFiles({ [name]: text }) }), { file: name, line, column, message });
      });
    }
    it('a colon inside a key or a string value is not a key', async () => {
      const text = '{"a:b": 1, "y": "p:q"}\n{"a:b": 2, "y": "r"}\n';
      const data = await loadData({ path: 'colons.jsonl', target: ['y'] }, { baseDir: '/m', files: memoryFiles({ 'colons.jsonl': text }) });
      assert.deepEqual(data.inputNames, ['a:b']);
    });
  });

  describe('nesting and sizes that would exhaust the stack or the memory', () => {
    it('a JSON Lines value nested 20,000 levels: located, no stack overflow', async () => {
      const d = 20_000;
      const text = '{"x": 1, "y": 0}\n{"x": ' + '['.repeat(d) + ']'.repeat(d) + ', "y": 1}\n';
      await expectDataError(loadData({ path: 'deep.jsonl' }, { baseDir: '/m', files: memoryFiles({ 'deep.jsonl': text }, 1 << 20) }), {
        file: 'deep.jsonl', line: 2, column: 7 + 63, message: /JSON nested deeper than 64 levels/,
      });
    });
    it('the same, with the brackets never closed (a syntax error found by a recursive scanner)', async () => {
      const text = '{"x": 1, "y": 0}\n{"x": ' + '['.repeat(20_000) + '\n';
      await expectDataError(loadData({ path: 'open.jsonl' }, { baseDir: '/m', files: memoryFiles({ 'open.jsonl': text }, 1 << 20) }), {
        file: 'open.jsonl', line: 2, column: 70, message: /JSON nested deeper than 64 levels/,
      });
    });
    it('a JSON document nested 20,000 levels: located at its first nested value (inside column "y")', async () => {
      const text = '{"x": [1, 2], "y": ' + '['.repeat(20_000) + ']'.repeat(20_000) + '}\n';
      await expectDataError(loadData({ path: 'deep.json' }, { baseDir: '/m', files: memoryFiles({ 'deep.json': text }, 1 << 20) }), {
        file: 'deep.json', line: 1, column: 21, message: /the value of "y" is an array/,
      });
    });
    it('a JSON Lines line over 8 MiB, with or without its line end, is refused at its line before it is held whole', async () => {
      const long = '{"x": 1, "y": "' + 'a'.repeat(9 << 20) + '"}';
      for (const text of ['{"x": 0, "y": "b"}\n' + long + '\n', '{"x": 0, "y": "b"}\n' + long]) {
        await expectDataError(loadData({ path: 'long.jsonl' }, { baseDir: '/m', files: memoryFiles({ 'long.jsonl': text }, 1 << 20) }), {
          file: 'long.jsonl', line: 2, column: 1, message: /a line longer than 8,388,608 characters/,
        });
      }
    });
    it('a CSV file with no line end in its first 8 MiB is refused while the delimiter is sniffed', async () => {
      let chunks = 0;
      const endless: FileAccess = {
        async stat() {
          return { size: 1 << 30 };
        },
        async *readChunks() {
          const mib = new Uint8Array(1 << 20).fill(0x78);
          for (;;) {
            chunks++;
            yield mib;
          }
        },
      };
      await expectDataError(loadData({ path: 'endless.csv' }, { baseDir: '/m', files: endless }), {
        file: 'endless.csv', line: 1, message: /the first line is longer than 8,388,608 characters with no line end/,
      });
      assert.ok(chunks <= 10, `read ${chunks} MiB before refusing`);
    });
    it('a JSON document over 64 MiB is refused (it is parsed whole), pointing at JSON Lines', async () => {
      let chunks = 0;
      const huge: FileAccess = {
        async stat() {
          return { size: 1 << 30 };
        },
        async *readChunks() {
          yield new TextEncoder().encode('[');
          const mib = new TextEncoder().encode(' '.repeat(1 << 20));
          for (;;) {
            chunks++;
            yield mib;
          }
        },
      };
      await expectDataError(loadData({ path: 'huge.json' }, { baseDir: '/m', files: huge }), {
        file: 'huge.json', line: 1, column: 1, message: /a JSON document is read whole, and this one is over 64 MiB: write the rows as JSON Lines/,
      });
      assert.ok(chunks <= 65, `read ${chunks} MiB before refusing`);
    });
  });

  describe('a file that vanishes mid-read', () => {
    const csv = 'x1,x2,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 3},${i % 2}`).join('\n') + '\n';

    for (const kind of ['enoent', 'vanished'] as const) {
      it(`through a FileAccess whose stream fails (${kind})`, async () => {
        const e = await expectDataError(loadData({ path: 'gone.csv' }, { baseDir: '/m', files: vanishingFile(csv, 3, 16, kind) }), {
          file: 'gone.csv', line: 8, message: /the file vanished while it was being read \(after 48 of \d+ bytes\)/,
        });
        assert.equal(e.problem.includes('ENOENT'), false, 'the message speaks the user\'s language');
      });
    }

    it('through nodeFileAccess, the real file deleted between chunks', async () => {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mlp-data-'));
      const file = path.join(dir, 'big.csv');
      await fsp.writeFile(file, csv);
      const real = createNodeFileAccess(64);
      let chunks = 0;
      const deleting = {
        stat: real.stat,
        async *readChunks(p: string, signal?: AbortSignal) {
          for await (const chunk of real.readChunks(p, signal)) {
            yield chunk;
            if (++chunks === 2) await fsp.rm(file);
          }
        },
      };
      try {
        await expectDataError(loadData({ path: 'big.csv' }, { baseDir: dir, files: deleting }), {
          file: 'big.csv', line: 20, message: /vanished while it was being read \(after 128 of \d+ bytes\)/,
        });
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    });
  });

  it('a missing file', async () => {
    await expectDataError(loadData({ path: 'nope.csv' }, { baseDir: FIXTURES, files: createNodeFileAccess() }), { file: 'nope.csv', message: /^nope\.csv: file not found/ });
  });

  it('a malformed data section', () => {
    assert.throws(() => checkDataSpec({ path: 'a.csv', normalize: 'zscore' }), /"data" field "normalize" must be one of "standard", "minmax", "none"/);
    assert.throws(() => checkDataSpec({ path: 'a.csv', synthetic: 'xor' }), /exactly one of "path" and "synthetic"/);
    assert.throws(() => checkDataSpec({ path: 'a.csv', validationSplit: 0.6, testSplit: 0.4 }), /leave rows for training/);
    assert.throws(() => checkDataSpec({ path: 'a.csv', sepal: 1 }), /unknown field "sepal"/);
  });

  it('has no side effects: a failed load leaves an earlier result untouched', async () => {
    const before: PreparedData = await loadData({ path: 'crlf.csv' }, { baseDir: FIXTURES, files: createNodeFileAccess() });
    const copy = structuredClone(before);
    await assert.rejects(loadData({ path: 'ragged.csv' }, { baseDir: FIXTURES, files: createNodeFileAccess() }), DataError);
    await assert.rejects(loadData({ path: 'gone.csv' }, { baseDir: '/m', files: vanishingFile('a,b\n1,2\n3,4\n', 1, 4) }), DataError);
    assert.deepEqual(before, copy);
    const again = await loadData({ path: 'crlf.csv' }, { baseDir: FIXTURES, files: createNodeFileAccess() });
    assert.deepEqual(again, before);
  });
});
