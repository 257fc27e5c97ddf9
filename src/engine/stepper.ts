/**
 * Stepping one sample (a batch of one) through the lecture's three phases, one layer at a time:
 *
 *   forward   l = 1..L:  z[l] = b[l] + W[l]ᵀ a[l−1],  a[l] = σ(z[l]);  then J
 *   backward  l = L..1:  dL/dz[l] = J_σᵀ dL/da[l],  dL/dW[l] = a[l−1] (dL/dz[l])ᵀ,
 *                        dL/db[l] = dL/dz[l],  dL/da[l−1] = W[l] dL/dz[l]
 *   update:              W := W + ΔW (ΔW = −η ∇J for SGD), with the values before and after.
 *
 * It uses the same forwardLayer/backwardLayer as training, so every number it shows is the one
 * the engine computes. The last updates can be undone. Plain data out (`snapshot`).
 */
import { outputShortcut, forwardLayer, backwardLayer, lossOf, type Network, type BackwardPass } from './network';
import { zeros, type Matrix } from './matrix';
import type { Optimizer } from './optimizers';

/** One applied update of every layer: W and b before, the step Δ, and after. */
export interface UpdateRecord {
  readonly learningRate: number;
  readonly layers: { Wbefore: Float64Array; bBefore: Float64Array; dW: Float64Array; db: Float64Array; Wafter: Float64Array; bAfter: Float64Array }[];
}

/** Everything computed so far, as plain data (index l as in the lecture; unfilled entries are empty). */
export interface StepperSnapshot {
  /** 'forward': computing a; 'backward': computing gradients; 'updated': the update was applied. */
  readonly phase: 'forward' | 'backward' | 'updated';
  /** The highest layer whose z and a are computed (0: only a[0] = x). */
  readonly forwardLayer: number;
  /** The lowest layer whose gradients are computed (L + 1: none yet). */
  readonly backwardLayer: number;
  /** The layer the last step computed (highlighted), or undefined. */
  readonly lastLayer?: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** z[l], a[l] for l ≤ forwardLayer. */
  readonly z: Float64Array[];
  readonly a: Float64Array[];
  /** J of this sample, once the output layer is computed. */
  readonly loss?: number;
  /** dL/da[l] for l ≥ backwardLayer − 1 (dL/da[0] = ∂J/∂x at the end). */
  readonly dLda: Float64Array[];
  /** dL/dz[l], dL/dW[l] (n_{l−1} × n_l), dL/db[l] for l ≥ backwardLayer. */
  readonly dLdz: Float64Array[];
  readonly dLdW: Float64Array[];
  readonly dLdb: Float64Array[];
  /** The fused output shortcut used for dL/dz[L], if any. */
  readonly fused?: string;
  /** The last update, while it is the current state. */
  readonly update?: UpdateRecord;
  /** How many updates can be undone. */
  readonly undoable: number;
}

const EMPTY = new Float64Array(0);
const MAX_UNDO = 20;

export class Stepper {
  private phase: 'forward' | 'backward' | 'updated' = 'forward';
  private fwd = 0;
  private bwd: number;
  private lastLayer: number | undefined;
  private readonly xm: Matrix;
  private readonly ym: Matrix;
  private z: Matrix[] = [];
  private a: Matrix[] = [];
  private loss: number | undefined;
  private dLda: Matrix[] = [];
  private dLdz: Matrix[] = [];
  private dLdW: Matrix[] = [];
  private dLdb: Float64Array[] = [];
  private update: UpdateRecord | undefined;
  private readonly undoStack: UpdateRecord[] = [];

  constructor(
    private readonly net: Network,
    private readonly optimizer: Optimizer,
    x: ArrayLike<number>,
    y: ArrayLike<number>,
  ) {
    const n0 = net.sizes[0];
    const nL = net.sizes[net.sizes.length - 1];
    if (x.length !== n0) throw new RangeError(`the input has ${x.length} values, but the input layer has ${n0} units`);
    if (y.length !== nL) throw new RangeError(`the target has ${y.length} values, but the output layer has ${nL} units`);
    this.xm = { rows: 1, cols: n0, data: Float64Array.from(x) };
    this.ym = { rows: 1, cols: nL, data: Float64Array.from(y) };
    this.bwd = this.L + 1;
    this.restart();
  }

  private get L(): number {
    return this.net.layers.length;
  }

  /** Clears the passes (keeps the parameters and the undo history). */
  private restart(): void {
    const L = this.L;
    this.phase = 'forward';
    this.fwd = 0;
    this.bwd = L + 1;
    this.lastLayer = undefined;
    this.loss = undefined;
    this.z = [zeros(0, 0), ...this.net.layers.map((l) => zeros(1, l.nOut))];
    this.a = [this.xm, ...this.net.layers.map((l) => zeros(1, l.nOut))];
    this.dLda = this.net.sizes.map((n) => zeros(1, n));
    this.dLdz = [zeros(0, 0), ...this.net.layers.map((l) => zeros(1, l.nOut))];
    this.dLdW = [zeros(0, 0), ...this.net.layers.map((l) => zeros(l.nIn, l.nOut))];
    this.dLdb = [EMPTY, ...this.net.layers.map((l) => new Float64Array(l.nOut))];
    this.update = undefined;
  }

