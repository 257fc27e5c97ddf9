/**
 * The training-memory budget: the estimate worked out by hand from the layer sizes and the batch,
 * and the message that says what to change.
 */
import * as assert from 'node:assert/strict';
import { batchRows, trainingMemoryBytes, trainingMemoryProblem, memoryBudgetMiB, DEFAULT_MAX_TRAINING_MEMORY_MIB } from '../../src/model/trainingMemory';

describe('training-memory budget', () => {
  it('a batch is batchSize rows, or the whole training split for 0 or anything larger', () => {
    assert.equal(batchRows(32, 1000), 32);
    assert.equal(batchRows(0, 1000), 1000);
    assert.equal(batchRows(undefined, 1000), 1000);
    assert.equal(batchRows(5000, 1000), 1000);
  });

  it('estimates 48 bytes a parameter and 32 bytes a unit for each row of a batch', () => {
    // 784-128-10: 784·128 + 128 + 128·10 + 10 = 101,770 parameters; 922 units.
    const m = trainingMemoryBytes([784, 128, 10], 60_000);
    assert.equal(m.parameters, 48 * 101_770);
    assert.equal(m.activations, 32 * 922 * 60_000);
    assert.equal(m.total, 48 * 101_770 + 32 * 922 * 60_000);
  });

  it('MNIST (60,000 rows) in one batch: 784-128-10 fits the default 2 GiB, 784-1024-10 does not; batches fix it', () => {
    // 784-128-10: 48·101,770 + 32·922·60,000 = 1,775,124,960 bytes, 1.65 GiB.
    assert.equal(trainingMemoryProblem([784, 128, 10], 0, 60_000), undefined);
    // 784-1024-10: 814,090 parameters (39,076,320 bytes) + 32·1,818·60,000 = 3,490,560,000 bytes: 3.3 GiB.
    const p = trainingMemoryProblem([784, 1024, 10], 0, 60_000);
    assert.match(p ?? '', /^training the network 784-1024-10 in one batch of all 60,000 training rows needs about 3\.29 GiB \(parameters, gradients and optimizer state 37\.3 MiB; a batch's activations 3\.25 GiB\), more than the budget of 2,048 MiB: set a batch size/);
    assert.equal(trainingMemoryProblem([784, 1024, 10], 64, 60_000), undefined);
    // Batches of 30,000: 39,076,320 + 1,745,280,000 = 1,784,356,320 bytes (1.7 GiB): inside 2 GiB, over 1 GiB.
    assert.equal(trainingMemoryProblem([784, 1024, 10], 30_000, 60_000), undefined);
    assert.match(trainingMemoryProblem([784, 1024, 10], 30_000, 60_000, 1024) ?? '', /in batches of 30,000 rows needs about 1\.66 GiB .*budget of 1,024 MiB: use a smaller batch size/);
  });

  it('a budget from a setting is a positive number, else the default', () => {
    assert.equal(memoryBudgetMiB(512), 512);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '4096', undefined]) assert.equal(memoryBudgetMiB(bad), DEFAULT_MAX_TRAINING_MEMORY_MIB);
  });
});
