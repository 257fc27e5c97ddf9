/**
 * The computation graph panel's state in the extension host: the ComputationalGraph being
 * stepped, the text it was built from, and the refused input (if any) to show beside the input
 * row. Pure (no vscode), so the panel class is a thin adapter and the tests drive this directly.
 */
import { ComputationalGraph, ExpressionSyntaxError, type GraphSnapshot } from '../engine/graph';
import type { GraphAction, GraphGradientCheck, GraphInputErrorMessage, GraphStateMessage } from './graphProtocol';
import { analyticDerivatives, evaluateFormula } from '../engine/analyticGradient';
import { formatVariableValues, parseVariableValues } from '../engine/variableValues';

/** The lecture's example (the slides step through exactly this graph). */
export const DEFAULT_EXPRESSION = 'x^2*y/z';
export const DEFAULT_VALUES = 'x=3, y=4, z=2';

/** Longest expression accepted: the panel draws every node, and past this nobody can read it. */
export const MAX_EXPRESSION_LENGTH = 400;
/** Most nodes drawn. */
export const MAX_NODES = 60;

/** Step of the central difference for a variable at `v`: ≈ ε^(1/3) relative, the usual optimum. */
const relativeStep = 1e-5;

/**
 * The parser's complaint about `expression`, or a size limit, or undefined when it is fine.
 * Used live by the command's input box and by the panel's input row.
 */
export function expressionProblem(expression: string): { message: string; column: number | null } | undefined {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return { message: `the expression is ${expression.length} characters long; at most ${MAX_EXPRESSION_LENGTH} can be drawn`, column: null };
  }
  let graph: ComputationalGraph;
  try {
    graph = new ComputationalGraph(expression);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return { message: err.message, column: err.column };
    throw err;
  }
  if (graph.size > MAX_NODES) return { message: `the graph has ${graph.size} nodes; at most ${MAX_NODES} can be drawn`, column: null };
  return undefined;
}

/** One built graph with the text it came from. */
interface Current {
  readonly graph: ComputationalGraph;
  readonly expression: string;
  readonly values: Readonly<Record<string, number>>;
  readonly valuesText: string;
  readonly checks: readonly Omit<GraphGradientCheck, 'backprop'>[];
  lastStep: GraphStateMessage['lastStep'];
}

export class GraphSession {
  private current: Current;
  /** The last refused input, kept until a graph is built again so a reloaded panel shows it too. */
  private refused: GraphInputErrorMessage | null = null;

  /** Builds the first graph; throws (with the parser's message) if the text is not usable. */
  constructor(expression = DEFAULT_EXPRESSION, valuesText = DEFAULT_VALUES) {
    const built = GraphSession.build(expression, valuesText);
    if ('message' in built) throw new Error(built.message);
    this.current = built;
  }

  /** The expression and values text of the graph shown (for the serializer). */
  get expression(): string {
    return this.current.expression;
  }
  get valuesText(): string {
    return this.current.valuesText;
  }

  /** The refused input still shown beside the input row, if any. */
  get inputError(): GraphInputErrorMessage | null {
    return this.refused;
  }

  /**
   * Replaces the graph with one built from this text. When the text is refused, the previous
   * graph stays and the refusal is returned (and kept for `inputError`).
   */
  setExpression(expression: string, valuesText: string): GraphInputErrorMessage | null {
    const built = GraphSession.build(expression, valuesText);
    if ('message' in built) {
      this.refused = built;
      return built;
    }
    this.current = built;
    this.refused = null;
    return null;
  }

  /** Runs a button's action on the graph. Steps that do not apply in this phase do nothing. */
  act(action: GraphAction): void {
    const c = this.current;
    const phase = c.graph.snapshot().phase;
    switch (action) {
      case 'forwardStep': {
        const node = c.graph.forwardStep();
        if (node) c.lastStep = { direction: 'forward', nodeId: node.id };
        return;
      }
      case 'backwardStep': {
        if (phase !== 'forwarded' && phase !== 'backward') return;
        const node = c.graph.backwardStep();
        if (node) c.lastStep = { direction: 'backward', nodeId: node.id };
        return;
      }
      case 'runAll': {
        let last: GraphStateMessage['lastStep'] = c.lastStep;
        for (let node = c.graph.forwardStep(); node; node = c.graph.forwardStep()) last = { direction: 'forward', nodeId: node.id };
        for (let node = c.graph.backwardStep(); node; node = c.graph.backwardStep()) last = { direction: 'backward', nodeId: node.id };
        c.lastStep = last;
        return;
      }
      case 'reset':
        c.graph.setInputs(c.values);
        c.lastStep = null;
        return;
      default: {
        const unexpected: never = action;
        throw new Error(`unknown graph action ${String(unexpected)}`);
      }
    }
  }

  /** The whole state for the panel. */
  state(): GraphStateMessage {
    const c = this.current;
    const snapshot = c.graph.snapshot();
    return {
      type: 'graphState',
      expression: c.expression,
      valuesText: c.valuesText,
      snapshot,
      lastStep: c.lastStep,
      checks: c.checks.map((check) => ({ ...check, backprop: backpropGradient(snapshot, check.variable) })),
    };
  }

  private static build(expression: string, valuesText: string): Current | GraphInputErrorMessage {
    const refuse = (field: 'expression' | 'values', problem: { message: string; column: number | null }): GraphInputErrorMessage => ({
      type: 'graphInputError',
      field,
      expression,
      valuesText,
      ...problem,
    });
    const problem = expressionProblem(expression);
    if (problem) return refuse('expression', problem);
    const graph = new ComputationalGraph(expression);
    const parsed = parseVariableValues(valuesText, graph.variables);
    if (!parsed.ok) return refuse('values', parsed);
    graph.setInputs(parsed.values);
    return {
      graph,
      expression,
      values: parsed.values,
      valuesText: formatVariableValues(graph.variables, parsed.values),
      checks: gradientChecks(expression, graph.variables, parsed.values),
      lastStep: null,
    };
  }
}

/** ∂f/∂v from the backward pass, once it is complete. */
function backpropGradient(snapshot: GraphSnapshot, variable: string): number | null {
  if (snapshot.phase !== 'done') return null;
  const node = snapshot.nodes.find((n) => n.op === 'input' && n.name === variable);
  return node?.grad ?? null;
}

/**
 * The two references the backward pass is compared with, for each variable: the symbolic
 * derivative evaluated at the point, and a central difference of forward evaluations. Neither
 * uses the graph's backward pass, and none of the numbers is written into the code: the lecture's
 * 12, 4.5 and −9 come out of 2*x*y/z, x^2/z and −(x^2*y/z^2) at x=3, y=4, z=2.
 */
export function gradientChecks(
  expression: string,
  variables: readonly string[],
  values: Readonly<Record<string, number>>,
): Omit<GraphGradientCheck, 'backprop'>[] {
  const formulas = analyticDerivatives(expression, variables);
  const f = (at: Readonly<Record<string, number>>): number => new ComputationalGraph(expression).forward(at);
  return variables.map((v) => {
    const h = relativeStep * Math.max(1, Math.abs(values[v]));
    const centralDifference = (f({ ...values, [v]: values[v] + h }) - f({ ...values, [v]: values[v] - h })) / (2 * h);
    const d = formulas[v];
    return d.formula === null
      ? { variable: v, analytic: null, analyticNote: d.note, centralDifference }
      : { variable: v, analytic: { formula: d.formula, value: evaluateFormula(d.formula, values) }, centralDifference };
  });
}
