// The inspector panel's script, bundled by esbuild into dist/webview/main.js (an IIFE).
// It renders what the host sends and keeps only view state; the host owns the truth.
import type { HostToPanelMessage, PanelToHostMessage } from '../src/inspector/viewProtocol';
import { PanelApp, type PanelViewState } from './panelApp';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<PanelViewState>();

const app = new PanelApp(document.getElementById('app') ?? document.body, {
  post: (message: PanelToHostMessage) => vscode.postMessage(message),
  getState: () => vscode.getState(),
  setState: (state) => vscode.setState(state),
});

window.addEventListener('message', (event: MessageEvent<HostToPanelMessage>) => app.handle(event.data));

vscode.postMessage({ type: 'ready' } satisfies PanelToHostMessage);
