/**
 * What the network learned, drawn: the decision map and neuron maps, the fitted curve, the
 * confusion matrix, the distributions and their course over the epochs. The worker computes every
 * one of them from the live network and its whole data (snapshot.figures, .confusion,
 * .distributions, EpochRecord.layerStats); this file only draws them, with the data's preview
 * points on top.
 */
import type { ConfusionMatrix } from '../src/analysis/confusion';
import type { FittedCurve, Grid } from '../src/analysis/decisionMap';
import type { Histogram } from '../src/analysis/histograms';
import type { LayerStatQuantity } from '../src/analysis/layerStats';
import { layerStat } from '../src/training/layerStatsLayout';
import type { EpochRecord, PlaneFigure, TrainingSnapshot } from '../src/training/workerProtocol';
import type { ModelView } from '../src/inspector/viewProtocol';
import { MAX_SLICE_INPUTS } from '../src/training/shownUnits';

export { MAX_SLICE_INPUTS };
import { absMax, divergingRgb } from './colors';
import { el, fmt } from './format';
import { cellsSvg, esc, markerSvg, svgDocument, type SvgMarker } from './svgExport';

/** Distinct colours for classes, readable on light and dark backgrounds. */
const CLASS_RGB: [number, number, number][] = [
  [33, 102, 172],
  [230, 115, 20],
  [60, 160, 80],
  [170, 60, 160],
  [200, 60, 60],
  [120, 120, 30],
  [30, 150, 160],
  [130, 90, 50],
];

export const classColor = (k: number): string => {
  const [r, g, b] = CLASS_RGB[k % CLASS_RGB.length];
  return `rgb(${r}, ${g}, ${b})`;
};

/** The inputs a grid's plane varies, and how many inputs a row has. */
function planeOf(grid: Grid): { a: number; b: number; cols: number } {
  const [a, b] = grid.slice?.axes ?? [0, 1];
  return { a, b, cols: grid.slice ? grid.slice.base.length : 2 };
}

/** How far a sure region's colour is lightened from its class colour toward white. */
const MAP_TINT = 0.45;

/** The output over the input plane, as pixels (row 0 at the top = the largest x2). */
export function decisionImage(plane: PlaneFigure): ImageData {
  const { grid } = plane;
  const { nx, ny } = grid;
  const img = new ImageData(nx, ny);
  const d = plane.decision;
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const c = i * nx + j; // row i of the grid is x2 from low to high
      const o = 4 * ((ny - 1 - i) * nx + j);
      let rgb: [number, number, number];
      if (d.kind === 'regression') {
        const mid = (d.max + d.min) / 2;
        rgb = divergingRgb(d.yhat[c * d.nOut] - mid, Math.max((d.max - d.min) / 2, 1e-9));
      } else {
        const k = d.predicted![c];
        const conf = d.confidence![c];
        // Blend toward the background as confidence falls to chance, so boundaries show.
        const chance = d.kind === 'binary' ? 0.5 : 1 / d.nOut;
        const t = Math.max(0, Math.min(1, (conf - chance) / (1 - chance)));
        // A sure region is a paler tint of its class, never the class colour itself: a data
        // point, drawn in the full colour, stays a visible solid dot on its own class's region.
        const [r, g, b] = CLASS_RGB[k % CLASS_RGB.length].map((c) => c + (255 - c) * MAP_TINT);
        rgb = [128 + (r - 128) * t, 128 + (g - 128) * t, 128 + (b - 128) * t];
      }
      img.data[o] = rgb[0];
      img.data[o + 1] = rgb[1];
      img.data[o + 2] = rgb[2];
      img.data[o + 3] = 255;
    }
  }
  return img;
}

/**
 * The class of each preview row, for colouring its point: the target's largest entry (its one-hot
 * 1), or y ≥ ½ for a one-unit target. The data's labels, not the network's output.
 */
function labelsOf(y: Float64Array, rows: number, nOut: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * nOut;
    let k = 0;
    if (nOut === 1) k = y[o] >= 0.5 ? 1 : 0;
    else for (let j = 1; j < nOut; j++) if (y[o + j] > y[o + k]) k = j;
    out[r] = k;
  }
  return out;
}

/** Which split a data point comes from. */
export type PointKind = 'training' | 'validation';

