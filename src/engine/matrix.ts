/**
 * A dense row-major float64 matrix. The inspection path keeps every intermediate in float64 so
 * that the numbers a student checks by hand come out exactly as in the lecture.
 *
 * Batches are stored one sample per row: a[l] for a batch of m samples is an m × n_l matrix, so
 * row r holds the lecture's column vector a[l] of sample r.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Element (r, c) is data[r * cols + c]. */
  readonly data: Float64Array;
}

/** A new zero-filled rows × cols matrix. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A matrix from nested arrays (one inner array per row); all rows must have the same length. */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) {
      throw new RangeError(`row ${i} has ${rows[i].length} values, expected ${c}`);
    }
    for (let j = 0; j < c; j++) m.data[i * c + j] = rows[i][j];
  }
  return m;
}

/** Nested arrays, one inner array per row (for JSON output and tests). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Row r as a fresh plain array. */
export function row(m: Matrix, r: number): number[] {
  return Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));
}

/** A deep copy. */
export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: new Float64Array(m.data) };
}

/** The rows listed in `indices`, in that order, as a new matrix. */
export function selectRows(m: Matrix, indices: ArrayLike<number>, count = indices.length): Matrix {
  const out = zeros(count, m.cols);
  for (let k = 0; k < count; k++) {
    const src = indices[k] * m.cols;
    out.data.set(m.data.subarray(src, src + m.cols), k * m.cols);
  }
  return out;
}
