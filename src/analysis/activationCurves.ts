/**
 * The activation lab's figures: f and f′ of every element-wise activation on a grid of z, and
 * softmax of a vector, computed by the engine's own activation code (the very f and f′ the
 * networks train with). The lab's webview draws them; it computes nothing.
 */
import { elu, gelu, identity, leakyRelu, relu, sigmoidActivation, softmax, tanh, type ActivationName, type ScalarActivation } from '../engine/activations';
import type { ActivationCurve, SoftmaxFigure } from '../labs/labProtocol';

/** z from −5 to 5 in steps of 0.05. */
export const CURVE_Z = Float64Array.from({ length: 201 }, (_, i) => -5 + i * 0.05);

/** The element-wise activations in the lecture's order, with their titles; ELU takes α. */
const ENTRIES: readonly { readonly id: ActivationName; readonly title: string; readonly make: (alpha: number) => ScalarActivation }[] = [
  { id: 'identity', title: 'identity', make: () => identity },
  { id: 'relu', title: 'ReLU', make: () => relu },
  { id: 'elu', title: 'ELU', make: (alpha) => elu(alpha) },
  { id: 'leaky_relu', title: 'Leaky ReLU', make: () => leakyRelu },
  { id: 'tanh', title: 'tanh', make: () => tanh },
  { id: 'sigmoid', title: 'sigmoid', make: () => sigmoidActivation },
  { id: 'gelu', title: 'GELU', make: () => gelu },
];

/** Each element-wise activation's f(z) and f′(z) on CURVE_Z, ELU with `alpha`. */
export function activationCurves(alpha: number): ActivationCurve[] {
  return ENTRIES.map(({ id, title, make }) => {
    const act = make(alpha);
    return { id, title, formula: act.formula, f: CURVE_Z.map((z) => act.f(z)), df: CURVE_Z.map((z) => act.df(z)) };
  });
}

/** softmax(z), with its formula. */
export function softmaxFigure(z: readonly number[]): SoftmaxFigure {
  const a = new Float64Array(z.length);
  softmax.forward(Float64Array.from(z), a);
  return { z: [...z], a, formula: softmax.formula };
}
