// One benchmark trial in its own process: one engine, one workload. Prints one JSON line with the
// training time, the samples trained and the process's peak resident memory, so that each
// engine's memory is its own. Run by bench/bench.js; not meant to be run by hand, though
// `node bench/trial.js ENGINE WORKLOAD '{...}'` works.
const { performance } = require('perf_hooks');
const path = require('path');

const [engineName, workloadName, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson || '{}');
const peers = path.join(__dirname, 'node_modules');
const fastBundle = path.join(__dirname, '..', 'out', 'bench', 'fast.js');

const { rng, w3Samples } = require('./workloadData');

/** The workloads of issue 6. Each: layers (sizes, activations), loss, data, batching, optimizer. */
function workload(name, smoke) {
  const r = rng(12345);
  if (name === 'W1') {
    // XOR, 2-4-1 sigmoid, ½ Σ (y − ŷ)², full batch.
    const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
    const y = new Float32Array([0, 1, 1, 0]);
    return { sizes: [2, 4, 1], acts: ['sigmoid', 'sigmoid'], loss: 'sse', rows: 4, x, y, batch: 4, epochs: smoke ? 50 : 10000, shuffle: false, lr: 0.3, momentum: 0.1 };
  }
  if (name === 'W2') {
    // A teaching-size net: 2-8-8-1 tanh on a disc (inside: 1, outside: 0), batches of 10.
    const rows = 500;
    const x = new Float32Array(rows * 2);
    const y = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      const u = 2 * r() - 1;
      const v = 2 * r() - 1;
      x[2 * i] = u;
      x[2 * i + 1] = v;
      y[i] = u * u + v * v < 0.5 ? 1 : 0;
    }
    return { sizes: [2, 8, 8, 1], acts: ['tanh', 'tanh', 'tanh'], loss: 'sse', rows, x, y, batch: 10, epochs: smoke ? 2 : 200, shuffle: true, lr: 0.01, momentum: 0.1 };
  }
  if (name === 'W3') {
    // MNIST's shape: 784 pixels in [0, 1], mostly 0, 10 classes; each class a blurred prototype.
    const rows = smoke ? 640 : 10000;
    const { x, y } = w3Samples(rows, Float32Array);
    return { sizes: [784, 128, 64, 10], acts: ['relu', 'relu', 'softmax'], loss: 'cross_entropy', rows, x, y, batch: 64, epochs: smoke ? 1 : 3, shuffle: true, lr: 0.05, momentum: 0.1 };
  }
  throw new Error(`unknown workload ${name}`);
}

/** The initial parameters every engine starts from: U(−0.2, 0.2), brain.js's own scale; b = 0. */
function initialParameters(sizes) {
  const r = rng(777);
  const params = [];
  for (let l = 1; l < sizes.length; l++) {
    const W = Float32Array.from({ length: sizes[l - 1] * sizes[l] }, () => 0.4 * r() - 0.2);
    params.push({ W, b: new Float32Array(sizes[l]) });
  }
  return params;
}

function shuffled(order, r) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

// ---------------------------------------------------------------- this project's fast path

async function trainFast(w, variant) {
  const fast = require(fastBundle);
  const layers = [{ units: w.sizes[0] }, ...w.acts.map((activation, k) => ({ units: w.sizes[k + 1], activation }))];
  const net = fast.FastNetwork.build({ layers, loss: w.loss, maxBatch: w.batch, kernels: variant });
  initialParameters(w.sizes).forEach((p, k) => {
    const v = net.parameters(k);
    v.W.set(p.W);
    v.b.set(p.b);
  });
  net.setOptimizer({ type: 'sgd', learningRate: w.lr, momentum: w.momentum });
  const samples = { rows: w.rows, x: w.x, y: w.y };
  const order = new Int32Array(w.rows);
  const gen = new fast.Random(99);
  let last = NaN;
  const t0 = performance.now();
  for (let e = 0; e < w.epochs; e++) {
    const { updates, lossSum } = fast.trainEpochFast(net, samples, { batchSize: w.batch, shuffle: w.shuffle, rng: gen, order });
    last = lossSum / updates;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, loss: last, detail: { kernels: net.variant, heapBytes: net.bytes } };
}

// ---------------------------------------------------------------- TensorFlow.js

