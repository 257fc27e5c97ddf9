/**
 * The one error type the data layer throws for a problem in the user's data or data spec.
 * Its message reads like a compiler's, so editors and terminals can link it:
 * `xor.csv:7:3: text "abc" in numeric column "x2"`.
 */
export class DataError extends Error {
  /** The file as the user named it (the model file's `data.path`), or e.g. `synthetic:spiral`. */
  readonly file: string;
  /** 1-based line in `file`, when the problem is at a place in it. */
  readonly line?: number;
  /** 1-based column (UTF-16 code units, as editors count) on `line`, when it applies. */
  readonly column?: number;
  /** What is wrong, without the location prefix. */
  readonly problem: string;

  constructor(problem: string, file: string, line?: number, column?: number) {
    // Line 0 stands for "no line" (e.g. a synthetic set has no header line).
    if (line !== undefined && line <= 0) line = column = undefined;
    super(`${formatLocation(file, line, column)}: ${problem}`);
    this.name = 'DataError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** `file`, `file:line` or `file:line:column`. */
  get location(): string {
    return formatLocation(this.file, this.line, this.column);
  }
}

function formatLocation(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  if (column === undefined) return `${file}:${line}`;
  return `${file}:${line}:${column}`;
}

/** Quotes a cell or a name for a message, cut short so one huge cell cannot flood a terminal. */
export function quote(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
