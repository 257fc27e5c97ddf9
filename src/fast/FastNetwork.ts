/**
 * The fast float32 training path: the engine's network (network.ts) in the same notation, for
 * training speed instead of inspection. For layer l = 1..L, W[l] is n_{l−1} × n_l row-major and a
 * batch of m samples is m rows, so
 *
 *   Z[l] = A[l−1] W[l] + 1 b[l]ᵀ,  A[l] = σ[l](Z[l]),
 *   dL/dW[l] = A[l−1]ᵀ dL/dZ[l],  dL/db[l] = 1ᵀ dL/dZ[l],  dL/dA[l−1] = dL/dZ[l] W[l]ᵀ,
 *
 * the three GEMM shapes of kernels.ts (plain, transposed-A, transposed-B). Bias and ReLU are
 * applied in the forward GEMM's epilogue.
 *
 * Every number lives in one Float32Array, the heap, allocated once at build and sized for batches
 * of up to `maxBatch` rows: parameters, gradients, optimizer state, activations and the GEMM's
 * pack buffer. Nothing is allocated per step. Forward, backward and update stay three calls, as in
 * the engine, though only training uses them here: inspection stays on the float64 path.
 *
 * With the WebAssembly kernels, each of the three is one call into wasm that loops over the layers
 * itself (the "whole-network" kernels, reading a plan of this layout from the heap); the loops
 * below, kernel call by kernel call, are the same computation, run for the JS kernels and for
 * networks with GELU.
 */
import type { ActivationName } from '../engine/activations';
import { PROBABILITY_EPSILON, type LossName } from '../engine/losses';
import type { LayerSpec, Network } from '../engine/network';
import { resolveOptimizerSpec, type OptimizerSpec } from '../engine/optimizers';
import { RegressionAccumulator } from '../engine/regressionMetrics';
import { classCount, type Evaluation } from '../engine/training';
import { activationBackward, activationForward, epilogueFor, isIdentity } from './activations';
import { activationCode, fusedCode, lossCode } from './codes';
import { createKernels, EPILOGUE_NONE, HEAP_RESERVED, packFloats, sharedVariantSupported, supportedVariants, type KernelPreference, type Kernels, type KernelVariant, type WholeNetworkKernels } from './kernels';
import { MAX_THREADS, ThreadPool, type ThreadLayout } from './threads';
import { fusedKind, lossDivisor, rowsSumToOne } from './losses';

/** Heap indices of one dense layer l and its per-layer buffers. */
export interface FastLayer {
  /** n_{l−1}. */
  readonly nIn: number;
  /** n_l. */
  readonly nOut: number;
  readonly activation: ActivationName;
  /** σ's code for the element-wise kernels (codes.ts), or −1 for GELU, which runs in JS. */
  readonly code: number;
  /** ELU's α. */
  readonly alpha: number;
  /** The GEMM epilogue code that applies σ, or EPILOGUE_NONE. */
  readonly epilogue: number;
  /** W[l], nIn × nOut row-major. */
  readonly W: number;
  /** b[l], nOut. */
  readonly b: number;
  /** dL/dW[l], nIn × nOut. */
  readonly dLdW: number;
  /** dL/db[l], nOut. */
  readonly dLdb: number;
  /** Optimizer state for W and b: momentum's velocity or Adam's first moment. */
  readonly s1W: number;
  readonly s1b: number;
  /** Adam's second moment for W and b. */
  readonly s2W: number;
  readonly s2b: number;
  /** z[l], maxBatch × nOut; the same index as `a` when σ is the identity or the epilogue's. */
  readonly z: number;
  /** a[l], maxBatch × nOut. */
  readonly a: number;
  /** dL/da[l], turned into dL/dz[l] in place by σ′, maxBatch × nOut. */
  readonly d: number;
}

