/**
 * The CSV byte scanner (src/data/fastCsv.ts) against csv-parse: every file here is read once
 * with the scanner off (every record through csv-parse, as before the scanner existed) and
 * several times with it on, cut into chunks in many ways, and the two must agree bit for bit:
 * the same table (every stored double compared by its bytes, so -0 and NaN count), or the same
 * error, message, line and column.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv } from '../../src/data/csvSource';
import { DataError } from '../../src/data/dataError';
import type { DataSpec } from '../../src/data/dataSpec';
import type { Table } from '../../src/data/tableBuilder';
import { Random } from '../../src/engine/random';
import { Utf8Checker } from '../../src/data/utf8';
import { FIXTURES } from './dataTestUtil';

type Outcome = { ok: true; table: string } | { ok: false; error: string };

/** A table as text, every double as its 8 bytes in hex, so the comparison is bit for bit. */
function describeTable(t: Table): string {
  const hex = (a: ArrayBufferView | undefined, n: number, width: number): string =>
    a === undefined ? '-' : Buffer.from(a.buffer, a.byteOffset, Math.min(a.byteLength, n * width)).toString('hex');
  const rowsIn = (b: number): number => Math.min(65536, t.rows - b * 65536);
  const cols = [...t.features, ...t.targets].map((c) => ({
    name: c.name,
    type: c.type,
    categories: c.categories,
    headerLocation: c.headerLocation,
    num: c.num?.map((b, i) => hex(b, rowsIn(i), 8)),
    codes: c.codes?.map((b, i) => hex(b, rowsIn(i), 4)),
  }));
  return JSON.stringify({
    header: t.header,
    headerLine: t.headerLine,
    rows: t.rows,
    rowsRead: t.rowsRead,
    rowsDropped: t.rowsDropped,
    columnTypes: t.columnTypes,
    lines: t.lines.map((b, i) => hex(b, rowsIn(i), 4)),
    cols,
  });
}

async function* cut(bytes: Uint8Array, cuts: number[]): AsyncIterable<Uint8Array> {
  let from = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c > from) yield bytes.slice(from, c);
    from = Math.max(from, c);
  }
}

async function read(bytes: Uint8Array, cuts: number[], fastPath: boolean, spec: DataSpec, delimiter?: string): Promise<Outcome> {
  try {
    const position = { bytesRead: 0, line: 0 };
    const table = await readCsv(cut(bytes, cuts), { file: 'f.csv', spec, fastPath, delimiter }, position);
    return { ok: true, table: describeTable(table) };
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    return { ok: false, error: JSON.stringify({ message: err.message, file: err.file, line: err.line, column: err.column }) };
  }
}

/** Chunkings to try: whole, every single cut position (small files), and fixed sizes. */
function chunkings(n: number, everyCut: boolean): number[][] {
  const out: number[][] = [[]];
  if (everyCut) for (let k = 1; k < n; k++) out.push([k]);
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const cuts: number[] = [];
    for (let k = size; k < n; k += size) cuts.push(k);
    out.push(cuts);
  }
  return out;
}

async function agree(content: string | Uint8Array, spec: DataSpec = {}, options: { everyCut?: boolean; delimiter?: string } = {}): Promise<Outcome> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const full: DataSpec = { path: 'f.csv', ...spec };
  const whole = await read(bytes, [], false, full, options.delimiter);
  for (const cuts of chunkings(bytes.length, options.everyCut ?? bytes.length <= 400)) {
    // Against csv-parse cut the same way: a bad-UTF-8 message shows the bytes up to the chunk's end.
    const slow = cuts.length === 0 ? whole : await read(bytes, cuts, false, full, options.delimiter);
    const fast = await read(bytes, cuts, true, full, options.delimiter);
    assert.deepEqual(fast, slow, `chunks cut at ${JSON.stringify(cuts.slice(0, 8))}${cuts.length > 8 ? '…' : ''}`);
  }
  return whole;
}

const NUMBERS = [
  '0', '-0', '+0', '1', '-1', '+5', '1.', '.5', '-.5', '0.1', '0.3', '1e5', '1E5', '1e+5', '1e-5', '-.5e+3',
  '12.3456', '-12.3456', '123456789012345', '1234567890123456', '12345678901234567890', '0.000001234',
  '1e22', '1e23', '1e-22', '1e-23', '2.5e-30', '9007199254740993', '1.7976931348623157e308',
  '4.9e-324', '00012', '0.1000000000000000055511151231257827', '3.14159265358979', '1e0', '0e999',
];

