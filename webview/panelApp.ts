/**
 * The inspector panel: toolbar, network diagram, activation and weight heatmaps, loss curves.
 * It renders what the host sends and keeps only view state (the selected tab, log scale); the
 * host owns the model, the data and the run.
 */
import type { HostToPanelMessage, ModelView, PanelCommand, PanelToHostMessage, TrainingSnapshot } from '../src/protocol';
import { renderHeatmap } from './heatmap';
import { el, fmt } from './format';
import { LossChart } from './lossChart';
import { NetworkDiagram, type DiagramLayer } from './networkDiagram';

/** View state kept by VS Code across hide/show and reloads (getState/setState). */
export interface PanelViewState {
  logScale: boolean;
  /** The model shown, so that VS Code's serializer can reopen it after a reload. */
  modelUri?: string;
}

export interface PanelHost {
  post(message: PanelToHostMessage): void;
  getState(): PanelViewState | undefined;
  setState(state: PanelViewState): void;
}

const BUTTONS: { command: PanelCommand; label: string; title: string }[] = [
  { command: 'train', label: 'Train', title: 'Train (MLP Inspector: Train)' },
  { command: 'pause', label: 'Pause', title: 'Pause (MLP Inspector: Pause)' },
  { command: 'resume', label: 'Resume', title: 'Resume (MLP Inspector: Resume)' },
  { command: 'resetWeights', label: 'Reset Weights', title: 'Reset Weights (MLP Inspector: Reset Weights)' },
  { command: 'saveModel', label: 'Save Model', title: 'Save Model (MLP Inspector: Save Model)' },
];

export class PanelApp {
  private model: ModelView | undefined;
  private snapshot: TrainingSnapshot | undefined;
  private readonly view: PanelViewState;

