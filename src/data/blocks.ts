/**
 * Fixed-size blocks of typed storage that can be given back to the system on demand.
 *
 * Why not plain typed arrays: dropping the last reference to one frees nothing until the next
 * garbage collection, and copying blocks into the split arrays allocates nothing, so that
 * collection comes only after the copy, with every block and every split resident at once.
 * A block here sits on a resizable `ArrayBuffer` instead; shrinking that to zero bytes hands its
 * pages back at once, so the copy can free each block as soon as its rows are out.
 */

export const BLOCK_SHIFT = 16;
export const BLOCK_ROWS = 1 << BLOCK_SHIFT;
export const BLOCK_MASK = BLOCK_ROWS - 1;

/** ES2024's resizable `ArrayBuffer` (Node 20 has it; our `lib` setting does not know it yet). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/** A zero-filled buffer of `bytes` bytes whose memory `release` can give back. */
export function releasableBuffer(bytes: number): ArrayBuffer {
  return new Resizable(bytes, { maxByteLength: bytes });
}

/** A zero-filled block of BLOCK_ROWS doubles. */
export function float64Block(): Float64Array {
  return new Float64Array(releasableBuffer(BLOCK_ROWS * Float64Array.BYTES_PER_ELEMENT), 0, BLOCK_ROWS);
}

/** A zero-filled block of BLOCK_ROWS 32-bit integers. */
export function int32Block(): Int32Array {
  return new Int32Array(releasableBuffer(BLOCK_ROWS * Int32Array.BYTES_PER_ELEMENT), 0, BLOCK_ROWS);
}

/**
 * Gives the memory under a view back now, if it sits on a releasable buffer (a plain one is left
 * to the garbage collector); every view of that buffer reads as empty afterwards.
 */
export function release(view: ArrayBufferView | undefined): void {
  const buffer = view?.buffer as (ResizableArrayBuffer & { resizable?: boolean }) | undefined;
  if (buffer?.resizable) buffer.resize(0);
}

/** Releases every block of a list and empties it. */
export function releaseBlocks(blocks: (Float64Array | Int32Array | undefined)[] | undefined): void {
  if (!blocks) return;
  for (const block of blocks) release(block);
  blocks.length = 0;
}
