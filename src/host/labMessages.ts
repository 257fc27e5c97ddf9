/**
 * Validation of what the labs' webviews send. Each lab accepts only its own messages; anything
 * else is refused with a reason (the panel logs it), never acted on. No `vscode` import.
 */
import type { LabName, LabToHostMessage } from '../labs/labProtocol';
import { checkExportMessage } from './webviewMessages';
import { configCount, SWEEP_ACTIVATIONS, SWEEP_LIMITS } from '../labs/sweepRequest';
import type { SweepRequest } from '../labs/labProtocol';
import { isActivationName, type ActivationName } from '../engine/activations';
import { isObject } from '../engine/jsonValue';
import { trainingValueProblem } from '../model/trainingConfig';

/** The message as a typed value, or the reason it was refused. */
export type CheckedLabMessage = { ok: true; message: LabToHostMessage } | { ok: false; reason: string };

/** The message types each lab may send. */
const ACCEPTS: Record<LabName, readonly LabToHostMessage['type'][]> = {
  activations: ['ready', 'showCollapse', 'askCurves', 'askSoftmax', 'export'],
  initialization: ['ready', 'export'],
  sweep: ['ready', 'runSweep', 'cancelSweep', 'openBest', 'compareSweep', 'export'],
};

/** Checks one message from the lab `lab`. */
export function checkLabMessage(raw: unknown, lab: LabName): CheckedLabMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof (raw as { type?: unknown }).type !== 'string') return { ok: false, reason: 'not an object with a "type"' };
  const r = raw as Record<string, unknown>;
  const type = r.type as string;
  if (!(ACCEPTS[lab] as readonly string[]).includes(type)) return { ok: false, reason: `the ${lab} lab does not send ${JSON.stringify(type)}` };
  switch (type as LabToHostMessage['type']) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'showCollapse':
      return { ok: true, message: { type: 'showCollapse' } };
    case 'askCurves': {
      const alpha = r.alpha;
      if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 10)) return { ok: false, reason: 'askCurves needs ELU’s α, a number in (0, 10]' };
      return { ok: true, message: { type: 'askCurves', alpha } };
    }
    case 'askSoftmax': {
      const z = r.z;
      if (!Array.isArray(z) || z.length < 1 || z.length > 10 || !z.every((v) => typeof v === 'number' && Number.isFinite(v))) return { ok: false, reason: 'askSoftmax needs 1 to 10 finite numbers' };
      return { ok: true, message: { type: 'askSoftmax', z: z as number[] } };
    }
    case 'cancelSweep':
      return { ok: true, message: { type: 'cancelSweep' } };
    case 'openBest':
      return { ok: true, message: { type: 'openBest' } };
    case 'runSweep': {
      const request = checkSweepRequest(r.request);
      return typeof request === 'string' ? { ok: false, reason: request } : { ok: true, message: { type: 'runSweep', request } };
    }
    case 'compareSweep': {
      // A file name the host listed (it checks that too), or null; never a path.
      const id = r.id;
      if (id === null) return { ok: true, message: { type: 'compareSweep', id: null } };
      if (typeof id !== 'string' || id.length > 200 || !/^[\w.-]+\.sweep\.json$/.test(id)) return { ok: false, reason: 'compareSweep needs the file name of an earlier sweep, or null' };
      return { ok: true, message: { type: 'compareSweep', id } };
    }
    case 'export':
      return checkExportMessage(r);
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(type)}` };
  }
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
