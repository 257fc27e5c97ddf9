/**
 * JSON and JSON Lines. JSON is either an array of row objects (`[{"x": 1, "y": "a"}, …]`) or an
 * object of equal-length column arrays (`{"x": [1, …], "y": ["a", …]}`); JSON Lines is one row
 * object per line. Syntax errors are reported at their line and column (jsonc-parser's scanner
 * knows them; `JSON.parse` does not say).
 *
 * A JSON document is parsed from its whole text (its structure gives no safe place to cut it);
 * JSON Lines is streamed line by line.
 */
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import { DataError, quote } from './dataError';
import type { DataSpec } from './dataSpec';
import { TableBuilder, type CellLocation, type CellValue, type Table } from './tableBuilder';
import { Utf8Checker, lineAndColumnAt, looksLikeUtf16, utf16Message } from './utf8';
import type { ReadPosition } from './csvSource';
import { MAX_JSON_DOCUMENT_BYTES, MAX_RECORD_CHARS, mebibytes } from './recordLimits';
import { jsonShape, MAX_JSON_DEPTH } from '../model/jsonLocation';

export interface JsonOptions {
  file: string;
  spec: DataSpec;
  signal?: AbortSignal;
  onChunk?: (bytesRead: number, rows: number) => void;
}

const SHAPES = 'expected an array of row objects, an object of column arrays, or JSON Lines (one object per line)';

/** Reads a whole JSON document into a table. */
export async function readJson(chunks: AsyncIterable<Uint8Array>, options: JsonOptions, position: ReadPosition): Promise<Table> {
  const { file } = options;
  const utf8 = new Utf8Checker();
  const parts: string[] = [];
  for await (const chunk of chunks) {
    options.signal?.throwIfAborted();
    const utf16 = position.bytesRead === 0 ? looksLikeUtf16(chunk) : undefined;
    if (utf16) throw new DataError(utf16Message(utf16), file, 1, 1);
    const checked = utf8.push(chunk);
    if (!checked.ok) throw notUtf8(file, parts.join('') + checked.validText, 1, checked.bytes);
    parts.push(checked.text);
    position.bytesRead += chunk.length;
    if (position.bytesRead > MAX_JSON_DOCUMENT_BYTES) {
      throw new DataError(
        `a JSON document is read whole, and this one is over ${mebibytes(MAX_JSON_DOCUMENT_BYTES)}: write the rows as JSON Lines (one object per line, .jsonl) or CSV, which are read as a stream`,
        file, 1, 1,
      );
    }
    options.onChunk?.(position.bytesRead, 0);
  }
  const last = utf8.end();
  if (!last.ok) throw notUtf8(file, parts.join(''), 1, last.bytes);
  const text = parts.join('');
  parts.length = 0;
  return parseJsonTable(text, options);
}

