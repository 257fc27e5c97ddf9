/**
 * Optimizers: the update step, separate from forward and backward so that the inspector can show
 * W before, the step, and W after.
 *
 * - sgd:  w := w − η ∇J, or with momentum μ: v := μ v − η ∇J, w := w + v.
 * - adam: the usual bias-corrected first and second moment estimates (Kingma & Ba, 2015).
 * Optional L2 weight decay λ adds λ W to the gradient of the weights (not of the biases),
 * i.e. it minimizes J + (λ/2) Σ W².
 */
import type { BackwardPass, Network } from './network';

export const OPTIMIZER_NAMES = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The model file's `optimizer` section. */
export interface OptimizerSpec {
  readonly type?: OptimizerName;
  /** η. Default 0.1 for sgd, 0.001 for adam. */
  readonly learningRate?: number;
  /** SGD momentum μ in [0, 1). Default 0. */
  readonly momentum?: number;
  /** Adam's β₁, β₂ and ε. */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** L2 weight decay λ. Default 0. */
  readonly weightDecay?: number;
  /** Samples per mini-batch; absent or 0: the whole training set. */
  readonly batchSize?: number;
  /** Shuffle the training set every epoch (with the run's seed). Default true. */
  readonly shuffle?: boolean;
  /** Epochs for a training run. Default 100. */
  readonly epochs?: number;
}

export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === 'string' && (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/** One update of every W[l] and b[l] from the gradients of a backward pass. */
export interface Optimizer {
  readonly name: OptimizerName;
  readonly learningRate: number;
  /** Applies one step; returns the step Δ taken for each layer (W and b), for display. */
  update(net: Network, grads: BackwardPass): { dW: Float64Array; db: Float64Array }[];
  /** Forgets momentum/moment state (after weights are reset). */
  reset(): void;
}

/** An optimizer's settings with every default filled in. */
export interface ResolvedOptimizerSpec {
  readonly type: OptimizerName;
  readonly learningRate: number;
  readonly momentum: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

/**
 * The defaults, written down once: η 0.1 for sgd and 0.001 for adam (their sensible rates differ
 * by about 100×), μ 0, β₁ 0.9, β₂ 0.999, ε 1e-8, λ 0. The fast path and the sidebar read them here.
 */
export function resolveOptimizerSpec(spec: OptimizerSpec = {}): ResolvedOptimizerSpec {
  const type = spec.type ?? 'sgd';
  return {
    type,
    learningRate: spec.learningRate ?? (type === 'sgd' ? 0.1 : 0.001),
    momentum: spec.momentum ?? 0,
    beta1: spec.beta1 ?? 0.9,
    beta2: spec.beta2 ?? 0.999,
    epsilon: spec.epsilon ?? 1e-8,
    weightDecay: spec.weightDecay ?? 0,
  };
}

export function createOptimizer(spec: OptimizerSpec = {}): Optimizer {
  const r = resolveOptimizerSpec(spec);
  if (r.type === 'sgd') return sgd(r.learningRate, r.momentum, r.weightDecay);
  return adam(r.learningRate, r.beta1, r.beta2, r.epsilon, r.weightDecay);
}

function sgd(eta: number, mu: number, lambda: number): Optimizer {
  let velocity: { W: Float64Array; b: Float64Array }[] | undefined;
  return {
    name: 'sgd',
    learningRate: eta,
    reset() {
      velocity = undefined;
    },
    update(net, grads) {
      velocity ??= net.layers.map((layer) => ({ W: new Float64Array(layer.W.data.length), b: new Float64Array(layer.b.length) }));
      return net.layers.map((layer, k) => {
        const l = k + 1;
        const gW = grads.dLdW[l].data;
        const gb = grads.dLdb[l];
        const dW = new Float64Array(gW.length);
        const db = new Float64Array(gb.length);
        const v = velocity![k];
        for (let i = 0; i < gW.length; i++) {
          const g = gW[i] + lambda * layer.W.data[i];
          dW[i] = mu === 0 ? -eta * g : (v.W[i] = mu * v.W[i] - eta * g);
          layer.W.data[i] += dW[i];
        }
        for (let j = 0; j < gb.length; j++) {
          db[j] = mu === 0 ? -eta * gb[j] : (v.b[j] = mu * v.b[j] - eta * gb[j]);
          layer.b[j] += db[j];
        }
        return { dW, db };
      });
    },
  };
}

function adam(eta: number, beta1: number, beta2: number, eps: number, lambda: number): Optimizer {
  let state: { mW: Float64Array; vW: Float64Array; mb: Float64Array; vb: Float64Array }[] | undefined;
  let t = 0;
  const step = (param: Float64Array, grad: ArrayLike<number>, m: Float64Array, v: Float64Array, decay: number, out: Float64Array) => {
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] + decay * param[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      out[i] = (-eta * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      param[i] += out[i];
    }
  };
  return {
    name: 'adam',
    learningRate: eta,
    reset() {
      state = undefined;
      t = 0;
    },
    update(net, grads) {
      state ??= net.layers.map((layer) => ({
        mW: new Float64Array(layer.W.data.length),
        vW: new Float64Array(layer.W.data.length),
        mb: new Float64Array(layer.b.length),
        vb: new Float64Array(layer.b.length),
      }));
      t++;
      return net.layers.map((layer, k) => {
        const s = state![k];
        const dW = new Float64Array(layer.W.data.length);
        const db = new Float64Array(layer.b.length);
        step(layer.W.data, grads.dLdW[k + 1].data, s.mW, s.vW, lambda, dW);
        step(layer.b, grads.dLdb[k + 1], s.mb, s.vb, 0, db);
        return { dW, db };
      });
    },
  };
}
