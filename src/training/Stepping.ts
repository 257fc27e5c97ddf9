/**
 * The inspector's stepper, in the training worker: one sample through forward, backward and
 * update, a layer at a time, on the one live network the worker trains. Nothing is copied to
 * another thread to be kept in step: an update or undo goes straight into the Trainer's network,
 * so training continues from the stepped weights, and the gradient check and the loss graph read
 * the same network.
 *
 * The stepper's passes are of the parameters it was built from. When training (or a reset)
 * changes them, `refresh` rebuilds it on the current parameters and replays the same number of
 * layers forward and backward, so that the ledger is recomputed rather than silently stale; an
 * applied update cannot be replayed (it would be another update), so it stays on screen marked by
 * its `computedAt`, which then differs from the snapshot's epoch and step.
 *
 * A parameter set by hand (`edit`) goes into the same live network and counts as an update.
 * Updates and edits share one undo history, so Undo reverts the last change whatever it was,
 * until training changes the parameters under it.
 */
import { getActivation, type ScalarActivation } from '../engine/activations';
import { gradientCheck } from '../engine/gradcheck';
import { cloneNetwork } from '../engine/network';
import { createOptimizer } from '../engine/optimizers';
import { Stepper } from '../engine/stepper';
import { lossExpression, lossExpressionProblem, type LossExpression } from '../model/lossExpression';
import type { ComputedAt, GradCheckView, LayerParameterData, ParameterEdit, StepAction, StepSample, SteppingView } from './workerProtocol';
import { parameterEditProblem } from './parameterEdit';
import type { Trainer } from './Trainer';

/** Weights checked per layer by the interactive gradient check (every bias is checked). */
const GRADCHECK_PER_LAYER = 400;
/** Changes (updates and edits) Undo can revert, as the stepper's own undo allowed. */
const MAX_UNDO = 20;

/** One change of the live network's parameters, for Undo: what they were before it. */
interface Change {
  readonly kind: 'update' | 'edit';
  readonly before: LayerParameterData[];
  /** The trainer's step count right after the change: Undo applies only while it still is. */
  readonly stepAfter: number;
}

export class Stepping {
  private stepper: Stepper | undefined;
  /** The epoch and step of the parameters the stepper was built from (or last updated). */
  private at: ComputedAt = { epoch: -1, step: -1 };
  /** The parameters the passes on screen used (before the update, once one is applied). */
  private used: { W: Float64Array[]; b: Float64Array[] } = { W: [], b: [] };
  private sample: StepSample = { kind: 'row', index: 0 };
  /** Updates and edits, oldest first, each undoable while no training came after it. */
  private changes: Change[] = [];

  /** Steps the trainer's selected training row until told otherwise. */
  constructor(private readonly trainer: Trainer) {
    if (trainer.selected.split === 'train') this.sample = { kind: 'row', index: trainer.selected.index };
  }

  /** Forgets the passes (the network's parameters stay as they are). */
  reset(): void {
    this.stepper = undefined;
  }

  /** Forgets the passes and the undo history (the network was re-initialized). */
  forget(): void {
    this.reset();
    this.changes = [];
  }

  /**
   * Sets W[l][i][j] or b[l][j] of the live network by hand, as an update that Undo can revert;
   * returns why it was refused, or undefined. The ledger is recomputed on the new parameters
   * by `refresh` (the worker's next snapshot), or starts on them when nothing was stepped yet.
   */
  edit(edit: ParameterEdit): string | undefined {
    const net = this.trainer.net;
    const problem = parameterEditProblem(edit, net.sizes);
    if (problem) return problem;
    const before = this.parametersNow();
    const after = before.map((p) => ({ W: new Float64Array(p.W), b: new Float64Array(p.b) }));
    const target = after[edit.layer - 1];
    if (edit.param === 'W') target.W[edit.i! * net.layers[edit.layer - 1].nOut + edit.j] = edit.value;
    else target.b[edit.j] = edit.value;
    this.change('edit', before, after);
    // So that the views know Undo applies, there is a stepper (its passes not yet begun).
    if (!this.stepper) this.build();
    return undefined;
  }

