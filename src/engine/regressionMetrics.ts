/**
 * How well a regression network fits, beside its loss: R², RMSE and MAE of ŷ = a[L] against y
 * over a whole split, in the targets' own units (targets are never normalized here: only inputs
 * are, see src/data/normalization.ts).
 *
 *   SS_res = Σ (y − ŷ)²,  SS_tot = Σ (y − ȳ)²  (ȳ per output column),
 *   R² = 1 − SS_res / SS_tot,  RMSE = √(SS_res / N),  MAE = Σ |y − ŷ| / N,
 *
 * N being rows × outputs. With several outputs the sums run over every column (sklearn's
 * "variance_weighted" R²); with one output these are the textbook formulas. When every target is
 * the same value SS_tot is 0 and R² is undefined: `r2` is null then, never NaN or −∞.
 *
 * Accumulated a chunk of rows at a time, as the end-of-epoch evaluation forwards them. SS_tot
 * depends on the targets alone, which never change during a run: it is computed once per target
 * array (two passes, so a large offset does not cancel away) and remembered, so that an epoch
 * pays only for the residuals, a few operations a value.
 */

/** R², RMSE and MAE of one split. */
export interface RegressionMetrics {
  /** 1 − SS_res/SS_tot; null when SS_tot = 0 (every target equal): undefined, not NaN. */
  readonly r2: number | null;
  /** √(SS_res / N), in the targets' units. */
  readonly rmse: number;
  /** Σ|y − ŷ| / N, in the targets' units. */
  readonly mae: number;
}

/** SS_tot of each target array seen, by array (targets are never written after loading). */
const totals = new WeakMap<ArrayLike<number>, number>();

/** Σ (y − ȳ)² over every column of `y` (rows × cols, row-major), ȳ per column; cached per array. */
export function totalSumOfSquares(y: ArrayLike<number>, cols: number): number {
  const known = totals.get(y);
  if (known !== undefined) return known;
  const rows = y.length / cols;
  let ssTot = 0;
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += y[r * cols + c];
    const mean = sum / rows;
    for (let r = 0; r < rows; r++) {
      const d = y[r * cols + c] - mean;
      ssTot += d * d;
    }
  }
  totals.set(y, ssTot);
  return ssTot;
}

/** Sums for R², RMSE and MAE over a split's rows, fed a chunk of rows at a time. */
export class RegressionAccumulator {
  private rows = 0;
  private ssRes = 0;
  private absSum = 0;

  /** For the split whose targets are `targets` (every row of it, rows × cols). */
  constructor(
    private readonly cols: number,
    private readonly targets: ArrayLike<number>,
  ) {}

  /** Adds `count` rows: ŷ from `yhat` starting at `yhatAt`, y from the split's row `row` on. */
  add(yhat: ArrayLike<number>, yhatAt: number, row: number, count: number): void {
    const y = this.targets;
    const n = count * this.cols;
    const yAt = row * this.cols;
    let ssRes = 0;
    let absSum = 0;
    for (let k = 0; k < n; k++) {
      const e = y[yAt + k] - yhat[yhatAt + k];
      ssRes += e * e;
      absSum += Math.abs(e);
    }
    this.rows += count;
    this.ssRes += ssRes;
    this.absSum += absSum;
  }

  /** The metrics of every row added. */
  result(): RegressionMetrics {
    const n = this.rows * this.cols;
    const ssTot = totalSumOfSquares(this.targets, this.cols);
    return {
      r2: ssTot > 0 ? 1 - this.ssRes / ssTot : null,
      rmse: n > 0 ? Math.sqrt(this.ssRes / n) : NaN,
      mae: n > 0 ? this.absSum / n : NaN,
    };
  }
}

/** The metrics of ŷ against y (rows × cols each, row-major) in one go. */
export function regressionMetrics(yhat: ArrayLike<number>, y: ArrayLike<number>, cols: number): RegressionMetrics {
  const acc = new RegressionAccumulator(cols, y);
  acc.add(yhat, 0, 0, y.length / cols);
  return acc.result();
}

/** Why R² has no value, for a view that shows "R² undefined". */
export const R2_UNDEFINED_REASON = 'every target in the split is the same value (Σ(y − ȳ)² = 0)';
