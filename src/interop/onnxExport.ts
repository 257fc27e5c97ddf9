/**
 * A portable model as an ONNX model (opset 17, IR version 8, float32): a graph from the raw
 * features to the model's output, so that ONNX Runtime (or anything that runs ONNX) gives what
 * `mlp-inspector forward` gives for the same raw input.
 *
 *   input [batch, raw inputs]
 *   → engineered inputs: Gather each column used, Mul (x1², x1·x2) or Sin, Concat after the input
 *   → normalization: Sub offset, Div scale (kept as two nodes, not folded into the first layer,
 *     so the division is the one training did and the import gives the normalization back)
 *   → per layer: Gemm (W[l] as stored, n_{l−1} × n_l, so transB = 0) and its activation
 *     (GELU as x · ½ · (1 + erf(x / √2)), since the Gelu operator needs opset 20)
 *   → output [batch, outputs]
 *
 * Opset 17 and IR version 8 are what PyTorch's exporter writes by default and what older
 * runtimes and checkers (onnx 1.12 and later) accept.
 */
import { encodeModel, type NodeToWrite, type TensorToWrite } from './onnxProto';
import { METADATA } from './onnxMetadata';
import type { PortableModel } from './portableModel';

export const EXPORT_OPSET = 17;
export const EXPORT_IR_VERSION = 8;

/** The graph input's and output's names. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

export interface OnnxExportOptions {
  readonly producerVersion: string;
  /** JSON for `mlp_inspector.training` (the model file's data, optimizer and description). */
  readonly training?: string;
}

