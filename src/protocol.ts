/**
 * The one protocol between the extension host, the training worker and the inspector's webviews:
 * every message both ways, and the snapshot the panel draws.
 *
 * Types only. The host, the worker bundle and the webview bundle all import this file, so it may
 * not import `vscode`, touch the DOM or hold runtime code (the imports below are `import type`
 * and vanish when compiled). Only plain data crosses a boundary (structured clone): numbers,
 * strings, booleans, arrays, plain objects and typed arrays; never class instances.
 *
 * Every message carries a string-literal `type`; each receiver switches on it exhaustively and
 * ends in a `never` check, so adding a message here is a compile error until both sides handle it.
 *
 * Indices follow the lecture: layer l = 1..L reads a[l−1] and writes a[l]; a[0] = x. Arrays
 * indexed by l keep an empty placeholder at index 0 where layer 0 has no such value (z[0]).
 */
import type { ActivationName } from './engine/activations';
import type { OptimizerName } from './engine/optimizers';
import type { ModelFile } from './model/modelFile';
import type { StepperSnapshot } from './engine/stepper';
import type { DistributionSnapshot, Histogram } from './analysis/histograms';
import type { LayerStats } from './analysis/layerStats';

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Shared pieces
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Where a training run is. `loading` is the host's own state while the data loads (the worker
 * has nothing yet); every other state comes from the worker.
 *
 * - `idle`: a network is ready and has not trained since it was loaded or reset.
 * - `training`: epochs are running.
 * - `paused`: a run was interrupted and `resume` continues it.
 * - `stopped`: a run ended (stopped, or all its epochs done); `train` starts another from here.
 * - `diverged`: the loss became NaN or ±∞; training halted before applying that step.
 * - `error`: the worker failed or could not start; the message says why.
 */
export type RunState = 'idle' | 'loading' | 'training' | 'paused' | 'stopped' | 'diverged' | 'error';

/** Which split of the prepared data a sample index refers to. */
export type SplitName = 'train' | 'validation' | 'test';

/** One split as row-major matrices: x is rows × nIn, y is rows × nOut (as in `PreparedData`). */
export interface SplitData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
}

/**
 * What the worker needs of `PreparedData` (src/data/preparedData.ts). A `PreparedData` fits this
 * shape as it is; the host sends only these fields.
 */
export interface TrainingData {
  readonly task: 'classification' | 'regression';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly classes?: readonly string[];
  readonly nIn: number;
  readonly nOut: number;
  readonly train: SplitData;
  readonly validation?: SplitData;
  readonly test?: SplitData;
}

/**
 * A change to the optimizer or the batching, as the sidebar edits it. Absent fields keep their
 * value. Changing `optimizer` without a `learningRate` switches to the new optimizer's default η
 * (sgd 0.1, adam 0.001): their sensible rates differ by about 100×.
 */
export interface Hyperparameters {
  readonly optimizer?: OptimizerName;
  /** η. */
  readonly learningRate?: number;
  /** SGD momentum μ in [0, 1). */
  readonly momentum?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** L2 weight decay λ ≥ 0. */
  readonly weightDecay?: number;
  /** Samples per mini-batch; 0: the whole training set. */
  readonly batchSize?: number;
  /** Reshuffle the training set every epoch (takes effect at the next epoch). */
  readonly shuffle?: boolean;
  /** Epochs per run: how many the next Train runs (the run in progress keeps its own end). */
  readonly epochs?: number;
}

/** The hyperparameters in force, every default filled in. */
export interface EffectiveHyperparameters {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly momentum: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** As given: 0 means the whole training set. */
  readonly batchSize: number;
  readonly shuffle: boolean;
}

