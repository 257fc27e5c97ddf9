/**
 * The fast path's element-wise kernels (σ, σ′ and the losses), every variant the runtime
 * supports, against the float64 engine on the same float32 inputs: activations.ts's σ and its
 * backward, losses.ts's J and dJ/dŷ, and fusedOutput.ts's shortcuts. Inputs include logits of
 * ±1000 and probabilities of exactly 0 and 1, where a careless formula overflows or divides by 0.
 */
import * as assert from 'node:assert/strict';
import { getActivation } from '../../src/engine/activations';
import { fusedOutputFor } from '../../src/engine/fusedOutput';
import { getLoss } from '../../src/engine/losses';
import { fromRows, type Matrix } from '../../src/engine/matrix';
import { Random } from '../../src/engine/random';
import { activationCode, fusedCode, KERNEL_ACTIVATIONS, KERNEL_LOSSES, lossCode } from '../../src/fast/codes';
import { createKernels, HEAP_RESERVED, supportedVariants } from '../../src/fast/kernels';

const ROWS = 6;
const N = 5;
const COUNT = ROWS * N;

/** Float32-rounded pre-activations: ordinary values, and one row of extremes. */
function logits(rng: Random): Float32Array {
  const z = Float32Array.from({ length: COUNT }, () => rng.uniform(-4, 4));
  z.set([1000, -1000, 0, -0, 88.5], 0);
  return z;
}

/** Float32 probabilities in (0, 1), with exact 0 and 1 among them. */
function probabilities(rng: Random): Float32Array {
  const p = Float32Array.from({ length: COUNT }, () => rng.uniform(0.01, 0.99));
  p.set([0, 1, 1e-20, 1 - 2 ** -24], 0);
  return p;
}

/** Rows of 0/1 targets (one-hot when `oneHot`). */
function targets(rng: Random, oneHot: boolean): Float32Array {
  const y = new Float32Array(COUNT);
  for (let r = 0; r < ROWS; r++) {
    if (oneHot) y[r * N + rng.int(N)] = 1;
    else for (let k = 0; k < N; k++) y[r * N + k] = rng.int(2);
  }
  return y;
}

const matrix = (values: Float32Array): Matrix => fromRows(Array.from({ length: ROWS }, (_, r) => Array.from(values.subarray(r * N, (r + 1) * N))));

/** |got − want| ≤ float32 rounding of want (plus a floor near 0), or both equal (±∞, NaN excluded). */
function close(got: number, want: number, what: string): void {
  assert.ok(Number.isFinite(got), `${what}: ${got} is not finite (expected ${want})`);
  assert.ok(Math.abs(got - want) <= 2 ** -22 * Math.abs(want) + 1e-30, `${what}: ${got}, expected ${want}`);
}

