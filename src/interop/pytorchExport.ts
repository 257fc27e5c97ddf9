/**
 * The PyTorch export (issue #12): `model.py` and `model.safetensors`.
 *
 * model.py builds an idiomatic `nn.Sequential`: an `EngineeredFeatures` module when the model has
 * engineered inputs, a `Standardize` module (its saved normalization as buffers) when it has one,
 * then `nn.Linear` and activation modules, so `load()(raw_x)` is our `forward`. The weights go to
 * model.safetensors under the Sequential's own state_dict keys (`2.weight` as [out, in], i.e. our
 * W transposed, `2.bias`, `1.offset`, …), in float32, and `load()` reads them with a strict
 * `load_state_dict`. It also writes `loss_function`, `make_optimizer` and `train`, which continue
 * training with our loss (its exact scaling) and optimizer (its exact update and defaults).
 *
 * Pure: it returns the files' bytes; the caller writes them.
 */
import type { ActivationName } from '../engine/activations';
import { resolveOptimizerSpec } from '../engine/optimizers';
import type { PortableModel } from './portableModel';
import { pyFloat, pyStr } from './pythonLiteral';
import { writeSafetensors, type TensorToWrite } from './safetensors';

export interface ExportedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The file names the export writes. */
export const PYTORCH_FILES = { code: 'model.py', weights: 'model.safetensors' } as const;

/** The PyTorch export of `m`: model.py and model.safetensors. */
export function pytorchExport(m: PortableModel): { files: ExportedFile[] } {
  const { modules, tensors } = sequentialOf(m);
  const weights = writeSafetensors(tensors, { format: 'pt', producer: 'MLP Inspector' });
  const code = modelPy(m, modules);
  return {
    files: [
      { name: PYTORCH_FILES.code, bytes: new TextEncoder().encode(code) },
      { name: PYTORCH_FILES.weights, bytes: weights },
    ],
  };
}

/** The Sequential's modules as Python expressions, and its state_dict as tensors. */
function sequentialOf(m: PortableModel): { modules: string[]; tensors: TensorToWrite[] } {
  const modules: string[] = [];
  const tensors: TensorToWrite[] = [];
  const nRaw = m.inputNames.length;
  const n0 = nRaw + m.engineered.length;
  if (m.engineered.length > 0) {
    const spec = m.engineered.map((f) => `(${pyStr(f.kind)}, ${f.at[0]}, ${f.at[f.kind === 'product' ? 1 : 0]})`);
    modules.push(`EngineeredFeatures([${spec.join(', ')}])`);
  }
  if (m.normalization) {
    const k = modules.length;
    tensors.push({ name: `${k}.offset`, shape: [n0], data: m.normalization.offset }, { name: `${k}.scale`, shape: [n0], data: m.normalization.scale });
    modules.push(`Standardize(${n0})`);
  }
  for (const layer of m.layers) {
    const k = modules.length;
    const Wt = new Float64Array(layer.nIn * layer.nOut);
    for (let i = 0; i < layer.nIn; i++) for (let j = 0; j < layer.nOut; j++) Wt[j * layer.nIn + i] = layer.W[i * layer.nOut + j];
    tensors.push({ name: `${k}.weight`, shape: [layer.nOut, layer.nIn], data: Wt }, { name: `${k}.bias`, shape: [layer.nOut], data: layer.b });
    modules.push(`nn.Linear(${layer.nIn}, ${layer.nOut})`);
    const act = activationModule(layer.activation, layer.alpha);
    if (act) modules.push(act);
  }
  return { modules, tensors };
}

/** The torch.nn module of an activation; undefined for identity (a bare nn.Linear). */
function activationModule(name: ActivationName, alpha: number | undefined): string | undefined {
  switch (name) {
    case 'identity':
      return undefined;
    case 'relu':
      return 'nn.ReLU()';
    case 'elu':
      return `nn.ELU(alpha=${pyFloat(alpha ?? 1)})`;
    case 'leaky_relu':
      return 'nn.LeakyReLU(0.01)';
    case 'tanh':
      return 'nn.Tanh()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'gelu':
      return 'nn.GELU()';
    case 'softmax':
      return 'nn.Softmax(dim=-1)';
    default: {
      const never: never = name;
      throw new Error(`unknown activation "${String(never)}"`);
    }
  }
}

