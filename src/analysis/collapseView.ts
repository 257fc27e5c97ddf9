/**
 * The activation lab's "why linear activations collapse": the open model's weight matrices and
 * their product, checked against the network itself run with every σ replaced by the identity.
 * No `vscode` import.
 */
import { checkCollapse, collapseLinear } from './linearCollapse';
import { zeros, type Matrix } from '../engine/matrix';
import { Random } from '../engine/random';
import type { ModelFile } from '../model/modelFile';
import { networkFromModel } from '../model/modelNetwork';
import type { CollapseView, LabMatrix } from '../labs/labProtocol';

/** At most this many rows of the training data are used for the check. */
const CHECK_ROWS = 256;

const plain = (m: Matrix): LabMatrix => ({ rows: m.rows, cols: m.cols, data: m.data.slice() });

/**
 * The collapse view of `model` (its parameters, or its initialization when it has none). The
 * check runs on up to 256 rows of the training inputs when given, else
 * on 64 rows drawn from N(0, 1).
 */
export function collapseView(model: ModelFile, fileName: string, train?: { readonly rows: number; readonly x: Float64Array }): CollapseView {
  const net = networkFromModel(model);
  const nIn = net.sizes[0];
  let inputs: Matrix;
  let inputSource: string;
  if (train && train.rows > 0) {
    const rows = Math.min(CHECK_ROWS, train.rows);
    inputs = { rows, cols: nIn, data: train.x.slice(0, rows * nIn) };
    inputSource = rows < train.rows ? `the first ${rows} training rows` : `the ${rows} training row${rows === 1 ? '' : 's'}`;
  } else {
    const rng = new Random(7);
    inputs = zeros(64, nIn);
    for (let i = 0; i < inputs.data.length; i++) inputs.data[i] = rng.normal();
    inputSource = '64 inputs drawn from N(0, 1)';
  }
  const layer = collapseLinear(net);
  const check = checkCollapse(net, inputs, { tolerance: 1e-9 });
  return {
    model: model.name ?? fileName.replace(/\.mlp\.json$/, ''),
    fileName,
    sizes: [...net.sizes],
    layers: net.layers.map((l) => ({ activation: l.activationName, W: plain(l.W), b: l.b.slice() })),
    W: plain(layer.W),
    b: layer.b.slice(),
    nonLinearLayers: layer.nonLinearLayers,
    bottleneck: layer.bottleneck,
    rank: layer.rank,
    check: { inputs: inputs.rows, inputSource, maxAbsDifference: check.maxAbsDifference, equal: check.equal },
  };
}
