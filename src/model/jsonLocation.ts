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
