import { strict as assert } from 'assert';
import { ACTIVATION_NAMES, elu, gelu, getActivation, leakyRelu, relu, sigmoid, sigmoidActivation, softmax, tanh, type ScalarActivation } from '../../src/engine/activations';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('activations', () => {
  it('give the hand-worked values', () => {
    assert.equal(relu.f(-1), 0);
    assert.equal(relu.f(2.5), 2.5);
    assert.equal(relu.df(0), 0, 'ReLU′(0) is 0, as in the lecture');
    close(leakyRelu.f(-2), -0.02);
    assert.equal(leakyRelu.df(-2), 0.01);
    close(elu(1).f(-1), Math.exp(-1) - 1);
    close(elu(2).f(-1), 2 * (Math.exp(-1) - 1));
    close(elu(2).df(-1), 2 * Math.exp(-1));
    assert.equal(sigmoid(0), 0.5);
    close(sigmoidActivation.df(0), 0.25);
    close(tanh.df(0), 1);
    // GELU(x) = x Φ(x); Φ(1) = 0.841344746068542948…, Φ(−1) = 0.158655253931457051…
    close(gelu.f(1), 0.841344746068542948, 1e-15);
    close(gelu.f(-1), -0.158655253931457051, 1e-15);
    close(gelu.f(2), 2 * 0.977249868051820792, 1e-15);
  });

  it('GELU is the exact erf form, not the tanh approximation', () => {
    const tanhApprox = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    // The approximation is off by ~1e-4 near x = 2.5; the exact form must not be.
    assert.ok(Math.abs(gelu.f(2.5) - tanhApprox(2.5)) > 1e-5);
    close(gelu.f(2.5), 2.5 * 0.993790334674223665, 1e-15);
  });

  it('sigmoid does not overflow for large |z|', () => {
    assert.equal(sigmoid(1000), 1);
    assert.equal(sigmoid(-1000), 0);
    assert.ok(Number.isFinite(sigmoidActivation.df(-1000)));
  });

  const scalars: ScalarActivation[] = [relu, leakyRelu, elu(1), elu(0.3), tanh, sigmoidActivation, gelu];
  for (const act of scalars) {
    it(`${act.name}: f′ matches central finite differences`, () => {
      for (let z = -4.05; z <= 4; z += 0.1) {
        if (Math.abs(z) < 1e-3) continue; // kinks of ReLU-like functions at 0
        const h = 1e-6;
        const numeric = (act.f(z + h) - act.f(z - h)) / (2 * h);
        assert.ok(Math.abs(numeric - act.df(z)) < 1e-8, `${act.name}′(${z}) = ${act.df(z)}, numeric ${numeric}`);
      }
    });
  }

  it('softmax gives the reference values, rows sum to 1, and stays finite for logits of ±1000', () => {
    const a = new Float64Array(3);
    softmax.forward(Float64Array.of(1, 2, 3), a);
    close(a[0], 0.09003057317038046);
    close(a[1], 0.24472847105479767);
    close(a[2], 0.6652409557748219);
    for (const z of [Float64Array.of(1000, -1000, 0), Float64Array.of(-1000, -1000, -1000), Float64Array.of(1000, 1000, 999)]) {
      softmax.forward(z, a);
      assert.ok(a.every(Number.isFinite), `finite for ${z}`);
      close(a[0] + a[1] + a[2], 1, 1e-15);
    }
    softmax.forward(Float64Array.of(1000, 1000, 999), a);
    close(a[2] / a[0], Math.exp(-1));
  });

  it('softmax backward is the Jacobian-vector product (finite differences)', () => {
    const z = Float64Array.of(0.3, -1.2, 2.0, 0.7);
    const dLda = Float64Array.of(0.5, -2, 1, 3); // L = dLda · a
    const a = new Float64Array(4);
    softmax.forward(z, a);
    const dLdz = new Float64Array(4);
    softmax.backward(z, a, dLda, dLdz);
    const L = (zz: Float64Array) => {
      const out = new Float64Array(4);
      softmax.forward(zz, out);
      return out.reduce((s, v, k) => s + v * dLda[k], 0);
    };
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const zp = Float64Array.from(z);
      const zm = Float64Array.from(z);
      zp[j] += h;
      zm[j] -= h;
      close(dLdz[j], (L(zp) - L(zm)) / (2 * h), 1e-8);
    }
  });

  it('every declared name resolves to an activation of that name', () => {
    for (const name of ACTIVATION_NAMES) assert.equal(getActivation(name).name, name);
  });
});
