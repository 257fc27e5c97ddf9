/**
 * Loads the WebAssembly kernels that scripts/build-wasm.js compiled from wasm/assembly/ and
 * embedded in wasm/kernelsBinary.generated.ts. Each network gets its own instance over its own
 * memory, sized once at build and never grown, so the Float32Array view over it stays valid.
 */
import { PROBABILITY_EPSILON } from '../engine/losses';
import type { Kernels, KernelVariant, WholeNetworkKernels } from './kernels';
import { relaxedSimdBase64, relaxedSimdSharedBase64, simdBase64, simdSharedBase64 } from './wasm/kernelsBinary.generated';

/**
 * The slice of the WebAssembly JS API used here, declared locally: the project's lib (ES2022,
 * no DOM) has no WebAssembly types, and the engine must not pull in the DOM's.
 */
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: { env: { memory: WasmMemory } }) => { exports: unknown };
};

interface WasmExports extends WholeNetworkKernels {
  staticEnd(): number;
  gemm: Kernels['gemm'];
  columnSums: Kernels['columnSums'];
  activationForward: Kernels['activationForward'];
  activationBackward: Kernels['activationBackward'];
  lossSum(loss: number, fused: number, eps: number, z: number, a: number, y: number, rows: number, n: number): number;
  lossGradient(loss: number, fused: number, eps: number, a: number, y: number, d: number, rows: number, n: number): void;
  rectifierBackward: Kernels['rectifierBackward'];
  backwardDeltas(plan: number, m: number, fused: number, total: number): number;
  sgd: Kernels['sgd'];
  momentum: Kernels['momentum'];
  adam: Kernels['adam'];
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

interface Compiled {
  readonly simd?: WasmModule;
  readonly relaxedSimd?: WasmModule;
  /** The same kernels over a shared memory, for multi-threaded training (threads.ts). */
  readonly simdShared?: WasmModule;
  readonly relaxedSimdShared?: WasmModule;
}

let compiled: Compiled | undefined;

/** The wasm modules this runtime validates, compiled once per process. */
export function wasmVariants(): Compiled {
  if (compiled) return compiled;
  const compile = (base64: string): WasmModule | undefined => {
    if (typeof WebAssembly !== 'object') return undefined;
    const bytes = decode(base64);
    // validate, not try/catch around compile: a runtime without relaxed SIMD says no cleanly.
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : undefined;
  };
  compiled = { simd: compile(simdBase64), relaxedSimd: compile(relaxedSimdBase64) };
  // A runtime without WebAssembly threads (or SharedArrayBuffer) trains on one thread.
  if (typeof SharedArrayBuffer === 'function') compiled = { ...compiled, simdShared: compile(simdSharedBase64), relaxedSimdShared: compile(relaxedSimdSharedBase64) };
  return compiled;
}

const PAGE_BYTES = 65536;

/**
 * An instance of the chosen variant over a new memory of at least `floats` floats, whose first
 * `reservedBytes` no array uses (the module's static data must fit there).
 */
export function instantiateWasmKernels(variant: Exclude<KernelVariant, 'js'>, floats: number, reservedBytes: number, shared = false): Kernels {
  const v = wasmVariants();
  const module = shared ? (variant === 'simd' ? v.simdShared : v.relaxedSimdShared) : variant === 'simd' ? v.simd : v.relaxedSimd;
  if (!module) throw new Error(`this runtime cannot run the ${variant} kernels${shared ? ' over shared memory' : ''}`);
  const pages = Math.ceil((floats * 4) / PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, ...(shared ? { shared: true } : {}) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const e = instance.exports as unknown as WasmExports;
  if (e.staticEnd() > reservedBytes) throw new Error(`the ${variant} kernels' static data ends at byte ${e.staticEnd()}, above the ${reservedBytes} bytes the heap reserves`);
  const heap = new Float32Array(memory.buffer, 0, floats);
  return {
    variant,
    heap,
    gemm: e.gemm,
    columnSums: e.columnSums,
    activationForward: e.activationForward,
    activationBackward: e.activationBackward,
    // The probability clamp is the engine's, passed in so that it is written down once.
    lossSum: (loss, fused, z, a, y, rows, n) => e.lossSum(loss, fused, PROBABILITY_EPSILON, z, a, y, rows, n),
    lossGradient: (loss, fused, a, y, d, rows, n) => e.lossGradient(loss, fused, PROBABILITY_EPSILON, a, y, d, rows, n),
    rectifierBackward: e.rectifierBackward,
    sgd: e.sgd,
    momentum: e.momentum,
    adam: e.adam,
    whole: { forwardAll: e.forwardAll, backwardAll: e.backwardAll, updateAll: e.updateAll },
    ...(shared ? { shared: { module, memory, exports: e } } : {}),
  };
}
