/**
 * The lecture's activation functions σ, each declared together with its derivative under the
 * name that model files, settings and messages carry.
 *
 * Element-wise activations give a scalar f and its derivative f′. Softmax is not element-wise:
 * its output a_k depends on every z_j, so it declares a vector forward and a backward that is the
 * Jacobian-vector product dL/dz = J(z)ᵀ dL/da, which makes it work with any loss.
 */
import { erf } from './erf';

/** The names a model file may use for `activation`. */
export const ACTIVATION_NAMES = ['identity', 'relu', 'elu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Options some activations take (ELU's α). */
export interface ActivationOptions {
  /** ELU's α: the value ELU tends to as z → −∞ is −α. Default 1. */
  readonly alpha?: number;
}

/** An activation applied to one sample's pre-activation vector z, giving a. */
export interface Activation {
  readonly name: ActivationName;
  /** The formula in the lecture's notation, for labels and the ledger. */
  readonly formula: string;
  /** a = σ(z) for one sample: reads z[0..n), writes a[0..n). */
  forward(z: Float64Array, a: Float64Array): void;
  /**
   * dL/dz from dL/da for one sample: dLdz = J(z)ᵀ dLda, where J is ∂a/∂z. For an element-wise σ
   * this is dL/da ⊙ σ′(z). `a` is the forward output, which some derivatives reuse.
   */
  backward(z: Float64Array, a: Float64Array, dLda: Float64Array, dLdz: Float64Array): void;
}

/** An element-wise activation: its scalar function and derivative. */
export interface ScalarActivation extends Activation {
  /** σ(z). */
  f(z: number): number;
  /** σ′(z) = dσ/dz. */
  df(z: number): number;
}

function scalar(name: ActivationName, formula: string, f: (z: number) => number, df: (z: number) => number): ScalarActivation {
  return {
    name,
    formula,
    f,
    df,
    forward(z, a) {
      for (let i = 0; i < z.length; i++) a[i] = f(z[i]);
    },
    backward(z, _a, dLda, dLdz) {
      for (let i = 0; i < z.length; i++) dLdz[i] = dLda[i] * df(z[i]);
    },
  };
}

/** The logistic sigmoid 1/(1+e^(−z)), written so neither branch overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** σ(z) = z. */
export const identity = scalar('identity', 'σ(z) = z', (z) => z, () => 1);

/** σ(z) = max(0, z); σ′(0) is taken as 0, as the lecture does. */
export const relu = scalar('relu', 'σ(z) = max(0, z)', (z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0));

/** σ(z) = z for z ≥ 0, 0.01 z for z < 0. */
export const leakyRelu = scalar('leaky_relu', 'σ(z) = z if z ≥ 0, else 0.01 z', (z) => (z >= 0 ? z : 0.01 * z), (z) => (z >= 0 ? 1 : 0.01));

/** σ(z) = tanh(z); σ′(z) = 1 − tanh²(z). */
export const tanh = scalar('tanh', 'σ(z) = tanh(z)', Math.tanh, (z) => {
  const t = Math.tanh(z);
  return 1 - t * t;
});

/** σ(z) = 1/(1+e^(−z)); σ′(z) = σ(z)(1 − σ(z)). */
export const sigmoidActivation = scalar('sigmoid', 'σ(z) = 1 / (1 + e^(−z))', sigmoid, (z) => {
  const s = sigmoid(z);
  return s * (1 - s);
});

/**
 * GELU in its exact form σ(z) = z Φ(z) = ½ z (1 + erf(z/√2)), not the tanh approximation;
 * σ′(z) = Φ(z) + z φ(z) with φ the standard normal density.
 */
export const gelu = scalar(
  'gelu',
  'σ(z) = ½ z (1 + erf(z / √2))',
  (z) => 0.5 * z * (1 + erf(z * SQRT1_2)),
  (z) => 0.5 * (1 + erf(z * SQRT1_2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z),
);

/** ELU with parameter α: σ(z) = z for z > 0, α(e^z − 1) otherwise; σ′(z) = 1 or α e^z. */
export function elu(alpha = 1): ScalarActivation {
  return scalar(
    'elu',
    `σ(z) = z if z > 0, else α(e^z − 1), α = ${alpha}`,
    (z) => (z > 0 ? z : alpha * Math.expm1(z)),
    (z) => (z > 0 ? 1 : alpha * Math.exp(z)),
  );
}

/**
 * softmax(z)_k = e^(z_k) / Σ_j e^(z_j), computed as e^(z_k − max z) so logits of ±1000 stay
 * finite. Backward is the Jacobian-vector product: dL/dz_j = a_j (dL/da_j − Σ_k a_k dL/da_k).
 */
export const softmax: Activation = {
  name: 'softmax',
  formula: 'a_k = e^(z_k) / Σ_j e^(z_j)',
  forward(z, a) {
    let max = -Infinity;
    for (let i = 0; i < z.length; i++) if (z[i] > max) max = z[i];
    let sum = 0;
    for (let i = 0; i < z.length; i++) {
      a[i] = Math.exp(z[i] - max);
      sum += a[i];
    }
    for (let i = 0; i < z.length; i++) a[i] /= sum;
  },
  backward(_z, a, dLda, dLdz) {
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k] * dLda[k];
    for (let j = 0; j < a.length; j++) dLdz[j] = a[j] * (dLda[j] - dot);
  },
};

/** Is `name` one of the activation names a model file may use? */
export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && (ACTIVATION_NAMES as readonly string[]).includes(name);
}

/** The activation a model file names, with its options. */
export function getActivation(name: ActivationName, options: ActivationOptions = {}): Activation {
  switch (name) {
    case 'identity':
      return identity;
    case 'relu':
      return relu;
    case 'elu':
      return elu(options.alpha ?? 1);
    case 'leaky_relu':
      return leakyRelu;
    case 'tanh':
      return tanh;
    case 'sigmoid':
      return sigmoidActivation;
    case 'gelu':
      return gelu;
    case 'softmax':
      return softmax;
    default: {
      const never: never = name;
      throw new Error(`unknown activation "${String(never)}"`);
    }
  }
}
