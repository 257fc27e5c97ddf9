// Builds everything that ships into dist/: the CLI now; the extension host, the training worker
// and the webview bundles as they are added. `--production` minifies, `--watch` rebuilds.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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
];

async function main() {
  const contexts = await Promise.all(
    targets.map((t) =>
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
