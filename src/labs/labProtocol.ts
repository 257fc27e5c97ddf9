/**
 * The labs' channel: the three lab panels, and the architecture sweep's worker.
 *
 * Types only: the host, the sweep worker and the labs' bundle import this file, so it may not import `vscode`, touch the DOM or hold
 * runtime code (its imports are `import type` and vanish when compiled). Only plain data crosses
 * a boundary (structured clone): numbers, strings, booleans, arrays, plain objects and typed
 * arrays; never class instances. Every message carries a string-literal `type`; each receiver
 * switches on it exhaustively and ends in a `never` check, so adding a message here is a compile
 * error until both sides handle it.
 *
 * Indices follow the lecture: layer l = 1..L reads a[l−1] and writes a[l]; a[0] = x. Arrays
 * indexed by l keep an empty placeholder at index 0 where layer 0 has no such value (z[0]).
 */
import type { ActivationName } from '../engine/activations';
import type { ViewExportMessage } from '../inspector/viewProtocol';
import type { ModelFile } from '../model/modelFile';

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Labs
// ─────────────────────────────────────────────────────────────────────────────────────────────
// Three panels share one webview script (dist/webview/labs.js); the body class says which lab it
// is. As with the inspector, each lab says `ready` and the host answers with its whole state;
// what a lab sends back is checked by src/host/labMessages.ts before the host acts on it. The
// architecture sweep runs in its own worker (src/labs/sweepWorker.ts) when that is bundled.

// The labs' figures are the plain data src/analysis computes; named here by type only.
type InitLabResult = import('../analysis/initLab').InitLabResult;
type SweepData = import('../analysis/sweep').SweepData;
type SweepFile = import('../analysis/sweep').SweepFile;
type SweepProgress = import('../analysis/sweep').SweepProgress;
type SweepResult = import('../analysis/sweep').SweepResult;
type SweepSpec = import('../analysis/sweep').SweepSpec;

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
/** One element-wise activation as the activation lab plots it (src/analysis/activationCurves.ts). */
export interface ActivationCurve {
  readonly id: ActivationName;
  readonly title: string;
  /** The formula in the lecture's notation (ELU's with its α). */
  readonly formula: string;
  /** f(z) and f′(z) at each z of the message's grid. */
  readonly f: Float64Array;
  readonly df: Float64Array;
}

/** Host → activation lab: every element-wise activation's f and f′ (the answer to `askCurves`). */
export interface LabActivationCurvesMessage {
  readonly type: 'activationCurves';
  /** ELU's α the curves were computed with. */
  readonly alpha: number;
  readonly z: Float64Array;
  readonly curves: readonly ActivationCurve[];
}

/** softmax of a vector, as the lab shows it. */
export interface SoftmaxFigure {
  readonly z: readonly number[];
  readonly a: Float64Array;
  readonly formula: string;
}

/** Host → activation lab: softmax of the vector it asked for (the answer to `askSoftmax`). */
export interface LabSoftmaxMessage {
  readonly type: 'softmax';
  readonly softmax: SoftmaxFigure;
}

export type HostToLabMessage = LabCollapseMessage | LabInitStatsMessage | LabSweepStateMessage | LabActivationCurvesMessage | LabSoftmaxMessage;

/** Lab → host: loaded, send the state. */
export interface LabReadyMessage {
  readonly type: 'ready';
}

/** Activation lab → host: compute the product of the open model's weight matrices. */
export interface LabShowCollapseMessage {
  readonly type: 'showCollapse';
}

/** Activation lab → host: f and f′ of every element-wise activation, ELU with this α (0 < α ≤ 10). */
export interface LabAskCurvesMessage {
  readonly type: 'askCurves';
  readonly alpha: number;
}

/** Activation lab → host: softmax of these 1 to 10 finite numbers. */
export interface LabAskSoftmaxMessage {
  readonly type: 'askSoftmax';
  readonly z: readonly number[];
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
export type LabToHostMessage = LabReadyMessage | LabShowCollapseMessage | LabAskCurvesMessage | LabAskSoftmaxMessage | LabRunSweepMessage | LabCancelSweepMessage | LabOpenBestMessage | LabCompareSweepMessage | ViewExportMessage;

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
