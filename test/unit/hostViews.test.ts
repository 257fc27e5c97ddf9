import { strict as assert } from 'assert';
import { SnapshotFeed } from '../../src/host/snapshotFeed';
import { checkViewMessage } from '../../src/host/webviewMessages';
import { checkLabMessage } from '../../src/host/labMessages';
import type { EpochRecord, TrainingSnapshot } from '../../src/training/workerProtocol';

const record = (epoch: number): EpochRecord => ({ epoch, loss: 1 / epoch, seconds: epoch / 100 });
const snap = (history: EpochRecord[]) => ({ history, state: 'training', epoch: history.length }) as unknown as TrainingSnapshot;

describe('SnapshotFeed: views get only the history they lack', () => {
  it('sends the new records while the history grows, and everything after it was cut', () => {
    const feed = new SnapshotFeed();
    const h = [record(1), record(2)];
    let m = feed.next(snap(h));
    assert.deepEqual([m.historyStart, m.newEpochs.length], [0, 2]);
    assert.equal('history' in m.snapshot, false);
    h.push(record(3), record(4));
    m = feed.next(snap(h));
    assert.deepEqual([m.historyStart, m.newEpochs.map((r) => r.epoch)], [2, [3, 4]]);
    // A reset refills the history with new records: even when it is longer again, it restarts.
    const after = [record(1), record(2), record(3), record(4), record(5)];
    m = feed.next(snap(after));
    assert.deepEqual([m.historyStart, m.newEpochs.length], [0, 5]);
    // After a full state message, only what comes later.
    feed.sentWhole(snap(after));
    after.push(record(6));
    m = feed.next(snap(after));
    assert.deepEqual([m.historyStart, m.newEpochs.map((r) => r.epoch)], [5, [6]]);
  });

  it('after the worker thinned older epochs, restarts from the first record that changed, not from 0', () => {
    const feed = new SnapshotFeed();
    const h = Array.from({ length: 10 }, (_, k) => record(k + 1));
    feed.next(snap(h));
    // Epochs 3 and 5 were thinned away; the host received epochs 4 and 6… again, as new objects.
    const thinned = [h[0], h[1], ...[4, 6, 7, 8, 9, 10, 11].map(record)];
    const m = feed.next(snap(thinned));
    assert.deepEqual([m.historyStart, m.newEpochs.map((r) => r.epoch)], [2, [4, 6, 7, 8, 9, 10, 11]]);
    // A snapshot the feed was given is not changed by later ones: it compares with its own copy.
    thinned.push(record(12));
    assert.deepEqual(feed.next(snap(thinned)).newEpochs.map((r) => r.epoch), [12]);
  });

  it('a view that applies the deltas holds the same history as the host', () => {
    const feed = new SnapshotFeed();
    const host: EpochRecord[] = [];
    const view: EpochRecord[] = [];
    const apply = () => {
      const m = feed.next(snap(host));
      view.length = m.historyStart;
      view.push(...m.newEpochs);
    };
    for (let i = 1; i <= 50; i++) {
      host.push(record(i));
      if (i % 7 === 0) apply();
      if (i === 30) host.length = 0; // reset
    }
    apply();
    assert.deepEqual(view, host);
  });
});

