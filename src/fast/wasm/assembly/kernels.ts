/**
 * The fast path's kernels, in AssemblyScript, compiled by scripts/build-wasm.js into WebAssembly
 * with 128-bit SIMD (and a second time with relaxed-SIMD FMA). Not TypeScript: tsconfig.json
 * excludes this folder. It avoids decorators so that eslint's TypeScript parser still reads it.
 *
 * The module owns no memory: it imports the one `WebAssembly.Memory` that the network planned and
 * created at build, and every argument that names an array is an element index (a float32
 * offset, pointer = index × 4) into it. The bottom of that memory holds the module's static data
 * (see staticEnd) and is never handed out, so index 0 means "none".
 *
 * GEMM, in the BLIS style: C (m × n) = op(A) op(B) [+ C] [+ 1 bᵀ], then an optional activation,
 *   transA = 0: A is m × k row-major (lda ≥ k);  transA = 1: A is k × m (the lecture's a[l−1]ᵀ).
 *   transB = 0: B is k × n row-major (ldb ≥ n);  transB = 1: B is n × k (Wᵀ in dL/da[l−1]).
 * Both operands are packed, a block at a time, into the layout the micro-kernel streams: B into
 * column panels of NR = 8 floats (KC × NC per block, kept in L2), A into row panels of MR = 4
 * (MC × KC per block). Packing is where the transposes are absorbed, so that all four variants run
 * the same micro-kernel, which is what keeps backprop on the fast path. The micro-kernel holds a
 * 4 × 8 block of C in eight v128 accumulators and reads one A pointer and one B pointer.
 */

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 256;

/**
 * Activation codes (kernels.ts mirrors them). The GEMM epilogue applies NONE, RELU and LEAKY;
 * `activationForward` and `activationBackward` take all but GELU, whose erf stays in JS.
 */
const ACT_NONE: i32 = 0;
const ACT_RELU: i32 = 1;
const ACT_LEAKY: i32 = 2;
const ACT_TANH: i32 = 3;
const ACT_SIGMOID: i32 = 4;
const ACT_ELU: i32 = 5;
const ACT_SOFTMAX: i32 = 6;

/** Loss codes (kernels.ts mirrors them), and the fused output shortcuts. */
const LOSS_SSE: i32 = 0;
const LOSS_MSE: i32 = 1;
const LOSS_CE: i32 = 2;
const LOSS_BCE: i32 = 3;
const FUSED_NONE: i32 = 0;
const FUSED_SOFTMAX_CE: i32 = 1;
const FUSED_SIGMOID_BCE: i32 = 2;

/**
 * The end of this module's static data (the tables of Math.exp and Math.log), in bytes. The data
 * lives at the bottom of the imported memory, so the network's heap must start above it:
 * build-wasm.js records the value, kernels.ts reserves that much, and every instance checks it.
 */
export function staticEnd(): i32 {
  return <i32>__heap_base;
}

function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/**
 * Floats at the start of the pack buffer where the micro-kernel parks its accumulators (MR × NR)
 * before the epilogue: no v128 stays live across a call, which TurboFan would otherwise spill
 * to the stack inside the k loop (it spills a value at its definition), halving the kernel's
 * speed. Per pack buffer, so per thread.
 */
const PARK: i32 = MR * NR;

/** The floats of pack buffer a GEMM needs whose m, n and k are at most these. */
export function packSize(mMax: i32, nMax: i32, kMax: i32): i32 {
  const kc = min(KC, kMax);
  return PARK + kc * roundUp(min(NC, nMax), NR) + roundUp(min(MC, mMax), MR) * kc;
}

/** acc + x·y, fused where the relaxed-SIMD build allows it. */
function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

function activate(v: v128, act: i32): v128 {
  if (act === ACT_RELU) return f32x4.max(v, f32x4.splat(0));
  if (act === ACT_LEAKY) return f32x4.max(v, f32x4.mul(v, f32x4.splat(0.01)));
  return v;
}

/** Stores the first `count` (1..8) lanes of lo:hi at p. */
function storeLanes(p: usize, lo: v128, hi: v128, count: i32): void {
  if (count >= 8) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
    return;
  }
  let v = lo;
  let q = p;
  let left = count;
  if (left >= 4) {
    v128.store(p, lo);
    v = hi;
    q = p + 16;
    left -= 4;
  }
  if (left > 0) store<f32>(q, f32x4.extract_lane(v, 0));
  if (left > 1) store<f32>(q, f32x4.extract_lane(v, 1), 4);
  if (left > 2) store<f32>(q, f32x4.extract_lane(v, 2), 8);
}

