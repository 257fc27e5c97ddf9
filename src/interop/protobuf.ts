/**
 * The protocol buffers wire format, as much as ONNX files need: a reader that splits a message
 * into its fields (each with the byte offset it starts at, so an error can say where), and a
 * writer that builds messages field by field.
 *
 * Written by hand rather than taken from protobufjs: the ONNX messages we read and write are a
 * dozen fields, the generated code for all of onnx.proto would be larger than this file, and the
 * reader must treat every file as hostile (any length may lie), which is easiest to check here.
 */

/** Wire types: 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. */
export type WireType = 0 | 1 | 2 | 5;

/** One field of a message as it is on the wire. */
export interface WireField {
  readonly field: number;
  readonly wire: WireType;
  /** Varint fields: the value; 64- and 32-bit fields: their bytes read as unsigned integers. */
  readonly int: bigint;
  /** Length-delimited fields: their bytes (a view into the file); empty for the others. */
  readonly bytes: Uint8Array;
  /** Where the field's tag starts, from the start of the file. */
  readonly offset: number;
}

/** A file that is not valid protocol buffers, with the byte offset where reading failed. */
export class WireFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'WireFormatError';
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The fields of one message, in file order. `base` is the message's offset in the file, so that
 * the offsets of its fields (and of nested messages read from their bytes) are the file's.
 */
export function readFields(bytes: Uint8Array, base = 0): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) throw new WireFormatError('the data ends inside a number', base + pos);
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result & 0xffffffffffffffffn;
      shift += 7n;
    }
    throw new WireFormatError('a number runs over 10 bytes', base + pos);
  };
  while (pos < bytes.length) {
    const offset = base + pos;
    const tag = varint();
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (field === 0 || field > 536870911) throw new WireFormatError(`field number ${field} is not valid`, offset);
    if (wire === 0) {
      fields.push({ field, wire, int: varint(), bytes: EMPTY, offset });
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (pos + size > bytes.length) throw new WireFormatError(`the data ends inside field ${field}`, offset);
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[pos + i]);
      fields.push({ field, wire, int: v, bytes: bytes.subarray(pos, pos + size), offset });
      pos += size;
    } else if (wire === 2) {
      const length = varint();
      if (length > BigInt(bytes.length - pos)) {
        throw new WireFormatError(`field ${field} says it is ${length} bytes long, but only ${bytes.length - pos} remain`, offset);
      }
      const n = Number(length);
      fields.push({ field, wire, int: 0n, bytes: bytes.subarray(pos, pos + n), offset });
      pos += n;
    } else {
      throw new WireFormatError(`field ${field} has wire type ${wire}, which is not used by this format`, offset);
    }
  }
  return fields;
}

/** Field `n`'s last value as a signed 64-bit integer (0 when absent, as in proto3). */
export function intField(fields: readonly WireField[], n: number, fallback = 0): number {
  const f = lastOf(fields, n);
  if (!f) return fallback;
  if (f.wire !== 0) throw new WireFormatError(`field ${n} should be a number`, f.offset);
  return toSafeNumber(BigInt.asIntN(64, f.int), f.offset);
}

/** Field `n`'s last value as a 32-bit float (wire type 5). */
export function floatField(fields: readonly WireField[], n: number, fallback = 0): number {
  const f = lastOf(fields, n);
  if (!f) return fallback;
  if (f.wire !== 5) throw new WireFormatError(`field ${n} should be a 32-bit float`, f.offset);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
}

/** Field `n`'s last value as UTF-8 text ('' when absent). */
export function stringField(fields: readonly WireField[], n: number): string {
  const f = lastOf(fields, n);
  if (!f) return '';
  if (f.wire !== 2) throw new WireFormatError(`field ${n} should be text`, f.offset);
  return utf8(f.bytes);
}

/** Every value of a repeated field `n` of length-delimited type (strings, bytes, messages). */
export function bytesFields(fields: readonly WireField[], n: number): WireField[] {
  const out = fields.filter((f) => f.field === n);
  for (const f of out) if (f.wire !== 2) throw new WireFormatError(`field ${n} should be length-delimited`, f.offset);
  return out;
}

/** A repeated integer field, packed or not, as signed 64-bit numbers. */
export function intsField(fields: readonly WireField[], n: number, base: (f: WireField) => number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== n) continue;
    if (f.wire === 0) out.push(toSafeNumber(BigInt.asIntN(64, f.int), f.offset));
    else if (f.wire === 2) {
      for (const g of readPackedVarints(f.bytes, base(f))) out.push(toSafeNumber(BigInt.asIntN(64, g.v), g.offset));
    } else throw new WireFormatError(`field ${n} should hold integers`, f.offset);
  }
  return out;
}

/** A repeated float (4-byte) or double (8-byte) field, packed or not. */
export function fixedField(fields: readonly WireField[], n: number, size: 4 | 8): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== n) continue;
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    const expected = size === 4 ? 5 : 1;
    if (f.wire === expected) out.push(size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true));
    else if (f.wire === 2) {
      if (f.bytes.length % size !== 0) throw new WireFormatError(`field ${n} holds ${f.bytes.length} bytes, not a whole number of ${size}-byte values`, f.offset);
      for (let i = 0; i < f.bytes.length; i += size) out.push(size === 4 ? view.getFloat32(i, true) : view.getFloat64(i, true));
    } else throw new WireFormatError(`field ${n} should hold ${size === 4 ? 'floats' : 'doubles'}`, f.offset);
  }
  return out;
}

function readPackedVarints(bytes: Uint8Array, base: number): { v: bigint; offset: number }[] {
  const out: { v: bigint; offset: number }[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const offset = base + pos;
    let v = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (i === 10) throw new WireFormatError('a number runs over 10 bytes', offset);
      if (pos >= bytes.length) throw new WireFormatError('the data ends inside a number', base + pos);
      const b = bytes[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    out.push({ v: v & 0xffffffffffffffffn, offset });
  }
  return out;
}

function lastOf(fields: readonly WireField[], n: number): WireField | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].field === n) return fields[i];
  return undefined;
}

function toSafeNumber(v: bigint, offset: number): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new WireFormatError(`the number ${v} is too large`, offset);
  return Number(v);
}

const decoder = new TextDecoder('utf-8', { fatal: false });
function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Builds one message: append fields in order, then `finish()`. */
export class MessageWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  private push(part: Uint8Array): void {
    this.parts.push(part);
    this.length += part.length;
  }

  private varint(v: bigint): void {
    const out: number[] = [];
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      out.push(b);
    } while (x !== 0n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: WireType): void {
    this.varint(BigInt(field * 8 + wire));
  }

  /** A varint field (int32, int64, enum, bool). */
  int(field: number, v: number): this {
    this.tag(field, 0);
    this.varint(BigInt(v));
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  /** A length-delimited field: bytes, or a nested message's `finish()`. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(b.length));
    this.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A packed repeated varint field. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new MessageWriter();
    for (const v of values) inner.varint(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
