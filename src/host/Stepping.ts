/**
 * The inspector's stepper, on the extension host: one sample through forward, backward and
 * update, a layer at a time. It shares the training's state: it starts from the worker's
 * current parameters (pausing a run first) and hands every update (or undo) back to the
 * worker, so training continues from the stepped weights. The work per step is one sample
 * through one layer, so it is cheap enough for the host's event loop. No `vscode` import.
 */
import { createOptimizer } from '../engine/optimizers';
import { Stepper, type StepperSnapshot } from '../engine/stepper';
import { networkFromModel } from '../model/modelNetwork';
import type { SteppingView } from '../protocol';
import type { TrainingSession } from '../training/TrainingSession';

export type StepAction = 'forward' | 'backward' | 'update' | 'all' | 'undo';

/** Which sample is stepped: a row of a split, or one the user typed. */
type SampleChoice = { kind: 'row'; index: number } | { kind: 'custom'; x: number[]; y: number[] };

export class Stepping {
  private stepper: Stepper | undefined;
  /** The worker's step count our stepper is in sync with; another value means training moved on. */
  private syncedStep = -1;
  private sample: SampleChoice = { kind: 'row', index: 0 };

  constructor(private readonly session: TrainingSession) {}

  /** Forgets the passes (the parameters stay as they are in the worker). */
  reset(): void {
    this.stepper = undefined;
  }

  /** Steps this row of the training split from now on. */
  useRow(index: number): void {
    this.sample = { kind: 'row', index };
    this.reset();
  }

  /** Steps a typed-in sample; returns why it was refused, or undefined. */
  useCustom(x: number[], y: number[]): string | undefined {
    const sizes = this.session.info?.sizes;
    if (!sizes) return 'no model is loaded';
    if (x.length !== sizes[0]) return `x needs ${sizes[0]} value${sizes[0] === 1 ? '' : 's'} (the input layer's units), got ${x.length}`;
    if (y.length !== sizes[sizes.length - 1]) return `y needs ${sizes[sizes.length - 1]} value${sizes[sizes.length - 1] === 1 ? '' : 's'} (the output layer's units), got ${y.length}`;
    this.sample = { kind: 'custom', x, y };
    this.reset();
    return undefined;
  }

  /** Carries out one action; returns why it could not, or undefined. */
  async act(action: StepAction): Promise<string | undefined> {
    const s = this.session;
    if (s.state === 'training') await s.pause();
    const stepper = await this.ensure();
    if (typeof stepper === 'string') return stepper;
    switch (action) {
      case 'forward':
        if (!stepper.canStepForward) return 'the forward pass is complete: step backward next';
        stepper.stepForward();
        return undefined;
      case 'backward':
        if (!stepper.canStepBackward) return stepper.canApplyUpdate ? 'the backward pass is complete: apply the update next' : 'finish the forward pass first';
        stepper.stepBackward();
        return undefined;
      case 'update':
        if (!stepper.canApplyUpdate) return 'finish the forward and backward passes first';
        stepper.applyUpdate();
        await this.push(stepper, 1);
        return undefined;
      case 'all':
        stepper.stepAll();
        await this.push(stepper, 1);
        return undefined;
      case 'undo':
        if (!stepper.undo()) return 'nothing to undo';
        await this.push(stepper, -1);
        return undefined;
      default: {
        const never: never = action;
        return `unknown action ${String(never)}`;
      }
    }
  }

  /** What the views draw, or undefined before the first step. */
  view(): SteppingView | undefined {
    if (!this.stepper) return undefined;
    const snap: StepperSnapshot = this.stepper.snapshot();
    return { ...snap, sample: this.sample.kind === 'row' ? { kind: 'row', index: this.sample.index } : { kind: 'custom' } };
  }

  /** The stepper for the current parameters and sample, built anew when training moved on. */
  private async ensure(): Promise<Stepper | string> {
    const s = this.session;
    const snapshot = s.snapshot;
    if (!s.model || !snapshot) return 'no model is loaded';
    if (this.stepper && snapshot.step === this.syncedStep) return this.stepper;
    const { layers, step } = await s.getParameters();
    const net = networkFromModel({ ...s.model, parameters: undefined });
    net.layers.forEach((layer, k) => {
      layer.W.data.set(layers[k].W);
      layer.b.set(layers[k].b);
    });
    let x: ArrayLike<number>;
    let y: ArrayLike<number>;
    if (this.sample.kind === 'custom') {
      ({ x, y } = this.sample);
    } else {
      // The worker's selected-sample snapshot holds a[0] = x (normalized, as the network sees it) and y.
      if (snapshot.sample.index !== this.sample.index) await s.selectSample(this.sample.index);
      const sample = s.snapshot!.sample;
      x = sample.a[0];
      y = sample.y;
    }
    this.stepper = new Stepper(net, createOptimizer(s.model.optimizer), x, y);
    this.syncedStep = step;
    return this.stepper;
  }

  /** Hands the stepper's parameters to the worker, so training continues from them. */
  private async push(stepper: Stepper, countsAsStep: -1 | 1): Promise<void> {
    await this.session.setParameters(stepper.parameters(), countsAsStep);
    this.syncedStep = this.session.snapshot?.step ?? this.syncedStep;
  }
}