/** What to build: the model file's layers and loss, and the largest batch to be run. */
export interface FastNetworkSpec {
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  /** The most rows any forward pass will see (the batch size; evaluation runs in chunks). */
  readonly maxBatch: number;
  /** Which kernels to run; default: the fastest the runtime supports. */
  readonly kernels?: KernelPreference;
  /**
   * Run each pass over all layers in one wasm call where the kernels allow it (default), or each
   * kernel from JS, as networks with GELU do. The results are the same to the bit.
   */
  readonly wholeNetwork?: boolean;
  /**
   * Threads to train on (threads.ts; default 1). More than one needs the wasm whole-network
   * kernels over a shared memory; without them (the JS kernels, GELU) the network runs on one.
   * Batches whose shards would be too small (SHARD_MIN_WORK) run on one thread too. Call
   * `dispose` when done with a network of several threads.
   */
  readonly threads?: number;
  /** The least work a shard must have (default SHARD_MIN_WORK); tests set 0 to split any batch. */
  readonly shardMinWork?: number;
}

/** A sample set in the data layer's layout: `rows` rows of x (n_0 values) and y (n_L values). */
export interface FastSamples {
  readonly rows: number;
  readonly x: Float32Array | Float64Array;
  readonly y: Float32Array | Float64Array;
}

/** An evaluation in progress: how far through the set, and the sums so far. */
export interface FastEvaluation {
  readonly samples: FastSamples;
  readonly classification: boolean;
  /** The fused shortcut's code for this set's targets. */
  readonly fused: number;
  /** The next row to evaluate. */
  start: number;
  /** S, the undivided J, of the rows so far. */
  sum: number;
  /** Rows classified right so far. */
  right: number;
  /** A classification set's confusion counts so far (Evaluation.counts). */
  readonly counts?: Int32Array;
  /** A regression set's R², RMSE and MAE so far (against the float64 targets). */
  readonly metrics?: RegressionAccumulator;
}

/** The optimizer's resolved hyperparameters (OptimizerSpec with the engine's defaults). */
interface OptimizerState {
  readonly type: 'sgd' | 'adam';
  readonly eta: number;
  readonly mu: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly lambda: number;
  /** Adam's step count t. */
  t: number;
}

const ALIGN = 16; // floats: every array starts on a 64-byte line

/** The plan of the whole-network kernels, in 32-bit slots (wasm/assembly/kernels.ts has the layout). */
const PLAN_HEADER = 8;
const PLAN_LAYER = 32;

/**
 * The least work, in multiply-adds per pass (a shard's rows × the network's weights), worth a
 * shard of its own: below it, the barriers cost more than the second core gains, and the batch
 * runs on one thread (exactly as a one-thread network runs it). On the shared 2-core machine a
 * step's two barriers cost tens of microseconds when it is quiet (a 64-64-10 net's batch of 4: 11 µs
 * a step on one thread, about 60 split on two) and much more when busy; 2²⁰ (about 0.5 ms of one thread's
 * work a shard) keeps XOR, batch-10 runs and small nets on one thread. Not a tuned break-even.
 */
export const SHARD_MIN_WORK = 1 << 20;

/** Part t ≥ 1's own buffers on several threads: its GEMM pack buffer and its plan. */
interface ShardBuffers {
  readonly pack: number;
  readonly plan: number;
}

export class FastNetwork {
  /** n_0, n_1, …, n_L. */
  readonly sizes: readonly number[];
  /** layers[l − 1] is layer l. */
  readonly layers: readonly FastLayer[];
  readonly loss: LossName;
  readonly maxBatch: number;
  readonly kernels: Kernels;
  /** The loss's code for the kernels. */
  private readonly lossCode: number;
  /** What it was built from (for `resized`). */
  private readonly spec: FastNetworkSpec;
  /** a[0]: the batch's inputs, maxBatch × n_0. */
  readonly x: number;
  /** The batch's targets, maxBatch × n_L. */
  readonly y: number;
  /** The GEMM pack buffer. */
  private readonly pack: number;
  /** The whole-network kernels' plan of this network's layout in the heap. */
  private readonly plan: number;
  /** The whole-network kernels, when the variant has them and every σ has a code (no GELU). */
  private readonly whole: WholeNetworkKernels | undefined;
  /** The first and one-past-last heap index of the optimizer state, to reset it. */
  private readonly stateStart: number;
  private readonly stateEnd: number;
  private optimizer: OptimizerState;
  /** Rows loaded by the last `loadBatch` (the m of forward and backward). */
  private rows = 0;
  /** The contiguous range the batch buffers hold, so that a full batch is copied once, not every step. */
  private loadedSamples: FastSamples | undefined;
  private loadedStart = 0;
  private loadedCount = 0;
  /** The other threads, when the network trains on several (spec.threads > 1 and the kernels allow). */
  private readonly pool: ThreadPool | undefined;
  /** Σ nIn·nOut: the multiply-adds per row of one pass. */
  private readonly weights: number;
  /** True when the last forward and backward pass was split across the threads. */
  private sharded = false;

