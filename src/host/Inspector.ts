/**
 * The extension host's controller: it owns the truth about the open model (the file, its
 * problems, its data, the training worker and the latest snapshot) and everything the panel,
 * the sidebar and the commands do goes through it. Views only render what it publishes.
 */
import { DEFAULT_MAX_PARAMETERS, parameterBudgetProblem } from '../model/parameterBudget';
import { DEFAULT_MAX_TRAINING_MEMORY_MIB, memoryBudgetMiB, trainingMemoryProblem } from '../model/trainingMemory';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportModelFile, type ExportFormat } from '../node/interopFiles';
import { PRODUCT_VERSION } from '../productVersion';
import type { LayerSpec } from '../engine/network';
import { parseModelText, serializeModel, type ModelFile } from '../model/modelFile';
import { FileError, writeFileAtomic } from '../node/files';
import type { GradCheckView, Hyperparameters, ParameterEdit, StepAction, SteppingView, TrainingSnapshot } from '../training/workerProtocol';
import { parameterEditProblem } from '../training/parameterEdit';
import type { ModelView, RunSummary } from '../inspector/viewProtocol';
import { TrainingSession } from '../training/TrainingSession';
import { availableCores, resolveTrainingThreads } from '../training/trainingThreads';
import type { LossExpression } from '../model/lossExpression';
import { loadModelData, loadModelSource, type DataProblem } from './loadModelSource';
import { resolveEngineered } from '../data/engineeredFeatures';
import { readRuns, RunRecorder } from './RunRecorder';
import { dataView, modelView } from './modelView';
import type { DataView } from '../inspector/viewProtocol';
import type { ModelProblem } from '../model/modelFile';

/** One open model: its file, what loading it found, and its training session. */
interface OpenModel {
  readonly uri: vscode.Uri;
  /** The file's text as last read or written by us (to tell our own writes from the user's). */
  text: string;
  model?: ModelFile;
  problems: readonly ModelProblem[];
  data?: DataView;
  dataProblem?: DataProblem;
  session?: TrainingSession;
  gradCheck?: GradCheckView;
  /** Trained parameters or edits that the file does not have yet. */
  unsaved: boolean;
  /** The run being recorded into NAME.runs/. */
  recorder?: RunRecorder;
  /** Earlier runs, for the loss chart's overlay. */
  runs: RunSummary[];
  readonly disposables: vscode.Disposable[];
}

/** The network-size budget from the settings (mlpInspector.maxParameters). */
function maxParameters(): number {
  const v = vscode.workspace.getConfiguration('mlpInspector').get<number>('maxParameters', DEFAULT_MAX_PARAMETERS);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_MAX_PARAMETERS;
}

/** The training-memory budget in MiB from the settings (mlpInspector.maxTrainingMemoryMiB). */
function maxTrainingMemoryMiB(): number {
  return memoryBudgetMiB(vscode.workspace.getConfiguration('mlpInspector').get<number>('maxTrainingMemoryMiB', DEFAULT_MAX_TRAINING_MEMORY_MIB));
}

export class Inspector implements vscode.Disposable {
  private current: OpenModel | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly snapshots = new vscode.EventEmitter<TrainingSnapshot>();
  private readonly steppings = new vscode.EventEmitter<{ stepping?: SteppingView; notice?: string }>();
  private readonly gradChecks = new vscode.EventEmitter<GradCheckView>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mlp-inspector');
  private openGeneration = 0;
  private readonly trustListener: vscode.Disposable;

  /** The model or its problems changed: views should ask for the whole state again. */
  readonly onDidChange = this.changed.event;
  /** A new training snapshot (throttled by the worker). */
  readonly onSnapshot = this.snapshots.event;
  /** The stepper moved, or refused a step (with a notice saying why). */
  readonly onStepping = this.steppings.event;
  /** A gradient check finished. */
  readonly onGradCheck = this.gradChecks.event;

  /** The stepper's state, if a step was taken since the model (or sample) was loaded. */
  get stepping(): SteppingView | undefined {
    return this.current?.session?.stepping;
  }

