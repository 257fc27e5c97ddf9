/**
 * `npm run bench:panel`: the inspector panel training Fashion-MNIST in a real VS Code
 * (code-server + Debian's Chromium, the packaged extension), against the CLI's `train` on the
 * same model, the same data file and the same thread count, in the same run.
 *
 *   node out/test/e2e/bench/panelBench.js [--rows N] [--seconds S] [--warmup W] [--out FILE]
 *                                         [--cli-runs K] [--cli-seconds C] [--sidebar]
 *                                         [--csv link|copy|symlink]
 *
 * A benchmark, not a test: it judges nothing by its exit code (it fails only when it cannot
 * measure at all). It prints a summary and writes every figure to a JSON file (default
 * bench-results/local-panel-<time>.json, which git ignores). See bench/README.md, "bench:panel".
 *
 * The panel opens the model with default settings; the sidebar's "computed in" row gives the
 * threads, then the Explorer is shown again (--sidebar keeps the MLP Inspector view instead) and
 * the panel's loss card is scrolled into view. After a click on the panel's Train button:
 * - the time until the status line says "training", and the time to the loss chart's first point
 *   (`.loss-chart[data-points]` > 0, polled every 50 ms in the panel's document; "n/a" when the
 *   panel does not carry that attribute) and to the status line's first loss figure
 *   (`p.run-status[data-loss]`, the first epoch's record);
 * - the rate the panel shows: `p.run-status[data-step]` read every 250 ms in the panel's
 *   document, turned into samples (whole epochs of `rows`, plus 128 a step in the current one),
 *   Δsamples/Δt over the window from `warmup` to `seconds` after the status first said
 *   "training"; also the median of the "N samples/s" figures of the status text itself;
 * - the panel's frame time: requestAnimationFrame gaps in the panel's document, and its long
 *   tasks (PerformanceObserver 'longtask'), idle before Train and during the window;
 * - CPU over the window: the whole machine (/proc/stat), code-server's processes (the extension
 *   host; the training worker is one of its threads) and Chromium's;
 * - then the time from a click on Pause until the status says "paused".
 * The CLI runs `train MODEL --threads T --epochs 1000` and is stopped after `cli-seconds` of
 * epochs; its rate is the rows of the epochs after its first one over the time between their
 * JSON lines (so neither its start-up, reading the CSV, nor its first epoch counts; like the
 * panel's, its epochs include the end-of-epoch evaluation). With two CLI runs (the default) one
 * runs before the panel and one after it, and the summary takes their median (for two, the mean).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Frame, Page } from 'playwright-core';
import { CodeServer } from '../harness/codeServer';
import { installExtension, packageExtension } from '../harness/extensionPackage';
import { ROOT } from '../harness/paths';
import { makeRunDirs, type RunDirs } from '../harness/runDirs';
import { ensureE2eSetup } from '../harness/setup';
import {
  activityBarIcon,
  clearNotifications,
  launchBrowser,
  newPage,
  openWorkbench,
  panelElement,
  panelFrame,
  quickOpen,
  runCommand,
  saveScreenshot,
  showSidebar,
  sidebarFrame,
} from '../harness/workbench';

/** The model's batch size (scripts/fashion-mnist.js writes batchSize 128). */
const BATCH = 128;
/** The issue's bar: the panel's rate at least this share of the CLI's. */
const TARGET_RATIO = 0.8;
/** The issue's bar: the loss figure has data within this many ms of Train. */
const TARGET_FIRST_LOSS_MS = 2000;