  private constructor(spec: FastNetworkSpec) {
    const { layers, loss } = spec;
    if (layers.length < 2) throw new RangeError('a network needs an input layer and at least one more layer');
    if (!(Number.isInteger(spec.maxBatch) && spec.maxBatch > 0)) throw new RangeError(`maxBatch must be a positive whole number, not ${spec.maxBatch}`);
    this.spec = spec;
    this.sizes = layers.map((l) => l.units);
    this.loss = loss;
    this.lossCode = lossCode(loss);
    this.maxBatch = spec.maxBatch;
    const B = spec.maxBatch;
    let top = HEAP_RESERVED;
    const take = (floats: number): number => {
      const at = top;
      top += Math.ceil(Math.max(floats, 1) / ALIGN) * ALIGN;
      return at;
    };
    const params = layers.slice(1).map((_, k) => {
      const nIn = this.sizes[k];
      const nOut = this.sizes[k + 1];
      return { nIn, nOut, W: take(nIn * nOut), b: take(nOut), dLdW: take(nIn * nOut), dLdb: take(nOut) };
    });
    this.stateStart = top;
    const state = params.map((p) => ({ s1W: take(p.nIn * p.nOut), s1b: take(p.nOut), s2W: take(p.nIn * p.nOut), s2b: take(p.nOut) }));
    this.stateEnd = top;
    this.x = take(B * this.sizes[0]);
    this.layers = params.map((p, k) => {
      const s = layers[k + 1];
      const activation = s.activation ?? 'identity';
      const epilogue = epilogueFor(activation);
      const a = take(B * p.nOut);
      const z = isIdentity(activation) || epilogue !== EPILOGUE_NONE ? a : take(B * p.nOut);
      return { ...p, ...state[k], activation, code: activationCode(activation), alpha: s.alpha ?? 1, epilogue, z, a, d: take(B * p.nOut) };
    });
    this.y = take(B * this.sizes[this.sizes.length - 1]);
    const widest = Math.max(spec.maxBatch, ...this.sizes); // bounds every m, n and k below
    this.pack = take(packFloats(widest, widest, widest));
    this.plan = take(PLAN_HEADER + PLAN_LAYER * this.layers.length);
    this.weights = this.layers.reduce((n, l) => n + l.nIn * l.nOut, 0);
    // Several threads: parts 1..T−1 get their own pack buffer and plan; everything else is the
    // network's own (a shard's rows of z, a and d are its rows of the batch).
    const variant = (spec.kernels ?? 'auto') === 'auto' ? supportedVariants()[0] : (spec.kernels as KernelVariant);
    const threads = Math.min(MAX_THREADS, Math.max(1, Math.floor(spec.threads ?? 1)));
    const threaded = threads > 1 && variant !== 'js' && spec.wholeNetwork !== false && this.layers.every((l) => l.code >= 0) && sharedVariantSupported(variant);
    const shards: ShardBuffers[] = [];
    if (threaded) {
      for (let t = 1; t < threads; t++) shards.push({ pack: take(packFloats(widest, widest, widest)), plan: take(PLAN_HEADER + PLAN_LAYER * this.layers.length) });
    }
    take(16); // lets a kernel's last v128 load run past the final array
    this.kernels = createKernels(top - HEAP_RESERVED, spec.kernels ?? 'auto', threaded);
    this.optimizer = resolveOptimizer({});
    this.whole = spec.wholeNetwork !== false && this.layers.every((l) => l.code >= 0) ? this.kernels.whole : undefined;
    if (this.whole) this.writePlan(this.plan, this.pack, this.layers);
    const shared = this.kernels.shared;
    if (threaded && this.whole && shared) {
      for (const s of shards) this.writePlan(s.plan, s.pack, this.layers);
      const layout: ThreadLayout = {
        threads,
        x: this.x,
        y: this.y,
        n0: this.sizes[0],
        nL: this.sizes[this.sizes.length - 1],
        plans: [this.plan, ...shards.map((s) => s.plan)],
        packs: [this.pack, ...shards.map((s) => s.pack)],
        lossCode: this.lossCode,
        eps: PROBABILITY_EPSILON,
        layers: this.layers.map((l, k) => ({ ...l, aPrev: k === 0 ? this.x : this.layers[k - 1].a })),
      };
      this.pool = new ThreadPool(layout, shared.module, shared.memory, shared.exports as ConstructorParameters<typeof ThreadPool>[3]);
    }
  }