  /** The last gradient check's result for the open model. */
  get gradCheck(): GradCheckView | undefined {
    return this.current?.gradCheck;
  }

  /**
   * @param ownFolders folders the extension fills itself (the bundled examples' working copies,
   * in its global storage): their data sets load in Restricted Mode too, as the workspace's do.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly ownFolders: readonly string[] = [],
  ) {
    // Trust granted: a data set refused in Restricted Mode may load now.
    this.trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const c = this.current;
      if (c?.dataProblem && !c.session) void this.reload(c);
    });
    // The palette offers Train, Pause, … only while a model is open.
    this.changed.event(() => void vscode.commands.executeCommand('setContext', 'mlpInspector.modelOpen', this.current !== undefined));
  }

  /** The open model's file, if any. */
  get uri(): vscode.Uri | undefined {
    return this.current?.uri;
  }

  /** What the views draw of the model. */
  get view(): ModelView | undefined {
    const c = this.current;
    if (!c) return undefined;
    return modelView({
      uri: c.uri.toString(),
      file: c.uri.fsPath,
      model: c.session?.model ?? c.model,
      problems: c.problems,
      data: c.data,
      dataError: c.dataProblem?.message ?? (c.session?.state === 'error' ? c.session.error : undefined),
      ...(c.dataProblem?.missing ? { dataMissing: true } : {}),
      unsaved: c.unsaved,
      runs: c.runs,
    });
  }

  get snapshot(): TrainingSnapshot | undefined {
    return this.current?.session?.snapshot;
  }

  /** The training session of the open model (for tests and the commands). */
  get session(): TrainingSession | undefined {
    return this.current?.session;
  }

  /** Opens a model file: reads it, loads its data and starts a worker for it. */
  async open(uri: vscode.Uri): Promise<void> {
    if (this.current && this.current.uri.toString() === uri.toString()) return;
    if (!(await this.confirmDiscard('open another model'))) return;
    await this.close();
    const open: OpenModel = { uri, text: '', problems: [], unsaved: false, runs: [], disposables: [] };
    this.current = open;
    this.watch(open);
    await this.reload(open);
  }

  /**
   * After the worker failed: a new worker on the model file and its data, starting from the last
   * weights the host copied out of the worker (TrainingSession.lastParameters: at the last rest,
   * or at most 10 s of training ago; the run's epoch count and history start over). The weights are
   * not in the file, so the model counts as unsaved. False when there is nothing to restart from.
   */
  async restartFromLastWeights(): Promise<boolean> {
    const c = this.current;
    const last = c?.session?.lastParameters;
    if (!c || !last) return false;
    const parameters = last.layers.map((l) => {
      const nOut = l.b.length;
      return { W: Array.from({ length: l.W.length / nOut }, (_, i) => Array.from(l.W.subarray(i * nOut, (i + 1) * nOut))), b: Array.from(l.b) };
    });
    await this.reload(c, parameters);
    return this.current === c && c.session !== undefined;
  }

