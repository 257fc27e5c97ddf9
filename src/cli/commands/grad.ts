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
    // No prototype: a variable may be called __proto__ or constructor.
    const values: Record<string, number> = Object.create(null) as Record<string, number>;
    const at = optionValue(args, 'at');
    if (at !== undefined && at.trim() !== '') {
      for (const pair of at.split(',')) {
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = Number(pair.slice(eq + 1));
        if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || pair.slice(eq + 1).trim() === '' || !Number.isFinite(value)) {
          throw new CliError(`--at: "${pair}" is not of the form name=number`);
        }
        if (Object.hasOwn(values, name)) throw new CliError(`--at: "${name}" is given twice`);
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
    const gradients = graph.backward();
    // JSON has no NaN or ∞ (they would print as null): say which operation produced one instead.
    const problem = nonFiniteProblem(graph, source);
    if (problem) throw new CliError(problem);
    io.json({ value, gradients });
  },
};

/**
 * Where the forward or backward pass first left the finite numbers: the operation (with its
 * text and column in the expression) whose value, or whose local gradient, is NaN or ±∞.
 */
function nonFiniteProblem(graph: ComputationalGraph, source: string): string | undefined {
  const { nodes } = graph.snapshot();
  const where = (n: (typeof nodes)[number]) => `"${source.slice(n.span.start, n.span.end)}" (column ${n.span.start + 1})`;
  const bad = (v: number | null) => v !== null && !Number.isFinite(v);
  for (const n of nodes) {
    if (bad(n.value)) return `${where(n)} is ${describe(n.value!)}: the value is not a finite number`;
  }
  for (const n of [...nodes].reverse()) {
    const k = n.localGrads?.findIndex(bad) ?? -1;
    if (k >= 0) return `the derivative of ${where(n)} with respect to ${where(nodes[n.inputs[k]])} is ${describe(n.localGrads![k])} there: the gradient is not a finite number`;
    if (bad(n.grad)) return `∂f/∂${where(n)} is ${describe(n.grad!)}: the gradient is not a finite number`;
  }
  return undefined;
}

function describe(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+∞' : '−∞';
}
