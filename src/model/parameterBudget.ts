/**
 * The budget on a network's size. A 90-byte model file can ask for 1-40000-40000-1, 1.6 billion
 * parameters: 12.8 GB for W alone in float64, before gradients, optimizer moments and the float32
 * copy training keeps. Every place that builds a network from what a user wrote (the model file
 * parser, the sidebar's architecture edits, the CLI) checks it first and says what to do.
 */

/** The default budget: 10 million parameters (about 0.5 GB while training with Adam). */
export const DEFAULT_MAX_PARAMETERS = 10_000_000;

/** Σ over the layers of n_{l−1}·n_l weights and n_l biases. */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1] * sizes[l] + sizes[l];
  return n;
}

/** Why a network of these layer sizes is over the budget, or undefined when it fits. */
export function parameterBudgetProblem(sizes: readonly number[], maxParameters = DEFAULT_MAX_PARAMETERS): string | undefined {
  const n = parameterCount(sizes);
  if (n <= maxParameters) return undefined;
  const fmt = (x: number) => x.toLocaleString('en-US');
  return (
    `the network ${sizes.join('-')} has ${fmt(n)} parameters, more than the budget of ${fmt(maxParameters)} ` +
    `(about ${Math.ceil((n * 8 * 5) / 2 ** 30)} GiB to train): use smaller layers, or raise the budget ` +
    `(the CLI's --max-parameters, the setting mlpInspector.maxParameters)`
  );
}
