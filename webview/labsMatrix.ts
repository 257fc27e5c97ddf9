/**
 * A small matrix as a table of numbers (a reader can multiply it out by hand), or as a heatmap
 * once it is too big to read as numbers.
 */
import type { LabMatrix } from '../src/labs/labProtocol';
import { el, fmt } from './format';
import { renderHeatmap } from './heatmap';

/** Matrices up to this many rows and columns are drawn as numbers. */
const MAX_NUMERIC = 8;

/** A titled matrix: numbers when small, else a heatmap. `name(r, c)` names a cell, e.g. W[1][0][2]. */
export function renderMatrix(title: string, m: LabMatrix, name: (r: number, c: number) => string): HTMLElement {
  if (m.rows > MAX_NUMERIC || m.cols > MAX_NUMERIC) return renderHeatmap({ title, rows: m.rows, cols: m.cols, values: m.data, cellName: name });
  const fig = el('figure', 'lab-matrix');
  fig.append(el('figcaption', undefined, title));
  const table = el('table', 'matrix');
  table.setAttribute('aria-label', title);
  for (let r = 0; r < m.rows; r++) {
    const tr = el('tr');
    for (let c = 0; c < m.cols; c++) {
      const v = m.data[r * m.cols + c];
      const td = el('td', undefined, fmt(v, 3));
      td.title = `${name(r, c)} = ${v}`;
      tr.append(td);
    }
    table.append(tr);
  }
  fig.append(table);
  return fig;
}
