/**
 * The architecture sweep lab: a form for the ranges (depth, width, and optionally activations
 * and learning rates), the run's progress, and the results as a table and a chart of final
 * training and validation loss and time per configuration. The host trains; this view renders
 * what it sends and keeps only the form's text.
 */
import type { SweepResult } from '../src/analysis/sweep';
import type { ActivationName } from '../src/engine/activations';
import { configCount, parseRateList, parseWholeList, SWEEP_ACTIVATIONS, SWEEP_LIMITS } from '../src/labs/sweepRequest';
import type { HostToLabMessage, SweepLabState, SweepRequest } from '../src/labs/labProtocol';
import { csv, exportButtons } from './exporter';
import { el, fmt } from './format';
import { Chart, chartCanvas, chartColors } from './labsCharts';
import type { LabHost } from './labsHost';
import { chartJsSvg } from './svgExport';

/** The form's text, kept across reloads; `modelUri` lets VS Code's serializer reopen the sweep. */
export interface SweepViewState {
  modelUri?: string;
  depths?: string;
  widths?: string;
  rates?: string;
  epochs?: string;
  activations?: ActivationName[];
}

/** A configuration's short label: "1×4 tanh η 0.5". */
export function configLabel(r: SweepResult, showActivation: boolean, showRate: boolean): string {
  const c = r.config;
  return [c.depth === 0 ? 'no hidden' : `${c.depth}×${c.width}`, showActivation && c.depth > 0 ? c.activation : '', showRate ? `η ${c.learningRate}` : ''].filter((s) => s !== '').join(' ');
}

export class SweepLab {
  private readonly view: SweepViewState;
  private state: SweepLabState | undefined;
  private readonly title = el('h1', undefined, 'Architecture Sweep');
  private readonly subtitle = el('p', 'subtitle');
  private readonly problem = el('div', 'problems');
  private readonly depths = el('input');
  private readonly widths = el('input');
  private readonly rates = el('input');
  private readonly epochs = el('input');
  private readonly activationBoxes = new Map<ActivationName, HTMLInputElement>();
  private readonly summary = el('p', 'hint');
  private readonly run = el('button', undefined, 'Run Sweep');
  private readonly cancel = el('button', 'secondary', 'Cancel');
  private readonly progress = el('progress');
  private readonly status = el('p', 'run-status');
  private readonly openBest = el('button', undefined, 'Open Best as New Model');
  private readonly bestInfo = el('p', 'hint');
  /** The earlier sweep to compare with (kept in NAME.sweeps/). */
  private readonly compareWith = el('select');
  private readonly compareRow = el('div', 'lab-field');
  private readonly table = el('div', 'table-wrap');
  private readonly chartWrap: HTMLElement;
  private readonly chartExports: HTMLElement;
  private readonly chartCanvas: HTMLCanvasElement;
  private chart: Chart | undefined;
  private formFilled = false;

  constructor(
    root: HTMLElement,
    private readonly host: LabHost<SweepViewState>,
  ) {
    this.view = host.getState() ?? {};
    const header = el('header', 'panel-header');
    header.append(this.title, this.subtitle);
    const chart = chartCanvas('final training and validation loss and time per configuration');
    this.chartWrap = chart.wrap;
    this.chartCanvas = chart.canvas;
    this.chartExports = exportButtons((m) => host.post(m), 'sweep-results', () => this.chartCanvas, () => this.resultsCsv(), () => (this.chart ? chartJsSvg(this.chart, 'Final training and validation loss per configuration') : undefined));
    const results = el('section', 'card');
    results.id = 'sweep-results';
    const actions = el('div', 'toolbar');
    this.openBest.id = 'open-best';
    this.openBest.title = 'Write the best configuration as NAME-best.mlp.json beside the model and open it';
    this.openBest.addEventListener('click', () => host.post({ type: 'openBest' }));
    actions.append(this.openBest);
    this.compareWith.id = 'sweep-compare';
    this.compareWith.addEventListener('change', () => host.post({ type: 'compareSweep', id: this.compareWith.value === '' ? null : this.compareWith.value }));
    const compareLabel = el('label', undefined, 'compare with');
    compareLabel.htmlFor = 'sweep-compare';
    this.compareRow.append(compareLabel, this.compareWith, el('span', 'hint', 'an earlier sweep of this model, configuration by configuration'));
    results.append(el('h2', undefined, 'Results'), this.status, this.progress, actions, this.bestInfo, this.compareRow, this.table, this.chartExports, this.chartWrap);
    root.replaceChildren(header, this.problem, this.form(), results);
    this.render();
  }

