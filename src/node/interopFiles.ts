/**
 * Import and export on the file system, shared by the CLI and the extension host: reading an
 * ONNX file (and its external data, only from the model's own folder), and writing a model file,
 * an ONNX file or a PyTorch folder through temporary files and renames.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { importOnnx, OnnxImportError, type ImportSummary } from '../interop/onnxImport';
import { exportOnnx } from '../interop/onnxExport';
import { modelFromPortable } from '../interop/modelFromPortable';
import { pytorchExport } from '../interop/pytorchExport';
import { portableModelOf } from '../interop/portableModel';
import { parseModelText, serializeModel, type ModelFile, type ParseOptions } from '../model/modelFile';
import { FileError, openRegularFile, writeFileAtomic } from './files';

/** The largest ONNX file read (its external data aside): 40 MB of float32 per 10 M parameters, with room. */
export const MAX_ONNX_BYTES = 512 * 1024 * 1024;

/** What an import wrote, or would write. */
export interface ImportResult {
  readonly model: ModelFile;
  readonly text: string;
  readonly summary: ImportSummary;
  /** Things the user should know (settings from the file that could not be kept). */
  readonly notes: readonly string[];
}

/** Reads an ONNX file and turns it into a checked model file's text. Throws OnnxImportError or FileError. */
export async function importOnnxFile(onnxFile: string, options: ParseOptions = {}): Promise<ImportResult> {
  const { handle, size } = await openRegularFile(onnxFile);
  let bytes: Uint8Array;
  try {
    if (size > MAX_ONNX_BYTES) throw new FileError(onnxFile, `is ${(size / 2 ** 20).toFixed(0)} MiB; an ONNX file may be at most ${MAX_ONNX_BYTES / 2 ** 20} MiB (keep large weights as external data)`);
    bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    bytes = bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
  const dir = fs.realpathSync(path.dirname(onnxFile));
  const imported = importOnnx(bytes, (location, offset, length) => readExternal(dir, location, offset, length));
  const base = path.basename(onnxFile);
  const description = `Imported from ${base} (${imported.summary.producer}, opset ${imported.summary.opset}).`;
  const notes: string[] = [];
  // Exporters name the graph after themselves ("torch_jit", "main_graph", "tf2onnx"); the file's
  // name says more, except for a model MLP Inspector wrote, whose graph carries the model's name.
  const ours = imported.summary.producer.startsWith('mlp-inspector') && imported.portable.name;
  const portable = { ...imported.portable, name: ours ? imported.portable.name : base.replace(/\.onnx$/i, '') };
  const build = (training: unknown) => {
    const model = modelFromPortable(portable, training, description);
    // The parameters are finite and shaped by the layers by construction; checking the rest
    // alone keeps a 2-million-weight import from parsing its own 40 MB of output again.
    const { parameters: _p, ...rest } = model;
    return { model, problems: parseModelText(serializeModel(rest as ModelFile), options).problems };
  };
  let built: ReturnType<typeof build>;
  try {
    built = build(imported.training);
  } catch (err) {
    throw new OnnxImportError((err as Error).message);
  }
  if (built.problems.length > 0 && imported.training !== undefined) {
    // Settings carried in the metadata that this version cannot use: keep the network, say so.
    notes.push(`the training settings in the file's metadata were left out: ${built.problems[0].message}`);
    try {
      built = build(undefined);
    } catch (err) {
      throw new OnnxImportError((err as Error).message);
    }
  }
  if (built.problems.length > 0) throw new OnnxImportError(built.problems[0].message);
  return { model: built.model, text: serializeModel(built.model), summary: imported.summary, notes };
}

/** Imports `onnxFile` and writes the model file `outFile` (atomically). */
export async function writeImportedModel(onnxFile: string, outFile: string, options: ParseOptions = {}): Promise<ImportResult> {
  const result = await importOnnxFile(onnxFile, options);
  await writeFileAtomic(outFile, result.text);
  return result;
}

function readExternal(dir: string, location: string, offset: number, length: number | undefined): Uint8Array {
  const file = path.join(dir, location);
  const real = fs.realpathSync(file);
  if (real !== dir && !real.startsWith(dir + path.sep)) throw new Error(`it resolves to ${real}, outside the model's folder`);
  const stat = fs.statSync(real);
  if (!stat.isFile()) throw new Error('it is not a regular file');
  const n = length ?? stat.size - offset;
  if (offset + n > stat.size) throw new Error(`it has ${stat.size} bytes, and the tensor needs bytes ${offset} to ${offset + n}`);
  if (n > MAX_ONNX_BYTES) throw new Error(`the tensor would take ${n} bytes`);
  const fd = fs.openSync(real, 'r');
  try {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const read = fs.readSync(fd, out, at, n - at, offset + at);
      if (read === 0) break;
      at += read;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/** The formats a model exports to. */
export const EXPORT_FORMATS = ['onnx', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Names the exported model carries, when the caller knows them (from the model's data). */
export interface ExportNames {
  readonly inputNames?: readonly string[];
  readonly classes?: readonly string[];
  readonly outputNames?: readonly string[];
}

/**
 * The model file's training settings for the ONNX metadata, with its data path made relative to
 * where the ONNX file goes, so that importing it beside the ONNX file finds the same data.
 */
export function trainingMetadata(model: ModelFile, modelFile: string, outFile: string): string {
  let data = model.data;
  if (data?.path !== undefined && !path.isAbsolute(data.path)) {
    const moved = path.relative(path.dirname(path.resolve(outFile)), path.resolve(path.dirname(modelFile), data.path)).split(path.sep).join('/');
    data = { ...data, path: moved };
  }
  return JSON.stringify({ ...(data ? { data } : {}), ...(model.optimizer ? { optimizer: model.optimizer } : {}), ...(model.description !== undefined ? { description: model.description } : {}) });
}

/**
 * Exports `model` (read from `modelFile`) to `out`: an ONNX file, or a folder with model.py and
 * model.safetensors (created if missing; each file written atomically). Returns the files written.
 */
export async function exportModelFile(model: ModelFile, modelFile: string, format: ExportFormat, out: string, producerVersion: string, names: ExportNames = {}): Promise<string[]> {
  const portable = portableModelOf(model, names);
  if (format === 'onnx') {
    await writeFileAtomic(out, exportOnnx(portable, { producerVersion, training: trainingMetadata(model, modelFile, out) }));
    return [out];
  }
  const existing = await fsp.stat(out).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new FileError(out, 'is a file; a PyTorch export is a folder (model.py and model.safetensors)');
  await fsp.mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const f of pytorchExport(portable).files) {
    const file = path.join(out, f.name);
    await writeFileAtomic(file, f.bytes);
    written.push(file);
  }
  return written;
}
