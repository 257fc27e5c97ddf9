/**
 * The training worker: a `worker_threads` entry (bundled to dist/trainingWorker.js) that owns
 * the live network while it trains, so that the extension host's event loop never runs a batch.
 *
 * Training runs in chunks of a few milliseconds; between chunks the worker yields to its event
 * loop (setImmediate), which is when messages are delivered, so pause and stop take effect
 * within about one chunk. Snapshots are throttled by time and by acknowledgement: at most
 * `snapshotsPerSecond`, and no new throttled one until the host has taken the previous one, so a
 * busy host sees fewer snapshots rather than a backlog. Pausing, stopping, the end of a run and
 * divergence always post one.
 *
 * No `vscode` here, and every failure becomes an `error` message: an exception in a worker that
 * nobody reports is a panel that silently stops moving.
 */
import { parentPort } from 'node:worker_threads';
import type { BatchSnapshot, ConfusionSnapshot, PanelFigures, Divergence, DistributionsSnapshot, EpochRecord, HostToWorkerMessage, LayerParameterData, RunState, SessionInfo, TrainingData, TrainingPrecision, WorkerSnapshotMessage, WorkerToHostMessage } from './workerProtocol';
import { effectiveHyperparameters } from './hyperparameters';
import { batchSnapshot, confusionSnapshot, distributionsSnapshot, layerSnapshots, sampleSnapshot } from './snapshot';
import { Stepping } from './Stepping';
import { FigureGrids, panelFigures } from './figures';
import { lossTrend } from '../analysis/lossTrend';
import { Trainer } from './Trainer';
import { enableRelaxedSimd } from '../node/relaxedSimd';

/** How long one chunk of batches may run before the worker looks at its messages again. */
const CHUNK_MS = 8;
/** A throttled snapshot the host has not acknowledged for this long is taken as lost. */
const ACK_TIMEOUT_MS = 1000;
/**
 * While training, the distributions are recomputed at most this often (the panel redraws its
 * insights at most 4 times a second) and, on big networks, at most 1/DISTRIBUTIONS_SHARE of the
 * time: so they never cost training more than about a tenth of its speed.
 */
const DISTRIBUTIONS_MIN_INTERVAL_MS = 250;
const DISTRIBUTIONS_SHARE = 10;

// Before any network is built: the fast path's fused multiply-add kernels where the extension
// host is Node 20 (code-server); desktop VS Code's Electron has them already.
enableRelaxedSimd();

const port = parentPort;
if (!port) throw new Error('trainingWorker.js runs in a worker thread (new Worker(path)), not as a script');

let trainer: Trainer | undefined;
/** The decision map's grids over the trainer's data, and the two inputs the panel maps. */
let grids: FigureGrids | undefined;
let mapAxes: readonly [number, number] = [0, 1];
/** The inspector's stepper over `trainer`'s network. */
let stepping: Stepping | undefined;
let data: TrainingData | undefined;
let state: RunState = 'idle';
let targetEpoch = 0;
let divergence: Divergence | undefined;
let snapshotIntervalMs = 1000 / 20;
/** The arithmetic runs train in; an init's options may change it. */
let precision: TrainingPrecision = 'float32';
/** Threads a float32 run trains on (the host's mlpInspector.trainingThreads, resolved). */
let threads = 1;
let lastSnapshotAt = -Infinity;
let snapshotInFlight = false;
/** The insights sent last (distributions, confusion matrix), when they were computed and how long that took. */
let insights: { data: Insights; at: number; ms: number } | undefined;

/**
 * What the worker computes from whole rows of data for the panel's insight cards: the activation
 * heatmaps (32 rows forwarded), the distributions (32 rows forwarded and backpropagated) and the
 * confusion matrix (the last epoch's evaluation while training; a pass over the split at rest).
 */
interface Insights {
  readonly figures: PanelFigures;
  readonly batch: BatchSnapshot;
  readonly distributions: DistributionsSnapshot;
  readonly confusion?: ConfusionSnapshot;
}
/** Throughput is measured from this mark to the next snapshot. */
let rateMark = { time: 0, samples: 0 };
let pumpScheduled = false;

