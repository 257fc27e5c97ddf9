import * as path from 'node:path';
import { OnnxImportError } from '../../interop/onnxImport';
import { FileError, writableTarget } from '../../node/files';
import { writeImportedModel } from '../../node/interopFiles';
import type { Command } from '../command';
import { CliError } from '../cliError';
import { optionValue } from '../args';
import { parseOptionsOf } from '../loadModel';

/**
 * `import MODEL.onnx --out NAME.mlp.json`: an MLP trained elsewhere (PyTorch, Keras, scikit-learn
 * through their ONNX exporters) as a model file, with a JSON summary on stdout. A graph that is
 * not an MLP is refused with one line naming the first operator or node in the way, and nothing
 * is written.
 */
export const importCommand: Command = {
  name: 'import',
  usage: 'import MODEL.onnx [--out NAME.mlp.json] [--max-parameters N]   an ONNX MLP as a model file (default: beside it)',
  options: { valued: ['out', 'max-parameters'] },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new CliError('missing MODEL.onnx: the path of an ONNX file');
    const abs = path.resolve(io.cwd, file);
    const outArg = optionValue(args, 'out') ?? path.join(path.dirname(file), `${path.basename(file).replace(/\.onnx$/i, '')}.mlp.json`);
    const out = path.resolve(io.cwd, outArg);
    try {
      await writableTarget(out);
      const result = await writeImportedModel(abs, out, parseOptionsOf(args));
      for (const note of result.notes) io.info(`note: ${note}`);
      io.json({ wrote: outArg, ...result.summary });
    } catch (err) {
      if (err instanceof OnnxImportError) throw new CliError(err.message, err.offset !== undefined ? `${file}: byte ${err.offset}` : file);
      if (err instanceof FileError) throw new CliError(err.reason, err.file === abs ? file : path.relative(io.cwd, err.file) || err.file);
      throw err;
    }
  },
};
