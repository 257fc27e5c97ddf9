/**
 * A training run that advances one mini-batch per call, so that the worker can interleave it
 * with messages (pause, stop, a new learning rate) and snapshots.
 *
 * Batches are exactly the CLI's `train`: the same shuffle of the same generator (seeded
 * by the engine's `shuffleRandom`) at the start of each epoch, the same batches in the same order,
 * the same optimizer, then an evaluation. The arithmetic is the run's precision:
 * - 'float32' (the default, as the CLI's): the fast path, src/fast, through a FastTwin. The CLI
 *   runs the same kernels in the same order, so on the same runtime the losses agree bit for bit.
 * - 'float64': the engine's `trainEpoch` and `evaluate`, so a model trained here for N epochs has
 *   bit for bit the engine's (and `train --precision float64`'s) loss and parameters.
 * Splitting an epoch across calls changes nothing but when the work happens. Everything the
 * inspector reads (`net`, the snapshots, divergence) is float64 either way.
 *
 * The end of an epoch is evaluated a few milliseconds of rows per call too, so that a large set
 * (an MNIST-sized one takes half a second in float32, more in float64) never holds the worker:
 * pause answers at once and snapshots keep coming. Until the evaluation is done the epoch is not
 * counted. The CLI evaluates with the same chunks, so the losses still agree bit for bit.
 */

import { layerEpochStats, type LayerStats } from '../analysis/layerStats';
import { copyParameters, EarlyStoppingWatch, NO_VALIDATION_FOR_EARLY_STOPPING, resolveEarlyStopping, type EarlyStop, type ParameterCopy } from '../engine/earlyStopping';
import { selectRows, type Matrix } from '../engine/matrix';
import { backward, forward, type BackwardPass, type ForwardPass, type Network } from '../engine/network';
import { createOptimizer, type Optimizer } from '../engine/optimizers';
import type { Random } from '../engine/random';
import { chunkedEvaluation, isBinaryTarget, shuffleRandom, type ChunkedEvaluation, type Evaluation, type Samples } from '../engine/training';
import type { ModelFile } from '../model/modelFile';
import { networkFromModel } from '../model/modelNetwork';
import { batchRows } from '../model/trainingMemory';
import type { Divergence, EpochRecord, Hyperparameters, LayerParameterData, SplitData, SplitName, TrainingArithmetic, TrainingData, TrainingPrecision } from './workerProtocol';
import { BatchLosses } from './batchLosses';
import { EpochHistory } from './epochHistory';
import { FastTwin } from './FastTwin';
import { applyHyperparameters, checkHyperparameters, optimizerChanges } from './hyperparameters';
import { describeDivergence, findNonFiniteLayer } from './nonFinite';

/** How long one `runBatch` call may spend on an end-of-epoch evaluation before it returns. */
const EVALUATION_SLICE_MS = 4;

/**
 * An epoch's record carries its layers' statistics (EpochRecord.layerStats) when at least this
 * much training time has passed since the last record that did: every epoch of any epoch that
 * takes longer, about one in eight of a 2-4-1 XOR net's 3-microsecond float32 epochs. Computing
 * and keeping the numbers costs about 0.7 µs an epoch there (mostly the garbage collector
 * moving the kept arrays), 20 % of such an epoch; one in eight keeps that under 3 %. The first
 * epoch of a history and the run's last (`statsEpoch`) always carry them.
 */
export const LAYER_STATS_INTERVAL_S = 25e-6;

/** What one call of `Trainer.runBatch` did. */
export type BatchOutcome =
  | { readonly kind: 'batch' }
  /** Part of the end-of-epoch evaluation; the epoch's record is still to come. */
  | { readonly kind: 'evaluating' }
  /**
   * The batch completed an epoch; `record` is its evaluation. `earlyStop` is set when early
   * stopping ends the run here (the parameters are then the best epoch's, if it restores them).
   */
  | { readonly kind: 'epoch'; readonly record: EpochRecord; readonly earlyStop?: EarlyStop }
  /** J became non-finite; the batch's update was not applied. */
  | { readonly kind: 'diverged'; readonly divergence: Divergence };

