/**
 * The activation functions lab: f and f′ of every element-wise activation on a grid of z,
 * softmax on a vector the reader edits, and "why linear activations collapse" from the open
 * model. The host computes each of them with the engine's own code (src/analysis/activationCurves.ts)
 * and this file draws them: a new α or vector is a question, the figure its answer.
 */
import type { ActivationCurve, CollapseView, HostToLabMessage, LabActivationCurvesMessage, SoftmaxFigure } from '../src/labs/labProtocol';
import { csv, exportButtons } from './exporter';
import { el, fmt } from './format';
import { Chart, chartCanvas, chartColors } from './labsCharts';
import type { LabHost } from './labsHost';
import { renderMatrix } from './labsMatrix';
import { chartJsSvg } from './svgExport';

/** View state kept across hide/show and reloads. */
export interface ActivationLabState {
  alpha: number;
  softmaxInput: string;
}

/** The cards, in the lecture's order (the host's curves fill them). */
const ENTRIES: readonly { readonly id: string; readonly title: string }[] = [
  { id: 'identity', title: 'identity' },
  { id: 'relu', title: 'ReLU' },
  { id: 'elu', title: 'ELU' },
  { id: 'leaky_relu', title: 'Leaky ReLU' },
  { id: 'tanh', title: 'tanh' },
  { id: 'sigmoid', title: 'sigmoid' },
  { id: 'gelu', title: 'GELU' },
];

/** Parses "2, 1, 0.1" into numbers; undefined unless 1 to 10 finite numbers. */
export function parseVector(text: string): number[] | undefined {
  const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 10) return undefined;
  const v = parts.map(Number);
  return v.every(Number.isFinite) ? v : undefined;
}

export class ActivationLab {
  private readonly state: ActivationLabState;
  private readonly charts = new Map<string, Chart>();
  private softmaxChart: Chart | undefined;
  private readonly softmaxTable = el('table', 'lab-table');
  private readonly softmaxError = el('p', 'hint');
  private readonly collapse = el('div', 'collapse-body');
  private readonly formulas = new Map<string, HTMLElement>();
  /** The curves the host sent last, and softmax of the vector asked for last. */
  private curves: LabActivationCurvesMessage | undefined;
  private softmax: SoftmaxFigure | undefined;
  private readonly softmaxFormula = el('p', 'formula');

  constructor(
    private readonly root: HTMLElement,
    private readonly host: LabHost<ActivationLabState>,
  ) {
    this.state = host.getState() ?? { alpha: 1, softmaxInput: '2, 1, 0.1' };
    this.build();
  }

  private build(): void {
    const header = el('header', 'panel-header');
    header.append(
      el('h1', undefined, 'Activation Functions'),
      el('p', 'subtitle', 'f(z) and its derivative f′(z) for z from −5 to 5, computed by the same code the networks train with. A neuron computes a = σ(z), and backpropagation multiplies by σ′(z).'),
    );
    const grid = el('div', 'lab-grid');
    grid.id = 'activation-plots';
    for (const entry of ENTRIES) grid.append(this.card(entry));
    this.root.replaceChildren(header, grid, this.softmaxCard(), this.collapseCard());
    this.host.post({ type: 'askCurves', alpha: this.state.alpha });
    this.askSoftmax();
  }

  /** The curve of activation `id` the host sent last. */
  private curve(id: string): ActivationCurve | undefined {
    return this.curves?.curves.find((c) => c.id === id);
  }

  private card(entry: { readonly id: string; readonly title: string }): HTMLElement {
    const card = el('section', 'card activation-card');
    card.id = `act-${entry.id}`;
    card.dataset.activation = entry.id;
    const formula = el('p', 'formula', '…');
    this.formulas.set(entry.id, formula);
    card.append(el('h2', undefined, entry.title), formula);
    if (entry.id === 'elu') card.append(this.alphaControl());
    const { wrap, canvas } = chartCanvas(`${entry.title}: f(z) and f′(z) for z from −5 to 5`, 'lab-chart small');
    canvas.dataset.activation = entry.id;
    const chartSvg = () => {
      const chart = this.charts.get(entry.id);
      return chart ? chartJsSvg(chart, `${entry.title}: ${this.curve(entry.id)?.formula ?? ''}`) : undefined;
    };
    const exports = exportButtons((m) => this.host.post(m), `activation-${entry.id}`, () => canvas, () => {
      const c = this.curve(entry.id);
      const z = this.curves?.z ?? new Float64Array(0);
      return csv(['z', 'f(z)', 'f′(z)'], c ? Array.from(z, (zi, i) => [zi, c.f[i], c.df[i]]) : []);
    }, chartSvg);
    card.append(exports, wrap);
    this.charts.set(entry.id, this.lineChart(canvas));
    return card;
  }

