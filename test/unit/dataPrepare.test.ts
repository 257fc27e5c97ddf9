/**
 * From rows to tensors: normalization statistics against hand-computed values, stratified
 * split proportions, missing-value policies, seeded reproducibility, progress and cancellation.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadData } from '../../src/data/loadData';
import { createNodeFileAccess } from '../../src/data/nodeFileAccess';
import { applyNormalization, fitNormalization, normalizeInPlace } from '../../src/data/normalization';
import { prepare } from '../../src/data/prepare';
import { TEST, VALIDATION, assignSplits } from '../../src/data/split';
import { TableBuilder } from '../../src/data/tableBuilder';
import { Random, mixSeeds } from '../../src/engine/random';
import { shuffledIndices } from '../../src/data/shuffle';
import { expectDataError, loadFixture, memoryFiles } from './dataTestUtil';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≉ ${expected}`);

describe('data preparation', () => {
  describe('normalization', () => {
    // norm.csv: a = 1, 2, 3, 4; b = 10, 20, 30, 60.
    it('standard: mean and population std, by hand', async () => {
      const d = await loadFixture({ path: 'norm.csv', target: ['t'], normalize: 'standard' });
      assert.equal(d.normalization.method, 'standard');
      if (d.normalization.method !== 'standard') return;
      close(d.normalization.mean[0], 2.5);
      close(d.normalization.std[0], Math.sqrt(1.25)); // (2.25 + 0.25 + 0.25 + 2.25) / 4
      close(d.normalization.mean[1], 30);
      close(d.normalization.std[1], Math.sqrt(350)); // (400 + 100 + 0 + 900) / 4
      const expectedA = [1, 2, 3, 4].map((a) => (a - 2.5) / Math.sqrt(1.25));
      const expectedB = [10, 20, 30, 60].map((b) => (b - 30) / Math.sqrt(350));
      for (let r = 0; r < 4; r++) {
        close(d.train.x[r * 2], expectedA[r]);
        close(d.train.x[r * 2 + 1], expectedB[r]);
      }
      assert.deepEqual(Array.from(d.train.y), [0.5, 1.5, 2.5, 3.5], 'targets are not normalized');
    });

    it('minmax: onto [0, 1] of the training range', async () => {
      const d = await loadFixture({ path: 'norm.csv', target: ['t'], normalize: 'minmax' });
      assert.deepEqual(d.normalization, { method: 'minmax', inputNames: ['a', 'b'], min: [1, 10], max: [4, 60] });
      const want = [0, 0, 1 / 3, 0.2, 2 / 3, 0.4, 1, 1];
      want.forEach((w, i) => close(d.train.x[i], w));
    });

    it('none: the values as read', async () => {
      const d = await loadFixture({ path: 'norm.csv', target: ['t'], normalize: 'none' });
      assert.deepEqual(Array.from(d.train.x), [1, 10, 2, 20, 3, 30, 4, 60]);
    });

    it('is fitted on the training split only, and applied to validation with the same numbers', async () => {
      const raw: Record<number, [number, number]> = { 2: [1, 10], 3: [2, 20], 4: [3, 30], 5: [4, 60] };
      const d = await loadFixture({ path: 'norm.csv', target: ['t'], validationSplit: 0.25, seed: 3 });
      assert.equal(d.train.rows, 3);
      assert.equal(d.validation?.rows, 1);
      if (d.normalization.method !== 'standard' || !d.validation) return;
      const trainA = Array.from(d.train.sourceLines, (l) => raw[l][0]);
      const mean = trainA.reduce((s, v) => s + v, 0) / 3;
      const std = Math.sqrt(trainA.reduce((s, v) => s + (v - mean) ** 2, 0) / 3);
      close(d.normalization.mean[0], mean);
      close(d.normalization.std[0], std);
      const valA = raw[d.validation.sourceLines[0]][0];
      close(d.validation.x[0], (valA - mean) / std);
    });

    it('leaves one-hot units as 0/1 and a constant column unscaled', async () => {
      const files = memoryFiles({ 'c.csv': 'k,color,y\n5,red,1\n5,blue,2\n5,red,3\n' });
      const d = await loadData({ path: 'c.csv' }, { baseDir: '/m', files });
      assert.deepEqual(Array.from(d.train.x), [0, 1, 0, 0, 0, 1, 0, 1, 0]);
    });

    it('applyNormalization transforms a new input the same way, without touching it', () => {
      const spec = { method: 'standard' as const, inputNames: ['a', 'b'], mean: [2.5, 30], std: [0.5, 10] };
      const input = new Float64Array([3, 10]);
      assert.deepEqual(Array.from(applyNormalization(spec, input)), [1, -2]);
      assert.deepEqual(Array.from(input), [3, 10]);
      const mm = { method: 'minmax' as const, inputNames: ['a'], min: [1], max: [5] };
      assert.deepEqual(Array.from(applyNormalization(mm, new Float64Array([1, 3, 5]))), [0, 0.5, 1]);
      assert.throws(() => applyNormalization(spec, new Float64Array([1, 2, 3])), RangeError);
    });
  });

  describe('splits', () => {
    // 60 "a", 30 "b", 10 "c", interleaved.
    const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 'c' : i % 10 <= 3 ? 'b' : 'a'));
    const csv = 'x,label\n' + labels.map((l, i) => `${i},${l}`).join('\n') + '\n';
    const files = memoryFiles({ 's.csv': csv }, 64);
    const countClasses = (y: Float64Array | undefined, nOut: number): number[] => {
      const counts = new Array<number>(nOut).fill(0);
      if (y) for (let i = 0; i < y.length; i++) if (y[i] === 1) counts[i % nOut]++;
      return counts;
    };

    it('stratifies by class: each split has the same class proportions', async () => {
      const d = await loadData({ path: 's.csv', validationSplit: 0.2, testSplit: 0.1, seed: 11 }, { baseDir: '/m', files });
      assert.deepEqual(d.classes, ['c', 'b', 'a']);
      assert.deepEqual(countClasses(d.validation?.y, 3), [2, 6, 12]);
      assert.deepEqual(countClasses(d.test?.y, 3), [1, 3, 6]);
      assert.deepEqual(countClasses(d.train.y, 3), [7, 21, 42]);
      const all = [...d.train.sourceLines, ...(d.validation?.sourceLines ?? []), ...(d.test?.sourceLines ?? [])].sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i + 2), 'every row in exactly one split');
    });

    it('splits a regression set by plain proportions', async () => {
      const d = await loadData({ path: 's.csv', features: ['label'], target: ['x'], validationSplit: 0.25 }, { baseDir: '/m', files });
      assert.equal(d.task, 'regression');
      assert.equal(d.validation?.rows, 25);
      assert.equal(d.train.rows, 75);
    });

    it('is reproducible from the seed, and another seed splits differently', async () => {
      const spec = { path: 's.csv', validationSplit: 0.3, seed: 5 };
      const a = await loadData(spec, { baseDir: '/m', files });
      const b = await loadData(spec, { baseDir: '/m', files });
      assert.deepEqual(a, b);
      const c = await loadData({ ...spec, seed: 6 }, { baseDir: '/m', files });
      assert.notDeepEqual(Array.from(c.validation?.sourceLines ?? []), Array.from(a.validation?.sourceLines ?? []));
    });

    it('assigns exactly the rows the original per-class lists did (a saved model\'s split must not move)', () => {
      // The assignment as first written: growing lists of row numbers per class.
      const reference = (rows: number, val: number, test: number, seed: number, classOf?: (r: number) => number, nClasses = 1): Uint8Array => {
        const assign = new Uint8Array(rows);
        const rng = new Random(mixSeeds(seed, 0x5b1175));
        const groups: number[][] = Array.from({ length: classOf ? nClasses : 1 }, () => []);
        for (let r = 0; r < rows; r++) groups[classOf ? classOf(r) : 0].push(r);
        for (const group of groups) {
          const order = rng.shuffle(Int32Array.from(group));
          const nTest = Math.round(order.length * test);
          const nVal = Math.round(order.length * val);
          for (let i = 0; i < nTest; i++) assign[order[i]] = TEST;
          for (let i = nTest; i < nTest + nVal && i < order.length; i++) assign[order[i]] = VALIDATION;
        }
        return assign;
      };
      const classes = Int32Array.from({ length: 5000 }, (_, r) => (r * 2654435761) % 7 % 4);
      const classOf = (r: number): number => classes[r];
      for (const [val, test, seed] of [[0.1, 0, 1], [0.2, 0.15, 7], [0, 0.3, 42]]) {
        assert.deepEqual(assignSplits(5000, val, test, seed), reference(5000, val, test, seed));
        assert.deepEqual(assignSplits(5000, val, test, seed, classOf, 4), reference(5000, val, test, seed, classOf, 4));
      }
    });

    it('keeps the file order within each split', async () => {
      const d = await loadData({ path: 's.csv', validationSplit: 0.3, seed: 5 }, { baseDir: '/m', files });
      const lines = Array.from(d.train.sourceLines);
      assert.deepEqual(lines, [...lines].sort((p, q) => p - q));
    });
  });

  describe('missing values', () => {
    // missing.csv: line 3 x2 empty, line 5 x1 NA, line 6 x2 NaN, line 7 y empty.
    it('drop: leaves out every row with a missing cell, and counts them', async () => {
      const d = await loadFixture({ path: 'missing.csv', missing: 'drop', normalize: 'none' });
      assert.deepEqual(Array.from(d.train.sourceLines), [2, 4]);
      assert.deepEqual(Array.from(d.train.x), [1, 10, 3, 30]);
      assert.equal(d.summary.rowsRead, 6);
      assert.equal(d.summary.rowsDropped, 4);
    });

    it('mean: fills inputs with the training mean; a row without a target is dropped', async () => {
      const d = await loadFixture({ path: 'missing.csv', missing: 'mean', normalize: 'none' });
      assert.deepEqual(Array.from(d.train.sourceLines), [2, 3, 4, 5, 6]);
      const m1 = (1 + 2 + 3 + 5) / 4;
      const m2 = (10 + 30 + 40) / 3;
      assert.deepEqual(Array.from(d.train.x), [1, 10, 2, m2, 3, 30, m1, 40, 5, m2]);
      assert.equal(d.summary.rowsDropped, 1);
    });

    it('mean on a categorical input: the training frequencies of its categories', async () => {
      const files = memoryFiles({ 'c.csv': 'color,y\nred,1\nblue,2\n,3\nred,4\n' });
      const d = await loadData({ path: 'c.csv', missing: 'mean', normalize: 'none' }, { baseDir: '/m', files });
      assert.deepEqual(Array.from(d.train.x), [1, 0, 0, 1, 2 / 3, 1 / 3, 1, 0]);
    });
  });

  describe('streaming', () => {
    const rows = 20000;
    const csv = 'a,b,c\n' + Array.from({ length: rows }, (_, i) => `${i},${(i * 7) % 13},${i % 2}`).join('\n') + '\n';
    const files = memoryFiles({ 'big.csv': csv }, 4096);

    it('reports progress after each chunk, ending at the file size', async () => {
      const seen: { bytesRead: number; totalBytes: number; rows: number }[] = [];
      const d = await loadData({ path: 'big.csv' }, { baseDir: '/m', files, onProgress: (p) => seen.push(p) });
      assert.equal(d.train.rows, rows);
      assert.ok(seen.length >= csv.length / 4096 - 1, `${seen.length} progress calls`);
      for (let i = 1; i < seen.length; i++) {
        assert.ok(seen[i].bytesRead > seen[i - 1].bytesRead && seen[i].rows >= seen[i - 1].rows);
      }
      assert.equal(seen[seen.length - 1].bytesRead, csv.length);
      assert.equal(seen[0].totalBytes, csv.length);
    });

    it('honours cancellation: aborting mid-read rejects with an AbortError', async () => {
      const controller = new AbortController();
      let calls = 0;
      await assert.rejects(
        loadData({ path: 'big.csv' }, {
          baseDir: '/m', files, signal: controller.signal,
          onProgress: () => {
            if (++calls === 3) controller.abort();
          },
        }),
        (err: Error) => err.name === 'AbortError',
      );
      assert.equal(calls, 3, 'no chunk is read after the abort');
    });

    it('rejects at once when already aborted', async () => {
      await assert.rejects(loadData({ path: 'big.csv' }, { baseDir: '/m', files, signal: AbortSignal.abort() }), (err: Error) => err.name === 'AbortError');
    });

    it('stores blocks across the 65,536-row boundary intact', async () => {
      const n = 70000;
      const text = 'a,y\n' + Array.from({ length: n }, (_, i) => `${i},${i % 3 === 0 ? 'p' : 'q'}`).join('\n');
      const d = await loadData({ path: 'n.csv', normalize: 'none' }, { baseDir: '/m', files: memoryFiles({ 'n.csv': text }, 1 << 16) });
      assert.equal(d.train.rows, n);
      for (const r of [0, 65535, 65536, 65537, n - 1]) {
        assert.equal(d.train.x[r], r);
        assert.equal(d.train.sourceLines[r], r + 2);
        assert.equal(d.train.y[r * 2], r % 3 === 0 ? 1 : 0);
      }
    });
  });

  describe('memory', () => {
    it('gives each stored block back as soon as its rows are copied into the splits', () => {
      const n = 70000;
      const builder = new TableBuilder('m.csv', ['a', 'c', 'y'], 1, {}, () => ({ line: 1 }));
      for (let i = 0; i < n; i++) builder.addRow([String(i), i % 2 ? 'odd' : 'even', String(i / 2)], i + 2, () => ({ line: i + 2 }));
      const table = builder.finish();
      const blocks = [...table.lines, ...(table.features[0].num ?? []), ...(table.features[1].codes ?? []), ...(table.targets[0].num ?? [])];
      assert.equal(blocks.length, 8);
      const d = prepare(table, { validationSplit: 0.1, normalize: 'none' }, 'm.csv');
      for (const block of blocks) assert.equal(block?.length, 0, 'a stored block still holds its memory');
      assert.ok(table.lines.every((b) => b === undefined));
      // The column seen as numbers and then as text kept both; only the codes were handed over.
      assert.equal(table.features[1].num, undefined);
      assert.equal(d.train.rows + (d.validation?.rows ?? 0), n);
      for (const split of [d.train, d.validation]) {
        if (!split) continue;
        for (const r of [0, split.rows - 1]) {
          const i: number = split.sourceLines[r] - 2;
          assert.equal(split.x[r * 3], i);
          assert.equal(split.x[r * 3 + (i % 2 ? 2 : 1)], 1);
          assert.equal(split.y[r], i / 2);
        }
      }
    });

    it('reads a file through released chunks and 64 KiB parser writes as it reads it whole, errors included', async () => {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mlp-chunks-'));
      try {
        const rows = Array.from({ length: 12000 }, (_, i) => (i === 5000 ? `${i},"two\nlines",${i % 5}` : `${i},"w${i % 3}",${i % 5}`));
        await fsp.writeFile(path.join(dir, 'ok.csv'), 'a,w,y\n' + rows.join('\n') + '\n');
        rows[11000] = '11000,"w1",oops';
        await fsp.writeFile(path.join(dir, 'bad.csv'), 'a,w,y\n' + rows.join('\n') + '\n');
        const spec = { path: 'ok.csv', target: ['a'], validationSplit: 0.2, seed: 3 };
        const whole = await loadData(spec, { baseDir: dir, files: memoryFiles({ 'ok.csv': await fsp.readFile(path.join(dir, 'ok.csv')) }, 1 << 24) });
        for (const chunk of [1 << 20, 40000, 70001]) {
          const files = createNodeFileAccess(chunk);
          assert.deepEqual(await loadData(spec, { baseDir: dir, files }), whole, `chunks of ${chunk} bytes`);
          await expectDataError(loadData({ ...spec, path: 'bad.csv', columnTypes: { y: 'numeric' } }, { baseDir: dir, files }), {
            file: 'bad.csv', line: 11003, column: 12, message: /text "oops" in numeric column "y"/,
          });
        }
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('seeded shuffling and PRNG', () => {
    it('shuffledIndices gives a permutation, the same for the same (seed, epoch)', () => {
      const a = shuffledIndices(1000, 42, 3);
      assert.deepEqual(Array.from(a).sort((p, q) => p - q), Array.from({ length: 1000 }, (_, i) => i));
      assert.deepEqual(shuffledIndices(1000, 42, 3), a);
      assert.notDeepEqual(shuffledIndices(1000, 42, 4), a);
      assert.notDeepEqual(shuffledIndices(1000, 43, 3), a);
    });

    it('shuffledIndices puts each row at each position about equally often', () => {
      const n = 4;
      const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      const epochs = 8000;
      for (let e = 0; e < epochs; e++) shuffledIndices(n, 7, e).forEach((row, pos) => counts[row][pos]++);
      for (const row of counts) for (const c of row) assert.ok(Math.abs(c - epochs / n) < 0.06 * epochs, `${c}`);
    });

    it('Random: uniform and normal moments match their distributions', () => {
      const rng = new Random(123);
      const n = 100000;
      let su = 0;
      let su2 = 0;
      let sn = 0;
      let sn2 = 0;
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        assert.ok(u >= 0 && u < 1);
        su += u;
        su2 += u * u;
        const z = rng.normal();
        sn += z;
        sn2 += z * z;
      }
      close(su / n, 0.5, 0.01);
      close(su2 / n - (su / n) ** 2, 1 / 12, 0.01);
      assert.ok(Math.abs(sn / n) < 0.015);
      close(sn2 / n, 1, 0.02);
    });

    it('Random: one seed, the same stream bit for bit', () => {
      const a = new Random(9);
      const b = new Random(9);
      for (let i = 0; i < 1000; i++) assert.equal(a.normal(), b.normal());
      assert.notEqual(new Random(9).nextUint32(), new Random(10).nextUint32());
    });
  });

  describe('normalization read row by row', () => {
    it('fits and applies exactly what the column-by-column formulas give, bit for bit', () => {
      const rng = new Random(5);
      const rows = 257;
      const nIn = 4;
      const x = new Float64Array(rows * nIn);
      // A large offset in one column: the two-pass variance must survive it.
      for (let r = 0; r < rows; r++) for (let k = 0; k < nIn; k++) x[r * nIn + k] = rng.normal(k === 2 ? 1e9 : 0, 3 + k);
      const names = ['a', 'b', 'c', 'd'];
      const scaled = [true, false, true, true];
      const mean = [0, 0, 0, 0];
      const std = [1, 1, 1, 1];
      const min = [0, 0, 0, 0];
      const max = [1, 1, 1, 1];
      for (let k = 0; k < nIn; k++) {
        if (!scaled[k]) continue;
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += x[r * nIn + k];
        const m = sum / rows;
        let ss = 0;
        for (let r = 0; r < rows; r++) ss += (x[r * nIn + k] - m) ** 2;
        mean[k] = m;
        std[k] = Math.sqrt(ss / rows) || 1;
        let lo = Infinity;
        let hi = -Infinity;
        for (let r = 0; r < rows; r++) {
          lo = Math.min(lo, x[r * nIn + k]);
          hi = Math.max(hi, x[r * nIn + k]);
        }
        min[k] = lo;
        max[k] = hi > lo ? hi : lo + 1;
      }
      const standard = fitNormalization('standard', x, names, scaled);
      assert.deepEqual(standard, { method: 'standard', inputNames: names, mean, std });
      assert.deepEqual(fitNormalization('minmax', x, names, scaled), { method: 'minmax', inputNames: names, min, max });
      const applied = normalizeInPlace(standard, Float64Array.from(x));
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(applied[i], (x[i] - mean[i % nIn]) / std[i % nIn]), `element ${i}`);
    });
  });
});
