/**
 * The inspector panel: toolbar, network diagram, activation and weight heatmaps, loss curves.
 * It renders what the host sends and keeps only view state (the selected tab, log scale); the
 * host owns the model, the data and the run.
 */
import { applyHistoryDelta } from '../src/training/epochHistory';
import type { GradCheckView, LayerSnapshot, SteppingView, TrainingSnapshot } from '../src/training/workerProtocol';
import type { HostToPanelMessage, ModelView, PanelCommand, PanelToHostMessage } from '../src/inspector/viewProtocol';
import { renderHeatmap } from './heatmap';
import { el, fmt } from './format';
import { num, renderLedger } from './ledger';
import { MAX_SLICE_INPUTS, confusionOfView, curveMarkersOf, decisionMapSvg, drawDecisionMap, drawFittedCurve, histogramCanvas, neuronImage, pointKindsOf, pointLegend, classColor, REGRESSION_POINT, trendCanvas, trendOf } from './insights';
import { csv, exportButtons, refreshOpenTables } from './exporter';
import { heatmapSvg, histogramSvg, lineSvg, liveSvg } from './svgExport';
import type { Histogram } from '../src/analysis/histograms';
import type { LayerStatQuantity } from '../src/analysis/layerStats';
import { LossChart } from './lossChart';
import { currentRecord, earlyStoppingNote, figuresTable, lossCsv } from './runFigures';
import { NetworkDiagram, type DiagramLayer } from './networkDiagram';

/** W[l][i][j] of the diagram's drawn units, from W whole or from the edges the worker picked. */
function diagramWeights(layer: LayerSnapshot): DiagramLayer['W'] {
  const { W, nOut, edges } = layer;
  if (W) return { at: (i, j) => W[i * nOut + j], limit: layer.absMaxW };
  const row = new Map(edges.i.map((i, a) => [i, a]));
  const col = new Map(edges.j.map((j, b) => [j, b]));
  return { at: (i, j) => edges.W[row.get(i)! * edges.j.length + col.get(j)!], limit: layer.absMaxW };
}

/** The least time between two announcements of a training run's trend. */
const ANNOUNCE_EVERY_MS = 5000;

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
  { command: 'exportModel', label: 'Export…', title: 'Export the network on screen to ONNX or PyTorch (MLP Inspector: Export Model…)' },
];

const STEP_BUTTONS: { command: PanelCommand; label: string; title: string }[] = [
  { command: 'stepForward', label: 'Step Forward', title: 'Compute the next layer: z = b + Wᵀa, a = σ(z) (MLP Inspector: Step Forward, Ctrl+Alt+Right)' },
  { command: 'stepBackward', label: 'Step Backward', title: 'Backpropagate one layer by the chain rule (MLP Inspector: Step Backward, Ctrl+Alt+Left)' },
  { command: 'applyUpdate', label: 'Apply Update', title: 'Apply the optimizer step to every W and b (MLP Inspector: Apply Update, Ctrl+Alt+U)' },
  { command: 'step', label: 'Full Step', title: 'Forward, backward and update in one go (MLP Inspector: Forward, Backward and Update (Full Step), Ctrl+Alt+Down)' },
  { command: 'undoStep', label: 'Undo', title: 'Revert the last update or weight edit (MLP Inspector: Undo Step, Ctrl+Alt+Z)' },
  { command: 'runGradientCheck', label: 'Gradient Check', title: 'Backprop against finite differences for this sample (MLP Inspector: Run Gradient Check)' },
  { command: 'showLossGraph', label: 'Loss as Graph', title: "This sample's loss as a computation graph of modules, with the weights as variables (MLP Inspector: Show Loss as Computation Graph)" },
];

export class PanelApp {
  private model: ModelView | undefined;
  private snapshot: TrainingSnapshot | undefined;
  private stepping: SteppingView | undefined;
  private gradCheck: GradCheckView | undefined;
  private notice = '';
  /** The ledger's layer (1..L) and neuron, chosen by clicking the diagram or the layer tabs. */
  private ledgerLayer: number | undefined;
  private ledgerNeuron: number | undefined;
  private readonly stepNotice = el('p', 'step-notice');
  private readonly layerTabs = el('div', 'layer-tabs');
  private readonly ledgerHost = el('div', 'ledger-host');
  private readonly gradCheckHost = el('div', 'gradcheck');
  private readonly decisionHost = el('div', 'decision');
  /** The decision card: the slice's input pickers (models with more than 2 inputs), then the map. */
  private readonly decisionCard = el('div');
  private readonly sliceBar = el('div', 'slice-bar');
  private readonly sliceSelects = [el('select'), el('select')] as const;
  private readonly distributionsHost = el('div', 'distributions');
  private readonly confusionHost = el('div', 'confusion');
  private lastInsights = 0;
  private insightsTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly customX = el('input');
  private readonly customY = el('input');
  private readonly view: PanelViewState;

