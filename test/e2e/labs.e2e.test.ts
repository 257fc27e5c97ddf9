import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunDirs } from './harness/runDirs';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ARTIFACTS } from './harness/paths';
import { clearNotifications, frameWithBodyClass, pixelStats, quickOpen } from './harness/workbench';

// The labs, opened from the command palette of a real VS Code (code-server) with the packaged .vsix.
describe('MLP Inspector labs in a real VS Code (UI)', function () {
  this.timeout(120_000);

  let dirs: RunDirs;
  let browser: Browser | undefined;
  let page: Page;

  const wb = useWorkbench('labs');
  before(() => {
    ({ browser, page, dirs } = wb);
  });

  /**
   * The document of the lab panel `lab`: webviews are nested iframes, and several panels may
   * exist at once, so the lab is found by the body class its host writes (`lab-NAME`).
   */
  async function labFrame(lab: string, timeout = 30_000): Promise<Frame> {
    return frameWithBodyClass(page, `lab-${lab}`, timeout);
  }


  /**
   * Runs a palette command. A webview that has focus while it (re)loads swallows F1, so when the
   * palette does not open, focus moves to the workbench's status bar and F1 is tried again.
   */
  async function command(title: string): Promise<void> {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const focused = '.quick-input-list .monaco-list-row.focused';
    const row = page.locator(`${focused}[aria-label=${JSON.stringify(title)}], ${focused}[aria-label^=${JSON.stringify(`${title}, `)}]`);
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 3000 });
        await input.fill(`>${title}`, { timeout: 3000 });
        // As the harness's runCommand: Enter only once the focused row is this very command.
        await row.waitFor({ state: 'visible', timeout: 5000 });
        await input.press('Enter', { timeout: 3000 });
        await input.waitFor({ state: 'hidden' });
        return;
      } catch (err) {
        lastError = err;
        await page.keyboard.press('Escape');
        await page.locator('.part.statusbar').click({ position: { x: 700, y: 8 } });
        await page.waitForTimeout(500);
      }
    }
    throw lastError;
  }

  /** Screenshots the lab's visible panel (its iframe) into test-artifacts/ and checks it is not blank. */
  async function shootPanel(frame: Frame, name: string): Promise<void> {
    await clearNotifications(page);
    const png = await (await frame.frameElement()).screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    assertNotBlank(await pixelStats(browser!, png), name);
  }

  /** Screenshots one element inside a lab (scrolled into view). */
  async function shootElement(frame: Frame, selector: string, name: string): Promise<void> {
    const png = await frame.locator(selector).screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    assertNotBlank(await pixelStats(browser!, png), name);
  }

  /**
   * Opens `file` in an editor (Quick Open), then the inspector on it. Quick Open, not the
   * command's own quick pick: after typing in a webview, focus returns there and would close a
   * quick pick that a command opens.
   */
  async function openModel(file: string): Promise<void> {
    await quickOpen(page, file);
    await command('MLP Inspector: Open Inspector');
    const inspector = await frameWithBodyClass(page, 'inspector');
    await inspector.locator('h1', { hasText: 'MLP Inspector: ' }).waitFor({ timeout: 30_000 });
  }

  it('plots f and f′ of every activation, softmax of a vector, and ELU’s α', async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await command('MLP Inspector: Show Activation Functions');
    const frame = await labFrame('activations');
    await frame.locator('#act-gelu canvas').waitFor({ state: 'visible' });
    const titles = await frame.locator('#activation-plots .activation-card h2').allTextContents();
    assert.deepStrictEqual(titles, ['identity', 'ReLU', 'ELU', 'Leaky ReLU', 'tanh', 'sigmoid', 'GELU']);
    assert.strictEqual(await frame.locator('#activation-plots canvas').count(), 7);
    // Every plot, and softmax, has PNG, SVG and CSV export buttons, and a table of its numbers.
    assert.ok((await frame.locator('button[data-export]').count()) > 0, 'the activation lab has export buttons');
    assert.strictEqual(await frame.locator('#activation-plots button[data-export]').count(), 21);
    assert.strictEqual(await frame.locator('#activation-plots button[data-export$=".svg"]').count(), 7);
    assert.strictEqual(await frame.locator('#activation-plots button.table-toggle').count(), 7);
    assert.strictEqual(await frame.locator('#softmax button[data-export]').count(), 3);
    await shootPanel(frame, 'labs-1-activations-top');
    // The host computes softmax and answers: the table shows the answer once it arrives.
    const softmaxShows = async (want: string[]) => {
      let got: string[] = [];
      for (let k = 0; k < 100; k++) {
        got = await frame.locator('#softmax .softmax-a').allTextContents();
        if (JSON.stringify(got) === JSON.stringify(want)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepStrictEqual(got, want);
    };
    // softmax(2, 1, 0.1) = (0.6590, 0.2424, 0.09857), as the lecture's example.
    await softmaxShows(['0.659', '0.2424', '0.09857']);
    assert.strictEqual(await frame.locator('#softmax tr.total td').last().textContent(), '1');
    const alpha = frame.locator('#elu-alpha');
    await alpha.fill('2');
    await alpha.press('Enter');
    await frame.locator('#act-elu .formula', { hasText: 'α(e^z − 1), α = 2' }).waitFor();
    await frame.locator('#softmax-z').fill('1, 1');
    await softmaxShows(['0.5', '0.5']);
    await frame.locator('#softmax-z').fill('2, 1, 0.1');
    await softmaxShows(['0.659', '0.2424', '0.09857']);
    // No model is open yet: the collapse button says so instead of drawing nothing.
    await frame.locator('#show-collapse').click();
    await frame.locator('.collapse-unavailable', { hasText: 'No model is open' }).waitFor();
    await shootPanel(frame, 'labs-1-activations');
    await shootElement(frame, '#softmax', 'labs-1-activations-softmax');
  });

  it('multiplies the open model’s weight matrices into one layer', async () => {
    await openModel('xor-learn.mlp.json');
    await page.locator('.tabs-container .tab.active', { hasText: 'MLP Inspector: xor-learn' }).waitFor({ timeout: 30_000 });
    await command('MLP Inspector: Show Activation Functions');
    const frame = await labFrame('activations');
    await frame.locator('#show-collapse').click();
    const statement = frame.locator('.collapse-statement');
    await statement.waitFor({ timeout: 30_000 });
    assert.match((await statement.textContent()) ?? '', /^xor-learn \(xor-learn\.mlp\.json\): with σ\(z\) = z in every layer, ŷ = x W\[1\]W\[2\] \+ b — one layer with W = W\[1\]W\[2\] \(2 × 1\)/);
    assert.strictEqual(await frame.locator('.collapse-check').getAttribute('data-equal'), 'true');
    assert.match((await frame.locator('.collapse-check').textContent()) ?? '', /Checked on 64 inputs drawn from N\(0, 1\)/);
    // W[1] (2 × 4), W[2] (4 × 1) and their product (2 × 1), as numbers.
    assert.deepStrictEqual(await frame.locator('.collapse-chain figcaption').allTextContents(), ['W[1] (2 × 4), σ = tanh', 'W[2] (4 × 1), σ = sigmoid', 'W (2 × 1)']);
    assert.strictEqual(await frame.locator('.collapse-result td').count(), 2);
    await frame.locator('#collapse').scrollIntoViewIfNeeded();
    await shootElement(frame, '#collapse', 'labs-2-collapse');
    await shootPanel(frame, 'labs-2-activations-with-collapse');
  });

  it('compares the initializers on the open model’s layers, and zeros stays symmetric', async () => {
    await command('MLP Inspector: Open Initialization Lab');
    const frame = await labFrame('initialization');
    const zeros1 = frame.locator('#init-stats tr[data-initializer="zeros"][data-layer="1"]');
    await zeros1.waitFor({ timeout: 30_000 });
    assert.match((await frame.locator('.subtitle').textContent()) ?? '', /^2-4-1 with σ = tanh, sigmoid, from xor-learn \(xor-learn\.mlp\.json\)/);
    // 5 initializers × 2 layers.
    assert.strictEqual(await frame.locator('#init-stats tbody tr').count(), 10);
    assert.strictEqual(await zeros1.locator('td').last().textContent(), 'symmetric');
    for (const init of ['uniform', 'normal', 'xavier', 'he']) {
      assert.strictEqual(await frame.locator(`#init-stats tr[data-initializer="${init}"][data-layer="1"] td`).last().textContent(), 'distinct', init);
    }
    // Zero init: tanh(0) = 0 everywhere, so mean and variance of a[1] are exactly 0.
    const cells = await zeros1.locator('td').allTextContents();
    assert.deepStrictEqual(cells.slice(0, 3), ['zeros', '1', '4 tanh']);
    assert.deepStrictEqual([cells[5], cells[6]], ['0', '0']);
    assert.match((await frame.locator('.symmetry-col[data-initializer="zeros"] .verdict').textContent()) ?? '', /^symmetric: all 4 hidden units/);
    assert.match((await frame.locator('.symmetry-col[data-initializer="xavier"] .verdict').textContent()) ?? '', /^symmetry broken/);
    assert.strictEqual(await frame.locator('#init-charts canvas').count(), 2);
    await shootPanel(frame, 'labs-3-initialization');
    await shootElement(frame, '#init-table', 'labs-3-initialization-table');
    await shootElement(frame, '#init-symmetry', 'labs-3-initialization-symmetry');
  });

  it('sweeps depth 1..2 × width 2..4 on xor-learn, writes the sweep file, reopens it and opens the best', async () => {
    await command('MLP Inspector: Run Architecture Sweep');
    let frame = await labFrame('sweep');
    await frame.locator('h1', { hasText: 'Architecture Sweep: xor-learn' }).waitFor({ timeout: 30_000 });
    await frame.locator('#sweep-depths').fill('1..2');
    await frame.locator('#sweep-widths').fill('2..4');
    await frame.locator('#sweep-epochs').fill('300');
    assert.match((await frame.locator('#sweep-form .hint').last().textContent()) ?? '', /^6 configurations × 300 epochs/);
    await frame.locator('#run-sweep').click();
    await frame.locator('#sweep-results .run-status[data-running="false"][data-results="6"]').waitFor({ timeout: 60_000 });
    const rows = frame.locator('#sweep-table tbody tr');
    assert.strictEqual(await rows.count(), 6);
    const attrs = async (name: string) => Promise.all(Array.from({ length: 6 }, (_, i) => rows.nth(i).getAttribute(name)));
    const depths = await attrs('data-depth');
    const widths = await attrs('data-width');
    const shapes = depths.map((d, i) => `${d}×${widths[i]}`);
    assert.deepStrictEqual(shapes, ['1×2', '1×3', '1×4', '2×2', '2×3', '2×4']);
    assert.strictEqual(await frame.locator('#sweep-table tr.best').count(), 1);
    const file = path.join(dirs.workspace, 'xor-learn.sweep.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(written.format, 'mlp-inspector-sweep');
    assert.strictEqual(written.cancelled, false);
    assert.deepStrictEqual(written.spec.depths, [1, 2]);
    assert.deepStrictEqual(written.spec.widths, [2, 3, 4]);
    assert.strictEqual(written.results.length, 6);
    // The table shows the file's losses.
    const shownLosses = (await attrs('data-loss')).map(Number);
    assert.deepStrictEqual(shownLosses, written.results.map((r: { finalLoss: number }) => r.finalLoss));
    assert.match((await frame.locator('#sweep-results .run-status').textContent()) ?? '', /Finished 6 of 6 configurations · saved in xor-learn\.sweep\.json/);
    await shootPanel(frame, 'labs-4-sweep');
    await shootElement(frame, '#sweep-results', 'labs-4-sweep-results');

    // Closing the panel and running the command again reopens the sweep from its file.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Sweep: xor-learn' });
    await tab.hover();
    await tab.locator('.tab-actions .action-label').click();
    await tab.waitFor({ state: 'detached' });
    await command('MLP Inspector: Run Architecture Sweep');
    frame = await labFrame('sweep');
    await frame.locator('#sweep-results .run-status[data-results="6"]', { hasText: 'saved in xor-learn.sweep.json' }).waitFor({ timeout: 30_000 });
    assert.strictEqual(await frame.locator('#sweep-widths').inputValue(), '2, 3, 4');

    await frame.locator('#open-best').click();
    await page.locator('.tabs-container .tab.active', { hasText: /MLP Inspector: xor-learn \(\d×\d tanh, η 0\.5\)/ }).waitFor({ timeout: 30_000 });
    const best = JSON.parse(fs.readFileSync(path.join(dirs.workspace, 'xor-learn-best.mlp.json'), 'utf8'));
    const bestRow = written.results.reduce((a: { finalLoss: number }, b: { finalLoss: number }) => (b.finalLoss < a.finalLoss ? b : a));
    assert.strictEqual(best.layers.length - 2, bestRow.config.depth);
    assert.strictEqual(best.layers[1].units, bestRow.config.width);
    assert.strictEqual(best.data.path, 'data/xor.csv');
    await clearNotifications(page);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'labs-5-best-opened.png') });
  });

  it('keeps every sweep in xor-learn.sweeps/ and compares a second sweep with the first, configuration by configuration', async () => {
    // The sweep command sweeps the active editor's model: make that xor-learn again.
    await quickOpen(page, 'xor-learn.mlp.json');
    await command('MLP Inspector: Run Architecture Sweep');
    const frame = await labFrame('sweep');
    await frame.locator('#sweep-results .run-status[data-results="6"]').waitFor({ timeout: 30_000 });
    // Only the sweep shown is kept so far: nothing earlier to compare with.
    assert.strictEqual(await frame.locator('#sweep-compare').isVisible(), false);
    await frame.locator('#sweep-depths').fill('1');
    await frame.locator('#sweep-widths').fill('2..3');
    await frame.locator('#sweep-epochs').fill('600');
    await frame.locator('#run-sweep').click();
    await frame.locator('#sweep-results .run-status[data-running="false"][data-results="2"]').waitFor({ timeout: 60_000 });
    const archive = path.join(dirs.workspace, 'xor-learn.sweeps');
    const kept = fs.readdirSync(archive).filter((f) => f.endsWith('.sweep.json')).sort();
    assert.strictEqual(kept.length, 2, `kept: ${kept.join(', ')}`);
    const [first, second] = kept.map((f) => JSON.parse(fs.readFileSync(path.join(archive, f), 'utf8')));
    assert.strictEqual(first.results.length, 6);
    assert.strictEqual(second.results.length, 2);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dirs.workspace, 'xor-learn.sweep.json'), 'utf8')), second, 'NAME.sweep.json is the latest');

    // Compare with the first: each row shows that sweep's J for the same 1×w configuration.
    const picker = frame.locator('#sweep-compare');
    await picker.waitFor({ state: 'visible', timeout: 15_000 });
    assert.strictEqual(await picker.locator('option').count(), 2, 'none, and the first sweep');
    await picker.selectOption({ index: 1 });
    await frame.locator('#sweep-table th', { hasText: 'earlier J (train)' }).waitFor({ timeout: 15_000 });
    const rows = frame.locator('#sweep-table tbody tr');
    assert.strictEqual(await rows.count(), 2);
    for (let i = 0; i < 2; i++) {
      const width = Number(await rows.nth(i).getAttribute('data-width'));
      const before = first.results.find((r: { config: { depth: number; width: number } }) => r.config.depth === 1 && r.config.width === width);
      assert.ok(before, `the first sweep trained 1×${width}`);
      assert.strictEqual(Number(await rows.nth(i).locator('td.earlier').first().getAttribute('data-loss')), before.finalLoss, `1×${width}: the first sweep’s J`);
      assert.strictEqual(Number(await rows.nth(i).getAttribute('data-loss')), second.results[i].finalLoss);
    }
    await clearNotifications(page);
    await shootElement(frame, '#sweep-results', 'labs-6-sweep-compared');
    // And back to no comparison.
    await picker.selectOption({ index: 0 });
    await frame.locator('#sweep-table th', { hasText: 'earlier J (train)' }).waitFor({ state: 'detached', timeout: 15_000 });
  });
});