function pyList(items: readonly string[]): string {
  return `[${items.map(pyStr).join(', ')}]`;
}

/** What the output is, for the docstring (names as Python literals). */
function outputDoc(m: PortableModel, nOut: number): string {
  const last = m.layers[m.layers.length - 1].activation;
  const listed = (names: readonly string[] | undefined) =>
    names && names.length === nOut ? `, one column per ${last === 'softmax' || last === 'sigmoid' ? 'class' : 'output'}:\n${names.map((n, k) => `    ${k}: ${pyStr(n)}`).join('\n')}` : '.';
  if (last === 'softmax') return `class probabilities (softmax) [batch, ${nOut}]${listed(m.classes)}`;
  if (last === 'sigmoid' && m.classes?.length === 1 && nOut === 1) return `the probability (sigmoid) [batch, 1] of the class ${pyStr(m.classes[0])}.`;
  if (last === 'sigmoid') return `probabilities (sigmoid) [batch, ${nOut}]${listed(m.classes ?? m.outputNames)}`;
  return `the outputs [batch, ${nOut}] (${last})${listed(m.outputNames ?? m.classes)}`;
}

/** The body of `loss_function`: our loss, scaled as ours is (src/engine/losses.ts). */
function lossCode(m: PortableModel, nOut: number): string[] {
  const last = m.layers[m.layers.length - 1].activation;
  if (last === 'softmax' && m.loss === 'cross_entropy') {
    return [
      '    # nn.CrossEntropyLoss takes logits: train the Sequential without its final Softmax.',
      '    # Its mean over the batch is ours, J = -(1/m) sum_samples sum_k y_k log p_k.',
      '    logits = model[:-1]',
      '    ce = nn.CrossEntropyLoss()',
      '',
      '    def loss(x, y):',
      '        # y: class indices [batch] (integers) or one-hot rows / probabilities [batch, n_classes]',
      '        return ce(logits(x), y if torch.is_floating_point(y) else y.long())',
    ];
  }
  if (last === 'sigmoid' && m.loss === 'binary_cross_entropy') {
    return [
      '    # nn.BCEWithLogitsLoss takes logits: train the Sequential without its final Sigmoid.',
      '    # Its mean over batch and outputs is ours, J = -(1/(m n)) sum [y log p + (1 - y) log(1 - p)].',
      '    logits = model[:-1]',
      '    bce = nn.BCEWithLogitsLoss()',
      '',
      '    def loss(x, y):',
      `        return bce(logits(x), y.to(torch.float32).reshape(-1, ${nOut}))`,
    ];
  }
  switch (m.loss) {
    case 'sse':
      return [
        "    # Our sse is J = 1/2 sum over the batch and the outputs of (y - y_hat)^2: a sum, not a mean.",
        '    sse = nn.MSELoss(reduction="sum")',
        '',
        '    def loss(x, y):',
        `        return sse(model(x), y.to(torch.float32).reshape(-1, ${nOut})) / 2`,
      ];
    case 'mse':
      return [
        '    # Our mse is J = (1/(m n)) sum (y - y_hat)^2: the mean over batch and outputs, as nn.MSELoss.',
        '    mse = nn.MSELoss()',
        '',
        '    def loss(x, y):',
        `        return mse(model(x), y.to(torch.float32).reshape(-1, ${nOut}))`,
      ];
    case 'cross_entropy':
      return [
        '    # Our cross_entropy on outputs that are not a softmax: J = -(1/m) sum y log y_hat,',
        '    # y_hat kept at least 1e-15 inside the logarithm.',
        '    def loss(x, y):',
        `        y = y.to(torch.float32) if torch.is_floating_point(y) else nn.functional.one_hot(y.long(), ${nOut}).to(torch.float32)`,
        '        return -(y * torch.log(model(x).clamp(min=1e-15))).sum() / x.shape[0]',
      ];
    case 'binary_cross_entropy':
      return [
        '    # Our binary_cross_entropy on outputs that are not a sigmoid: the mean over batch and',
        '    # outputs, as nn.BCELoss (which bounds log at -100 where we keep y_hat 1e-15 from 0 and 1).',
        '    bce = nn.BCELoss()',
        '',
        '    def loss(x, y):',
        `        return bce(model(x), y.to(torch.float32).reshape(-1, ${nOut}))`,
      ];
    default: {
      const never: never = m.loss;
      throw new Error(`unknown loss "${String(never)}"`);
    }
  }
}