/** The dark line around every marker edge, and the light halo outside it. */
const MARKER_EDGE = 'rgb(16, 16, 16)';
const MARKER_HALO = 'rgb(255, 255, 255)';

/** The disc's radius of the decision map's points, and of the fitted curve's. */
export const MAP_POINT_RADIUS = 4.5;
export const CURVE_POINT_RADIUS = 3.5;

/** The kinds of point a model's data preview has, for its legend. */
export const pointKindsOf = (model: ModelView): PointKind[] => (model.data?.preview?.validation?.rows ? ['training', 'validation'] : ['training']);

/**
 * Draws one data point at (x, y). Training: a disc filled with `colour`. Validation: a square
 * ring in `colour` with an open centre, through which the map (or chart) shows. The two kinds
 * differ in shape and in fill, not in shade, because the map's background is itself the class
 * colours: a white validation point used to read as "filled" and a training point on its own
 * class as "hollow". Every edge, the outer one and the ring's inner one, is a dark line, and a
 * white halo goes around the outside, so a marker stands out on its own class, on another class,
 * on the grey boundary, and on a light, dark or high-contrast theme alike. `r` is the disc's
 * radius; the ring is scaled with it (at MAP_POINT_RADIUS: an open centre 6 px wide, a band
 * 2.5 px wide, 17 px across with its halo).
 */
export function drawPoint(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, colour: string, kind: PointKind): void {
  // Small markers (dense data) get thinner edges and halo, or the halos merge into a white mesh.
  const s = r / MAP_POINT_RADIUS;
  const edge = Math.min(1, Math.max(0.6, s));
  const halo = edge;
  if (kind === 'training') {
    const disc = (radius: number, fill: string) => {
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
      ctx.fillStyle = fill;
      ctx.fill();
    };
    disc(r + edge + halo, MARKER_HALO);
    disc(r + edge, MARKER_EDGE);
    disc(r, colour);
    return;
  }
  const hole = Math.max(1.5, 3 * s); // half the side of the open centre
  const outer = Math.max(hole + edge + 1.25, 6.5 * s); // half the side of the coloured band
  // A square frame between half-sides `out` and `inn`, filled with the even-odd rule.
  const frame = (out: number, inn: number, fill: string) => {
    ctx.beginPath();
    ctx.rect(x - out, y - out, 2 * out, 2 * out);
    ctx.rect(x - inn, y - inn, 2 * inn, 2 * inn);
    ctx.fillStyle = fill;
    ctx.fill('evenodd');
  };
  frame(outer + edge + halo, hole, MARKER_HALO);
  frame(outer + edge, hole, MARKER_EDGE);
  frame(outer, hole + edge, colour);
}

/**
 * The legend of the markers, drawn by drawPoint itself (not described in words, which were
 * misread): a small canvas for each kind shown, then its name.
 */
export function pointLegend(colour: string, kinds: readonly PointKind[] = ['training', 'validation']): HTMLElement {
  const legend = el('span', 'point-legend');
  const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
  for (const kind of kinds) {
    const swatch = el('canvas', 'point-swatch');
    const css = 20;
    swatch.width = css * ratio;
    swatch.height = css * ratio;
    swatch.style.width = `${css}px`;
    swatch.style.height = `${css}px`;
    swatch.dataset.kind = kind;
    swatch.setAttribute('aria-hidden', 'true');
    const ctx = swatch.getContext('2d');
    if (ctx) {
      ctx.scale(ratio, ratio);
      drawPoint(ctx, css / 2, css / 2, MAP_POINT_RADIUS, colour, kind);
    }
    const item = el('span', 'point-legend-item');
    item.dataset.kind = kind;
    item.append(swatch, el('span', undefined, kind));
    legend.append(item);
  }
  return legend;
}

/** The points' colour on a regression map, whose background is a diverging scale of ŷ. */
export const REGRESSION_POINT = 'rgb(72, 72, 72)';

/**
 * The decision map card's canvas: the map scaled up, the training points (discs) and the
 * validation points (square rings) on top, axes labelled with the input names (normalized units).
 */
