/**
 * A byte scanner for the plain records that make up nearly every numeric CSV: no quotes, lines
 * ending in LF or CRLF. It reads each field straight from the bytes and hands a short decimal
 * over as a number, so the common case makes no strings at all; anything else in a plain field
 * (text, spaces, "NA", "0x10", a long mantissa) is handed over as the field's text, and the
 * table builder treats it exactly as it treats csv-parse's strings.
 *
 * It stops (push/end return false) at the first record it does not handle: a quote anywhere, a
 * CR not followed by LF, or a record too long to be sure csv-parse would take it. The reader
 * then hands everything from that record on to csv-parse, so quoting, odd line ends and the
 * record limit keep csv-parse's behaviour and messages.
 *
 * Why numbers come out identical to `Number(text)`: a mantissa of at most 15 digits is exact as
 * a double, so is 10^k for k ≤ 22, and one IEEE multiplication or division of two exact values
 * is correctly rounded, as `Number` is (Clinger's fast path). Anything outside that range goes
 * through `Number` as text.
 */
import { MAX_RECORD_CHARS } from './recordLimits';

/** Where scanned records go. */
export interface FastCsvSink {
  /** The header, or a record whose field count differs from `columns`: every field as text. */
  record(fields: string[], line: number, endByte: number): void;
  /**
   * A record of exactly `columns` fields: field c is `nums[c]` where `isNumber[c]` is 1, else
   * the text `texts[c]`. The arrays are reused for the next record.
   */
  row(isNumber: Uint8Array, nums: Float64Array, texts: string[], line: number, endByte: number): void;
}

/** Records longer than this (in bytes) are left to csv-parse, which counts its limit in bytes. */
const LONGEST_RECORD = MAX_RECORD_CHARS - 16;

const LF = 10;
const CR = 13;
const QUOTE = 34;

const POW10: number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

export class FastCsvScanner {
  /** The header's field count, once the sink has taken the header (-1 before). */
  columns = -1;
  private isNumber = new Uint8Array(0);
  private nums = new Float64Array(0);
  private texts: string[] = [];
  /** Columns whose cells go over as text even when they look like numbers. */
  private asText: Uint8Array = new Uint8Array(0);
  /** The 1-based line the next byte is on. */
  private line = 1;
  /** Global offset of the next byte `push` will be given. */
  private offset = 0;
  /** The start of a record cut by the end of the last push, and where it begins in the file. */
  private carry: Uint8Array | undefined;
  private carryStart = 0;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly delimiterText: string;

  constructor(
    private readonly delimiter: number,
    private readonly sink: FastCsvSink,
  ) {
    this.delimiterText = String.fromCharCode(delimiter);
  }

  /** Sets the column count, and which columns want text (call when the sink has taken the header). */
  setColumns(n: number, asText: (c: number) => boolean): void {
    this.columns = n;
    this.asText = Uint8Array.from({ length: n }, (_, c) => (asText(c) ? 1 : 0));
    this.isNumber = new Uint8Array(n);
    this.nums = new Float64Array(n);
    this.texts = new Array<string>(n).fill('');
  }

