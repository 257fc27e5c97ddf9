import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bestConfig, matchResults, modelForConfig, parseSweep, serializeSweep, type SweepFile, type SweepProgress, type SweepResult } from '../analysis/sweep';
import { loadModelSource, type ModelSource } from '../host/loadModelSource';
import { Commands } from '../inspector/commands';
import { serializeModel } from '../model/modelFile';
import { FileError, readTextFile, writeFileAtomic } from '../node/files';
import type { SweepLabState, SweepRequest, SweepSummary } from './labProtocol';
import { PanelSlot } from '../inspector/WebviewPanelBase';
import { LabPanel, type LabRequest } from './LabPanel';
import { startSweep, type RunningSweep } from './SweepRunner';
import { archivedSweepName, bestModelFileFor, describeConfig, sweepArchiveFor, sweepFileFor } from './sweepFiles';
import { configCount } from './sweepRequest';

/** Panel messages while a sweep trains: at most this often (every finished configuration is sent at once). */
const PROGRESS_POST_MS = 200;

/**
 * MLP Inspector: Run Architecture Sweep, for one model file. The webview's form sends the
 * ranges; the host loads the model and its data afresh, trains every configuration off its
 * event loop (SweepRunner: the sweep worker, or short slices), with a cancellable notification,
 * streams the results to the table and chart, and writes NAME.sweep.json beside the model, which
 * is shown again the next time the lab opens on that model.
 */
export class SweepLabPanel extends LabPanel {
  public static readonly viewType = 'mlpInspector.sweepLab';
  private static readonly slot = new PanelSlot<SweepLabPanel>();

  public static createOrShow(extensionUri: vscode.Uri, modelUri: vscode.Uri): SweepLabPanel {
    const open = SweepLabPanel.slot.panel;
    if (open && open.modelUri.fsPath === modelUri.fsPath) {
      open.reveal();
      return open;
    }
    if (open?.running) {
      open.reveal();
      void vscode.window.showInformationMessage(`MLP Inspector: a sweep of ${path.basename(open.modelUri.fsPath)} is running; cancel it before sweeping another model.`);
      return open;
    }
    open?.dispose(); // another model's, idle: this one takes its place
    const panel = vscode.window.createWebviewPanel(SweepLabPanel.viewType, 'Architecture Sweep', vscode.ViewColumn.Active, LabPanel.panelOptions(extensionUri));
    const made = new SweepLabPanel(panel, extensionUri, modelUri);
    SweepLabPanel.slot.adopt(made);
    return made;
  }

  /** Stops a sweep in progress (the extension is deactivating): its worker ends after the epoch it is in. */
  public static cancelRunning(): void {
    SweepLabPanel.slot.panel?.run?.cancel();
  }

