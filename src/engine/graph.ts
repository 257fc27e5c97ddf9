/**
 * The lecture's "modular approach" to backpropagation: an expression becomes a graph of modules,
 * each with a forward and a local backward (graphModules.ts), and backward applies the chain rule
 * in reverse topological order: ∂f/∂input_k += ∂f/∂node × ∂node/∂input_k.
 *
 * Everything the inspector shows is plain data on the nodes (values, local gradients, upstream
 * gradients, the products sent upstream), and both passes can be taken one node at a time. Nothing
 * recurses: sorting, forward and backward are loops, so a graph of 100,000 nodes is fine.
 */
import { parseExpression, postOrder, type Expr, type Span } from './expression';
import { MODULES, type ModuleOp, type Op } from './graphModules';

// Re-exported so that callers of the graph need only this module.
export { ExpressionSyntaxError, type Span } from './expression';
export type { Op } from './graphModules';

/** One box of the graph, as plain JSON-able data. The last four fields are null until computed. */
export interface GraphNode {
  /** Index in topological order: every input of a node has a smaller id, the output the largest. */
  readonly id: number;
  readonly op: Op;
  /** What the lecture's slide writes in the box: "x", "2", "^2", "×", "/", "exp", … */
  readonly label: string;
  /** Ids of the nodes feeding this one, in argument order (for `div`: numerator, denominator). */
  readonly inputs: readonly number[];
  /** The source text this node computes (for a variable, its first use). */
  readonly span: Span;
  /** Every place in the source this node stands for: all uses of a variable, else just `span`. */
  readonly spans: readonly Span[];
  /** The variable's name, for `input` nodes; null otherwise. */
  readonly name: string | null;
  /** The number, for `const` nodes; null otherwise. */
  readonly constant: number | null;
  /** The constant c of a one-input `pow` module x^c; null otherwise (then `pow` has two inputs). */
  readonly exponent: number | null;
  /** The node's output, once the forward pass has reached it. */
  readonly value: number | null;
  /** ∂node/∂inputs[k] for each input k, evaluated at the forward values (empty for leaves). */
  readonly localGrads: readonly number[] | null;
  /**
   * ∂f/∂node, the upstream gradient. Seeded to 1 at the output when backward starts; final once
   * the backward pass has processed this node (all its consumers come before it in that order).
   */
  readonly grad: number | null;
  /**
   * What this node's backward step sent to inputs[k]: grad × localGrads[k], i.e. this path's
   * share of ∂f/∂inputs[k] ("upstream gradient × local gradient = product").
   */
  readonly contributions: readonly number[] | null;
}

/**
 * Where the graph is between passes: no values yet, part-way through forward, forward complete,
 * part-way through backward, or both passes complete.
 */
export type GraphPhase = 'idle' | 'forward' | 'forwarded' | 'backward' | 'done';

/** The whole graph as plain JSON-able data, for the inspector panel. */
export interface GraphSnapshot {
  readonly source: string;
  /** The variables in order of first appearance. */
  readonly variables: readonly string[];
  /** The values the current forward pass uses, or null before any were set. */
  readonly values: Readonly<Record<string, number>> | null;
  readonly phase: GraphPhase;
  /** The id the next forwardStep or backwardStep will process; null when none is pending. */
  readonly cursor: number | null;
  /** Id of the node whose value is f. */
  readonly outputId: number;
  readonly nodes: readonly GraphNode[];
}

