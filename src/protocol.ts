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
  /** One record per completed epoch, oldest first. */
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

/** Options of the worker itself. */
export interface WorkerOptions {
  /** The most snapshots the worker posts per second while training. Default 20. */
  readonly snapshotsPerSecond?: number;
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

/** Asks for the current parameters (for Save Model); answered by `parameters`. */
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
 * A snapshot. To keep it cheap the history travels as a delta: the host drops its records from
 * index `historyStart` on and appends `newEpochs` (after a reset `historyStart` is 0).
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
export type WorkerToHostMessage = WorkerReadyMessage | CommandDoneMessage | CommandRejectedMessage | ParametersMessage | WorkerSnapshotMessage | WorkerErrorMessage;

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Host ↔ Webview
// ─────────────────────────────────────────────────────────────────────────────────────────────
// The panel and the sidebar are views: on load each says `ready`, the host answers with the
// whole state, then sends snapshots as they come. Everything they send back is validated by the
// host (src/host/webviewMessages.ts) before use: a webview is never trusted with the truth.

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
}

/** The actions both views offer, each also a command in the palette. */
export type PanelCommand = 'train' | 'pause' | 'resume' | 'resetWeights' | 'saveModel';

/** Host → panel/sidebar: the whole state (on `ready`, and whenever the model changes). */
export interface ViewStateMessage {
  readonly type: 'state';
  readonly model?: ModelView;
  readonly snapshot?: TrainingSnapshot;
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

/** Every message the host sends to the panel or the sidebar. */
export type HostToPanelMessage = ViewStateMessage | ViewSnapshotMessage;

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

/** Every message the panel or the sidebar sends to the host. */
export type PanelToHostMessage = ViewReadyMessage | ViewCommandMessage | ViewSelectSampleMessage | ViewSetHyperparametersMessage | ViewSetLayersMessage;
