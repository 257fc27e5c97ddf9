/**
 * The Getting Started walkthrough's completion events. A step is done when what it teaches has
 * actually happened, however the user got there (the step's button, the palette, a keybinding):
 * the lab's panel is showing, the example is open in the inspector with its data, a layer was
 * stepped. Each is a context key here, and package.json's steps complete on `onContext:` them
 * (an `onCommand:` event would fire on a click whose command then refused or was cancelled).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { isInsideFolders } from '../host/restoredModelUri';
import { WalkthroughKeys } from './walkthroughKeys';

/** The view types whose panels the walkthrough's steps open. */
const WATCHED_VIEW_TYPES = ['mlpInspector.activationLab', 'mlpInspector.initializationLab', 'mlpInspector.sweepLab', 'mlpInspector.computationGraph'];

/** Watches the editor tabs and the inspector, and sets the walkthrough's keys as things happen. */
export class WalkthroughProgress implements vscode.Disposable {
  private readonly done = new Set<string>();
  private readonly subscriptions: vscode.Disposable;

  constructor(inspector: Inspector, copiesFolder: string) {
    this.subscriptions = vscode.Disposable.from(
      vscode.window.tabGroups.onDidChangeTabs(() => this.checkTabs()),
      inspector.onDidChange(() => {
        const uri = inspector.uri;
        // Opened means usable: the data loaded and a training session runs on it.
        if (!uri || !inspector.session || !isInsideFolders(uri.fsPath, [copiesFolder])) return;
        const name = path.relative(copiesFolder, uri.fsPath).split(path.sep).join('/').replace(/\.mlp\.json$/, '');
        this.markDone(WalkthroughKeys.opened(name));
      }),
      inspector.onStepping(({ stepping, notice }) => {
        if (stepping && !notice) this.markDone(WalkthroughKeys.stepped);
      }),
    );
    this.checkTabs();
  }

  /** Sets a walkthrough key (once per window). */
  markDone(key: string): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  }

  private checkTabs(): void {
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (!(tab.input instanceof vscode.TabInputWebview)) continue;
      // VS Code prefixes the view type in the tab's input (mainThreadWebview-…).
      const viewType = WATCHED_VIEW_TYPES.find((t) => (tab.input as vscode.TabInputWebview).viewType.endsWith(t));
      if (viewType) this.markDone(WalkthroughKeys.shown(viewType));
    }
  }

  dispose(): void {
    this.subscriptions.dispose();
  }
}
