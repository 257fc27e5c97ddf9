/**
 * The fast float32 training path: what the extension's trainer, the CLI and the benchmark use.
 * Inspection (stepping, the ledger, forward/backward, gradient check) stays on src/engine.
 */
export { FastNetwork, type FastEvaluation, type FastLayer, type FastNetworkSpec, type FastSamples } from './FastNetwork';
export { createKernels, packFloats, supportedVariants, type KernelPreference, type Kernels, type KernelVariant } from './kernels';
export { fastMaxBatch, trainEpochFast, type FastEpochOptions } from './training';
export { MAX_THREADS } from './threads';
export { SHARD_MIN_WORK } from './FastNetwork';
