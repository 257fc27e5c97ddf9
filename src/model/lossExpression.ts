/**
 * A small network's loss for one sample, written out as an expression of the computational
 * graph's language, with its weights as variables: the link between the lecture's two views.
 * Opened in the computation graph panel, its backward pass gives ∂L/∂W[l][i][j] module by
 * module, the same numbers backpropagation gives layer by layer.
 */
import type { Network } from '../engine/network';

/** Activations the expression language can write (identity needs no function). */
const WRITABLE = new Set(['identity', 'sigmoid', 'tanh', 'relu']);

/** The most parameters the expression may have: beyond that the graph is not readable. */
export const MAX_GRAPH_PARAMETERS = 40;

export interface LossExpression {
  readonly expression: string;
  /** Every variable's value: the weights W{l}_{i}_{j}, biases b{l}_{j}, inputs x{i} and targets y{k}. */
  readonly values: Record<string, number>;
}

/** Why this network's loss cannot be written as an expression, or undefined when it can. */
export function lossExpressionProblem(net: Network): string | undefined {
  const params = net.layers.reduce((n, l) => n + l.W.data.length + l.b.length, 0);
  if (params > MAX_GRAPH_PARAMETERS) return `the network has ${params} parameters; its loss graph is drawn for up to ${MAX_GRAPH_PARAMETERS}`;
  const bad = net.layers.find((l) => !WRITABLE.has(l.activationName));
  if (bad) return `the expression language has no ${bad.activationName} (it has identity, sigmoid, tanh and relu)`;
  if (net.loss.name !== 'sse' && net.loss.name !== 'mse') return `its loss ${net.loss.name} is drawn only for sse and mse`;
  return undefined;
}

/** L(x, y; W, b) for one sample, e.g. `0.5*(y0 - sigmoid(b2_0 + W2_0_0*…))^2`. */
export function lossExpression(net: Network, x: ArrayLike<number>, y: ArrayLike<number>): LossExpression {
  const problem = lossExpressionProblem(net);
  if (problem) throw new Error(problem);
  const values: Record<string, number> = {};
  let a: string[] = Array.from({ length: net.sizes[0] }, (_, i) => {
    values[`x${i}`] = x[i];
    return `x${i}`;
  });
  net.layers.forEach((layer, k) => {
    const l = k + 1;
    const next: string[] = [];
    for (let j = 0; j < layer.nOut; j++) {
      values[`b${l}_${j}`] = layer.b[j];
      const terms = [`b${l}_${j}`];
      for (let i = 0; i < layer.nIn; i++) {
        values[`W${l}_${i}_${j}`] = layer.W.data[i * layer.nOut + j];
        terms.push(`W${l}_${i}_${j}*${a[i]}`);
      }
      const z = terms.join(' + ');
      next.push(layer.activationName === 'identity' ? `(${z})` : `${layer.activationName}(${z})`);
    }
    a = next;
  });
  const errors = a.map((yhat, k) => {
    values[`y${k}`] = y[k];
    return `(y${k} - ${yhat})^2`;
  });
  // sse: ½ Σ (y − ŷ)²; mse over one sample: (1/n) Σ (y − ŷ)².
  const scale = net.loss.name === 'sse' ? '0.5' : `(1/${errors.length})`;
  return { expression: `${scale}*(${errors.join(' + ')})`, values };
}
