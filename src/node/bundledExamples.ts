/**
 * The example models that ship inside the extension (`examples/`, `examples/lessons/`), and the
 * user's working copies of them. The extension's own folder is read-only in spirit (an update
 * replaces it), so an example is opened from a copy in the extension's global storage: training,
 * Save Model and run logs then work on the copy, in a window with no folder open too. A copy the
 * user changed (trained and saved, edited) is theirs and is never overwritten here. No `vscode`
 * import: tested like the engine.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isInsideFolders } from '../host/restoredModelUri';
import { FileError, writeFileAtomic } from './files';

/** Sub-folders of `examples/` whose models are examples too (besides `examples/` itself). */
const EXAMPLE_FOLDERS = ['', 'lessons'] as const;
const MODEL_SUFFIX = '.mlp.json';

/**
 * The names of the bundled examples: a model `examples/xor.mlp.json` is `xor`, a lesson
 * `examples/lessons/intro.mlp.json` is `lessons/intro` (always with `/`). Sorted.
 */
export async function bundledExampleNames(examplesDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const folder of EXAMPLE_FOLDERS) {
    const entries = await fsp.readdir(path.join(examplesDir, folder), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith(MODEL_SUFFIX)) names.push((folder ? `${folder}/` : '') + e.name.slice(0, -MODEL_SUFFIX.length));
    }
  }
  return names.sort();
}

/**
 * Why `name` (from a command argument: a walkthrough link, another extension) names no bundled
 * example, or undefined when it does. Only an exact name from the list passes, so no path
 * (`../x`, an absolute path) ever reaches the file system.
 */
export function exampleNameProblem(name: unknown, names: readonly string[]): string | undefined {
  if (typeof name !== 'string') return `the example's name must be a string, not ${name === null ? 'null' : typeof name}`;
  if (names.includes(name)) return undefined;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  return `there is no bundled example called ${JSON.stringify(shown)}; the examples are ${names.join(', ')}`;
}

/** What installing an example did. */
export interface InstalledExample {
  /** The working copy of the model file, to open. */
  readonly model: string;
  /** Files (relative to the copies' folder) written now, from the bundled originals. */
  readonly copied: readonly string[];
  /** Files that were there already and differ from the bundled ones: the user's, left as they are. */
  readonly kept: readonly string[];
}

/**
 * Makes sure `copiesDir` holds a working copy of the example `name` (already checked with
 * exampleNameProblem) and of the data file it names, laid out as in `examplesDir` so that the
 * model's relative `data.path` still works. A missing file is copied (through a temporary file
 * and a rename); an existing one is never replaced.
 */
export async function installExample(examplesDir: string, copiesDir: string, name: string): Promise<InstalledExample> {
  const files = await exampleFiles(examplesDir, name);
  const modelRel = files[0];
  const copied: string[] = [];
  const kept: string[] = [];
  for (const rel of files) {
    const from = path.join(examplesDir, rel);
    const to = path.join(copiesDir, rel);
    const original = await fsp.readFile(from);
    const existing = await fsp.readFile(to).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new FileError(to, `could not be read: ${err.message}`);
    });
    if (existing === undefined) {
      await fsp.mkdir(path.dirname(to), { recursive: true });
      await writeFileAtomic(to, original);
      copied.push(rel);
    } else if (!existing.equals(original)) {
      kept.push(rel);
    }
  }
  return { model: path.join(copiesDir, modelRel), copied, kept };
}

/**
 * Puts the bundled originals of `files` (relative paths, as InstalledExample.kept names them)
 * back over the working copies, through a temporary file and a rename each. Only on the user's
 * explicit word: these are the copies they changed.
 */
export async function restoreExampleFiles(examplesDir: string, copiesDir: string, name: string, files: readonly string[]): Promise<void> {
  const own = await exampleFiles(examplesDir, name);
  for (const rel of files) {
    // Only the example's own files, whatever the caller passes.
    if (!own.includes(rel)) throw new FileError(path.join(copiesDir, rel), `is not a file of the example ${name}`);
    await writeFileAtomic(path.join(copiesDir, rel), await fsp.readFile(path.join(examplesDir, rel)));
  }
}

/** The example's files, relative to examples/: its model file first, then the data file it names. */
async function exampleFiles(examplesDir: string, name: string): Promise<string[]> {
  const modelRel = `${name}${MODEL_SUFFIX}`;
  const files = [modelRel];
  const dataPath = dataPathOf(await fsp.readFile(path.join(examplesDir, modelRel), 'utf8'));
  if (dataPath !== undefined) {
    const dataFile = path.resolve(examplesDir, path.dirname(modelRel), dataPath);
    // Bundled files only: a data path leaving examples/ would copy some other file into storage.
    if (!isInsideFolders(dataFile, [examplesDir])) throw new FileError(path.join(examplesDir, modelRel), `names the data set ${dataPath}, which is not inside the bundled examples`);
    files.push(path.relative(examplesDir, dataFile));
  }
  return files;
}

/** The `data.path` a bundled model file names, if any (bundled files are valid JSON). */
function dataPathOf(modelText: string): string | undefined {
  const parsed = JSON.parse(modelText) as { data?: { path?: unknown } };
  const p = parsed.data?.path;
  return typeof p === 'string' ? p : undefined;
}
