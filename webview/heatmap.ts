/**
 * A heatmap of a matrix on a diverging colour scale, drawn one pixel per cell into a canvas
 * and scaled up by CSS (pixelated), with a legend and the value under the pointer.
 */
import { absMax, divergingRgb, divergingCss } from './colors';
import { el, fmt } from './format';

export interface HeatmapSpec {
  readonly title: string;
  readonly rows: number;
  readonly cols: number;
  /** rows × cols, row-major. */
  readonly values: ArrayLike<number>;
  /** Names the cell under the pointer, e.g. (r, c) => `W[1][${r}][${c}]`. */
  readonly cellName: (r: number, c: number) => string;
  /** The colour limit; default the largest |value|. */
  readonly limit?: number;
}

export function renderHeatmap(spec: HeatmapSpec): HTMLElement {
  const box = el('figure', 'heatmap');
  const caption = el('figcaption', undefined, spec.title);
  const canvas = el('canvas');
  canvas.width = Math.max(1, spec.cols);
  canvas.height = Math.max(1, spec.rows);
  // Cells stay square-ish and readable: at most 240 px wide, at least 4 px a cell where possible.
  const scale = Math.max(1, Math.min(24, Math.floor(240 / Math.max(spec.cols, 1))));
  canvas.style.width = `${spec.cols * scale}px`;
  canvas.style.height = `${Math.max(spec.rows * scale, 4)}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${spec.title}: ${spec.rows} × ${spec.cols} heatmap`);
  const limit = spec.limit ?? absMax(spec.values);
  const ctx = canvas.getContext('2d');
  if (ctx && spec.rows > 0 && spec.cols > 0) {
    const img = ctx.createImageData(spec.cols, spec.rows);
    for (let i = 0; i < spec.rows * spec.cols; i++) {
      const [r, g, b] = divergingRgb(spec.values[i], limit);
      img.data[4 * i] = r;
      img.data[4 * i + 1] = g;
      img.data[4 * i + 2] = b;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  const readout = el('div', 'readout', ' ');
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * spec.cols);
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * spec.rows);
    if (r >= 0 && r < spec.rows && c >= 0 && c < spec.cols) readout.textContent = `${spec.cellName(r, c)} = ${fmt(spec.values[r * spec.cols + c])}`;
  });
  box.append(caption, canvas, legend(limit), readout);
  return box;
}

/** A colour bar from −limit to +limit. */
export function legend(limit: number): HTMLElement {
  const bar = el('div', 'legend');
  const lo = el('span', 'legend-label', fmt(-limit, 3));
  const swatches = el('span', 'legend-bar');
  for (let k = 0; k <= 10; k++) {
    const s = el('span', 'legend-swatch');
    s.style.background = divergingCss(-limit + (2 * limit * k) / 10, limit);
    swatches.append(s);
  }
  const hi = el('span', 'legend-label', fmt(limit, 3));
  bar.append(lo, swatches, hi);
  bar.setAttribute('aria-label', `colour scale from ${fmt(-limit, 3)} (blue) through 0 (grey) to ${fmt(limit, 3)} (orange)`);
  return bar;
}
