import * as path from 'node:path';
import { ModelFileError, parseModelFile, type ModelFile, type ParseOptions } from '../model/modelFile';
import { FileError, readTextFile } from '../node/files';
import { CliError } from './cliError';
import { intOption, type ParsedArgs } from './args';
import { DEFAULT_MAX_TRAINING_MEMORY_MIB } from '../model/trainingMemory';

/** Reads and checks a model file, turning every failure into a one-line CliError. */
export async function loadModel(cwd: string, file: string | undefined, options: ParseOptions = {}): Promise<{ model: ModelFile; file: string }> {
  if (!file) throw new CliError('missing MODEL: the path of a *.mlp.json file');
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readTextFile(abs);
  } catch (err) {
    if (err instanceof FileError) throw new CliError(err.reason, err.at ? `${file}:${err.at.line}:${err.at.column}` : file);
    throw err;
  }
  try {
    return { model: parseModelFile(text, file, options), file: abs };
  } catch (err) {
    if (err instanceof ModelFileError) {
      const p = err.problems[0];
      const more = err.problems.length > 1 ? ` (and ${err.problems.length - 1} more problem${err.problems.length > 2 ? 's' : ''})` : '';
      throw new CliError(p.message + more, `${file}:${p.line}:${p.column}`);
    }
    throw err;
  }
}

/**
 * `--max-parameters N`: the network-size budget for this command (default
 * DEFAULT_MAX_PARAMETERS), for every command that builds a network from a model file.
 */
export function parseOptionsOf(args: ParsedArgs): ParseOptions {
  const max = intOption(args, 'max-parameters', 1);
  return max !== undefined ? { maxParameters: max } : {};
}

/** `--max-memory MIB`: the training-memory budget (default DEFAULT_MAX_TRAINING_MEMORY_MIB). */
export function maxMemoryOf(args: ParsedArgs): number {
  return intOption(args, 'max-memory', 1) ?? DEFAULT_MAX_TRAINING_MEMORY_MIB;
}
