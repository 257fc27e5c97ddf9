// Runs test/integration/ inside a real VS Code extension host (code-server), with the real
// `vscode` API: the workbench is opened with a launch payload naming this repository as the
// extension under development and out/test/integration/index.js as the tests. The extension
// host reports mocha's output and exit code to the page through two functions we expose.
//
// Usage: node out/test/e2e/runIntegration.js   (after tsc; see package.json's test:integration)
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import type { Browser } from 'playwright-core';
import { CodeServer } from './harness/codeServer';
import { buildExtension } from './harness/extensionPackage';
import { ROOT } from './harness/paths';
import { makeRunDirs } from './harness/runDirs';
import { ensureE2eSetup } from './harness/setup';
import { launchBrowser, newPage } from './harness/workbench';

/** Printed by test/integration/index.ts just before mocha starts. */
const TESTS_START_MARKER = '[mlp-inspector] integration tests start';
/** Offline, the workbench's extension-gallery lookup fails on every load; nothing to see. */
const KNOWN_HARMLESS = [/ENOTFOUND open-vsx\.org/];
const TIMEOUT_MS = Number(process.env.MLP_INTEGRATION_TIMEOUT_MS ?? 180_000);

async function main(): Promise<number> {
  const started = Date.now();
  const csDir = ensureE2eSetup();
  buildExtension();
  const testsEntry = path.join(ROOT, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsEntry)) {
    throw new Error(`${testsEntry} is missing: compile first (tsc -p test/e2e/tsconfig.json)`);
  }
  // No extension installed: the one under test loads from the working tree (extensionDevelopmentPath).
  const dirs = makeRunDirs('integration');
  const server = await CodeServer.start({ csDir, dirs });
  let browser: Browser | undefined;
  const output: string[] = [];
  try {
    browser = await launchBrowser();
    const page = await newPage(browser);
    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    // Both functions must exist before the workbench loads: it looks for them once, at startup.
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    // The page forwards every console line, the workbench's and the extension host's. Mocha's
    // lines come after the marker test/integration/index.ts prints; the rest goes to a log file.
    const logFile = path.join(dirs.root, 'automation.log');
    let testsStarted = false;
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = util.format(...args);
      fs.appendFileSync(logFile, `[${type}] ${text}\n`);
      if (text.includes(TESTS_START_MARKER)) {
        testsStarted = true;
        return;
      }
      if (testsStarted) {
        output.push(text);
        process.stdout.write(`${text}\n`);
      } else if (type === 'error' && !KNOWN_HARMLESS.some((re) => re.test(text))) {
        process.stderr.write(`[workbench] ${text}\n`);
      }
    });
    const payload: Array<[string, string]> = [
      ['extensionDevelopmentPath', server.remoteUri(ROOT)],
      ['extensionTestsPath', server.remoteUri(testsEntry)],
    ];
    await page.goto(server.workbenchUrl(dirs.workspace, payload));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no exit code from the extension host within ${TIMEOUT_MS} ms; server log:\n${server.tail()}`)), TIMEOUT_MS);
    });
    const code = await Promise.race([exitCode, timeout]).finally(() => clearTimeout(timer));
    const all = output.join('\n');
    const passed = Number(/(\d+) passing/.exec(all)?.[1] ?? 0);
    const failed = Number(/(\d+) failing/.exec(all)?.[1] ?? 0);
    if (!testsStarted) {
      console.error(`integration: the tests never started; page console in ${logFile}`);
    }
    console.log(`extension host exit code ${code}, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    // Alone on its line, in the form CI's log reader counts.
    console.log(`integration: ${passed} passed, ${failed} failed`);
    if (code === 0 && passed === 0) {
      console.error('integration: the extension host exited 0 but ran no test');
      return 1;
    }
    return code;
  } finally {
    await browser?.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
