/**
 * The kernels in plain JavaScript, for runtimes without WebAssembly SIMD. Same contract as the
 * wasm kernels (see kernels.ts); the loops are ordered so that the innermost one runs along a
 * contiguous row, which is what V8 vectorizes least badly.
 */
import { activationBackward, activationForward } from './activations';
import { EPILOGUE_LEAKY_RELU, EPILOGUE_RELU, KERNEL_ACTIVATIONS, KERNEL_FUSED, KERNEL_LOSSES } from './codes';
import type { Kernels } from './kernels';
import { lossGradient, lossSum } from './losses';

export function jsKernels(heap: Float32Array): Kernels {
  const h = heap;
  return {
    variant: 'js',
    heap,
    gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, act) {
      for (let i = 0; i < m; i++) {
        const ci = c + i * ldc;
        if (!accumulate) for (let j = 0; j < n; j++) h[ci + j] = 0;
        if (transB) {
          // C[i][j] += Σ_p A(i, p) B[j][p]: dot products along k.
          for (let j = 0; j < n; j++) {
            const bj = b + j * ldb;
            let s = 0;
            if (transA) for (let p = 0; p < k; p++) s += h[a + p * lda + i] * h[bj + p];
            else for (let p = 0, ai = a + i * lda; p < k; p++) s += h[ai + p] * h[bj + p];
            h[ci + j] += s;
          }
        } else {
          // C[i][·] += A(i, p) B[p][·]: one row update per p.
          for (let p = 0; p < k; p++) {
            const aip = transA ? h[a + p * lda + i] : h[a + i * lda + p];
            if (aip === 0) continue;
            const bp = b + p * ldb;
            for (let j = 0; j < n; j++) h[ci + j] += aip * h[bp + j];
          }
        }
        if (bias) for (let j = 0; j < n; j++) h[ci + j] += h[bias + j];
        if (act === EPILOGUE_RELU) {
          for (let j = 0; j < n; j++) if (h[ci + j] < 0) h[ci + j] = 0;
        } else if (act === EPILOGUE_LEAKY_RELU) {
          for (let j = 0; j < n; j++) if (h[ci + j] < 0) h[ci + j] *= 0.01;
        }
      }
    },
    columnSums(m, n, dz, ldz, db) {
      for (let j = 0; j < n; j++) h[db + j] = 0;
      for (let r = 0; r < m; r++) {
        const o = dz + r * ldz;
        for (let j = 0; j < n; j++) h[db + j] += h[o + j];
      }
    },
    // The element-wise loops are activations.ts's and losses.ts's, which the wasm kernels copy.
    activationForward(act, alpha, z, a, rows, n) {
      activationForward(KERNEL_ACTIVATIONS[act], alpha, h, z, a, rows, n);
    },
    activationBackward(act, alpha, a, d, rows, n) {
      activationBackward(KERNEL_ACTIVATIONS[act], alpha, h, a, a, d, rows, n);
    },
    lossSum(loss, fused, z, a, y, rows, n) {
      return lossSum(KERNEL_LOSSES[loss], KERNEL_FUSED[fused], h, z, a, y, rows, n);
    },
    lossGradient(loss, fused, a, y, d, rows, n) {
      lossGradient(KERNEL_LOSSES[loss], KERNEL_FUSED[fused], h, a, y, d, rows, n);
    },
    rectifierBackward(act, count, a, d) {
      if (act === EPILOGUE_LEAKY_RELU) {
        for (let i = 0; i < count; i++) if (!(h[a + i] >= 0)) h[d + i] *= 0.01;
      } else {
        for (let i = 0; i < count; i++) if (!(h[a + i] > 0)) h[d + i] = 0;
      }
    },
    sgd(count, w, g, eta, lambda) {
      for (let i = 0; i < count; i++) h[w + i] -= eta * (h[g + i] + lambda * h[w + i]);
    },
    momentum(count, w, g, v, eta, mu, lambda) {
      for (let i = 0; i < count; i++) {
        const vi = (h[v + i] = mu * h[v + i] - eta * (h[g + i] + lambda * h[w + i]));
        h[w + i] += vi;
      }
    },
    adam(count, w, g, m, v, eta, beta1, beta2, c1, c2, eps, lambda) {
      for (let i = 0; i < count; i++) {
        const gi = h[g + i] + lambda * h[w + i];
        const mi = (h[m + i] = beta1 * h[m + i] + (1 - beta1) * gi);
        const vi = (h[v + i] = beta2 * h[v + i] + (1 - beta2) * gi * gi);
        h[w + i] -= (eta * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    },
  };
}