  /** Adopts a panel VS Code restores after a reload, on the model it showed. */
  public static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, modelUri: vscode.Uri): void {
    SweepLabPanel.slot.adopt(new SweepLabPanel(panel, extensionUri, modelUri));
  }

  private source: ModelSource | undefined;
  private file: SweepFile | undefined;
  private results: SweepResult[] = [];
  private request: SweepRequest | undefined;
  private progress: SweepProgress | undefined;
  private run: RunningSweep | undefined;
  private ranIn: 'worker' | 'host' | undefined;
  private bestWritten: string | undefined;
  private lastPost = 0;
  private loaded: Promise<void>;
  /** Every sweep kept in NAME.sweeps/, newest first (the one shown among them). */
  private earlier: { summary: SweepSummary; file: SweepFile }[] = [];
  /** The earlier sweep the results are compared with, by file name. */
  private compareId: string | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly modelUri: vscode.Uri,
  ) {
    super(panel, extensionUri, 'sweep', `Sweep: ${path.basename(modelUri.fsPath).replace(/\.mlp\.json$/, '')}`);
    this.loaded = this.load();
  }

  private get running(): boolean {
    return this.run !== undefined;
  }

  /** Reads the model (for the form's defaults and to report its problems early) and a sweep file written before. */
  private async load(): Promise<void> {
    this.source = await loadModelSource(this.modelUri.fsPath);
    const sweepPath = sweepFileFor(this.modelUri.fsPath);
    if (existsSync(sweepPath)) {
      try {
        this.showFile(parseSweep(await readTextFile(sweepPath)));
      } catch (err) {
        void vscode.window.showWarningMessage(`MLP Inspector: ${path.basename(sweepPath)} could not be reopened: ${(err as Error).message}`);
      }
    }
    await this.loadEarlier();
  }

  /** Reads the sweeps kept in NAME.sweeps/; a file that does not parse is named in a warning and left out. */
  private async loadEarlier(): Promise<void> {
    const dir = sweepArchiveFor(this.modelUri.fsPath);
    let names: string[];
    try {
      names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.sweep.json'));
    } catch {
      names = []; // no sweep kept yet
    }
    const found: { summary: SweepSummary; file: SweepFile }[] = [];
    const unreadable: string[] = [];
    for (const id of names) {
      try {
        const file = parseSweep(await readTextFile(path.join(dir, id)));
        found.push({ summary: { id, started: file.started, configs: file.results.length, cancelled: file.cancelled }, file });
      } catch (err) {
        unreadable.push(`${id}: ${(err as Error).message}`);
      }
    }
    if (unreadable.length > 0) void vscode.window.showWarningMessage(`MLP Inspector: ${unreadable.length} sweep file(s) in ${path.basename(dir)} could not be read and are not offered for comparison. ${unreadable[0]}`);
    found.sort((a, b) => b.summary.started.localeCompare(a.summary.started));
    this.earlier = found;
    if (this.compareId !== undefined && !found.some((e) => e.summary.id === this.compareId)) this.compareId = undefined;
  }

  /** The kept sweeps other than the one shown. */
  private others(): { summary: SweepSummary; file: SweepFile }[] {
    return this.earlier.filter((e) => e.file.started !== this.file?.started);
  }

  private showFile(file: SweepFile): void {
    this.file = file;
    this.results = [...file.results];
    const { seed: _seed, ...request } = file.spec;
    this.request = request;
  }

  /** Exports go beside the swept model. */
  protected override exportFolder(): vscode.Uri | undefined {
    return vscode.Uri.joinPath(this.modelUri, '..');
  }

  protected override async onMessage(message: LabRequest): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.loaded;
        this.postState();
        return;
      case 'runSweep':
        return this.start(message.request);
      case 'cancelSweep':
        this.run?.cancel();
        return;
      case 'openBest':
        return this.openBest();
      case 'compareSweep':
        // Only a sweep the panel listed: the id names a file in NAME.sweeps/, never a path.
        this.compareId = message.id !== null && this.others().some((e) => e.summary.id === message.id) ? message.id : undefined;
        this.postState();
        return;
      case 'showCollapse':
      case 'askCurves':
      case 'askSoftmax':
        return; // refused by checkLabMessage already
      default: {
        const never: never = message;
        console.warn(`MLP Inspector: unexpected lab message ${JSON.stringify(never)}`);
      }
    }
  }

  private state(): SweepLabState {
    const s = this.source;
    const m = s?.model;
    const hidden = m?.layers.slice(1, -1) ?? [];
    const problem = !s
      ? undefined
      : !m
        ? `${path.basename(this.modelUri.fsPath)} has problems: ${s.problems[0]?.message ?? 'it could not be read'}`
        : !s.data
          ? `The data could not be loaded: ${s.dataProblem?.message ?? 'unknown problem'}`
          : undefined;
    const useValidation = this.results.some((r) => r.finalValLoss !== undefined && Number.isFinite(r.finalValLoss));
    const best = bestConfig(this.results);
    return {
      modelUri: this.modelUri.toString(),
      ...(m
        ? {
            model: {
              name: m.name ?? path.basename(this.modelUri.fsPath).replace(/\.mlp\.json$/, ''),
              fileName: path.basename(this.modelUri.fsPath),
              hiddenActivation: hidden[0]?.activation ?? 'relu',
              learningRate: m.optimizer?.learningRate ?? (m.optimizer?.type === 'adam' ? 0.001 : 0.1),
              epochs: m.optimizer?.epochs ?? 100,
              depth: hidden.length,
              width: hidden[0]?.units ?? 4,
            },
          }
        : {}),
      ...(problem ? { problem } : {}),
      running: this.running,
      ...(this.progress && this.running ? { progress: this.progress } : {}),
      ...(this.request ? { request: this.request } : {}),
      results: this.results,
      total: this.request ? configCount(this.request) : 0,
      ...(best ? { best: this.results.indexOf(best), bestBy: useValidation ? ('validation' as const) : ('training' as const) } : {}),
      cancelled: this.file?.cancelled ?? false,
      ...(this.file ? { file: { fileName: path.basename(sweepFileFor(this.modelUri.fsPath)), started: this.file.started } } : {}),
      ...(this.ranIn ? { ranIn: this.ranIn } : {}),
      ...(this.bestWritten ? { bestWritten: this.bestWritten } : {}),
      earlier: this.others().map((e) => e.summary),
      ...this.comparison(),
    };
  }

  private comparison(): Pick<SweepLabState, 'compare'> {
    const chosen = this.others().find((e) => e.summary.id === this.compareId);
    if (!chosen) return {};
    return { compare: { id: chosen.summary.id, started: chosen.file.started, results: matchResults(this.results, chosen.file.results) } };
  }

  private postState(): void {
    this.lastPost = Date.now();
    this.post({ type: 'sweepState', state: this.state() });
  }

  private async start(request: SweepRequest): Promise<void> {
    if (this.running) return;
    // The model and its data as they are now on disk: the sweep trains what the file says.
    this.source = await loadModelSource(this.modelUri.fsPath);
    const base = this.source.model;
    const data = this.source.data;
    if (!base || !data) {
      this.postState();
      void vscode.window.showErrorMessage(`MLP Inspector: ${this.state().problem ?? 'the model cannot be swept'}`);
      return;
    }
    const spec = { ...request, seed: base.init?.seed ?? 1 };
    this.request = request;
    this.results = [];
    this.file = undefined;
    this.progress = undefined;
    this.bestWritten = undefined;
    const total = configCount(request);
    const workerPath = vscode.Uri.joinPath(this.extensionUri, 'dist', 'sweepWorker.js').fsPath;
    const name = path.basename(this.modelUri.fsPath);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MLP Inspector: sweeping ${total} architectures of ${name}`, cancellable: true },
      async (report, token) => {
        let reported = 0;
        const run = startSweep(workerPath, base, data, spec, {
          onProgress: (p) => {
            this.progress = p;
            const pct = Math.floor(p.fraction * 100);
            if (pct > reported) {
              report.report({ increment: pct - reported, message: `${p.index + 1} of ${p.configs}: ${describeConfig(p.config)}, epoch ${p.epoch} of ${p.epochs}` });
              reported = pct;
            }
            if (Date.now() - this.lastPost >= PROGRESS_POST_MS) this.postState();
          },
          onResult: (r) => {
            this.results.push(r);
            this.postState();
          },
        });
        this.run = run;
        this.ranIn = run.ranIn;
        const cancellation = token.onCancellationRequested(() => run.cancel());
        this.postState();
        try {
          const file = await run.done;
          this.file = file;
          this.results = [...file.results];
          // Kept twice: as NAME.sweep.json, what reopens, and in NAME.sweeps/, for comparisons later.
          const text = serializeSweep(file);
          const archive = sweepArchiveFor(this.modelUri.fsPath);
          await fsp.mkdir(archive, { recursive: true });
          await writeFileAtomic(path.join(archive, archivedSweepName(file.started)), text);
          await writeFileAtomic(sweepFileFor(this.modelUri.fsPath), text);
          await this.loadEarlier();
          vscode.window.setStatusBarMessage(`MLP Inspector: ${file.cancelled ? 'cancelled sweep' : 'sweep'} written to ${path.basename(sweepFileFor(this.modelUri.fsPath))}`, 5000);
        } catch (err) {
          void vscode.window.showErrorMessage(`MLP Inspector: the sweep failed: ${err instanceof FileError ? err.message : (err as Error).message}`);
        } finally {
          cancellation.dispose();
          this.run = undefined;
          this.postState();
        }
      },
    );
  }

  /** Writes the best configuration as a new model file beside the model and opens it in the inspector. */
  private async openBest(): Promise<void> {
    const file = this.file;
    const best = file && bestConfig(file.results);
    if (!file || !best) {
      void vscode.window.showInformationMessage('MLP Inspector: there is no finished sweep with a result to open.');
      return;
    }
    const target = bestModelFileFor(this.modelUri.fsPath);
    const model = modelForConfig(file.base, best.config, file.spec.seed, file.spec.epochs);
    try {
      await writeFileAtomic(target, serializeModel(model));
    } catch (err) {
      void vscode.window.showErrorMessage(`MLP Inspector: ${(err as Error).message}`);
      return;
    }
    this.bestWritten = path.basename(target);
    this.postState();
    await vscode.commands.executeCommand(Commands.openInspector, vscode.Uri.file(target));
  }

  protected override onDispose(): void {
    this.run?.cancel();
  }
}