  private form(): HTMLElement {
    const card = el('section', 'card sweep-form');
    card.id = 'sweep-form';
    const field = (label: string, input: HTMLInputElement, id: string, hint: string) => {
      input.id = id;
      input.type = 'text';
      const l = el('label', undefined, label);
      l.htmlFor = id;
      const row = el('div', 'lab-field');
      row.append(l, input, el('span', 'hint', hint));
      input.addEventListener('input', () => this.onFormChange());
      return row;
    };
    const acts = el('div', 'lab-field');
    acts.append(el('span', 'label', 'hidden activations'));
    for (const a of SWEEP_ACTIVATIONS) {
      const l = el('label', 'check');
      const box = el('input');
      box.type = 'checkbox';
      box.value = a;
      box.dataset.activation = a;
      box.addEventListener('change', () => this.onFormChange());
      this.activationBoxes.set(a, box);
      l.append(box, document.createTextNode(` ${a}`));
      acts.append(l);
    }
    this.run.id = 'run-sweep';
    this.run.addEventListener('click', () => this.submit());
    this.cancel.id = 'cancel-sweep';
    this.cancel.addEventListener('click', () => this.host.post({ type: 'cancelSweep' }));
    const buttons = el('div', 'toolbar');
    buttons.append(this.run, this.cancel);
    card.append(
      el('h2', undefined, 'What to try'),
      field('depths', this.depths, 'sweep-depths', `hidden layers: a list or range, e.g. 1..3 (0 to ${SWEEP_LIMITS.maxDepth})`),
      field('widths', this.widths, 'sweep-widths', 'units per hidden layer, e.g. 2, 4, 8 or 2..4'),
      acts,
      field('learning rates', this.rates, 'sweep-rates', 'η, e.g. 0.1, 0.5'),
      field('epochs', this.epochs, 'sweep-epochs', 'per configuration'),
      this.summary,
      buttons,
    );
    return card;
  }

  /** The form's request, or what is wrong with it. */
  private request(): SweepRequest | string {
    const depths = parseWholeList(this.depths.value, 0, SWEEP_LIMITS.maxDepth);
    if (!depths.ok) return `depths: ${depths.error}`;
    const widths = parseWholeList(this.widths.value, 1, SWEEP_LIMITS.maxWidth);
    if (!widths.ok) return `widths: ${widths.error}`;
    const rates = parseRateList(this.rates.value);
    if (!rates.ok) return `learning rates: ${rates.error}`;
    const activations = [...this.activationBoxes].filter(([, b]) => b.checked).map(([a]) => a);
    if (activations.length === 0) return 'pick at least one hidden activation';
    const epochs = Number(this.epochs.value);
    if (!Number.isSafeInteger(epochs) || epochs < 1 || epochs > SWEEP_LIMITS.maxEpochs) return `epochs: a whole number from 1 to ${SWEEP_LIMITS.maxEpochs}`;
    const request = { depths: depths.values, widths: widths.values, activations, learningRates: rates.values, epochs };
    const n = configCount(request);
    if (n > SWEEP_LIMITS.maxConfigs) return `${n} configurations is more than ${SWEEP_LIMITS.maxConfigs}: narrow the ranges`;
    return request;
  }

  private onFormChange(): void {
    Object.assign(this.view, {
      depths: this.depths.value,
      widths: this.widths.value,
      rates: this.rates.value,
      epochs: this.epochs.value,
      activations: [...this.activationBoxes].filter(([, b]) => b.checked).map(([a]) => a),
    });
    this.host.setState(this.view);
    this.renderForm();
  }