/** Loads the first `count` lanes of 8 from p, zeros elsewhere (never reads past them). */
function loadLo(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  if (count > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}
function loadHi(p: usize, count: i32): v128 {
  return count >= 8 ? v128.load(p, 16) : count > 4 ? loadLo(p + 16, count - 4) : f32x4.splat(0);
}

/**
 * Packs op(B)[p0..p0+kc) × [j0..j0+nc) into panels: panel q holds columns j0+8q..j0+8q+7, row p
 * at pack + (q·kc + p)·8 floats, zero-padded past nc.
 */
function packB(transB: i32, nc: i32, kc: i32, B: usize, ldb: i32, p0: i32, j0: i32, pack: usize): void {
  const panels = (nc + NR - 1) / NR;
  for (let q = 0; q < panels; q++) {
    const jq = j0 + q * NR;
    const cols = min(NR, nc - q * NR);
    let dst = pack + (<usize>(q * kc) << 5);
    if (transB === 0) {
      let src = B + (<usize>(p0 * ldb + jq) << 2);
      const stride = <usize>ldb << 2;
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += stride;
          dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, loadLo(src, cols));
          v128.store(dst, loadHi(src, cols), 16);
          src += stride;
          dst += 32;
        }
      }
    } else {
      // B is n × k: column c of the panel is row jq + c of B, read along k.
      if (cols < NR) {
        // The padding columns must be zero: the micro-kernel multiplies them too.
        for (let p = 0; p < kc; p++) {
          v128.store(dst + (<usize>p << 5), f32x4.splat(0));
          v128.store(dst + (<usize>p << 5), f32x4.splat(0), 16);
        }
      }
      for (let c = 0; c < cols; c++) {
        let src = B + (<usize>((jq + c) * ldb + p0) << 2);
        let d = dst + (<usize>c << 2);
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const v = v128.load(src);
          store<f32>(d, f32x4.extract_lane(v, 0));
          store<f32>(d, f32x4.extract_lane(v, 1), 32);
          store<f32>(d, f32x4.extract_lane(v, 2), 64);
          store<f32>(d, f32x4.extract_lane(v, 3), 96);
          src += 16;
          d += 128;
        }
        for (; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += 4;
          d += 32;
        }
      }
    }
  }
}

/**
 * Packs op(A)[i0..i0+mc) × [p0..p0+kc) into row panels: panel t holds rows i0+4t..i0+4t+3, step
 * p at pack + (t·kc + p)·4 floats, zero-padded past mc.
 */
function packA(transA: i32, mc: i32, kc: i32, A: usize, lda: i32, i0: i32, p0: i32, pack: usize): void {
  const panels = (mc + MR - 1) / MR;
  const rowBytes = <usize>lda << 2;
  for (let t = 0; t < panels; t++) {
    const it = i0 + t * MR;
    const rows = min(MR, mc - t * MR);
    let dst = pack + (<usize>(t * kc) << 4);
    if (transA === 1) {
      // A is k × m: the four values of step p are contiguous in row p0 + p.
      let src = A + (<usize>(p0 * lda + it) << 2);
      if (rows === MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          src += rowBytes;
          dst += 16;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, loadLo(src, rows));
          src += rowBytes;
          dst += 16;
        }
      }
    } else if (rows === MR) {
      // Four rows of A, four steps at a time, transposed in registers.
      const r0 = A + (<usize>(it * lda + p0) << 2);
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      let o: usize = 0;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const a0 = v128.load(r0 + o);
        const a1 = v128.load(r1 + o);
        const a2 = v128.load(r2 + o);
        const a3 = v128.load(r3 + o);
        const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
        dst += 64;
        o += 16;
      }
      for (; p < kc; p++) {
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        dst += 16;
        o += 4;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(A + (<usize>((it + r) * lda + p0 + p) << 2)) : 0);
        dst += 16;
      }
    }
  }
}

/**
 * C (m × n) = op(A) op(B), see the file comment. `accumulate` ≠ 0 adds to C; `bias` ≠ 0 adds
 * b[j] to every row; `act` applies ReLU or leaky ReLU. `pack` holds packSize(m, n, k) floats.
 */