export function drawDecisionMap(canvas: HTMLCanvasElement, plane: PlaneFigure, model: ModelView): void {
  const { grid } = plane;
  const size = 320;
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const small = document.createElement('canvas');
  small.width = grid.nx;
  small.height = grid.ny;
  small.getContext('2d')?.putImageData(decisionImage(plane), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, size, size);
  const p = model.data?.preview;
  if (!p) return;
  const nOut = model.layers[model.layers.length - 1].units;
  const toX = (v: number) => ((v - grid.x1Min) / (grid.x1Max - grid.x1Min)) * size;
  const toY = (v: number) => size - ((v - grid.x2Min) / (grid.x2Max - grid.x2Min)) * size;
  const { a, b, cols } = planeOf(grid);
  const dense = p.train.rows + (p.validation?.rows ?? 0) > 500;
  const drawSplit = (split: { x: Float64Array; y: Float64Array; rows: number }, kind: PointKind) => {
    const labels = labelsOf(split.y, split.rows, nOut);
    for (let r = 0; r < split.rows; r++) {
      const colour = plane.decision.kind === 'regression' ? REGRESSION_POINT : classColor(labels[r]);
      drawPoint(ctx, toX(split.x[r * cols + a]), toY(split.x[r * cols + b]), dense ? 2.6 : MAP_POINT_RADIUS, colour, kind);
    }
  };
  drawSplit(p.train, 'training');
  if (p.validation) drawSplit(p.validation, 'validation');
}

