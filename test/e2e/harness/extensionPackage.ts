import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
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

/**
 * The files in a .vsix (a zip), by name, with their bytes: read from the zip's central directory,
 * stored or deflated entries only (all vsce writes). Enough to check what a package ships.
 */
export function readVsix(vsix: string): Map<string, Buffer> {
  const zip = fs.readFileSync(vsix);
  // The end-of-central-directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${vsix} is not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${vsix}: bad central directory entry ${n}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${vsix}: ${name} uses zip method ${method}`);
    files.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
