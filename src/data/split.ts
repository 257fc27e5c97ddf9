/**
 * Seeded train / validation / test assignment. With a class target it is stratified: each
 * class is split in the same proportions, so a rare class is not left out of validation by chance.
 */
import { Random, mixSeeds } from '../engine/random';
import { range } from './shuffle';


export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;

/**
 * Returns one of TRAIN / VALIDATION / TEST per row. `classOf[r]` (0..nClasses-1) stratifies;
 * without it the rows are split as one group. Counts are rounded per group.
 */
export function assignSplits(
  rows: number,
  validationSplit: number,
  testSplit: number,
  seed: number,
  classOf?: (r: number) => number,
  nClasses = 1,
): Uint8Array {
  const assign = new Uint8Array(rows); // all TRAIN
  if (validationSplit <= 0 && testSplit <= 0) return assign;
  const rng = new Random(mixSeeds(seed, 0x5b1175));
  for (const group of groupRows(rows, classOf, nClasses)) {
    const order = rng.shuffle(group);
    const nTest = Math.round(order.length * testSplit);
    const nVal = Math.round(order.length * validationSplit);
    for (let i = 0; i < nTest; i++) assign[order[i]] = TEST;
    for (let i = nTest; i < nTest + nVal && i < order.length; i++) assign[order[i]] = VALIDATION;
  }
  return assign;
}

/** The rows of each class in file order, as exact-size arrays (no growing lists of boxed numbers). */
function groupRows(rows: number, classOf: ((r: number) => number) | undefined, nClasses: number): Int32Array[] {
  if (!classOf) return [range(rows)];
  const sizes = new Int32Array(nClasses);
  for (let r = 0; r < rows; r++) sizes[classOf(r)]++;
  const groups = Array.from(sizes, (n) => new Int32Array(n));
  const filled = new Int32Array(nClasses);
  for (let r = 0; r < rows; r++) {
    const c = classOf(r);
    groups[c][filled[c]++] = r;
  }
  return groups;
}
