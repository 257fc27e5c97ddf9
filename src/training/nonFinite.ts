/**
 * Finding where a diverging network first went non-finite. Once one layer holds an ∞, every layer
 * after it usually does too, so the useful answer is the first one in forward order: the place to
 * look (a learning rate too large for that layer's fan-in, an exploding activation).
 */
import type { ForwardPass, Network } from '../engine/network';

/** The first layer, in forward order, holding NaN or ±∞, and what in it. */
export interface NonFiniteLayer {
  /** l: 0 for the input x, 1..L for a layer. */
  readonly layer: number;
  /** The quantities of that layer that hold a non-finite value, e.g. ["W[2]", "z[2]", "a[2]"]. */
  readonly quantities: string[];
  /** The first offending value found (NaN, Infinity or -Infinity). */
  readonly value: number;
}

/** The index and value of the first non-finite entry of `v`, or undefined. */
function firstNonFinite(v: Float64Array): number | undefined {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return v[i];
  return undefined;
}

/**
 * Checks x, then for l = 1..L the parameters W[l], b[l] and the pass's z[l], a[l]; returns the
 * first layer with any non-finite value, or undefined when everything is finite.
 */
export function findNonFiniteLayer(net: Network, pass: ForwardPass): NonFiniteLayer | undefined {
  const x = firstNonFinite(pass.a[0].data);
  if (x !== undefined) return { layer: 0, quantities: ['x'], value: x };
  for (let l = 1; l <= net.layers.length; l++) {
    const layer = net.layers[l - 1];
    const found: { name: string; value: number | undefined }[] = [
      { name: `W[${l}]`, value: firstNonFinite(layer.W.data) },
      { name: `b[${l}]`, value: firstNonFinite(layer.b) },
      { name: `z[${l}]`, value: firstNonFinite(pass.z[l].data) },
      { name: `a[${l}]`, value: firstNonFinite(pass.a[l].data) },
    ].filter((q) => q.value !== undefined);
    if (found.length > 0) return { layer: l, quantities: found.map((q) => q.name), value: found[0].value as number };
  }
  return undefined;
}

/** The layer to name and the sentence the panel shows when J became `loss` during (1-based) `epoch`. */
export function describeDivergence(
  loss: number,
  epoch: number,
  step: number,
  found: NonFiniteLayer | undefined,
  pass: ForwardPass,
): { layer: number; quantities: string[]; message: string } {
  const when = `The loss became ${loss} in epoch ${epoch} (after ${step} update${step === 1 ? '' : 's'})`;
  if (!found) {
    // The usual case with squared errors: J squares ŷ − y, so it overflows once |ŷ| passes about
    // 1e154, long before any z or a reaches ±∞. The output layer is where to look.
    const L = pass.a.length - 1;
    let largest = 0;
    for (const v of pass.a[L].data) largest = Math.max(largest, Math.abs(v));
    return {
      layer: L,
      quantities: ['J'],
      message: `${when}. Every W, b, z and a is still finite, but the outputs grew to |ŷ| = ${largest.toPrecision(3)} and J overflowed. Lower the learning rate, or reset the weights.`,
    };
  }
  if (found.layer === 0) return { layer: 0, quantities: found.quantities, message: `${when}: the input x itself holds ${found.value}. Check the data.` };
  return {
    layer: found.layer,
    quantities: found.quantities,
    message: `${when}. Layer ${found.layer} went non-finite first: ${found.quantities.join(', ')} hold${found.quantities.length === 1 ? 's' : ''} ${found.value}. Lower the learning rate, or reset the weights.`,
  };
}