/** Parses JSON text (either shape) into a table. */
export function parseJsonTable(text: string, options: JsonOptions): Table {
  const { file, spec } = options;
  if (text.trim() === '') throw new DataError('the file is empty', file, 1);
  const at = (line: number, character: number): CellLocation => ({ line: line + 1, column: character + 1 });
  const fail = (problem: string, where: CellLocation): never => {
    throw new DataError(problem, file, where.line, where.column);
  };
  const kindOf = (v: unknown): string => (v === null ? 'null' : typeof v);

  let depth = 0;
  let shape: 'rows' | 'columns' | undefined;
  let rootWhere: CellLocation = { line: 1, column: 1 };
  // Array-of-rows state.
  let builder: TableBuilder | undefined;
  let header: string[] | undefined;
  let headerIndex: Map<string, number> | undefined;
  let firstKeys: string[] = [];
  let firstKeyWhere: CellLocation[] = [];
  let firstValues: CellValue[] = [];
  let firstValueWhere: CellLocation[] = [];
  let values: CellValue[] = [];
  let valueWhere: (CellLocation | undefined)[] = [];
  /** Where this row's keys are (rows after the first), to name a repeated key's first place. */
  let keyLocations: (CellLocation | undefined)[] = [];
  let rowWhere: CellLocation = rootWhere;
  let rowCount = 0;
  let key = '';
  let keyWhere: CellLocation = rootWhere;
  let slot = -1;
  // Column-arrays state.
  const colNames: string[] = [];
  const colNameWhere: CellLocation[] = [];
  const colValues: CellValue[][] = [];
  const colWhere: CellLocation[][] = [];

  const nested = (what: string, where: CellLocation): never =>
    fail(`the value of ${quote(key)} is ${what}; a cell must be a number, a string, true/false or null`, where);

  const twice = (first: CellLocation): never =>
    fail(`key ${quote(key)} appears twice in this object (first at line ${first.line}, column ${first.column})`, keyWhere);

  const setCell = (value: CellValue, where: CellLocation): void => {
    if (shape === 'rows') {
      if (rowCount === 0) {
        firstKeys.push(key);
        firstKeyWhere.push(keyWhere);
        firstValues.push(value);
        firstValueWhere.push(where);
      } else {
        values[slot] = value;
        valueWhere[slot] = where;
      }
    } else {
      colValues[colValues.length - 1].push(value);
      colWhere[colWhere.length - 1].push(where);
    }
  };

  const endRow = (): void => {
    if (rowCount === 0) {
      header = firstKeys;
      headerIndex = new Map(header.map((k, i) => [k, i]));
      const hw = firstKeyWhere;
      builder = new TableBuilder(file, header, rowWhere.line, spec, (i) => hw[i]);
      const fw = firstValueWhere;
      builder.addRow(firstValues, rowWhere.line, (f) => fw[f]);
      firstKeys = [];
      firstKeyWhere = [];
      firstValues = [];
      firstValueWhere = [];
    } else {
      const vw = valueWhere;
      const rw = rowWhere;
      (builder as TableBuilder).addRow(values, rowWhere.line, (f) => vw[f] ?? rw);
    }
    rowCount++;
  };

  visit(
    text,
    {
      onObjectBegin: (_o, _l, line, ch) => {
        const where = at(line, ch);
        if (depth === 0) {
          shape = 'columns';
          rootWhere = where;
        } else if (depth === 1 && shape === 'rows') {
          rowWhere = where;
          if (rowCount > 0) {
            const n = (header as string[]).length;
            values = new Array<CellValue>(n).fill(undefined);
            valueWhere = new Array<CellLocation | undefined>(n).fill(undefined);
            keyLocations = new Array<CellLocation | undefined>(n).fill(undefined);
          }
        } else if (depth === 1) {
          fail(`column ${quote(key)} is an object; ${SHAPES}`, where);
        } else nested('an object', where);
        depth++;
      },
      onObjectProperty: (property, _o, _l, line, ch) => {
        key = property;
        keyWhere = at(line, ch);
        if (depth === 1 && shape === 'columns') {
          const seen = colNames.indexOf(property);
          if (seen >= 0) twice(colNameWhere[seen]);
          colNames.push(property);
          colNameWhere.push(keyWhere);
        } else if (depth === 2 && shape === 'rows' && rowCount === 0) {
          const seen = firstKeys.indexOf(property);
          if (seen >= 0) twice(firstKeyWhere[seen]);
        } else if (depth === 2 && shape === 'rows') {
          const s = (headerIndex as Map<string, number>).get(property);
          if (s === undefined) {
            fail(`key ${quote(property)} is not a column (the first row's keys are ${(header as string[]).map((h) => quote(h)).join(', ')})`, keyWhere);
          }
          slot = s as number;
          // A row's value slots start empty, so a filled one is this row's own earlier key.
          const earlier = valueWhere[slot];
          if (earlier !== undefined) twice(keyLocations[slot] ?? earlier);
          keyLocations[slot] = keyWhere;
        }
      },
      onObjectEnd: () => {
        depth--;
        if (depth === 1 && shape === 'rows') endRow();
      },
      onArrayBegin: (_o, _l, line, ch) => {
        const where = at(line, ch);
        if (depth === 0) {
          shape = 'rows';
          rootWhere = where;
        } else if (depth === 1 && shape === 'columns') {
          colValues.push([]);
          colWhere.push([]);
        } else if (depth === 1) {
          fail(`row ${rowCount + 1} is an array, not an object of named values; ${SHAPES}`, where);
        } else nested('an array', where);
        depth++;
      },
      onArrayEnd: () => {
        depth--;
      },
      onLiteralValue: (value: unknown, _o, _l, line, ch) => {
        const where = at(line, ch);
        if (depth === 0) fail(`the file holds a single ${kindOf(value)}; ${SHAPES}`, where);
        if (depth === 1 && shape === 'rows') fail(`row ${rowCount + 1} is a ${kindOf(value)}, not an object; ${SHAPES}`, where);
        if (depth === 1) fail(`column ${quote(key)} is a ${kindOf(value)}, not an array of values; ${SHAPES}`, where);
        setCell(value as CellValue, where);
      },
      onError: (code: ParseErrorCode, _o, _l, line, ch) => {
        fail(`JSON syntax: ${describeJsonError(code)}`, at(line, ch));
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );

  if (shape === 'rows') {
    if (!builder) throw new DataError(`the top-level array has no rows`, file, rootWhere.line, rootWhere.column);
    return builder.finish();
  }
  // Columns: check the lengths, then hand the builder rows.
  if (colNames.length === 0) throw new DataError('the top-level object has no columns', file, rootWhere.line, rootWhere.column);
  const n = colValues[0].length;
  for (let c = 1; c < colNames.length; c++) {
    if (colValues[c].length !== n) {
      const w = colNameWhere[c];
      throw new DataError(
        `column ${quote(colNames[c])} has ${colValues[c].length} values but column ${quote(colNames[0])} has ${n}`,
        file, w.line, w.column,
      );
    }
  }
  if (n === 0) throw new DataError('the columns have no values (no data rows)', file, rootWhere.line, rootWhere.column);
  const b = new TableBuilder(file, colNames, rootWhere.line, spec, (i) => colNameWhere[i]);
  const row = new Array<CellValue>(colNames.length);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < colNames.length; c++) row[c] = colValues[c][r];
    b.addRow(row, colWhere[0][r].line, (f) => colWhere[f][r]);
  }
  return b.finish();
}

