import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ROOT } from './harness/paths';
import { clearNotifications, openInspectorOn, panelElement, pixelStats, saveScreenshot } from './harness/workbench';

/** Rows of Fashion-MNIST the test trains on: an epoch of several hundred batches, a few seconds in the panel. */
const ROWS = 12_000;

// Issue #20's path on a slice of a real data set: Fashion-MNIST (Debian's dataset-fashion-mnist)
// as a new user's CSV, 784-256-128-100-10, trained in the panel with default settings. The loss
// figure must fill from the batches before the first epoch ends, and the 784 × 256 W[1] is drawn
// as block means, not 200,704 cells. `npm run bench:panel` measures the same path at full size.
describe('MLP Inspector in a real VS Code (UI): a real data set', function () {
  this.timeout(180_000);

  let browser: Browser | undefined;
  let page: Page;

  const wb = useWorkbench('real-data', {
    prepare: (dirs) => {
      const dir = execFileSync('node', [path.join(ROOT, 'scripts', 'fashion-mnist.js'), '--rows', String(ROWS), '--epochs', '2'], { encoding: 'utf8' }).trim();
      for (const f of ['fashion.mlp.json', 'fashion-train.csv']) fs.copyFileSync(path.join(dir, f), path.join(dirs.workspace, f));
    },
  });
  before(() => {
    ({ browser, page } = wb);
  });

  it('trains Fashion-MNIST in the panel: the loss figure fills from the batches before the first epoch ends', async () => {
    const frame = await openInspectorOn(page, 'fashion.mlp.json', 'fashion-mnist', 'if-asked');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 90_000 });
    // The first moment the loss figure has a point, with the epoch and the unit it showed then.
    await frame.locator('.loss-chart').evaluate((chart) => {
      type Seen = { firstLoss?: { points: number; unit: string; epoch: string }; MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void } };
      const w = (chart.ownerDocument as unknown as { defaultView: Seen }).defaultView;
      type Data = { dataset: Record<string, string | undefined> };
      const status = chart.ownerDocument.querySelector('.run-status') as unknown as Data;
      const data = (chart as unknown as Data).dataset;
      new w.MutationObserver(() => {
        const points = Number(data.points ?? 0);
        if (points > 0 && !w.firstLoss) w.firstLoss = { points, unit: data.unit ?? '', epoch: status.dataset.epoch ?? '' };
      }).observe(chart, { attributes: true, attributeFilter: ['data-points'] });
    });
    await frame.locator('button[data-command="train"]').click();
    await frame.locator('.loss-chart[data-unit="batch"]:not([data-points="0"])').waitFor({ timeout: 30_000 });
    const first = await frame.locator('.loss-chart').evaluate((chart) => (chart.ownerDocument.defaultView as unknown as { firstLoss?: { points: number; unit: string; epoch: string } }).firstLoss);
    assert.ok(first, 'the loss figure recorded a first point');
    assert.deepStrictEqual([first.unit, first.epoch], ['batch', '0'], 'the first loss points are batches, drawn during epoch 0');
    assert.match((await frame.locator('.loss-chart .chart-title').textContent()) ?? '', /Loss per batch/);
    // W[1] (784 × 256) is drawn as block means; W[4] (100 × 10) whole.
    const captions = await frame.locator('#weights figcaption').allTextContents();
    assert.ok(captions.some((c) => /^W\[1\] \(784 × 256\).*block means, each cell 9 × 3 weights/.test(c)), captions.join(' | '));
    assert.ok(captions.some((c) => /^W\[4\] \(100 × 10\) and b\[4\] \(last row\)/.test(c)), captions.join(' | '));
    await clearNotifications(page);
    const shot = await saveScreenshot(panelElement(page), 'real-data-1-training');
    assertNotBlank(await pixelStats(browser!, shot.png), 'panel while training Fashion-MNIST');
    // The first epoch ends and takes over the figure once a second one is done.
    await frame.locator('.run-status[data-state="stopped"][data-epoch="2"]').waitFor({ timeout: 120_000 });
    await frame.locator('.loss-chart[data-unit="epoch"][data-points="2"]').waitFor({ timeout: 10_000 });
    const status = (await frame.locator('.run-status').textContent()) ?? '';
    assert.match(status, /accuracy (\d+\.\d) %/);
    const accuracy = Number(/accuracy (\d+\.\d) %/.exec(status)![1]);
    assert.ok(accuracy > 70, `a 784-256-128-100-10 MLP learns Fashion-MNIST: ${status}`);
    // The confusion matrix is the last epoch's evaluation of all 12,000 training rows.
    assert.match((await frame.locator('#confusion-card').textContent()) ?? '', /12,000|12000/);
    await saveScreenshot(panelElement(page), 'real-data-2-trained');
  });
});
