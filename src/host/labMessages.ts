/**
 * Validation of what the labs' webviews send. Each lab accepts only its own messages; anything
 * else is refused with a reason (the panel logs it), never acted on. No `vscode` import.
 */
import type { LabName, LabToHostMessage } from '../labs/labProtocol';
import { checkExportMessage } from './webviewMessages';
import { checkSweepRequest } from '../analysis/sweepRequest';

/** The message as a typed value, or the reason it was refused. */
export type CheckedLabMessage = { ok: true; message: LabToHostMessage } | { ok: false; reason: string };

/** The message types each lab may send. */
const ACCEPTS: Record<LabName, readonly LabToHostMessage['type'][]> = {
  activations: ['ready', 'showCollapse', 'export'],
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
