/**
 * The sweep form's fields: lists and ranges as a person types them ("1..3", "2, 4, 8",
 * "0.1, 0.5"), and the sweep's limits. Pure: the sweep lab's webview parses its fields with them
 * for live feedback; the host checks the request it sends (src/host/labMessages.ts) with the
 * same limits before it trains anything.
 */
import { trainingValueProblem } from '../model/trainingConfig';
import type { ActivationName } from '../engine/activations';
import type { SweepRequest } from './labProtocol';

/** Limits that keep a sweep something one waits for, not something one leaves overnight. */
export const SWEEP_LIMITS = { maxDepth: 8, maxWidth: 1024, maxEpochs: 1_000_000, maxConfigs: 200 } as const;

/** The hidden activations a sweep may try (softmax is an output activation, not a hidden one). */
export const SWEEP_ACTIVATIONS: readonly ActivationName[] = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu', 'gelu', 'identity'];

/** A parsed field: its values, or what is wrong with the text. */
export type Parsed<T> = { ok: true; values: T[] } | { ok: false; error: string };

/**
 * Whole numbers as a comma-separated list of numbers and inclusive ranges: "1..3, 5" is
 * [1, 2, 3, 5]; "2-4" reads as a range too. Sorted, without repeats.
 */
export function parseWholeList(text: string, min: number, max: number): Parsed<number> {
  const out = new Set<number>();
  const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'enter at least one number' };
  for (const part of parts) {
    const range = /^(\d+)\s*(?:\.\.|-|–)\s*(\d+)$/.exec(part);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (lo > hi) return { ok: false, error: `"${part}": the range goes down` };
      if (lo < min || hi > max) return { ok: false, error: `"${part}": use whole numbers from ${min} to ${max}` };
      if (hi - lo > 1000) return { ok: false, error: `"${part}": too many values` };
      for (let v = lo; v <= hi; v++) out.add(v);
      continue;
    }
    if (!/^\d+$/.test(part)) return { ok: false, error: `"${part}" is not a whole number or a range like 1..3` };
    const v = Number(part);
    if (v < min || v > max) return { ok: false, error: `"${part}": use whole numbers from ${min} to ${max}` };
    out.add(v);
  }
  return { ok: true, values: [...out].sort((a, b) => a - b) };
}

/** Positive numbers as a comma-separated list ("0.1, 0.5, 1e-3"), in the order given, without repeats. */
export function parseRateList(text: string): Parsed<number> {
  const out: number[] = [];
  const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'enter at least one learning rate' };
  for (const part of parts) {
    const v = Number(part);
    const problem = trainingValueProblem('learningRate', v);
    if (problem) return { ok: false, error: `"${part}": a learning rate ${problem}` };
    if (!out.includes(v)) out.push(v);
  }
  return { ok: true, values: out };
}

/**
 * How many configurations a request makes (as sweepConfigs counts them: depth 0 has no width or
 * hidden activation, so it is trained once per learning rate).
 */
export function configCount(r: Pick<SweepRequest, 'depths' | 'widths' | 'activations' | 'learningRates'>): number {
  const deep = r.depths.filter((d) => d > 0).length;
  const shallow = r.depths.includes(0) ? 1 : 0;
  return (deep * r.widths.length * Math.max(1, r.activations.length) + shallow) * Math.max(1, r.learningRates.length);
}
