#!/usr/bin/env node
// Times training W3 (784-128-64-10 ReLU, softmax + cross-entropy, batch 64, SGD η 0.05 μ 0.1, the
// data of bench/workloadData.js) on the fast path with 1 and with N threads, interleaved, in this
// one process (the kernels' JIT and the data are shared; each run builds its own network). Each
// epoch ends, as the CLI's `train` does, with the loss and accuracy over the whole training set
// (--no-evaluate leaves that out). Prints each run, the medians, their ratio, the ratios within
// each repeat (the machine's speed drifts between repeats more than within one) and the load.
//
// --pair also runs, in each repeat, N independent one-thread trainings at once (N worker threads,
// each its own network and data, started together, no sharing): what N cores of this machine
// give when nothing is shared or synchronized, the ceiling for data-parallel training here.
// Its ratio is N × (one alone's time) ÷ (the slowest of the N's time).
//   npx tsc -p tsconfig.test.json && node scripts/threads-timing.js [--threads 2] [--runs 5] [--rows 10000] [--epochs 1] [--batch 64] [--min-work N] [--pair]
const os = require('os');
// As the CLI and the training worker do: relaxed-SIMD kernels on Node 20 too.
require('../out/src/node/relaxedSimd').enableRelaxedSimd();
const { FastNetwork, trainEpochFast, fastMaxBatch } = require('../out/src/fast');
const { w3Samples, rng } = require('../bench/workloadData');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const threads = arg('threads', 2);
const runs = arg('runs', 5);
const rows = arg('rows', 10000);
const evaluate = !process.argv.includes('--no-evaluate');
const minWork = arg('min-work', undefined);
const epochs = arg('epochs', 1);
const batch = arg('batch', 64);
const { x, y } = w3Samples(rows, Float32Array);
const samples = { rows, x, y };
const layers = [{ units: 784 }, { units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }];

function initial(net) {
  const r = rng(7);
  net.layers.forEach((l, k) => {
    const { W } = net.parameters(k);
    const s = Math.sqrt(2 / l.nIn);
    for (let i = 0; i < W.length; i++) W[i] = (r() * 2 - 1) * s;
  });
}

function run(T) {
  const net = FastNetwork.build({ layers, loss: 'cross_entropy', maxBatch: fastMaxBatch(rows, batch), threads: T, ...(minWork !== undefined ? { shardMinWork: minWork } : {}) });
  initial(net);
  net.setOptimizer({ type: 'sgd', learningRate: 0.05, momentum: 0.1 });
  const shuffle = rng(1);
  const options = { batchSize: batch, shuffle: true, rng: { shuffle: (a) => { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(shuffle() * (i + 1)); const t = a[i]; a[i] = a[j]; a[j] = t; } } } };
  const t0 = process.hrtime.bigint();
  let loss = 0;
  for (let e = 0; e < epochs; e++) {
    trainEpochFast(net, samples, options);
    if (evaluate) loss = net.evaluate(samples, true).loss;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const used = net.threads;
  net.dispose();
  return { seconds, loss, used };
}

const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const spread = (a) => {
  const sorted = [...a].sort((p, q) => p - q);
  return `${sorted[0].toFixed(2)} / ${median(sorted).toFixed(2)} / ${sorted[sorted.length - 1].toFixed(2)}`;
};

/** N one-thread trainings at once in N worker threads; resolves to the slowest one's seconds. */
async function pair(N) {
  const { Worker } = require('worker_threads');
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    process.argv = workerData.argv;
    const { run, gateWait } = require(${JSON.stringify(require.resolve('./threads-timing.js'))});
    run(1); // warm-up, as the main thread's runs had theirs
    parentPort.postMessage('ready');
    gateWait(workerData.gate);
    parentPort.postMessage(run(1).seconds);
  `;
  const workers = Array.from({ length: N }, () => new Worker(source, { eval: true, workerData: { gate, argv: process.argv } }));
  const messages = workers.map((w) => {
    const got = [];
    const waiters = [];
    w.on('message', (m) => (waiters.length ? waiters.shift()(m) : got.push(m)));
    return () => (got.length ? Promise.resolve(got.shift()) : new Promise((r) => waiters.push(r)));
  });
  await Promise.all(messages.map((next) => next())); // every one ready
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  const seconds = await Promise.all(messages.map((next) => next()));
  await Promise.all(workers.map((w) => w.terminate()));
  return Math.max(...seconds);
}

function gateWait(gate) {
  Atomics.wait(gate, 0, 0);
}

module.exports = { run, gateWait };

async function main() {
  const withPair = process.argv.includes('--pair');
  const times = { 1: [], [threads]: [] };
  const pairs = [];
  const ratios = [];
  const pairRatios = [];
  run(1); // warm-up
  run(threads);
  for (let i = 0; i < runs; i++) {
    for (const T of [1, threads]) {
      const r = run(T);
      times[T].push(r.seconds);
      console.log(`threads ${T} (ran on ${r.used}): ${r.seconds.toFixed(3)} s, ${Math.round((rows * epochs) / r.seconds)} samples/s, loss ${r.loss}`);
    }
    ratios.push(times[1][i] / times[threads][i]);
    if (withPair) {
      const p = await pair(threads);
      pairs.push(p);
      pairRatios.push((threads * times[1][i]) / p);
      console.log(`${threads} independent one-thread runs at once: slowest ${p.toFixed(3)} s, ${Math.round((threads * rows * epochs) / p)} samples/s together`);
    }
  }
  for (const T of [1, threads]) console.log(`threads ${T}: median ${median(times[T]).toFixed(3)} s, min ${Math.min(...times[T]).toFixed(3)}, max ${Math.max(...times[T]).toFixed(3)}`);
  console.log(`speedup (median): ${(median(times[1]) / median(times[threads])).toFixed(2)}x; within each repeat (min / median / max): ${spread(ratios)}`);
  if (withPair) console.log(`${threads} independent one-thread runs at once: ${(threads * median(times[1]) / median(pairs)).toFixed(2)}x one's throughput (medians); within each repeat: ${spread(pairRatios)}`);
  console.log(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; ${os.cpus().length} cores`);
}

if (require.main === module) main();