export function gemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  a: i32,
  lda: i32,
  b: i32,
  ldb: i32,
  c: i32,
  ldc: i32,
  accumulate: i32,
  bias: i32,
  act: i32,
  pack: i32,
): void {
  if (m <= 0 || n <= 0) return;
  const A = <usize>a << 2;
  const B = <usize>b << 2;
  const C = <usize>c << 2;
  const bp = <usize>bias << 2;
  if (k <= 0) {
    // op(A) op(B) is zero: only the bias and the activation remain.
    for (let i = 0; i < m; i++) {
      for (let j0 = 0; j0 < n; j0 += NR) {
        const cols = min(NR, n - j0);
        const cp = C + (<usize>(i * ldc + j0) << 2);
        epilogue(cp, f32x4.splat(0), f32x4.splat(0), cols, accumulate !== 0, bias === 0 ? 0 : bp + (<usize>j0 << 2), act);
      }
    }
    return;
  }
  if (n * k <= SMALL_NK) {
    gemmSmall(transA, transB, m, n, k, A, lda, B, ldb, C, ldc, accumulate !== 0, bp, act);
    return;
  }
  const kcMax = min(KC, k);
  const park = <usize>pack << 2;
  const Bp = park + (<usize>PARK << 2);
  const Ap = Bp + (<usize>(kcMax * roundUp(min(NC, n), NR)) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const panels = (nc + NR - 1) / NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const load = pc > 0 || accumulate !== 0;
      const last = pc + kc >= k;
      const epiAct = last ? act : ACT_NONE;
      packB(transB, nc, kc, B, ldb, pc, jc, Bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const tiles = (mc + MR - 1) / MR;
        packA(transA, mc, kc, A, lda, ic, pc, Ap);
        for (let q = 0; q < panels; q++) {
          const j0 = jc + q * NR;
          const cols = min(NR, n - j0);
          const bPanel = Bp + (<usize>(q * kc) << 5);
          const epiBias = last && bias !== 0 ? bp + (<usize>j0 << 2) : 0;
          for (let t = 0; t < tiles; t++) {
            const i = ic + t * MR;
            kernel(kc, Ap + (<usize>(t * kc) << 4), bPanel, C + (<usize>(i * ldc + j0) << 2), ldc, min(MR, m - i), cols, load, epiBias, epiAct, park);
          }
        }
      }
    }
  }
}

/**
 * n·k up to which a GEMM skips packing, for any m: a row of C is then at most SMALL_NK multiply-
 * adds (a 2-4-1 or 2-8-8-1 net's every product). The choice must not depend on m: threads split
 * GEMMs by rows (shards of a batch, slices of dL/dW), and a row computed on one path rounds
 * otherwise than on the other (the micro-kernel's fused multiply-add in the relaxed build).
 */
const SMALL_NK: i32 = 128;

/** C = op(A) op(B) by plain loops, for products too small for packing to pay. */
function gemmSmall(transA: i32, transB: i32, m: i32, n: i32, k: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, addC: bool, bias: usize, act: i32): void {
  const aRow: usize = transA ? 4 : <usize>lda << 2; // step from row i to i + 1 of op(A)
  const aCol: usize = transA ? <usize>lda << 2 : 4; // step from column p to p + 1
  const bRow: usize = transB ? 4 : <usize>ldb << 2; // step from row p to p + 1 of op(B)
  const bCol: usize = transB ? <usize>ldb << 2 : 4; // step from column j to j + 1
  for (let i = 0; i < m; i++) {
    const ai = A + <usize>i * aRow;
    const ci = C + (<usize>(i * ldc) << 2);
    for (let j = 0; j < n; j++) {
      let s: f32 = addC ? load<f32>(ci + (<usize>j << 2)) : 0;
      let ap = ai;
      let bq = B + <usize>j * bCol;
      for (let p = 0; p < k; p++) {
        s += load<f32>(ap) * load<f32>(bq);
        ap += aCol;
        bq += bRow;
      }
      if (bias !== 0) s += load<f32>(bias + (<usize>j << 2));
      if (act === ACT_RELU) s = max(s, 0);
      else if (act === ACT_LEAKY) s = s >= 0 ? s : s * <f32>0.01;
      store<f32>(ci + (<usize>j << 2), s);
    }
  }
}

/**
 * A 4 × 8 block of C over one k-block, from packed panels of A and B; stores `rows` × `cols` of
 * it. The accumulators go to `park` (PARK floats) before the epilogue's calls (see PARK).
 */
