import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, ROOT } from './paths';
import { codeServerEntry } from './setup';
import type { RunDirs } from './runDirs';

let built = false;

/**
 * Builds dist/ with `npm run build`, once per process. Set MLP_E2E_SKIP_BUILD=1 when the caller
 * has just built (CI's `npm test` does) to save the rebuild.
 */
export function buildExtension(): void {
  if (built || process.env.MLP_E2E_SKIP_BUILD === '1') {
    return;
  }
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  built = true;
}

/** Builds, then packages the extension with vsce into .cache/ (scripts/package-vsix.js); returns the .vsix path. */
export function packageExtension(): string {
  buildExtension();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(CACHE, `${manifest.name}-${manifest.version}.vsix`);
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package-vsix.js'), vsix], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}

/** Installs a .vsix into the run's own extensions folder, the way a user would. */
export function installExtension(csDir: string, dirs: RunDirs, vsix: string): void {
  execFileSync(
    process.execPath,
    [codeServerEntry(csDir), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force'],
    { cwd: dirs.root, env: dirs.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
