// One rule for the training configuration: the model file, the sidebar's message (host), the
// worker's hyperparameter check, the sweep form and the CLI accept and refuse the same values.
// The expected verdicts are written out here from the rules as the README states them.
import { strict as assert } from 'assert';
import { parseModelText } from '../../src/model/modelFile';
import { MAX_EPOCHS, trainingConfigProblem } from '../../src/model/trainingConfig';
import { checkViewMessage } from '../../src/host/webviewMessages';
import { checkHyperparameters } from '../../src/training/hyperparameters';
import { parseRateList } from '../../src/labs/sweepRequest';
import { checkSweepRequest } from '../../src/host/labMessages';
import { intOption, parseArgs } from '../../src/cli/args';

const modelWith = (optimizer: Record<string, unknown>) => JSON.stringify({ layers: [{ units: 2 }, { units: 1, activation: 'sigmoid' }], loss: 'sse', optimizer });

describe('the training configuration: one rule everywhere', () => {
  const learningRates: [unknown, boolean][] = [
    [0.5, true],
    [1e-6, true],
    [150, true], // the sweep form used to stop at 100, the sidebar at 1e6, the file nowhere
    [1e300, true],
    [0, false],
    [-1, false],
    ['0.1', false],
  ];
  for (const [rate, valid] of learningRates) {
    it(`${valid ? 'accepts' : 'refuses'} the learning rate ${JSON.stringify(rate)} in the model file, the sidebar, the worker and the sweep alike`, () => {
      const file = parseModelText(modelWith({ learningRate: rate })).problems;
      assert.equal(file.length === 0, valid, `model file: ${file.map((p) => p.message).join('; ')}`);
      if (!valid && typeof rate === 'number') assert.match(file[0].message, /optimizer\.learningRate must be a number > 0, got/);
      const sidebar = checkViewMessage({ type: 'setHyperparameters', hyperparameters: { learningRate: rate } });
      assert.equal(sidebar.ok, valid, `sidebar: ${sidebar.ok ? '' : sidebar.reason}`);
      if (!sidebar.ok && typeof rate === 'number') assert.match(sidebar.reason, /"learningRate" must be a number > 0/);
      assert.equal(checkHyperparameters({ learningRate: rate as number }) === undefined, valid, 'worker');
      const sweep = checkSweepRequest({ depths: [1], widths: [4], activations: ['tanh'], learningRates: [rate], epochs: 10 });
      assert.equal(typeof sweep !== 'string', valid, `sweep: ${String(sweep)}`);
      if (typeof rate === 'number') assert.equal(parseRateList(String(rate)).ok, valid, 'sweep form');
    });
  }

  for (const [epochs, valid] of [[1, true], [MAX_EPOCHS, true], [MAX_EPOCHS + 1, false], [0, false], [2.5, false]] as [number, boolean][]) {
    it(`${valid ? 'accepts' : 'refuses'} ${epochs} epochs per run in the model file, the sidebar, the worker and the CLI alike`, () => {
      assert.equal(parseModelText(modelWith({ epochs })).problems.length === 0, valid, 'model file');
      assert.equal(checkViewMessage({ type: 'setHyperparameters', hyperparameters: {}, epochs }).ok, valid, 'sidebar');
      assert.equal(checkViewMessage({ type: 'setHyperparameters', hyperparameters: { epochs } }).ok, valid, 'sidebar, as a hyperparameter');
      assert.equal(checkHyperparameters({ epochs }) === undefined, valid, 'worker');
      const cli = () => intOption(parseArgs(['train', 'm.mlp.json', '--epochs', String(epochs)], { valued: ['epochs'] }), 'epochs', 1, MAX_EPOCHS);
      if (valid) assert.equal(cli(), epochs);
      else assert.throws(cli, /--epochs must be a whole number from 1 to 10000000/);
    });
  }

  it('names the setting and the value it refuses', () => {
    assert.equal(trainingConfigProblem({ momentum: 1 }), '"momentum" must be a number in [0, 1), got 1');
    assert.equal(trainingConfigProblem({ batchSize: -2 }), '"batchSize" must be a whole number ≥ 0 (0: the whole training set), got -2');
    assert.equal(trainingConfigProblem({ type: 'rmsprop' }), '"type" must be one of "sgd", "adam", got "rmsprop"');
    assert.match(trainingConfigProblem({ learnRate: 1 }) ?? '', /unknown setting "learnRate"/);
    assert.equal(trainingConfigProblem({ learningRate: 0.1, shuffle: true, epochs: 3 }), undefined);
  });
});
