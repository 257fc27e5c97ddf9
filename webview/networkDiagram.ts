/**
 * The network diagram: every neuron a node coloured by its activation a for the selected
 * sample, every edge coloured and sized by its weight W[l][i][j]. Hover (or keyboard focus)
 * shows the lecture's notation and values. Layers wider than MAX_SHOWN are drawn collapsed —
 * their first and last few neurons and a summary node — so a 784-input layer stays readable.
 *
 * Every drawn edge and every neuron after the input sets its parameter by hand (ParameterEditor):
 * click it, or focus it and press Enter, to type W[l][i][j] or b[l][j]; drag it up or down, or
 * press the arrow keys on it, for small steps. The edit goes to the host; the diagram shows the
 * value only once a snapshot brings it back.
 */
import { absMax, divergingCss } from './colors';
import { el, fmt, svg } from './format';
import { ParameterEditor } from './parameterEditor';
import type { ParameterEdit } from '../src/training/workerProtocol';
import { HEAD, shownUnits, TAIL } from '../src/training/shownUnits';

export { MAX_SHOWN, shownUnits } from '../src/training/shownUnits';

/** What the diagram needs to know about one layer l (l = 0 is the input). */
export interface DiagramLayer {
  readonly size: number;
  /** "input" or the activation's name. */
  readonly activation: string;
  /** Names of the units (input feature names, class names), shown in tooltips as text. */
  readonly unitNames?: readonly string[];
  /** a[l] for the selected sample. */
  readonly a?: ArrayLike<number>;
  /** z[l] for the selected sample (not for l = 0). */
  readonly z?: ArrayLike<number>;
  /** b[l] (not for l = 0). */
  readonly b?: ArrayLike<number>;
  /** W[l][i][j] of the drawn units (not for l = 0), and the colour scale's limit: the largest |W[l][i][j]| of the layer. */
  readonly W?: { at(i: number, j: number): number; readonly limit: number };
}


export interface NodeSelection {
  readonly layer: number;
  readonly unit: number;
}

export class NetworkDiagram {
  readonly element: HTMLElement;
  private readonly info: HTMLElement;
  private readonly host: HTMLElement;
  private readonly editor: ParameterEditor;
  private selected: NodeSelection | undefined;
  private highlighted: number | undefined;

  constructor(
    private readonly onSelect: (sel: NodeSelection) => void,
    onEdit: (edit: ParameterEdit) => void = () => undefined,
  ) {
    this.element = el('div', 'diagram');
    this.host = el('div', 'diagram-svg');
    this.info = el('div', 'diagram-info', 'Hover or focus a neuron or an edge to see its values. Click one (or press Enter on it) to set its W or b; drag it or use the arrow keys for small steps.');
    this.info.setAttribute('aria-live', 'polite');
    this.editor = new ParameterEditor(this.host, this.info, onEdit);
    this.element.append(this.host, this.editor.element, this.info);
  }

  /** Marks layer l (e.g. the layer a step just computed). */
  highlightLayer(l: number | undefined): void {
    this.highlighted = l;
  }

