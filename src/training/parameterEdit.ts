/**
 * A parameter set by hand (W[l][i][j] or b[l][j]): its checks and its name in the lecture's
 * notation. One rule for the host, which checks what a webview sends before it goes anywhere,
 * and the worker, which owns the network and checks again before it changes it. Pure: no
 * `vscode`, no DOM.
 */
import { isObject } from '../engine/jsonValue';
import type { ParameterEdit } from './workerProtocol';

/**
 * The largest |value| a hand edit may set. The lecture's gates use ±30; a sigmoid or tanh
 * saturates long before 1e6, and a weight beyond it is a typo that would make z overflow
 * in float32 (≈ 3.4e38) with a few hundred inputs of that size.
 */
export const MAX_EDIT_MAGNITUDE = 1e6;

/** "W[1][0][1]" or "b[2][0]". */
export function parameterName(edit: Pick<ParameterEdit, 'layer' | 'param' | 'i' | 'j'>): string {
  return edit.param === 'W' ? `W[${edit.layer}][${edit.i}][${edit.j}]` : `b[${edit.layer}][${edit.j}]`;
}

/** Why a value cannot be set by hand, or undefined when it can. */
export function editValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'the value must be a number';
  if (!Number.isFinite(value)) return 'the value must be finite';
  if (Math.abs(value) > MAX_EDIT_MAGNITUDE) return `the value must be between −${MAX_EDIT_MAGNITUDE.toExponential()} and ${MAX_EDIT_MAGNITUDE.toExponential()}, not ${value}`;
  return undefined;
}

/**
 * The shape of an edit as a message carries it (layer, param, i, j, value), before the network's
 * sizes are known: the edit, or why it was refused.
 */
export function checkParameterEdit(raw: unknown): ParameterEdit | string {
  if (!isObject(raw)) return 'an edit must be an object';
  const index = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!index(raw.layer) || (raw.layer as number) < 1) return 'layer must be a whole number ≥ 1 (layer 0 is the input: it has no W or b)';
  if (raw.param !== 'W' && raw.param !== 'b') return 'param must be "W" or "b"';
  if (!index(raw.j)) return 'j must be a whole number ≥ 0';
  if (raw.param === 'W' && !index(raw.i)) return 'i must be a whole number ≥ 0 for W';
  if (raw.param === 'b' && raw.i !== undefined) return 'b[l][j] has no i';
  const problem = editValueProblem(raw.value);
  if (problem) return problem;
  const edit: ParameterEdit = { layer: raw.layer as number, param: raw.param, ...(raw.param === 'W' ? { i: raw.i as number } : {}), j: raw.j as number, value: raw.value as number };
  return edit;
}

/** Why the edit does not fit a network of layer sizes n_0, …, n_L, or undefined when it does. */
export function parameterEditProblem(edit: ParameterEdit, sizes: readonly number[]): string | undefined {
  const L = sizes.length - 1;
  const { layer: l, i, j } = edit;
  if (!Number.isSafeInteger(l) || l < 1 || l > L) return `layer ${l} is not in this network: its layers with W and b are 1 to ${L}`;
  if (!Number.isSafeInteger(j) || j < 0 || j >= sizes[l]) return `${parameterName(edit)}: layer ${l} has neurons 0 to ${sizes[l] - 1}, not ${j}`;
  if (edit.param === 'W' && (i === undefined || !Number.isSafeInteger(i) || i < 0 || i >= sizes[l - 1])) return `${parameterName(edit)}: layer ${l - 1} has neurons 0 to ${sizes[l - 1] - 1}, not ${i}`;
  return editValueProblem(edit.value);
}

/** A value as typed into the panel's editor: the number, or why it is not one an edit accepts. */
export function parseEditValue(text: string): number | string {
  const t = text.trim().replace(/^\u2212/, '-');
  if (t === '') return 'type a number, e.g. 20 or -0.5';
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return `"${text.trim()}" is not a number (e.g. 20, -0.5 or 1e-3)`;
  const value = Number(t);
  return editValueProblem(value) ?? value;
}