  /** Writes a layout into a plan the whole-network kernels read (thread 0's, or another thread's own buffers). */
  private writePlan(p: number, pack: number, layers: readonly FastLayer[]): void {
    const h = this.kernels.heap;
    const ints = new Int32Array(h.buffer, h.byteOffset, h.length);
    const doubles = new Float64Array(h.buffer, h.byteOffset, h.length >> 1);
    // p is a multiple of 16 slots, so every f64 below is 8-byte aligned
    ints.set([layers.length, this.x, this.y, pack, this.lossCode], p);
    doubles[(p + 6) >> 1] = PROBABILITY_EPSILON;
    layers.forEach((l, k) => {
      const q = p + PLAN_HEADER + PLAN_LAYER * k;
      ints.set([l.nIn, l.nOut, l.W, l.b, l.dLdW, l.dLdb, l.s1W, l.s1b, l.s2W, l.s2b, l.z, l.a, l.d, l.epilogue, l.code], q);
      doubles[(q + 16) >> 1] = l.alpha;
    });
  }

  /** Threads training runs on: 1, or the spec's when the kernels allow several. */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Stops the other threads (a network of one has none); the network must not train afterwards. */
  dispose(): void {
    this.pool?.dispose();
  }

  /** A network of the given shape, its parameters zero (copy them in with `setParameters`). */
  static build(spec: FastNetworkSpec): FastNetwork {
    return new FastNetwork(spec);
  }

  /** A fast twin of a float64 network, with its parameters. */
  static fromNetwork(net: Network, maxBatch: number, kernels: KernelPreference = 'auto', threads = 1): FastNetwork {
    const layers: LayerSpec[] = [{ units: net.sizes[0] }, ...net.layers.map((l) => ({ units: l.nOut, activation: l.activationName, ...(l.alpha !== undefined ? { alpha: l.alpha } : {}) }))];
    const fast = new FastNetwork({ layers, loss: net.loss.name, maxBatch, kernels, threads });
    fast.setParameters(net);
    return fast;
  }

  /**
   * A twin that takes batches of up to `maxBatch` rows, on the same kernels, with this network's
   * parameters and optimizer state (a batch size raised mid-run). The heap lays parameters and
   * state out before anything sized by maxBatch, so they are one contiguous copy.
   */
  resized(maxBatch: number): FastNetwork {
    const twin = new FastNetwork({ ...this.spec, maxBatch, kernels: this.variant, threads: this.threads });
    twin.kernels.heap.set(this.kernels.heap.subarray(0, this.stateEnd));
    twin.optimizer = { ...this.optimizer };
    return twin;
  }

  /** The kernels in use. */
  get variant(): KernelVariant {
    return this.kernels.variant;
  }

  /** Rows of the batch loaded last: a[l] holds batchRows × n_l values of it. */
  get batchRows(): number {
    return this.rows;
  }

