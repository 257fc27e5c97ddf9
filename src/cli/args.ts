/**
 * A small argument parser for the CLI: positionals and `--name value` / `--name=value` /
 * `--flag` options. Unknown options are an error, so a typo never silently changes a run.
 */
import { CliError } from './cliError';

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Map<string, string | true>;
}

/** What one command accepts: option names, and which of them take a value. */
export interface OptionSpec {
  readonly valued: readonly string[];
  readonly flags?: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (spec.valued.includes(name)) {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      if (value === undefined) throw new CliError(`option --${name} needs a value`);
      options.set(name, value);
    } else if (spec.flags?.includes(name)) {
      if (eq >= 0) throw new CliError(`option --${name} takes no value`);
      options.set(name, true);
    } else {
      throw new CliError(`unknown option --${name}`);
    }
  }
  return { positionals, options };
}

/** The value of a valued option, or undefined when it was not given. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** A whole number option within [min, max]. */
export function intOption(args: ParsedArgs, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = optionValue(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  }
  return n;
}

/** A finite number option. */
export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const v = optionValue(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** A comma-separated list of finite numbers, e.g. `--input 1,0`. */
export function numberListOption(args: ParsedArgs, name: string): number[] | undefined {
  const v = optionValue(args, name);
  if (v === undefined) return undefined;
  return v.split(',').map((s, k) => {
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n)) {
      throw new CliError(`--${name}: value ${k + 1} ("${s}") is not a number`);
    }
    return n;
  });
}
