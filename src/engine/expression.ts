/**
 * The expression language of the computational-graph view: numbers, variables, `+ - * / ^`,
 * unary minus and plus, parentheses, and the functions in FUNCTION_NAMES called as `f(expr)`.
 *
 * Precedence, loosest first: `+ -` (left), `* /` (left), unary `- +`, `^` (right). So `^` binds
 * tighter than unary minus, as on the lecture's slides and in Python: `-x^2` is −(x²), `2^-x` is
 * 2^(−x) and `2^x^2` is 2^(x²).
 *
 * Multiplication is never implicit: `3x`, `2(x+1)` and `x y` are syntax errors (with a hint to
 * write `*`), because `e2` or `xy` would otherwise be ambiguous between a name and a product.
 *
 * The parser is an operator-precedence (shunting-yard) loop with explicit stacks, so nothing here
 * recurses: `x+x+…` with 100,000 terms or 100,000 nested parentheses parse without touching the
 * call stack. The resulting tree can be that deep too, so walk it with `postOrder`, never with a
 * recursive function.
 */

/** A half-open range [start, end) of 0-based UTF-16 offsets into the source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The functions the language knows, each called with one argument as `f(expr)`. */
export const FUNCTION_NAMES = ['exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs'] as const;

/** One of FUNCTION_NAMES. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** True when `name` is one of FUNCTION_NAMES. */
export function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** The binary operators, as written. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

/** The prefix operators, as written. */
export type UnaryOperator = '-' | '+';

/**
 * A node of the syntax tree. Every node records the span of source it was parsed from; a
 * parenthesized sub-expression's span includes its parentheses, so that highlighting a node
 * highlights exactly the text a student would point at.
 */
export type Expr = NumberLiteral | Variable | UnaryExpr | BinaryExpr | CallExpr;

/** A number as written (`2`, `0.5`, `.5`, `1e-3`), with its float64 value. */
export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  /** The literal exactly as written, e.g. "1e-3", for labels. */
  readonly text: string;
  readonly span: Span;
}

/** A variable: an identifier that is not a function name. */
export interface Variable {
  readonly kind: 'variable';
  readonly name: string;
  readonly span: Span;
}

/** `-operand` or `+operand`. */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: Expr;
  readonly span: Span;
}

/** `left op right`. */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `fn(arg)`. */
export interface CallExpr {
  readonly kind: 'call';
  readonly fn: FunctionName;
  readonly arg: Expr;
  readonly span: Span;
}

/**
 * A syntax error at a position in the source. The message reads like
 * `column 5: expected ')' but found end of input`.
 */
export class ExpressionSyntaxError extends Error {
  /** 1-based column of the problem (offset + 1; expressions are one line). */
  readonly column: number;

