/**
 * Validation of what the computation graph panel sends. As with the inspector
 * (src/host/webviewMessages.ts), a message is checked for shape and size before the host acts on
 * it; anything else is refused with a reason.
 */
import type { GraphAction, GraphToHostMessage } from '../graph/graphProtocol';
import { isObject } from '../engine/jsonValue';

const ACTIONS: readonly GraphAction[] = ['forwardStep', 'backwardStep', 'runAll', 'reset'];

/** Longest text accepted in a message; the session applies the expression's own, smaller limit. */
export const MAX_MESSAGE_TEXT = 10_000;

/** The message as a typed value, or a reason it was refused. */
export type CheckedGraphMessage = { ok: true; message: GraphToHostMessage } | { ok: false; reason: string };


/** Checks one message from the graph panel. */
export function checkGraphMessage(raw: unknown): CheckedGraphMessage {
  if (!isObject(raw) || typeof raw.type !== 'string') return { ok: false, reason: 'not an object with a "type"' };
  switch (raw.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'graphAction':
      if (typeof raw.action !== 'string' || !(ACTIONS as readonly string[]).includes(raw.action)) {
        return { ok: false, reason: `unknown graph action ${JSON.stringify(raw.action)}` };
      }
      return { ok: true, message: { type: 'graphAction', action: raw.action as GraphAction } };
    case 'setExpression':
      if (typeof raw.expression !== 'string' || typeof raw.valuesText !== 'string') {
        return { ok: false, reason: 'setExpression needs the strings "expression" and "valuesText"' };
      }
      if (raw.expression.length > MAX_MESSAGE_TEXT || raw.valuesText.length > MAX_MESSAGE_TEXT) {
        return { ok: false, reason: `setExpression text longer than ${MAX_MESSAGE_TEXT} characters` };
      }
      return { ok: true, message: { type: 'setExpression', expression: raw.expression, valuesText: raw.valuesText } };
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(raw.type)}` };
  }
}

/** What the panel keeps with setState, so the serializer can rebuild the graph after a reload. */
export interface GraphPanelPersistedState {
  readonly expression: string;
  readonly valuesText: string;
}

/** The persisted state if `raw` has its shape (it comes back from the webview), else undefined. */
export function readPersistedState(raw: unknown): GraphPanelPersistedState | undefined {
  if (!isObject(raw) || typeof raw.expression !== 'string' || typeof raw.valuesText !== 'string') return undefined;
  if (raw.expression.length > MAX_MESSAGE_TEXT || raw.valuesText.length > MAX_MESSAGE_TEXT) return undefined;
  return { expression: raw.expression, valuesText: raw.valuesText };
}
