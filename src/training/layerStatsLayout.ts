/**
 * How an epoch record's layer statistics (EpochRecord.layerStats) are laid out, and reading one
 * back: the message's own format, shared by the worker that writes it (src/analysis/layerStats.ts
 * computes the numbers) and the panel that draws it. Plain code, no imports.
 */

/** The mean and the population standard deviation (divide by n) of a set of values, NaN and ±∞ left out. */
export interface MeanStd {
  readonly mean: number;
  /** √(Σ (v − mean)² / n); NaN (as the mean) when no value is finite. */
  readonly std: number;
}

/** The quantities summarized, in their order within a layer's numbers. */
export const LAYER_STAT_QUANTITIES = ['W', 'a', 'dLdW'] as const;
export type LayerStatQuantity = (typeof LAYER_STAT_QUANTITIES)[number];
/** Numbers per layer: the mean and std of each quantity. */
export const STATS_PER_LAYER = 2 * LAYER_STAT_QUANTITIES.length;

/**
 * Every layer's summary, flat: layer l's W mean, W std, a mean, a std, dL/dW mean, dL/dW std
 * start at index STATS_PER_LAYER · (l − 1). Flat numbers rather than an object per quantity
 * because a run records one per epoch, hundreds of thousands a second for a small net, and every
 * record is cloned to the host and on to the panel: an object per mean and std made that
 * structured clone about 10 times slower than the rest of the record.
 */
export type LayerStats = number[];

/** Layer l's (1-based) mean and std of `quantity`, or undefined when `stats` has no layer l. */
export function layerStat(stats: readonly number[], l: number, quantity: LayerStatQuantity): MeanStd | undefined {
  const i = STATS_PER_LAYER * (l - 1) + 2 * LAYER_STAT_QUANTITIES.indexOf(quantity);
  return l >= 1 && i + 1 < stats.length ? { mean: stats[i], std: stats[i + 1] } : undefined;
}