describe('messages from webviews are validated before use', () => {
  it('accepts well-formed messages', () => {
    assert.deepEqual(checkViewMessage({ type: 'command', command: 'train' }), { ok: true, message: { type: 'command', command: 'train' } });
    assert.deepEqual(checkViewMessage({ type: 'selectSample', index: 3 }), { ok: true, message: { type: 'selectSample', index: 3 } });
    const h = checkViewMessage({ type: 'setHyperparameters', hyperparameters: { learningRate: 0.01, optimizer: 'adam', batchSize: 8 }, epochs: 10 });
    assert.equal(h.ok, true);
    const layers = checkViewMessage({ type: 'setLayers', layers: [{ units: 2 }, { units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });
    assert.equal(layers.ok, true);
  });

  // Each refusal with the reason it must give: a message refused for another reason than the
  // one meant would otherwise pass unnoticed.
  const bad: [string, unknown, RegExp][] = [
    ['a non-object', 'train', /not an object with a "type"/],
    ['an unknown type', { type: 'eval', code: 'process.exit()' }, /unknown message type "eval"/],
    ['an unknown command', { type: 'command', command: 'rm' }, /unknown command "rm"/],
    ['a negative sample index', { type: 'selectSample', index: -1 }, /selectSample needs a whole index ≥ 0/],
    ['a fractional sample index', { type: 'selectSample', index: 1.5 }, /selectSample needs a whole index ≥ 0/],
    ['a NaN learning rate', { type: 'setHyperparameters', hyperparameters: { learningRate: NaN } }, /learningRate must be a finite number/],
    ['a negative learning rate', { type: 'setHyperparameters', hyperparameters: { learningRate: -1 } }, /"learningRate" must be a number > 0, got -1/],
    ['momentum of 1', { type: 'setHyperparameters', hyperparameters: { momentum: 1 } }, /"momentum" must be a number in \[0, 1\), got 1/],
    ['an unknown optimizer', { type: 'setHyperparameters', hyperparameters: { optimizer: 'lbfgs' } }, /"optimizer" must be one of "sgd", "adam", got "lbfgs"/],
    ['an unknown hyperparameter', { type: 'setHyperparameters', hyperparameters: { __proto__x: 1 } }, /unknown hyperparameter "__proto__x"/],
    ['zero epochs', { type: 'setHyperparameters', hyperparameters: {}, epochs: 0 }, /epochs must be a whole number from 1 to 10000000, got 0/],
    ['a layer of 0 units', { type: 'setLayers', layers: [{ units: 2 }, { units: 0 }] }, /layer 1 needs 1 to 100000 units/],
    ['a huge layer', { type: 'setLayers', layers: [{ units: 2 }, { units: 1e9 }] }, /layer 1 needs 1 to 100000 units/],
    ['an unknown activation', { type: 'setLayers', layers: [{ units: 2 }, { units: 1, activation: 'swish' }] }, /layer 1 has an unknown activation/],
    ['one layer', { type: 'setLayers', layers: [{ units: 2 }] }, /setLayers needs 2 to 64 layers/],
  ];
  for (const [what, raw, reason] of bad) {
    it(`refuses ${what}, saying why`, () => {
      const checked = checkViewMessage(raw);
      assert.equal(checked.ok, false);
      assert.match(checked.ok ? '' : checked.reason, reason);
    });
  }
});

describe('chart exports from every webview are validated the same way', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  it('accepts a PNG data URL and CSV text, keeping only a safe base name', () => {
    for (const check of [(m: unknown) => checkViewMessage(m), (m: unknown) => checkLabMessage(m, 'sweep')]) {
      const r = check({ type: 'export', format: 'png', name: '../../etc/passwd.png', data: png });
      assert.equal(r.ok, true);
      if (r.ok && r.message.type === 'export') assert.ok(!r.message.name.includes('/') && !r.message.name.startsWith('.'), r.message.name);
      assert.equal(check({ type: 'export', format: 'csv', name: 'loss.csv', data: 'a,b\n1,2\n' }).ok, true);
    }
  });
  it('refuses other formats, PNGs that are not PNG data URLs, and exports a lab does not offer', () => {
    const reason = (c: { ok: true } | { ok: false; reason: string }) => (c.ok ? '(accepted)' : c.reason);
    assert.match(reason(checkViewMessage({ type: 'export', format: 'gif', name: 'x.gif', data: 'GIF89a' })), /export format must be png, csv or svg/);
    const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${body}</svg>`;
    assert.equal(checkViewMessage({ type: 'export', format: 'svg', name: 'loss.svg', data: svg('<rect width="10" height="10" fill="rgb(1, 2, 3)"/>') }).ok, true);
    assert.match(reason(checkViewMessage({ type: 'export', format: 'svg', name: 'x.svg', data: '<svg/>' })), /an SVG export must be one <svg> element/);
    // Text is text: a column called "javascript: onload=x" in a label is no reason to refuse.
    assert.equal(checkViewMessage({ type: 'export', format: 'svg', name: 'a.svg', data: svg('<text x="1" y="1">javascript: onload=x &lt;script&gt;</text>') }).ok, true);
    for (const bad of ['<script>alert(1)</script>', '<rect onload="alert(1)"/>', '<a href="javascript:alert(1)"><text>x</text></a>', '<foreignObject><div/></foreignObject>', '<image href="https://example.com/x.png"/>', '<rect fill="url(https://e.com/#p)"/>']) {
      assert.match(reason(checkViewMessage({ type: 'export', format: 'svg', name: 'x.svg', data: svg(bad) })), /may not hold scripts, event handlers, links, images or foreign objects/, bad);
    }
    assert.match(reason(checkViewMessage({ type: 'export', format: 'png', name: 'x.png', data: 'javascript:alert(1)' })), /a PNG export must be a PNG data URL/);
    assert.notEqual(reason(checkLabMessage({ type: 'runSweep' }, 'activations')), '(accepted)');
  });
});
