/**
 * CSV / TSV, streamed: chunks of bytes go in, each record is turned into typed columns the
 * moment it is read and then dropped, so neither the file's text nor its rows are ever held
 * whole. Plain records are read by the byte scanner of `fastCsv.ts`; from the first record it
 * does not read (a quote, a lone CR, a huge record) to the end of the file, csv-parse reads them,
 * as it reads every record when `fastPath` is off.
 *
 * Lines: csv-parse counts lines its own way (a CRLF inside a quoted field counts twice), so
 * each record's line is worked out here from csv-parse's running count and the record's
 * fields. Columns for error messages are found by looking back at the record's raw bytes,
 * which are kept only until the next record is complete.
 */
import { CsvError, Parser, type Options } from 'csv-parse';
import { release } from './blocks';
import { DataError } from './dataError';
import type { DataSpec } from './dataSpec';
import { TableBuilder, type CellLocation, type CellLocator, type CellValue, type Table } from './tableBuilder';
import { Utf8Checker, lineAndColumnAt, looksLikeUtf16, utf16Message } from './utf8';

import { MAX_RECORD_CHARS } from './recordLimits';
import { FastCsvScanner, type FastCsvSink } from './fastCsv';

/** How much is handed to csv-parse at a time. */
const WRITE_BYTES = 64 << 10;

export interface CsvOptions {
  /** The file as the user named it, for messages. */
  file: string;
  spec: DataSpec;
  /** Forces the delimiter (tab for `.tsv`); otherwise it is detected from the header line. */
  delimiter?: string;
  signal?: AbortSignal;
  /** Called after each chunk. */
  onChunk?: (bytesRead: number, rows: number) => void;
  /**
   * Whether plain records (no quotes, no lone CR) go through the byte scanner of `fastCsv.ts`
   * (the default) or every record through csv-parse. Tests turn it off to compare the two.
   */
  fastPath?: boolean;
}

/** What the reader has got to, for an error raised outside it (e.g. the file vanished). */
export interface ReadPosition {
  bytesRead: number;
  /** The last line fully read (0 before any, or when the format does not track lines while reading). */
  line: number;
}

/** Reads a CSV/TSV byte stream into a table. `position` is updated as it goes. */
export async function readCsv(chunks: AsyncIterable<Uint8Array>, options: CsvOptions, position: ReadPosition): Promise<Table> {
  const reader = new CsvReader(options, position);
  return reader.read(chunks);
}

class CsvReader {
  private readonly utf8 = new Utf8Checker();
  private parser: RecordParser | undefined;
  /** The byte scanner, while records are plain; csv-parse (`parser`) takes over from the first that is not. */
  private fast: FastCsvScanner | undefined;
  /** True once the delimiter is known and records are being read (by either). */
  private started = false;
  /** The file offset where csv-parse's input begins (0, or where the scanner handed over). */
  private slowBase = 0;
  /** The file offset just past the bytes given to the scanner or csv-parse so far. */
  private fedEnd = 0;
  private delimiter = ',';
  private sniffText = '';
  /** Chunks not yet wholly before the end of the last complete record, with their offsets. */
  private retained: { start: number; bytes: Uint8Array }[] = [];
  private bytesRead = 0;
  private builder: TableBuilder | undefined;
  private header: string[] | undefined;
  /** csv-parse's line count when the previous record ended. */
  private prevParserLines = 0;
  /** The editor line on which the previous record ended. */
  private prevLine = 0;
  /** Byte offset just past the previous record (and its line break). */
  private prevEnd = 0;
  // The record on_record is looking at:
  private recStart = 0;
  private recEnd = 0;
  private recLine = 0;
  /** csv-parse's own error (bad quoting, …), from its 'error' event. */
  private error: unknown;
  /** Ours, from handling a record (a ragged row, a bad cell, …). The first one wins. */
  private recordError: unknown;

  constructor(
    private readonly options: CsvOptions,
    private readonly position: ReadPosition,
  ) {
    if (options.delimiter) this.delimiter = options.delimiter;
  }

