import { strict as assert } from 'assert';
import { ComputationalGraph, ExpressionSyntaxError, VariableValueError, gradient } from '../../src/engine/graph';

/**
 * |a − b| / max(|a|, |b|, floor). The floor is where a reference stops resolving: a finite
 * difference of f cannot see a derivative much below ε·|f|/h ≈ 1e-12·|f|, so one far smaller
 * than that is compared on that scale instead.
 */
function relativeError(a: number, b: number, floor = 1e-300): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

function assertClose(actual: number, expected: number, tolerance: number, what: string, floor?: number): void {
  const error = relativeError(actual, expected, floor);
  assert.ok(error < tolerance, `${what}: got ${actual}, expected ${expected} (relative error ${error})`);
}

/**
 * ∂f/∂v by central differences, Richardson-extrapolated (the five-point stencil), so the
 * truncation error is O(h⁴) and a large h keeps rounding error small too.
 */
function centralDifference(f: (v: number) => number, v: number): number {
  const h = 1e-3 * Math.max(1, Math.abs(v));
  const d = (step: number): number => (f(v + step) - f(v - step)) / (2 * step);
  return (4 * d(h / 2) - d(h)) / 3;
}

/** mulberry32: a tiny seeded PRNG, so the random cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random expression over a, b, c written twice: in the expression language, and as JavaScript
 * for an independent evaluator. Domains are kept safe (log and sqrt of positive arguments,
 * denominators away from 0, variable exponents on positive bases).
 */
