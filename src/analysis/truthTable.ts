/**
 * A lesson's truth table: every row of the data with its target y and the network's current
 * output ŷ, and whether the network solves it (every output within 0.5 of its target, i.e.
 * ŷ rounds to y for 0/1 targets). Pure: computed from a network and the rows, wherever the
 * current weights are (the panel has them in every snapshot).
 */
import { forward, type Network } from '../engine/network';

/** One row of the table. */
export interface TruthTableRow {
  readonly x: number[];
  readonly y: number[];
  /** a[L] for x under the network's current W and b. */
  readonly yhat: number[];
  /** Every |ŷ_k − y_k| < 0.5. */
  readonly correct: boolean;
}

export interface TruthTable {
  readonly rows: TruthTableRow[];
  /** Every row correct (and there is at least one row). */
  readonly solved: boolean;
}

/** The most rows a lesson's table shows: a truth table, not a data set. */
export const MAX_TRUTH_TABLE_ROWS = 64;

/** The table of the first MAX_TRUTH_TABLE_ROWS rows of `rows` (x row-major, n_0 values a row; y n_L a row). */
export function truthTable(net: Network, data: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number>; readonly rows: number }): TruthTable {
  const nIn = net.sizes[0];
  const nOut = net.sizes[net.sizes.length - 1];
  const n = Math.min(data.rows, MAX_TRUTH_TABLE_ROWS);
  if (n === 0) return { rows: [], solved: false };
  const x = Float64Array.from({ length: n * nIn }, (_, k) => data.x[k]);
  const out = forward(net, { rows: n, cols: nIn, data: x });
  const a = out.a[out.a.length - 1].data;
  const rows: TruthTableRow[] = [];
  for (let r = 0; r < n; r++) {
    const y = Array.from({ length: nOut }, (_, k) => data.y[r * nOut + k]);
    const yhat = Array.from(a.subarray(r * nOut, (r + 1) * nOut));
    rows.push({ x: Array.from(x.subarray(r * nIn, (r + 1) * nIn)), y, yhat, correct: yhat.every((v, k) => Math.abs(v - y[k]) < 0.5) });
  }
  return { rows, solved: rows.every((row) => row.correct) };
}
