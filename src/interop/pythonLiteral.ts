/**
 * Python source literals for values that come from the user (input, class and model names), so
 * generated Python can never be broken out of: a name is always one double-quoted str literal,
 * safe inside code and inside a docstring (raw or not) alike.
 *
 * Escaped: `"` and `\` (so neither a string nor a triple-quoted docstring can end early), every
 * control character (C0, DEL, C1: no line break or NUL in the source), the Unicode line and
 * paragraph separators, the byte order mark, bidirectional controls (so the source reads as it
 * runs) and unpaired surrogates. Other characters (é, ², ·, emoji) stay as written: Python 3
 * source is UTF-8.
 */

/** `s` as a Python str literal in double quotes. */
export function pyStr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += '\\x' + hex(c, 2);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s.slice(i, i + 2);
      i++;
    } else if ((c >= 0xd800 && c <= 0xdfff) || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0x200e && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x061c) {
      out += '\\u' + hex(c, 4);
    } else out += ch;
  }
  return out + '"';
}

/** A float as Python reads it back exactly (repr-style; inf and nan spelled as Python does). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (x === Infinity) return 'float("inf")';
  if (x === -Infinity) return '-float("inf")';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function hex(c: number, width: number): string {
  return c.toString(16).padStart(width, '0');
}
