/**
 * The values of a graph's variables as the user types them: `x=3, y=4, z=2` (commas or
 * semicolons between, spaces anywhere, `−` accepted for a minus). Pure, so that the command's
 * input box, the panel's input row and the tests all read them the same way.
 */

/** The values, or the first problem with a 1-based column into the text. */
export type ParsedValues =
  | { readonly ok: true; readonly values: Readonly<Record<string, number>> }
  | { readonly ok: false; readonly message: string; readonly column: number | null };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The literal forms the expression language accepts, with an optional sign.
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads `text` for the expression's `variables`. Every variable needs a finite number; a name
 * the expression does not use is ignored (so values survive editing the expression), but a name
 * given twice is refused.
 */
export function parseVariableValues(text: string, variables: readonly string[]): ParsedValues {
  const values = new Map<string, number>();
  const pattern = /[^,;]+/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const entry = m[0];
    if (entry.trim() === '') continue;
    const column = m.index + (entry.length - entry.trimStart().length) + 1;
    const eq = entry.indexOf('=');
    if (eq < 0) return { ok: false, message: `column ${column}: expected name=value, e.g. x=3, but found '${entry.trim()}'`, column };
    const name = entry.slice(0, eq).trim();
    const after = entry.slice(eq + 1);
    const written = after.trim();
    const valueColumn = m.index + eq + 1 + (after.length - after.trimStart().length) + 1;
    if (!NAME.test(name)) return { ok: false, message: `column ${column}: '${name}' is not a variable name`, column };
    const normalized = written.replace(/^\u2212/, '-');
    const value = Number(normalized);
    if (!NUMBER.test(normalized) || !Number.isFinite(value)) {
      return { ok: false, message: `column ${valueColumn}: the value of ${name} must be a finite number, got '${written}'`, column: valueColumn };
    }
    if (values.has(name)) return { ok: false, message: `column ${column}: ${name} is given twice`, column };
    values.set(name, value);
  }
  const missing = variables.filter((v) => !values.has(v));
  if (missing.length > 0) {
    const list = missing.map((v) => `${v}=…`).join(', ');
    return { ok: false, message: `no value for ${missing.join(', ')}: add ${list}`, column: null };
  }
  return { ok: true, values: Object.fromEntries(variables.map((v) => [v, values.get(v) as number])) };
}

/** `x=3, y=4, z=2`: the values of `variables` in their order. */
export function formatVariableValues(variables: readonly string[], values: Readonly<Record<string, number>>): string {
  return variables.map((v) => `${v}=${String(values[v])}`).join(', ');
}

/**
 * The text to prefill for `variables`: each one's value in `previousText` where it has one (even
 * if that text is otherwise incomplete), else 1.
 */
export function prefillValues(variables: readonly string[], previousText: string): string {
  const previous = new Map<string, string>();
  for (const entry of previousText.split(/[,;]/)) {
    const eq = entry.indexOf('=');
    if (eq < 0) continue;
    const name = entry.slice(0, eq).trim();
    const written = entry.slice(eq + 1).trim().replace(/^\u2212/, '-');
    if (NAME.test(name) && NUMBER.test(written) && Number.isFinite(Number(written))) previous.set(name, written);
  }
  return variables.map((v) => `${v}=${previous.get(v) ?? '1'}`).join(', ');
}
