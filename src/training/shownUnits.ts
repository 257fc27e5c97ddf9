/**
 * Which units of a layer the network diagram draws: all of a layer up to MAX_SHOWN units, else
 * the first HEAD and the last TAIL with the rest collapsed. The worker sends the weights of the
 * edges between drawn units (LayerView.edges) and the webview draws them, so both read this one
 * rule. Plain code, no imports: it runs in the worker and in the webview.
 */

/** Layers of up to this many units are drawn whole. */
export const MAX_SHOWN = 16;
/** A wider layer draws its first HEAD and last TAIL units. */
export const HEAD = 6;
export const TAIL = 3;

/**
 * The most inputs a model's decision map is drawn for, as a slice through two of them (a
 * 784-pixel input's slice through two pixels shows nothing a student can read). The panel
 * computes the map from the snapshot's W, so a model this narrow gets every W[l] whole.
 */
export const MAX_SLICE_INPUTS = 64;

/** The unit indices drawn for a layer of `size` units, with −1 standing for the collapsed rest. */
export function shownUnits(size: number): number[] {
  if (size <= MAX_SHOWN) return Array.from({ length: size }, (_, i) => i);
  return [...Array.from({ length: HEAD }, (_, i) => i), -1, ...Array.from({ length: TAIL }, (_, i) => size - TAIL + i)];
}

/** The drawn units alone (without the −1 of the collapsed rest). */
export function drawnUnits(size: number): number[] {
  return shownUnits(size).filter((u) => u >= 0);
}
