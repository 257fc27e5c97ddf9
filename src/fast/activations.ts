/**
 * The activations on the fast path: the same σ as the engine's activations.ts (and its scalar
 * functions where one exists), applied to float32 rows of the network's heap.
 *
 * These loops are the reference the WebAssembly kernels copy (wasm/assembly/kernels.ts) and what
 * the plain-JS kernels run. With WebAssembly, only GELU still runs here: its erf is the engine's.
 * ReLU and leaky ReLU usually never come here: the GEMM epilogue applies them.
 */
import { gelu as engineGelu, sigmoid, type ActivationName } from '../engine/activations';
import { EPILOGUE_LEAKY_RELU, EPILOGUE_NONE, EPILOGUE_RELU } from './codes';

/** The GEMM epilogue code that applies `name`, or EPILOGUE_NONE when activations.ts must. */
export function epilogueFor(name: ActivationName): number {
  return name === 'relu' ? EPILOGUE_RELU : name === 'leaky_relu' ? EPILOGUE_LEAKY_RELU : EPILOGUE_NONE;
}

/** True when a = z, so that z and a may share storage. */
export function isIdentity(name: ActivationName): boolean {
  return name === 'identity';
}

/** a = σ(z) for `rows` rows of n values (z at zOff, a at aOff, both row-major, ld = n). */
export function activationForward(name: ActivationName, alpha: number, h: Float32Array, zOff: number, aOff: number, rows: number, n: number): void {
  const count = rows * n;
  switch (name) {
    case 'identity':
      if (zOff !== aOff) h.copyWithin(aOff, zOff, zOff + count);
      return;
    case 'relu':
      for (let i = 0; i < count; i++) h[aOff + i] = h[zOff + i] > 0 ? h[zOff + i] : 0;
      return;
    case 'leaky_relu':
      for (let i = 0; i < count; i++) h[aOff + i] = h[zOff + i] >= 0 ? h[zOff + i] : 0.01 * h[zOff + i];
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) h[aOff + i] = Math.tanh(h[zOff + i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) h[aOff + i] = sigmoid(h[zOff + i]);
      return;
    case 'elu':
      for (let i = 0; i < count; i++) {
        const z = h[zOff + i];
        h[aOff + i] = z > 0 ? z : alpha * Math.expm1(z);
      }
      return;
    case 'gelu':
      for (let i = 0; i < count; i++) h[aOff + i] = engineGelu.f(h[zOff + i]);
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const zo = zOff + r * n;
        const ao = aOff + r * n;
        let max = -Infinity;
        for (let k = 0; k < n; k++) if (h[zo + k] > max) max = h[zo + k];
        let sum = 0;
        for (let k = 0; k < n; k++) {
          const e = Math.exp(h[zo + k] - max);
          h[ao + k] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let k = 0; k < n; k++) h[ao + k] *= inv;
      }
      return;
    default: {
      const never: never = name;
      throw new Error(`unknown activation "${String(never)}"`);
    }
  }
}

/**
 * d := J_σᵀ d in place, turning dL/da into dL/dz, for `rows` rows of n values; σ′ is taken from
 * a where it can be (tanh: 1 − a², sigmoid: a(1 − a), ELU: a + α for z ≤ 0).
 */
export function activationBackward(name: ActivationName, alpha: number, h: Float32Array, zOff: number, aOff: number, dOff: number, rows: number, n: number): void {
  const count = rows * n;
  switch (name) {
    case 'identity':
      return;
    case 'relu':
      for (let i = 0; i < count; i++) if (!(h[aOff + i] > 0)) h[dOff + i] = 0;
      return;
    case 'leaky_relu':
      for (let i = 0; i < count; i++) if (!(h[aOff + i] >= 0)) h[dOff + i] *= 0.01;
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) {
        const a = h[aOff + i];
        h[dOff + i] *= 1 - a * a;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) {
        const a = h[aOff + i];
        h[dOff + i] *= a * (1 - a);
      }
      return;
    case 'elu':
      for (let i = 0; i < count; i++) if (!(h[aOff + i] > 0)) h[dOff + i] *= h[aOff + i] + alpha;
      return;
    case 'gelu':
      for (let i = 0; i < count; i++) h[dOff + i] *= engineGelu.df(h[zOff + i]);
      return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const ao = aOff + r * n;
        const d = dOff + r * n;
        let dot = 0;
        for (let k = 0; k < n; k++) dot += h[ao + k] * h[d + k];
        for (let k = 0; k < n; k++) h[d + k] = h[ao + k] * (h[d + k] - dot);
      }
      return;
    default: {
      const never: never = name;
      throw new Error(`unknown activation "${String(never)}"`);
    }
  }
}
