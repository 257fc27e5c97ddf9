import { ExpressionSyntaxError } from '../../engine/expression';
import { ComputationalGraph } from '../../engine/graph';
import { optionValue } from '../args';
import { CliError } from '../cliError';
import type { Command } from '../command';

/** `grad EXPR --at x=3,y=4`: the value and gradient of an expression, by the computational graph. */
export const gradCommand: Command = {
  name: 'grad',
  usage: 'grad "EXPR" --at x=3,y=4,z=2    value and ∂f/∂ of each variable (computational graph)',
  options: { valued: ['at'] },
  async run(args, io) {
    const source = args.positionals[0];
    if (source === undefined) throw new CliError('missing EXPR, e.g. mlp-inspector grad "x^2*y/z" --at x=3,y=4,z=2');
    if (args.positionals.length > 1) throw new CliError(`unexpected argument "${args.positionals[1]}" (quote the expression)`);
    const values: Record<string, number> = {};
    const at = optionValue(args, 'at');
    if (at !== undefined && at.trim() !== '') {
      for (const pair of at.split(',')) {
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = Number(pair.slice(eq + 1));
        if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || pair.slice(eq + 1).trim() === '' || !Number.isFinite(value)) {
          throw new CliError(`--at: "${pair}" is not of the form name=number`);
        }
        values[name] = value;
      }
    }
    let graph: ComputationalGraph;
    try {
      graph = new ComputationalGraph(source);
    } catch (err) {
      if (err instanceof ExpressionSyntaxError) throw new CliError(`in "${source}" at ${err.message}`);
      throw err;
    }
    for (const name of Object.keys(values)) {
      if (!graph.variables.includes(name)) throw new CliError(`--at: "${name}" is not a variable of the expression (its variables: ${graph.variables.join(', ') || 'none'})`);
    }
    const value = graph.forward(values);
    io.json({ value, gradients: graph.backward() });
  },
};
