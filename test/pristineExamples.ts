/**
 * The examples as the repository has them, for tests. A user's `npm run main` works in
 * examples/ itself: run logs in *.runs/, models trained and saved with Save Model. Tests that read
 * examples/ directly would then test the user's files, not the project's.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root (this file compiles to out/test/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

/**
 * Copies the examples into `to`: the files git tracks, as staged (an untouched file as
 * committed). Outside a git checkout it copies the folder, leaving out what the extension writes
 * there (run logs, kept sweeps).
 */
export function copyExamples(to: string): void {
  let files: string[] = [];
  try {
    files = execFileSync('git', ['ls-files', '-z', '--', 'examples'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter((f) => f !== '');
  } catch {
    // not a git checkout (an unpacked source archive): the fallback below
  }
  if (files.length === 0) {
    const generated = /\.(runs|sweeps)$|\.sweep\.json$/;
    fs.cpSync(EXAMPLES, to, { recursive: true, filter: (src) => !generated.test(src) });
    return;
  }
  for (const file of files) {
    const target = path.join(to, path.relative('examples', file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, execFileSync('git', ['show', `:${file}`], { cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024 }));
  }
}

let copy: string | undefined;

/** A pristine copy of examples/ for this test process (made on first use, removed at exit). */
export function pristineExamples(): string {
  if (!copy) {
    const dir = path.join(REPO_ROOT, 'out', 'examples-pristine', String(process.pid));
    fs.rmSync(dir, { recursive: true, force: true });
    copyExamples(dir);
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    copy = dir;
  }
  return copy;
}
