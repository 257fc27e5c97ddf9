import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const OUT = path.join(ROOT, 'out', 'src');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Runs a script in a fresh Node process (V8 flags are per process) and returns its JSON line. */
function fresh(script: string): Record<string, unknown> {
  const text = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env } });
  return JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown>;
}

const v8Major = Number(process.versions.v8.split('.')[0]);
const v8Minor = Number(process.versions.v8.split('.')[1]);
/** V8 11.4 (Node 22, Electron) runs relaxed SIMD by default; 11.3 (Node 20) behind its flag. */
const byDefault = v8Major > 11 || (v8Major === 11 && v8Minor >= 4);

describe('relaxed SIMD on Node (src/node/relaxedSimd.ts)', () => {
  it('is on after enableRelaxedSimd, in the kernels and in a network built afterwards, and only then on Node 20', () => {
    const r = fresh(`
      const kernels = require(${JSON.stringify(path.join(OUT, 'fast', 'kernels'))});
      const { enableRelaxedSimd } = require(${JSON.stringify(path.join(OUT, 'node', 'relaxedSimd'))});
      const { FastNetwork } = require(${JSON.stringify(path.join(OUT, 'fast'))});
      const state = enableRelaxedSimd();
      const again = enableRelaxedSimd();
      const net = FastNetwork.build({ layers: [{ units: 4 }, { units: 8, activation: 'relu' }, { units: 2, activation: 'softmax' }], loss: 'cross_entropy', maxBatch: 8 });
      console.log(JSON.stringify({ state, again, variants: kernels.supportedVariants(), net: net.variant }));
    `);
    assert.equal(r.state, byDefault ? 'default' : 'enabled');
    assert.equal(r.again, r.state, 'idempotent');
    assert.deepEqual(r.variants, ['relaxed-simd', 'simd', 'js']);
    assert.equal(r.net, 'relaxed-simd');
  });

  it('without it, Node 20 builds networks on the plain 128-bit SIMD kernels (so the CLI and the worker must call it)', function () {
    if (byDefault) this.skip();
    const r = fresh(`
      const { FastNetwork } = require(${JSON.stringify(path.join(OUT, 'fast'))});
      const net = FastNetwork.build({ layers: [{ units: 4 }, { units: 2, activation: 'sigmoid' }], loss: 'mse', maxBatch: 8 });
      console.log(JSON.stringify({ net: net.variant }));
    `);
    assert.equal(r.net, 'simd');
  });

  it('the CLI trains on the relaxed-SIMD kernels and says so in its summary at a terminal', function () {
    // script(1) gives the CLI a terminal, where it prints its one-line summary on stderr.
    let text: string;
    try {
      text = execFileSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} train examples/xor-learn.mlp.json --epochs 20 --threads 1`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.skip(); // no script(1) on this system
      throw err;
    }
    assert.match(text, /trained 20 epochs: .* samples\/s \(float32: relaxed-simd kernels, 1 thread\)/);
  });
});
