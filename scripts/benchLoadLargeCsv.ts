/**
 * Benchmark: load a CSV of 1,000,000 rows × 20 numeric columns (about 150 MB) through
 * `loadData` with `nodeFileAccess`, and report time and peak memory. Not a test: run it by hand,
 *
 *   npx tsc -p tsconfig.test.json && node out/scripts/benchLoadLargeCsv.js [--runs 3] [--rows N]
 *
 * The file is generated once into .cache/bench/ (gitignored). Each run is a fresh child process
 * started with --expose-gc, so one run's garbage cannot inflate the next one's peak; the parent
 * prints each run and the median.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadData } from '../src/data/loadData';
import { nodeFileAccess } from '../src/data/nodeFileAccess';
import { Random } from '../src/engine/random';

const COLUMNS = 20;
const ROOT = path.resolve(__dirname, '..', '..');

interface RunResult {
  seconds: number;
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
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const rows = arg('rows', 1_000_000);
  const file = path.join(ROOT, '.cache', 'bench', `large-${rows}x${COLUMNS}.csv`);
  if (process.argv.includes('--child')) return child(file);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    await generate(file, rows);
  }
  const runs = arg('runs', 3);
  process.stderr.write(`${file}: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, ${rows} rows × ${COLUMNS} columns; ${runs} runs\n`);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', '--rows', String(rows)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out.trim()) as RunResult;
    results.push(r);
    process.stderr.write(`run ${i + 1}: ${JSON.stringify(r)}\n`);
  }
  const summary = {
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
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
