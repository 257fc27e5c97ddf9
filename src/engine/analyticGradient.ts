/**
 * ∂f/∂v derived symbolically from the expression's syntax tree with the textbook rules (sum,
 * product, quotient, power, chain), lightly simplified, written back out as an expression, e.g.
 * `x^2*y/z` gives `2*x*y/z`, `x^2/z` and `-(x^2*y/z^2)`.
 *
 * This is the "analytic result" the graph panel shows beside the backward pass. It shares only
 * the parser with the computational graph: no node, module or local gradient of graph.ts is used,
 * so agreement between the two is evidence, not a tautology. The formula is evaluated by parsing
 * it again and running a forward pass, which is the same arithmetic a student would do by hand.
 *
 * Pure (no vscode, no DOM). Recursive over the tree, so callers keep expressions small (the panel
 * caps them well below any recursion limit).
 */
import { ComputationalGraph } from './graph';
import { parseExpression, type Expr, type FunctionName } from './expression';

/** A term of the derivative being built. Negative numbers are `num` with a negative value. */
type Sym =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'neg'; readonly a: Sym }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly a: Sym; readonly b: Sym }
  | { readonly k: 'call'; readonly fn: FunctionName; readonly a: Sym };

/** Raised for a function whose derivative the expression language cannot write (relu′, abs′). */
export class NoClosedFormError extends Error {
  constructor(readonly fn: FunctionName) {
    super(`${fn}′ is a step function, which these expressions cannot write; see the central difference`);
    this.name = 'NoClosedFormError';
  }
}

const num = (v: number): Sym => ({ k: 'num', v });
const ZERO = num(0);
const ONE = num(1);
const isNum = (s: Sym, v?: number): s is { k: 'num'; v: number } => s.k === 'num' && (v === undefined || s.v === v);

// Constructors that fold numbers and drop 0s and 1s, so that the formulas read like the slides'.
function add(a: Sym, b: Sym): Sym {
  if (isNum(a) && isNum(b)) return num(a.v + b.v);
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (b.k === 'neg') return sub(a, b.a);
  if (isNum(b) && b.v < 0) return sub(a, num(-b.v));
  return { k: 'bin', op: '+', a, b };
}
function sub(a: Sym, b: Sym): Sym {
  if (isNum(a) && isNum(b)) return num(a.v - b.v);
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return neg(b);
  if (b.k === 'neg') return add(a, b.a);
  if (isNum(b) && b.v < 0) return add(a, num(-b.v));
  return { k: 'bin', op: '-', a, b };
}
function mul(a: Sym, b: Sym): Sym {
  if (isNum(a) && isNum(b)) return num(a.v * b.v);
  if (isNum(a, 0) || isNum(b, 0)) return ZERO;
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (isNum(a, -1)) return neg(b);
  if (isNum(b, -1)) return neg(a);
  if (a.k === 'neg') return neg(mul(a.a, b));
  if (b.k === 'neg') return neg(mul(a, b.a));
  // Numbers first, as written by hand: 2*x rather than x*2.
  if (isNum(b) && !isNum(a)) return mul(b, a);
  return { k: 'bin', op: '*', a, b };
}
function div(a: Sym, b: Sym): Sym {
  // Fold only exact quotients, so that 1/3 stays 1/3 rather than 0.3333333333333333.
  if (isNum(a) && isNum(b) && b.v !== 0 && Number.isInteger(a.v / b.v)) return num(a.v / b.v);
  if (isNum(a, 0)) return ZERO;
  if (isNum(b, 1)) return a;
  if (a.k === 'neg') return neg(div(a.a, b));
  return { k: 'bin', op: '/', a, b };
}
function pow(a: Sym, b: Sym): Sym {
  if (isNum(b, 0)) return ONE;
  if (isNum(b, 1)) return a;
  return { k: 'bin', op: '^', a, b };
}
function neg(a: Sym): Sym {
  if (isNum(a)) return num(-a.v);
  if (a.k === 'neg') return a.a;
  return { k: 'neg', a };
}
const call = (fn: FunctionName, a: Sym): Sym => ({ k: 'call', fn, a });

/** The syntax tree as a Sym, unchanged in meaning (unary plus dropped). */
function fromExpr(e: Expr): Sym {
  switch (e.kind) {
    case 'number':
      return num(e.value);
    case 'variable':
      return { k: 'var', name: e.name };
    case 'unary':
      return e.op === '+' ? fromExpr(e.operand) : { k: 'neg', a: fromExpr(e.operand) };
    case 'binary':
      return { k: 'bin', op: e.op, a: fromExpr(e.left), b: fromExpr(e.right) };
    case 'call':
      return call(e.fn, fromExpr(e.arg));
  }
}