  /** Whether a batch of m rows is split across the threads (several threads, and shards worth it). */
  splits(m: number): boolean {
    return this.pool !== undefined && m >= this.pool.threads && Math.floor(m / this.pool.threads) * this.weights >= (this.spec.shardMinWork ?? SHARD_MIN_WORK);
  }

  /** The threads a batch of m rows trains on: all of them when it splits, else one. */
  threadsFor(m: number): number {
    return this.splits(m) ? this.threads : 1;
  }

  /** The heap's size in bytes: all the memory the network holds. */
  get bytes(): number {
    return this.kernels.heap.byteLength;
  }

  /** Copies W[l], b[l] of a float64 network of the same shape in (rounding to float32). */
  setParameters(net: Network): void {
    const h = this.kernels.heap;
    this.layers.forEach((layer, k) => {
      const src = net.layers[k];
      if (src.nIn !== layer.nIn || src.nOut !== layer.nOut) throw new RangeError(`layer ${k + 1} is ${src.nIn}×${src.nOut}, expected ${layer.nIn}×${layer.nOut}`);
      h.set(src.W.data, layer.W);
      h.set(src.b, layer.b);
    });
  }

  /** Copies W[l], b[l] out into a float64 network of the same shape. */
  copyParametersTo(net: Network): void {
    const h = this.kernels.heap;
    this.layers.forEach((layer, k) => {
      net.layers[k].W.data.set(h.subarray(layer.W, layer.W + layer.nIn * layer.nOut));
      net.layers[k].b.set(h.subarray(layer.b, layer.b + layer.nOut));
    });
  }

  /** Views of W[l] and b[l] (l = k + 1) in the heap; valid as long as the network. */
  parameters(k: number): { W: Float32Array; b: Float32Array } {
    const layer = this.layers[k];
    const h = this.kernels.heap;
    return { W: h.subarray(layer.W, layer.W + layer.nIn * layer.nOut), b: h.subarray(layer.b, layer.b + layer.nOut) };
  }

  /**
   * Sets the optimizer (the engine's OptimizerSpec and defaults) and forgets its state, as
   * creating a new engine optimizer does.
   */
  setOptimizer(spec: OptimizerSpec): void {
    this.optimizer = resolveOptimizer(spec);
    this.kernels.heap.fill(0, this.stateStart, this.stateEnd);
  }

  /**
   * Copies `count` samples into the batch buffers: rows order[start..start+count) of the set, or
   * rows start..start+count when `order` is undefined (one copy per buffer). The same contiguous
   * range of the same set, loaded again, is not copied again: sample sets are taken as immutable
   * (call `forgetBatch` after changing one in place).
   */
  loadBatch(samples: FastSamples, start: number, count: number, order?: Int32Array): void {
    if (count > this.maxBatch) throw new RangeError(`a batch of ${count} rows is larger than maxBatch ${this.maxBatch}`);
    const h = this.kernels.heap;
    const n0 = this.sizes[0];
    const nL = this.sizes[this.sizes.length - 1];
    this.rows = count;
    if (order === undefined && this.loadedSamples === samples && this.loadedStart === start && this.loadedCount === count) return;
    this.loadedSamples = order === undefined ? samples : undefined;
    this.loadedStart = start;
    this.loadedCount = count;
    if (order === undefined) {
      h.set(samples.x.subarray(start * n0, (start + count) * n0), this.x);
      h.set(samples.y.subarray(start * nL, (start + count) * nL), this.y);
    } else {
      const { x, y } = samples;
      for (let r = 0; r < count; r++) {
        const i = order[start + r];
        h.set(x.subarray(i * n0, (i + 1) * n0), this.x + r * n0);
        // A target row is a few numbers: copied in place, without a subarray to collect.
        for (let j = 0, from = i * nL, to = this.y + r * nL; j < nL; j++) h[to + j] = y[from + j];
      }
    }
  }

  /** Makes the next `loadBatch` copy even when it names the range already held. */
  forgetBatch(): void {
    this.loadedSamples = undefined;
  }

