// The "MLP Inspector" sidebar view: architecture and hyperparameters (editable), the dataset
// summary and the run's state. Bundled by esbuild into dist/webview/sidebar.js. Edits are sent
// to the host, which validates them, applies them and answers with the new state.
import { applyHistoryDelta } from '../src/training/epochHistory';
import type { ActivationName } from '../src/engine/activations';
import type { HostToPanelMessage, ModelView, PanelCommand, PanelToHostMessage } from '../src/inspector/viewProtocol';
import type { TrainingArithmetic, TrainingSnapshot } from '../src/training/workerProtocol';
import { el, fmt } from './format';
import { currentRecord, earlyStoppingNote, metricRows } from './runFigures';
import { engineeredChoices } from '../src/data/engineeredFeatures';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<Record<string, never>>();
const post = (m: PanelToHostMessage) => vscode.postMessage(m);

let model: ModelView | undefined;
let snapshot: TrainingSnapshot | undefined;
/** Hidden-layer edits not yet applied (architecture changes re-initialize, so they wait for Apply). */
let draftLayers: { units: number; activation?: ActivationName }[] | undefined;

const root = document.getElementById('app') ?? document.body;
const sections = {
  model: el('section', 'side-section'),
  run: el('section', 'side-section'),
  architecture: el('section', 'side-section'),
  hyper: el('section', 'side-section'),
  data: el('section', 'side-section'),
};
sections.model.id = 'side-model';
sections.run.id = 'side-run';
sections.architecture.id = 'side-architecture';
sections.hyper.id = 'side-hyperparameters';
sections.data.id = 'side-data';
root.replaceChildren(...Object.values(sections));
root.classList.add('sidebar');

function heading(text: string): HTMLElement {
  return el('h2', undefined, text);
}

function row(label: string, value: string): HTMLElement {
  const r = el('div', 'kv');
  r.append(el('span', 'k', label), el('span', 'v', value));
  return r;
}

function renderModel(): void {
  const s = sections.model;
  if (!model) {
    s.replaceChildren(heading('Model'), el('p', 'status', 'No model open.'), el('p', 'hint', 'Open a *.mlp.json file and run "MLP Inspector: Open Inspector", or "MLP Inspector: New Model from Dataset" on a CSV.'));
    return;
  }
  const title = el('p', 'model-name', model.name + (model.unsaved ? ' ●' : ''));
  title.title = model.unsaved ? 'Unsaved changes: run "MLP Inspector: Save Model"' : model.fileName;
  s.replaceChildren(heading('Model'), title, row('file', model.fileName), row('loss', model.loss));
  if (model.problems.length > 0 || model.dataError) {
    const notice = model.problems.length === 0 && model.dataMissing === true;
    const box = el('div', notice ? 'notice-box' : 'problem-box');
    box.setAttribute('role', notice ? 'status' : 'alert');
    for (const p of model.problems) box.append(el('p', undefined, `${p.line}:${p.column}: ${p.message}`));
    if (model.dataError) box.append(el('p', undefined, model.dataError));
    s.append(box);
  }
}

/** "float32, relaxed-simd kernels, 2 threads", or "float64, 1 thread". */
function arithmeticText(a: TrainingArithmetic): string {
  return `${a.precision}${a.kernels ? `, ${a.kernels} kernels` : ''}, ${a.threads === 1 ? '1 thread' : `${a.threads} threads`}`;
}

