/**
 * Turns a stream of rows (from any format) into typed columns, one cell at a time, keeping no
 * row objects. Storage is in fixed-size blocks (see `blocks.ts`), so growing never copies what is
 * already stored, never holds more than one spare block per column, and each block can be freed
 * the moment its rows are copied out.
 *
 * Types: a column is numeric when most of its values are numbers, categorical otherwise, unless
 * the spec's `columnTypes` says which. A stray text in a mostly-numeric column is an error at
 * that cell, not a silent switch to one-hot categories.
 */
import { BLOCK_MASK, BLOCK_SHIFT, float64Block, int32Block, releaseBlocks } from './blocks';
import { DataError, quote } from './dataError';
import type { ColumnType, DataSpec, MissingPolicy } from './dataSpec';

/** One cell as a source hands it over: CSV gives strings, JSON may give numbers, booleans, null. */
export type CellValue = string | number | boolean | null | undefined;

/** Where a cell is, for error messages. */
export interface CellLocation {
  line: number;
  column?: number;
}

/** Tells the builder where cells of the row being added are (called on the error path only). */
export interface CellLocator {
  (field: number): CellLocation;
}

export { BLOCK_MASK, BLOCK_ROWS, BLOCK_SHIFT } from './blocks';

/** A categorical input or target with more distinct values than this is refused. */
export const MAX_CATEGORIES = 1000;

/** Cells that mean "no value". Never read as zero. */
const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);

const KIND_MISSING = 0;
const KIND_NUMBER = 1;
const KIND_TEXT = 2;
/** A cell that looks like a number but is not a decimal one (0x10, 0b11, Infinity, 1e400): an error. */
const KIND_BAD_NUMBER = 3;

/** A decimal number as a data file writes one: optional sign, digits, point, exponent. */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A used column after loading: exactly one of `num` (numeric) and `codes` (categorical) is set. */
export interface StoredColumn {
  name: string;
  type: ColumnType;
  /** Blocks of values; NaN is a missing cell (kept only under `missing: "mean"`). */
  num?: (Float64Array | undefined)[];
  /** Blocks of category codes into `categories`; -1 is a missing cell. */
  codes?: (Int32Array | undefined)[];
  categories: string[];
  /** Where the column's name is in the header. */
  headerLocation: CellLocation;
}

/** Everything read from a source, as blocks of typed columns. */
export interface Table {
  file: string;
  header: string[];
  headerLine: number;
  rows: number;
  /** Blocks of 1-based source lines, one per kept row. */
  lines: (Int32Array | undefined)[];
  features: StoredColumn[];
  targets: StoredColumn[];
  /** Type of every column of the file, used or not. */
  columnTypes: ColumnType[];
  rowsRead: number;
  rowsDropped: number;
}

class ColumnStore {
  num: Float64Array[] | undefined;
  codes: Int32Array[] | undefined;
  categories: string[] = [];
  private catIndex = new Map<string, number>();
  nNumeric = 0;
  nText = 0;
  firstText: { text: string; where: CellLocation } | undefined;

  constructor(
    readonly name: string,
    readonly forced: ColumnType | undefined,
    readonly stored: boolean,
    readonly isTarget: boolean,
    readonly headerLocation: CellLocation,
  ) {
    if (stored && forced !== 'categorical') this.num = [];
    if (stored && forced === 'categorical') this.codes = [];
  }

  code(label: string): number {
    let c = this.catIndex.get(label);
    if (c === undefined) {
      c = this.categories.length;
      this.categories.push(label);
      this.catIndex.set(label, c);
    }
    return c;
  }

  /** Gives every row stored so far a category code, the first time a text shows up. */
  startCodes(rows: number): void {
    const num = this.num ?? [];
    const codes: Int32Array[] = [];
    for (let r = 0; r < rows; r++) {
      const b = r >>> BLOCK_SHIFT;
      if ((r & BLOCK_MASK) === 0) codes.push(int32Block());
      const v = num[b][r & BLOCK_MASK];
      codes[b][r & BLOCK_MASK] = Number.isNaN(v) ? -1 : this.code(String(v));
    }
    this.codes = codes;
  }

