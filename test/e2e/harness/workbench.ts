import * as fs from 'fs';
import * as assert from 'assert';
import * as path from 'path';
import { Browser, chromium, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { ARTIFACTS, EXTENSION_ID } from './paths';

/** Debian's Chromium (setup-e2e.sh installs it); playwright-core never downloads a browser here. */
export const CHROMIUM = process.env.MLP_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium with the flags this offline machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page sized like a laptop screen, so panel and sidebar both have room. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

/** Opens a workbench URL and waits until the workbench is drawn. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
}

/** The extension's activity-bar icon; it appears once the extension scan is done. */
export function activityBarIcon(page: Page, label = 'MLP Inspector'): Locator {
  return page.locator(`.activitybar .action-item .action-label[aria-label^="${label}"]`);
}

/** Runs a command the way a user does: F1, type `Category: Title`, Enter. */
export async function runCommand(page: Page, title: string, options: { opensPicker?: boolean } = {}): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Run this very command, not a longer title that merely matches the same words and may be
  // listed first. Its row's aria-label is the title, maybe followed by ", recently used"; choose
  // it as a user would. (`typeCommand` checks that the titles need no choosing.)
  const quoted = JSON.stringify(title);
  const quotedPrefix = JSON.stringify(`${title}, `);
  const rows = '.quick-input-list .monaco-list-row';
  const row = page.locator(`${rows}[aria-label=${quoted}], ${rows}[aria-label^=${quotedPrefix}]`).first();
  await row.waitFor({ state: 'visible' });
  for (let i = 0; i < 10 && !(await row.evaluate((e) => e.classList.contains('focused'))); i++) await input.press('ArrowDown');
  await input.press('Enter');
  // A command that asks a question of its own (a theme picker) keeps the quick input open.
  if (!options.opensPicker) await input.waitFor({ state: 'hidden' });
}

/**
 * Types `Category: Title` into the palette and presses Enter at once, as a user who trusts the
 * palette does: whatever is listed first runs. Returns the rows' titles as listed then.
 */
export async function typeCommand(page: Page, title: string): Promise<string[]> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const rows = '.quick-input-list .monaco-list-row';
  // Wait for the list to be filtered to this title (it is listed somewhere), then take it as it stands.
  await page.locator(`${rows}[aria-label=${JSON.stringify(title)}], ${rows}[aria-label^=${JSON.stringify(`${title}, `)}]`).first().waitFor({ state: 'visible' });
  const listed = await page.locator(rows).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
  await input.press('Enter');
  await input.waitFor({ state: 'hidden' });
  return listed;
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P), as a user would. A file written moments
 * ago may not be in Quick Open's index yet, so it tries again a few times.
 */
export async function quickOpen(page: Page, file: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*=${JSON.stringify(file)}]`);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible' });
    await input.fill(file);
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (err) {
      if (attempt >= 6) throw err;
      await input.press('Escape');
    }
  }
  await input.press('Enter');
  // The active tab of whichever group it opened in (a file may be open in two groups).
  await page.locator('.tabs-container .tab.active', { hasText: file }).first().waitFor();
}

/** Closes any notification toasts, so that they cannot cover (or fake content in) a screenshot. */
export async function clearNotifications(page: Page): Promise<void> {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) > 0) {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await toasts.first().waitFor({ state: 'detached' });
  }
}

const webviewFrame = `iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`;

/** The outer <iframe> element of the inspector panel (in the workbench DOM, for screenshots). */
export function panelElement(page: Page): Locator {
  return page.locator(`${webviewFrame}:not([src*="purpose=webviewView"])`);
}

/** The outer <iframe> element of the sidebar's webview view. */
/** Shows the MLP Inspector view (clicking its icon when it is already shown would hide it). */
export async function showSidebar(page: Page): Promise<void> {
  const shown = page.locator('.activitybar .action-item.checked .action-label[aria-label^="MLP Inspector"]');
  // The icon toggles the view. After a window reload the workbench may still be restoring it: a
  // click then closes what was about to open. So: wait a little for it to show by itself, and
  // after each click check again, clicking once more if the click toggled it away.
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      await shown.waitFor({ state: 'visible', timeout: attempt === 0 ? 3000 : 1500 });
      return;
    } catch {
      await activityBarIcon(page).click();
    }
    try {
      await shown.waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch {
      // toggled closed by a restore that finished after the click: go round again
    }
  }
  await shown.waitFor({ state: 'visible' });
}

export function sidebarElement(page: Page): Locator {
  return page.locator(`${webviewFrame}[src*="purpose=webviewView"]`);
}

/** The inspector panel's document: webviews are an outer iframe holding `iframe#active-frame`. */
export function panelFrame(page: Page): FrameLocator {
  return page.frameLocator(`${webviewFrame}:not([src*="purpose=webviewView"])`).frameLocator('iframe#active-frame');
}

/** The sidebar view's document. */
export function sidebarFrame(page: Page): FrameLocator {
  return page.frameLocator(`${webviewFrame}[src*="purpose=webviewView"]`).frameLocator('iframe#active-frame');
}