  private alphaControl(): HTMLElement {
    const row = el('div', 'lab-field');
    const label = el('label', undefined, 'α ');
    const slider = el('input');
    slider.type = 'range';
    slider.min = '0.1';
    slider.max = '3';
    slider.step = '0.1';
    slider.value = String(this.state.alpha);
    slider.setAttribute('aria-label', 'ELU α (slider)');
    const num = el('input');
    num.type = 'number';
    num.id = 'elu-alpha';
    num.min = '0.01';
    num.max = '10';
    num.step = '0.1';
    num.value = String(this.state.alpha);
    num.setAttribute('aria-label', 'ELU α');
    label.htmlFor = 'elu-alpha';
    const set = (v: number) => {
      if (!Number.isFinite(v) || v <= 0 || v > 10) return;
      this.state.alpha = v;
      this.host.setState(this.state);
      slider.value = String(v);
      num.value = String(v);
      this.host.post({ type: 'askCurves', alpha: v });
    };
    slider.addEventListener('input', () => set(Number(slider.value)));
    num.addEventListener('change', () => set(Number(num.value)));
    row.append(label, slider, num);
    return row;
  }

  private lineChart(canvas: HTMLCanvasElement): Chart {
    const c = chartColors();
    return new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'f(z)', data: [], borderColor: c.series[0], backgroundColor: c.series[0], pointRadius: 0, borderWidth: 2 },
          { label: 'f′(z)', data: [], borderColor: c.series[1], backgroundColor: c.series[1], pointRadius: 0, borderWidth: 2, borderDash: [5, 3] },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        color: c.fg,
        scales: {
          x: { type: 'linear', min: -5, max: 5, title: { display: true, text: 'z', color: c.fg }, ticks: { color: c.fg }, grid: { color: c.grid } },
          y: { type: 'linear', suggestedMin: -1, suggestedMax: 1.5, ticks: { color: c.fg }, grid: { color: c.grid } },
        },
        plugins: { legend: { labels: { color: c.fg, boxHeight: 2 } }, tooltip: { mode: 'index', intersect: false } },
      },
    });
  }

  /** Draws the host's curves (those of an α since changed are drawn too: the next answer follows). */
  private plotCurves(message: LabActivationCurvesMessage): void {
    this.curves = message;
    const { z } = message;
    for (const c of message.curves) {
      const chart = this.charts.get(c.id);
      const formula = this.formulas.get(c.id);
      if (formula) formula.textContent = c.formula;
      if (!chart) continue;
      chart.data.datasets[0].data = Array.from(z, (x, i) => ({ x, y: c.f[i] }));
      chart.data.datasets[1].data = Array.from(z, (x, i) => ({ x, y: c.df[i] }));
      chart.update('none');
      chart.canvas.dataset.drawn = String(message.alpha);
    }
  }

  private softmaxCard(): HTMLElement {
    const card = el('section', 'card');
    card.id = 'softmax';
    const input = el('input', 'vector-input');
    input.type = 'text';
    input.id = 'softmax-z';
    input.value = this.state.softmaxInput;
    input.setAttribute('aria-label', 'softmax input vector z');
    input.addEventListener('input', () => {
      this.state.softmaxInput = input.value;
      this.host.setState(this.state);
      this.askSoftmax();
    });
    const label = el('label', undefined, 'z = ');
    label.htmlFor = 'softmax-z';
    const row = el('div', 'lab-field');
    row.append(label, input, el('span', 'hint', ' up to 10 numbers, separated by commas'));
    const { wrap, canvas } = chartCanvas('softmax: the inputs z_k and the outputs a_k as bars');
    this.softmaxChart = this.barChart(canvas);
    const exports = exportButtons((m) => this.host.post(m), 'softmax', () => canvas, () => {
      const f = this.softmax;
      return csv(['k', 'z_k', 'e^z_k', 'a_k'], f ? f.z.map((zk, k) => [k + 1, zk, Math.exp(zk), f.a[k]]) : []);
    }, () => (this.softmaxChart && this.softmax ? chartJsSvg(this.softmaxChart, `softmax of (${this.softmax.z.join(', ')})`) : undefined));
    card.append(el('h2', undefined, 'softmax'), this.softmaxFormula, row, this.softmaxError, exports, wrap, this.softmaxTable);
    return card;
  }

  private barChart(canvas: HTMLCanvasElement): Chart {
    const c = chartColors();
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'z_k', data: [], backgroundColor: c.series[0], yAxisID: 'z' },
          { label: 'a_k = softmax(z)_k', data: [], backgroundColor: c.series[1], yAxisID: 'a' },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        color: c.fg,
        scales: {
          x: { ticks: { color: c.fg }, grid: { color: c.grid } },
          z: { type: 'linear', position: 'left', title: { display: true, text: 'z_k', color: c.fg }, ticks: { color: c.fg }, grid: { color: c.grid } },
          a: { type: 'linear', position: 'right', min: 0, max: 1, title: { display: true, text: 'a_k', color: c.fg }, ticks: { color: c.fg }, grid: { display: false } },
        },
        plugins: { legend: { labels: { color: c.fg } } },
      },
    });
  }

  /** Asks the host for softmax of the vector typed (a vector that does not parse is said at once). */
  private askSoftmax(): void {
    const z = parseVector(this.state.softmaxInput);
    this.softmaxError.textContent = z ? '' : 'Enter 1 to 10 numbers, e.g. 2, 1, 0.1.';
    if (z) this.host.post({ type: 'askSoftmax', z });
  }

  private drawSoftmax(f: SoftmaxFigure): void {
    this.softmax = f;
    this.softmaxFormula.textContent = f.formula;
    const { z, a } = f;
    if (!this.softmaxChart) return;
    const chart = this.softmaxChart;
    chart.data.labels = z.map((_, k) => `k = ${k + 1}`);
    chart.data.datasets[0].data = [...z];
    chart.data.datasets[1].data = Array.from(a);
    chart.update('none');
    const head = el('tr');
    for (const h of ['k', 'z_k', 'e^(z_k)', 'a_k']) head.append(el('th', undefined, h));
    const rows = [head];
    let sum = 0;
    z.forEach((zk, k) => {
      sum += a[k];
      const tr = el('tr');
      tr.dataset.k = String(k + 1);
      tr.append(el('td', undefined, String(k + 1)), el('td', undefined, fmt(zk)), el('td', undefined, fmt(Math.exp(zk))), el('td', 'softmax-a', fmt(a[k])));
      rows.push(tr);
    });
    const total = el('tr', 'total');
    total.append(el('td', undefined, 'Σ'), el('td'), el('td'), el('td', undefined, fmt(sum)));
    rows.push(total);
    this.softmaxTable.replaceChildren(...rows);
  }

  private collapseCard(): HTMLElement {
    const card = el('section', 'card');
    card.id = 'collapse';
    const button = el('button', undefined, 'Why linear activations collapse');
    button.id = 'show-collapse';
    button.title = 'Multiply the open model’s weight matrices W[1]…W[L] into one';
    button.addEventListener('click', () => {
      this.collapse.replaceChildren(el('p', 'hint', 'Computing…'));
      this.host.post({ type: 'showCollapse' });
    });
    card.append(
      el('h2', undefined, 'Why a deep network needs a non-linear σ'),
      el('p', 'hint', 'With σ(z) = z in every layer, layer after layer is x ↦ xW + b, and a composition of such maps is one such map. The button multiplies out the open model’s own weights.'),
      button,
      this.collapse,
    );
    return card;
  }

  handle(message: HostToLabMessage): void {
    switch (message.type) {
      case 'collapse':
        if (message.collapse) this.renderCollapse(message.collapse);
        else {
          const p = el('p', 'collapse-unavailable', message.unavailable ?? 'No model is open.');
          p.setAttribute('role', 'status');
          this.collapse.replaceChildren(p);
        }
        return;
      case 'activationCurves':
        this.plotCurves(message);
        return;
      case 'softmax':
        this.drawSoftmax(message.softmax);
        return;
      case 'initStats':
      case 'sweepState':
        return; // for the other labs
      default: {
        const never: never = message;
        console.warn('MLP Inspector: unexpected message', never);
      }
    }
  }

  private renderCollapse(v: CollapseView): void {
    const L = v.layers.length;
    const product = Array.from({ length: L }, (_, k) => `W[${k + 1}]`).join('');
    const statement = el('p', 'collapse-statement');
    statement.setAttribute('role', 'status');
    statement.textContent =
      `${v.model} (${v.fileName}): with σ(z) = z in every layer, ŷ = x ${product} + b — one layer with W = ${product} (${v.W.rows} × ${v.W.cols}) ` +
      `and b = (${Array.from(v.b, (x) => fmt(x)).join(', ')}). However many layers, the map stays affine; its rank is ${v.rank} (never more than the narrowest layer, ${v.bottleneck} unit${v.bottleneck === 1 ? '' : 's'} wide).`;
    const chain = el('div', 'collapse-chain');
    v.layers.forEach((layer, k) => {
      if (k > 0) chain.append(el('span', 'op', '×'));
      chain.append(renderMatrix(`W[${k + 1}] (${layer.W.rows} × ${layer.W.cols}), σ = ${layer.activation}`, layer.W, (r, c) => `W[${k + 1}][${r}][${c}]`));
    });
    chain.append(el('span', 'op', '='));
    const result = renderMatrix(`W (${v.W.rows} × ${v.W.cols})`, v.W, (r, c) => `W[${r}][${c}]`);
    result.classList.add('collapse-result');
    chain.append(result);
    const notes: HTMLElement[] = [];
    if (v.nonLinearLayers.length > 0) {
      notes.push(el('p', 'hint', `This model uses non-linear activations in layer${v.nonLinearLayers.length === 1 ? '' : 's'} ${v.nonLinearLayers.join(', ')}; the one layer above is what the same weights compute with each σ replaced by the identity — which is why those σ are there.`));
    }
    const check = el('p', 'collapse-check');
    check.textContent = `Checked on ${v.check.inputSource}: the linearized ${v.sizes.join('-')} network and the single layer differ by at most ${fmt(v.check.maxAbsDifference, 3)} — ${v.check.equal ? 'equal up to rounding' : 'NOT equal'}.`;
    check.dataset.equal = String(v.check.equal);
    this.collapse.replaceChildren(statement, chain, ...notes, check);
  }
}