  /** The final type: forced, or by majority. */
  decide(): ColumnType {
    if (this.forced) return this.forced;
    return this.nText === 0 || this.nNumeric > this.nText ? 'numeric' : 'categorical';
  }
}

/** Resolves the spec's feature and target names against a header. */
export function resolveColumns(
  header: readonly string[],
  spec: DataSpec,
  file: string,
  headerLine: number,
): { features: number[]; targets: number[] } {
  if (header.length === 0) throw new DataError('the header names no columns', file, headerLine);
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DataError(`column name ${quote(name)} appears twice (columns ${before + 1} and ${i + 1})`, file, headerLine);
    }
    seen.set(name, i);
  });
  const find = (name: string, role: string): number => {
    const exact = seen.get(name);
    if (exact !== undefined) return exact;
    // "x1, x2" headers put a space before names; match them when that is unambiguous.
    const trimmed = header.flatMap((h, i) => (h.trim() === name.trim() ? [i] : []));
    if (trimmed.length === 1) return trimmed[0];
    const list = header.map((h) => quote(h)).join(', ');
    throw new DataError(`${role} column ${quote(name)} does not exist (columns: ${list})`, file, headerLine);
  };
  const targets = (spec.target ?? [header[header.length - 1]]).map((n) => find(n, 'target'));
  const features = spec.features
    ? spec.features.map((n) => find(n, 'feature'))
    : header.map((_, i) => i).filter((i) => !targets.includes(i));
  for (const f of features) {
    if (targets.includes(f)) throw new DataError(`column ${quote(header[f])} is both a feature and a target`, file, headerLine);
  }
  if (new Set(features).size !== features.length) throw new DataError('a feature column is listed twice', file, headerLine);
  if (new Set(targets).size !== targets.length) throw new DataError('a target column is listed twice', file, headerLine);
  if (features.length === 0) throw new DataError('no feature columns: the file has only the target column', file, headerLine);
  for (const name of Object.keys(spec.columnTypes ?? {})) find(name, 'columnTypes');
  return { features, targets };
}

export class TableBuilder {
  private readonly columns: ColumnStore[];
  private readonly featureIdx: number[];
  private readonly targetIdx: number[];
  private readonly missing: MissingPolicy;
  private readonly kinds: Uint8Array;
  private readonly numbers: Float64Array;
  private readonly texts: string[];
  private lineBlocks: Int32Array[] = [];
  private rows = 0;
  private rowsRead = 0;
  private rowsDropped = 0;

  /**
   * `headerLocate(i)` says where column i's name is (for errors about a column as a whole).
   */
  constructor(
    private readonly file: string,
    private readonly header: string[],
    private readonly headerLine: number,
    spec: DataSpec,
    headerLocate: CellLocator,
  ) {
    const { features, targets } = resolveColumns(header, spec, file, headerLine);
    this.featureIdx = features;
    this.targetIdx = targets;
    this.missing = spec.missing ?? 'error';
    const forcedByName = new Map<string, ColumnType>();
    for (const [name, t] of Object.entries(spec.columnTypes ?? {})) {
      const i = header.indexOf(name) >= 0 ? header.indexOf(name) : header.findIndex((h) => h.trim() === name.trim());
      forcedByName.set(header[i], t);
    }
    this.columns = header.map((name, i) => {
      const used = features.includes(i) || targets.includes(i);
      return new ColumnStore(name, forcedByName.get(name), used, targets.includes(i), headerLocate(i));
    });
    this.kinds = new Uint8Array(header.length);
    this.numbers = new Float64Array(header.length);
    this.texts = new Array<string>(header.length).fill('');
  }

  /** Whether column c must be handed over as text, never as a number ("1.50" is its own label in a categorical column by decree). */
  wantsText(c: number): boolean {
    return this.columns[c].forced === 'categorical';
  }

  /** The number of data rows seen so far (dropped ones included). */
  get rowsSeen(): number {
    return this.rowsRead;
  }

  /**
   * Adds one data row. `values` has one cell per header column (the source has already checked
   * the count); `line` is where the row starts; `locate` finds a cell if a message needs it.
   */
  addRow(values: ArrayLike<CellValue>, line: number, locate: CellLocator): void {
    this.rowsRead++;
    const { columns, kinds, numbers, texts } = this;
    for (let c = 0; c < columns.length; c++) kinds[c] = classify(values[c], columns[c].forced === 'categorical', c, numbers, texts);
    this.store(values, line, locate);
  }

