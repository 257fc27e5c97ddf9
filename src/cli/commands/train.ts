import * as path from 'node:path';
import { describeDivergence, findNonFiniteLayer } from '../../training/nonFinite';
import { effectiveHyperparameters } from '../../training/hyperparameters';
import { MAX_EPOCHS } from '../../model/trainingConfig';
import { copyParameters, restoreParameters, EarlyStoppingWatch, NO_VALIDATION_FOR_EARLY_STOPPING, resolveEarlyStopping, type EarlyStop, type ParameterCopy } from '../../engine/earlyStopping';
import { R2_UNDEFINED_REASON } from '../../engine/regressionMetrics';
import { forward, type Network } from '../../engine/network';
import { createOptimizer } from '../../engine/optimizers';
import { evaluate, isBinaryTarget, shuffleRandom, trainEpoch, type Evaluation } from '../../engine/training';
import { fastMaxBatch, FastNetwork, MAX_THREADS, trainEpochFast } from '../../fast';
import { availableCores } from '../../training/trainingThreads';
import { batchRows } from '../../model/trainingMemory';
import type { PreparedData } from '../../data/preparedData';
import { serializeModel, type ModelFile } from '../../model/modelFile';
import { modelWithParameters, networkFromModel } from '../../model/modelNetwork';
import { promises as fsp } from 'node:fs';
import { FileError, writableTarget, writeFileAtomic } from '../../node/files';
import type { SplitData, TrainingPrecision } from '../../training/workerProtocol';
import { intOption, optionValue, type ParsedArgs } from '../args';
import { CliError } from '../cliError';
import type { Command } from '../command';
import { loadModel, maxMemoryOf, parseOptionsOf } from '../loadModel';
import { loadModelData, samplesOf } from '../modelData';
import { ProgressBar } from '../progressBar';

/** `--precision`: float32 (the fast path, default) or float64 (the engine, exact). */
function precisionOption(args: ParsedArgs): TrainingPrecision {
  const v = optionValue(args, 'precision') ?? 'float32';
  if (v !== 'float32' && v !== 'float64') throw new CliError(`--precision must be float32 or float64, got "${v}"`);
  return v;
}

/**
 * `train MODEL`: trains and prints one JSON line per epoch; `--out` writes the trained model.
 * By default on the fast float32 path (src/fast), as the extension trains; `--precision float64`
 * runs the engine itself, whose every number the inspector's forward, backward and gradient
 * check reproduce exactly. Batches, shuffling and output are the same either way.
 */
