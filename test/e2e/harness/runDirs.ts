import * as fs from 'fs';
import * as path from 'path';
import { copyExamples } from '../../pristineExamples';
import { CACHE } from './paths';

/** The scratch folders of one code-server run, all under .cache/e2e-runs/. */
export interface RunDirs {
  readonly root: string;
  readonly userData: string;
  readonly serverData: string;
  readonly extensions: string;
  readonly xdgConfig: string;
  readonly tmp: string;
  /**
   * A fresh copy of examples/: the folder the workbench opens. Tests train, save and break
   * model files there, never in the repository's own examples.
   */
  readonly workspace: string;
  /** The environment for code-server and its extension host (which inherits the server's). */
  readonly env: NodeJS.ProcessEnv;
}

/** User settings that keep welcome pages, tips, trust prompts and update checks out of the way. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  // The repository around examples/ would otherwise raise a toast that covers the panel.
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
};

/**
 * Makes fresh folders for one run: user data (with quiet settings), extensions, XDG config and a
 * TMPDIR (runs leave sockets there). Old runs' folders are removed first.
 */
export function makeRunDirs(name: string): RunDirs {
  const base = path.join(CACHE, 'e2e-runs');
  const root = path.join(base, name);
  fs.rmSync(root, { recursive: true, force: true });
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    serverData: path.join(root, 'server-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    tmp: path.join(root, 'tmp'),
    workspace: path.join(root, 'workspace'),
  };
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  copyExamples(dirs.workspace);
  const userDir = path.join(dirs.userData, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
    TMPDIR: dirs.tmp,
  };
  // A test runner started from inside VS Code would pass these on and confuse the server.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
      delete env[key];
    }
  }
  return { ...dirs, env };
}