  /**
   * `addRow` for a source that has read the numbers itself (the CSV byte scanner): cell c is
   * `nums[c]` where `isNumber[c]` is 1 (a finite decimal, as `Number` reads its text; never for
   * a column that `wantsText`), else the text `raw[c]`, which is read as `addRow` reads it.
   */
  addParsedRow(isNumber: Uint8Array, nums: Float64Array, raw: readonly string[], line: number, locate: CellLocator): void {
    this.rowsRead++;
    const { columns, kinds, numbers, texts } = this;
    for (let c = 0; c < columns.length; c++) {
      if (isNumber[c] === 1) {
        numbers[c] = nums[c];
        kinds[c] = KIND_NUMBER;
      } else kinds[c] = classify(raw[c], columns[c].forced === 'categorical', c, numbers, texts);
    }
    this.store(raw, line, locate);
  }

  /** Checks and stores the row whose cells are sorted into `kinds`, `numbers` and `texts`; `values` are the raw cells. */
  private store(values: ArrayLike<CellValue>, line: number, locate: CellLocator): void {
    const { columns, kinds, numbers, texts } = this;
    let missingCell = -1;
    let targetMissing = false;
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c];
      const kind = kinds[c];
      if (kind === KIND_BAD_NUMBER && col.stored) {
        const where = locate(c);
        throw new DataError(`${texts[c]} in column ${quote(col.name)}`, this.file, where.line, where.column);
      }
      if (kind === KIND_MISSING) {
        if (col.stored && missingCell < 0) missingCell = c;
        if (col.isTarget) targetMissing = true;
      } else if (kind === KIND_TEXT && col.forced === 'numeric' && col.stored) {
        const where = locate(c);
        throw new DataError(`text ${quote(texts[c])} in numeric column ${quote(col.name)}`, this.file, where.line, where.column);
      }
    }
    if (missingCell >= 0) {
      const col = columns[missingCell];
      if (this.missing === 'error') {
        const where = locate(missingCell);
        const raw = values[missingCell];
        const what = raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '') ? 'empty cell' : `missing value ${quote(String(raw).trim())}`;
        throw new DataError(
          `${what} in column ${quote(col.name)} (set data.missing to "drop" or "mean" to allow missing values)`,
          this.file, where.line, where.column,
        );
      }
      // A missing target cannot be imputed; a missing input can under "mean".
      if (this.missing === 'drop' || targetMissing) {
        this.rowsDropped++;
        return;
      }
    }
    const r = this.rows;
    const b = r >>> BLOCK_SHIFT;
    const o = r & BLOCK_MASK;
    if (o === 0) this.lineBlocks.push(int32Block());
    this.lineBlocks[b][o] = line;
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c];
      const kind = kinds[c];
      if (kind === KIND_NUMBER) col.nNumeric++;
      else if (kind === KIND_TEXT) col.nText++;
      if (!col.stored) continue;
      if (kind === KIND_TEXT && col.codes === undefined) {
        const where = locate(c);
        col.firstText = { text: texts[c], where };
        col.startCodes(r);
      }
      if (col.num !== undefined) {
        if (o === 0) col.num.push(float64Block());
        col.num[b][o] = kind === KIND_NUMBER ? numbers[c] : NaN;
      }
      if (col.codes !== undefined) {
        if (o === 0 && col.codes.length === b) col.codes.push(int32Block());
        col.codes[b][o] = kind === KIND_MISSING ? -1 : col.code(kind === KIND_NUMBER && col.forced !== 'categorical' ? String(numbers[c]) : texts[c]);
        if (col.categories.length > MAX_CATEGORIES) this.tooManyCategories(col);
      }
    }
    this.rows = r + 1;
  }

  private tooManyCategories(col: ColumnStore): never {
    if (col.forced !== 'categorical' && col.nNumeric > col.nText && col.firstText) {
      throw this.textInNumeric(col);
    }
    const where = col.headerLocation;
    throw new DataError(
      `column ${quote(col.name)} has more than ${MAX_CATEGORIES} distinct values; as a categorical ${col.isTarget ? 'target' : 'input'} that is too many (leave it out, or set columnTypes to "numeric" if it holds numbers)`,
      this.file, where.line, where.column,
    );
  }

  private textInNumeric(col: ColumnStore): DataError {
    const t = col.firstText as { text: string; where: CellLocation };
    return new DataError(`text ${quote(t.text)} in numeric column ${quote(col.name)}`, this.file, t.where.line, t.where.column);
  }

  /** Decides the column types and hands over the blocks; the builder is spent afterwards. */
  finish(): Table {
    const textErrors: DataError[] = [];
    const stored = (i: number): StoredColumn => {
      const col = this.columns[i];
      const type = col.decide();
      if (type === 'numeric' && col.nText > 0) textErrors.push(this.textInNumeric(col));
      if (col.nNumeric + col.nText === 0 && this.rows > 0) {
        throw new DataError(`column ${quote(col.name)} has no values, only missing cells`, this.file, col.headerLocation.line, col.headerLocation.column);
      }
      // The column was kept both ways while its type was open; give back the way not taken.
      if (type === 'numeric') releaseBlocks(col.codes);
      else releaseBlocks(col.num);
      return type === 'numeric'
        ? { name: col.name, type, num: col.num, categories: [], headerLocation: col.headerLocation }
        : { name: col.name, type, codes: col.codes ?? [], categories: col.categories, headerLocation: col.headerLocation };
    };
    const features = this.featureIdx.map(stored);
    const targets = this.targetIdx.map(stored);
    if (textErrors.length > 0) {
      // Report the first in the file, as a reader going top to bottom would meet it.
      textErrors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
      throw textErrors[0];
    }
    const columnTypes = this.columns.map((c) => (c.stored ? c.decide() : c.forced ?? (c.nNumeric > 0 && c.nNumeric >= c.nText ? 'numeric' : 'categorical')));
    return {
      file: this.file,
      header: this.header,
      headerLine: this.headerLine,
      rows: this.rows,
      lines: this.lineBlocks,
      features,
      targets,
      columnTypes,
      rowsRead: this.rowsRead,
      rowsDropped: this.rowsDropped,
    };
  }
}

