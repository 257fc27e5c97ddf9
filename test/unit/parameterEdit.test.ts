// Setting W and b by hand: the checks of what the panel sends, the worker's set-parameter and
// the one Undo history it shares with stepped updates, and the lessons' truth tables. Expected
// outputs are σ(z) of the edited weights worked out by hand here (z written out term by term,
// σ(0.5) etc. as decimal constants), never the code's own earlier output.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { pristineExamples } from '../pristineExamples';
import { checkViewMessage } from '../../src/host/webviewMessages';
import { loadModelSource } from '../../src/host/loadModelSource';
import { checkParameterEdit, MAX_EDIT_MAGNITUDE, parameterEditProblem, parameterName, parseEditValue } from '../../src/training/parameterEdit';
import { truthTable } from '../../src/analysis/truthTable';
import { toNetwork } from '../../src/engine/networkState';
import { networkFromModel } from '../../src/model/modelNetwork';
import { parseModelFile, parseModelText } from '../../src/model/modelFile';
import { TrainingSession } from '../../src/training/TrainingSession';
import type { LayerSnapshot, ParameterEdit, TrainingPrecision } from '../../src/training/workerProtocol';

const WORKER = path.resolve(__dirname, '../../src/training/trainingWorker.js');
const LESSONS = path.join(pristineExamples(), 'lessons');

// σ(z) = 1 / (1 + e^(−z)) at the z the edited AND neuron produces, to 17 digits.
const SIGMA_MINUS_1_5 = 0.18242552380635635;
const SIGMA_MINUS_0_5 = 0.3775406687981454;
const SIGMA_0_5 = 0.6224593312018546;

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const reason = (r: ReturnType<typeof checkViewMessage>) => (r.ok ? '(accepted)' : r.reason);

