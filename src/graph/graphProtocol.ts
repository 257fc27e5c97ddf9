/**
 * The computation graph panel's channel (MLP Inspector: Open Computation Graph).
 *
 * Types only: the host and the graph panel's bundle import this file, so it may not import `vscode`, touch the DOM or hold
 * runtime code (its imports are `import type` and vanish when compiled). Only plain data crosses
 * a boundary (structured clone): numbers, strings, booleans, arrays, plain objects and typed
 * arrays; never class instances. Every message carries a string-literal `type`; each receiver
 * switches on it exhaustively and ends in a `never` check, so adding a message here is a compile
 * error until both sides handle it.
 *
 * Indices follow the lecture: layer l = 1..L reads a[l−1] and writes a[l]; a[0] = x. Arrays
 * indexed by l keep an empty placeholder at index 0 where layer 0 has no such value (z[0]).
 */


// ─────────────────────────────────────────────────────────────────────────────────────────────
// Computation graph panel
// ─────────────────────────────────────────────────────────────────────────────────────────────
// "MLP Inspector: Open Computation Graph". The host owns the ComputationalGraph (src/graph/);
// the panel draws the snapshots it is sent and sends back button presses and typed input, which
// the host validates (src/host/graphMessages.ts). Same handshake as the inspector: the panel
// says `ready` on every load and the host answers with `graphState`.

/** The engine's plain-data picture of a graph (an `import()` type keeps this section self-contained). */
export type GraphSnapshot = import('../engine/graph').GraphSnapshot;

/** One variable's ∂f/∂v three ways, shown beside each other once the backward pass is done. */
export interface GraphGradientCheck {
  readonly variable: string;
  /** The backward pass's ∂f/∂v (the graph's chain rule), or null before it has finished. */
  readonly backprop: number | null;
  /**
   * The derivative derived symbolically from the expression's text (src/engine/analyticGradient.ts)
   * and its value at the current point; null where the expression language cannot write it
   * (relu′, abs′), with `analyticNote` saying why.
   */
  readonly analytic: { readonly formula: string; readonly value: number } | null;
  readonly analyticNote?: string;
  /** (f(v + h) − f(v − h)) / 2h from forward evaluations only: an independent numeric check. */
  readonly centralDifference: number;
}

/** Host → graph panel: the whole state, after every change and on `ready`. */
export interface GraphStateMessage {
  readonly type: 'graphState';
  /** The expression and the values as the user wrote them (normalized), for the input row. */
  readonly expression: string;
  readonly valuesText: string;
  /** The graph itself: nodes, their values and gradients so far, the phase and the cursor. */
  readonly snapshot: GraphSnapshot;
  /** The node the last step processed (highlighted with its ledger row), if any. */
  readonly lastStep: { readonly direction: 'forward' | 'backward'; readonly nodeId: number } | null;
  readonly checks: readonly GraphGradientCheck[];
}

/**
 * Host → graph panel: typed input was refused; the previous graph stays. `field` says which input
 * the message belongs beside; `column` is 1-based within that input's text, when known.
 */
export interface GraphInputErrorMessage {
  readonly type: 'graphInputError';
  readonly field: 'expression' | 'values';
  readonly expression: string;
  readonly valuesText: string;
  readonly message: string;
  readonly column: number | null;
}

/** Every message the host sends to the graph panel. */
export type HostToGraphMessage = GraphStateMessage | GraphInputErrorMessage;

/** The graph panel's buttons (each also a key while the panel has focus). */
export type GraphAction = 'forwardStep' | 'backwardStep' | 'runAll' | 'reset';

/** Graph panel → host: loaded, send the state. */
export interface GraphReadyMessage {
  readonly type: 'ready';
}

/** Graph panel → host: a button or key was pressed. */
export interface GraphActionMessage {
  readonly type: 'graphAction';
  readonly action: GraphAction;
}

/** Graph panel → host: build a new graph from this text (e.g. `x^2*y/z` and `x=3, y=4, z=2`). */
export interface GraphSetExpressionMessage {
  readonly type: 'setExpression';
  readonly expression: string;
  readonly valuesText: string;
}

/** Every message the graph panel sends to the host. */
export type GraphToHostMessage = GraphReadyMessage | GraphActionMessage | GraphSetExpressionMessage;