/** One layer's parameters: W[l] (n_{l−1} × n_l, row-major, W[i * nOut + j] = W[l][i][j]) and b[l]. */
export interface LayerParameterData {
  readonly W: Float64Array;
  readonly b: Float64Array;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Snapshots: what the panel draws
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** Layer l as the panel draws it: its shape, activation and current parameters. */
export interface LayerSnapshot extends LayerParameterData {
  /** n_{l−1}. */
  readonly nIn: number;
  /** n_l. */
  readonly nOut: number;
  readonly activation: ActivationName;
  /** ELU's α, as the network has it (absent for other activations). */
  readonly alpha?: number;
}

/** The forward pass of the one sample the user selected, with every intermediate. */
export interface SampleSnapshot {
  readonly split: SplitName;
  /** Row index within `split`. */
  readonly index: number;
  /** z[l] (length n_l) for l = 1..L; z[0] is empty. */
  readonly z: Float64Array[];
  /** a[l] (length n_l) for l = 0..L; a[0] = x and a[L] = ŷ. */
  readonly a: Float64Array[];
  /** The target y (length n_L). */
  readonly y: Float64Array;
  /** J for this sample alone. */
  readonly loss: number;
}

/**
 * An activation heatmap: `rows` samples × the first `cols` of the layer's `neurons` neurons,
 * row-major. Capped at 32 samples and 64 neurons so that a 784-unit layer stays cheap to send
 * and draw (the selected sample's a[l] is always sent whole).
 */
export interface ActivationMatrix {
  readonly rows: number;
  readonly cols: number;
  /** n_l: the layer's full width; cols < neurons means the matrix is cut. */
  readonly neurons: number;
  readonly data: Float64Array;
}

/** The activations of (the first samples of) the batch trained last, or of the next one. */
export interface BatchSnapshot {
  /** The training-split row index of each heatmap row. */
  readonly sampleIndices: Int32Array;
  /** a[l] for l = 0..L (a[0] = x). */
  readonly a: ActivationMatrix[];
}

/** One completed epoch, as the CLI's `train` prints it. */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** J over the whole training split after the epoch. */
  readonly loss: number;
  readonly valLoss?: number;
  /** Classification only. */
  readonly accuracy?: number;
  readonly valAccuracy?: number;
  /** Training time (pauses excluded) from the first epoch of this history to the end of this one. */
  readonly seconds: number;
  /**
   * Each layer's mean and std of W[l], a[l] and dL/dW[l] at the end of the epoch, flat, six
   * numbers per layer (analysis/layerStats.ts says which values and in what order; read them with
   * its `layerStat`): the panel's "over epochs" charts. Recorded by the worker's Trainer every
   * epoch; left out of run logs (runLog.ts writes only the metrics).
   */
  readonly layerStats?: LayerStats;
}

/**
 * The distributions card's data, computed in the worker from the full-width rows: histograms of
 * W[l], a[l] and dL/dW[l] per layer, dead ReLUs and saturated units (analysis/histograms.ts), on
 * a fixed sample, the first `rows` rows of the training split (at most 32), forwarded and
 * backpropagated against their own targets through the weights of `epoch` and `step`.
 */
export interface DistributionsSnapshot extends DistributionSnapshot {
  /** Rows 0..rows − 1 of the training split. */
  readonly rows: number;
  /** x = a[0] of those rows, every input (rows × n_0 values). */
  readonly inputs: Histogram;
  /** Completed epochs and updates of the weights they were computed with. */
  readonly epoch: number;
  readonly step: number;
}

/** Why training halted with a non-finite loss. */
export interface Divergence {
  /** J as it was computed: NaN, Infinity or -Infinity. */
  readonly loss: number;
  /** The (1-based) epoch it happened in. */
  readonly epoch: number;
  /** Updates applied when it was found (a batch whose J is non-finite is never applied). */
  readonly step: number;
  /**
   * The first layer l, in forward order, whose W[l], b[l], z[l] or a[l] holds NaN or ±∞;
   * 0 when the input x itself does; L when every layer is still finite and only J overflowed
   * (the usual case with squared errors: J squares ŷ − y, so it overflows first).
   */
  readonly layer: number;
  /** What went non-finite in that layer, e.g. ["W[2]", "z[2]", "a[2]"]; ["J"] when only the loss did. */
  readonly quantities: string[];
  /** A sentence for the panel, naming the layer and which of W, b, z, a went non-finite. */
  readonly message: string;
}

/** Everything the panel draws for the current moment of a run. */
export interface TrainingSnapshot {
  readonly state: RunState;
  /** Completed epochs. */
  readonly epoch: number;
  /** The epoch the current (or last) run stops at. */
  readonly targetEpoch: number;
  /** Parameter updates done since the network was loaded or reset. */
  readonly step: number;
  /** Training throughput since the previous snapshot; 0 when not training. */
  readonly samplesPerSecond: number;
  readonly hyperparameters: EffectiveHyperparameters;
  /** layers[l − 1] is layer l. */
  readonly layers: LayerSnapshot[];
  readonly sample: SampleSnapshot;
  readonly batch: BatchSnapshot;
  /**
   * The distributions card's data. While training it is recomputed at most a few times a second
   * (it forwards and backpropagates 32 full-width rows), so it may be of an earlier step than
   * the rest of the snapshot; `distributions.step` says which.
   */
  readonly distributions: DistributionsSnapshot;
  /**
   * The completed epochs' records, oldest first, bounded (src/training/epochHistory.ts): the
   * latest 1,000 or more in full, older ones thinned to each bucket's lowest and highest loss,
   * and always the first. Index i is not epoch i + 1 once a run is long: read `epoch`.
   */
  readonly history: EpochRecord[];
  /** Set when state is `diverged`. */
  readonly divergence?: Divergence;
  /** Set when state is `error`. */
  readonly error?: string;
}

