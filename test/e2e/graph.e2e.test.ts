import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { assertNotBlank, useWorkbench } from './harness/suite';
import { ROOT } from './harness/paths';
import { clearNotifications, panelElement, panelFrame, pixelStats, runCommand, saveScreenshot } from './harness/workbench';

// The lecture's example, x^2*y/z at x=3, y=4, z=2, stepped through the packaged extension's
// panel in a real VS Code: f = 18, ∂f/∂x = 12, ∂f/∂y = 4.5, ∂f/∂z = −9.
describe('Computation graph in a real VS Code (UI)', function () {
  this.timeout(120_000);

  let browser: Browser | undefined;
  let page: Page;
  let frame: FrameLocator;

  const wb = useWorkbench('graph-ui');
  before(() => {
    ({ browser, page } = wb);
    frame = panelFrame(page);
  });

  /** Saves the panel as test-artifacts/NAME.png and fails if it is blank. */
  async function shoot(name: string): Promise<void> {
    await clearNotifications(page);
    const shot = await saveScreenshot(panelElement(page), name);
    assertNotBlank(await pixelStats(browser!, shot.png), name);
  }

  /** Accepts the quick input titled `title` after checking its prefilled text. */
  async function acceptDefault(title: string, expected: string): Promise<void> {
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
    const input = page.locator('.quick-input-widget .quick-input-box input');
    assert.strictEqual(await input.inputValue(), expected);
    await input.press('Enter');
  }

  const node = (label: string) => frame.locator(`svg.graph g.graph-node[data-label="${label}"]`);
  const status = () => frame.locator('.graph-status');

  /** Clicks a step button `times` times, each time waiting until the panel shows the step. */
  async function step(label: 'Forward Step' | 'Backward Step', times: number, done: (k: number) => string): Promise<void> {
    for (let k = 1; k <= times; k++) {
      await frame.locator('button', { hasText: label }).click();
      await frame.locator(done(k)).first().waitFor({ timeout: 15_000 });
    }
  }

  it('opens x^2*y/z at x=3, y=4, z=2 from the palette, drawn as the lecture’s modules', async () => {
    await runCommand(page, 'MLP Inspector: Open Computation Graph');
    await acceptDefault('(1/2)', 'x^2*y/z');
    await acceptDefault('(2/2)', 'x=3, y=4, z=2');
    await frame.locator('svg.graph').waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepStrictEqual(await frame.locator('svg.graph g.graph-node').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label'))), ['x', '^2', 'y', '×', 'z', '/']);
    assert.strictEqual(await frame.locator('svg.graph path.graph-edge').count(), 5 + 1); // five edges and f's
    await page.locator('.tabs-container .tab.active', { hasText: 'Computation Graph: x^2*y/z' }).waitFor();
    assert.strictEqual(await frame.locator('button', { hasText: 'Backward Step' }).isDisabled(), true);
    await shoot('graph-1-opened');
  });

  it('steps forward node by node to f = 18', async () => {
    await step('Forward Step', 2, (k) => `svg.graph g.graph-node.computed >> nth=${k - 1}`);
    assert.strictEqual(await node('^2').getAttribute('data-value'), '9');
    assert.match((await frame.locator('.graph-step').textContent()) ?? '', /z = 3\^2 = 9/);
    await shoot('graph-2-forward-at-square');
    await step('Forward Step', 4, (k) => `svg.graph g.graph-node.computed >> nth=${k + 1}`);
    await frame.locator('.graph-status[data-phase="forwarded"]').waitFor();
    assert.strictEqual(await status().getAttribute('data-f'), '18');
    assert.strictEqual(await node('/').getAttribute('data-value'), '18');
    assert.strictEqual(await node('×').getAttribute('data-value'), '36');
    assert.ok(await frame.locator('svg.graph text.edge-value').filter({ hasText: /^18$/ }).isVisible(), 'f = 18 is written on the output edge');
    await shoot('graph-3-forward-done');
  });

  it('steps backward in reverse order, showing upstream × local = product at each module, to 12, 4.5 and −9', async () => {
    // The / module, z, then ×: reverse topological order.
    await step('Backward Step', 3, (k) => `svg.graph g.graph-node.backpropagated >> nth=${k - 1}`);
    assert.strictEqual(await frame.locator('svg.graph g.graph-node.current').getAttribute('data-label'), '×');
    const card = frame.locator('.graph-step');
    // At ×: upstream ∂f/∂z = 1/z = 0.5; local gradients y = 4 and x² = 9; products 2 and 4.5.
    assert.match((await card.textContent()) ?? '', /upstream gradient ∂f\/∂z = 0\.5/);
    assert.deepStrictEqual(await card.locator('tr[data-product]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product'))), ['2', '4.5']);
    assert.deepStrictEqual(await card.locator('td.product').allTextContents(), ['2', '4.5']);
    await shoot('graph-4-backward-at-times');

    await step('Backward Step', 3, (k) => `svg.graph g.graph-node.backpropagated >> nth=${k + 2}`);
    await frame.locator('.graph-status[data-phase="done"]').waitFor();
    const expected: [string, string, string][] = [
      ['x', '12', '12'],
      ['y', '4.5', '4.5'],
      ['z', '-9', '−9'],
    ];
    for (const [v, exact, shown] of expected) {
      const row = frame.locator(`.graph-check-table tr[data-variable="${v}"]`);
      assert.strictEqual(await row.getAttribute('data-backprop'), exact, `∂f/∂${v} from the backward pass`);
      assert.strictEqual(await row.getAttribute('data-analytic'), exact, `∂f/∂${v} analytic`);
      assert.strictEqual((await row.locator('td.backprop').textContent())?.trim(), shown);
      assert.strictEqual((await row.locator('td.analytic').textContent())?.trim(), `= ${shown}`);
      assert.ok(Math.abs(Number(await row.getAttribute('data-numeric')) - Number(exact)) < 1e-6, `∂f/∂${v} central difference`);
      assert.strictEqual(await node(v).getAttribute('data-grad'), exact);
      assert.strictEqual(await frame.locator('svg.graph text.node-grad', { hasText: `∂f/∂${v} = ${shown}` }).count(), 1);
    }
    assert.deepStrictEqual(await frame.locator('.graph-check-table td.formula').allTextContents(), ['= 2*x*y/z', '= x^2/z', '= -(x^2*y/z^2)']);
    assert.strictEqual(await frame.locator('button', { hasText: 'Backward Step' }).isDisabled(), true);
    await shoot('graph-5-backward-done');
    await frame.locator('#graph-gradients').scrollIntoViewIfNeeded();
    const gradients = await saveScreenshot(frame.locator('#graph-gradients'), 'graph-5-backward-done-gradients');
    assertNotBlank(await pixelStats(browser!, gradients.png), 'the gradients card');
    await frame.locator('#graph-ledger-card').scrollIntoViewIfNeeded();
    const ledger = await saveScreenshot(frame.locator('#graph-ledger-card'), 'graph-5-backward-done-ledger');
    assertNotBlank(await pixelStats(browser!, ledger.png), 'the ledger card');
    // The ledger's × row: value 36, upstream 0.5, products 2 → (x^2) and 4.5 → y.
    assert.match((await frame.locator('.graph-ledger tr[data-node-id="3"]').textContent()) ?? '', /×x\^2\*y360\.5.*2 → \(x\^2\), 4\.5 → y/);
    await frame.locator('h1').scrollIntoViewIfNeeded();
  });

  it('answers the keyboard: R resets, → steps forward, A runs both passes', async () => {
    await frame.locator('h1').click();
    await page.keyboard.press('r');
    await frame.locator('.graph-status[data-phase="forward"]').waitFor();
    assert.strictEqual(await frame.locator('svg.graph g.graph-node.computed').count(), 0);
    await page.keyboard.press('ArrowRight');
    await frame.locator('svg.graph g.graph-node.computed').first().waitFor();
    await page.keyboard.press('a');
    await frame.locator('.graph-status[data-phase="done"]').waitFor();
    assert.strictEqual(await node('x').getAttribute('data-grad'), '12');
  });

  it('shows the parser’s message beside the input for a malformed expression and keeps the previous graph', async () => {
    const input = frame.locator('#graph-expression');
    await input.fill('x^2*(y');
    await input.press('Enter');
    const error = frame.locator('#graph-expression-error');
    await error.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
    assert.strictEqual((await error.textContent())?.trim(), "column 7: expected ')' but found end of input (the '(' at column 5 is not closed)");
    // Beside the input: on its line, to its right.
    const ib = (await input.boundingBox())!;
    const eb = (await error.boundingBox())!;
    assert.ok(eb.x >= ib.x + ib.width && eb.y < ib.y + ib.height && eb.y + eb.height > ib.y, `error at ${JSON.stringify(eb)}, input at ${JSON.stringify(ib)}`);
    assert.strictEqual(await input.inputValue(), 'x^2*(y');
    assert.strictEqual(await input.getAttribute('aria-invalid'), 'true');
    // The previous graph, stepped to the end, is still there.
    assert.strictEqual(await frame.locator('svg.graph g.graph-node').count(), 6);
    assert.strictEqual(await status().getAttribute('data-phase'), 'done');
    assert.strictEqual(await status().getAttribute('data-f'), '18');
    assert.strictEqual(await frame.locator('.graph-check-table tr[data-variable="z"]').getAttribute('data-backprop'), '-9');
    await page.locator('.tabs-container .tab.active', { hasText: 'Computation Graph: x^2*y/z' }).waitFor();
    await shoot('graph-6-malformed-expression');
  });

  it('draws a new expression typed in the panel once it is fixed', async () => {
    await frame.locator('#graph-expression').fill('sigmoid(w*x + b)');
    await frame.locator('#graph-values').fill('w=0.5, x=2, b=-1');
    await frame.locator('#graph-values').press('Enter');
    await node('sigmoid').waitFor({ timeout: 15_000 });
    assert.strictEqual((await frame.locator('#graph-expression-error').textContent())?.trim(), '');
    await frame.locator('button', { hasText: 'Run All' }).click();
    await frame.locator('.graph-status[data-phase="done"]').waitFor();
    // σ(0) = 1/2 and σ′(0) = 1/4, so ∂f/∂w = x/4 = 0.5, ∂f/∂x = w/4 = 0.125, ∂f/∂b = 0.25.
    assert.strictEqual(await status().getAttribute('data-f'), '0.5');
    for (const [v, g] of [['w', '0.5'], ['x', '0.125'], ['b', '0.25']]) {
      assert.strictEqual(await frame.locator(`.graph-check-table tr[data-variable="${v}"]`).getAttribute('data-backprop'), g);
    }
    await shoot('graph-7-neuron');
  });

  it('comes back with the same expression after a window reload', async () => {
    // VS Code activates the extension for a restored panel only through this event.
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents?: string[] };
    assert.ok(manifest.activationEvents?.includes('onWebviewPanel:mlpInspector.computationGraph'), 'package.json needs the activation event onWebviewPanel:mlpInspector.computationGraph');
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await node('sigmoid').waitFor({ timeout: 60_000 });
    assert.strictEqual(await frame.locator('#graph-expression').inputValue(), 'sigmoid(w*x + b)');
    assert.strictEqual(await frame.locator('#graph-values').inputValue(), 'w=0.5, x=2, b=-1');
    await shoot('graph-8-after-reload');
  });
});
