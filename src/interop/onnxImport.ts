/**
 * ONNX to a portable model: reads what real exporters write for a feed-forward MLP and refuses
 * everything else with one sentence naming the node.
 *
 * Accepted, as a chain from the one graph input to the one graph output:
 * - optionally first, our own engineered inputs: Gather columns of the input, Mul or Sin them,
 *   Concat them after the input (what src/interop/onnxExport.ts writes);
 * - optionally next, a normalization (x − c) / s: Sub of a constant, then Div by a constant;
 * - dense layers: `Gemm` (transB 0 or 1, as torch.onnx.export writes; alpha and beta folded in,
 *   which is exact in float64), or `MatMul` with a constant then `Add` of a constant bias (as
 *   tf2onnx writes for Keras), each followed by at most one activation: Relu, LeakyRelu (slope
 *   0.01, the one ours has), Elu (its alpha), Tanh, Sigmoid, Gelu (opset 20, exact form), the erf
 *   pattern older opsets write for GELU (x · ½ · (1 + erf(x / √2))), Softmax on the last axis;
 *   a MatMul's constant weight may be stored [out, in] behind a Transpose;
 * - anywhere, nodes that do nothing to a 2-D tensor: Identity, Dropout (inference), Flatten with
 *   axis 1, Reshape to [0 or −1, columns].
 * Weights may be float32 or float64, in raw_data, float_data or double_data, or in an external
 * data file beside the model; float32 values become float64 exactly.
 */
import type { ActivationName } from '../engine/activations';
import { isLossName, type LossName } from '../engine/losses';
import { dataTypeName, decodeModel, DataType, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnxProto';
import { WireFormatError } from './protobuf';
import type { PortableFeature, PortableLayer, PortableModel } from './portableModel';
import { METADATA } from './onnxMetadata';

/** Why a file cannot be imported: one sentence, and where (a byte offset, or a node's name). */
export class OnnxImportError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file, for a file that is not valid ONNX. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'OnnxImportError';
  }
}

/** Reads `length` bytes (all the rest when undefined) at `offset` of a file beside the model. */
export type ExternalReader = (location: string, offset: number, length: number | undefined) => Uint8Array;

/** What was imported, for the summary the CLI prints and the extension shows. */
export interface ImportSummary {
  readonly producer: string;
  readonly opset: number;
  readonly input: string;
  readonly output: string;
  readonly layers: readonly { readonly units: number; readonly activation?: ActivationName; readonly alpha?: number }[];
  readonly parameters: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly engineered: readonly string[];
  readonly normalization: boolean;
  readonly loss: LossName;
  /** Where the loss came from: the file's metadata, or a guess from the output activation. */
  readonly lossFrom: 'metadata' | 'output activation';
  readonly weightType: 'float32' | 'float64';
}

export interface ImportedModel {
  readonly portable: PortableModel;
  /** Our own training settings, when the file was exported by MLP Inspector (checked later). */
  readonly training?: unknown;
  readonly summary: ImportSummary;
}

/** The operators an MLP may use; any other is refused by name before the graph is walked. */
const SUPPORTED = new Set(['Gemm', 'MatMul', 'Add', 'Sub', 'Div', 'Mul', 'Relu', 'LeakyRelu', 'Elu', 'Tanh', 'Sigmoid', 'Gelu', 'Erf', 'Softmax', 'Identity', 'Dropout', 'Flatten', 'Reshape', 'Constant', 'Gather', 'Concat', 'Sin', 'Transpose']);
const SUPPORTED_TEXT = 'dense layers (Gemm, or MatMul and Add), Relu, LeakyRelu, Elu, Tanh, Sigmoid, Gelu (or its erf form), Softmax, and Identity, Dropout, Flatten and Reshape that leave a 2-D input as it is';

/** The most values one tensor may hold (10× the default parameter budget), checked before allocating. */
const MAX_TENSOR_VALUES = 100_000_000;

const ACTIVATIONS: Record<string, ActivationName> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', Elu: 'elu', LeakyRelu: 'leaky_relu', Softmax: 'softmax', Gelu: 'gelu' };

