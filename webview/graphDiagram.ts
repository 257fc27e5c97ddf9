/**
 * The computation graph drawn as on the lecture's slides: a box per module (`^2`, `×`, `/`), the
 * variables on the left, edges left to right. Above each edge the value flowing forward; below
 * it, once the consumer's backward step has run, the gradient flowing back (upstream × local).
 * Every label is set as text, never markup: the expression comes from the user.
 */
import type { GraphSnapshot, GraphStateMessage } from '../src/graph/graphProtocol';
import { fmt, svg } from './format';
import { layoutGraph } from './graphLayout';

type Node = GraphSnapshot['nodes'][number];

const COL_W = 170;
const ROW_H = 92;
const BOX_H = 40;
const MARGIN_X = 40;
const MARGIN_Y = 28;
/** Room on the right for the output's edge and its labels. */
const OUT_STUB = 96;

/** Box width: room for the label at the editor's font size. */
const boxWidth = (node: Node): number => Math.max(48, 10 * node.label.length + 22);

/** How the diagram calls a node in tooltips: its variable or its sub-expression. */
export function nodeName(node: Node, source: string): string {
  return node.name ?? source.slice(node.span.start, node.span.end);
}

/** Draws `snapshot` into a fresh <svg>; `lastStep` is highlighted, the next node to run outlined. */
export function renderGraph(snapshot: GraphSnapshot, lastStep: GraphStateMessage['lastStep']): SVGSVGElement {
  const { nodes, source } = snapshot;
  const layout = layoutGraph(nodes);
  const width = 2 * MARGIN_X + Math.max(0, layout.columns - 1) * COL_W + OUT_STUB + 60;
  const height = 2 * MARGIN_Y + Math.max(0, layout.rows - 1) * ROW_H + BOX_H + 24;
  const at = (id: number) => ({ x: MARGIN_X + 30 + layout.positions[id].col * COL_W, y: MARGIN_Y + BOX_H / 2 + layout.positions[id].row * ROW_H });

  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'graph', role: 'group', 'aria-label': `Computation graph of ${source}` });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'graph-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'graph-arrow' }));
  defs.append(marker);
  root.append(defs);

  const edges = svg('g', { class: 'graph-edges' });
  const labels = svg('g', { class: 'graph-edge-labels' });
  const boxes = svg('g', { class: 'graph-nodes' });

  const edgeLabels = (x: number, y: number, value: number | null, grad: number | null, title: string): void => {
    if (value !== null) {
      const t = svg('text', { x, y: y - 7, class: 'edge-value', 'text-anchor': 'middle' });
      t.textContent = fmt(value);
      labels.append(titled(t, `${title} = ${value}`));
    }
    if (grad !== null) {
      const t = svg('text', { x, y: y + 16, class: 'edge-grad', 'text-anchor': 'middle' });
      t.textContent = fmt(grad);
      labels.append(titled(t, `gradient flowing back along this edge: ${grad}`));
    }
  };

  for (const node of nodes) {
    const to = at(node.id);
    const w = boxWidth(node);
    node.inputs.forEach((inputId, k) => {
      const input = nodes[inputId];
      const from = at(inputId);
      const x0 = from.x + boxWidth(input) / 2;
      const y0 = from.y;
      const x1 = to.x - w / 2 - 2;
      const y1 = to.y + (k - (node.inputs.length - 1) / 2) * 14;
      const dx = Math.max(24, (x1 - x0) / 2);
      const done = node.contributions !== null;
      edges.append(svg('path', { d: `M ${x0} ${y0} C ${x0 + dx} ${y0}, ${x1 - dx} ${y1}, ${x1} ${y1}`, class: `graph-edge${done ? ' back' : ''}`, 'marker-end': 'url(#graph-arrow)' }));
      const name = nodeName(input, source);
      edgeLabels((x0 + x1) / 2, (y0 + y1) / 2, input.value, node.contributions?.[k] ?? null, name);
    });
  }

  // f leaves the output box to the right; its gradient ∂f/∂f = 1 seeds the backward pass.
  const out = nodes[snapshot.outputId];
  if (out) {
    const from = at(out.id);
    const x0 = from.x + boxWidth(out) / 2;
    edges.append(svg('path', { d: `M ${x0} ${from.y} L ${x0 + OUT_STUB - 10} ${from.y}`, class: 'graph-edge', 'marker-end': 'url(#graph-arrow)' }));
    const f = svg('text', { x: x0 + OUT_STUB - 4, y: from.y + 4, class: 'graph-f' });
    f.textContent = 'f';
    labels.append(f);
    edgeLabels(x0 + (OUT_STUB - 10) / 2, from.y, out.value, out.grad, 'f');
  }

  for (const node of nodes) {
    const { x, y } = at(node.id);
    const w = boxWidth(node);
    const classes = ['graph-node', node.op === 'input' ? 'input' : node.op === 'const' ? 'const' : 'module'];
    if (node.value !== null) classes.push('computed');
    if (node.contributions !== null) classes.push('backpropagated');
    if (lastStep?.nodeId === node.id) classes.push('current');
    if (snapshot.cursor === node.id) classes.push('next');
    const g = svg('g', {
      class: classes.join(' '),
      'data-node-id': node.id,
      'data-label': node.label,
      'data-value': node.value === null ? '' : String(node.value),
      // ∂f/∂node is final once the node's own backward step has run (all its consumers came first).
      'data-grad': node.contributions === null ? '' : String(node.grad),
      tabindex: 0,
      role: 'img',
      'aria-label': describeNode(node, source),
    });
    g.append(svg('rect', { x: x - w / 2, y: y - BOX_H / 2, width: w, height: BOX_H, rx: node.op === 'input' ? BOX_H / 2 : 4 }));
    const label = svg('text', { x, y: y + 5, 'text-anchor': 'middle', class: 'graph-node-label' });
    label.textContent = node.label;
    g.append(label, tooltip(describeNode(node, source)));
    // Under a variable: its value and, at the end, ∂f/∂variable (the sum over all its uses).
    if (node.op === 'input') {
      if (node.value !== null) {
        const v = svg('text', { x, y: y + BOX_H / 2 + 15, 'text-anchor': 'middle', class: 'node-value' });
        v.textContent = `${node.label} = ${fmt(node.value)}`;
        g.append(v);
      }
      if (node.contributions !== null && node.grad !== null) {
        const d = svg('text', { x, y: y + BOX_H / 2 + 31, 'text-anchor': 'middle', class: 'node-grad' });
        d.textContent = `∂f/∂${node.label} = ${fmt(node.grad)}`;
        g.append(d);
      }
    }
    boxes.append(g);
  }
  root.append(edges, boxes, labels);
  return root;
}

function tooltip(text: string): SVGTitleElement {
  const t = svg('title');
  t.textContent = text;
  return t;
}

/** `label` in a group with a tooltip, so the label's own text stays just the number. */
function titled(label: SVGTextElement, text: string): SVGGElement {
  const g = svg('g');
  g.append(tooltip(text), label);
  return g;
}

/** One line about a node for tooltips and screen readers. */
export function describeNode(node: Node, source: string): string {
  const parts = [node.op === 'input' ? `variable ${node.label}` : node.op === 'const' ? `constant ${node.label}` : `module ${node.label} computing ${nodeName(node, source)}`];
  if (node.value !== null) parts.push(`value ${node.value}`);
  if (node.grad !== null && node.contributions !== null) parts.push(`∂f/∂(${nodeName(node, source)}) = ${node.grad}`);
  return parts.join(', ');
}