/** Confusion counts (Evaluation.counts) of a whole split under the parameters of `epoch` and `step`. */
export interface ConfusionCounts {
  readonly split: 'validation' | 'training';
  readonly counts: Int32Array;
  readonly epoch: number;
  readonly step: number;
}

/** The run's own shuffling generator, seeded as the CLI's `train` seeds it. */
export function runRandom(model: ModelFile): Random {
  return shuffleRandom(model.init?.seed);
}

/** A split as the engine's matrices, sharing the typed arrays. */
export function samplesOf(split: SplitData, nIn: number, nOut: number): Samples {
  return { x: { rows: split.rows, cols: nIn, data: split.x }, y: { rows: split.rows, cols: nOut, data: split.y } };
}

/** One network training on one data set, a batch at a time. */
export class Trainer {
  /** The model with the hyperparameters in force (its `parameters` are the loaded ones). */
  model: ModelFile;
  readonly precision: TrainingPrecision;
  /** Completed epochs. */
  epoch = 0;
  /** Updates applied. */
  step = 0;
  /** Samples trained on (all batches), for the throughput figure. */
  samplesSeen = 0;
  /** The completed epochs' records: the recent ones all, older ones thinned (see EpochHistory). */
  history = new EpochHistory();
  /** Each batch's J, thinned, over the same span as `history`. */
  batchLosses = new BatchLosses();
  /** An epoch (1-based) whose layer statistics are taken whatever the interval: the run's last. */
  statsEpoch = 0;
  /** The sample whose forward pass snapshots show. */
  selected: { split: SplitName; index: number } = { split: 'train', index: 0 };
  /** Why early stopping ended the last run; undefined while a run goes on or ended otherwise. */
  earlyStop: EarlyStop | undefined;
  /** The record of the run's best epoch so far (lowest validation loss), when early stopping watches. */
  bestRecord: EpochRecord | undefined;
  /**
   * Classification only: the confusion counts of the last epoch's evaluation of the split the
   * panel shows (validation, or training without one), and the parameters they are of. Taken
   * from the evaluation's own pass, so a 60,000-row set costs nothing more to show.
   */
  confusion: ConfusionCounts | undefined;

  /** The float64 run's network and optimizer; a float32 run's mirror is in `fast`. */
  private net64: Network;
  private optimizer: Optimizer;
  /** The float32 run's networks; undefined for a float64 run. */
  private fast: FastTwin | undefined;
  private rng: Random;
  private readonly train: Samples;
  private readonly validation: Samples | undefined;
  /** Scored as classes (a classification task, or a one-column 0/1 target as the CLI scores it). */
  readonly classification: boolean;
  /** This epoch's sample order (shuffled at its first batch) and how far through it we are. */
  private order: Int32Array | undefined;
  /** The order was not shuffled: a float32 run then loads contiguous rows. */
  private orderIsIdentity = true;
  private cursor = 0;
  /** Seconds spent in `runBatch` since the history began. */
  private seconds = 0;
  /**
   * Each layer's W, a and dL/dW summary, taken when the epoch's last batch is done (before its
   * evaluation overwrites a float32 run's activations), for the epoch's record.
   */
  private epochStats: LayerStats | undefined;
  /** Training seconds (`seconds`) when an epoch's statistics were last taken. */
  private statsAt = -Infinity;
  /** The run's best validation loss so far, for early stopping. */
  private watch = new EarlyStoppingWatch();
  /** A copy of the parameters of the run's best epoch (with `restoreBest`), buffers reused. */
  private bestParameters: ParameterCopy[] | undefined;
  /** The end-of-epoch evaluation in progress: the training set's, then validation's. */
  private evaluation: { train?: Evaluation; current: ChunkedEvaluation; of: 'train' | 'validation' } | undefined;

