/**
 * "PNG" and "CSV" buttons for every chart: the webview cannot write files, so it sends the
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

/** A small bar of export buttons; either source may be absent. Used by the inspector's views and the labs. */
export function exportButtons(post: (m: ViewExportMessage) => void, name: string, png?: () => HTMLCanvasElement | undefined, data?: () => string): HTMLElement {
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
  if (data) {
    const b = el('button', 'icon export', 'CSV');
    b.title = `Save the numbers of ${name} as CSV`;
    b.dataset.export = `${name}.csv`;
    b.addEventListener('click', () => post({ type: 'export', format: 'csv', name: `${name}.csv`, data: data() }));
    bar.append(b);
  }
  return bar;
}
