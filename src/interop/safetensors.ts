/**
 * The safetensors file format (https://huggingface.co/docs/safetensors), written by hand so the
 * PyTorch export needs no Python to produce and the extension no native module:
 *
 *   8 bytes   N, the header's length in bytes, unsigned little-endian;
 *   N bytes   a UTF-8 JSON object {name: {"dtype", "shape", "data_offsets": [begin, end]}, …,
 *             "__metadata__": {string: string}}, padded with spaces to a multiple of 8 so the
 *             data that follows is aligned;
 *   the data  every tensor's elements, row-major, little-endian, back to back; offsets count from
 *             the first byte after the header.
 *
 * Only float32 ("F32") is written, which is what the exports need; the reader (for tests and
 * importers) reads F32 and F64.
 */

/** A tensor to write: its name, shape and row-major values (stored as float32). */
export interface TensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** A tensor as read back. */
export interface ReadTensor {
  readonly dtype: 'F32' | 'F64';
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

const METADATA = '__metadata__';
const BYTES = { F32: 4, F64: 8 } as const;

/** The safetensors bytes of `tensors`, in the order given, with optional string metadata. */
export function writeSafetensors(tensors: readonly TensorToWrite[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header[METADATA] = { ...metadata };
  const seen = new Set<string>();
  let offset = 0;
  for (const t of tensors) {
    if (t.name === METADATA || seen.has(t.name)) throw new RangeError(`safetensors: the tensor name ${JSON.stringify(t.name)} is reserved or used twice`);
    seen.add(t.name);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || count !== t.data.length) {
      throw new RangeError(`safetensors: tensor ${JSON.stringify(t.name)} has ${t.data.length} values, its shape [${t.shape.join(', ')}] needs ${count}`);
    }
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i], true);
  }
  return out;
}

/**
 * Reads a safetensors file; throws a RangeError when it is not one (bad header length, JSON,
 * offsets that overlap, leave gaps or run past the end) or holds a dtype other than F32 or F64.
 */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, ReadTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new RangeError('safetensors: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new RangeError(`safetensors: the header claims ${n} bytes, the file has ${bytes.length - 8} after the length`);
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const base = 8 + n;
  const metadata = (header[METADATA] ?? {}) as Record<string, string>;
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA)
    .map(([name, info]) => ({ name, info: info as { dtype: string; shape: number[]; data_offsets: [number, number] } }))
    .sort((a, b) => a.info.data_offsets[0] - b.info.data_offsets[0]);
  const tensors = new Map<string, ReadTensor>();
  let expected = 0;
  for (const { name, info } of entries) {
    const dtype = info.dtype;
    if (dtype !== 'F32' && dtype !== 'F64') throw new RangeError(`safetensors: tensor ${JSON.stringify(name)} is ${dtype}; only F32 and F64 are read`);
    const [begin, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (begin !== expected || end - begin !== count * BYTES[dtype] || base + end > bytes.length) {
      throw new RangeError(`safetensors: tensor ${JSON.stringify(name)} has data_offsets [${begin}, ${end}], expected [${expected}, ${expected + count * BYTES[dtype]}] within the file`);
    }
    const data = dtype === 'F32' ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = dtype === 'F32' ? view.getFloat32(base + begin + 4 * i, true) : view.getFloat64(base + begin + 8 * i, true);
    tensors.set(name, { dtype, shape: info.shape, data });
    expected = end;
  }
  if (base + expected !== bytes.length) throw new RangeError(`safetensors: ${bytes.length - base - expected} bytes after the last tensor`);
  return { tensors, metadata };
}