  constructor(
    model: ModelFile,
    readonly data: TrainingData,
    precision: TrainingPrecision = 'float32',
    /** LAYER_STATS_INTERVAL_S; 0 takes every epoch's statistics. */
    private readonly statsInterval = LAYER_STATS_INTERVAL_S,
    /** Threads a float32 run trains on (src/fast/threads.ts); a float64 run always uses one. */
    private readonly threads = 1,
  ) {
    const n0 = model.layers[0].units;
    const nL = model.layers[model.layers.length - 1].units;
    if (data.nIn !== n0) throw new RangeError(`the data has ${data.nIn} input values per row, but the model's input layer has ${n0} units`);
    if (data.nOut !== nL) throw new RangeError(`the data has ${data.nOut} target values per row, but the model's output layer has ${nL} units`);
    if (data.train.rows === 0) throw new RangeError('the training split has no rows');
    this.model = model;
    this.precision = precision;
    this.net64 = networkFromModel(model);
    this.optimizer = createOptimizer(model.optimizer);
    this.fast = this.fastTwinOf(this.net64);
    this.rng = runRandom(model);
    this.train = samplesOf(data.train, data.nIn, data.nOut);
    this.validation = data.validation && data.validation.rows > 0 ? samplesOf(data.validation, data.nIn, data.nOut) : undefined;
    // As the CLI scores it: a one-column 0/1 target (the truth tables) counts as two classes.
    this.classification = data.task === 'classification' || isBinaryTarget(this.train.y);
  }

  /** The network as float64: a float32 run's parameters are copied out on each read after an update. */
  get net(): Network {
    return this.fast ? this.fast.net : this.net64;
  }

  /**
   * Back to epoch 0: a network freshly initialized from the model's `init` (saved parameters
   * ignored), a new optimizer and the run's generator from its seed, so that training again
   * reproduces the CLI from the start.
   */
  resetWeights(): void {
    this.net64 = networkFromModel(this.model, true);
    this.optimizer = createOptimizer(this.model.optimizer);
    this.fast?.dispose();
    this.fast = this.fastTwinOf(this.net64);
    this.rng = runRandom(this.model);
    this.epoch = 0;
    this.step = 0;
    this.samplesSeen = 0;
    this.history = new EpochHistory();
    this.batchLosses = new BatchLosses();
    this.order = undefined;
    this.cursor = 0;
    this.seconds = 0;
    this.epochStats = undefined;
    this.statsAt = -Infinity;
    this.evaluation = undefined;
    this.confusion = undefined;
    this.startRun();
  }

  /**
   * A new run starts (Train, not Resume): early stopping watches it from its own first epoch.
   * Returns why the run cannot start, or undefined.
   */
  startRun(): string | undefined {
    if (this.model.optimizer?.earlyStopping && !this.validation) return NO_VALIDATION_FOR_EARLY_STOPPING;
    this.watch = new EarlyStoppingWatch();
    this.bestRecord = undefined;
    this.earlyStop = undefined;
    return undefined;
  }

  /** True while an epoch's batches are done and its evaluation is not. */
  get evaluating(): boolean {
    return this.evaluation !== undefined;
  }

  /**
   * Completes an end-of-epoch evaluation in progress (before the parameters change, or when the
   * run stops): its outcome, or undefined when there was none.
   */
  finishEpoch(): BatchOutcome | undefined {
    if (!this.evaluation) return undefined;
    const started = performance.now();
    try {
      let outcome: BatchOutcome;
      do outcome = this.continueEvaluation(started, Infinity);
      while (outcome.kind === 'evaluating');
      return outcome;
    } finally {
      this.seconds += (performance.now() - started) / 1000;
    }
  }

  /**
   * The confusion counts of the current parameters on the split the panel shows, computed now in
   * the run's precision (the end-of-epoch evaluation's own code, run to its end) unless the last
   * epoch's are of these very parameters. Undefined for a regression.
   */
  confusionNow(): ConfusionCounts | undefined {
    if (!this.classification) return undefined;
    const c = this.confusion;
    if (c && c.epoch === this.epoch && c.step === this.step) return c;
    const split = this.validation ? 'validation' : 'train';
    const evaluation = this.evaluationOf(split);
    let result: Evaluation | undefined;
    do result = evaluation.step();
    while (result === undefined);
    if (!result.counts) return undefined;
    this.confusion = { split: this.validation ? 'validation' : 'training', counts: result.counts, epoch: this.epoch, step: this.step };
    return this.confusion;
  }

