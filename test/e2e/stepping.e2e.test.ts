import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { RunDirs } from './harness/runDirs';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ROOT } from './harness/paths';
import * as fs from 'fs';
import * as os from 'os';
import { clearNotifications, openInspectorOn, panelElement, panelFrame, pixelStats, quickOpen, runCommand, saveScreenshot, typeCommand } from './harness/workbench';

/** The exact values of the numbers in a ledger row (`data-value`), in order. */
async function ledgerValues(frame: FrameLocator, quantity: string): Promise<number[]> {
  const row = frame.locator(`.ledger-row[data-quantity="${quantity}"]`).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  const values = await row.locator('.num').evaluateAll((nodes) => nodes.map((n) => (n as unknown as { dataset: Record<string, string> }).dataset.value ?? ''));
  return values.map(Number);
}

// Stepping the lecture's XOR network through the real UI: every number the ledger shows must be
// the CLI's float64 value for the same model and sample.
describe('MLP Inspector in a real VS Code (UI): stepping and the ledger', function () {
  this.timeout(120_000);

  let browser: Browser | undefined;
  let page: Page;
  let dirs: RunDirs;
  const cli = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8' }));

  const wb = useWorkbench('ui-stepping');
  before(() => {
    ({ browser, page, dirs } = wb);
  });

  async function shoot(name: string): Promise<void> {
    await clearNotifications(page);
    const shot = await saveScreenshot(panelFrame(page).locator('#step'), name);
    assertNotBlank(await pixelStats(browser!, shot.png), name);
  }

  it('opens the hand-built XOR network and picks the sample x = (1, 0)', async () => {
    await quickOpen(page, 'xor.mlp.json');
    await runCommand(page, 'MLP Inspector: Open Inspector');
    const frame = panelFrame(page);
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    const sample = frame.locator('#sample-index');
    await sample.fill('2');
    await sample.press('Enter');
    await frame.locator('.sample-info', { hasText: 'row 2 of 4 · y = (1)' }).waitFor();
  });

  it('Step Forward computes one layer at a time; the ledger shows the CLI’s z and a', async () => {
    const frame = panelFrame(page);
    const fwd = cli('forward', path.join(dirs.workspace, 'xor.mlp.json'), '--input', '1,0');
    await runCommand(page, 'MLP Inspector: Step Forward');
    await frame.locator('.layer-tabs .phase', { hasText: 'forward: 1 of 2 layers computed' }).waitFor({ timeout: 15_000 });
    assert.deepStrictEqual(await ledgerValues(frame, 'a0'), [1, 0]);
    assert.deepStrictEqual(await ledgerValues(frame, 'z1'), fwd.layers[0].z);
    assert.deepStrictEqual(await ledgerValues(frame, 'a1'), fwd.layers[0].a);
    // The shown text is the same number, rounded.
    assert.strictEqual(await frame.locator('.ledger-row[data-quantity="z1"] .num').first().textContent(), '−10');
    await shoot('step-1-forward-layer-1');
    // The panel's own button does the same as the palette.
    await frame.locator('button[data-command="stepForward"]').click();
    await frame.locator('.layer-tabs .phase', { hasText: 'forward done: J computed' }).waitFor({ timeout: 15_000 });
    assert.deepStrictEqual(await ledgerValues(frame, 'a2'), fwd.output);
    const bwd = cli('backward', path.join(dirs.workspace, 'xor.mlp.json'), '--input', '1,0', '--target', '1');
    assert.deepStrictEqual(await ledgerValues(frame, 'J'), [bwd.loss]);
    await shoot('step-2-forward-done');
  });

  it('Step Backward carries dL/dz back by the chain rule; the ledger shows the CLI’s gradients', async () => {
    const frame = panelFrame(page);
    const bwd = cli('backward', path.join(dirs.workspace, 'xor.mlp.json'), '--input', '1,0', '--target', '1');
    await runCommand(page, 'MLP Inspector: Step Backward');
    await frame.locator('.layer-tabs .phase', { hasText: 'backward: gradients of layers 2..2' }).waitFor({ timeout: 15_000 });
    assert.deepStrictEqual(await ledgerValues(frame, 'dLdz2'), bwd.layers[1].dLdz);
    assert.deepStrictEqual(await ledgerValues(frame, 'dLdW2'), bwd.layers[1].dLdW.flat());
    assert.deepStrictEqual(await ledgerValues(frame, 'dLda1'), bwd.layers[0].dLda);
    await shoot('step-3-backward-layer-2');
    await runCommand(page, 'MLP Inspector: Step Backward');
    await frame.locator('.layer-tabs .phase', { hasText: 'backward: gradients of layers 1..2' }).waitFor({ timeout: 15_000 });
    assert.deepStrictEqual(await ledgerValues(frame, 'dLdz1'), bwd.layers[0].dLdz);
    assert.deepStrictEqual(await ledgerValues(frame, 'dLdW1'), bwd.layers[0].dLdW.flat());
    assert.deepStrictEqual(await ledgerValues(frame, 'dLdb1'), bwd.layers[0].dLdb);
    await shoot('step-4-backward-done');
  });

  it('clicking a neuron writes out its z_j term by term and its dL/dz_j by the chain rule', async () => {
    const frame = panelFrame(page);
    await frame.locator('svg.network circle.neuron[aria-label^="neuron 1 of layer 1"]').click();
    const z = await ledgerValues(frame, 'z1_1');
    // z_1 = b_1 + W_01 a_0 + W_11 a_1 = −10 + 20·1 + 20·0 = 10
    assert.deepStrictEqual(z, [-10, 20, 1, 20, 0, 10]);
    const g = await ledgerValues(frame, 'dLdz1_1');
    assert.strictEqual(g.length, 3);
    assert.ok(Math.abs(g[0] * g[1] - g[2]) <= 1e-15 * Math.abs(g[2]), `dL/da · σ′ = dL/dz: ${g}`);
    await shoot('step-5-neuron-line');
  });

  it('Apply Update shows W before, the step −η∇J, and W after; Undo reverts it', async () => {
    const frame = panelFrame(page);
    const bwd = cli('backward', path.join(dirs.workspace, 'xor.mlp.json'), '--input', '1,0', '--target', '1');
    await runCommand(page, 'MLP Inspector: Apply Update');
    await frame.locator('.layer-tabs .phase', { hasText: 'update applied' }).waitFor({ timeout: 15_000 });
    await frame.locator('.layer-tabs .tab[data-layer="2"]').click();
    const before = await ledgerValues(frame, 'Wbefore2');
    const step = await ledgerValues(frame, 'dW2');
    const after = await ledgerValues(frame, 'Wafter2');
    assert.deepStrictEqual(before, [-20, 20]);
    step.forEach((d, k) => assert.strictEqual(d, -0.5 * bwd.layers[1].dLdW.flat()[k]));
    after.forEach((w, k) => assert.strictEqual(w, before[k] + step[k]));
    await shoot('step-6-update');
    await runCommand(page, 'MLP Inspector: Undo Step');
    await frame.locator('.layer-tabs .phase', { hasText: 'forward: 0 of 2 layers computed' }).waitFor({ timeout: 15_000 });
  });

  it('Run Gradient Check shows the largest relative error per layer, all below 1e-6', async () => {
    await runCommand(page, 'MLP Inspector: Run Gradient Check');
    const frame = panelFrame(page);
    const rows = frame.locator('.gradcheck-table tr[data-layer]');
    await rows.first().waitFor({ timeout: 15_000 });
    assert.strictEqual(await rows.count(), 2);
    for (let k = 0; k < 2; k++) {
      const err = Number(await rows.nth(k).locator('.num').getAttribute('data-value'));
      assert.ok(err < 1e-6, `layer ${k + 1}: ${err}`);
    }
    await clearNotifications(page);
    const shot = await saveScreenshot(frame.locator('#gradcheck-card'), 'step-7-gradient-check');
    const stats = await pixelStats(browser!, shot.png);
    assert.ok(stats.distinctColours >= 8, 'gradient check card is not blank');
    await saveScreenshot(panelElement(page), 'step-8-panel');
  });

  it('runs every stepping command typed exactly as titled, even with the full step most recently used', async () => {
    const frame = panelFrame(page);
    const phase = (text: string) => frame.locator('.layer-tabs .phase', { hasText: text }).waitFor({ timeout: 15_000 });
    const updates = (n: number) => frame.locator(`.run-status[data-step="${n}"]`).waitFor({ timeout: 15_000 });
    const FULL = 'MLP Inspector: Forward, Backward and Update (Full Step)';
    assert.match((await typeCommand(page, FULL))[0], /Full Step/);
    await phase('update applied');
    await updates(1);
    const steps: [string, string, number][] = [
      ['MLP Inspector: Step Forward', 'forward: 1 of 2 layers computed', 1],
      ['MLP Inspector: Step Forward', 'forward done: J computed', 1],
      ['MLP Inspector: Step Backward', 'backward: gradients of layers 2..2', 1],
      ['MLP Inspector: Step Backward', 'backward: gradients of layers 1..2', 1],
      ['MLP Inspector: Apply Update', 'update applied', 2],
      ['MLP Inspector: Undo Step', 'forward: 0 of 2 layers computed', 1],
      ['MLP Inspector: Undo Step', 'forward: 0 of 2 layers computed', 0],
    ];
    for (const [title, shows, step] of steps) {
      const listed = await typeCommand(page, title);
      // What Enter ran is what was listed first: this very title, never a longer one.
      assert.ok(listed[0] === title || listed[0].startsWith(`${title}, `), `${title}: listed first was ${listed[0]}`);
      await phase(shows);
      await updates(step);
    }
  });

  it('after training, recomputes a ledger left mid-pass on the trained weights, and marks an applied update out of date', async () => {
    // The stepped XOR network is not saved: opening another model asks first.
    const frame = await openInspectorOn(page, 'xor-learn.mlp.json', 'xor-learn', 'expected');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    // Row 0 is x = (0, 0): z[1] = b[1] + W[1]ᵀ a[0] = b[1], whatever W[1] is.
    await frame.locator('button[data-command="stepForward"]').click();
    await frame.locator('.layer-tabs .phase', { hasText: 'row 0 · forward: 1 of 2 layers computed' }).waitFor({ timeout: 15_000 });
    const b0 = await ledgerValues(frame, 'b1');
    assert.deepStrictEqual(await ledgerValues(frame, 'z1'), b0);
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="2000"]').waitFor({ timeout: 60_000 });
    // The CLI's trained b[1] for the same model and epochs (the same float32 kernels, in order).
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlp-ledger-')), 'trained.mlp.json');
    execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', path.join(dirs.workspace, 'xor-learn.mlp.json'), '--epochs', '2000', '--out', out], { encoding: 'utf8' });
    const trainedB1: number[] = JSON.parse(fs.readFileSync(out, 'utf8')).parameters[0].b;
    await frame.locator('.layer-tabs .phase', { hasText: 'row 0 · forward: 1 of 2 layers computed' }).waitFor({ timeout: 15_000 });
    await frame.locator('.ledger-row[data-quantity="b1"] .num').first().waitFor();
    // The recomputed ledger arrives with the run's last snapshot: wait for it, however loaded the machine.
    let b1: number[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      b1 = await ledgerValues(frame, 'b1');
      if (b1.every((v, k) => v === trainedB1[k])) break;
      await page.waitForTimeout(100);
    }
    assert.deepStrictEqual(b1, trainedB1, 'the ledger shows the trained b[1]');
    assert.deepStrictEqual(await ledgerValues(frame, 'z1'), trainedB1, 'z[1] = b[1] for x = (0, 0), recomputed');
    assert.strictEqual(await frame.locator('.ledger-stale').count(), 0);
    await shoot('step-9-ledger-recomputed-after-training');
    // An applied update cannot be recomputed (that would be another update): it is marked.
    await typeCommand(page, 'MLP Inspector: Forward, Backward and Update (Full Step)');
    await frame.locator('.layer-tabs .phase', { hasText: 'update applied' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="4000"]').waitFor({ timeout: 60_000 });
    const stale = frame.locator('.ledger-stale');
    await stale.waitFor({ timeout: 15_000 });
    assert.match((await stale.textContent()) ?? '', /computed at epoch 2000 \(update 2001\); the network has trained since \(now epoch 4000/);
    await shoot('step-10-ledger-out-of-date');
  });

  it('closing the panel mid-training keeps the run, paused; Open Inspector shows it again', async () => {
    // A run long enough to close the panel in the middle of it.
    const model = JSON.parse(fs.readFileSync(path.join(dirs.workspace, 'xor-learn.mlp.json'), 'utf8'));
    fs.writeFileSync(path.join(dirs.workspace, 'long-run.mlp.json'), JSON.stringify({ ...model, name: 'long-run', optimizer: { ...model.optimizer, epochs: 5_000_000 } }));
    const frame = await openInspectorOn(page, 'long-run.mlp.json', 'long-run', 'expected');
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="training"]').waitFor({ timeout: 30_000 });
    // While it trains, the status bar says so (with a spinner), wherever the user is.
    const training = page.locator('.statusbar a.statusbar-item-label[aria-label^="MLP Inspector run training, epoch"]');
    await training.waitFor({ timeout: 15_000 });
    assert.match((await training.textContent()) ?? '', /long-run: epoch [\d,]+ · loss \S+/);
    await clearNotifications(page);
    await saveScreenshot(page.locator('.statusbar'), 'step-11-status-bar-training');
    // Close the panel's tab with its own close button, as a user does.
    const tab = page.locator('.tabs-container .tab', { hasText: 'MLP Inspector: long-run' });
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached', timeout: 15_000 });
    // No question was needed: nothing is lost. The status bar shows the paused run; clicking it
    // shows the panel again, on the same run, paused where it was.
    assert.strictEqual(await page.locator('.monaco-dialog-box').count(), 0);
    const paused = page.locator('.statusbar a.statusbar-item-label[aria-label^="MLP Inspector run paused, epoch"]');
    await paused.waitFor({ timeout: 15_000 });
    await paused.click();
    const status = panelFrame(page).locator('.run-status[data-state="paused"]');
    await status.waitFor({ timeout: 30_000 });
    const epoch = Number(await status.getAttribute('data-epoch'));
    assert.ok(epoch > 0 && epoch < 5_000_000, `paused mid-run at epoch ${epoch}`);
    await page.locator('.tabs-container .tab', { hasText: 'MLP Inspector: long-run ●' }).waitFor();
    await clearNotifications(page);
    await saveScreenshot(page, 'step-11-reopened-paused-run');
  });
});