function renderRun(): void {
  const s = sections.run;
  s.replaceChildren(heading('Run'));
  if (!snapshot) {
    s.append(el('p', 'status', model ? 'Not loaded.' : '—'));
    return;
  }
  // The figures of the weights the network holds: the best epoch's after early stopping restored them.
  const { record: last, restored } = currentRecord(snapshot);
  const state = el('p', 'status', snapshot.state);
  state.id = 'side-run-state';
  state.dataset.state = snapshot.state;
  s.append(state, row('epoch', `${snapshot.epoch}`), row('step', `${snapshot.step}`));
  if (last && restored) s.append(row('weights of', `epoch ${last.epoch} (restored)`));
  if (last) s.append(row('loss', fmt(last.loss, 5)));
  if (last?.valLoss !== undefined) s.append(row('validation loss', fmt(last.valLoss, 5)));
  if (last?.accuracy !== undefined) s.append(row('accuracy', `${(last.accuracy * 100).toFixed(1)} %`));
  for (const m of metricRows(last)) {
    const r = row(`${m.name} (train / val)`, `${m.train} / ${m.validation}`);
    r.dataset.metric = m.name;
    s.append(r);
  }
  const note = earlyStoppingNote(snapshot);
  if (note) {
    note.id = 'side-early-stop';
    s.append(note);
  }
  s.append(row('samples/s', snapshot.state === 'training' ? Math.round(snapshot.samplesPerSecond).toLocaleString('en-US') : '—'));
  if (snapshot.arithmetic) {
    const r = row('computed in', arithmeticText(snapshot.arithmetic));
    r.id = 'side-arithmetic';
    r.title = 'The precision training runs in; for float32, the WebAssembly kernels (relaxed-simd: with fused multiply-add) and the threads each batch is split across (setting mlpInspector.trainingThreads).';
    s.append(r);
  }
  if (snapshot.divergence) s.append(el('p', 'problem-box', snapshot.divergence.message));
  const bar = el('div', 'toolbar');
  const buttons: [PanelCommand, string, boolean][] = [
    ['train', 'Train', snapshot.state !== 'training' && snapshot.state !== 'paused'],
    ['pause', 'Pause', snapshot.state === 'training'],
    ['resume', 'Resume', snapshot.state === 'paused'],
    ['saveModel', 'Save', true],
  ];
  for (const [command, label, enabled] of buttons) {
    const b = el('button', 'action', label);
    b.disabled = !enabled;
    b.addEventListener('click', () => post({ type: 'command', command }));
    bar.append(b);
  }
  s.append(bar);
}

function activationSelect(value: ActivationName | undefined, onChange: (a: ActivationName) => void, label: string): HTMLSelectElement {
  const select = el('select');
  select.setAttribute('aria-label', label);
  for (const name of model?.activationChoices ?? []) {
    const o = el('option', undefined, name);
    o.value = name;
    o.selected = name === (value ?? 'identity');
    select.append(o);
  }
  select.addEventListener('change', () => onChange(select.value as ActivationName));
  return select;
}

function renderArchitecture(): void {
  const s = sections.architecture;
  s.replaceChildren(heading('Architecture'));
  if (!model || model.layers.length < 2) return;
  const layers = draftLayers ?? model.layers.map((l) => ({ units: l.units, activation: l.activation }));
  const list = el('ol', 'layers');
  list.start = 0;
  layers.forEach((layer, l) => {
    const item = el('li', 'layer-row');
    const last = l === layers.length - 1;
    if (l === 0) {
      item.append(el('span', 'layer-name', `input: ${layer.units} units`));
    } else {
      item.append(el('span', 'layer-name', last ? 'output' : `hidden ${l}`));
      if (last) {
        item.append(el('span', 'units', `${layer.units} units`));
      } else {
        const units = el('input');
        units.type = 'number';
        units.min = '1';
        units.max = '4096';
        units.value = String(layer.units);
        units.setAttribute('aria-label', `units of layer ${l}`);
        units.addEventListener('change', () => {
          const n = Math.round(Number(units.value));
          if (Number.isFinite(n) && n >= 1) edit((d) => (d[l].units = n));
        });
        item.append(units);
      }
      item.append(activationSelect(layer.activation, (a) => edit((d) => (d[l].activation = a)), `activation of layer ${l}`));
      if (!last) {
        const remove = el('button', 'icon', '−');
        remove.title = `Remove layer ${l}`;
        remove.setAttribute('aria-label', `Remove layer ${l}`);
        remove.addEventListener('click', () => edit((d) => d.splice(l, 1)));
        item.append(remove);
      }
    }
    list.append(item);
  });
  const add = el('button', 'secondary', 'Add hidden layer');
  add.addEventListener('click', () => edit((d) => d.splice(d.length - 1, 0, { units: 4, activation: 'relu' })));
  s.append(list, add);
  if (draftLayers) {
    const apply = el('button', 'action', 'Apply architecture');
    apply.id = 'apply-architecture';
    apply.addEventListener('click', () => {
      if (draftLayers) post({ type: 'setLayers', layers: draftLayers });
    });
    const cancel = el('button', 'secondary', 'Cancel');
    cancel.addEventListener('click', () => {
      draftLayers = undefined;
      renderArchitecture();
    });
    s.append(el('p', 'hint', 'Changing the architecture re-initializes the weights.'), apply, cancel);
  }
}

function edit(change: (d: { units: number; activation?: ActivationName }[]) => void): void {
  if (!model) return;
  draftLayers ??= model.layers.map((l) => ({ units: l.units, activation: l.activation }));
  change(draftLayers);
  renderArchitecture();
}

