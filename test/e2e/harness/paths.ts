import * as path from 'path';

/** The repository root (this file compiles to out/test/e2e/harness/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Ignored by git: the pinned code-server, packaged .vsix files and per-run scratch folders. */
export const CACHE = path.join(ROOT, '.cache');

/** Ignored by git: screenshots and logs that CI keeps as test artifacts. */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/** The examples; each run opens a fresh copy of them (RunDirs.workspace). */
export const EXAMPLES = path.join(ROOT, 'examples');

/** `publisher.name` from package.json: webview iframes carry it in their `src`. */
export const EXTENSION_ID = 'mlp-inspector.mlp-inspector';
