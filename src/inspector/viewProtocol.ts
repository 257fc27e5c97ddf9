/**
 * The inspector's views' channel: what the extension host says to the inspector panel and the sidebar, and what they send back (checked by src/host/webviewMessages.ts).
 *
 * Types only: the host and the panel's and the sidebar's bundles import this file, so it may not import `vscode`, touch the DOM or hold
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
import type { EpochRecord, GradCheckView, Hyperparameters, ParameterEdit, SplitData, SteppingView, TrainingSnapshot } from '../training/workerProtocol';
import type { NormalizationSpec } from '../data/normalization';

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
  /** How the inputs were normalized (fitted on the training split): the decision map's slice works engineered inputs out through it. */
  readonly normalization?: NormalizationSpec;
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
  /** The engineered input features in force (data.engineered), the last input units. */
  readonly engineered: readonly string[];
  /** The activations a layer may have, in the engine's order: the sidebar's choices. */
  readonly activationChoices: readonly ActivationName[];
  readonly problems: readonly ProblemView[];
  readonly dataError?: string;
  /** `dataError` says only that the model names no data yet (an imported model): a notice, not an error. */
  readonly dataMissing?: boolean;
  readonly data?: DataView;
  /** The model's epochs per run. */
  readonly epochs: number;
  /** Trained parameters or edits not yet written to the file. */
  readonly unsaved: boolean;
  /** Earlier runs of this model (newest first), to overlay on the loss chart. */
  readonly runs?: readonly RunSummary[];
  /** The model file's `lesson`: the panel shows the truth table and whether it is solved. */
  readonly lesson?: LessonView;
}

/** A lesson, as the model file states it (text from the user's file: rendered as text only). */
export interface LessonView {
  readonly title: string;
  readonly goal: string;
}


/** The actions both views offer, each also a command in the palette. */
export type PanelCommand = 'train' | 'pause' | 'resume' | 'resetWeights' | 'saveModel' | 'stepForward' | 'stepBackward' | 'applyUpdate' | 'step' | 'undoStep' | 'runGradientCheck' | 'showLossGraph' | 'exportModel' | 'attachDataset';

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

/** Panel/sidebar → host: the snapshot sent last is drawn; the next may come (src/host/snapshotFeed.ts). */
export interface ViewDrawnMessage {
  readonly type: 'drawn';
}

/** Panel → host: draw the decision map over these two inputs (a model of more than 2 inputs). */
export interface ViewMapAxesMessage {
  readonly type: 'mapAxes';
  readonly axes: readonly [number, number];
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

/**
 * Sidebar → host: the engineered input features (data.engineered, e.g. "x1^2"), replacing the
 * list; the input layer's width follows, so the network re-initializes as an architecture edit does.
 */
export interface ViewSetEngineeredMessage {
  readonly type: 'setEngineered';
  readonly engineered: readonly string[];
}

/** Panel → host: step with a sample the user typed in (x as the network sees it, and y encoded). */
export interface ViewCustomSampleMessage {
  readonly type: 'customSample';
  readonly x: number[];
  readonly y: number[];
}

/**
 * Panel → host: set W[l][i][j] or b[l][j] to `edit.value` (typed into the diagram's editor, dragged
 * or stepped with the arrow keys). The host checks it against the network's sizes; the worker
 * applies it as an update that Undo reverts.
 */
export interface ViewSetParameterMessage {
  readonly type: 'setParameter';
  readonly edit: ParameterEdit;
}

/** Panel → host: save a chart as PNG (a data URL) or its numbers as CSV; the host asks where. */
export interface ViewExportMessage {
  readonly type: 'export';
  readonly format: 'png' | 'csv' | 'svg';
  /** A suggested file name (the host keeps only a safe base name). */
  readonly name: string;
  readonly data: string;
}

/** Every message the panel or the sidebar sends to the host. */
export type PanelToHostMessage = ViewReadyMessage | ViewDrawnMessage | ViewCommandMessage | ViewSelectSampleMessage | ViewMapAxesMessage | ViewSetHyperparametersMessage | ViewSetLayersMessage | ViewSetEngineeredMessage | ViewCustomSampleMessage | ViewSetParameterMessage | ViewExportMessage;
