/**
 * Benchmark: load a CSV of 1,000,000 rows × 20 numeric columns (about 150 MB) through
 * `loadData` with `nodeFileAccess`, and report time and peak memory, side by side with pandas'
 * `read_csv` on the same file. Not a test: run it by hand (`npm run bench:data`),
 *
 *   npx tsc -p tsconfig.test.json && node out/scripts/benchLoadLargeCsv.js [--runs 3] [--rows N] [--no-pandas]
 *
 * The file is generated once into .cache/bench/ (gitignored). Each run is a fresh child process
 * (ours started with --expose-gc, so one run's garbage cannot inflate the next one's peak), and
 * the runs of the two are interleaved, alternating which goes first, so a busy machine slows
 * both alike. pandas is Debian's python3-pandas under /usr/bin/python3, installed with apt when
 * missing (root or passwordless sudo); otherwise its column is skipped with the reason. It is
 * timed around `read_csv` only (not Python's start-up), on one thread: the C engine, or pyarrow's
 * engine limited to one thread when pyarrow is installed. Peak RSS: ours is the child's maxRSS
 * (and the sampled RSS, as before); pandas' is getrusage's maxrss in its process. The summary is
 * printed and written to bench-results/data-<date>.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadData } from '../src/data/loadData';
import { nodeFileAccess } from '../src/data/nodeFileAccess';
import { Random } from '../src/engine/random';

const COLUMNS = 20;
const ROOT = path.resolve(__dirname, '..', '..');

interface RunResult {
  seconds: number;
  /** The child process' maxRSS (getrusage), in MB. */
  maxRssMB: number;
  peakRssMB: number;
  peakArrayBuffersMB: number;
  peakHeapUsedMB: number;
  baselineRssMB: number;
  resultTypedArraysMB: number;
  rows: number;
  nIn: number;
  progressCalls: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function generate(file: string, rows: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const rng = new Random(20240601);
  const header = [...Array.from({ length: COLUMNS - 1 }, (_, k) => `x${k + 1}`), 'y'];
  out.write(header.join(',') + '\n');
  let buf = '';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    let y = 0;
    for (let k = 0; k < COLUMNS - 1; k++) {
      const v = rng.normal(0, 10);
      y += v * ((k % 3) - 1);
      cells.push(v.toFixed(4));
    }
    cells.push(y.toFixed(4));
    buf += cells.join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  renameSync(tmp, file);
}

