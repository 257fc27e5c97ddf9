/**
 * The training worker's channel: what the extension host and the training worker (src/training/trainingWorker.ts) say to each other, and the snapshot of the live network every view draws.
 *
 * Types only: the host, the worker bundle and the webview bundles import this file, so it may not import `vscode`, touch the DOM or hold
 * runtime code (its imports are `import type` and vanish when compiled). Only plain data crosses
 * a boundary (structured clone): numbers, strings, booleans, arrays, plain objects and typed
 * arrays; never class instances. Every message carries a string-literal `type`; each receiver
 * switches on it exhaustively and ends in a `never` check, so adding a message here is a compile
 * error until both sides handle it.
 *
 * Indices follow the lecture: layer l = 1..L reads a[l−1] and writes a[l]; a[0] = x. Arrays
 * indexed by l keep an empty placeholder at index 0 where layer 0 has no such value (z[0]).
 */
import type { TrainingConfig } from '../model/trainingConfig';
import type { EarlyStop, EarlyStoppingSpec } from '../engine/earlyStopping';
import type { ConfusionMatrix } from '../analysis/confusion';
import type { LayerState } from '../engine/networkState';
import type { DistributionSnapshot, Histogram } from '../analysis/histograms';
import type { LayerStats } from '../analysis/layerStats';
import type { OptimizerName, ResolvedOptimizerSpec } from '../engine/optimizers';
import type { RunEpoch } from '../analysis/runLog';
import type { StepperSnapshot } from '../engine/stepper';
import type { ModelFile } from '../model/modelFile';
import type { DecisionMap, FittedCurve, Grid } from '../analysis/decisionMap';
import type { TruthTable } from '../analysis/truthTable';
import type { NormalizationSpec } from '../data/normalization';

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
  /** How the inputs were normalized: the decision map works engineered inputs out with it. */
  readonly normalization?: NormalizationSpec;
}

/**
 * A change to the training configuration (src/model/trainingConfig.ts: the optimizer, the
 * batching, the epochs per run), as the sidebar edits it. Absent fields keep their value. Changing `optimizer` without a `learningRate` switches to the new optimizer's default η
 * (sgd 0.1, adam 0.001): their sensible rates differ by about 100×.
 */
export type Hyperparameters = Omit<TrainingConfig, 'type' | 'earlyStopping'> & {
  /** The model file's `optimizer.type`, as the sidebar names it. */
  readonly optimizer?: OptimizerName;
  /** New early-stopping settings (replacing the old ones whole); null turns early stopping off. */
  readonly earlyStopping?: EarlyStoppingSpec | null;
};

/** The hyperparameters in force, every default filled in: the optimizer's (resolved) and the batching. */
export type EffectiveHyperparameters = Omit<ResolvedOptimizerSpec, 'type'> & {
  readonly optimizer: OptimizerName;
  /** As given: 0 means the whole training set. */
  readonly batchSize: number;
  readonly shuffle: boolean;
  /** Absent when the run does not stop early. */
  readonly earlyStopping?: Required<EarlyStoppingSpec>;
};

