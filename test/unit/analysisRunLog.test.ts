/** The run-metrics file: written, read back, and read tolerantly when lines are damaged. */
import { strict as assert } from 'assert';
import type { EpochRecord } from '../../src/training/workerProtocol';
import { formatRunLogProblem, parseRunLog, runEpochLine, runFileName, runHeaderLine, serializeRunLog, type RunEpoch } from '../../src/analysis/runLog';

const HEADER = { model: 'xor', started: new Date('2025-01-31T09:15:00Z'), hyperparameters: { optimizer: 'sgd', learningRate: 0.5, batchSize: 4, seed: 1 }, sizes: [2, 4, 1] };
const EPOCHS: RunEpoch[] = [
  { epoch: 1, loss: 0.52, accuracy: 0.5, seconds: 0.01 },
  { epoch: 2, loss: 0.49, valLoss: 0.5, accuracy: 0.75, valAccuracy: 0.5, seconds: 0.02 },
  { epoch: 3, loss: 0.31, valLoss: 0.4, seconds: 0.03 },
];

describe('analysis: run log', () => {
  it('one header line, then one line per epoch with only the fields it has', () => {
    const text = serializeRunLog(HEADER, EPOCHS);
    const lines = text.split('\n');
    assert.equal(lines.length, 5); // 4 lines and the final newline
    assert.equal(lines[0], '{"format":"mlp-inspector-run","version":1,"model":"xor","started":"2025-01-31T09:15:00.000Z","hyperparameters":{"optimizer":"sgd","learningRate":0.5,"batchSize":4,"seed":1},"sizes":[2,4,1]}');
    assert.equal(lines[1], '{"epoch":1,"loss":0.52,"accuracy":0.5,"seconds":0.01}');
    assert.equal(lines[2], '{"epoch":2,"loss":0.49,"valLoss":0.5,"accuracy":0.75,"valAccuracy":0.5,"seconds":0.02}');
    assert.equal(lines[4], '');
  });

  it('leaves an EpochRecord’s layer statistics out of its line', () => {
    const record: EpochRecord = { epoch: 3, loss: 0.5, seconds: 0.01, layerStats: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] };
    assert.equal(runEpochLine(record), '{"epoch":3,"loss":0.5,"seconds":0.01}');
  });

  it('reads back what it wrote', () => {
    const log = parseRunLog(serializeRunLog(HEADER, EPOCHS));
    assert.deepEqual(log.problems, []);
    assert.deepEqual(log.epochs, EPOCHS);
    assert.equal(log.header?.model, 'xor');
    assert.equal(log.header?.started, '2025-01-31T09:15:00.000Z');
    assert.deepEqual(log.header?.hyperparameters, HEADER.hyperparameters);
    assert.deepEqual(log.header?.sizes, [2, 4, 1]);
  });

  it('a diverged loss is written as null and read as NaN', () => {
    const line = runEpochLine({ epoch: 4, loss: Infinity, seconds: 1 });
    assert.equal(line, '{"epoch":4,"loss":null,"seconds":1}');
    const log = parseRunLog(runHeaderLine(HEADER) + '\n' + line + '\n');
    assert.ok(Number.isNaN(log.epochs[0].loss));
  });

  it('a malformed line is reported with its line number; the good lines around it are kept', () => {
    const lines = serializeRunLog(HEADER, EPOCHS).split('\n');
    lines[2] = '{"epoch":2,"loss":0.49,,"seconds":0.02}';
    const log = parseRunLog(lines.join('\n'));
    assert.deepEqual(log.epochs.map((e) => e.epoch), [1, 3]);
    assert.equal(log.problems.length, 1);
    assert.equal(log.problems[0].line, 3);
    assert.equal(formatRunLogProblem('xor.runs/a.jsonl', log.problems[0]), 'xor.runs/a.jsonl:3: not valid JSON');
  });

  it('a line cut short at the end (an interrupted run) is named as such', () => {
    const text = serializeRunLog(HEADER, EPOCHS) + '{"epoch":4,"lo';
    const log = parseRunLog(text);
    assert.equal(log.epochs.length, 3);
    assert.deepEqual(log.problems.map((p) => p.line), [5]);
    assert.match(log.problems[0].message, /cut short/);
  });

  it('wrong field types and values name the line and the field', () => {
    const head = runHeaderLine(HEADER);
    const log = parseRunLog([head, '{"epoch":1,"loss":"high","seconds":0}', '{"epoch":2,"loss":0.1,"accuracy":1.5,"seconds":0}', '{"epoch":3,"seconds":0}', '[1,2]', '{"epoch":3,"loss":0.1,"seconds":0}', '{"epoch":3,"loss":0.1,"seconds":0}'].join('\n'));
    assert.deepEqual(
      log.problems.map((p) => [p.line, p.message]),
      [
        [2, 'epoch 1: "loss" must be a number, got "high"'],
        [3, 'epoch 2: "accuracy" must be a fraction from 0 to 1, got 1.5'],
        [4, 'epoch 3: "loss" is missing'],
        [5, 'an epoch line must be an object like {"epoch": 1, "loss": 0.5, "seconds": 0.1}, got an array'],
        [7, 'epoch 3 comes after epoch 3; epochs must increase, so this line is skipped'],
      ],
    );
    assert.deepEqual(log.epochs.map((e) => e.epoch), [3]);
  });

  it('a file without its header still gives its epochs, with the missing header reported at line 1', () => {
    const log = parseRunLog(EPOCHS.map(runEpochLine).join('\r\n') + '\r\n');
    assert.equal(log.header, undefined);
    assert.equal(log.epochs.length, 3);
    assert.deepEqual(log.problems.map((p) => p.line), [1]);
    assert.match(log.problems[0].message, /first line must be the run header/);
  });

  it('a newer version and an empty file are reported', () => {
    const newer = runHeaderLine(HEADER).replace('"version":1', '"version":2');
    assert.match(parseRunLog(newer + '\n').problems[0].message, /version 2 was written by a newer MLP Inspector/);
    assert.deepEqual(parseRunLog('\n\n').problems, [{ line: 1, message: 'the file is empty; a run file starts with a header line' }]);
  });

  it('run file names sort by start time and contain no colons', () => {
    assert.equal(runFileName(new Date('2025-01-31T09:15:00.123Z')), '2025-01-31T09-15-00-123Z.jsonl');
  });
});
