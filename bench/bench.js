#!/usr/bin/env node
// `npm run bench`: MLP Inspector's fast float32 path beside TensorFlow.js (tfjs-core with the
// wasm and cpu backends), brain.js and, on W2 and W3, PyTorch and scikit-learn (Debian's Python:
// bench/pythonPeers.js), on issue 6's workloads, interleaved and repeated; prints medians, spreads,
// ratios and peak memory with every engine on one thread and at its default threads, GEMM
// GFLOP/s against a register-blocked kernel's measured peak (bench/peak.cpp), and writes the run
// as JSON to bench-results/. `--smoke` checks that the engines run and agree, never speed.
//
//   node bench/bench.js [--smoke] [--repeats N] [--engines a,b] [--workloads W1,W2,W3,GEMM]
//                       [--threads 1,default] [--peak GFLOPS] [--out FILE]
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
// --peak: a fixed ceiling (GFLOP/s) instead of the register-blocked kernel bench/peak.cpp measures.
const fixedPeak = option('peak', undefined) === undefined ? undefined : Number(option('peak'));
let engines = option('engines', 'fast,fast-simd,tfjs-wasm,tfjs-cpu,brain.js,torch,sklearn').split(',');
const workloads = option('workloads', 'W1,W2,W3,GEMM').split(',');
// 1: every peer limited to one thread (the equal-threads table); default: each at its own default.
const threadModes = option('threads', smoke ? '1' : '1,default').split(',');
const PYTHON_ENGINES = ['torch', 'sklearn'];
const PYTHON_WORKLOADS = ['W2', 'W3'];
const GEMM_SHAPES = smoke
  ? [[64, 784, 128]]
  : [
      [64, 784, 128], // W3's first layer, batch 64
      [64, 128, 64], // its second
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
      contents: "export * from './src/fast/index'; export { Random } from './src/engine/random'; export { enableRelaxedSimd } from './src/node/relaxedSimd';",
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
        "export * as tf from '@tensorflow/tfjs-core'; export * as tfl from '@tensorflow/tfjs-layers'; import '@tensorflow/tfjs-core/dist/register_all_gradients'; import '@tensorflow/tfjs-backend-cpu'; export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';",
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

/** Builds bench/peak.cpp (g++ -O3 -march=native) into out/bench/; undefined, with a reason logged, when it cannot. */
function buildPeak() {
  const exe = path.join(root, 'out', 'bench', 'peak');
  const src = path.join(__dirname, 'peak.cpp');
  if (fs.existsSync(exe) && fs.statSync(exe).mtimeMs >= fs.statSync(src).mtimeMs) return exe;
  const res = spawnSync('g++', ['-O3', '-march=native', '-ffp-contract=off', '-o', exe, src], { encoding: 'utf8' });
  if (res.status === 0) return exe;
  log(`bench: no register-blocked peak (g++ failed: ${(res.stderr || String(res.error)).trim().split('\n')[0]})`);
  return undefined;
}

function measurePeak(exe) {
  const res = spawnSync(exe, [smoke ? '0.05' : '0.5'], { encoding: 'utf8' });
  return res.status === 0 ? JSON.parse(res.stdout.trim()) : undefined;
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
  for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-layers', 'brain.js']) {
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

/** The peers' versions and whether the Python peers can run (installing them on first use). */
function pythonPeers() {
  if (!engines.some((e) => PYTHON_ENGINES.includes(e))) return undefined;
  const res = require('./pythonPeers').ensure(log, !smoke);
  if (!res.ok) {
    log(`bench: torch, sklearn skipped: ${res.reason}`);
    engines = engines.filter((e) => !PYTHON_ENGINES.includes(e));
  }
  return res;
}

/** Which engines run workload w: the Python peers only on W2 and W3 (issue 13). */
const enginesFor = (w) => engines.filter((e) => !PYTHON_ENGINES.includes(e) || PYTHON_WORKLOADS.includes(w));
/** The engines whose default differs from one thread here, so that the defaults table measures them again. */
const MULTI_BY_DEFAULT = PYTHON_ENGINES;

/**
 * Smoke's agreement check. Every engine but brain.js trains the same network from the same weights
 * on the same data with the same SGD, differing only in shuffle order and float arithmetic, so
 * after the same steps their per-sample losses (sse ÷ batch rows, brain.js's mean squared error
 * ÷ 2, cross-entropy as is) should lie close: within a factor LOSS_FACTOR of the fast path's.
 * scikit-learn's W2 has an identity output instead of tanh, hence the same generous factor.
 * brain.js draws its own weights, updates per sample, and on W3 minimizes squared error: it
 * only has to reach a finite loss.
 */
const LOSS_FACTOR = 1.25;

function main() {
  ensurePeers();
  buildFast();
  const py = pythonPeers();
  const peakExe = workloads.includes('GEMM') && fixedPeak === undefined ? buildPeak() : undefined;
  const info = machine();
  info.python = py?.ok ? { interpreter: require('./pythonPeers').PYTHON, ...py.versions } : py ? { skipped: py.reason } : undefined;
  log(`bench: ${info.cpuModel}, ${info.cores} cores, node ${info.node}${smoke ? ' (smoke)' : ''}, ${repeats} repeat(s), threads ${threadModes.join(' and ')}`);
  const runs = {}; // runs[workload][engine key] = [trial…]; key "torch@default" for a default-threads run
  const loads = [];
  const peaks = [];
  const trainWorkloads = workloads.filter((w) => w !== 'GEMM');
  const keysFor = (w) => [
    ...(threadModes.includes('1') || !threadModes.includes('default') ? enginesFor(w) : []),
    ...(threadModes.includes('default') ? enginesFor(w).filter((e) => MULTI_BY_DEFAULT.includes(e)).map((e) => `${e}@default`) : []),
  ];
  for (let rep = 0; rep < repeats; rep++) {
    for (const w of trainWorkloads) {
      for (const key of rotated(keysFor(w), rep)) {
        const [e, mode] = key.split('@');
        loads.push(os.loadavg()[0]);
        const t = trial(e, w, { smoke, threads: mode === 'default' ? undefined : 1 });
        log(`  ${w} ${key.padEnd(15)} ${fmt(t.samplesPerSecond).padStart(12)} samples/s  peak ${fmt(t.peakRssMiB)} MiB  loss/sample ${fmt(t.lossPerSample, 4)}`);
        ((runs[w] ??= {})[key] ??= []).push(t);
      }
    }
    if (workloads.includes('GEMM')) {
      if (peakExe) {
        const p = measurePeak(peakExe);
        if (p) peaks.push(p);
        log(`  peak (register-blocked 6×2v kernel, g++ -O3 -march=native) ${Object.entries(p ?? {}).map(([k, v]) => `${k} ${fmt(v, 1)}`).join('  ')} GFLOP/s`);
      }
      for (const [m, k, n] of GEMM_SHAPES) {
        const key = `${m}×${k}×${n}`;
        for (const e of rotated(engines.filter((x) => x !== 'brain.js' && !PYTHON_ENGINES.includes(x) && !x.endsWith('-fit')), rep)) {
          // 1024³ on tfjs-cpu takes seconds a product: a couple of repetitions suffice.
          const cfg = { m, n, k, minSeconds: smoke ? 0.05 : 0.4, maxReps: m >= 1024 ? 3 : 200 };
          loads.push(os.loadavg()[0]);
          const t = trial(e, 'GEMM', cfg);
          log(`  GEMM ${key} ${e.padEnd(9)} NN ${fmt(t.gflops.nn, 1)}  TN ${fmt(t.gflops.tn, 1)}  NT ${fmt(t.gflops.nt, 1)} GFLOP/s`);
          ((runs[`GEMM ${key}`] ??= {})[e] ??= []).push(t);
        }
      }
    }
  }
  loads.push(os.loadavg()[0]);
  info.loadAverage1min = { min: Math.min(...loads), median: median(loads), max: Math.max(...loads) };

  // Medians, spreads (min–max over the repeats) and the report.
  const summary = {};
  const out = [];
  for (const w of trainWorkloads) {
    summary[w] = {};
    for (const key of Object.keys(runs[w] ?? {})) {
      const ts = runs[w][key];
      const sps = ts.map((t) => t.samplesPerSecond);
      summary[w][key] = {
        samplesPerSecond: median(sps),
        min: Math.min(...sps),
        max: Math.max(...sps),
        seconds: median(ts.map((t) => t.seconds)),
        peakRssMiB: median(ts.map((t) => t.peakRssMiB)),
        finalLoss: median(ts.map((t) => t.loss)),
        lossPerSample: median(ts.map((t) => t.lossPerSample ?? NaN)),
        samples: ts[0].samples,
        detail: ts[0].detail,
      };
    }
  }
  const threadsOf = (key, s) => {
    const [e, mode] = key.split('@');
    if (!PYTHON_ENGINES.includes(e)) return e.startsWith('tfjs-wasm') && s?.detail?.threads ? 'wasm threads' : '1';
    if (mode !== 'default') return '1';
    return e === 'torch' ? `${s?.detail?.threads ?? '?'} + BLAS default` : 'BLAS default';
  };
  const peers = (w, keys) => keys.filter((k) => k !== 'fast' && summary[w][k]);
  const reportTable = (title, keyOf) => {
    const cols = [...new Set(trainWorkloads.flatMap((w) => enginesFor(w).map((e) => keyOf(e, w)).filter((k) => k !== 'fast' && summary[w][k])))];
    const rows = [];
    for (const w of trainWorkloads) {
      const fast = summary[w].fast;
      for (const e of enginesFor(w)) {
        const key = keyOf(e, w);
        const s = summary[w][key];
        if (!s) continue;
        const spread = repeats > 1 ? `${fmt(s.min)}–${fmt(s.max)}` : '';
        rows.push([w, e, threadsOf(key, s), fmt(s.samplesPerSecond), spread, fmt(s.seconds, 2), fmt(s.peakRssMiB), fmt(s.lossPerSample, 4), ...cols.map((c) => (key === 'fast' && fast && summary[w][c] ? ratio(fast.samplesPerSecond, summary[w][c].samplesPerSecond) : ''))]);
      }
    }
    return `${title}\n\n` + table(['workload', 'engine', 'threads', 'samples/s', 'min–max', 'time (s)', 'peak RSS (MiB)', 'loss/sample', ...cols.map((c) => `fast ÷ ${c.replace('@default', '')}`)], rows);
  };
  void peers;
  if (threadModes.includes('1') || !threadModes.includes('default')) out.push(reportTable('Equal threads: every engine on one thread (Python: torch.set_num_threads(1), OMP/OPENBLAS/MKL_NUM_THREADS=1)', (e) => e));
  if (threadModes.includes('default')) out.push(reportTable('Default threads: each engine as it comes (ours, tfjs and brain.js are single-threaded here; same runs as above)', (e) => (MULTI_BY_DEFAULT.includes(e) ? `${e}@default` : e)));

  const peak = {};
  for (const k of Object.keys(peaks[0] ?? {})) peak[k] = median(peaks.map((p) => p[k]));
  // Each engine's 128-bit ceiling is what its kernels can issue: relaxed-SIMD kernels have FMA.
  const wasmCeiling = (kernels) => fixedPeak ?? (kernels === 'relaxed-simd' ? peak.sse128_fma : peak.sse128_muladd);
  const nativeCeiling = fixedPeak ?? peak.avx512_fma ?? peak.avx2_fma;
  const gemmRows = [];
  for (const [m, k, n] of workloads.includes('GEMM') ? GEMM_SHAPES : []) {
    const key = `GEMM ${m}×${k}×${n}`;
    summary[key] = {};
    for (const e of Object.keys(runs[key] ?? {})) {
      const ts = runs[key][e];
      const g = { nn: median(ts.map((t) => t.gflops.nn)), tn: median(ts.map((t) => t.gflops.tn)), nt: median(ts.map((t) => t.gflops.nt)) };
      const spread = (v) => (repeats > 1 ? ` (${fmt(Math.min(...ts.map((t) => t.gflops[v])), 1)}–${fmt(Math.max(...ts.map((t) => t.gflops[v])), 1)})` : '');
      summary[key][e] = { gflops: g, detail: ts[0].detail };
      const best = Math.max(g.nn, g.tn, g.nt);
      const pct = (c) => (c ? `${fmt((100 * best) / c, 0)}%` : '–');
      gemmRows.push([`${m}×${k}×${n}`, e, ...['nn', 'tn', 'nt'].map((v) => `${fmt(g[v], 1)}${spread(v)}`), pct(wasmCeiling(ts[0].detail?.kernels)), pct(nativeCeiling)]);
    }
  }
  if (gemmRows.length) {
    const ceilings = fixedPeak
      ? `ceiling: --peak ${fixedPeak} GFLOP/s`
      : `ceiling: a plain register-blocked 6×2v f32 kernel (bench/peak.cpp, g++ -O3 -march=native, one core, cache-resident), median (min–max) GFLOP/s: ${Object.entries(peak).map(([k, v]) => `${k} ${fmt(v, 1)}${peaks.length > 1 ? ` (${fmt(Math.min(...peaks.map((p) => p[k])), 1)}–${fmt(Math.max(...peaks.map((p) => p[k])), 1)})` : ''}`).join(', ')}; "wasm-128" = its 128-bit FMA for relaxed-SIMD kernels (fast on a runtime with relaxed SIMD), else its 128-bit mul+add (what WebAssembly SIMD without relaxed FMA can issue: fast-simd, tfjs-wasm), "native" = its widest FMA`;
    out.push(`GEMM GFLOP/s, medians (min–max); ${ceilings}\n\n` + table(['GEMM m×k×n', 'engine', 'A·B', 'Aᵀ·B', 'A·Bᵀ', 'best ÷ wasm-128', 'best ÷ native'], gemmRows));
    summary.peak = peak;
  }

  // The issue's targets, as ratios of medians: judged by the full bench only, never by smoke.
  const s = (w, e, f = 'samplesPerSecond') => summary[w]?.[e]?.[f];
  const targets = [];
  // Beside the ratio of medians, the ratios within each repeat (the two trials ran minutes apart at
  // most, under about the same load), whose range shows how far the machine's noise reaches.
  const paired = (name) => {
    const m = name.match(/^(W\d) fast ÷ (\S+) (samples\/s|peak RSS)/);
    const a = m && runs[m[1]]?.fast;
    const b = m && runs[m[1]]?.[m[2]];
    if (!a || !b || a.length !== b.length || a.length < 2) return undefined;
    const f = m[3] === 'samples/s' ? 'samplesPerSecond' : 'peakRssMiB';
    const rs = a.map((t, i) => t[f] / b[i][f]).sort((x, y) => x - y);
    return { min: rs[0], median: median(rs), max: rs[rs.length - 1] };
  };
  const target = (name, value, goal, higherIsBetter = true) => {
    if (!Number.isFinite(value)) return;
    targets.push({ name, value, goal, holds: higherIsBetter ? value >= goal : value <= goal, perRepeat: paired(name) });
  };
  target('W3 fast ÷ tfjs-wasm samples/s ≥ 10', s('W3', 'fast') / s('W3', 'tfjs-wasm'), 10);
  target('W1 fast ÷ tfjs-wasm samples/s ≥ 50', s('W1', 'fast') / s('W1', 'tfjs-wasm'), 50);
  target('W1 fast ÷ tfjs-cpu samples/s ≥ 50', s('W1', 'fast') / s('W1', 'tfjs-cpu'), 50);
  target('W1 fast ÷ brain.js samples/s ≥ 1', s('W1', 'fast') / s('W1', 'brain.js'), 1);
  target('W2 fast ÷ brain.js samples/s ≥ 1.5', s('W2', 'fast') / s('W2', 'brain.js'), 1.5);
  for (const w of PYTHON_WORKLOADS) {
    target(`${w} fast ÷ sklearn samples/s ≥ 1.0 (one thread each)`, s(w, 'fast') / s(w, 'sklearn'), 1);
    target(`${w} fast ÷ torch samples/s ≥ 0.5 (one thread each)`, s(w, 'fast') / s(w, 'torch'), 0.5);
  }
  target('W3 fast ÷ tfjs-wasm peak RSS ≤ 1', s('W3', 'fast', 'peakRssMiB') / s('W3', 'tfjs-wasm', 'peakRssMiB'), 1, false);
  target('W3 fast ÷ tfjs-cpu peak RSS ≤ 1', s('W3', 'fast', 'peakRssMiB') / s('W3', 'tfjs-cpu', 'peakRssMiB'), 1, false);

  // Smoke: does every engine run, and do their losses agree? (LOSS_FACTOR above.)
  const agreement = [];
  if (smoke) {
    for (const w of trainWorkloads) {
      const ref = s(w, 'fast', 'lossPerSample');
      for (const key of Object.keys(summary[w])) {
        const v = s(w, key, 'lossPerSample');
        const finite = Number.isFinite(s(w, key, 'finalLoss'));
        const compared = key !== 'fast' && !key.startsWith('brain.js') && Number.isFinite(ref);
        const ok = finite && (!compared || (v > 0 && v <= ref * LOSS_FACTOR && v >= ref / LOSS_FACTOR));
        agreement.push({ workload: w, engine: key, lossPerSample: v, ok, note: compared ? `vs fast ${fmt(ref, 4)}` : key === 'fast' ? 'reference' : 'finite only' });
      }
    }
    out.push(
      `Smoke: every engine ran; loss per sample within ×${LOSS_FACTOR} of the fast path's (brain.js: finite)\n` +
        agreement.map((a) => `${a.ok ? 'agrees ' : 'DIFFERS'}  ${a.workload} ${a.engine.padEnd(15)} ${fmt(a.lossPerSample, 4)}  ${a.note}`).join('\n') +
        (py && !py.ok ? `\ntorch, sklearn: skipped: ${py.reason}` : '') +
        '\nspeed targets: not judged by a smoke run (see `npm run bench`)',
    );
  } else if (targets.length) {
    out.push(
      'Targets (ratio of medians; per repeat: min / median / max of the ratios within each repeat)\n' +
        targets.map((t) => `${t.holds ? 'holds ' : 'MISSED'}  ${t.name}: ${fmt(t.value, 2)}${t.perRepeat ? `  (per repeat ${fmt(t.perRepeat.min, 2)} / ${fmt(t.perRepeat.median, 2)} / ${fmt(t.perRepeat.max, 2)})` : ''}`).join('\n'),
    );
  }

  const kernels = summary.W3?.fast?.detail?.kernels ?? summary.W1?.fast?.detail?.kernels;
  const versions = { ...info.peers, ...(info.python?.torch ? { torch: info.python.torch, 'scikit-learn': info.python['scikit-learn'], numpy: info.python.numpy } : {}) };
  process.stdout.write(`\nMLP Inspector fast path (${kernels ?? '?'} kernels) vs peers — medians of ${repeats} interleaved run(s)${smoke ? ', SMOKE (a few steps each: not a measurement)' : ''}\n`);
  process.stdout.write(`${info.cpuModel}, ${info.cores} cores, Node ${info.node}, load average (1 min) ${fmt(info.loadAverage1min.min, 2)}–${fmt(info.loadAverage1min.max, 2)} during the run; peers: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}\n\n`);
  process.stdout.write(out.join('\n\n') + '\n');

  const file = option('out', path.join(root, 'bench-results', `local-${new Date().toISOString().replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), smoke, repeats, threadModes, machine: info, summary, targets, agreement, peaks, runs }, null, 2) + '\n');
  log(`bench: wrote ${path.relative(root, file)}`);
  if (smoke) {
    const bad = agreement.filter((a) => !a.ok);
    if (bad.length) {
      log(`bench: smoke failed: ${bad.map((a) => `${a.workload}/${a.engine} loss ${fmt(a.lossPerSample, 4)} (${a.note})`).join(', ')}`);
      process.exit(1);
    }
  }
}

main();
