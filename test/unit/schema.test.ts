import { strict as assert } from 'assert';
import { pristineExamples } from '../pristineExamples';
import Ajv from 'ajv';
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { ACTIVATION_NAMES } from '../../src/engine/activations';
import { INITIALIZER_NAMES } from '../../src/engine/initializers';
import { LOSS_NAMES } from '../../src/engine/losses';
import { OPTIMIZER_NAMES } from '../../src/engine/optimizers';
import { SYNTHETIC_NAMES } from '../../src/data/synthetic';
import { parseModelText } from '../../src/model/modelFile';

const ROOT = path.join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'mlp.schema.json'), 'utf8'));
// ajv, an independent JSON Schema validator, checks the schema VS Code uses while editing
// against the examples and against the model-file checker's own verdicts.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('the *.mlp.json JSON Schema', () => {
  it('names exactly the engine’s activations, losses, initializers, optimizers and synthetic sets', () => {
    assert.deepEqual([...schema.properties.layers.items.properties.activation.enum].sort(), [...ACTIVATION_NAMES].sort());
    assert.deepEqual([...schema.properties.loss.enum].sort(), [...LOSS_NAMES].sort());
    assert.deepEqual([...schema.properties.init.properties.weights.enum].sort(), [...INITIALIZER_NAMES].sort());
    assert.deepEqual([...schema.properties.optimizer.properties.type.enum].sort(), [...OPTIMIZER_NAMES].sort());
    assert.deepEqual([...schema.properties.data.properties.synthetic.enum].sort(), [...SYNTHETIC_NAMES].sort());
  });

  it('accepts every example model, as the checker does', () => {
    const examples = readdirSync(pristineExamples()).filter((f) => f.endsWith('.mlp.json'));
    assert.ok(examples.length >= 8);
    for (const f of examples) {
      const text = readFileSync(path.join(pristineExamples(), f), 'utf8');
      assert.ok(validate(JSON.parse(text)), `${f}: ${JSON.stringify(validate.errors)}`);
      assert.deepEqual(parseModelText(text).problems, [], f);
    }
  });

  const rejected: [string, unknown][] = [
    ['an unknown activation', { layers: [{ units: 2 }, { units: 1, activation: 'sigmod' }], loss: 'sse' }],
    ['an unknown loss', { layers: [{ units: 2 }, { units: 1 }], loss: 'l2' }],
    ['a missing loss', { layers: [{ units: 2 }, { units: 1 }] }],
    ['a fractional unit count', { layers: [{ units: 2.5 }, { units: 1 }], loss: 'sse' }],
    ['an unknown property', { layers: [{ units: 2 }, { units: 1 }], loss: 'sse', optimiser: {} }],
    ['a negative learning rate', { layers: [{ units: 2 }, { units: 1 }], loss: 'sse', optimizer: { learningRate: -1 } }],
    ['an unknown normalization', { layers: [{ units: 2 }, { units: 1 }], loss: 'sse', data: { path: 'a.csv', normalize: 'zscore' } }],
    ['early stopping with a patience of 0', { layers: [{ units: 2 }, { units: 1 }], loss: 'sse', optimizer: { earlyStopping: { patience: 0 } }, data: { path: 'a.csv', validationSplit: 0.2 } }],
    ['early stopping without patience', { layers: [{ units: 2 }, { units: 1 }], loss: 'sse', optimizer: { earlyStopping: { minDelta: 0.1 } }, data: { path: 'a.csv', validationSplit: 0.2 } }],
    ['an unknown early-stopping setting', { layers: [{ units: 2 }, { units: 1 }], loss: 'sse', optimizer: { earlyStopping: { patience: 5, delta: 0.1 } }, data: { path: 'a.csv', validationSplit: 0.2 } }],
    ['an engineered feature that is not a square, product or sine', { layers: [{ units: 3 }, { units: 1 }], loss: 'sse', data: { path: 'a.csv', engineered: ['cos(x1)'] } }],
  ];
  it('accepts early stopping and engineered features written as the README shows, as the checker does', () => {
    const model = { layers: [{ units: 4 }, { units: 1 }], loss: 'sse', optimizer: { earlyStopping: { patience: 50, minDelta: 0.0001, restoreBest: true } }, data: { path: 'a.csv', features: ['x1', 'x2'], engineered: ['x1^2', 'x1*x2'], validationSplit: 0.2 } };
    assert.ok(validate(model), JSON.stringify(validate.errors));
    assert.deepEqual(parseModelText(JSON.stringify(model)).problems, []);
  });
  for (const [what, model] of rejected) {
    it(`rejects ${what}, as the checker does`, () => {
      assert.equal(validate(model), false);
      assert.ok(parseModelText(JSON.stringify(model)).problems.length > 0);
    });
  }
});