  /** Forward propagation of the loaded batch: z[l] and a[l] of every layer. */
  forward(): void {
    const m = this.rows;
    if (this.whole) {
      this.whole.forwardAll(this.plan, m);
      return;
    }
    const k = this.kernels;
    const h = k.heap;
    let aPrev = this.x;
    for (const layer of this.layers) {
      k.gemm(0, 0, m, layer.nOut, layer.nIn, aPrev, layer.nIn, layer.W, layer.nOut, layer.z, layer.nOut, 0, layer.b, layer.epilogue, this.pack);
      if (layer.z === layer.a) {
        // σ is the identity or was applied in the GEMM's epilogue.
      } else if (layer.code >= 0) k.activationForward(layer.code, layer.alpha, layer.z, layer.a, m, layer.nOut);
      else activationForward(layer.activation, layer.alpha, h, layer.z, layer.a, m, layer.nOut);
      aPrev = layer.a;
    }
  }

  /**
   * Backpropagation of the loaded batch against its targets: dL/dz[l], dL/dW[l], dL/db[l] of
   * every layer (dL/da[0] is not needed and not computed). Returns J of the batch.
   */
  backward(): number {
    this.sharded = false;
    const m = this.rows;
    const k = this.kernels;
    const h = k.heap;
    const L = this.layers.length;
    const out = this.layers[L - 1];
    const nL = out.nOut;
    const fused = this.fusedFor(h, this.y, m);
    if (this.whole) return this.whole.backwardAll(this.plan, m, fused) / lossDivisor(this.loss, m, nL);
    const J = k.lossSum(this.lossCode, fused, out.z, out.a, this.y, m, nL) / lossDivisor(this.loss, m, nL);
    k.lossGradient(this.lossCode, fused, out.a, this.y, out.d, m, nL);
    if (fused === 0) this.activationBackward(out, m);
    for (let l = L; l >= 1; l--) {
      const layer = this.layers[l - 1];
      const aPrev = l === 1 ? this.x : this.layers[l - 2].a;
      k.gemm(1, 0, layer.nIn, layer.nOut, m, aPrev, layer.nIn, layer.d, layer.nOut, layer.dLdW, layer.nOut, 0, 0, EPILOGUE_NONE, this.pack);
      k.columnSums(m, layer.nOut, layer.d, layer.nOut, layer.dLdb);
      if (l > 1) {
        const below = this.layers[l - 2];
        k.gemm(0, 1, m, layer.nIn, layer.nOut, layer.d, layer.nOut, layer.W, layer.nOut, below.d, layer.nIn, 0, 0, EPILOGUE_NONE, this.pack);
        this.activationBackward(below, m);
      }
    }
    return J;
  }

  /**
   * Forward and backward propagation of the loaded batch for training; returns J. On several
   * threads (`splits`), each runs a shard of the rows, then a slice of every gradient.
   */
  forwardBackward(): number {
    const m = this.rows;
    if (!this.pool || !this.splits(m)) {
      this.sharded = false;
      this.forward();
      return this.backward();
    }
    const out = this.layers[this.layers.length - 1];
    const S = this.pool.forwardBackward(m, this.fusedFor(this.kernels.heap, this.y, m));
    this.pool.gradients(m);
    this.sharded = true;
    return S / lossDivisor(this.loss, m, out.nOut);
  }

  /** The optimizer's numbers for one step (Adam's t advanced), as the threads take them. */
  private step(): { adam: boolean; eta: number; mu: number; beta1: number; beta2: number; c1: number; c2: number; eps: number; lambda: number } {
    const o = this.optimizer;
    if (o.type !== 'adam') return { adam: false, eta: o.eta, mu: o.mu, beta1: 0, beta2: 0, c1: 1, c2: 1, eps: 0, lambda: o.lambda };
    o.t++;
    return { adam: true, eta: o.eta, mu: o.mu, beta1: o.beta1, beta2: o.beta2, c1: 1 - Math.pow(o.beta1, o.t), c2: 1 - Math.pow(o.beta2, o.t), eps: o.eps, lambda: o.lambda };
  }

