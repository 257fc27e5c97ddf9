/**
 * The numbers that name an activation, a loss and a fused output shortcut when the fast path
 * calls its kernels: WebAssembly takes integers, not strings. wasm/assembly/kernels.ts declares
 * the same codes; `activationCode` and friends are the one place a name becomes a code.
 */
import type { ActivationName } from '../engine/activations';
import type { LossName } from '../engine/losses';

/** Activations by code. The GEMM epilogue applies codes 0–2; GELU has no code (its erf stays in JS). */
export const KERNEL_ACTIVATIONS = ['identity', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'elu', 'softmax'] as const;
export type KernelActivation = (typeof KERNEL_ACTIVATIONS)[number];

/** The epilogue codes: no activation, ReLU, leaky ReLU. */
export const EPILOGUE_NONE = 0;
export const EPILOGUE_RELU = 1;
export const EPILOGUE_LEAKY_RELU = 2;

/** Losses by code. */
export const KERNEL_LOSSES = ['sse', 'mse', 'cross_entropy', 'binary_cross_entropy'] as const satisfies readonly LossName[];

/** The fused output shortcuts (see engine/fusedOutput.ts) by code; 0 is none. */
export const KERNEL_FUSED = [undefined, 'softmax-ce', 'sigmoid-bce'] as const;
export type FusedKind = (typeof KERNEL_FUSED)[number];

/** The kernels' code for σ, or −1 for GELU, which runs in JS. */
export function activationCode(name: ActivationName): number {
  return (KERNEL_ACTIVATIONS as readonly string[]).indexOf(name);
}

export function lossCode(name: LossName): number {
  return KERNEL_LOSSES.indexOf(name);
}

export function fusedCode(kind: FusedKind): number {
  return KERNEL_FUSED.indexOf(kind);
}