function post(message: WorkerToHostMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function errorText(err: unknown): { message: string; stack?: string } {
  return err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
}

/** The worker cannot go on: say why, and stop training until the next `init`. */
function fail(err: unknown, id?: number): void {
  state = 'error';
  post({ type: 'error', ...(id !== undefined ? { id } : {}), ...errorText(err) });
}

/** Buffers of the typed arrays in `arrays`, each once (a buffer listed twice cannot be transferred). */
function buffersOf(arrays: Iterable<{ buffer: ArrayBufferLike }>): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) set.add(a.buffer);
  return [...set];
}

/**
 * The heatmaps, the distributions and the confusion matrix of the current weights; while
 * training, those of a moment ago when they were computed recently (see
 * DISTRIBUTIONS_MIN_INTERVAL_MS: they forward whole rows, so together they are held to a share of
 * the worker's time), and the confusion matrix of the last completed epoch (its evaluation
 * counted it). Any other snapshot (paused, stopped, stepped, reset) gets fresh ones. Each says
 * the epoch and step it is of. Never transferred, since they may be sent again.
 */
function currentInsights(t: Trainer, now: number): Insights {
  const d = insights;
  if (d && state === 'training' && now - d.at < Math.max(DISTRIBUTIONS_MIN_INTERVAL_MS, DISTRIBUTIONS_SHARE * d.ms)) return d.data;
  // Of the very weights (a forward or backward step, a new sample or a pause changes none):
  // nothing to compute again.
  if (d && state !== 'training' && d.data.distributions.step === t.step && d.data.distributions.epoch === t.epoch) return d.data;
  // While training, the last epoch's counts (none yet in the first epoch); at rest, of these very weights.
  const counts = state === 'training' ? t.confusion : t.confusionNow();
  const data: Insights = {
    figures: panelFigures(t.net, t.model, t.data, grids!, mapAxes, t.epoch, t.step),
    batch: batchSnapshot(t.net, t.data.train, t.epoch, t.step),
    distributions: distributionsSnapshot(t.net, t.data.train, t.epoch, t.step),
    ...(counts ? { confusion: confusionSnapshot(counts, t.data) } : {}),
  };
  insights = { data, at: now, ms: performance.now() - now };
  return data;
}

function postSnapshot(now = performance.now()): void {
  const t = trainer;
  if (!t) return;
  let samplesPerSecond = 0;
  if (state === 'training') {
    const seconds = (now - rateMark.time) / 1000;
    samplesPerSecond = seconds > 0 ? (t.samplesSeen - rateMark.samples) / seconds : 0;
  }
  rateMark = { time: now, samples: t.samplesSeen };
  const sel = t.selected;
  const layers = layerSnapshots(t.net);
  const sample = sampleSnapshot(t.net, sel.split, t.split(sel.split) ?? t.data.train, sel.index);
  // What the host lacks: the new records, or, after a compaction thinned older epochs, everything
  // from the first record it rewrote (bounded by the history's bound). A new Trainer or a reset
  // starts a new history, whose first delta starts at 0.
  const history = t.history.delta();
  const { figures, batch, distributions, confusion } = currentInsights(t, now);
  const batchLosses = t.batchLosses.view();
  const trend = lossTrend(t.history.records);
  const message: WorkerSnapshotMessage = {
    type: 'snapshot',
    snapshot: {
      state,
      epoch: t.epoch,
      targetEpoch,
      step: t.step,
      samplesPerSecond,
      arithmetic: t.arithmetic,
      hyperparameters: effectiveHyperparameters(t.model.optimizer),
      layers,
      sample,
      batch,
      batchLosses,
      figures,
      ...(trend ? { trend } : {}),
      distributions,
      ...(confusion ? { confusion } : {}),
      ...(divergence ? { divergence } : {}),
      ...(t.earlyStop ? { earlyStop: t.earlyStop } : {}),
      ...(t.bestRecord ? { bestEpoch: withoutLayerStats(t.bestRecord) } : {}),
    },
    historyStart: history.start,
    newEpochs: history.records,
  };
  lastSnapshotAt = now;
  snapshotInFlight = true;
  post(
    message,
    buffersOf([...layers.flatMap((l) => [l.b, l.edges.W, ...(l.W ? [l.W] : []), ...(l.weightCells ? [l.weightCells.data] : [])]), ...sample.z, ...sample.a, sample.y, batchLosses.epoch, batchLosses.loss]),
  );
  // Once training rests, a ledger of older parameters is recomputed on the current ones.
  if (state !== 'training' && stepping?.refresh()) post({ type: 'stepping', stepping: stepping.view() });
}

