import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { packageExtension, readVsix } from './harness/extensionPackage';
import { ROOT } from './harness/paths';

// The .vsix that vsce packages, as the Marketplace, Open VSX and `--install-extension` get it:
// the walkthrough needs its pictures and the examples it opens, the listing needs the licence,
// the icon and the changelog, and nothing of the sources or of a user's runs may ride along.
describe('The packaged extension (.vsix)', function () {
  this.timeout(300_000);
  let files: Map<string, Buffer>;
  let manifest: { icon: string; contributes: { walkthroughs: { steps: { media: { svg: string } }[] }[] } };

  before(() => {
    files = readVsix(packageExtension());
    manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
  });

  it('carries the walkthrough: its strings, every step picture, the README picture', () => {
    assert.ok(files.has('extension/package.nls.json'));
    const steps = manifest.contributes.walkthroughs[0].steps;
    assert.strictEqual(steps.length, 7);
    for (const step of steps) {
      const svg = files.get(`extension/${step.media.svg}`);
      assert.ok(svg, `${step.media.svg} is in the package`);
      assert.deepStrictEqual(svg, fs.readFileSync(path.join(ROOT, step.media.svg)));
    }
    // The README's pictures are inlined (scripts/package-vsix.js says why): each is the PNG README.md names.
    const readme = files.get('extension/readme.md')!.toString('utf8');
    const named = [...fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    const inlined = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.strictEqual(inlined.length, named.length);
    assert.ok(named.length >= 1);
    inlined.forEach((src, i) => {
      assert.ok(src.startsWith('data:image/png;base64,'), `picture ${i} is inlined`);
      assert.deepStrictEqual(Buffer.from(src.slice('data:image/png;base64,'.length), 'base64'), fs.readFileSync(path.join(ROOT, named[i])));
    });
    assert.strictEqual(readme.replace(/\(data:image\/png;base64,[^)]+\)/g, '()'), fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\((?![a-z]+:)[^)\s]+\.png\)/g, '()'), 'otherwise the README as written');
  });

  it('carries every example git tracks under examples/ (models, data, lessons) and no run logs or sweeps', () => {
    const tracked = execFileSync('git', ['ls-files', '--', 'examples'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    assert.ok(tracked.length >= 15);
    for (const file of tracked) assert.ok(files.has(`extension/${file}`), `${file} is in the package`);
    const extra = [...files.keys()].filter((f) => /\.runs\/|\.sweeps\/|\.sweep\.json$/.test(f));
    assert.deepStrictEqual(extra, []);
  });

  it('has the licence, the icon (128×128 PNG), the changelog, and no sources', () => {
    assert.match(files.get('extension/LICENSE.txt')!.toString('utf8'), /^MIT License/);
    assert.ok(files.has('extension/changelog.md'));
    const icon = files.get(`extension/${manifest.icon}`)!;
    assert.deepStrictEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    const vsixManifest = files.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/media\/icon\.png"/);
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.License" Path="extension\/LICENSE\.txt"/);
    assert.match(vsixManifest, /<Tags>[^<]*backpropagation/);
    const sources = [...files.keys()].filter((f) => /^extension\/(src|test|webview|node_modules|scripts|bench)\//.test(f) || f.endsWith('.ts'));
    assert.deepStrictEqual(sources, []);
  });
});
