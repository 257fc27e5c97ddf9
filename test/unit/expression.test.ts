import { strict as assert } from 'assert';
import {
  ExpressionSyntaxError,
  FUNCTION_NAMES,
  formatExpression,
  parseExpression,
  postOrder,
  type Expr,
} from '../../src/engine/expression';

/** The parse, written with every operation parenthesized. */
const grouped = (source: string): string => formatExpression(parseExpression(source));

/** Asserts that parsing fails at `column` expecting `expected`, and returns the error. */
function syntaxError(source: string, column: number, expected: string): ExpressionSyntaxError {
  let caught: unknown;
  try {
    parseExpression(source);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ExpressionSyntaxError, `expected a syntax error for ${JSON.stringify(source)}`);
  assert.equal(caught.column, column, `column for ${JSON.stringify(source)}: ${caught.message}`);
  assert.equal(caught.offset, column - 1);
  assert.equal(caught.expected, expected, `expected-text for ${JSON.stringify(source)}`);
  assert.ok(caught.message.startsWith(`column ${column}: `), caught.message);
  return caught;
}

const OPERAND = "a number, a variable, '(' or a function";

describe('expression parser', () => {
  describe('precedence and associativity', () => {
    const cases: [string, string][] = [
      ['-x^2', '(-(x ^ 2))'],
      ['2^x^2', '(2 ^ (x ^ 2))'],
      ['2-3-4', '((2 - 3) - 4)'],
      ['8/4/2', '((8 / 4) / 2)'],
      ['2*3^2', '(2 * (3 ^ 2))'],
      ['1+2*3', '(1 + (2 * 3))'],
      ['(1+2)*3', '((1 + 2) * 3)'],
      ['2^-x', '(2 ^ (-x))'],
      ['2^-3^2', '(2 ^ (-(3 ^ 2)))'],
      ['-x*y', '((-x) * y)'],
      ['a-b+c', '((a - b) + c)'],
      ['a/b*c', '((a / b) * c)'],
      ['--x', '(-(-x))'],
      ['+x - -y', '((+x) - (-y))'],
      ['x^2*y/z', '(((x ^ 2) * y) / z)'],
      ['sin(x)^2', '(sin(x) ^ 2)'],
      ['-sigmoid(x+1)*2', '((-sigmoid((x + 1))) * 2)'],
    ];
    for (const [source, expected] of cases) {
      it(`groups ${source} as ${expected}`, () => assert.equal(grouped(source), expected));
    }
  });

  it('reads decimals and exponent notation as float64', () => {
    const values = ['0', '3', '0.5', '.25', '1e-3', '2.5E+2', '1e3', '123.456e-7'].map((s) => {
      const e = parseExpression(s);
      assert.equal(e.kind, 'number');
      return e.kind === 'number' ? e.value : NaN;
    });
    assert.deepEqual(values, [0, 3, 0.5, 0.25, 0.001, 250, 1000, 123.456e-7]);
  });

  it('accepts every function and identifiers with digits and underscores', () => {
    for (const fn of FUNCTION_NAMES) assert.equal(grouped(`${fn}( w_1 )`), `${fn}(w_1)`);
    assert.equal(grouped('x1*_y2'), '(x1 * _y2)');
  });

  it('records source spans, including the parentheses of a grouped sub-expression', () => {
    const source = ' (x + y) * sin(z)';
    const root = parseExpression(source);
    const text = (e: Expr): string => source.slice(e.span.start, e.span.end);
    assert.equal(text(root), '(x + y) * sin(z)');
    assert.equal(root.kind, 'binary');
    if (root.kind !== 'binary') return;
    assert.equal(text(root.left), '(x + y)');
    assert.equal(text(root.right), 'sin(z)');
    assert.deepEqual(
      postOrder(root).map(text),
      ['x', 'y', '(x + y)', 'z', 'sin(z)', '(x + y) * sin(z)'],
    );
  });

  describe('syntax errors name the column and what was expected', () => {
    it('empty input', () => {
      const e = syntaxError('', 1, OPERAND);
      assert.equal(e.message, `column 1: expected ${OPERAND} but found end of input`);
      syntaxError('   ', 4, OPERAND);
    });
    it('a dangling operator: x+', () => {
      const e = syntaxError('x+', 3, OPERAND);
      assert.equal(e.found, 'end of input');
    });
    it('an unclosed parenthesis: (x', () => {
      const e = syntaxError('(x', 3, "')'");
      assert.equal(e.message, "column 3: expected ')' but found end of input (the '(' at column 1 is not closed)");
      syntaxError('sin((x+1)', 10, "')'");
    });
    it('an unmatched closing parenthesis: x)', () => {
      const e = syntaxError('x)', 2, 'an operator or end of input');
      assert.match(e.message, /no matching '\('/);
    });
    it('implicit multiplication is rejected: 3x, 2(x), x y', () => {
      const e = syntaxError('3x', 2, 'an operator or end of input');
      assert.equal(e.message, "column 2: expected an operator or end of input but found 'x' (multiplication must be written with '*')");
      syntaxError('2(x)', 2, 'an operator or end of input');
      syntaxError('x y', 3, 'an operator or end of input');
      syntaxError('(x y)', 4, "an operator or ')'");
    });
    it('an unknown function: foo(x)', () => {
      const e = syntaxError('1 + foo(x)', 5, `one of the functions ${FUNCTION_NAMES.join(', ')}`);
      assert.match(e.message, /^column 5: unknown function 'foo'/);
      assert.equal(e.found, "'foo'");
    });
    it('a function without its parenthesis: sin x', () => {
      syntaxError('sin x', 5, "'(' after 'sin'");
      syntaxError('exp', 4, "'(' after 'exp'");
    });
    it('an unknown character: x $ y', () => {
      const e = syntaxError('x $ y', 3, 'an operator or end of input');
      assert.equal(e.found, "'$'");
      syntaxError('x + $', 5, OPERAND);
      syntaxError('sin(x, y)', 6, "an operator or ')'");
    });
    it('malformed numbers: 1e, 1e+, 5., 1e400', () => {
      const e = syntaxError('1e', 3, 'a digit in the exponent');
      assert.equal(e.message, 'column 3: expected a digit in the exponent but found end of input');
      syntaxError('2*1e+', 6, 'a digit in the exponent');
      syntaxError('1ex', 3, 'a digit in the exponent');
      syntaxError('5.', 3, 'a digit after the decimal point');
      assert.match(syntaxError('1e400', 1, 'a number within the float64 range').message, /too large/);
    });
    it('trailing garbage', () => {
      syntaxError('x+1 2', 5, 'an operator or end of input');
      syntaxError('(x+1))', 6, 'an operator or end of input');
      syntaxError('x^2 ;', 5, 'an operator or end of input');
    });
    it('missing operands', () => {
      syntaxError('*x', 1, OPERAND);
      syntaxError('()', 2, OPERAND);
      syntaxError('sin()', 5, OPERAND);
      syntaxError('x^', 3, OPERAND);
      syntaxError('x**2', 3, OPERAND);
    });
    it('reports the leftmost problem first', () => {
      syntaxError('x) + 1e', 2, 'an operator or end of input');
    });
  });

  describe('long and deep input does not overflow the stack', () => {
    const n = 100_000;
    it(`a left-associative chain of ${n} terms`, () => {
      const root = parseExpression(Array(n).fill('x').join('+'));
      assert.equal(postOrder(root).length, 2 * n - 1);
    });
    it(`a product chain of ${n} factors`, () => {
      const root = parseExpression('x' + '*1.0000001'.repeat(n));
      assert.equal(postOrder(root).length, 2 * n + 1);
    });
    it(`${n} nested parentheses, unary minuses and function calls`, () => {
      assert.equal(postOrder(parseExpression('('.repeat(n) + 'x' + ')'.repeat(n))).length, 1);
      assert.equal(postOrder(parseExpression('-'.repeat(n) + 'x')).length, n + 1);
      assert.equal(postOrder(parseExpression('sin('.repeat(n) + 'x' + ')'.repeat(n))).length, n + 1);
    });
    it(`a right-associative power tower of ${n}`, () => {
      const root = parseExpression(Array(n).fill('x').join('^'));
      assert.equal(root.kind === 'binary' && root.left.kind, 'variable');
      assert.equal(postOrder(root).length, 2 * n - 1);
    });
  });
});