/** d/d`v` of `s`. */
function derive(s: Sym, v: string): Sym {
  switch (s.k) {
    case 'num':
      return ZERO;
    case 'var':
      return s.name === v ? ONE : ZERO;
    case 'neg':
      return neg(derive(s.a, v));
    case 'call': {
      // Chain rule; a call whose argument does not depend on v contributes nothing (so relu(x)
      // has a ∂/∂z of 0 although relu′ itself cannot be written).
      const inner = derive(s.a, v);
      return isNum(inner, 0) ? ZERO : mul(outerDerivative(s.fn, s.a), inner);
    }
    case 'bin': {
      const { a, b } = s;
      const da = derive(a, v);
      const db = derive(b, v);
      switch (s.op) {
        case '+':
          return add(da, db);
        case '-':
          return sub(da, db);
        case '*':
          return add(mul(da, b), mul(a, db));
        case '/':
          // da/b − a·db/b², so that a constant denominator leaves just da/b.
          return sub(div(da, b), div(mul(a, db), pow(b, num(2))));
        case '^':
          // A constant exponent: the power rule c·a^(c−1)·da. Otherwise d(a^b) = a^b·(db·ln a + b·da/a).
          if (isNum(db, 0)) return mul(mul(b, pow(a, sub(b, ONE))), da);
          return mul(s, add(mul(db, call('log', a)), div(mul(b, da), a)));
      }
    }
  }
}

/** f′(a) for f(a), written in the expression language. */
function outerDerivative(fn: FunctionName, a: Sym): Sym {
  switch (fn) {
    case 'exp':
      return call('exp', a);
    case 'log':
      return div(ONE, a);
    case 'sqrt':
      return div(ONE, mul(num(2), call('sqrt', a)));
    case 'sin':
      return call('cos', a);
    case 'cos':
      return neg(call('sin', a));
    case 'tanh':
      return sub(ONE, pow(call('tanh', a), num(2)));
    case 'sigmoid':
      return mul(call('sigmoid', a), sub(ONE, call('sigmoid', a)));
    case 'relu':
    case 'abs':
      throw new NoClosedFormError(fn);
  }
}

/** Binding power when printed: atoms and calls bind tightest. */
function precedence(s: Sym): number {
  if (s.k === 'num') return s.v < 0 ? 3 : 5;
  if (s.k === 'var' || s.k === 'call') return 5;
  if (s.k === 'neg') return 3;
  return { '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 }[s.op];
}

/** Prints with only the parentheses the parser needs (plus some around `^` operands for clarity). */
function print(s: Sym): string {
  switch (s.k) {
    case 'num':
      return String(s.v);
    case 'var':
      return s.name;
    case 'call':
      return `${s.fn}(${print(s.a)})`;
    case 'neg':
      return `-${wrap(s.a, precedence(s.a) < 4)}`;
    case 'bin': {
      const p = precedence(s);
      const pa = precedence(s.a);
      const pb = precedence(s.b);
      // Left-associative + − * /: the right operand needs parentheses at equal precedence too
      // (a−(b−c), a/(b*c)); `^` is right-associative, so it is the left operand that does.
      const left = s.op === '^' ? pa <= p : pa < p;
      const right = s.op === '^' ? pb < p : pb < p || (pb === p && (s.op === '-' || s.op === '/'));
      return `${wrap(s.a, left)}${s.op}${wrap(s.b, right)}`;
    }
  }
}
const wrap = (s: Sym, parens: boolean): string => (parens ? `(${print(s)})` : print(s));

/** ∂f/∂v as a formula, or why there is none. */
export type AnalyticDerivative = { readonly formula: string } | { readonly formula: null; readonly note: string };

/**
 * ∂f/∂v for each of `variables`, as formulas in the expression language. Throws
 * ExpressionSyntaxError for a malformed `source`.
 */
export function analyticDerivatives(source: string, variables: readonly string[]): Record<string, AnalyticDerivative> {
  const f = fromExpr(parseExpression(source));
  const out: Record<string, AnalyticDerivative> = {};
  for (const v of variables) {
    try {
      out[v] = { formula: print(derive(f, v)) };
    } catch (err) {
      if (!(err instanceof NoClosedFormError)) throw err;
      out[v] = { formula: null, note: err.message };
    }
  }
  return out;
}

/** Evaluates a formula from `analyticDerivatives` at `values` (extra names are ignored). */
export function evaluateFormula(formula: string, values: Readonly<Record<string, number>>): number {
  return new ComputationalGraph(formula).forward(values);
}
