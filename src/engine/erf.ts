/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt to about 1e-15, for GELU's exact form.
 * JavaScript has no Math.erf, and the usual 7-digit Abramowitz–Stegun fit would make GELU's
 * finite-difference checks fail, so: the Maclaurin series where it converges quickly, and the
 * continued fraction for erfc where the series would lose digits to cancellation.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x < 2.5) return erfSeries(x);
  if (x > 6) return 1; // erfc(6) ≈ 2e-17: below float64 resolution at 1
  return 1 - erfcContinuedFraction(x);
}

/** erf(x) = 2/√π Σₙ (−1)ⁿ x^(2n+1) / (n! (2n+1)). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x; // (−1)ⁿ x^(2n+1) / n!
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/**
 * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated with the
 * modified Lentz method; converges fast for x ≥ 2.5.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? tiny : d;
    c = x + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