function numberField(label: string, value: number, id: string, onChange: (v: number) => void, step = 'any'): HTMLElement {
  const wrap = el('label', 'field');
  const input = el('input');
  input.type = 'number';
  input.step = step;
  input.value = String(value);
  input.id = id;
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (input.value.trim() !== '' && Number.isFinite(v)) onChange(v);
  });
  wrap.append(el('span', 'k', label), input);
  return wrap;
}

function renderHyperparameters(): void {
  const s = sections.hyper;
  s.replaceChildren(heading('Hyperparameters'));
  const h = snapshot?.hyperparameters;
  if (!h || !model) return;
  const opt = el('label', 'field');
  const select = el('select');
  select.id = 'hp-optimizer';
  for (const name of ['sgd', 'adam'] as const) {
    const o = el('option', undefined, name);
    o.value = name;
    o.selected = name === h.optimizer;
    select.append(o);
  }
  select.addEventListener('change', () => post({ type: 'setHyperparameters', hyperparameters: { optimizer: select.value as 'sgd' | 'adam' } }));
  opt.append(el('span', 'k', 'optimizer'), select);
  s.append(
    opt,
    numberField('learning rate η', h.learningRate, 'hp-learning-rate', (v) => post({ type: 'setHyperparameters', hyperparameters: { learningRate: v } })),
    numberField('batch size (0 = all)', h.batchSize, 'hp-batch-size', (v) => post({ type: 'setHyperparameters', hyperparameters: { batchSize: Math.round(v) } }), '1'),
  );
  if (h.optimizer === 'sgd') s.append(numberField('momentum μ', h.momentum, 'hp-momentum', (v) => post({ type: 'setHyperparameters', hyperparameters: { momentum: v } })));
  s.append(
    numberField('weight decay λ', h.weightDecay, 'hp-weight-decay', (v) => post({ type: 'setHyperparameters', hyperparameters: { weightDecay: v } })),
    numberField('epochs per run', model.epochs, 'hp-epochs', (v) => post({ type: 'setHyperparameters', hyperparameters: {}, epochs: Math.round(v) }), '1'),
  );
  s.append(earlyStoppingFields(h.earlyStopping, (model.data?.rows.validation ?? 0) > 0));
}

/**
 * Early stopping's settings: a switch, then patience, minDelta and restoreBest. Each change sends
 * the whole setting (the host checks it by the model file's rule); off sends null. Without a
 * validation split the switch is disabled and says why.
 */
function earlyStoppingFields(spec: { patience: number; minDelta: number; restoreBest: boolean } | undefined, hasValidation: boolean): HTMLElement {
  const box = el('div', 'early-stopping-fields');
  box.id = 'hp-early-stopping';
  const send = (next: { patience: number; minDelta: number; restoreBest: boolean } | null) => post({ type: 'setHyperparameters', hyperparameters: { earlyStopping: next } });
  const current = spec ?? { patience: 50, minDelta: 0.0001, restoreBest: true };
  const toggle = el('label', 'field');
  const on = el('input');
  on.type = 'checkbox';
  on.id = 'hp-early-stopping-on';
  on.checked = spec !== undefined;
  on.disabled = !hasValidation && spec === undefined;
  on.addEventListener('change', () => send(on.checked ? current : null));
  toggle.append(el('span', 'k', 'early stopping'), on);
  box.append(toggle);
  if (!hasValidation && spec === undefined) {
    box.append(el('p', 'hint', 'Needs a validation split: set "validationSplit" in the model file\'s "data".'));
    return box;
  }
  if (!spec) return box;
  const restore = el('label', 'field');
  const restoreBox = el('input');
  restoreBox.type = 'checkbox';
  restoreBox.id = 'hp-early-stopping-restore';
  restoreBox.checked = spec.restoreBest;
  restoreBox.addEventListener('change', () => send({ ...spec, restoreBest: restoreBox.checked }));
  restore.append(el('span', 'k', 'restore best weights'), restoreBox);
  box.append(
    numberField('patience (epochs)', spec.patience, 'hp-patience', (v) => send({ ...spec, patience: Math.round(v) }), '1'),
    numberField('min. improvement', spec.minDelta, 'hp-min-delta', (v) => send({ ...spec, minDelta: v })),
    restore,
  );
  return box;
}