  /** Applies an edit from the next batch on; returns why it was refused, or undefined. */
  setHyperparameters(h: Hyperparameters): string | undefined {
    const problem = checkHyperparameters(h);
    if (problem) return problem;
    if (h.earlyStopping && !this.validation) return NO_VALIDATION_FOR_EARLY_STOPPING;
    const before = this.model.optimizer;
    const after = applyHyperparameters(before, h);
    this.model = { ...this.model, optimizer: after };
    if (optimizerChanges(before, after)) {
      this.optimizer = createOptimizer(after);
      this.fast?.setOptimizer(after);
    }
    return undefined;
  }

  /** Replaces W[l] and b[l] of every layer; returns why it was refused, or undefined. */
  setParameters(layers: readonly LayerParameterData[], countsAsStep: -1 | 0 | 1): string | undefined {
    // The epoch's evaluation is of the parameters it ended with.
    this.finishEpoch();
    const net = this.net;
    if (layers.length !== net.layers.length) return `expected parameters for ${net.layers.length} layers, got ${layers.length}`;
    for (const [k, layer] of net.layers.entries()) {
      if (layers[k].W.length !== layer.W.data.length || layers[k].b.length !== layer.b.length) return `layer ${k + 1} needs W of ${layer.nIn}×${layer.nOut} and b of ${layer.nOut}`;
    }
    if (this.fast) this.fast.setParameters(layers);
    else {
      net.layers.forEach((layer, k) => {
        layer.W.data.set(layers[k].W);
        layer.b.set(layers[k].b);
      });
    }
    this.step = Math.max(0, this.step + countsAsStep);
    // An undone edit brings back a step count whose parameters may now be others.
    this.confusion = undefined;
    return undefined;
  }

  /** Chooses the sample snapshots show; returns why it was refused, or undefined. */
  selectSample(index: number, split: SplitName = 'train'): string | undefined {
    const s = this.split(split);
    if (!s) return `there is no ${split} split`;
    if (!Number.isInteger(index) || index < 0 || index >= s.rows) return `sample ${index} is not in the ${split} split (rows 0 to ${s.rows - 1})`;
    this.selected = { split, index };
    return undefined;
  }

  /** A split by name, if the data has it. */
  split(name: SplitName): SplitData | undefined {
    const s = name === 'train' ? this.data.train : name === 'validation' ? this.data.validation : this.data.test;
    return s && s.rows > 0 ? s : undefined;
  }

  /** The options in force for the batching (the optimizer holds the rest). */
  private get batching(): { batchSize: number; shuffle: boolean } {
    return { batchSize: this.model.optimizer?.batchSize ?? 0, shuffle: this.model.optimizer?.shuffle ?? true };
  }

  /** One forward, backward and update; at the end of an epoch, its evaluation too. */
  runBatch(): BatchOutcome {
    const started = performance.now();
    try {
      return this.runBatchTimed(started);
    } finally {
      this.seconds += (performance.now() - started) / 1000;
    }
  }