  /** Re-reads the model file and its data, replacing the session (from `parameters`, when given). */
  private async reload(open: OpenModel, parameters?: ModelFile['parameters']): Promise<void> {
    const generation = ++this.openGeneration;
    await open.session?.dispose();
    open.session = undefined;
    open.data = undefined;
    open.dataProblem = undefined;
    this.changed.fire();
    const source = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `MLP Inspector: loading ${path.basename(open.uri.fsPath)}` },
      () =>
        loadModelSource(open.uri.fsPath, {
          maxParameters: maxParameters(),
          maxTrainingMemoryMiB: maxTrainingMemoryMiB(),
          ...(vscode.workspace.isTrusted ? {} : { untrustedFolders: [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), ...this.ownFolders] }),
        }),
    );
    if (generation !== this.openGeneration || this.current !== open) return;
    open.text = source.text;
    open.model = source.model;
    open.problems = source.problems;
    open.dataProblem = source.dataProblem;
    open.unsaved = false;
    open.runs = await readRuns(open.uri.fsPath);
    this.publishDiagnostics(open);
    if (source.model && source.data) {
      open.data = dataView(source.data);
      const session = new TrainingSession({
        workerPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'trainingWorker.js').fsPath,
        snapshotsPerSecond: vscode.workspace.getConfiguration('mlpInspector').get<number>('snapshotsPerSecond', 20),
        threads: resolveTrainingThreads(vscode.workspace.getConfiguration('mlpInspector').get<number>('trainingThreads', 0), availableCores()),
      });
      open.session = session;
      open.gradCheck = undefined;
      session.onStepping((stepping) => {
        if (this.current === open) this.steppings.fire({ stepping });
      });
      session.onSnapshot((s) => {
        if (this.current !== open) return;
        if (s.step > 0) open.unsaved = true;
        this.record(open, s);
        this.snapshots.fire(s);
      });
      session.onStateChange((state) => {
        if (this.current !== open) return;
        if (state === 'diverged') void vscode.window.showWarningMessage(`MLP Inspector: training paused: ${session.snapshot?.divergence?.message ?? 'the loss is not finite'}`);
        this.changed.fire();
      });
      session.onError((message) => {
        if (this.current !== open) return;
        // A crashed or killed worker takes the live network with it; the host still has the
        // last snapshot's weights, so nothing trained needs to be lost.
        const last = session.snapshot;
        if (!last || last.step === 0) {
          void vscode.window.showErrorMessage(`MLP Inspector: ${message}`);
          return;
        }
        const action = `Restart from Epoch ${last.epoch}`;
        void vscode.window.showErrorMessage(`MLP Inspector: ${message}. The weights of epoch ${last.epoch} (update ${last.step}) are kept.`, action).then((choice) => {
          if (choice === action && this.current === open && open.session === session) void this.restartFromLastWeights();
        });
      });
      try {
        await session.load(parameters ? { ...source.model, parameters } : source.model, source.data);
        if (parameters) open.unsaved = true;
      } catch (err) {
        if (this.current === open) open.dataProblem = { message: (err as Error).message, file: open.uri.fsPath };
      }
    }
    if (this.current === open) this.changed.fire();
  }

  /**
   * The inspector panel closed. A model with unsaved trained weights or edits stays open (the
   * sidebar shows it, Open Inspector shows it again) with its run paused; an untouched one is
   * closed, releasing its worker.
   */
  async panelClosed(): Promise<void> {
    const c = this.current;
    if (!c) return;
    if (!c.unsaved || !c.session) return this.close();
    if (c.session.state === 'training') await c.session.pause();
    vscode.window.setStatusBarMessage(`MLP Inspector: ${path.basename(c.uri.fsPath)} is kept with its unsaved training; Open Inspector shows it again.`, 8000);
  }

  /** Stops training and forgets the open model (the file on disk is untouched). */
  async close(): Promise<void> {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    this.openGeneration++;
    c.disposables.forEach((d) => d.dispose());
    this.diagnostics.clear();
    await c.session?.dispose();
    this.changed.fire();
  }

  private watch(open: OpenModel): void {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(open.uri.fsPath)), path.basename(open.uri.fsPath)));
    open.disposables.push(
      watcher,
      watcher.onDidChange(() => void this.onFileChanged(open)),
      watcher.onDidCreate(() => void this.onFileChanged(open)),
      watcher.onDidDelete(() => void this.onFileDeleted(open)),
    );
  }

  private async onFileChanged(open: OpenModel): Promise<void> {
    if (this.current !== open) return;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(open.uri));
    } catch {
      return;
    }
    if (text === open.text) return; // our own Save Model, or a touch without change
    const state = open.session?.state;
    if (open.unsaved && (state === 'training' || state === 'paused' || state === 'stopped')) {
      // A file that is no longer a model cannot be reloaded: asking would offer to drop the
      // trained weights for nothing. The run goes on; the file's problems go to the Problems view.
      const { problems } = parseModelText(text, { maxParameters: maxParameters() });
      if (problems.length > 0) {
        this.publishFileProblems(open, problems);
        const p = problems[0];
        void vscode.window.showWarningMessage(
          `${path.basename(open.uri.fsPath)} changed on disk and is not a valid model (line ${p.line}, column ${p.column}: ${p.message}). ` +
            'The run and its weights are kept here; Save Model writes a valid model file again.',
        );
        return;
      }
      const choice = await vscode.window.showWarningMessage(
        `${path.basename(open.uri.fsPath)} changed on disk. Reload it and drop the weights trained here?`,
        'Reload',
        'Keep Training',
      );
      if (choice !== 'Reload' || this.current !== open) return;
    }
    await this.reload(open);
  }

  /** The model file is gone: stop the run (no worker keeps going for a file that is not there). */
  private async onFileDeleted(open: OpenModel): Promise<void> {
    if (this.current !== open) return;
    await open.session?.dispose();
    open.session = undefined;
    open.data = undefined;
    open.dataProblem = { message: `${path.basename(open.uri.fsPath)} was deleted; training stopped. Save Model writes it again from the last weights shown.`, file: open.uri.fsPath };
    this.changed.fire();
  }

  private publishDiagnostics(open: OpenModel): void {
    this.publishFileProblems(open, open.problems);
  }

  /** Shows `problems` of the model file (and the open model's data problem) in the Problems view. */
  private publishFileProblems(open: OpenModel, problems: readonly ModelProblem[]): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (file: string, line: number, column: number, length: number, message: string, severity = vscode.DiagnosticSeverity.Error) => {
      const start = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
      const range = new vscode.Range(start, start.translate(0, Math.max(1, Math.min(length, 200))));
      const d = new vscode.Diagnostic(range, message, severity);
      d.source = 'MLP Inspector';
      const list = byFile.get(file) ?? [];
      list.push(d);
      byFile.set(file, list);
    };
    for (const p of problems) add(open.uri.fsPath, p.line, p.column, p.length, p.message);
    const dp = open.dataProblem;
    if (dp) add(dp.file ?? open.uri.fsPath, dp.line ?? 1, dp.column ?? 1, 1, dp.message, dp.missing ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Error);
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  // ── Commands ───────────────────────────────────────────────────────────────────────────

  private requireSession(): TrainingSession | undefined {
    const s = this.current?.session;
    if (!s) {
      void vscode.window.showInformationMessage(this.current ? 'MLP Inspector: the model cannot train until its problems are fixed.' : 'MLP Inspector: open a model first (MLP Inspector: Open Inspector).');
    }
    return s;
  }

  async train(): Promise<void> {
    const s = this.requireSession();
    const c = this.current;
    if (!s || !c) return;
    if (s.state === 'paused') await s.resume();
    else if (s.state !== 'training') {
      // A new run: its epochs go into a new file in NAME.runs/.
      const model = s.model;
      c.recorder = RunRecorder.start(
        c.uri.fsPath,
        {
          model: model?.name ?? path.basename(c.uri.fsPath),
          hyperparameters: { ...(s.snapshot?.hyperparameters ?? {}), epochs: model?.optimizer?.epochs ?? 100, seed: model?.init?.seed ?? 1 },
          sizes: s.info ? [...s.info.sizes] : undefined,
        },
        new Date(),
        s.snapshot?.epoch ?? 0,
      );
      await s.start();
    }
  }

  /** Appends a snapshot's new epochs to the run file; closes the run when it ends or the history went back (a reset). */
  private record(open: OpenModel, s: TrainingSnapshot): void {
    const r = open.recorder;
    if (!r) return;
    const cut = !r.appendHistory(s.history);
    if (cut || s.state === 'stopped' || s.state === 'idle' || s.state === 'diverged' || s.state === 'error') {
      if (!cut && s.state === 'stopped' && s.earlyStop) r.appendEarlyStop(s.earlyStop);
      open.recorder = undefined;
      void r.flush().then(async () => {
        open.runs = await readRuns(open.uri.fsPath);
        if (this.current === open) this.changed.fire();
      });
    }
  }

  async pause(): Promise<void> {
    const s = this.requireSession();
    if (!s) return;
    if (s.state === 'training') await s.pause();
    // Pause with nothing running must not look like a button that does nothing.
    else if (s.state !== 'paused') void vscode.window.showInformationMessage(`MLP Inspector: nothing to pause: ${s.state === 'stopped' ? `the run finished at epoch ${s.snapshot?.epoch ?? 0}` : s.state === 'idle' ? 'no run has started (Train starts one)' : `the run is ${s.state}`}.`);
  }

  async resume(): Promise<void> {
    const s = this.requireSession();
    if (s?.state === 'paused') await s.resume();
  }

  async resetWeights(): Promise<void> {
    const s = this.requireSession();
    if (!s) return;
    await s.resetWeights();
    if (this.current) this.current.unsaved = true;
    this.changed.fire();
  }

  async selectSample(index: number): Promise<void> {
    const c = this.current;
    const s = c?.session;
    const rows = s?.info?.rows.train ?? 0;
    if (!c || !s || index >= rows) return;
    await s.stepSample({ kind: 'row', index });
  }

  /** Draws the decision map over inputs `axes`; a refusal (an input the model lacks) is shown where the user picked them. */
  async setMapAxes(axes: readonly [number, number]): Promise<void> {
    const s = this.current?.session;
    if (!s) return;
    try {
      await s.setMapAxes(axes);
    } catch (err) {
      void vscode.window.showWarningMessage(`MLP Inspector: ${(err as Error).message}`);
    }
  }

  /** Steps a typed-in sample from now on (x as the network sees it, y encoded). */
  async useCustomSample(x: number[], y: number[]): Promise<void> {
    const s = this.current?.session;
    if (!s) return;
    const { stepping, problem } = await s.stepSample({ kind: 'custom', x, y });
    this.steppings.fire({ stepping, notice: problem ?? 'Custom sample set: step forward to begin.' });
  }

  /** One stepping action, carried out by the worker on the live network; a refused one says why beside the buttons. */
  async step(action: StepAction): Promise<void> {
    const c = this.current;
    const s = this.requireSession();
    if (!c || !s) return;
    const { stepping, problem } = await s.step(action);
    if (this.current !== c) return;
    if (problem) this.steppings.fire({ stepping, notice: problem });
    else if (action === 'update' || action === 'all' || action === 'undo') {
      c.unsaved = true;
      this.changed.fire();
    }
  }

  /**
   * Sets W[l][i][j] or b[l][j] by hand: checked against the network's sizes here (a webview is
   * not trusted with them), then carried out by the worker on the live network as an update
   * that Undo reverts. A refused edit says why beside the step buttons. The model is unsaved.
   */
  async setParameter(edit: ParameterEdit): Promise<void> {
    const c = this.current;
    const s = this.requireSession();
    if (!c || !s) return;
    const sizes = s.info?.sizes;
    const refused = sizes ? parameterEditProblem(edit, sizes) : 'the network is not loaded yet';
    if (refused) {
      this.steppings.fire({ stepping: s.stepping, notice: `Not set: ${refused}` });
      return;
    }
    const { stepping, problem } = await s.setParameter(edit);
    if (this.current !== c) return;
    if (problem) {
      this.steppings.fire({ stepping, notice: `Not set: ${problem}` });
      return;
    }
    c.unsaved = true;
    this.changed.fire();
  }

  /**
   * The current network's loss for the selected sample as an expression with its weights as
   * variables (for the computation graph panel), or why it cannot be drawn.
   */
  async lossGraph(): Promise<LossExpression | string> {
    const s = this.requireSession();
    if (!s?.model || !s.snapshot) return 'open a model first';
    return s.lossGraph();
  }

  /** Backprop against finite differences on the current parameters and the stepped sample. */
  async runGradientCheck(): Promise<GradCheckView | undefined> {
    const c = this.current;
    const s = this.requireSession();
    if (!c || !s?.model || !s.snapshot) return undefined;
    const view = await s.gradientCheck();
    if (this.current !== c) return undefined;
    c.gradCheck = view;
    this.gradChecks.fire(view);
    return view;
  }

  async setHyperparameters(h: Hyperparameters, epochs?: number): Promise<void> {
    const c = this.current;
    const s = this.requireSession();
    if (!c || !s) return;
    // Epochs per run matter at the next Train only: the worker takes them like any other
    // hyperparameter, and the run (epoch, history, optimizer state) goes on untouched.
    const edit: Hyperparameters = { ...h, ...(epochs !== undefined ? { epochs } : {}) };
    const tooBig = edit.batchSize !== undefined && s.model && s.info && trainingMemoryProblem(s.info.sizes, edit.batchSize, s.info.rows.train, maxTrainingMemoryMiB());
    if (tooBig) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${tooBig}.`);
      this.changed.fire();
      return;
    }
    try {
      if (Object.keys(edit).length > 0) await s.setHyperparameters(edit);
    } catch (err) {
      // The worker's refusal (e.g. early stopping without a validation split): say why, and
      // redraw the views with the settings still in force.
      void vscode.window.showErrorMessage(`MLP Inspector: ${(err as Error).message}`);
      this.changed.fire();
      return;
    }
    c.unsaved = true;
    this.changed.fire();
  }

  /**
   * True when an edit that re-initializes the network may go ahead: at once when nothing was
   * trained, else when the user confirms with `action`. A refusal redraws the views (their
   * edits undone).
   */
  private async confirmReinitializing(s: TrainingSession, warning: string, action: string): Promise<boolean> {
    if ((s.snapshot?.step ?? 0) === 0) return true;
    const choice = await vscode.window.showWarningMessage(warning, { modal: true }, action);
    if (choice === action) return true;
    this.changed.fire();
    return false;
  }

  /** Replaces the layers; the network re-initializes (after confirmation if trained weights would be lost). */
  async setLayers(layers: readonly LayerSpec[]): Promise<void> {
    const c = this.current;
    const s = this.requireSession();
    if (!c || !s?.model || !s.info) return;
    const sizes = s.info.sizes;
    if (layers[0].units !== sizes[0] || layers[layers.length - 1].units !== sizes[sizes.length - 1]) {
      void vscode.window.showErrorMessage(`MLP Inspector: the input and output layers must keep ${sizes[0]} and ${sizes[sizes.length - 1]} units: the data set has that many inputs and outputs.`);
      this.changed.fire();
      return;
    }
    const overBudget =
      parameterBudgetProblem(layers.map((l) => l.units), maxParameters()) ??
      trainingMemoryProblem(layers.map((l) => l.units), s.model.optimizer?.batchSize, s.info.rows.train, maxTrainingMemoryMiB());
    if (overBudget) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${overBudget}.`);
      this.changed.fire();
      return;
    }
    if (!(await this.confirmReinitializing(s, 'Changing the architecture re-initializes the network; the trained weights will be lost.', 'Change Architecture'))) return;
    const { parameters: _dropped, ...rest } = s.model;
    await s.load({ ...rest, layers: layers.map((l) => ({ ...l })) });
    c.gradCheck = undefined;
    c.unsaved = true;
    this.changed.fire();
  }

  /**
   * Replaces the engineered input features (data.engineered). The input layer widens or narrows
   * with them, so, as an architecture edit, the network re-initializes: after confirmation if
   * trained weights would be lost. The data is loaded again with the new features.
   */
  async setEngineered(engineered: readonly string[]): Promise<void> {
    const c = this.current;
    const s = this.requireSession();
    const model = s?.model;
    if (!c || !s || !model?.data || !s.info) return;
    const current = model.data.engineered ?? [];
    const raw = s.info.inputNames.slice(0, s.info.inputNames.length - current.length);
    try {
      resolveEngineered(engineered, raw);
    } catch (err) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${(err as Error).message}.`);
      this.changed.fire();
      return;
    }
    const sizes = [raw.length + engineered.length, ...model.layers.slice(1).map((l) => l.units)];
    const overBudget = parameterBudgetProblem(sizes, maxParameters());
    if (overBudget) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${overBudget}.`);
      this.changed.fire();
      return;
    }
    if (!(await this.confirmReinitializing(s, 'Changing the input features changes the input layer and re-initializes the network; the trained weights will be lost.', 'Change Inputs'))) return;
    // The saved parameters and normalization are of the old inputs: both go.
    const { parameters: _p, normalization: _n, ...rest } = model;
    const { engineered: _old, ...data } = model.data;
    const next: ModelFile = { ...rest, layers: [{ units: sizes[0] }, ...model.layers.slice(1)], data: engineered.length > 0 ? { ...data, engineered: [...engineered] } : data };
    const loaded = await loadModelData(next, c.uri.fsPath, { maxTrainingMemoryMiB: maxTrainingMemoryMiB() });
    if (this.current !== c) return;
    if (!loaded.data) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${loaded.dataProblem?.message ?? 'the data could not be loaded'}.`);
      this.changed.fire();
      return;
    }
    // The view first: loading transfers the split arrays to the worker.
    const view = dataView(loaded.data);
    await s.load(next, loaded.data);
    c.data = view;
    c.gradCheck = undefined;
    c.unsaved = true;
    this.changed.fire();
  }

  /** Writes the trained parameters (and edits) back into the model file, atomically. */
  async save(): Promise<boolean> {
    const c = this.current;
    const s = this.requireSession();
    if (!c || !s) return false;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === c.uri.toString());
    if (doc?.isDirty) {
      const choice = await vscode.window.showWarningMessage(`${path.basename(c.uri.fsPath)} has unsaved edits in an editor. Overwrite them with the trained model?`, { modal: true }, 'Overwrite');
      if (choice !== 'Overwrite') return false;
    }
    const text = serializeModel(await s.trainedModel());
    try {
      c.text = text;
      await writeFileAtomic(c.uri.fsPath, text);
    } catch (err) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${err instanceof FileError ? err.message : (err as Error).message}`);
      return false;
    }
    c.unsaved = false;
    if (c.dataProblem?.message.includes('was deleted')) await this.reload(c);
    this.changed.fire();
    vscode.window.setStatusBarMessage(`MLP Inspector: saved ${path.basename(c.uri.fsPath)}`, 3000);
    return true;
  }

  /**
   * Exports the live network (the weights on screen, saved or not, with the data's
   * normalization) to ONNX or a PyTorch folder at `out`; the files written, or undefined after
   * showing why not. Without a session (a model with problems) the file's own model is used.
   */
  async exportModel(format: ExportFormat, out: string): Promise<string[] | undefined> {
    const c = this.current;
    if (!c) {
      void vscode.window.showInformationMessage('MLP Inspector: open a model first (MLP Inspector: Open Inspector).');
      return undefined;
    }
    try {
      const s = c.session;
      let model: ModelFile;
      if (s) model = await s.trainedModel();
      else {
        const { model: parsed, problems } = parseModelText(c.text, { maxParameters: maxParameters() });
        if (!parsed) throw new Error(`${path.basename(c.uri.fsPath)}:${problems[0].line}:${problems[0].column}: ${problems[0].message}`);
        model = parsed;
      }
      const info = s?.info;
      const names = info ? { inputNames: info.inputNames, ...(info.classes ? { classes: info.classes } : { outputNames: info.outputNames }) } : {};
      return await exportModelFile(model, c.uri.fsPath, format, out, PRODUCT_VERSION, names);
    } catch (err) {
      void vscode.window.showErrorMessage(`MLP Inspector: the export failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Asks before dropping trained weights that are not saved; true to go on. */
  async confirmDiscard(action: string): Promise<boolean> {
    const c = this.current;
    if (!c?.unsaved || !c.session) return true;
    const choice = await vscode.window.showWarningMessage(`${path.basename(c.uri.fsPath)} has trained weights that are not saved. Save them before you ${action}?`, { modal: true }, 'Save', 'Discard');
    if (choice === 'Save') return this.save();
    return choice === 'Discard';
  }

  dispose(): void {
    void this.close();
    this.diagnostics.dispose();
    this.trustListener.dispose();
    this.changed.dispose();
    this.snapshots.dispose();
    this.steppings.dispose();
    this.gradChecks.dispose();
  }
}
