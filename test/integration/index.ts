// The extension-tests entry VS Code loads in its extension host (the `extensionTestsPath` of the
// launch payload): it runs every *.test.js beside it with mocha and rejects if any test fails,
// which makes the extension host exit with code 1.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Called by VS Code once the extension under development is loaded. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) {
      mocha.addFile(path.join(__dirname, file));
    }
  }
  // test/e2e/runIntegration.ts shows the page's console from this line on.
  console.log('[mlp-inspector] integration tests start');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
