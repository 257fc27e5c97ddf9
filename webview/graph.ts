// The computation graph panel's script, bundled by esbuild into dist/webview/graph.js (an IIFE).
// It renders the snapshots the host sends and keeps only view state; the host owns the graph.
import type { GraphToHostMessage, HostToGraphMessage } from '../src/graph/graphProtocol';
import { GraphApp, type GraphViewState } from './graphApp';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<GraphViewState>();

const app = new GraphApp(document.getElementById('app') ?? document.body, {
  post: (message: GraphToHostMessage) => vscode.postMessage(message),
  getState: () => vscode.getState(),
  setState: (state) => vscode.setState(state),
});

window.addEventListener('message', (event: MessageEvent<HostToGraphMessage>) => app.handle(event.data));

vscode.postMessage({ type: 'ready' } satisfies GraphToHostMessage);
