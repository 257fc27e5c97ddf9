import * as path from 'node:path';
import { FileError, writableTarget } from '../../node/files';
import { EXPORT_FORMATS, exportModelFile, type ExportFormat, type ExportNames } from '../../node/interopFiles';
import { PRODUCT_VERSION } from '../../productVersion';
import type { Command } from '../command';
import { CliError } from '../cliError';
import { optionValue } from '../args';
import { loadModel, parseOptionsOf } from '../loadModel';
import { loadModelData } from '../modelData';

/**
 * `export MODEL.mlp.json --format onnx|pytorch --out PATH`: the model, with its engineered inputs
 * and saved normalization, as an ONNX file or a PyTorch folder (model.py, model.safetensors)
 * that take the raw features and give what `forward` gives. The class and input names come from
 * the model's data when it loads.
 */
export const exportCommand: Command = {
  name: 'export',
  usage: 'export MODEL [--format onnx|pytorch] [--out PATH] [--max-parameters N]   to ONNX (NAME.onnx) or PyTorch (a folder)',
  options: { valued: ['format', 'out', 'max-parameters'] },
  async run(args, io) {
    const { model, file } = await loadModel(io.cwd, args.positionals[0], parseOptionsOf(args));
    const format = (optionValue(args, 'format') ?? 'onnx') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new CliError(`unknown --format ${JSON.stringify(format)}; expected ${EXPORT_FORMATS.join(' or ')}`);
    const stem = path.basename(file).replace(/\.mlp\.json$/i, '').replace(/\.json$/i, '');
    const given = args.positionals[0];
    const outArg = optionValue(args, 'out') ?? path.join(path.dirname(given), format === 'onnx' ? `${stem}.onnx` : `${stem}-pytorch`);
    const out = path.resolve(io.cwd, outArg);
    const names: ExportNames = {};
    if (model.data) {
      try {
        const data = await loadModelData(model, file, undefined, io.cwd);
        Object.assign(names, { inputNames: data.inputNames, ...(data.classes ? { classes: data.classes } : { outputNames: data.outputNames }) });
      } catch (err) {
        io.info(`note: the model's data did not load, so the export names no classes: ${(err as Error).message}`);
      }
    }
    try {
      if (format === 'onnx') await writableTarget(out);
      const written = await exportModelFile(model, file, format, out, PRODUCT_VERSION, names);
      io.json({ wrote: written.map((w) => shown(io.cwd, w)), format, layers: model.layers.map((l) => l.units) });
    } catch (err) {
      if (err instanceof FileError) throw new CliError(err.reason, path.relative(io.cwd, err.file) || err.file);
      if (err instanceof RangeError) throw new CliError(err.message, given);
      throw err;
    }
  },
};

/** A written file as the user would name it: relative to the working folder when inside it. */
function shown(cwd: string, file: string): string {
  const rel = path.relative(cwd, file).split(path.sep).join('/');
  return rel === '' || rel.startsWith('../') || path.isAbsolute(rel) ? file : rel;
}
