/** What a lab's view may do with its host: post messages, and keep its own view state. */
import type { LabToHostMessage } from '../src/labs/labProtocol';
import { vscodeApi } from './vscodeApi';

export interface LabHost<S> {
  post(message: LabToHostMessage): void;
  getState(): S | undefined;
  setState(state: S): void;
}

/** The host as VS Code's webview API offers it. */
export function labHost<S>(): LabHost<S> {
  const api = vscodeApi<S>();
  return { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) };
}
