import * as assert from 'assert';
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

/**
 * Registers the suite's hooks: before it, install what is missing, package and install the
 * extension, start one code-server (each page load starts an extension host that outlives the
 * browser, so one server a suite) and open the workbench; after a failed test, a screenshot;
 * after the suite, stop everything. The returned object is filled in by the `before` hook.
 */
export function useWorkbench(name: string): Workbench {
  const wb = {} as { server: CodeServer; browser: Browser; page: Page; dirs: RunDirs };
  before(async function () {
    this.timeout(600_000); // a fresh machine installs Chromium and code-server first
    const csDir = ensureE2eSetup();
    const vsix = packageExtension();
    wb.dirs = makeRunDirs(name);
    installExtension(csDir, wb.dirs, vsix);
    wb.server = await CodeServer.start({ csDir, dirs: wb.dirs });
    wb.browser = await launchBrowser();
    wb.page = await newPage(wb.browser);
    await openWorkbench(wb.page, wb.server.workbenchUrl(wb.dirs.workspace));
    await activityBarIcon(wb.page).waitFor({ state: 'visible', timeout: 60_000 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb.page) {
      await saveScreenshot(wb.page, `failed-${name}-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
    }
  });
  after(async () => {
    await wb.browser?.close();
    await wb.server?.stop();
  });
  return wb;
}

/** Anti-aliased text has many shades; a blank box has one colour covering nearly all of it. */
export function assertNotBlank(stats: PixelStats, what: string): void {
  assert.ok(stats.distinctColours >= 8 && stats.dominantFraction < 0.99, `${what} looks blank: ${JSON.stringify(stats)}`);
}
