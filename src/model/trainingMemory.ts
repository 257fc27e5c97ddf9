/**
 * The budget on what training holds in memory, beyond the parameter count (parameterBudget.ts):
 * a small network trained on a large set in one batch (`batchSize` 0, the default: the whole
 * training split) keeps every unit's z, a and dL/dz for every row of the batch. A 784-4096-4096-10
 * network has 20 million parameters; on MNIST's 60,000 rows in one batch its activations alone
 * take about 17 GB. Checked once the data is loaded (the batch's rows are known then) and at
 * every edit of the layers or the batch size, with a message that says what to change.
 */
import { parameterCount } from './parameterBudget';

/** The default budget, in MiB. */
export const DEFAULT_MAX_TRAINING_MEMORY_MIB = 2048;

/**
 * Bytes a parameter costs while training: float64 W or b, its gradient and Adam's two moments
 * (4 × 8), and the float32 path's copies of the same (4 × 4). Plain SGD needs less; this is the
 * most any optimizer takes, so a budget that admits a network admits it with every optimizer.
 */
export const BYTES_PER_PARAMETER = 48;

/**
 * Bytes a unit costs for each row of a batch: z, a, dL/da and dL/dz in float64 (the float64
 * engine's forward and backward passes). The float32 path keeps fewer, smaller arrays.
 */
export const BYTES_PER_UNIT_ROW = 32;

/** The rows of one batch: `batchSize`, or the whole training split when 0 or larger. */
export function batchRows(batchSize: number | undefined, trainRows: number): number {
  return batchSize !== undefined && batchSize > 0 && batchSize < trainRows ? batchSize : trainRows;
}

/** Estimated bytes to train a network of these sizes on batches of `rows` rows. */
export function trainingMemoryBytes(sizes: readonly number[], rows: number): { parameters: number; activations: number; total: number } {
  const parameters = BYTES_PER_PARAMETER * parameterCount(sizes);
  const units = sizes.reduce((s, n) => s + n, 0);
  const activations = BYTES_PER_UNIT_ROW * rows * units;
  return { parameters, activations, total: parameters + activations };
}

/** A budget in MiB from a setting or flag: a positive finite number, else the default. */
export function memoryBudgetMiB(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_TRAINING_MEMORY_MIB;
}

/**
 * Why training this network on batches of `batchSize` (0: all `trainRows`) would take more than
 * `maxMiB`, or undefined when it fits.
 */
export function trainingMemoryProblem(
  sizes: readonly number[],
  batchSize: number | undefined,
  trainRows: number,
  maxMiB = DEFAULT_MAX_TRAINING_MEMORY_MIB,
): string | undefined {
  const rows = batchRows(batchSize, trainRows);
  const need = trainingMemoryBytes(sizes, rows);
  if (need.total <= maxMiB * 2 ** 20) return undefined;
  const fmt = (x: number) => x.toLocaleString('en-US');
  const size = (bytes: number) =>
    bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toPrecision(3)} GiB` : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toPrecision(3)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toPrecision(3)} KiB` : `${bytes} bytes`;
  const whole = batchSize === undefined || batchSize <= 0 || batchSize >= trainRows;
  const batch = whole ? `in one batch of all ${fmt(rows)} training rows` : `in batches of ${fmt(rows)} rows`;
  const advice = whole ? 'set a batch size (optimizer.batchSize, e.g. 64)' : 'use a smaller batch size (optimizer.batchSize)';
  return (
    `training the network ${sizes.join('-')} ${batch} needs about ${size(need.total)} ` +
    `(parameters, gradients and optimizer state ${size(need.parameters)}; a batch's activations ${size(need.activations)}), ` +
    `more than the budget of ${fmt(maxMiB)} MiB: ${advice} or smaller layers, or raise the budget ` +
    `(the CLI's --max-memory MIB, the setting mlpInspector.maxTrainingMemoryMiB)`
  );
}
