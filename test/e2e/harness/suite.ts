import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer } from './codeServer';
import { installExtension, packageExtension } from './extensionPackage';
import { makeRunDirs, type RunDirs } from './runDirs';
import { ensureE2eSetup } from './setup';
import { activityBarIcon, launchBrowser, newPage, openWorkbench, saveScreenshot, type PixelStats } from './workbench';

/** A running workbench: code-server with the packaged extension, a browser page on a fresh copy of examples/. */
export interface Workbench {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly dirs: RunDirs;
}

/** How the suite's workbench opens. */
export interface WorkbenchOptions {
  /** False: an empty window with no folder open (dirs.workspace is still made, for files to pick). Default true. */
  readonly folder?: boolean;
  /** Extra user keybindings (keybindings.json entries), e.g. a command with arguments the palette cannot give. */
  readonly keybindings?: readonly object[];
  /** Puts files into the workspace before the workbench opens (the Explorer lists them at once). */
  readonly prepare?: (dirs: RunDirs) => void;
}

/**
 * Registers the suite's hooks: before it, install what is missing, package and install the
 * extension, start one code-server (each page load starts an extension host that outlives the
 * browser, so one server a suite) and open the workbench; after a failed test, a screenshot;
 * after the suite, stop everything. The returned object is filled in by the `before` hook.
 */
export function useWorkbench(name: string, options: WorkbenchOptions = {}): Workbench {
  const wb = {} as { server: CodeServer; browser: Browser; page: Page; dirs: RunDirs };
  before(async function () {
    this.timeout(600_000); // a fresh machine installs Chromium and code-server first
    const csDir = ensureE2eSetup();
    const vsix = packageExtension();
    wb.dirs = makeRunDirs(name);
    options.prepare?.(wb.dirs);
    if (options.keybindings) fs.writeFileSync(path.join(wb.dirs.userData, 'User', 'keybindings.json'), JSON.stringify(options.keybindings, null, 2));
    installExtension(csDir, wb.dirs, vsix);
    wb.server = await CodeServer.start({ csDir, dirs: wb.dirs });
    wb.browser = await launchBrowser();
    wb.page = await newPage(wb.browser);
    await openWorkbench(wb.page, wb.server.workbenchUrl(options.folder === false ? undefined : wb.dirs.workspace));
    await activityBarIcon(wb.page).waitFor({ state: 'visible', timeout: 60_000 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb.page) {
      await saveScreenshot(wb.page, `failed-${name}-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
      // CI keeps only the log: say what the workbench and each of our webviews showed.
      console.log(await describeWorkbench(wb.page).catch((e: unknown) => `(could not describe the workbench: ${String(e)})`));
    }
  });
  after(async () => {
    await wb.browser?.close();
    await wb.server?.stop();
  });
  return wb;
}

/** A text picture of the workbench for a failure's log: dialogs, notifications, and every webview's text. */
async function describeWorkbench(page: Page): Promise<string> {
  const lines = ['--- workbench at failure ---'];
  const texts = async (selector: string): Promise<string[]> =>
    (await page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.length > 0);
  for (const [what, selector] of [
    ['dialog', '.monaco-dialog-box'],
    ['notification', '.notification-toast'],
    ['quick input', '.quick-input-widget:visible'],
    ['active view container', '.activitybar .action-item.checked .action-label'],
    ['editor tab', '.tabs-container .tab'],
  ] as const) {
    for (const t of await texts(selector)) lines.push(`${what}: ${t.slice(0, 300)}`);
  }
  for (const label of await page.locator('.activitybar .action-item.checked .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))) {
    lines.push(`checked activity: ${label}`);
  }
  const webviews = await page.locator('iframe.webview').evaluateAll((els) =>
    els.map((e) => `${e.className} ${/extensionId=([^&]+)/.exec(e.getAttribute('src') ?? '')?.[1] ?? '?'} ${/purpose=([^&]+)/.exec(e.getAttribute('src') ?? '')?.[1] ?? '?'}`),
  );
  for (const w of webviews) lines.push(`webview element: ${w}`);
  for (const frame of page.frames()) {
    // A webview is an outer frame (its URL names the extension and purpose) holding the document.
    const outer = frame.parentFrame()?.url() ?? '';
    if (!outer.includes('mlp-inspector')) continue;
    const purpose = /purpose=([a-zA-Z]+)/.exec(outer)?.[1] ?? 'webview';
    const body = await frame.locator('body').innerText({ timeout: 2_000 }).catch(() => '(no body)');
    lines.push(`${purpose}: ${body.replace(/\s+/g, ' ').trim().slice(0, 400) || '(empty)'}`);
  }
  return lines.join('\n');
}

/** Anti-aliased text has many shades; a blank box has one colour covering nearly all of it. */
export function assertNotBlank(stats: PixelStats, what: string): void {
  assert.ok(stats.distinctColours >= 8 && stats.dominantFraction < 0.99, `${what} looks blank: ${JSON.stringify(stats)}`);
}