  private readonly title = el('h1', 'model-title', 'MLP Inspector');
  private readonly subtitle = el('p', 'subtitle');
  private readonly problems = el('div', 'problems');
  private readonly status = el('p', 'run-status');
  private readonly buttons = new Map<PanelCommand, HTMLButtonElement>();
  private readonly sampleInput = el('input');
  private readonly sampleInfo = el('span', 'sample-info');
  private readonly diagram: NetworkDiagram;
  private readonly activations = el('div', 'heatmaps');
  private readonly weights = el('div', 'heatmaps');
  private readonly chart: LossChart;
  private readonly content = el('div', 'content');
  private readonly sampleBar = el('div', 'sample-bar');
  private pendingFrame = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: PanelHost,
  ) {
    this.view = host.getState() ?? { logScale: false };
    this.diagram = new NetworkDiagram(() => undefined);
    this.chart = new LossChart(this.view.logScale, (log) => {
      this.view.logScale = log;
      host.setState(this.view);
    });
    this.build();
  }

  private build(): void {
    const header = el('header', 'panel-header');
    const toolbar = el('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'Training');
    for (const b of BUTTONS) {
      const button = el('button', 'action', b.label);
      button.title = b.title;
      button.dataset.command = b.command;
      button.addEventListener('click', () => this.host.post({ type: 'command', command: b.command }));
      this.buttons.set(b.command, button);
      toolbar.append(button);
    }
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    header.append(this.title, this.subtitle, toolbar, this.status);

    const sampleBar = this.sampleBar;
    const label = el('label', undefined, 'Sample (training row) ');
    this.sampleInput.type = 'number';
    this.sampleInput.min = '0';
    this.sampleInput.value = '0';
    this.sampleInput.id = 'sample-index';
    this.sampleInput.setAttribute('aria-label', 'Selected training row');
    label.htmlFor = 'sample-index';
    this.sampleInput.addEventListener('change', () => this.selectSample(Number(this.sampleInput.value)));
    const next = el('button', 'secondary', 'Next');
    next.title = 'Select the next training row';
    next.addEventListener('click', () => this.selectSample((this.snapshot?.sample.index ?? -1) + 1));
    sampleBar.append(label, this.sampleInput, next, this.sampleInfo);

    const section = (title: string, body: HTMLElement, id: string) => {
      const s = el('section', 'card');
      s.id = id;
      s.append(el('h2', undefined, title), body);
      return s;
    };
    this.content.append(
      section('Network', this.diagram.element, 'network'),
      section('Loss', this.chart.element, 'loss'),
      section('Activations (current batch × neurons)', this.activations, 'activations'),
      section('Weights W[l] and biases b[l]', this.weights, 'weights'),
    );
    sampleBar.id = 'sample';
    this.root.replaceChildren(header, this.problems, sampleBar, this.content);
    this.renderAll();
  }

  private selectSample(index: number): void {
    const rows = this.model?.data?.rows.train ?? 0;
    if (!Number.isInteger(index) || rows === 0) return;
    const wrapped = ((index % rows) + rows) % rows;
    this.host.post({ type: 'selectSample', index: wrapped });
  }

  handle(message: HostToPanelMessage): void {
    switch (message.type) {
      case 'state':
        this.model = message.model;
        this.snapshot = message.snapshot;
        if (message.model && this.view.modelUri !== message.model.uri) {
          this.view.modelUri = message.model.uri;
          this.host.setState(this.view);
        }
        this.renderAll();
        return;
      case 'snapshot': {
        const history = this.snapshot?.history ?? [];
        history.length = Math.min(history.length, message.historyStart);
        for (const record of message.newEpochs) history.push(record);
        this.snapshot = { ...message.snapshot, history };
        this.scheduleSnapshot();
        return;
      }
      default: {
        const never: never = message;
        console.warn('MLP Inspector: unexpected message', never);
      }
    }
  }

  /** Snapshots arrive throttled by the worker; drawing is coalesced to one per frame as well. */
  private scheduleSnapshot(): void {
    if (this.pendingFrame) return;
    this.pendingFrame = true;
    requestAnimationFrame(() => {
      this.pendingFrame = false;
      this.renderSnapshot();
    });
  }

  private renderAll(): void {
    const m = this.model;
    this.title.textContent = m ? `MLP Inspector: ${m.name}` : 'MLP Inspector';
    this.subtitle.textContent = m
      ? [
          m.fileName,
          m.layers.length > 0 ? m.layers.map((l) => l.units).join('-') : '',
          m.loss ? `loss ${m.loss}` : '',
          m.data ? `${m.data.source}: ${m.data.rows.train} training, ${m.data.rows.validation} validation rows` : '',
        ]
          .filter((part) => part !== '')
          .join(' · ')
      : 'Open a *.mlp.json model (MLP Inspector: Open Inspector) to inspect it.';
    this.problems.replaceChildren();
    if (m && (m.problems.length > 0 || m.dataError)) {
      const box = el('div', 'problem-box');
      box.setAttribute('role', 'alert');
      box.append(el('strong', undefined, m.problems.length > 0 ? 'This model file has problems:' : 'The data could not be loaded:'));
      const list = el('ul');
      for (const p of m.problems) list.append(el('li', undefined, `${m.fileName}:${p.line}:${p.column}: ${p.message}`));
      if (m.dataError) list.append(el('li', undefined, m.dataError));
      box.append(list);
      this.problems.append(box);
    }
    this.content.hidden = !this.snapshot;
    this.sampleBar.hidden = !this.snapshot;
    this.renderSnapshot();
  }

  private renderSnapshot(): void {
    const s = this.snapshot;
    const m = this.model;
    this.updateButtons();
    if (!s || !m) {
      this.status.textContent = m && m.problems.length === 0 && !m.dataError ? 'Loading…' : '';
      return;
    }
    this.content.hidden = false;
    const last = s.history[s.history.length - 1];
    const parts = [`${s.state}`, `epoch ${s.epoch}${s.targetEpoch > s.epoch ? ` / ${s.targetEpoch}` : ''}`, `step ${s.step}`];
    if (last) parts.push(`loss ${fmt(last.loss, 5)}`);
    if (last?.valLoss !== undefined) parts.push(`validation loss ${fmt(last.valLoss, 5)}`);
    if (last?.accuracy !== undefined) parts.push(`accuracy ${(last.accuracy * 100).toFixed(1)} %`);
    if (s.state === 'training') parts.push(`${Math.round(s.samplesPerSecond).toLocaleString('en-US')} samples/s`);
    this.status.textContent = parts.join(' · ');
    // Exact values for tests and assistive tools; the text shows them rounded.
    this.status.dataset.state = s.state;
    this.status.dataset.epoch = String(s.epoch);
    this.status.dataset.step = String(s.step);
    this.status.dataset.loss = last ? String(last.loss) : '';
    if (s.divergence) this.status.textContent += ` — ${s.divergence.message}`;
    if (s.error) this.status.textContent += ` — ${s.error}`;

    const sample = s.sample;
    if (document.activeElement !== this.sampleInput) this.sampleInput.value = String(sample.index);
    this.sampleInfo.textContent = ` row ${sample.index} of ${m.data?.rows.train ?? '?'} · y = (${Array.from(sample.y, (v) => fmt(v)).join(', ')}) · ŷ = (${Array.from(sample.a[sample.a.length - 1], (v) => fmt(v)).join(', ')}) · L = ${fmt(sample.loss, 5)}`;

    const layers: DiagramLayer[] = [{ size: s.layers[0]?.nIn ?? 0, activation: 'input', unitNames: m.data?.inputNames, a: sample.a[0] }];
    s.layers.forEach((layer, k) => {
      const l = k + 1;
      layers.push({ size: layer.nOut, activation: layer.activation, unitNames: l === s.layers.length ? m.data?.outputNames : undefined, a: sample.a[l], z: sample.z[l], b: layer.b, W: layer.W });
    });
    this.diagram.render(layers);
    this.chart.update(s.history);
    this.renderHeatmaps(s);
  }

  private renderHeatmaps(s: TrainingSnapshot): void {
    const acts: HTMLElement[] = [];
    s.batch.a.forEach((m, l) => {
      if (m.rows === 0) return;
      const cut = m.cols < m.neurons ? ` (first ${m.cols} of ${m.neurons})` : '';
      acts.push(renderHeatmap({ title: `a[${l}]${l === 0 ? ' = x' : ''}${cut}`, rows: m.rows, cols: m.cols, values: m.data, cellName: (r, c) => `a[${l}]_${c} of row ${s.batch.sampleIndices[r]}` }));
    });
    this.activations.replaceChildren(...acts);
    const ws: HTMLElement[] = [];
    s.layers.forEach((layer, k) => {
      const l = k + 1;
      // W[l] with b[l] as a last row, on one colour scale, as the lecture writes [W; bᵀ].
      const values = new Float64Array((layer.nIn + 1) * layer.nOut);
      values.set(layer.W);
      values.set(layer.b, layer.nIn * layer.nOut);
      ws.push(renderHeatmap({ title: `W[${l}] (${layer.nIn} × ${layer.nOut}) and b[${l}] (last row)`, rows: layer.nIn + 1, cols: layer.nOut, values, cellName: (r, c) => (r < layer.nIn ? `W[${l}][${r}][${c}]` : `b[${l}][${c}]`) }));
    });
    this.weights.replaceChildren(...ws);
  }

  private updateButtons(): void {
    const state = this.snapshot?.state;
    const usable = !!this.snapshot && !!this.model && this.model.problems.length === 0 && !this.model.dataError;
    const enabled: Record<PanelCommand, boolean> = {
      train: usable && state !== 'training' && state !== 'paused',
      pause: usable && state === 'training',
      resume: usable && state === 'paused',
      resetWeights: usable,
      saveModel: usable,
    };
    for (const [command, button] of this.buttons) button.disabled = !enabled[command];
  }
}
