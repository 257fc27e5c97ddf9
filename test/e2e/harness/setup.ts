import { execFileSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './paths';

let codeServerDir: string | undefined;

/**
 * Runs scripts/setup-e2e.sh (idempotent: seconds when everything is there) and returns the
 * folder holding the pinned code-server. Called by every runner, so a fresh clone just works.
 */
export function ensureE2eSetup(): string {
  if (codeServerDir === undefined) {
    const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-e2e.sh'), '--print-dir'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    const lines = out.trim().split('\n');
    codeServerDir = lines[lines.length - 1];
  }
  return codeServerDir;
}

/** The code-server entry script inside the folder `ensureE2eSetup` returns. */
export function codeServerEntry(csDir: string): string {
  return path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}
