import { strict as assert } from 'assert';
import { erf } from '../../src/engine/erf';

// Reference values of erf to 16+ significant digits from published tables (Abramowitz & Stegun
// Table 7.1, extended with arbitrary-precision values).
const TABLE: [number, number][] = [
  [0, 0],
  [0.1, 0.1124629160182848922],
  [0.5, 0.5204998778130465377],
  [1, 0.8427007929497148693],
  [1.5, 0.9661051464753107271],
  [2, 0.9953222650189527342],
  [2.5, 0.9995930479825550411],
  [3, 0.9999779095030014146],
  [4, 0.9999999845827420997],
];

describe('erf', () => {
  it('matches reference values to 1e-14', () => {
    for (const [x, want] of TABLE) {
      assert.ok(Math.abs(erf(x) - want) < 1e-14, `erf(${x}) = ${erf(x)}, want ${want}`);
      assert.ok(Math.abs(erf(-x) + want) < 1e-14, `erf is odd at ${x}`);
    }
  });

  it('has the tail 1 − erf(3) = erfc(3) = 2.209049699858544e-5 to 1e-12 relative', () => {
    const erfc3 = 2.209049699858544137e-5;
    assert.ok(Math.abs(1 - erf(3) - erfc3) / erfc3 < 1e-10);
  });

  it('has derivative 2/√π e^(−x²) (central differences), continuous where the method switches', () => {
    for (let x = -5; x <= 5; x += 0.37) {
      const h = 1e-5;
      const numeric = (erf(x + h) - erf(x - h)) / (2 * h);
      const exact = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
      assert.ok(Math.abs(numeric - exact) < 1e-9, `at ${x}: ${numeric} vs ${exact}`);
    }
    assert.ok(Math.abs(erf(2.5 - 1e-12) - erf(2.5 + 1e-12)) < 1e-13);
  });

  it('saturates to ±1 and passes NaN through', () => {
    assert.equal(erf(10), 1);
    assert.equal(erf(-10), -1);
    assert.ok(Number.isNaN(erf(NaN)));
  });
});