export const trainCommand: Command = {
  name: 'train',
  usage: 'train MODEL [--data FILE] [--epochs N] [--every N] [--out FILE] [--precision float32|float64] [--threads N] [--max-parameters N] [--max-memory MIB]   one JSON line per epoch (or per N)',
  options: { valued: ['data', 'epochs', 'every', 'out', 'precision', 'threads', 'max-parameters', 'max-memory'] },
  async run(args, io) {
    const { model, file } = await loadModel(io.cwd, args.positionals[0], parseOptionsOf(args));
    // Where --out goes is checked before any training: a run must not end in an unwritable path.
    const out = optionValue(args, 'out');
    const target = out !== undefined ? await outTarget(out, io.cwd, model, file, optionValue(args, 'data')) : undefined;
    const data = await loadModelData(model, file, optionValue(args, 'data'), io.cwd, { maxMemoryMiB: maxMemoryOf(args) });
    const epochs = intOption(args, 'epochs', 1, MAX_EPOCHS) ?? model.optimizer?.epochs ?? 100;
    // --every N: a line every N epochs and for the last one (the run itself is the same).
    const every = intOption(args, 'every', 1) ?? 1;
    const precision = precisionOption(args);
    // --threads N: float32 training splits each batch across N threads (default: every core).
    const threads = intOption(args, 'threads', 1, MAX_THREADS) ?? availableCores();
    const net = networkFromModel(model);
    const validation = data.validation && data.validation.rows > 0 ? data.validation : undefined;
    const classification = data.task === 'classification' || isBinaryTarget(samplesOf(data.train, data.nIn, data.nOut).y);
    const run = precision === 'float32' ? fastRun(net, model, data, threads) : engineRun(net, model, data);
    // The threads end with the run, however it ends: the CLI must exit.
    try {
      const bar = io.stderrIsTTY ? new ProgressBar(epochs) : undefined;
      const started = Date.now();
      // Early stopping (src/engine/earlyStopping.ts) as the extension's worker does it.
      const stopping = model.optimizer?.earlyStopping;
      if (stopping && !validation) throw new CliError(NO_VALIDATION_FOR_EARLY_STOPPING);
      const watch = new EarlyStoppingWatch();
      let best: ParameterCopy[] | undefined;
      let earlyStop: EarlyStop | undefined;
      let last: EpochLine = { epoch: 0, loss: NaN };
      let bestLine: EpochLine | undefined;
      let epoch = 0;
      while (epoch < epochs && !earlyStop) {
        epoch++;
        run.trainEpoch();
        const t = run.evaluate(data.train, classification);
        const line: EpochLine = { epoch, loss: t.loss };
        if (t.accuracy !== undefined) line.accuracy = t.accuracy;
        if (t.metrics) Object.assign(line, { r2: t.metrics.r2, rmse: t.metrics.rmse, mae: t.metrics.mae });
        let valLoss = NaN;
        if (validation) {
          const v = run.evaluate(validation, classification);
          valLoss = line.valLoss = v.loss;
          if (v.accuracy !== undefined) line.valAccuracy = v.accuracy;
          if (v.metrics) Object.assign(line, { valR2: v.metrics.r2, valRmse: v.metrics.rmse, valMae: v.metrics.mae });
        }
        if (stopping && Number.isFinite(t.loss)) {
          const verdict = watch.observe(stopping, epoch, valLoss);
          const restoreBest = resolveEarlyStopping(stopping).restoreBest;
          if (verdict === 'improved') {
            bestLine = line;
            if (restoreBest) best = copyParameters(run.parameters(), best);
          }
          if (verdict === 'stop') {
            const restored = restoreBest && watch.bestEpoch > 0 && best !== undefined;
            if (restored) run.restore(best!);
            earlyStop = watch.stop(stopping, epoch, restored);
          }
        }
        // An unread stdout must hold the run back, not fill memory with queued lines.
        if ((epoch % every === 0 || epoch === epochs || earlyStop) && io.json(line) === false) await io.drained?.();
        last = line;
        bar?.update(epoch, t.loss, t.accuracy);
        if (!Number.isFinite(t.loss)) {
          bar?.done();
          throw new CliError(divergenceMessage(run, net, model, data, t.loss, epoch));
        }
      }
      bar?.done();
      // The last line says why the run ended early: {"stopped": "early", …} as in the run log.
      if (earlyStop && io.json({ stopped: 'early', ...earlyStop }) === false) await io.drained?.();
      if (io.stdoutIsTTY) {
        // For a person at a terminal: where the run ended, in one line (the figures of the weights
        // it ends with: the best epoch's when early stopping restored them).
        const seconds = (Date.now() - started) / 1000;
        const samples = epoch * data.train.rows;
        const shown = earlyStop?.restored && bestLine ? bestLine : last;
        const acc = typeof shown.accuracy === 'number' ? `, accuracy ${(shown.accuracy * 100).toFixed(1)} %` : '';
        const of = earlyStop ? `${epoch} of ${epochs}` : `${epochs}`;
        const weights = earlyStop?.restored ? ` (weights of epoch ${earlyStop.bestEpoch})` : '';
        io.info(`trained ${of} epochs: loss ${shown.loss.toPrecision(4)}${acc}${metricsSummary(shown)}${weights}, ${seconds.toFixed(2)} s, ${Math.round(samples / Math.max(seconds, 1e-9)).toLocaleString('en-US')} samples/s (${run.arithmetic()})`);
        if (earlyStop) io.info(earlyStop.message);
      }
      if (out !== undefined && target !== undefined) {
        run.copyParametersOut();
        const trained = modelWithParameters(relocated(model, file, target), net, data.normalization ? { normalization: data.normalization } : {});
        await writeFileAtomic(target, serializeModel(trained));
        io.info(`wrote ${out} (${epoch} epochs${earlyStop?.restored ? `, the weights of epoch ${earlyStop.bestEpoch}` : ''} in ${((Date.now() - started) / 1000).toFixed(2)} s)`);
      }
    } finally {
      run.dispose();
    }
  },
};

/** One training run's arithmetic: epochs, evaluation, and the parameters back into `net`. */
interface Run {
  trainEpoch(): void;
  evaluate(split: SplitData, classification: boolean): Evaluation;
  copyParametersOut(): void;
  /** The current parameters, as float64 (a float32 run's exactly). */
  parameters(): Network;
  /** Sets the parameters (early stopping's best): `net` and, on the fast path, its float32 twin. */
  restore(layers: readonly ParameterCopy[]): void;
  /** Stops the run's other threads, if it has any. */
  dispose(): void;
  /** How it computes, for the summary line: "float64", or the fast path's kernels and threads. */
  arithmetic(): string;
}

/** One line of `train`'s output: an epoch's figures. R² is null when undefined (constant targets). */
type EpochLine = { epoch: number; loss: number } & Record<string, number | null>;

/** The regression figures for the summary line, training then validation. */
function metricsSummary(line: EpochLine): string {
  const r2 = (x: number | null | undefined) => (x === null ? `R² undefined (${R2_UNDEFINED_REASON})` : `R² ${x?.toFixed(4)}`);
  const split = (prefix: string, r: number | null | undefined, rmse: number | null | undefined, mae: number | null | undefined) =>
    rmse === undefined ? '' : `, ${prefix}${r2(r)}, RMSE ${rmse?.toPrecision(4)}, MAE ${mae?.toPrecision(4)}`;
  return split('', line.r2, line.rmse, line.mae) + split('validation ', line.valR2, line.valRmse, line.valMae);
}

