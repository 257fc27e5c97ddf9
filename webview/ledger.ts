/**
 * The ledger: for one layer, the vectors and matrices of the step just taken, each beside the
 * formula that produced it, in the lecture's notation, with the engine's float64 numbers (shown
 * rounded; the exact value is in each number's `data-value` and tooltip). For a selected neuron
 * it also writes out z_j = b_j + Σ_i W_ij a_i term by term, and in backward the chain rule for
 * dL/dz_j.
 */
import type { LayerSnapshot, SteppingView } from '../src/training/workerProtocol';
import { el, fmt } from './format';

/** A number as the ledger shows it: rounded text, the exact float64 in data-value and title. */
export function num(v: number, digits = 6): HTMLElement {
  const s = el('span', 'num', fmt(v, digits));
  s.dataset.value = String(v);
  s.title = String(v);
  return s;
}

function vector(values: ArrayLike<number>, name: string): HTMLElement {
  const v = el('span', 'vector');
  v.dataset.name = name;
  v.append('(');
  for (let i = 0; i < values.length; i++) {
    if (i > 0) v.append(', ');
    v.append(num(values[i]));
  }
  v.append(')');
  return v;
}

const MAX_ROWS = 12;
const MAX_COLS = 12;

function matrix(values: ArrayLike<number>, rows: number, cols: number, name: string): HTMLElement {
  const t = el('table', 'matrix');
  t.dataset.name = name;
  for (let i = 0; i < Math.min(rows, MAX_ROWS); i++) {
    const tr = el('tr');
    for (let j = 0; j < Math.min(cols, MAX_COLS); j++) {
      const td = el('td');
      td.append(num(values[i * cols + j], 5));
      tr.append(td);
    }
    if (cols > MAX_COLS) tr.append(el('td', 'more', `… ${cols - MAX_COLS} more`));
    t.append(tr);
  }
  if (rows > MAX_ROWS) {
    const tr = el('tr');
    tr.append(el('td', 'more', `… ${rows - MAX_ROWS} more rows`));
    t.append(tr);
  }
  return t;
}

/** One ledger line: the formula, then its value. */
function line(formula: string, value: HTMLElement, id: string): HTMLElement {
  const row = el('div', 'ledger-row');
  row.dataset.quantity = id;
  row.append(el('span', 'formula', formula), el('span', 'equals', ' = '), value);
  return row;
}

export interface LedgerInput {
  readonly stepping: SteppingView;
  /** The layer to show (1..L). */
  readonly layer: number;
  /** The network's layers as the training snapshot has them (parameters in the worker). */
  readonly layers: readonly LayerSnapshot[];
  readonly lossName: string;
  /** A neuron j of `layer` to write out term by term. */
  readonly neuron?: number;
}

export function renderLedger(input: LedgerInput): HTMLElement {
  const { stepping: s, layer: l, layers } = input;
  const L = layers.length;
  const box = el('div', 'ledger');
  const spec = layers[l - 1];
  if (!spec) return box;
  const nIn = spec.nIn;
  const nOut = spec.nOut;
  const act = spec.activation;
  // The W and b the passes on screen were computed with (before the update, once one is
  // applied), as the worker sent them with the passes: never the snapshot's newer ones.
  const W = s.W[l - 1];
  const b = s.b[l - 1];

  if (l <= s.forwardLayer) {
    const f = el('section', 'ledger-block');
    f.dataset.block = 'forward';
    f.append(el('h3', undefined, `Forward, layer ${l} (${act})`));
    f.append(
      line(`a[${l - 1}]${l === 1 ? ' = x' : ''}`, vector(s.a[l - 1], `a${l - 1}`), `a${l - 1}`),
      line(`W[${l}]  (${nIn} × ${nOut})`, matrix(W, nIn, nOut, `W${l}`), `W${l}`),
      line(`b[${l}]`, vector(b, `b${l}`), `b${l}`),
      line(`z[${l}] = b[${l}] + W[${l}]ᵀ a[${l - 1}]`, vector(s.z[l], `z${l}`), `z${l}`),
      line(`a[${l}] = ${act}(z[${l}])${l === L ? ' = ŷ' : ''}`, vector(s.a[l], `a${l}`), `a${l}`),
    );
    if (l === L && s.loss !== undefined) {
      f.append(line(`J(ŷ, y), ${input.lossName}, y = (${Array.from(s.y, (v) => fmt(v)).join(', ')})`, num(s.loss, 8), 'J'));
    }
    box.append(f);
  }

  if (l >= s.backwardLayer && s.backwardLayer <= L) {
    const g = el('section', 'ledger-block');
    g.dataset.block = 'backward';
    g.append(el('h3', undefined, `Backward, layer ${l}`));
    const chain = act === 'softmax' ? `J_softmax(z[${l}])ᵀ dL/da[${l}]` : `dL/da[${l}] ⊙ ${act}′(z[${l}])`;
    g.append(
      line(l === L ? `dL/da[${l}] = ∂J/∂ŷ` : `dL/da[${l}] = W[${l + 1}] dL/dz[${l + 1}]`, vector(s.dLda[l], `dLda${l}`), `dLda${l}`),
      line(l === L && s.fused ? `dL/dz[${l}] (fused ${s.fused})` : `dL/dz[${l}] = ${chain}`, vector(s.dLdz[l], `dLdz${l}`), `dLdz${l}`),
      line(`dL/dW[${l}] = a[${l - 1}] (dL/dz[${l}])ᵀ`, matrix(s.dLdW[l], nIn, nOut, `dLdW${l}`), `dLdW${l}`),
      line(`dL/db[${l}] = dL/dz[${l}]`, vector(s.dLdb[l], `dLdb${l}`), `dLdb${l}`),
      line(`dL/da[${l - 1}] = W[${l}] dL/dz[${l}]`, vector(s.dLda[l - 1], `dLda${l - 1}`), `dLda${l - 1}`),
    );
    box.append(g);
  }

  if (s.phase === 'updated' && s.update) {
    const u = s.update.layers[l - 1];
    const k = el('section', 'ledger-block');
    k.dataset.block = 'update';
    k.append(el('h3', undefined, `Update, layer ${l} (η = ${fmt(s.update.learningRate)})`));
    k.append(
      line(`W[${l}] before`, matrix(u.Wbefore, nIn, nOut, `Wbefore${l}`), `Wbefore${l}`),
      line(`ΔW[${l}] = −η ∇J (the optimizer's step)`, matrix(u.dW, nIn, nOut, `dW${l}`), `dW${l}`),
      line(`W[${l}] after = W + ΔW`, matrix(u.Wafter, nIn, nOut, `Wafter${l}`), `Wafter${l}`),
      line(`b[${l}] before → after`, vector(u.bBefore, `bBefore${l}`), `bBefore${l}`),
      line(`Δb[${l}]`, vector(u.db, `db${l}`), `db${l}`),
      line(`b[${l}] after`, vector(u.bAfter, `bAfter${l}`), `bAfter${l}`),
    );
    box.append(k);
  }

  const j = input.neuron;
  if (j !== undefined && j < nOut && l <= s.forwardLayer) box.append(neuronLines(input, W, b, j));
  if (box.childElementCount === 0) box.append(el('p', 'hint', `Layer ${l} has not been computed yet: step forward.`));
  return box;
}