describe('fast path element-wise kernels (σ, σ′, losses) against the float64 engine', () => {
  for (const variant of supportedVariants()) {
    describe(`${variant} kernels`, () => {
      const Z = HEAP_RESERVED;
      const A = Z + COUNT;
      const D = A + COUNT;
      const Y = D + COUNT;
      const fresh = () => createKernels(4 * COUNT, variant);

      for (const name of KERNEL_ACTIVATIONS) {
        it(`${name}: a = σ(z) and dL/dz = J_σᵀ dL/da, per sample, as the engine computes them`, () => {
          const rng = new Random(11);
          const k = fresh();
          const z = logits(rng);
          const upstream = Float32Array.from({ length: COUNT }, () => rng.uniform(-1, 1));
          k.heap.set(z, Z);
          k.heap.set(upstream, D);
          k.activationForward(activationCode(name), 0.7, Z, A, ROWS, N);
          k.activationBackward(activationCode(name), 0.7, A, D, ROWS, N);
          const sigma = getActivation(name, { alpha: 0.7 });
          for (let r = 0; r < ROWS; r++) {
            const zr = Float64Array.from(z.subarray(r * N, (r + 1) * N));
            const a = new Float64Array(N);
            sigma.forward(zr, a);
            const aKernel = Float64Array.from(k.heap.subarray(A + r * N, A + (r + 1) * N));
            const dLdz = new Float64Array(N);
            const up = Float64Array.from(upstream.subarray(r * N, (r + 1) * N));
            sigma.backward(zr, a, up, dLdz);
            const fromKernelA = new Float64Array(N);
            sigma.backward(zr, aKernel, up, fromKernelA);
            for (let j = 0; j < N; j++) {
              const at = `${variant} ${name} [${r}][${j}] (z = ${zr[j]})`;
              close(k.heap[A + r * N + j], a[j], `a ${at}`);
              // tanh, sigmoid and ELU take σ′ from the float32 a (1 − a², a(1 − a), a + α), as
              // the network's backward does; the engine takes it from z. Both are checked: the
              // formula exactly, the engine's σ′(z) to float32's absolute precision.
              const u = upstream[r * N + j];
              const s = aKernel[j];
              const fromA = name === 'tanh' ? u * (1 - s * s) : name === 'sigmoid' ? u * (s * (1 - s)) : name === 'elu' && !(s > 0) ? u * (s + 0.7) : fromKernelA[j];
              close(k.heap[D + r * N + j], fromA, `dL/dz ${at}`);
              assert.ok(Math.abs(k.heap[D + r * N + j] - dLdz[j]) <= 1e-6, `dL/dz ${at}: ${k.heap[D + r * N + j]}, the engine's ${dLdz[j]}`);
            }
          }
        });
      }

      for (const loss of KERNEL_LOSSES) {
        it(`${loss}: J and dJ/dŷ as the engine's, with ŷ of exactly 0 and 1`, () => {
          const rng = new Random(23);
          const k = fresh();
          const p = probabilities(rng);
          const y = targets(rng, loss === 'cross_entropy');
          k.heap.set(p, A);
          k.heap.set(y, Y);
          const reference = getLoss(loss);
          const J = k.lossSum(lossCode(loss), 0, A, A, Y, ROWS, N) / (loss === 'sse' ? 1 : loss === 'cross_entropy' ? ROWS : COUNT);
          close(J, reference.value(matrix(p), matrix(y)), `${variant} ${loss} J`);
          k.lossGradient(lossCode(loss), 0, A, Y, D, ROWS, N);
          const g = matrix(new Float32Array(COUNT));
          reference.gradient(matrix(p), matrix(y), g);
          for (let i = 0; i < COUNT; i++) close(k.heap[D + i], Math.fround(g.data[i]), `${variant} ${loss} dJ/dŷ[${i}] (ŷ = ${p[i]}, y = ${y[i]})`);
        });
      }

      for (const [activation, loss] of [
        ['softmax', 'cross_entropy'],
        ['sigmoid', 'binary_cross_entropy'],
      ] as const) {
        it(`fused ${activation} + ${loss}: J from z and dJ/dz = (ŷ − y)/m, stable at logits of ±1000`, () => {
          const rng = new Random(5);
          const k = fresh();
          const z = logits(rng);
          const y = targets(rng, activation === 'softmax');
          k.heap.set(z, Z);
          k.heap.set(y, Y);
          k.activationForward(activationCode(activation), 1, Z, A, ROWS, N);
          const fused = fusedOutputFor(activation, loss, true)!;
          const code = fusedCode(activation === 'softmax' ? 'softmax-ce' : 'sigmoid-bce');
          const J = k.lossSum(lossCode(loss), code, Z, A, Y, ROWS, N) / (activation === 'softmax' ? ROWS : COUNT);
          close(J, fused.value(matrix(z), matrix(y)), `${variant} fused ${activation} J`);
          k.lossGradient(lossCode(loss), code, A, Y, D, ROWS, N);
          const a = matrix(k.heap.slice(A, A + COUNT));
          const g = matrix(new Float32Array(COUNT));
          fused.dJdz(a, matrix(y), g);
          for (let i = 0; i < COUNT; i++) close(k.heap[D + i], Math.fround(g.data[i]), `${variant} fused ${activation} dJ/dz[${i}]`);
        });
      }
    });
  }

  it('has a code for every activation but GELU, whose erf stays in JavaScript', () => {
    assert.equal(activationCode('gelu'), -1);
    for (const name of KERNEL_ACTIVATIONS) assert.equal(KERNEL_ACTIVATIONS[activationCode(name)], name);
  });
});
