#!/usr/bin/env node
// `npm run bench`: MLP Inspector's fast float32 path beside TensorFlow.js (tfjs-core with the
// wasm and cpu backends) and brain.js, on issue 6's workloads, interleaved and repeated; prints
// medians, ratios and peak memory, and writes the run as JSON to bench-results/.
//
//   node bench/bench.js [--smoke] [--repeats N] [--engines a,b] [--workloads W1,W2,W3,GEMM]
//                       [--peak GFLOPS] [--out FILE]
//
// Each trial is its own child process (one process tree, one run), so that each engine's peak
// memory is its own. The peers live in bench/node_modules, installed from bench/package.json
// here when missing, apart from the extension's dependencies.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};

const smoke = flag('smoke');
const repeats = Number(option('repeats', smoke ? 1 : 3));
const peakPerCore = Number(option('peak', 95)); // GFLOP/s f32 per core: AVX2 FMA, 2 × 8 lanes × 2 flops × ~3 GHz
const engines = option('engines', 'fast,tfjs-wasm,tfjs-cpu,brain.js').split(',');
const workloads = option('workloads', 'W1,W2,W3,GEMM').split(',');
const GEMM_SHAPES = smoke
  ? [[64, 784, 128]]
  : [
      [64, 784, 128],
      [256, 256, 256],
      [1024, 1024, 1024],
    ];

function log(line) {
  process.stderr.write(line + '\n');
}

// ---------------------------------------------------------------- preparation