function kernel(kc: i32, ap: usize, bp: usize, cp: usize, ldc: i32, rows: i32, cols: i32, load: bool, bias: usize, act: i32, park: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  let a = ap;
  let b = bp;
  const end = bp + (<usize>kc << 5);
  // One step per trip: unrolled twice, binaryen interleaves the steps and TurboFan then holds
  // eight splats and four B vectors beside the eight accumulators, more than x64's 16 registers.
  while (b < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    a += 16;
    b += 32;
  }
  if (rows === MR && cols === NR) {
    // A whole tile (nearly every tile): the epilogue inline, without calls.
    const ldc1 = <usize>ldc << 2;
    const cp1 = cp + ldc1;
    const cp2 = cp1 + ldc1;
    const cp3 = cp2 + ldc1;
    if (load) {
      c00 = f32x4.add(c00, v128.load(cp));
      c01 = f32x4.add(c01, v128.load(cp, 16));
      c10 = f32x4.add(c10, v128.load(cp1));
      c11 = f32x4.add(c11, v128.load(cp1, 16));
      c20 = f32x4.add(c20, v128.load(cp2));
      c21 = f32x4.add(c21, v128.load(cp2, 16));
      c30 = f32x4.add(c30, v128.load(cp3));
      c31 = f32x4.add(c31, v128.load(cp3, 16));
    }
    if (bias !== 0) {
      const b0 = v128.load(bias);
      const b1 = v128.load(bias, 16);
      c00 = f32x4.add(c00, b0);
      c01 = f32x4.add(c01, b1);
      c10 = f32x4.add(c10, b0);
      c11 = f32x4.add(c11, b1);
      c20 = f32x4.add(c20, b0);
      c21 = f32x4.add(c21, b1);
      c30 = f32x4.add(c30, b0);
      c31 = f32x4.add(c31, b1);
    }
    if (act === ACT_RELU) {
      const zero = f32x4.splat(0);
      c00 = f32x4.max(c00, zero);
      c01 = f32x4.max(c01, zero);
      c10 = f32x4.max(c10, zero);
      c11 = f32x4.max(c11, zero);
      c20 = f32x4.max(c20, zero);
      c21 = f32x4.max(c21, zero);
      c30 = f32x4.max(c30, zero);
      c31 = f32x4.max(c31, zero);
    } else if (act === ACT_LEAKY) {
      const slope = f32x4.splat(0.01);
      c00 = f32x4.max(c00, f32x4.mul(c00, slope));
      c01 = f32x4.max(c01, f32x4.mul(c01, slope));
      c10 = f32x4.max(c10, f32x4.mul(c10, slope));
      c11 = f32x4.max(c11, f32x4.mul(c11, slope));
      c20 = f32x4.max(c20, f32x4.mul(c20, slope));
      c21 = f32x4.max(c21, f32x4.mul(c21, slope));
      c30 = f32x4.max(c30, f32x4.mul(c30, slope));
      c31 = f32x4.max(c31, f32x4.mul(c31, slope));
    }
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    v128.store(cp1, c10);
    v128.store(cp1, c11, 16);
    v128.store(cp2, c20);
    v128.store(cp2, c21, 16);
    v128.store(cp3, c30);
    v128.store(cp3, c31, 16);
    return;
  }
  v128.store(park, c00);
  v128.store(park, c01, 16);
  v128.store(park, c10, 32);
  v128.store(park, c11, 48);
  v128.store(park, c20, 64);
  v128.store(park, c21, 80);
  v128.store(park, c30, 96);
  v128.store(park, c31, 112);
  const ldcBytes = <usize>ldc << 2;
  for (let r = 0; r < rows; r++) {
    const row = park + (<usize>r << 5);
    epilogue(cp + <usize>r * ldcBytes, v128.load(row), v128.load(row, 16), cols, load, bias, act);
  }
}

function epilogue(cp: usize, lo: v128, hi: v128, cols: i32, load: bool, bias: usize, act: i32): void {
  let x = lo;
  let y = hi;
  if (load) {
    x = f32x4.add(x, loadLo(cp, cols));
    y = f32x4.add(y, loadHi(cp, cols));
  }
  if (bias !== 0) {
    x = f32x4.add(x, loadLo(bias, cols));
    y = f32x4.add(y, loadHi(bias, cols));
  }
  storeLanes(cp, activate(x, act), activate(y, act), cols);
}

/** db[j] = Σ_r dz[r·ldz + j]: dL/db[l] from dL/dz[l]. */
export function columnSums(m: i32, n: i32, dz: i32, ldz: i32, db: i32): void {
  const D = <usize>dz << 2;
  const out = <usize>db << 2;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let p = D + (<usize>j << 2);
    for (let r = 0; r < m; r++) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      p += <usize>ldz << 2;
    }
    v128.store(out + (<usize>j << 2), s0);
    v128.store(out + (<usize>j << 2), s1, 16);
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    let p = D + (<usize>j << 2);
    for (let r = 0; r < m; r++) {
      s += load<f32>(p);
      p += <usize>ldz << 2;
    }
    store<f32>(out + (<usize>j << 2), s);
  }
}

/**
 * d := d ⊙ σ′ in place for ReLU (act 1) or leaky ReLU (act 2), read from the output a:
 * a > 0 ⇔ z > 0, a ≥ 0 ⇔ z ≥ 0, so z need not be kept.
 */
export function rectifierBackward(act: i32, count: i32, a: i32, d: i32): void {
  const ap = <usize>a << 2;
  const dp = <usize>d << 2;
  const zero = f32x4.splat(0);
  const slope = f32x4.splat(act === ACT_LEAKY ? 0.01 : 0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(ap + o);
    const dv = v128.load(dp + o);
    const pos = act === ACT_LEAKY ? f32x4.ge(av, zero) : f32x4.gt(av, zero);
    v128.store(dp + o, v128.bitselect(dv, f32x4.mul(dv, slope), pos));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const av = load<f32>(ap + o);
    const pos = act === ACT_LEAKY ? av >= 0 : av > 0;
    if (!pos) store<f32>(dp + o, act === ACT_LEAKY ? load<f32>(dp + o) * <f32>0.01 : 0);
  }
}

// The optimizers run every element through the same vector arithmetic, the last 1–3 of an array
// included (loaded and stored lane by lane): an element's update must not depend on where its
// array starts, since threads update slices of the parameters (src/fast/threads.ts) and must give
// one thread's numbers (loadLo and storeLanes take the last lanes). Each formula is written once,
// as a function of vectors.

