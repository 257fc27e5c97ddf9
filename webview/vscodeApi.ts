/** The API VS Code gives a webview script: messages to the host and persisted view state. */
export interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** acquireVsCodeApi may be called once per page; this caches it. */
let api: VsCodeApi<unknown> | undefined;
export function vscodeApi<S>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<S>;
}
