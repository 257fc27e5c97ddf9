/**
 * The part of ONNX's `onnx.proto` (IR version 3 to 10) that a feed-forward network uses, read
 * from and written to the protocol buffers wire format (src/interop/protobuf.ts).
 *
 * Field numbers follow onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto and
 * StringStringEntryProto. Fields this project never needs (training info, functions, sparse
 * tensors, sub-graphs) are noted so that a model using them can be refused by name, not skipped.
 */
import { bytesFields, fixedField, floatField, intField, intsField, MessageWriter, readFields, stringField, WireFormatError, type WireField } from './protobuf';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, STRING: 8, FLOAT16: 10, DOUBLE: 11 } as const;

/** The name ONNX gives a data type, for messages. */
export function dataTypeName(t: number): string {
  const names: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16' };
  return names[t] ?? `type ${t}`;
}

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  readonly rawData?: Uint8Array;
  readonly floatData: readonly number[];
  readonly doubleData: readonly number[];
  readonly int32Data: readonly number[];
  readonly int64Data: readonly number[];
  /** Set when the values live in a file beside the model (data_location EXTERNAL). */
  readonly external?: ReadonlyMap<string, string>;
  /** The tensor message's offset in the file. */
  readonly offset: number;
}

export interface OnnxAttribute {
  readonly name: string;
  /** AttributeProto.AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, … */
  readonly type: number;
  readonly f: number;
  readonly i: number;
  readonly s: string;
  readonly t?: OnnxTensor;
  readonly floats: readonly number[];
  readonly ints: readonly number[];
  /** Holds a sub-graph (as control flow does). */
  readonly hasGraph: boolean;
}

export interface OnnxNode {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly attributes: readonly OnnxAttribute[];
  readonly offset: number;
}

export interface OnnxValueInfo {
  readonly name: string;
  /** The tensor's element type; undefined for a value that is not a tensor. */
  readonly elemType?: number;
  /** Each dimension's size, or its symbolic name, or undefined when unknown; undefined: no shape. */
  readonly shape?: readonly (number | string | undefined)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly docString: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly sparseInitializers: number;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly graph: OnnxGraph;
  readonly metadata: ReadonlyMap<string, string>;
  /** Has training info or model-local functions, which a plain MLP does not use. */
  readonly hasTrainingInfo: boolean;
  readonly functionCount: number;
}

/** Reads an ONNX ModelProto; throws a WireFormatError (with the byte offset) when it is not one. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const f = readFields(bytes, 0);
  const graphs = bytesFields(f, 7);
  if (graphs.length === 0) throw new WireFormatError('this is not an ONNX model: it has no graph (ModelProto field 7)', 0);
  const metadata = new Map<string, string>();
  for (const e of bytesFields(f, 14)) {
    const ef = readFields(e.bytes, base(e, bytes));
    metadata.set(stringField(ef, 1), stringField(ef, 2));
  }
  return {
    irVersion: intField(f, 1),
    opsets: bytesFields(f, 8).map((o) => {
      const of = readFields(o.bytes, base(o, bytes));
      return { domain: stringField(of, 1), version: intField(of, 2) };
    }),
    producerName: stringField(f, 2),
    producerVersion: stringField(f, 3),
    docString: stringField(f, 6),
    graph: decodeGraph(graphs[graphs.length - 1], bytes),
    metadata,
    hasTrainingInfo: f.some((x) => x.field === 20),
    functionCount: f.filter((x) => x.field === 25).length,
  };
}

/** The file offset where a length-delimited field's bytes start. */
function base(field: WireField, file: Uint8Array): number {
  return field.bytes.byteOffset - file.byteOffset;
}

function decodeGraph(g: WireField, file: Uint8Array): OnnxGraph {
  const f = readFields(g.bytes, base(g, file));
  return {
    name: stringField(f, 2),
    docString: stringField(f, 10),
    nodes: bytesFields(f, 1).map((n) => decodeNode(n, file)),
    initializers: bytesFields(f, 5).map((t) => decodeTensor(t, file)),
    sparseInitializers: bytesFields(f, 15).length,
    inputs: bytesFields(f, 11).map((v) => decodeValueInfo(v, file)),
    outputs: bytesFields(f, 12).map((v) => decodeValueInfo(v, file)),
  };
}

function decodeNode(n: WireField, file: Uint8Array): OnnxNode {
  const f = readFields(n.bytes, base(n, file));
  return {
    inputs: bytesFields(f, 1).map((x) => new TextDecoder().decode(x.bytes)),
    outputs: bytesFields(f, 2).map((x) => new TextDecoder().decode(x.bytes)),
    name: stringField(f, 3),
    opType: stringField(f, 4),
    domain: stringField(f, 7),
    attributes: bytesFields(f, 5).map((a) => decodeAttribute(a, file)),
    offset: n.offset,
  };
}

function decodeAttribute(a: WireField, file: Uint8Array): OnnxAttribute {
  const f = readFields(a.bytes, base(a, file));
  const tensors = bytesFields(f, 5);
  return {
    name: stringField(f, 1),
    type: intField(f, 20),
    f: floatField(f, 2),
    i: intField(f, 3),
    s: stringField(f, 4),
    ...(tensors.length > 0 ? { t: decodeTensor(tensors[tensors.length - 1], file) } : {}),
    floats: fixedField(f, 7, 4),
    ints: intsField(f, 8, (x) => base(x, file)),
    hasGraph: f.some((x) => x.field === 6 || x.field === 11),
  };
}