/** The engine's float64 loop, in `net` itself. */
function engineRun(net: Network, model: ModelFile, data: PreparedData): Run {
  const optimizer = createOptimizer(model.optimizer);
  const rng = shuffleRandom(model.init?.seed);
  const train = samplesOf(data.train, data.nIn, data.nOut);
  const options = { batchSize: model.optimizer?.batchSize ?? 0, shuffle: model.optimizer?.shuffle ?? true, rng };
  return {
    trainEpoch: () => void trainEpoch(net, optimizer, train, options),
    evaluate: (split, classification) => evaluate(net, samplesOf(split, data.nIn, data.nOut), classification),
    copyParametersOut: () => undefined,
    parameters: () => net,
    restore: (layers) => restoreParameters(net, layers),
    dispose: () => undefined,
    arithmetic: () => 'float64',
  };
}

/** The fast float32 path, in a twin of `net` built as the extension's worker builds it. */
function fastRun(net: Network, model: ModelFile, data: PreparedData, threads: number): Run {
  const batchSize = model.optimizer?.batchSize ?? 0;
  const fast = FastNetwork.fromNetwork(net, fastMaxBatch(data.train.rows, batchSize), 'auto', threads);
  fast.setOptimizer(model.optimizer ?? {});
  const options = { batchSize, shuffle: model.optimizer?.shuffle ?? true, rng: shuffleRandom(model.init?.seed), order: new Int32Array(data.train.rows) };
  return {
    trainEpoch: () => void trainEpochFast(fast, data.train, options),
    evaluate: (split, classification) => fast.evaluate(split, classification),
    copyParametersOut: () => fast.copyParametersTo(net),
    parameters: () => {
      fast.copyParametersTo(net);
      return net;
    },
    restore: (layers) => {
      restoreParameters(net, layers);
      fast.setParameters(net);
    },
    dispose: () => fast.dispose(),
    arithmetic: () => {
      // The threads a batch actually ran on: one where its shards would be too small to split.
      const threads = fast.threadsFor(batchRows(batchSize, data.train.rows));
      return `float32: ${fast.variant} kernels, ${threads === 1 ? '1 thread' : `${threads} threads`}`;
    },
  };
}

/**
 * The file --out writes: checked to be writable (src/node/files.ts writableTarget) and not the
 * model's own data set, which the trained model would otherwise replace.
 */
async function outTarget(out: string, cwd: string, model: ModelFile, modelFile: string, dataOverride: string | undefined): Promise<string> {
  let target: string;
  try {
    target = await writableTarget(out.trim() === '' ? '' : path.resolve(cwd, out));
  } catch (err) {
    if (err instanceof FileError) throw new CliError(`--out: ${err.message}`);
    throw err;
  }
  const dataPath = dataOverride !== undefined ? path.resolve(cwd, dataOverride) : model.data?.path !== undefined ? path.resolve(path.dirname(modelFile), model.data.path) : undefined;
  if (dataPath !== undefined) {
    const real = await fsp.realpath(dataPath).catch(() => dataPath);
    if (real === target) throw new CliError(`--out ${out} is the model's data set; the trained model would replace it. Write it elsewhere`);
  }
  return target;
}

/** The model with its relative data path rewritten to be relative to `target`'s folder, so the written model trains again from there. */
function relocated(model: ModelFile, modelFile: string, target: string): ModelFile {
  const p = model.data?.path;
  if (p === undefined || path.isAbsolute(p) || path.dirname(path.resolve(modelFile)) === path.dirname(target)) return model;
  const moved = path.relative(path.dirname(target), path.resolve(path.dirname(modelFile), p)).split(path.sep).join('/');
  return { ...model, data: { ...model.data, path: moved } };
}

/**
 * Why the loss went non-finite, as the extension says it: the first layer (in forward order)
 * whose W, b, z or a is NaN or ±∞ on the training set, and the cause to change: the weight decay
 * when η·λ ≥ 2 (then w ← w(1 − ηλ) grows by itself, whatever the gradient), else the learning rate.
 */
function divergenceMessage(run: { copyParametersOut(): void }, net: Network, model: ModelFile, data: PreparedData, loss: number, epoch: number): string {
  run.copyParametersOut();
  const samples = samplesOf(data.train, data.nIn, data.nOut);
  const pass = forward(net, samples.x);
  const m = data.train.rows;
  const batch = model.optimizer?.batchSize ?? 0;
  const steps = epoch * (batch > 0 && batch < m ? Math.ceil(m / batch) : 1);
  const { message } = describeDivergence(loss, epoch, steps, findNonFiniteLayer(net, pass), pass);
  const h = effectiveHyperparameters(model.optimizer);
  const decay = h.optimizer === 'sgd' && h.learningRate * h.weightDecay >= 2;
  return decay
    ? `${message} The cause is the weight decay: η·λ = ${h.learningRate * h.weightDecay} ≥ 2, so each step multiplies W by 1 − ηλ = ${1 - h.learningRate * h.weightDecay}; lower λ (optimizer.weightDecay).`
    : `${message} The cause is the learning rate η = ${h.learningRate}${h.weightDecay > 0 ? ` (the weight decay λ = ${h.weightDecay} is not: η·λ < 2)` : ''}; lower optimizer.learningRate.`;
}
