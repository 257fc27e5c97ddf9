/**
 * What a float32 run trains: a FastNetwork (src/fast), and a float64 mirror of it that everything
 * else reads (snapshots, the stepper, Save Model, finding where a diverged network broke). The
 * mirror is brought up to date lazily, on the first read after an update, so that training pays
 * for one copy of the parameters per snapshot, not per batch.
 */
import { fastMaxBatch, FastNetwork, type FastSamples } from '../fast';
import type { Network } from '../engine/network';
import type { OptimizerSpec } from '../engine/optimizers';
import type { ChunkedEvaluation, Evaluation } from '../engine/training';
import { layerStatsArray, putMeanStd, STATS_PER_LAYER, type LayerStats } from '../analysis/layerStats';
import type { LayerParameterData, TrainingArithmetic } from './workerProtocol';

export class FastTwin {
  private fast: FastNetwork;
  private readonly mirror: Network;
  /** True when the fast network has been updated since the mirror was last copied from it. */
  private stale = false;

  /**
   * Starts from `net`'s parameters (kept, exactly, as the mirror) with `optimizer`, training on
   * `threads` threads (src/fast/threads.ts; 1, the default, is the single-threaded path itself).
   */
  constructor(net: Network, optimizer: OptimizerSpec | undefined, rows: number, batchSize: number, threads = 1) {
    this.mirror = net;
    this.fast = FastNetwork.fromNetwork(net, fastMaxBatch(rows, batchSize), 'auto', threads);
    this.fast.setOptimizer(optimizer ?? {});
  }

  /** Stops the network's other threads, if it has any. */
  dispose(): void {
    this.fast.dispose();
  }

  /** The kernels, and the threads a batch of `batchRows` rows trains on. */
  arithmetic(batchRows: number): TrainingArithmetic {
    return { precision: 'float32', kernels: this.fast.variant, threads: this.fast.threadsFor(batchRows) };
  }

  /** The parameters as float64, current. */
  get net(): Network {
    if (this.stale) {
      this.fast.copyParametersTo(this.mirror);
      this.stale = false;
    }
    return this.mirror;
  }

  /** Makes room for batches of `batchSize` (an edit may raise it), keeping parameters and optimizer state. */
  fitBatches(rows: number, batchSize: number): void {
    const need = fastMaxBatch(rows, batchSize);
    if (need > this.fast.maxBatch) {
      const old = this.fast;
      this.fast = old.resized(need);
      old.dispose();
    }
  }

  /**
   * Forward and backward propagation of rows order[start..start+count) of `train` (rows
   * start..start+count when `order` is undefined); returns J. `update` applies the step.
   */
  forwardBackward(train: FastSamples, start: number, count: number, order: Int32Array | undefined): number {
    this.fast.loadBatch(train, start, count, order);
    return this.fast.forwardBackward();
  }

  /**
   * Every layer's summary (analysis/layerStats.ts) read in place from the heap, in float32: W
   * as it is, a[l] and dL/dW[l] of the last `forwardBackward`. Call after `update` and before
   * anything else loads rows (an evaluation overwrites a[l]).
   */
  layerStats(): LayerStats {
    const f = this.fast;
    const h = f.kernels.heap;
    const m = f.batchRows;
    const layers = f.layers;
    const out = layerStatsArray(layers.length);
    for (let k = 0; k < layers.length; k++) {
      const layer = layers[k];
      const at = STATS_PER_LAYER * k;
      putMeanStd(out, at, h, layer.W, layer.nIn * layer.nOut);
      putMeanStd(out, at + 2, h, layer.a, m * layer.nOut);
      putMeanStd(out, at + 4, h, layer.dLdW, layer.nIn * layer.nOut);
    }
    return out;
  }

  /** The optimizer step from the gradients of the last `forwardBackward`. */
  update(): void {
    this.fast.update();
    this.stale = true;
  }

  /** J (and accuracy) over a whole set, in float32. */
  evaluate(samples: FastSamples, classification: boolean): Evaluation {
    return this.fast.evaluate(samples, classification);
  }

  /** The same, a chunk (maxBatch rows) per step, as the engine's chunkedEvaluation. */
  chunkedEvaluation(samples: FastSamples, classification: boolean): ChunkedEvaluation {
    const evaluation = this.fast.beginEvaluation(samples, classification);
    // this.fast, not a captured network: a resized twin (same parameters) carries on.
    return { step: () => this.fast.evaluateChunk(evaluation) };
  }

  /** A new optimizer (its state forgotten), as the engine's createOptimizer. */
  setOptimizer(spec: OptimizerSpec | undefined): void {
    this.fast.setOptimizer(spec ?? {});
  }

  /**
   * New parameters from outside (the stepper): the mirror takes them exactly, so that what the
   * stepper reads back is what it wrote; the fast network trains on from them rounded to float32.
   * Shapes must already have been checked.
   */
  setParameters(layers: readonly LayerParameterData[]): void {
    this.mirror.layers.forEach((layer, k) => {
      layer.W.data.set(layers[k].W);
      layer.b.set(layers[k].b);
    });
    this.fast.setParameters(this.mirror);
    this.stale = false;
  }
}