function decodeTensor(t: WireField, file: Uint8Array): OnnxTensor {
  const f = readFields(t.bytes, base(t, file));
  const raw = bytesFields(f, 9);
  const location = intField(f, 14);
  let external: Map<string, string> | undefined;
  if (location === 1) {
    external = new Map();
    for (const e of bytesFields(f, 13)) {
      const ef = readFields(e.bytes, base(e, file));
      external.set(stringField(ef, 1), stringField(ef, 2));
    }
  }
  return {
    name: stringField(f, 8),
    dims: intsField(f, 1, (x) => base(x, file)),
    dataType: intField(f, 2),
    ...(raw.length > 0 ? { rawData: raw[raw.length - 1].bytes } : {}),
    floatData: fixedField(f, 4, 4),
    doubleData: fixedField(f, 10, 8),
    int32Data: intsField(f, 5, (x) => base(x, file)),
    int64Data: intsField(f, 7, (x) => base(x, file)),
    ...(external ? { external } : {}),
    offset: t.offset,
  };
}

function decodeValueInfo(v: WireField, file: Uint8Array): OnnxValueInfo {
  const f = readFields(v.bytes, base(v, file));
  const name = stringField(f, 1);
  const types = bytesFields(f, 2);
  if (types.length === 0) return { name };
  const tf = readFields(types[0].bytes, base(types[0], file));
  const tensorTypes = bytesFields(tf, 1);
  if (tensorTypes.length === 0) return { name };
  const tt = readFields(tensorTypes[0].bytes, base(tensorTypes[0], file));
  const shapes = bytesFields(tt, 2);
  const shape = shapes.length === 0
    ? undefined
    : bytesFields(readFields(shapes[0].bytes, base(shapes[0], file)), 1).map((d) => {
        const df = readFields(d.bytes, base(d, file));
        if (df.some((x) => x.field === 1)) return intField(df, 1);
        const param = stringField(df, 2);
        return param === '' ? undefined : param;
      });
  return { name, elemType: intField(tt, 1), ...(shape ? { shape } : {}) };
}

// ---- Writing ----

/** A tensor to write: float32 values (raw_data, little-endian) or int64 values. */
export interface TensorToWrite {
  readonly name: string;
  readonly dims: readonly number[];
  readonly float32?: ArrayLike<number>;
  readonly int64?: readonly number[];
}

export interface AttributeToWrite {
  readonly name: string;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
}

export interface NodeToWrite {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: readonly AttributeToWrite[];
}

export interface ValueToWrite {
  readonly name: string;
  /** Dimensions: a size, or a symbolic name such as "batch". */
  readonly shape: readonly (number | string)[];
  readonly doc?: string;
}

export interface ModelToWrite {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly graphName: string;
  readonly nodes: readonly NodeToWrite[];
  readonly initializers: readonly TensorToWrite[];
  readonly inputs: readonly ValueToWrite[];
  readonly outputs: readonly ValueToWrite[];
  readonly metadata: readonly (readonly [string, string])[];
}

/** Encodes a model (float32 tensors, one default-domain opset) as ONNX bytes. */
export function encodeModel(m: ModelToWrite): Uint8Array {
  const graph = new MessageWriter();
  for (const n of m.nodes) graph.bytes(1, encodeNode(n));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.bytes(5, encodeTensor(t));
  if (m.docString) graph.string(10, m.docString);
  for (const v of m.inputs) graph.bytes(11, encodeValue(v));
  for (const v of m.outputs) graph.bytes(12, encodeValue(v));
  const model = new MessageWriter().int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion);
  if (m.docString) model.string(6, m.docString);
  model.bytes(7, graph.finish());
  model.bytes(8, new MessageWriter().string(1, '').int(2, m.opset).finish());
  for (const [k, v] of m.metadata) model.bytes(14, new MessageWriter().string(1, k).string(2, v).finish());
  return model.finish();
}

function encodeNode(n: NodeToWrite): Uint8Array {
  const w = new MessageWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const a of n.attributes ?? []) {
    const aw = new MessageWriter().string(1, a.name);
    if (a.f !== undefined) aw.float(2, a.f).int(20, 1);
    else if (a.i !== undefined) aw.int(3, a.i).int(20, 2);
    else if (a.s !== undefined) aw.string(4, a.s).int(20, 3);
    w.bytes(5, aw.finish());
  }
  return w.finish();
}

function encodeTensor(t: TensorToWrite): Uint8Array {
  const w = new MessageWriter().packedInts(1, t.dims);
  if (t.float32) {
    w.int(2, DataType.FLOAT);
    const raw = new Uint8Array(t.float32.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < t.float32.length; i++) view.setFloat32(i * 4, t.float32[i], true);
    w.string(8, t.name).bytes(9, raw);
  } else {
    w.int(2, DataType.INT64);
    const raw = new Uint8Array((t.int64 ?? []).length * 8);
    const view = new DataView(raw.buffer);
    (t.int64 ?? []).forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    w.string(8, t.name).bytes(9, raw);
  }
  return w.finish();
}

function encodeValue(v: ValueToWrite): Uint8Array {
  const shape = new MessageWriter();
  for (const d of v.shape) shape.bytes(1, typeof d === 'number' ? new MessageWriter().int(1, d).finish() : new MessageWriter().string(2, d).finish());
  const tensorType = new MessageWriter().int(1, DataType.FLOAT).bytes(2, shape.finish());
  const w = new MessageWriter().string(1, v.name).bytes(2, new MessageWriter().bytes(1, tensorType.finish()).finish());
  if (v.doc) w.string(3, v.doc);
  return w.finish();
}