/** Reads JSON Lines, one row object per line, streamed. */
export async function readJsonl(chunks: AsyncIterable<Uint8Array>, options: JsonOptions, position: ReadPosition): Promise<Table> {
  const { file, spec } = options;
  const utf8 = new Utf8Checker();
  let rest = '';
  let lineNo = 0;
  let builder: TableBuilder | undefined;
  let header: string[] = [];
  let known = new Set<string>();

  const handleLine = (raw: string): void => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    if (line.length > MAX_RECORD_CHARS) throw longLine(file, lineNo);
    // Before anything recursive looks at the line (the locators below, jsonc-parser's visitor).
    const shape = jsonShape(line);
    if (shape.tooDeepAt !== undefined) throw new DataError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels; a row is one object of plain values`, file, lineNo, shape.tooDeepAt + 1);
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw jsonlSyntax(file, line, lineNo);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      const what = Array.isArray(obj) ? 'an array' : obj === null ? 'null' : `a ${typeof obj}`;
      throw new DataError(`the line holds ${what}, not an object of named values; ${SHAPES}`, file, lineNo, 1);
    }
    const record = obj as Record<string, unknown>;
    // JSON.parse keeps the last of a repeated key without a word; count the keys written.
    if (shape.topLevelKeys !== Object.keys(record).length) throw repeatedKey(file, line, lineNo);
    const locate = (f: number): CellLocation => locateProperty(line, header[f], lineNo);
    if (!builder) {
      header = Object.keys(record);
      known = new Set(header);
      const keysWhere = header.map((k) => locateProperty(line, k, lineNo, true));
      builder = new TableBuilder(file, header, lineNo, spec, (i) => keysWhere[i]);
    } else {
      for (const k in record) {
        if (!known.has(k)) {
          const w = locateProperty(line, k, lineNo, true);
          throw new DataError(`key ${quote(k)} is not a column (the first line's keys are ${header.map((h) => quote(h)).join(', ')})`, file, w.line, w.column);
        }
      }
    }
    const row = header.map((k) => record[k]);
    for (let f = 0; f < row.length; f++) {
      const v = row[f];
      if (typeof v === 'object' && v !== null) {
        const w = locate(f);
        throw new DataError(`the value of ${quote(header[f])} is ${Array.isArray(v) ? 'an array' : 'an object'}; a cell must be a number, a string, true/false or null`, file, w.line, w.column);
      }
    }
    builder.addRow(row as CellValue[], lineNo, locate);
  };

  for await (const chunk of chunks) {
    options.signal?.throwIfAborted();
    const utf16 = position.bytesRead === 0 ? looksLikeUtf16(chunk) : undefined;
    if (utf16) throw new DataError(utf16Message(utf16), file, 1, 1);
    const checked = utf8.push(chunk);
    if (!checked.ok) throw notUtf8(file, rest + checked.validText, lineNo + 1, checked.bytes);
    position.bytesRead += chunk.length;
    rest += checked.text;
    let nl = rest.indexOf('\n');
    let from = 0;
    while (nl >= 0) {
      handleLine(rest.slice(from, nl));
      from = nl + 1;
      nl = rest.indexOf('\n', from);
    }
    rest = rest.slice(from);
    if (rest.length > MAX_RECORD_CHARS) throw longLine(file, lineNo + 1);
    position.line = lineNo;
    options.onChunk?.(position.bytesRead, builder?.rowsSeen ?? 0);
  }
  const last = utf8.end();
  if (!last.ok) throw notUtf8(file, rest, lineNo + 1, last.bytes);
  rest += last.text;
  if (rest.length > 0) handleLine(rest);
  if (!builder) throw new DataError('the file is empty', file, 1);
  if (builder.rowsSeen === 0) throw new DataError('no data rows', file, 1);
  return builder.finish();
}