/** What does not change during a run, sent once when the worker has the network and data. */
export interface SessionInfo {
  /** n_0, n_1, …, n_L. */
  readonly sizes: number[];
  readonly task: 'classification' | 'regression';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly classes?: readonly string[];
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Host → Worker
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The arithmetic training runs in: the fast float32 path (src/fast, the default) or the float64
 * engine, which reproduces the engine's own loop bit for bit. Snapshots are float64 either way.
 */
export type TrainingPrecision = 'float32' | 'float64';

/** Options of the worker itself. */
export interface WorkerOptions {
  /** The most snapshots the worker posts per second while training. Default 20. */
  readonly snapshotsPerSecond?: number;
  /** Default 'float32'. */
  readonly precision?: TrainingPrecision;
}

/**
 * Loads a model (and data): the network starts from the model's `parameters` if it has them,
 * else from its `init` section. Without `data`, the worker keeps the data it already holds (an
 * architecture change). The split arrays arrive transferred, not copied. Answered by `ready`.
 */
export interface WorkerInitMessage {
  readonly type: 'init';
  readonly id: number;
  readonly model: ModelFile;
  readonly data?: TrainingData;
  readonly options?: WorkerOptions;
}

/** Starts a run of `epochs` more epochs (default: the model's `optimizer.epochs`, else 100). */
export interface TrainMessage {
  readonly type: 'train';
  readonly id: number;
  readonly epochs?: number;
}

/** Interrupts the run after the current chunk; `resume` continues it. */
export interface PauseMessage {
  readonly type: 'pause';
  readonly id: number;
}

export interface ResumeMessage {
  readonly type: 'resume';
  readonly id: number;
}

/** Ends the run; the weights, epoch count and history stay. */
export interface StopMessage {
  readonly type: 'stop';
  readonly id: number;
}

/** Stops, and re-initializes the network from the model's `init` (ignoring saved parameters). */
export interface ResetWeightsMessage {
  readonly type: 'resetWeights';
  readonly id: number;
}

/** Chooses the sample whose z[l] and a[l] snapshots carry. */
export interface SelectSampleMessage {
  readonly type: 'selectSample';
  readonly id: number;
  readonly index: number;
  /** Default `train`. */
  readonly split?: SplitName;
}

/** Changes hyperparameters from the next batch on (the optimizer is recreated when needed). */
export interface SetHyperparametersMessage {
  readonly type: 'setHyperparameters';
  readonly id: number;
  readonly hyperparameters: Hyperparameters;
}

/** One action of the inspector's stepper (src/training/Stepping.ts): each moves one layer, or updates. */
export type StepAction = 'forward' | 'backward' | 'update' | 'all' | 'undo';

/** Which sample the stepper steps: a row of the training split, or one the user typed in. */
export type StepSample = { readonly kind: 'row'; readonly index: number } | { readonly kind: 'custom'; readonly x: number[]; readonly y: number[] };

/**
 * Runs one stepping action on the live network (pausing a run first); an update or undo changes
 * the very parameters training continues from. Answered by `stepping` (with `problem` when refused).
 */
export interface StepMessage {
  readonly type: 'step';
  readonly id: number;
  readonly action: StepAction;
}

/** Chooses the sample the stepper steps from now on (the passes start over). Answered by `stepping`. */
export interface StepSampleMessage {
  readonly type: 'stepSample';
  readonly id: number;
  readonly sample: StepSample;
}

/** Backprop against finite differences on the current parameters and the stepped sample. Answered by `gradCheck`. */
export interface GradCheckMessage {
  readonly type: 'gradCheck';
  readonly id: number;
}

/** The loss of the current network for the stepped sample as an expression. Answered by `lossGraph`. */
export interface LossGraphMessage {
  readonly type: 'lossGraph';
  readonly id: number;
}

/** Asks for the current parameters (for Save Model, which writes a file); answered by `parameters`. */
export interface GetParametersMessage {
  readonly type: 'getParameters';
  readonly id: number;
}

/**
 * The host has taken the last snapshot. The worker keeps at most one throttled snapshot in
 * flight, so a busy host slows the snapshots down instead of building a backlog.
 */
export interface SnapshotAckMessage {
  readonly type: 'snapshotAck';
}

/** Every message the host sends to the training worker. */
export type HostToWorkerMessage =
  | WorkerInitMessage
  | TrainMessage
  | PauseMessage
  | ResumeMessage
  | StopMessage
  | ResetWeightsMessage
  | SelectSampleMessage
  | SetHyperparametersMessage
  | StepMessage
  | StepSampleMessage
  | GradCheckMessage
  | LossGraphMessage
  | GetParametersMessage
  | SnapshotAckMessage;

/** The host → worker messages that expect an answer (`done`, `rejected`, `ready` or `parameters`). */
export type WorkerCommand = Exclude<HostToWorkerMessage, SnapshotAckMessage>;

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Worker → Host
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The answer to `init`: the network is built and the data checked. A snapshot follows. */
export interface WorkerReadyMessage {
  readonly type: 'ready';
  readonly id: number;
  readonly info: SessionInfo;
}

/** A command was carried out; `state` is the state right after it. */
export interface CommandDoneMessage {
  readonly type: 'done';
  readonly id: number;
  readonly state: RunState;
}

/** A command does not apply (e.g. `resume` when nothing is paused, a bad learning rate). */
export interface CommandRejectedMessage {
  readonly type: 'rejected';
  readonly id: number;
  readonly reason: string;
}

/** The answer to `getParameters`: layers[l − 1] is layer l. */
export interface ParametersMessage {
  readonly type: 'parameters';
  readonly id: number;
  readonly epoch: number;
  readonly step: number;
  readonly layers: LayerParameterData[];
}

/**
 * The stepper's state after a `step` or `stepSample` (`id` set), or unasked when the worker
 * recomputed it because training changed the parameters under it (`id` absent).
 */
export interface WorkerSteppingMessage {
  readonly type: 'stepping';
  readonly id?: number;
  /** Undefined when nothing has been stepped since the network or sample changed. */
  readonly stepping?: SteppingView;
  /** Why the action was refused. */
  readonly problem?: string;
}

/** The answer to `gradCheck`: the result, or why there is none. */
export interface WorkerGradCheckMessage {
  readonly type: 'gradCheck';
  readonly id: number;
  readonly gradCheck?: GradCheckView;
  readonly problem?: string;
}

/** The answer to `lossGraph`: the expression and its variables' values, or why it cannot be drawn. */
export interface WorkerLossGraphMessage {
  readonly type: 'lossGraph';
  readonly id: number;
  readonly expression?: string;
  readonly values?: Record<string, number>;
  readonly problem?: string;
}

/**
 * A snapshot. To keep it cheap the history travels as a delta: the host drops its records from
 * index `historyStart` on and appends `newEpochs` (after a reset `historyStart` is 0; after the
 * worker thinned older epochs, it is where the thinning first changed the history).
 */
export interface WorkerSnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: Omit<TrainingSnapshot, 'history' | 'error'>;
  readonly historyStart: number;
  readonly newEpochs: EpochRecord[];
}

