/**
 * The run's figures beside the loss, as the panel's loss card and the sidebar's run section show
 * them: R², RMSE and MAE of both splits for a regression model (computed in the worker on every
 * row of each split, in the targets' own units), and why early stopping ended a run. Both views
 * draw them from the same snapshot with these functions, so they never disagree.
 */
import type { RunEpoch } from '../src/analysis/runLog';
import type { TrainingSnapshot } from '../src/training/workerProtocol';
import { csv } from './exporter';
import { el, fmt } from './format';

/** Why R² has no value, as shown (the worker sends null for it). */
const R2_UNDEFINED = 'undefined: every target is the same value';

/**
 * The epoch record whose figures describe the weights the network holds now: the last epoch's,
 * or, after early stopping restored the best epoch's weights, that epoch's.
 */
export function currentRecord(s: TrainingSnapshot): { record: RunEpoch | undefined; restored: boolean } {
  if (s.earlyStop?.restored && s.bestEpoch) return { record: s.bestEpoch, restored: true };
  return { record: s.history[s.history.length - 1], restored: false };
}

/** R² as text: 4 decimals, or why it is undefined. */
export function formatR2(r2: number | null | undefined): string {
  return r2 === null ? R2_UNDEFINED : r2 === undefined ? '—' : fmt(r2, 4);
}

/** The regression figures of a record, one row each, training and validation; empty for classification. */
export function metricRows(record: RunEpoch | undefined): { name: string; train: string; validation: string }[] {
  if (!record || record.rmse === undefined) return [];
  const v = record.valRmse !== undefined;
  return [
    { name: 'R²', train: formatR2(record.r2), validation: v ? formatR2(record.valR2) : '—' },
    { name: 'RMSE', train: fmt(record.rmse, 4), validation: v ? fmt(record.valRmse!, 4) : '—' },
    { name: 'MAE', train: fmt(record.mae!, 4), validation: v ? fmt(record.valMae!, 4) : '—' },
  ];
}

/**
 * The loss card's table: loss and (for regression) R², RMSE and MAE per split, with the epoch
 * they are of. Undefined before the first epoch.
 */
export function figuresTable(s: TrainingSnapshot): HTMLElement | undefined {
  const { record, restored } = currentRecord(s);
  if (!record) return undefined;
  const box = el('div', 'run-figures-box');
  // A paragraph, not a <caption>: a caption wraps to the narrow table's width.
  const caption = el('p', 'hint', restored ? `epoch ${record.epoch}: the restored weights (training went on to epoch ${s.epoch})` : `after epoch ${record.epoch}`);
  caption.id = 'run-figures-caption';
  const table = el('table', 'run-figures');
  table.id = 'run-figures';
  const head = el('tr');
  head.append(el('th'), el('th', undefined, 'training'), el('th', undefined, 'validation'));
  const rows = [
    { name: 'loss J', train: fmt(record.loss, 5), validation: record.valLoss !== undefined ? fmt(record.valLoss, 5) : '—' },
    ...(record.accuracy !== undefined ? [{ name: 'accuracy', train: percent(record.accuracy), validation: record.valAccuracy !== undefined ? percent(record.valAccuracy) : '—' }] : []),
    ...metricRows(record),
  ];
  table.append(head);
  for (const r of rows) {
    const tr = el('tr');
    tr.dataset.metric = r.name;
    tr.append(el('th', undefined, r.name), el('td', undefined, r.train), el('td', undefined, r.validation));
    table.append(tr);
  }
  box.append(caption, table);
  return box;
}

/** A fraction as a percentage with one decimal. */
function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/**
 * Early stopping's part of the run: why it stopped, or, while it watches a run, the best epoch
 * so far and how long since. Undefined when early stopping is off.
 */
export function earlyStoppingNote(s: TrainingSnapshot): HTMLElement | undefined {
  if (s.earlyStop) {
    const p = el('p', 'early-stop stopped', s.earlyStop.message.replace(/^s/, 'S') + '.');
    p.id = 'early-stop';
    p.setAttribute('role', 'status');
    return p;
  }
  const spec = s.hyperparameters.earlyStopping;
  if (!spec) return undefined;
  const best = s.bestEpoch;
  const since = best ? s.epoch - best.epoch : 0;
  const text = best
    ? `Early stopping watches the validation loss: best ${fmt(best.valLoss ?? NaN, 4)} at epoch ${best.epoch}, ${since} of ${spec.patience} epochs without an improvement by more than ${spec.minDelta}.`
    : `Early stopping is on: a run stops after ${spec.patience} epochs without the validation loss improving by more than ${spec.minDelta}${spec.restoreBest ? ', then goes back to the best weights' : ''}.`;
  const p = el('p', 'early-stop hint', text);
  p.id = 'early-stop';
  return p;
}

/**
 * The loss card's CSV: one row per epoch of the history; a regression run's R², RMSE and MAE
 * columns too (an undefined R² as an empty cell).
 */
export function lossCsv(history: readonly RunEpoch[]): string {
  const regression = history.some((e) => e.rmse !== undefined);
  const header = ['epoch', 'loss', 'valLoss', 'accuracy', 'valAccuracy', ...(regression ? ['r2', 'rmse', 'mae', 'valR2', 'valRmse', 'valMae'] : []), 'seconds'];
  return csv(
    header,
    history.map((e) => [e.epoch, e.loss, e.valLoss, e.accuracy, e.valAccuracy, ...(regression ? [e.r2 ?? undefined, e.rmse, e.mae, e.valR2 ?? undefined, e.valRmse, e.valMae] : []), e.seconds]),
  );
}
