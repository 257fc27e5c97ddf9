/**
 * The fast path's GEMM, every variant the runtime supports, against a naive float64 product:
 * plain, transposed-A and transposed-B (and both), odd sizes that exercise every edge of the
 * 4 × 8 micro-kernel and of the packing blocks (64 rows, 256 deep, 256 columns), leading dimensions wider than the matrix,
 * accumulation, the bias and the ReLU epilogues.
 */
import * as assert from 'node:assert/strict';
import { Random } from '../../src/engine/random';
import { createKernels, EPILOGUE_LEAKY_RELU, EPILOGUE_NONE, EPILOGUE_RELU, HEAP_RESERVED, packFloats, supportedVariants } from '../../src/fast/kernels';

interface Case {
  m: number;
  n: number;
  k: number;
  transA: number;
  transB: number;
  accumulate?: boolean;
  bias?: boolean;
  act?: number;
  pad?: number;
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 8, 3],
  [3, 5, 7],
  [4, 8, 16],
  [5, 9, 2],
  [7, 17, 33],
  [13, 3, 257],
  [4, 1, 600],
  [64, 10, 64],
  [33, 130, 513],
  [70, 263, 300], // past one 64-row block of A and one 256-column block of B
  [131, 9, 5],
];

function runCase(variant: ReturnType<typeof supportedVariants>[number], c: Case, rng: Random): void {
  const { m, n, k, transA, transB } = c;
  const pad = c.pad ?? 0;
  // op(A) is m × k: stored m × k (lda ≥ k) or k × m (lda ≥ m); op(B) is k × n likewise.
  const aRows = transA ? k : m;
  const aCols = transA ? m : k;
  const bRows = transB ? n : k;
  const bCols = transB ? k : n;
  const lda = aCols + pad;
  const ldb = bCols + pad;
  const ldc = n + pad;
  const sizes = [aRows * lda, bRows * ldb, m * ldc, n, packFloats(m, n, k), 64];
  const kern = createKernels(sizes.reduce((s, x) => s + x, 0), variant);
  const h = kern.heap;
  let top = HEAP_RESERVED;
  const place = (floats: number): number => {
    const at = top;
    top += floats;
    return at;
  };
  const A = place(sizes[0]);
  const B = place(sizes[1]);
  const C = place(sizes[2]);
  const bias = place(sizes[3]);
  const pack = place(sizes[4]);
  for (let i = A; i < C + sizes[2] + n; i++) h[i] = rng.uniform(-1, 1);
  const opA = (i: number, p: number) => (transA ? h[A + p * lda + i] : h[A + i * lda + p]);
  const opB = (p: number, j: number) => (transB ? h[B + j * ldb + p] : h[B + p * ldb + j]);
  const expected: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c.accumulate ? h[C + i * ldc + j] : 0;
      let mag = Math.abs(s);
      for (let p = 0; p < k; p++) {
        s += opA(i, p) * opB(p, j);
        mag += Math.abs(opA(i, p) * opB(p, j));
      }
      if (c.bias) {
        s += h[bias + j];
        mag += Math.abs(h[bias + j]);
      }
      if (c.act === EPILOGUE_RELU) s = Math.max(s, 0);
      if (c.act === EPILOGUE_LEAKY_RELU) s = s >= 0 ? s : 0.01 * s;
      expected.push(s);
      scale.push(mag);
    }
  }
  const padBefore = Array.from(h.subarray(C, C + sizes[2]));
  kern.gemm(transA, transB, m, n, k, A, lda, B, ldb, C, ldc, c.accumulate ? 1 : 0, c.bias ? bias : 0, c.act ?? EPILOGUE_NONE, pack);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = h[C + i * ldc + j];
      if (j >= n) {
        assert.equal(got, padBefore[i * ldc + j], `${variant} wrote past column ${n} (row ${i}, col ${j})`);
        continue;
      }
      const want = expected[i * n + j];
      // float32 products summed in float32: error grows with k and the sum of |terms|
      const tol = 1e-6 * (4 + Math.sqrt(k)) * scale[i * n + j] + 1e-30;
      assert.ok(Math.abs(got - want) <= tol, `${variant} ${JSON.stringify(c)} C[${i}][${j}] = ${got}, expected ${want}`);
    }
  }
}

