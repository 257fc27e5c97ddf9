/**
 * A run's loss in words, for the panel's announcements to screen readers: "loss 0.031, down 40 %
 * in the last 1,000 epochs". Read off the epoch history (the recent epochs are kept whole there).
 */

/** The fields of an epoch record the trend reads. */
export interface LossPoint {
  readonly epoch: number;
  readonly loss: number;
}

/** A number as a person says it: three significant digits, no trailing zeros. */
function spoken(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'not a number' : x > 0 ? 'infinite' : 'minus infinite';
  return String(Number(x.toPrecision(3)));
}

/**
 * The last loss and how it changed over the last `window` epochs (or since the first record,
 * when the run is shorter): "down 40 %", "up 12 %", or "level" within 1 %.
 */
export function lossTrend(history: readonly LossPoint[], window = 1000): string | undefined {
  const last = history[history.length - 1];
  if (!last) return undefined;
  let base = history[0];
  for (let i = history.length - 2; i >= 0; i--) {
    if (history[i].epoch <= last.epoch - window) {
      base = history[i];
      break;
    }
  }
  const now = `loss ${spoken(last.loss)}`;
  const span = last.epoch - base.epoch;
  if (span <= 0 || !Number.isFinite(base.loss) || !Number.isFinite(last.loss) || base.loss === 0) return now;
  const change = (last.loss - base.loss) / Math.abs(base.loss);
  const percent = Math.round(Math.abs(change) * 100);
  const how = percent < 1 ? 'level' : `${change < 0 ? 'down' : 'up'} ${percent.toLocaleString('en-US')} %`;
  return `${now}, ${how} in the last ${span.toLocaleString('en-US')} epoch${span === 1 ? '' : 's'}`;
}
