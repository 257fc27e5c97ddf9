import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { RunDirs } from './harness/runDirs';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ROOT } from './harness/paths';
import { clearNotifications, openInspectorOn, panelFrame, pixelStats, runCommand, saveScreenshot, showSidebar, sidebarElement, sidebarFrame } from './harness/workbench';

// What matters most to a user of the regression figures and early stopping, in the real UI: a
// run that early stopping ends says so (in the panel and the sidebar), with the very epoch and
// best epoch the CLI's `train` reports for the same model (the worker and the CLI run the same
// float32 arithmetic), and the loss card shows R², RMSE and MAE of both splits.
describe('MLP Inspector in a real VS Code (UI): regression metrics and early stopping', function () {
  this.timeout(180_000);

  let browser: Browser | undefined;
  let page: Page;
  let dirs: RunDirs;
  const wb = useWorkbench('ui-metrics');
  before(() => {
    ({ browser, page, dirs } = wb);
  });

  /** The CLI's early-stop record, without its "stopped" mark. */
  function stopFromCli(): Record<string, unknown> {
    const { stopped: _early, ...rest } = cliRun().stop as unknown as Record<string, unknown>;
    return rest;
  }

  /** The CLI's run of the same model: its last epoch line and its early-stop line. */
  function cliRun(): { last: Record<string, number | null>; stop: { epoch: number; bestEpoch: number; message: string } } {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', path.join(dirs.workspace, 'sine-early-stop.mlp.json'), '--every', '100000'], { encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    return { last: lines[lines.length - 2], stop: lines[lines.length - 1] };
  }

  it('trains the sine model until early stopping ends the run, and the panel says why, as the CLI does', async () => {
    const frame = await openInspectorOn(page, 'sine-early-stop.mlp.json', 'sine-early-stop', 'if-asked');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    // Before training: early stopping is announced, with its settings.
    await frame.locator('#early-stop', { hasText: 'Early stopping is on: a run stops after 100 epochs' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'MLP Inspector: Train');
    const note = frame.locator('#early-stop.stopped');
    await note.waitFor({ timeout: 120_000 });
    const { stop } = cliRun();
    assert.strictEqual(await note.textContent(), `${stop.message.replace(/^s/, 'S')}.`);
    assert.match(stop.message, /^stopped early at epoch \d+: validation loss did not improve by 0\.0001 for 100 epochs; best [\d.]+ at epoch \d+, weights restored$/);
    await frame.locator(`.run-status[data-state="stopped"][data-epoch="${stop.epoch}"]`).waitFor();
    assert.match((await frame.locator('.run-status').textContent()) ?? '', /stopped early at epoch/);
    // Screen readers hear it too (the panel's announcer, at the state change).
    await frame.locator('.announcer', { hasText: `${stop.message.replace(/^s/, 'S')}.` }).waitFor({ timeout: 15_000 });
    await clearNotifications(page);
    const shot = await saveScreenshot(frame.locator('#loss'), 'metrics-1-panel-loss-card-stopped-early');
    assertNotBlank(await pixelStats(browser!, shot.png), 'loss card');
  });

  it('shows R², RMSE and MAE of both splits for the restored weights in the loss card', async () => {
    const frame = panelFrame(page);
    const { stop } = cliRun();
    const table = frame.locator('#run-figures');
    assert.strictEqual(await frame.locator('#run-figures-caption').textContent(), `epoch ${stop.bestEpoch}: the restored weights (training went on to epoch ${stop.epoch})`);
    const cells = async (metric: string) => (await table.locator(`tr[data-metric="${metric}"] td`).allTextContents()).map((t) => t.replace('−', '-'));
    for (const metric of ['R²', 'RMSE', 'MAE']) {
      const [train, validation] = await cells(metric);
      assert.ok(Number.isFinite(Number(train)) && Number.isFinite(Number(validation)), `${metric}: ${train} / ${validation}`);
    }
    // RMSE² is the mse loss J of the same split (one output): a check of the figures shown
    // against the loss shown, to the 4 and 5 digits they are rounded to.
    const [lossTrain, lossVal] = (await cells('loss J')).map(Number);
    const [rmseTrain, rmseVal] = (await cells('RMSE')).map(Number);
    assert.ok(Math.abs(rmseTrain ** 2 - lossTrain) < 1e-3 * lossTrain + 1e-4, `${rmseTrain}² vs ${lossTrain}`);
    assert.ok(Math.abs(rmseVal ** 2 - lossVal) < 1e-3 * lossVal + 1e-4, `${rmseVal}² vs ${lossVal}`);
    const r2 = Number((await cells('R²'))[0]);
    assert.ok(r2 > 0.5 && r2 <= 1, `training R² ${r2}: the fit explains most of the sine`);
    // The run log beside the model: every epoch with its metrics, then why the run stopped.
    const runs = path.join(dirs.workspace, 'sine-early-stop.runs');
    const file = path.join(runs, fs.readdirSync(runs).sort().pop()!);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(lines[lines.length - 1], { stopped: 'early', ...stopFromCli() });
    assert.strictEqual(lines[lines.length - 2].epoch, stop.epoch);
    assert.deepStrictEqual(Object.keys(lines[1]), ['epoch', 'loss', 'valLoss', 'r2', 'rmse', 'mae', 'valR2', 'valRmse', 'valMae', 'seconds']);
  });

  it('the sidebar shows the same stop, the metrics, and the early-stopping settings', async () => {
    await showSidebar(page);
    const frame = sidebarFrame(page);
    const { stop } = cliRun();
    await frame.locator('#side-early-stop', { hasText: `stopped early at epoch ${stop.epoch}` }).waitFor({ timeout: 30_000 });
    assert.match((await frame.locator('#side-run').textContent()) ?? '', new RegExp(`weights ofepoch ${stop.bestEpoch} \\(restored\\)`));
    assert.strictEqual(await frame.locator('#side-run .kv[data-metric="R²"]').count(), 1);
    assert.strictEqual(await frame.locator('#hp-early-stopping-on').isChecked(), true);
    assert.strictEqual(await frame.locator('#hp-patience').inputValue(), '100');
    await clearNotifications(page);
    const shot = await saveScreenshot(sidebarElement(page), 'metrics-2-sidebar-stopped-early');
    assertNotBlank(await pixelStats(browser!, shot.png), 'sidebar');
  });

  it('changing patience in the sidebar is applied (the host checks it) and shown back', async () => {
    const frame = sidebarFrame(page);
    const patience = frame.locator('#hp-patience');
    await patience.fill('30');
    await patience.press('Enter');
    // The panel's note follows the new setting once a run no longer shows its stop: reset, then look.
    await runCommand(page, 'MLP Inspector: Reset Weights');
    await panelFrame(page).locator('#early-stop', { hasText: 'a run stops after 30 epochs' }).waitFor({ timeout: 15_000 });
    assert.strictEqual(await frame.locator('#hp-patience').inputValue(), '30');
    await clearNotifications(page);
    await saveScreenshot(sidebarElement(page), 'metrics-3-sidebar-patience-30');
  });

  it('engineered inputs: ticking x1*x2 in the sidebar widens the input layer, and the diagram names the new input', async () => {
    const frame = await openInspectorOn(page, 'circles-features.mlp.json', 'circles-features', 'if-asked');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    await showSidebar(page);
    const side = sidebarFrame(page);
    const product = side.locator('input[data-feature="x1*x2"]');
    await product.waitFor({ timeout: 30_000 });
    assert.strictEqual(await side.locator('input[data-feature="x1^2"]').isChecked(), true);
    assert.strictEqual(await product.isChecked(), false);
    await product.check();
    await side.locator('#side-architecture', { hasText: 'input: 5 units' }).waitFor({ timeout: 30_000 });
    assert.match((await side.locator('#side-data').textContent()) ?? '', /x1 · x2 · x1\^2 · x2\^2 · x1\*x2/);
    assert.match((await frame.locator('#network').textContent()) ?? '', /x1\*x2/);
    await clearNotifications(page);
    await saveScreenshot(sidebarElement(page), 'metrics-4-sidebar-engineered-inputs');
    const shot = await saveScreenshot(frame.locator('#network'), 'metrics-5-panel-diagram-engineered-inputs');
    assertNotBlank(await pixelStats(browser!, shot.png), 'network diagram');
  });
  it('the decision map of engineered inputs works x1², x2² and x1·x2 out at every point: the disc inside the ring shows', async () => {
    const frame = panelFrame(page);
    await runCommand(page, 'MLP Inspector: Train');
    await frame.locator('.run-status[data-state="stopped"][data-epoch="200"]').waitFor({ timeout: 90_000 });
    const card = frame.locator('#decision-card');
    const hint = card.locator('p.hint', { hasText: 'the engineered inputs (x1^2, x2^2, x1*x2) worked out at every point' });
    await hint.waitFor({ timeout: 15_000 });
    // Two raw inputs: no pickers, the plane is x1 × x2.
    assert.strictEqual(await card.locator('.slice-bar').isHidden(), true);
    assert.match((await hint.textContent()) ?? '', /^horizontal: x1 \(.*\), vertical: x2 \(.*\); the engineered inputs/);
    // The centre (the disc) and the corners (outside the ring) are different classes' colours.
    const [centre, corner] = await card.locator('canvas.decision-canvas').evaluate((c) => {
      const cv = c as unknown as { width: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
      const at = (x: number, y: number) => Array.from(cv.getContext('2d').getImageData(x, y, 1, 1).data).slice(0, 3);
      return [at(cv.width / 2, cv.width / 2 + 20), at(4, 4)];
    });
    assert.ok(centre.some((v, i) => Math.abs(v - corner[i]) > 40), `centre ${centre} and corner ${corner} are one class`);
    await clearNotifications(page);
    const shot = await saveScreenshot(card, 'metrics-6-decision-map-engineered-circle');
    assertNotBlank(await pixelStats(browser!, shot.png), 'the decision map');
  });
});
