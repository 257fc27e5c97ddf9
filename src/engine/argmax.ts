/**
 * Which class a row of scores (or a one-hot target) stands for, the one rule the engine's
 * accuracy, the confusion matrix, the decision map and the panel's point colours all follow.
 */

/** The index of the largest of v[offset..offset+n) (the first, on ties). */
export function argmax(v: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (v[offset + k] > v[offset + best]) best = k;
  return best;
}

/**
 * The class of v[offset..offset+n): with one column (a 0/1 target, a sigmoid output) 1 when the
 * value is ≥ 0.5, else 0; with more, the argmax.
 */
export function classOf(v: ArrayLike<number>, offset: number, n: number): number {
  return n === 1 ? (v[offset] >= 0.5 ? 1 : 0) : argmax(v, offset, n);
}
