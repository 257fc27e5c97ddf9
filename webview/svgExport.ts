/**
 * Charts as SVG: vector files for slides and papers, drawn from the same numbers as the canvas
 * (not a picture of it). Every builder here returns SVG text with explicit colours (the theme's
 * at the moment of export) and no script, event handler or external reference: the host refuses
 * an SVG export that has any (src/host/webviewMessages.ts).
 */
import type { Chart } from 'chart.js';
import { absMax, divergingCss } from './colors';
import { fmt } from './format';

/** The theme's colours now: the SVG cannot read VS Code's CSS variables later. */
export function themeColours(): { background: string; foreground: string; muted: string } {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { background: v('--vscode-editor-background', '#ffffff'), foreground: v('--vscode-foreground', '#333333'), muted: v('--vscode-descriptionForeground', '#777777') };
}

/** Text for an SVG text node or attribute. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for an SVG coordinate: two decimals are finer than any screen or printer. */
const n = (x: number) => (Math.round(x * 100) / 100).toString();

/** A whole SVG document of `width` × `height` around `body`, with a title and the theme's background. */
export function svgDocument(title: string, width: number, height: number, body: readonly string[]): string {
  const { background, foreground } = themeColours();
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="sans-serif" font-size="11" fill="${esc(foreground)}">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="${esc(background)}"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A polyline through points (x, y) in pixels, skipping non-finite ones by starting a new run. */
export function pathOf(points: readonly (readonly [number, number])[]): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${n(x)} ${n(y)}`;
    pen = true;
  }
  return d;
}

/**
 * A grid of cells as rects, one per run of equal colour along a row (a weight matrix's cells, or
 * a decision map's pixels), at `cell` × `cellH` pixels from (x0, y0).
 */
export function cellsSvg(rows: number, cols: number, colourOf: (r: number, c: number) => string, x0: number, y0: number, cell: number, cellH = cell): string[] {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < cols) {
      const colour = colourOf(r, c);
      let end = c + 1;
      while (end < cols && colourOf(r, end) === colour) end++;
      out.push(`<rect x="${n(x0 + c * cell)}" y="${n(y0 + r * cellH)}" width="${n((end - c) * cell)}" height="${n(cellH)}" fill="${colour}"/>`);
      c = end;
    }
  }
  return out;
}

/** The diverging colour bar from −limit to +limit, as the heatmaps' legend draws it. */
function colourBar(limit: number, x: number, y: number, width: number): string[] {
  const out = [];
  const k = 11;
  for (let i = 0; i < k; i++) out.push(`<rect x="${n(x + (i * width) / k)}" y="${n(y)}" width="${n(width / k + 0.5)}" height="8" fill="${divergingCss(-limit + (2 * limit * i) / (k - 1), limit)}"/>`);
  out.push(`<text x="${n(x)}" y="${n(y + 20)}">${esc(fmt(-limit, 3))}</text>`, `<text x="${n(x + width)}" y="${n(y + 20)}" text-anchor="end">${esc(fmt(limit, 3))}</text>`);
  return out;
}

/** A heatmap (a matrix on the diverging scale) with its title and colour bar. */
export function heatmapSvg(title: string, rows: number, cols: number, values: ArrayLike<number>, limit = absMax(values)): string {
  const cell = Math.max(2, Math.min(24, Math.floor(480 / Math.max(cols, 1))));
  const width = Math.max(cols * cell, 200) + 20;
  const top = 24;
  const height = top + rows * cell + 40;
  return svgDocument(title, width, height, [
    `<text x="10" y="16" font-weight="600">${esc(title)}</text>`,
    ...cellsSvg(rows, cols, (r, c) => divergingCss(values[r * cols + c], limit), 10, top, cell),
    ...colourBar(limit, 10, top + rows * cell + 8, Math.min(200, width - 20)),
  ]);
}

/** A histogram's bars, each coloured by its centre on the diverging scale. */
export function histogramSvg(title: string, lo: number, hi: number, counts: ArrayLike<number>): string {
  const width = 360;
  const height = 160;
  const plot = { x: 10, y: 24, w: width - 20, h: height - 56 };
  const max = Math.max(1, ...Array.from(counts));
  const limit = absMax([lo, hi]);
  const w = plot.w / counts.length;
  const bars: string[] = [];
  for (let k = 0; k < counts.length; k++) {
    const centre = lo + ((k + 0.5) * (hi - lo)) / counts.length;
    const bh = (counts[k] / max) * plot.h;
    bars.push(`<rect x="${n(plot.x + k * w + 0.5)}" y="${n(plot.y + plot.h - bh)}" width="${n(Math.max(1, w - 1))}" height="${n(bh)}" fill="${divergingCss(centre, limit)}"><title>${esc(`${fmt(lo + (k * (hi - lo)) / counts.length)} … ${fmt(lo + ((k + 1) * (hi - lo)) / counts.length)}: ${counts[k]}`)}</title></rect>`);
  }
  return svgDocument(title, width, height, [
    `<text x="10" y="16" font-weight="600">${esc(title)}</text>`,
    ...bars,
    `<line x1="${plot.x}" y1="${plot.y + plot.h}" x2="${plot.x + plot.w}" y2="${plot.y + plot.h}" stroke="${esc(themeColours().muted)}"/>`,
    `<text x="${plot.x}" y="${plot.y + plot.h + 16}">${esc(fmt(lo, 3))}</text>`,
    `<text x="${plot.x + plot.w}" y="${plot.y + plot.h + 16}" text-anchor="end">${esc(fmt(hi, 3))}</text>`,
  ]);
}

/** One marker of a data point, as drawPoint draws it: a disc (training) or a square ring (validation). */
export function markerSvg(x: number, y: number, r: number, colour: string, kind: 'training' | 'validation'): string {
  if (kind === 'training') return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${colour}" stroke="rgb(16, 16, 16)" stroke-width="1"/>`;
  const half = (6.5 * r) / 4.5;
  return `<rect x="${n(x - half)}" y="${n(y - half)}" width="${n(2 * half)}" height="${n(2 * half)}" fill="none" stroke="${colour}" stroke-width="${n(2.5 * (r / 4.5))}"/>`;
}

