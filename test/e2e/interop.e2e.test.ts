import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { RunDirs } from './harness/runDirs';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ROOT } from './harness/paths';
import { answerQuickInput, clearNotifications, panelFrame, pixelStats, saveScreenshot, showSidebar, sidebarElement, sidebarFrame } from './harness/workbench';
import { decodeModel } from '../../src/interop/onnxProto';

// A model from PyTorch, through the real UI: right-click its ONNX file in the Explorer, import
// it, attach a dataset from the panel, and export the network back out from the panel.
describe('MLP Inspector in a real VS Code (UI): bring your model, take your model', function () {
  this.timeout(180_000);

  let browser: Browser | undefined;
  let page: Page;
  let dirs: RunDirs;
  // A 4-8-3 ReLU/softmax MLP as torch.onnx.export wrote it (test/fixtures/onnx/make_fixtures.py),
  // in the workspace before the workbench opens, as a user's file would be.
  const wb = useWorkbench('ui-interop', {
    prepare: (d) => fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'onnx', 'torch_relu_softmax.onnx'), path.join(d.workspace, 'penguin-net.onnx')),
  });
  before(() => {
    ({ browser, page, dirs } = wb);
  });

  it('imports an ONNX file from its Explorer context menu and opens it; without data, the panel and the sidebar offer Attach Dataset', async () => {
    await page.keyboard.press('Control+Shift+E');
    const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label^="penguin-net.onnx"]');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item .action-label', { hasText: 'Import ONNX Model…' });
    await item.click();
    // A click that lands while the menu is still settling highlights the item but runs nothing
    // (seen twice in a row): then Enter runs the highlighted item, as a keyboard user would.
    await item.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => page.keyboard.press('Enter'));
    await item.waitFor({ state: 'hidden', timeout: 10_000 });
    const frame = panelFrame(page);
    await frame.locator('h1:text-is("MLP Inspector: penguin-net")').waitFor({ timeout: 30_000 });
    const written = JSON.parse(fs.readFileSync(path.join(dirs.workspace, 'penguin-net.mlp.json'), 'utf8'));
    assert.deepStrictEqual(written.layers, [{ units: 4 }, { units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }]);
    assert.match(written.description, /^Imported from penguin-net\.onnx \(pytorch 1\.13/);
    await page.locator('.notifications-toasts', { hasText: 'imported penguin-net.onnx (pytorch' }).waitFor({ timeout: 15_000 });
    await frame.locator('.notice-box[role="status"]', { hasText: 'No dataset yet' }).waitFor({ timeout: 15_000 });
    await showSidebar(page);
    await sidebarFrame(page).locator('button', { hasText: 'Attach Dataset…' }).waitFor({ timeout: 15_000 });
    const side = await saveScreenshot(sidebarElement(page), 'interop-1-sidebar-imported-without-data');
    assertNotBlank(await pixelStats(browser!, side.png), 'sidebar');
    await clearNotifications(page);
    const shot = await saveScreenshot(page, 'interop-1-imported-model-without-data');
    assertNotBlank(await pixelStats(browser!, shot.png), 'workbench');
  });

  it('attaches the penguins from the panel: the data file, the target, four numeric columns; missing rows dropped on request', async () => {
    const frame = panelFrame(page);
    await frame.locator('.notice-box button', { hasText: 'Attach Dataset…' }).click();
    await answerQuickInput(page, 'Attach Dataset to penguin-net.mlp.json', 'penguins.csv', 'penguins.csv');
    await answerQuickInput(page, '(1/2)', 'Species', 'Species');
    // The four numeric columns come ticked (the network takes four inputs); Island and Sex do not.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '(2/2)' }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget .quick-input-count', { hasText: '4 Selected' }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Drop the rows with missing values?' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.locator('a.monaco-button, button', { hasText: 'Drop Those Rows' }).first().click();
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    const written = JSON.parse(fs.readFileSync(path.join(dirs.workspace, 'penguin-net.mlp.json'), 'utf8'));
    assert.deepStrictEqual(written.data, { path: 'data/penguins.csv', target: ['Species'], features: ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'], missing: 'drop' });
    assert.strictEqual(await frame.locator('.problem-box, .notice-box').count(), 0);
    await clearNotifications(page);
    const shot = await saveScreenshot(frame.locator('body'), 'interop-2-panel-imported-model-with-penguins');
    assertNotBlank(await pixelStats(browser!, shot.png), 'panel');
    const whole = await saveScreenshot(page, 'interop-2-workbench-imported-model-with-penguins');
    assertNotBlank(await pixelStats(browser!, whole.png), 'workbench');
  });

  it('exports the network from the panel’s Export… button to ONNX, with the class names of the attached data', async () => {
    const frame = panelFrame(page);
    await frame.locator('.toolbar button', { hasText: 'Export…' }).click();
    await answerQuickInput(page, 'MLP Inspector: Export penguin-net', undefined, 'ONNX');
    // VS Code's own Save dialog, proposing penguin-net.onnx beside the model.
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Export penguin-net to ONNX' });
    await title.waitFor({ state: 'visible', timeout: 30_000 });
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await page.waitForFunction((el) => (el as unknown as { value: string }).value.endsWith('penguin-net.onnx'), await input.elementHandle());
    const out = path.join(dirs.workspace, 'penguin-net.onnx.out.onnx');
    await input.fill(out);
    for (let attempt = 0; !fs.existsSync(out); attempt++) {
      // Enter may land while the dialog refreshes its list for the typed path: press again only then.
      if (await title.isVisible()) await input.press('Enter');
      await page.waitForTimeout(500);
      assert.ok(attempt < 60, 'the export was not written');
    }
    await page.locator('.notifications-toasts', { hasText: 'exported penguin-net to' }).waitFor({ timeout: 15_000 });
    const m = decodeModel(fs.readFileSync(out));
    assert.strictEqual(m.producerName, 'mlp-inspector');
    assert.deepStrictEqual(JSON.parse(m.metadata.get('class_names')!), ['Adelie', 'Chinstrap', 'Gentoo']);
    assert.deepStrictEqual(JSON.parse(m.metadata.get('feature_names')!), ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']);
    await clearNotifications(page);
  });
});