  /** Steps this sample from now on; returns why it was refused, or undefined. */
  useSample(sample: StepSample): string | undefined {
    const sizes = this.trainer.net.sizes;
    const n0 = sizes[0];
    const nL = sizes[sizes.length - 1];
    if (sample.kind === 'row') {
      const rows = this.trainer.data.train.rows;
      if (!Number.isInteger(sample.index) || sample.index < 0 || sample.index >= rows) return `row ${sample.index} is not in the training split (rows 0 to ${rows - 1})`;
      this.trainer.selectSample(sample.index, 'train');
    } else {
      if (sample.x.length !== n0) return `x needs ${n0} value${n0 === 1 ? '' : 's'} (the input layer's units), got ${sample.x.length}`;
      if (sample.y.length !== nL) return `y needs ${nL} value${nL === 1 ? '' : 's'} (the output layer's units), got ${sample.y.length}`;
      if (![...sample.x, ...sample.y].every(Number.isFinite)) return 'x and y must be finite numbers';
    }
    this.sample = sample.kind === 'row' ? { kind: 'row', index: sample.index } : { kind: 'custom', x: [...sample.x], y: [...sample.y] };
    this.reset();
    return undefined;
  }

  /** True when the passes on screen are of other parameters than the network's current ones. */
  get stale(): boolean {
    return this.stepper !== undefined && !this.current();
  }

  /**
   * After training or another change of the parameters: rebuilds the stepper on the current
   * parameters and replays its forward and backward layers. Returns true when the view changed.
   * An applied update is left as it is (and shows as stale): replaying it would update again.
   */
  refresh(): boolean {
    const old = this.stepper;
    if (!old || this.current()) return false;
    const s = old.snapshot();
    if (s.phase === 'updated') return false;
    const next = this.build();
    for (let l = 0; l < s.forwardLayer; l++) next.stepForward();
    for (let l = this.trainer.net.layers.length + 1; l > s.backwardLayer; l--) next.stepBackward();
    return true;
  }

  /** Carries out one action on the live network; returns why it could not, or undefined. */
  act(action: StepAction): string | undefined {
    if (action !== 'undo' || !this.stepper) this.ensure();
    const stepper = this.stepper!;
    switch (action) {
      case 'forward':
        if (!stepper.canStepForward) return 'the forward pass is complete: step backward next';
        if (stepper.snapshot().phase === 'updated') this.keepParameters();
        stepper.stepForward();
        return undefined;
      case 'backward':
        if (!stepper.canStepBackward) return stepper.canApplyUpdate ? 'the backward pass is complete: apply the update next' : 'finish the forward pass first';
        stepper.stepBackward();
        return undefined;
      case 'update':
        if (!stepper.canApplyUpdate) return 'finish the forward and backward passes first';
        stepper.applyUpdate();
        this.commit();
        return undefined;
      case 'all':
        if (stepper.snapshot().phase === 'updated') this.keepParameters();
        stepper.stepAll();
        this.commit();
        return undefined;
      case 'undo':
        return this.undo();
      default: {
        const never: never = action;
        return `unknown action ${String(never)}`;
      }
    }
  }

  /** What the views draw, or undefined before the first step. */
  view(): SteppingView | undefined {
    if (!this.stepper) return undefined;
    const snapshot = this.stepper.snapshot();
    const layers = this.trainer.net.layers;
    return {
      ...snapshot,
      // σ′(z[l]) of each computed layer with an elementwise σ: the ledger writes dL/dz = dL/da · σ′(z) with it.
      dadz: snapshot.z.map((z, l) => {
        const layer = layers[l - 1];
        const act = l >= 1 && layer ? getActivation(layer.activationName, { alpha: layer.alpha }) : undefined;
        return act && 'df' in act ? Float64Array.from(z, (v) => (act as ScalarActivation).df(v)) : new Float64Array(0);
      }),
      // Undo restores the weights from before an update or edit: not once training has moved on from it.
      undoable: this.undoable(),
      sample: this.sample.kind === 'row' ? { kind: 'row', index: this.sample.index } : { kind: 'custom' },
      computedAt: this.at,
      W: this.used.W,
      b: this.used.b,
    };
  }