  private submit(): void {
    const r = this.request();
    if (typeof r !== 'string') this.host.post({ type: 'runSweep', request: r });
  }

  handle(message: HostToLabMessage): void {
    switch (message.type) {
      case 'sweepState':
        this.state = message.state;
        if (this.view.modelUri !== message.state.modelUri) {
          this.view.modelUri = message.state.modelUri;
          this.host.setState(this.view);
        }
        this.render();
        return;
      case 'collapse':
      case 'initStats':
      case 'activationCurves':
      case 'softmax':
        return;
      default: {
        const never: never = message;
        console.warn('MLP Inspector: unexpected message', never);
      }
    }
  }

  /** Fills the form once: the saved text, else the last sweep's request, else ranges around the model's own shape. */
  private fillForm(s: SweepLabState): void {
    if (this.formFilled || !s.model) return;
    this.formFilled = true;
    const m = s.model;
    const r = s.request;
    const d = Math.max(1, m.depth);
    this.depths.value = this.view.depths ?? (r ? r.depths.join(', ') : `${d}..${d + 1}`);
    this.widths.value = this.view.widths ?? (r ? r.widths.join(', ') : [...new Set([2, m.width, 8])].sort((a, b) => a - b).join(', '));
    this.rates.value = this.view.rates ?? (r ? r.learningRates.join(', ') : String(m.learningRate));
    this.epochs.value = this.view.epochs ?? String(r ? r.epochs : m.epochs);
    const chosen = this.view.activations ?? (r ? [...r.activations] : [m.hiddenActivation]);
    for (const [a, box] of this.activationBoxes) box.checked = chosen.includes(a);
  }

  private renderForm(): void {
    const running = this.state?.running ?? false;
    const usable = !!this.state?.model && !this.state.problem;
    const r = this.request();
    this.summary.textContent = typeof r === 'string' ? r : `${configCount(r)} configurations × ${r.epochs} epochs, each from the same seed and data split.`;
    this.summary.classList.toggle('error', typeof r === 'string');
    this.run.disabled = running || !usable || typeof r === 'string';
    this.cancel.disabled = !running;
    for (const input of [this.depths, this.widths, this.rates, this.epochs, ...this.activationBoxes.values()]) input.disabled = running;
  }

  private render(): void {
    const s = this.state;
    if (!s) {
      this.subtitle.textContent = 'Loading…';
      this.renderForm();
      return;
    }
    this.fillForm(s);
    this.title.textContent = s.model ? `Architecture Sweep: ${s.model.name}` : 'Architecture Sweep';
    this.subtitle.textContent = s.model ? `${s.model.fileName} · every configuration trains with the model’s data split, loss, optimizer and seed; only the hidden layers (and, if chosen, σ and η) change.` : '';
    this.problem.replaceChildren();
    if (s.problem) {
      const box = el('div', 'problem-box', s.problem);
      box.setAttribute('role', 'alert');
      this.problem.append(box);
    }
    this.renderForm();
    const done = s.results.length;
    this.status.dataset.running = String(s.running);
    this.status.dataset.results = String(done);
    if (s.running) {
      const p = s.progress;
      this.status.textContent = `Training ${p ? `configuration ${p.index + 1} of ${p.configs}, epoch ${p.epoch} of ${p.epochs}` : '…'} · ${done} of ${s.total} done${s.ranIn ? ` (in the ${s.ranIn === 'worker' ? 'sweep worker' : 'extension host, in short slices'})` : ''}`;
    } else if (s.file) {
      this.status.textContent = `${s.cancelled ? 'Cancelled after' : 'Finished'} ${done} of ${s.total} configurations · saved in ${s.file.fileName} (started ${new Date(s.file.started).toLocaleString()})`;
    } else {
      this.status.textContent = done === 0 ? 'No sweep yet: choose the ranges and press Run Sweep.' : '';
    }
    this.progress.hidden = !s.running;
    this.progress.max = 1;
    this.progress.value = s.progress?.fraction ?? 0;
    this.openBest.disabled = s.running || s.best === undefined || !s.file;
    const best = s.best !== undefined ? s.results[s.best] : undefined;
    this.bestInfo.textContent = best
      ? `Best by final ${s.bestBy} loss: ${configLabel(best, true, true)} (J = ${fmt(s.bestBy === 'validation' ? best.finalValLoss! : best.finalLoss, 4)}).${s.bestWritten ? ` Written to ${s.bestWritten}.` : ''}`
      : '';
    this.renderCompare(s);
    this.renderTable(s);
    this.renderChart(s);
  }

