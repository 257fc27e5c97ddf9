/**
 * Loss curves with chart.js: training and validation loss per epoch (log scale on request) and,
 * for classification, accuracy on a second axis. Colours come from VS Code's theme variables.
 */
import { CategoryScale, Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import { commonPrefix } from '../src/training/epochHistory';
import type { BatchLossSeries } from '../src/training/workerProtocol';
import { el } from './format';
import { chartJsSvg } from './svgExport';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip, Decimation);

/** A batch loss series as chart points: J at each fractional epoch. */
function batchPoints(b: BatchLossSeries): { x: number; y: number }[] {
  return Array.from(b.epoch, (x, k) => ({ x, y: b.loss[k] }));
}

/** One epoch's measurements. */
export interface EpochPoint {
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss?: number;
  readonly accuracy?: number;
  readonly valAccuracy?: number;
}

function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export class LossChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart | undefined;
  private logScale = false;

  private overlay: { name: string; epochs: readonly { epoch: number; loss: number; valLoss?: number }[] } | undefined;
  private readonly runSelect: HTMLSelectElement;

  /** Earlier runs the user may overlay (newest first). */
  setRuns(runs: readonly { name: string; epochs: readonly { epoch: number; loss: number; valLoss?: number }[] }[]): void {
    const current = this.runSelect.value;
    this.runs = runs;
    const none = el('option', undefined, 'none');
    none.value = '';
    this.runSelect.replaceChildren(none, ...runs.map((r) => {
      const o = el('option', undefined, r.name.replace(/\.jsonl$/, '').replace(/T(\d\d)-(\d\d)-(\d\d)-\d+Z$/, ' $1:$2:$3 UTC'));
      o.value = r.name;
      return o;
    }));
    this.runSelect.value = runs.some((r) => r.name === current) ? current : '';
    this.runSelect.parentElement!.hidden = runs.length === 0;
  }

  private runs: readonly { name: string; epochs: readonly { epoch: number; loss: number; valLoss?: number }[] }[] = [];
  private readonly title = el('span', 'chart-title', 'Loss per epoch');

  constructor(logScale: boolean, onToggle: (log: boolean) => void) {
    this.logScale = logScale;
    this.element = el('div', 'loss-chart');
    const bar = el('div', 'chart-bar');
    const toggle = el('label', 'toggle');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = logScale;
    box.id = 'log-scale';
    box.addEventListener('change', () => {
      this.logScale = box.checked;
      onToggle(this.logScale);
      this.rebuild();
    });
    toggle.append(box, document.createTextNode(' log scale'));
    const compare = el('label', 'toggle', 'compare with run ');
    this.runSelect = el('select');
    this.runSelect.id = 'compare-run';
    this.runSelect.addEventListener('change', () => {
      this.overlay = this.runs.find((r) => r.name === this.runSelect.value);
      this.rebuild();
    });
    compare.append(this.runSelect);
    compare.hidden = true;
    bar.append(this.title, compare, toggle);
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Training and validation loss per epoch');
    const wrap = el('div', 'chart-wrap');
    wrap.append(this.canvas);
    this.element.append(bar, wrap);
    // Chart colours are read from the theme once per build: rebuild when VS Code switches theme
    // (it changes the body's vscode-light / vscode-dark / vscode-high-contrast class).
    new MutationObserver(() => {
      if (this.chart) this.rebuild();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  private points: readonly EpochPoint[] = [];
  /** The points the series were built from, as they were (the caller's array may change in place). */
  private drawn: EpochPoint[] = [];

  /** The chart's canvas (for PNG export). */
  get canvasElement(): HTMLCanvasElement {
    return this.canvas;
  }

  /** The chart as it is drawn, as SVG (for SVG export). */
  svg(): string | undefined {
    return this.chart ? chartJsSvg(this.chart, 'Loss J over epochs') : undefined;
  }

  /**
   * Draws `points` (oldest first, in epoch order; a long run's history is thinned, so read
   * `epoch`, not the index). Only what changed since the last call is redrawn: the points that
   * follow the prefix both share (compared by identity), which while training is the new epochs,
   * or the stretch the host's thinning rewrote. A frame costs O(changed points), not O(all).
   */
  update(points: readonly EpochPoint[], batches?: BatchLossSeries): void {
    // Until two epochs are done there is no epoch curve: the batches' J shows learning meanwhile.
    const batchMode = points.length < 2 && batches !== undefined && batches.epoch.length > 0;
    if (batchMode || this.batchMode) {
      const switched = batchMode !== this.batchMode;
      this.batchMode = batchMode;
      this.batches = batches;
      this.points = points;
      if (switched || !this.chart || !batchMode) return this.rebuild();
      this.series[0].length = 0;
      this.series[0].push(...batchPoints(batches!));
      this.series[1].length = 0;
      this.series[1].push(...points.map((p) => ({ x: p.epoch, y: p.loss })));
      this.chart.update('none');
      this.markDrawn();
      return;
    }
    const hasVal = points.some((p) => p.valLoss !== undefined);
    const hasAcc = points.some((p) => p.accuracy !== undefined);
    const kept = commonPrefix(this.drawn, points);
    if (!this.chart || (kept === 0 && this.drawn.length > 0) || hasVal !== this.hasVal || hasAcc !== this.hasAcc) {
      this.points = points;
      return this.rebuild();
    }
    this.points = points;
    // Our own arrays: the decimation plugin swaps dataset.data for a thinned copy, but keeps
    // (and re-thins) the arrays it was given. Each holds its points in epoch order, so what was
    // drawn from `kept` on is the tail from its epoch.
    const ds = this.series;
    if (kept < this.drawn.length) {
      const from = this.drawn[kept].epoch;
      for (const series of ds) while (series.length > 0 && series[series.length - 1].x >= from) series.pop();
      this.drawn.length = kept;
    }
    for (let i = kept; i < points.length; i++) {
      const p = points[i];
      this.drawn.push(p);
      ds[0].push({ x: p.epoch, y: p.loss });
      let k = 1;
      if (this.hasVal) {
        if (p.valLoss !== undefined) ds[k].push({ x: p.epoch, y: p.valLoss });
        k++;
      }
      if (this.hasAcc) {
        if (p.accuracy !== undefined) ds[k].push({ x: p.epoch, y: p.accuracy });
        k++;
        if (this.hasVal && p.valAccuracy !== undefined) ds[k].push({ x: p.epoch, y: p.valAccuracy });
      }
    }
    this.chart!.update('none');
    this.markDrawn();
  }

  /** Whether the chart draws the batches' J (fewer than two epochs done) rather than the epochs'. */
  private batchMode = false;
  private batches: BatchLossSeries | undefined;

  /** Says on the element what is drawn (for tests and benchmarks): how many loss points, per batch or per epoch. */
  private markDrawn(): void {
    this.element.dataset.points = String(this.series[0]?.length ?? 0);
    this.element.dataset.unit = this.batchMode ? 'batch' : 'epoch';
    this.title.textContent = this.batchMode ? `Loss per batch (mean of ${this.batches?.every ?? 1}) until two epochs are done` : 'Loss per epoch';
  }

  private hasVal = false;
  private hasAcc = false;
  /** The data arrays of the datasets, in dataset order. */
  private series: { x: number; y: number }[][] = [];

  private rebuild(): void {
    this.chart?.destroy();
    const points = this.points;
    this.drawn = points.slice();
    const fg = themeColor('--vscode-foreground', '#888');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    const blue = themeColor('--vscode-charts-blue', '#3794ff');
    const orange = themeColor('--vscode-charts-orange', '#d18616');
    const green = themeColor('--vscode-charts-green', '#89d185');
    const purple = themeColor('--vscode-charts-purple', '#b180d7');
    const hasVal = (this.hasVal = !this.batchMode && points.some((p) => p.valLoss !== undefined));
    const hasAcc = (this.hasAcc = !this.batchMode && points.some((p) => p.accuracy !== undefined));
    const datasets: { label: string; data: { x: number; y: number }[]; borderColor: string; backgroundColor: string; yAxisID: string; borderDash?: number[]; pointRadius?: number }[] = this.batchMode ? [
      { label: `training loss per batch (mean of ${this.batches!.every})`, data: batchPoints(this.batches!), borderColor: blue, backgroundColor: blue, yAxisID: 'y' },
      { label: 'training loss per epoch', data: points.map((p) => ({ x: p.epoch, y: p.loss })), borderColor: orange, backgroundColor: orange, yAxisID: 'y', pointRadius: 4 },
    ] : [
      { label: 'training loss', data: points.map((p) => ({ x: p.epoch, y: p.loss })), borderColor: blue, backgroundColor: blue, yAxisID: 'y' },
      ...(hasVal ? [{ label: 'validation loss', data: points.filter((p) => p.valLoss !== undefined).map((p) => ({ x: p.epoch, y: p.valLoss! })), borderColor: orange, backgroundColor: orange, yAxisID: 'y' }] : []),
      ...(hasAcc
        ? [
            { label: 'training accuracy', data: points.filter((p) => p.accuracy !== undefined).map((p) => ({ x: p.epoch, y: p.accuracy! })), borderColor: green, backgroundColor: green, yAxisID: 'acc', borderDash: [4, 3] },
            ...(hasVal ? [{ label: 'validation accuracy', data: points.filter((p) => p.valAccuracy !== undefined).map((p) => ({ x: p.epoch, y: p.valAccuracy! })), borderColor: purple, backgroundColor: purple, yAxisID: 'acc', borderDash: [4, 3] }] : []),
          ]
        : []),
    ];
    this.series = datasets.map((d) => d.data);
    if (this.overlay) {
      const grey = themeColor('--vscode-descriptionForeground', '#888');
      datasets.push({ label: `run ${this.runSelect.selectedOptions[0]?.textContent ?? ''}`, data: this.overlay.epochs.map((e) => ({ x: e.epoch, y: e.loss })), borderColor: grey, backgroundColor: grey, yAxisID: 'y', borderDash: [2, 3] });
    }
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: datasets.map((d) => ({ pointRadius: 0, ...d, borderWidth: 2, tension: 0 })) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        color: fg,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'epoch', color: fg }, ticks: { color: fg }, grid: { color: grid } },
          y: { type: this.logScale ? 'logarithmic' : 'linear', title: { display: true, text: 'J', color: fg }, ticks: { color: fg }, grid: { color: grid } },
          ...(hasAcc ? { acc: { type: 'linear' as const, position: 'right' as const, min: 0, max: 1, title: { display: true, text: 'accuracy', color: fg }, ticks: { color: fg }, grid: { display: false } } } : {}),
        },
        // Long runs have 10⁵+ epochs; min-max decimation keeps every peak and dip but draws ~2 points a pixel.
        plugins: { legend: { labels: { color: fg } }, tooltip: { mode: 'index', intersect: false }, decimation: { enabled: true, algorithm: 'min-max' } },
      },
    });
    this.markDrawn();
  }
}