  /** Backprop against finite differences for the stepped sample on the current parameters. */
  gradientCheck(): GradCheckView {
    const { x, y } = this.sampleValues();
    const net = cloneNetwork(this.trainer.net);
    const result = gradientCheck(net, { rows: 1, cols: x.length, data: x }, { rows: 1, cols: y.length, data: y }, { maxPerLayer: GRADCHECK_PER_LAYER });
    return { ...result, ...(this.sample.kind === 'row' ? { sampleIndex: this.sample.index } : {}), computedAt: this.now() };
  }

  /** The current network's loss for the stepped sample as an expression, or why it cannot be written. */
  lossGraph(): LossExpression | string {
    const net = this.trainer.net;
    const problem = lossExpressionProblem(net);
    if (problem) return problem;
    const { x, y } = this.sampleValues();
    return lossExpression(net, x, y);
  }

  private now(): ComputedAt {
    return { epoch: this.trainer.epoch, step: this.trainer.step };
  }

  private current(): boolean {
    // Only updates change the parameters (training adds to the step count; the stepper's own
    // update and undo set `at` anew), so the step count alone tells.
    return this.at.step === this.trainer.step;
  }

  /** The stepper for the current parameters and sample, built anew when they changed. */
  private ensure(): void {
    if (!this.stepper || !this.current()) this.build();
  }

  private build(): Stepper {
    const t = this.trainer;
    // The stepper works on a copy: an update goes into the live network only through the
    // Trainer, which keeps a float32 run's fast network in step with it.
    const net = cloneNetwork(t.net);
    const { x, y } = this.sampleValues();
    this.stepper = new Stepper(net, createOptimizer(t.model.optimizer), x, y);
    this.at = this.now();
    this.keepParameters();
    return this.stepper;
  }

  /** Records the stepper's current parameters as the ones its next passes use. */
  private keepParameters(): void {
    const p = this.stepper!.parameters();
    this.used = { W: p.map((l) => l.W), b: p.map((l) => l.b) };
  }

  /** Puts the stepper's updated parameters into the live network, as an update Undo can revert. */
  private commit(): void {
    this.change('update', this.parametersNow(), this.stepper!.parameters());
    this.at = this.now();
  }

  /** Copies of the live network's W[l] and b[l]. */
  private parametersNow(): LayerParameterData[] {
    return this.trainer.net.layers.map((layer) => ({ W: new Float64Array(layer.W.data), b: new Float64Array(layer.b) }));
  }

  /** Sets the live network's parameters to `after`, as one update, remembering `before` for Undo. */
  private change(kind: Change['kind'], before: LayerParameterData[], after: LayerParameterData[]): void {
    // Changes before a stretch of training cannot be undone any more: drop them.
    if (this.undoable() === 0) this.changes = [];
    const problem = this.trainer.setParameters(after, 1);
    if (problem) throw new Error(problem);
    this.changes.push({ kind, before, stepAfter: this.trainer.step });
    if (this.changes.length > MAX_UNDO) this.changes.shift();
  }

  /** How many changes Undo can revert now: none once training has moved on from the last one. */
  private undoable(): number {
    const last = this.changes[this.changes.length - 1];
    return last && last.stepAfter === this.trainer.step ? this.changes.length : 0;
  }

  /**
   * Reverts the last update or edit. After an update the passes start over on the restored
   * parameters (as the stepper's own undo did); after an edit they are recomputed on them
   * (`refresh`), or, when the stepper still shows the update the edit came after, that update
   * is current again.
   */
  private undo(): string | undefined {
    if (this.undoable() === 0) {
      const trained = this.changes.length > 0;
      this.changes = [];
      return trained ? 'nothing to undo: the network has trained since the last step' : 'nothing to undo';
    }
    const last = this.changes.pop()!;
    const problem = this.trainer.setParameters(last.before, -1);
    if (problem) throw new Error(problem);
    if (last.kind === 'update') this.build();
    return undefined;
  }

  private sampleValues(): { x: Float64Array; y: Float64Array } {
    if (this.sample.kind === 'custom') return { x: Float64Array.from(this.sample.x), y: Float64Array.from(this.sample.y) };
    const d = this.trainer.data;
    const i = Math.min(this.sample.index, d.train.rows - 1);
    return { x: d.train.x.slice(i * d.nIn, (i + 1) * d.nIn), y: d.train.y.slice(i * d.nOut, (i + 1) * d.nOut) };
  }
}
