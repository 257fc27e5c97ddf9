import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { checkViewMessage } from '../host/webviewMessages';
import { Commands } from './commands';
import * as path from 'node:path';
import { saveExport } from '../host/saveExport';

/**
 * Acts on a message from the panel or the sidebar, after validating it; `onReady` answers the
 * handshake. Both views offer the same actions, and every action goes through its command, so
 * a button does exactly what the palette does.
 */
export function handleViewMessage(raw: unknown, inspector: Inspector, onReady: () => void, from: string, onDrawn: () => void = () => undefined): void {
  const checked = checkViewMessage(raw);
  if (!checked.ok) {
    console.warn(`MLP Inspector: ignored a message from the ${from}: ${checked.reason}`);
    return;
  }
  const m = checked.message;
  switch (m.type) {
    case 'ready':
      onReady();
      return;
    case 'drawn':
      onDrawn();
      return;
    case 'command':
      void vscode.commands.executeCommand(Commands[m.command]);
      return;
    case 'selectSample':
      void inspector.selectSample(m.index);
      return;
    case 'mapAxes':
      void inspector.setMapAxes(m.axes);
      return;
    case 'setHyperparameters':
      void inspector.setHyperparameters(m.hyperparameters, m.epochs);
      return;
    case 'setLayers':
      void inspector.setLayers(m.layers);
      return;
    case 'setParameter':
      void inspector.setParameter(m.edit);
      return;
    case 'setEngineered':
      void inspector.setEngineered(m.engineered);
      return;
    case 'customSample':
      void inspector.useCustomSample(m.x, m.y);
      return;
    case 'export':
      void saveExport(inspector.uri ? vscode.Uri.file(path.dirname(inspector.uri.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri, m.format, m.name, m.data);
      return;
    default: {
      const unexpected: never = m;
      console.warn(`MLP Inspector: unexpected message from the ${from}: ${String(unexpected)}`);
    }
  }
}