async function child(file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const mb = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakAB = base.arrayBuffers;
  let peakHeap = base.heapUsed;
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.arrayBuffers > peakAB) peakAB = m.arrayBuffers;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const timer = setInterval(sample, 20);
  let progressCalls = 0;
  const t0 = performance.now();
  const data = await loadData(
    { path: path.basename(file), validationSplit: 0.1, normalize: 'standard', seed: 1 },
    {
      baseDir: path.dirname(file),
      files: nodeFileAccess,
      onProgress: () => {
        progressCalls++;
        sample();
      },
    },
  );
  sample();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  let bytes = 0;
  for (const s of [data.train, data.validation, data.test]) {
    if (s) bytes += s.x.byteLength + s.y.byteLength + s.sourceLines.byteLength;
  }
  const result: RunResult = {
    seconds: Math.round(seconds * 100) / 100,
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
    peakRssMB: mb(peakRss),
    peakArrayBuffersMB: mb(peakAB),
    peakHeapUsedMB: mb(peakHeap),
    baselineRssMB: mb(base.rss),
    resultTypedArraysMB: mb(bytes),
    rows: data.train.rows + (data.validation?.rows ?? 0) + (data.test?.rows ?? 0),
    nIn: data.nIn,
    progressCalls,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const PYTHON = '/usr/bin/python3';

/** pandas' side: times read_csv alone, in the process that reads, and prints one JSON line. */
const PANDAS_SCRIPT = `
import json, resource, sys, time
import pandas as pd
path = sys.argv[1]
engine = 'c'
try:
    import pyarrow
    pyarrow.set_cpu_count(1)
    pyarrow.set_io_thread_count(1)
    engine = 'pyarrow'
except ImportError:
    pass
t0 = time.perf_counter()
df = pd.read_csv(path, engine=engine)
seconds = time.perf_counter() - t0
print(json.dumps({'seconds': round(seconds, 2), 'maxRssMB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  'rows': int(df.shape[0]), 'columns': int(df.shape[1]), 'engine': engine, 'pandas': pd.__version__}))
`;

interface PandasResult {
  seconds: number;
  maxRssMB: number;
  rows: number;
  columns: number;
  engine: string;
  pandas: string;
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Makes sure /usr/bin/python3 can import pandas; returns why not if it cannot. */
function ensurePandas(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist (pandas is timed with Debian's python3-pandas)`;
  if (run(PYTHON, ['-c', 'import pandas']).ok) return undefined;
  let prefix: string[];
  if (process.getuid?.() === 0) prefix = [];
  else if (run('sudo', ['-n', 'true']).ok) prefix = ['sudo', '-n'];
  else return 'python3-pandas is not installed, and apt cannot install it (not root, no passwordless sudo)';
  const apt = (args: string[]): { ok: boolean; out: string } =>
    prefix.length === 0 ? run('apt-get', args) : run(prefix[0], [...prefix.slice(1), 'apt-get', ...args]);
  process.stderr.write('installing python3-pandas with apt-get …\n');
  let r = apt(['install', '-y', '-q', 'python3-pandas']);
  if (!r.ok) {
    // Only when the package lists are stale or missing.
    process.stderr.write('apt-get install failed; running apt-get update and trying again …\n');
    apt(['update', '-q']);
    r = apt(['install', '-y', '-q', 'python3-pandas']);
  }
  if (!r.ok) return `apt-get install python3-pandas failed: ${r.out.trim().split('\n').slice(-2).join(' ')}`;
  return run(PYTHON, ['-c', 'import pandas']).ok ? undefined : 'python3-pandas was installed but pandas still does not import';
}

function runPandas(file: string): PandasResult {
  // One thread: the C engine has only one; these keep any numeric library from starting more.
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const out = execFileSync(PYTHON, ['-c', PANDAS_SCRIPT, file], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim()) as PandasResult;
}

function runOurs(rows: number): RunResult {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', '--rows', String(rows)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim()) as RunResult;
}

async function main(): Promise<void> {
  const rows = arg('rows', 1_000_000);
  const file = path.join(ROOT, '.cache', 'bench', `large-${rows}x${COLUMNS}.csv`);
  if (process.argv.includes('--child')) return child(file);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    await generate(file, rows);
  }
  const runs = Math.max(1, arg('runs', 3));
  const pandasSkipped = process.argv.includes('--no-pandas') ? 'skipped by --no-pandas' : ensurePandas();
  if (pandasSkipped) process.stderr.write(`pandas column skipped: ${pandasSkipped}\n`);
  process.stderr.write(`${file}: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, ${rows} rows × ${COLUMNS} columns; ${runs} runs\n`);
  const results: RunResult[] = [];
  const pandas: PandasResult[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, and alternating which goes first, so load on the machine hits both alike.
    const order = pandasSkipped || i % 2 === 0 ? ['ours', 'pandas'] : ['pandas', 'ours'];
    for (const who of order) {
      if (who === 'ours') {
        const r = runOurs(rows);
        results.push(r);
        process.stderr.write(`run ${i + 1} ours:   ${JSON.stringify(r)}\n`);
      } else if (!pandasSkipped) {
        const p = runPandas(file);
        pandas.push(p);
        process.stderr.write(`run ${i + 1} pandas: ${JSON.stringify(p)}\n`);
      }
    }
  }
  const oursSeconds = median(results.map((r) => r.seconds));
  const pandasSeconds = pandas.length > 0 ? median(pandas.map((p) => p.seconds)) : undefined;
  const summary = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
    file: path.relative(ROOT, file),
    fileMB: Math.round((statSync(file).size / 2 ** 20) * 10) / 10,
    rows,
    columns: COLUMNS,
    runs,
    medianSeconds: median(results.map((r) => r.seconds)),
    medianPeakRssMB: median(results.map((r) => r.peakRssMB)),
    medianPeakArrayBuffersMB: median(results.map((r) => r.peakArrayBuffersMB)),
    medianPeakHeapUsedMB: median(results.map((r) => r.peakHeapUsedMB)),
    baselineRssMB: median(results.map((r) => r.baselineRssMB)),
    resultTypedArraysMB: results[0].resultTypedArraysMB,
    medianMaxRssMB: median(results.map((r) => r.maxRssMB)),
    oursSecondsEachRun: results.map((r) => r.seconds),
    pandas: pandasSkipped
      ? { skipped: pandasSkipped }
      : {
          version: pandas[0].pandas,
          engine: pandas[0].engine,
          medianSeconds: pandasSeconds,
          medianMaxRssMB: median(pandas.map((p) => p.maxRssMB)),
          secondsEachRun: pandas.map((p) => p.seconds),
        },
    oursOverPandas: pandasSeconds ? Math.round((oursSeconds / pandasSeconds) * 100) / 100 : undefined,
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  const outDir = path.join(ROOT, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `data-${summary.date.slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}.json`);
  writeFileSync(outFile, JSON.stringify(summary, null, 2) + '\n');
  const p = summary.pandas as { medianSeconds?: number; medianMaxRssMB?: number; engine?: string };
  process.stderr.write(
    `\nours ${oursSeconds} s (peak RSS ${summary.medianPeakRssMB} MB sampled, maxRSS ${summary.medianMaxRssMB} MB)` +
      (p.medianSeconds !== undefined
        ? ` | pandas read_csv (${p.engine}) ${p.medianSeconds} s (maxRSS ${p.medianMaxRssMB} MB) | ours/pandas ${summary.oursOverPandas}×`
        : ` | pandas skipped: ${pandasSkipped}`) +
      `\nwritten to ${path.relative(ROOT, outFile)}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
