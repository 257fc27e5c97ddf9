// Packages the extension with vsce into .cache/NAME-VERSION.vsix (or the path given) and prints
// the path. The one place that knows vsce's flags; `npm run main` and the UI tests both use it.
//   node scripts/package-vsix.js [OUT.vsix]       (after npm run build)
//
// Only the flags a project without a public repository needs:
// --allow-missing-repository: package.json has no "repository" (vsce would ask y/N on stdin).
// --no-rewrite-relative-links: with no repository URL vsce can rewrite no relative link, and
//   refuses the README's lecture notation (`σ[l](z[l])` reads to it as a link). The README has no
//   relative links (test/unit/manifest.test.ts checks).
// --readme-path: the package's README has its pictures inlined as data: URIs. VS Code's
//   Extensions view resolves a relative picture against its own webview, not the installed
//   extension (the UI test "walkthrough, folder open" saw it break), and there is no HTTPS
//   address to point at; inlined, the README shows its picture offline, from the package alone.
//   README.md itself keeps the relative path, which renders wherever the repository is browsed.
// --no-dependencies: esbuild already bundled everything into dist/.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.resolve(process.argv[2] ?? path.join(root, '.cache', `${manifest.name}-${manifest.version}.vsix`));
fs.mkdirSync(path.dirname(out), { recursive: true });

// vsce takes the README from among the packaged files: dist/README.md (.vscodeignore lets it in).
const readme = path.join('dist', 'README.md');
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(
  path.join(root, readme),
  fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/!\[([^\]]*)\]\(([^)\s:]+\.png)\)/g, (_m, alt, file) => {
    const png = fs.readFileSync(path.join(root, file));
    return `![${alt}](data:image/png;base64,${png.toString('base64')})`;
  }),
);

// vsce packs a folder as it is. In a checkout where `npm run main` was used, examples/ may hold
// a model the user trained and saved: the package ships the examples as git has them, so vsce
// runs in a staging folder with the shipped files and git's examples (outside a git checkout,
// the examples as they are).
const stage = path.join(root, '.cache', 'vsix-stage');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
for (const entry of ['dist', 'media', 'schemas', 'package.json', 'package.nls.json', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) {
  fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
}
let fromGit = false;
try {
  const tracked = execFileSync('git', ['-C', root, 'ls-files', '--', 'examples'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of tracked) {
    fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
    fs.writeFileSync(path.join(stage, file), execFileSync('git', ['-C', root, 'show', `HEAD:${file}`], { maxBuffer: 64 << 20 }));
  }
  fromGit = tracked.length > 0;
} catch {
  fromGit = false; // not a git checkout (an unpacked source archive): the examples as they are
}
if (!fromGit) fs.cpSync(path.join(root, 'examples'), path.join(stage, 'examples'), { recursive: true });

execFileSync(
  process.execPath,
  [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', readme, '--out', out],
  { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] },
);
fs.rmSync(stage, { recursive: true, force: true });
console.log(out);