/** A record without its layer statistics: they are the history's, not needed twice. */
function withoutLayerStats(record: EpochRecord): EpochRecord {
  const { layerStats: _omitted, ...rest } = record;
  return rest;
}

/** Stepping, the gradient check and Save Model act on a network at rest: pause a run first. */
function pauseForInspection(): void {
  if (state === 'training') state = 'paused';
}

/** A snapshot if the throttle allows one now. */
function maybeSnapshot(): void {
  const now = performance.now();
  if (now - lastSnapshotAt < snapshotIntervalMs) return;
  if (snapshotInFlight && now - lastSnapshotAt < ACK_TIMEOUT_MS) return;
  postSnapshot(now);
}

/**
 * Finishes an end-of-epoch evaluation that a pause left half done (see Trainer), and acts on its
 * outcome as the pump would have: a non-finite loss halts the run, and the run's last epoch ends it.
 */
function settleEpoch(t: Trainer): void {
  const outcome = t.finishEpoch();
  if (outcome?.kind === 'diverged') {
    state = 'diverged';
    divergence = outcome.divergence;
  } else if (outcome?.kind === 'epoch' && (t.epoch >= targetEpoch || outcome.earlyStop) && state === 'paused') {
    state = 'stopped';
  }
}

function schedule(): void {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setImmediate(pump);
}

/** One chunk of training: batches until CHUNK_MS have passed, the run ends, or it diverges. */
function pump(): void {
  pumpScheduled = false;
  const t = trainer;
  if (state !== 'training' || !t) return;
  const until = performance.now() + CHUNK_MS;
  try {
    do {
      const outcome = t.runBatch();
      if (outcome.kind === 'diverged') {
        state = 'diverged';
        divergence = outcome.divergence;
        postSnapshot();
        return;
      }
      if (outcome.kind === 'epoch' && (t.epoch >= targetEpoch || outcome.earlyStop)) {
        state = 'stopped';
        postSnapshot();
        return;
      }
    } while (performance.now() < until);
  } catch (err) {
    fail(err);
    return;
  }
  maybeSnapshot();
  schedule();
}

function info(t: Trainer): SessionInfo {
  const d = t.data;
  return {
    sizes: [...t.net.sizes],
    task: d.task,
    inputNames: d.inputNames,
    outputNames: d.outputNames,
    ...(d.classes ? { classes: d.classes } : {}),
    rows: { train: d.train.rows, validation: d.validation?.rows ?? 0, test: d.test?.rows ?? 0 },
  };
}

