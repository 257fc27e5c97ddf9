/**
 * The computation graph panel: an input row (expression and values), the step buttons, the
 * graph, what the last step did (the lecture's "upstream × local = product" at one module), the
 * gradients beside their analytic and numeric references, and a ledger of every node. It draws
 * what the host sends; the host owns the graph and validates everything sent back.
 */
import type { GraphAction, GraphGradientCheck, GraphInputErrorMessage, GraphSnapshot, GraphStateMessage, GraphToHostMessage, HostToGraphMessage } from '../src/graph/graphProtocol';
import { el, fmt } from './format';
import { nodeName, renderGraph } from './graphDiagram';

type Node = GraphSnapshot['nodes'][number];

/** View state kept by VS Code (getState/setState); the serializer rebuilds the graph from it. */
export interface GraphViewState {
  expression: string;
  valuesText: string;
}

export interface GraphPanelHost {
  post(message: GraphToHostMessage): void;
  getState(): GraphViewState | undefined;
  setState(state: GraphViewState): void;
}

const BUTTONS: { action: GraphAction; label: string; keys: string; title: string }[] = [
  { action: 'forwardStep', label: 'Forward Step', keys: '→ or F', title: 'Compute the next node’s value and local gradients' },
  { action: 'backwardStep', label: 'Backward Step', keys: '← or B', title: 'Send the next node’s upstream gradient back to its inputs' },
  { action: 'runAll', label: 'Run All', keys: 'A', title: 'Finish the forward and the backward pass' },
  { action: 'reset', label: 'Reset', keys: 'R', title: 'Clear every value and gradient' },
];

const KEYS: Readonly<Record<string, GraphAction>> = { ArrowRight: 'forwardStep', f: 'forwardStep', ArrowLeft: 'backwardStep', b: 'backwardStep', a: 'runAll', r: 'reset' };

/** ∂f/∂ of a node as the lecture writes it: ∂f/∂x for a variable, ∂f/∂(x^2*y) for a sub-expression. */
function partialOf(node: Node, source: string, numerator = 'f'): string {
  return node.name !== null ? `∂${numerator}/∂${node.name}` : `∂${numerator}/∂(${nodeName(node, source)})`;
}

/** The arithmetic of a forward step, e.g. `9 × 4` for a × box or `3^2` for a ^2 box. */
function arithmetic(node: Node, nodes: readonly Node[]): string {
  const x = node.inputs.map((id) => fmt(nodes[id].value ?? NaN));
  if (node.op === 'pow') return node.exponent !== null ? `${x[0]}${node.label}` : `${x[0]} ^ ${x[1]}`;
  if (node.op === 'neg') return `−${x[0]}`;
  if (x.length === 2) return `${x[0]} ${node.label} ${x[1]}`;
  return `${node.label}(${x[0]})`;
}

export class GraphApp {
  private state: GraphStateMessage | undefined;
  private readonly view: GraphViewState | undefined;
  /** The expression the inputs were last filled from; a new one (from the command) refills them. */
  private filledFrom: string | undefined;
  private submitted = false;

  private readonly expressionInput = el('input', 'graph-expression');
  private readonly valuesInput = el('input', 'graph-values');
  private readonly expressionError = el('span', 'graph-input-error');
  private readonly valuesError = el('span', 'graph-input-error');
  private readonly buttons = new Map<GraphAction, HTMLButtonElement>();
  private readonly status = el('p', 'run-status graph-status');
  private readonly diagram = el('div', 'diagram-svg graph-svg');
  private readonly stepCard = el('div', 'graph-step');
  private readonly checks = el('div', 'graph-checks');
  private readonly ledger = el('div', 'graph-ledger');