describe('setting W and b by hand: the panel’s message', () => {
  it('accepts W[l][i][j] and b[l][j] with a finite value', () => {
    assert.deepEqual(checkViewMessage({ type: 'setParameter', edit: { layer: 1, param: 'W', i: 0, j: 1, value: -0.25 } }), {
      ok: true,
      message: { type: 'setParameter', edit: { layer: 1, param: 'W', i: 0, j: 1, value: -0.25 } },
    });
    assert.deepEqual(checkViewMessage({ type: 'setParameter', edit: { layer: 2, param: 'b', j: 0, value: 30 } }), {
      ok: true,
      message: { type: 'setParameter', edit: { layer: 2, param: 'b', j: 0, value: 30 } },
    });
  });

  // Each refusal with the reason it must give.
  const bad: [string, unknown, RegExp][] = [
    ['no edit', undefined, /an edit must be an object/],
    ['layer 0 (the input)', { layer: 0, param: 'W', i: 0, j: 0, value: 1 }, /layer must be a whole number ≥ 1 \(layer 0 is the input/],
    ['a fractional layer', { layer: 1.5, param: 'W', i: 0, j: 0, value: 1 }, /layer must be a whole number/],
    ['an unknown parameter', { layer: 1, param: 'z', j: 0, value: 1 }, /param must be "W" or "b"/],
    ['a negative j', { layer: 1, param: 'b', j: -1, value: 1 }, /j must be a whole number ≥ 0/],
    ['W without i', { layer: 1, param: 'W', j: 0, value: 1 }, /i must be a whole number ≥ 0 for W/],
    ['b with an i', { layer: 1, param: 'b', i: 0, j: 0, value: 1 }, /b\[l\]\[j\] has no i/],
    ['a string value', { layer: 1, param: 'b', j: 0, value: '3' }, /the value must be a number/],
    ['NaN', { layer: 1, param: 'b', j: 0, value: NaN }, /the value must be a number/],
    ['infinity', { layer: 1, param: 'b', j: 0, value: Infinity }, /the value must be finite/],
    ['a value past the magnitude limit', { layer: 1, param: 'b', j: 0, value: -2e6 }, /between −1e\+6 and 1e\+6, not -2000000/],
  ];
  for (const [what, edit, why] of bad) {
    it(`refuses ${what}, saying why`, () => {
      assert.match(reason(checkViewMessage({ type: 'setParameter', edit })), why);
      assert.match(reason(checkViewMessage({ type: 'setParameter', edit })), /^setParameter: /);
    });
  }

  it('refuses an edit that does not fit the network’s sizes, naming the parameter and the range', () => {
    const sizes = [2, 2, 1];
    const edit = (e: Partial<ParameterEdit>): ParameterEdit => ({ layer: 1, param: 'W', i: 0, j: 0, value: 1, ...e });
    assert.equal(parameterEditProblem(edit({}), sizes), undefined);
    assert.equal(parameterEditProblem(edit({ layer: 2, i: 1, j: 0 }), sizes), undefined);
    assert.match(parameterEditProblem(edit({ layer: 3 }), sizes)!, /layer 3 is not in this network: its layers with W and b are 1 to 2/);
    assert.match(parameterEditProblem(edit({ layer: 2, j: 1 }), sizes)!, /W\[2\]\[0\]\[1\]: layer 2 has neurons 0 to 0, not 1/);
    assert.match(parameterEditProblem(edit({ layer: 2, i: 2 }), sizes)!, /W\[2\]\[2\]\[0\]: layer 1 has neurons 0 to 1, not 2/);
    assert.match(parameterEditProblem({ layer: 1, param: 'b', j: 2, value: 0 }, sizes)!, /b\[1\]\[2\]: layer 1 has neurons 0 to 1, not 2/);
    assert.equal(parameterName({ layer: 1, param: 'W', i: 0, j: 1 }), 'W[1][0][1]');
    assert.equal(parameterName({ layer: 2, param: 'b', j: 0 }), 'b[2][0]');
    assert.equal(MAX_EDIT_MAGNITUDE, 1e6);
    assert.equal(typeof checkParameterEdit({ layer: 1, param: 'b', j: 0, value: 1e6 }), 'object');
  });

  it('the editor takes typed numbers (with a typographic minus) and says why it refuses anything else', () => {
    assert.equal(parseEditValue(' 20 '), 20);
    assert.equal(parseEditValue('-0.5'), -0.5);
    assert.equal(parseEditValue('\u22121.5'), -1.5);
    assert.equal(parseEditValue('.25'), 0.25);
    assert.equal(parseEditValue('1e-3'), 0.001);
    assert.match(String(parseEditValue('')), /type a number/);
    assert.match(String(parseEditValue('abc')), /"abc" is not a number/);
    assert.match(String(parseEditValue('0x10')), /"0x10" is not a number/);
    assert.match(String(parseEditValue('1,5')), /"1,5" is not a number/);
    assert.match(String(parseEditValue('1e400')), /the value must be finite/);
    assert.match(String(parseEditValue('3e6')), /between −1e\+6 and 1e\+6/);
  });
});

describe('setting W and b by hand: lessons and truth tables', () => {
  const lesson = (name: string) => parseModelFile(readFileSync(path.join(LESSONS, name), 'utf8'), name);

  it('the bundled lessons parse, start unsolved with every output 0.5, and are solved by the lecture’s weights', () => {
    const rows = { x: [0, 0, 0, 1, 1, 0, 1, 1], y: [0, 0, 0, 1], rows: 4 };
    for (const name of ['lesson-and.mlp.json', 'lesson-or.mlp.json', 'lesson-xor.mlp.json']) {
      const model = lesson(name);
      assert.ok(model.lesson?.title && model.lesson.goal, name);
      const table = truthTable(networkFromModel(model), rows);
      assert.deepEqual(table.rows.map((r) => r.yhat), [[0.5], [0.5], [0.5], [0.5]], name);
      // |0.5 − y| is not < 0.5: an output of exactly one half is right for no row.
      assert.equal(table.solved, false, name);
      assert.ok(table.rows.every((r) => !r.correct));
    }
    // The lecture's XOR: hidden AND (20, 20, −30) and OR (20, 20, −10), output OR AND NOT AND.
    const xor = parseModelFile(readFileSync(path.join(pristineExamples(), 'xor.mlp.json'), 'utf8'), 'xor.mlp.json');
    const table = truthTable(networkFromModel(xor), { x: [0, 0, 0, 1, 1, 0, 1, 1], y: [0, 1, 1, 0], rows: 4 });
    assert.equal(table.solved, true);
    // Row (1, 0): a[1] = (σ(−10), σ(10)); ŷ = σ(−10 − 20 σ(−10) + 20 σ(10)).
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    close(table.rows[2].yhat[0], s(-10 - 20 * s(-10) + 20 * s(10)));
    assert.deepEqual(table.rows[2].x, [1, 0]);
  });

  const bad: [string, string, RegExp, number, number][] = [
    ['a lesson that is not an object', ',\n  "lesson": "AND"', /"lesson" must be an object/, 4, 13],
    ['a lesson without a goal', ',\n  "lesson": {"title": "AND"}', /"lesson" needs "goal"/, 4, 13],
    ['an empty lesson title', ',\n  "lesson": {"title": " ", "goal": "g"}', /"lesson.title" must be a non-empty string of at most 200 characters/, 4, 23],
    ['an unknown key in a lesson', ',\n  "lesson": {"title": "t", "goal": "g", "rows": 4}', /unknown property "rows" in lesson; expected "title", "goal"/, 4, 41],
  ];
  for (const [what, extra, message, line, column] of bad) {
    it(`reports ${what} with its line and column`, () => {
      const text = `{\n  "layers": [{"units": 2}, {"units": 1, "activation": "sigmoid"}],\n  "loss": "sse"${extra}\n}`;
      const { model, problems } = parseModelText(text);
      assert.equal(model, undefined);
      assert.match(problems[0].message, message);
      assert.deepEqual([problems[0].line, problems[0].column], [line, column], problems[0].message);
    });
  }
});

describe('setting W and b by hand: the training worker (real worker thread)', function () {
  this.timeout(30_000);
  let sessions: TrainingSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.map((s) => s.dispose()));
    sessions = [];
  });

  async function open(name: string, precision?: TrainingPrecision): Promise<TrainingSession> {
    const source = await loadModelSource(path.join(LESSONS, name));
    assert.ok(source.model && source.data, `${name}: ${source.dataProblem?.message ?? source.problems[0]?.message}`);
    const s = new TrainingSession({ workerPath: WORKER, snapshotsPerSecond: 50, ...(precision ? { precision } : {}) });
    sessions.push(s);
    await s.load(source.model, source.data);
    return s;
  }

  const W = (layer: number, i: number, j: number, value: number): ParameterEdit => ({ layer, param: 'W', i, j, value });
  const b = (layer: number, j: number, value: number): ParameterEdit => ({ layer, param: 'b', j, value });
  const table = (layers: readonly LayerSnapshot[]) => truthTable(toNetwork({ loss: 'sse', layers: layers.map((l) => ({ ...l, W: l.W! })) }), { x: [0, 0, 0, 1, 1, 0, 1, 1], y: [0, 0, 0, 1], rows: 4 });

  for (const precision of ['float32', 'float64'] as const) {
    it(`${precision}: an edit changes the live network exactly; outputs and the sample’s loss are σ of the edited z`, async () => {
      const s = await open('lesson-and.mlp.json', precision);
      await s.stepSample({ kind: 'row', index: 3 });
      for (const edit of [W(1, 0, 0, 1), W(1, 1, 0, 1), b(1, 0, -1.5)]) assert.equal((await s.setParameter(edit)).problem, undefined);
      const snap = await s.waitFor((x) => x.step === 3);
      assert.deepEqual(Array.from(snap.layers[0].W!), [1, 1]);
      assert.deepEqual(Array.from(snap.layers[0].b), [-1.5]);
      // Row 3 is x = (1, 1): z = −1.5 + 1·1 + 1·1 = 0.5.
      assert.deepEqual(Array.from(snap.sample.a[0]), [1, 1]);
      close(snap.sample.z[1][0], 0.5);
      close(snap.sample.a[1][0], SIGMA_0_5);
      close(snap.sample.loss, 0.5 * (1 - SIGMA_0_5) ** 2);
      // The truth table of the snapshot's weights: σ(−1.5), σ(−0.5), σ(−0.5), σ(0.5): AND, solved.
      const t = table(snap.layers);
      [SIGMA_MINUS_1_5, SIGMA_MINUS_0_5, SIGMA_MINUS_0_5, SIGMA_0_5].forEach((v, k) => close(t.rows[k].yhat[0], v));
      assert.equal(t.solved, true);
      // Save Model writes these very numbers.
      const saved = await s.trainedModel();
      assert.deepEqual(saved.parameters, [{ W: [[1], [1]], b: [-1.5] }]);
      assert.equal((saved as { lesson?: { title: string } }).lesson?.title, 'AND from one neuron');
    });
  }

  it('one Undo history: edits and stepped updates are undone last first, each back to the exact parameters before it', async () => {
    const s = await open('lesson-and.mlp.json');
    await s.stepSample({ kind: 'row', index: 3 });
    await s.setParameter(W(1, 0, 0, 1));
    const afterEdits = (await s.setParameter(W(1, 1, 0, 1))).stepping!;
    assert.equal(afterEdits.undoable, 2);
    // A full step on x = (1, 1), y = 1 with η = 0.5 (SSE): z = 0 + 1 + 1 = 2, ŷ = σ(2),
    // dJ/dz = (ŷ − 1) ŷ (1 − ŷ); W_i −= 0.5 · dJ/dz · x_i and b −= 0.5 · dJ/dz.
    const full = await s.step('all');
    assert.equal(full.problem, undefined);
    const y2 = 1 / (1 + Math.exp(-2));
    const g = (y2 - 1) * y2 * (1 - y2);
    const updated = await s.getParameters();
    assert.equal(updated.step, 3);
    close(updated.layers[0].W[0], 1 - 0.5 * g);
    close(updated.layers[0].W[1], 1 - 0.5 * g);
    close(updated.layers[0].b[0], -0.5 * g);
    const last = (await s.setParameter(b(1, 0, -1.5))).stepping!;
    assert.equal(last.undoable, 4);
    assert.equal((await s.getParameters()).step, 4);

    // Undo the edit: back to the updated parameters, and the update is current again.
    let u = await s.step('undo');
    assert.equal(u.problem, undefined);
    let p = await s.getParameters();
    assert.equal(p.step, 3);
    assert.deepEqual(Array.from(p.layers[0].W), Array.from(updated.layers[0].W));
    assert.deepEqual(Array.from(p.layers[0].b), Array.from(updated.layers[0].b));
    assert.equal(u.stepping?.undoable, 3);
    // Undo the update: back to the two edits exactly.
    u = await s.step('undo');
    p = await s.getParameters();
    assert.equal(p.step, 2);
    assert.deepEqual([...p.layers[0].W, ...p.layers[0].b], [1, 1, 0]);
    assert.equal(u.stepping?.phase, 'forward');
    // And the two edits: back to the lesson's zeros.
    await s.step('undo');
    u = await s.step('undo');
    p = await s.getParameters();
    assert.equal(p.step, 0);
    assert.deepEqual([...p.layers[0].W, ...p.layers[0].b], [0, 0, 0]);
    assert.equal(u.stepping?.undoable, 0);
    assert.equal((await s.step('undo')).problem, 'nothing to undo');
    // The snapshot drawn after the undo is of the zeros: every output 0.5.
    const snap = await s.waitFor((x) => x.step === 0);
    assert.deepEqual(table(snap.layers).rows.map((r) => r.yhat[0]), [0.5, 0.5, 0.5, 0.5]);
  });

  it('a ledger left mid-pass is recomputed on the edited weights: z[1] = b + Wᵀx with the new values', async () => {
    const s = await open('lesson-and.mlp.json');
    await s.stepSample({ kind: 'row', index: 2 });
    await s.step('forward');
    const before = s.stepping!;
    assert.deepEqual(before.computedAt, { epoch: 0, step: 0 });
    const recomputed = new Promise<NonNullable<typeof before>>((resolve) => s.onStepping((v) => v && v.computedAt.step === 1 && resolve(v)));
    await s.setParameter(W(1, 0, 0, 3));
    const st = await recomputed;
    // Row 2 is x = (1, 0): z = 0 + 3·1 + 0·0 = 3; still one layer forward, as before the edit.
    assert.equal(st.forwardLayer, 1);
    close(st.z[1][0], 3);
    close(st.a[1][0], 0.9525741268224334);
  });

  it('refuses an edit outside the network or its range without changing anything, and pauses a run first', async () => {
    const s = await open('lesson-and.mlp.json');
    const refused = await s.setParameter(W(2, 0, 0, 1));
    assert.match(refused.problem ?? '', /layer 2 is not in this network: its layers with W and b are 1 to 1/);
    assert.match((await s.setParameter(b(1, 1, 1))).problem ?? '', /b\[1\]\[1\]: layer 1 has neurons 0 to 0, not 1/);
    assert.match((await s.setParameter(b(1, 0, 1e7))).problem ?? '', /between −1e\+6 and 1e\+6/);
    const p = await s.getParameters();
    assert.equal(p.step, 0);
    assert.deepEqual([...p.layers[0].W, ...p.layers[0].b], [0, 0, 0]);
    // While training: the run pauses, the edit lands, and Undo after more training is refused.
    await s.start(1_000_000);
    await s.waitFor((x) => x.state === 'training' && x.epoch > 0);
    await s.setParameter(b(1, 0, -2));
    assert.equal(s.state, 'paused');
    const edited = await s.getParameters();
    assert.equal(edited.layers[0].b[0], -2);
    await s.resume();
    await s.waitFor((x) => x.step > edited.step + 5);
    await s.pause();
    const undo = await s.step('undo');
    assert.match(undo.problem ?? '', /trained since/);
  });
});
