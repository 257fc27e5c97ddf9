/**
 * `synth NAME [--samples N] [--noise X] [--seed S] [--out FILE]`: writes a synthetic dataset as
 * CSV, so a user can open it, plot it, or point a model file at it. With `--out` the file is
 * written atomically (a temporary file in the same folder, then a rename) and a JSON summary
 * goes to stdout; without it the CSV itself goes to stdout.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { toCsv } from '../../data/csvWriter';
import { SYNTHETIC_NAMES, generateSynthetic, syntheticName } from '../../data/synthetic';
import { intOption, numberOption, optionValue, type ParsedArgs } from '../args';
import { CliError } from '../cliError';
import type { CliIO, Command } from '../command';

export const synthCommand: Command = {
  name: 'synth',
  usage: `synth NAME [--samples N] [--noise X] [--seed S] [--out FILE]    a synthetic dataset as CSV (${SYNTHETIC_NAMES.join(', ')})`,
  options: { valued: ['samples', 'noise', 'seed', 'out'] },
  run(args, io) {
    return runSynth(args, io, (text) => process.stdout.write(text));
  },
};

/** The command's body, with stdout passed in so tests can capture the CSV. */
export async function runSynth(args: ParsedArgs, io: CliIO, writeStdout: (text: string) => void): Promise<void> {
  const name = args.positionals[0];
  if (name === undefined) throw new CliError(`missing NAME; one of ${SYNTHETIC_NAMES.join(', ')}`);
  if (args.positionals.length > 1) throw new CliError(`unexpected argument "${args.positionals[1]}"`);
  if (!syntheticName(name)) throw new CliError(`unknown synthetic set "${name}"; one of ${SYNTHETIC_NAMES.join(', ')}`);
  const samples = intOption(args, 'samples', 1, 10_000_000);
  const noise = numberOption(args, 'noise');
  if (noise !== undefined && noise < 0) throw new CliError(`--noise must be ≥ 0, got ${noise}`);
  const seed = intOption(args, 'seed', -0x80000000, 0xffffffff);
  const set = generateSynthetic(name, { samples, noise, seed });
  const csv = toCsv(set.header, set.rows);
  const out = optionValue(args, 'out');
  if (out === undefined) {
    writeStdout(csv);
    return;
  }
  const target = path.resolve(io.cwd, out);
  await writeAtomically(target, csv, out);
  const target0 = set.header[set.header.length - 1];
  const classes = set.columnTypes[target0] === 'categorical' ? [...new Set(set.rows.map((r) => String(r[r.length - 1])))] : undefined;
  io.json({
    synthetic: set.name,
    out: target,
    rows: set.rows.length,
    columns: set.header,
    target: target0,
    ...(classes ? { classes } : {}),
    samples: set.samples,
    noise: set.noise,
    seed: set.seed,
    bytes: Buffer.byteLength(csv),
  });
}

/** Writes `text` to `file` so that a reader sees either the old file or the whole new one. */
async function writeAtomically(file: string, text: string, shown: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await fsp.writeFile(tmp, text, { flag: 'wx' });
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new CliError(`cannot write ${shown}: the folder ${dir} does not exist`);
    if (code === 'EISDIR') throw new CliError(`cannot write ${shown}: it is a folder`);
    throw new CliError(`cannot write ${shown}: ${(err as Error).message}`);
  }
}
