/**
 * The host's side of a training run: it spawns the training worker, sends it commands, and
 * keeps the truth the panel is drawn from, namely the model (with the hyperparameters in
 * force), the latest snapshot and the loss history (bounded: the worker thins older epochs, see
 * src/training/epochHistory.ts, and sends the change). No `vscode` import, so it runs under
 * plain mocha; the extension wraps it.
 *
 * Every command returns a promise that settles when the worker has carried it out (or refused
 * it), and the worker posts its snapshot before its answer: after `await session.pause()`,
 * `session.snapshot` is the paused state.
 */
import { applyHistoryDelta } from './epochHistory';
import { Worker } from 'node:worker_threads';
import type { ModelFile } from '../model/modelFile';
import type { EpochRecord, GradCheckView, Hyperparameters, LayerParameterData, ParameterEdit, ParametersMessage, RunState, SessionInfo, SplitName, StepAction, StepSample, SteppingView, TrainingData, TrainingPrecision, TrainingSnapshot, WorkerCommand, WorkerGradCheckMessage, WorkerLossGraphMessage, WorkerSteppingMessage, WorkerToHostMessage } from './workerProtocol';
import { Emitter, type Event } from './Emitter';
import { applyHyperparameters } from './hyperparameters';

/** While training, the host copies the parameters out of the worker this often (TrainingSession.lastParameters). */
export const CHECKPOINT_MS = 10_000;

/** How a session is created. */
export interface TrainingSessionOptions {
  /** The compiled worker script: dist/trainingWorker.js in the extension, out/… in tests. */
  readonly workerPath: string;
  /** The most snapshots per second while training. Default 20. */
  readonly snapshotsPerSecond?: number;
  /**
   * The arithmetic of training: 'float32' (default) runs the fast path, as the CLI's `train`
   * does; 'float64' runs the engine itself, bit for bit the engine's own loop. Inspection is
   * float64 either way.
   */
  readonly precision?: TrainingPrecision;
  /** Threads a float32 run trains on (src/fast/threads.ts). Default 1. */
  readonly threads?: number;
  /**
   * Transfer the data's typed arrays to the worker instead of copying them (default true). A
   * transferred array is detached on the host (its length becomes 0): pass false to keep using
   * the data here. Later `load`s without data reuse the worker's copy either way.
   */
  readonly transferData?: boolean;
}

/** The data to train on: `PreparedData` fits as it is; its `normalization` is kept for Save Model. */
export type SessionData = TrainingData;

/** The answer of `getParameters`: layers[l − 1] holds W[l] (row-major) and b[l]. */
export interface TrainedParameters {
  readonly epoch: number;
  readonly step: number;
  readonly layers: LayerParameterData[];
}

/** What the stepper did: its state after the action, and why the action was refused, if it was. */
export interface SteppingOutcome {
  readonly stepping?: SteppingView;
  readonly problem?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** One worker, one model at a time. */
export class TrainingSession {
  private readonly worker: Worker;
  private readonly options: TrainingSessionOptions;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private loadGeneration = 0;
  private disposed = false;
  private readonly exited: Promise<void>;

  private currentState: RunState = 'idle';
  private currentSnapshot: TrainingSnapshot | undefined;
  private currentModel: ModelFile | undefined;
  private currentInfo: SessionInfo | undefined;
  private history: EpochRecord[] = [];
  private normalization: unknown;
  private errorMessage: string | undefined;
  private currentStepping: SteppingView | undefined;
  private checkpoint: TrainedParameters | undefined;
  /** When the last checkpoint was asked for (performance.now()), and whether it is on its way. */
  private checkpointAt = -Infinity;
  private checkpointing = false;

  private readonly snapshotEmitter = new Emitter<TrainingSnapshot>();
  private readonly stateEmitter = new Emitter<RunState>();
  private readonly errorEmitter = new Emitter<string>();
  private readonly steppingEmitter = new Emitter<SteppingView | undefined>();

  /** Every snapshot, with the (bounded) history, as the worker sends them (throttled). */
  readonly onSnapshot: Event<TrainingSnapshot> = this.snapshotEmitter.event;
  /** Every change of state, including the host's own `loading` and `error`. */
  readonly onStateChange: Event<RunState> = this.stateEmitter.event;
  /** A failure of the worker or of loading, as a message for the user. */
  readonly onError: Event<string> = this.errorEmitter.event;
  /** The stepper's state changed: a step, a new sample, or the worker recomputed it after training. */
  readonly onStepping: Event<SteppingView | undefined> = this.steppingEmitter.event;

