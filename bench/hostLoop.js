#!/usr/bin/env node
/* global setTimeout, structuredClone, global */
// Issue 6's event-loop target, measured (a benchmark, not a timed test): "while the inspector
// trains W3 (784-128-64-10 ReLU + softmax cross-entropy, 10,000 samples, batch 64) in the
// extension, the extension host's event-loop delay stays under 50 ms at the 99th percentile, and
// the panel keeps drawing."
//
// It runs the host side as the extension does, without VS Code: a TrainingSession (the real
// bundled worker, dist/trainingWorker.js, 20 snapshots/s as the extension's default setting), and
// for each of two webviews (the panel and the sidebar) a SnapshotFeed whose every view message is
// structuredClone'd, standing in for webview.postMessage's serialization. The main thread does
// nothing else, so what perf_hooks.monitorEventLoopDelay sees is what receiving and forwarding
// snapshots costs the extension host. "Keeps drawing" is measured as the rate of view messages
// and the longest gap between two of them.
//
//   npm run build && node bench/hostLoop.js [--seconds 15] [--precision float32,float64] [--out FILE]
//
// Prints the idle host's delay first (the machine's own noise), then one line per precision;
// delays are the time past monitorEventLoopDelay's 10 ms timer. --out also writes JSON.
//
// Issue 10's long-run target (`--long`, run by default after the W3 lines): a 2-4-1 XOR network
// (examples/xor-learn.mlp.json with batch = the whole set, float32) trains --epochs (default
// 10⁷, about 250,000 epochs/s) in the same host set-up, and at 10⁵, 10⁶, 10⁷ epochs it prints the
// host's heap and RSS (after a GC when node runs with --expose-gc, as `npm run bench:host` does),
// the history length the host holds, and the host's cost per snapshot: the time in the
// session's message handler (applying the worker's delta, and the two views' feeds and
// structuredClones) and the records that crossed from the worker. The host must stay flat.
//
//   node --expose-gc bench/hostLoop.js --long-only [--epochs 10000000]
//
// Issue 20's workload (`--fashion` alone; run by default after the W3 lines, `--no-fashion` skips
// it): Fashion-MNIST (60,000 × 784, 10 classes; `--rows N` for the first N, as written by
// `node scripts/fashion-mnist.js --rows N`, or `--fashion-dir DIR` for a folder it wrote) on its
// model 784-256-128-100-10 (ReLU, softmax + cross-entropy, He, Adam 0.001, batch 128, no
// validation), loaded by the CLI's own loaders (src/cli/loadModel.ts, src/cli/modelData.ts,
// bundled here by esbuild: the extension's data layer; the load's time is printed apart). It
// trains in the same host set-up (20 snapshots/s, float32, one thread) for --seconds after a
// 3 s warm-up, and reports samples/s (the snapshots' step deltas over the window; and over the
// whole epochs that ended in it, by the clock and by the worker's own training seconds),
// snapshots/s and the longest gaps, the bytes of each view message and of each worker snapshot
// (v8.serialize(message).length: what structured clone carries; median and max, of about 48
// snapshots kept and measured after the window), the host's event-loop delay (p50, p99, max), and
// the time in the session's message handler per snapshot (the delta, the two feeds and their
// structuredClones). Then the same session alone at 1 snapshot/s without views (the
// "no-snapshot" rate), and the CLI (`node dist/cli.js train MODEL --threads 1 --epochs
// --cli-epochs`, default 3: the rate between its epoch lines, load excluded; `--no-cli` skips
// it), so that relay ÷ CLI can be quoted. The webview's frame time while training is measured by
// `npm run bench:panel` in a real browser, not here.
//
//   node --expose-gc bench/hostLoop.js --fashion [--seconds 15] [--rows 60000] [--out FILE]
const { monitorEventLoopDelay, performance } = require('perf_hooks');
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const v8 = require('v8');
const { w3Samples } = require('./workloadData');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const seconds = Number(option('seconds', '15'));
const precisions = option('precision', 'float32,float64').split(',');
const outFile = option('out', undefined);
const longEpochs = Number(option('epochs', '10000000'));
const longOnly = args.includes('--long-only');
const skipLong = args.includes('--no-long');
const fashionOnly = args.includes('--fashion');
const skipFashion = args.includes('--no-fashion');
const fashionRows = Number(option('rows', '60000'));
const fashionDirOption = option('fashion-dir', undefined);
const skipCli = args.includes('--no-cli');
const cliEpochs = Number(option('cli-epochs', '3'));