/** The body of `make_optimizer`: ours (src/engine/optimizers.ts), defaults filled in. */
function optimizerCode(m: PortableModel): string[] {
  const o = resolveOptimizerSpec(m.optimizer ?? {});
  const groups = [
    '    # L2 weight decay on the weights only, added to the gradient (coupled, not AdamW): as ours.',
    '    weights = [p for name, p in model.named_parameters() if name.endswith(".weight")]',
    '    biases = [p for name, p in model.named_parameters() if name.endswith(".bias")]',
    `    groups = [{"params": weights, "weight_decay": ${pyFloat(o.weightDecay)}}, {"params": biases, "weight_decay": 0.0}]`,
  ];
  if (o.type === 'sgd') {
    return [
      ...groups,
      "    # PyTorch's momentum (v = mu v + g, w -= lr v) is ours (v = mu v - lr g, w += v) scaled by -lr:",
      '    # the same steps for a fixed learning rate.',
      `    return torch.optim.SGD(groups, lr=${pyFloat(o.learningRate)}, momentum=${pyFloat(o.momentum)})`,
    ];
  }
  return [...groups, `    return torch.optim.Adam(groups, lr=${pyFloat(o.learningRate)}, betas=(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)}), eps=${pyFloat(o.epsilon)})`];
}

