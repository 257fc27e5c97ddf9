/**
 * "Import ONNX Model…" and "Export Model…": an MLP from PyTorch, Keras or scikit-learn (through
 * ONNX) into a model file the inspector opens, and the open network out to ONNX or PyTorch.
 * The file work is src/node/interopFiles.ts, shared with the CLI; this is the dialogs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspector } from './Inspector';
import { OnnxImportError } from '../interop/onnxImport';
import { FileError, writableTarget } from '../node/files';
import { writeImportedModel, type ExportFormat } from '../node/interopFiles';
import { DEFAULT_MAX_PARAMETERS } from '../model/parameterBudget';

/** A short text of the layers, "4-8-3 (relu, softmax)". */
function shape(layers: readonly { units: number; activation?: string }[]): string {
  return `${layers.map((l) => l.units).join('-')} (${layers.slice(1).map((l) => l.activation ?? 'identity').join(', ')})`;
}

/**
 * Imports `onnx` (asked for with an Open dialog when absent) into NAME.mlp.json beside it,
 * asking before replacing a file, and opens it in the inspector. Resolves with the model file.
 */
export async function importOnnxModel(insp: Inspector, open: (uri: vscode.Uri) => Promise<void>, onnx?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const source =
    onnx ??
    (
      await vscode.window.showOpenDialog({
        title: 'MLP Inspector: Import ONNX Model',
        openLabel: 'Import',
        canSelectMany: false,
        filters: { 'ONNX models': ['onnx'] },
      })
    )?.[0];
  if (!source) return undefined;
  const base = path.basename(source.fsPath);
  let target = vscode.Uri.file(path.join(path.dirname(source.fsPath), `${base.replace(/\.onnx$/i, '')}.mlp.json`));
  if (fs.existsSync(target.fsPath)) {
    const name = path.basename(target.fsPath);
    const choice = await vscode.window.showWarningMessage(`${name} already exists. Replace it with the model imported from ${base}?`, { modal: true }, 'Replace', 'Save As…');
    if (choice === 'Save As…') {
      const picked = await vscode.window.showSaveDialog({ defaultUri: target, title: `MLP Inspector: Import ${base} as`, filters: { 'MLP Inspector models': ['json'] } });
      if (!picked) return undefined;
      target = picked;
    } else if (choice !== 'Replace') return undefined;
    // Replacing the open model drops its run: ask as for any other reload.
    if (insp.uri?.fsPath === target.fsPath && !(await insp.confirmDiscard(`replace ${name} with the imported model`))) return undefined;
  }
  try {
    await writableTarget(target.fsPath);
    const max = vscode.workspace.getConfiguration('mlpInspector').get<number>('maxParameters', DEFAULT_MAX_PARAMETERS);
    const result = await writeImportedModel(source.fsPath, target.fsPath, { maxParameters: max });
    for (const note of result.notes) void vscode.window.showWarningMessage(`MLP Inspector: ${note}`);
    const s = result.summary;
    const attach = result.model.data ? undefined : 'Attach Dataset…';
    const modelUri = target;
    void vscode.window
      .showInformationMessage(
        `MLP Inspector: imported ${base} (${s.producer}) as ${path.basename(target.fsPath)}: ${shape(s.layers)}, ${s.parameters.toLocaleString('en-US')} parameters, loss ${s.loss}${s.lossFrom === 'metadata' ? '' : ' (guessed from the output)'}.` +
          (attach ? ' Attach a dataset to step and train it.' : ''),
        ...(attach ? [attach] : []),
      )
      .then((picked) => (picked === attach ? vscode.commands.executeCommand('mlpInspector.attachDataset', modelUri) : undefined));
    await open(target);
    return target;
  } catch (err) {
    const where = err instanceof OnnxImportError && err.offset !== undefined ? ` (at byte ${err.offset})` : '';
    const message = err instanceof FileError ? err.message : `${base}${where}: ${(err as Error).message}`;
    void vscode.window.showErrorMessage(`MLP Inspector: cannot import ${base}. ${message}`);
    return undefined;
  }
}

const FORMATS: { format: ExportFormat; label: string; detail: string }[] = [
  { format: 'onnx', label: 'ONNX', detail: 'NAME.onnx: runs in ONNX Runtime, opens in Netron; raw features in, the output out' },
  { format: 'pytorch', label: 'PyTorch', detail: 'a folder with model.py (an nn.Sequential and a train() to go on with) and model.safetensors' },
];

/**
 * Exports the open network (the weights on screen) as `format` to `out`, asking for both when
 * absent. Resolves with the files written.
 */
export async function exportOpenModel(insp: Inspector, format?: ExportFormat, out?: vscode.Uri): Promise<string[] | undefined> {
  const model = insp.uri;
  if (!model) {
    void vscode.window.showInformationMessage('MLP Inspector: open a model first (MLP Inspector: Open Inspector), then export it.');
    return undefined;
  }
  const stem = path.basename(model.fsPath).replace(/\.mlp\.json$/i, '').replace(/\.json$/i, '');
  const chosen =
    format ??
    (await vscode.window.showQuickPick(
      FORMATS.map((f) => ({ ...f, detail: f.detail.replace('NAME', stem) })),
      { title: `MLP Inspector: Export ${stem}`, placeHolder: 'The format to export the network to (the weights on screen)', ignoreFocusOut: true },
    ))?.format;
  if (!chosen) return undefined;
  const target =
    out ??
    (await vscode.window.showSaveDialog({
      title: chosen === 'onnx' ? `MLP Inspector: Export ${stem} to ONNX` : `MLP Inspector: Export ${stem} to PyTorch (a folder)`,
      saveLabel: 'Export',
      defaultUri: vscode.Uri.file(path.join(path.dirname(model.fsPath), chosen === 'onnx' ? `${stem}.onnx` : `${stem}-pytorch`)),
      ...(chosen === 'onnx' ? { filters: { 'ONNX models': ['onnx'] } } : {}),
    }));
  if (!target) return undefined;
  const written = await insp.exportModel(chosen, target.fsPath);
  if (written) {
    const shown = written.map((w) => vscode.workspace.asRelativePath(w)).join(' and ');
    const action = chosen === 'pytorch' ? 'Open model.py' : undefined;
    void vscode.window.showInformationMessage(`MLP Inspector: exported ${stem} to ${shown}.`, ...(action ? [action] : [])).then(async (picked) => {
      if (picked === action) await vscode.window.showTextDocument(vscode.Uri.file(written.find((w) => w.endsWith('model.py'))!));
    });
  }
  return written;
}
