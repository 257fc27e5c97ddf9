/**
 * `mlp-inspector`: the engine from the command line. Every command prints JSON on stdout and
 * exits 0; any error prints one line on stderr (with file:line:column where it applies) and
 * exits 1, never a stack trace.
 */
import { parseArgs } from './args';
import { CliError } from './cliError';
import type { CliIO, Command } from './command';
import { backwardCommand } from './commands/backward';
import { forwardCommand } from './commands/forward';
import { gradCommand } from './commands/grad';
import { gradcheckCommand } from './commands/gradcheck';
import { synthCommand } from './commands/synth';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { trainCommand } from './commands/train';
import { enableRelaxedSimd } from '../node/relaxedSimd';

const COMMANDS: readonly Command[] = [gradCommand, forwardCommand, backwardCommand, trainCommand, gradcheckCommand, synthCommand, importCommand, exportCommand];

function usage(): string {
  return ['usage: mlp-inspector COMMAND ...', '', ...COMMANDS.map((c) => `  mlp-inspector ${c.usage}`)].join('\n');
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new CliError(`unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    await command.run(parseArgs(rest, command.options), io);
    return 0;
  } catch (err) {
    const e = err as Error;
    const where = err instanceof CliError && err.location ? `${err.location}: ` : '';
    process.stderr.write(`mlp-inspector${command ? ` ${command.name}` : ''}: ${where}${e?.message ?? String(err)}\n`);
    if (process.env.MLP_INSPECTOR_DEBUG && e?.stack) process.stderr.write(e.stack + '\n');
    return 1;
  }
}

if (require.main === module) {
  // Before any network is built: the fast path's fused multiply-add kernels on Node 20 too.
  enableRelaxedSimd();
  // A reader that stops early (`train … | head -2`) closes the pipe: that is not an error of
  // ours, so leave quietly instead of dying on EPIPE with a stack trace. A reader that is slow
  // or stopped makes writes queue in memory: commands wait for 'drain' (CliIO.drained).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`mlp-inspector: cannot write the output: ${err.message}\n`);
    process.exit(1);
  });
  const io: CliIO = {
    json: (value) => process.stdout.write(JSON.stringify(value) + '\n'),
    drained: () => new Promise((resolve) => process.stdout.once('drain', resolve)),
    info: (text) => process.stderr.write(text + '\n'),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`mlp-inspector: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
