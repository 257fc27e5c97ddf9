/**
 * The panel's figures of the live network, computed in the worker from its own parameters and
 * its whole training split (the webview only draws them): the decision map of a 2-to-64-input
 * model (a slice through two inputs past 2) with its hidden neurons' maps, the fitted curve of a
 * 1-input regression, and a lesson's truth table. A few hundred kilobytes at most, and only what
 * is drawn: the neuron maps of the units the diagram shows (src/training/shownUnits.ts).
 */
import { fittedCurve, gridFor, planeMaps, type DerivedInputs, type Grid } from '../analysis/decisionMap';
import { MAX_TRUTH_TABLE_ROWS, truthTable } from '../analysis/truthTable';
import { resolveEngineered } from '../data/engineeredFeatures';
import type { Network } from '../engine/network';
import type { ModelFile } from '../model/modelFile';
import { drawnUnits, MAX_SLICE_INPUTS } from './shownUnits';
import type { PanelFigures, PlaneFigure, TrainingData } from './workerProtocol';

/** Points a side of the decision map's grid. */
export const MAP_SIDE = 48;
/** Points of the fitted curve. */
export const CURVE_POINTS = 200;

/** Whether a network classifies, as the decision map reads its outputs. */
function task(net: Network, data: TrainingData): 'classification' | 'regression' {
  const out = net.layers[net.layers.length - 1].activationName;
  return data.task === 'classification' || out === 'sigmoid' || out === 'softmax' ? 'classification' : 'regression';
}

/**
 * The engineered inputs the map works out at every point of its plane (the model's
 * `data.engineered`, after the raw inputs), or undefined. Throws what the data layer reported
 * already when the list is bad; the caller then draws no map.
 */
function derivedInputs(model: ModelFile, data: TrainingData): DerivedInputs | undefined {
  const list = (model.data as { engineered?: readonly string[] } | undefined)?.engineered ?? [];
  if (list.length === 0 || data.inputNames.length !== data.nIn) return undefined;
  const raw = data.inputNames.slice(0, data.nIn - list.length);
  const features = resolveEngineered(list, raw);
  return { raw: raw.length, features, ...(data.normalization ? { normalization: data.normalization } : {}) };
}

/** A cache of the grid for one data set and pair of axes: it depends on the data alone. */
export class FigureGrids {
  private key = '';
  private grid: { grid: Grid; raw: number } | undefined;

  constructor(
    private readonly model: ModelFile,
    private readonly data: TrainingData,
  ) {}

  /** The grid over the training split's range in inputs `axes`, or undefined when no map is drawn. */
  gridFor(axes: readonly [number, number]): { grid: Grid; raw: number } | undefined {
    const key = axes.join(',');
    if (key === this.key) return this.grid;
    this.key = key;
    this.grid = undefined;
    const { data } = this;
    const nIn = data.nIn;
    if (nIn < 2 || nIn > MAX_SLICE_INPUTS) return undefined;
    let derived: DerivedInputs | undefined;
    try {
      derived = derivedInputs(this.model, data);
    } catch {
      return undefined;
    }
    const raw = derived ? derived.raw : nIn;
    if (raw < 2 || axes[0] >= raw || axes[1] >= raw || axes[0] === axes[1]) return undefined;
    const grid = gridFor(data.train.x, data.train.rows, nIn, { nx: MAP_SIDE, ny: MAP_SIDE, axes, ...(derived ? { derived } : {}) });
    this.grid = { grid, raw };
    return this.grid;
  }
}

/** Every figure that applies to this model, of `net`'s current parameters (`epoch`, `step`). */
export function panelFigures(net: Network, model: ModelFile, data: TrainingData, grids: FigureGrids, axes: readonly [number, number], epoch: number, step: number): PanelFigures {
  const figures: { -readonly [K in keyof PanelFigures]: PanelFigures[K] } = { epoch, step };
  const plane = grids.gridFor(axes);
  if (plane) figures.plane = planeFigure(net, data, plane.grid, plane.raw);
  const nOut = data.nOut;
  if (data.nIn === 1 && nOut === 1 && data.train.rows > 0) figures.curve = fittedCurve(net, data.train.x, data.train.rows, { points: CURVE_POINTS });
  if (model.lesson && data.train.rows <= MAX_TRUTH_TABLE_ROWS) figures.truthTable = truthTable(net, data.train);
  return figures;
}

/** The decision map over `grid`, and a[l]_j over it for the drawn units j of each hidden layer. */
function planeFigure(net: Network, data: TrainingData, grid: Grid, raw: number): PlaneFigure {
  const maps = planeMaps(net, grid, task(net, data));
  const cells = grid.nx * grid.ny;
  const L = net.layers.length;
  const neurons = maps.neurons
    .filter((m) => m.l < L)
    .map((m) => {
      const units = drawnUnits(m.units);
      const values = new Float64Array(units.length * cells);
      units.forEach((j, k) => values.set(m.values.subarray(j * cells, (j + 1) * cells), k * cells));
      return { l: m.l, units, values };
    });
  // The slice's engineered features are the worker's business: the panel needs the axes and means.
  const plain: Grid = grid.slice ? { ...grid, slice: { axes: grid.slice.axes, base: grid.slice.base } } : grid;
  const { grid: _grid, ...decision } = maps.decision;
  return { grid: plain, rawInputs: raw, decision, neurons };
}
