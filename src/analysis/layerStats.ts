/**
 * A layer's summary at the end of an epoch, for the "over epochs" charts: the mean and standard
 * deviation of W[l], a[l] and dL/dW[l]. The worker records one per layer per epoch, so it must
 * cost next to nothing beside an epoch of a 2-4-1 net (a few microseconds): one pass for the
 * mean and one for the spread over values already in memory, no copy, one array of numbers.
 *
 * Which values: W[l] as the epoch left it (after its last update); a[l] and dL/dW[l] of the
 * epoch's last batch, the forward and backward pass whose gradient made that update. Every sample
 * and every unit of the batch count; dL/dW[l] = a[l−1]ᵀ dL/dz[l] summed over the batch is the
 * gradient that update used. The definitions are histograms.ts's: over the finite values
 * only, std the population standard deviation (divide by n).
 */
import type { BackwardPass, ForwardPass, Network } from '../engine/network';

import { STATS_PER_LAYER, type LayerStats, type MeanStd } from '../training/layerStatsLayout';

export { LAYER_STAT_QUANTITIES, layerStat, STATS_PER_LAYER, type LayerStatQuantity, type LayerStats, type MeanStd } from '../training/layerStatsLayout';

/**
 * Writes the mean and std of `values[start .. start + count)` to out[at] and out[at + 1]: two
 * passes, so that the spread of values far from 0 keeps its digits.
 */
export function putMeanStd(out: number[], at: number, values: ArrayLike<number>, start = 0, count = values.length - start): void {
  const end = start + count;
  let n = 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  if (n === 0) {
    out[at] = NaN;
    out[at + 1] = NaN;
    return;
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (Number.isFinite(v)) sq += (v - mean) * (v - mean);
  }
  out[at] = mean;
  out[at + 1] = Math.sqrt(sq / n);
}

/**
 * An array for `layers` layers' summaries, its length fixed before it is filled: growing it by
 * `push` cost half again as much as computing the numbers, for a 2-4-1 net.
 */
export function layerStatsArray(layers: number): LayerStats {
  return new Array<number>(STATS_PER_LAYER * layers);
}

/** The mean and std of `values[start .. start + count)`. */
export function meanStd(values: ArrayLike<number>, start = 0, count = values.length - start): MeanStd {
  const out = [NaN, NaN];
  putMeanStd(out, 0, values, start, count);
  return { mean: out[0], std: out[1] };
}

/**
 * Every layer's summary from a float64 batch: `net`'s W (call after the update) and the batch's
 * forward pass `pass` and backward pass `grads` (as trained, before the update).
 */
export function layerEpochStats(net: Network, pass: ForwardPass, grads: BackwardPass): LayerStats {
  const out = layerStatsArray(net.layers.length);
  net.layers.forEach((layer, k) => {
    const at = STATS_PER_LAYER * k;
    putMeanStd(out, at, layer.W.data);
    putMeanStd(out, at + 2, pass.a[k + 1].data);
    putMeanStd(out, at + 4, grads.dLdW[k + 1].data);
  });
  return out;
}