/**
 * A chart.js chart as SVG, read off the chart itself: each visible dataset's points or bars at
 * the pixels chart.js laid them out at, the axes' ticks and titles, and a legend. Every chart.js
 * chart of the extension (the loss curve, the labs' function plots, the sweep) exports this way.
 */
export function chartJsSvg(chart: Chart, title: string): string {
  const width = chart.width;
  const height = chart.height + 22;
  const dy = 22; // room for the title above chart.js's own area
  const { muted } = themeColours();
  const body: string[] = [`<text x="10" y="15" font-weight="600">${esc(title)}</text>`, `<g transform="translate(0 ${dy})">`];
  for (const scale of Object.values(chart.scales)) {
    if (!scale.options.display) continue;
    const horizontal = scale.isHorizontal();
    body.push(horizontal ? `<line x1="${n(scale.left)}" y1="${n(scale.top)}" x2="${n(scale.right)}" y2="${n(scale.top)}" stroke="${esc(muted)}"/>` : `<line x1="${n(scale.position === 'right' ? scale.left : scale.right)}" y1="${n(scale.top)}" x2="${n(scale.position === 'right' ? scale.left : scale.right)}" y2="${n(scale.bottom)}" stroke="${esc(muted)}"/>`);
    scale.ticks.forEach((tick, i) => {
      const p = scale.getPixelForTick(i);
      const label = Array.isArray(tick.label) ? tick.label.join(' ') : String(tick.label ?? '');
      if (label === '') return;
      if (horizontal) body.push(`<text x="${n(p)}" y="${n(scale.top + 14)}" text-anchor="middle">${esc(label)}</text>`);
      else if (scale.position === 'right') body.push(`<text x="${n(scale.left + 4)}" y="${n(p + 4)}">${esc(label)}</text>`);
      else body.push(`<text x="${n(scale.right - 4)}" y="${n(p + 4)}" text-anchor="end">${esc(label)}</text>`);
    });
    const text = (scale.options as { title?: { display?: boolean; text?: string | string[] } }).title;
    if (text?.display && text.text) {
      const t = Array.isArray(text.text) ? text.text.join(' ') : text.text;
      body.push(horizontal ? `<text x="${n((scale.left + scale.right) / 2)}" y="${n(scale.bottom - 2)}" text-anchor="middle">${esc(t)}</text>` : `<text transform="translate(${n(scale.position === 'right' ? scale.right - 4 : scale.left + 10)} ${n((scale.top + scale.bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(t)}</text>`);
    }
  }
  const legend: string[] = [];
  // In the band chart.js keeps for its own legend (above the plot), or under the chart without one.
  const box = chart.legend && chart.legend.bottom > chart.legend.top ? chart.legend : undefined;
  const legendY = box ? dy + (box.top + box.bottom) / 2 + 4 : height + 10;
  chart.data.datasets.forEach((ds, i) => {
    if (!chart.isDatasetVisible(i)) return;
    const meta = chart.getDatasetMeta(i);
    const colour = String((ds as { borderColor?: unknown }).borderColor ?? (ds as { backgroundColor?: unknown }).backgroundColor ?? '#888');
    const elements = meta.data as unknown as { x: number; y: number; base?: number; width?: number; skip?: boolean }[];
    if (meta.type === 'bar') {
      for (const e of elements) {
        const w = e.width ?? 4;
        const base = e.base ?? e.y;
        body.push(`<rect x="${n(e.x - w / 2)}" y="${n(Math.min(e.y, base))}" width="${n(w)}" height="${n(Math.abs(base - e.y))}" fill="${esc(String((ds as { backgroundColor?: unknown }).backgroundColor ?? colour))}"/>`);
      }
    } else {
      const dash = (ds as { borderDash?: number[] }).borderDash;
      const showLine = (ds as { showLine?: boolean }).showLine !== false && meta.type !== 'scatter';
      if (showLine) body.push(`<path d="${pathOf(elements.map((e) => [e.skip ? Number.NaN : e.x, e.skip ? Number.NaN : e.y]))}" fill="none" stroke="${esc(colour)}" stroke-width="${n(Number((ds as { borderWidth?: unknown }).borderWidth ?? 2))}"${dash?.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`);
      const radius = Number((ds as { pointRadius?: unknown }).pointRadius ?? (showLine ? 0 : 3));
      if (radius > 0) for (const e of elements) if (!e.skip) body.push(`<circle cx="${n(e.x)}" cy="${n(e.y)}" r="${n(radius)}" fill="${esc(colour)}"/>`);
    }
    legend.push(`<g transform="translate(${n(10 + legend.length * 150)} ${n(legendY)})"><rect y="-8" width="14" height="4" fill="${esc(colour)}"/><text x="18" y="-3">${esc(String(ds.label ?? `series ${i + 1}`))}</text></g>`);
  });
  body.push('</g>');
  return svgDocument(title, Math.max(width, 10 + legend.length * 150), box ? height : height + 16, [...body, ...legend]);
}