function modelPy(m: PortableModel, modules: readonly string[]): string {
  const nRaw = m.inputNames.length;
  const last = m.layers[m.layers.length - 1];
  const nOut = last.nOut;
  const sizes = [m.layers[0].nIn, ...m.layers.map((l) => l.nOut)].join('-');
  const o = m.optimizer ?? {};
  const epochs = o.epochs ?? 100;
  const batchSize = o.batchSize ?? 0;
  const shuffle = o.shuffle ?? true;
  const title = m.name !== undefined ? `The model ${pyStr(m.name)}` : 'A model';
  const inside = [
    m.engineered.length > 0 ? `the engineered features ${m.engineered.map((f) => pyStr(f.name)).join(', ')} (computed from the raw inputs)` : undefined,
    m.normalization ? 'the saved normalization (u - offset) / scale' : undefined,
    `the ${sizes} layers`,
  ].filter((s) => s !== undefined);
  const y = m.loss === 'cross_entropy' ? 'y: class indices [batch] or one-hot rows' : `y: float32 [batch, ${nOut}]`;
  const lines = [
    `r"""${title}, exported from MLP Inspector to PyTorch.`,
    '',
    'load() returns a torch.nn.Module in eval mode with the trained weights (model.safetensors,',
    `beside this file). It takes raw features as a float32 tensor [batch, ${nRaw}], the columns`,
    'in this order:',
    ...m.inputNames.map((n, k) => `    ${k}: ${pyStr(n)}`),
    `and returns ${outputDoc(m, nOut)}`,
    '',
    `Inside, an nn.Sequential: ${inside.join(', then ')}.`,
    'train(model, x, y) continues training with the loss and optimizer settings of MLP Inspector.',
    '"""',
    'import json',
    'import os',
    '',
    'import torch',
    'from torch import nn',
    '',
    `INPUT_NAMES = ${pyList(m.inputNames)}`,
    ...(m.classes ? [`CLASSES = ${pyList(m.classes)}`] : []),
    ...(m.outputNames ? [`OUTPUT_NAMES = ${pyList(m.outputNames)}`] : []),
    `LOSS = ${pyStr(m.loss)}`,
    '',
    '',
    'class EngineeredFeatures(nn.Module):',
    '    """Appends features computed from the raw inputs: ("square", i, i) is x_i^2,',
    '    ("product", i, j) is x_i * x_j, ("sin", i, i) is sin(x_i)."""',
    '',
    '    def __init__(self, features):',
    '        super().__init__()',
    '        self.features = list(features)',
    '',
    '    def forward(self, x):',
    '        extra = []',
    '        for kind, i, j in self.features:',
    '            if kind == "sin":',
    '                extra.append(torch.sin(x[:, i]))',
    '            else:',
    '                extra.append(x[:, i] * x[:, j])',
    '        return torch.cat([x, torch.stack(extra, dim=1)], dim=1)',
    '',
    '',
    'class Standardize(nn.Module):',
    '    """The normalization saved with the model: (u - offset) / scale, per input unit."""',
    '',
    '    def __init__(self, n):',
    '        super().__init__()',
    '        self.register_buffer("offset", torch.zeros(n))',
    '        self.register_buffer("scale", torch.ones(n))',
    '',
    '    def forward(self, u):',
    '        return (u - self.offset) / self.scale',
    '',
    '    def extra_repr(self):',
    '        return "%d" % self.offset.numel()',
    '',
    '',
    'def build():',
    '    """The untrained Sequential (load() fills in the weights)."""',
    '    return nn.Sequential(',
    ...modules.map((s) => `        ${s},`),
    '    )',
    '',
    '',
    'def read_safetensors(path):',
    '    """The tensors of a safetensors file: with the safetensors package when it is installed,',
    '    otherwise read here (JSON header, then little-endian float32 data), with PyTorch alone."""',
    '    try:',
    '        from safetensors.torch import load_file',
    '    except ImportError:',
    '        pass',
    '    else:',
    '        return load_file(path)',
    '    with open(path, "rb") as f:',
    '        data = f.read()',
    '    n = int.from_bytes(data[:8], "little")',
    '    header = json.loads(data[8:8 + n])',
    '    header.pop("__metadata__", None)',
    '    tensors = {}',
    '    for name, info in header.items():',
    '        if info["dtype"] != "F32":',
    '            raise ValueError("%s: %s is %s, expected F32" % (path, name, info["dtype"]))',
    '        begin, end = info["data_offsets"]',
    '        values = torch.frombuffer(bytearray(data[8 + n + begin:8 + n + end]), dtype=torch.float32)',
    '        tensors[name] = values.reshape(info["shape"])',
    '    return tensors',
    '',
    '',
    'def load(path=None):',
    '    """The model in eval mode with its trained weights, from model.safetensors beside this file',
    '    unless `path` names another."""',
    '    if path is None:',
    `        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pyStr(PYTORCH_FILES.weights)})`,
    '    model = build()',
    '    model.load_state_dict(read_safetensors(path))',
    '    return model.eval()',
    '',
    '',
    'def loss_function(model):',
    `    """Our loss (${m.loss}) for a model built here, as a function (x, y) -> scalar tensor."""`,
    ...lossCode(m, nOut),
    '',
    '    return loss',
    '',
    '',
    'def make_optimizer(model):',
    '    """Our optimizer with the model\'s settings."""',
    ...optimizerCode(m),
    '',
    '',
    `def train(model, x, y, epochs=${epochs}, batch_size=${batchSize}, shuffle=${shuffle ? 'True' : 'False'}, optimizer=None):`,
    '    """Continues training as MLP Inspector does: mini-batches of batch_size rows (0: the whole',
    '    set, a shorter last batch kept), reshuffled every epoch when shuffle, one optimizer step per',
    `    batch. x: float32 [batch, ${nRaw}] raw features; ${y}.`,
    '    Returns each epoch\'s mean batch loss (each taken before its step); leaves the model in eval mode."""',
    '    x = torch.as_tensor(x, dtype=torch.float32)',
    '    y = torch.as_tensor(y)',
    '    loss_of = loss_function(model)',
    '    optimizer = optimizer or make_optimizer(model)',
    '    n = x.shape[0]',
    '    size = batch_size if 0 < batch_size < n else n',
    '    history = []',
    '    model.train()',
    '    for _ in range(epochs):',
    '        order = torch.randperm(n) if shuffle else torch.arange(n)',
    '        total, batches = 0.0, 0',
    '        for start in range(0, n, size):',
    '            rows = order[start:start + size]',
    '            optimizer.zero_grad()',
    '            loss = loss_of(x[rows], y[rows])',
    '            loss.backward()',
    '            optimizer.step()',
    '            total, batches = total + loss.item(), batches + 1',
    '        history.append(total / batches)',
    '    model.eval()',
    '    return history',
    '',
    '',
    'if __name__ == "__main__":',
    '    net = load()',
    '    print(net)',
    '    with torch.no_grad():',
    `        print(net(torch.zeros(1, ${nRaw})))`,
    `    # To continue training on your data (x: float32 [batch, ${nRaw}]; ${y}):`,
    '    #     history = train(net, x, y)',
    '    #     torch.save(net.state_dict(), "model.pt")',
    '',
  ];
  return lines.join('\n');
}
