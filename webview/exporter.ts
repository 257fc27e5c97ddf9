/**
 * "PNG", "CSV" and "Table" buttons for every chart: the webview cannot write files, so it sends the
 * picture (a PNG data URL from the canvas) or the numbers (CSV text) to the host, which asks
 * where to save and writes the file atomically.
 */
import { toCsv } from '../src/data/csvWriter';
import type { ViewExportMessage } from '../src/inspector/viewProtocol';
import { el } from './format';

/** A table as CSV text: the one writer the CLI's synth uses too (RFC 4180 quoting). */
export function csv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  return toCsv(header, rows);
}

/**
 * A small bar of export buttons; any source may be absent. Used by the inspector's views and the
 * labs. `svg` draws the chart again as vector SVG text (webview/svgExport.ts).
 */
export function exportButtons(post: (m: ViewExportMessage) => void, name: string, png?: () => HTMLCanvasElement | undefined, data?: () => string, svg?: () => string | undefined): HTMLElement {
  const bar = el('span', 'export-bar');
  if (png) {
    const b = el('button', 'icon export', 'PNG');
    b.title = `Save ${name} as a PNG image`;
    b.dataset.export = `${name}.png`;
    b.addEventListener('click', () => {
      const canvas = png();
      if (canvas) post({ type: 'export', format: 'png', name: `${name}.png`, data: canvas.toDataURL('image/png') });
    });
    bar.append(b);
  }
  if (svg) {
    const b = el('button', 'icon export', 'SVG');
    b.title = `Save ${name} as an SVG (vector) image`;
    b.dataset.export = `${name}.svg`;
    b.addEventListener('click', () => {
      const text = svg();
      if (text) post({ type: 'export', format: 'svg', name: `${name}.svg`, data: text });
    });
    bar.append(b);
  }
  if (data) {
    const b = el('button', 'icon export', 'CSV');
    b.title = `Save the numbers of ${name} as CSV`;
    b.dataset.export = `${name}.csv`;
    b.addEventListener('click', () => post({ type: 'export', format: 'csv', name: `${name}.csv`, data: data() }));
    bar.append(b, tableToggle(bar, name, data));
  }
  return bar;
}

/** Rows a chart's table shows at most; the CSV export has them all. */
export const TABLE_MAX_ROWS = 500;

/** Names of the charts whose table is open: a chart redrawn by the next snapshot keeps it open. */
const openTables = new Set<string>();

/** Redraws of the tables of charts that stay on the page (the loss curve's), by name. */
const liveTables = new Map<string, () => void>();

/**
 * Redraws every open table whose chart is drawn once and updated in place (the loss curve), so
 * that its numbers are current; the tables of charts redrawn whole come back with them.
 */
export function refreshOpenTables(): void {
  for (const [name, redraw] of liveTables) if (openTables.has(name)) redraw();
}

/**
 * A chart's text alternative: a "Table" toggle that shows its numbers (the very rows of its CSV)
 * as an HTML table under the chart, for screen readers and for reading exact values.
 */
function tableToggle(bar: HTMLElement, name: string, data: () => string): HTMLButtonElement {
  const b = el('button', 'icon export table-toggle', 'Table');
  b.title = `Show the numbers of ${name} as a table`;
  b.dataset.table = name;
  const id = `table-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  b.setAttribute('aria-controls', id);
  const show = (open: boolean) => {
    b.setAttribute('aria-expanded', String(open));
    const host = bar.closest('figure, section') ?? bar.parentElement;
    host?.querySelector(`:scope > .chart-table[data-table="${CSS.escape(name)}"]`)?.remove();
    if (open && host) host.append(dataTable(id, name, data()));
  };
  b.addEventListener('click', () => {
    const open = !openTables.has(name);
    if (open) openTables.add(name);
    else openTables.delete(name);
    show(open);
  });
  // Once the bar is in the document (its chart is being drawn), restore an open table.
  queueMicrotask(() => show(openTables.has(name)));
  liveTables.set(name, () => {
    if (bar.isConnected) show(true);
    else liveTables.delete(name);
  });
  return b;
}

/** CSV text (ours: RFC 4180, a header line) as a table element, every cell as text. */
function dataTable(id: string, name: string, text: string): HTMLElement {
  const rows = parseCsv(text);
  const wrap = el('div', 'chart-table');
  wrap.id = id;
  wrap.dataset.table = name;
  const table = el('table');
  table.append(el('caption', undefined, `The numbers of ${name}`));
  const [header, ...body] = rows;
  const thead = el('thead');
  const htr = el('tr');
  for (const h of header ?? []) {
    const th = el('th', undefined, h);
    th.scope = 'col';
    htr.append(th);
  }
  thead.append(htr);
  const tbody = el('tbody');
  for (const r of body.slice(0, TABLE_MAX_ROWS)) {
    const tr = el('tr');
    for (const c of r) tr.append(el('td', undefined, c));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  wrap.append(table);
  if (body.length > TABLE_MAX_ROWS) wrap.append(el('p', 'hint', `The first ${TABLE_MAX_ROWS.toLocaleString('en-US')} of ${body.length.toLocaleString('en-US')} rows; CSV saves them all.`));
  return wrap;
}

/** Splits CSV text as `csv` writes it (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
