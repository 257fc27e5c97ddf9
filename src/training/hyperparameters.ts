/**
 * Hyperparameter edits against the model file's `optimizer` section. The worker and the host both
 * apply an edit with `applyHyperparameters`, so the model the host saves and the optimizer the
 * worker trains with cannot drift apart.
 */
import { isOptimizerName, resolveOptimizerSpec, type OptimizerSpec } from '../engine/optimizers';
import type { EffectiveHyperparameters, Hyperparameters } from '../protocol';

/** The most epochs one run may ask for (the CLI's --epochs has the same cap). */
export const MAX_EPOCHS = 10_000_000;

/**
 * What is wrong with an edit, or undefined when every field it sets is valid. The one rule for
 * every hyperparameter the sidebar, the worker and the CLI accept.
 */
export function checkHyperparameters(h: Hyperparameters): string | undefined {
  if (h.optimizer !== undefined && !isOptimizerName(h.optimizer)) return `unknown optimizer "${String(h.optimizer)}"; use "sgd" or "adam"`;
  if (h.learningRate !== undefined && !(Number.isFinite(h.learningRate) && h.learningRate > 0)) return `the learning rate must be a positive number, not ${h.learningRate}`;
  if (h.momentum !== undefined && !(h.momentum >= 0 && h.momentum < 1)) return `the momentum must be in [0, 1), not ${h.momentum}`;
  if (h.beta1 !== undefined && !(h.beta1 >= 0 && h.beta1 < 1)) return `β₁ must be in [0, 1), not ${h.beta1}`;
  if (h.beta2 !== undefined && !(h.beta2 >= 0 && h.beta2 < 1)) return `β₂ must be in [0, 1), not ${h.beta2}`;
  if (h.epsilon !== undefined && !(Number.isFinite(h.epsilon) && h.epsilon > 0)) return `ε must be a positive number, not ${h.epsilon}`;
  if (h.weightDecay !== undefined && !(Number.isFinite(h.weightDecay) && h.weightDecay >= 0)) return `the weight decay must be a number ≥ 0, not ${h.weightDecay}`;
  if (h.batchSize !== undefined && !(Number.isInteger(h.batchSize) && h.batchSize >= 0)) return `the batch size must be a whole number ≥ 0 (0: the whole training set), not ${h.batchSize}`;
  if (h.shuffle !== undefined && typeof h.shuffle !== 'boolean') return 'shuffle must be true or false';
  if (h.epochs !== undefined && !(Number.isInteger(h.epochs) && h.epochs >= 1 && h.epochs <= MAX_EPOCHS)) return `the epochs per run must be a whole number from 1 to ${MAX_EPOCHS}, not ${h.epochs}`;
  return undefined;
}

/** The `optimizer` section after an edit (assumed valid: see `checkHyperparameters`). */
export function applyHyperparameters(spec: OptimizerSpec | undefined, h: Hyperparameters): OptimizerSpec {
  const current = spec ?? {};
  const typeChanges = h.optimizer !== undefined && h.optimizer !== (current.type ?? 'sgd');
  // A new optimizer type without a rate falls back to that type's default: sgd's η = 0.5 would
  // blow Adam up, and Adam's 0.001 would make sgd crawl.
  const { learningRate: oldRate, ...rest } = current;
  const next: OptimizerSpec = { ...rest, ...(typeChanges ? {} : oldRate !== undefined ? { learningRate: oldRate } : {}) };
  return {
    ...next,
    ...(h.optimizer !== undefined ? { type: h.optimizer } : {}),
    ...(h.learningRate !== undefined ? { learningRate: h.learningRate } : {}),
    ...(h.momentum !== undefined ? { momentum: h.momentum } : {}),
    ...(h.beta1 !== undefined ? { beta1: h.beta1 } : {}),
    ...(h.beta2 !== undefined ? { beta2: h.beta2 } : {}),
    ...(h.epsilon !== undefined ? { epsilon: h.epsilon } : {}),
    ...(h.weightDecay !== undefined ? { weightDecay: h.weightDecay } : {}),
    ...(h.batchSize !== undefined ? { batchSize: h.batchSize } : {}),
    ...(h.shuffle !== undefined ? { shuffle: h.shuffle } : {}),
    ...(h.epochs !== undefined ? { epochs: h.epochs } : {}),
  };
}

/**
 * True when an edit changes what the engine's optimizer was created with. The engine fixes η, μ,
 * β and λ at creation, so such an edit means a new optimizer, and with it fresh momentum or
 * moment estimates; batch size and shuffling do not touch the optimizer.
 */
export function optimizerChanges(before: OptimizerSpec | undefined, after: OptimizerSpec): boolean {
  const a = effectiveHyperparameters(before);
  const b = effectiveHyperparameters(after);
  return a.optimizer !== b.optimizer || a.learningRate !== b.learningRate || a.momentum !== b.momentum || a.beta1 !== b.beta1 || a.beta2 !== b.beta2 || a.epsilon !== b.epsilon || a.weightDecay !== b.weightDecay;
}

/** The `optimizer` section with the engine's defaults filled in (see createOptimizer). */
export function effectiveHyperparameters(spec: OptimizerSpec | undefined): EffectiveHyperparameters {
  const s = spec ?? {};
  const { type, ...rest } = resolveOptimizerSpec(s);
  return { optimizer: type, ...rest, batchSize: s.batchSize ?? 0, shuffle: s.shuffle ?? true };
}
