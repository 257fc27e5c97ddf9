/**
 * The initialization lab's picture for one architecture: the per-layer statistics of
 * src/analysis/initLab.ts under every initializer, and zero init's symmetric hidden units next
 * to a random init after the same gradient steps. No `vscode` import.
 */
import { initLab, maxPairwiseDifference } from './initLab';
import type { InitializerName } from '../engine/initializers';
import type { LossName } from '../engine/losses';
import { zeros, type Matrix } from '../engine/matrix';
import { backward, createNetwork, forward, type LayerSpec } from '../engine/network';
import { createOptimizer, type OptimizerSpec } from '../engine/optimizers';
import { Random } from '../engine/random';
import type { InitLabView, LabMatrix, SymmetryPanel } from '../labs/labProtocol';

/** The architecture measured when no model is open: 2-16-16-16-1, ReLU hidden layers, a sigmoid output. */
export const DEFAULT_INIT_LAB_LAYERS: readonly LayerSpec[] = [
  { units: 2 },
  { units: 16, activation: 'relu' },
  { units: 16, activation: 'relu' },
  { units: 16, activation: 'relu' },
  { units: 1, activation: 'sigmoid' },
];

/** Gradient steps (full batch) in the symmetry picture. */
export const SYMMETRY_STEPS = 100;
/** Rows of a[1] the symmetry picture shows. */
const SHOWN_ROWS = 8;
/** Rows the symmetry picture trains on. */
const SYMMETRY_BATCH = 64;

/** What the lab is measured for. */
export interface InitLabInput {
  readonly layers: readonly LayerSpec[];
  readonly source: InitLabView['source'];
  /** The model's loss; default sse. */
  readonly loss?: LossName;
  /** The model's optimizer, used for the symmetry picture's steps; default SGD η = 0.1. */
  readonly optimizer?: OptimizerSpec;
  /** The model's initializer when it is a random one; default Xavier. The symmetry picture compares it with zeros. */
  readonly randomInit?: InitializerName;
  /** `init.scale` and `init.bias` of the model. */
  readonly scale?: number;
  readonly bias?: number;
  /** The model's training split (x: rows × n_0, y: rows × n_L), for the symmetry picture. */
  readonly data?: { readonly x: Float64Array; readonly y: Float64Array; readonly rows: number };
}

const plain = (m: Matrix): LabMatrix => ({ rows: m.rows, cols: m.cols, data: m.data.slice() });

/** The whole initialization lab view. */
export function initLabView(input: InitLabInput): InitLabView {
  const layers = input.layers;
  let weights = 0;
  for (let l = 1; l < layers.length; l++) weights += layers[l - 1].units * layers[l].units;
  // Large networks get a smaller batch, so that the host answers in well under a second.
  const batch = weights > 100_000 ? 32 : 128;
  const seeds = 3;
  const results = initLab(layers, { batch, seeds, scale: input.scale, bias: input.bias });
  const { x, y, description } = symmetryBatch(input);
  const random = input.randomInit && input.randomInit !== 'zeros' ? input.randomInit : 'xavier';
  return {
    layers: layers.map((l) => ({ units: l.units, ...(l.activation ? { activation: l.activation } : {}) })),
    source: input.source,
    batch,
    seeds,
    results,
    symmetry: { steps: SYMMETRY_STEPS, data: description, zeros: symmetryPanel(input, 'zeros', x, y), random: symmetryPanel(input, random, x, y) },
  };
}

/** The batch both symmetry panels train on: the model's first training rows, or random x with a made-up target. */
function symmetryBatch(input: InitLabInput): { x: Matrix; y: Matrix; description: string } {
  const n0 = input.layers[0].units;
  const nL = input.layers[input.layers.length - 1].units;
  const d = input.data;
  if (d && d.rows > 0) {
    const rows = Math.min(SYMMETRY_BATCH, d.rows);
    return { x: { rows, cols: n0, data: d.x.slice(0, rows * n0) }, y: { rows, cols: nL, data: d.y.slice(0, rows * nL) }, description: `${rows < d.rows ? `the first ${rows} of ` : ''}the model's ${d.rows} training rows` };
  }
  // x ~ N(0, 1); the target is the XOR of the signs of x_0 and x_1 (one-hot when there are several outputs).
  const rng = new Random(11);
  const x = zeros(SYMMETRY_BATCH, n0);
  const y = zeros(SYMMETRY_BATCH, nL);
  for (let r = 0; r < SYMMETRY_BATCH; r++) {
    for (let i = 0; i < n0; i++) x.data[r * n0 + i] = rng.normal();
    const cls = (x.data[r * n0] > 0 ? 1 : 0) ^ (n0 > 1 && x.data[r * n0 + 1] > 0 ? 1 : 0);
    if (nL === 1) y.data[r] = cls;
    else y.data[r * nL + (cls % nL)] = 1;
  }
  return { x, y, description: `${SYMMETRY_BATCH} inputs drawn from N(0, 1), target: the XOR of the signs of x₁ and x₂` };
}

function symmetryPanel(input: InitLabInput, initializer: InitializerName, x: Matrix, y: Matrix): SymmetryPanel {
  const net = createNetwork(input.layers, input.loss ?? 'sse', { weights: initializer, seed: 1, scale: input.scale, bias: input.bias });
  const optimizer = createOptimizer(input.optimizer ?? { type: 'sgd', learningRate: 0.1 });
  for (let step = 0; step < SYMMETRY_STEPS; step++) optimizer.update(net, backward(net, forward(net, x), y));
  const a1 = forward(net, x).a[1];
  const shownRows = Math.min(SHOWN_ROWS, a1.rows);
  const W1 = net.layers[0].W;
  return {
    initializer,
    W1: plain(W1),
    a1: { rows: shownRows, cols: a1.cols, data: a1.data.slice(0, shownRows * a1.cols) },
    maxUnitDifference: maxPairwiseDifference(a1),
    maxColumnDifference: maxPairwiseDifference(W1),
  };
}