/** SGD's new w: w − η (g + λ w). */
function sgdW(wv: v128, gv: v128, e: v128, l: v128): v128 {
  return f32x4.sub(wv, f32x4.mul(e, madd(l, wv, gv)));
}

/** Plain SGD: w := w − η (g + λ w). */
export function sgd(count: i32, w: i32, g: i32, eta: f32, lambda: f32): void {
  const wp = <usize>w << 2;
  const gp = <usize>g << 2;
  const e = f32x4.splat(eta);
  const l = f32x4.splat(lambda);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    v128.store(wp + o, sgdW(v128.load(wp + o), v128.load(gp + o), e, l));
  }
  if (i < count) {
    const o = <usize>i << 2;
    const wn = sgdW(loadLo(wp + o, count - i), loadLo(gp + o, count - i), e, l);
    storeLanes(wp + o, wn, wn, count - i);
  }
}

/** Momentum's new v: μ v − η (g + λ w). */
function momentumV(wv: v128, gv: v128, vv: v128, e: v128, u: v128, l: v128): v128 {
  return f32x4.sub(f32x4.mul(u, vv), f32x4.mul(e, madd(l, wv, gv)));
}

/** SGD with momentum μ: v := μ v − η (g + λ w), w := w + v. */
export function momentum(count: i32, w: i32, g: i32, v: i32, eta: f32, mu: f32, lambda: f32): void {
  const wp = <usize>w << 2;
  const gp = <usize>g << 2;
  const vp = <usize>v << 2;
  const e = f32x4.splat(eta);
  const u = f32x4.splat(mu);
  const l = f32x4.splat(lambda);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const wv = v128.load(wp + o);
    const vv = momentumV(wv, v128.load(gp + o), v128.load(vp + o), e, u, l);
    v128.store(vp + o, vv);
    v128.store(wp + o, f32x4.add(wv, vv));
  }
  if (i < count) {
    const o = <usize>i << 2;
    const lanes = count - i;
    const wv = loadLo(wp + o, lanes);
    const vv = momentumV(wv, loadLo(gp + o, lanes), loadLo(vp + o, lanes), e, u, l);
    storeLanes(vp + o, vv, vv, lanes);
    const wn = f32x4.add(wv, vv);
    storeLanes(wp + o, wn, wn, lanes);
  }
}

/** Adam's new m, v and w of `lanes` (1..4) parameters at these pointers. */
function adamAt(wp: usize, gp: usize, mp: usize, vp: usize, lanes: i32, b1: v128, b2: v128, o1: v128, o2: v128, step: v128, ic2: v128, ep: v128, l: v128): void {
  const full = lanes >= 4;
  const wv = full ? v128.load(wp) : loadLo(wp, lanes);
  const gv = madd(l, wv, full ? v128.load(gp) : loadLo(gp, lanes));
  const mv = f32x4.add(f32x4.mul(b1, full ? v128.load(mp) : loadLo(mp, lanes)), f32x4.mul(o1, gv));
  const vv = f32x4.add(f32x4.mul(b2, full ? v128.load(vp) : loadLo(vp, lanes)), f32x4.mul(o2, f32x4.mul(gv, gv)));
  const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vv, ic2)), ep);
  const wn = f32x4.sub(wv, f32x4.div(f32x4.mul(step, mv), denom));
  if (full) {
    v128.store(mp, mv);
    v128.store(vp, vv);
    v128.store(wp, wn);
  } else {
    storeLanes(mp, mv, mv, lanes);
    storeLanes(vp, vv, vv, lanes);
    storeLanes(wp, wn, wn, lanes);
  }
}

/**
 * Adam: g′ = g + λ w, m := β₁ m + (1 − β₁) g′, v := β₂ v + (1 − β₂) g′²,
 * w := w − η (m / c₁) / (√(v / c₂) + ε), with the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
 */
export function adam(count: i32, w: i32, g: i32, m: i32, v: i32, eta: f32, beta1: f64, beta2: f64, c1: f32, c2: f32, eps: f32, lambda: f32): void {
  const wp = <usize>w << 2;
  const gp = <usize>g << 2;
  const mp = <usize>m << 2;
  const vp = <usize>v << 2;
  // β arrives as f64 and 1 − β is taken in f64 before rounding: β₂ = 0.99999999 is 1.0 in f32,
  // which would make 1 − β₂ zero and v never move (float64's 1e-8 is what training means).
  const b1 = f32x4.splat(<f32>beta1);
  const b2 = f32x4.splat(<f32>beta2);
  const o1 = f32x4.splat(<f32>(1.0 - beta1));
  const o2 = f32x4.splat(<f32>(1.0 - beta2));
  const step = f32x4.splat(eta / c1);
  const ic2 = f32x4.splat(1 / c2);
  const ep = f32x4.splat(eps);
  const l = f32x4.splat(lambda);
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    adamAt(wp + o, gp + o, mp + o, vp + o, min(4, count - i), b1, b2, o1, o2, step, ic2, ep, l);
  }
}