async function loadTf(backend) {
  // bench.js bundles tfjs-core (with its gradients) and both backends into out/bench/tfjs.js.
  const { tf, setWasmPaths } = require(path.join(__dirname, '..', 'out', 'bench', 'tfjs.js'));
  setWasmPaths(path.join(peers, '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  const quiet = console.log;
  console.log = () => {}; // tfjs advertises tfjs-node on stdout, which carries our JSON
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialize`);
    await tf.ready();
  } finally {
    console.log = quiet;
  }
  return tf;
}

/** tfjs's other idiomatic path: a tfjs-layers `sequential` model trained by `model.fit` (shuffle: true). */
async function trainTfFit(w, backend) {
  const tf = await loadTf(backend);
  const { tfl } = require(path.join(__dirname, '..', 'out', 'bench', 'tfjs.js'));
  const params = initialParameters(w.sizes);
  const model = tfl.sequential();
  w.acts.forEach((act, k) => {
    const activation = act === 'softmax' && w.loss === 'cross_entropy' ? 'softmax' : act;
    model.add(tfl.layers.dense({ units: w.sizes[k + 1], activation, ...(k === 0 ? { inputShape: [w.sizes[0]] } : {}) }));
  });
  model.layers.forEach((layer, k) => layer.setWeights([tf.tensor2d(params[k].W, [w.sizes[k], w.sizes[k + 1]]), tf.tensor1d(params[k].b)]));
  const loss = w.loss === 'cross_entropy' ? 'categoricalCrossentropy' : (yt, yp) => tf.mul(0.5, tf.sum(tf.squaredDifference(yp, yt)));
  model.compile({ optimizer: w.momentum > 0 ? tf.train.momentum(w.lr, w.momentum) : tf.train.sgd(w.lr), loss });
  const X = tf.tensor2d(w.x, [w.rows, w.sizes[0]]);
  const Y = tf.tensor2d(w.y, [w.rows, w.sizes[w.sizes.length - 1]]);
  const t0 = performance.now();
  const h = await model.fit(X, Y, { batchSize: w.batch, epochs: w.epochs, shuffle: w.shuffle, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  // fit's epoch loss is the mean of its batches' losses, weighted by their sizes.
  return { seconds, loss: h.history.loss[h.history.loss.length - 1], detail: { backend, harness: 'model.fit' } };
}

async function trainTf(w, backend) {
  const tf = await loadTf(backend);
  const params = initialParameters(w.sizes);
  const vars = [];
  const layers = params.map((p, k) => {
    const W = tf.variable(tf.tensor2d(p.W, [w.sizes[k], w.sizes[k + 1]]));
    const b = tf.variable(tf.tensor1d(p.b));
    vars.push(W, b);
    return { W, b, act: w.acts[k] };
  });
  const X = tf.tensor2d(w.x, [w.rows, w.sizes[0]]);
  const Y = tf.tensor2d(w.y, [w.rows, w.sizes[w.sizes.length - 1]]);
  const opt = w.momentum > 0 ? tf.train.momentum(w.lr, w.momentum) : tf.train.sgd(w.lr);
  const lossOf = (xb, yb) => {
    let a = xb;
    let z = xb;
    for (const l of layers) {
      z = tf.add(tf.matMul(a, l.W), l.b);
      a = l.act === 'relu' ? tf.relu(z) : l.act === 'tanh' ? tf.tanh(z) : l.act === 'sigmoid' ? tf.sigmoid(z) : z;
    }
    if (w.loss === 'cross_entropy') return tf.losses.softmaxCrossEntropy(yb, z);
    return tf.mul(0.5, tf.sum(tf.squaredDifference(a, yb)));
  };
  const r = rng(99);
  const order = new Int32Array(w.rows);
  for (let i = 0; i < w.rows; i++) order[i] = i;
  const full = w.batch >= w.rows && !w.shuffle;
  const nIn = w.sizes[0];
  const nOut = w.sizes[w.sizes.length - 1];
  // Each epoch's batches are built as tensors before that epoch, outside the timed loop (a tfjs
  // user's pre-built batches, its fastest path here): only minimize() is timed. One epoch's
  // batches at a time, so memory holds about one more copy of the data, not one per epoch.
  const batchesOf = () => {
    if (w.shuffle) shuffled(order, r);
    const out = [];
    for (let start = 0; start < w.rows; start += w.batch) {
      const count = Math.min(w.batch, w.rows - start);
      const xb = new Float32Array(count * nIn);
      const yb = new Float32Array(count * nOut);
      for (let i = 0; i < count; i++) {
        const row = order[start + i];
        xb.set(w.x.subarray(row * nIn, (row + 1) * nIn), i * nIn);
        yb.set(w.y.subarray(row * nOut, (row + 1) * nOut), i * nOut);
      }
      out.push([tf.tensor2d(xb, [count, nIn]), tf.tensor2d(yb, [count, nOut])]);
    }
    return out;
  };
  const lastCosts = []; // the last epoch's batch losses (before each update), as every engine reports
  let seconds = 0;
  for (let e = 0; e < w.epochs; e++) {
    const batches = full ? [[X, Y]] : batchesOf();
    const t0 = performance.now();
    for (let i = 0; i < batches.length; i++) {
      const last = e === w.epochs - 1;
      const cost = opt.minimize(() => lossOf(batches[i][0], batches[i][1]), last, vars);
      if (last) lastCosts.push(cost);
    }
    if (e === w.epochs - 1) lastCosts[lastCosts.length - 1].dataSync();
    seconds += (performance.now() - t0) / 1000;
    if (!full) {
      for (const [xb, yb] of batches) {
        xb.dispose();
        yb.dispose();
      }
    }
  }
  const loss = lastCosts.reduce((sum, c) => sum + c.dataSync()[0], 0) / lastCosts.length;
  return { seconds, loss, detail: { backend, harness: 'pre-built batches', ...(backend === 'wasm' ? { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') } : {}) } };
}

// ---------------------------------------------------------------- brain.js

async function trainBrain(w) {
  const brain = require(path.join(peers, 'brain.js'));
  // brain.js has one activation for every layer, no softmax and no mini-batches: it updates per
  // sample, with its own ½-squared-error deltas. W3 therefore runs ReLU throughout.
  const activation = w.acts[0] === 'tanh' ? 'tanh' : w.acts[0] === 'relu' ? 'relu' : 'sigmoid';
  const net = new brain.NeuralNetwork({ hiddenLayers: w.sizes.slice(1, -1), activation });
  const nIn = w.sizes[0];
  const nOut = w.sizes[w.sizes.length - 1];
  const data = [];
  for (let i = 0; i < w.rows; i++) data.push({ input: Array.from(w.x.subarray(i * nIn, (i + 1) * nIn)), output: Array.from(w.y.subarray(i * nOut, (i + 1) * nOut)) });
  const opts = { iterations: w.epochs, errorThresh: 1e-12, log: false, learningRate: w.lr, momentum: w.momentum };
  // brain.js draws its own U(−0.2, 0.2) weights (Math.random), the scale the others start from.
  const t0 = performance.now();
  const result = net.train(data, opts);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, loss: result.error, detail: { perSample: true } };
}

// ---------------------------------------------------------------- PyTorch and scikit-learn

/**
 * Writes the workload (x, y and the initial weights as float32, a JSON header beside) and trains
 * it in bench/peers.py under Debian's Python, which times only its training loop and reports its
 * own peak RSS. `threads`: 1 for the equal-threads table, undefined for the libraries' defaults.
 */
function trainPython(w, engine, threads) {
  const fs = require('fs');
  const os = require('os');
  const { spawnSync } = require('child_process');
  const { PYTHON, environment } = require('./pythonPeers');
  const { Buffer } = require('buffer');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-bench-'));
  try {
    const params = initialParameters(w.sizes);
    const parts = [w.x, w.y, ...params.flatMap((p) => [p.W, p.b])].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.concat(parts));
    const header = { bin: 'data.bin', sizes: w.sizes, acts: w.acts, loss: w.loss, rows: w.rows, batch: w.batch, epochs: w.epochs, shuffle: w.shuffle, lr: w.lr, momentum: w.momentum, threads: threads ?? null };
    fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(header));
    const res = spawnSync(PYTHON, [path.join(__dirname, 'peers.py'), engine, path.join(dir, 'data.json')], { encoding: 'utf8', env: environment(threads), maxBuffer: 1 << 24 });
    if (res.status !== 0) throw new Error(`${engine} failed:\n${res.stderr}`);
    const lines = res.stdout.trim().split('\n');
    const out = JSON.parse(lines[lines.length - 1]);
    return { seconds: out.seconds, loss: out.lossPerSample, lossPerSample: out.lossPerSample, pythonPeakRssMiB: out.peakRssMiB, detail: out.detail };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- GEMM

async function gemmTrial(engine, cfg) {
  const { m, n, k } = cfg;
  const flops = 2 * m * n * k;
  const minSeconds = cfg.minSeconds ?? 0.3;
  const maxReps = cfg.maxReps ?? 200;
  const time = (fn) => {
    fn(); // warm-up (and JIT)
    let reps = 0;
    const t0 = performance.now();
    let t = t0;
    do {
      fn();
      reps++;
      t = performance.now();
    } while ((t - t0) / 1000 < minSeconds && reps < maxReps);
    return (t - t0) / 1000 / reps;
  };
  const results = {};
  if (engine.startsWith('fast')) {
    const fast = require(fastBundle);
    const variant = engine === 'fast-js' ? 'js' : engine === 'fast-simd' ? 'simd' : 'auto';
    const kern = fast.createKernels(16 + m * k + k * n + m * n + fast.packFloats(m, n, k) + 64, variant);
    const h = kern.heap;
    const A = 16;
    const B = A + m * k;
    const C = B + k * n;
    const P = C + m * n;
    const r = rng(5);
    for (let i = A; i < P; i++) h[i] = r() - 0.5;
    // NN: C = A B; TN: C = Aᵀ B with A stored k × m; NT: C = A Bᵀ with B stored n × k.
    results.nn = time(() => kern.gemm(0, 0, m, n, k, A, k, B, n, C, n, 0, 0, 0, P));
    results.tn = time(() => kern.gemm(1, 0, m, n, k, A, m, B, n, C, n, 0, 0, 0, P));
    results.nt = time(() => kern.gemm(0, 1, m, n, k, A, k, B, k, C, n, 0, 0, 0, P));
    results.kernels = kern.variant;
  } else {
    const tf = await loadTf(engine === 'tfjs-wasm' ? 'wasm' : 'cpu');
    const r = rng(5);
    const a = tf.tensor2d(Float32Array.from({ length: m * k }, () => r() - 0.5), [m, k]);
    const at = tf.tensor2d(Float32Array.from({ length: m * k }, () => r() - 0.5), [k, m]);
    const b = tf.tensor2d(Float32Array.from({ length: k * n }, () => r() - 0.5), [k, n]);
    const bt = tf.tensor2d(Float32Array.from({ length: k * n }, () => r() - 0.5), [n, k]);
    const run = (x, y, ta, tb) => () => {
      const c = tf.matMul(x, y, ta, tb);
      c.dataSync();
      c.dispose();
    };
    results.nn = time(run(a, b, false, false));
    results.tn = time(run(at, b, true, false));
    results.nt = time(run(a, bt, false, true));
  }
  const gflops = {};
  for (const v of ['nn', 'tn', 'nt']) gflops[v] = flops / results[v] / 1e9;
  return { gflops, detail: results.kernels ? { kernels: results.kernels } : {} };
}

// ---------------------------------------------------------------- main

async function main() {
  // Every JavaScript engine runs under the V8 flags our CLI and training worker run under: on
  // Node 20, relaxed SIMD on (src/node/relaxedSimd.ts; V8 11.4+, so Node 22 and VS Code's
  // Electron, have it by default). It only lets modules with relaxed-SIMD instructions validate:
  // tfjs-wasm's binaries have none, so it changes nothing for them. `fast-simd` is our path on
  // the plain 128-bit kernels, what Node 20 runs without the flag.
  require(fastBundle).enableRelaxedSimd();
  let out;
  if (workloadName === 'GEMM') {
    out = await gemmTrial(engineName, config);
  } else {
    const w = workload(workloadName, Boolean(config.smoke));
    const rssBefore = process.memoryUsage().rss;
    const res =
      engineName === 'fast' ? await trainFast(w, 'auto')
      : engineName === 'fast-simd' ? await trainFast(w, 'simd')
      : engineName === 'fast-js' ? await trainFast(w, 'js')
      : engineName === 'tfjs-wasm' ? await trainTf(w, 'wasm')
      : engineName === 'tfjs-cpu' ? await trainTf(w, 'cpu')
      : engineName === 'tfjs-wasm-fit' ? await trainTfFit(w, 'wasm')
      : engineName === 'tfjs-cpu-fit' ? await trainTfFit(w, 'cpu')
      : engineName === 'brain.js' ? await trainBrain(w)
      : engineName === 'torch' || engineName === 'sklearn' ? trainPython(w, engineName, config.threads)
      : undefined;
    if (!res) throw new Error(`unknown engine ${engineName}`);
    const samples = w.rows * w.epochs;
    // Per sample, comparable across engines: sse sums over a batch (divide by its rows), brain.js
    // reports the mean of (y − ŷ)² (halve it), cross-entropy is a batch mean already. brain.js's
    // W3 minimizes squared error, not cross-entropy: no comparable figure.
    const perSample =
      res.lossPerSample !== undefined ? res.lossPerSample
      : engineName === 'brain.js' ? (w.loss === 'sse' ? res.loss / 2 : null)
      : w.loss === 'sse' ? res.loss / Math.min(w.batch, w.rows)
      : res.loss;
    out = { ...res, lossPerSample: perSample, samples, samplesPerSecond: samples / res.seconds, rssBeforeMiB: rssBefore / 2 ** 20 };
  }
  // maxRSS is in KiB: the peak over this process's whole life, training included.
  out.peakRssMiB = out.pythonPeakRssMiB ?? process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
