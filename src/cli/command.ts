import type { ParsedArgs, OptionSpec } from './args';

/** Where a command writes: stdout gets JSON only; stderr gets progress and messages. */
export interface CliIO {
  /**
   * Writes one JSON document (or one JSON line) to stdout. `false`: the reader is behind (the
   * line is queued); a command that writes many waits for `drained` before writing more.
   */
  json(value: unknown): boolean | void;
  /** Resolves when stdout has taken what was queued: backpressure from a slow or stopped reader. */
  drained?(): Promise<void>;
  /** Writes free text to stderr (progress, hints). */
  info(text: string): void;
  /** True when stderr is a terminal, so a progress bar may be drawn. */
  readonly stderrIsTTY: boolean;
  /** stdout is a terminal (a person reads it, not a program): `train` ends with a summary. */
  readonly stdoutIsTTY?: boolean;
  /** The working directory that relative paths are resolved against. */
  readonly cwd: string;
}

/** One sub-command of `mlp-inspector`. */
export interface Command {
  readonly name: string;
  /** One line for `mlp-inspector --help`. */
  readonly usage: string;
  readonly options: OptionSpec;
  run(args: ParsedArgs, io: CliIO): Promise<void>;
}
