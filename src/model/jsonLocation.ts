/**
 * Line and column for positions in a JSON text, so every problem in a model file can be reported
 * as file:line:column (1-based, as editors show them).
 */
import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';

export type JsonPath = (string | number)[];

/** 1-based line and column of a 0-based character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The offset and length of the value at `path` in the parsed tree, or of the nearest ancestor
 * that exists (a missing property is reported at the object that should hold it).
 */
export function locate(root: JsonNode | undefined, path: JsonPath, atKey = false): { offset: number; length: number } {
  if (!root) return { offset: 0, length: 0 };
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) {
      // An unknown property is reported at its key, a wrong value at the value.
      const key = atKey && n === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return key ? { offset: key.offset, length: key.length } : { offset: node.offset, length: node.length };
    }
  }
  return { offset: root.offset, length: root.length };
}

/** A path as the user would write it: layers[1].activation. */
export function formatPath(path: JsonPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s === '' ? '(the document)' : s;
}

/** How deep a model file's JSON may nest: a real one nests 5 levels ({"parameters": [{"W": [[…]]}]}). */
export const MAX_JSON_DEPTH = 64;

/**
 * The offset of the first `[` or `{` that opens level `maxDepth + 1`, or undefined. One pass
 * with a counter, no recursion: a file of 10,000 `[` must give a located error, not overflow the
 * stack of a recursive parser. Brackets inside strings do not count.
 */
export function tooDeep(text: string, maxDepth = MAX_JSON_DEPTH): number | undefined {
  return jsonShape(text, maxDepth).tooDeepAt;
}

/**
 * One pass over JSON text, no recursion: where it first nests deeper than `maxDepth` (the offset
 * of that `[` or `{`), and how many keys its top-level object writes (colons at depth 1, outside
 * strings: JSON.parse keeps only the last of a repeated key, so a count that differs from the
 * parsed object's says a key was repeated).
 */
export function jsonShape(text: string, maxDepth = MAX_JSON_DEPTH): { tooDeepAt?: number; topLevelKeys: number } {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { tooDeepAt: i, topLevelKeys: keys };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x3a && depth === 1) keys++;
  }
  return { topLevelKeys: keys };
}

/** Every key that an object of the tree holds twice: the repeated key's node and the first one's. */
export function duplicateKeys(root: JsonNode | undefined): { key: string; node: JsonNode; first: JsonNode }[] {
  const out: { key: string; node: JsonNode; first: JsonNode }[] = [];
  const stack: JsonNode[] = root ? [root] : [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      const seen = new Map<string, JsonNode>();
      for (const prop of n.children ?? []) {
        const keyNode = prop.children?.[0];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const first = seen.get(keyNode.value);
        if (first) out.push({ key: keyNode.value, node: keyNode, first });
        else seen.set(keyNode.value, keyNode);
      }
    }
    for (const c of n.children ?? []) stack.push(c);
  }
  return out.sort((a, b) => a.node.offset - b.node.offset);
}