  constructor(
    private readonly root: HTMLElement,
    private readonly host: GraphPanelHost,
  ) {
    this.view = host.getState();
    this.build();
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  private build(): void {
    const header = el('header', 'panel-header');
    header.append(el('h1', undefined, 'Computation Graph'), el('p', 'subtitle', 'Forward steps fill in each node’s value; backward steps, in reverse order, send each module’s upstream gradient × local gradient back to its inputs.'));

    const form = el('form', 'graph-input');
    form.setAttribute('aria-label', 'Expression and values');
    const field = (id: string, labelText: string, input: HTMLInputElement, error: HTMLElement, placeholder: string): HTMLElement => {
      const wrap = el('div', 'graph-field');
      const label = el('label', undefined, labelText);
      label.htmlFor = id;
      input.id = id;
      input.type = 'text';
      input.spellcheck = false;
      input.autocomplete = 'off';
      input.placeholder = placeholder;
      error.id = `${id}-error`;
      error.setAttribute('role', 'alert');
      input.setAttribute('aria-describedby', error.id);
      wrap.append(label, input, error);
      return wrap;
    };
    const draw = el('button', 'action', 'Draw');
    draw.type = 'submit';
    draw.title = 'Build the graph of this expression at these values (Enter)';
    form.append(
      field('graph-expression', 'f =', this.expressionInput, this.expressionError, 'x^2*y/z'),
      field('graph-values', 'at', this.valuesInput, this.valuesError, 'x=3, y=4, z=2'),
      draw,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submitted = true;
      this.host.post({ type: 'setExpression', expression: this.expressionInput.value, valuesText: this.valuesInput.value });
    });
    if (this.view) {
      this.expressionInput.value = this.view.expression;
      this.valuesInput.value = this.view.valuesText;
    }

    const toolbar = el('div', 'toolbar');
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'Step the graph');
    for (const b of BUTTONS) {
      const button = el('button', b.action === 'reset' ? 'secondary' : 'action', b.label);
      button.title = `${b.title} (${b.keys})`;
      button.dataset.action = b.action;
      button.setAttribute('aria-keyshortcuts', b.keys.replace('→', 'ArrowRight').replace('←', 'ArrowLeft').replace(' or ', ' '));
      button.addEventListener('click', () => this.act(b.action));
      this.buttons.set(b.action, button);
      toolbar.append(button);
    }
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');

