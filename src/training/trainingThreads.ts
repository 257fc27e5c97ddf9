/**
 * How many threads a float32 training run uses (src/fast/threads.ts), from the extension's
 * `mlpInspector.trainingThreads` setting: 0 (the default) leaves the extension host a core.
 */
import * as os from 'node:os';
import { MAX_THREADS } from '../fast/threads';

/** The most threads the default picks: past a few, small batches make more threads idle than busy. */
export const DEFAULT_MAX_TRAINING_THREADS = 8;

/**
 * The threads for a setting of `setting` on a machine of `cores` cores: the setting when it is a
 * whole number 1..64, else (0, unset or invalid) cores − 1, at most 8 and at least 1.
 */
export function resolveTrainingThreads(setting: number | undefined, cores: number): number {
  if (setting !== undefined && Number.isInteger(setting) && setting >= 1) return Math.min(MAX_THREADS, setting);
  return Math.max(1, Math.min(DEFAULT_MAX_TRAINING_THREADS, Math.floor(cores) - 1));
}

/** The cores Node may run on: os.availableParallelism where Node has it (≥ 18.14), else the CPUs listed. */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : Math.max(1, os.cpus().length);
}