function randomExpression(random: () => number, depth: number): { src: string; js: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (depth === 0 || random() < 0.2) {
    if (random() < 0.75) {
      const v = pick(['a', 'b', 'c']);
      return { src: v, js: v };
    }
    const k = (1 + Math.floor(random() * 40)) / 8;
    return { src: String(k), js: String(k) };
  }
  const p = randomExpression(random, depth - 1);
  const q = randomExpression(random, depth - 1);
  switch (pick(['+', '-', '*', '/', '^c', '^v', 'neg', 'fn', 'fn', 'safe'])) {
    case '+':
      return { src: `(${p.src}) + (${q.src})`, js: `(${p.js}) + (${q.js})` };
    case '-':
      return { src: `${p.src} - (${q.src})`, js: `(${p.js}) - (${q.js})` };
    case '*':
      return { src: `(${p.src})*(${q.src})`, js: `(${p.js}) * (${q.js})` };
    case '/':
      return { src: `(${p.src}) / (2 + sin(${q.src}))`, js: `(${p.js}) / (2 + Math.sin(${q.js}))` };
    case '^c': {
      const c = pick([2, 3, -1, 0.5]);
      // A negative or fractional power needs a positive base; an integer one a bounded base, so
      // that powers of powers cannot explode.
      const base =
        c === 2 || c === 3
          ? { src: `tanh(${p.src})`, js: `Math.tanh(${p.js})` }
          : { src: `(1 + (${p.src})^2)`, js: `(1 + (${p.js}) ** 2)` };
      return { src: `(${base.src})^${c}`, js: `(${base.js}) ** (${c})` };
    }
    case '^v':
      // Base and exponent both bounded, so that nested powers cannot explode.
      return { src: `(1.5 + cos(${p.src}))^sin(${q.src})`, js: `(1.5 + Math.cos(${p.js})) ** Math.sin(${q.js})` };
    case 'neg':
      return { src: `-(${p.src})`, js: `-(${p.js})` };
    case 'fn': {
      const fn = pick(['exp', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs']);
      const js: Record<string, string> = {
        exp: `Math.exp(${p.js})`,
        sin: `Math.sin(${p.js})`,
        cos: `Math.cos(${p.js})`,
        tanh: `Math.tanh(${p.js})`,
        sigmoid: `1 / (1 + Math.exp(-(${p.js})))`,
        relu: `Math.max(0, ${p.js})`,
        abs: `Math.abs(${p.js})`,
      };
      // exp of a big sub-expression overflows; squash its argument first.
      return fn === 'exp' ? { src: `exp(tanh(${p.src}))`, js: `Math.exp(Math.tanh(${p.js}))` } : { src: `${fn}(${p.src})`, js: js[fn] };
    }
    default: {
      const fn = pick(['log', 'sqrt']);
      const js = fn === 'log' ? 'Math.log' : 'Math.sqrt';
      return { src: `${fn}(1 + (${p.src})^2)`, js: `${js}(1 + (${p.js}) ** 2)` };
    }
  }
}

describe('computational graph', () => {
  describe("the lecture's example f(x, y, z) = x^2*y/z at (3, 4, 2)", () => {
    it('gives f = 18, ∂f/∂x = 12, ∂f/∂y = 4.5, ∂f/∂z = −9 exactly', () => {
      const result = gradient('x^2*y/z', { x: 3, y: 4, z: 2 });
      assert.deepEqual(result, { value: 18, gradients: { x: 12, y: 4.5, z: -9 } });
      assert.deepEqual(Object.keys(result.gradients), ['x', 'y', 'z']);
    });

    it('has the lecture\'s boxes: x, ^2, y, ×, z, / in topological order', () => {
      const g = new ComputationalGraph('x^2*y/z');
      const nodes = g.snapshot().nodes;
      assert.deepEqual(
        nodes.map((n) => [n.id, n.op, n.label, n.inputs]),
        [
          [0, 'input', 'x', []],
          [1, 'pow', '^2', [0]],
          [2, 'input', 'y', []],
          [3, 'mul', '×', [1, 2]],
          [4, 'input', 'z', []],
          [5, 'div', '/', [3, 4]],
        ],
      );
      assert.equal(nodes[1].exponent, 2);
      assert.equal(g.outputId, 5);
    });

    it('steps forward and backward one box at a time, recording upstream × local = product', () => {
      const g = new ComputationalGraph('x^2*y/z');
      g.setInputs({ x: 3, y: 4, z: 2 });
      const forward = [];
      for (let n = g.forwardStep(); n !== null; n = g.forwardStep()) forward.push([n.id, n.value, n.localGrads]);
      // Local gradients by hand: d(x²)/dx = 2x = 6; ∂(ab)/∂a = b, ∂(ab)/∂b = a; ∂(a/b) = 1/b, −a/b².
      assert.deepEqual(forward, [
        [0, 3, []],
        [1, 9, [6]],
        [2, 4, []],
        [3, 36, [4, 9]],
        [4, 2, []],
        [5, 18, [0.5, -9]],
      ]);
      assert.equal(g.value, 18);
      assert.equal(g.snapshot().phase, 'forwarded');

      const backward = [];
      for (let n = g.backwardStep(); n !== null; n = g.backwardStep()) backward.push([n.id, n.grad, n.contributions]);
      assert.deepEqual(backward, [
        [5, 1, [0.5, -9]],
        [4, -9, []],
        [3, 0.5, [2, 4.5]],
        [2, 4.5, []],
        [1, 2, [12]],
        [0, 12, []],
      ]);
      const snap = g.snapshot();
      assert.equal(snap.phase, 'done');
      assert.equal(snap.cursor, null);
    });

    it('exposes the step cursor and leaves unvisited nodes null', () => {
      const g = new ComputationalGraph('x^2*y/z');
      assert.equal(g.snapshot().phase, 'idle');
      assert.throws(() => g.forwardStep(), /set the variable values/);
      g.setInputs({ x: 3, y: 4, z: 2 });
      g.forwardStep();
      g.forwardStep();
      const snap = g.snapshot();
      assert.equal(snap.phase, 'forward');
      assert.equal(snap.cursor, 2);
      assert.deepEqual(snap.nodes.map((n) => n.value), [3, 9, null, null, null, null]);
      assert.throws(() => g.backwardStep(), /complete the forward pass/);
      assert.throws(() => g.backward(), /complete the forward pass/);
    });

    it('snapshots are plain JSON data with source spans', () => {
      const g = new ComputationalGraph('x^2*y/z + x');
      g.forward({ x: 3, y: 4, z: 2 });
      g.backward();
      const snap = g.snapshot();
      assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
      const x = snap.nodes[0];
      assert.deepEqual(x.spans, [{ start: 0, end: 1 }, { start: 10, end: 11 }]);
      assert.deepEqual(snap.nodes[snap.outputId].span, { start: 0, end: 11 });
      assert.equal(x.grad, 13);
      // Mutating a snapshot does not touch the graph.
      (snap.nodes[0].inputs as number[]).push(99);
      assert.deepEqual(g.node(0).inputs, []);
    });
  });

  describe('gradients match closed-form derivatives', () => {
    const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
    const cases: [string, (x: number) => number, (x: number) => number, number[]][] = [
      ['sin(x)*exp(x)', (x) => Math.sin(x) * Math.exp(x), (x) => (Math.cos(x) + Math.sin(x)) * Math.exp(x), [-1.3, 0, 0.7, 2]],
      ['sigmoid(x)', sigmoid, (x) => sigmoid(x) * (1 - sigmoid(x)), [-40, -2, 0, 0.5, 3]],
      ['tanh(x)', Math.tanh, (x) => 1 / Math.cosh(x) ** 2, [-2, 0, 0.3, 1.7]],
      ['sqrt(x)', Math.sqrt, (x) => 0.5 / Math.sqrt(x), [0.01, 1, 2, 100]],
      ['log(x)', Math.log, (x) => 1 / x, [0.1, 1, Math.E, 50]],
      ['abs(x)', Math.abs, (x) => Math.sign(x), [-3, -0.5, 0, 2]],
      ['relu(x)', (x) => Math.max(0, x), (x) => (x > 0 ? 1 : 0), [-3, -0.5, 0, 2]],
      ['cos(x)', Math.cos, (x) => -Math.sin(x), [-1, 0, 2.5]],
      ['exp(x)', Math.exp, Math.exp, [-2, 0, 1]],
      ['x^3', (x) => x ** 3, (x) => 3 * x * x, [-2, 0, 1.5]],
      ['x^-1', (x) => 1 / x, (x) => -1 / (x * x), [-2, 0.5, 4]],
      ['x^(1/2)', Math.sqrt, (x) => 0.5 / Math.sqrt(x), [0.25, 4]],
      ['2^x', (x) => 2 ** x, (x) => 2 ** x * Math.LN2, [-1, 0, 3.5]],
      ['x^x', (x) => x ** x, (x) => x ** x * (Math.log(x) + 1), [0.5, 1, 2]],
      ['1/x', (x) => 1 / x, (x) => -1 / (x * x), [-3, 0.5, 2]],
      ['-x^2', (x) => -(x ** 2), (x) => -2 * x, [-1, 3]],
    ];
    for (const [source, f, df, points] of cases) {
      it(`d/dx ${source}`, () => {
        for (const x of points) {
          const { value, gradients } = gradient(source, { x });
          assertClose(value, f(x), 1e-14, `${source} at ${x}`);
          assertClose(gradients.x, df(x), 1e-12, `d/dx ${source} at ${x}`);
        }
      });
    }

    it('d/dy of x^y is x^y·ln x, and d/dx is y·x^(y−1)', () => {
      const { gradients } = gradient('x^y', { x: 2.5, y: 1.7 });
      assertClose(gradients.x, 1.7 * 2.5 ** 0.7, 1e-14, 'd/dx');
      assertClose(gradients.y, 2.5 ** 1.7 * Math.log(2.5), 1e-14, 'd/dy');
    });

    it('x/y is a real division box with local gradients 1/y and −x/y²', () => {
      const g = new ComputationalGraph('x/y');
      assert.deepEqual(g.snapshot().nodes.map((n) => n.op), ['input', 'input', 'div']);
      g.forward({ x: 3, y: 4 });
      assert.deepEqual(g.node(2).localGrads, [0.25, -3 / 16]);
    });
  });

  describe('gradients match central finite differences on random expressions', () => {
    const random = prng(20240601);
    for (let trial = 0; trial < 60; trial++) {
      const { src, js } = randomExpression(random, 4);
      const point = { a: random() * 4 - 2, b: random() * 4 - 2, c: random() * 4 - 2 };
      it(`#${trial}: ${src.length > 70 ? `${src.slice(0, 67)}...` : src}`, () => {
        const f = new Function('a', 'b', 'c', `return ${js};`) as (a: number, b: number, c: number) => number;
        const reference = f(point.a, point.b, point.c);
        const graph = new ComputationalGraph(src);
        const value = graph.forward(Object.fromEntries(graph.variables.map((v) => [v, point[v as 'a' | 'b' | 'c']])));
        assertClose(value, reference, 1e-12, 'value');
        const gradients = graph.backward();
        for (const v of graph.variables) {
          const at = (t: number): number =>
            f(v === 'a' ? t : point.a, v === 'b' ? t : point.b, v === 'c' ? t : point.c);
          const numeric = centralDifference(at, point[v as 'a' | 'b' | 'c']);
          assertClose(gradients[v], numeric, 1e-6, `∂f/∂${v}`, 1e-5 * Math.max(1, Math.abs(reference)));
        }
      });
    }
  });

  describe('bookkeeping', () => {
    it('a reused variable is one node and gets the summed gradient: x*x*x at 2', () => {
      const g = new ComputationalGraph('x*x*x');
      assert.equal(g.size, 3);
      assert.equal(g.forward({ x: 2 }), 8);
      assert.deepEqual(g.backward(), { x: 12 });
      assert.deepEqual(g.snapshot().nodes[1].inputs, [0, 0]);
    });

    it('calling backward twice gives the same gradients, not their sum', () => {
      const g = new ComputationalGraph('x^2*y/z');
      g.forward({ x: 3, y: 4, z: 2 });
      const first = g.backward();
      assert.deepEqual(g.backward(), first);
      assert.deepEqual(first, { x: 12, y: 4.5, z: -9 });
      // Stepping after a complete backward pass does nothing further.
      assert.equal(g.backwardStep(), null);
      assert.deepEqual(g.backward(), first);
    });

    it('forward can be re-run with new values', () => {
      const g = new ComputationalGraph('x^2*y/z');
      g.forward({ x: 3, y: 4, z: 2 });
      g.backward();
      assert.equal(g.forward({ x: 1, y: 2, z: 4 }), 0.5);
      assert.equal(g.snapshot().nodes[0].grad, null);
      // ∂f/∂x = 2xy/z = 1, ∂f/∂y = x²/z = 0.25, ∂f/∂z = −x²y/z² = −0.125.
      assert.deepEqual(g.backward(), { x: 1, y: 0.25, z: -0.125 });
    });

    it('a missing or non-numeric variable value is an error naming the variable', () => {
      assert.throws(
        () => gradient('x^2*y/z', { x: 3, y: 4 }),
        (e: unknown) => e instanceof VariableValueError && e.variable === 'z' && /no value given for variable 'z'/.test(e.message),
      );
      assert.throws(() => gradient('x+y', { x: 1, y: NaN }), /the value of 'y' must be a finite number/);
      // Names that happen to exist on Object.prototype are not "given".
      assert.throws(() => gradient('constructor + 1', {}), /variable 'constructor'/);
      assert.deepEqual(gradient('constructor * 2', { constructor: 5 }), { value: 10, gradients: { constructor: 2 } });
    });

    it('extra values are ignored and constant expressions have no gradients', () => {
      assert.deepEqual(gradient('2*3', { x: 1 }), { value: 6, gradients: {} });
    });

    it('a malformed expression throws ExpressionSyntaxError', () => {
      assert.throws(() => new ComputationalGraph('x^2*'), ExpressionSyntaxError);
    });

    it('constants: negative literals are one box, constant exponents are folded into the ^ box', () => {
      const g = new ComputationalGraph('-3*x + x^(1/2) + x^-1');
      assert.deepEqual(
        g.snapshot().nodes.map((n) => n.label),
        ['-3', 'x', '×', '^(1/2)', '+', '^-1', '+'],
      );
      g.forward({ x: 4 });
      // d/dx (−3x + √x + 1/x) = −3 + 1/(2√x) − 1/x² = −3 + 0.25 − 0.0625.
      assert.deepEqual(g.backward(), { x: -2.8125 });
    });
  });

  describe('large graphs do not overflow the stack', () => {
    const n = 100_000;
    it(`x+x+… with ${n} terms: ${n} nodes, ∂f/∂x = ${n}`, () => {
      const g = new ComputationalGraph(Array(n).fill('x').join('+'));
      assert.equal(g.size, n);
      assert.equal(g.forward({ x: 0.5 }), n / 2);
      assert.deepEqual(g.backward(), { x: n });
    });

    it(`x*1.0000001*… with ${n} factors`, () => {
      const { value, gradients } = gradient('x' + '*1.0000001'.repeat(n), { x: 2 });
      const product = Math.exp(n * Math.log1p(1e-7));
      assertClose(value, 2 * product, 1e-9, 'value');
      assertClose(gradients.x, product, 1e-9, 'gradient');
    });

    it(`${n} nested functions and unary minuses`, () => {
      // d/dx of tanh applied n times at 0 is 1 (tanh′(0) = 1 at every level).
      assert.deepEqual(gradient('tanh('.repeat(n) + 'x' + ')'.repeat(n), { x: 0 }), { value: 0, gradients: { x: 1 } });
      assert.deepEqual(gradient('-'.repeat(n) + 'x', { x: 3 }), { value: 3, gradients: { x: 1 } });
    });

    it(`a power tower x^1^1^… of ${n} folds its constant exponent`, () => {
      const g = new ComputationalGraph('x' + '^1'.repeat(n));
      assert.equal(g.size, 2);
      assert.equal(g.forward({ x: 3 }), 3);
      assert.deepEqual(g.backward(), { x: 1 });
    });
  });
});
