/**
 * The initialization lab: per layer, the mean and variance of z, a, dL/dz and dL/dW at step 0
 * under zeros, uniform, normal, Xavier and He, as charts (variance per layer) and a table; and
 * zero init's symmetric hidden units next to a random init after the same gradient steps.
 */
import type { HostToLabMessage, InitLabView, SymmetryPanel } from '../src/labs/labProtocol';
import { csv, exportButtons } from './exporter';
import { el, fmt } from './format';
import { renderHeatmap } from './heatmap';
import { Chart, chartCanvas, chartColors } from './labsCharts';
import type { LabHost } from './labsHost';
import { chartJsSvg } from './svgExport';

export interface InitLabState {
  logScale: boolean;
}

/** The initializers' display names. */
const NAMES: Record<string, string> = { zeros: 'zeros', uniform: 'uniform', normal: 'normal', xavier: 'Xavier', he: 'He' };
const displayName = (n: string) => NAMES[n] ?? n;

export class InitLab {
  private readonly state: InitLabState;
  private view: InitLabView | undefined;
  private readonly subtitle = el('p', 'subtitle', 'Measuring…');
  private readonly charts = el('div', 'lab-grid two');
  private readonly table = el('div', 'table-wrap');
  private readonly symmetry = el('div', 'symmetry');
  private chartInstances: Chart[] = [];

  constructor(
    root: HTMLElement,
    private readonly host: LabHost<InitLabState>,
  ) {
    this.state = host.getState() ?? { logScale: true };
    const header = el('header', 'panel-header');
    header.append(el('h1', undefined, 'Initialization Lab'), this.subtitle);
    const toggle = el('label', 'toggle');
    const box = el('input');
    box.type = 'checkbox';
    box.id = 'init-log-scale';
    box.checked = this.state.logScale;
    box.addEventListener('change', () => {
      this.state.logScale = box.checked;
      host.setState(this.state);
      this.renderCharts();
    });
    toggle.append(box, document.createTextNode(' log scale'));
    const chartsCard = el('section', 'card');
    chartsCard.id = 'init-charts';
    const bar = el('div', 'chart-bar');
    bar.append(el('h2', undefined, 'How the signal’s size changes from layer to layer at step 0'), toggle);
    chartsCard.append(bar, this.charts, el('p', 'hint', 'Under zeros every activation and every gradient is 0 (or one constant), so its variance is 0: a log scale cannot draw it.'));
    const tableCard = el('section', 'card');
    tableCard.id = 'init-table';
    tableCard.append(el('h2', undefined, 'Mean and variance per layer'), this.table);
    const symCard = el('section', 'card');
    symCard.id = 'init-symmetry';
    symCard.append(el('h2', undefined, 'Why not initialize to zero? Symmetric hidden units'), this.symmetry);
    root.replaceChildren(header, chartsCard, tableCard, symCard);
  }

  handle(message: HostToLabMessage): void {
    switch (message.type) {
      case 'initStats':
        this.view = message.view;
        this.render();
        return;
      case 'collapse':
      case 'sweepState':
      case 'activationCurves':
      case 'softmax':
        return;
      default: {
        const never: never = message;
        console.warn('MLP Inspector: unexpected message', never);
      }
    }
  }

  private render(): void {
    const v = this.view;
    if (!v) return;
    const arch = v.layers.map((l) => l.units).join('-');
    const acts = v.layers.slice(1).map((l) => l.activation ?? 'identity').join(', ');
    const from = v.source.kind === 'model' ? `${v.source.name} (${v.source.fileName})` : 'the default architecture (no model is open)';
    this.subtitle.textContent = `${arch} with σ = ${acts}, from ${from}. x ~ N(0, 1), a batch of ${v.batch} pooled over ${v.seeds} seeds; the backward pass starts from dL/dŷ ~ N(0, 1).`;
    this.subtitle.dataset.architecture = arch;
    this.renderCharts();
    this.renderTable(v);
    this.renderSymmetry(v);
  }

  private renderCharts(): void {
    const v = this.view;
    if (!v) return;
    for (const c of this.chartInstances) c.destroy();
    this.chartInstances = [];
    const make = (title: string, name: string, column: string, pick: (s: InitLabView['results'][number]['layers'][number]) => number) => {
      const index = this.chartInstances.length;
      const { wrap, canvas } = chartCanvas(`${title} per layer under each initializer`);
      const fig = el('figure', 'lab-figure');
      const caption = el('figcaption', undefined, title);
      caption.append(
        exportButtons(
          (m) => this.host.post(m),
          name,
          () => canvas,
          () => csv(['initializer', 'layer', column], v.results.flatMap((r) => r.layers.map((s) => [r.initializer, s.l, pick(s)]))),
          () => {
            const chart = this.chartInstances[index];
            return chart ? chartJsSvg(chart, `${title} per layer under each initializer`) : undefined;
          },
        ),
      );
      fig.append(caption, wrap);
      const c = chartColors();
      const labels = v.layers.slice(1).map((_, k) => `layer ${k + 1}`);
      this.chartInstances.push(
        new Chart(canvas, {
          type: 'line',
          data: {
            labels,
            datasets: v.results.map((r, i) => ({
              label: displayName(r.initializer),
              // A log scale cannot place 0: leave those points out rather than drawing them at the floor.
              data: r.layers.map((s) => (this.state.logScale && !(pick(s) > 0) ? null : pick(s))),
              borderColor: c.series[i % c.series.length],
              backgroundColor: c.series[i % c.series.length],
              pointRadius: 3,
              borderWidth: 2,
              spanGaps: false,
            })),
          },
          options: {
            animation: false,
            maintainAspectRatio: false,
            color: c.fg,
            scales: {
              x: { ticks: { color: c.fg }, grid: { color: c.grid } },
              y: { type: this.state.logScale ? 'logarithmic' : 'linear', ticks: { color: c.fg }, grid: { color: c.grid } },
            },
            plugins: { legend: { labels: { color: c.fg } }, tooltip: { mode: 'index', intersect: false } },
          },
        }),
      );
      return fig;
    };
    this.charts.replaceChildren(
      make('Var(a[l]) — activations, forward', 'init-activation-variance', 'Var(a[l])', (s) => s.a.variance),
      make('Var(dL/dz[l]) — gradients, backward', 'init-gradient-variance', 'Var(dL/dz[l])', (s) => s.dLdz.variance),
    );
  }

