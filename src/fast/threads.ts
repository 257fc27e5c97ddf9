/**
 * Data-parallel training on T threads over one shared WebAssembly memory (issue #13, "every
 * core"). The calling thread is thread 0 and runs its share; T − 1 worker_threads run the rest.
 * Every thread instantiates the same shared-memory kernels over the same memory (kernels.ts's
 * shared variants), so the weights are read in place; each has its own plan and GEMM pack buffer.
 *
 * A mini-batch of m rows is split into T contiguous shards (the first m mod T one row longer).
 * Each thread runs forward and backward to dL/dz[l] on its shard, in place in the network's own
 * arrays, with the loss's divisor of the whole batch (backwardDeltas). Then each thread computes
 * a slice of every dL/dW[l] = a[l−1]ᵀ dL/dz[l] (rows i0..i1) and dL/db[l] over all the batch's
 * rows, and the optimizer updates the same slice. Every number is computed by one thread in a
 * fixed order, the same whichever thread runs it, and a GEMM's path depends on its n and k, not
 * on the rows a thread has: the parameters are one thread's, bit for bit, for any T (the loss a
 * step reports is the shards' sums added in shard order, so it may differ in the last bits).
 *
 * Synchronization is one Int32Array in a SharedArrayBuffer: thread 0 writes a command and bumps
 * GEN (Atomics.notify, when a worker sleeps). The command's parts (shard t's rows, or slice t of every array) are
 * claimed one at a time by compare-and-swap on NEXT, which carries the command's generation, so a
 * late thread cannot claim a part of a command already done; every thread, thread 0 included,
 * claims parts until none is left and bumps DONE for each, and thread 0 waits until DONE = the
 * parts. Part t is the same rows or slice whichever thread runs it, so the numbers do not depend
 * on who ran what; and on a busy machine a worker that is slow to wake costs thread 0 no wait:
 * thread 0 runs the parts the worker has not claimed. A thread that throws records the message and still
 * bumps DONE, so the error surfaces in thread 0 as an Error, not as a hang.
 *
 * The worker's code is `threadWork` below, sent as source text (eval), so that it needs no file
 * next to the CLI's or the extension's bundle: it must use nothing but its arguments.
 */
import { Worker } from 'node:worker_threads';
import type { FastLayer } from './FastNetwork';

/** Slots of the control block (Int32Array). */
const GEN = 0;
const DONE = 1;
const CMD = 2;
const ERROR = 3;
const READY = 4;
/** The command's generation (low 24 bits) << 7 | the next part to claim. */
const NEXT = 8;
const TOTAL = 5;
const FUSED = 6;
const ADAM = 7;
const SHARD_ROWS = 16; // + t
const SHARD_START = 16 + 64; // + t
const INTS = 16 + 128;
/** Float64 slots (after the ints): the optimizer's numbers, then each thread's S. */
const F_PARAMS = 0; // eta, mu, beta1, beta2, c1, c2, eps, lambda
const F_LOSS = 8; // + t
const FLOATS = 8 + 64;
const MESSAGE_BYTES = 1024;

/**
 * How long an idle worker keeps polling for the next command before it sleeps in Atomics.wait,
 * in ms. Waking a sleeper costs thread 0 far more than a step's gap: Atomics.notify on a busy
 * 2-core machine measured 0.1–0.6 ms a step (the woken worker preempts thread 0), while the gap
 * between two steps of an epoch is tens of microseconds. Longer polls (1–2 ms) measured no better
 * and, with another process busy on the machine, worse: a polling worker is one more runnable
 * thread. Between epochs and after the run, the workers sleep.
 */
const POLL_MS = 0.2;
/** Slot: workers asleep in Atomics.wait (thread 0 notifies only when one is). */
const SLEEPING = 9;
/** Slot: 1 while thread 0 sleeps in Atomics.wait for DONE (the workers notify only then). */
const WAITING = 10;
/** Slot: the parts of the current command. */
const PARTS = 11;
/**
 * Parts per thread. A command cut finer than the threads lets a thread that is ahead (or a worker
 * that woke late) take more of it; the cut, not who runs what, sets the numbers. On W3 with two
 * threads, 2 measured slower than 1 (T = 2 medians 0.36–0.46 s against 0.30–0.37 s, interleaved):
 * smaller products cost more than the balance gains.
 */
const PARTS_PER_THREAD = 1;