interface Options {
  rows: number;
  seconds: number;
  warmup: number;
  out: string;
  cliRuns: number;
  cliSeconds: number;
  sidebar: boolean;
  csv: 'link' | 'copy' | 'symlink';
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number, min: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, not ${text}`);
    return n;
  };
  for (const a of argv) {
    if (a.startsWith('--') && !['--rows', '--seconds', '--warmup', '--out', '--cli-runs', '--cli-seconds', '--sidebar', '--csv'].includes(a)) {
      throw new Error(`unknown option ${a}; usage: panelBench [--rows N] [--seconds S] [--warmup W] [--out FILE] [--cli-runs K] [--cli-seconds C] [--sidebar] [--csv link|copy|symlink]`);
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const rows = num('rows', 60000, 1);
  const seconds = num('seconds', 35, 1);
  const warmup = num('warmup', 3, 0);
  if (!Number.isInteger(rows) || rows > 60000) throw new Error('--rows must be a whole number from 1 to 60000');
  if (warmup >= seconds) throw new Error('--warmup must be less than --seconds');
  const csv = value('csv') ?? 'link';
  if (csv !== 'link' && csv !== 'copy' && csv !== 'symlink') throw new Error(`--csv must be link, copy or symlink, not ${csv}`);
  return {
    rows,
    seconds,
    warmup,
    out: path.resolve(value('out') ?? path.join(ROOT, 'bench-results', `local-panel-${stamp}.json`)),
    cliRuns: Math.round(num('cli-runs', 2, 0)),
    cliSeconds: num('cli-seconds', 20, 1),
    sidebar: argv.includes('--sidebar'),
    csv,
  };
}

// ---------------------------------------------------------------- machine and processes

function cpuModel(): string {
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function load1(): number {
  return Number(os.loadavg()[0].toFixed(2));
}

/** Jiffies of the whole machine: busy and total (from /proc/stat's "cpu" line). */
function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3] + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

interface Proc {
  pid: number;
  ppid: number;
  pgrp: number;
  jiffies: number;
  cmd: string;
}

/** Every process now: pid, parent, process group, CPU jiffies (user + system), command line. */
function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>();
  let names: string[] = [];
  try {
    names = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return all;
  }
  for (const name of names) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) is in parentheses and may hold spaces: split after it.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      all.set(Number(name), { pid: Number(name), ppid: Number(rest[1]), pgrp: Number(rest[2]), jiffies: Number(rest[11]) + Number(rest[12]), cmd });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The pids of `root` and all its descendants. */
function tree(all: Map<number, Proc>, root: number): Set<number> {
  const out = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all.values()) {
      if (!out.has(p.pid) && out.has(p.ppid)) {
        out.add(p.pid);
        grew = true;
      }
    }
  }
  return out;
}

/** The threads of `pid`: name (comm) and CPU jiffies, by thread id. */
function threadsOf(pid: number): Map<number, { name: string; jiffies: number }> {
  const out = new Map<number, { name: string; jiffies: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, jiffies: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

interface CpuMark {
  at: number;
  machine?: { busy: number; total: number };
  procs: Map<number, Proc>;
  /** The extension hosts' threads (the training worker is one of them). */
  hostThreads: Map<number, { name: string; jiffies: number }>;
}

function cpuMark(dirs: RunDirs): CpuMark {
  const procs = processes();
  const hostThreads = new Map<number, { name: string; jiffies: number }>();
  for (const p of serverProcesses(procs, dirs)) if (/extensionHost/.test(p.cmd)) for (const [tid, t] of threadsOf(p.pid)) hostThreads.set(tid, t);
  return { at: Date.now(), machine: machineJiffies(), procs, hostThreads };
}

/** code-server's processes: the one started with this run's user-data folder leads their group. */
function serverProcesses(procs: Map<number, Proc>, dirs: RunDirs): Proc[] {
  const leader = [...procs.values()].find((p) => p.cmd.includes('entry.js') && p.cmd.includes(dirs.userData));
  return leader ? [...procs.values()].filter((p) => p.pgrp === leader.pgrp) : [];
}

/** CPU use between two marks: the machine's busy share, and the groups' processes in % of one core. */
function cpuBetween(a: CpuMark, b: CpuMark, dirs: RunDirs): Record<string, unknown> {
  const seconds = (b.at - a.at) / 1000;
  const hz = ticksPerSecond();
  const pct = (pids: Iterable<number>): number => {
    let j = 0;
    for (const pid of pids) {
      const before = a.procs.get(pid)?.jiffies ?? 0;
      const after = b.procs.get(pid)?.jiffies;
      if (after !== undefined) j += after - before;
    }
    return Number(((100 * j) / hz / seconds).toFixed(1));
  };
  const serverGroup = serverProcesses(b.procs, dirs);
  const extensionHosts = serverGroup.filter((p) => /extensionHost/.test(p.cmd));
  // Chromium: playwright-core starts it as a child of this process (another run's Chromium is not).
  const chromium = new Set([...tree(b.procs, process.pid)].filter((pid) => /chrom/i.test(b.procs.get(pid)?.cmd.split(' ')[0] ?? '')));
  const renderers = [...chromium].filter((pid) => /--type=renderer/.test(b.procs.get(pid)?.cmd ?? ''));
  const machine =
    a.machine && b.machine && b.machine.total > a.machine.total
      ? Number(((100 * (b.machine.busy - a.machine.busy)) / (b.machine.total - a.machine.total)).toFixed(1))
      : undefined;
  // The extension host's busiest threads: its main thread ("main": its tid is the process id), the
  // training worker and V8's helpers (Linux names them all "node").
  const threads = [...b.hostThreads.entries()]
    .map(([tid, t]) => ({ tid, name: b.procs.has(tid) ? 'main' : t.name, percent: Number(((100 * (t.jiffies - (a.hostThreads.get(tid)?.jiffies ?? 0))) / hz / seconds).toFixed(1)) }))
    .filter((t) => t.percent > 0)
    .sort((x, y) => y.percent - x.percent)
    .slice(0, 6);
  return {
    seconds: Number(seconds.toFixed(2)),
    machineBusyPercent: machine,
    note: 'process figures in % of one core (100 = one core busy); the training worker is a thread of the extension host',
    codeServerAllPercent: pct(serverGroup.map((p) => p.pid)),
    extensionHostPercent: extensionHosts.length > 0 ? pct(extensionHosts.map((p) => p.pid)) : undefined,
    extensionHostPids: extensionHosts.map((p) => p.pid),
    chromiumAllPercent: chromium.size > 0 ? pct(chromium) : undefined,
    chromiumRenderersPercent: renderers.length > 0 ? pct(renderers) : undefined,
    extensionHostThreads: threads,
  };
}

// ---------------------------------------------------------------- statistics

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number | undefined, digits = 1): number | undefined {
  return x === undefined || !Number.isFinite(x) ? undefined : Number(x.toFixed(digits));
}

interface FrameStats {
  frames: number;
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  max: number | undefined;
  over50ms: number;
  fps: number | undefined;
}

/** Gaps between successive rAF callbacks whose later frame falls in [from, to). */
function frameStats(times: readonly number[], from: number, to: number): FrameStats {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) if (times[i] >= from && times[i] < to && times[i - 1] >= from) gaps.push(times[i] - times[i - 1]);
  const s = gaps.sort((a, b) => a - b);
  const span = s.reduce((a, b) => a + b, 0);
  return {
    frames: s.length,
    p50: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    p99: round(quantile(s, 0.99)),
    max: round(s[s.length - 1]),
    over50ms: s.filter((g) => g > 50).length,
    fps: span > 0 ? round((1000 * s.length) / span) : undefined,
  };
}

// ---------------------------------------------------------------- in the panel's document

// Runs in the panel's document. A string, not a function, so that this Node-side file needs no
// DOM types (as the harness's PIXEL_STATS_SOURCE). It records, in the page's own clock:
// every requestAnimationFrame time; long tasks; the moment Train is clicked; then every 50 ms
// the loss chart's data-points and the status line's data-loss (their first values after the
// click), and every 250 ms the status line's state, epoch, step and text.
const RECORDER_SOURCE = `(() => {
  const b = window.__mlpBench = {
    installedAt: performance.now(), clickAt: null, frames: [], longTasks: [], longTaskObserver: false,
    samples: [], chartHasAttribute: false, firstPointsAt: null, firstPoints: null, firstPointsUnit: null,
    lossBefore: null, firstLossAt: null, firstLoss: null, firstTrainingAt: null, stopped: false,
  };
  const loop = (t) => { b.frames.push(t); if (!b.stopped) requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  try {
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
    });
    observer.observe({ type: 'longtask', buffered: false });
    b.longTaskObserver = true;
  } catch (e) { b.longTaskObserver = false; }
  const status = () => document.querySelector('p.run-status');
  b.lossBefore = status() ? (status().getAttribute('data-loss') || '') : '';
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (b.clickAt === null && t && t.closest && t.closest('button[data-command="train"]')) b.clickAt = performance.now();
  }, true);
  b.fast = setInterval(() => {
    if (b.stopped) return;
    const now = performance.now();
    const chart = document.querySelector('.loss-chart');
    const points = chart ? chart.getAttribute('data-points') : null;
    if (points !== null) b.chartHasAttribute = true;
    const st = status();
    if (b.clickAt === null) return;
    if (b.firstPointsAt === null && points !== null && Number(points) > 0) { b.firstPointsAt = now; b.firstPoints = Number(points); b.firstPointsUnit = chart.getAttribute('data-unit'); }
    if (st) {
      const loss = st.getAttribute('data-loss') || '';
      if (b.firstLossAt === null && loss !== '' && loss !== b.lossBefore) { b.firstLossAt = now; b.firstLoss = Number(loss); }
      if (b.firstTrainingAt === null && st.getAttribute('data-state') === 'training') b.firstTrainingAt = now;
    }
  }, 50);
  b.slow = setInterval(() => {
    if (b.stopped || b.clickAt === null) return;
    const st = status();
    if (!st) return;
    b.samples.push({
      t: performance.now(),
      state: st.getAttribute('data-state'),
      epoch: Number(st.getAttribute('data-epoch')),
      step: Number(st.getAttribute('data-step')),
      text: st.textContent || '',
    });
  }, 250);
})()`;

const STOP_RECORDER_SOURCE = `(() => {
  const b = window.__mlpBench;
  b.stopped = true;
  clearInterval(b.fast);
  clearInterval(b.slow);
  const { fast, slow, ...data } = b;
  return data;
})()`;

/** Where the panel's document is scrolled: its scroll offset, viewport, and the title's and loss card's tops. */
const VIEW_SOURCE = `(() => {
  const top = (sel) => { const e = document.querySelector(sel); return e ? Math.round(e.getBoundingClientRect().top) : null; };
  const se = document.scrollingElement;
  return { scrollTop: se ? se.scrollTop : null, scrollHeight: se ? se.scrollHeight : null, innerHeight: window.innerHeight, titleTop: top('h1'), lossTop: top('#loss') };
})()`;

interface StatusSample {
  t: number;
  state: string | null;
  epoch: number;
  step: number;
  text: string;
}

interface Recorded {
  installedAt: number;
  clickAt: number | null;
  frames: number[];
  longTasks: { start: number; duration: number }[];
  longTaskObserver: boolean;
  samples: StatusSample[];
  chartHasAttribute: boolean;
  firstPointsAt: number | null;
  firstPoints: number | null;
  firstPointsUnit: string | null;
  lossBefore: string | null;
  firstLossAt: number | null;
  firstLoss: number | null;
  firstTrainingAt: number | null;
}

// ---------------------------------------------------------------- the CLI peer

interface CliResult {
  when: 'before the panel' | 'after the panel';
  threads: number;
  startToFirstLineS: number;
  epochLines: number;
  steadyEpochs: number;
  steadySeconds: number;
  samplesPerSecond: number | undefined;
  lastLoss: number | undefined;
  stoppedBy: string;
}

/**
 * `train MODEL --threads T --epochs 1000`, stopped once `seconds` of epochs have passed after
 * its first epoch line (and at least two epochs did). Rate: rows × (epochs after the first) over
 * the time from the first epoch's line to the last's.
 */
async function runCli(model: string, rows: number, threads: number, seconds: number, when: CliResult['when']): Promise<CliResult> {
  const args = [path.join(ROOT, 'dist', 'cli.js'), 'train', model, '--threads', String(threads), '--epochs', '1000'];
  console.log(`[bench:panel] CLI (${when}): node ${args.map((a) => path.relative(ROOT, a) || a).join(' ')}`);
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { at: number; loss: number }[] = [];
  let stderr = '';
  let buffer = '';
  let stoppedBy = 'exit';
  const hardLimit = setTimeout(() => {
    stoppedBy = 'time limit';
    child.kill('SIGTERM');
  }, (seconds + 600) * 1000);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          lines.push({ at: Date.now(), loss: (JSON.parse(line) as { loss: number }).loss });
        } catch {
          // not an epoch line
        }
        if (lines.length >= 3 && lines[lines.length - 1].at - lines[0].at >= seconds * 1000 && child.exitCode === null) {
          stoppedBy = `stopped after ${seconds} s of epochs`;
          child.kill('SIGTERM');
        }
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  clearTimeout(hardLimit);
  if (lines.length === 0) throw new Error(`the CLI printed no epoch line:\n${stderr}`);
  console.log(`[bench:panel] CLI: ${lines.length} epoch lines, the first ${((lines[0].at - started) / 1000).toFixed(1)} s after start, the last ${((lines[lines.length - 1].at - lines[0].at) / 1000).toFixed(1)} s after the first`);
  const first = lines[0];
  const last = lines[lines.length - 1];
  const steadyEpochs = lines.length - 1;
  const steadySeconds = (last.at - first.at) / 1000;
  return {
    when,
    threads,
    startToFirstLineS: Number(((first.at - started) / 1000).toFixed(2)),
    epochLines: lines.length,
    steadyEpochs,
    steadySeconds: Number(steadySeconds.toFixed(2)),
    samplesPerSecond: steadyEpochs > 0 && steadySeconds > 0 ? Math.round((steadyEpochs * rows) / steadySeconds) : undefined,
    lastLoss: last.loss,
    stoppedBy,
  };
}

// ---------------------------------------------------------------- the run

function prepareData(rows: number): { dir: string; csv: string; model: string } {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'fashion-mnist.js'), '--rows', String(rows)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = out.trim().split('\n').pop()!;
  return { dir, csv: path.join(dir, 'fashion-train.csv'), model: path.join(dir, 'fashion.mlp.json') };
}

/**
 * Puts the CSV (210 MB for 60,000 rows) into the workspace: by default a hard link when the file
 * system allows it, else a copy; `--csv symlink` tries a symbolic link instead.
 */
function placeCsv(from: string, to: string, how: Options['csv']): string {
  fs.rmSync(to, { force: true });
  if (how === 'symlink') {
    fs.symlinkSync(from, to);
    return 'symbolic link';
  }
  if (how === 'link') {
    try {
      fs.linkSync(from, to);
      return 'hard link';
    } catch {
      // another file system: copy
    }
  }
  fs.copyFileSync(from, to);
  return 'copy';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The threads the sidebar's "computed in" row names ("float32, relaxed-simd kernels, 1 thread"). */
async function sidebarArithmetic(page: Page): Promise<string | undefined> {
  try {
    return ((await sidebarFrame(page).locator('#side-arithmetic .v').textContent({ timeout: 15_000 })) ?? '').replace(/\s+/g, ' ').trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const machine = {
    cpu: cpuModel(),
    cores: os.cpus().length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  };
  const loads: Record<string, number> = { atStart: load1() };
  console.log(`[bench:panel] ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${loads.atStart}`);

  const data = prepareData(options.rows);
  const csDir = ensureE2eSetup();
  const vsix = packageExtension();
  const dirs = makeRunDirs(`bench-panel-${options.rows}`);
  const workspaceModel = path.join(dirs.workspace, 'fashion.mlp.json');
  // The model as scripts/fashion-mnist.js writes it, but with room for 1,000 epochs (not 10), so
  // that a small set still trains for the whole window (the epochs do not change a step's work).
  const model = JSON.parse(fs.readFileSync(data.model, 'utf8')) as { optimizer: { epochs?: number } };
  model.optimizer.epochs = 1000;
  fs.writeFileSync(workspaceModel, JSON.stringify(model, null, 1) + '\n');
  const csvHow = placeCsv(data.csv, path.join(dirs.workspace, 'fashion-train.csv'), options.csv);
  installExtension(csDir, dirs, vsix);

  // The extension's default (mlpInspector.trainingThreads 0): cores − 1, 1 to 8
  // (src/training/trainingThreads.ts). The sidebar's figure, read below, is what the run says.
  const defaultThreads = Math.max(1, Math.min(8, machine.availableParallelism - 1));
  const cli: CliResult[] = [];
  if (options.cliRuns >= 2) cli.push(await runCli(workspaceModel, options.rows, defaultThreads, options.cliSeconds, 'before the panel'));

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const result: Record<string, unknown> = {};
  try {
    server = await CodeServer.start({ csDir, dirs });
    browser = await launchBrowser();
    const page = await newPage(browser);
    await openWorkbench(page, server.workbenchUrl(dirs.workspace));
    await activityBarIcon(page).waitFor({ state: 'visible', timeout: 60_000 });
    const openClicked = Date.now();
    // As openInspectorOn does, with room for a large data set: the panel's title may wait for it.
    await quickOpen(page, 'fashion.mlp.json');
    await runCommand(page, 'MLP Inspector: Open Inspector');
    const panel = panelFrame(page);
    await panel.locator('h1:text-is("MLP Inspector: fashion-mnist")').waitFor({ timeout: 600_000 });
    await panel.locator('p.run-status[data-state="idle"]').waitFor({ timeout: 600_000 });
    const loadSeconds = (Date.now() - openClicked) / 1000;
    console.log(`[bench:panel] model loaded in the panel (${options.rows} rows) ${loadSeconds.toFixed(1)} s after Open Inspector`);
    // The threads, as the sidebar's "computed in" row says; then back to the Explorer (what a
    // window shows by default), unless --sidebar keeps the MLP Inspector view drawing too.
    await showSidebar(page);
    const arithmeticIdle = await sidebarArithmetic(page);
    if (!options.sidebar) await activityBarIcon(page, 'Explorer').click();
    await clearNotifications(page);
    await saveScreenshot(panelElement(page), `bench-panel-${options.rows}-1-opened`);
    await saveScreenshot(page, `bench-panel-${options.rows}-1-opened-workbench`);
    // The very document the panel shows (the harness's panelFrame chain), as a Frame to evaluate in.
    const frame: Frame | null = await (await panel.locator('body').elementHandle())!.ownerFrame();
    if (!frame) throw new Error("the panel's document has no frame");
    const inspectorFrames: string[] = [];
    for (const f of page.frames()) {
      const cls = await f.evaluate('document.body ? document.body.className : ""').catch(() => '');
      if (typeof cls === 'string' && cls.split(' ').includes('inspector')) inspectorFrames.push(f === frame ? 'the panel' : f.url().slice(0, 120));
    }
    // The loss card in view for the whole run, as for a user watching the loss (`view` in the
    // JSON says where the document stood after this and at the end).
    await frame.evaluate(`document.querySelector('#loss')?.scrollIntoView({ block: 'start' })`);
    const viewAfterScroll = await frame.evaluate(VIEW_SOURCE);

    await frame.evaluate(RECORDER_SOURCE);
    await sleep(3000); // the idle frame time, for comparison
    loads.beforeTrain = load1();
    const cpuClick = cpuMark(dirs);
    await panel.locator('button[data-command="train"]').click();
    const clicked = Date.now();
    console.log('[bench:panel] Train clicked');
    await sleep(2000);
    await saveScreenshot(panelElement(page), `bench-panel-${options.rows}-2-train-plus-2s`);
    // The window counts from the moment the panel says "training", not from the click: the
    // time between the two is reported on its own.
    await panel.locator('p.run-status[data-state="training"]').waitFor({ timeout: 600_000 });
    const training = Date.now();
    const cpuTraining = cpuMark(dirs);
    console.log(`[bench:panel] training ${((training - clicked) / 1000).toFixed(1)} s after the click; measuring for ${options.seconds} s (window ${options.warmup}–${options.seconds} s)`);
    await sleep(Math.max(0, training + options.warmup * 1000 - Date.now()));
    const cpuStart = cpuMark(dirs);
    await sleep(Math.max(0, training + options.seconds * 1000 - Date.now()));
    const cpuEnd = cpuMark(dirs);
    loads.endOfWindow = load1();
    const rec = (await frame.evaluate(STOP_RECORDER_SOURCE)) as Recorded;
    await saveScreenshot(panelElement(page), `bench-panel-${options.rows}-3-end`);
    await saveScreenshot(page, `bench-panel-${options.rows}-3-end-workbench`);
    await saveScreenshot(panel.locator('#loss'), `bench-panel-${options.rows}-3-end-loss-card`);
    const statusAtEnd = ((await panel.locator('p.run-status').textContent()) ?? '').trim();
    const statusBarAtEnd = (await page.locator('.statusbar-item', { hasText: 'fashion-mnist' }).allInnerTexts().catch(() => [] as string[])).join(' | ');
    const viewAtEnd = await frame.evaluate(VIEW_SOURCE);
    // Pause: the panel's button; if the status does not say "paused" within 60 s, the palette's
    // MLP Inspector: Pause too. What the status line said meanwhile, every second.
    const pauseClicked = Date.now();
    const stillTraining = (await panel.locator('p.run-status').getAttribute('data-state')) === 'training';
    if (stillTraining) await panel.locator('button[data-command="pause"]').click();
    const afterPause: { ms: number; status: string }[] = [];
    let pauseMs: number | undefined;
    let pausedBy = stillTraining ? 'button' : 'nothing: the run had ended';
    while (stillTraining && Date.now() - pauseClicked < 180_000) {
      const state = await panel.locator('p.run-status').getAttribute('data-state', { timeout: 5_000 }).catch(() => null);
      const ms = Date.now() - pauseClicked;
      if (afterPause.length === 0 || ms - afterPause[afterPause.length - 1].ms >= 1000 || state === 'paused') {
        afterPause.push({ ms, status: ((await panel.locator('p.run-status').textContent({ timeout: 5_000 }).catch(() => '')) ?? '').trim() });
      }
      if (state === 'paused') {
        pauseMs = ms;
        break;
      }
      if (pausedBy === 'button' && ms > 60_000) {
        pausedBy = 'button, then the palette after 60 s';
        await runCommand(page, 'MLP Inspector: Pause').catch((e: unknown) => (pausedBy += ` (the palette failed: ${String(e).split('\n')[0]})`));
      }
      await sleep(200);
    }
    await saveScreenshot(panelElement(page), `bench-panel-${options.rows}-4-after-pause`);

    if (rec.clickAt === null) throw new Error('the panel saw no click on Train');
    if (rec.firstTrainingAt === null) throw new Error('the panel never said "training"');
    const from = rec.firstTrainingAt + options.warmup * 1000;
    const to = rec.firstTrainingAt + options.seconds * 1000;
    const stepsPerEpoch = Math.ceil(options.rows / BATCH);
    const samplesAt = (step: number) => Math.floor(step / stepsPerEpoch) * options.rows + (step % stepsPerEpoch) * Math.min(BATCH, options.rows);
    const inWindow = rec.samples.filter((s) => s.t >= from && s.t <= to && s.state === 'training');
    let panelRate: number | undefined;
    if (inWindow.length >= 2) {
      const a = inWindow[0];
      const b = inWindow[inWindow.length - 1];
      panelRate = b.t > a.t ? ((samplesAt(b.step) - samplesAt(a.step)) * 1000) / (b.t - a.t) : undefined;
    }
    const textRates = inWindow
      .map((s) => /([\d,]+) samples\/s/.exec(s.text)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((x) => Number(x.replace(/,/g, '')));
    // A check of the step → samples arithmetic: completed epochs by the step count, against data-epoch.
    const epochMismatches = rec.samples.filter((s) => s.state === 'training' && Math.floor(s.step / stepsPerEpoch) - s.epoch > 1).length;
    const threadsMatch = /(\d+) threads?/.exec(arithmeticIdle ?? '');
    const panelThreads = threadsMatch ? Number(threadsMatch[1]) : undefined;
    const long = rec.longTasks.filter((t) => t.start >= from && t.start < to);
    const lastInWindow = inWindow[inWindow.length - 1];
    // Each change of state or epoch the status line showed, in ms from the click.
    const timeline: { ms: number; state: string | null; epoch: number; step: number }[] = [];
    for (const s of rec.samples) {
      const prev = timeline[timeline.length - 1];
      if (!prev || prev.state !== s.state || prev.epoch !== s.epoch) timeline.push({ ms: Math.round(s.t - rec.clickAt), state: s.state, epoch: s.epoch, step: s.step });
    }

    Object.assign(result, {
      panel: {
        workspaceCsv: csvHow,
        modelLoadSeconds: Number(loadSeconds.toFixed(1)),
        sidebarShownWhileTraining: options.sidebar,
        arithmetic: arithmeticIdle,
        threads: panelThreads,
        clickToTrainingStateMs: Math.round(rec.firstTrainingAt - rec.clickAt),
        timeline,
        lossChart: {
          hasDataPointsAttribute: rec.chartHasAttribute,
          clickToFirstPointMs: rec.firstPointsAt !== null ? Math.round(rec.firstPointsAt - rec.clickAt) : rec.chartHasAttribute ? 'none seen' : 'n/a',
          firstPoints: rec.firstPoints,
          firstPointsUnit: rec.firstPointsUnit,
        },
        statusLoss: {
          note: "p.run-status's data-loss: the first epoch record's loss",
          clickToFirstLossMs: rec.firstLossAt !== null ? Math.round(rec.firstLossAt - rec.clickAt) : 'none seen',
          firstLoss: rec.firstLoss,
        },
        rate: {
          note: `samples from data-step: whole epochs of ${options.rows} rows plus ${BATCH} a step in the current one (${stepsPerEpoch} steps an epoch); Δsamples/Δt from the first to the last status sample in the window`,
          windowS: [options.warmup, options.seconds],
          windowFrom: 'the first status sample that said "training"',
          statusSamples: inWindow.length,
          firstStep: inWindow[0]?.step,
          lastStep: lastInWindow?.step,
          lastEpoch: lastInWindow?.epoch,
          measuredSeconds: inWindow.length >= 2 ? Number(((lastInWindow.t - inWindow[0].t) / 1000).toFixed(2)) : undefined,
          samplesPerSecond: panelRate !== undefined ? Math.round(panelRate) : undefined,
          statusTextMedianSamplesPerSecond: textRates.length > 0 ? Math.round(median(textRates)) : undefined,
          statusTextFigures: textRates.length,
          epochCheckMismatches: epochMismatches,
        },
        frames: {
          idleBeforeTrain: frameStats(rec.frames, rec.installedAt + 500, rec.clickAt),
          training: frameStats(rec.frames, from, to),
          longTaskObserver: rec.longTaskObserver,
          longTasksInWindow: long.length,
          longTaskTotalMs: Math.round(long.reduce((s, t) => s + t.duration, 0)),
          longestTaskMs: long.length > 0 ? Math.round(Math.max(...long.map((t) => t.duration))) : 0,
        },
        cpu: cpuBetween(cpuStart, cpuEnd, dirs),
        cpuFromClickToTraining: cpuBetween(cpuClick, cpuTraining, dirs),
        statusAtEnd,
        inspectorFrames,
        workbenchStatusBarAtEnd: statusBarAtEnd,
        view: { afterScroll: viewAfterScroll, atEnd: viewAtEnd },
        pauseToPausedMs: pauseMs ?? (stillTraining ? 'not paused within 180 s' : 'n/a'),
        pausedBy,
        statusAfterPause: afterPause.filter((_, k) => k % 5 === 0 || k === afterPause.length - 1),
      },
    });
  } catch (err) {
    // Say what the server saw (an extension host that stopped answering is killed and restarted).
    if (server) console.error(`--- the end of ${path.relative(ROOT, server.logFile)} ---\n${server.tail(12)}\n---`);
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }

  const panel = result.panel as { threads?: number; rate: { samplesPerSecond?: number } };
  const threads = panel.threads ?? defaultThreads;
  if (panel.threads !== undefined && panel.threads !== defaultThreads && cli.length > 0) {
    console.log(`[bench:panel] the panel trained on ${panel.threads} threads, not the ${defaultThreads} assumed for the first CLI run: running that one again`);
    cli.length = 0;
    cli.push(await runCli(workspaceModel, options.rows, threads, options.cliSeconds, 'before the panel'));
  }
  if (options.cliRuns >= 1) cli.push(await runCli(workspaceModel, options.rows, threads, options.cliSeconds, 'after the panel'));
  for (let k = cli.length; k < options.cliRuns; k++) cli.push(await runCli(workspaceModel, options.rows, threads, options.cliSeconds, 'after the panel'));
  loads.atEnd = load1();

  const cliRates = cli.map((c) => c.samplesPerSecond).filter((x): x is number => x !== undefined);
  const cliRate = cliRates.length > 0 ? median(cliRates) : undefined;
  const panelRate = panel.rate.samplesPerSecond;
  const ratio = panelRate !== undefined && cliRate !== undefined ? panelRate / cliRate : undefined;
  const p = result.panel as {
    lossChart: { clickToFirstPointMs: number | string; firstPointsUnit: string | null };
    statusLoss: { clickToFirstLossMs: number | string };
    frames: { idleBeforeTrain: FrameStats; training: FrameStats; longTasksInWindow: number; longestTaskMs: number; longTaskTotalMs: number; longTaskObserver: boolean };
    cpu: Record<string, unknown>;
    cpuFromClickToTraining: Record<string, unknown>;
    arithmetic?: string;
    pauseToPausedMs: number | string;
    pausedBy: string;
    clickToTrainingStateMs?: number;
    rate: { statusTextMedianSamplesPerSecond?: number; measuredSeconds?: number };
  };
  const firstPoint = p.lossChart.clickToFirstPointMs;
  const report = {
    bench: 'bench:panel',
    startedAt: startedAt.toISOString(),
    options: { ...options, out: path.relative(ROOT, options.out) },
    machine,
    loadAverage1m: loads,
    data: { rows: options.rows, columns: 785, folder: path.relative(ROOT, data.dir), batch: BATCH },
    ...result,
    cli: { runs: cli, medianSamplesPerSecond: cliRate !== undefined ? Math.round(cliRate) : undefined },
    ratio: round(ratio, 3),
    targets: {
      ratioAtLeast: TARGET_RATIO,
      ratioMet: ratio !== undefined ? ratio >= TARGET_RATIO : undefined,
      firstLossWithinMs: TARGET_FIRST_LOSS_MS,
      firstLossChartPointMet: typeof firstPoint === 'number' ? firstPoint <= TARGET_FIRST_LOSS_MS : undefined,
    },
  };
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, JSON.stringify(report, null, 2) + '\n');

  const n = (x: number | undefined) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
  const ms = (x: number | string) => (typeof x === 'number' ? `${x.toLocaleString('en-US')} ms` : x);
  const f = p.frames;
  const threadLine = (c: Record<string, unknown>) =>
    ((c.extensionHostThreads as { name: string; percent: number }[] | undefined) ?? []).map((t) => `${t.name} ${t.percent} %`).join(', ') || 'n/a';
  const frameLine = (s: FrameStats) => `p50 ${s.p50 ?? 'n/a'} / p95 ${s.p95 ?? 'n/a'} / p99 ${s.p99 ?? 'n/a'} / max ${s.max ?? 'n/a'} ms over ${s.frames} frames (${s.fps ?? 'n/a'} fps, ${s.over50ms} gaps > 50 ms)`;
  const lines = [
    '',
    `bench:panel — Fashion-MNIST ${options.rows.toLocaleString('en-US')} × 784, 784-256-128-100-10, Adam, batch ${BATCH}`,
    `  machine        ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
    `  load (1 min)   start ${loads.atStart}, before Train ${loads.beforeTrain ?? 'n/a'}, end of window ${loads.endOfWindow ?? 'n/a'}, end ${loads.atEnd}`,
    `  computed in    ${p.arithmetic ?? 'n/a'} (the sidebar); CLI --threads ${threads}`,
    `  panel rate     ${n(panelRate)} samples/s (data-step, ${p.rate.measuredSeconds ?? 'n/a'} s from ${options.warmup} s after it said "training"); its own status text: median ${n(p.rate.statusTextMedianSamplesPerSecond)}`,
    ...cli.map((c) => `  CLI rate       ${n(c.samplesPerSecond)} samples/s (${c.when}: ${c.steadyEpochs} epochs after the first in ${c.steadySeconds} s; start to first epoch ${c.startToFirstLineS} s)`),
    `  CLI median     ${n(cliRate)} samples/s`,
    `  ratio          ${ratio !== undefined ? `${(ratio * 100).toFixed(1)} %` : 'n/a'} (target ≥ ${TARGET_RATIO * 100} %: ${ratio === undefined ? 'n/a' : ratio >= TARGET_RATIO ? 'met' : 'MISSED'})`,
    `  Train → state  ${ms(p.clickToTrainingStateMs ?? 'n/a')} until the status said "training"`,
    `  Pause → paused ${ms(p.pauseToPausedMs)} (${p.pausedBy})`,
    `  first loss     chart point: ${ms(firstPoint)}${p.lossChart.firstPointsUnit ? ` (a ${p.lossChart.firstPointsUnit} point)` : ''}${typeof firstPoint === 'number' ? ` (target ≤ ${TARGET_FIRST_LOSS_MS} ms: ${firstPoint <= TARGET_FIRST_LOSS_MS ? 'met' : 'MISSED'})` : ''}; status loss (first epoch's record): ${ms(p.statusLoss.clickToFirstLossMs)}`,
    `  frames idle    ${frameLine(f.idleBeforeTrain)}`,
    `  frames train   ${frameLine(f.training)}`,
    `  long tasks     ${f.longTaskObserver ? `${f.longTasksInWindow} in the window, ${f.longTaskTotalMs} ms in all, longest ${f.longestTaskMs} ms` : 'n/a (no PerformanceObserver for longtask)'}`,
    `  CPU            machine ${p.cpu.machineBusyPercent ?? 'n/a'} % busy; extension host ${p.cpu.extensionHostPercent ?? 'n/a'} %, code-server all ${p.cpu.codeServerAllPercent ?? 'n/a'} %, Chromium ${p.cpu.chromiumAllPercent ?? 'n/a'} % (renderers ${p.cpu.chromiumRenderersPercent ?? 'n/a'} %) of one core`,
    `  host threads   ${threadLine(p.cpu)} (window); ${threadLine(p.cpuFromClickToTraining)} (click → "training")`,
    `  written        ${path.relative(ROOT, options.out)}`,
    '',
  ];
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
