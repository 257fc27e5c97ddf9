import { strict as assert } from 'assert';
import { ComputationalGraph } from '../../src/engine/graph';
import { analyticDerivatives, evaluateFormula } from '../../src/engine/analyticGradient';
import { expressionProblem, GraphSession, MAX_NODES } from '../../src/graph/GraphSession';
import { formatVariableValues, parseVariableValues, prefillValues } from '../../src/engine/variableValues';

/** ∂f/∂v by the five-point stencil (O(h⁴)): an independent numeric reference. */
function numericPartial(source: string, values: Record<string, number>, v: string): number {
  const f = (x: number) => new ComputationalGraph(source).forward({ ...values, [v]: x });
  const h = 1e-3 * Math.max(1, Math.abs(values[v]));
  const d = (s: number) => (f(values[v] + s) - f(values[v] - s)) / (2 * s);
  return (4 * d(h / 2) - d(h)) / 3;
}

describe('graph panel: analytic derivatives', () => {
  it('gives the lecture’s closed forms for x^2*y/z, which evaluate to 12, 4.5 and −9 at (3, 4, 2)', () => {
    const d = analyticDerivatives('x^2*y/z', ['x', 'y', 'z']);
    assert.deepEqual(
      Object.fromEntries(Object.entries(d).map(([v, r]) => [v, r.formula])),
      { x: '2*x*y/z', y: 'x^2/z', z: '-(x^2*y/z^2)' },
    );
    // By hand: 2·3·4/2 = 12, 3²/2 = 4.5, −3²·4/2² = −9.
    const at = { x: 3, y: 4, z: 2 };
    assert.deepEqual(['x', 'y', 'z'].map((v) => evaluateFormula(d[v].formula as string, at)), [12, 4.5, -9]);
  });

  it('agrees with finite differences on every rule (sum, product, quotient, powers, functions)', () => {
    const cases: [string, Record<string, number>][] = [
      ['x + y - 3*x', { x: 0.7, y: -1.3 }],
      ['-x^3 / (y - x)', { x: 1.1, y: 2.9 }],
      ['x^y', { x: 1.7, y: 0.6 }],
      ['2^x * x^(1/2)', { x: 1.3 }],
      ['exp(x*y) + log(y) - sqrt(x)', { x: 0.4, y: 1.5 }],
      ['sin(x)*cos(y) / tanh(x+y)', { x: 0.3, y: 0.8 }],
      ['sigmoid(w1*x1 + w2*x2 + b)', { w1: 0.5, x1: 1, w2: -0.25, x2: 2, b: 0.1 }],
      ['(x - y) - (x - y)^2 / -(x*y)', { x: 0.9, y: 0.2 }],
    ];
    for (const [source, values] of cases) {
      const vars = Object.keys(values);
      const d = analyticDerivatives(source, vars);
      for (const v of vars) {
        const formula = d[v].formula;
        assert.ok(formula !== null, `${source}: no formula for ∂/∂${v}`);
        const got = evaluateFormula(formula, values);
        const want = numericPartial(source, values, v);
        assert.ok(Math.abs(got - want) <= 1e-7 * Math.max(1, Math.abs(want)), `${source}: ∂/∂${v} = ${formula} = ${got}, numerically ${want}`);
      }
    }
  });

  it('says there is no closed form for relu and abs, instead of inventing one', () => {
    const d = analyticDerivatives('relu(x) + abs(y) + z', ['x', 'y', 'z']);
    assert.equal(d.x.formula, null);
    assert.equal(d.y.formula, null);
    assert.equal(d.z.formula, '1');
  });
});