/** Commands. */
export const CMD_FORWARD_BACKWARD = 1;
export const CMD_GRADIENTS = 2;
export const CMD_UPDATE = 3;
export const CMD_GRADIENTS_UPDATE = 4;
const CMD_EXIT = 5;
export const CMD_FORWARD_LOSS = 6;

export const MAX_THREADS = 64;

/** The heap indices the threads work with: the network's own arrays, and each part's plan and pack. */
export interface ThreadLayout {
  readonly threads: number;
  readonly x: number;
  readonly y: number;
  readonly n0: number;
  readonly nL: number;
  /** plans[t]: part t's plan, the network's arrays but its own pack buffer (its rows are set per command). */
  readonly plans: readonly number[];
  readonly packs: readonly number[];
  readonly lossCode: number;
  /** The probability clamp ε of the losses. */
  readonly eps: number;
  /** Each layer's heap indices (FastNetwork's own), and a[l−1]'s (x for the first layer). */
  readonly layers: readonly (Pick<FastLayer, 'nIn' | 'nOut' | 'W' | 'b' | 'dLdW' | 'dLdb' | 's1W' | 's1b' | 's2W' | 's2b' | 'z' | 'a' | 'd'> & { readonly aPrev: number })[];
}

interface ThreadExports {
  forwardAll(plan: number, m: number): void;
  backwardDeltas(plan: number, m: number, fused: number, total: number): number;
  lossSum(loss: number, fused: number, eps: number, z: number, a: number, y: number, rows: number, n: number): number;
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: number, bias: number, act: number, pack: number): void;
  columnSums(m: number, n: number, dz: number, ldz: number, db: number): void;
  sgd(count: number, w: number, g: number, eta: number, lambda: number): void;
  momentum(count: number, w: number, g: number, v: number, eta: number, mu: number, lambda: number): void;
  adam(count: number, w: number, g: number, m: number, v: number, eta: number, beta1: number, beta2: number, c1: number, c2: number, eps: number, lambda: number): void;
}

interface Slots {
  readonly CMD: number;
  readonly TOTAL: number;
  readonly FUSED: number;
  readonly ADAM: number;
  readonly SHARD_ROWS: number;
  readonly PARTS: number;
  readonly SHARD_START: number;
  readonly F_PARAMS: number;
  readonly F_LOSS: number;
  readonly CMD_FORWARD_BACKWARD: number;
  readonly CMD_GRADIENTS: number;
  readonly CMD_UPDATE: number;
  readonly CMD_GRADIENTS_UPDATE: number;
  readonly CMD_FORWARD_LOSS: number;
}

const SLOTS: Slots = { CMD, TOTAL, FUSED, ADAM, PARTS, SHARD_ROWS, SHARD_START, F_PARAMS, F_LOSS, CMD_FORWARD_BACKWARD, CMD_GRADIENTS, CMD_UPDATE, CMD_GRADIENTS_UPDATE, CMD_FORWARD_LOSS };

/**
 * Part t of a command. Runs in thread 0 and, as source text, in every worker: it may use only its
 * arguments and the language's globals.
 *
 * Forward (and backward to dL/dz[l]): part t is shard t, rows start..start+m of the batch, run by
 * the whole-network kernels in place in the network's own arrays (the plan's row pointers moved
 * to the shard). Gradients: part t is rows i0..i1 of every dL/dW[l] = a[l−1]ᵀ dL/dz[l] over all the
 * batch's rows, and columns j0..j1 of dL/db[l]: each number is the same sum, in the same order, as
 * one thread computes. Update: the optimizer over the same slice of W[l] and b[l].
 */
