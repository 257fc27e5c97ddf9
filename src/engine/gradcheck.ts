/**
 * Gradient check: every parameter's backpropagated ∂J/∂θ against a central finite difference.
 *
 * The five-point stencil (−J(θ+2h) + 8J(θ+h) − 8J(θ−h) + J(θ−2h)) / 12h has error O(h⁴), so with
 * h = 1e-3 both its truncation and its round-off (≈ ε J / h) stay near 1e-13; the two-point
 * difference would need h ≈ 1e-5, and then round-off alone (≈ 1e-11) swamps gradients of 1e-6,
 * which real networks have.
 *
 * ReLU, leaky ReLU and ELU have kinks at z = 0 where J is not differentiable; a difference whose
 * points straddle a kink measures a slope that backprop rightly does not give. So when a shifted
 * point flips the sign of any such unit's z, the step shrinks (÷10, down to 1e-7) until no flip
 * happens; a parameter that still straddles a kink is counted in `kinksSkipped` and not scored.
 *
 * The relative error is |analytic − numeric| / max(|analytic|, |numeric|, floor): below the floor
 * (1e-5) gradients are compared absolutely (to floor × tolerance = 1e-11), because a dead unit's
 * exact 0 against a difference of round-off size (≈ 1e-12 once h has shrunk near a kink) has no
 * meaningful ratio.
 */
import type { Matrix } from './matrix';
import { backward, forward, lossOf, type Network } from './network';

export interface GradCheckEntry {
  /** The layer l (1-based). */
  readonly layer: number;
  readonly param: 'W' | 'b';
  /** Row i of W[l] (the neuron of layer l−1); absent for b. */
  readonly i?: number;
  /** Column j (the neuron of layer l). */
  readonly j: number;
  /** ∂J/∂θ from backpropagation. */
  readonly analytic: number;
  /** ∂J/∂θ from finite differences. */
  readonly numeric: number;
  readonly relError: number;
}

export interface GradCheckResult {
  readonly maxRelError: number;
  /** True when maxRelError is below the tolerance. */
  readonly ok: boolean;
  readonly tolerance: number;
  readonly worst: GradCheckEntry;
  /** The largest relative error per layer, layer l at index l − 1. */
  readonly perLayer: { layer: number; maxRelError: number }[];
  readonly parametersChecked: number;
  /** Parameters whose finite difference straddled a ReLU/ELU kink at every step size tried. */
  readonly kinksSkipped: number;
}

export interface GradCheckOptions {
  /** Finite-difference step h. Default 1e-3. */
  readonly h?: number;
  /** The error above which the check fails. Default 1e-6. */
  readonly tolerance?: number;
  /** Gradients smaller than this are compared absolutely. Default 1e-5. */
  readonly floor?: number;
  /**
   * Check at most this many weights per layer, evenly spaced through W[l] (every bias is
   * checked). Default: all. Finite differences cost four forward passes per parameter, so an
   * interactive check of a 784-128-64-10 network samples its 100,000 weights.
   */
  readonly maxPerLayer?: number;
}

const KINKED = new Set(['relu', 'leaky_relu', 'elu']);

/** Which side of its kink every kinked unit's z is on, for a forward pass. */
function kinkSides(net: Network, x: Matrix): Uint8Array {
  const pass = forward(net, x);
  const parts: number[] = [];
  net.layers.forEach((layer, k) => {
    if (!KINKED.has(layer.activationName)) return;
    for (const v of pass.z[k + 1].data) parts.push(v > 0 ? 1 : 0);
  });
  return Uint8Array.from(parts);
}

const sameSides = (a: Uint8Array, b: Uint8Array) => a.every((v, i) => v === b[i]);

export function gradientCheck(net: Network, x: Matrix, y: Matrix, options: GradCheckOptions = {}): GradCheckResult {
  const h0 = options.h ?? 1e-3;
  const tolerance = options.tolerance ?? 1e-6;
  const floor = options.floor ?? 1e-5;
  const grads = backward(net, forward(net, x), y);
  const J = () => lossOf(net, forward(net, x), y);
  const hasKinks = net.layers.some((layer) => KINKED.has(layer.activationName));
  const baseSides = hasKinks ? kinkSides(net, x) : new Uint8Array(0);

  let worst: GradCheckEntry | undefined;
  const perLayer: { layer: number; maxRelError: number }[] = [];
  let count = 0;
  let kinksSkipped = 0;

  /** The five-point difference at step h, or undefined if a shifted point crosses a kink. */
  const difference = (params: Float64Array, index: number, h: number): number | undefined => {
    const saved = params[index];
    const values: number[] = [];
    try {
      for (const d of [2 * h, h, -h, -2 * h]) {
        params[index] = saved + d;
        if (hasKinks && !sameSides(baseSides, kinkSides(net, x))) return undefined;
        values.push(J());
      }
    } finally {
      params[index] = saved;
    }
    return (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h);
  };

  const check = (params: Float64Array, index: number, analytic: number, at: Omit<GradCheckEntry, 'analytic' | 'numeric' | 'relError'>): number => {
    let numeric: number | undefined;
    for (let h = h0; h >= 1e-7 && numeric === undefined; h /= 10) numeric = difference(params, index, h);
    if (numeric === undefined) {
      kinksSkipped++;
      return 0;
    }
    const relError = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
    count++;
    if (!worst || relError > worst.relError || Number.isNaN(relError)) worst = { ...at, analytic, numeric, relError };
    return relError;
  };

  net.layers.forEach((layer, k) => {
    const l = k + 1;
    let layerMax = 0;
    const n = layer.nIn * layer.nOut;
    const stride = options.maxPerLayer && n > options.maxPerLayer ? n / options.maxPerLayer : 1;
    for (let t = 0; t < n; t += stride) {
      const idx = Math.floor(t);
      const i = Math.floor(idx / layer.nOut);
      const j = idx % layer.nOut;
      layerMax = Math.max(layerMax, check(layer.W.data, idx, grads.dLdW[l].data[idx], { layer: l, param: 'W', i, j }));
    }
    for (let j = 0; j < layer.nOut; j++) layerMax = Math.max(layerMax, check(layer.b, j, grads.dLdb[l][j], { layer: l, param: 'b', j }));
    perLayer.push({ layer: l, maxRelError: layerMax });
  });
  const fallback: GradCheckEntry = { layer: 1, param: 'b', j: 0, analytic: 0, numeric: 0, relError: 0 };
  const maxRelError = worst?.relError ?? 0;
  return { maxRelError, ok: maxRelError < tolerance, tolerance, worst: worst ?? fallback, perLayer, parametersChecked: count, kinksSkipped };
}
