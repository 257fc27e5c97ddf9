/**
 * An error the CLI reports as one line on stderr (with a non-zero exit), never as a stack trace.
 * `location` is "file:line:column" (or "file", or "file:line") where the problem is in a file.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly location?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