function threadWork(e: ThreadExports, d: ThreadLayout, s: Slots, ints: Int32Array, f64: Float64Array, heap32: Int32Array, t: number, thread: number): void {
  const cmd = ints[s.CMD];
  if (cmd === s.CMD_FORWARD_BACKWARD || cmd === s.CMD_FORWARD_LOSS) {
    const m = ints[s.SHARD_ROWS + t];
    const start = ints[s.SHARD_START + t];
    const plan = d.plans[thread]; // the thread's plan and pack, pointed at part t's rows
    heap32[plan + 1] = d.x + start * d.n0;
    heap32[plan + 2] = d.y + start * d.nL;
    for (let k = 0; k < d.layers.length; k++) {
      const l = d.layers[k];
      const q = plan + 8 + 32 * k; // the plan's layer k: z, a, d at slots 10, 11, 12
      heap32[q + 10] = l.z + start * l.nOut;
      heap32[q + 11] = l.a + start * l.nOut;
      heap32[q + 12] = l.d + start * l.nOut;
    }
    e.forwardAll(plan, m);
    const out = d.layers[d.layers.length - 1];
    if (cmd === s.CMD_FORWARD_BACKWARD) f64[s.F_LOSS + t] = e.backwardDeltas(plan, m, ints[s.FUSED], ints[s.TOTAL]);
    else f64[s.F_LOSS + t] = e.lossSum(d.lossCode, ints[s.FUSED], d.eps, out.z + start * d.nL, out.a + start * d.nL, d.y + start * d.nL, m, d.nL);
    return;
  }
  const T = ints[s.PARTS];
  const M = ints[s.TOTAL];
  // Part t of `count` items is [lo, hi) below (nothing here allocates: a step runs thousands of
  // these, and a garbage collection in a worker stalls every thread at the next barrier).
  if (cmd === s.CMD_GRADIENTS || cmd === s.CMD_GRADIENTS_UPDATE) {
    for (let k = 0; k < d.layers.length; k++) {
      const l = d.layers[k];
      const rowChunk = Math.ceil(l.nIn / T);
      const i0 = Math.min(l.nIn, t * rowChunk);
      const i1 = Math.min(l.nIn, (t + 1) * rowChunk);
      if (i1 > i0) e.gemm(1, 0, i1 - i0, l.nOut, M, l.aPrev + i0, l.nIn, l.d, l.nOut, l.dLdW + i0 * l.nOut, l.nOut, 0, 0, 0, d.packs[thread]);
      const colChunk = Math.ceil(l.nOut / T);
      const j0 = Math.min(l.nOut, t * colChunk);
      const j1 = Math.min(l.nOut, (t + 1) * colChunk);
      if (j1 > j0) e.columnSums(M, j1 - j0, l.d + j0, l.nOut, l.dLdb + j0);
    }
  }
  if (cmd === s.CMD_UPDATE || cmd === s.CMD_GRADIENTS_UPDATE) {
    const p = s.F_PARAMS;
    const eta = f64[p];
    const mu = f64[p + 1];
    const lambda = f64[p + 7];
    const adam = ints[s.ADAM] !== 0;
    const step = (a0: number, a1: number, w: number, g: number, s1: number, s2: number, decay: number): void => {
      if (a1 <= a0) return;
      if (adam) e.adam(a1 - a0, w + a0, g + a0, s1 + a0, s2 + a0, eta, f64[p + 2], f64[p + 3], f64[p + 4], f64[p + 5], f64[p + 6], decay);
      else if (mu === 0) e.sgd(a1 - a0, w + a0, g + a0, eta, decay);
      else e.momentum(a1 - a0, w + a0, g + a0, s1 + a0, eta, mu, decay);
    };
    for (let k = 0; k < d.layers.length; k++) {
      const l = d.layers[k];
      const rowChunk = Math.ceil(l.nIn / T);
      const colChunk = Math.ceil(l.nOut / T);
      step(Math.min(l.nIn, t * rowChunk) * l.nOut, Math.min(l.nIn, (t + 1) * rowChunk) * l.nOut, l.W, l.dLdW, l.s1W, l.s2W, lambda);
      step(Math.min(l.nOut, t * colChunk), Math.min(l.nOut, (t + 1) * colChunk), l.b, l.dLdb, l.s1b, l.s2b, 0);
    }
  }
}

/**
 * Claims the next of the T parts of command `gen`: its index, or −1 when all are claimed or the
 * command is no longer `gen`. Runs in every thread (as source text in the workers).
 */
function claim(ints: Int32Array, gen: number, T: number): number {
  for (;;) {
    const v = Atomics.load(ints, 8); // NEXT
    if (v >>> 7 !== (gen & 0xffffff) || (v & 127) >= T) return -1;
    if (Atomics.compareExchange(ints, 8, v, v + 1) === v) return v & 127;
  }
}