/** Saves a screenshot (of the page, or of one element) into test-artifacts/; returns its path and bytes. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<{ file: string; png: Buffer }> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  const png = await target.screenshot({ path: file });
  return { file, png };
}

/** How varied a PNG is: a blank (uniform) panel has one colour covering ~100% of it. */
export interface PixelStats {
  readonly width: number;
  readonly height: number;
  /** Distinct RGB colours. */
  readonly distinctColours: number;
  /** Fraction of pixels that have the most common colour. */
  readonly dominantFraction: number;
}

// Runs in the browser. A string, not a function, so that this Node-side file needs no DOM types
// (a `lib="dom"` reference here would leak DOM globals into the engine's type-checking).
const PIXEL_STATS_SOURCE = `async (base64) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + base64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let dominant = 0;
  for (const n of counts.values()) dominant = Math.max(dominant, n);
  return {
    width: canvas.width,
    height: canvas.height,
    distinctColours: counts.size,
    dominantFraction: dominant / (data.length / 4),
  };
}`;

/**
 * Decodes a PNG in a blank page of the same browser (no image library needed) and counts its
 * colours, so a test can fail on a panel that rendered nothing.
 */
export async function pixelStats(browser: Browser, png: Buffer): Promise<PixelStats> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    return (await page.evaluate(`(${PIXEL_STATS_SOURCE})(${JSON.stringify(png.toString('base64'))})`)) as PixelStats;
  } finally {
    await context.close();
  }
}

/**
 * Opens `file` through Quick Open and runs Open Inspector on it, as a user does, answering
 * "Discard" when the extension asks about the unsaved model open before: `'expected'` fails if it
 * does not ask, `'if-asked'` answers only if it does. Waits for the panel's title `name`.
 */
export async function openInspectorOn(page: Page, file: string, name: string, discard: 'expected' | 'if-asked'): Promise<FrameLocator> {
  await quickOpen(page, file);
  await runCommand(page, 'MLP Inspector: Open Inspector');
  const frame = panelFrame(page);
  const title = frame.locator(`h1:text-is(${JSON.stringify(`MLP Inspector: ${name}`)})`);
  const dialog = page.locator('.monaco-dialog-box');
  if (discard === 'expected') await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  else await Promise.race([title.waitFor({ timeout: 30_000 }), dialog.waitFor({ state: 'visible', timeout: 30_000 })]);
  if (await dialog.isVisible()) await dialog.locator('a.monaco-button, button', { hasText: 'Discard' }).first().click();
  await title.waitFor({ timeout: 30_000 });
  return frame;
}

/**
 * Answers the quick input titled `title` (a picker or an input box a command opened): types
 * `text` if given, waits until the focused row is `row` if given, and presses Enter.
 */
export async function answerQuickInput(page: Page, title: string, text: string | undefined, row?: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  if (text !== undefined) await input.fill(text);
  if (row) await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*=${JSON.stringify(row)}]`).waitFor({ state: 'visible' });
  await input.press('Enter');
}

/**
 * The document of the webview whose body has class `bodyClass` (the inspector's `inspector`, a
 * lab's `lab-NAME`, the graph's `graph-body`): several panels may be open at once.
 */
export async function frameWithBodyClass(page: Page, bodyClass: string, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const cls = await frame.evaluate('document.body ? document.body.className : ""').catch(() => '');
      if (typeof cls === 'string' && cls.split(' ').includes(bodyClass)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview with body class ${bodyClass} appeared`);
}

/** Switches the colour theme as a user does, through Preferences: Color Theme. */
export async function pickColorTheme(page: Page, theme: string): Promise<void> {
  // Preferences: Color Theme opens the theme picker in the same quick input.
  await runCommand(page, 'Preferences: Color Theme', { opensPicker: true });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.locator('.quick-input-widget input[placeholder^="Select Color Theme"]').waitFor({ state: 'visible' });
  await input.fill(theme);
  // "Browse Additional Color Themes…" stays first; move down to the theme itself.
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(theme)}]`).first();
  await row.waitFor({ state: 'visible' });
  for (let i = 0; i < 5 && !(await row.evaluate((e) => e.classList.contains('focused'))); i++) await input.press('ArrowDown');
  await input.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Switches the colour theme through Preferences: Color Theme, and waits until the panel's
 * background (from the theme's variables) is dark or light as the theme says.
 */
export async function setTheme(page: Page, theme: string): Promise<void> {
  await pickColorTheme(page, theme);
  const frame = panelFrame(page);
  // The panel's colours come from the theme's variables: its background changes with it.
  const bg = async (): Promise<string> =>
    frame.locator('body').evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor);
  const deadline = Date.now() + 15_000;
  let colour = await bg();
  const wanted =
    theme === 'Dark High Contrast' ? /rgb\(0, 0, 0\)/
    : theme === 'Light High Contrast' ? /rgb\(255, 255, 255\)/
    : theme.includes('Light') ? /rgb\((2[0-9]{2}), (2[0-9]{2}), (2[0-9]{2})\)/
    : /rgb\(([0-5]?[0-9]), ([0-5]?[0-9]), ([0-5]?[0-9])\)/;
  while (!wanted.test(colour) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    colour = await bg();
  }
  assert.match(colour, wanted, `the panel's background in ${theme}`);
}
