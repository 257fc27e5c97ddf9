import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import type { RunDirs } from './runDirs';
import { codeServerEntry } from './setup';

/** Process groups we started, killed on exit even if a test forgets to stop its server. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** Options for `CodeServer.start`. */
export interface CodeServerOptions {
  readonly csDir: string;
  readonly dirs: RunDirs;
}

/**
 * One code-server (a real VS Code workbench plus its Node extension host) on 127.0.0.1, in its
 * own process group so that `stop` also ends its file watchers and extension hosts. Start one per
 * suite: every page load starts a fresh extension host that outlives the browser.
 */
export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    /** e.g. http://127.0.0.1:41234 */
    public readonly baseUrl: string,
    /** host:port, the authority of vscode-remote:// URIs for this server. */
    public readonly authority: string,
    public readonly logFile: string,
  ) {}

  /** Starts code-server and resolves once /healthz answers. */
  public static async start(options: CodeServerOptions): Promise<CodeServer> {
    const { csDir, dirs } = options;
    const port = await freePort();
    const logFile = path.join(dirs.root, 'server.log');
    const log = fs.openSync(logFile, 'w');
    const args = [
      codeServerEntry(csDir),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      '--ignore-last-opened',
    ];
    // detached: the child calls setsid(), so its pid is the process group id we kill in stop().
    const child = spawn(process.execPath, args, { cwd: dirs.root, env: dirs.env, detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    if (child.pid === undefined) {
      throw new Error('code-server did not start');
    }
    liveGroups.add(child.pid);
    const server = new CodeServer(child, `http://127.0.0.1:${port}`, `127.0.0.1:${port}`, logFile);
    await server.waitUntilHealthy(60_000);
    return server;
  }

  private async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`code-server exited early (${this.child.exitCode ?? this.child.signalCode}); see ${this.logFile}:\n${this.tail()}`);
      }
      if ((await httpStatus(`${this.baseUrl}/healthz`)) === 200) {
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; see ${this.logFile}:\n${this.tail()}`);
  }

  /**
   * The workbench URL opening `folder` (undefined: an empty window, no folder open), optionally
   * with a `payload` (extension test launch).
   */
  public workbenchUrl(folder: string | undefined, payload?: ReadonlyArray<readonly [string, string]>): string {
    let url = folder === undefined ? `${this.baseUrl}/?ew=true` : `${this.baseUrl}/?folder=${encodeURIComponent(folder)}`;
    if (payload) {
      url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    }
    return url;
  }

  /** A vscode-remote:// URI for an absolute path on this server. */
  public remoteUri(absolutePath: string): string {
    return `vscode-remote://${this.authority}${absolutePath}`;
  }

  /** The last lines of the server log, for error messages. */
  public tail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Ends the whole process group: SIGTERM, then SIGKILL after a grace period. */
  public async stop(): Promise<void> {
    const pgid = this.child.pid;
    if (pgid === undefined || !liveGroups.has(pgid)) {
      return;
    }
    const groupAlive = (): boolean => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + 5000;
    while (groupAlive() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (groupAlive()) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    liveGroups.delete(pgid);
  }
}
