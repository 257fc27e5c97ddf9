/**
 * Early stopping on the validation loss: a run ends when the validation loss J_val has not gone
 * below its best so far by more than `minDelta` for `patience` epochs, and (with `restoreBest`)
 * the network goes back to the parameters of the best epoch. The model file's
 * `optimizer.earlyStopping` (src/model/trainingConfig.ts judges its values); the training worker
 * and the CLI's `train` watch a run with the same `EarlyStoppingWatch`, so they stop at the same
 * epoch.
 *
 * An epoch improves when J_val < best − minDelta (Keras's rule); the first epoch of a run always
 * does. The run stops at the first epoch e with e − bestEpoch ≥ patience.
 */

import type { Network } from './network';

/** The model file's `optimizer.earlyStopping`. */
export interface EarlyStoppingSpec {
  /** Epochs without improvement before the run stops: a whole number ≥ 1. */
  readonly patience: number;
  /** How much J_val must fall below the best to count as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Go back to the best epoch's parameters when stopping. Default true. */
  readonly restoreBest?: boolean;
}

/** Why and where early stopping ended a run. */
export interface EarlyStop {
  /** The epoch the run stopped at (1-based, counted from the network's start). */
  readonly epoch: number;
  /** The epoch with the lowest validation loss, and that loss. */
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  readonly patience: number;
  readonly minDelta: number;
  /** True when the network now holds the parameters of `bestEpoch`. */
  readonly restored: boolean;
  /** One sentence saying all of the above, for the panel, the sidebar, the CLI and the run log. */
  readonly message: string;
}

/** What one epoch's validation loss means for the run. */
export type EarlyStoppingVerdict = 'improved' | 'waiting' | 'stop';

/** The spec's defaults filled in. */
export function resolveEarlyStopping(spec: EarlyStoppingSpec): Required<EarlyStoppingSpec> {
  return { patience: spec.patience, minDelta: spec.minDelta ?? 0, restoreBest: spec.restoreBest ?? true };
}

/** The best validation loss of a run so far, and the verdict on each new epoch. */
export class EarlyStoppingWatch {
  /** The lowest J_val seen (an improvement by more than minDelta), and its epoch; 0: none yet. */
  bestValLoss = Infinity;
  bestEpoch = 0;

  /**
   * The verdict on `epoch`, whose validation loss is `valLoss`, under `spec` (read each time, so
   * an edit of patience mid-run applies at once). A non-finite loss never improves.
   */
  observe(spec: EarlyStoppingSpec, epoch: number, valLoss: number): EarlyStoppingVerdict {
    const { patience, minDelta } = resolveEarlyStopping(spec);
    if (this.bestEpoch === 0 || valLoss < this.bestValLoss - minDelta) {
      if (Number.isFinite(valLoss)) {
        this.bestValLoss = valLoss;
        this.bestEpoch = epoch;
        return 'improved';
      }
    }
    // A run whose first epoch was already non-finite has no best: it counts from its start.
    const since = this.bestEpoch === 0 ? epoch : epoch - this.bestEpoch;
    return since >= patience ? 'stop' : 'waiting';
  }

  /** The record of a stop at `epoch`. */
  stop(spec: EarlyStoppingSpec, epoch: number, restored: boolean): EarlyStop {
    const { patience, minDelta } = resolveEarlyStopping(spec);
    const best = this.bestEpoch > 0 ? `; best ${formatLoss(this.bestValLoss)} at epoch ${this.bestEpoch}${restored ? ', weights restored' : ', weights of the last epoch kept'}` : '';
    return {
      epoch,
      bestEpoch: this.bestEpoch,
      bestValLoss: this.bestValLoss,
      patience,
      minDelta,
      restored,
      message: `stopped early at epoch ${epoch}: validation loss did not improve by ${minDelta} for ${patience} epoch${patience === 1 ? '' : 's'}${best}`,
    };
  }
}

/** W[l] and b[l] of every layer as flat float64 copies (W row-major, as the network holds it). */
export interface ParameterCopy {
  readonly W: Float64Array;
  readonly b: Float64Array;
}

/** Copies `net`'s parameters, into `into` when given (same shapes), to be restored later. */
export function copyParameters(net: Network, into?: ParameterCopy[]): ParameterCopy[] {
  const out = into ?? net.layers.map((l) => ({ W: new Float64Array(l.W.data.length), b: new Float64Array(l.b.length) }));
  net.layers.forEach((l, k) => {
    out[k].W.set(l.W.data);
    out[k].b.set(l.b);
  });
  return out;
}

/** Writes a copy made by `copyParameters` back into `net`. */
export function restoreParameters(net: Network, copy: readonly ParameterCopy[]): void {
  net.layers.forEach((l, k) => {
    l.W.data.set(copy[k].W);
    l.b.set(copy[k].b);
  });
}

/** Four significant digits, as the panel shows losses. */
function formatLoss(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

/** Why early stopping cannot watch a run without a validation split. */
export const NO_VALIDATION_FOR_EARLY_STOPPING =
  'early stopping watches the validation loss, but this data set has no validation split: set "data.validationSplit" above 0 or remove "optimizer.earlyStopping"';
