/**
 * Seeded orderings: the permutations the splitter uses, and a per-epoch order drawn from
 * (seed, epoch) alone. Same inputs → the same order, on every machine.
 */
import { Random, mixSeeds } from '../engine/random';

/** The identity permutation 0, 1, …, rows-1. */
export function range(rows: number): Int32Array {
  const a = new Int32Array(rows);
  for (let i = 0; i < rows; i++) a[i] = i;
  return a;
}

/**
 * The order in which epoch `epoch` visits the training rows: a permutation of 0..rows-1 drawn
 * from (seed, epoch) alone, so a run can be replayed or resumed at any epoch.
 */
export function shuffledIndices(rows: number, seed: number, epoch: number): Int32Array {
  return new Random(mixSeeds(seed, epoch, 0x5f3759df)).shuffle(range(rows));
}
