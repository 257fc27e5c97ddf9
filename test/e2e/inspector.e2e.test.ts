import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunDirs } from './harness/runDirs';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ARTIFACTS, ROOT } from './harness/paths';
import {
  activityBarIcon,
  answerQuickInput,
  openInspectorOn,
  clearNotifications,
  
  
  
  panelElement,
  panelFrame,
  pixelStats,
  
  runCommand,
  saveScreenshot,
  setTheme,
  sidebarElement,
  sidebarFrame,
  showSidebar as showSidebarOf,
  quickOpen,
} from './harness/workbench';

// The packaged .vsix, installed into a real VS Code (code-server), driven through its UI.
describe('MLP Inspector in a real VS Code (UI)', function () {
  this.timeout(120_000);

  let dirs: RunDirs;
  let browser: Browser | undefined;
  let page: Page;

  const wb = useWorkbench('ui');
  before(() => {
    ({ browser, page, dirs } = wb);
  });

  const showSidebar = () => showSidebarOf(page);

  /** Runs a command that asks for a model, and picks `file` in its quick pick. */
  async function openModel(file: string): Promise<void> {
    await runCommand(page, 'MLP Inspector: Open Inspector');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(file);
    await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*=${JSON.stringify(file)}]`).waitFor({ state: 'visible' });
    await input.press('Enter');
  }

  it('opens a model from the command palette and draws its network', async () => {
    await openModel('xor-learn.mlp.json');
    const frame = panelFrame(page);
    await frame.locator('h1:text-is("MLP Inspector: xor-learn")').waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    // 2 inputs, 4 hidden, 1 output; 2·4 + 4·1 edges.
    assert.strictEqual(await frame.locator('svg.network circle.neuron').count(), 7);
    assert.strictEqual(await frame.locator('svg.network line.edge').count(), 12);
    assert.match((await frame.locator('svg.network circle.neuron').first().getAttribute('aria-label')) ?? '', /neuron 0 of layer 0 \(x1\), a\[0\]_0 = x_0 = 0/);
    await page.locator('.tabs-container .tab.active', { hasText: 'MLP Inspector: xor-learn' }).waitFor();
    await clearNotifications(page);
    const shot = await saveScreenshot(panelElement(page), 'panel-1-opened');
    assertNotBlank(await pixelStats(browser!, shot.png), 'panel');
  });

  it('trains from the palette, and the loss it shows after 2000 epochs is the CLI’s', async () => {
    const frame = panelFrame(page);
    // Every change of what a screen reader hears, counted in the page.
    await frame.locator('.announcer').evaluate((node) => {
      type Heard = { announcements: string[]; MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void } };
      const w = (node.ownerDocument as unknown as { defaultView: Heard }).defaultView;
      w.announcements = [];
      new w.MutationObserver(() => w.announcements.push(node.textContent ?? '')).observe(node, { childList: true, characterData: true, subtree: true });
    });
    await runCommand(page, 'MLP Inspector: Train');
    const status = frame.locator('.run-status[data-state="stopped"][data-epoch="2000"]');
    await status.waitFor({ timeout: 60_000 });
    const shown = Number(await status.getAttribute('data-loss'));
    const cli = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', path.join(dirs.workspace, 'xor-learn.mlp.json'), '--epochs', '2000'], { encoding: 'utf8' });
    const lines = cli.trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
    const last = lines[1999];
    assert.strictEqual(shown, last.loss);
    // The announcement: the state, and the loss against epoch 1000's (the CLI's numbers).
    const change = (last.loss - lines[999].loss) / lines[999].loss;
    const spoken = (x: number) => String(Number(x.toPrecision(3)));
    const expected = `Stopped at epoch 2,000: loss ${spoken(last.loss)}, ${change < 0 ? 'down' : 'up'} ${Math.round(Math.abs(change) * 100)} % in the last 1,000 epochs.`;
    await frame.locator('.announcer', { hasText: expected }).waitFor({ timeout: 15_000 });
    const heard = await frame.locator('.announcer').evaluate((node) => (node.ownerDocument as unknown as { defaultView: { announcements: string[] } }).defaultView.announcements);
    // The visible status changed with every snapshot; the announcer only at the state changes
    // (and at most every 5 s while training).
    assert.ok(heard.length <= 4, `announced ${heard.length} times: ${heard.join(' | ')}`);
    assert.match(heard[0], /^Training started at epoch/);
    assert.match((await status.textContent()) ?? '', /accuracy 100\.0 %/);
    // The loss chart drew something and the heatmaps are there.
    assert.ok((await frame.locator('#loss canvas').boundingBox())!.height > 100);
    assert.strictEqual(await frame.locator('#weights figure.heatmap').count(), 2);
    assert.strictEqual(await frame.locator('#activations figure.heatmap').count(), 3);
    await clearNotifications(page);
    const shot = await saveScreenshot(panelElement(page), 'panel-2-trained');
    assertNotBlank(await pixelStats(browser!, shot.png), 'trained panel');
    // The cards below the fold, each on its own.
    for (const id of ['loss', 'activations', 'weights']) {
      const card = await saveScreenshot(frame.locator(`#${id}`), `panel-2-trained-${id}`);
      assertNotBlank(await pixelStats(browser!, card.png), `the ${id} card`);
    }
    await saveScreenshot(page, 'workbench-panel-trained');
  });

  it('shows what the network learned: decision map, neuron maps, distributions, confusion matrix', async () => {
    const frame = panelFrame(page);
    await frame.locator('#decision-card canvas.decision-canvas').waitFor({ timeout: 15_000 });
    // Every hidden neuron of the 2-4-1 network carries its own map of the input plane.
    await frame.locator('svg.network image.neuron-map').first().waitFor({ timeout: 15_000 });
    assert.strictEqual(await frame.locator('svg.network image.neuron-map').count(), 4);
    // The inputs' row, then one per layer, computed by the worker from the first 4 (all) training rows.
    assert.strictEqual(await frame.locator('#distributions-card .dist-row').count(), 3);
    assert.strictEqual(await frame.locator('#distributions-card .dist-row[data-layer="0"] figure.histogram').count(), 1, 'a[0] = x');
    assert.match((await frame.locator('#distributions-card .dist-about').textContent()) ?? '', /training rows 0–3 \(the first 4, every input\), through the weights of epoch 2000, step 2000/);
    assert.match((await frame.locator('#distributions-card .dist-row[data-layer="1"] .dist-facts').textContent()) ?? '', /layer 1 \(tanh\) · saturated:/);
    assert.strictEqual(await frame.locator('#distributions-card .dist-row[data-layer="1"] figure.histogram').count(), 3, 'W, a and dL/dW');
    // And their mean ± std over the epochs, as the worker recorded them: from the first epoch to
    // the run's last, however few snapshots the panel saw.
    const trends = frame.locator('#distributions-card .dist-row[data-layer="1"] figure.trend canvas');
    assert.strictEqual(await trends.count(), 3, 'W, a and dL/dW over epochs');
    assert.match((await trends.first().getAttribute('aria-label')) ?? '', /^W\[1\] over epochs: mean \S+ ± \S+ at epoch 1, \S+ ± \S+ at epoch 2000$/);
    const summary = frame.locator('#confusion-card .confusion-summary');
    // XOR has no validation split: the legend shows only the marker that is on the map.
    assert.deepStrictEqual(await frame.locator('#decision-card .point-legend-item').allTextContents(), ['training']);
    assert.strictEqual(await summary.getAttribute('data-accuracy'), '1');
    assert.match((await summary.textContent()) ?? '', /training split: 4 rows, accuracy 100\.0 %/);
    // Every chart's numbers as a table on demand (its text alternative), from the keyboard: the
    // loss curve's first row is epoch 1 with the CLI's loss, and 500 of the 2,000 rows are shown.
    const toggle = frame.locator('button.table-toggle[data-table="loss"]');
    await toggle.focus();
    await toggle.press('Enter');
    const table = frame.locator('.chart-table[data-table="loss"]');
    await table.locator('tbody tr').first().waitFor();
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'true');
    assert.deepStrictEqual(await table.locator('thead th').allTextContents(), ['epoch', 'loss', 'valLoss', 'accuracy', 'valAccuracy', 'seconds']);
    const cliFirst = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', path.join(dirs.workspace, 'xor-learn.mlp.json'), '--epochs', '1'], { encoding: 'utf8' }).trim());
    assert.deepStrictEqual((await table.locator('tbody tr').first().locator('td').allTextContents()).slice(0, 2), ['1', String(cliFirst.loss)]);
    assert.strictEqual(await table.locator('tbody tr').count(), 500);
    assert.match((await table.locator('p.hint').textContent()) ?? '', /The first 500 of 2,000 rows; CSV saves them all\./);
    await saveScreenshot(frame.locator('#loss'), 'panel-loss-table');
    await toggle.press('Enter');
    await table.waitFor({ state: 'detached' });
    await clearNotifications(page);
    for (const id of ['decision-card', 'distributions-card', 'confusion-card', 'network']) {
      const shot = await saveScreenshot(frame.locator(`#${id}`), `panel-insights-${id}`);
      assertNotBlank(await pixelStats(browser!, shot.png), id);
    }
  });

  /** Clicks an export button and accepts the save dialog's suggestion beside the model; the file's text. */
  async function exportThroughDialog(name: string): Promise<string> {
    const frame = panelFrame(page);
    await frame.locator(`button[data-export="${name}"]`).first().click();
    // code-server's save dialog is a quick input holding the suggested path beside the model.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const suggested = new RegExp(`workspace/${name.replace(/[.]/g, '\\.')}$`);
    const filled = Date.now() + 15_000;
    while (!suggested.test(await input.inputValue()) && Date.now() < filled) await new Promise((r) => setTimeout(r, 100));
    assert.match(await input.inputValue(), suggested);
    await input.press('Enter');
    const file = path.join(dirs.workspace, name);
    const deadline = Date.now() + 15_000;
    while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return fs.readFileSync(file, 'utf8');
  }

  it('exports the loss curve as CSV through a save dialog', async () => {
    const lines = (await exportThroughDialog('loss.csv')).trim().split('\n');
    assert.strictEqual(lines[0], 'epoch,loss,valLoss,accuracy,valAccuracy,seconds');
    assert.strictEqual(lines.length, 2001);
    assert.strictEqual(lines[2000].split(',')[0], '2000');
  });

  it('exports the loss curve, the network, a weight heatmap and the decision map as vector SVG', async () => {
    const loss = await exportThroughDialog('loss.svg');
    // The training loss as a path of 2,000 epochs' points (chart.js decimates to about 2 a pixel).
    assert.match(loss, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(loss, /<title>Loss J over epochs<\/title>/);
    assert.ok(((/<path d="(M[^"]+)" fill="none" stroke="[^"]+" stroke-width="2"/.exec(loss)?.[1] ?? '').match(/L/g) ?? []).length > 100, 'the loss curve is a path');
    assert.match(loss, /<text[^>]*>epoch<\/text>/);
    const network = await exportThroughDialog('network.svg');
    // 7 neurons (2-4-1) and 12 edges, with the theme's colours written in.
    assert.strictEqual((network.match(/<circle /g) ?? []).length, 7);
    assert.strictEqual((network.match(/<line /g) ?? []).length, 12);
    assert.doesNotMatch(network, /class=|var\(--/);
    const weights = await exportThroughDialog('weights-W1.svg');
    // W[1] (2 × 4) and b[1]: 3 rows of 4 cells, runs of equal colour merged, so at most 12 rects
    // plus the 11 of the colour bar and the background.
    const rects = (weights.match(/<rect /g) ?? []).length;
    assert.ok(rects >= 1 + 11 + 3 && rects <= 1 + 11 + 12, `${rects} rects`);
    const map = await exportThroughDialog('decision-map.svg');
    assert.strictEqual((map.match(/<circle /g) ?? []).length, 4, 'the 4 XOR points');
    // Look at them: each drawn by the browser, as a file viewer would.
    for (const [name, text] of [['loss', loss], ['network', network], ['weights-W1', weights], ['decision-map', map]] as const) {
      const context = await browser!.newContext();
      const viewer = await context.newPage();
      await viewer.setContent(`<body style="margin:0">${text}</body>`);
      const png = await viewer.locator('svg').screenshot({ path: path.join(ARTIFACTS, `svg-export-${name}.png`) });
      assertNotBlank(await pixelStats(browser!, png), `${name}.svg`);
      await context.close();
    }
  });

  it('shows the model, data and run in the sidebar', async () => {
    await showSidebar();
    const frame = sidebarFrame(page);
    await frame.locator('.model-name', { hasText: 'xor-learn' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('#side-run-state[data-state="stopped"]').waitFor();
    assert.match((await frame.locator('#side-data').textContent()) ?? '', /4 train · 0 validation · 0 test/);
    assert.strictEqual(await frame.locator('#hp-learning-rate').inputValue(), '0.5');
    // What trained it: XOR's batches of 4 stay on one thread; code-server's Node 20 extension
    // host runs the fused multiply-add kernels because the worker turned relaxed SIMD on.
    assert.strictEqual(await frame.locator('#side-arithmetic .v').textContent(), 'float32, relaxed-simd kernels, 1 thread');
    await clearNotifications(page);
    const shot = await saveScreenshot(sidebarElement(page), 'sidebar-1-trained');
    assertNotBlank(await pixelStats(browser!, shot.png), 'sidebar');
    await saveScreenshot(page, 'workbench-with-sidebar');
  });

  it('restores the panel on the same model after a window reload', async () => {
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const frame = panelFrame(page);
    await frame.locator('h1:text-is("MLP Inspector: xor-learn")').waitFor({ state: 'visible', timeout: 60_000 });
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    await saveScreenshot(panelElement(page), 'panel-3-after-reload');
    // The sidebar was open before the reload: it comes back, on the same model.
    await showSidebar();
    const name = sidebarFrame(page).locator('.model-name', { hasText: 'xor-learn' });
    try {
      await name.waitFor({ state: 'visible', timeout: 20_000 });
    } catch {
      // Seen about once in ten runs: after a window reload the restored view's document stays
      // empty (its script never ran, so not even "No model open." shows). Hiding and showing the
      // view loads its document again, as it would for a user; say so in the log, then check.
      console.log('      (the sidebar came back empty after the reload; hiding and showing it)');
      await activityBarIcon(page).click();
      await showSidebar();
      await name.waitFor({ state: 'visible', timeout: 30_000 });
    }
  });

  it('shows a broken model’s problem with its line and column, not a blank panel', async () => {
    fs.writeFileSync(path.join(dirs.workspace, 'broken.mlp.json'), '{\n  "layers": [{"units": 2}, {"units": 1, "activation": "sigmod"}],\n  "loss": "sse"\n}\n');
    // Open Inspector inspects the model in the active editor: open the file as a user would.
    await quickOpen(page, 'broken.mlp.json');
    await runCommand(page, 'MLP Inspector: Open Inspector');
    const frame = panelFrame(page);
    const problem = frame.locator('.problem-box li');
    await problem.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await problem.first().textContent()) ?? '', /broken\.mlp\.json:2:55: unknown activation "sigmod"/);
    await clearNotifications(page);
    const shot = await saveScreenshot(panelElement(page), 'panel-4-broken-model');
    assertNotBlank(await pixelStats(browser!, shot.png), 'panel with problems');
  });

  it('makes a new model from a CSV through the quick picks and opens it', async () => {
    // It opens a picker of its own at once: do not wait for the palette to close first (under
    // load the picker can replace it before the closed palette is ever seen).
    await runCommand(page, 'MLP Inspector: New Model from Dataset', { opensPicker: true });
    await answerQuickInput(page, 'New Model from Dataset', 'three-blobs.csv', 'three-blobs.csv');
    await answerQuickInput(page, '(1/5)', 'class', 'class');
    await answerQuickInput(page, '(2/5)', undefined); // all features, as pre-selected
    await answerQuickInput(page, '(3/5)', '8');
    await answerQuickInput(page, '(4/5)', 'tanh', 'tanh');
    await answerQuickInput(page, '(5/5)', 'blobs-new');
    const frame = panelFrame(page);
    await frame.locator('h1:text-is("MLP Inspector: blobs-new")').waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    const written = JSON.parse(fs.readFileSync(path.join(dirs.workspace, 'data', 'blobs-new.mlp.json'), 'utf8'));
    assert.deepStrictEqual(written.layers, [{ units: 4 }, { units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }]);
    assert.strictEqual(written.loss, 'cross_entropy');
    assert.deepStrictEqual(written.data.target, ['class']);
    // Column names with a comma, a quote and a semicolon arrive as text, not markup.
    await frame.locator(`svg.network circle.neuron[aria-label*='(petal "width")']`).waitFor();
    await clearNotifications(page);
    const shot = await saveScreenshot(panelElement(page), 'panel-5-new-model');
    assertNotBlank(await pixelStats(browser!, shot.png), 'new model panel');
  });

  it('applies a learning rate typed in the sidebar to the run', async () => {
    await showSidebar();
    const frame = sidebarFrame(page);
    await frame.locator('.model-name', { hasText: 'blobs-new' }).waitFor({ state: 'visible', timeout: 30_000 });
    const rate = frame.locator('#hp-learning-rate');
    await rate.fill('0.003');
    await rate.press('Enter');
    await rate.blur();
    await frame.locator('.model-name', { hasText: 'blobs-new ●' }).waitFor({ timeout: 15_000 });
    assert.strictEqual(await frame.locator('#hp-learning-rate').inputValue(), '0.003');
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('#side-run-state[data-state="stopped"]').waitFor({ timeout: 60_000 });
    await clearNotifications(page);
    const shot = await saveScreenshot(sidebarElement(page), 'sidebar-2-new-model-trained');
    assertNotBlank(await pixelStats(browser!, shot.png), 'sidebar after training');
    await saveScreenshot(page, 'workbench-new-model-trained');
  });

  it('changes the architecture from the sidebar after confirming that trained weights will be lost', async () => {
    const frame = sidebarFrame(page);
    const units = frame.locator('input[aria-label="units of layer 1"]');
    await units.fill('5');
    await units.press('Enter');
    await frame.locator('#apply-architecture').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /trained weights will be lost/);
    await saveScreenshot(page, 'workbench-architecture-confirm');
    await dialog.locator('a.monaco-button, button', { hasText: 'Change Architecture' }).first().click();
    const panel = panelFrame(page);
    await panel.locator('.subtitle', { hasText: '4-5-3' }).waitFor({ timeout: 30_000 });
    await panel.locator('.run-status[data-state="idle"][data-step="0"]').waitFor({ timeout: 30_000 });
    assert.strictEqual(await panel.locator('svg.network circle.neuron').count(), 4 + 5 + 3);
  });

  it('draws the fitted curve of a 1-input regression model, after asking about the unsaved one', async () => {
    await quickOpen(page, 'sine.mlp.json');
    await runCommand(page, 'MLP Inspector: Open Inspector');
    // blobs-new has a changed architecture that is not saved: opening another model asks first.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /not saved/);
    await dialog.locator('a.monaco-button, button', { hasText: 'Discard' }).first().click();
    const frame = panelFrame(page);
    await frame.locator('h1:text-is("MLP Inspector: sine")').waitFor({ timeout: 30_000 });
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="300"]').waitFor({ timeout: 90_000 });
    await frame.locator('#decision-card canvas.curve').waitFor({ timeout: 15_000 });
    await clearNotifications(page);
    const shot = await saveScreenshot(frame.locator('#decision-card'), 'panel-6-fitted-curve');
    assertNotBlank(await pixelStats(browser!, shot.png), 'fitted curve');
  });

  it('draws a 64-unit layer collapsed, not as a hairball', async () => {
    fs.writeFileSync(
      path.join(dirs.workspace, 'wide.mlp.json'),
      JSON.stringify({ name: 'wide', layers: [{ units: 2 }, { units: 64, activation: 'relu' }, { units: 2, activation: 'softmax' }], loss: 'cross_entropy', data: { synthetic: 'blobs', samples: 100 } }),
    );
    await quickOpen(page, 'wide.mlp.json');
    await runCommand(page, 'MLP Inspector: Open Inspector');
    // sine was trained and not saved: opening another model asks first (the dialog may take a moment).
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /sine\.mlp\.json has trained weights that are not saved/);
    await dialog.locator('a.monaco-button, button', { hasText: 'Discard' }).first().click();
    const frame = panelFrame(page);
    await frame.locator('h1:text-is("MLP Inspector: wide")').waitFor({ timeout: 30_000 });
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    // 6 first + 3 last of the 64 hidden units are drawn, and one summary node for the other 55.
    assert.strictEqual(await frame.locator('svg.network circle.neuron').count(), 2 + 9 + 2);
    assert.match((await frame.locator('svg.network g.collapsed').textContent()) ?? '', /⋮ 55 more/);
    await clearNotifications(page);
    const shot = await saveScreenshot(frame.locator('#network'), 'panel-7-wide-layer');
    assertNotBlank(await pixelStats(browser!, shot.png), 'wide network');
  });

  it('draws the distributions of a model with more than 64 inputs, from every input, and their course over its epochs', async () => {
    // 100 inputs: more than the 64 columns of the batch heatmap the panel used to recompute them from.
    const names = Array.from({ length: 100 }, (_, i) => `x${i}`);
    const lines = [[...names, 'y'].join(',')];
    for (let r = 0; r < 40; r++) {
      const x = names.map((_, i) => Math.sin(0.37 * (r * 100 + i)));
      lines.push([...x.map((v) => v.toFixed(4)), (x[0] * x[1] + x[2]).toFixed(4)].join(','));
    }
    fs.writeFileSync(path.join(dirs.workspace, 'inputs100.csv'), lines.join('\n') + '\n');
    fs.writeFileSync(
      path.join(dirs.workspace, 'inputs100.mlp.json'),
      JSON.stringify({
        name: 'inputs100',
        layers: [{ units: 100 }, { units: 8, activation: 'tanh' }, { units: 1 }],
        loss: 'mse',
        init: { seed: 3 },
        optimizer: { learningRate: 0.05, batchSize: 8, epochs: 30 },
        data: { path: 'inputs100.csv', features: names, target: ['y'], normalize: 'none', validationSplit: 0 },
      }),
    );
    // A model trained and not saved before this one makes the extension ask first.
    const frame = await openInspectorOn(page, 'inputs100.mlp.json', 'inputs100', 'if-asked');
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="30"]').waitFor({ timeout: 60_000 });
    const card = frame.locator('#distributions-card');
    await card.locator('.dist-about', { hasText: 'epoch 30' }).waitFor({ timeout: 15_000 });
    assert.match((await card.locator('.dist-about').textContent()) ?? '', /training rows 0–31 \(the first 32, every input\)/);
    assert.strictEqual(await card.locator('.dist-row').count(), 3, 'the inputs and 2 layers');
    // a[0]: every one of the 100 inputs of the 32 rows; W[1]: all 100 × 8 weights.
    assert.match((await card.locator('.dist-row[data-layer="0"] figure.histogram canvas').getAttribute('aria-label')) ?? '', /^a\[0\]: 3200 values/);
    assert.match((await card.locator('.dist-row[data-layer="1"] figure.histogram canvas').first().getAttribute('aria-label')) ?? '', /^W\[1\]: 800 values/);
    assert.strictEqual(await card.locator('.dist-row[data-layer="1"] figure.histogram').count(), 3, 'W, a and dL/dW');
    const trends = card.locator('.dist-row[data-layer="1"] figure.trend canvas');
    assert.strictEqual(await trends.count(), 3);
    assert.match((await trends.first().getAttribute('aria-label')) ?? '', /at epoch 1, \S+ ± \S+ at epoch 30$/);
    await clearNotifications(page);
    const shot = await saveScreenshot(card, 'panel-8-distributions-100-inputs');
    assertNotBlank(await pixelStats(browser!, shot.png), 'distributions of a 100-input model');
    // Too many inputs for a slice: a short line says why there is no map, not a large empty card.
    assert.match((await frame.locator('#decision-card .hint').textContent()) ?? '', /^No map: .* this model has 100 inputs and 1 outputs\.$/);
    const cardHeight = (await frame.locator('#decision-card').boundingBox())!.height;
    assert.ok(cardHeight < 170, `the card is ${cardHeight} px high`);
  });

  it('maps a 4-input model on a slice through two chosen inputs, the others at their training means', async () => {
    const frame = await openInspectorOn(page, 'penguins.mlp.json', 'penguins', 'if-asked');
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="200"]').waitFor({ timeout: 90_000 });
    const card = frame.locator('#decision-card');
    await card.locator('canvas.decision-canvas').waitFor({ timeout: 15_000 });
    const horizontal = card.locator('#slice-horizontal');
    const vertical = card.locator('#slice-vertical');
    assert.strictEqual(await horizontal.inputValue(), '0');
    assert.strictEqual(await vertical.inputValue(), '1');
    const hint = card.locator('p.hint');
    // Standardized inputs: their means over the training rows are 0 (to 1e−16, shown as 0).
    assert.match((await hint.textContent()) ?? '', /^horizontal: Beak Length \(mm\) \(.*\), vertical: Beak Depth \(mm\) \(.*\); a slice: the other inputs held at their training means \(Flipper Length \(mm\) = 0, Body Mass \(g\) = 0\), as the network sees them$/);
    // Every hidden neuron's map is drawn on the same slice.
    assert.strictEqual(await frame.locator('svg.network image.neuron-map').count(), 8);
    await clearNotifications(page);
    await saveScreenshot(card, 'panel-9-decision-slice-beak');
    // From the keyboard: the horizontal axis becomes the flipper length.
    await horizontal.focus();
    await horizontal.selectOption('2');
    await hint.filter({ hasText: /^horizontal: Flipper Length/ }).waitFor({ timeout: 15_000 });
    assert.match((await hint.textContent()) ?? '', /held at their training means \(Beak Length \(mm\) = 0, Body Mass \(g\) = 0\)/);
    // Picking the other axis's input swaps the two.
    await vertical.selectOption('2');
    await hint.filter({ hasText: /^horizontal: Beak Depth \(mm\) .*vertical: Flipper Length/ }).waitFor({ timeout: 15_000 });
    const shot = await saveScreenshot(card, 'panel-9-decision-slice-depth-flipper');
    assertNotBlank(await pixelStats(browser!, shot.png), 'the slice');
  });

  for (const [theme, file] of [['Light Modern', 'light'], ['Dark High Contrast', 'high-contrast']] as const) {
    it(`follows the ${theme} theme`, async () => {
      await setTheme(page, theme);
      await clearNotifications(page);
      const shot = await saveScreenshot(panelElement(page), `panel-theme-${file}`);
      assertNotBlank(await pixelStats(browser!, shot.png), `${theme} panel`);
    });
  }

  /** The RGBA of a canvas's pixels at (x, y) (backing-store pixels, read in the webview). */
  async function canvasPixels(canvas: Locator, at: readonly (readonly [number, number])[]): Promise<number[][]> {
    return canvas.evaluate((c, points) => {
      const cv = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
      const data = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      return points.map(([x, y]) => {
        const o = 4 * (Math.floor(y) * cv.width + Math.floor(x));
        return [data[o], data[o + 1], data[o + 2], data[o + 3]];
      });
    }, at);
  }

  const near = (px: readonly number[], rgb: readonly number[], tol = 6): boolean => rgb.every((v, i) => Math.abs(px[i] - v) <= tol);

  it('tells training points from validation points on the decision map, in every theme', async () => {
    // Two classes on a half-grid (points 0.5 apart, 33 px on the map), and one of each on the
    // other's side. Each class's extreme x1 and x2 appear 4 times and only 3 rows of a class go
    // to validation (17 × 0.2, stratified), so the map's range is the training data's ±2 plus 10 %.
    const rows: [number, number, string][] = [];
    for (const u of [0.5, 1, 1.5, 2]) for (const v of [0.5, 1, 1.5, 2]) rows.push([u, v, 'a'], [-u, -v, 'b']);
    rows.push([-1.25, -0.25, 'a'], [1.25, 0.25, 'b']);
    fs.writeFileSync(path.join(dirs.workspace, 'points.csv'), ['x1,x2,label', ...rows.map((r) => r.join(','))].join('\n') + '\n');
    // All-zero parameters: the softmax says 1/2 everywhere, so the whole map is the neutral grey
    // of "no decision", and what a marker's centre shows is known exactly.
    fs.writeFileSync(
      path.join(dirs.workspace, 'points.mlp.json'),
      JSON.stringify({
        name: 'points',
        layers: [{ units: 2 }, { units: 2, activation: 'softmax' }],
        loss: 'cross_entropy',
        optimizer: { type: 'sgd', learningRate: 0.5, batchSize: 34, shuffle: false, epochs: 300 },
        data: { path: 'points.csv', features: ['x1', 'x2'], target: ['label'], normalize: 'none', validationSplit: 0.2 },
        parameters: [{ W: [[0, 0], [0, 0]], b: [0, 0] }],
      }),
    );
    // A model opened earlier with unsaved weights makes VS Code ask first.
    const frame = await openInspectorOn(page, 'points.mlp.json', 'points', 'if-asked');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    const card = frame.locator('#decision-card');
    const map = card.locator('canvas.decision-canvas');
    await map.waitFor({ timeout: 15_000 });
    assert.match((await card.locator('p.hint').first().textContent()) ?? '', /horizontal: x1 \(−2\.4 … 2\.4\), vertical: x2 \(−2\.4 … 2\.4\)/);

    // The legend draws the two markers themselves: a disc for training, a ring for validation.
    const items = card.locator('.point-legend-item');
    assert.deepStrictEqual(await items.allTextContents(), ['training', 'validation']);
    const disc = await canvasPixels(card.locator('.point-legend-item[data-kind="training"] canvas'), [[10, 10]]);
    const ring = await canvasPixels(card.locator('.point-legend-item[data-kind="validation"] canvas'), [[10, 10], [15.25, 10]]);
    assert.ok(disc[0][3] === 255, `the training swatch's centre is filled: ${disc[0]}`);
    assert.ok(ring[0][3] === 0, `the validation swatch's centre is open: ${ring[0]}`);
    assert.ok(ring[1][3] === 255 && near(ring[1], disc[0]), `the validation swatch's ring has the training disc's colour: ${ring[1]} vs ${disc[0]}`);

    // On the map: every point's centre is either its class's colour (as the legend's class
    // swatch gives it), a training disc, or the map's own grey inside a validation ring of that colour.
    const swatches = await card.locator('.class-legend .swatch').evaluateAll((els) => els.map((e) => (e as unknown as { style: { background: string } }).style.background));
    const classRgb = swatches.map((c) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(c) ?? []).slice(1).map(Number));
    assert.strictEqual(classRgb.length, 2, `two class swatches: ${swatches}`);
    const grey = [128, 128, 128];
    const toPx = (v: number) => ((v + 2.4) / 4.8) * 320;
    const centres = rows.map(([u, v]) => [toPx(u), 320 - toPx(v)] as const);
    const atCentre = await canvasPixels(map, centres);
    // Inside the ring's coloured band (4 to 6.5 px from the centre), however the pixel grid falls.
    const onRing = await canvasPixels(map, centres.map(([x, y]) => [x + 5.25, y] as const));
    let training = 0;
    let validation = 0;
    rows.forEach(([u, v, label], r) => {
      const rgb = classRgb[label === 'a' ? 0 : 1];
      if (near(atCentre[r], rgb)) training++;
      else if (near(atCentre[r], grey) && near(onRing[r], rgb)) validation++;
      else assert.fail(`the point (${u}, ${v}) of class ${label} is neither a ${rgb} disc nor a ${rgb} ring around the grey map: centre ${atCentre[r]}, ring ${onRing[r]}`);
    });
    assert.deepStrictEqual({ training, validation }, { training: 28, validation: 6 });
    await clearNotifications(page);
    await saveScreenshot(card, 'decision-points-untrained');

    // Trained, each point sits on a class's colour, most on its own: the case that used to read
    // backwards. The markers do not depend on the theme; the legend sits on the theme's background.
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="300"]').waitFor({ timeout: 60_000 });
    const trainedCentres = await canvasPixels(map, centres);
    const trainedRing = await canvasPixels(map, centres.map(([x, y]) => [x + 5.25, y] as const));
    rows.forEach(([u, v, label], r) => {
      const rgb = classRgb[label === 'a' ? 0 : 1];
      assert.ok(near(atCentre[r], grey) ? near(trainedRing[r], rgb) : near(trainedCentres[r], rgb), `the point (${u}, ${v}) keeps its marker after training`);
    });
    for (const [theme, file] of [['Dark Modern', 'dark'], ['Light Modern', 'light'], ['Dark High Contrast', 'high-contrast'], ['Light High Contrast', 'high-contrast-light']] as const) {
      await setTheme(page, theme);
      await clearNotifications(page);
      const shot = await saveScreenshot(card, `decision-points-${file}`);
      assertNotBlank(await pixelStats(browser!, shot.png), `the decision map in ${theme}`);
    }

    // The fitted curve of a 1-input model draws its points with the same two markers.
    await openInspectorOn(page, 'sine.mlp.json', 'sine', 'expected'); // points' trained weights are not saved
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="300"]').waitFor({ timeout: 90_000 });
    await card.locator('canvas.curve').waitFor({ timeout: 15_000 });
    assert.deepStrictEqual(await items.allTextContents(), ['training', 'validation']);
    for (const [theme, file] of [['Light High Contrast', 'high-contrast-light'], ['Dark Modern', 'dark']] as const) {
      await setTheme(page, theme);
      await clearNotifications(page);
      const shot = await saveScreenshot(card, `fitted-curve-points-${file}`);
      assertNotBlank(await pixelStats(browser!, shot.png), `the fitted curve in ${theme}`);
    }
  });
  it('lays out for a narrow panel (three editor groups): no clipped buttons, diagram labels at full size', async () => {
    // The sine model is open (the test before). Earlier tests left several groups: one group with
    // every editor, then three columns, leaves the panel a third of the editor area.
    await runCommand(page, 'View: Single Column Editor Layout');
    await runCommand(page, 'View: Three Columns Editor Layout');
    await page.locator('.tabs-container .tab', { hasText: 'MLP Inspector: sine' }).first().click();
    const frame = panelFrame(page);
    const body = frame.locator('body');
    const deadline = Date.now() + 15_000;
    let width = (await body.boundingBox())!.width;
    while (width > 560 && Date.now() < deadline) {
      await page.waitForTimeout(200);
      width = (await body.boundingBox())!.width;
    }
    assert.ok(width <= 560, `the panel is ${width} px wide`);
    // Every toolbar button is whole, inside the panel (the toolbar wraps).
    const box = (await body.boundingBox())!;
    for (const b of await frame.locator('.toolbar button').all()) {
      const r = (await b.boundingBox())!;
      assert.ok(r.x >= box.x - 0.5 && r.x + r.width <= box.x + box.width + 0.5, `${await b.textContent()} at ${r.x}…${r.x + r.width} of ${box.x}…${box.x + box.width}`);
    }
    // The cards stack in one column, each within the panel.
    for (const id of ['network', 'loss', 'weights']) {
      const r = (await frame.locator(`#${id}`).boundingBox())!;
      assert.ok(r.width <= box.width + 0.5, `#${id} is ${r.width} px in a ${box.width} px panel`);
    }
    // The diagram's labels keep their 11 px (the diagram scrolls sideways instead of shrinking).
    const label = frame.locator('svg.network text').first();
    const h = (await label.boundingBox())!.height;
    assert.ok(h >= 10, `a diagram label is ${h} px high`);
    await clearNotifications(page);
    const shot = await saveScreenshot(frame.locator('#network'), 'panel-narrow-network');
    assertNotBlank(await pixelStats(browser!, shot.png), 'the narrow panel');
    await saveScreenshot(page, 'workbench-narrow-panel');
    await runCommand(page, 'View: Single Column Editor Layout');
  });
});
