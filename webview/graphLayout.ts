/**
 * Where each box of a computation graph goes, left to right as on the lecture's slides: a module
 * one column right of its deepest input, a variable or constant one column left of its first
 * consumer (so `y` enters at the `×` and `z` at the `/`, not all in column 0), rows in the order
 * the expression is written. Pure (no DOM): the panel draws it, the unit tests check it.
 */

/** What the layout needs of a node: its inputs (ids smaller than its own: topological order). */
export interface LayoutNode {
  readonly inputs: readonly number[];
}

/** A node's place: integer column, row (may be fractional: a module sits between its inputs). */
export interface LayoutPosition {
  readonly col: number;
  readonly row: number;
}

export interface GraphLayout {
  readonly positions: readonly LayoutPosition[];
  readonly columns: number;
  /** One more than the largest row. */
  readonly rows: number;
}

/**
 * Lays out `nodes` (in topological order, the output last, as ComputationalGraph numbers them).
 * Rows: in that order, which is a depth-first walk from the output taking inputs left to right,
 * each leaf takes the next row where it is first met and a module sits at the mean of its
 * inputs' rows; then boxes sharing a column are pushed apart to at least one row.
 */
export function layoutGraph(nodes: readonly LayoutNode[]): GraphLayout {
  const n = nodes.length;
  const col = new Array<number>(n).fill(0);
  const row = new Array<number>(n).fill(0);
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((node, id) => node.inputs.forEach((input) => consumers[input].push(id)));

  let nextRow = 0;
  nodes.forEach((node, id) => {
    if (node.inputs.length === 0) {
      row[id] = nextRow++;
    } else {
      col[id] = 1 + Math.max(...node.inputs.map((i) => col[i]));
      row[id] = node.inputs.reduce((sum, i) => sum + row[i], 0) / node.inputs.length;
    }
  });
  // Leaves move right to just before their first consumer (modules' columns are already final,
  // since a leaf's column never raised theirs above 1 + 0).
  nodes.forEach((node, id) => {
    if (node.inputs.length === 0 && consumers[id].length > 0) col[id] = Math.min(...consumers[id].map((c) => col[c])) - 1;
  });

  const columns = n === 0 ? 0 : Math.max(...col) + 1;
  for (let c = 0; c < columns; c++) {
    const ids = nodes.map((_, id) => id).filter((id) => col[id] === c);
    ids.sort((a, b) => row[a] - row[b] || a - b);
    for (let k = 1; k < ids.length; k++) row[ids[k]] = Math.max(row[ids[k]], row[ids[k - 1]] + 1);
  }
  const top = n === 0 ? 0 : Math.min(...row);
  const positions = nodes.map((_, id) => ({ col: col[id], row: row[id] - top }));
  return { positions, columns, rows: n === 0 ? 0 : Math.max(...positions.map((p) => p.row)) + 1 };
}