/** One layer's parameters: W[l] (n_{l−1} × n_l, row-major, W[i * nOut + j] = W[l][i][j]) and b[l]. */
export interface LayerParameterData {
  readonly W: Float64Array;
  readonly b: Float64Array;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Snapshots: what the panel draws
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A matrix too big to draw cell by cell, reduced in the worker: each cell is the mean of a
 * `rowBlock` × `colBlock` block of the whole (the last row and column of blocks may be smaller).
 */
export interface ReducedMatrix {
  /** Cells drawn: ⌈fullRows / rowBlock⌉ × ⌈fullCols / colBlock⌉, row-major in `data`. */
  readonly rows: number;
  readonly cols: number;
  /** The whole matrix's shape. */
  readonly fullRows: number;
  readonly fullCols: number;
  readonly rowBlock: number;
  readonly colBlock: number;
  readonly data: Float64Array;
  /** The largest |entry| of the whole matrix (not of the means), for the colour scale's legend. */
  readonly absMax: number;
}

/**
 * The weights of the diagram's edges: W[l][i][j] for each drawn unit i of layer l − 1 and j of
 * layer l (src/training/shownUnits.ts), row-major (`W[a * j.length + b]` = W[l][i[a]][j[b]]).
 */
export interface DiagramEdges {
  readonly i: readonly number[];
  readonly j: readonly number[];
  readonly W: Float64Array;
}

/**
 * Layer l as the panel draws it: shape, activation (and its parameter), b[l] whole, and W[l]
 * whole only when it has at most WHOLE_WEIGHTS entries (src/training/snapshot.ts). A larger W[l]
 * travels as what is drawn of it: its heatmap's block means and the diagram's edges, so that a
 * snapshot's size follows the panel, not the parameter count (a 784-256 layer is 200,704
 * numbers; its view is about 4,100). Whole parameters travel only when asked (getParameters).
 */
export interface LayerSnapshot {
  /** n_{l−1}. */
  readonly nIn: number;
  /** n_l. */
  readonly nOut: number;
  readonly activation: LayerState['activation'];
  /** ELU's α (absent for the other activations). */
  readonly alpha?: number;
  /** b[l], length n_l. */
  readonly b: Float64Array;
  /** W[l], n_{l−1} × n_l row-major (W[i * nOut + j] = W[l][i][j]), when it is small enough to send whole. */
  readonly W?: Float64Array;
  /** W[l] reduced to block means, when W is not sent whole (b[l] is whole either way). */
  readonly weightCells?: ReducedMatrix;
  /** The largest |W[l][i][j]| of the whole W[l], for the diagram's colour scale. */
  readonly absMaxW: number;
  readonly edges: DiagramEdges;
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

/** The activations of a fixed sample: the first rows of the training split, through the current weights. */
export interface BatchSnapshot {
  /** The training-split row index of each heatmap row. */
  readonly sampleIndices: Int32Array;
  /** a[l] for l = 0..L (a[0] = x). */
  readonly a: ActivationMatrix[];
  /** Completed epochs and updates of the weights they were forwarded through (may be earlier than the snapshot's while training). */
  readonly epoch: number;
  readonly step: number;
}

/** One completed epoch, as the CLI's `train` prints it and run logs keep it, plus the layer statistics. */
export interface EpochRecord extends RunEpoch {
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

/** The confusion matrix of a whole split under the weights of `epoch` and `step`. */
export interface ConfusionSnapshot {
  readonly split: 'validation' | 'training';
  readonly matrix: ConfusionMatrix;
  readonly epoch: number;
  readonly step: number;
}

/**
 * Each batch's J since the history began, thinned (src/training/batchLosses.ts): the loss
 * figure's curve until whole epochs take over. At most 512 points.
 */
export interface BatchLossSeries {
  /** Each point's fractional epoch: epochs completed plus the share of the epoch trained. */
  readonly epoch: Float64Array;
  /** Each point's mean J over the `every` batches it stands for. */
  readonly loss: Float64Array;
  readonly every: number;
}

/**
 * The decision map of a 2-to-64-input model (src/training/figures.ts): the network's output over
 * a grid of two inputs (a slice, the others at their means, past 2 inputs), and the hidden
 * neurons' maps for the units the diagram draws.
 */
export interface PlaneFigure {
  readonly grid: Grid;
  /** Inputs before the engineered ones: the slice's axes are among them. */
  readonly rawInputs: number;
  readonly decision: Omit<DecisionMap, 'grid'>;
  /** For each hidden layer l: a[l]_j over the grid for the drawn units j, unit-major (units[k]'s map is values[k·cells …]). */
  readonly neurons: readonly { readonly l: number; readonly units: readonly number[]; readonly values: Float64Array }[];
}

/** The panel's figures of the network, computed in the worker, of the parameters of `epoch` and `step`. */
export interface PanelFigures {
  readonly epoch: number;
  readonly step: number;
  readonly plane?: PlaneFigure;
  /** A 1-input, 1-output model's ŷ(x) over the training data's range. */
  readonly curve?: FittedCurve;
  /** A lesson's truth table: each row's output under the current weights. */
  readonly truthTable?: TruthTable;
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
/**
 * How the network the snapshot shows is being trained: the run's precision and, for float32, the
 * fast path's kernels (relaxed-SIMD FMA, plain 128-bit SIMD or JavaScript) and the threads a
 * batch of the run's size is split across (one where its shards would be too small).
 */
export interface TrainingArithmetic {
  readonly precision: TrainingPrecision;
  readonly kernels?: 'relaxed-simd' | 'simd' | 'js';
  readonly threads: number;
}

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
  /** What computes it (absent from snapshots of older workers and of tests that make their own). */
  readonly arithmetic?: TrainingArithmetic;
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
   * Classification models only: the confusion matrix of the whole validation split (the
   * training split when there is none), computed in the worker with the same cadence as
   * `distributions`; its `epoch` and `step` say which weights.
   */
  readonly confusion?: ConfusionSnapshot;
  /**
   * The completed epochs' records, oldest first, bounded (src/training/epochHistory.ts): the
   * latest 1,000 or more in full, older ones thinned to each bucket's lowest and highest loss,
   * and always the first. Index i is not epoch i + 1 once a run is long: read `epoch`.
   */
  readonly history: EpochRecord[];
  /** Each batch's J, thinned: what the loss figure draws before whole epochs take over. */
  readonly batchLosses: BatchLossSeries;
  /** The decision map, fitted curve and truth table that apply, at the insights' cadence. */
  readonly figures: PanelFigures;
  /** The loss in words for screen readers ("loss 0.031, down 40 % in the last 1,000 epochs"). */
  readonly trend?: string;
  /** Set when state is `diverged`. */
  readonly divergence?: Divergence;
  /**
   * Set when early stopping ended the run (state `stopped`): why, and whether the network now
   * holds the best epoch's parameters (then `step` counts the restoring as one update).
   */
  readonly earlyStop?: EarlyStop;
  /**
   * While early stopping watches a run: the record of its best epoch so far (lowest validation
   * loss). After a stop that restored the weights, these are the figures of the weights shown.
   */
  readonly bestEpoch?: EpochRecord;
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
  /** Threads a float32 run trains on (src/fast/threads.ts). Default 1; float64 runs on one. */
  readonly threads?: number;
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

/** Chooses the two inputs a model of more than 2 inputs has its decision map drawn over. */
export interface SetMapAxesMessage {
  readonly type: 'setMapAxes';
  readonly id: number;
  readonly axes: readonly [number, number];
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

/**
 * One parameter set by hand: W[l][i][j] (the edge from neuron i of layer l−1 to neuron j of
 * layer l) when `param` is 'W', or b[l][j] when it is 'b' (then `i` is absent).
 */
export interface ParameterEdit {
  /** l, 1..L. */
  readonly layer: number;
  readonly param: 'W' | 'b';
  /** The neuron of layer l−1 (W only). */
  readonly i?: number;
  /** The neuron of layer l. */
  readonly j: number;
  readonly value: number;
}

/**
 * Sets one parameter of the live network (pausing a run first); it counts as an update, is
 * recorded for Undo (with the stepper's updates, in one history) and is followed by a snapshot.
 * Answered by `stepping` (with `problem` when refused).
 */
export interface SetParameterMessage {
  readonly type: 'setParameter';
  readonly id: number;
  readonly edit: ParameterEdit;
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
  | SetMapAxesMessage
  | SetHyperparametersMessage
  | StepMessage
  | StepSampleMessage
  | SetParameterMessage
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
// The stepper and the gradient check, as the worker computes them
// ─────────────────────────────────────────────────────────────────────────────────────────────

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
  /** σ′(z[l]) for each computed layer whose σ is elementwise (empty for softmax, and for l = 0). */
  readonly dadz: readonly Float64Array[];
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