    const card = (id: string, title: string, ...body: HTMLElement[]): HTMLElement => {
      const s = el('section', 'card');
      s.id = id;
      s.append(el('h2', undefined, title), ...body);
      return s;
    };
    const legend = el('p', 'hint graph-legend');
    legend.append(el('span', 'legend-value', 'value flowing forward'), document.createTextNode(' above an edge, '), el('span', 'legend-grad', 'gradient flowing back'), document.createTextNode(' below it.'));
    const content = el('div', 'graph-content');
    const pair = el('div', 'graph-pair');
    pair.append(card('graph-step-card', 'This step', this.stepCard), card('graph-gradients', 'Gradients', this.checks));
    content.append(card('graph', 'Graph', this.diagram, legend), pair, card('graph-ledger-card', 'Every node', this.ledger));
    this.root.replaceChildren(header, form, toolbar, this.status, content);
  }

  private act(action: GraphAction): void {
    if (this.buttons.get(action)?.disabled) return;
    this.host.post({ type: 'graphAction', action });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
    const action = KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!action) return;
    e.preventDefault();
    this.act(action);
  }

  handle(message: HostToGraphMessage): void {
    switch (message.type) {
      case 'graphState':
        this.state = message;
        {
          // Refill the inputs for a new graph or an accepted submission, but not while the user
          // steps the previous graph with a refused expression still in the input.
          const key = `${message.expression}\n${message.valuesText}`;
          if (this.submitted || key !== this.filledFrom) {
            this.expressionInput.value = message.expression;
            this.valuesInput.value = message.valuesText;
            this.showError(null);
            this.filledFrom = key;
          }
          this.submitted = false;
        }
        this.host.setState({ expression: message.expression, valuesText: message.valuesText });
        this.render();
        return;
      case 'graphInputError':
        this.submitted = false;
        this.expressionInput.value = message.expression;
        this.valuesInput.value = message.valuesText;
        this.showError(message);
        return;
      default: {
        const never: never = message;
        console.warn('MLP Inspector: unexpected message', never);
      }
    }
  }

  /** Shows a refusal beside the input it is about, and puts the caret at its column. */
  private showError(error: GraphInputErrorMessage | null): void {
    for (const [field, input, span] of [
      ['expression', this.expressionInput, this.expressionError],
      ['values', this.valuesInput, this.valuesError],
    ] as const) {
      const mine = error?.field === field;
      span.textContent = mine ? error.message : '';
      input.classList.toggle('invalid', mine);
      input.setAttribute('aria-invalid', String(mine));
      if (mine && error.column !== null) {
        const at = Math.min(error.column - 1, input.value.length);
        input.focus();
        input.setSelectionRange(at, at);
      }
    }
  }

  private render(): void {
    const s = this.state;
    if (!s) return;
    const { snapshot } = s;
    const phase = snapshot.phase;
    const enabled: Record<GraphAction, boolean> = {
      forwardStep: phase === 'forward',
      backwardStep: phase === 'forwarded' || phase === 'backward',
      runAll: phase !== 'done',
      reset: !(phase === 'forward' && snapshot.cursor === 0),
    };
    for (const [action, button] of this.buttons) button.disabled = !enabled[action];

    const n = snapshot.nodes.length;
    const out = snapshot.nodes[snapshot.outputId];
    const computed = snapshot.nodes.filter((node) => node.value !== null).length;
    const backDone = snapshot.nodes.filter((node) => node.contributions !== null).length;
    const f = out?.value ?? null;
    const text: Record<typeof phase, string> = {
      idle: 'No values yet.',
      forward: `Forward pass: ${computed} of ${n} nodes computed.`,
      forwarded: `Forward pass done: f = ${fmt(f ?? NaN)}. Step backward to send ∂f/∂f = 1 back through the graph.`,
      backward: `Backward pass: ${backDone} of ${n} nodes done.`,
      done: `Done: f = ${fmt(f ?? NaN)}, and ∂f/∂ of every node is known.`,
    };
    this.status.textContent = text[phase];
    this.status.dataset.phase = phase;
    this.status.dataset.f = f === null ? '' : String(f);

    this.diagram.replaceChildren(renderGraph(snapshot, s.lastStep));
    this.renderStep(s);
    this.renderChecks(s);
    this.renderLedger(s);
  }

  /** What the last step did, spelled out with its numbers. */
  private renderStep(s: GraphStateMessage): void {
    const { nodes, source } = s.snapshot;
    const node = s.lastStep ? nodes[s.lastStep.nodeId] : undefined;
    if (!s.lastStep || !node) {
      this.stepCard.replaceChildren(el('p', 'hint', 'Press Forward Step (→) to compute the first node.'));
      return;
    }
    const what = node.name !== null ? `the variable ${node.name}` : node.op === 'const' ? `the constant ${node.label}` : `the module ${node.label}, z = ${nodeName(node, source)}`;
    const lines: HTMLElement[] = [];
    if (s.lastStep.direction === 'forward') {
      lines.push(el('p', 'step-head', `Forward step at ${what}`));
      if (node.op === 'input') lines.push(el('p', 'step-line', `${node.label} = ${fmt(node.value ?? NaN)} (given)`));
      else if (node.op === 'const') lines.push(el('p', 'step-line', `${node.label} (a constant)`));
      else {
        lines.push(el('p', 'step-line', `z = ${arithmetic(node, nodes)} = ${fmt(node.value ?? NaN)}`));
        const locals = node.inputs.map((id, k) => `∂z/∂${operand(nodes[id], source)} = ${fmt(node.localGrads?.[k] ?? NaN)}`);
        lines.push(el('p', 'step-line hint', `Local gradients, kept for the backward pass: ${locals.join(', ')}`));
      }
      this.stepCard.replaceChildren(...lines);
      return;
    }
    lines.push(el('p', 'step-head', `Backward step at ${what}`));
    const upstream = node.grad ?? NaN;
    if (node.inputs.length === 0) {
      lines.push(el('p', 'step-line', `${partialOf(node, source)} = ${fmt(upstream)}: the sum of what every use of it sent back.`));
      this.stepCard.replaceChildren(...lines);
      return;
    }
    lines.push(el('p', 'step-line', `upstream gradient ∂f/∂z = ${fmt(upstream)}`));
    const table = el('table', 'graph-table step-table');
    const head = el('tr');
    for (const h of ['input', 'local gradient ∂z/∂input', 'upstream × local', 'sent back']) head.append(el('th', undefined, h));
    table.append(head);
    node.inputs.forEach((id, k) => {
      const tr = el('tr');
      const local = node.localGrads?.[k] ?? NaN;
      const product = node.contributions?.[k] ?? NaN;
      tr.append(
        el('td', undefined, operand(nodes[id], source)),
        el('td', 'num', fmt(local)),
        el('td', 'num', `${fmt(upstream)} × ${fmt(local)}`),
        el('td', 'num product', fmt(product)),
      );
      tr.dataset.product = String(product);
      table.append(tr);
    });
    lines.push(table);
    this.stepCard.replaceChildren(...lines);
  }

  /** ∂f/∂v from the backward pass beside the symbolic derivative and a central difference. */
  private renderChecks(s: GraphStateMessage): void {
    const done = s.snapshot.phase === 'done';
    if (s.checks.length === 0) {
      this.checks.replaceChildren(el('p', 'hint', 'This expression has no variables.'));
      return;
    }
    const table = el('table', 'graph-table graph-check-table');
    const head = el('tr');
    for (const h of ['', 'backward pass', 'analytic', '', 'central difference']) head.append(el('th', undefined, h));
    table.append(head);
    for (const c of s.checks) table.append(this.checkRow(c, done));
    const note = el('p', 'hint', done
      ? 'Analytic: the derivative of the expression by the textbook rules, evaluated here. Central difference: (f(v+h) − f(v−h)) / 2h from two forward passes. Neither uses the backward pass.'
      : 'The backward pass’s column fills in when it reaches the end (Backward Step until done, or Run All).');
    const scroll = el('div', 'graph-table-scroll');
    scroll.append(table);
    this.checks.replaceChildren(scroll, note);
  }

  private checkRow(c: GraphGradientCheck, done: boolean): HTMLElement {
    const tr = el('tr');
    tr.dataset.variable = c.variable;
    tr.dataset.backprop = c.backprop === null ? '' : String(c.backprop);
    tr.dataset.analytic = c.analytic ? String(c.analytic.value) : '';
    tr.dataset.numeric = String(c.centralDifference);
    const backprop = el('td', 'num backprop', done && c.backprop !== null ? fmt(c.backprop, 6) : '…');
    const formula = el('td', 'formula', c.analytic ? `= ${c.analytic.formula}` : '');
    const analytic = el('td', 'num analytic', c.analytic ? `= ${fmt(c.analytic.value, 6)}` : '—');
    if (!c.analytic && c.analyticNote) analytic.title = c.analyticNote;
    tr.append(el('th', undefined, `∂f/∂${c.variable}`), backprop, formula, analytic, el('td', 'num numeric', fmt(c.centralDifference, 6)));
    return tr;
  }

  /** Every node in topological order with what is known of it so far. */
  private renderLedger(s: GraphStateMessage): void {
    const { nodes, source } = s.snapshot;
    const table = el('table', 'graph-table');
    const head = el('tr');
    for (const h of ['#', 'node', 'computes', 'value', 'upstream ∂f/∂node', 'local gradients', 'upstream × local → input']) head.append(el('th', undefined, h));
    table.append(head);
    for (const node of nodes) {
      const tr = el('tr');
      tr.dataset.nodeId = String(node.id);
      if (s.lastStep?.nodeId === node.id) tr.classList.add('current');
      const locals = node.localGrads?.map((g, k) => `∂/∂${operand(nodes[node.inputs[k]], source)}: ${fmt(g)}`).join(', ') ?? '';
      const products = node.contributions?.map((p, k) => `${fmt(p)} → ${operand(nodes[node.inputs[k]], source)}`).join(', ') ?? '';
      tr.append(
        el('td', 'num', String(node.id)),
        el('td', 'node-cell', node.label),
        el('td', 'formula', node.op === 'input' || node.op === 'const' ? '' : nodeName(node, source)),
        el('td', 'num', node.value === null ? '' : fmt(node.value)),
        el('td', 'num', node.contributions === null ? '' : fmt(node.grad ?? NaN)),
        el('td', 'num', locals),
        el('td', 'num', products),
      );
      table.append(tr);
    }
    this.ledger.replaceChildren(table);
  }
}

/** An input of a module as written in ∂z/∂…: `x`, or a parenthesized sub-expression `(x^2)`. */
function operand(node: Node, source: string): string {
  const text = nodeName(node, source);
  return node.name !== null || node.op === 'const' ? text : `(${text})`;
}
