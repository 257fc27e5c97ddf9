// Lint is part of `npm test`. Type-aware rules are left out on purpose: `tsc` already
// type-checks everything, and type-aware linting would double the time on 2-core machines.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.cache/**', '.vscode-test/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Reference values are quoted with all the digits of the published tables they come from.
    files: ['test/**/*.ts'],
    rules: { 'no-loss-of-precision': 'off', '@typescript-eslint/no-loss-of-precision': 'off' },
  },
  {
    // The engine and the analysis are pure leaves: they run in the extension host, a worker,
    // the CLI and tests alike, so they may not reach for vscode, the DOM or the file system.
    files: ['src/engine/**/*.ts', 'src/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'path', 'node:path'] }],
    },
  },
  {
    files: ['src/data/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'] }],
    },
  },
  {
    // The webviews draw what they are sent: every figure is computed by the training worker or
    // the host (issue #20), so no engine or analysis code may run in them. Types of the plain
    // data they draw may be imported.
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(engine|analysis)(/|$)',
              allowTypeImports: true,
              message: 'The webview computes nothing: have the worker (src/training/) or the host compute it and send the figure. Only `import type` of plain data shapes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