  get canStepForward(): boolean {
    return this.phase === 'updated' || this.fwd < this.L;
  }

  get canStepBackward(): boolean {
    return this.phase !== 'updated' && this.fwd === this.L && this.bwd > 1;
  }

  get canApplyUpdate(): boolean {
    return this.phase === 'backward' && this.bwd === 1;
  }

  /** Computes the next layer's z and a (and J after the output layer); returns that layer. */
  stepForward(): number {
    if (this.phase === 'updated') this.restart();
    if (this.fwd >= this.L) throw new Error('the forward pass is complete: step backward next');
    const l = ++this.fwd;
    forwardLayer(this.net.layers[l - 1], this.a[l - 1], this.z[l], this.a[l]);
    if (l === this.L) {
      this.loss = lossOf(this.net, { z: this.z, a: this.a }, this.ym);
      this.phase = 'backward';
    }
    this.lastLayer = l;
    return l;
  }

  /** Computes the gradients of the next layer down; returns that layer. */
  stepBackward(): number {
    if (!this.canStepBackward) throw new Error(this.fwd < this.L ? 'finish the forward pass first' : 'the backward pass is complete: apply the update next');
    const l = --this.bwd;
    const L = this.L;
    let fusedKnown = false;
    if (l === L) {
      this.net.loss.gradient(this.a[L], this.ym, this.dLda[L]);
      const fused = outputShortcut(this.net, this.ym);
      if (fused) {
        fused.dJdz(this.a[L], this.ym, this.dLdz[L]);
        fusedKnown = true;
      }
    }
    backwardLayer(this.net.layers[l - 1], this.a[l - 1], this.z[l], this.a[l], this.dLda[l], this.dLdz[l], this.dLdW[l], this.dLdb[l], this.dLda[l - 1], fusedKnown);
    this.lastLayer = l;
    return l;
  }

  /** Applies the optimizer's update to every layer; the passes stay visible until the next step. */
  applyUpdate(): UpdateRecord {
    if (!this.canApplyUpdate) throw new Error('finish the backward pass first');
    const before = this.net.layers.map((layer) => ({ W: new Float64Array(layer.W.data), b: new Float64Array(layer.b) }));
    const grads: BackwardPass = { loss: this.loss ?? NaN, dLda: this.dLda, dLdz: this.dLdz, dLdW: this.dLdW, dLdb: this.dLdb };
    const steps = this.optimizer.update(this.net, grads);
    const record: UpdateRecord = {
      learningRate: this.optimizer.learningRate,
      layers: this.net.layers.map((layer, k) => ({
        Wbefore: before[k].W,
        bBefore: before[k].b,
        dW: steps[k].dW,
        db: steps[k].db,
        Wafter: new Float64Array(layer.W.data),
        bAfter: new Float64Array(layer.b),
      })),
    };
    this.update = record;
    this.undoStack.push(record);
    if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    this.phase = 'updated';
    this.lastLayer = undefined;
    return record;
  }

  /** Forward, backward and update in one go (from wherever the steps are). */
  stepAll(): UpdateRecord {
    if (this.phase === 'updated') this.restart();
    while (this.fwd < this.L) this.stepForward();
    while (this.bwd > 1) this.stepBackward();
    return this.applyUpdate();
  }

  /**
   * Reverts the last update (W and b as they were before it) and starts the passes over on the
   * restored parameters. Returns false when there is nothing to undo.
   */
  undo(): boolean {
    const record = this.undoStack.pop();
    if (!record) return false;
    this.net.layers.forEach((layer, k) => {
      layer.W.data.set(record.layers[k].Wbefore);
      layer.b.set(record.layers[k].bBefore);
    });
    this.restart();
    return true;
  }

  /** Copies of the network's current W[l] and b[l]. */
  parameters(): { W: Float64Array; b: Float64Array }[] {
    return this.net.layers.map((layer) => ({ W: new Float64Array(layer.W.data), b: new Float64Array(layer.b) }));
  }

  snapshot(): StepperSnapshot {
    const L = this.L;
    const upTo = <T>(arr: T[], pick: (v: T) => Float64Array, from: number, to: number) => arr.map((v, l) => (l >= from && l <= to ? new Float64Array(pick(v)) : EMPTY));
    const fused = this.bwd <= L ? outputShortcut(this.net, this.ym)?.description : undefined;
    return {
      phase: this.phase,
      forwardLayer: this.fwd,
      backwardLayer: this.bwd,
      ...(this.lastLayer !== undefined ? { lastLayer: this.lastLayer } : {}),
      x: new Float64Array(this.xm.data),
      y: new Float64Array(this.ym.data),
      z: upTo(this.z, (m) => m.data, 1, this.fwd),
      a: upTo(this.a, (m) => m.data, 0, this.fwd),
      ...(this.loss !== undefined ? { loss: this.loss } : {}),
      dLda: upTo(this.dLda, (m) => m.data, this.bwd - 1, this.bwd <= L ? L : -1),
      dLdz: upTo(this.dLdz, (m) => m.data, this.bwd, L),
      dLdW: upTo(this.dLdW, (m) => m.data, this.bwd, L),
      dLdb: upTo(this.dLdb, (v) => v, this.bwd, L),
      ...(fused ? { fused } : {}),
      ...(this.update ? { update: this.update } : {}),
      undoable: this.undoStack.length,
    };
  }
}
