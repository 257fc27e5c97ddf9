/**
 * Colour scales for weights and activations. A diverging scale (blue for negative, orange for
 * positive, neutral at 0, as TensorFlow Playground does) so the sign of a weight reads at a
 * glance in light, dark and high-contrast themes alike; the neutral mid-point is grey rather
 * than white so that small values stay visible on a white background.
 */

const NEG: [number, number, number] = [33, 102, 172]; // blue
const MID: [number, number, number] = [140, 140, 140];
const POS: [number, number, number] = [230, 115, 20]; // orange

function mix(a: [number, number, number], b: [number, number, number], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** RGB for v on a diverging scale symmetric around 0, saturating at ±limit. */
export function divergingRgb(v: number, limit: number): [number, number, number] {
  if (!Number.isFinite(v)) return [220, 0, 0];
  const t = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0;
  return t < 0 ? mix(MID, NEG, -t) : mix(MID, POS, t);
}

export function divergingCss(v: number, limit: number): string {
  const [r, g, b] = divergingRgb(v, limit);
  return `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
}

/** The largest |v| among finite values, at least `min` (so an all-zero layer still draws). */
export function absMax(values: ArrayLike<number>, min = 1e-9): number {
  let m = min;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}