/** A worker's whole program: instantiate, say ready, then run commands until told to exit. */
const WORKER_SOURCE = `'use strict';
const { workerData: w } = require('node:worker_threads');
const threadWork = ${threadWork.toString()};
const claim = ${claim.toString()};
const ints = new Int32Array(w.control, 0, ${INTS});
const f64 = new Float64Array(w.control, ${INTS * 4}, ${FLOATS});
const message = new Uint8Array(w.control, ${INTS * 4 + FLOATS * 8}, ${MESSAGE_BYTES});
function fail(err) {
  const bytes = new TextEncoder().encode(String(err && err.stack || err)).subarray(0, ${MESSAGE_BYTES - 1});
  if (Atomics.compareExchange(ints, ${ERROR}, 0, 1) === 0) { message.fill(0); message.set(bytes); }
}
let e;
try {
  e = new WebAssembly.Instance(w.module, { env: { memory: w.memory } }).exports;
} catch (err) { fail(err); }
const heap32 = new Int32Array(w.memory.buffer);
Atomics.add(ints, ${READY}, 1);
Atomics.notify(ints, ${READY});
let gen = 0;
for (;;) {
  const until = performance.now() + ${POLL_MS};
  for (let i = 1; Atomics.load(ints, ${GEN}) === gen && ((i & 1023) !== 0 || performance.now() < until); i++);
  Atomics.add(ints, ${SLEEPING}, 1);
  Atomics.wait(ints, ${GEN}, gen);
  Atomics.sub(ints, ${SLEEPING}, 1);
  gen = Atomics.load(ints, ${GEN});
  if (ints[${CMD}] === ${CMD_EXIT}) break;
  for (let part; (part = claim(ints, gen, ints[${PARTS}])) >= 0; ) {
    try { if (e) threadWork(e, w.layout, w.slots, ints, f64, heap32, part, w.thread); else throw new Error('the kernels did not load'); } catch (err) { fail(err); }
    Atomics.add(ints, ${DONE}, 1);
    if (Atomics.load(ints, ${WAITING}) !== 0) Atomics.notify(ints, ${DONE});
  }
}
`;

/** How long thread 0 waits for the others before it calls them lost: to start, and in a step. */
const START_MS = 30_000;
const STALL_MS = 120_000;

/** The workers of one network, and thread 0's side of the protocol. */
export class ThreadPool {
  private readonly workers: Worker[] = [];
  private readonly ints: Int32Array;
  private readonly f64: Float64Array;
  private readonly message: Uint8Array;
  private readonly heap32: Int32Array;
  private disposed = false;