  /** The picker of earlier sweeps: hidden when there is none. */
  private renderCompare(s: SweepLabState): void {
    this.compareRow.hidden = s.earlier.length === 0;
    const none = el('option', undefined, 'none');
    none.value = '';
    const options = s.earlier.map((e) => {
      const o = el('option', undefined, `${new Date(e.started).toLocaleString()} · ${e.configs} configuration${e.configs === 1 ? '' : 's'}${e.cancelled ? ' (cancelled)' : ''}`);
      o.value = e.id;
      return o;
    });
    this.compareWith.replaceChildren(none, ...options);
    this.compareWith.value = s.compare?.id ?? '';
    this.compareWith.disabled = s.running;
  }

  private renderTable(s: SweepLabState): void {
    if (s.results.length === 0) {
      this.table.replaceChildren();
      return;
    }
    const hasVal = s.results.some((r) => r.finalValLoss !== undefined);
    const hasAcc = s.results.some((r) => r.accuracy !== undefined);
    const table = el('table', 'lab-table');
    table.id = 'sweep-table';
    const head = el('tr');
    const earlier = s.compare?.results;
    const cols = [
      '#',
      'depth',
      'width',
      'σ',
      'η',
      'parameters',
      'final J (train)',
      ...(earlier ? ['earlier J (train)'] : []),
      ...(hasVal ? ['final J (validation)', ...(earlier ? ['earlier J (validation)'] : [])] : []),
      ...(hasAcc ? ['accuracy', ...(hasVal ? ['validation accuracy'] : [])] : []),
      'seconds',
    ];
    for (const h of cols) head.append(el('th', undefined, h));
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    s.results.forEach((r, i) => {
      const tr = el('tr', i === s.best ? 'best' : undefined);
      tr.dataset.depth = String(r.config.depth);
      tr.dataset.width = String(r.config.width);
      tr.dataset.loss = String(r.finalLoss);
      const pct = (v: number | undefined) => el('td', 'num', v === undefined ? '' : `${(v * 100).toFixed(1)} %`);
      // The earlier sweep's J for this configuration, marked ↓ where this one is lower, ↑ where higher.
      const then = earlier?.[i] ?? null;
      const compared = (now: number | undefined, before: number | undefined) => {
        const td = el('td', 'num earlier', then === null || before === undefined ? '—' : then.diverged ? 'diverged' : fmt(before, 4));
        if (then !== null && before !== undefined && now !== undefined && Number.isFinite(before) && Number.isFinite(now) && now !== before) {
          td.append(el('span', now < before ? 'better' : 'worse', now < before ? ' ↓' : ' ↑'));
          td.title = now < before ? 'this sweep’s J is lower' : 'this sweep’s J is higher';
        }
        if (then !== null && before !== undefined) td.dataset.loss = String(before);
        return td;
      };
      tr.append(
        el('td', undefined, i === s.best ? `${i + 1} ★` : String(i + 1)),
        el('td', 'num', String(r.config.depth)),
        el('td', 'num', r.config.depth === 0 ? '—' : String(r.config.width)),
        el('td', undefined, r.config.depth === 0 ? '—' : r.config.activation),
        el('td', 'num', String(r.config.learningRate)),
        el('td', 'num', String(r.parameters)),
        el('td', 'num', r.diverged ? 'diverged' : fmt(r.finalLoss, 4)),
        ...(earlier ? [compared(r.finalLoss, then?.finalLoss)] : []),
        ...(hasVal ? [el('td', 'num', r.finalValLoss === undefined ? '' : fmt(r.finalValLoss, 4)), ...(earlier ? [compared(r.finalValLoss, then?.finalValLoss)] : [])] : []),
        ...(hasAcc ? [pct(r.accuracy), ...(hasVal ? [pct(r.valAccuracy)] : [])] : []),
        el('td', 'num', r.seconds.toFixed(3)),
      );
      tbody.append(tr);
    });
    table.append(thead, tbody);
    this.table.replaceChildren(table);
  }