// ---------------------------------------------------------------------------------------------
// Element-wise σ, σ′ and the losses. These are the loops of activations.ts and losses.ts, number
// for number: each float32 is widened to float64, the formula runs in float64 (as JS does), and
// the result is rounded to float32 once, on the store. In WebAssembly they cost no JIT warm-up
// and allocate nothing, which is most of a tiny network's step (a 2-4-1 net's whole step is a
// few hundred flops; before they moved here, JS's boxed doubles spent more time in the garbage
// collector than the arithmetic took).

function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

function get(base: usize, i: i32): f64 {
  return <f64>load<f32>(at(base, i));
}

function put(base: usize, i: i32, v: f64): void {
  store<f32>(at(base, i), <f32>v);
}

/** The engine's numerically stable logistic function. */
function sigmoid(z: f64): f64 {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** a = σ(z) for `rows` rows of n values (z and a row-major, ld = n; they may be the same array). */
export function activationForward(act: i32, alpha: f64, z: i32, a: i32, rows: i32, n: i32): void {
  const zp = <usize>z << 2;
  const ap = <usize>a << 2;
  const count = rows * n;
  if (act === ACT_SOFTMAX) {
    for (let r = 0; r < rows; r++) {
      const zo = r * n;
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (get(zp, zo + k) > max) max = get(zp, zo + k);
      let sum: f64 = 0;
      for (let k = 0; k < n; k++) {
        const e = Math.exp(get(zp, zo + k) - max);
        put(ap, zo + k, e);
        sum += e;
      }
      const inv = 1 / sum;
      for (let k = 0; k < n; k++) put(ap, zo + k, get(ap, zo + k) * inv);
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const v = get(zp, i);
    let out = v;
    if (act === ACT_RELU) out = v > 0 ? v : 0;
    else if (act === ACT_LEAKY) out = v >= 0 ? v : 0.01 * v;
    else if (act === ACT_TANH) out = Math.tanh(v);
    else if (act === ACT_SIGMOID) out = sigmoid(v);
    else if (act === ACT_ELU) out = v > 0 ? v : alpha * Math.expm1(v);
    put(ap, i, out);
  }
}

/**
 * d := J_σᵀ d in place, turning dL/da into dL/dz, σ′ read from a (tanh: 1 − a², sigmoid:
 * a(1 − a), ELU: a + α where z ≤ 0, softmax: a ⊙ (d − a·d) per row).
 */
export function activationBackward(act: i32, alpha: f64, a: i32, d: i32, rows: i32, n: i32): void {
  const ap = <usize>a << 2;
  const dp = <usize>d << 2;
  const count = rows * n;
  if (act === ACT_NONE) return;
  if (act === ACT_SOFTMAX) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let dot: f64 = 0;
      for (let k = 0; k < n; k++) dot += get(ap, o + k) * get(dp, o + k);
      for (let k = 0; k < n; k++) put(dp, o + k, get(ap, o + k) * (get(dp, o + k) - dot));
    }
    return;
  }
  if (act === ACT_RELU || act === ACT_LEAKY) {
    rectifierBackward(act, count, a, d);
    return;
  }
  for (let i = 0; i < count; i++) {
    const v = get(ap, i);
    if (act === ACT_TANH) put(dp, i, get(dp, i) * (1 - v * v));
    else if (act === ACT_SIGMOID) put(dp, i, get(dp, i) * (v * (1 - v)));
    else if (act === ACT_ELU && !(v > 0)) put(dp, i, get(dp, i) * (v + alpha));
  }
}

function clamp(p: f64, eps: f64): f64 {
  return p < eps ? eps : p > 1 - eps ? 1 - eps : p;
}

/** S, the undivided J of `rows` rows of n outputs (losses.ts); the fused forms read z. */
export function lossSum(loss: i32, fused: i32, eps: f64, z: i32, a: i32, y: i32, rows: i32, n: i32): f64 {
  const zp = <usize>z << 2;
  const ap = <usize>a << 2;
  const yp = <usize>y << 2;
  const count = rows * n;
  let s: f64 = 0;
  if (fused === FUSED_SOFTMAX_CE) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (get(zp, o + k) > max) max = get(zp, o + k);
      let sum: f64 = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(get(zp, o + k) - max);
      const logSumExp = max + Math.log(sum);
      for (let k = 0; k < n; k++) if (get(yp, o + k) !== 0) s -= get(yp, o + k) * (get(zp, o + k) - logSumExp);
    }
    return s;
  }
  if (fused === FUSED_SIGMOID_BCE) {
    for (let i = 0; i < count; i++) {
      const v = get(zp, i);
      s += Math.max(v, 0) - v * get(yp, i) + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return s;
  }
  if (loss === LOSS_SSE || loss === LOSS_MSE) {
    for (let i = 0; i < count; i++) {
      const diff = get(yp, i) - get(ap, i);
      s += diff * diff;
    }
    return loss === LOSS_SSE ? 0.5 * s : s;
  }
  if (loss === LOSS_CE) {
    for (let i = 0; i < count; i++) if (get(yp, i) !== 0) s -= get(yp, i) * Math.log(clamp(get(ap, i), eps));
    return s;
  }
  if (loss !== LOSS_BCE) return NaN;
  for (let i = 0; i < count; i++) {
    const p = clamp(get(ap, i), eps);
    const t = get(yp, i);
    s -= t * Math.log(p) + (1 - t) * Math.log1p(-p);
  }
  return s;
}