  private readonly title = el('h1', 'model-title', 'MLP Inspector');
  private readonly subtitle = el('p', 'subtitle');
  private readonly problems = el('div', 'problems');
  private readonly status = el('p', 'run-status');
  /**
   * What a screen reader hears: state changes at once, and while training the loss and its trend
   * at most every ANNOUNCE_EVERY_MS (the visible status changes up to 20 times a second and is
   * not a live region, so it does not flood the reader).
   */
  private readonly announcer = el('div', 'announcer');
  private announced: { state?: string; at: number } = { at: 0 };
  private readonly buttons = new Map<PanelCommand, HTMLButtonElement>();
  private readonly sampleInput = el('input');
  private readonly sampleInfo = el('span', 'sample-info');
  private readonly diagram: NetworkDiagram;
  private readonly activations = el('div', 'heatmaps');
  private readonly weights = el('div', 'heatmaps');
  private readonly chart: LossChart;
  /** Under the loss chart: the figures of the current weights and early stopping's word. */
  private readonly runFigures = el('div', 'run-figures-host');
  private readonly content = el('div', 'content');
  private readonly sampleBar = el('div', 'sample-bar');
  /** Lesson mode: the truth table beside the network, and its live status line. */
  private readonly lessonHost = el('div', 'lesson');
  private readonly lessonBody = el('div', 'lesson-body');
  private readonly lessonStatus = el('p', 'lesson-status');
  private pendingFrame = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: PanelHost,
  ) {
    this.view = host.getState() ?? { logScale: false };
    this.diagram = new NetworkDiagram(
      (sel) => {
        if (sel.layer >= 1) {
          this.ledgerLayer = sel.layer;
          this.ledgerNeuron = sel.unit;
          this.renderStepping();
        }
      },
      (edit) => this.host.post({ type: 'setParameter', edit }),
    );
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
    this.announcer.setAttribute('role', 'status');
    this.announcer.setAttribute('aria-live', 'polite');
    this.announcer.setAttribute('aria-atomic', 'true');
    header.append(this.title, this.subtitle, toolbar, this.status, this.announcer);

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
    const stepBar = el('div', 'toolbar');
    stepBar.setAttribute('role', 'toolbar');
    stepBar.setAttribute('aria-label', 'Stepping');
    for (const b of STEP_BUTTONS) {
      const button = el('button', b.command === 'runGradientCheck' || b.command === 'showLossGraph' ? 'secondary' : 'action', b.label);
      button.title = b.title;
      button.dataset.command = b.command;
      button.addEventListener('click', () => this.host.post({ type: 'command', command: b.command }));
      this.buttons.set(b.command, button);
      stepBar.append(button);
    }
    const custom = el('div', 'custom-sample');
    const cx = el('label', undefined, 'or type x ');
    this.customX.placeholder = 'e.g. 1, 0';
    this.customX.setAttribute('aria-label', 'custom input x, comma-separated, as the network sees it');
    cx.append(this.customX);
    const cy = el('label', undefined, ' y ');
    this.customY.placeholder = 'e.g. 1';
    this.customY.setAttribute('aria-label', 'custom target y, comma-separated (one-hot for classes)');
    cy.append(this.customY);
    const use = el('button', 'secondary', 'Use');
    use.id = 'use-custom-sample';
    use.addEventListener('click', () => {
      const parse = (t: string) => t.split(',').map((v) => Number(v.trim()));
      const x = parse(this.customX.value);
      const y = parse(this.customY.value);
      if (x.some((v) => !Number.isFinite(v)) || y.some((v) => !Number.isFinite(v)) || this.customX.value.trim() === '' || this.customY.value.trim() === '') {
        this.notice = 'x and y must be comma-separated numbers';
        this.renderStepping();
        return;
      }
      this.host.post({ type: 'customSample', x, y });
    });
    custom.append(cx, cy, use);
    this.stepNotice.setAttribute('role', 'status');
    const lossBody = el('div');
    lossBody.append(this.chart.element, this.runFigures);
    const stepBody = el('div');
    stepBody.append(stepBar, custom, this.stepNotice, this.layerTabs, this.ledgerHost);
    this.content.append(
      section('Step through forward, backward and update', stepBody, 'step'),
      section('Network', this.networkRow(), 'network'),
      section('Loss', lossBody, 'loss'),
      section('Activations (a fixed sample: the first training rows × neurons)', this.activations, 'activations'),
      section('Weights W[l] and biases b[l]', this.weights, 'weights'),
      section('Decision map', this.decisionCard, 'decision-card'),
      section('Distributions', this.distributionsHost, 'distributions-card'),
      section('Classification results', this.confusionHost, 'confusion-card'),
      section('Gradient check', this.gradCheckHost, 'gradcheck-card'),
    );
    this.content.querySelector('#network h2')?.after(
      exportButtons((m) => this.host.post(m), 'network', undefined, undefined, () => {
        const root = this.diagram.element.querySelector('svg.network');
        const s = this.snapshot;
        return root instanceof SVGSVGElement ? liveSvg(root, `${this.model?.name ?? 'Network'}: the network at epoch ${s?.epoch ?? 0}, step ${s?.step ?? 0}`) : undefined;
      }),
    );
    this.sliceSelects.forEach((select, k) => {
      const label = el('label', undefined, k === 0 ? 'horizontal ' : ' vertical ');
      select.id = k === 0 ? 'slice-horizontal' : 'slice-vertical';
      label.htmlFor = select.id;
      select.addEventListener('change', () => {
        const pick = Number(select.value);
        const now = this.mapAxes();
        const other = now[1 - k];
        // Picking the other axis's input swaps the two. The worker draws the new slice and the
        // next snapshot shows it (refused, the map stays as it is and the host says why).
        const axes: [number, number] = k === 0 ? [pick, pick === other ? now[0] : other] : [pick === other ? now[1] : other, pick];
        this.host.post({ type: 'mapAxes', axes });
      });
      this.sliceBar.append(label, select);
    });
    this.sliceBar.hidden = true;
    this.decisionCard.append(this.sliceBar, this.decisionHost);
    const lossCard = this.content.querySelector('#loss h2');
    lossCard?.after(
      exportButtons(
        (m) => this.host.post(m),
        'loss',
        () => this.chart.canvasElement,
        () => lossCsv(this.snapshot?.history ?? []),
        () => this.chart.svg(),
      ),
    );
    sampleBar.id = 'sample';
    this.root.replaceChildren(header, this.problems, sampleBar, this.content);
    this.renderAll();
  }

  /** The diagram, and in lesson mode the truth table beside it. */
  private networkRow(): HTMLElement {
    const row = el('div', 'network-row');
    this.lessonStatus.setAttribute('role', 'status');
    this.lessonStatus.setAttribute('aria-live', 'polite');
    this.lessonHost.id = 'lesson';
    this.lessonHost.hidden = true;
    this.lessonHost.append(this.lessonBody, this.lessonStatus);
    row.append(this.diagram.element, this.lessonHost);
    return row;
  }

  /**
   * Lesson mode: each row of the data (the truth table) with its target and the network's output
   * under the snapshot's weights, and "Solved" once every output rounds to its target (said in
   * the live region when it changes).
   */
  private renderLesson(s: TrainingSnapshot, m: ModelView): void {
    const lesson = m.lesson;
    const table = s.figures.truthTable;
    this.lessonHost.hidden = !lesson || !table;
    if (!lesson || !table) {
      this.lessonBody.replaceChildren();
      this.lessonStatus.textContent = '';
      return;
    }
    const inputs = m.data?.inputNames ?? [];
    const outputs = m.data?.outputNames ?? [];
    const t = el('table', 'lesson-table');
    t.setAttribute('aria-label', `Truth table: each row's inputs, target and the network's current output`);
    const head = el('tr');
    head.append(...inputs.map((n) => el('th', undefined, n)), ...outputs.map((n) => el('th', undefined, `target ${n}`)), ...outputs.map((n) => el('th', undefined, `output ${n === 'y' ? 'ŷ' : n}`)), el('th', undefined, ''));
    t.append(head);
    table.rows.forEach((r, k) => {
      const tr = el('tr');
      tr.dataset.row = String(k);
      tr.dataset.correct = String(r.correct);
      const yhat = r.yhat.map((v) => {
        const td = el('td', 'yhat');
        td.append(num(v, 3));
        return td;
      });
      const mark = el('td', 'mark', r.correct ? '✓' : '✗');
      mark.setAttribute('aria-label', r.correct ? 'rounds to the target' : 'does not round to the target');
      tr.append(...r.x.map((v) => el('td', undefined, fmt(v))), ...r.y.map((v) => el('td', 'target', fmt(v))), ...yhat, mark);
      t.append(tr);
    });
    const note = el('p', 'hint', `Outputs of the weights of update ${s.figures.step}; a row is right when its output rounds to its target.`);
    this.lessonBody.replaceChildren(el('h3', undefined, `Lesson: ${lesson.title}`), el('p', 'lesson-goal', lesson.goal), t, note);
    const right = table.rows.filter((r) => r.correct).length;
    const status = table.solved ? `✓ Solved: all ${table.rows.length} rows round to their targets.` : `${right} of ${table.rows.length} rows right: not solved yet.`;
    // Only a change is announced (a snapshot that changes nothing says nothing).
    if (this.lessonStatus.textContent !== status) this.lessonStatus.textContent = status;
    this.lessonStatus.classList.toggle('solved', table.solved);
    this.lessonHost.dataset.solved = String(table.solved);
  }

  private selectSample(index: number): void {
    const rows = this.model?.data?.rows.train ?? 0;
    if (!Number.isInteger(index) || rows === 0) return;
    const wrapped = ((index % rows) + rows) % rows;
    this.host.post({ type: 'selectSample', index: wrapped });
  }

  handle(message: HostToPanelMessage): void {
    switch (message.type) {
      case 'stepping':
        this.stepping = message.stepping;
        this.notice = message.notice ?? '';
        if (message.stepping?.lastLayer !== undefined) {
          this.ledgerLayer = message.stepping.lastLayer;
        }
        this.renderSnapshot();
        return;
      case 'gradCheck':
        this.gradCheck = message.gradCheck;
        this.renderGradCheck();
        return;
      case 'state':
        this.model = message.model;
        this.snapshot = message.snapshot;
        this.stepping = message.stepping;
        this.gradCheck = message.gradCheck;
        this.notice = message.notice ?? '';
        if (message.model && this.view.modelUri !== message.model.uri) {
          this.view.modelUri = message.model.uri;
          this.host.setState(this.view);
        }
        this.renderAll();
        return;
      case 'snapshot': {
        const history = this.snapshot?.history ?? [];
        applyHistoryDelta(history, message.historyStart, message.newEpochs);
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
      // Drawn: the host sends the next snapshot only now, so a slow frame thins the snapshots
      // instead of queueing them (and every click behind them).
      this.host.post({ type: 'drawn' });
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
      const notice = m.problems.length === 0 && m.dataMissing === true;
      const box = el('div', notice ? 'notice-box' : 'problem-box');
      box.setAttribute('role', notice ? 'status' : 'alert');
      box.append(el('strong', undefined, m.problems.length > 0 ? 'This model file has problems:' : notice ? 'No dataset yet: the weights are here, the data to step and train them on is not.' : 'The data could not be loaded:'));
      const list = el('ul');
      for (const p of m.problems) list.append(el('li', undefined, `${m.fileName}:${p.line}:${p.column}: ${p.message}`));
      if (m.dataError) list.append(el('li', undefined, m.dataError));
      box.append(list);
      if (m.problems.length === 0 && m.dataError) {
        const attach = el('button', 'action', 'Attach Dataset…');
        attach.title = 'Pick a data file and its columns for this model, keeping its weights (MLP Inspector: Attach Dataset…)';
        attach.addEventListener('click', () => this.host.post({ type: 'command', command: 'attachDataset' }));
        box.append(attach);
      }
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
    // The figures of the weights held: the best epoch's once early stopping restored them.
    const { record: last, restored } = currentRecord(s);
    const parts = [`${s.state}`, `epoch ${s.epoch}${s.targetEpoch > s.epoch ? ` / ${s.targetEpoch}` : ''}`, `step ${s.step}`];
    if (last && restored) parts.push(`weights of epoch ${last.epoch}`);
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
    if (s.earlyStop) this.status.textContent += ` — ${s.earlyStop.message}`;
    if (s.divergence) this.status.textContent += ` — ${s.divergence.message}`;
    if (s.error) this.status.textContent += ` — ${s.error}`;
    this.announce(s);

    const sample = s.sample;
    if (document.activeElement !== this.sampleInput) this.sampleInput.value = String(sample.index);
    this.sampleInfo.textContent = ` row ${sample.index} of ${m.data?.rows.train ?? '?'} · y = (${Array.from(sample.y, (v) => fmt(v)).join(', ')}) · ŷ = (${Array.from(sample.a[sample.a.length - 1], (v) => fmt(v)).join(', ')}) · L = ${fmt(sample.loss, 5)}`;

    // While stepping, the diagram shows the stepper's pass: computed layers coloured, the rest
    // blank. A pass of older parameters is not drawn over the current weights: the snapshot's is;
    // nor is a pass not yet begun (after a weight edit or an undo): the sample's forward pass is.
    const begun = this.stepping && (this.stepping.forwardLayer > 0 || this.stepping.phase !== 'forward');
    const st = this.stepping && begun && this.stepping.computedAt.step === s.step ? this.stepping : undefined;
    const aOf = (l: number) => (st ? (l <= st.forwardLayer ? st.a[l] : undefined) : sample.a[l]);
    const zOf = (l: number) => (st ? (l <= st.forwardLayer ? st.z[l] : undefined) : sample.z[l]);
    const layers: DiagramLayer[] = [{ size: s.layers[0]?.nIn ?? 0, activation: 'input', unitNames: m.data?.inputNames, a: aOf(0) }];
    s.layers.forEach((layer, k) => {
      const l = k + 1;
      layers.push({ size: layer.nOut, activation: layer.activation, unitNames: l === s.layers.length ? m.data?.outputNames : undefined, a: aOf(l), z: zOf(l), b: layer.b, W: diagramWeights(layer) });
    });
    this.diagram.highlightLayer(st?.lastLayer);
    this.diagramLayers = layers;
    this.scheduleInsights();
    this.chart.setRuns(m.runs ?? []);
    this.chart.update(s.history, s.batchLosses);
    // While training, the status line and the loss figure follow every snapshot; the diagram,
    // the ledger and the heatmaps (whole DOM and canvas rebuilds) at most 4 times a second: on a
    // 2-core machine the webview's frames compete with the worker for the same cores.
    const now = performance.now();
    if (s.state === 'training' && now - this.detailDrawnAt < 250) return;
    this.detailDrawnAt = now;
    this.drawDiagram();
    this.renderLesson(s, m);
    this.renderStepping();
    this.renderGradCheck();
    this.runFigures.replaceChildren(...[figuresTable(s), earlyStoppingNote(s)].filter((e): e is HTMLElement => e !== undefined));
    this.renderHeatmaps(s);
  }

  /** When the diagram, the ledger and the heatmaps were last drawn. */
  private detailDrawnAt = -Infinity;

  /**
   * The decision map, distributions and confusion matrix cost a few milliseconds each, so while
   * training they are redrawn at most 4 times a second (the last snapshot always gets drawn).
   */
  private scheduleInsights(): void {
    const wait = 250 - (performance.now() - this.lastInsights);
    if (wait <= 0) {
      if (this.insightsTimer) clearTimeout(this.insightsTimer);
      this.insightsTimer = undefined;
      this.renderInsights();
    } else {
      this.insightsTimer ??= setTimeout(() => {
        this.insightsTimer = undefined;
        this.renderInsights();
        this.drawDiagram();
      }, wait);
    }
  }

  private diagramLayers: DiagramLayer[] = [];

  /** The diagram, with each hidden neuron's map drawn inside it for 2-input models. */
  private drawDiagram(): void {
    const plane = this.snapshot?.figures.plane;
    const L = this.diagramLayers.length - 1;
    const images = plane ? (l: number, j: number) => (l < L ? neuronImage(plane, l, j) : undefined) : undefined;
    this.diagram.render(this.diagramLayers, images);
  }

  /** The two inputs the worker draws the decision map over (horizontal, vertical). */
  private mapAxes(): readonly [number, number] {
    return this.snapshot?.figures.plane?.grid.slice?.axes ?? [0, 1];
  }

  /** The slice's input pickers: shown for a model of more than 2 inputs (`names`), hidden otherwise. */
  private renderSliceBar(names: readonly string[] | undefined): void {
    this.sliceBar.hidden = !names || names.length <= 2;
    if (this.sliceBar.hidden || !names) return;
    this.sliceSelects.forEach((select, k) => {
      // Rebuilt only when the names change, so a picker in use keeps its focus and state.
      if (select.dataset.names !== names.join('\u0000')) {
        select.replaceChildren(...names.map((name, i) => {
          const o = el('option', undefined, name);
          o.value = String(i);
          return o;
        }));
        select.dataset.names = names.join('\u0000');
      }
      select.value = String(this.mapAxes()[k]);
    });
  }

  private renderInsights(): void {
    this.lastInsights = performance.now();
    refreshOpenTables();
    const s = this.snapshot;
    const m = this.model;
    if (!s || !m) return;
    const post = (msg: PanelToHostMessage) => this.host.post(msg);
    // Decision map: the input plane of a 2-input model, a slice through two inputs of a wider one.
    const nIn = m.layers[0]?.units ?? 0;
    const plane = s.figures.plane;
    const grid = plane?.grid;
    const names = m.data?.inputNames ?? Array.from({ length: nIn }, (_, k) => `x${k + 1}`);
    const free = plane?.rawInputs ?? nIn;
    this.renderSliceBar(grid ? names.slice(0, free) : undefined);
    // A card with no map is one line: it does not stretch to its neighbour's height.
    this.decisionCard.closest('section')?.classList.toggle('no-map', !grid && !(nIn === 1 && m.layers[m.layers.length - 1]?.units === 1));
    if (plane && grid) {
      const [a, b] = grid.slice?.axes ?? [0, 1];
      const canvas = el('canvas', 'decision-canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `The network's output over the plane of ${names[a]} and ${names[b]}${grid.slice ? ', the other inputs at their means' : ''}; training points are discs filled with their class colour, validation points are square rings with an open centre`);
      drawDecisionMap(canvas, plane, m);
      const held = grid.slice ? Array.from(grid.slice.base, (v, k) => [k, v] as const).filter(([k]) => k !== a && k !== b && k < free) : [];
      const heldText =
        (held.length > 0 ? `; a slice: the other inputs held at their training means (${held.slice(0, 4).map(([k, v]) => `${names[k]} = ${fmt(Math.abs(v) < 1e-9 ? 0 : v, 3)}`).join(', ')}${held.length > 4 ? `, and ${held.length - 4} more` : ''})` : '') +
        (free < nIn ? `; the engineered inputs (${names.slice(free).join(', ')}) worked out at every point` : '');
      const axes = el('p', 'hint', `horizontal: ${names[a]} (${fmt(grid.x1Min, 3)} … ${fmt(grid.x1Max, 3)}), vertical: ${names[b]} (${fmt(grid.x2Min, 3)} … ${fmt(grid.x2Max, 3)})${heldText}, as the network sees them${m.data?.preview?.truncated ? '; the first 5,000 rows are drawn' : ''}`);
      const legend = el('div', 'class-legend');
      if (plane.decision.kind !== 'regression') {
        const classes = m.data?.classes ?? ['0', '1'];
        classes.forEach((c, k) => {
          const sw = el('span', 'swatch');
          sw.style.background = classColor(k);
          legend.append(sw, el('span', undefined, ` ${c}  `));
        });
      }
      // The markers in a neutral grey: their shape, not a class, tells the split.
      legend.append(pointLegend(plane.decision.kind === 'regression' ? REGRESSION_POINT : 'rgb(150, 150, 150)', pointKindsOf(m)));
      const exportBar = exportButtons(
        post,
        'decision-map',
        () => canvas,
        () => {
          const rows: number[][] = [];
          for (let i = 0; i < grid.ny; i++) for (let j = 0; j < grid.nx; j++) {
            const c = i * grid.nx + j;
            rows.push([grid.x1Min + ((j + 0.5) * (grid.x1Max - grid.x1Min)) / grid.nx, grid.x2Min + ((i + 0.5) * (grid.x2Max - grid.x2Min)) / grid.ny, ...Array.from(plane.decision.yhat.subarray(c * plane.decision.nOut, (c + 1) * plane.decision.nOut))]);
          }
          return csv([names[a], names[b], ...(m.data?.outputNames ?? ['yhat'])], rows);
        },
        () => decisionMapSvg(plane, m, `Decision map at epoch ${s.figures.epoch}: ${names[a]} (horizontal) × ${names[b]} (vertical)${grid.slice ? ', a slice' : ''}`),
      );
      this.decisionHost.replaceChildren(exportBar, canvas, legend, axes);
    } else {
      const canvas = el('canvas', 'decision-canvas curve');
      const curve = drawFittedCurve(canvas, s.figures.curve, m);
      if (curve) {
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `The fitted curve ŷ(${m.data?.inputNames[0]}) with the data points`);
        const note = el('p', 'hint', `horizontal: ${m.data?.inputNames[0]} (as the network sees it), vertical: ${m.data?.outputNames[0]}`);
        const legend = el('div', 'class-legend');
        legend.append(pointLegend(classColor(0), pointKindsOf(m)));
        const xName = m.data?.inputNames[0] ?? 'x';
        const yName = m.data?.outputNames[0] ?? 'y';
        const curveCsv = () => csv([xName, `${yName} (ŷ)`], Array.from(curve.x, (x, i) => [x, curve.yhat[i]]));
        const curveSvg = () => lineSvg(`The fitted curve ŷ(${xName}) at epoch ${s.epoch}`, `${xName} (as the network sees it)`, yName, [{ name: 'ŷ', colour: classColor(1), points: Array.from(curve.x, (x, i) => [x, curve.yhat[i]] as const) }], curveMarkersOf(m));
        this.decisionHost.replaceChildren(exportButtons(post, 'fitted-curve', () => canvas, curveCsv, curveSvg), canvas, legend, note);
      } else {
        this.decisionHost.replaceChildren(el('p', 'hint', `No map: the decision map is drawn for 2 inputs (a slice through two inputs of up to ${MAX_SLICE_INPUTS}), the fitted curve for 1 input and 1 output; this model has ${nIn} inputs and ${m.layers[m.layers.length - 1]?.units ?? '?'} outputs.`));
      }
    }
    // Distributions: the worker's, of every input (insights.ts).
    const d = s.distributions;
    if (d.layers.length > 0) {
      const rows: HTMLElement[] = [];
      const histCsv: (string | number)[][] = [];
      const trendCsv: (string | number)[][] = [];
      const histogramFigure = (l: number, title: string, h: Histogram): HTMLElement => {
        const fig = histogramCanvas(h, title);
        const canvas = fig.querySelector('canvas') as HTMLCanvasElement;
        const bins = Array.from(h.counts, (c, k) => [h.lo + (k * (h.hi - h.lo)) / h.counts.length, h.lo + ((k + 1) * (h.hi - h.lo)) / h.counts.length, c]);
        fig.querySelector('figcaption')?.append(
          exportButtons(post, `histogram-${title.replace(/[^a-zA-Z0-9]+/g, '-')}`, () => canvas, () => csv(['bin_low', 'bin_high', 'count'], bins), () => histogramSvg(`${title} (layer ${l}), epoch ${d.epoch}`, h.lo, h.hi, h.counts)),
        );
        bins.forEach((b) => histCsv.push([l, title, ...b]));
        return fig;
      };
      // The inputs, whole: what the network is fed (a 784-pixel image's pixel values, say).
      const inputRow = el('div', 'dist-row');
      inputRow.dataset.layer = '0';
      const inputFigs = el('div', 'dist-figs');
      inputFigs.append(histogramFigure(0, 'a[0]', d.inputs));
      inputRow.append(el('p', 'dist-facts', `layer 0 (inputs x = a[0], ${s.layers[0]?.nIn ?? '?'} per row)`), inputFigs);
      rows.push(inputRow);
      for (const layer of d.layers) {
        const row = el('div', 'dist-row');
        row.dataset.layer = String(layer.l);
        const dead = d.dead.find((x) => x.l === layer.l);
        const sat = d.saturation.find((x) => x.l === layer.l);
        const facts: string[] = [`layer ${layer.l} (${layer.activation})`];
        if (dead?.applies) facts.push(`dead ReLUs: ${dead.dead.length} of ${dead.units}`);
        if (sat?.applies) facts.push(`saturated: ${(sat.fraction * 100).toFixed(1)} % of |z| > ${fmt(sat.threshold, 3)} (${sat.saturatedUnits} units)`);
        const head = el('p', 'dist-facts', facts.join(' · '));
        const figs = el('div', 'dist-figs');
        const hists: [string, typeof layer.weights | undefined, LayerStatQuantity][] = [
          [`W[${layer.l}]`, layer.weights, 'W'],
          [`a[${layer.l}]`, layer.activations, 'a'],
          [`dL/dW[${layer.l}]`, layer.gradients, 'dLdW'],
        ];
        for (const [title, h] of hists) if (h) figs.append(histogramFigure(layer.l, title, h));
        row.append(head, figs);
        const trendFigs = el('div', 'dist-figs dist-trends');
        for (const [title, , quantity] of hists) {
          const series = trendOf(s.history, layer.l, quantity);
          series.forEach((p) => trendCsv.push([layer.l, title, p.epoch, p.mean, p.std]));
          if (series.length < 2) continue;
          const fig = trendCanvas(series, `${title} over epochs`);
          const canvas = fig.querySelector('canvas') as HTMLCanvasElement;
          const trendSvg = () =>
            lineSvg(`${title} over epochs: mean ± std`, 'epoch', title, [
              { name: `mean of ${title}`, colour: classColor(0), points: series.map((p) => [p.epoch, p.mean] as const), band: series.map((p) => [p.epoch, p.mean - p.std, p.mean + p.std] as const) },
            ]);
          fig.querySelector('figcaption')?.append(exportButtons(post, `trend-${title.replace(/[^a-zA-Z0-9]+/g, '-')}`, () => canvas, () => csv(['epoch', 'mean', 'std'], series.map((p) => [p.epoch, p.mean, p.std])), trendSvg));
          trendFigs.append(fig);
        }
        if (trendFigs.childElementCount > 0) row.append(trendFigs);
        rows.push(row);
      }
      const bar = exportButtons(post, 'distributions', undefined, () => csv(['layer', 'quantity', 'bin_low', 'bin_high', 'count'], histCsv));
      const overTime = exportButtons(post, 'distributions-over-time', undefined, () => csv(['layer', 'quantity', 'epoch', 'mean', 'std'], trendCsv));
      overTime.prepend(el('span', 'hint', 'mean ± std per epoch:'));
      const last = d.rows === 1 ? 'row 0' : `rows 0–${d.rows - 1}`;
      const about = el(
        'p',
        'hint dist-about',
        `Histograms: training ${last} (the first ${d.rows}, every input), through the weights of epoch ${d.epoch}, step ${d.step}, against their own targets. ` +
          'Over epochs: at the end of each epoch, W as it ended and a and dL/dW of its last batch.',
      );
      this.distributionsHost.replaceChildren(about, bar, overTime, ...rows);
    } else {
      this.distributionsHost.replaceChildren(el('p', 'hint', 'Load a model to see its distributions.'));
    }
    // Confusion matrix.
    const conf = confusionOfView(s);
    if (conf) {
      const { m: cm, split } = conf;
      const names = cm.names ?? Array.from({ length: cm.classes }, (_, k) => String(k));
      const table = el('table', 'confusion-table');
      const head = el('tr');
      head.append(el('th', undefined, 'true ↓ / predicted →'), ...names.map((n) => el('th', undefined, n)), el('th', undefined, 'accuracy (recall)'));
      table.append(head);
      for (let t = 0; t < cm.classes; t++) {
        const tr = el('tr');
        tr.dataset.class = names[t];
        tr.append(el('th', undefined, names[t]));
        for (let p = 0; p < cm.classes; p++) {
          const td = el('td', t === p ? 'diag' : 'off', String(cm.counts[t * cm.classes + p]));
          tr.append(td);
        }
        const rec = cm.perClass[t].recall;
        tr.append(el('td', 'recall', Number.isNaN(rec) ? '—' : `${(rec * 100).toFixed(1)} %`));
        table.append(tr);
      }
      const bar = exportButtons(post, 'confusion-matrix', undefined, () => csv(['true \\ predicted', ...names], names.map((n, t) => [n, ...Array.from(cm.counts.subarray(t * cm.classes, (t + 1) * cm.classes))])));
      const when = conf.step === s.step ? '' : ` (weights of epoch ${conf.epoch}, update ${conf.step}: while training, each epoch's evaluation counts it)`;
      const summary = el('p', 'confusion-summary', `${split} split: ${cm.total} rows, accuracy ${(cm.accuracy * 100).toFixed(1)} %${when}`);
      summary.dataset.accuracy = String(cm.accuracy);
      this.confusionHost.replaceChildren(bar, summary, table);
    } else {
      const classifies = m.data?.task === 'classification' || m.layers[m.layers.length - 1]?.activation === 'softmax';
      this.confusionHost.replaceChildren(el('p', 'hint', classifies ? 'The confusion matrix comes with the first epoch’s evaluation (or when training pauses).' : 'A confusion matrix is shown for classification models.'));
    }
  }

  private renderStepping(): void {
    const s = this.snapshot;
    const st = this.stepping;
    this.stepNotice.textContent = this.notice;
    if (!s || !st) {
      this.layerTabs.replaceChildren();
      this.ledgerHost.replaceChildren(el('p', 'hint', 'Step Forward computes one layer at a time for the selected sample; the ledger shows every vector with the formula that made it.'));
      return;
    }
    const L = s.layers.length;
    const layer = Math.min(Math.max(this.ledgerLayer ?? st.lastLayer ?? 1, 1), L);
    const phase = st.phase === 'updated' ? 'update applied' : st.forwardLayer < L ? `forward: ${st.forwardLayer} of ${L} layers computed` : st.backwardLayer > L ? 'forward done: J computed' : `backward: gradients of layers ${st.backwardLayer}..${L}`;
    const sampleText = st.sample.kind === 'row' ? `row ${st.sample.index}` : 'typed-in sample';
    const tabs: HTMLElement[] = [el('span', 'phase', `${sampleText} · ${phase}${st.loss !== undefined ? ` · J = ${fmt(st.loss, 6)}` : ''}${st.undoable ? ` · ${st.undoable} undoable` : ''}`)];
    for (let l = 1; l <= L; l++) {
      const tab = el('button', l === layer ? 'tab selected' : 'tab', `layer ${l}`);
      tab.setAttribute('aria-pressed', String(l === layer));
      tab.dataset.layer = String(l);
      tab.addEventListener('click', () => {
        this.ledgerLayer = l;
        this.ledgerNeuron = undefined;
        this.renderStepping();
      });
      tabs.push(tab);
    }
    // A ledger of other parameters than the network's current ones says so (the worker
    // recomputes it when training rests; an applied update stays as it was, marked).
    const at = st.computedAt;
    if (at.step !== s.step) {
      const banner = el(
        'p',
        'ledger-stale',
        `Out of date: computed at epoch ${at.epoch} (update ${at.step}); the network has trained since (now epoch ${s.epoch}, update ${s.step}). ` +
          (s.state === 'training' ? 'The ledger is recomputed when training pauses or stops.' : 'Step Forward starts over on the current weights.'),
      );
      banner.setAttribute('role', 'status');
      tabs.push(banner);
    }
    this.layerTabs.replaceChildren(...tabs);
    this.ledgerHost.replaceChildren(renderLedger({ stepping: st, layer, layers: s.layers, lossName: this.model?.loss ?? '', neuron: this.ledgerLayer === layer ? this.ledgerNeuron : undefined }));
  }

  private renderGradCheck(): void {
    const g = this.gradCheck;
    if (!g) {
      this.gradCheckHost.replaceChildren(el('p', 'hint', 'Run Gradient Check compares every backpropagated ∂J/∂θ with finite differences for the selected sample.'));
      return;
    }
    const table = el('table', 'gradcheck-table');
    const head = el('tr');
    head.append(el('th', undefined, 'layer'), el('th', undefined, 'largest relative error'), el('th', undefined, ''));
    table.append(head);
    for (const p of g.perLayer) {
      const tr = el('tr');
      tr.dataset.layer = String(p.layer);
      const bad = p.maxRelError > g.tolerance;
      const errCell = el('td', bad ? 'bad' : 'good');
      errCell.append(num(p.maxRelError, 3));
      tr.append(el('td', undefined, String(p.layer)), errCell, el('td', bad ? 'bad' : 'good', bad ? `above ${g.tolerance}` : 'ok'));
      table.append(tr);
    }
    const w = g.worst;
    const summary = el('p', undefined, `${g.sampleIndex !== undefined ? `Row ${g.sampleIndex}` : 'Typed-in sample'}: ${g.parametersChecked} parameters checked${g.kinksSkipped ? `, ${g.kinksSkipped} at a ReLU kink skipped` : ''}; worst ${w.param}[${w.layer}]${w.i !== undefined ? `[${w.i}]` : ''}[${w.j}]: backprop ${fmt(w.analytic, 8)}, finite differences ${fmt(w.numeric, 8)}.`);
    const now = this.snapshot;
    const stale = now && g.computedAt.step !== now.step ? el('p', 'ledger-stale', `Out of date: checked at epoch ${g.computedAt.epoch} (update ${g.computedAt.step}); the network has trained since. Run Gradient Check again for the current weights.`) : undefined;
    this.gradCheckHost.replaceChildren(...(stale ? [stale] : []), table, summary);
  }

  /** The activations drawn last: the worker recomputes them a few times a second, not every snapshot. */
  private drawnBatch = '';

  private renderHeatmaps(s: TrainingSnapshot): void {
    const batchKey = `${this.model?.uri}:${s.batch.epoch}:${s.batch.step}:${s.batch.sampleIndices.length}:${s.batch.a.length}`;
    if (batchKey !== this.drawnBatch) this.renderActivations(s);
    this.drawnBatch = batchKey;
    this.renderWeights(s);
  }

  private renderActivations(s: TrainingSnapshot): void {
    const acts: HTMLElement[] = [];
    // While training, the worker forwards these rows a few times a second: say which weights.
    const of = s.batch.step !== s.step ? ` · weights of update ${s.batch.step}` : '';
    s.batch.a.forEach((m, l) => {
      if (m.rows === 0) return;
      const cut = m.cols < m.neurons ? ` (first ${m.cols} of ${m.neurons})` : '';
      const first = s.batch.sampleIndices;
      const span = first.length > 0 ? `, rows ${first[0]}–${first[first.length - 1]}` : '';
      const fig = renderHeatmap({ title: `a[${l}]${l === 0 ? ' = x' : ''}${cut}${span}${of}`, rows: m.rows, cols: m.cols, values: m.data, cellName: (r, c) => `a[${l}]_${c} of row ${s.batch.sampleIndices[r]}` });
      this.addExports(fig, `activations-a${l}`, () => csv(['row', ...Array.from({ length: m.cols }, (_, c) => `a${l}_${c}`)], Array.from({ length: m.rows }, (_, r) => [s.batch.sampleIndices[r], ...Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols))])), () =>
        heatmapSvg(`a[${l}] of training rows ${s.batch.sampleIndices[0]}–${s.batch.sampleIndices[m.rows - 1]} (one row each) × neurons`, m.rows, m.cols, m.data),
      );
      acts.push(fig);
    });
    this.activations.replaceChildren(...acts);
  }

  private renderWeights(s: TrainingSnapshot): void {
    const ws: HTMLElement[] = [];
    s.layers.forEach((layer, k) => {
      const l = k + 1;
      const cells = layer.weightCells;
      if (cells) {
        // Too many weights to send or draw one by one (the worker sent block means): each cell is
        // the mean of a block of W[l], b[l] reduced the same way along j as the last row.
        const values = new Float64Array((cells.rows + 1) * cells.cols);
        values.set(cells.data);
        for (let c = 0; c < cells.cols; c++) {
          const j0 = c * cells.colBlock;
          const j1 = Math.min(layer.nOut, j0 + cells.colBlock);
          let sum = 0;
          for (let j = j0; j < j1; j++) sum += layer.b[j];
          values[cells.rows * cells.cols + c] = sum / (j1 - j0);
        }
        const range = (start: number, block: number, size: number) => (block === 1 ? `${start}` : `${start}–${Math.min(size, start + block) - 1}`);
        const title = `W[${l}] (${layer.nIn} × ${layer.nOut}) and b[${l}] (last row): block means, each cell ${cells.rowBlock} × ${cells.colBlock} weights · update ${s.step}`;
        const fig = renderHeatmap({
          title,
          rows: cells.rows + 1,
          cols: cells.cols,
          values,
          limit: Math.max(cells.absMax, ...Array.from(layer.b, Math.abs)),
          cellName: (r, c) => (r < cells.rows ? `mean of W[${l}][${range(r * cells.rowBlock, cells.rowBlock, layer.nIn)}][${range(c * cells.colBlock, cells.colBlock, layer.nOut)}]` : `mean of b[${l}][${range(c * cells.colBlock, cells.colBlock, layer.nOut)}]`),
        });
        this.addExports(fig, `weights-W${l}-blocks`, () => csv(['row', ...Array.from({ length: cells.cols }, (_, c) => `j${range(c * cells.colBlock, cells.colBlock, layer.nOut)}`)], Array.from({ length: cells.rows + 1 }, (_, r) => [r < cells.rows ? `W[${l}][${range(r * cells.rowBlock, cells.rowBlock, layer.nIn)}]` : `b[${l}]`, ...Array.from(values.subarray(r * cells.cols, (r + 1) * cells.cols))])), () =>
          heatmapSvg(title, cells.rows + 1, cells.cols, values),
        );
        ws.push(fig);
        return;
      }
      const W = layer.W!;
      // W[l] with b[l] as a last row, on one colour scale, as the lecture writes [W; bᵀ].
      const values = new Float64Array((layer.nIn + 1) * layer.nOut);
      values.set(W);
      values.set(layer.b, layer.nIn * layer.nOut);
      const fig = renderHeatmap({ title: `W[${l}] (${layer.nIn} × ${layer.nOut}) and b[${l}] (last row)${s.state === 'training' ? ` · update ${s.step}` : ''}`, rows: layer.nIn + 1, cols: layer.nOut, values, cellName: (r, c) => (r < layer.nIn ? `W[${l}][${r}][${c}]` : `b[${l}][${c}]`) });
      this.addExports(fig, `weights-W${l}`, () => csv(['row', ...Array.from({ length: layer.nOut }, (_, j) => `j${j}`)], Array.from({ length: layer.nIn + 1 }, (_, r) => [r < layer.nIn ? `W[${l}][${r}]` : `b[${l}]`, ...Array.from(values.subarray(r * layer.nOut, (r + 1) * layer.nOut))])), () =>
        heatmapSvg(`W[${l}] (${layer.nIn} × ${layer.nOut}) and b[${l}] (last row)`, layer.nIn + 1, layer.nOut, values),
      );
      ws.push(fig);
    });
    this.weights.replaceChildren(...ws);
  }

  /** PNG, SVG and CSV buttons in a heatmap figure's caption. */
  private addExports(fig: HTMLElement, name: string, data: () => string, svg: () => string): void {
    const canvas = fig.querySelector('canvas') as HTMLCanvasElement | null;
    fig.querySelector('figcaption')?.append(exportButtons((m) => this.host.post(m), name, canvas ? () => canvas : undefined, data, svg));
  }

  /** Speaks a state change at once, and a training run's trend at most every ANNOUNCE_EVERY_MS. */
  private announce(s: TrainingSnapshot): void {
    const now = performance.now();
    const changed = s.state !== this.announced.state;
    if (!changed && (s.state !== 'training' || now - this.announced.at < ANNOUNCE_EVERY_MS)) return;
    const trend = s.trend;
    const epoch = `epoch ${s.epoch.toLocaleString('en-US')}`;
    const what: Record<string, string> = { idle: 'Ready', training: changed ? 'Training started' : 'Training', paused: 'Paused', stopped: 'Stopped', error: 'Error' };
    let text = `${what[s.state] ?? s.state} at ${epoch}${trend ? `: ${trend}` : ''}.`;
    if (s.earlyStop) text += ` ${s.earlyStop.message.replace(/^s/, 'S')}.`;
    if (s.divergence) text += ` ${s.divergence.message}`;
    if (s.error) text += ` ${s.error}`;
    this.announced = { state: s.state, at: now };
    if (this.announcer.textContent !== text) this.announcer.textContent = text;
  }

  private updateButtons(): void {
    const state = this.snapshot?.state;
    const usable = !!this.snapshot && !!this.model && this.model.problems.length === 0 && !this.model.dataError;
    const st = this.stepping;
    const L = this.snapshot?.layers.length ?? 0;
    const enabled: Record<PanelCommand, boolean> = {
      train: usable && state !== 'training' && state !== 'paused',
      pause: usable && state === 'training',
      resume: usable && state === 'paused',
      resetWeights: usable,
      saveModel: usable,
      stepForward: usable && (!st || st.phase === 'updated' || st.forwardLayer < L),
      stepBackward: usable && !!st && st.phase !== 'updated' && st.forwardLayer === L && st.backwardLayer > 1,
      applyUpdate: usable && !!st && st.phase === 'backward' && st.backwardLayer === 1,
      step: usable,
      undoStep: usable && !!st && st.undoable > 0,
      runGradientCheck: usable,
      showLossGraph: usable,
      exportModel: !!this.model && this.model.problems.length === 0,
      attachDataset: !!this.model && this.model.problems.length === 0,
    };
    for (const [command, button] of this.buttons) button.disabled = !enabled[command];
  }
}
