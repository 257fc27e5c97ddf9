// package.json as VS Code and the Marketplace read it: every string it shows comes from
// package.nls.json, and the Getting Started walkthrough's pictures, buttons and completion events
// point at things that exist.
import { strict as assert } from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { bundledExampleNames } from '../../src/node/bundledExamples';
import { exampleKey } from '../../src/walkthrough/walkthroughKeys';
import { REPO_ROOT, pristineExamples } from '../pristineExamples';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; altText?: string; markdown?: string };
  completionEvents: string[];
}
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const text = (s: string): string => nls[/^%(.+)%$/.exec(s)?.[1] ?? ''] ?? assert.fail(`${s} is not a %key% of package.nls.json`);
const steps = (): Step[] => pkg.contributes.walkthroughs[0].steps;

describe('the manifest (package.json, package.nls.json)', () => {
  it('takes every command title and category, view name and setting description from package.nls.json, and every key there is used', () => {
    const c = pkg.contributes;
    const shown = [
      ...c.commands.flatMap((cmd: { title: string; category: string }) => [cmd.title, cmd.category]),
      ...c.viewsContainers.activitybar.map((v: { title: string }) => v.title),
      ...c.views.mlpInspector.map((v: { name: string }) => v.name),
      c.configuration.title,
      ...Object.values(c.configuration.properties).map((p) => (p as { description: string }).description),
      c.walkthroughs[0].title,
      c.walkthroughs[0].description,
      ...steps().flatMap((s) => [s.title, s.description, s.media.altText ?? '']),
    ];
    for (const s of shown) assert.ok(text(s).length > 0, s);
    const used = new Set(shown.map((s) => s.slice(1, -1)));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'keys of package.nls.json that nothing uses');
    // Style: Title Case titles under one category; each setting's description a sentence.
    assert.ok(c.commands.every((cmd: { category: string }) => text(cmd.category) === 'MLP Inspector'));
    for (const p of Object.values(c.configuration.properties)) assert.match(text((p as { description: string }).description), /\.$/);
  });

  it('gives the walkthrough seven steps, each with a picture that exists, alt text, a button and a completion event', async () => {
    assert.deepEqual(steps().map((s) => s.id), ['activations', 'perceptron', 'xorNetwork', 'forward', 'graph', 'ownData', 'experiments']);
    const examples = await bundledExampleNames(pristineExamples());
    for (const step of steps()) {
      const file = step.media.svg ?? step.media.image ?? '';
      assert.ok(existsSync(path.join(REPO_ROOT, file)), `${step.id}: ${file}`);
      const svg = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, file);
      assert.doesNotMatch(svg, /<script|href=|@import|url\(/i, `${file}: no script or external reference`);
      assert.ok(svg.length < 8000, `${file} is small`);
      assert.ok(text(step.media.altText ?? '').length > 30, `${step.id}: alt text`);
      // Buttons: a line holding only a command link.
      const buttons = text(step.description).split('\n').map((l) => /^\[([^\]]+)\]\(command:([\w.]+)(?:\?(.*))?\)$/.exec(l)).filter((m) => m !== null);
      assert.ok(buttons.length >= 1, `${step.id} has a button`);
      for (const [, label, command, query] of buttons) {
        assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === command), `${step.id}: ${command} is contributed`);
        if (command === 'mlpInspector.openExample') {
          const args = JSON.parse(decodeURIComponent(query ?? '')) as string[];
          assert.ok(examples.includes(args[0]), `${step.id}: "${label}" opens ${args[0]}, a bundled example`);
        }
      }
      assert.ok(step.completionEvents.length > 0, `${step.id}: completion event`);
      for (const event of step.completionEvents) assert.match(event, /^onContext:mlpInspector\.walkthrough\.[\w.]+( && mlpInspector\.walkthrough\.[\w.]+)*$/, event);
    }
    // Each example a step waits for is one a button of that step opens.
    for (const step of steps()) {
      const waited = step.completionEvents.flatMap((e) => [...e.matchAll(/walkthrough\.opened\.(\w+)/g)].map((m) => m[1]));
      const opened = [...text(step.description).matchAll(/openExample\?([^)]+)\)/g)].map((m) => exampleKey((JSON.parse(decodeURIComponent(m[1])) as string[])[0]));
      for (const key of waited) assert.ok(opened.includes(key), `${step.id} waits for ${key}, which its buttons open`);
    }
  });

  it('has what the Marketplace and Open VSX need: an MIT licence file, a 128×128 PNG icon, keywords, a changelog', () => {
    assert.equal(pkg.license, 'MIT');
    assert.match(readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8'), /^MIT License\n/);
    const png = readFileSync(path.join(REPO_ROOT, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30);
    assert.match(readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`## ${pkg.version.replace(/\./g, '\\.')}`));
  });

  it('keeps the README free of relative links; its pictures are PNG files of the repository (the package inlines them)', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    for (const [, bang, target] of readme.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
      if (bang) assert.ok(existsSync(path.join(REPO_ROOT, target)) && /^[^:]+\.png$/.test(target), `picture ${target} is a PNG file of the repository`);
      else assert.match(target, /^(https:|#)/, `link ${target} is absolute or to a heading`);
    }
  });
});