describe('fast path GEMM kernels', () => {
  for (const variant of supportedVariants()) {
    describe(`${variant} kernels`, () => {
      for (const transA of [0, 1]) {
        for (const transB of [0, 1]) {
          it(`C = ${transA ? 'Aᵀ' : 'A'} ${transB ? 'Bᵀ' : 'B'} at odd sizes`, () => {
            const rng = new Random(1000 + transA * 2 + transB);
            for (const [m, n, k] of shapes) runCase(variant, { m, n, k, transA, transB }, rng);
          });
        }
      }
      it('keeps leading dimensions wider than the matrix and leaves the padding alone', () => {
        const rng = new Random(7);
        for (const [m, n, k] of shapes) for (const t of [0, 1]) runCase(variant, { m, n, k, transA: t, transB: 1 - t, pad: 3 }, rng);
      });
      it('accumulates into C, adds the bias and applies the ReLU epilogues', () => {
        const rng = new Random(8);
        for (const [m, n, k] of shapes) {
          runCase(variant, { m, n, k, transA: 0, transB: 0, bias: true, act: EPILOGUE_RELU }, rng);
          runCase(variant, { m, n, k, transA: 0, transB: 0, bias: true, act: EPILOGUE_LEAKY_RELU, pad: 2 }, rng);
          runCase(variant, { m, n, k, transA: 1, transB: 0, accumulate: true }, rng);
        }
      });
      it('with k = 0 gives only the bias', () => {
        runCase(variant, { m: 3, n: 5, k: 0, transA: 0, transB: 0, bias: true }, new Random(9));
      });
      it('computes column sums, the rectifier derivatives and the optimizer steps', () => {
        const rng = new Random(10);
        const n = 37;
        const kern = createKernels(8 * 64, variant);
        const h = kern.heap;
        const [x, g, v, w, mo] = [16, 80, 144, 208, 272];
        for (let i = 16; i < 8 * 64; i++) h[i] = rng.uniform(-1, 1);
        // columnSums over a 3 × 11 block with ld 12
        const ref = Array.from({ length: 11 }, (_, j) => h[x + j] + h[x + 12 + j] + h[x + 24 + j]);
        kern.columnSums(3, 11, x, 12, g);
        ref.forEach((r, j) => assert.ok(Math.abs(h[g + j] - r) < 1e-6));
        // rectifiers
        const a = Array.from(h.subarray(x, x + n));
        const d = Array.from(h.subarray(g, g + n));
        kern.rectifierBackward(EPILOGUE_RELU, n, x, g);
        a.forEach((ai, i) => assert.ok(h[g + i] === Math.fround(ai > 0 ? d[i] : 0), `relu′ at ${i}`)); // -0 and 0 alike
        h.set(d, g);
        kern.rectifierBackward(EPILOGUE_LEAKY_RELU, n, x, g);
        a.forEach((ai, i) => assert.ok(Math.abs(h[g + i] - (ai >= 0 ? d[i] : 0.01 * d[i])) < 1e-7));
        // optimizer steps against float64 formulas
        const W0 = Array.from(h.subarray(w, w + n));
        const G = Array.from(h.subarray(g, g + n));
        kern.momentum(n, w, g, v, 0.1, 0.9, 0.01);
        for (let i = 0; i < n; i++) assert.ok(Math.abs(h[w + i] - (W0[i] + h[v + i])) < 1e-6);
        h.set(W0, w);
        kern.sgd(n, w, g, 0.5, 0.1);
        for (let i = 0; i < n; i++) assert.ok(Math.abs(h[w + i] - (W0[i] - 0.5 * (G[i] + 0.1 * W0[i]))) < 1e-6);
        h.set(W0, w);
        h.fill(0, mo, mo + 2 * 64);
        kern.adam(n, w, g, mo, mo + 64, 0.01, 0.9, 0.999, 0.1, 0.001, 1e-8, 0);
        for (let i = 0; i < n; i++) {
          const m1 = 0.1 * G[i];
          const v1 = 0.001 * G[i] * G[i];
          const want = W0[i] - (0.01 * (m1 / 0.1)) / (Math.sqrt(v1 / 0.001) + 1e-8);
          assert.ok(Math.abs(h[w + i] - want) < 1e-5, `adam w[${i}] = ${h[w + i]}, expected ${want}`);
        }
      });
    });
  }
  it('offers the JavaScript fallback always and WebAssembly SIMD on this runtime', () => {
    const v = supportedVariants();
    assert.equal(v[v.length - 1], 'js');
    assert.ok(v.includes('simd'), `variants: ${v.join(', ')}`);
  });
});