  async read(chunks: AsyncIterable<Uint8Array>): Promise<Table> {
    const { signal, file } = this.options;
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      const start = this.bytesRead;
      const utf16 = start === 0 ? looksLikeUtf16(chunk) : undefined;
      if (utf16) throw new DataError(utf16Message(utf16), file, 1, 1);
      // Text is needed only to sniff the header line; after that, bytes go to the readers as they are.
      const checked = this.started ? this.utf8.check(chunk) : this.utf8.push(chunk);
      this.retained.push({ start, bytes: chunk });
      this.bytesRead += chunk.length;
      if (!checked.ok) {
        const bad = start + checked.bad;
        // Parse what comes before the bad byte first: an earlier problem should be the one reported.
        if (this.started) await this.feed(chunk.subarray(0, Math.max(0, checked.bad)));
        throw this.notUtf8(bad, checked.bytes);
      }
      if (!this.started) {
        this.sniffText += checked.text;
        if (!hasLineEnd(this.sniffText)) {
          // A "header" that never ends (a binary file, one huge line) must not be held whole.
          if (this.sniffText.length > MAX_RECORD_CHARS) {
            throw new DataError(`the first line is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters with no line end; is this a CSV file?`, file, 1);
          }
          continue;
        }
        await this.start();
      } else {
        await this.feed(chunk);
      }
      this.forgetBefore(this.prevEnd);
      this.position.bytesRead = this.bytesRead;
      this.position.line = this.prevLine;
      this.options.onChunk?.(this.bytesRead, this.builder?.rowsSeen ?? 0);
    }
    signal?.throwIfAborted();
    const last = this.utf8.end();
    if (!last.ok) throw this.notUtf8(this.bytesRead + last.bad, last.bytes);
    if (!this.started) await this.start();
    if (this.fast && !this.fast.end()) await this.handOver();
    if (this.parser) await this.end();
    if (!this.builder || !this.header) throw new DataError('the file is empty', file, 1);
    if (this.builder.rowsSeen === 0) {
      throw new DataError(`the file has a header (line ${this.prevLineOfHeader}) but no data rows`, file, this.prevLineOfHeader);
    }
    return this.builder.finish();
  }

  private prevLineOfHeader = 1;

  /** Detects the delimiter from the header line, then feeds the scanner (or csv-parse) what was held back. */
  private async start(): Promise<void> {
    if (!this.options.delimiter) this.delimiter = detectDelimiter(this.sniffText);
    this.sniffText = '';
    this.started = true;
    if (this.options.fastPath === false) {
      await this.startParser();
      return;
    }
    const sink: FastCsvSink = {
      record: (fields, line, endByte) => {
        const hadHeader = this.header !== undefined;
        this.take(fields, line, line, endByte);
        const builder = this.builder;
        if (!hadHeader && this.header && builder) this.fast?.setColumns(this.header.length, (c) => builder.wantsText(c));
      },
      row: (isNumber, nums, texts, line, endByte) => {
        this.mark(line, line, endByte);
        (this.builder as TableBuilder).addParsedRow(isNumber, nums, texts, line, this.locator);
      },
    };
    this.fast = new FastCsvScanner(this.delimiter.charCodeAt(0), sink);
    // The held-back chunks hold the header line whole; one buffer lets the scanner see a BOM.
    const held = this.retained.map((r) => r.bytes);
    const total = held.reduce((n, b) => n + b.length, 0);
    const joined = new Uint8Array(total);
    let o = 0;
    for (const b of held) {
      joined.set(b, o);
      o += b.length;
    }
    await this.feed(joined);
  }

  /** Hands the next bytes to whichever reader is active. */
  private async feed(bytes: Uint8Array): Promise<void> {
    this.fedEnd += bytes.length;
    if (this.fast) {
      if (!this.fast.push(bytes)) await this.handOver();
      return;
    }
    // In slices: csv-parse copies each write together with the bytes it carried over, and
    // small copies reuse freed memory instead of piling up megabyte copies until a GC.
    for (let i = 0; i < bytes.length; i += WRITE_BYTES) await this.write(bytes.subarray(i, i + WRITE_BYTES));
  }

  /**
   * The scanner met a record it does not read (quotes, a lone CR, a huge record): csv-parse
   * reads everything from the end of the last record taken, as if the file began there.
   */
  private async handOver(): Promise<void> {
    this.fast = undefined;
    this.slowBase = this.prevEnd;
    this.prevParserLines = 0;
    const to = this.fedEnd;
    const parts: Uint8Array[] = [];
    for (const { start, bytes } of this.retained) {
      const end = start + bytes.length;
      if (end <= this.slowBase || start >= to) continue;
      parts.push(bytes.subarray(Math.max(0, this.slowBase - start), Math.min(bytes.length, to - start)));
    }
    await this.startParser(false);
    for (const part of parts) {
      for (let i = 0; i < part.length; i += WRITE_BYTES) await this.write(part.subarray(i, i + WRITE_BYTES));
    }
  }

  /** Creates csv-parse's parser; `replay` feeds it the chunks held back while sniffing. */
  private async startParser(replay = true): Promise<void> {
    const tab = this.delimiter === '\t';
    this.parser = new RecordParser(
      {
        delimiter: this.delimiter,
        bom: true,
        record_delimiter: ['\r\n', '\n', '\r'],
        relax_column_count: true, // ragged rows are reported here, with a better message
        relax_quotes: tab, // TSV files rarely quote, and a stray " is just a character there
        skip_empty_lines: true,
        max_record_size: MAX_RECORD_CHARS,
      },
      (record, lines, bytes) => {
        if (this.recordError !== undefined) return;
        try {
          this.onRecord(record, lines, bytes + this.slowBase);
        } catch (err) {
          this.recordError = err;
        }
      },
    );
    this.parser.on('error', (err) => {
      this.error ??= err;
    });
    this.parser.resume(); // records never reach the readable side, but let it end
    if (replay) for (const { bytes } of this.retained) await this.write(bytes);
  }

  private write(bytes: Uint8Array): Promise<void> {
    const parser = this.parser as RecordParser;
    return new Promise((resolve, reject) => {
      parser.write(bytes, (err) => {
        const first = this.recordError ?? err ?? this.error;
        if (first) reject(this.translate(first));
        else resolve();
      });
    });
  }

  private end(): Promise<void> {
    const parser = this.parser as RecordParser;
    return new Promise((resolve, reject) => {
      const first = (): unknown => this.recordError ?? this.error;
      if (first()) {
        reject(this.translate(first()));
        return;
      }
      parser.once('error', (err) => reject(this.translate(this.recordError ?? err)));
      parser.once('finish', () => (first() ? reject(this.translate(first())) : resolve()));
      parser.end();
    });
  }

  private onRecord(record: string[], parserLines: number, endByte: number): void {
    // Work out the editor line the record starts on.
    const delta = parserLines - this.prevParserLines;
    let line = this.prevLine + 1;
    let breaks = 0;
    if (delta > 1) {
      let chars = 0; // CR and LF characters inside fields, as csv-parse counts them
      for (const field of record) {
        if (field.indexOf('\n') < 0 && field.indexOf('\r') < 0) continue;
        for (let i = 0; i < field.length; i++) {
          const ch = field.charCodeAt(i);
          if (ch === 10) {
            chars++;
            breaks++;
          } else if (ch === 13) {
            chars++;
            if (field.charCodeAt(i + 1) !== 10) breaks++;
          }
        }
      }
      line += delta - 1 - chars; // blank lines skipped before the record
    }
    this.prevParserLines = parserLines;
    this.take(record, line, line + breaks, endByte);
  }

  /** One record from either reader: it starts on `line`, ends on `lastLine`, and `endByte` is just past it. */
  private take(record: ArrayLike<CellValue>, line: number, lastLine: number, endByte: number): void {
    this.mark(line, lastLine, endByte);

    const { file } = this.options;
    if (!this.header) {
      this.header = Array.from(record as ArrayLike<string>);
      this.prevLineOfHeader = line;
      const where = this.header.map((_, i) => this.locate(i));
      this.builder = new TableBuilder(file, this.header, line, this.options.spec, (i) => where[i]);
      return;
    }
    const n = this.header.length;
    if (record.length !== n) {
      if (record.length === 1 && String(record[0]).trim() === '') return; // a line of spaces
      const where = record.length > n ? this.locate(n) : { line, column: undefined };
      throw new DataError(
        `row has ${record.length} field${record.length === 1 ? '' : 's'} but the header (line ${this.prevLineOfHeader}) has ${n} column${n === 1 ? '' : 's'}`,
        file, where.line, where.column,
      );
    }
    (this.builder as TableBuilder).addRow(record, line, this.locator);
  }

  /** Notes the record now being taken: it starts on `line`, ends on `lastLine`, and `endByte` is just past it. */
  private mark(line: number, lastLine: number, endByte: number): void {
    this.recStart = this.prevEnd;
    this.recEnd = endByte;
    this.recLine = line;
    this.prevLine = lastLine;
    this.prevEnd = endByte;
  }

  private readonly locator: CellLocator = (field) => this.locate(field);

  /** Where field `field` of the current record starts, found by re-reading its raw bytes. */
  private locate(field: number): CellLocation {
    const text = this.decodeRange(this.recStart, this.recEnd);
    if (text === undefined) return { line: this.recLine };
    const d = this.delimiter.charCodeAt(0);
    let i = 0;
    while (i < text.length && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 0xfeff)) i++;
    const skipped = i;
    for (let f = 0; f < field && i < text.length; f++) {
      if (text.charCodeAt(i) === 34) {
        i++;
        while (i < text.length) {
          if (text.charCodeAt(i) === 34) {
            i++;
            if (text.charCodeAt(i) !== 34) break;
          }
          i++;
        }
      }
      while (i < text.length && text.charCodeAt(i) !== d) i++;
      i++;
    }
    const rest = text.slice(skipped);
    return lineAndColumnAt(rest, i - skipped, this.recLine);
  }

  /** The text of bytes [from, to) if they are still retained. */
  private decodeRange(from: number, to: number): string | undefined {
    const parts: Uint8Array[] = [];
    for (const { start, bytes } of this.retained) {
      const end = start + bytes.length;
      if (end <= from || start >= to) continue;
      parts.push(bytes.subarray(Math.max(0, from - start), Math.min(bytes.length, to - start)));
    }
    const total = parts.reduce((s, p) => s + p.length, 0);
    if (total !== to - from) return undefined;
    const joined = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
    }
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(joined);
  }

  private forgetBefore(offset: number): void {
    while (this.retained.length > 1 && this.retained[0].start + this.retained[0].bytes.length <= offset) {
      // Neither we nor csv-parse (which copies what it carries over) look at it again.
      release(this.retained.shift()?.bytes);
    }
  }

  private notUtf8(bad: number, bytes: string): DataError {
    const from = Math.min(this.prevEnd, bad);
    let text = this.decodeRange(from, bad);
    if (from === 0 && text?.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM takes no column
    const at = text === undefined ? { line: this.prevLine + 1, column: undefined } : lineAndColumnAt(text, text.length, from === 0 ? 1 : this.prevLine + 1);
    return new DataError(
      `bytes ${bytes} at byte ${bad} are not valid UTF-8; save the file as UTF-8`,
      this.options.file, at.line, at.column,
    );
  }

  /** csv-parse's errors, and ours thrown from on_record, as one DataError. */
  private translate(err: unknown): unknown {
    if (err instanceof DataError) return err;
    if (!(err instanceof CsvError)) return err;
    const e = err as CsvError & { lines?: number };
    // Convert csv-parse's line count to an editor line, as in onRecord.
    const line = e.lines !== undefined ? Math.max(this.prevLine + 1, e.lines - (this.prevParserLines - this.prevLine)) : this.prevLine + 1;
    const { file } = this.options;
    switch (e.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new DataError(`a quoted field that starts on line ${this.prevLine + 1} or after is never closed`, file, this.prevLine + 1);
      case 'CSV_MAX_RECORD_SIZE':
        return new DataError(`a row longer than ${MAX_RECORD_CHARS} characters starts here; is a quote left open?`, file, this.prevLine + 1);
      case 'CSV_INVALID_CLOSING_QUOTE':
        return new DataError('a quoted field has text after its closing quote (write a quote inside a quoted field as "")', file, line);
      case 'INVALID_OPENING_QUOTE':
        return new DataError('a quote inside an unquoted field (quote the whole field, and double the quote inside: "5\'10""")', file, line);
      default:
        return new DataError(`CSV syntax: ${e.message}`, file, line);
    }
  }
}

/**
 * csv-parse's Parser, taking each record as it is emitted instead of queueing it on the
 * readable side: at that moment `info` still describes the record (its end line and byte),
 * and no record object outlives its conversion to typed columns.
 */
class RecordParser extends Parser {
  constructor(
    options: Options,
    private readonly onRecord: (record: string[], lines: number, bytes: number) => void,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.onRecord(chunk as string[], this.info.lines, this.info.bytes);
    return true;
  }
}

function hasLineEnd(text: string): boolean {
  return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
}

/**
 * Picks the delimiter of the header line: whichever of comma, tab and semicolon appears most
 * often outside quotes (ties in that order). A one-column file gets a comma.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], ['\t', 0], [';', 0]]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) as number) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) as number)) best = d;
  return best;
}


