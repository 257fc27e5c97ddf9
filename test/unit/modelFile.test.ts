import { strict as assert } from 'assert';
import { pristineExamples } from '../pristineExamples';
import { targetProblem } from '../../src/model/dataFit';
import { parameterCount } from '../../src/model/parameterBudget';
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { fromRows } from '../../src/engine/matrix';
import { predict } from '../../src/engine/network';
import { ModelFileError, parseModelFile, parseModelText, serializeModel } from '../../src/model/modelFile';
import { modelWithParameters, networkFromModel } from '../../src/model/modelNetwork';

const EXAMPLES = pristineExamples();
const load = (name: string) => parseModelFile(readFileSync(path.join(EXAMPLES, name), 'utf8'), name);
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];

function truthTable(name: string): number[] {
  const out = predict(networkFromModel(load(name)), fromRows(X));
  return Array.from(out.data, (v) => Math.round(v));
}

const minimal = (extra: string) => `{
  "layers": [{"units": 2}, {"units": 1, "activation": "sigmoid"}],
  "loss": "sse"${extra}
}`;

describe('model files', () => {
  it('the lecture’s hand-built gates compute their truth tables', () => {
    assert.deepEqual(truthTable('and.mlp.json'), [0, 0, 0, 1]);
    assert.deepEqual(truthTable('or.mlp.json'), [0, 1, 1, 1]);
    assert.deepEqual(truthTable('and-not.mlp.json'), [0, 0, 1, 0]);
    assert.deepEqual(truthTable('xor.mlp.json'), [0, 1, 1, 0]);
  });

  it('every example model parses', () => {
    for (const f of readdirSync(EXAMPLES).filter((n) => n.endsWith('.mlp.json'))) load(f);
  });

  it('round-trips through serializeModel with W rows on one line', () => {
    const model = load('xor.mlp.json');
    const text = serializeModel(modelWithParameters(model, networkFromModel(model)));
    assert.match(text, /"W": \[\n\s+\[20, 20\],\n\s+\[20, 20\]\n\s+\]/);
    assert.deepEqual(parseModelFile(text, 'x').parameters, model.parameters);
  });

  const bad: [string, string, RegExp, number, number][] = [
    ['invalid JSON', '{\n  "layers": [\n    {"units": 2},\n  ]\n}', /invalid JSON: expected a value/, 4, 3],
    ['an empty file', '  \n', /empty/, 1, 1],
    ['an unknown activation', '{\n  "layers": [{"units": 2},\n    {"units": 1, "activation": "sigmod"}],\n  "loss": "sse"\n}', /unknown activation "sigmod" in layer 1; expected one of .*"sigmoid"/, 3, 32],
    ['an unknown loss', minimal('').replace('"sse"', '"l2"'), /unknown loss "l2"/, 3, 11],
    ['an activation on the input layer', '{"layers": [{"units": 2, "activation": "relu"}, {"units": 1}], "loss": "sse"}', /input layer.*has no activation/, 1, 40],
    ['too few layers', '{"layers": [{"units": 2}], "loss": "sse"}', /at least one more layer/, 1, 12],
    ['a parameters shape that does not match', minimal(',\n  "parameters": [{"W": [[1, 2], [3, 4]], "b": [0]}]'), /W\[1\] row 0 must have 1 values/, 4, 25],
    ['too many parameter entries', minimal(',\n  "parameters": [{"W": [[1], [2]], "b": [0]}, {"W": [[1]], "b": [0]}]'), /"parameters" has 2 entries, but the network has 1 non-input layer/, 4, 17],
    ['a non-number weight', minimal(',\n  "parameters": [{"W": [[1], ["x"]], "b": [0]}]'), /W\[1\]\[1\]\[0\] must be a finite number/, 4, 31],
    ['an unknown property', minimal(',\n  "optimiser": {}'), /unknown property "optimiser"/, 4, 3],
    ['a bad learning rate', minimal(',\n  "optimizer": {"learningRate": -1}'), /optimizer.learningRate must be a number > 0/, 4, 33],
    ['data with neither path nor synthetic', minimal(',\n  "data": {"target": ["y"]}'), /"data" needs "path".*or "synthetic"/, 4, 11],
  ];
  for (const [what, text, message, line, column] of bad) {
    it(`reports ${what} with its line and column`, () => {
      const { model, problems } = parseModelText(text);
      assert.equal(model, undefined);
      assert.ok(problems.length >= 1);
      assert.match(problems[0].message, message);
      assert.deepEqual([problems[0].line, problems[0].column], [line, column], problems[0].message);
      assert.throws(() => parseModelFile(text, 'm.mlp.json'), (e: unknown) => e instanceof ModelFileError && e.message.startsWith(`m.mlp.json:${line}:${column}: `));
    });
  }

  describe('the parameter budget', () => {
    // 1-40000-40000-1: 1·40000 + 40000 + 40000·40000 + 40000 + 40000·1 + 1 = 1,600,160,001.
    const bomb = '{"layers": [{"units": 1}, {"units": 40000}, {"units": 40000}, {"units": 1}], "loss": "sse"}';
    it('refuses a 90-byte model that asks for 1.6 billion parameters, at "layers", saying how to raise it', () => {
      const { model, problems } = parseModelText(bomb);
      assert.equal(model, undefined);
      assert.equal(problems.length, 1);
      assert.match(problems[0].message, /the network 1-40000-40000-1 has 1,600,160,001 parameters, more than the budget of 10,000,000 .*--max-parameters.*mlpInspector\.maxParameters/);
      assert.deepEqual([problems[0].line, problems[0].column], [1, 12]);
    });
    it('takes a raised budget, and counts weights and biases exactly', () => {
      assert.equal(parameterCount([2, 4, 1]), 2 * 4 + 4 + 4 * 1 + 1);
      assert.ok(parseModelText(bomb, { maxParameters: 1_600_160_001 }).model);
      assert.equal(parseModelText(bomb, { maxParameters: 1_600_160_000 }).model, undefined);
    });
  });

  it('gives a located error, not a stack overflow, for JSON nested 20,000 levels deep', () => {
    const text = '{"layers": ' + '['.repeat(20000) + ']'.repeat(20000) + ', "loss": "sse"}';
    const { model, problems } = parseModelText(text);
    assert.equal(model, undefined);
    assert.equal(problems.length, 1);
    // The 65th bracket opens level 65: the object is level 1, so it is the 64th "[" (column 11 + 64).
    assert.match(problems[0].message, /nests deeper than 64 levels/);
    assert.deepEqual([problems[0].line, problems[0].column], [1, 75]);
    // Brackets inside a string do not count.
    assert.ok(parseModelText(`{"name": "${'['.repeat(100)}\\"[", "layers": [{"units": 2}, {"units": 1}], "loss": "sse"}`).model);
  });

  it('refuses a key given twice in one object, at the second, naming the first', () => {
    const { model, problems } = parseModelText('{"layers": [{"units": 2}, {"units": 1, "units": 3}],\n "loss": "sse", "loss": "mse"}');
    assert.equal(model, undefined);
    assert.deepEqual(
      problems.map((p) => [p.message, p.line, p.column]),
      [
        ['"units" appears twice in one object (first at line 1, column 28); keep one', 1, 40],
        ['"loss" appears twice in one object (first at line 2, column 2); keep one', 2, 17],
      ],
    );
  });

  it('refuses softmax over a single unit, at its activation, saying what to use', () => {
    const { problems } = parseModelText('{"layers": [{"units": 2}, {"units": 1, "activation": "softmax"}], "loss": "cross_entropy"}');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /softmax over one unit is always 1.*"sigmoid" unit with "binary_cross_entropy"/);
    assert.deepEqual([problems[0].line, problems[0].column], [1, 54]);
  });

  it('refuses targets a loss cannot take: cross-entropy needs one-hot rows, binary cross-entropy [0, 1]', () => {
    const y = (rows: number[][]) => Float64Array.from(rows.flat());
    assert.equal(targetProblem('cross_entropy', y([[0, 1, 0], [1, 0, 0]]), 2, 3), undefined);
    assert.match(targetProblem('cross_entropy', y([[0, 1, 0], [0.5, 0.5, 0]]), 2, 3) ?? '', /"cross_entropy" needs one-hot targets .* training row 1 has \(0\.5, 0\.5, 0\): use "mse"/);
    assert.match(targetProblem('cross_entropy', y([[1, 1, 0]]), 1, 3) ?? '', /training row 0 has \(1, 1, 0\)/);
    assert.equal(targetProblem('binary_cross_entropy', y([[0], [1], [0.25]]), 3, 1), undefined);
    assert.match(targetProblem('binary_cross_entropy', y([[0], [2]]), 2, 1) ?? '', /needs targets in \[0, 1\], but training row 1 has \(2\)/);
    assert.match(targetProblem('binary_cross_entropy', y([[-0.5]]), 1, 1) ?? '', /training row 0 has \(-0\.5\)/);
    assert.equal(targetProblem('mse', y([[7]]), 1, 1), undefined);
  });
});