/**
 * Sorts one cell into missing / number / text, leaving the number in `numbers[c]` or the
 * (trimmed) text in `texts[c]`. `asText`: the column is categorical by decree, so "3" is a label.
 */
function classify(v: CellValue, asText: boolean, c: number, numbers: Float64Array, texts: string[]): number {
  if (v === null || v === undefined) return KIND_MISSING;
  if (typeof v === 'number') {
    // JSON has no literal for ±∞ or NaN: a non-finite number here was a literal past the range
    // of a double (1e400), which is an error as it is in CSV, not a missing value.
    if (!Number.isFinite(v)) {
      texts[c] = `a number too large for a double (${v > 0 ? '' : '−'}∞ after reading; the largest is about 1.8e308)`;
      return KIND_BAD_NUMBER;
    }
    if (asText) {
      texts[c] = String(v);
      return KIND_TEXT;
    }
    numbers[c] = v;
    return KIND_NUMBER;
  }
  if (typeof v === 'boolean') {
    texts[c] = String(v);
    return KIND_TEXT;
  }
  if (!asText) {
    const n = Number(v); // trims whitespace itself; "" and "  " give 0, caught below
    if (Number.isFinite(n) && (n !== 0 || v.trim() !== '')) {
      // Number() also reads 0x10, 0b11 and 0o7; a data file means decimal numbers.
      if (!DECIMAL.test(v)) {
        texts[c] = `${quote(v.trim())} is not a decimal number`;
        return KIND_BAD_NUMBER;
      }
      numbers[c] = n;
      return KIND_NUMBER;
    }
    if (DECIMAL.test(v)) {
      texts[c] = `${quote(v.trim())} is too large for a double (the largest is about 1.8e308)`;
      return KIND_BAD_NUMBER;
    }
  }
  const t = v.trim();
  if (MISSING_TOKENS.has(t)) return KIND_MISSING;
  texts[c] = t;
  return KIND_TEXT;
}