describe('graph panel: variable values', () => {
  it('reads name=value lists with commas, semicolons, spaces and a typographic minus', () => {
    assert.deepEqual(parseVariableValues('x=3, y = 4 ;z=−2e0', ['x', 'y', 'z']), { ok: true, values: { x: 3, y: 4, z: -2 } });
    // Names the expression does not use are ignored, so values survive editing the expression.
    assert.deepEqual(parseVariableValues('x=1, q=2', ['x']), { ok: true, values: { x: 1 } });
  });

  it('names the problem and its column', () => {
    assert.deepEqual(parseVariableValues('x=3, y=four', ['x', 'y']), { ok: false, message: "column 8: the value of y must be a finite number, got 'four'", column: 8 });
    assert.deepEqual(parseVariableValues('x=3, y', ['x', 'y']), { ok: false, message: "column 6: expected name=value, e.g. x=3, but found 'y'", column: 6 });
    assert.deepEqual(parseVariableValues('x=1, x=2', ['x']), { ok: false, message: 'column 6: x is given twice', column: 6 });
    assert.deepEqual(parseVariableValues('x=1', ['x', 'w']), { ok: false, message: 'no value for w: add w=…', column: null });
    assert.equal(parseVariableValues('x=1e999', ['x']).ok, false);
  });

  it('formats and prefills values, keeping those already typed', () => {
    assert.equal(formatVariableValues(['x', 'y'], { x: 3, y: -0.5 }), 'x=3, y=-0.5');
    assert.equal(prefillValues(['x', 'w', 'z'], 'x=3, y=4, z=2'), 'x=3, w=1, z=2');
  });
});

describe('graph panel: session (the host’s state)', () => {
  it('steps x^2*y/z forward and backward node by node to the lecture’s numbers', () => {
    const s = new GraphSession();
    assert.equal(s.state().snapshot.phase, 'forward');
    const n = s.state().snapshot.nodes.length;
    for (let i = 0; i < n; i++) s.act('forwardStep');
    let st = s.state();
    assert.equal(st.snapshot.phase, 'forwarded');
    assert.equal(st.snapshot.nodes[st.snapshot.outputId].value, 18);
    assert.ok(st.checks.every((c) => c.backprop === null), 'no backprop result before the backward pass ends');
    s.act('forwardStep'); // nothing left to do: a no-op, not an error
    for (let i = 0; i < n; i++) {
      s.act('backwardStep');
      // Reverse topological order: the output first, node 0 last.
      assert.deepEqual(s.state().lastStep, { direction: 'backward', nodeId: n - 1 - i });
    }
    st = s.state();
    assert.equal(st.snapshot.phase, 'done');
    assert.deepEqual(
      st.checks.map((c) => [c.variable, c.backprop, c.analytic?.value]),
      [['x', 12, 12], ['y', 4.5, 4.5], ['z', -9, -9]],
    );
    for (const c of st.checks) assert.ok(Math.abs(c.centralDifference - (c.backprop as number)) < 1e-6, `${c.variable}: ${c.centralDifference}`);
    // At the × module: upstream ∂f/∂(x^2*y) = 1/z = 0.5, local gradients y = 4 and x² = 9, products 2 and 4.5.
    const times = st.snapshot.nodes.find((node) => node.label === '×')!;
    assert.deepEqual([times.grad, times.localGrads, times.contributions], [0.5, [4, 9], [2, 4.5]]);
  });

  it('keeps the previous graph when new input is refused, and reports the parser’s column', () => {
    const s = new GraphSession();
    s.act('runAll');
    const refused = s.setExpression('x^2*(y', 'x=3, y=4');
    assert.deepEqual(refused && [refused.field, refused.column, refused.message], ['expression', 7, "column 7: expected ')' but found end of input (the '(' at column 5 is not closed)"]);
    assert.equal(s.expression, 'x^2*y/z');
    assert.equal(s.state().snapshot.phase, 'done');
    assert.equal(s.inputError, refused);
    const missing = s.setExpression('x*w', 'x=3, y=4, z=2');
    assert.deepEqual(missing && [missing.field, missing.message], ['values', 'no value for w: add w=…']);
    assert.equal(s.setExpression('x*w', ' x = 3 ; w = 5 '), null);
    assert.equal(s.inputError, null);
    assert.deepEqual([s.expression, s.valuesText], ['x*w', 'x=3, w=5']);
    s.act('runAll');
    s.act('reset');
    assert.deepEqual([s.state().snapshot.phase, s.state().snapshot.cursor, s.state().lastStep], ['forward', 0, null]);
  });

  it('refuses graphs too large to draw', () => {
    const big = Array.from({ length: MAX_NODES }, (_, i) => `x${i}`).join('+');
    assert.match(expressionProblem(big)?.message ?? '', /at most 60 can be drawn/);
    assert.equal(expressionProblem('x^2*y/z'), undefined);
    assert.throws(() => new GraphSession('x^2*(y', 'x=1'), /column 7/);
  });
});