  /** One optimizer step from the gradients of the last backward pass. */
  update(): void {
    if (this.pool && this.sharded) {
      // Each thread updates its slice of every array: element-wise, so the same numbers as one.
      this.pool.update(this.step());
      return;
    }
    const k = this.kernels;
    const o = this.optimizer;
    if (o.type === 'adam') {
      o.t++;
      const c1 = 1 - Math.pow(o.beta1, o.t);
      const c2 = 1 - Math.pow(o.beta2, o.t);
      if (this.whole) {
        this.whole.updateAll(this.plan, 1, o.eta, o.mu, o.beta1, o.beta2, c1, c2, o.eps, o.lambda);
        return;
      }
      for (const l of this.layers) {
        k.adam(l.nIn * l.nOut, l.W, l.dLdW, l.s1W, l.s2W, o.eta, o.beta1, o.beta2, c1, c2, o.eps, o.lambda);
        k.adam(l.nOut, l.b, l.dLdb, l.s1b, l.s2b, o.eta, o.beta1, o.beta2, c1, c2, o.eps, 0);
      }
    } else if (this.whole) {
      this.whole.updateAll(this.plan, 0, o.eta, o.mu, 0, 0, 1, 1, 0, o.lambda);
    } else if (o.mu === 0) {
      for (const l of this.layers) {
        k.sgd(l.nIn * l.nOut, l.W, l.dLdW, o.eta, o.lambda);
        k.sgd(l.nOut, l.b, l.dLdb, o.eta, 0);
      }
    } else {
      for (const l of this.layers) {
        k.momentum(l.nIn * l.nOut, l.W, l.dLdW, l.s1W, o.eta, o.mu, o.lambda);
        k.momentum(l.nOut, l.b, l.dLdb, l.s1b, o.eta, o.mu, 0);
      }
    }
  }

  /** Forward, backward and update of the loaded batch; returns its J (before the update). */
  trainLoaded(): number {
    const m = this.rows;
    if (this.pool && this.splits(m)) {
      // Shards of the rows, then slices of the gradients and their update: two barriers.
      const S = this.pool.forwardBackward(m, this.fusedFor(this.kernels.heap, this.y, m));
      this.pool.gradients(m, this.step());
      this.sharded = true;
      return S / lossDivisor(this.loss, m, this.layers[this.layers.length - 1].nOut);
    }
    this.sharded = false;
    this.forward();
    const J = this.backward();
    this.update();
    return J;
  }

  /**
   * J over a whole sample set, and accuracy when `classification` (as the engine's `evaluate`),
   * in chunks of maxBatch rows. Overwrites the batch buffers.
   */
  evaluate(samples: FastSamples, classification: boolean): Evaluation {
    const evaluation = this.beginEvaluation(samples, classification);
    let result: ReturnType<FastNetwork['evaluateChunk']>;
    do result = this.evaluateChunk(evaluation);
    while (result === undefined);
    return result;
  }

  /**
   * An evaluation to be run a chunk at a time with `evaluateChunk`, so that a large set need not
   * hold a worker for a whole pass. The parameters must not change in between.
   */
  beginEvaluation(samples: FastSamples, classification: boolean): FastEvaluation {
    const out = this.layers[this.layers.length - 1];
    const fused = fusedCode(fusedKind(out.activation, this.loss, out.activation === 'softmax' ? setRowsSumToOne(samples.y, samples.rows, out.nOut) : false));
    return { samples, classification, fused, start: 0, sum: 0, right: 0, ...(classification ? { counts: new Int32Array(classCount(out.nOut) ** 2) } : { metrics: new RegressionAccumulator(out.nOut, samples.y) }) };
  }

