/**
 * WebAssembly relaxed SIMD on the Node.js that lacks it by default. The fast path's GEMM has a
 * build with relaxed-SIMD fused multiply-add (src/fast/wasm/), which V8 has run by default since
 * 11.4: Node.js 22 and later, and Electron, so desktop VS Code's extension host. Node.js 20's V8
 * 11.3 has the same feature, with the same opcodes, behind `--experimental-wasm-relaxed-simd`:
 * on this project's 2-core AMD EPYC that build trains W3 in float32 about 1.5× as fast, its
 * large GEMMs 1.2–1.7× (bench/README.md). So the programs that run the fast path under Node (the CLI, the training
 * worker, the bench) call `enableRelaxedSimd` before they compile any WebAssembly, and the
 * kernels' own `WebAssembly.validate` then finds the variant. The flag only lets more modules
 * validate; it changes nothing for code without relaxed-SIMD instructions (other extensions in
 * the same host included), so it is safe to set for the whole process.
 *
 * Node-only (node:v8): never imported by src/engine or src/fast.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * (func (export "f") (result f32) f32x4.extract_lane 0 (f32x4.relaxed_madd (splat 2) (splat 3)
 * (splat 1))): valid only where relaxed SIMD is on, and 7 where its opcodes mean what ours do.
 */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7d, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x1f, 0x01, 0x1d, 0x00,
  0x43, 0x00, 0x00, 0x00, 0x40, 0xfd, 0x13, 0x43, 0x00, 0x00, 0x40, 0x40, 0xfd, 0x13, 0x43, 0x00, 0x00, 0x80, 0x3f, 0xfd, 0x13, 0xfd, 0x85, 0x02, 0xfd, 0x1f, 0x00, 0x0b,
]);

/** The slice of the WebAssembly JS API used here (the project's lib has no WebAssembly types). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { f(): number } };
};

function probeRuns(): boolean {
  if (!WebAssembly.validate(PROBE)) return false;
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(PROBE)).exports.f() === 7;
  } catch {
    return false;
  }
}

/** Where relaxed SIMD stands in this process: on by default, turned on here, or unavailable. */
export type RelaxedSimdState = 'default' | 'enabled' | 'unavailable';

let state: RelaxedSimdState | undefined;

/**
 * Turns relaxed SIMD on where this V8 has it behind its flag (idempotent). Call before the first
 * network is built: the kernels compile their variants once per process.
 */
export function enableRelaxedSimd(): RelaxedSimdState {
  if (state) return state;
  if (typeof WebAssembly !== 'object') return (state = 'unavailable');
  if (probeRuns()) return (state = 'default');
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (probeRuns()) return (state = 'enabled');
  // A V8 whose relaxed SIMD predates the final opcodes (older than Node 20's): leave it off, so
  // that our relaxed build never validates there with other meanings.
  setFlagsFromString('--no-experimental-wasm-relaxed-simd');
  return (state = 'unavailable');
}