/** Imports an ONNX model's bytes; throws an OnnxImportError naming the first problem. */
export function importOnnx(bytes: Uint8Array, readExternal: ExternalReader): ImportedModel {
  let model: OnnxModel;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    if (err instanceof WireFormatError) throw new OnnxImportError(`not a valid ONNX file: ${err.message}`, err.offset);
    throw err;
  }
  return new GraphReader(model, readExternal).read();
}

/** The values, when every one is a finite number: a NaN or ∞ weight is refused where it is. */
function finite(t: OnnxTensor, values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} holds ${values[i]} at index ${i} (of shape [${t.dims.join(', ')}]); weights must be finite numbers`, t.offset);
  }
  return values;
}

const label = (n: OnnxNode) => `${n.opType} node ${JSON.stringify(n.name || '(unnamed)')}`;

class GraphReader {
  private readonly consumers = new Map<string, OnnxNode[]>();
  private readonly producers = new Map<string, OnnxNode>();
  private readonly constants = new Map<string, OnnxTensor>();
  private readonly used = new Set<OnnxNode>();
  private readonly opset: number;
  private readonly weightTypes = new Set<number>();

  constructor(
    private readonly model: OnnxModel,
    private readonly readExternal: ExternalReader,
  ) {
    const g = model.graph;
    const op = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    if (!op) throw new OnnxImportError('the model declares no version of the standard ONNX operator set (opset_import)');
    this.opset = op.version;
    for (const t of g.initializers) this.constants.set(t.name, t);
    for (const n of g.nodes) {
      if ((n.domain !== '' && n.domain !== 'ai.onnx') || !SUPPORTED.has(n.opType)) {
        throw new OnnxImportError(`unsupported operator ${n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.` : ''}${n.opType} (node ${JSON.stringify(n.name || '(unnamed)')}); MLP Inspector imports ${SUPPORTED_TEXT}`);
      }
      if (n.attributes.some((a) => a.hasGraph)) throw new OnnxImportError(`${label(n)} holds a sub-graph, which an MLP does not have`);
      if (n.opType === 'Constant') {
        const t = this.constantNodeValue(n);
        this.constants.set(n.outputs[0], t);
        this.used.add(n);
      }
      for (const output of n.outputs) this.producers.set(output, n);
      for (const input of new Set(n.inputs)) {
        if (input === '') continue;
        const list = this.consumers.get(input) ?? [];
        list.push(n);
        this.consumers.set(input, list);
      }
    }
    if (g.sparseInitializers > 0) throw new OnnxImportError('the graph has sparse initializers, which MLP Inspector does not read');
  }

  read(): ImportedModel {
    const g = this.model.graph;
    const inputs = g.inputs.filter((v) => !this.constants.has(v.name));
    if (inputs.length !== 1) {
      throw new OnnxImportError(`the graph has ${inputs.length} inputs${inputs.length ? ` (${inputs.map((v) => JSON.stringify(v.name)).join(', ')})` : ''}; an MLP has one, the feature matrix [batch, features]`);
    }
    if (g.outputs.length !== 1) {
      throw new OnnxImportError(`the graph has ${g.outputs.length} outputs (${g.outputs.map((v) => JSON.stringify(v.name)).join(', ')}); an MLP has one`);
    }
    const input = inputs[0];
    const outputName = g.outputs[0].name;
    if (input.elemType !== undefined && input.elemType !== DataType.FLOAT && input.elemType !== DataType.DOUBLE) {
      throw new OnnxImportError(`the input ${JSON.stringify(input.name)} holds ${dataTypeName(input.elemType)}; an MLP takes float32 or float64 features`);
    }
    let width: number | undefined;
    if (input.shape) {
      if (input.shape.length !== 2) throw new OnnxImportError(`the input ${JSON.stringify(input.name)} has ${input.shape.length} dimensions; MLP Inspector takes a 2-D input [batch, features]`);
      const d = input.shape[1];
      if (typeof d === 'number') width = d;
    }
    let cur = input.name;

    // Engineered inputs (as our exporter writes them).
    let engineered: PortableFeature[] = [];
    const concat = this.consumersOf(cur).find((n) => n.opType === 'Concat' && n.inputs[0] === cur);
    const nRaw = width;
    if (concat) {
      ({ features: engineered, out: cur } = this.engineeredBlock(cur, concat, width));
      if (width !== undefined) width += engineered.length;
    }

    // Normalization (x − c) / s.
    let offset: number[] | undefined;
    let scale: number[] | undefined;
    let next = this.single(cur);
    if (next && next.opType === 'Sub' && next.inputs[0] === cur && this.constants.has(next.inputs[1])) {
      offset = this.vector(next.inputs[1], next, 'the subtracted constant');
      this.used.add(next);
      cur = next.outputs[0];
      next = this.single(cur);
    }
    if (next && next.opType === 'Div' && next.inputs[0] === cur && this.constants.has(next.inputs[1])) {
      scale = this.vector(next.inputs[1], next, 'the divisor');
      const bad = scale.findIndex((s) => !(s > 0));
      if (bad >= 0) throw new OnnxImportError(`${label(next)} divides input ${bad} by ${scale[bad]}; a normalization divides by a positive scale`);
      this.used.add(next);
      cur = next.outputs[0];
    }

    // Dense layers and their activations.
    const layers: PortableLayer[] = [];
    let pending: Omit<PortableLayer, 'activation' | 'alpha'> | undefined;
    const flush = (activation: ActivationName, alpha?: number) => {
      if (!pending) return;
      layers.push({ ...pending, activation, ...(alpha !== undefined ? { alpha } : {}) });
      pending = undefined;
    };
    const columns = () => (pending ? pending.nOut : layers.length > 0 ? layers[layers.length - 1].nOut : width);
    for (;;) {
      const cs = this.consumersOf(cur);
      if (cs.length === 0) {
        if (cur !== outputName) throw new OnnxImportError(`the value ${JSON.stringify(cur)} is read by no node and is not the graph's output ${JSON.stringify(outputName)}`);
        break;
      }
      if (cs.length > 1) {
        const gelu = pending ? this.geluPattern(cur) : undefined;
        if (gelu) {
          flush('gelu');
          cur = gelu;
          continue;
        }
        throw new OnnxImportError(`the value ${JSON.stringify(cur)} feeds ${cs.length} nodes (${cs.map(label).join(', ')}): the graph branches, and an MLP is a chain`);
      }
      const node = cs[0];
      if (node.inputs[0] !== cur) {
        throw new OnnxImportError(`${label(node)} takes ${JSON.stringify(cur)} as input ${node.inputs.indexOf(cur) + 1}, not as its first input; an MLP's layers take the previous layer's output first`);
      }
      this.used.add(node);
      const out = node.outputs[0];
      switch (node.opType) {
        case 'Identity':
        case 'Dropout':
          break;
        case 'Flatten': {
          const axis = this.intAttr(node, 'axis', 1);
          if (axis !== 1 && axis !== -1) throw new OnnxImportError(`${label(node)} flattens from axis ${axis}; only a Flatten that leaves a 2-D input as it is (axis 1) is accepted`);
          break;
        }
        case 'Reshape': {
          const shape = this.ints(node.inputs[1], node, 'the shape');
          const n = columns();
          const keepsRows = shape.length === 2 && (shape[0] === 0 || shape[0] === -1);
          const keepsColumns = shape[1] === -1 ? shape[0] === 0 : n === undefined || shape[1] === n;
          if (!keepsRows || !keepsColumns) throw new OnnxImportError(`${label(node)} reshapes to [${shape.join(', ')}]; only a Reshape that leaves a 2-D input as it is ([0, ${n ?? 'columns'}] or [-1, ${n ?? 'columns'}]) is accepted`);
          break;
        }
        case 'Gemm':
          flush('identity');
          pending = this.gemm(node, columns());
          break;
        case 'MatMul': {
          flush('identity');
          const W = this.matrix(node.inputs[1], node, 'the weight matrix');
          this.checkWidth(node, W.rows, columns());
          pending = { W: W.values, nIn: W.rows, nOut: W.cols, b: new Float64Array(W.cols) };
          // The bias: an Add of a constant right after.
          const add = this.single(out);
          if (add && add.opType === 'Add') {
            const other = add.inputs[0] === out ? add.inputs[1] : add.inputs[0];
            if (this.constants.has(other)) {
              const b = this.vector(other, add, 'the bias');
              if (b.length !== W.cols && b.length !== 1) throw new OnnxImportError(`${label(add)} adds ${b.length} values to ${W.cols} columns`);
              pending = { ...pending, b: Float64Array.from({ length: W.cols }, (_, j) => b[b.length === 1 ? 0 : j]) };
              this.used.add(add);
              cur = add.outputs[0];
              continue;
            }
          }
          break;
        }
        case 'Softmax': {
          this.needLayer(node, pending);
          const axis = this.intAttr(node, 'axis', this.opset >= 13 ? -1 : 1);
          if (axis !== -1 && axis !== 1) throw new OnnxImportError(`${label(node)} normalizes over axis ${axis}; MLP Inspector's softmax is over the last axis of [batch, classes]`);
          if (pending!.nOut === 1) throw new OnnxImportError(`${label(node)} is a softmax over one unit, which is always 1`);
          flush('softmax');
          break;
        }
        case 'LeakyRelu': {
          this.needLayer(node, pending);
          const alpha = this.floatAttr(node, 'alpha', 0.01);
          if (Math.abs(alpha - 0.01) > 1e-9) throw new OnnxImportError(`${label(node)} has slope ${Number(alpha.toPrecision(7))} below zero; MLP Inspector's leaky_relu has slope 0.01 (PyTorch's and ONNX's default)`);
          flush('leaky_relu');
          break;
        }
        case 'Elu': {
          this.needLayer(node, pending);
          const alpha = this.floatAttr(node, 'alpha', 1);
          if (!(alpha > 0)) throw new OnnxImportError(`${label(node)} has alpha ${alpha}; ELU's alpha must be positive`);
          flush('elu', alpha === 1 ? undefined : alpha);
          break;
        }
        case 'Gelu': {
          this.needLayer(node, pending);
          const approximate = node.attributes.find((a) => a.name === 'approximate')?.s ?? 'none';
          if (approximate !== 'none') throw new OnnxImportError(`${label(node)} is GELU's ${approximate} approximation; MLP Inspector's gelu is the exact erf form (approximate="none")`);
          flush('gelu');
          break;
        }
        case 'Relu':
        case 'Tanh':
        case 'Sigmoid':
          this.needLayer(node, pending);
          flush(ACTIVATIONS[node.opType]);
          break;
        default:
          throw new OnnxImportError(`${label(node)} is not where an MLP has one: after ${layers.length + (pending ? 1 : 0)} layer${layers.length + (pending ? 1 : 0) === 1 ? '' : 's'} MLP Inspector expects a dense layer, an activation or the output`);
      }
      cur = out;
    }
    flush('identity');
    if (layers.length === 0) throw new OnnxImportError('the graph has no dense layer (Gemm, or MatMul and Add) between its input and output');
    const unused = this.model.graph.nodes.find((n) => !this.used.has(n));
    if (unused) throw new OnnxImportError(`${label(unused)} is not on the path from the input to the output; an MLP is one chain`);

    const n0 = layers[0].nIn;
    const rawUnits = n0 - engineered.length;
    if (nRaw !== undefined && nRaw !== rawUnits) throw new OnnxImportError(`the input has ${nRaw} columns but the first layer takes ${rawUnits}`);
    for (const [v, what] of [[offset, 'subtracted'], [scale, 'divisor']] as const) {
      if (v && v.length !== n0 && v.length !== 1) throw new OnnxImportError(`the normalization's ${what} constant has ${v.length} values for ${n0} input units`);
    }
    const expand = (v: number[] | undefined, fill: number) => (v ? Array.from({ length: n0 }, (_, k) => v[v.length === 1 ? 0 : k]) : new Array<number>(n0).fill(fill));
    const meta = this.model.metadata;
    const rawNames = this.names(meta.get(METADATA.featureNames), rawUnits) ?? Array.from({ length: rawUnits }, (_, k) => `x${k + 1}`);
    const nL = layers[layers.length - 1].nOut;
    const outputActivation = layers[layers.length - 1].activation;
    const classes = this.names(meta.get(METADATA.classNames), nL, outputActivation === 'sigmoid' && nL === 1 ? 2 : undefined);
    const outputNames = classes ? undefined : this.names(meta.get(METADATA.outputNames), nL);
    const metaLoss = meta.get(METADATA.loss);
    const loss: LossName = isLossName(metaLoss) ? metaLoss : outputActivation === 'softmax' ? 'cross_entropy' : outputActivation === 'sigmoid' ? 'binary_cross_entropy' : 'mse';
    let training: unknown;
    const trainingText = meta.get(METADATA.training);
    if (trainingText !== undefined) {
      try {
        training = JSON.parse(trainingText);
      } catch {
        training = undefined;
      }
    }
    // Engineered names were made from the exporter's raw names: rename them from ours.
    engineered = engineered.map((f) => ({ ...f, name: f.kind === 'sin' ? `sin(${rawNames[f.at[0]]})` : f.kind === 'square' ? `${rawNames[f.at[0]]}^2` : `${rawNames[f.at[0]]}*${rawNames[f.at[1]]}` }));
    const portable: PortableModel = {
      ...(this.model.graph.name ? { name: this.model.graph.name } : {}),
      inputNames: rawNames,
      engineered,
      ...(offset || scale ? { normalization: { offset: expand(offset, 0), scale: expand(scale, 1) } } : {}),
      layers,
      loss,
      ...(classes ? { classes } : {}),
      ...(outputNames ? { outputNames } : {}),
    };
    return {
      portable,
      ...(training !== undefined ? { training } : {}),
      summary: {
        producer: [this.model.producerName || 'unknown producer', this.model.producerVersion].filter(Boolean).join(' '),
        opset: this.opset,
        input: input.name,
        output: outputName,
        layers: [{ units: n0 }, ...layers.map((l) => ({ units: l.nOut, activation: l.activation, ...(l.alpha !== undefined ? { alpha: l.alpha } : {}) }))],
        parameters: layers.reduce((s, l) => s + l.nIn * l.nOut + l.nOut, 0),
        inputNames: rawNames,
        outputNames: classes ?? outputNames ?? Array.from({ length: nL }, (_, j) => `y${j + 1}`),
        engineered: engineered.map((f) => f.name),
        normalization: Boolean(offset || scale),
        loss,
        lossFrom: isLossName(metaLoss) ? 'metadata' : 'output activation',
        weightType: this.weightTypes.has(DataType.DOUBLE) ? 'float64' : 'float32',
      },
    };
  }

  // ---- Patterns ----

  private engineeredBlock(input: string, concat: OnnxNode, width: number | undefined): { features: PortableFeature[]; out: string } {
    const axis = this.intAttr(concat, 'axis', 1);
    if (axis !== 1 && axis !== -1) throw new OnnxImportError(`${label(concat)} joins along axis ${axis}; engineered inputs are joined as columns (axis 1)`);
    this.used.add(concat);
    const gatherColumn = (name: string): number => {
      const g = this.producer(name);
      if (!g || g.opType !== 'Gather' || g.inputs[0] !== input) throw new OnnxImportError(`${label(concat)} joins ${JSON.stringify(name)}, which is not a column of the input`);
      if (this.intAttr(g, 'axis', 0) !== 1) throw new OnnxImportError(`${label(g)} gathers along axis ${this.intAttr(g, 'axis', 0)}; an input column is gathered along axis 1`);
      const idx = this.ints(g.inputs[1], g, 'the column index');
      if (idx.length !== 1) throw new OnnxImportError(`${label(g)} gathers ${idx.length} columns; each engineered input reads one column at a time`);
      const k = idx[0] < 0 && width !== undefined ? width + idx[0] : idx[0];
      if (k < 0 || (width !== undefined && k >= width)) throw new OnnxImportError(`${label(g)} reads column ${idx[0]} of an input with ${width ?? 'unknown'} columns`);
      this.used.add(g);
      return k;
    };
    const features = concat.inputs.slice(1).map((name): PortableFeature => {
      const n = this.producer(name);
      if (n && n.opType === 'Sin') {
        this.used.add(n);
        return { name, kind: 'sin', at: [gatherColumn(n.inputs[0])] };
      }
      if (n && n.opType === 'Mul') {
        this.used.add(n);
        const i = gatherColumn(n.inputs[0]);
        const j = gatherColumn(n.inputs[1]);
        return i === j ? { name, kind: 'square', at: [i] } : { name, kind: 'product', at: [i, j] };
      }
      throw new OnnxImportError(`${label(concat)} joins ${JSON.stringify(name)}${n ? `, made by ${label(n)},` : ''} to the input; engineered inputs are a column squared, two columns multiplied, or a column's sine`);
    });
    const stray = this.consumersOf(input).find((n) => n !== concat && n.opType !== 'Gather');
    if (stray) throw new OnnxImportError(`the input feeds ${label(stray)} as well as the engineered inputs: the graph branches`);
    return { features, out: concat.outputs[0] };
  }

  /** GELU written with erf: v · ½ · (1 + erf(v / √2)) in any of the orders exporters use; the output's name. */
  private geluPattern(v: string): string | undefined {
    const cs = this.consumersOf(v);
    if (cs.length !== 2) return undefined;
    const scaleNode = cs.find((n) => (n.opType === 'Div' && n.inputs[0] === v && this.isScalar(n.inputs[1], Math.SQRT2)) || (n.opType === 'Mul' && this.otherIsScalar(n, v, Math.SQRT1_2)));
    if (!scaleNode) return undefined;
    const erf = this.single(scaleNode.outputs[0]);
    if (!erf || erf.opType !== 'Erf') return undefined;
    const plus = this.single(erf.outputs[0]);
    if (!plus || plus.opType !== 'Add' || !this.otherIsScalar(plus, erf.outputs[0], 1)) return undefined;
    const t = plus.outputs[0];
    const m1 = cs.find((n) => n !== scaleNode);
    if (!m1 || m1.opType !== 'Mul') return undefined;
    const nodes = [scaleNode, erf, plus, m1];
    let out: string | undefined;
    const m2 = this.single(m1.outputs[0]);
    if (m1.inputs.includes(t) && m2 && m2.opType === 'Mul' && this.otherIsScalar(m2, m1.outputs[0], 0.5)) {
      nodes.push(m2); // (v · t) · ½
      out = m2.outputs[0];
    } else if (this.otherIsScalar(m1, v, 0.5) && m2 && m2.opType === 'Mul' && m2.inputs.includes(t) && this.consumersOf(t).length === 1) {
      nodes.push(m2); // (v · ½) · t
      out = m2.outputs[0];
    } else {
      const h = this.single(t); // v · (t · ½)
      if (h && h.opType === 'Mul' && this.otherIsScalar(h, t, 0.5) && m1.inputs.includes(h.outputs[0])) {
        nodes.push(h);
        out = m1.outputs[0];
      }
    }
    if (out === undefined) return undefined;
    for (const n of nodes) this.used.add(n);
    return out;
  }

  private gemm(node: OnnxNode, width: number | undefined): Omit<PortableLayer, 'activation' | 'alpha'> {
    if (this.intAttr(node, 'transA', 0) !== 0) throw new OnnxImportError(`${label(node)} transposes its input (transA=1); a dense layer multiplies [batch, features] as it is`);
    const transB = this.intAttr(node, 'transB', 0) !== 0;
    const alpha = this.floatAttr(node, 'alpha', 1);
    const beta = this.floatAttr(node, 'beta', 1);
    const B = this.matrix(node.inputs[1], node, 'the weight matrix');
    const nIn = transB ? B.cols : B.rows;
    const nOut = transB ? B.rows : B.cols;
    this.checkWidth(node, nIn, width);
    // W[i][j] = alpha · B[i][j] (or B[j][i] with transB): a float32 times a float32 is exact in float64.
    const W = new Float64Array(nIn * nOut);
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) W[i * nOut + j] = alpha * (transB ? B.values[j * B.cols + i] : B.values[i * B.cols + j]);
    const b = new Float64Array(nOut);
    const cName = node.inputs[2];
    if (cName) {
      const c = this.vector(cName, node, 'the bias');
      if (c.length !== nOut && c.length !== 1) throw new OnnxImportError(`${label(node)} has a bias of ${c.length} values for ${nOut} outputs`);
      for (let j = 0; j < nOut; j++) b[j] = beta * c[c.length === 1 ? 0 : j];
    }
    return { W, nIn, nOut, b };
  }

  // ---- Graph helpers ----

  private consumersOf(name: string): OnnxNode[] {
    return this.consumers.get(name) ?? [];
  }

  private single(name: string): OnnxNode | undefined {
    const cs = this.consumersOf(name);
    return cs.length === 1 ? cs[0] : undefined;
  }

  private producer(name: string): OnnxNode | undefined {
    return this.producers.get(name);
  }

  private needLayer(node: OnnxNode, pending: unknown): void {
    if (!pending) throw new OnnxImportError(`${label(node)} is an activation with no dense layer (Gemm, or MatMul and Add) right before it`);
  }

  private checkWidth(node: OnnxNode, nIn: number, width: number | undefined): void {
    if (width !== undefined && nIn !== width) throw new OnnxImportError(`${label(node)} takes ${nIn} inputs, but the value before it has ${width} columns`);
  }

  private intAttr(node: OnnxNode, name: string, fallback: number): number {
    const a = node.attributes.find((x) => x.name === name);
    return a ? a.i : fallback;
  }

  private floatAttr(node: OnnxNode, name: string, fallback: number): number {
    const a = node.attributes.find((x) => x.name === name);
    return a ? a.f : fallback;
  }

  private isScalar(name: string, value: number): boolean {
    const t = this.constants.get(name);
    if (!t) return false;
    const v = this.values(t);
    return v.length === 1 && Math.abs(v[0] - value) <= 1e-6 * Math.abs(value);
  }

  private otherIsScalar(node: OnnxNode, input: string, value: number): boolean {
    if (node.inputs.length !== 2 || !node.inputs.includes(input)) return false;
    const other = node.inputs[0] === input ? node.inputs[1] : node.inputs[0];
    return this.isScalar(other, value);
  }

  // ---- Tensors ----

  private constantNodeValue(n: OnnxNode): OnnxTensor {
    const a = n.attributes[0];
    if (!a) throw new OnnxImportError(`${label(n)} has no value`);
    const base = { name: n.outputs[0], floatData: [], doubleData: [], int32Data: [], int64Data: [], offset: n.offset };
    switch (a.name) {
      case 'value':
        if (!a.t) throw new OnnxImportError(`${label(n)} has an empty value`);
        return a.t;
      case 'value_float':
        return { ...base, dims: [], dataType: DataType.FLOAT, floatData: [a.f] };
      case 'value_floats':
        return { ...base, dims: [a.floats.length], dataType: DataType.FLOAT, floatData: a.floats };
      case 'value_int':
        return { ...base, dims: [], dataType: DataType.INT64, int64Data: [a.i] };
      case 'value_ints':
        return { ...base, dims: [a.ints.length], dataType: DataType.INT64, int64Data: a.ints };
      default:
        throw new OnnxImportError(`${label(n)} holds a ${a.name}, which an MLP does not use`);
    }
  }

  private constant(name: string, node: OnnxNode, what: string): OnnxTensor {
    const t = this.constants.get(name);
    if (!t) throw new OnnxImportError(`${label(node)}: ${what} ${JSON.stringify(name)} is computed in the graph, not a stored constant`);
    return t;
  }

  private matrix(name: string, node: OnnxNode, what: string): { values: Float64Array; rows: number; cols: number } {
    // A weight stored [out, in] and transposed in the graph (MatMul(x, Transpose(W)), as some exporters write a Linear).
    const transpose = this.constants.has(name) ? undefined : this.producer(name);
    if (transpose?.opType === 'Transpose') {
      const perm = transpose.attributes.find((a) => a.name === 'perm')?.ints ?? [1, 0];
      const inner = this.matrix(transpose.inputs[0], transpose, what);
      if (perm.length !== 2 || perm[0] !== 1 || perm[1] !== 0) throw new OnnxImportError(`${label(transpose)} permutes the axes as [${perm.join(', ')}]; a weight matrix is transposed as [1, 0]`);
      const values = new Float64Array(inner.values.length);
      for (let i = 0; i < inner.rows; i++) for (let j = 0; j < inner.cols; j++) values[j * inner.rows + i] = inner.values[i * inner.cols + j];
      this.used.add(transpose);
      return { values, rows: inner.cols, cols: inner.rows };
    }
    const t = this.constant(name, node, what);
    if (t.dims.length !== 2) throw new OnnxImportError(`${label(node)}: ${what} ${JSON.stringify(name)} has ${t.dims.length} dimensions, not 2`);
    return { values: this.values(t), rows: t.dims[0], cols: t.dims[1] };
  }

  private vector(name: string, node: OnnxNode, what: string): number[] {
    const t = this.constant(name, node, what);
    if (t.dims.length > 2 || (t.dims.length === 2 && t.dims[0] !== 1)) throw new OnnxImportError(`${label(node)}: ${what} ${JSON.stringify(name)} has shape [${t.dims.join(', ')}], not one row`);
    return Array.from(this.values(t));
  }

  private ints(name: string, node: OnnxNode, what: string): number[] {
    const t = this.constant(name, node, what);
    if (t.dataType !== DataType.INT64 && t.dataType !== DataType.INT32) throw new OnnxImportError(`${label(node)}: ${what} holds ${dataTypeName(t.dataType)}, not integers`);
    if (t.external) return this.decode(t, this.externalBytes(t));
    if (t.rawData) return this.decode(t, t.rawData);
    return [...(t.dataType === DataType.INT64 ? t.int64Data : t.int32Data)];
  }

  private decode(t: OnnxTensor, raw: Uint8Array): number[] {
    const size = t.dataType === DataType.INT64 ? 8 : 4;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    for (let i = 0; i + size <= raw.length; i += size) out.push(size === 8 ? Number(view.getBigInt64(i, true)) : view.getInt32(i, true));
    return out;
  }

  /** A float32 or float64 tensor's values as float64 (exact), checked against its dims. */
  private values(t: OnnxTensor): Float64Array {
    if (t.dataType !== DataType.FLOAT && t.dataType !== DataType.DOUBLE) {
      throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} holds ${dataTypeName(t.dataType)}; MLP Inspector reads float32 and float64 weights`);
    }
    this.weightTypes.add(t.dataType);
    const count = t.dims.reduce((p, d) => p * d, 1);
    if (t.dims.some((d) => d < 0) || count > MAX_TENSOR_VALUES) throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} has shape [${t.dims.join(', ')}], which is not a size MLP Inspector takes`);
    const size = t.dataType === DataType.FLOAT ? 4 : 8;
    const raw = t.external ? this.externalBytes(t) : t.rawData;
    if (raw) {
      if (raw.length !== count * size) throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} has shape [${t.dims.join(', ')}] (${count} values) but ${raw.length} bytes of data, not ${count * size}`, t.offset);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
      return finite(t, out);
    }
    const list = size === 4 ? t.floatData : t.doubleData;
    if (list.length !== count) throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} has shape [${t.dims.join(', ')}] (${count} values) but holds ${list.length}`, t.offset);
    return finite(t, Float64Array.from(list));
  }

  private externalBytes(t: OnnxTensor): Uint8Array {
    const location = t.external?.get('location');
    if (!location) throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} is stored outside the model but names no file (external_data "location")`, t.offset);
    if (location.startsWith('/') || location.includes('\\') || /^[A-Za-z]:/.test(location) || location.split('/').some((p) => p === '..')) {
      throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} is stored in ${JSON.stringify(location)}, outside the model's folder; external data must be a file beside the model or below it`, t.offset);
    }
    const offset = Number(t.external?.get('offset') ?? '0');
    const lengthText = t.external?.get('length');
    const length = lengthText === undefined ? undefined : Number(lengthText);
    if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
      throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} has an invalid external offset or length`, t.offset);
    }
    try {
      return this.readExternal(location, offset, length);
    } catch (err) {
      throw new OnnxImportError(`the tensor ${JSON.stringify(t.name)} is stored in ${JSON.stringify(location)}, which cannot be read: ${(err as Error).message}`, t.offset);
    }
  }

  /** Names from metadata (a JSON array of strings, or comma-separated), if there are `n` (or `alt`). */
  private names(text: string | undefined, n: number, alt?: number): string[] | undefined {
    if (text === undefined) return undefined;
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      list = text.split(',').map((s) => s.trim());
    }
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s !== '')) return undefined;
    return list.length === n || list.length === alt ? (list as string[]) : undefined;
  }
}