/** d := dJ/dz of the output layer when a shortcut is fused, else dJ/dŷ (losses.ts). */
export function lossGradient(loss: i32, fused: i32, eps: f64, a: i32, y: i32, d: i32, rows: i32, n: i32): void {
  lossGradientOf(loss, fused, eps, a, y, d, rows, n, rows);
}

/**
 * lossGradient for `rows` rows that are a shard of a batch of `total` rows: J is the batch's, so
 * every divisor is the batch's (total = rows is lossGradient itself, to the bit).
 */
function lossGradientOf(loss: i32, fused: i32, eps: f64, a: i32, y: i32, d: i32, rows: i32, n: i32, total: i32): void {
  const ap = <usize>a << 2;
  const yp = <usize>y << 2;
  const dp = <usize>d << 2;
  const count = rows * n;
  const totalCount = total * n;
  if (fused !== FUSED_NONE) {
    const k = 1 / <f64>(fused === FUSED_SOFTMAX_CE ? total : totalCount);
    for (let i = 0; i < count; i++) put(dp, i, (get(ap, i) - get(yp, i)) * k);
    return;
  }
  if (loss === LOSS_SSE) {
    for (let i = 0; i < count; i++) put(dp, i, get(ap, i) - get(yp, i));
  } else if (loss === LOSS_MSE) {
    const k = 2 / <f64>totalCount;
    for (let i = 0; i < count; i++) put(dp, i, k * (get(ap, i) - get(yp, i)));
  } else if (loss === LOSS_CE) {
    for (let i = 0; i < count; i++) put(dp, i, get(yp, i) === 0 ? 0 : -get(yp, i) / (<f64>total * clamp(get(ap, i), eps)));
  } else if (loss === LOSS_BCE) {
    for (let i = 0; i < count; i++) {
      const p = clamp(get(ap, i), eps);
      put(dp, i, (p - get(yp, i)) / (p * (1 - p) * <f64>totalCount));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A whole network's forward pass, backward pass and update, each one call from JS. A tiny
// network's step is a dozen kernel calls of a few dozen flops each; from JS each call costs more
// than its arithmetic until the JIT has optimized the caller, which is most of a short run. Here
// the loops over layers are FastNetwork's forward, backward and update, kernel call for kernel
// call, reading the network's layout from a plan that FastNetwork writes into the heap at build:
//
//   header (8 i32): L, x, y, pack, loss code, —, ε (f64, the probability clamp)
//   per layer l = 1..L (32 i32 from byte 32 + (l − 1)·128):
//     nIn, nOut, W, b, dL/dW, dL/db, s1W, s1b, s2W, s2b, z, a, d, epilogue, σ code, —, α (f64)
// (FastNetwork.ts's PLAN_* constants name the same offsets.)

const PLAN_HEADER_BYTES: usize = 32;
const PLAN_LAYER_BYTES: usize = 128;

function layerAt(plan: usize, l: i32): usize {
  return plan + PLAN_HEADER_BYTES + <usize>l * PLAN_LAYER_BYTES;
}

function field(q: usize, i: i32): i32 {
  return load<i32>(q + (<usize>i << 2));
}

/** d := dL/dz from dL/da for one layer's m rows: the epilogue's rectifier or σ′ by code. */
function throughActivation(q: usize, m: i32): void {
  const epilogue = field(q, 13);
  if (epilogue !== ACT_NONE) rectifierBackward(epilogue, m * field(q, 1), field(q, 11), field(q, 12));
  else activationBackward(field(q, 14), load<f64>(q, 64), field(q, 11), field(q, 12), m, field(q, 1));
}

/** Forward propagation of the m rows loaded at x: z[l] and a[l] of every layer. */
export function forwardAll(plan: i32, m: i32): void {
  const P = <usize>plan << 2;
  const L = field(P, 0);
  const pack = field(P, 3);
  let aPrev = field(P, 1);
  for (let l = 0; l < L; l++) {
    const q = layerAt(P, l);
    const nIn = field(q, 0);
    const nOut = field(q, 1);
    const z = field(q, 10);
    const a = field(q, 11);
    gemm(0, 0, m, nOut, nIn, aPrev, nIn, field(q, 2), nOut, z, nOut, 0, field(q, 3), field(q, 13), pack);
    if (z !== a) activationForward(field(q, 14), load<f64>(q, 64), z, a, m, nOut);
    aPrev = a;
  }
}

/** Backpropagation of the m rows against the targets at y; returns S, the undivided J. */
export function backwardAll(plan: i32, m: i32, fused: i32): f64 {
  return backwardShard(plan, m, fused, m);
}

/**
 * The start of every backward pass over m rows of a batch of `total` (plan at byte P): S, the
 * loss summed over the rows, and dL/dz[L] into the output layer's d (through σ′ unless the loss
 * is fused with it).
 */
function outputDeltas(P: usize, m: i32, fused: i32, total: i32): f64 {
  const loss = field(P, 4);
  const y = field(P, 2);
  const eps = load<f64>(P, 24);
  const out = layerAt(P, field(P, 0) - 1);
  const nL = field(out, 1);
  const S = lossSum(loss, fused, eps, field(out, 10), field(out, 11), y, m, nL);
  lossGradientOf(loss, fused, eps, field(out, 11), y, field(out, 12), m, nL, total);
  if (fused === FUSED_NONE) throughActivation(out, m);
  return S;
}

/**
 * backwardAll of m rows that are one thread's shard of a batch of `total` rows: the gradients are
 * of the batch's J (divided by total), so that the threads' gradients sum to the batch's.
 */
export function backwardShard(plan: i32, m: i32, fused: i32, total: i32): f64 {
  const P = <usize>plan << 2;
  const L = field(P, 0);
  const x = field(P, 1);
  const pack = field(P, 3);
  const S = outputDeltas(P, m, fused, total);
  for (let l = L - 1; l >= 0; l--) {
    const q = layerAt(P, l);
    const nIn = field(q, 0);
    const nOut = field(q, 1);
    const d = field(q, 12);
    const aPrev = l === 0 ? x : field(layerAt(P, l - 1), 11);
    gemm(1, 0, nIn, nOut, m, aPrev, nIn, d, nOut, field(q, 4), nOut, 0, 0, ACT_NONE, pack);
    columnSums(m, nOut, d, nOut, field(q, 5));
    if (l > 0) {
      const below = layerAt(P, l - 1);
      gemm(0, 1, m, nIn, nOut, d, nOut, field(q, 2), nOut, field(below, 12), nIn, 0, 0, ACT_NONE, pack);
      throughActivation(below, m);
    }
  }
  return S;
}

/**
 * The first half of backwardShard for one thread's shard of m rows of a batch of `total`: J's
 * gradient dL/dz[l] of every layer (into d[l], in place among the batch's rows), but not dL/dW[l]
 * and dL/db[l], which the threads then compute by slices over all the batch's rows
 * (src/fast/threads.ts). Returns S of the shard. The same calls, in the same order, as
 * backwardShard makes for d.
 */
export function backwardDeltas(plan: i32, m: i32, fused: i32, total: i32): f64 {
  const P = <usize>plan << 2;
  const L = field(P, 0);
  const pack = field(P, 3);
  const S = outputDeltas(P, m, fused, total);
  for (let l = L - 1; l >= 1; l--) {
    const q = layerAt(P, l);
    const below = layerAt(P, l - 1);
    const nIn = field(q, 0);
    const nOut = field(q, 1);
    gemm(0, 1, m, nIn, nOut, field(q, 12), nOut, field(q, 2), nOut, field(below, 12), nIn, 0, 0, ACT_NONE, pack);
    throughActivation(below, m);
  }
  return S;
}

/** One optimizer step over every layer: Adam (adam = 1), SGD with momentum μ, or plain SGD. */
export function updateAll(plan: i32, adamStep: i32, eta: f32, mu: f32, beta1: f64, beta2: f64, c1: f32, c2: f32, eps: f32, lambda: f32): void {
  const P = <usize>plan << 2;
  const L = field(P, 0);
  for (let l = 0; l < L; l++) {
    const q = layerAt(P, l);
    const count = field(q, 0) * field(q, 1);
    const nOut = field(q, 1);
    if (adamStep) {
      adam(count, field(q, 2), field(q, 4), field(q, 6), field(q, 8), eta, beta1, beta2, c1, c2, eps, lambda);
      adam(nOut, field(q, 3), field(q, 5), field(q, 7), field(q, 9), eta, beta1, beta2, c1, c2, eps, 0);
    } else if (mu === 0) {
      sgd(count, field(q, 2), field(q, 4), eta, lambda);
      sgd(nOut, field(q, 3), field(q, 5), eta, 0);
    } else {
      momentum(count, field(q, 2), field(q, 4), field(q, 6), eta, mu, lambda);
      momentum(nOut, field(q, 3), field(q, 5), field(q, 7), eta, mu, 0);
    }
  }
}