  private runBatchTimed(started: number): BatchOutcome {
    if (this.evaluation) return this.continueEvaluation(started, EVALUATION_SLICE_MS);
    const m = this.train.x.rows;
    const { batchSize, shuffle } = this.batching;
    if (this.order === undefined) {
      // As trainEpoch: a fresh identity order, shuffled once per epoch by the run's generator.
      this.order = new Int32Array(m);
      for (let i = 0; i < m; i++) this.order[i] = i;
      if (shuffle) this.rng.shuffle(this.order);
      this.orderIsIdentity = !shuffle;
    }
    const batch = batchSize > 0 && batchSize < m ? batchSize : m;
    const count = Math.min(batch, m - this.cursor);
    const indices = this.order.subarray(this.cursor, this.cursor + count);
    const fast = this.fast;
    let trained: { pass: ForwardPass; grads: BackwardPass } | undefined;
    if (fast) {
      fast.fitBatches(m, batchSize);
      // Without shuffling the rows are contiguous: one copy each (none again for a whole batch).
      const loss = fast.forwardBackward(this.data.train, this.cursor, count, this.orderIsIdentity ? undefined : this.order);
      if (!Number.isFinite(loss)) {
        const pass = float32Pass(forward(this.net, selectRows(this.train.x, indices)));
        return { kind: 'diverged', divergence: this.divergence(loss, pass) };
      }
      fast.update();
      this.batchLosses.add(this.epoch + (this.cursor + count) / m, loss);
    } else {
      const whole = count === m && this.cursor === 0 && isIdentity(indices);
      const x: Matrix = whole ? this.train.x : selectRows(this.train.x, indices);
      const y: Matrix = whole ? this.train.y : selectRows(this.train.y, indices);
      const pass = forward(this.net64, x);
      const grads = backward(this.net64, pass, y);
      if (!Number.isFinite(grads.loss)) {
        // Halt before the update, so the panel shows the very weights that produced the ∞.
        return { kind: 'diverged', divergence: this.divergence(grads.loss, pass) };
      }
      this.optimizer.update(this.net64, grads);
      this.batchLosses.add(this.epoch + (this.cursor + count) / m, grads.loss);
      trained = { pass, grads };
    }
    this.step++;
    this.samplesSeen += count;
    this.cursor += count;
    if (this.cursor < m) return { kind: 'batch' };

    // A few numbers per layer, per epoch (see LAYER_STATS_INTERVAL_S): the "over epochs" charts
    // need no snapshot to see an epoch.
    if (this.seconds - this.statsAt >= this.statsInterval || this.epoch + 1 === this.statsEpoch) {
      this.epochStats = fast ? fast.layerStats() : layerEpochStats(this.net64, trained!.pass, trained!.grads);
      this.statsAt = this.seconds;
    }
    this.order = undefined;
    this.cursor = 0;
    this.evaluation = { current: this.evaluationOf('train'), of: 'train' };
    return this.continueEvaluation(started, EVALUATION_SLICE_MS);
  }

  /** An evaluation of a split in the run's precision, chunk by chunk. */
  private evaluationOf(split: 'train' | 'validation'): ChunkedEvaluation {
    const fast = this.fast;
    if (fast) return fast.chunkedEvaluation(split === 'train' ? this.data.train : this.data.validation!, this.classification);
    return chunkedEvaluation(this.net64, split === 'train' ? this.train : this.validation!, this.classification);
  }

  /** Evaluates chunks until the evaluation is done or `sliceMs` have passed since `started`. */
  private continueEvaluation(started: number, sliceMs: number): BatchOutcome {
    for (;;) {
      const e = this.evaluation!;
      const result = e.current.step();
      if (result !== undefined) {
        if (e.of === 'train' && this.validation) {
          this.evaluation = { train: result, current: this.evaluationOf('validation'), of: 'validation' };
        } else {
          this.evaluation = undefined;
          return e.of === 'train' ? this.endEpoch(started, result, undefined) : this.endEpoch(started, e.train!, result);
        }
      }
      if (performance.now() - started >= sliceMs) return { kind: 'evaluating' };
    }
  }