/** Where property `key`'s value (or the key itself) is on a one-line JSON object. */
function locateProperty(line: string, key: string, lineNo: number, atKey = false): CellLocation {
  let found: CellLocation | undefined;
  let depth = 0;
  let pending = false;
  const mark = (ch: number): void => {
    if (pending && found === undefined) found = { line: lineNo, column: ch + 1 };
    pending = false;
  };
  visit(line, {
    onObjectBegin: (_o, _l, _line, ch) => {
      if (depth === 1) mark(ch);
      depth++;
    },
    onArrayBegin: (_o, _l, _line, ch) => {
      if (depth === 1) mark(ch);
      depth++;
    },
    onObjectEnd: () => depth--,
    onArrayEnd: () => depth--,
    onObjectProperty: (p, _o, _l, _line, ch) => {
      if (depth === 1 && p === key && found === undefined) {
        if (atKey) found = { line: lineNo, column: ch + 1 };
        else pending = true;
      }
    },
    onLiteralValue: (_v, _o, _l, _line, ch) => {
      if (depth === 1) mark(ch);
    },
  });
  return found ?? { line: lineNo, column: 1 };
}

function jsonlSyntax(file: string, line: string, lineNo: number): DataError {
  let err: DataError | undefined;
  visit(
    line,
    {
      onError: (code, _o, _l, _line, ch) => {
        err ??= new DataError(`JSON syntax: ${describeJsonError(code)}`, file, lineNo, ch + 1);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return err ?? new DataError('JSON syntax: not a JSON value', file, lineNo, 1);
}

function longLine(file: string, lineNo: number): DataError {
  return new DataError(`a line longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters; JSON Lines holds one row object per line`, file, lineNo, 1);
}

/** The error for a one-line object that repeats a key, at the repeat. */
function repeatedKey(file: string, line: string, lineNo: number): DataError {
  const seen = new Map<string, number>();
  let depth = 0;
  let found: DataError | undefined;
  visit(line, {
    onObjectBegin: () => void depth++,
    onObjectEnd: () => void depth--,
    onArrayBegin: () => void depth++,
    onArrayEnd: () => void depth--,
    onObjectProperty: (p, _o, _l, _line, ch) => {
      if (depth !== 1 || found) return;
      const first = seen.get(p);
      if (first !== undefined) found = new DataError(`key ${quote(p)} appears twice in this object (first at line ${lineNo}, column ${first})`, file, lineNo, ch + 1);
      else seen.set(p, ch + 1);
    },
  });
  return found ?? new DataError('a key appears twice in this object', file, lineNo, 1);
}

function notUtf8(file: string, textBefore: string, firstLine: number, bytes: string): DataError {
  const at = lineAndColumnAt(textBefore, textBefore.length, firstLine);
  return new DataError(`bytes ${bytes} are not valid UTF-8; save the file as UTF-8`, file, at.line, at.column);
}

const JSON_ERRORS: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the end of the file was expected (one top-level value only)',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unexpected end of a comment',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

function describeJsonError(code: ParseErrorCode): string {
  const name = printParseErrorCode(code);
  return JSON_ERRORS[name] ?? name;
}