  constructor(
    /** 0-based offset of the problem in the source. */
    readonly offset: number,
    /** What the parser expected there, e.g. "a number, a variable, '(' or a function". */
    readonly expected: string,
    /** What it found instead, e.g. "end of input" or "')'". */
    readonly found: string,
    /** The message after "column N: "; defaults to "expected … but found …". */
    detail = `expected ${expected} but found ${found}`,
  ) {
    super(`column ${offset + 1}: ${detail}`);
    this.name = 'ExpressionSyntaxError';
    this.column = offset + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'number' | 'identifier' | 'operator' | '(' | ')' | 'end' | 'unknown';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const OPERATOR_CHARS = '+-*/^';

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdentifierStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentifierPart(c: string): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

/** How an error message shows a token: `'x'`, `')'` or `end of input`. */
function describe(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  const text = token.text.length > 24 ? `${token.text.slice(0, 21)}...` : token.text;
  return `'${text}'`;
}

/**
 * Reads tokens on demand rather than all at once, so that when the input has several problems
 * the leftmost one is reported: a malformed number late in the input must not hide a syntax
 * error before it.
 */
class Lexer {
  private pos = 0;
  private peeked: Token | null = null;

  constructor(private readonly source: string) {}

  next(): Token {
    const token = this.peek();
    this.peeked = null;
    return token;
  }

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  private read(): Token {
    const s = this.source;
    while (this.pos < s.length && /\s/.test(s[this.pos])) this.pos++;
    const start = this.pos;
    if (start >= s.length) return { kind: 'end', text: '', start, end: start };
    const c = s[start];
    if (isDigit(c) || (c === '.' && isDigit(s[start + 1] ?? ''))) return this.readNumber(start);
    if (isIdentifierStart(c)) {
      let end = start + 1;
      while (end < s.length && isIdentifierPart(s[end])) end++;
      return this.token('identifier', start, end);
    }
    if (OPERATOR_CHARS.includes(c)) return this.token('operator', start, start + 1);
    if (c === '(' || c === ')') return this.token(c, start, start + 1);
    // One whole code point, so that an emoji is reported as itself rather than half of it.
    const width = (s.codePointAt(start) ?? 0) > 0xffff ? 2 : 1;
    return this.token('unknown', start, start + width);
  }

  /** digits [. digits] [e [+-] digits], or . digits [e ...]; the caller saw the first char. */
  private readNumber(start: number): Token {
    const s = this.source;
    let end = start;
    while (end < s.length && isDigit(s[end])) end++;
    if (s[end] === '.') {
      end++;
      if (!isDigit(s[end] ?? '')) this.fail(end, 'a digit after the decimal point');
      while (end < s.length && isDigit(s[end])) end++;
    }
    if (s[end] === 'e' || s[end] === 'E') {
      end++;
      if (s[end] === '+' || s[end] === '-') end++;
      if (!isDigit(s[end] ?? '')) this.fail(end, 'a digit in the exponent');
      while (end < s.length && isDigit(s[end])) end++;
    }
    return this.token('number', start, end);
  }

  private fail(offset: number, expected: string): never {
    this.pos = offset;
    const found = this.read();
    throw new ExpressionSyntaxError(offset, expected, describe(found));
  }

  private token(kind: TokenKind, start: number, end: number): Token {
    this.pos = end;
    return { kind, text: this.source.slice(start, end), start, end };
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

const OPERAND_EXPECTED = "a number, a variable, '(' or a function";

/** Binding power of each binary operator; unary operators sit between `* /` and `^`. */
const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 };
const UNARY_PRECEDENCE = 3;

/** An operator, parenthesis or function call waiting on the operator stack for its operands. */
type Pending =
  | { readonly kind: 'binary'; readonly op: BinaryOperator }
  | { readonly kind: 'unary'; readonly op: UnaryOperator; readonly start: number }
  | { readonly kind: 'paren'; readonly start: number }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly start: number; readonly open: number };

/**
 * Parses `source` into a syntax tree, or throws ExpressionSyntaxError naming the column and what
 * was expected there. Never recurses, whatever the length or nesting of the input.
 */
export function parseExpression(source: string): Expr {
  const lexer = new Lexer(source);
  const operands: Expr[] = [];
  const pending: Pending[] = [];
  /** Open '(' and 'f(' on `pending`, so error messages know whether ')' may come next. */
  let openCount = 0;

  const reduceTop = (): void => {
    const top = pending.pop() as Pending;
    if (top.kind === 'binary') {
      const right = operands.pop() as Expr;
      const left = operands.pop() as Expr;
      const span = { start: left.span.start, end: right.span.end };
      operands.push({ kind: 'binary', op: top.op, left, right, span });
    } else if (top.kind === 'unary') {
      const operand = operands.pop() as Expr;
      operands.push({ kind: 'unary', op: top.op, operand, span: { start: top.start, end: operand.span.end } });
    }
  };

  /** Reduces operators that bind at least as tightly as an incoming binary `op`. */
  const reduceFor = (op: BinaryOperator): void => {
    const precedence = BINARY_PRECEDENCE[op];
    const rightAssociative = op === '^';
    for (;;) {
      const top = pending[pending.length - 1];
      if (top === undefined || top.kind === 'paren' || top.kind === 'call') return;
      const topPrecedence = top.kind === 'unary' ? UNARY_PRECEDENCE : BINARY_PRECEDENCE[top.op];
      if (topPrecedence < precedence || (topPrecedence === precedence && rightAssociative)) return;
      reduceTop();
    }
  };

  const operatorExpected = (): string => (openCount > 0 ? "an operator or ')'" : 'an operator or end of input');

  let expectOperand = true;
  for (;;) {
    const token = lexer.next();
    if (expectOperand) {
      if (token.kind === 'number') {
        const value = Number(token.text);
        if (!Number.isFinite(value)) {
          throw new ExpressionSyntaxError(
            token.start,
            'a number within the float64 range',
            describe(token),
            `the number ${describe(token)} is too large for float64`,
          );
        }
        operands.push({ kind: 'number', value, text: token.text, span: { start: token.start, end: token.end } });
        expectOperand = false;
      } else if (token.kind === 'identifier') {
        if (isFunctionName(token.text)) {
          const open = lexer.next();
          if (open.kind !== '(') {
            throw new ExpressionSyntaxError(open.start, `'(' after '${token.text}'`, describe(open));
          }
          pending.push({ kind: 'call', fn: token.text, start: token.start, open: open.start });
          openCount++;
        } else if (lexer.peek().kind === '(') {
          const known = FUNCTION_NAMES.join(', ');
          throw new ExpressionSyntaxError(
            token.start,
            `one of the functions ${known}`,
            describe(token),
            `unknown function ${describe(token)} (known functions: ${known})`,
          );
        } else {
          operands.push({ kind: 'variable', name: token.text, span: { start: token.start, end: token.end } });
          expectOperand = false;
        }
      } else if (token.kind === 'operator' && (token.text === '-' || token.text === '+')) {
        pending.push({ kind: 'unary', op: token.text, start: token.start });
      } else if (token.kind === '(') {
        pending.push({ kind: 'paren', start: token.start });
        openCount++;
      } else {
        throw new ExpressionSyntaxError(token.start, OPERAND_EXPECTED, describe(token));
      }
      continue;
    }

    // An operand has just been completed: an operator, ')' or the end may follow.
    if (token.kind === 'operator') {
      const op = token.text as BinaryOperator;
      reduceFor(op);
      pending.push({ kind: 'binary', op });
      expectOperand = true;
    } else if (token.kind === ')') {
      if (openCount === 0) {
        throw new ExpressionSyntaxError(
          token.start,
          operatorExpected(),
          describe(token),
          `expected ${operatorExpected()} but found ')', which has no matching '('`,
        );
      }
      while (pending[pending.length - 1].kind === 'binary' || pending[pending.length - 1].kind === 'unary') reduceTop();
      // Only '(' and 'f(' are left on top once the operators inside are reduced.
      const open = pending.pop() as Extract<Pending, { kind: 'paren' | 'call' }>;
      openCount--;
      const inner = operands.pop() as Expr;
      const span = { start: open.start, end: token.end };
      operands.push(open.kind === 'call' ? { kind: 'call', fn: open.fn, arg: inner, span } : { ...inner, span });
    } else if (token.kind === 'end') {
      while (pending.length > 0) {
        const top = pending[pending.length - 1];
        if (top.kind === 'paren' || top.kind === 'call') {
          const openAt = top.kind === 'call' ? top.open : top.start;
          throw new ExpressionSyntaxError(
            token.start,
            "')'",
            'end of input',
            `expected ')' but found end of input (the '(' at column ${openAt + 1} is not closed)`,
          );
        }
        reduceTop();
      }
      return operands[0];
    } else {
      // A number, name or '(' right after an operand is almost always a missing '*'.
      const implicitProduct = token.kind === 'number' || token.kind === 'identifier' || token.kind === '(';
      throw new ExpressionSyntaxError(
        token.start,
        operatorExpected(),
        describe(token),
        `expected ${operatorExpected()} but found ${describe(token)}` +
          (implicitProduct ? " (multiplication must be written with '*')" : ''),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Walking the tree (iteratively: a parsed chain can be 100,000 levels deep)

/** The direct sub-expressions of `expr`, left to right. */
export function operandsOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'number':
    case 'variable':
      return [];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'call':
      return [expr.arg];
  }
}

/**
 * Every node of the tree, children before parents and left before right, so leaves come in
 * source order. Uses an explicit stack, so any depth works.
 */
export function postOrder(root: Expr): Expr[] {
  const order: Expr[] = [];
  const stack: { expr: Expr; children: readonly Expr[]; next: number }[] = [
    { expr: root, children: operandsOf(root), next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      stack.push({ expr: child, children: operandsOf(child), next: 0 });
    } else {
      order.push(top.expr);
      stack.pop();
    }
  }
  return order;
}

/**
 * The tree written back out with every operation parenthesized, e.g. `-x^2` as `(-(x ^ 2))`, so
 * that how the parser grouped the input can be seen (and tested) at a glance.
 */
export function formatExpression(root: Expr): string {
  const text = new Map<Expr, string>();
  for (const e of postOrder(root)) {
    switch (e.kind) {
      case 'number':
        text.set(e, e.text);
        break;
      case 'variable':
        text.set(e, e.name);
        break;
      case 'unary':
        text.set(e, `(${e.op}${text.get(e.operand)})`);
        break;
      case 'binary':
        text.set(e, `(${text.get(e.left)} ${e.op} ${text.get(e.right)})`);
        break;
      case 'call':
        text.set(e, `${e.fn}(${text.get(e.arg)})`);
        break;
    }
  }
  return text.get(root) as string;
}
