/**
 * Each batch's J as training goes, thinned to a bounded series: the loss figure's curve until
 * whole epochs take over. A 60,000-row set's first epoch takes seconds to minutes; its batches
 * show learning within the first second.
 *
 * Batches are kept in buckets of `every` consecutive batches, each drawn as its mean J at the
 * fractional epoch of its last batch. When the series reaches MAX_POINTS, neighbouring buckets
 * are merged and `every` doubles, as the epoch history thins its older epochs: the memory and
 * the snapshot's share stay bounded (2 × MAX_POINTS numbers) however long the run.
 */
import type { BatchLossSeries } from './workerProtocol';

/** The most points the series keeps. */
export const MAX_POINTS = 512;

export class BatchLosses {
  /** Fractional epoch of each point (epochs completed + the share of the epoch trained). */
  private readonly x: number[] = [];
  /** Each point's mean J over its bucket. */
  private readonly loss: number[] = [];
  /** Batches per point. */
  private every = 1;
  /** The bucket being filled. */
  private sum = 0;
  private count = 0;

  /** Adds one batch's J, trained up to fractional epoch `at`. Non-finite losses are not drawn. */
  add(at: number, J: number): void {
    if (!Number.isFinite(J)) return;
    this.sum += J;
    this.count++;
    if (this.count < this.every) return;
    this.x.push(at);
    this.loss.push(this.sum / this.count);
    this.sum = 0;
    this.count = 0;
    if (this.x.length >= MAX_POINTS) this.halve();
  }

  /** Merges neighbouring points: each pair becomes one, at the later one's epoch, with their mean. */
  private halve(): void {
    const n = this.x.length >> 1;
    for (let k = 0; k < n; k++) {
      this.x[k] = this.x[2 * k + 1];
      this.loss[k] = (this.loss[2 * k] + this.loss[2 * k + 1]) / 2;
    }
    // An odd point out stays as the start of the next bucket's sum: it is `every` batches' mean.
    if (this.x.length % 2 === 1) {
      this.sum = this.loss[this.x.length - 1] * this.every + this.sum;
      this.count += this.every;
    }
    this.x.length = n;
    this.loss.length = n;
    this.every *= 2;
  }

  /** The series as the snapshot carries it (fresh arrays, transferable). */
  view(): BatchLossSeries {
    return { epoch: Float64Array.from(this.x), loss: Float64Array.from(this.loss), every: this.every };
  }
}
