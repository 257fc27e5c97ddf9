import { strict as assert } from 'assert';
import { ComputationalGraph } from '../../src/engine/graph';
import { layoutGraph } from '../../webview/graphLayout';

const layoutOf = (source: string) => {
  const nodes = new ComputationalGraph(source).snapshot().nodes;
  const layout = layoutGraph(nodes);
  return { nodes, layout, at: (label: string) => layout.positions[nodes.findIndex((n) => n.label === label)] };
};

describe('graph panel: layout', () => {
  it('draws x^2*y/z as the lecture’s slide: each input one column before the module it enters', () => {
    const { layout, at } = layoutOf('x^2*y/z');
    assert.equal(layout.columns, 4);
    assert.deepEqual([at('x'), at('^2'), at('y'), at('×'), at('z'), at('/')].map((p) => p.col), [0, 1, 1, 2, 2, 3]);
    // Written order top to bottom; each module between its inputs.
    assert.deepEqual([at('x').row, at('^2').row, at('y').row, at('z').row], [0, 0, 1, 2]);
    assert.equal(at('×').row, 0.5);
    assert.equal(at('/').row, 1.25);
  });

  it('keeps modules right of all their inputs, and no two boxes of a column within a row of each other', () => {
    for (const source of ['x*x + x', 'sigmoid(w1*x1 + w2*x2 + b)', '(a+b)*(c+d) - a', '2*x', 'x', '-(x^2) / (1 + exp(-y))']) {
      const { nodes, layout } = layoutOf(source);
      nodes.forEach((node, id) => {
        for (const input of node.inputs) assert.ok(layout.positions[input].col < layout.positions[id].col, `${source}: node ${id} left of an input`);
      });
      for (let c = 0; c < layout.columns; c++) {
        const rows = layout.positions.filter((p) => p.col === c).map((p) => p.row).sort((a, b) => a - b);
        for (let k = 1; k < rows.length; k++) assert.ok(rows[k] - rows[k - 1] >= 1, `${source}: column ${c} rows ${rows}`);
      }
      assert.ok(layout.positions.every((p) => p.row >= 0 && p.row < layout.rows));
    }
  });
});