const worker = path.join(root, 'dist', 'trainingWorker.js');
if (!fs.existsSync(worker)) {
  console.error('bench/hostLoop.js: dist/trainingWorker.js is missing; run `npm run build` first');
  process.exit(1);
}

/** TrainingSession and SnapshotFeed as the extension bundles them: from the TypeScript, by esbuild. */
function hostModules() {
  const outfile = path.join(root, 'out', 'bench', 'host.js');
  require(path.join(root, 'node_modules', 'esbuild')).buildSync({
    stdin: {
      contents: "export { TrainingSession } from './src/training/TrainingSession'; export { SnapshotFeed } from './src/host/snapshotFeed';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return require(outfile);
}

const ROWS = 10000;
const BATCH = 64;

/** bench/trial.js's W3 data, as the data layer hands it to the worker. */
function w3Data() {
  const { x, y } = w3Samples(ROWS, Float64Array);
  return {
    task: 'classification',
    inputNames: Array.from({ length: 784 }, (_, j) => `p${j}`),
    outputNames: Array.from({ length: 10 }, (_, k) => `d${k}`),
    classes: Array.from({ length: 10 }, (_, k) => String(k)),
    nIn: 784,
    nOut: 10,
    train: { x, y, rows: ROWS },
  };
}

const MODEL = {
  name: 'W3',
  layers: [{ units: 784 }, { units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }],
  loss: 'cross_entropy',
  init: { weights: 'he', seed: 1 },
  optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.1, batchSize: BATCH, shuffle: true },
};

/** Samples trained after `step` updates: each epoch is ⌈10000 / 64⌉ = 157 batches, the last of 16 rows. */
function samplesAt(step) {
  const perEpoch = Math.ceil(ROWS / BATCH);
  const epochs = Math.floor(step / perEpoch);
  return epochs * ROWS + Math.min((step % perEpoch) * BATCH, ROWS);
}

/** monitorEventLoopDelay's timer period; its histogram holds whole periods, so the delay is the excess. */
const RESOLUTION_MS = 10;
const ms = (ns) => ns / 1e6;

/** p50, p99, max and mean of a histogram as delay proper: the time past the timer's period. */
function delays(h) {
  const d = (ns) => Math.max(0, ms(ns) - RESOLUTION_MS);
  return { p50: d(h.percentile(50)), p99: d(h.percentile(99)), max: d(h.max), mean: d(h.mean) };
}

/** The same measurement with the host idle: what this (shared, loaded) machine adds by itself. */
async function baseline(durationMs) {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  h.disable();
  return delays(h);
}
/**
 * The parameter bytes a layer's snapshot carries: W and b whole (before issue 20), or b whole and
 * W as whole, block means (weightCells) and the diagram's edges, whichever are there.
 */
function layerBytes(l) {
  return [l.W, l.b, l.weightCells?.data, l.edges?.W].reduce((s, a) => s + (a ? a.byteLength : 0), 0);
}
const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

async function measure(host, precision) {
  const session = new host.TrainingSession({ workerPath: worker, snapshotsPerSecond: 20, precision });
  const feeds = [new host.SnapshotFeed(), new host.SnapshotFeed()];
  let views = 0;
  let bytes = 0;
  const gaps = [];
  let lastAt;
  let cloneMs = 0;
  session.onSnapshot((snapshot) => {
    const now = performance.now();
    if (lastAt !== undefined && snapshot.state === 'training') gaps.push(now - lastAt);
    lastAt = now;
    for (const feed of feeds) {
      const t = performance.now();
      const copy = structuredClone(feed.next(snapshot));
      cloneMs += performance.now() - t;
      views++;
      bytes += copy.snapshot.layers.reduce((s, l) => s + layerBytes(l), 0);
    }
  });
  await session.load(MODEL, w3Data());
  const rates = [];
  session.onSnapshot((s) => s.state === 'training' && s.samplesPerSecond > 0 && rates.push(s.samplesPerSecond));
  views = 0;
  bytes = 0;
  cloneMs = 0;
  lastAt = undefined;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const started = performance.now();
  await session.start(1_000_000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await session.pause();
  const elapsed = (performance.now() - started) / 1000;
  delay.disable();
  const snap = session.snapshot;
  await session.dispose();
  gaps.sort((a, b) => a - b);
  rates.sort((a, b) => a - b);
  return {
    precision,
    seconds: elapsed,
    epochs: snap.epoch,
    steps: snap.step,
    samplesPerSecond: samplesAt(snap.step) / elapsed,
    workerSamplesPerSecondMedian: quantile(rates, 0.5),
    loss: snap.history.length ? snap.history[snap.history.length - 1].loss : NaN,
    eventLoopDelayMs: delays(delay),
    viewMessagesPerSecond: views / elapsed,
    snapshotsPerSecond: views / feeds.length / elapsed,
    snapshotGapMs: { p50: quantile(gaps, 0.5), p99: quantile(gaps, 0.99), max: gaps.length ? gaps[gaps.length - 1] : NaN },
    cloneMsPerViewMessage: views ? cloneMs / views : NaN,
    parameterBytesPerViewMessage: views ? bytes / views : NaN,
  };
}

/** examples/xor-learn.mlp.json's 2-4-1 tanh/sigmoid network, batch = the 4 rows, no epoch limit of its own. */
const XOR_MODEL = {
  name: 'xor-learn',
  layers: [{ units: 2 }, { units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
  loss: 'sse',
  init: { weights: 'xavier', seed: 1 },
  optimizer: { type: 'sgd', learningRate: 0.5, batchSize: 4, shuffle: true },
};

function xorData() {
  return {
    task: 'regression',
    inputNames: ['x1', 'x2'],
    outputNames: ['y'],
    nIn: 2,
    nOut: 1,
    train: { x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), y: Float64Array.from([0, 1, 1, 0]), rows: 4 },
  };
}

const MiB = 1024 * 1024;

/** Trains XOR for `epochs` and reports the host's memory and per-snapshot cost at each power of ten from 10⁵. */
async function measureLong(host, epochs) {
  const session = new host.TrainingSession({ workerPath: worker, snapshotsPerSecond: 20, precision: 'float32' });
  const feeds = [new host.SnapshotFeed(), new host.SnapshotFeed()];
  session.onSnapshot((snapshot) => {
    for (const feed of feeds) structuredClone(feed.next(snapshot));
  });
  await session.load(XOR_MODEL, xorData());
  // The whole of the host's work for one worker message: the session's handler with its listeners.
  let window = { snapshots: 0, handlerMs: 0, records: 0, maxMs: 0 };
  const receive = session.receive.bind(session);
  session.receive = (msg) => {
    const t = performance.now();
    receive(msg);
    if (msg.type !== 'snapshot') return;
    const dt = performance.now() - t;
    window.snapshots++;
    window.handlerMs += dt;
    window.maxMs = Math.max(window.maxMs, dt);
    window.records += msg.newEpochs.length;
  };
  const marks = [];
  for (let m = 100_000; m <= epochs; m *= 10) marks.push(m);
  if (marks[marks.length - 1] !== epochs) marks.push(epochs);
  const rows = [];
  const started = performance.now();
  const elu0 = performance.eventLoopUtilization();
  await session.start(epochs);
  for (const mark of marks) {
    await session.waitFor((s) => s.epoch >= mark || s.state === 'stopped' || s.state === 'diverged' || s.state === 'error', 3_600_000);
    const s = session.snapshot;
    if (global.gc) global.gc();
    const mem = process.memoryUsage();
    const row = {
      epoch: s.epoch,
      seconds: (performance.now() - started) / 1000,
      heapUsedMiB: mem.heapUsed / MiB,
      rssMiB: mem.rss / MiB,
      historyLength: s.history.length,
      snapshots: window.snapshots,
      handlerMsPerSnapshot: window.snapshots ? window.handlerMs / window.snapshots : NaN,
      handlerMsMax: window.maxMs,
      recordsPerSnapshot: window.snapshots ? window.records / window.snapshots : NaN,
      eventLoopUtilization: performance.eventLoopUtilization(elu0).utilization,
    };
    rows.push(row);
    console.log(
      `xor 2-4-1: epoch ${row.epoch.toLocaleString('en-US')} after ${row.seconds.toFixed(1)} s: heap ${row.heapUsedMiB.toFixed(1)} MiB, RSS ${row.rssMiB.toFixed(0)} MiB, ` +
        `history ${row.historyLength} records; since the last line ${row.snapshots} snapshots, host ${row.handlerMsPerSnapshot.toFixed(2)} ms per snapshot ` +
        `(max ${row.handlerMsMax.toFixed(1)}), ${Math.round(row.recordsPerSnapshot)} records per worker message; event-loop utilization ${(100 * row.eventLoopUtilization).toFixed(0)} %`,
    );
    window = { snapshots: 0, handlerMs: 0, records: 0, maxMs: 0 };
    if (s.state !== 'training' && s.state !== 'paused') break;
  }
  await session.dispose();
  return { epochs, marks: rows };
}

// ─── Issue 20: Fashion-MNIST, 784-256-128-100-10 ───────────────────────────────────────────────

/** The folder scripts/fashion-mnist.js writes (or --fashion-dir), with its CSV and model file. */
function fashionFiles() {
  let dir = fashionDirOption && path.resolve(fashionDirOption);
  if (!dir) {
    const script = path.join(root, 'scripts', 'fashion-mnist.js');
    if (!fs.existsSync(script)) throw new Error(`${script} is missing (an older tree): pass --fashion-dir DIR, a folder that script wrote`);
    const printed = execFileSync(process.execPath, [script, '--rows', String(fashionRows)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    dir = printed.trim().split('\n').pop();
  }
  const files = { dir, model: path.join(dir, 'fashion.mlp.json'), csv: path.join(dir, 'fashion-train.csv') };
  for (const f of [files.model, files.csv]) if (!fs.existsSync(f)) throw new Error(`${f} is missing`);
  return files;
}

/** The CLI's loaders as the extension bundles its data layer: from the TypeScript, by esbuild. */
function loaderModules() {
  const outfile = path.join(root, 'out', 'bench', 'loaders.js');
  require(path.join(root, 'node_modules', 'esbuild')).buildSync({
    stdin: {
      contents: "export { loadModel } from './src/cli/loadModel'; export { loadModelData } from './src/cli/modelData';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's `main` is a UMD build esbuild cannot follow; its ES module entry bundles.
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'warning',
  });
  return require(outfile);
}

/** The model file and its data, read exactly as the CLI (and the extension's data layer) read them. */
async function loadFashion(files) {
  const { loadModel, loadModelData } = loaderModules();
  const started = performance.now();
  const { model, file } = await loadModel(root, files.model);
  const data = await loadModelData(model, file, undefined, root);
  return { model, data, loadSeconds: (performance.now() - started) / 1000, csvBytes: fs.statSync(files.csv).size };
}

/** Samples trained after `step` updates of batch `batch` over `rows` rows (the last batch of an epoch is short). */
function samplesAfter(step, rows, batch) {
  const perEpoch = Math.ceil(rows / batch);
  return Math.floor(step / perEpoch) * rows + Math.min((step % perEpoch) * batch, rows);
}

const summary = (values) => {
  const s = Float64Array.from(values).sort();
  return { count: s.length, median: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.length ? s[s.length - 1] : NaN, mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN };
};
const sleep = (msTotal) => new Promise((resolve) => setTimeout(resolve, msTotal));
const WARMUP_SECONDS = 3;

/** How many snapshots of a window are kept to be measured (v8.serialize) once it is over. */
const SIZED_SNAPSHOTS = 48;

/**
 * Trains the loaded model in a TrainingSession at `snapshotsPerSecond` with `views` SnapshotFeeds
 * (each message structuredClone'd), and measures a window of --seconds after the warm-up. Sizes
 * are v8.serialize(message).length, taken after the window of the messages it kept (every
 * stride-th snapshot, about SIZED_SNAPSHOTS, and every one that carried a new epoch record), so
 * that serializing them once more weighs neither on the event loop nor on the handler's time.
 */
async function measureFashion(host, loaded, { snapshotsPerSecond, views }) {
  const { model, data } = loaded;
  const batch = model.optimizer.batchSize;
  const rows = data.train.rows;
  const stride = Math.max(1, Math.ceil((snapshotsPerSecond * seconds) / SIZED_SNAPSHOTS));
  // transferData: false, so that the same arrays can be loaded into the next session.
  const session = new host.TrainingSession({ workerPath: worker, snapshotsPerSecond, precision: 'float32', threads: 1, transferData: false });
  const feeds = Array.from({ length: views }, () => new host.SnapshotFeed());
  let counting = false;
  let keep = false;
  let w;
  let epochSeen = 0;
  const reset = () => (w = { snapshots: 0, first: undefined, last: undefined, epochEnds: [], handlerMs: [], gaps: [], keptWorker: [], keptViews: [], cloneMs: 0, clones: 0 });
  reset();
  session.onSnapshot((snapshot) => {
    for (const feed of feeds) {
      const message = feed.next(snapshot);
      const t = performance.now();
      structuredClone(message);
      if (!counting) continue;
      w.cloneMs += performance.now() - t;
      w.clones++;
      if (keep) w.keptViews.push(message);
    }
  });
  const receive = session.receive.bind(session);
  session.receive = (msg) => {
    if (msg.type === 'snapshot' && !counting) epochSeen = msg.snapshot.epoch;
    if (!counting || msg.type !== 'snapshot') return receive(msg);
    const t = performance.now();
    // The first snapshot of each epoch completed in the window: its record (and evaluation) is done.
    if (msg.snapshot.epoch > epochSeen) w.epochEnds.push({ at: t, epoch: msg.snapshot.epoch });
    epochSeen = msg.snapshot.epoch;
    keep = w.snapshots % stride === 0 || msg.newEpochs?.length > 0;
    if (keep) w.keptWorker.push(msg);
    receive(msg);
    w.handlerMs.push(performance.now() - t);
    keep = false;
    const at = { at: t, step: msg.snapshot.step, epoch: msg.snapshot.epoch, state: msg.snapshot.state };
    if (w.last) w.gaps.push({ ms: t - w.last.at, fromStep: w.last.step, toStep: at.step, epoch: at.epoch, newEpochs: msg.newEpochs?.length ?? 0 });
    w.first ??= at;
    w.last = at;
    w.snapshots++;
  };
  await session.load(model, data);
  if (global.gc) global.gc();
  const load0 = os.loadavg()[0];
  await session.start(1_000_000);
  await sleep(WARMUP_SECONDS * 1000);
  reset();
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  counting = true;
  delay.enable();
  const elu0 = performance.eventLoopUtilization();
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  counting = false;
  delay.disable();
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const load1 = os.loadavg()[0];
  await session.pause();
  const snap = session.snapshot;
  await session.dispose();
  const { first, last } = w;
  const viewBytes = w.keptViews.map((m) => v8.serialize(m).length);
  const workerBytes = w.keptWorker.map((m) => v8.serialize(m).length);
  const span = first && last && last.at > first.at ? (last.at - first.at) / 1000 : NaN;
  // Whole epochs, so that the window's ends fall in the same phase (a step count stands still
  // while an epoch's evaluation runs): from the first epoch completed in the window to the last,
  // by the clock (to within a snapshot period) and by the worker's own training seconds
  // (EpochRecord.seconds, the time in its batches and evaluations, without building snapshots).
  const ends = w.epochEnds;
  const e0 = ends[0];
  const e1 = ends[ends.length - 1];
  const wholeEpochs = ends.length >= 2 ? (rows * (e1.epoch - e0.epoch)) / ((e1.at - e0.at) / 1000) : NaN;
  const record = (epoch) => snap.history.find((r) => r.epoch === epoch);
  const r0 = e0 && record(e0.epoch);
  const r1 = e1 && record(e1.epoch);
  const workerSeconds = r0 && r1 && r1.epoch > r0.epoch ? { epochs: [r0.epoch, r1.epoch], samplesPerSecond: (rows * (r1.epoch - r0.epoch)) / (r1.seconds - r0.seconds) } : undefined;
  const samples = first && last ? samplesAfter(last.step, rows, batch) - samplesAfter(first.step, rows, batch) : NaN;
  return {
    snapshotsPerSecondSetting: snapshotsPerSecond,
    views,
    seconds: elapsed,
    window: { fromStep: first?.step, toStep: last?.step, fromEpoch: first?.epoch, toEpoch: last?.epoch, seconds: span },
    samplesPerSecond: samples / span,
    samplesPerSecondStepsTimes128: first && last ? ((last.step - first.step) * batch) / span : NaN,
    wholeEpochs: { epochs: e0 && e1 ? [e0.epoch, e1.epoch] : [], samplesPerSecond: wholeEpochs, resolutionSeconds: 1 / snapshotsPerSecond },
    workerTrainingSeconds: workerSeconds,
    loss: snap.history.length ? snap.history[snap.history.length - 1].loss : NaN,
    snapshotsPerSecond: w.snapshots / elapsed,
    snapshotGapMs: summary(w.gaps.map((g) => g.ms)),
    // The five longest, with the steps around them and whether the snapshot after brought an epoch's record.
    longestGaps: w.gaps.sort((a, b) => b.ms - a.ms).slice(0, 5),
    viewMessageBytes: summary(viewBytes),
    workerSnapshotBytes: summary(workerBytes),
    eventLoopDelayMs: delays(delay),
    eventLoopUtilization: elu,
    handlerMsPerSnapshot: summary(w.handlerMs),
    cloneMsPerViewMessage: w.clones ? w.cloneMs / w.clones : NaN,
    loadavg1: [load0, load1],
  };
}

/**
 * The CLI on the same files, one thread: the rate between its epoch lines (an epoch's training
 * and its evaluation, as the worker's epochs; loading and the first epoch's warm-up excluded).
 */
function measureCli(files, epochs, rows) {
  return new Promise((resolve, reject) => {
    const cli = path.join(root, 'dist', 'cli.js');
    const load0 = os.loadavg()[0];
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'train', files.model, '--threads', '1', '--epochs', String(epochs)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const at = performance.now();
      pending += chunk;
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        const line = pending.slice(0, i).trim();
        pending = pending.slice(i + 1);
        if (line.startsWith('{')) lines.push({ at, ...JSON.parse(line) });
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`dist/cli.js train exited with ${code}: ${stderr.trim()}`));
      const epochSeconds = lines.slice(1).map((l, k) => (l.at - lines[k].at) / 1000);
      const perEpoch = summary(epochSeconds);
      resolve({
        epochs,
        firstLineSeconds: lines.length ? (lines[0].at - started) / 1000 : NaN,
        epochSeconds,
        samplesPerSecond: rows / perEpoch.median,
        lines: lines.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => k !== 'at'))),
        loadavg1: [load0, os.loadavg()[0]],
      });
    });
  });
}

