/**
 * Strict, streaming UTF-8 checking. `TextDecoder` with `fatal: true` does the work when the text
 * is wanted, node's `isUtf8` when only the verdict is (`check`); when either refuses a chunk, a
 * small validator finds which byte, so the error can say where.
 */
import { isUtf8 } from 'node:buffer';

const EMPTY = new Uint8Array(0);

/** The outcome of one chunk: its text, or where the first invalid byte is. */
export type Utf8Result =
  | { ok: true; text: string }
  /**
   * `bad` is the offset of the first invalid byte relative to the chunk's start (negative when
   * the broken sequence began in an earlier chunk); `validText` is the text before it that this
   * chunk completed; `bytes` shows the offending bytes.
   */
  | { ok: false; bad: number; validText: string; bytes: string };

export class Utf8Checker {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes at the end of the last chunk that start a character not yet complete. */
  private tail: Uint8Array = EMPTY;
  /** Set by `check`: the decoder has been bypassed since, so `end` looks at `tail` alone. */
  private checking = false;

  /** Checks and decodes the next chunk. A leading byte-order mark is dropped from the text. */
  push(chunk: Uint8Array): Utf8Result {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.tail = incompleteTail(chunk.length >= 4 ? chunk : concat(this.tail, chunk));
      return { ok: true, text };
    } catch {
      return this.failure(concat(this.tail, chunk));
    }
  }

  /**
   * Checks the next chunk without decoding it (its `text` is empty): for a reader that has no
   * use for the text, at a fraction of the cost. Fails exactly where `push` would. Once called,
   * call `check` and not `push` for the rest of the stream.
   */
  check(chunk: Uint8Array): Utf8Result {
    this.checking = true;
    const joined = concat(this.tail, chunk);
    const tail = incompleteTail(joined);
    // The unfinished character at the end must be a valid start, as TextDecoder requires.
    if (isUtf8(joined.subarray(0, joined.length - tail.length)) && firstInvalid(tail) < 0) {
      this.tail = tail;
      return { ok: true, text: '' };
    }
    return this.failure(joined);
  }

  private failure(joined: Uint8Array): Utf8Result {
    let at = firstInvalid(joined);
    if (at < 0) at = 0;
    return {
      ok: false,
      bad: at - this.tail.length,
      validText: new TextDecoder('utf-8').decode(joined.subarray(0, at)),
      bytes: hex(joined.subarray(at, at + 4)),
    };
  }

  /** Call at the end of the stream: fails if the last character was cut short. */
  end(): Utf8Result {
    if (this.checking) {
      return this.tail.length === 0 ? { ok: true, text: '' } : { ok: false, bad: -this.tail.length, validText: '', bytes: hex(this.tail) };
    }
    try {
      return { ok: true, text: this.decoder.decode() };
    } catch {
      return { ok: false, bad: -this.tail.length, validText: '', bytes: hex(this.tail) };
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}

/** The bytes at the end of already-valid `bytes` that begin an unfinished character. */
function incompleteTail(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return n - i < need ? bytes.slice(i) : EMPTY;
  }
  return EMPTY;
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence, or -1. A sequence cut short
 * by the end of `bytes` counts as invalid only if what is there is already wrong.
 */
export function firstInvalid(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1;
      const c = bytes[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Line breaks in a text: CRLF, LF and a lone CR each count once, as editors count them. */
export function lineAndColumnAt(text: string, end: number, startLine: number): { line: number; column: number } {
  let line = startLine;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * The UTF-16 a file's first bytes look like (a byte-order mark, or a zero byte in every other
 * position of mostly-ASCII text), or undefined. UTF-16 ASCII is valid UTF-8 (NUL is a character),
 * so without this check such a file reads as ragged rows of names full of \u0000.
 */
export function looksLikeUtf16(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= 0.4 * pairs && evenZero <= 0.05 * pairs) return 'UTF-16LE';
  if (evenZero >= 0.4 * pairs && oddZero <= 0.05 * pairs) return 'UTF-16BE';
  return undefined;
}

/** The message for a file in UTF-16: what it is and what to do. */
export function utf16Message(encoding: string): string {
  return `the file is ${encoding} text, not UTF-8; save it as UTF-8`;
}
