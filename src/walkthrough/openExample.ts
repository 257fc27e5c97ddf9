/**
 * "MLP Inspector: Open Example": opens one of the examples that ship with the extension, from
 * the user's working copy of it in the extension's global storage (see src/node/bundledExamples.ts),
 * so the Getting Started walkthrough works in an empty window, with no folder open. Its arguments
 * come from command links (the walkthrough's buttons, anything that can run a command): both are
 * checked against fixed lists before anything is read or written.
 */
import * as vscode from 'vscode';
import type { Inspector } from '../host/Inspector';
import { Commands } from '../inspector/commands';
import { LabCommands } from '../labs/registerLabs';
import { bundledExampleNames, exampleNameProblem, installExample, restoreExampleFiles } from '../node/bundledExamples';
import { FileError } from '../node/files';

/** The command's id, as contributed in package.json. */
export const OPEN_EXAMPLE = 'mlpInspector.openExample';

/** What to do once the example is open in the inspector (the command's second argument). */
export const EXAMPLE_FOLLOW_UPS = {
  inspect: undefined,
  stepForward: Commands.stepForward,
  showActivationFunctions: LabCommands.showActivationFunctions,
  openInitializationLab: LabCommands.openInitializationLab,
  runArchitectureSweep: LabCommands.runArchitectureSweep,
} as const;
export type ExampleFollowUp = keyof typeof EXAMPLE_FOLLOW_UPS;

/** The command's answer: the working copy it opened, or why it refused (also shown to the user). */
export type OpenExampleResult = { readonly model: string; readonly kept: readonly string[] } | { readonly refused: string };

/** The folder holding the working copies of the examples. */
export function exampleCopiesFolder(globalStorageUri: vscode.Uri): string {
  return vscode.Uri.joinPath(globalStorageUri, 'examples').fsPath;
}

/** Registers "MLP Inspector: Open Example". */
export function registerOpenExample(context: vscode.ExtensionContext, inspector: Inspector, copiesFolder: string): void {
  const examplesFolder = vscode.Uri.joinPath(context.extensionUri, 'examples').fsPath;
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_EXAMPLE, async (name?: unknown, then?: unknown): Promise<OpenExampleResult | undefined> => {
      const names = await bundledExampleNames(examplesFolder);
      // Run from the palette, with no argument: the user picks one.
      const chosen = name === undefined ? await pickExample(names) : name;
      if (chosen === undefined) return undefined;
      const result = await openExample(inspector, examplesFolder, copiesFolder, names, chosen, then ?? 'inspect');
      if ('refused' in result) void vscode.window.showErrorMessage(`MLP Inspector: Open Example: ${result.refused}.`);
      return result;
    }),
  );
}

async function openExample(inspector: Inspector, examplesFolder: string, copiesFolder: string, names: readonly string[], name: unknown, then: unknown): Promise<OpenExampleResult> {
  const problem = exampleNameProblem(name, names);
  if (problem) return { refused: problem };
  if (typeof then !== 'string' || !Object.prototype.hasOwnProperty.call(EXAMPLE_FOLLOW_UPS, then)) {
    return { refused: `${JSON.stringify(then)} is not something to do with an example; one of ${Object.keys(EXAMPLE_FOLLOW_UPS).join(', ')}` };
  }
  let installed;
  try {
    installed = await installExample(examplesFolder, copiesFolder, name as string);
  } catch (err) {
    return { refused: err instanceof FileError ? `${err.file} ${err.reason}` : `the example could not be copied: ${(err as Error).message}` };
  }
  const model = vscode.Uri.file(installed.model);
  if (installed.kept.length > 0) void offerRestore(inspector, examplesFolder, copiesFolder, name as string, installed.kept, model);
  await vscode.commands.executeCommand(Commands.openInspector, model);
  // The user may have kept an unsaved model open instead (Open Inspector asks first).
  if (inspector.uri?.fsPath !== model.fsPath) return { refused: 'the example was not opened: another model with unsaved changes stays open' };
  const followUp = EXAMPLE_FOLLOW_UPS[then as ExampleFollowUp];
  if (followUp) await vscode.commands.executeCommand(followUp, ...(followUp === LabCommands.runArchitectureSweep ? [model] : []));
  return { model: installed.model, kept: installed.kept };
}

/**
 * Says that the user's own copy was opened, and offers the bundled original instead: replacing
 * their copy is asked again in a modal, and unsaved training is asked about as for any model.
 */
async function offerRestore(inspector: Inspector, examplesFolder: string, copiesFolder: string, name: string, kept: readonly string[], model: vscode.Uri): Promise<void> {
  const restore = 'Restore the Original…';
  const choice = await vscode.window.showInformationMessage(
    `MLP Inspector: opened your copy of the example ${name}: ${kept.join(', ')} changed since it was copied into ${copiesFolder}, and is kept as it is.`,
    restore,
  );
  if (choice !== restore) return;
  const replace = 'Replace My Copy';
  const sure = await vscode.window.showWarningMessage(`Replace your copy of ${kept.join(', ')} with the original that ships with MLP Inspector? Your changes to it are lost.`, { modal: true }, replace);
  if (sure !== replace) return;
  if (inspector.uri?.fsPath === model.fsPath) {
    if (!(await inspector.confirmDiscard('restore the original'))) return;
    await inspector.close();
  }
  try {
    await restoreExampleFiles(examplesFolder, copiesFolder, name, kept);
  } catch (err) {
    void vscode.window.showErrorMessage(`MLP Inspector: ${err instanceof FileError ? `${err.file} ${err.reason}` : (err as Error).message}`);
    return;
  }
  await vscode.commands.executeCommand(Commands.openInspector, model);
}

async function pickExample(names: readonly string[]): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n })),
    { title: 'MLP Inspector: Open Example', placeHolder: 'An example that ships with the extension (opened from your own copy of it)' },
  );
  return pick?.label;
}