/** A missing or unusable value for one of the expression's variables. */
export class VariableValueError extends Error {
  constructor(
    /** The variable concerned. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'VariableValueError';
  }
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A box under construction, linked to its input boxes by reference the way micrograd's Values
 * are; ids only exist once the finished graph is sorted.
 */
interface Draft {
  op: Op;
  label: string;
  inputs: Draft[];
  span: Span;
  spans: Span[];
  name: string | null;
  constant: number | null;
  exponent: number | null;
  /** The sub-expression's value when it depends on no variable, else null; folds `x^(1/2)`. */
  folded: number | null;
}

/** Longest exponent text shown verbatim in a "^c" label; longer ones show the value of c. */
const MAX_EXPONENT_LABEL = 12;

const BINARY_MODULE = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' } as const;

/** Turns the syntax tree into boxes: one per operation, one per distinct variable. */
function draft(source: string, root: Expr): { output: Draft; variables: Map<string, Draft> } {
  const boxes = new Map<Expr, Draft>();
  const variables = new Map<string, Draft>();
  const box = (op: Op, label: string, inputs: Draft[], span: Span, exponent: number | null = null): Draft => {
    let folded: number | null = null;
    if (op !== 'input' && op !== 'const' && inputs.every((d) => d.folded !== null)) {
      folded = MODULES[op].forward(
        inputs.map((d) => d.folded as number),
        exponent,
      );
    }
    return { op, label, inputs, span, spans: [span], name: null, constant: null, exponent, folded };
  };
  const constant = (value: number, label: string, span: Span): Draft => ({
    ...box('const', label, [], span),
    constant: value,
    folded: value,
  });

  for (const e of postOrder(root)) {
    let d: Draft;
    switch (e.kind) {
      case 'number':
        d = constant(e.value, e.text, e.span);
        break;
      case 'variable': {
        const existing = variables.get(e.name);
        if (existing) {
          existing.spans.push(e.span);
          d = existing;
        } else {
          d = { ...box('input', e.name, [], e.span), name: e.name };
          variables.set(e.name, d);
        }
        break;
      }
      case 'unary': {
        const operand = boxes.get(e.operand) as Draft;
        if (e.op === '+') d = operand;
        // A negative number is one constant box, not a '−' box around a positive one.
        else if (e.operand.kind === 'number') d = constant(-e.operand.value, `-${e.operand.text}`, e.span);
        else d = box('neg', MODULES.neg.label, [operand], e.span);
        break;
      }
      case 'binary': {
        const left = boxes.get(e.left) as Draft;
        const right = boxes.get(e.right) as Draft;
        if (e.op !== '^') {
          const op = BINARY_MODULE[e.op];
          d = box(op, MODULES[op].label, [left, right], e.span);
        } else if (right.folded !== null) {
          // The lecture's "^2" box: a constant exponent is part of the module, labelled as written
          // unless the writing is too long for a box.
          const written = source.slice(e.right.span.start, e.right.span.end);
          const label = written.length <= MAX_EXPONENT_LABEL ? `^${written}` : `^${right.folded}`;
          d = box('pow', label, [left], e.span, right.folded);
        } else {
          d = box('pow', MODULES.pow.label, [left, right], e.span);
        }
        break;
      }
      case 'call': {
        const arg = boxes.get(e.arg) as Draft;
        d = box(e.fn, MODULES[e.fn].label, [arg], e.span);
        break;
      }
    }
    boxes.set(e, d);
  }
  return { output: boxes.get(root) as Draft, variables };
}

/**
 * The boxes reachable from `output`, each after all of its inputs (depth-first post-order with an
 * explicit stack, so depth costs heap, not call stack). Boxes of a folded constant exponent are
 * unreachable and so drop out here.
 */
function topologicalOrder(output: Draft): Draft[] {
  const order: Draft[] = [];
  const seen = new Set<Draft>([output]);
  const stack: { box: Draft; next: number }[] = [{ box: output, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.box.inputs.length) {
      const input = top.box.inputs[top.next++];
      // A shared variable is pushed once; an expression tree has no cycles to guard against.
      if (!seen.has(input)) {
        seen.add(input);
        stack.push({ box: input, next: 0 });
      }
    } else {
      order.push(top.box);
      stack.pop();
    }
  }
  return order;
}

function copyNode(node: GraphNode): GraphNode {
  return {
    ...node,
    inputs: [...node.inputs],
    span: { ...node.span },
    spans: node.spans.map((s) => ({ ...s })),
    localGrads: node.localGrads && [...node.localGrads],
    contributions: node.contributions && [...node.contributions],
  };
}

/**
 * A computational graph built from an expression. Typical use: `forward(values)`, then
 * `backward()`; or `setInputs(values)` and `forwardStep()` / `backwardStep()` to walk it one box
 * at a time. `snapshot()` gives the whole state as plain data.
 */
export class ComputationalGraph {
  /** The expression's variables, in order of first appearance. */
  readonly variables: readonly string[];
  /** Id of the node whose value is f (always the last node). */
  readonly outputId: number;

  private readonly nodes: Writable<GraphNode>[];
  private readonly variableIds: ReadonlyMap<string, number>;
  private values: Map<string, number> | null = null;
  private phase: GraphPhase = 'idle';
  private cursor = 0;

  /** Parses `source`; throws ExpressionSyntaxError if it is not a valid expression. */
  constructor(readonly source: string) {
    const { output, variables } = draft(source, parseExpression(source));
    const order = topologicalOrder(output);
    const ids = new Map<Draft, number>(order.map((d, id) => [d, id]));
    this.nodes = order.map((d, id) => ({
      id,
      op: d.op,
      label: d.label,
      inputs: d.inputs.map((input) => ids.get(input) as number),
      span: d.span,
      spans: d.spans,
      name: d.name,
      constant: d.constant,
      exponent: d.exponent,
      value: null,
      localGrads: null,
      grad: null,
      contributions: null,
    }));
    this.variables = [...variables.keys()];
    this.variableIds = new Map([...variables].map(([name, d]) => [name, ids.get(d) as number]));
    this.outputId = this.nodes.length - 1;
  }

  /** The number of nodes. */
  get size(): number {
    return this.nodes.length;
  }

  /** f, once the forward pass is complete; null before. */
  get value(): number | null {
    return this.phase === 'idle' || this.phase === 'forward' ? null : this.nodes[this.outputId].value;
  }

  /** A copy of node `id`. */
  node(id: number): GraphNode {
    const node = this.nodes[id];
    if (node === undefined) throw new RangeError(`no node ${id}: ids run from 0 to ${this.outputId}`);
    return copyNode(node);
  }

  /**
   * Starts a new forward pass with these variable values, clearing every computed value and
   * gradient. Every variable needs a finite number; names the expression does not use are ignored.
   */
  setInputs(values: Readonly<Record<string, number>>): void {
    const checked = new Map<string, number>();
    for (const name of this.variables) {
      // hasOwn, so that a variable called `constructor` is not "given" by Object.prototype.
      if (!Object.hasOwn(values, name)) {
        throw new VariableValueError(name, `no value given for variable '${name}'`);
      }
      const v: unknown = values[name];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new VariableValueError(name, `the value of '${name}' must be a finite number, got ${String(v)}`);
      }
      checked.set(name, v);
    }
    this.values = checked;
    for (const node of this.nodes) {
      node.value = null;
      node.localGrads = null;
      node.grad = null;
      node.contributions = null;
    }
    this.phase = 'forward';
    this.cursor = 0;
  }

  /**
   * Computes the next node in topological order: its value and its local gradients. Returns a copy
   * of that node, or null when the forward pass is already complete.
   */
  forwardStep(): GraphNode | null {
    const node = this.advanceForward();
    return node && copyNode(node);
  }

  /** Runs the whole forward pass with these values and returns f. */
  forward(values: Readonly<Record<string, number>>): number {
    this.setInputs(values);
    while (this.advanceForward() !== null);
    return this.nodes[this.outputId].value as number;
  }

  /**
   * Processes the next node in reverse topological order: sends grad × localGrads[k] to each
   * input k, recording the products in `contributions`. The first step zeroes every gradient and
   * seeds ∂f/∂f = 1. Returns a copy of the node, or null once the backward pass is complete.
   */
  backwardStep(): GraphNode | null {
    const node = this.advanceBackward();
    return node && copyNode(node);
  }

  /**
   * Runs the whole backward pass from scratch (so calling it twice gives the same gradients, never
   * their sum) and returns ∂f/∂variable for each variable, in order of first appearance.
   */
  backward(): Record<string, number> {
    this.requireForwardComplete();
    this.phase = 'forwarded';
    while (this.advanceBackward() !== null);
    return Object.fromEntries(
      this.variables.map((name) => [name, this.nodes[this.variableIds.get(name) as number].grad as number]),
    );
  }

  /** The whole state as plain data (deep copies; NaN and ±Infinity are kept as numbers). */
  snapshot(): GraphSnapshot {
    const pending = this.phase === 'forward' || this.phase === 'backward';
    return {
      source: this.source,
      variables: [...this.variables],
      values: this.values && Object.fromEntries(this.values),
      phase: this.phase,
      cursor: pending ? this.cursor : null,
      outputId: this.outputId,
      nodes: this.nodes.map(copyNode),
    };
  }

  private advanceForward(): Writable<GraphNode> | null {
    if (this.phase === 'idle') {
      throw new Error('set the variable values first (setInputs or forward) before stepping forward');
    }
    if (this.phase !== 'forward') return null;
    const node = this.nodes[this.cursor];
    if (node.op === 'input') {
      node.value = (this.values as Map<string, number>).get(node.name as string) as number;
      node.localGrads = [];
    } else if (node.op === 'const') {
      node.value = node.constant;
      node.localGrads = [];
    } else {
      const module = MODULES[node.op as ModuleOp];
      const x = node.inputs.map((id) => this.nodes[id].value as number);
      const out = module.forward(x, node.exponent);
      node.value = out;
      node.localGrads = module.localGrads(x, out, node.exponent);
    }
    this.cursor++;
    if (this.cursor === this.nodes.length) this.phase = 'forwarded';
    return node;
  }

  private advanceBackward(): Writable<GraphNode> | null {
    this.requireForwardComplete();
    if (this.phase === 'done') return null;
    if (this.phase === 'forwarded') {
      // Start afresh: gradients are sums over paths, and a stale sum would silently double.
      for (const n of this.nodes) {
        n.grad = 0;
        n.contributions = null;
      }
      this.nodes[this.outputId].grad = 1;
      this.phase = 'backward';
      this.cursor = this.outputId;
    }
    const node = this.nodes[this.cursor];
    const upstream = node.grad as number;
    const contributions = (node.localGrads as readonly number[]).map((local) => upstream * local);
    node.contributions = contributions;
    // A variable used twice appears twice in some `inputs`, or in several nodes' inputs; either
    // way its gradient is the sum of what every use sends it.
    node.inputs.forEach((id, k) => {
      const input = this.nodes[id];
      input.grad = (input.grad as number) + contributions[k];
    });
    this.cursor--;
    if (this.cursor < 0) this.phase = 'done';
    return node;
  }

  private requireForwardComplete(): void {
    if (this.phase === 'idle' || this.phase === 'forward') {
      throw new Error('complete the forward pass before the backward pass');
    }
  }
}

/**
 * f and ∂f/∂variable for an expression at a point, e.g.
 * `gradient('x^2*y/z', { x: 3, y: 4, z: 2 })` → `{ value: 18, gradients: { x: 12, y: 4.5, z: -9 } }`.
 * Gradients are listed in order of first appearance. Throws ExpressionSyntaxError for a malformed
 * expression and VariableValueError for a missing value.
 */
export function gradient(
  source: string,
  values: Readonly<Record<string, number>>,
): { value: number; gradients: Record<string, number> } {
  const graph = new ComputationalGraph(source);
  const value = graph.forward(values);
  return { value, gradients: graph.backward() };
}
