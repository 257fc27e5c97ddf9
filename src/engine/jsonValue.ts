/**
 * Small checks for values parsed from JSON or received from a webview, shared by every reader
 * that validates untrusted plain data (model files, run logs, sweep files, webview messages).
 */

/** A plain object (not null, not an array). */
export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** What a value is, for an error message: "an array", "null", "nothing (the field is missing)", or the value itself. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}