/** Issue 20's workload: the relay at 20 snapshots/s to two views, the session alone, the CLI. */
async function fashion(host) {
  const files = fashionFiles();
  const loaded = await loadFashion(files);
  const { model, data } = loaded;
  const sizes = model.layers.map((l) => l.units).join('-');
  const n = (x) => Math.round(x).toLocaleString('en-US');
  console.log(
    `fashion-mnist ${sizes} (${n(data.train.rows)} rows, batch ${model.optimizer.batchSize}, ${model.optimizer.type} ${model.optimizer.learningRate}, float32, 1 thread): ` +
      `${path.relative(root, files.csv) || files.csv} (${(loaded.csvBytes / 1e6).toFixed(0)} MB) loaded by the CLI's loaders in ${loaded.loadSeconds.toFixed(1)} s`,
  );
  const relay = await measureFashion(host, loaded, { snapshotsPerSecond: 20, views: 2 });
  const rates = (r) =>
    `${n(r.samplesPerSecond)} samples/s (steps ${r.window.fromStep}-${r.window.toStep} in ${r.window.seconds.toFixed(1)} s; ` +
    `over whole epochs ${r.wholeEpochs.epochs.join('-') || 'none'}: ${n(r.wholeEpochs.samplesPerSecond)} by the clock, ${n(r.workerTrainingSeconds?.samplesPerSecond ?? NaN)} by the worker's training seconds)`;
  const d = relay.eventLoopDelayMs;
  const h = relay.handlerMsPerSnapshot;
  console.log(
    `fashion, 20 snapshots/s to 2 views: ${rates(relay)}, ` +
      `${relay.snapshotsPerSecond.toFixed(1)} snapshots/s (longest gap ${relay.snapshotGapMs.max.toFixed(0)} ms); ` +
      `bytes per view message median ${n(relay.viewMessageBytes.median)} (max ${n(relay.viewMessageBytes.max)}), per worker snapshot median ${n(relay.workerSnapshotBytes.median)} (max ${n(relay.workerSnapshotBytes.max)}); ` +
      `event-loop delay p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms; ` +
      `host handler per snapshot mean ${h.mean.toFixed(2)} ms, median ${h.median.toFixed(2)}, p99 ${h.p99.toFixed(2)}, max ${h.max.toFixed(1)} ` +
      `(clone ${relay.cloneMsPerViewMessage.toFixed(2)} ms per view message); ` +
      `event-loop utilization ${(100 * relay.eventLoopUtilization).toFixed(0)} %; load average ${relay.loadavg1.map((x) => x.toFixed(1)).join(' → ')}`,
  );
  const alone = await measureFashion(host, loaded, { snapshotsPerSecond: 1, views: 0 });
  console.log(
    `fashion, the session alone at 1 snapshot/s, no views: ${rates(alone)}; ` +
      `relay ÷ alone ${(relay.samplesPerSecond / alone.samplesPerSecond).toFixed(2)}; load average ${alone.loadavg1.map((x) => x.toFixed(1)).join(' → ')}`,
  );
  let cli;
  if (!skipCli) {
    cli = await measureCli(files, cliEpochs, data.train.rows);
    console.log(
      `fashion, CLI (dist/cli.js train --threads 1 --epochs ${cli.epochs}): ${n(cli.samplesPerSecond)} samples/s between its epoch lines (epochs of ${cli.epochSeconds.map((x) => x.toFixed(1)).join(', ')} s; ` +
        `load and first epoch ${cli.firstLineSeconds.toFixed(1)} s); relay ÷ CLI ${(relay.samplesPerSecond / cli.samplesPerSecond).toFixed(2)} (whole epochs ${(relay.wholeEpochs.samplesPerSecond / cli.samplesPerSecond).toFixed(2)}), alone ÷ CLI ${(alone.samplesPerSecond / cli.samplesPerSecond).toFixed(2)}; ` +
        `load average ${cli.loadavg1.map((x) => x.toFixed(1)).join(' → ')}`,
    );
  }
  console.log("fashion, the webview's frame time while training: not measured here (no webview); `npm run bench:panel` measures it in a real browser");
  return {
    files: { dir: files.dir, csvBytes: loaded.csvBytes },
    model: { layers: model.layers.map((l) => l.units), batchSize: model.optimizer.batchSize, optimizer: model.optimizer.type, learningRate: model.optimizer.learningRate },
    rows: data.train.rows,
    loadSeconds: loaded.loadSeconds,
    warmupSeconds: WARMUP_SECONDS,
    relay,
    alone,
    cli,
    ratios: {
      relayOverAlone: relay.samplesPerSecond / alone.samplesPerSecond,
      relayOverCli: cli ? relay.samplesPerSecond / cli.samplesPerSecond : undefined,
      aloneOverCli: cli ? alone.samplesPerSecond / cli.samplesPerSecond : undefined,
      relayWholeEpochsOverCli: cli ? relay.wholeEpochs.samplesPerSecond / cli.samplesPerSecond : undefined,
    },
    webviewFrameTime: 'measured by npm run bench:panel (a real browser), not by this benchmark',
  };
}