  constructor(options: TrainingSessionOptions) {
    this.options = options;
    this.worker = new Worker(options.workerPath);
    this.worker.on('message', (msg: WorkerToHostMessage) => this.receive(msg));
    this.worker.on('error', (err) => this.fail(`the training worker failed: ${err.message}`));
    this.worker.on('messageerror', (err) => this.fail(`a message from the training worker could not be read: ${err.message}`));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.rejectAll(new Error('the training worker has exited'));
        if (!this.disposed) this.fail(`the training worker exited unexpectedly (code ${code})`);
        resolve();
      });
    });
  }

  /** `idle` before the first load; see RunState. */
  get state(): RunState {
    return this.currentState;
  }

  /** The latest snapshot, or undefined before the first load has finished. */
  get snapshot(): TrainingSnapshot | undefined {
    return this.currentSnapshot;
  }

  /**
   * The parameters as the worker last copied them out: at every rest (paused, stopped, a step)
   * and every CHECKPOINT_MS while training. Snapshots carry only what the panel draws, so this is
   * what a restart after a worker failure starts from; its `step` says how recent it is.
   */
  get lastParameters(): TrainedParameters | undefined {
    return this.checkpoint;
  }

  /** The stepper's state as the worker last sent it (undefined before the first step). */
  get stepping(): SteppingView | undefined {
    return this.currentStepping;
  }

  /** The model as loaded, with hyperparameter edits applied: what Save Model writes. */
  get model(): ModelFile | undefined {
    return this.currentModel;
  }

  /** Sizes, task, names and split sizes of the loaded model and data. */
  get info(): SessionInfo | undefined {
    return this.currentInfo;
  }

  /** The worker failure or load error that put the session in `error`. */
  get error(): string | undefined {
    return this.errorMessage;
  }

  /**
   * Loads a model and its data into the worker (the state is `loading` meanwhile), replacing
   * whatever was loaded, and resolves when the network is ready. `data` may be the promise
   * `loadData` returns; if it rejects, the state becomes `error` with its message. Without
   * `data` the worker keeps the data it has (an architecture change on the same data set).
   */
  async load(model: ModelFile, data?: SessionData | Promise<SessionData>): Promise<SessionInfo> {
    const generation = ++this.loadGeneration;
    this.errorMessage = undefined;
    this.setState('loading');
    let resolved: SessionData | undefined;
    try {
      resolved = await data;
    } catch (err) {
      if (generation === this.loadGeneration) this.fail((err as Error).message ?? String(err));
      throw err;
    }
    if (this.disposed) throw new Error('the training session was disposed');
    if (generation !== this.loadGeneration) throw new Error('a later load replaced this one');
    const payload: TrainingData | undefined = resolved && {
      task: resolved.task,
      inputNames: resolved.inputNames,
      outputNames: resolved.outputNames,
      ...(resolved.classes ? { classes: resolved.classes } : {}),
      nIn: resolved.nIn,
      nOut: resolved.nOut,
      train: splitOnly(resolved.train),
      ...(resolved.validation ? { validation: splitOnly(resolved.validation) } : {}),
      ...(resolved.test ? { test: splitOnly(resolved.test) } : {}),
      ...(resolved.normalization ? { normalization: resolved.normalization } : {}),
    };
    const transfer = payload && this.options.transferData !== false ? transferables(payload) : [];
    // The snapshot of the new network starts a new history (historyStart 0).
    const info = (await this.request(
      { type: 'init', id: this.nextId++, model, ...(payload ? { data: payload } : {}), options: { snapshotsPerSecond: this.options.snapshotsPerSecond ?? 20, precision: this.options.precision ?? 'float32', threads: this.options.threads ?? 1 } },
      transfer,
    )) as SessionInfo;
    if (resolved) this.normalization = resolved.normalization;
    this.currentModel = model;
    this.currentInfo = info;
    return info;
  }

  /** Trains `epochs` more epochs (default: the model's `optimizer.epochs`, else 100). */
  start(epochs?: number): Promise<RunState> {
    return this.command({ type: 'train', id: this.nextId++, ...(epochs !== undefined ? { epochs } : {}) });
  }

  pause(): Promise<RunState> {
    return this.command({ type: 'pause', id: this.nextId++ });
  }

  resume(): Promise<RunState> {
    return this.command({ type: 'resume', id: this.nextId++ });
  }

  /** Ends the run, keeping the weights and the history. */
  stop(): Promise<RunState> {
    return this.command({ type: 'stop', id: this.nextId++ });
  }

  /** Stops and re-initializes from the model's `init`; epoch, step and history restart at 0. */
  resetWeights(): Promise<RunState> {
    return this.command({ type: 'resetWeights', id: this.nextId++ });
  }

  /** Chooses the sample whose z[l], a[l] the snapshots carry. */
  selectSample(index: number, split: SplitName = 'train'): Promise<RunState> {
    return this.command({ type: 'selectSample', id: this.nextId++, index, split });
  }

  /** Chooses the two inputs the decision map of a model of more than 2 inputs is drawn over. */
  setMapAxes(axes: readonly [number, number]): Promise<RunState> {
    return this.command({ type: 'setMapAxes', id: this.nextId++, axes });
  }

  /** Changes hyperparameters from the next batch on; the model follows once the worker accepts. */
  async setHyperparameters(hyperparameters: Hyperparameters): Promise<RunState> {
    const state = await this.command({ type: 'setHyperparameters', id: this.nextId++, hyperparameters });
    if (this.currentModel) this.currentModel = { ...this.currentModel, optimizer: applyHyperparameters(this.currentModel.optimizer, hyperparameters) };
    return state;
  }

  /** One stepping action on the live network (a run pauses first); see StepMessage. */
  async step(action: StepAction): Promise<SteppingOutcome> {
    return this.steppingReply(await this.request({ type: 'step', id: this.nextId++, action }));
  }

  /** Steps this sample from now on (a training row also becomes the snapshots' sample). */
  async stepSample(sample: StepSample): Promise<SteppingOutcome> {
    return this.steppingReply(await this.request({ type: 'stepSample', id: this.nextId++, sample }));
  }

  /** Sets one parameter by hand (a run pauses first); see SetParameterMessage. */
  async setParameter(edit: ParameterEdit): Promise<SteppingOutcome> {
    return this.steppingReply(await this.request({ type: 'setParameter', id: this.nextId++, edit }));
  }

  /** Backprop against finite differences on the current parameters and the stepped sample (a run pauses first). */
  async gradientCheck(): Promise<GradCheckView> {
    const reply = (await this.request({ type: 'gradCheck', id: this.nextId++ })) as WorkerGradCheckMessage;
    if (!reply.gradCheck) throw new Error(reply.problem ?? 'no gradient check');
    return reply.gradCheck;
  }

  /** The current network's loss for the stepped sample as an expression, or why it cannot be drawn. */
  async lossGraph(): Promise<{ expression: string; values: Record<string, number> } | string> {
    const reply = (await this.request({ type: 'lossGraph', id: this.nextId++ })) as WorkerLossGraphMessage;
    return reply.expression !== undefined && reply.values ? { expression: reply.expression, values: reply.values } : (reply.problem ?? 'no loss graph');
  }

  private steppingReply(reply: unknown): SteppingOutcome {
    const m = reply as WorkerSteppingMessage;
    return { ...(m.stepping ? { stepping: m.stepping } : {}), ...(m.problem ? { problem: m.problem } : {}) };
  }

  /**
   * Asks for the parameters when the snapshot's are not in the checkpoint: at rest, or while
   * training once CHECKPOINT_MS have passed (one copy of the parameters every 10 s, where the
   * snapshots used to carry one 20 times a second).
   */
  private keepCheckpoint(snapshot: TrainingSnapshot): void {
    const c = this.checkpoint;
    if (this.checkpointing || (c && c.step === snapshot.step && c.epoch === snapshot.epoch)) return;
    if (snapshot.state === 'training' && performance.now() - this.checkpointAt < CHECKPOINT_MS) return;
    this.checkpointing = true;
    this.checkpointAt = performance.now();
    this.getParameters().then(
      (p) => {
        this.checkpoint = p;
        this.checkpointing = false;
      },
      () => (this.checkpointing = false),
    );
  }

  /** The current parameters, copied out of the worker. */
  async getParameters(): Promise<TrainedParameters> {
    const reply = (await this.request({ type: 'getParameters', id: this.nextId++ })) as ParametersMessage;
    return { epoch: reply.epoch, step: reply.step, layers: reply.layers };
  }

  /**
   * The model with the current parameters (and the data's normalization, as the CLI's
   * `train --out` stores it), ready for `serializeModel` and an atomic write.
   */
  async trainedModel(): Promise<ModelFile> {
    const model = this.currentModel;
    if (!model) throw new Error('no model is loaded');
    const { layers } = await this.getParameters();
    const parameters = layers.map((p) => {
      const nOut = p.b.length;
      const W: number[][] = [];
      for (let i = 0; i < p.W.length / nOut; i++) W.push(Array.from(p.W.subarray(i * nOut, (i + 1) * nOut)));
      return { W, b: Array.from(p.b) };
    });
    return { ...model, ...(this.normalization !== undefined ? { normalization: this.normalization } : {}), parameters };
  }

  /**
   * Resolves with the first snapshot (the current one included) for which `test` holds; rejects
   * when the session fails or is disposed first, or after `timeoutMs`.
   */
  waitFor(test: (snapshot: TrainingSnapshot) => boolean, timeoutMs = 30_000): Promise<TrainingSnapshot> {
    if (this.currentSnapshot && test(this.currentSnapshot)) return Promise.resolve(this.currentSnapshot);
    return new Promise((resolve, reject) => {
      const subscriptions = [
        this.onSnapshot((s) => {
          if (test(s)) finish(() => resolve(s));
        }),
        this.onStateChange((state) => {
          if (state === 'error') finish(() => reject(new Error(this.errorMessage ?? 'the training session failed')));
        }),
      ];
      const timer = setTimeout(() => finish(() => reject(new Error(`no matching snapshot within ${timeoutMs} ms (state ${this.currentState})`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        subscriptions.forEach((s) => s.dispose());
        settle();
      };
    });
  }

  /**
   * Terminates the worker (mid-batch if it is training) and resolves once it has exited; nothing
   * keeps running afterwards. Safe to call twice.
   */
  async dispose(): Promise<void> {
    if (!this.disposed) {
      this.disposed = true;
      this.loadGeneration++;
      this.rejectAll(new Error('the training session was disposed'));
      await this.worker.terminate();
      this.snapshotEmitter.dispose();
      this.stateEmitter.dispose();
      this.errorEmitter.dispose();
      this.steppingEmitter.dispose();
    }
    await this.exited;
  }

  private command(message: WorkerCommand): Promise<RunState> {
    return this.request(message) as Promise<RunState>;
  }

  private request(message: WorkerCommand, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Error('the training session was disposed'));
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  private settle(id: number, outcome: { value: unknown } | { error: Error }): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(outcome.value);
  }

  private receive(msg: WorkerToHostMessage): void {
    if (this.disposed) return;
    switch (msg.type) {
      case 'snapshot': {
        applyHistoryDelta(this.history, msg.historyStart, msg.newEpochs);
        // Each snapshot gets its own history array, so that one a listener keeps never changes;
        // the history is bounded (HISTORY_BOUND records), so this copy costs the same at any epoch.
        const snapshot: TrainingSnapshot = { ...msg.snapshot, history: this.history.slice() };
        this.currentSnapshot = snapshot;
        // Taken: the worker may send the next throttled one.
        this.worker.postMessage({ type: 'snapshotAck' });
        this.setState(snapshot.state);
        this.snapshotEmitter.fire(snapshot);
        this.keepCheckpoint(snapshot);
        break;
      }
      case 'ready':
        this.settle(msg.id, { value: msg.info });
        break;
      case 'done':
        this.setState(msg.state);
        this.settle(msg.id, { value: msg.state });
        break;
      case 'rejected':
        this.settle(msg.id, { error: new Error(msg.reason) });
        break;
      case 'parameters':
      case 'gradCheck':
      case 'lossGraph':
        this.settle(msg.id, { value: msg });
        break;
      case 'stepping':
        this.currentStepping = msg.stepping;
        this.steppingEmitter.fire(msg.stepping);
        if (msg.id !== undefined) this.settle(msg.id, { value: msg });
        break;
      case 'error': {
        const err = new Error(msg.message);
        if (msg.stack) err.stack = msg.stack;
        if (msg.id !== undefined) this.settle(msg.id, { error: err });
        this.fail(msg.message);
        break;
      }
      default: {
        const unknown: never = msg;
        this.fail(`unknown message from the training worker: ${JSON.stringify((unknown as { type?: unknown }).type)}`);
      }
    }
  }

  private setState(state: RunState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  private fail(message: string): void {
    this.errorMessage = message;
    this.setState('error');
    if (this.currentSnapshot) {
      // The panel draws snapshots: give it one that says what went wrong.
      this.currentSnapshot = { ...this.currentSnapshot, state: 'error', error: message };
      this.snapshotEmitter.fire(this.currentSnapshot);
    }
    this.errorEmitter.fire(message);
  }

  private rejectAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function splitOnly(split: { x: Float64Array; y: Float64Array; rows: number }): { x: Float64Array; y: Float64Array; rows: number } {
  return { x: split.x, y: split.y, rows: split.rows };
}

/** The distinct buffers under the data's typed arrays (shared memory is not transferable). */
function transferables(data: TrainingData): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const s of [data.train, data.validation, data.test]) {
    if (!s) continue;
    for (const a of [s.x, s.y]) if (a.buffer instanceof ArrayBuffer) set.add(a.buffer);
  }
  return [...set];
}
