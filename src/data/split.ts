/**
 * Seeded train / validation / test assignment. With a class target it is stratified: each
 * class is split in the same proportions, so a rare class is not left out of validation by chance.
 */
import { Random, mixSeeds } from '../engine/random';


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
  const groups: number[][] = Array.from({ length: classOf ? nClasses : 1 }, () => []);
  for (let r = 0; r < rows; r++) groups[classOf ? classOf(r) : 0].push(r);
  for (const group of groups) {
    const order = rng.shuffle(Int32Array.from(group));
    const nTest = Math.round(order.length * testSplit);
    const nVal = Math.round(order.length * validationSplit);
    for (let i = 0; i < nTest; i++) assign[order[i]] = TEST;
    for (let i = nTest; i < nTest + nVal && i < order.length; i++) assign[order[i]] = VALIDATION;
  }
  return assign;
}