describe('data: the CSV byte scanner agrees with csv-parse', () => {
  it('numbers of every shape, bit for bit (including -0 and mantissas too long for the fast path)', async () => {
    const rows = NUMBERS.map((v, i) => `${v},${NUMBERS[(i * 7) % NUMBERS.length]},${i % 2}`);
    const out = await agree(`a,b,y\n${rows.join('\n')}\n`, { normalize: 'none' }, { everyCut: true });
    assert.ok(out.ok, JSON.stringify(out));
  });

  it('cells Number() reads but the loader handles apart: spaces, missing tokens, categories', async () => {
    const text = 'x, s ,c,y\n 3 ,NA,red,1\n1e5,2,blue,0\n-0,NaN,1.50,1\n\t2\t,nan,1.5,0\n4,null,red,1\n';
    const out = await agree(text, { missing: 'mean', normalize: 'none' });
    assert.ok(out.ok, JSON.stringify(out));
    await agree(text, { missing: 'drop', normalize: 'none' });
    await agree(text, { missing: 'mean', columnTypes: { x: 'categorical', c: 'categorical' } });
  });

  it('CRLF, a BOM, blank lines and a last line without a line end', async () => {
    for (const text of [
      '\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n',
      '\uFEFFa,b\n1,2\n3,4',
      'a,b\r\n1,2\r\n3,4',
      '\n\na,b\n\n1,2\n   \n3,4\n\n\n',
      'a,b\n1,2\n3,4\n   ',
      'a,b\n1,2\n3,4\r',
      'a;b;c\n1;2;3\n4;5;6\n',
    ]) {
      const out = await agree(text, { normalize: 'none' });
      assert.ok(out.ok, `${JSON.stringify(text)}: ${JSON.stringify(out)}`);
    }
  });

  it('quotes and lone CRs anywhere hand over to csv-parse with the same result', async () => {
    for (const text of [
      '"a",b\n1,2\n3,4\n',
      'a,b\n1,2\n"3",4\n5,6\n',
      'a,b\n1,2\n\n\n"3\n.5",4\n5,6\n7,8\n',
      'a,b\n1,2\r3,4\n5,6\n',
      'a,b\n1,2\n3,"4""x"\n',
      'a,b\n1,2\n3,4\n"5,6\n7,8\n',
      'a,b\n1,2\n3,4"x\n',
      'a,b\n1,2\n3,"4"x\n',
      'a,b\r\n1,2\r\n"x\r\ny",4\r\n',
      'a,b\n1,2\n"3",4',
      'a,b\n1,2\n3,4\r\n"5",6\r',
    ]) {
      await agree(text, { normalize: 'none' });
    }
  });

  it('TSV with stray quotes (csv-parse relaxes quotes there)', async () => {
    await agree('a\tb\tc\n1\t2\t3\n4\t5 "in"\t6\n7\t8\t9\n', { normalize: 'none', missing: 'mean' }, { delimiter: '\t' });
    await agree('a\tb\tc\n1\t2\t3\n4\t5\t6\n', { normalize: 'none' }, { delimiter: '\t' });
  });

  it('every error gives the same message, line and column', async () => {
    for (const text of [
      'a,b\n1,2\n3,0x10\n',
      'a,b\n1,2\n3,Infinity\n4,5\n',
      'a,b\n1,2\n3,1e400\n',
      'a,b,c\n1,2,3\n4,5\n',
      'a,b,c\n1,2,3\n4,5,6,7\n',
      'a,b\n1,2\n3,\n',
      'a,b\n1,2\n3,NA\n',
      'a,b\n1,2\n3,4\n5,6\nhello,7\n',
      'a,a\n1,2\n',
      'a,b\n',
      '',
      '\n\n',
      'a,b\n1,2\n3,"4\n5,6\n',
    ]) {
      const out = await agree(text, { normalize: 'none' });
      assert.ok(!out.ok, `${JSON.stringify(text)} should fail`);
    }
    await agree('a,b\n1,2\n3,x\n', { columnTypes: { b: 'numeric' } });
  });

  it('bytes that are not UTF-8, before and after a hand-over', async () => {
    const enc = (s: string): number[] => Array.from(new TextEncoder().encode(s));
    await agree(new Uint8Array([...enc('a,b\n1,2\n3,'), 0xff, ...enc('\n5,6\n')]));
    await agree(new Uint8Array([...enc('a,b\n"1",2\n3,'), 0xc3, 0x28, ...enc('\n5,6\n')]));
    await agree(new Uint8Array([...enc('a,lab\n1,é\n2,ü\n3,é\n')]), { normalize: 'none' });
  });

  it('generated files: random shapes of numbers, text, missing cells, quotes late or never', async () => {
    const rng = new Random(13);
    const cell = (): string => {
      const r = rng.next();
      if (r < 0.5) return (rng.normal(0, 100) * 10 ** Math.floor(rng.next() * 8 - 4)).toFixed(Math.floor(rng.next() * 6));
      if (r < 0.6) return String(rng.normal(0, 1));
      if (r < 0.7) return rng.normal(0, 1).toExponential(Math.floor(rng.next() * 18));
      if (r < 0.75) return String(Math.floor(rng.next() * 1e6));
      if (r < 0.8) return ['', 'NA', ' 7 ', '-0', '+1.5', '.25'][Math.floor(rng.next() * 6)];
      return String(-Math.floor(rng.next() * 100));
    };
    for (let f = 0; f < 6; f++) {
      const cols = 2 + (f % 4);
      const lines = [Array.from({ length: cols }, (_, k) => `c${k}`).join(',')];
      for (let r = 0; r < 30; r++) {
        const cells = Array.from({ length: cols - 1 }, cell);
        cells.push(String(r % 3));
        if (f === 4 && r === 20) cells[0] = `"${cells[0]}"`;
        lines.push(cells.join(','));
      }
      const eol = f % 2 === 0 ? '\n' : '\r\n';
      const text = lines.join(eol) + (f === 3 ? '' : eol);
      await agree(text, { missing: 'mean', normalize: 'none' }, { everyCut: true });
    }
  });

  it('every CSV fixture of the data tests', async () => {
    for (const name of fs.readdirSync(FIXTURES).filter((n) => /\.(csv|tsv|txt)$/.test(n))) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
      await agree(bytes, { missing: 'mean' }, { everyCut: bytes.length <= 400, delimiter: name.endsWith('.tsv') ? '\t' : undefined });
    }
  });

  it('a record over the 8 MiB limit, with or without quotes, is refused as csv-parse refuses it', async () => {
    const long = '1'.repeat(9 << 20);
    for (const text of [`a,b\n1,2\n3,${long}\n5,6\n`, `a,b\n1,2\n"3",${long}\n`, `a,b\n1,2\n3,${long}`]) {
      const bytes = new TextEncoder().encode(text);
      const spec: DataSpec = { path: 'f.csv' };
      const cuts: number[] = [];
      for (let k = 1 << 20; k < bytes.length; k += 1 << 20) cuts.push(k);
      const slow = await read(bytes, cuts, false, spec);
      assert.ok(!slow.ok && /longer than/.test(slow.error), JSON.stringify(slow));
      assert.deepEqual(await read(bytes, cuts, true, spec), slow);
      assert.deepEqual(await read(bytes, [], true, spec), await read(bytes, [], false, spec));
    }
  });

  it('more than one block of rows (65,536), across 64 KiB chunks', async () => {
    const rows = ['x,y'];
    for (let r = 0; r < 70_000; r++) rows.push(`${(r * 0.37).toFixed(3)},${r % 2}`);
    const bytes = new TextEncoder().encode(rows.join('\n') + '\n');
    const spec: DataSpec = { path: 'f.csv', normalize: 'none' };
    const slow = await read(bytes, [], false, spec);
    const cuts: number[] = [];
    for (let k = 65536; k < bytes.length; k += 65536) cuts.push(k);
    assert.deepEqual(await read(bytes, cuts, true, spec), slow);
  });

  it('UTF-8: check (no text) fails exactly where push (TextDecoder) fails, however the bytes are cut', () => {
    const rng = new Random(8);
    const pieces = [[0x61], [0x2c], [0x0a], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe0, 0x80], [0xf4, 0x90], [0x80], [0xf5], [0xc3]];
    for (let t = 0; t < 3000; t++) {
      const bytes: number[] = [];
      const n = 1 + Math.floor(rng.next() * 12);
      for (let k = 0; k < n; k++) {
        // Mostly valid pieces, so failures come at every position.
        const i = rng.next() < 0.8 ? Math.floor(rng.next() * 6) : Math.floor(rng.next() * pieces.length);
        bytes.push(...pieces[i]);
      }
      const cuts = [0];
      while (cuts[cuts.length - 1] < bytes.length) cuts.push(Math.min(bytes.length, cuts[cuts.length - 1] + 1 + Math.floor(rng.next() * 5)));
      const a = new Utf8Checker();
      const b = new Utf8Checker();
      const outcome = (r: ReturnType<Utf8Checker['push']>, start: number): string => (r.ok ? 'ok' : `bad ${start + r.bad} ${r.bytes}`);
      let verdictA = '';
      let verdictB = '';
      for (let k = 1; k < cuts.length && verdictA === ''; k++) {
        const chunk = new Uint8Array(bytes.slice(cuts[k - 1], cuts[k]));
        const ra = outcome(a.push(chunk), cuts[k - 1]);
        const rb = outcome(b.check(chunk), cuts[k - 1]);
        if (ra !== 'ok' || rb !== 'ok') [verdictA, verdictB] = [ra, rb];
      }
      if (verdictA === '') [verdictA, verdictB] = [outcome(a.end(), bytes.length), outcome(b.end(), bytes.length)];
      assert.equal(verdictB, verdictA, `bytes ${JSON.stringify(bytes)} cut at ${JSON.stringify(cuts)}`);
    }
  });
});