/** z_j term by term, and (in backward) dL/dz_j by the chain rule. */
function neuronLines(input: LedgerInput, W: ArrayLike<number>, b: ArrayLike<number>, j: number): HTMLElement {
  const { stepping: s, layer: l, layers } = input;
  const spec = layers[l - 1];
  const nOut = spec.nOut;
  const sec = el('section', 'ledger-block neuron-line');
  sec.dataset.block = 'neuron';
  sec.append(el('h3', undefined, `Neuron ${j} of layer ${l}`));
  const z = el('div', 'ledger-row');
  z.dataset.quantity = `z${l}_${j}`;
  z.append(el('span', 'formula', `z_${j} = b_${j} + Σ_i W_i${j} a_i = `), num(b[j]));
  const aPrev = s.a[l - 1];
  const shown = Math.min(aPrev.length, 16);
  for (let i = 0; i < shown; i++) {
    z.append(' + ', num(W[i * nOut + j]), ' · ', num(aPrev[i]));
  }
  if (aPrev.length > shown) z.append(` + … (${aPrev.length - shown} more terms)`);
  z.append(' = ', num(s.z[l][j]));
  sec.append(z);
  const a = el('div', 'ledger-row');
  a.dataset.quantity = `a${l}_${j}`;
  a.append(el('span', 'formula', `a_${j} = ${spec.activation}(z_${j}) = `), num(s.a[l][j]));
  sec.append(a);

  if (l >= s.backwardLayer && s.backwardLayer <= layers.length) {
    const g = el('div', 'ledger-row');
    g.dataset.quantity = `dLdz${l}_${j}`;
    const L = layers.length;
    if (l === L && s.fused) {
      g.append(el('span', 'formula', `dL/dz_${j} = (ŷ_${j} − y_${j}) / m = (`), num(s.a[l][j]), ' − ', num(s.y[j]), ') / m = ', num(s.dLdz[l][j]));
    } else if (spec.activation === 'softmax') {
      let dot = 0;
      for (let k = 0; k < nOut; k++) dot += s.a[l][k] * s.dLda[l][k];
      g.append(el('span', 'formula', `dL/dz_${j} = a_${j} (dL/da_${j} − Σ_k a_k dL/da_k) = `), num(s.a[l][j]), ' · (', num(s.dLda[l][j]), ' − ', num(dot), ') = ', num(s.dLdz[l][j]));
    } else {
      // σ′(z) as the worker computed it with the layer's own activation (and its α).
      const df = s.dadz[l]?.[j] ?? NaN;
      g.append(el('span', 'formula', `dL/dz_${j} = dL/da_${j} · ${spec.activation}′(z_${j}) = `), num(s.dLda[l][j]), ' · ', num(df), ' = ', num(s.dLdz[l][j]));
    }
    sec.append(g);
  }
  return sec;
}
