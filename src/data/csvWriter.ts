/** Writes rows as CSV text (RFC 4180 quoting), e.g. to save a synthetic set for the user to open. */

export type CsvCell = string | number | boolean | null | undefined;

/** One field, quoted when it holds the delimiter, a quote, a line break, or edge spaces. */
export function csvField(value: CsvCell, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  const needsQuotes =
    s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || (s.length > 0 && s.trim() !== s);
  return needsQuotes ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvWriteOptions {
  delimiter?: string;
  /** Line ending; default `\n`. */
  eol?: string;
  /** Starts the text with a UTF-8 byte-order mark (some spreadsheet programs want one). */
  bom?: boolean;
}

/** A header and rows as CSV text, each line ended by `eol`. */
export function toCsv(header: readonly string[], rows: Iterable<ArrayLike<CsvCell>>, options: CsvWriteOptions = {}): string {
  const d = options.delimiter ?? ',';
  const eol = options.eol ?? '\n';
  const lines: string[] = [header.map((h) => csvField(h, d)).join(d)];
  for (const row of rows) lines.push(Array.from(row, (v) => csvField(v, d)).join(d));
  return (options.bom ? '\ufeff' : '') + lines.join(eol) + eol;
}