  /** Evaluates the next maxBatch rows; returns J (and accuracy) after the last, else undefined. */
  evaluateChunk(e: FastEvaluation): Evaluation | undefined {
    const { samples } = e;
    if (samples.rows === 0) return { loss: NaN };
    const h = this.kernels.heap;
    const out = this.layers[this.layers.length - 1];
    const nL = out.nOut;
    const count = Math.min(this.maxBatch, samples.rows - e.start);
    this.loadBatch(samples, e.start, count);
    if (this.pool && this.splits(count)) {
      // Each thread forwards its shard of the chunk, in place; S is summed in shard order.
      e.sum += this.pool.forwardLoss(count, e.fused);
    } else {
      this.forward();
      e.sum += this.kernels.lossSum(this.lossCode, e.fused, out.z, out.a, this.y, count, nL);
    }
    if (e.classification) e.right += correct(h, out.a, this.y, count, nL, e.counts);
    else e.metrics?.add(h, out.a, e.start, count);
    e.start += count;
    return this.finishEvaluation(e);
  }

  /** The evaluation's result once every row is in, else undefined. */
  private finishEvaluation(e: FastEvaluation): Evaluation | undefined {
    const { samples } = e;
    const nL = this.sizes[this.sizes.length - 1];
    if (e.start < samples.rows) return undefined;
    const loss = e.sum / lossDivisor(this.loss, samples.rows, nL);
    return e.classification ? { loss, accuracy: e.right / samples.rows, ...(e.counts ? { counts: e.counts } : {}) } : { loss, ...(e.metrics ? { metrics: e.metrics.result() } : {}) };
  }

  /** a[L] of the loaded batch's row r (a view). */
  output(r: number): Float32Array {
    const out = this.layers[this.layers.length - 1];
    return this.kernels.heap.subarray(out.a + r * out.nOut, out.a + (r + 1) * out.nOut);
  }

  /** The code of the fused shortcut for the loaded batch's targets (0: none). */
  private fusedFor(h: Float32Array, y: number, m: number): number {
    const out = this.layers[this.layers.length - 1];
    return fusedCode(fusedKind(out.activation, this.loss, out.activation === 'softmax' ? rowsSumToOne(h, y, m, out.nOut) : false));
  }

  private activationBackward(layer: FastLayer, m: number): void {
    if (layer.epilogue !== EPILOGUE_NONE) this.kernels.rectifierBackward(layer.epilogue, m * layer.nOut, layer.a, layer.d);
    else if (layer.code >= 0) this.kernels.activationBackward(layer.code, layer.alpha, layer.a, layer.d, m, layer.nOut);
    else activationBackward(layer.activation, layer.alpha, this.kernels.heap, layer.z, layer.a, layer.d, m, layer.nOut); // GELU's σ′ needs z
  }
}

function resolveOptimizer(spec: OptimizerSpec): OptimizerState {
  const r = resolveOptimizerSpec(spec);
  return { type: r.type, eta: r.learningRate, mu: r.momentum, beta1: r.beta1, beta2: r.beta2, eps: r.epsilon, lambda: r.weightDecay, t: 0 };
}

/** The engine's rowsSumToOne, over a whole set's targets (float64 tolerance 1e-9 on the source). */
function setRowsSumToOne(y: Float32Array | Float64Array, rows: number, n: number): boolean {
  const tolerance = y instanceof Float32Array ? 1e-6 : 1e-9;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += y[r * n + k];
    if (Math.abs(s - 1) > tolerance) return false;
  }
  return true;
}

/** Rows whose predicted class matches the target's (argmax, or ≥ ½ for one output). */
function correct(h: Float32Array, a: number, y: number, rows: number, n: number, counts?: Int32Array): number {
  let right = 0;
  const classes = classCount(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let best = 0;
    let target = 0;
    if (n === 1) {
      best = h[a + o] >= 0.5 ? 1 : 0;
      target = h[y + o] >= 0.5 ? 1 : 0;
    } else {
      for (let k = 1; k < n; k++) {
        if (h[a + o + k] > h[a + o + best]) best = k;
        if (h[y + o + k] > h[y + o + target]) target = k;
      }
    }
    if (best === target) right++;
    if (counts) counts[target * classes + best]++;
  }
  return right;
}