function handle(msg: HostToWorkerMessage): void {
  if (msg.type === 'snapshotAck') {
    snapshotInFlight = false;
    return;
  }
  if (msg.type === 'init') {
    const useData = msg.data ?? data;
    if (!useData) throw new Error('no data: the first init must carry the data');
    const previous = trainer?.selected;
    if (msg.options?.precision) precision = msg.options.precision;
    if (msg.options?.threads !== undefined) threads = msg.options.threads;
    const next = new Trainer(msg.model, useData, precision, undefined, threads);
    data = useData;
    trainer?.dispose(); // its threads, if it has any
    trainer = next;
    grids = new FigureGrids(msg.model, useData);
    if (mapAxes.some((k) => k >= useData.nIn)) mapAxes = [0, 1];
    if (previous) next.selectSample(previous.index, previous.split);
    stepping = new Stepping(next);
    insights = undefined;
    const rate = msg.options?.snapshotsPerSecond;
    if (rate !== undefined && rate > 0) snapshotIntervalMs = 1000 / rate;
    state = 'idle';
    targetEpoch = 0;
    divergence = undefined;
    // The snapshot goes first, so that the host has one when its `load` resolves.
    postSnapshot();
    post({ type: 'stepping' });
    post({ type: 'ready', id: msg.id, info: info(next) });
    return;
  }
  const t = trainer;
  const st = stepping;
  const reject = (reason: string) => post({ type: 'rejected', id: msg.id, reason });
  if (!t || !st) return reject('no model is loaded');
  switch (msg.type) {
    case 'train': {
      if (state === 'training') return reject('already training');
      if (state === 'error') return reject('the worker failed; load the model again');
      const epochs = msg.epochs ?? t.model.optimizer?.epochs ?? 100;
      if (!Number.isInteger(epochs) || epochs < 1) return reject(`the number of epochs must be a whole number ≥ 1, not ${epochs}`);
      const problem = t.startRun();
      if (problem) return reject(problem);
      targetEpoch = t.epoch + epochs;
      t.statsEpoch = targetEpoch;
      state = 'training';
      divergence = undefined;
      rateMark = { time: performance.now(), samples: t.samplesSeen };
      schedule();
      break;
    }
    case 'pause':
      if (state !== 'training') return reject(`nothing to pause: the run is ${state}`);
      state = 'paused';
      postSnapshot();
      break;
    case 'resume':
      if (state !== 'paused') return reject(`nothing to resume: the run is ${state}`);
      state = 'training';
      rateMark = { time: performance.now(), samples: t.samplesSeen };
      schedule();
      break;
    case 'stop':
      if (state === 'training' || state === 'paused') {
        state = 'stopped';
        settleEpoch(t);
        postSnapshot();
      }
      break;
    case 'resetWeights':
      t.resetWeights();
      st.forget();
      insights = undefined;
      state = 'idle';
      targetEpoch = 0;
      divergence = undefined;
      postSnapshot();
      post({ type: 'stepping' });
      break;
    case 'selectSample': {
      const problem = t.selectSample(msg.index, msg.split);
      if (problem) return reject(problem);
      // While training the next throttled snapshot shows it; otherwise nothing else would.
      if (state !== 'training') postSnapshot();
      break;
    }
    case 'setMapAxes': {
      const [a, b] = msg.axes;
      const n = t.data.nIn;
      if (![a, b].every((k) => Number.isInteger(k) && k >= 0 && k < n) || a === b) return reject(`a decision map's axes are two different inputs from 0 to ${n - 1}, not ${a} and ${b}`);
      mapAxes = [a, b];
      insights = undefined;
      if (state !== 'training') postSnapshot();
      break;
    }
    case 'setHyperparameters': {
      const problem = t.setHyperparameters(msg.hyperparameters);
      if (problem) return reject(problem);
      if (state !== 'training') postSnapshot();
      break;
    }
    case 'step': {
      if (state === 'error') return reject('the worker failed; load the model again');
      pauseForInspection();
      settleEpoch(t);
      const problem = st.act(msg.action);
      // An undo may bring back a step count whose weights were others (an undone edit, then a new one).
      if (msg.action === 'undo' && !problem) insights = undefined;
      postSnapshot();
      post({ type: 'stepping', id: msg.id, stepping: st.view(), ...(problem ? { problem } : {}) });
      return;
    }
    case 'stepSample': {
      const problem = st.useSample(msg.sample);
      if (!problem && state !== 'training') postSnapshot();
      post({ type: 'stepping', id: msg.id, stepping: st.view(), ...(problem ? { problem } : {}) });
      return;
    }
    case 'setParameter': {
      if (state === 'error') return reject('the worker failed; load the model again');
      pauseForInspection();
      settleEpoch(t);
      const problem = st.edit(msg.edit);
      if (!problem) insights = undefined;
      postSnapshot();
      post({ type: 'stepping', id: msg.id, stepping: st.view(), ...(problem ? { problem } : {}) });
      return;
    }
    case 'gradCheck': {
      pauseForInspection();
      settleEpoch(t);
      postSnapshot();
      post({ type: 'gradCheck', id: msg.id, gradCheck: st.gradientCheck() });
      return;
    }
    case 'lossGraph': {
      const graph = st.lossGraph();
      post(typeof graph === 'string' ? { type: 'lossGraph', id: msg.id, problem: graph } : { type: 'lossGraph', id: msg.id, expression: graph.expression, values: graph.values });
      return;
    }
    case 'getParameters': {
      // What is saved is a whole epoch, counted: finish its evaluation if a pause interrupted it.
      if (state !== 'training') settleEpoch(t);
      const layers: LayerParameterData[] = t.net.layers.map((layer) => ({ W: new Float64Array(layer.W.data), b: new Float64Array(layer.b) }));
      post({ type: 'parameters', id: msg.id, epoch: t.epoch, step: t.step, layers }, buffersOf(layers.flatMap((l) => [l.W, l.b])));
      return;
    }
    default: {
      const unknown: never = msg;
      throw new Error(`unknown message ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
  post({ type: 'done', id: msg.id, state });
}

port.on('message', (msg: HostToWorkerMessage) => {
  try {
    handle(msg);
  } catch (err) {
    fail(err, 'id' in msg ? msg.id : undefined);
  }
});