function renderData(): void {
  const s = sections.data;
  s.replaceChildren(heading('Dataset'));
  const d = model?.data;
  if (!d) {
    s.append(el('p', 'status', model?.dataError ? 'Not loaded (see above).' : '—'));
    if (model && model.problems.length === 0) {
      const b = el('button', 'action', 'Attach Dataset…');
      b.title = 'Pick a data file and its columns for this model, keeping its weights (MLP Inspector: Attach Dataset…)';
      b.addEventListener('click', () => post({ type: 'command', command: 'attachDataset' }));
      s.append(b);
    }
    return;
  }
  s.append(
    row('source', d.source),
    row('task', d.task),
    row('rows', `${d.rowsRead}${d.rowsDropped ? ` (${d.rowsDropped} dropped)` : ''}`),
    row('columns', `${d.columns.length}`),
    row('split', `${d.rows.train} train · ${d.rows.validation} validation · ${d.rows.test} test`),
    row('inputs', d.inputNames.join(' · ')),
  );
  if (d.classes) s.append(row('classes', d.classes.join(', ')));
  if (model) s.append(engineeredFields(d.inputNames, model.engineered));
}

/** Inputs past this many get no feature checkboxes (their products alone would be 28+): edit "data.engineered". */
const MAX_INPUTS_FOR_CHOICES = 8;

/**
 * Checkboxes for engineered input features, as in TensorFlow Playground: the squares, pairwise
 * products and sines of the raw inputs. Each change sends the whole new list; the host reloads
 * the data and reshapes the input layer (asking first when trained weights would be lost).
 */
function engineeredFields(inputNames: readonly string[], engineered: readonly string[]): HTMLElement {
  const box = el('div', 'engineered-fields');
  box.id = 'side-engineered';
  const raw = inputNames.slice(0, inputNames.length - engineered.length);
  box.append(el('p', 'k', 'engineered inputs'));
  if (raw.length > MAX_INPUTS_FOR_CHOICES) {
    box.append(el('p', 'hint', `${engineered.length > 0 ? engineered.join(' · ') : 'none'}; with ${raw.length} inputs, list them in the model file's "data.engineered" ("x1^2", "x1*x2", "sin(x1)").`));
    return box;
  }
  // One-hot units ("island=Dream") are 0 or 1: their squares and sines add nothing worth offering.
  const choices = engineeredChoices(raw.filter((n) => !n.includes('=')));
  for (const group of [choices.squares, choices.products, choices.sines]) {
    if (group.length === 0) continue;
    const line = el('div', 'feature-choices');
    for (const name of group) {
      const label = el('label', 'feature-choice');
      const check = el('input');
      check.type = 'checkbox';
      check.checked = engineered.includes(name);
      check.dataset.feature = name;
      check.setAttribute('aria-label', `engineered input ${name}`);
      check.addEventListener('change', () => {
        const next = check.checked ? [...engineered, name] : engineered.filter((f) => f !== name);
        post({ type: 'setEngineered', engineered: next });
      });
      label.append(check, document.createTextNode(` ${name}`));
      line.append(label);
    }
    box.append(line);
  }
  // Features the file lists that are not among the offered ones stay, shown as text.
  const others = engineered.filter((f) => ![...choices.squares, ...choices.products, ...choices.sines].includes(f));
  if (others.length > 0) box.append(el('p', 'hint', `also: ${others.join(' · ')}`));
  return box;
}

function renderAll(): void {
  renderModel();
  renderRun();
  renderArchitecture();
  renderHyperparameters();
  renderData();
}

window.addEventListener('message', (event: MessageEvent<HostToPanelMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'state':
      model = m.model;
      snapshot = m.snapshot;
      draftLayers = undefined;
      renderAll();
      return;
    case 'snapshot': {
      const hyperChanged = JSON.stringify(snapshot?.hyperparameters) !== JSON.stringify(m.snapshot.hyperparameters);
      const history = snapshot?.history ?? [];
      applyHistoryDelta(history, m.historyStart, m.newEpochs);
      snapshot = { ...m.snapshot, history };
      renderRun();
      // Re-rendering inputs while the user types would eat keystrokes; only when they changed.
      if (hyperChanged) renderHyperparameters();
      // Drawn: the host may send the next snapshot (it holds them back until then).
      post({ type: 'drawn' });
      return;
    }
    case 'stepping':
    case 'gradCheck':
      return; // the panel shows these
    default: {
      const never: never = m;
      console.warn('MLP Inspector: unexpected message', never);
    }
  }
});

renderAll();
post({ type: 'ready' });