/** The ONNX bytes of a portable model. */
export function exportOnnx(m: PortableModel, options: OnnxExportOptions): Uint8Array {
  const nodes: NodeToWrite[] = [];
  const initializers: TensorToWrite[] = [];
  const nRaw = m.inputNames.length;
  let cur = ONNX_INPUT;

  if (m.engineered.length > 0) {
    const columns = new Map<number, string>();
    const column = (k: number): string => {
      let name = columns.get(k);
      if (name === undefined) {
        name = `engineered/column${k}`;
        initializers.push({ name: `${name}/index`, dims: [1], int64: [k] });
        nodes.push({ name: `${name}/Gather`, opType: 'Gather', inputs: [ONNX_INPUT, `${name}/index`], outputs: [name], attributes: [{ name: 'axis', i: 1 }] });
        columns.set(k, name);
      }
      return name;
    };
    const features = m.engineered.map((f, e) => {
      const out = `engineered/feature${e}`;
      if (f.kind === 'sin') nodes.push({ name: `${out}/Sin`, opType: 'Sin', inputs: [column(f.at[0])], outputs: [out] });
      else nodes.push({ name: `${out}/Mul`, opType: 'Mul', inputs: [column(f.at[0]), column(f.kind === 'square' ? f.at[0] : f.at[1])], outputs: [out] });
      return out;
    });
    nodes.push({ name: 'engineered/Concat', opType: 'Concat', inputs: [ONNX_INPUT, ...features], outputs: ['engineered'], attributes: [{ name: 'axis', i: 1 }] });
    cur = 'engineered';
  }

  if (m.normalization) {
    const n0 = m.normalization.offset.length;
    initializers.push({ name: 'normalization/offset', dims: [n0], float32: m.normalization.offset });
    initializers.push({ name: 'normalization/scale', dims: [n0], float32: m.normalization.scale });
    nodes.push({ name: 'normalization/Sub', opType: 'Sub', inputs: [cur, 'normalization/offset'], outputs: ['normalization/centred'] });
    nodes.push({ name: 'normalization/Div', opType: 'Div', inputs: ['normalization/centred', 'normalization/scale'], outputs: ['a0'] });
    cur = 'a0';
  }

  m.layers.forEach((layer, k) => {
    const l = k + 1;
    const last = l === m.layers.length;
    const a = last ? ONNX_OUTPUT : `a${l}`;
    const z = layer.activation === 'identity' ? a : `z${l}`;
    initializers.push({ name: `W${l}`, dims: [layer.nIn, layer.nOut], float32: layer.W });
    initializers.push({ name: `b${l}`, dims: [layer.nOut], float32: layer.b });
    nodes.push({ name: `layer${l}/Gemm`, opType: 'Gemm', inputs: [cur, `W${l}`, `b${l}`], outputs: [z] });
    const act = (opType: string, attributes: NodeToWrite['attributes'] = []) => nodes.push({ name: `layer${l}/${opType}`, opType, inputs: [z], outputs: [a], attributes });
    switch (layer.activation) {
      case 'identity':
        break;
      case 'relu':
        act('Relu');
        break;
      case 'tanh':
        act('Tanh');
        break;
      case 'sigmoid':
        act('Sigmoid');
        break;
      case 'softmax':
        act('Softmax', [{ name: 'axis', i: -1 }]);
        break;
      case 'leaky_relu':
        act('LeakyRelu', [{ name: 'alpha', f: 0.01 }]);
        break;
      case 'elu':
        act('Elu', [{ name: 'alpha', f: layer.alpha ?? 1 }]);
        break;
      case 'gelu': {
        const p = `layer${l}/gelu`;
        initializers.push({ name: `${p}/sqrt2`, dims: [], float32: [Math.SQRT2] }, { name: `${p}/one`, dims: [], float32: [1] }, { name: `${p}/half`, dims: [], float32: [0.5] });
        nodes.push(
          { name: `${p}/Div`, opType: 'Div', inputs: [z, `${p}/sqrt2`], outputs: [`${p}/scaled`] },
          { name: `${p}/Erf`, opType: 'Erf', inputs: [`${p}/scaled`], outputs: [`${p}/erf`] },
          { name: `${p}/Add`, opType: 'Add', inputs: [`${p}/erf`, `${p}/one`], outputs: [`${p}/onePlusErf`] },
          { name: `${p}/Mul`, opType: 'Mul', inputs: [z, `${p}/onePlusErf`], outputs: [`${p}/product`] },
          { name: `${p}/Half`, opType: 'Mul', inputs: [`${p}/product`, `${p}/half`], outputs: [a] },
        );
        break;
      }
    }
    cur = a;
  });

  const nL = m.layers[m.layers.length - 1].nOut;
  const metadata: [string, string][] = [[METADATA.featureNames, JSON.stringify(m.inputNames)]];
  if (m.classes) metadata.push([METADATA.classNames, JSON.stringify(m.classes)]);
  if (m.outputNames) metadata.push([METADATA.outputNames, JSON.stringify(m.outputNames)]);
  metadata.push([METADATA.loss, m.loss]);
  if (options.training) metadata.push([METADATA.training, options.training]);
  const sizes = [m.layers[0].nIn, ...m.layers.map((l) => l.nOut)];
  const what = m.layers[m.layers.length - 1].activation === 'softmax' ? 'class probabilities' : 'outputs';
  return encodeModel({
    irVersion: EXPORT_IR_VERSION,
    opset: EXPORT_OPSET,
    producerName: 'mlp-inspector',
    producerVersion: options.producerVersion,
    docString: `MLP ${sizes.join('-')} exported by MLP Inspector: raw features [batch, ${nRaw}] (${m.inputNames.join(', ')}) in, ${what} [batch, ${nL}] out.`,
    graphName: m.name ?? 'mlp',
    nodes,
    initializers,
    inputs: [{ name: ONNX_INPUT, shape: ['batch', nRaw], doc: `raw features: ${m.inputNames.join(', ')}` }],
    outputs: [{ name: ONNX_OUTPUT, shape: ['batch', nL], doc: m.classes ? `probabilities of ${m.classes.join(', ')}` : 'the output layer a[L]' }],
    metadata,
  });
}