  private renderTable(v: InitLabView): void {
    const table = el('table', 'lab-table');
    table.id = 'init-stats';
    const head = el('tr');
    for (const h of ['initializer', 'layer', 'units, σ', 'mean z', 'Var z', 'mean a', 'Var a', 'Var dL/dz', 'Var dL/dW', 'hidden units']) head.append(el('th', undefined, h));
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    for (const r of v.results) {
      r.layers.forEach((s, k) => {
        const tr = el('tr', k === 0 ? 'group-start' : undefined);
        tr.dataset.initializer = r.initializer;
        tr.dataset.layer = String(s.l);
        const name = el('td', undefined, k === 0 ? displayName(r.initializer) : '');
        if (k === 0) name.title = r.description;
        // The output units' gradients differ by their targets alone, so output units that all
        // compute the same value are "the same output", not "distinct".
        const isOutput = k === r.layers.length - 1;
        const sameOutput = isOutput && !s.symmetric && s.maxPairwiseDifference <= 1e-12 * Math.max(1, Math.abs(s.a.mean) + Math.sqrt(s.a.variance));
        const sym = s.units < 2 ? '— (one unit)' : s.symmetric ? 'symmetric' : sameOutput ? 'same output (targets differ)' : 'distinct';
        const symCell = el('td', s.symmetric ? 'symmetric' : undefined, sym);
        symCell.title = `largest |a_j − a_k| = ${fmt(s.maxPairwiseDifference)}, largest |dL/dz_j − dL/dz_k| = ${fmt(s.maxPairwiseGradientDifference)}`;
        tr.append(
          name,
          el('td', undefined, `${s.l}`),
          el('td', undefined, `${s.units} ${s.activation}`),
          num(s.z.mean),
          num(s.z.variance),
          num(s.a.mean),
          num(s.a.variance),
          num(s.dLdz.variance),
          num(s.dLdW.variance),
          symCell,
        );
        tbody.append(tr);
      });
    }
    table.append(thead, tbody);
    const notes = el('ul', 'hint');
    for (const r of v.results) notes.append(el('li', undefined, `${displayName(r.initializer)}: ${r.description} (for W[1])`));
    this.table.replaceChildren(table, notes);
  }

  private renderSymmetry(v: InitLabView): void {
    const s = v.symmetry;
    const intro = el('p', 'hint', `Both networks trained ${s.steps} gradient steps on ${s.data}, from the same data with the same optimizer. Each column is one hidden unit of layer 1.`);
    const row = el('div', 'symmetry-row');
    row.append(this.symmetryColumn(s.zeros, s.steps), this.symmetryColumn(s.random, s.steps));
    this.symmetry.replaceChildren(intro, row);
  }

  private symmetryColumn(p: SymmetryPanel, steps: number): HTMLElement {
    const col = el('div', 'symmetry-col');
    col.dataset.initializer = p.initializer;
    const same = p.maxUnitDifference <= 1e-12 && p.maxColumnDifference <= 1e-12;
    const verdict = el('p', same ? 'verdict symmetric' : 'verdict broken', same ? `symmetric: all ${p.W1.cols} hidden units are still copies of one another` : `symmetry broken: the ${p.W1.cols} hidden units differ`);
    col.append(
      el('h3', undefined, `${displayName(p.initializer)} init`),
      verdict,
      renderHeatmap({ title: `W[1] after ${steps} steps (${p.W1.rows} × ${p.W1.cols})`, rows: p.W1.rows, cols: p.W1.cols, values: p.W1.data, cellName: (r, c) => `W[1][${r}][${c}]` }),
      renderHeatmap({ title: `a[1] on ${p.a1.rows} rows (rows × units)`, rows: p.a1.rows, cols: p.a1.cols, values: p.a1.data, cellName: (r, c) => `a[1]_${c} of row ${r}` }),
      el('p', 'hint', `largest |a[1]_j − a[1]_k| = ${fmt(p.maxUnitDifference)}; largest difference between columns of W[1] = ${fmt(p.maxColumnDifference)}`),
    );
    return col;
  }
}

function num(v: number): HTMLTableCellElement {
  const td = el('td', 'num', fmt(v, 3));
  td.title = String(v);
  return td;
}