/** A hidden neuron's activation over the plane as a small image (for its node in the diagram). */
export function neuronImage(plane: PlaneFigure, l: number, j: number): string | undefined {
  const { grid } = plane;
  const layer = plane.neurons.find((m) => m.l === l);
  const k = layer ? layer.units.indexOf(j) : -1;
  if (!layer || k < 0) return undefined;
  const cells = grid.nx * grid.ny;
  const values = layer.values.subarray(k * cells, (k + 1) * cells);
  const canvas = document.createElement('canvas');
  canvas.width = grid.nx;
  canvas.height = grid.ny;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const img = ctx.createImageData(grid.nx, grid.ny);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const mid = (lo + hi) / 2;
  const half = Math.max((hi - lo) / 2, 1e-9);
  for (let i = 0; i < grid.ny; i++) {
    for (let x = 0; x < grid.nx; x++) {
      const [r, g, b] = divergingRgb(values[i * grid.nx + x] - mid, half);
      const o = 4 * ((grid.ny - 1 - i) * grid.nx + x);
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

/** The confusion matrix the worker computed on a whole split, if the model classifies. */
export function confusionOfView(s: TrainingSnapshot): { m: ConfusionMatrix; split: string; epoch: number; step: number } | undefined {
  const c = s.confusion;
  return c ? { m: c.matrix, split: c.split, epoch: c.epoch, step: c.step } : undefined;
}

/** A histogram as a small bar chart canvas. */
export function histogramCanvas(h: Histogram, title: string): HTMLElement {
  const fig = el('figure', 'histogram');
  fig.append(el('figcaption', undefined, title));
  const canvas = el('canvas');
  canvas.width = 180;
  canvas.height = 56;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${title}: ${h.count} values from ${fmt(h.lo)} to ${fmt(h.hi)}, mean ${fmt(h.mean)}, std ${fmt(h.std)}`);
  const ctx = canvas.getContext('2d');
  const max = Math.max(1, ...Array.from(h.counts));
  if (ctx) {
    const w = canvas.width / h.counts.length;
    const limit = absMax([h.lo, h.hi]);
    h.counts.forEach((c, k) => {
      const centre = h.lo + ((k + 0.5) * (h.hi - h.lo)) / h.counts.length;
      const [r, g, b] = divergingRgb(centre, limit);
      ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
      const bh = (c / max) * (canvas.height - 2);
      ctx.fillRect(k * w + 0.5, canvas.height - bh, Math.max(1, w - 1), bh);
    });
  }
  const legend = el('div', 'hist-legend', `${fmt(h.lo, 3)} … ${fmt(h.hi, 3)} · mean ${fmt(h.mean, 3)} · std ${fmt(h.std, 3)}`);
  fig.append(canvas, legend);
  return fig;
}

/** The mean and std of one quantity (W, a or dL/dW of a layer) at one epoch. */
export interface TrendPoint {
  readonly epoch: number;
  readonly mean: number;
  readonly std: number;
}

/** At most this many points of a trend are drawn (evenly spaced epochs, the last always). */
export const TREND_POINTS = 1000;

/**
 * Layer l's mean and std of W, a or dL/dW over the epochs, as the worker recorded them at the end
 * of each epoch (records without them are skipped); at most `points`, evenly thinned.
 */
export function trendOf(history: readonly EpochRecord[], l: number, quantity: LayerStatQuantity, points = TREND_POINTS): TrendPoint[] {
  const all: TrendPoint[] = [];
  for (const r of history) {
    const s = r.layerStats && layerStat(r.layerStats, l, quantity);
    if (s) all.push({ epoch: r.epoch, mean: s.mean, std: s.std });
  }
  if (all.length <= points) return all;
  const stride = Math.ceil(all.length / points);
  return all.filter((_, i) => i % stride === 0 || i === all.length - 1);
}

/**
 * A quantity's mean over the epochs as a line, with a band of ± one std around it: how a
 * layer's weights spread out, or its activations saturate, as training goes on.
 */
export function trendCanvas(series: readonly TrendPoint[], title: string): HTMLElement {
  const fig = el('figure', 'trend');
  fig.append(el('figcaption', undefined, title));
  const canvas = el('canvas');
  canvas.width = 180;
  canvas.height = 56;
  canvas.setAttribute('role', 'img');
  const first = series[0];
  const last = series[series.length - 1];
  canvas.setAttribute('aria-label', `${title}: mean ${fmt(first.mean)} ± ${fmt(first.std)} at epoch ${first.epoch}, ${fmt(last.mean)} ± ${fmt(last.std)} at epoch ${last.epoch}`);
  const ctx = canvas.getContext('2d');
  const finite = series.filter((p) => Number.isFinite(p.mean) && Number.isFinite(p.std));
  if (ctx && finite.length > 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of finite) {
      lo = Math.min(lo, p.mean - p.std);
      hi = Math.max(hi, p.mean + p.std);
    }
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    const e0 = finite[0].epoch;
    const e1 = Math.max(finite[finite.length - 1].epoch, e0 + 1);
    const X = (e: number) => 1 + ((e - e0) / (e1 - e0)) * (canvas.width - 2);
    const Y = (v: number) => canvas.height - 2 - ((v - lo) / (hi - lo)) * (canvas.height - 4);
    const accent = classColor(0);
    ctx.beginPath();
    finite.forEach((p, i) => (i === 0 ? ctx.moveTo(X(p.epoch), Y(p.mean + p.std)) : ctx.lineTo(X(p.epoch), Y(p.mean + p.std))));
    for (let i = finite.length - 1; i >= 0; i--) ctx.lineTo(X(finite[i].epoch), Y(finite[i].mean - finite[i].std));
    ctx.closePath();
    ctx.globalAlpha = 0.25;
    ctx.fillStyle = accent;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.beginPath();
    finite.forEach((p, i) => (i === 0 ? ctx.moveTo(X(p.epoch), Y(p.mean)) : ctx.lineTo(X(p.epoch), Y(p.mean))));
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  const legend = el('div', 'hist-legend', `epoch ${first.epoch} → ${last.epoch} · std ${fmt(first.std, 3)} → ${fmt(last.std, 3)}`);
  fig.append(canvas, legend);
  return fig;
}

/**
 * For a 1-input regression model: the fitted curve ŷ(x) over the data's range, with the
 * training points (discs) and validation points (square rings). Returns the curve drawn, or undefined when it does not apply.
 */
export function drawFittedCurve(canvas: HTMLCanvasElement, curve: FittedCurve | undefined, model: ModelView): FittedCurve | undefined {
  const p = model.data?.preview;
  if (!p || !curve) return undefined;
  const w = 360;
  const h = 260;
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const ys = [...Array.from(curve.yhat), ...Array.from(p.train.y.subarray(0, p.train.rows)), ...(p.validation ? Array.from(p.validation.y.subarray(0, p.validation.rows)) : [])].filter(Number.isFinite);
  let yLo = Math.min(...ys);
  let yHi = Math.max(...ys);
  if (!(yHi > yLo)) {
    yLo -= 0.5;
    yHi += 0.5;
  }
  const pad = 0.05 * (yHi - yLo);
  yLo -= pad;
  yHi += pad;
  const xLo = curve.x[0];
  const xHi = curve.x[curve.x.length - 1];
  const X = (v: number) => ((v - xLo) / (xHi - xLo)) * (w - 10) + 5;
  const Y = (v: number) => h - 5 - ((v - yLo) / (yHi - yLo)) * (h - 10);
  const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#888';
  const points = (split: { x: Float64Array; y: Float64Array; rows: number }, kind: PointKind) => {
    for (let r = 0; r < split.rows; r++) drawPoint(ctx, X(split.x[r]), Y(split.y[r]), CURVE_POINT_RADIUS, classColor(0), kind);
  };
  points(p.train, 'training');
  if (p.validation) points(p.validation, 'validation');
  ctx.beginPath();
  ctx.strokeStyle = classColor(1);
  ctx.lineWidth = 2.5;
  curve.x.forEach((x, i) => (i === 0 ? ctx.moveTo(X(x), Y(curve.yhat[i])) : ctx.lineTo(X(x), Y(curve.yhat[i]))));
  ctx.stroke();
  ctx.fillStyle = fg;
  ctx.font = '11px sans-serif';
  ctx.fillText(`ŷ from ${fmt(yLo, 3)} to ${fmt(yHi, 3)}`, 8, 14);
  return curve;
}

/** The fitted curve's data points as SVG markers: (x, y) of every previewed row, by split. */
export function curveMarkersOf(model: ModelView): SvgMarker[] {
  const p = model.data?.preview;
  if (!p) return [];
  const out: SvgMarker[] = [];
  const add = (split: { x: Float64Array; y: Float64Array; rows: number }, kind: PointKind) => {
    for (let r = 0; r < split.rows; r++) out.push({ x: split.x[r], y: split.y[r], colour: classColor(0), kind });
  };
  add(p.train, 'training');
  if (p.validation) add(p.validation, 'validation');
  return out;
}

/**
 * The decision map as SVG: the map's cells (the very colours the canvas shows, one rect per run
 * of equal colour along a row) and every previewed point's marker on top, with the axes' ranges.
 */
export function decisionMapSvg(plane: PlaneFigure, model: ModelView, title: string): string {
  const { grid } = plane;
  const size = 384;
  const top = 26;
  const left = 10;
  const image = decisionImage(plane);
  const cell = size / grid.nx;
  const cellH = size / grid.ny;
  const rgb = (r: number, c: number) => {
    const o = 4 * (r * grid.nx + c);
    return `rgb(${image.data[o]}, ${image.data[o + 1]}, ${image.data[o + 2]})`;
  };
  const body = [`<text x="${left}" y="17" font-weight="600">${esc(title)}</text>`, ...cellsSvg(grid.ny, grid.nx, rgb, left, top, cell, cellH)];
  const p = model.data?.preview;
  if (p) {
    const nOut = model.layers[model.layers.length - 1].units;
    const X = (v: number) => left + ((v - grid.x1Min) / (grid.x1Max - grid.x1Min)) * size;
    const Y = (v: number) => top + size - ((v - grid.x2Min) / (grid.x2Max - grid.x2Min)) * size;
    const { a, b, cols } = planeOf(grid);
    const dense = p.train.rows + (p.validation?.rows ?? 0) > 500;
    const points = (split: { x: Float64Array; y: Float64Array; rows: number }, kind: PointKind) => {
      const labels = labelsOf(split.y, split.rows, nOut);
      for (let r = 0; r < split.rows; r++) {
        const colour = plane.decision.kind === 'regression' ? REGRESSION_POINT : classColor(labels[r]);
        body.push(markerSvg(X(split.x[r * cols + a]), Y(split.x[r * cols + b]), dense ? 2.6 : MAP_POINT_RADIUS, colour, kind));
      }
    };
    points(p.train, 'training');
    if (p.validation) points(p.validation, 'validation');
  }
  const names = model.data?.inputNames ?? ['x1', 'x2'];
  const { a, b } = planeOf(grid);
  body.push(`<text x="${left}" y="${top + size + 16}">${esc(`horizontal: ${names[a]} ${fmt(grid.x1Min, 3)} … ${fmt(grid.x1Max, 3)}; vertical: ${names[b]} ${fmt(grid.x2Min, 3)} … ${fmt(grid.x2Max, 3)}${grid.slice ? '; the other inputs at their means' : ''}`)}</text>`);
  return svgDocument(title, size + 2 * left, top + size + 26, body);
}