/** The worker failed; training is over until the next `init`. `id` names the command, if one. */
export interface WorkerErrorMessage {
  readonly type: 'error';
  readonly id?: number;
  readonly message: string;
  readonly stack?: string;
}

/** Every message the training worker sends to the host. */
export type WorkerToHostMessage =
  | WorkerReadyMessage
  | CommandDoneMessage
  | CommandRejectedMessage
  | ParametersMessage
  | WorkerSnapshotMessage
  | WorkerSteppingMessage
  | WorkerGradCheckMessage
  | WorkerLossGraphMessage
  | WorkerErrorMessage;

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Host ↔ Webview
// ─────────────────────────────────────────────────────────────────────────────────────────────
// The panel and the sidebar are views: on load each says `ready`, the host answers with the
// whole state, then sends snapshots as they come. Everything they send back is validated by the
// host (src/host/webviewMessages.ts) before use: a webview is never trusted with the truth.

/** A finished or running training run read from the model's `NAME.runs/` folder, for overlays. */
export interface RunSummary {
  /** The file name, e.g. 2026-11-25T21-03-04-005Z.jsonl. */
  readonly name: string;
  readonly epochs: readonly { readonly epoch: number; readonly loss: number; readonly valLoss?: number }[];
}

/** A problem in a model file, as the panel lists it. */
export interface ProblemView {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** The dataset as the panel and sidebar summarize it. */
export interface DataView {
  /** The data path as the model file names it, or `synthetic:NAME`. */
  readonly source: string;
  readonly task: 'classification' | 'regression';
  readonly columns: readonly { readonly name: string; readonly type: 'numeric' | 'categorical' }[];
  readonly rowsRead: number;
  readonly rowsDropped: number;
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
  readonly classes?: readonly string[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /**
   * The first rows of the training and validation splits (at most 5,000 each: src/host/modelView.ts), as the
   * network sees them: the panel draws them on the decision map and scores the confusion matrix
   * with the current weights, without asking the worker.
   */
  readonly preview?: { readonly train: SplitData; readonly validation?: SplitData; readonly truncated: boolean };
}

/** The model as the views show it; strings from the user's files are rendered as text only. */
export interface ModelView {
  /** The model file's URI, kept by the panel's view state so a reload reopens it. */
  readonly uri: string;
  /** The file's base name. */
  readonly fileName: string;
  readonly name: string;
  /** The layers as the (possibly edited) model declares them; layers[0] is the input layer. */
  readonly layers: readonly { readonly units: number; readonly activation?: ActivationName; readonly alpha?: number }[];
  readonly loss: string;
  readonly problems: readonly ProblemView[];
  readonly dataError?: string;
  readonly data?: DataView;
  /** The model's epochs per run. */
  readonly epochs: number;
  /** Trained parameters or edits not yet written to the file. */
  readonly unsaved: boolean;
  /** Earlier runs of this model (newest first), to overlay on the loss chart. */
  readonly runs?: readonly RunSummary[];
}

/** When a view of the live network was computed: the epoch and update count of the parameters it used. */
export interface ComputedAt {
  readonly epoch: number;
  readonly step: number;
}

/**
 * The stepper's state (src/engine/stepper.ts), which sample it steps, and the parameters its
 * passes were computed with (`W[l − 1]`, `b[l − 1]`; before the update when one was applied), so
 * that the ledger writes z = b + Wᵀa with the very W and b that gave z. When `computedAt`
 * differs from the snapshot's epoch and step, the network has changed since: the ledger says so.
 */
export type SteppingView = StepperSnapshot & {
  readonly sample: { readonly kind: 'row'; readonly index: number } | { readonly kind: 'custom' };
  readonly computedAt: ComputedAt;
  readonly W: readonly Float64Array[];
  readonly b: readonly Float64Array[];
};

/** Per layer, the largest relative error of backprop against finite differences. */
export interface GradCheckView {
  readonly maxRelError: number;
  readonly ok: boolean;
  readonly tolerance: number;
  readonly perLayer: readonly { readonly layer: number; readonly maxRelError: number }[];
  readonly worst: { readonly layer: number; readonly param: 'W' | 'b'; readonly i?: number; readonly j: number; readonly analytic: number; readonly numeric: number; readonly relError: number };
  readonly parametersChecked: number;
  readonly kinksSkipped: number;
  /** The row it was checked on (absent for a typed-in sample). */
  readonly sampleIndex?: number;
  /** The parameters it checked: the epoch and update count they are from. */
  readonly computedAt: ComputedAt;
}

/** The actions both views offer, each also a command in the palette. */
export type PanelCommand = 'train' | 'pause' | 'resume' | 'resetWeights' | 'saveModel' | 'stepForward' | 'stepBackward' | 'applyUpdate' | 'step' | 'undoStep' | 'runGradientCheck' | 'showLossGraph';

/** Host → panel/sidebar: the whole state (on `ready`, and whenever the model changes). */
export interface ViewStateMessage {
  readonly type: 'state';
  readonly model?: ModelView;
  readonly snapshot?: TrainingSnapshot;
  readonly stepping?: SteppingView;
  readonly gradCheck?: GradCheckView;
  /** A message to show beside the step buttons (why a step was refused). */
  readonly notice?: string;
}

/**
 * Host → panel/sidebar: a new training snapshot (throttled by the worker). Like the worker's,
 * the history travels as a delta: the view drops its records from `historyStart` on and
 * appends `newEpochs` (src/host/snapshotFeed.ts).
 */
export interface ViewSnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: Omit<TrainingSnapshot, 'history'>;
  readonly historyStart: number;
  readonly newEpochs: EpochRecord[];
}

/** Host → panel: the stepper moved (or a step was refused: `notice`). */
export interface ViewSteppingMessage {
  readonly type: 'stepping';
  readonly stepping?: SteppingView;
  readonly notice?: string;
}

/** Host → panel: the result of Run Gradient Check. */
export interface ViewGradCheckMessage {
  readonly type: 'gradCheck';
  readonly gradCheck: GradCheckView;
}

/** Every message the host sends to the panel or the sidebar. */
export type HostToPanelMessage = ViewStateMessage | ViewSnapshotMessage | ViewSteppingMessage | ViewGradCheckMessage;

/** Panel/sidebar → host: loaded, send the state. */
export interface ViewReadyMessage {
  readonly type: 'ready';
}

/** Panel/sidebar → host: run one of the actions (the same as its palette command). */
export interface ViewCommandMessage {
  readonly type: 'command';
  readonly command: PanelCommand;
}

/** Panel → host: show this training row's forward pass. */
export interface ViewSelectSampleMessage {
  readonly type: 'selectSample';
  readonly index: number;
}

/** Sidebar → host: change hyperparameters (applied to the run at once, saved with the model). */
export interface ViewSetHyperparametersMessage {
  readonly type: 'setHyperparameters';
  readonly hyperparameters: Hyperparameters;
  /** Epochs per run. */
  readonly epochs?: number;
}

/** Sidebar → host: change the hidden layers (sizes, activations); re-initializes the network. */
export interface ViewSetLayersMessage {
  readonly type: 'setLayers';
  readonly layers: readonly { readonly units: number; readonly activation?: ActivationName; readonly alpha?: number }[];
}

/** Panel → host: step with a sample the user typed in (x as the network sees it, and y encoded). */
export interface ViewCustomSampleMessage {
  readonly type: 'customSample';
  readonly x: number[];
  readonly y: number[];
}

/** Panel → host: save a chart as PNG (a data URL) or its numbers as CSV; the host asks where. */
export interface ViewExportMessage {
  readonly type: 'export';
  readonly format: 'png' | 'csv';
  /** A suggested file name (the host keeps only a safe base name). */
  readonly name: string;
  readonly data: string;
}

/** Every message the panel or the sidebar sends to the host. */
export type PanelToHostMessage = ViewReadyMessage | ViewCommandMessage | ViewSelectSampleMessage | ViewSetHyperparametersMessage | ViewSetLayersMessage | ViewCustomSampleMessage | ViewExportMessage;

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Computation graph panel
// ─────────────────────────────────────────────────────────────────────────────────────────────
// "MLP Inspector: Open Computation Graph". The host owns the ComputationalGraph (src/graph/);
// the panel draws the snapshots it is sent and sends back button presses and typed input, which
// the host validates (src/graph/graphMessages.ts). Same handshake as the inspector: the panel
// says `ready` on every load and the host answers with `graphState`.

/** The engine's plain-data picture of a graph (an `import()` type keeps this section self-contained). */
export type GraphSnapshot = import('./engine/graph').GraphSnapshot;

/** One variable's ∂f/∂v three ways, shown beside each other once the backward pass is done. */
export interface GraphGradientCheck {
  readonly variable: string;
  /** The backward pass's ∂f/∂v (the graph's chain rule), or null before it has finished. */
  readonly backprop: number | null;
  /**
   * The derivative derived symbolically from the expression's text (src/graph/analyticGradient.ts)
   * and its value at the current point; null where the expression language cannot write it
   * (relu′, abs′), with `analyticNote` saying why.
   */
  readonly analytic: { readonly formula: string; readonly value: number } | null;
  readonly analyticNote?: string;
  /** (f(v + h) − f(v − h)) / 2h from forward evaluations only: an independent numeric check. */
  readonly centralDifference: number;
}

/** Host → graph panel: the whole state, after every change and on `ready`. */
export interface GraphStateMessage {
  readonly type: 'graphState';
  /** The expression and the values as the user wrote them (normalized), for the input row. */
  readonly expression: string;
  readonly valuesText: string;
  /** The graph itself: nodes, their values and gradients so far, the phase and the cursor. */
  readonly snapshot: GraphSnapshot;
  /** The node the last step processed (highlighted with its ledger row), if any. */
  readonly lastStep: { readonly direction: 'forward' | 'backward'; readonly nodeId: number } | null;
  readonly checks: readonly GraphGradientCheck[];
}

/**
 * Host → graph panel: typed input was refused; the previous graph stays. `field` says which input
 * the message belongs beside; `column` is 1-based within that input's text, when known.
 */
export interface GraphInputErrorMessage {
  readonly type: 'graphInputError';
  readonly field: 'expression' | 'values';
  readonly expression: string;
  readonly valuesText: string;
  readonly message: string;
  readonly column: number | null;
}

/** Every message the host sends to the graph panel. */
export type HostToGraphMessage = GraphStateMessage | GraphInputErrorMessage;

/** The graph panel's buttons (each also a key while the panel has focus). */
export type GraphAction = 'forwardStep' | 'backwardStep' | 'runAll' | 'reset';

/** Graph panel → host: loaded, send the state. */
export interface GraphReadyMessage {
  readonly type: 'ready';
}

/** Graph panel → host: a button or key was pressed. */
export interface GraphActionMessage {
  readonly type: 'graphAction';
  readonly action: GraphAction;
}

/** Graph panel → host: build a new graph from this text (e.g. `x^2*y/z` and `x=3, y=4, z=2`). */
export interface GraphSetExpressionMessage {
  readonly type: 'setExpression';
  readonly expression: string;
  readonly valuesText: string;
}

/** Every message the graph panel sends to the host. */
export type GraphToHostMessage = GraphReadyMessage | GraphActionMessage | GraphSetExpressionMessage;

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Labs
// ─────────────────────────────────────────────────────────────────────────────────────────────
// Three panels share one webview script (dist/webview/labs.js); the body class says which lab it
// is. As with the inspector, each lab says `ready` and the host answers with its whole state;
// what a lab sends back is checked by src/labs/labMessages.ts before the host acts on it. The
// architecture sweep runs in its own worker (src/labs/sweepWorker.ts) when that is bundled.

// The labs' figures are the plain data src/analysis computes; named here by type only.
type InitLabResult = import('./analysis/initLab').InitLabResult;
type SweepData = import('./analysis/sweep').SweepData;
type SweepFile = import('./analysis/sweep').SweepFile;
type SweepProgress = import('./analysis/sweep').SweepProgress;
type SweepResult = import('./analysis/sweep').SweepResult;
type SweepSpec = import('./analysis/sweep').SweepSpec;

/** The three labs; a lab panel's body carries the class `lab-NAME`. */
export type LabName = 'activations' | 'initialization' | 'sweep';

/** A matrix as plain data: rows × cols, row-major. */
export interface LabMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** "Why linear activations collapse": the open model's layers and their product. */
export interface CollapseView {
  /** The model's name and file, as text. */
  readonly model: string;
  readonly fileName: string;
  /** n_0, …, n_L. */
  readonly sizes: readonly number[];
  /** W[l] and b[l] for l = 1..L (layers[l − 1]), with the activation the model gives the layer. */
  readonly layers: readonly { readonly activation: ActivationName; readonly W: LabMatrix; readonly b: Float64Array }[];
  /** W = W[1]W[2]…W[L], n_0 × n_L. */
  readonly W: LabMatrix;
  /** b = b[1]W[2]…W[L] + … + b[L]. */
  readonly b: Float64Array;
  /** Layers (1-based) whose activation is not the identity: the collapse is of the network with σ replaced by z. */
  readonly nonLinearLayers: readonly number[];
  /** min_l n_l. */
  readonly bottleneck: number;
  /** The numerical rank of W. */
  readonly rank: number;
  /** The linearized network and the one layer compared on `inputs` rows (the training data, or random x). */
  readonly check: { readonly inputs: number; readonly inputSource: string; readonly maxAbsDifference: number; readonly equal: boolean };
}

/** Host → activation lab: the collapse of the open model, or why there is none. */
export interface LabCollapseMessage {
  readonly type: 'collapse';
  readonly collapse?: CollapseView;
  /** Set instead of `collapse` when no usable model is open. */
  readonly unavailable?: string;
}

/** One layer's values under one initializer, for the symmetry picture. */
export interface SymmetryPanel {
  readonly initializer: string;
  /** W[1] (n_0 × n_1) after `steps` updates. */
  readonly W1: LabMatrix;
  /** a[1] on the first rows of the batch (rows × n_1) after `steps` updates. */
  readonly a1: LabMatrix;
  /** The largest |a[1]_j − a[1]_k| over units and rows, and |W[1]_·j − W[1]_·k| over columns. */
  readonly maxUnitDifference: number;
  readonly maxColumnDifference: number;
}

/** The initialization lab's whole picture. */
export interface InitLabView {
  /** The layers measured; layers[0] is the input layer. */
  readonly layers: readonly { readonly units: number; readonly activation?: ActivationName }[];
  /** Where the architecture came from: the open model, or the default 2-16-16-16-1. */
  readonly source: { readonly kind: 'model'; readonly name: string; readonly fileName: string } | { readonly kind: 'default' };
  /** How it was measured (batch, seeds), for the caption. */
  readonly batch: number;
  readonly seeds: number;
  /** One entry per initializer, in the lecture's order (plain data from src/analysis/initLab.ts). */
  readonly results: readonly InitLabResult[];
  /** Zero init next to a random one, after the same `steps` gradient steps on the same batch. */
  readonly symmetry: { readonly steps: number; readonly data: string; readonly zeros: SymmetryPanel; readonly random: SymmetryPanel };
}

/** Host → initialization lab: the figures (on `ready`, and when the open model's layers change). */
export interface LabInitStatsMessage {
  readonly type: 'initStats';
  readonly view: InitLabView;
}

/** What the sweep form asks for (the spec of src/analysis/sweep.ts without the seed). */
export interface SweepRequest {
  readonly depths: readonly number[];
  readonly widths: readonly number[];
  readonly activations: readonly ActivationName[];
  readonly learningRates: readonly number[];
  readonly epochs: number;
}

/** The sweep lab's whole state. */
export interface SweepLabState {
  /** The model file's URI: the webview keeps it as view state so a reload reopens this sweep. */
  readonly modelUri: string;
  /** The base model's name and file (text only); absent when none could be read. */
  readonly model?: { readonly name: string; readonly fileName: string; readonly hiddenActivation: ActivationName; readonly learningRate: number; readonly epochs: number; readonly depth: number; readonly width: number };
  /** Why nothing can run, if so (no model, a broken model or data). */
  readonly problem?: string;
  readonly running: boolean;
  readonly progress?: SweepProgress;
  /** The request of the results shown (the last run, or the reopened file's). */
  readonly request?: SweepRequest;
  readonly results: readonly SweepResult[];
  /** Configurations the sweep has in all. */
  readonly total: number;
  /** Index into `results` of the best (lowest validation loss, else training loss). */
  readonly best?: number;
  /** Ranked by validation loss (true) or training loss (false). */
  readonly bestBy?: 'validation' | 'training';
  readonly cancelled: boolean;
  /** The sweep file shown: its base name and when the sweep started (ISO 8601). */
  readonly file?: { readonly fileName: string; readonly started: string };
  /** 'worker' or 'host': where the last sweep ran. */
  readonly ranIn?: 'worker' | 'host';
  /** The model file "Open Best as New Model" last wrote. */
  readonly bestWritten?: string;
  /** Earlier sweeps of this model kept in NAME.sweeps/, newest first, to compare with. */
  readonly earlier: readonly SweepSummary[];
  /** The earlier sweep compared with: for each of `results`, its result for the same configuration, or null. */
  readonly compare?: { readonly id: string; readonly started: string; readonly results: readonly (SweepResult | null)[] };
}

/** An earlier sweep, as the comparison picker lists it. */
export interface SweepSummary {
  /** Its file's base name in NAME.sweeps/ (what `compareSweep` names). */
  readonly id: string;
  /** When it started (ISO 8601). */
  readonly started: string;
  readonly configs: number;
  readonly cancelled: boolean;
}

/** Host → sweep lab: the whole state (on `ready`, on every result, and throttled while training). */
export interface LabSweepStateMessage {
  readonly type: 'sweepState';
  readonly state: SweepLabState;
}

/** Every message the host sends to a lab. */
export type HostToLabMessage = LabCollapseMessage | LabInitStatsMessage | LabSweepStateMessage;

/** Lab → host: loaded, send the state. */
export interface LabReadyMessage {
  readonly type: 'ready';
}

/** Activation lab → host: compute the product of the open model's weight matrices. */
export interface LabShowCollapseMessage {
  readonly type: 'showCollapse';
}

/** Sweep lab → host: run this sweep on the model. */
export interface LabRunSweepMessage {
  readonly type: 'runSweep';
  readonly request: SweepRequest;
}

/** Sweep lab → host: stop the sweep (the finished configurations are kept and written). */
export interface LabCancelSweepMessage {
  readonly type: 'cancelSweep';
}

/** Sweep lab → host: write the best configuration as NAME-best.mlp.json and open it. */
export interface LabOpenBestMessage {
  readonly type: 'openBest';
}

/** Sweep lab → host: compare the results with this earlier sweep (a SweepSummary's id), or with none. */
export interface LabCompareSweepMessage {
  readonly type: 'compareSweep';
  readonly id: string | null;
}

/** Every message a lab sends to the host; every lab may export its charts (ViewExportMessage). */
export type LabToHostMessage = LabReadyMessage | LabShowCollapseMessage | LabRunSweepMessage | LabCancelSweepMessage | LabOpenBestMessage | LabCompareSweepMessage | ViewExportMessage;

/** Host → sweep worker: run a sweep. The data's typed arrays are copied (the host keeps none). */
export interface SweepWorkerRunMessage {
  readonly type: 'run';
  readonly base: ModelFile;
  readonly data: SweepData;
  readonly spec: SweepSpec;
  /** ISO 8601 start time and the data's source, for the file. */
  readonly started: string;
  readonly source?: string;
}

/** Host → sweep worker: stop after the epoch in progress. */
export interface SweepWorkerCancelMessage {
  readonly type: 'cancel';
}

export type HostToSweepWorkerMessage = SweepWorkerRunMessage | SweepWorkerCancelMessage;

/** Sweep worker → host. `done` carries the file's contents (partial and `cancelled` if stopped). */
export type SweepWorkerToHostMessage =
  | { readonly type: 'progress'; readonly progress: SweepProgress }
  | { readonly type: 'result'; readonly result: SweepResult; readonly index: number }
  | { readonly type: 'done'; readonly file: SweepFile }
  | { readonly type: 'error'; readonly message: string };
