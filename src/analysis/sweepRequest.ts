/**
 * The sweep form's fields: lists and ranges as a person types them ("1..3", "2, 4, 8",
 * "0.1, 0.5"), and the check the host makes of a request before it trains anything. Pure: the
 * sweep lab's webview imports the parsers for live feedback, the host the check.
 */
import { trainingValueProblem } from '../model/trainingConfig';
import { isActivationName, type ActivationName } from '../engine/activations';
import type { SweepRequest } from '../labs/labProtocol';
import { isObject } from '../engine/jsonValue';

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


function wholeArray(v: unknown, name: string, min: number, max: number): number[] | string {
  if (!Array.isArray(v) || v.length === 0 || v.length > 64) return `${name} must be a list of 1 to 64 whole numbers`;
  for (const x of v) if (!Number.isSafeInteger(x) || (x as number) < min || (x as number) > max) return `${name} must be whole numbers from ${min} to ${max}`;
  return [...new Set(v as number[])];
}

/** Checks a sweep request from a webview: the request, or why it was refused. */
export function checkSweepRequest(raw: unknown): SweepRequest | string {
  if (!isObject(raw)) return 'the sweep request must be an object';
  const depths = wholeArray(raw.depths, 'depths', 0, SWEEP_LIMITS.maxDepth);
  if (typeof depths === 'string') return depths;
  const widths = wholeArray(raw.widths, 'widths', 1, SWEEP_LIMITS.maxWidth);
  if (typeof widths === 'string') return widths;
  if (!Array.isArray(raw.activations) || raw.activations.length === 0 || raw.activations.length > SWEEP_ACTIVATIONS.length) return 'activations must be a list of hidden activations';
  for (const a of raw.activations) if (!isActivationName(a) || !SWEEP_ACTIVATIONS.includes(a)) return `${JSON.stringify(a)} is not a hidden activation the sweep can try`;
  const activations = [...new Set(raw.activations as ActivationName[])];
  if (!Array.isArray(raw.learningRates) || raw.learningRates.length === 0 || raw.learningRates.length > 16) return 'learningRates must be a list of 1 to 16 numbers';
  for (const r of raw.learningRates) {
    const problem = trainingValueProblem('learningRate', r);
    if (problem) return `a learning rate ${problem}`;
  }
  const learningRates = [...new Set(raw.learningRates as number[])];
  if (!Number.isSafeInteger(raw.epochs) || (raw.epochs as number) < 1 || (raw.epochs as number) > SWEEP_LIMITS.maxEpochs) return `epochs must be a whole number from 1 to ${SWEEP_LIMITS.maxEpochs}`;
  const request: SweepRequest = { depths, widths, activations, learningRates, epochs: raw.epochs as number };
  const n = configCount(request);
  if (n > SWEEP_LIMITS.maxConfigs) return `${n} configurations is more than ${SWEEP_LIMITS.maxConfigs}: narrow the ranges`;
  return request;
}
