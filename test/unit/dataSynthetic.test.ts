/**
 * Synthetic datasets (shapes checked against their geometric definitions), the CSV writer, and
 * the `synth` CLI command.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { CliError } from '../../src/cli/cliError';
import type { CliIO } from '../../src/cli/command';
import { runSynth, synthCommand } from '../../src/cli/commands/synth';
import { csvField, toCsv } from '../../src/data/csvWriter';
import { loadData } from '../../src/data/loadData';
import { createNodeFileAccess } from '../../src/data/nodeFileAccess';
import { SYNTHETIC_NAMES, generateSynthetic } from '../../src/data/synthetic';
import { memoryFiles } from './dataTestUtil';

const radius = (r: (number | string)[]): number => Math.hypot(r[0] as number, r[1] as number);

describe('synthetic datasets', () => {
  it('AND, OR, XOR: the truth tables, exactly, with no noise', () => {
    const table = (name: string): (number | string)[][] => generateSynthetic(name).rows;
    assert.deepEqual(table('and'), [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]]);
    assert.deepEqual(table('or'), [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]]);
    assert.deepEqual(table('xor'), [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]]);
  });

  it('noise jitters the truth-table inputs, not the labels; samples cycles the table', () => {
    const s = generateSynthetic('xor', { samples: 400, noise: 0.1, seed: 3 });
    assert.equal(s.rows.length, 400);
    let sq = 0;
    s.rows.forEach((r, i) => {
      const a = (i % 4) >> 1;
      const b = i % 2;
      assert.equal(r[2], a ^ b);
      sq += ((r[0] as number) - a) ** 2 + ((r[1] as number) - b) ** 2;
    });
    const std = Math.sqrt(sq / 800);
    assert.ok(std > 0.08 && std < 0.12, `jitter std ${std}`);
  });

  it('circles: every inner point lies inside every outer point (no noise)', () => {
    const s = generateSynthetic('circles', { samples: 500, noise: 0 });
    const inner = s.rows.filter((r) => r[2] === 'inner').map(radius);
    const outer = s.rows.filter((r) => r[2] === 'outer').map(radius);
    assert.equal(inner.length, 250);
    assert.ok(Math.max(...inner) <= 0.5 && Math.min(...outer) >= 0.8 - 1e-6 && Math.max(...outer) <= 1 + 1e-6);
  });

  it('spiral: two balanced classes whose radius grows with the angle', () => {
    const s = generateSynthetic('spiral', { samples: 401, noise: 0 });
    const a = s.rows.filter((r) => r[2] === 'A');
    const b = s.rows.filter((r) => r[2] === 'B');
    assert.equal(a.length, 201);
    assert.equal(b.length, 200);
    for (const arm of [a, b]) {
      const rs = arm.map(radius);
      for (let i = 1; i < rs.length; i++) assert.ok(rs[i] >= rs[i - 1] - 1e-6, 'radius grows along an arm');
    }
    // Class B is class A turned by π: the same radius at the same index, opposite point.
    for (let i = 0; i < 200; i++) {
      assert.ok(Math.abs((a[i][0] as number) + (b[i][0] as number)) < 2e-6 && Math.abs((a[i][1] as number) + (b[i][1] as number)) < 2e-6);
    }
  });

  it('blobs: each cloud centred on its centre', () => {
    const s = generateSynthetic('blobs', { samples: 4000, noise: 0, seed: 2 });
    for (const [label, c] of [['A', -1], ['B', 1]] as const) {
      const pts = s.rows.filter((r) => r[2] === label);
      const mx = pts.reduce((t, r) => t + (r[0] as number), 0) / pts.length;
      const my = pts.reduce((t, r) => t + (r[1] as number), 0) / pts.length;
      assert.ok(Math.abs(mx - c) < 0.05 && Math.abs(my - c) < 0.05, `${label}: (${mx}, ${my})`);
    }
  });

  it('quadrants: the label is the sign of x1·x2 (no noise)', () => {
    for (const r of generateSynthetic('quadrants', { samples: 300, noise: 0 }).rows) {
      assert.equal(r[2], (r[0] as number) * (r[1] as number) > 0 ? 'positive' : 'negative');
    }
  });

  it('plane and sine: the target is the function of the inputs (no noise)', () => {
    for (const r of generateSynthetic('plane', { noise: 0 }).rows) {
      assert.ok(Math.abs((r[2] as number) - (2 * (r[0] as number) - (r[1] as number) + 0.5)) < 1e-6);
    }
    for (const r of generateSynthetic('sine', { noise: 0 }).rows) {
      assert.ok(Math.abs((r[1] as number) - Math.sin(r[0] as number)) < 1e-6);
      assert.ok(Math.abs(r[0] as number) <= Math.PI);
    }
  });

  it('one seed gives the same set bit for bit; another seed another set', () => {
    for (const name of SYNTHETIC_NAMES) {
      assert.deepEqual(generateSynthetic(name, { seed: 4, noise: 0.2 }), generateSynthetic(name, { seed: 4, noise: 0.2 }));
    }
    assert.notDeepEqual(generateSynthetic('spiral', { seed: 4 }).rows, generateSynthetic('spiral', { seed: 5 }).rows);
  });

  it('loads through loadData: {"synthetic": "spiral", "samples": 400, "noise": 0.1, "seed": 7}', async () => {
    const d = await loadData({ synthetic: 'spiral', samples: 400, noise: 0.1, seed: 7 }, { baseDir: '/', files: memoryFiles({}) });
    assert.equal(d.task, 'classification');
    assert.deepEqual(d.classes, ['A', 'B']);
    assert.deepEqual(d.inputNames, ['x1', 'x2']);
    assert.equal(d.train.rows, 400);
    assert.equal(d.summary.source, 'synthetic:spiral');
    assert.deepEqual(Array.from(d.train.sourceLines.subarray(0, 3)), [1, 2, 3]);
  });

  it('an unknown synthetic set is a DataError listing the known ones', async () => {
    await assert.rejects(loadData({ synthetic: 'moons' }, { baseDir: '/', files: memoryFiles({}) }), /synthetic:moons: unknown synthetic set "moons" \(known: and, or, xor/);
  });
});

describe('CSV writer', () => {
  it('quotes only what needs quoting', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(' padded'), '" padded"');
    assert.equal(csvField('a;b', ';'), '"a;b"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(-0.5), '-0.5');
  });

  it('round-trips awkward names and labels through loadData', async () => {
    const header = ['x, "one"', 'x\ntwo', 'label'];
    const rows = [[1, 2, 'a "b", c'], [3, 4, 'line\r\nbreak'], [5, 6, 'a "b", c']];
    const text = toCsv(header, rows, { eol: '\r\n', bom: true });
    const d = await loadData({ path: 'w.csv', normalize: 'none' }, { baseDir: '/m', files: memoryFiles({ 'w.csv': text }, 5) });
    assert.deepEqual(d.featureColumns, header.slice(0, 2));
    assert.deepEqual(d.classes, ['a "b", c', 'line\r\nbreak']);
    assert.deepEqual(Array.from(d.train.x), [1, 2, 3, 4, 5, 6]);
  });
});

describe('synth command', () => {
  const io = (): CliIO & { out: unknown[] } => {
    const out: unknown[] = [];
    return { out, json: (v) => void out.push(v), info: () => undefined, stderrIsTTY: false, cwd: os.tmpdir() };
  };
  const run = async (argv: string[], cli = io()): Promise<{ stdout: string; json: unknown[] }> => {
    let stdout = '';
    await runSynth(parseArgs(argv, synthCommand.options), cli, (t) => {
      stdout += t;
    });
    return { stdout, json: cli.out };
  };

  it('writes the CSV to stdout', async () => {
    const { stdout, json } = await run(['xor']);
    assert.equal(stdout, 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    assert.deepEqual(json, []);
  });

  it('--out writes the file atomically and prints a JSON summary; it loads as the same data', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mlp-synth-'));
    try {
      const cli = { ...io(), cwd: dir };
      const { stdout, json } = await run(['spiral', '--samples', '400', '--noise', '0.1', '--seed', '7', '--out', 'spiral.csv'], cli);
      assert.equal(stdout, '');
      assert.equal(json.length, 1);
      const summary = json[0] as Record<string, unknown>;
      assert.equal(summary.synthetic, 'spiral');
      assert.equal(summary.rows, 400);
      assert.deepEqual(summary.classes, ['A', 'B']);
      assert.equal(summary.out, path.join(dir, 'spiral.csv'));
      assert.deepEqual(await fsp.readdir(dir), ['spiral.csv'], 'no temporary file left behind');
      const fromFile = await loadData({ path: 'spiral.csv', seed: 7 }, { baseDir: dir, files: createNodeFileAccess() });
      const direct = await loadData({ synthetic: 'spiral', samples: 400, noise: 0.1, seed: 7 }, { baseDir: dir, files: createNodeFileAccess() });
      assert.deepEqual(fromFile.train.x, direct.train.x);
      assert.deepEqual(fromFile.train.y, direct.train.y);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown set, bad options, and a folder that does not exist', async () => {
    await assert.rejects(run(['moons']), (e: Error) => e instanceof CliError && /unknown synthetic set "moons"; one of and, or, xor/.test(e.message));
    await assert.rejects(run(['xor', '--samples', '0']), CliError);
    await assert.rejects(run(['xor', '--noise', '-1']), /--noise must be ≥ 0/);
    await assert.rejects(run([]), /missing NAME/);
    await assert.rejects(run(['xor', '--out', path.join(os.tmpdir(), 'no-such-dir-mlp', 'x.csv')]), /does not exist/);
  });
});
