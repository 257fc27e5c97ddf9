/**
 * Loss curves with chart.js: training and validation loss per epoch (log scale on request) and,
 * for classification, accuracy on a second axis. Colours come from VS Code's theme variables.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import { el } from './format';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip);

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
  private lastLength = -1;

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
    bar.append(el('span', 'chart-title', 'Loss per epoch'), toggle);
    this.canvas = el('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Training and validation loss per epoch');
    const wrap = el('div', 'chart-wrap');
    wrap.append(this.canvas);
    this.element.append(bar, wrap);
  }

  private points: readonly EpochPoint[] = [];

  update(points: readonly EpochPoint[]): void {
    this.points = points;
    if (!this.chart || points.length < this.lastLength) return this.rebuild();
    this.lastLength = points.length;
    const ds = this.chart.data.datasets;
    ds[0].data = points.map((p) => ({ x: p.epoch, y: p.loss }));
    if (ds[1]) ds[1].data = points.filter((p) => p.valLoss !== undefined).map((p) => ({ x: p.epoch, y: p.valLoss! }));
    if (ds[2]) ds[2].data = points.filter((p) => p.accuracy !== undefined).map((p) => ({ x: p.epoch, y: p.accuracy! }));
    if (ds[3]) ds[3].data = points.filter((p) => p.valAccuracy !== undefined).map((p) => ({ x: p.epoch, y: p.valAccuracy! }));
    this.chart.update('none');
  }

  private rebuild(): void {
    this.chart?.destroy();
    const points = this.points;
    this.lastLength = points.length;
    const fg = themeColor('--vscode-foreground', '#888');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    const blue = themeColor('--vscode-charts-blue', '#3794ff');
    const orange = themeColor('--vscode-charts-orange', '#d18616');
    const green = themeColor('--vscode-charts-green', '#89d185');
    const purple = themeColor('--vscode-charts-purple', '#b180d7');
    const hasVal = points.some((p) => p.valLoss !== undefined);
    const hasAcc = points.some((p) => p.accuracy !== undefined);
    const datasets = [
      { label: 'training loss', data: points.map((p) => ({ x: p.epoch, y: p.loss })), borderColor: blue, backgroundColor: blue, yAxisID: 'y' },
      ...(hasVal ? [{ label: 'validation loss', data: points.filter((p) => p.valLoss !== undefined).map((p) => ({ x: p.epoch, y: p.valLoss! })), borderColor: orange, backgroundColor: orange, yAxisID: 'y' }] : []),
      ...(hasAcc
        ? [
            { label: 'training accuracy', data: points.filter((p) => p.accuracy !== undefined).map((p) => ({ x: p.epoch, y: p.accuracy! })), borderColor: green, backgroundColor: green, yAxisID: 'acc', borderDash: [4, 3] },
            ...(hasVal ? [{ label: 'validation accuracy', data: points.filter((p) => p.valAccuracy !== undefined).map((p) => ({ x: p.epoch, y: p.valAccuracy! })), borderColor: purple, backgroundColor: purple, yAxisID: 'acc', borderDash: [4, 3] }] : []),
          ]
        : []),
    ];
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: datasets.map((d) => ({ ...d, pointRadius: 0, borderWidth: 2, tension: 0 })) },
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
        plugins: { legend: { labels: { color: fg } }, tooltip: { mode: 'index', intersect: false } },
      },
    });
  }
}