/** A line of a lineSvg chart, with an optional band (x, low, high) drawn under it. */
export interface SvgSeries {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly (readonly [number, number])[];
  readonly band?: readonly (readonly [number, number, number])[];
}

/** A data point marker of a lineSvg chart. */
export interface SvgMarker {
  readonly x: number;
  readonly y: number;
  readonly colour: string;
  readonly kind: 'training' | 'validation';
}

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A line chart on linear axes: series (with bands), data markers, ticks, axis titles and a legend. */
export function lineSvg(title: string, xLabel: string, yLabel: string, series: readonly SvgSeries[], markers: readonly SvgMarker[] = []): string {
  const plot = { x: 56, y: 28, w: 420, h: 240 };
  const xs: number[] = [];
  const ys: number[] = [];
  const take = (x: number, ...y: number[]) => {
    if (!Number.isFinite(x) || !y.every(Number.isFinite)) return;
    xs.push(x);
    ys.push(...y);
  };
  for (const s of series) {
    for (const [x, y] of s.points) take(x, y);
    for (const [x, lo, hi] of s.band ?? []) take(x, lo, hi);
  }
  for (const m of markers) take(m.x, m.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!(x1 > x0)) [x0, x1] = [x0 - 0.5, x0 + 0.5];
  if (!(y1 > y0)) [y0, y1] = [y0 - 0.5, y0 + 0.5];
  const pad = 0.05 * (y1 - y0);
  [y0, y1] = [y0 - pad, y1 + pad];
  const X = (x: number) => plot.x + ((x - x0) / (x1 - x0)) * plot.w;
  const Y = (y: number) => plot.y + plot.h - ((y - y0) / (y1 - y0)) * plot.h;
  const { muted } = themeColours();
  const body: string[] = [`<text x="10" y="16" font-weight="600">${esc(title)}</text>`];
  for (const t of niceTicks(x0, x1)) body.push(`<line x1="${n(X(t))}" y1="${plot.y + plot.h}" x2="${n(X(t))}" y2="${plot.y + plot.h + 4}" stroke="${esc(muted)}"/>`, `<text x="${n(X(t))}" y="${plot.y + plot.h + 16}" text-anchor="middle">${esc(fmt(t, 3))}</text>`);
  for (const t of niceTicks(y0, y1)) body.push(`<line x1="${plot.x - 4}" y1="${n(Y(t))}" x2="${plot.x + plot.w}" y2="${n(Y(t))}" stroke="${esc(muted)}" stroke-opacity="0.3"/>`, `<text x="${plot.x - 6}" y="${n(Y(t) + 4)}" text-anchor="end">${esc(fmt(t, 3))}</text>`);
  body.push(
    `<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="${esc(muted)}"/>`,
    `<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h + 32}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(14 ${plot.y + plot.h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  for (const m of markers) body.push(markerSvg(X(m.x), Y(m.y), 3.5, m.colour, m.kind));
  series.forEach((s, i) => {
    if (s.band && s.band.length > 1) {
      const top = s.band.map(([x, , hi]) => [X(x), Y(hi)] as const);
      const bottom = [...s.band].reverse().map(([x, lo]) => [X(x), Y(lo)] as const);
      body.push(`<path d="${pathOf([...top, ...bottom])}Z" fill="${esc(s.colour)}" fill-opacity="0.25"/>`);
    }
    body.push(`<path d="${pathOf(s.points.map(([x, y]) => [X(x), Y(y)]))}" fill="none" stroke="${esc(s.colour)}" stroke-width="2"/>`);
    body.push(`<g transform="translate(${plot.x + i * 160} ${plot.y + plot.h + 50})"><rect y="-8" width="14" height="4" fill="${esc(s.colour)}"/><text x="18" y="-3">${esc(s.name)}</text></g>`);
  });
  return svgDocument(title, plot.x + plot.w + 20, plot.y + plot.h + 60, body);
}

/** The presentation properties a live SVG takes from the stylesheet, written onto its copy. */
const INLINED = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-size', 'font-weight', 'font-family', 'text-anchor', 'dominant-baseline'];

/**
 * A live SVG of the page (the network diagram) as a standalone file: its elements with the
 * colours and sizes the stylesheet and theme gave them written in, its classes, ARIA and data
 * attributes dropped, and its raster images (the neurons' maps) left out, as the file may hold none.
 */
export function liveSvg(root: SVGSVGElement, title: string): string {
  const copy = root.cloneNode(true) as SVGSVGElement;
  const live = [root, ...Array.from(root.querySelectorAll('*'))];
  const copied = [copy, ...Array.from(copy.querySelectorAll('*'))];
  const invisible = (c: string) => c === 'none' || c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
  const drop: Element[] = [];
  live.forEach((node, i) => {
    const target = copied[i];
    const style = getComputedStyle(node);
    // Hidden, or drawn in nothing (the wide transparent hit areas of edges for the pointer): left out.
    const shape = !(node instanceof SVGGElement || node instanceof SVGSVGElement || node instanceof SVGTextElement);
    if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0' || (shape && invisible(style.fill) && invisible(style.stroke))) {
      drop.push(target);
      return;
    }
    for (const p of INLINED) {
      const v = style.getPropertyValue(p);
      if (v && v !== 'normal' && v !== 'auto') target.setAttribute(p, v);
    }
    for (const a of Array.from(target.attributes)) {
      if (a.name === 'class' || a.name === 'role' || a.name === 'tabindex' || a.name === 'style' || a.name.startsWith('aria-') || a.name.startsWith('data-') || a.name.startsWith('on')) target.removeAttribute(a.name);
    }
  });
  for (const d of drop) d.remove();
  // The neurons' maps are raster images, clipped to their discs: both go.
  for (const img of Array.from(copy.querySelectorAll('image, clipPath, foreignObject, script, a, use'))) img.remove();
  for (const clipped of Array.from(copy.querySelectorAll('[clip-path]'))) clipped.removeAttribute('clip-path');
  const box = root.viewBox.baseVal;
  const width = box && box.width > 0 ? box.width : root.clientWidth;
  const height = box && box.height > 0 ? box.height : root.clientHeight;
  const inner = Array.from(copy.childNodes, (c) => new XMLSerializer().serializeToString(c)).join('\n');
  const offset = box && (box.x !== 0 || box.y !== 0) ? `<g transform="translate(${n(-box.x)} ${n(-box.y)})">` : '<g>';
  return svgDocument(title, width, height + 24, [`<text x="8" y="16" font-weight="600">${esc(title)}</text>`, `<g transform="translate(0 24)">${offset}`, inner, '</g></g>']);
}