  /** Starts T − 1 workers over `memory` and waits (synchronously) until each has loaded the kernels. */
  constructor(
    readonly layout: ThreadLayout,
    module: unknown,
    memory: { buffer: ArrayBufferLike },
    private readonly own: ThreadExports,
  ) {
    const control = new SharedArrayBuffer(INTS * 4 + FLOATS * 8 + MESSAGE_BYTES);
    this.ints = new Int32Array(control, 0, INTS);
    this.f64 = new Float64Array(control, INTS * 4, FLOATS);
    this.message = new Uint8Array(control, INTS * 4 + FLOATS * 8, MESSAGE_BYTES);
    this.heap32 = new Int32Array(memory.buffer);
    try {
      for (let t = 1; t < layout.threads; t++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, layout, slots: SLOTS, thread: t } });
        // Never keep a process alive: the CLI exits when its work is done, whatever is left running.
        worker.unref();
        // Errors are reported through the control block; an 'error' event must not crash the host.
        worker.on('error', () => undefined);
        this.workers.push(worker);
      }
      this.waitFor(READY, layout.threads - 1, 'start', START_MS);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  get threads(): number {
    return this.layout.threads;
  }

  /** The parts each command is cut into (shards of the rows, slices of the gradients). */
  get parts(): number {
    return Math.min(MAX_THREADS, this.layout.threads * PARTS_PER_THREAD);
  }

  /** Rows of shard t for a batch of m rows (contiguous, the first m mod T one row longer). */
  shard(m: number, t: number): { rows: number; start: number } {
    const T = this.parts;
    const base = Math.floor(m / T);
    const extra = m % T;
    return { rows: base + (t < extra ? 1 : 0), start: t * base + Math.min(t, extra) };
  }

  /** Forward and backward of the batch of m rows at x, y; returns the batch's S (undivided J), summed in thread order. */
  forwardBackward(m: number, fused: number): number {
    return this.shards(CMD_FORWARD_BACKWARD, m, fused);
  }

  /** Forward propagation alone of the m rows at x, y (an evaluation's chunk); returns S, summed in shard order. */
  forwardLoss(m: number, fused: number): number {
    return this.shards(CMD_FORWARD_LOSS, m, fused);
  }

  private shards(cmd: number, m: number, fused: number): number {
    const ints = this.ints;
    for (let t = 0; t < this.parts; t++) {
      const { rows, start } = this.shard(m, t);
      ints[SHARD_ROWS + t] = rows;
      ints[SHARD_START + t] = start;
    }
    ints[TOTAL] = m;
    ints[FUSED] = fused;
    this.run(cmd);
    let S = 0;
    for (let t = 0; t < this.parts; t++) S += this.f64[F_LOSS + t];
    return S;
  }

  /**
   * dL/dW[l] and dL/db[l] over the batch of m rows whose dL/dz[l] forwardBackward left (and, with
   * `update`, the optimizer step), slices on every thread.
   */
  gradients(m: number, update?: { adam: boolean; eta: number; mu: number; beta1: number; beta2: number; c1: number; c2: number; eps: number; lambda: number }): void {
    if (update) this.setOptimizer(update);
    this.ints[TOTAL] = m;
    this.run(update ? CMD_GRADIENTS_UPDATE : CMD_GRADIENTS);
  }

  /** The optimizer step alone, from the gradients. */
  update(o: { adam: boolean; eta: number; mu: number; beta1: number; beta2: number; c1: number; c2: number; eps: number; lambda: number }): void {
    this.setOptimizer(o);
    this.run(CMD_UPDATE);
  }

  private setOptimizer(o: { adam: boolean; eta: number; mu: number; beta1: number; beta2: number; c1: number; c2: number; eps: number; lambda: number }): void {
    this.ints[ADAM] = o.adam ? 1 : 0;
    this.f64.set([o.eta, o.mu, o.beta1, o.beta2, o.c1, o.c2, o.eps, o.lambda], F_PARAMS);
  }

  /** One command on every thread: the workers' parts and thread 0's own, then the barrier. */
  private run(cmd: number): void {
    if (this.disposed) throw new Error('the training threads have been stopped');
    const ints = this.ints;
    const T = this.parts;
    ints[CMD] = cmd;
    ints[PARTS] = T;
    Atomics.store(ints, DONE, 0);
    const gen = (Atomics.load(ints, GEN) + 1) & 0xffffff;
    Atomics.store(ints, NEXT, gen << 7);
    Atomics.store(ints, GEN, gen);
    if (Atomics.load(ints, SLEEPING) > 0) Atomics.notify(ints, GEN);
    let own: unknown;
    for (let part; (part = claim(ints, gen, T)) >= 0; ) {
      try {
        threadWork(this.own, this.layout, SLOTS, ints, this.f64, this.heap32, part, 0);
      } catch (err) {
        own ??= err;
      }
      Atomics.add(ints, DONE, 1);
    }
    this.waitFor(DONE, T, 'finish a step');
    if (own !== undefined) throw own;
  }

  /** Waits until ints[slot] ≥ target; a worker's error, or no progress for STALL_MS, is thrown. */
  private waitFor(slot: number, target: number, what: string, stallMs = STALL_MS): void {
    const ints = this.ints;
    let last = Atomics.load(ints, slot);
    let since = Date.now();
    // Poll first (see POLL_MS), then sleep; Atomics.wait returns at once if the count moved since.
    const until = performance.now() + POLL_MS;
    for (let i = 1; last < target && ((i & 1023) !== 0 || performance.now() < until); i++) last = Atomics.load(ints, slot);
    while (last < target) {
      Atomics.store(ints, WAITING, 1);
      Atomics.wait(ints, slot, last, 1000);
      Atomics.store(ints, WAITING, 0);
      const now = Atomics.load(ints, slot);
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since > stallMs) {
        this.dispose();
        throw new Error(`training threads did not ${what} within ${stallMs / 1000} s`);
      }
    }
    if (Atomics.load(ints, ERROR) !== 0) {
      const text = new TextDecoder().decode(this.message.slice(0, this.message.indexOf(0) < 0 ? MESSAGE_BYTES : this.message.indexOf(0)));
      this.dispose();
      throw new Error(`a training thread failed: ${text}`);
    }
  }

  /** Stops the workers (idempotent). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ints[CMD] = CMD_EXIT;
    Atomics.add(this.ints, GEN, 1);
    Atomics.notify(this.ints, GEN);
    for (const w of this.workers) void w.terminate();
  }
}
