/**
 * Decision and neuron maps over the input plane, checked against the hand-built XOR network's
 * known gates and against hand-set linear networks whose output is a formula.
 */
import { pristineExamples } from '../pristineExamples';
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { decisionMap, fittedCurve, gridFor, gridInputs, gridX1, gridX2, neuronMaps, planeMaps, type Grid } from '../../src/analysis/decisionMap';
import { createNetwork, setLayerParameters } from '../../src/engine/network';
import { resolveEngineered } from '../../src/data/engineeredFeatures';
import { parseModelFile } from '../../src/model/modelFile';
import { networkFromModel } from '../../src/model/modelNetwork';

const EXAMPLES = pristineExamples();
const xorNet = () => networkFromModel(parseModelFile(readFileSync(path.join(EXAMPLES, 'xor.mlp.json'), 'utf8'), 'xor.mlp.json'));
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const sigma = (z: number) => 1 / (1 + Math.exp(-z));

/** A 2 × 2 grid whose cell centres are exactly the four corners of the unit square. */
const CORNERS: Grid = { nx: 2, ny: 2, x1Min: -0.5, x1Max: 1.5, x2Min: -0.5, x2Max: 1.5 };

describe('analysis: decision map', () => {
  it('gridFor covers the data range plus the margin; points are cell centres, row-major, row 0 at x2Min', () => {
    const x = new Float64Array([0, 10, 1, 20, 0.5, 15]); // (x1, x2) rows
    const g = gridFor(x, 3, 2, { nx: 4, ny: 2, margin: 0.1 });
    assert.deepEqual([g.x1Min, g.x1Max], [-0.1, 1.1]);
    assert.deepEqual([g.x2Min, g.x2Max], [9, 21]);
    close(gridX1(g, 0), -0.1 + 0.15); // width 1.2 / 4 columns = 0.3, centre half a cell in
    close(gridX2(g, 1), 9 + 9); // height 12 / 2 rows = 6; row 1's centre is 1.5 cells up
    const pts = gridInputs(g);
    assert.equal(pts.rows, 8);
    // point c = i·nx + j: row i = 1, column j = 2 → c = 6
    close(pts.data[2 * 6], gridX1(g, 2));
    close(pts.data[2 * 6 + 1], gridX2(g, 1));
  });

  it('gridFor widens a degenerate axis to minSpan and needs two input columns', () => {
    const g = gridFor(new Float64Array([3, 1, 3, 2]), 2, 2, { margin: 0, minSpan: 1 });
    assert.deepEqual([g.x1Min, g.x1Max], [2.5, 3.5]);
    assert.throws(() => gridFor(new Float64Array([1, 2]), 2, 1), /2 inputs/);
  });

  it('the hand-built XOR network classifies the four corners right, with confidence', () => {
    const map = decisionMap(xorNet(), CORNERS);
    assert.equal(map.kind, 'binary');
    // c = i·2 + j with j along x1, i along x2: (0,0) (1,0) (0,1) (1,1)
    assert.deepEqual(Array.from(map.predicted!), [0, 1, 1, 0]);
    for (const p of map.confidence!) assert.ok(p > 0.99, `confidence ${p}`);
    // ŷ at (1, 0): hidden AND = σ(−10), OR = σ(10); output σ(−20·AND + 20·OR − 10)
    close(map.yhat[1], sigma(-20 * sigma(-10) + 20 * sigma(10) - 10));
  });

  it('over a 40×40 grid the XOR network says 1 exactly between the lines x1 + x2 = 0.5 and 1.5', () => {
    const data = new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]);
    const grid = gridFor(data, 4, 2, { nx: 40 });
    const map = decisionMap(xorNet(), grid);
    let checked = 0;
    for (let i = 0; i < grid.ny; i++) {
      for (let j = 0; j < grid.nx; j++) {
        const s = gridX1(grid, j) + gridX2(grid, i);
        if (Math.abs(s - 0.5) < 0.1 || Math.abs(s - 1.5) < 0.1) continue; // the sigmoids' soft edges
        assert.equal(map.predicted![i * grid.nx + j], s > 0.5 && s < 1.5 ? 1 : 0, `at x1+x2 = ${s}`);
        checked++;
      }
    }
    assert.ok(checked > 1200);
  });

  it('neuron maps show hidden neuron 1 as AND and neuron 2 as OR, one contiguous block per neuron', () => {
    const layers = neuronMaps(xorNet(), CORNERS);
    assert.equal(layers.length, 2);
    const hidden = layers[0];
    assert.equal(hidden.units, 2);
    assert.equal(hidden.values.length, 2 * 4);
    const and = Array.from(hidden.values.subarray(0, 4), (v) => Math.round(v));
    const or = Array.from(hidden.values.subarray(4, 8), (v) => Math.round(v));
    assert.deepEqual(and, [0, 0, 0, 1]);
    assert.deepEqual(or, [0, 1, 1, 1]);
    close(hidden.values[0], sigma(-30)); // AND at (0, 0): z = −30
    close(hidden.min[0], sigma(-30));
    close(hidden.max[1], sigma(30)); // OR at (1, 1): z = 20 + 20 − 10
  });

  it('classes: a softmax map predicts argmax of hand-set scores and reports the max probability', () => {
    const net = createNetwork([{ units: 2 }, { units: 3, activation: 'softmax' }], 'cross_entropy');
    // scores (x1, x2, −x1 − x2)
    setLayerParameters(net, 1, [[1, 0, -1], [0, 1, -1]], [0, 0, 0]);
    const grid: Grid = { nx: 3, ny: 1, x1Min: -3, x1Max: 3, x2Min: 0, x2Max: 1 }; // x1 ∈ {−2, 0, 2}, x2 = 0.5
    const map = decisionMap(net, grid);
    assert.equal(map.kind, 'classes');
    assert.deepEqual(Array.from(map.predicted!), [2, 1, 0]);
    const p = (s: number[]) => Math.max(...s.map(Math.exp)) / s.map(Math.exp).reduce((a, b) => a + b);
    close(map.confidence![0], p([-2, 0.5, 1.5]));
    close(map.confidence![2], p([2, 0.5, -2.5]));
  });

  it('regression: ŷ of a plane network is the plane, with its extremes at the corners', () => {
    const net = createNetwork([{ units: 2 }, { units: 1 }], 'mse');
    setLayerParameters(net, 1, [[2], [-1]], [0.5]);
    const grid: Grid = { nx: 5, ny: 4, x1Min: -1, x1Max: 1, x2Min: -1, x2Max: 1 };
    const map = decisionMap(net, grid, 'regression');
    assert.equal(map.kind, 'regression');
    assert.equal(map.predicted, undefined);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) close(map.yhat[i * 5 + j], 2 * gridX1(grid, j) - gridX2(grid, i) + 0.5);
    close(map.max, 2 * gridX1(grid, 4) - gridX2(grid, 0) + 0.5);
    close(map.min, 2 * gridX1(grid, 0) - gridX2(grid, 3) + 0.5);
  });

  it('planeMaps gives the same decision and neuron maps as the separate calls', () => {
    const net = createNetwork([{ units: 2 }, { units: 8, activation: 'tanh' }, { units: 8, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], 'sse', { seed: 4 });
    const grid = gridFor(new Float64Array([-1, -1, 1, 1]), 2, 2, { nx: 12, ny: 7 });
    const both = planeMaps(net, grid);
    assert.deepEqual(Array.from(both.decision.yhat), Array.from(decisionMap(net, grid).yhat));
    assert.deepEqual(both.neurons.map((n) => Array.from(n.values)), neuronMaps(net, grid).map((n) => Array.from(n.values)));
    assert.equal(both.neurons[1].values.length, 8 * 12 * 7);
  });

  it('a slice of a 4-input model: two chosen inputs vary, the others sit at their means; ŷ is the formula there', () => {
    // ŷ = 1·x0 + 2·x1 + 3·x2 + 4·x3 + 0.5, mapped over (x2, x0) with x1 and x3 at their means.
    const net = createNetwork([{ units: 4 }, { units: 1 }], 'mse');
    setLayerParameters(net, 1, [[1], [2], [3], [4]], [0.5]);
    // Rows (x0, x1, x2, x3): means 2, 5, −1, 10.
    const x = new Float64Array([1, 4, -2, 10, 3, 6, 0, 10]);
    const grid = gridFor(x, 2, 4, { nx: 3, ny: 2, axes: [2, 0], margin: 0, minSpan: 0 });
    assert.deepEqual(grid.slice?.axes, [2, 0]);
    assert.deepEqual(Array.from(grid.slice!.base), [2, 5, -1, 10]);
    assert.deepEqual([grid.x1Min, grid.x1Max, grid.x2Min, grid.x2Max], [-2, 0, 1, 3]);
    const points = gridInputs(grid);
    assert.equal(points.cols, 4);
    const map = decisionMap(net, grid, 'regression');
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const x2 = gridX1(grid, j);
        const x0 = gridX2(grid, i);
        assert.deepEqual(Array.from(points.data.subarray((i * 3 + j) * 4, (i * 3 + j + 1) * 4)), [x0, 5, x2, 10]);
        close(map.yhat[i * 3 + j], x0 + 2 * 5 + 3 * x2 + 4 * 10 + 0.5);
      }
    }
    assert.throws(() => gridFor(x, 2, 4, { axes: [1, 1] }), /two different inputs among 0…3, got 1 and 1/);
    assert.throws(() => gridFor(x, 2, 4, { axes: [0, 4] }), /two different inputs/);
  });

  it('a slice of a model with engineered inputs computes x1² and x2² at every point, not their means', () => {
    // Inputs (x1, x2, x1^2, x2^2), standardized with hand-set statistics.
    const normalization = { method: 'standard' as const, inputNames: ['x1', 'x2', 'x1^2', 'x2^2'], mean: [1, -1, 2, 3], std: [2, 4, 5, 10] };
    const derived = { raw: 2, features: resolveEngineered(['x1^2', 'x2^2'], ['x1', 'x2']), normalization };
    // ŷ = x1²' + x2²' (the standardized squares): a circle's surface, nothing of x1 and x2 directly.
    const net = createNetwork([{ units: 4 }, { units: 1 }], 'mse');
    setLayerParameters(net, 1, [[0], [0], [1], [1]], [0]);
    const x = new Float64Array([-1, 1, 0, 0, 1, -1, 0, 0]);
    const grid = gridFor(x, 2, 4, { nx: 3, ny: 3, margin: 0, minSpan: 0, derived });
    const map = decisionMap(net, grid, 'regression');
    const points = gridInputs(grid);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const c = i * 3 + j;
        const x1 = gridX1(grid, j) * 2 + 1; // raw, un-standardized
        const x2 = gridX2(grid, i) * 4 - 1;
        const s1 = (x1 * x1 - 2) / 5;
        const s2 = (x2 * x2 - 3) / 10;
        close(points.data[c * 4 + 2], s1);
        close(points.data[c * 4 + 3], s2);
        close(map.yhat[c], s1 + s2);
      }
    }
    assert.throws(() => gridFor(x, 2, 4, { axes: [0, 2], derived }), /two different inputs among 0…1/);
  });

  it('fittedCurve: ŷ of a 1-input line network along the data range', () => {
    const net = createNetwork([{ units: 1 }, { units: 1 }], 'mse');
    setLayerParameters(net, 1, [[3]], [1]);
    const c = fittedCurve(net, new Float64Array([0, 2, 1]), 3, { points: 5, margin: 0 });
    assert.deepEqual(Array.from(c.x), [0, 0.5, 1, 1.5, 2]);
    assert.deepEqual(Array.from(c.yhat), [1, 2.5, 4, 5.5, 7]);
    assert.throws(() => decisionMap(net, CORNERS), /this grid has points of 2 inputs; the network takes 1/);
  });
});