  /**
   * Draws the network. `images(l, j)`, when given, is a picture (data URL) drawn inside neuron j
   * of layer l: the neuron maps of a 2-input model, its activation over the input plane.
   */
  render(layers: readonly DiagramLayer[], images?: (l: number, j: number) => string | undefined): void {
    const colW = 190;
    const rowH = 34;
    const margin = 90; // room for the centred layer labels at both ends
    // On the left also for the input names drawn beside their neurons (at most 12 characters).
    const longest = Math.max(0, ...(layers[0]?.unitNames ?? []).map((n) => Math.min(n.length, 12)));
    const left = Math.max(margin, 24 + 7 * longest);
    const maxRows = Math.max(...layers.map((l) => shownUnits(l.size).length));
    const width = colW * (layers.length - 1) + left + margin;
    const height = rowH * maxRows + 40;
    // Drawn at its natural size (scaled down only when the panel is narrower), so labels keep
    // the editor's font size instead of growing with the panel.
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'network', role: 'group', 'aria-label': 'Network diagram' });
    const pos = layers.map((layer, l) => {
      const units = shownUnits(layer.size);
      const top = (height - rowH * units.length) / 2 + rowH / 2 + 8;
      return units.map((u, k) => ({ unit: u, x: left + l * colW, y: top + k * rowH }));
    });

    const edges = svg('g', { class: 'edges' });
    for (let l = 1; l < layers.length; l++) {
      const W = layers[l].W;
      if (!W) continue;
      const limit = W.limit > 0 ? W.limit : 1;
      for (const from of pos[l - 1]) {
        if (from.unit < 0) continue;
        for (const to of pos[l]) {
          if (to.unit < 0) continue;
          const w = W.at(from.unit, to.unit);
          const group = svg('g', { class: 'edge-target' });
          const line = svg('line', {
            x1: from.x,
            y1: from.y,
            x2: to.x,
            y2: to.y,
            stroke: divergingCss(w, limit),
            'stroke-width': (0.6 + 3.4 * Math.min(1, Math.abs(w) / limit)).toFixed(2),
            class: 'edge',
          });
          // A wide transparent twin takes the pointer: a 1-pixel line is hard to hit.
          const hit = svg('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: 'edge-hit' });
          const text = `W[${l}][${from.unit}][${to.unit}] = ${fmt(w)}  (edge from neuron ${from.unit} of layer ${l - 1} to neuron ${to.unit} of layer ${l})`;
          group.append(line, hit, title(text));
          group.addEventListener('mouseenter', () => (this.info.textContent = text));
          group.addEventListener('focus', () => (this.info.textContent = text));
          this.editor.attach(group, { edit: { layer: l, param: 'W', i: from.unit, j: to.unit }, value: w, describe: text });
          edges.append(group);
        }
      }
    }
    root.append(edges);

    const nodes = svg('g', { class: 'nodes' });
    layers.forEach((layer, l) => {
      const aLimit = layer.a ? absMax(layer.a) : 1;
      const label = svg('text', { x: pos[l][0]?.x ?? 0, y: 14, class: 'layer-label', 'text-anchor': 'middle' });
      label.textContent = l === 0 ? `a[0] = x (${layer.size})` : `layer ${l}: ${layer.activation} (${layer.size})`;
      if (this.highlighted === l) label.classList.add('highlight');
      nodes.append(label);
      for (const p of pos[l]) {
        if (p.unit < 0) {
          const hidden = layer.size - HEAD - TAIL;
          const g = svg('g', { class: 'collapsed', tabindex: 0, role: 'img', 'data-focus-key': `more:${l}` });
          const text = `${hidden} more neurons in layer ${l} (${HEAD} first and ${TAIL} last are drawn)`;
          g.setAttribute('aria-label', text);
          const t = svg('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', class: 'more' });
          t.textContent = `⋮ ${hidden} more`;
          g.append(t, title(text));
          nodes.append(g);
          continue;
        }
        const a = layer.a?.[p.unit];
        const image = l > 0 ? images?.(l, p.unit) : undefined;
        const r = images ? 15 : 11;
        if (image) {
          const clipId = `clip-${l}-${p.unit}`;
          const clip = svg('clipPath', { id: clipId });
          clip.append(svg('circle', { cx: p.x, cy: p.y, r }));
          const img = svg('image', { href: image, x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r, 'clip-path': `url(#${clipId})`, preserveAspectRatio: 'none', class: 'neuron-map' });
          nodes.append(clip, img);
        }
        const circle = svg('circle', {
          cx: p.x,
          cy: p.y,
          r,
          fill: image ? 'transparent' : a === undefined ? 'transparent' : divergingCss(a, aLimit),
          class: 'neuron' + (this.highlighted === l ? ' highlight' : '') + (this.selected?.layer === l && this.selected.unit === p.unit ? ' selected' : ''),
          tabindex: 0,
          role: 'button',
          'data-focus-key': `n:${l}:${p.unit}`,
        });
        const text = describeNeuron(layer, l, p.unit);
        circle.setAttribute('aria-label', text);
        circle.append(title(text));
        const show = () => (this.info.textContent = text);
        circle.addEventListener('mouseenter', show);
        circle.addEventListener('focus', show);
        const select = () => {
          this.selected = { layer: l, unit: p.unit };
          this.onSelect(this.selected);
        };
        const b = layer.b?.[p.unit];
        if (l > 0 && b !== undefined) {
          // A click (or Enter) selects the neuron for the ledger and opens b[l][j]'s editor.
          this.editor.attach(circle, { edit: { layer: l, param: 'b', j: p.unit }, value: b, describe: text, onOpen: select });
        } else {
          circle.addEventListener('click', select);
          circle.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              select();
            }
          });
        }
        nodes.append(circle);
        // Input neurons carry their names (raw columns and engineered features such as x1^2)
        // in the margin on their left; the tooltip has the full name.
        const unitName = l === 0 ? layer.unitNames?.[p.unit] : undefined;
        if (unitName !== undefined) {
          const nameText = svg('text', { x: p.x - r - 5, y: p.y + 4, 'text-anchor': 'end', class: 'unit-name' });
          nameText.textContent = unitName.length > 12 ? `${unitName.slice(0, 11)}…` : unitName;
          nodes.append(nameText);
        }
      }
    });
    root.append(nodes);
    // The picture is drawn anew with every snapshot: keyboard focus stays on the same edge or neuron.
    const refocus = this.editor.beforeRender();
    this.host.replaceChildren(root);
    refocus();
  }
}

function title(text: string): SVGTitleElement {
  const t = svg('title');
  t.textContent = text;
  return t;
}

/** The tooltip of neuron j of layer l in the lecture's notation. */
export function describeNeuron(layer: DiagramLayer, l: number, j: number): string {
  const name = layer.unitNames?.[j];
  const parts = [`neuron ${j} of layer ${l}${name !== undefined ? ` (${name})` : ''}`];
  if (l === 0) {
    if (layer.a) parts.push(`a[0]_${j} = x_${j} = ${fmt(layer.a[j])}`);
  } else {
    if (layer.z) parts.push(`z[${l}]_${j} = ${fmt(layer.z[j])}`);
    if (layer.a) parts.push(`a[${l}]_${j} = ${layer.activation}(z) = ${fmt(layer.a[j])}`);
    if (layer.b) parts.push(`b[${l}]_${j} = ${fmt(layer.b[j])}`);
  }
  return parts.join(', ');
}