/** The machine: /proc/cpuinfo's model name, cores, node, the load average now. */
function machine() {
  let cpu = os.cpus()[0]?.model;
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus()'s name
  }
  return { cpu, cores: os.cpus().length, node: process.version, loadavg: os.loadavg() };
}

async function main() {
  const host = hostModules();
  const results = [];
  if (longOnly) {
    const long = await measureLong(host, longEpochs);
    if (outFile) fs.writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), long }, null, 2) + '\n');
    return;
  }
  const idle = await baseline(Math.min(seconds, 5) * 1000);
  console.log(`idle host (no training), the machine's own noise: event-loop delay p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms, max ${idle.max.toFixed(1)} ms; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  for (const precision of fashionOnly ? [] : precisions) {
    const r = await measure(host, precision);
    results.push(r);
    const d = r.eventLoopDelayMs;
    console.log(
      `${precision}: ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s (${r.epochs} epochs, ${r.steps} steps in ${r.seconds.toFixed(1)} s), ` +
        `event-loop delay p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms ${d.p99 < 50 ? '(holds < 50 ms)' : '(MISSED 50 ms)'}, ` +
        `${r.snapshotsPerSecond.toFixed(1)} snapshots/s to 2 views, longest gap ${r.snapshotGapMs.max.toFixed(0)} ms, ` +
        `clone ${r.cloneMsPerViewMessage.toFixed(2)} ms per view message`,
    );
  }
  const fashionResult = skipFashion ? undefined : await fashion(host);
  const long = skipLong || fashionOnly ? undefined : await measureLong(host, longEpochs);
  if (outFile) {
    const doc = { date: new Date().toISOString(), commit: commitOf(), machine: machine(), seconds, idleEventLoopDelayMs: idle, results, fashion: fashionResult, long };
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(doc, null, 2) + '\n');
    console.log(`wrote ${outFile}`);
  }
}

/** The commit this tree is at (and whether it has changes), for the JSON. */
function commitOf() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head} (src changed)` : head;
  } catch {
    return undefined;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