  /** Scans the next bytes of the file. False: stopped at a record csv-parse must read. */
  push(bytes: Uint8Array): boolean {
    const base = this.offset;
    this.offset += bytes.length;
    let from = 0;
    if (base === 0 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
    if (this.carry !== undefined) {
      const nl = bytes.indexOf(LF);
      if (nl < 0) {
        this.carry = concat(this.carry, bytes);
        return this.carry.length <= LONGEST_RECORD;
      }
      const joined = concat(this.carry, bytes.subarray(0, nl + 1));
      this.carry = undefined;
      if (!this.scan(joined, 0, joined.length, this.carryStart)) return false;
      from = nl + 1;
    }
    // Whole lines only: the scanner never reads past an LF, so never past `limit`.
    const limit = Math.max(from, bytes.lastIndexOf(LF) + 1);
    if (limit > from && !this.scan(bytes, from, limit, base)) return false;
    if (limit < bytes.length) {
      this.carry = bytes.slice(limit);
      this.carryStart = base + limit;
      if (this.carry.length > LONGEST_RECORD) return false;
    }
    return true;
  }

  /** The end of the file: the last record may lack its line end. False: hand over to csv-parse. */
  end(): boolean {
    if (this.carry === undefined) return true;
    const carry = this.carry;
    this.carry = undefined;
    if (carry[carry.length - 1] === CR) return false; // a CR at the very end: csv-parse's call
    // Read as if it ended in LF; record ends are clamped to the file's real end.
    return this.scan(concat(carry, new Uint8Array([LF])), 0, carry.length + 1, this.carryStart);
  }

  /**
   * Scans the records of buf[i, limit), whose last byte is an LF; `base` is the file offset of
   * buf[0]. False: stopped at a record csv-parse must read.
   */
  private scan(buf: Uint8Array, i: number, limit: number, base: number): boolean {
    const d = this.delimiter;
    const fileEnd = this.offset;
    let line = this.line;
    try {
      while (i < limit) {
        const s = i;
        let c = buf[i];
        if (c === LF) {
          line++;
          i++;
          continue;
        }
        if (c === CR) {
          if (buf[i + 1] !== LF) return false;
          line++;
          i += 2;
          continue;
        }
        const cols = this.columns;
        const { isNumber, nums, texts, asText } = this;
        let nf = 0;
        let end: number;
        let contentEnd: number;
        for (;;) {
          // One field from i: try a short decimal on the way to its end.
          const f = i;
          let p = i;
          let neg = false;
          c = buf[p];
          if (c === 45) {
            neg = true;
            c = buf[++p];
          } else if (c === 43) c = buf[++p];
          let w = 0;
          let digits = 0;
          let frac = 0;
          while (c >= 48 && c <= 57) {
            w = w * 10 + (c - 48);
            digits++;
            c = buf[++p];
          }
          if (c === 46) {
            c = buf[++p];
            while (c >= 48 && c <= 57) {
              w = w * 10 + (c - 48);
              digits++;
              frac++;
              c = buf[++p];
            }
          }
          let numeric = digits > 0 && digits <= 15;
          if (digits > 0 && (c === 101 || c === 69)) {
            let q = p + 1;
            let e = 0;
            let eNeg = false;
            let ed = 0;
            let ec = buf[q];
            if (ec === 45 || ec === 43) {
              eNeg = ec === 45;
              ec = buf[++q];
            }
            while (ec >= 48 && ec <= 57) {
              if (e < 1000) e = e * 10 + (ec - 48);
              ed++;
              ec = buf[++q];
            }
            if (ed > 0) {
              p = q;
              c = ec;
              frac -= eNeg ? -e : e;
            } else numeric = false;
          }
          // The field ends at the delimiter or a line end (there is an LF by `limit`).
          if (c !== d && c !== LF && c !== CR) {
            numeric = false;
            while (c !== d && c !== LF && c !== CR && c !== QUOTE) c = buf[++p];
            if (c === QUOTE) return false;
          }
          if (nf < cols) {
            if (numeric && frac <= 22 && frac >= -22 && asText[nf] === 0) {
              const v = frac > 0 ? w / POW10[frac] : w * POW10[-frac];
              nums[nf] = neg ? -v : v;
              isNumber[nf] = 1;
            } else {
              texts[nf] = this.text(buf, f, p);
              isNumber[nf] = 0;
            }
          }
          nf++;
          if (c === d) {
            i = p + 1;
            continue;
          }
          contentEnd = p;
          if (c === LF) end = p + 1;
          else if (buf[p + 1] === LF) end = p + 2; // CRLF
          else return false; // a lone CR
          break;
        }
        if (end - s > LONGEST_RECORD) return false;
        const endByte = Math.min(base + end, fileEnd);
        const at = line++;
        if (nf === cols) this.sink.row(isNumber, nums, texts, at, endByte);
        else this.sink.record(this.text(buf, s, contentEnd).split(this.delimiterText), at, endByte);
        i = end;
      }
      return true;
    } finally {
      this.line = line;
    }
  }

  private text(buf: Uint8Array, from: number, to: number): string {
    if (to - from <= 64) {
      let ascii = true;
      for (let k = from; k < to; k++) {
        if (buf[k] >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, buf.subarray(from, to) as unknown as number[]);
    }
    return this.decoder.decode(buf.subarray(from, to));
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
