import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { RunDirs } from './harness/runDirs';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { clearNotifications, openInspectorOn, panelElement, panelFrame, pixelStats, runCommand, saveScreenshot, setTheme } from './harness/workbench';

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

// The lecture's exercise through the real UI: set weights by hand until one neuron computes AND
// (with the mouse) and a hidden layer computes XOR (with the keyboard), watching the truth table;
// Undo, and Save Model's numbers in the file.
describe('MLP Inspector in a real VS Code (UI): setting weights by hand and lessons', function () {
  this.timeout(120_000);

  let browser: Browser | undefined;
  let page: Page;
  let dirs: RunDirs;
  const wb = useWorkbench('ui-lessons');
  before(() => {
    ({ browser, page, dirs } = wb);
  });

  const edge = (frame: FrameLocator, l: number, i: number, j: number) => frame.locator(`svg.network [data-param="W:${l}:${i}:${j}"]`);
  const neuron = (frame: FrameLocator, l: number, j: number) => frame.locator(`svg.network [data-param="b:${l}:${j}"]`);
  /** Waits until the diagram, redrawn from a snapshot, shows W[l][i][j] = value. */
  const edgeShows = (frame: FrameLocator, l: number, i: number, j: number, value: number) =>
    frame.locator(`svg.network [data-param="W:${l}:${i}:${j}"][aria-valuenow="${value}"]`).waitFor({ timeout: 15_000 });
  /** Waits until neuron j of layer l's description ends in b[l]_j = text (as the diagram rounds it). */
  const biasShows = (frame: FrameLocator, l: number, j: number, text: string) =>
    frame.locator(`svg.network [data-param="b:${l}:${j}"][aria-label$="b[${l}]_${j} = ${text}"]`).waitFor({ timeout: 15_000 });
  /** The exact outputs ŷ of the truth table's rows. */
  const outputs = async (frame: FrameLocator) => (await frame.locator('.lesson-table td.yhat .num').evaluateAll((ns) => ns.map((n) => (n as unknown as { dataset: Record<string, string> }).dataset.value ?? ''))).map(Number);
  const status = (frame: FrameLocator) => frame.locator('#lesson .lesson-status');

  /**
   * Drags from a point of `target` (fractions of its box) by dy pixels (up is negative), as a mouse
   * does. The diagram is redrawn with each snapshot (the same element at the same place, anew), so
   * finding the element is tried again when a redraw replaced it mid-way.
   */
  async function drag(target: Locator, fx: number, fy: number, dy: number): Promise<void> {
    let box: { x: number; y: number; width: number; height: number } | null = null;
    for (let attempt = 0; attempt < 5 && !box; attempt++) {
      try {
        await target.scrollIntoViewIfNeeded({ timeout: 5_000 });
        box = await target.boundingBox({ timeout: 5_000 });
      } catch (err) {
        if (!/not attached/.test(String(err)) || attempt === 4) throw err;
      }
    }
    assert.ok(box, 'the edge or neuron is on screen');
    const x = box.x + fx * box.width;
    const y = box.y + fy * box.height;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y + dy / 2, { steps: 5 });
    await page.mouse.move(x, y + dy, { steps: 5 });
    await page.mouse.up();
  }

  async function shoot(name: string): Promise<void> {
    await clearNotifications(page);
    const shot = await saveScreenshot(panelFrame(page).locator('#network'), name);
    assertNotBlank(await pixelStats(browser!, shot.png), name);
  }

  it('opens the AND lesson: the truth table beside the network, every output 0.5, nothing solved', async () => {
    const frame = await openInspectorOn(page, 'lesson-and.mlp.json', 'lesson-and', 'if-asked');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    await frame.locator('#lesson h3', { hasText: 'Lesson: AND from one neuron' }).waitFor();
    assert.strictEqual(await frame.locator('.lesson-table tr[data-row]').count(), 4);
    assert.deepStrictEqual(await outputs(frame), [0.5, 0.5, 0.5, 0.5]);
    assert.strictEqual(await status(frame).textContent(), '0 of 4 rows right: not solved yet.');
    assert.strictEqual(await frame.locator('#lesson').getAttribute('data-solved'), 'false');
    // Its inputs and targets are the AND truth table.
    const cells = await Promise.all([0, 1, 2, 3].map((r) => frame.locator(`.lesson-table tr[data-row="${r}"] td`).allTextContents()));
    assert.deepStrictEqual(cells.map((row) => row.slice(0, 3)), [['0', '0', '0'], ['0', '1', '0'], ['1', '0', '0'], ['1', '1', '1']]);
    await shoot('lesson-1-and-start');
  });

  it('solves AND with the mouse: drag both weights up and the bias down; the table and the solved mark follow', async () => {
    const frame = panelFrame(page);
    // W[1][0][0] runs from input 0 (top left) down to the output; W[1][1][0] from input 1 (bottom left) up to it.
    // 100 pixels up at 0.01 a pixel: +1.
    await drag(edge(frame, 1, 0, 0).locator('.edge-hit'), 0.3, 0.3, -100);
    await edgeShows(frame, 1, 0, 0, 1);
    await drag(edge(frame, 1, 1, 0).locator('.edge-hit'), 0.3, 0.7, -100);
    await edgeShows(frame, 1, 1, 0, 1);
    // Half done: ŷ = σ(0), σ(1), σ(1), σ(2); only (1, 1) is right.
    const half = await outputs(frame);
    [sigma(0), sigma(1), sigma(1), sigma(2)].forEach((v, k) => assert.ok(Math.abs(half[k] - v) < 1e-12, `row ${k}: ${half[k]} vs ${v}`));
    await status(frame).filter({ hasText: '1 of 4 rows right' }).waitFor();
    // The bias: drag the output neuron 150 pixels down.
    await drag(neuron(frame, 1, 0), 0.5, 0.5, 150);
    await biasShows(frame, 1, 0, '−1.5');
    await status(frame).filter({ hasText: '✓ Solved: all 4 rows round to their targets.' }).waitFor({ timeout: 15_000 });
    assert.strictEqual(await frame.locator('#lesson').getAttribute('data-solved'), 'true');
    // z = −1.5 + x1 + x2, worked by hand for each row.
    const solved = await outputs(frame);
    [sigma(-1.5), sigma(-0.5), sigma(-0.5), sigma(0.5)].forEach((v, k) => assert.ok(Math.abs(solved[k] - v) < 1e-12, `row ${k}: ${solved[k]} vs ${v}`));
    // Three edits are three updates; the model is unsaved (the tab says so).
    await frame.locator('.run-status[data-step="3"]').waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'MLP Inspector: lesson-and ●' }).waitFor({ timeout: 15_000 });
    await shoot('lesson-2-and-solved-by-mouse');
  });

  it('Undo reverts the last edit; the editor refuses text that is not a number; clicking and Set puts it back', async () => {
    const frame = panelFrame(page);
    await runCommand(page, 'MLP Inspector: Undo Step');
    await biasShows(frame, 1, 0, '0');
    await status(frame).filter({ hasText: '1 of 4 rows right' }).waitFor({ timeout: 15_000 });
    await frame.locator('.run-status[data-step="2"]').waitFor();
    // A click (no drag) opens b[1][0]'s editor beside the neuron.
    await neuron(frame, 1, 0).click();
    const input = frame.getByLabel('b[1][0]', { exact: true });
    await input.waitFor({ state: 'visible' });
    assert.strictEqual(await input.inputValue(), '0');
    await input.fill('minus one');
    await input.press('Enter');
    await frame.locator('.param-editor-error', { hasText: 'Not set: "minus one" is not a number' }).waitFor();
    assert.strictEqual(await input.getAttribute('aria-invalid'), 'true');
    await shoot('lesson-3-editor-refuses');
    assert.strictEqual(await frame.locator('.run-status').getAttribute('data-step'), '2', 'nothing was applied');
    await input.fill('-1.5');
    await frame.locator('.param-editor button', { hasText: 'Set' }).click();
    await biasShows(frame, 1, 0, '−1.5');
    await status(frame).filter({ hasText: 'Solved' }).waitFor({ timeout: 15_000 });
    assert.ok(await frame.locator('.param-editor').isHidden());
  });

  it('Save Model writes the hand-set numbers into the file, exactly', async () => {
    const frame = panelFrame(page);
    await runCommand(page, 'MLP Inspector: Save Model');
    await page.locator('.tabs-container .tab', { hasText: 'MLP Inspector: lesson-and ●' }).first().waitFor({ state: 'detached', timeout: 15_000 });
    const file = path.join(dirs.workspace, 'lessons', 'lesson-and.mlp.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepStrictEqual(saved.parameters, [{ W: [[1], [1]], b: [-1.5] }]);
    assert.strictEqual(saved.lesson.title, 'AND from one neuron');
    assert.strictEqual(await status(frame).textContent(), '✓ Solved: all 4 rows round to their targets.');
  });

  it('solves XOR with the keyboard alone: Tab to each edge and neuron, Enter, type, Enter; arrow keys step', async () => {
    // The AND lesson is saved: closing its editors closes it, and the XOR panel gets the room.
    await runCommand(page, 'View: Close All Editors');
    const frame = await openInspectorOn(page, 'lesson-xor.mlp.json', 'lesson-xor', 'if-asked');
    await frame.locator('.run-status[data-state="idle"]').waitFor({ timeout: 30_000 });
    await status(frame).filter({ hasText: 'not solved yet' }).waitFor();
    // The lecture's XOR: hidden 0 = AND (20, 20, −30), hidden 1 = OR (20, 20, −10), output = OR AND NOT AND.
    // In the diagram's tab order: the edges of layer 1, of layer 2, then the neurons (the inputs have no b).
    const plan: [string, string][] = [
      ['W:1:0:0', '20'], ['W:1:0:1', '20'], ['W:1:1:0', '20'], ['W:1:1:1', '20'],
      ['W:2:0:0', '-20'], ['W:2:1:0', '20'],
      ['b:1:0', '-30'], ['b:1:1', '-10'], ['b:2:0', '-10'],
    ];
    await frame.locator(`svg.network [data-param="${plan[0][0]}"]`).focus();
    for (const [k, [key, value]] of plan.entries()) {
      const focused = async () => frame.locator(':focus').getAttribute('data-param');
      // Tab past the two input neurons, which have no parameter of their own.
      for (let hops = 0; hops < 4 && (await focused()) !== key; hops++) await page.keyboard.press('Tab');
      assert.strictEqual(await focused(), key, `step ${k}: focus on ${key}`);
      await page.keyboard.press('Enter');
      const input = frame.locator('#param-editor-input');
      await input.waitFor({ state: 'visible' });
      // The editor opens with the current value selected: typing replaces it.
      await page.keyboard.type(value);
      await page.keyboard.press('Enter');
      await frame.locator(`.run-status[data-step="${k + 1}"]`).waitFor({ timeout: 15_000 });
      // Focus comes back to the edge or neuron just set, ready for Tab.
      await frame.locator(`svg.network [data-param="${key}"]:focus`).waitFor({ state: 'attached', timeout: 15_000 });
    }
    await status(frame).filter({ hasText: '✓ Solved: all 4 rows round to their targets.' }).waitFor({ timeout: 15_000 });
    // By hand for row (1, 0): a[1] = (σ(−10), σ(10)), ŷ = σ(−10 − 20 σ(−10) + 20 σ(10)).
    const y = await outputs(frame);
    const expected = [
      sigma(-10 - 20 * sigma(-30) + 20 * sigma(-10)),
      sigma(-10 - 20 * sigma(-10) + 20 * sigma(10)),
      sigma(-10 - 20 * sigma(-10) + 20 * sigma(10)),
      sigma(-10 - 20 * sigma(10) + 20 * sigma(30)),
    ];
    expected.forEach((v, k) => assert.ok(Math.abs(y[k] - v) <= 1e-12, `row ${k}: ${y[k]} vs ${v}`));
    // Arrow keys on the focused output neuron: +0.1, then Shift −0.01, then back.
    await page.keyboard.press('ArrowUp');
    await biasShows(frame, 2, 0, '−9.9');
    await page.keyboard.press('Shift+ArrowDown');
    await biasShows(frame, 2, 0, '−9.91');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+ArrowUp');
    await biasShows(frame, 2, 0, '−10');
    await frame.locator('.run-status[data-step="13"]').waitFor({ timeout: 15_000 });
    await status(frame).filter({ hasText: 'Solved' }).waitFor();
    await shoot('lesson-4-xor-solved-by-keyboard');
  });

  it('Undo, from the keyboard, walks back through the edits one at a time', async () => {
    const frame = panelFrame(page);
    for (const [k, text] of [[12, '−10.01'], [11, '−9.91'], [10, '−9.9'], [9, '−10'], [8, '0']] as const) {
      await runCommand(page, 'MLP Inspector: Undo Step');
      await frame.locator(`.run-status[data-step="${k}"]`).waitFor({ timeout: 15_000 });
      await biasShows(frame, 2, 0, text);
    }
    await status(frame).filter({ hasText: 'not solved yet' }).waitFor({ timeout: 15_000 });
    // Put the last bias back for the pictures.
    await neuron(frame, 2, 0).focus();
    await page.keyboard.press('Enter');
    await frame.locator('#param-editor-input').waitFor({ state: 'visible' });
    await page.keyboard.type('-10');
    await page.keyboard.press('Enter');
    await status(frame).filter({ hasText: 'Solved' }).waitFor({ timeout: 15_000 });
  });

  it('puts the truth table beside the network when the panel is wide (the README’s picture)', async () => {
    await runCommand(page, 'View: Close Editors in Other Groups');
    const frame = panelFrame(page);
    const row = frame.locator('#network .network-row');
    // Side by side: the table's top is level with the diagram's, not below it.
    const diagram = await row.locator('.diagram').boundingBox();
    const lesson = await row.locator('#lesson').boundingBox();
    assert.ok(diagram && lesson && lesson.x > diagram.x + diagram.width / 2 && Math.abs(lesson.y - diagram.y) < 5, `diagram ${JSON.stringify(diagram)}, lesson ${JSON.stringify(lesson)}`);
    await edge(frame, 2, 0, 0).focus();
    await page.keyboard.press('Enter');
    await frame.locator('#param-editor-input').waitFor({ state: 'visible' });
    await shoot('lesson-7-xor-wide');
    await page.keyboard.press('Escape');
  });

  for (const [theme, file] of [['Dark High Contrast', 'dark-hc'], ['Light High Contrast', 'light-hc']] as const) {
    it(`is readable in ${theme}: the focused edge, the open editor and the solved table`, async () => {
      await setTheme(page, theme);
      const frame = panelFrame(page);
      await edge(frame, 1, 0, 1).focus();
      await page.keyboard.press('Enter');
      await frame.locator('#param-editor-input').waitFor({ state: 'visible' });
      await shoot(`lesson-5-xor-${file}`);
      await page.keyboard.press('Escape');
      await frame.locator('.param-editor').waitFor({ state: 'hidden' });
      await frame.locator('svg.network [data-param="W:1:0:1"]:focus').waitFor({ state: 'attached' });
      await clearNotifications(page);
      const shot = await saveScreenshot(panelElement(page), `lesson-6-panel-${file}`);
      assertNotBlank(await pixelStats(browser!, shot.png), `${theme} panel`);
    });
  }
});
