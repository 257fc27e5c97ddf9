import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';

/** How often the status bar's text may change while a run trains (snapshots come at up to 60/s). */
const UPDATE_MS = 250;

/**
 * The status bar item of a run in progress: a spinner, the epoch and the loss while training,
 * "paused" while paused, "stopped early" after early stopping ended a run, hidden otherwise. Clicking it shows the inspector panel. It also keeps
 * the context key `mlpInspector.runState`, which Pause and Resume are enabled by.
 */
export class RunStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlpInspector.run', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private lastUpdate = 0;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private state = '';

  constructor(private readonly inspector: Inspector) {
    this.item.name = 'MLP Inspector: Run';
    this.item.command = { command: 'mlpInspector.openInspector', title: 'Show the inspector' };
    inspector.onSnapshot(() => this.schedule(), undefined, this.disposables);
    inspector.onDidChange(() => this.update(), undefined, this.disposables);
    this.update();
  }

  private schedule(): void {
    const wait = UPDATE_MS - (Date.now() - this.lastUpdate);
    if (wait <= 0) this.update();
    else this.pending ??= setTimeout(() => this.update(), wait);
  }

  private update(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.lastUpdate = Date.now();
    const s = this.inspector.snapshot;
    const state = this.inspector.session?.state ?? 'none';
    if (state !== this.state) {
      this.state = state;
      void vscode.commands.executeCommand('setContext', 'mlpInspector.runState', state);
    }
    const name = this.inspector.view?.name ?? 'model';
    if (s?.earlyStop && state === 'stopped') {
      // Why the run ended before its last epoch stays in view until the next run.
      this.item.text = `$(debug-stop) ${name}: stopped early at epoch ${s.earlyStop.epoch.toLocaleString('en-US')}`;
      this.item.tooltip = `MLP Inspector: ${s.earlyStop.message}. Click to show the inspector.`;
      this.item.accessibilityInformation = { label: `MLP Inspector run ${s.earlyStop.message}` };
      this.item.show();
      return;
    }
    if (!s || (state !== 'training' && state !== 'paused')) {
      this.item.hide();
      return;
    }
    const loss = s.history.length > 0 ? s.history[s.history.length - 1].loss : s.sample.loss;
    this.item.text = `${state === 'training' ? '$(sync~spin)' : '$(debug-pause)'} ${name}: epoch ${s.epoch.toLocaleString('en-US')} · loss ${loss.toPrecision(4)}`;
    this.item.tooltip = `MLP Inspector: ${name} is ${state} (epoch ${s.epoch} of ${s.targetEpoch}). Click to show the inspector.`;
    this.item.accessibilityInformation = { label: `MLP Inspector run ${state}, epoch ${s.epoch}, loss ${loss.toPrecision(4)}` };
    this.item.show();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.item.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