  /** Counts the epoch and records its evaluation. */
  private endEpoch(started: number, t: Evaluation, v: Evaluation | undefined): BatchOutcome {
    const fast = this.fast;
    this.epoch++;
    const record: { -readonly [K in keyof EpochRecord]: EpochRecord[K] } = {
      epoch: this.epoch,
      loss: t.loss,
      ...(t.accuracy !== undefined ? { accuracy: t.accuracy } : {}),
      ...(v ? { valLoss: v.loss } : {}),
      ...(v?.accuracy !== undefined ? { valAccuracy: v.accuracy } : {}),
      seconds: this.seconds + (performance.now() - started) / 1000,
    };
    // Added, not spread in: one more spread on every epoch cost a tiny net a few % of its speed.
    if (this.epochStats) record.layerStats = this.epochStats;
    if (t.metrics) {
      record.r2 = t.metrics.r2;
      record.rmse = t.metrics.rmse;
      record.mae = t.metrics.mae;
    }
    if (v?.metrics) {
      record.valR2 = v.metrics.r2;
      record.valRmse = v.metrics.rmse;
      record.valMae = v.metrics.mae;
    }
    this.epochStats = undefined;
    this.history.push(record);
    const shown = v ?? t;
    if (shown.counts) this.confusion = { split: v ? 'validation' : 'training', counts: shown.counts, epoch: this.epoch, step: this.step };
    if (!Number.isFinite(t.loss)) {
      // Every batch's J was finite but the last update broke the network: find where on the
      // whole training set, as evaluate saw it.
      const pass = forward(this.net, this.train.x);
      return { kind: 'diverged', divergence: this.divergence(t.loss, fast ? float32Pass(pass) : pass, this.epoch) };
    }
    const spec = this.model.optimizer?.earlyStopping;
    if (!spec || !v) return { kind: 'epoch', record };
    const { restoreBest } = resolveEarlyStopping(spec);
    const verdict = this.watch.observe(spec, this.epoch, v.loss);
    if (verdict === 'improved') {
      this.bestRecord = record;
      if (restoreBest) this.keepBestParameters();
    }
    if (verdict !== 'stop') return { kind: 'epoch', record };
    // The best epoch is always an earlier one here (patience ≥ 1), or none when every J_val was ∞.
    const best = restoreBest && this.watch.bestEpoch > 0 ? this.bestParameters : undefined;
    // Restoring changes the parameters, so it counts as a step: every view keyed on (epoch,
    // step), the ledger and the insights, then knows its numbers are of other weights. A float32
    // run's twin takes them back exactly (they are its own float32 values). The optimizer's
    // state (momentum, Adam's moments) stays that of the last epoch.
    if (best) this.setParameters(best, 1);
    this.earlyStop = this.watch.stop(spec, this.epoch, best !== undefined);
    return { kind: 'epoch', record, earlyStop: this.earlyStop };
  }

  /** Keeps the parameters (float64; a float32 run's exactly, as its mirror holds them) as the best so far. */
  private keepBestParameters(): void {
    this.bestParameters = copyParameters(this.net, this.bestParameters);
  }

  /** A float32 run's networks, starting from `net`'s parameters; undefined for a float64 run. */
  /** What trains the network: float64 on one thread, or the fast path's kernels and threads. */
  get arithmetic(): TrainingArithmetic {
    return this.fast ? this.fast.arithmetic(batchRows(this.batching.batchSize, this.data.train.rows)) : { precision: 'float64', threads: 1 };
  }

  private fastTwinOf(net: Network): FastTwin | undefined {
    return this.precision === 'float32' ? new FastTwin(net, this.model.optimizer, this.data.train.rows, this.batching.batchSize, this.threads) : undefined;
  }

  /** Stops a float32 run's other threads; the trainer must not train afterwards. */
  dispose(): void {
    this.fast?.dispose();
  }

  private divergence(loss: number, pass: ForwardPass, epoch = this.epoch + 1): Divergence {
    const found = findNonFiniteLayer(this.net, pass);
    const { layer, quantities, message } = describeDivergence(loss, epoch, this.step, found, pass);
    return { loss, epoch, step: this.step, layer, quantities, message };
  }
}

/**
 * A float64 forward pass as float32 would hold it: every z and a rounded to float32, so that a
 * value past float32's range (about 3.4e38) becomes ±∞ there too. A float32 run's divergence is
 * located on its float64 mirror this way: the first layer that overflowed in float32 is the first
 * one this pass holds a non-finite value in, though float64 itself would not have overflowed yet.
 */
function float32Pass(pass: ForwardPass): ForwardPass {
  for (const m of [...pass.z, ...pass.a]) m.data.set(new Float32Array(m.data));
  return pass;
}

function isIdentity(indices: Int32Array): boolean {
  for (let i = 0; i < indices.length; i++) if (indices[i] !== i) return false;
  return true;
}