function ensurePeers() {
  const lock = path.join(__dirname, 'package.json');
  const installed = path.join(__dirname, 'node_modules', '.package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  log('bench: installing the peers (bench/package.json)…');
  execFileSync('npm', ['install', '--prefix', __dirname, '--no-audit', '--no-fund', '--no-save'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const now = new Date();
  fs.utimesSync(installed, now, now);
}

function buildFast() {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure-deps.js')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.js')], { cwd: root, stdio: 'inherit' });
  require(path.join(root, 'node_modules', 'esbuild')).buildSync({
    stdin: {
      contents: "export * from './src/fast/index'; export { Random } from './src/engine/random';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: path.join(root, 'out', 'bench', 'fast.js'),
    logLevel: 'warning',
  });
  // TensorFlow.js from its ES modules as one bundle: tfjs-core's CommonJS build registers no
  // gradients, and its gradient modules exist only as ES modules, which must share core's copy.
  require(path.join(root, 'node_modules', 'esbuild')).buildSync({
    stdin: {
      contents:
        "export * as tf from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-core/dist/register_all_gradients'; import '@tensorflow/tfjs-backend-cpu'; export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';",
      resolveDir: __dirname,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    outfile: path.join(root, 'out', 'bench', 'tfjs.js'),
    logLevel: 'warning',
  });
}

// ---------------------------------------------------------------- trials

function trial(engine, workload, config) {
  const res = spawnSync(process.execPath, [path.join(__dirname, 'trial.js'), engine, workload, JSON.stringify(config)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`${engine} ${workload} failed:\n${res.stderr}`);
  const lines = res.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Rotates the engines' order each repeat, so that none always runs first or last. */
function rotated(list, by) {
  return list.map((_, i) => list[(i + by) % list.length]);
}

function machine() {
  const cpus = os.cpus();
  let flags = '';
  try {
    flags = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
  } catch {
    // not Linux
  }
  const has = (f) => new RegExp(`\\b${f}\\b`).test(flags);
  const versions = {};
  for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'brain.js']) {
    try {
      versions[p] = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      versions[p] = 'missing';
    }
  }
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    avx2: has('avx2'),
    fma: has('fma'),
    avx512f: has('avx512f'),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    v8: process.versions.v8,
    peakGflopsPerCore: peakPerCore,
    peers: versions,
  };
}

// ---------------------------------------------------------------- report

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, a / b >= 10 ? 0 : 1)}×` : '–');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |', ...rows.map(line)].join('\n');
}

function main() {
  ensurePeers();
  buildFast();
  const info = machine();
  log(`bench: ${info.cpuModel}, ${info.cores} cores, node ${info.node}${smoke ? ' (smoke)' : ''}, ${repeats} repeat(s)`);
  const runs = {}; // runs[workload][engine] = [trial…]
  const trainWorkloads = workloads.filter((w) => w !== 'GEMM');
  for (let rep = 0; rep < repeats; rep++) {
    for (const w of trainWorkloads) {
      for (const e of rotated(engines, rep)) {
        const t = trial(e, w, { smoke });
        log(`  ${w} ${e.padEnd(9)} ${fmt(t.samplesPerSecond).padStart(12)} samples/s  peak ${fmt(t.peakRssMiB)} MiB  loss ${fmt(t.loss, 4)}`);
        ((runs[w] ??= {})[e] ??= []).push(t);
      }
    }
    if (workloads.includes('GEMM')) {
      for (const [m, k, n] of GEMM_SHAPES) {
        const key = `${m}×${k}×${n}`;
        for (const e of rotated(engines.filter((x) => x !== 'brain.js'), rep)) {
          // 1024³ on tfjs-cpu takes seconds a product: a couple of repetitions suffice.
          const cfg = { m, n, k, minSeconds: smoke ? 0.05 : 0.4, maxReps: m >= 1024 ? 3 : 200 };
          const t = trial(e, 'GEMM', cfg);
          log(`  GEMM ${key} ${e.padEnd(9)} NN ${fmt(t.gflops.nn, 1)}  TN ${fmt(t.gflops.tn, 1)}  NT ${fmt(t.gflops.nt, 1)} GFLOP/s`);
          ((runs[`GEMM ${key}`] ??= {})[e] ??= []).push(t);
        }
      }
    }
  }

  // Medians and the report.
  const summary = {};
  const out = [];
  for (const w of trainWorkloads) {
    summary[w] = {};
    for (const e of engines) {
      const ts = runs[w][e];
      summary[w][e] = {
        samplesPerSecond: median(ts.map((t) => t.samplesPerSecond)),
        seconds: median(ts.map((t) => t.seconds)),
        peakRssMiB: median(ts.map((t) => t.peakRssMiB)),
        finalLoss: median(ts.map((t) => t.loss)),
        samples: ts[0].samples,
        detail: ts[0].detail,
      };
    }
  }
  const headers = ['workload', 'engine', 'samples/s', 'time (s)', 'peak RSS (MiB)', ...engines.filter((e) => e !== 'fast').map((e) => `fast ÷ ${e}`)];
  const rows = [];
  for (const w of trainWorkloads) {
    const fast = summary[w].fast;
    for (const e of engines) {
      const s = summary[w][e];
      rows.push([w, e, fmt(s.samplesPerSecond), fmt(s.seconds, 2), fmt(s.peakRssMiB), ...engines.filter((x) => x !== 'fast').map((x) => (e === 'fast' && fast ? ratio(fast.samplesPerSecond, summary[w][x].samplesPerSecond) : ''))]);
    }
  }
  out.push(table(headers, rows));

  const gemmRows = [];
  for (const [m, k, n] of workloads.includes('GEMM') ? GEMM_SHAPES : []) {
    const key = `GEMM ${m}×${k}×${n}`;
    summary[key] = {};
    for (const e of engines.filter((x) => x !== 'brain.js')) {
      const ts = runs[key][e];
      const g = { nn: median(ts.map((t) => t.gflops.nn)), tn: median(ts.map((t) => t.gflops.tn)), nt: median(ts.map((t) => t.gflops.nt)) };
      summary[key][e] = { gflops: g, detail: ts[0].detail };
      gemmRows.push([`${m}×${k}×${n}`, e, ...['nn', 'tn', 'nt'].map((v) => `${fmt(g[v], 1)} (${fmt((100 * g[v]) / peakPerCore, 0)}%)`)]);
    }
  }
  if (gemmRows.length) out.push(table(['GEMM m×k×n', 'engine', 'A·B GFLOP/s (% peak)', 'Aᵀ·B', 'A·Bᵀ'], gemmRows));

  // The issue's targets, as ratios of medians.
  const s = (w, e, f = 'samplesPerSecond') => summary[w]?.[e]?.[f];
  const targets = [];
  const target = (name, value, goal, higherIsBetter = true) => {
    if (!Number.isFinite(value)) return;
    targets.push({ name, value, goal, holds: higherIsBetter ? value >= goal : value <= goal });
  };
  target('W3 fast ÷ tfjs-wasm samples/s ≥ 10', s('W3', 'fast') / s('W3', 'tfjs-wasm'), 10);
  target('W1 fast ÷ tfjs-wasm samples/s ≥ 50', s('W1', 'fast') / s('W1', 'tfjs-wasm'), 50);
  target('W1 fast ÷ tfjs-cpu samples/s ≥ 50', s('W1', 'fast') / s('W1', 'tfjs-cpu'), 50);
  target('W1 fast ÷ brain.js samples/s ≥ 1', s('W1', 'fast') / s('W1', 'brain.js'), 1);
  target('W2 fast ÷ brain.js samples/s ≥ 1.5', s('W2', 'fast') / s('W2', 'brain.js'), 1.5);
  target('W3 fast ÷ tfjs-wasm peak RSS ≤ 1', s('W3', 'fast', 'peakRssMiB') / s('W3', 'tfjs-wasm', 'peakRssMiB'), 1, false);
  target('W3 fast ÷ tfjs-cpu peak RSS ≤ 1', s('W3', 'fast', 'peakRssMiB') / s('W3', 'tfjs-cpu', 'peakRssMiB'), 1, false);
  if (targets.length) out.push(targets.map((t) => `${t.holds ? 'holds ' : 'MISSED'}  ${t.name}: ${fmt(t.value, 2)}`).join('\n'));

  const kernels = summary.W3?.fast?.detail?.kernels ?? summary.W1?.fast?.detail?.kernels;
  process.stdout.write(`\nMLP Inspector fast path (${kernels ?? '?'} kernels) vs peers — medians of ${repeats} interleaved run(s)${smoke ? ', SMOKE (a few steps each: not a measurement)' : ''}\n`);
  process.stdout.write(`${info.cpuModel}, ${info.cores} cores, Node ${info.node}; peers: ${Object.entries(info.peers).map(([k, v]) => `${k} ${v}`).join(', ')}\n\n`);
  process.stdout.write(out.join('\n\n') + '\n');

  const file = option('out', path.join(root, 'bench-results', `local-${new Date().toISOString().replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), smoke, repeats, machine: info, summary, targets, runs }, null, 2) + '\n');
  log(`bench: wrote ${path.relative(root, file)}`);
  if (smoke) {
    // A smoke run checks that every engine ran and trained to a finite loss, nothing more.
    const bad = trainWorkloads.flatMap((w) => engines.filter((e) => !Number.isFinite(summary[w][e].finalLoss)).map((e) => `${w}/${e}`));
    if (bad.length) {
      log(`bench: non-finite loss in ${bad.join(', ')}`);
      process.exit(1);
    }
  }
}

main();
