/**
 * The modules of the lecture's "modular approach": each kind of box in a computational graph,
 * declared with its forward function and its LOCAL backward (∂out/∂input_k) side by side, the way
 * micrograd attaches a local backward to each operation. The chain rule itself lives in
 * graph.ts; nothing here knows about upstream gradients.
 */
import { sigmoid } from './activations';
import type { FunctionName } from './expression';

/**
 * The kind of a graph node. `input` is a variable (one node however often it is used), `const` a
 * number from the source; the rest are modules.
 */
export type Op = 'input' | 'const' | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'neg' | FunctionName;

/** The kinds of node that compute something from inputs. */
export type ModuleOp = Exclude<Op, 'input' | 'const'>;

/** One kind of module: its box label, forward function and local gradients. */
export interface ModuleRule {
  /** What the lecture's slide writes in the box (a `pow` with a constant exponent writes "^2"). */
  readonly label: string;
  /**
   * out = f(x_0, x_1, …). `exponent` is the constant c of a `pow` module with one input (x^c);
   * null everywhere else.
   */
  forward(x: readonly number[], exponent: number | null): number;
  /**
   * ∂out/∂x_k for each input k, given the inputs and the output `out` forward just computed
   * (several derivatives are cheapest in terms of the output, e.g. tanh′ = 1 − out²).
   */
  localGrads(x: readonly number[], out: number, exponent: number | null): number[];
}

/**
 * d(x^c)/dx = c·x^(c−1). The c = 0 case is pinned to 0 because 0·0^(−1) would give NaN at x = 0
 * although x^0 = 1 is flat everywhere.
 */
function powerRule(x: number, c: number): number {
  return c === 0 ? 0 : c * x ** (c - 1);
}

/** Every module, keyed by the op name that graph nodes and snapshots carry. */
export const MODULES: { readonly [K in ModuleOp]: ModuleRule } = {
  add: { label: '+', forward: ([a, b]) => a + b, localGrads: () => [1, 1] },
  sub: { label: '−', forward: ([a, b]) => a - b, localGrads: () => [1, -1] },
  mul: { label: '×', forward: ([a, b]) => a * b, localGrads: ([a, b]) => [b, a] },
  // A real two-input module rather than x·y^(−1): the lecture steps through a '/' box.
  div: { label: '/', forward: ([x, y]) => x / y, localGrads: ([x, y]) => [1 / y, -x / (y * y)] },
  pow: {
    label: '^',
    forward: (x, c) => (c === null ? x[0] ** x[1] : x[0] ** c),
    localGrads: (x, out, c) => {
      // A constant exponent is a parameter of the box ("^2"), not an input, so only the base
      // has a local gradient.
      if (c !== null) return [powerRule(x[0], c)];
      const [base, y] = x;
      // ∂(x^y)/∂y = x^y·ln x. Where x^y is 0 (x = 0, y > 0) the function is flat in y, so 0
      // rather than 0·(−∞); for x < 0 ln x is NaN, honestly: x^y is not differentiable in y there.
      return [powerRule(base, y), out === 0 ? 0 : out * Math.log(base)];
    },
  },
  neg: { label: '−', forward: ([a]) => -a, localGrads: () => [-1] },
  exp: { label: 'exp', forward: ([a]) => Math.exp(a), localGrads: (_x, out) => [out] },
  log: { label: 'log', forward: ([a]) => Math.log(a), localGrads: ([a]) => [1 / a] },
  sqrt: { label: 'sqrt', forward: ([a]) => Math.sqrt(a), localGrads: (_x, out) => [1 / (2 * out)] },
  sin: { label: 'sin', forward: ([a]) => Math.sin(a), localGrads: ([a]) => [Math.cos(a)] },
  cos: { label: 'cos', forward: ([a]) => Math.cos(a), localGrads: ([a]) => [-Math.sin(a)] },
  tanh: { label: 'tanh', forward: ([a]) => Math.tanh(a), localGrads: (_x, out) => [1 - out * out] },
  sigmoid: { label: 'sigmoid', forward: ([a]) => sigmoid(a), localGrads: (_x, out) => [out * (1 - out)] },
  // relu′(0) = 0, as in the lecture and activations.ts.
  relu: { label: 'relu', forward: ([a]) => (a > 0 ? a : 0), localGrads: ([a]) => [a > 0 ? 1 : 0] },
  // abs′(0) = 0: the subgradient in the middle of [−1, 1].
  abs: { label: 'abs', forward: ([a]) => Math.abs(a), localGrads: ([a]) => [a > 0 ? 1 : a < 0 ? -1 : 0] },
};
