/**
 * The fast path's numerical kernels, behind one interface with three implementations: WebAssembly
 * with relaxed-SIMD FMA, WebAssembly with 128-bit SIMD, and plain JavaScript. `createKernels`
 * picks the best one the runtime validates.
 *
 * Every array argument is an element index into `heap`, the one Float32Array of the network that
 * owns these kernels (for WebAssembly, a view of the instance's memory). Index 0 means "none"
 * (the first HEAP_RESERVED floats are never handed out), which is how `bias` is left off.
 */
import { jsKernels } from './jsKernels';
import { instantiateWasmKernels, wasmVariants } from './wasmKernels';
import { wasmStaticBytes } from './wasm/kernelsBinary.generated';

/** Which implementation runs the kernels. */
export type KernelVariant = 'relaxed-simd' | 'simd' | 'js';

/**
 * The floats at the start of every heap that no array uses: the wasm kernels' static data (their
 * math tables) lives there, and index 0 can mean "none". A multiple of 16 (a 64-byte line).
 */
export const HEAP_RESERVED = Math.max(16, Math.ceil(wasmStaticBytes / 64) * 16);

export { EPILOGUE_LEAKY_RELU, EPILOGUE_NONE, EPILOGUE_RELU } from './codes';

/** The GEMM's blocking (as in wasm/assembly/kernels.ts): panels MR × KC of A, KC × NR of B. */
const MR = 4;
const NR = 8;
const KC = 256;
const MC = 64;
const NC = 256;

/** The floats at the start of a pack buffer where the micro-kernel parks its MR × NR accumulators. */
const PARK = MR * NR;

/** The floats of pack buffer a GEMM needs whose m, n and k are at most these. */
export function packFloats(mMax: number, nMax: number, kMax: number): number {
  const kc = Math.min(KC, kMax);
  return PARK + kc * Math.ceil(Math.min(NC, nMax) / NR) * NR + Math.ceil(Math.min(MC, mMax) / MR) * MR * kc;
}

export interface Kernels {
  readonly variant: KernelVariant;
  /** All of the network's numbers: parameters, gradients, optimizer state, activations. */
  readonly heap: Float32Array;
  /**
   * C (m × n) := op(A) op(B) [+ C if accumulate] [+ 1 bᵀ if bias ≠ 0], then the epilogue
   * activation `act`. transA: A is stored k × m (Aᵀ is used); transB: B is stored n × k.
   * `pack` is scratch of packFloats(m, n, k) floats.
   */
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: number, bias: number, act: number, pack: number): void;
  /** db[j] := Σ_r dz[r·ldz + j]. */
  columnSums(m: number, n: number, dz: number, ldz: number, db: number): void;
  /** a := σ(z) for rows × n values (ld = n), σ given by its code in codes.ts (not GELU); a may be z. */
  activationForward(act: number, alpha: number, z: number, a: number, rows: number, n: number): void;
  /** d := J_σᵀ d in place for rows × n values, turning dL/da into dL/dz; σ′ is read from a. */
  activationBackward(act: number, alpha: number, a: number, d: number, rows: number, n: number): void;
  /** S, the undivided J of rows × n outputs (losses.ts); the fused shortcuts read z. Summed in float64. */
  lossSum(loss: number, fused: number, z: number, a: number, y: number, rows: number, n: number): number;
  /** d := dJ/dz of the output layer for a fused shortcut, else dJ/dŷ. */
  lossGradient(loss: number, fused: number, a: number, y: number, d: number, rows: number, n: number): void;
  /** d := d ⊙ σ′ for ReLU (act 1) or leaky ReLU (act 2), judged from the output a. */
  rectifierBackward(act: number, count: number, a: number, d: number): void;
  /** w := w − η (g + λ w). */
  sgd(count: number, w: number, g: number, eta: number, lambda: number): void;
  /** v := μ v − η (g + λ w), w := w + v. */
  momentum(count: number, w: number, g: number, v: number, eta: number, mu: number, lambda: number): void;
  /** One Adam step with bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ. */
  adam(count: number, w: number, g: number, m: number, v: number, eta: number, beta1: number, beta2: number, c1: number, c2: number, eps: number, lambda: number): void;
  /** The whole-network passes, where the variant has them (the JS kernels do not need them). */
  readonly whole?: WholeNetworkKernels;
  /** Kernels over a shared memory (createKernels' `shared`): what other threads instantiate. */
  readonly shared?: { readonly module: unknown; readonly memory: { readonly buffer: ArrayBufferLike }; readonly exports: unknown };
}

/**
 * FastNetwork's forward, backward and update over all layers in one call each, reading the
 * network's layout from a plan in the heap (wasm/assembly/kernels.ts documents it). The wasm
 * variants have them: a tiny network's step is then three calls out of JS, not thirty.
 */
export interface WholeNetworkKernels {
  forwardAll(plan: number, m: number): void;
  /** Returns S, the undivided J of the m rows. */
  backwardAll(plan: number, m: number, fused: number): number;
  updateAll(plan: number, adam: number, eta: number, mu: number, beta1: number, beta2: number, c1: number, c2: number, eps: number, lambda: number): void;
}

/** `auto` picks the fastest variant the runtime supports. */
export type KernelPreference = KernelVariant | 'auto';

/** The variants this runtime can run, fastest first. */
export function supportedVariants(): KernelVariant[] {
  const v = wasmVariants();
  return [...(v.relaxedSimd ? (['relaxed-simd'] as const) : []), ...(v.simd ? (['simd'] as const) : []), 'js'];
}

/**
 * Kernels over a fresh heap of `floats` floats: the one allocation of a network. A preference
 * the runtime cannot run is an error (tests ask for each variant by name); `auto` falls back.
 */
export function createKernels(floats: number, preference: KernelPreference = 'auto', shared = false): Kernels {
  const size = HEAP_RESERVED + floats;
  const variant = preference === 'auto' ? supportedVariants()[0] : preference;
  if (variant === 'js') return jsKernels(new Float32Array(size));
  if (!supportedVariants().includes(variant)) throw new Error(`this runtime cannot run the ${variant} kernels`);
  return instantiateWasmKernels(variant, size, HEAP_RESERVED * 4, shared);
}

/** Whether the variant can run over a shared memory, on several threads (threads.ts). */
export function sharedVariantSupported(variant: KernelVariant): boolean {
  const v = wasmVariants();
  return variant === 'simd' ? v.simdShared !== undefined : variant === 'relaxed-simd' ? v.relaxedSimdShared !== undefined : false;
}
