/**
 * Hyperparameter edits against the model file's `optimizer` section. The worker and the host both
 * apply an edit with `applyHyperparameters`, so the model the host saves and the optimizer the
 * worker trains with cannot drift apart.
 */
import { resolveEarlyStopping } from '../engine/earlyStopping';
import { resolveOptimizerSpec } from '../engine/optimizers';
import { trainingConfigProblem, trainingValueProblem, type TrainingConfig } from '../model/trainingConfig';
import type { EffectiveHyperparameters, Hyperparameters } from './workerProtocol';

/**
 * What is wrong with an edit, or undefined when every field it sets is valid: the model file's
 * rule for each setting (src/model/trainingConfig.ts), so an edit the sidebar makes is valid
 * exactly when the same value in the file would be.
 */
export function checkHyperparameters(h: Hyperparameters): string | undefined {
  const { optimizer, earlyStopping, ...rest } = h;
  // null turns early stopping off; anything else must be what the file may hold.
  if (earlyStopping !== null && earlyStopping !== undefined) {
    const problem = trainingValueProblem('earlyStopping', earlyStopping);
    if (problem) return `"earlyStopping"${problem.startsWith(':') ? '' : ' '}${problem}`;
  }
  // The sidebar calls the file's "type" "optimizer".
  const typeProblem = optimizer !== undefined ? trainingValueProblem('type', optimizer) : undefined;
  return typeProblem ? `"optimizer" ${typeProblem}` : trainingConfigProblem(rest);
}

/** The `optimizer` section after an edit (assumed valid: see `checkHyperparameters`). */
export function applyHyperparameters(spec: TrainingConfig | undefined, h: Hyperparameters): TrainingConfig {
  const { earlyStopping: oldStopping, ...current } = spec ?? {};
  const earlyStopping = h.earlyStopping === null ? undefined : (h.earlyStopping ?? oldStopping);
  const typeChanges = h.optimizer !== undefined && h.optimizer !== (current.type ?? 'sgd');
  // A new optimizer type without a rate falls back to that type's default: sgd's η = 0.5 would
  // blow Adam up, and Adam's 0.001 would make sgd crawl.
  const { learningRate: oldRate, ...rest } = current;
  const next: TrainingConfig = { ...rest, ...(typeChanges ? {} : oldRate !== undefined ? { learningRate: oldRate } : {}) };
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
    ...(earlyStopping ? { earlyStopping: { ...earlyStopping } } : {}),
  };
}

/**
 * True when an edit changes what the engine's optimizer was created with. The engine fixes η, μ,
 * β and λ at creation, so such an edit means a new optimizer, and with it fresh momentum or
 * moment estimates; batch size and shuffling do not touch the optimizer.
 */
export function optimizerChanges(before: TrainingConfig | undefined, after: TrainingConfig): boolean {
  const a = effectiveHyperparameters(before);
  const b = effectiveHyperparameters(after);
  return a.optimizer !== b.optimizer || a.learningRate !== b.learningRate || a.momentum !== b.momentum || a.beta1 !== b.beta1 || a.beta2 !== b.beta2 || a.epsilon !== b.epsilon || a.weightDecay !== b.weightDecay;
}

/** The `optimizer` section with the engine's defaults filled in (see createOptimizer). */
export function effectiveHyperparameters(spec: TrainingConfig | undefined): EffectiveHyperparameters {
  const s = spec ?? {};
  const { type, ...rest } = resolveOptimizerSpec(s);
  return { optimizer: type, ...rest, batchSize: s.batchSize ?? 0, shuffle: s.shuffle ?? true, ...(s.earlyStopping ? { earlyStopping: resolveEarlyStopping(s.earlyStopping) } : {}) };
}