  /** The results table as CSV (all the numbers, unrounded). */
  private resultsCsv(): string {
    const s = this.state;
    const earlier = s?.compare?.results;
    const header = [
      '#',
      'depth',
      'width',
      'activation',
      'learning rate',
      'parameters',
      'final J (train)',
      'final J (validation)',
      'accuracy',
      'validation accuracy',
      'seconds',
      'diverged',
      'best',
      ...(earlier ? ['earlier J (train)', 'earlier J (validation)'] : []),
    ];
    const rows = (s?.results ?? []).map((r, i) => [
      i + 1,
      r.config.depth,
      r.config.depth === 0 ? undefined : r.config.width,
      r.config.depth === 0 ? undefined : r.config.activation,
      r.config.learningRate,
      r.parameters,
      r.finalLoss,
      r.finalValLoss,
      r.accuracy,
      r.valAccuracy,
      r.seconds,
      r.diverged ? 'yes' : 'no',
      i === s?.best ? 'yes' : 'no',
      ...(earlier ? [earlier[i]?.finalLoss, earlier[i]?.finalValLoss] : []),
    ]);
    return csv(header, rows);
  }

  private renderChart(s: SweepLabState): void {
    this.chartWrap.hidden = s.results.length === 0;
    this.chartExports.hidden = s.results.length === 0;
    if (s.results.length === 0) return;
    const showAct = new Set(s.results.map((r) => r.config.activation)).size > 1;
    const showRate = new Set(s.results.map((r) => r.config.learningRate)).size > 1;
    const labels = s.results.map((r) => configLabel(r, showAct, showRate));
    const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : null);
    const hasVal = s.results.some((r) => r.finalValLoss !== undefined);
    const c = chartColors();
    const datasets = [
      { type: 'bar' as const, label: 'final J (training)', data: s.results.map((r) => finite(r.finalLoss)), backgroundColor: c.series[0], yAxisID: 'y' },
      ...(hasVal ? [{ type: 'bar' as const, label: 'final J (validation)', data: s.results.map((r) => finite(r.finalValLoss)), backgroundColor: c.series[1], yAxisID: 'y' }] : []),
      // The earlier sweep's J of the same configuration (validation when there is one), as points over the bars.
      ...(s.compare
        ? [
            {
              type: 'line' as const,
              label: `earlier sweep’s J (${hasVal ? 'validation' : 'training'})`,
              data: s.compare.results.map((r) => finite(hasVal ? r?.finalValLoss : r?.finalLoss)),
              borderColor: c.series[3],
              backgroundColor: c.series[3],
              yAxisID: 'y',
              showLine: false,
              pointRadius: 5,
              pointStyle: 'rectRot' as const,
            },
          ]
        : []),
      { type: 'line' as const, label: 'seconds', data: s.results.map((r) => r.seconds), borderColor: c.series[2], backgroundColor: c.series[2], yAxisID: 'time', pointRadius: 3, borderWidth: 2 },
    ];
    this.chart?.destroy();
    this.chart = new Chart(this.chartCanvas, {
      data: { labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        color: c.fg,
        scales: {
          x: { ticks: { color: c.fg }, grid: { color: c.grid } },
          y: { type: 'logarithmic', position: 'left', title: { display: true, text: 'final J (log scale)', color: c.fg }, ticks: { color: c.fg }, grid: { color: c.grid } },
          time: { type: 'linear', position: 'right', min: 0, title: { display: true, text: 'seconds', color: c.fg }, ticks: { color: c.fg }, grid: { display: false } },
        },
        plugins: { legend: { labels: { color: c.fg } }, tooltip: { mode: 'index', intersect: false } },
      },
    });
  }
}
