// Builds everything that ships into dist/: the CLI, the extension host, the workers and the
// webview bundles. `--production` minifies, `--watch` rebuilds, `--cli` builds the CLI alone
// (what the unit tests run as a program).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const cliOnly = process.argv.includes('--cli');

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The extension host entry; `vscode` is provided by the host at run time.
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The training worker (worker_threads), started by the extension host for each open model.
    entryPoints: ['src/training/trainingWorker.ts'],
    outfile: 'dist/trainingWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The architecture sweep's worker (src/labs/SweepRunner.ts falls back to the host without it).
    entryPoints: ['src/labs/sweepWorker.ts'],
    outfile: 'dist/sweepWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The inspector panel's script, loaded by the webview under a nonce'd CSP.
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The computation graph panel's script.
    entryPoints: ['webview/graph.ts'],
    outfile: 'dist/webview/graph.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The labs' script (activation functions, initialization, architecture sweep).
    entryPoints: ['webview/labs.ts'],
    outfile: 'dist/webview/labs.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The sidebar view's script.
    entryPoints: ['webview/sidebar.ts'],
    outfile: 'dist/webview/sidebar.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

async function main() {
  const contexts = await Promise.all(
    (cliOnly ? targets.slice(0, 1) : targets).map((t) =>
      esbuild.context({
        bundle: true,
        // Prefer packages' ES module builds: jsonc-parser's UMD build uses a dynamic require
        // that esbuild cannot follow, and ESM builds tree-shake better.
        mainFields: t.platform === 'browser' ? ['browser', 'module', 'main'] : ['module', 'main'],
        sourcemap: !production,
        minify: production,
        logLevel: 'warning',
        ...t,
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
