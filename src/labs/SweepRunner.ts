/**
 * Runs an architecture sweep off the extension host's event loop: in the sweep worker
 * (dist/sweepWorker.js) when the extension ships it, else in the host itself, in slices of at
 * most 10 ms with a setImmediate between them (every configuration of a teaching-size model is
 * small, so the host stays responsive either way). Both call the same `runSweep`, so the results
 * are the same. No `vscode` import.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { runSweep, type SweepData, type SweepFile, type SweepProgress, type SweepResult, type SweepSpec } from '../analysis/sweep';
import type { ModelFile } from '../model/modelFile';
import type { HostToSweepWorkerMessage, SweepWorkerToHostMessage } from './labProtocol';

/** What a sweep reports while it runs. */
export interface SweepListener {
  onProgress(progress: SweepProgress): void;
  onResult(result: SweepResult, index: number): void;
}

/** One sweep run. `cancel` stops it after the epoch in progress; `done` then resolves with the partial file. */
export interface RunningSweep {
  readonly done: Promise<SweepFile>;
  readonly ranIn: 'worker' | 'host';
  cancel(): void;
}

/** What the data of a sweep must offer (a `PreparedData` fits). */
export type SweepInputData = SweepData & { readonly summary?: { readonly source: string } };

/**
 * Starts a sweep. `workerPath` is the bundled worker; when the file is not there the sweep runs in
 * this thread instead.
 */
export function startSweep(workerPath: string | undefined, base: ModelFile, data: SweepInputData, spec: SweepSpec, listener: SweepListener): RunningSweep {
  const started = new Date();
  const source = data.summary?.source;
  // Only the fields the worker needs cross: PreparedData also holds names, encoders and more.
  const plainData: SweepData = {
    task: data.task,
    nIn: data.nIn,
    nOut: data.nOut,
    train: { x: data.train.x, y: data.train.y, rows: data.train.rows },
    ...(data.validation ? { validation: { x: data.validation.x, y: data.validation.y, rows: data.validation.rows } } : {}),
  };
  if (workerPath && existsSync(workerPath)) return inWorker(workerPath, base, plainData, spec, started, source, listener);
  const signal = { aborted: false };
  const done = runSweep(base, plainData, spec, {
    signal,
    started,
    source,
    yieldEveryMs: 10,
    yieldControl: () => new Promise((resolve) => setImmediate(resolve)),
    onProgress: listener.onProgress,
    onResult: listener.onResult,
  });
  return { done, ranIn: 'host', cancel: () => (signal.aborted = true) };
}

function inWorker(workerPath: string, base: ModelFile, data: SweepData, spec: SweepSpec, started: Date, source: string | undefined, listener: SweepListener): RunningSweep {
  const worker = new Worker(workerPath);
  const send = (m: HostToSweepWorkerMessage) => worker.postMessage(m);
  const done = new Promise<SweepFile>((resolve, reject) => {
    worker.on('message', (m: SweepWorkerToHostMessage) => {
      switch (m.type) {
        case 'progress':
          listener.onProgress(m.progress);
          return;
        case 'result':
          listener.onResult(m.result, m.index);
          return;
        case 'done':
          resolve(m.file);
          return;
        case 'error':
          reject(new Error(m.message));
          return;
        default: {
          const never: never = m;
          reject(new Error(`unexpected message from the sweep worker: ${JSON.stringify(never)}`));
        }
      }
    });
    worker.on('error', (err) => reject(new Error(`the sweep worker failed: ${err.message}`)));
    worker.on('exit', (code) => reject(new Error(`the sweep worker exited (code ${code})`)));
  }).finally(() => void worker.terminate());
  send({ type: 'run', base, data, spec, started: started.toISOString(), ...(source !== undefined ? { source } : {}) });
  return { done, ranIn: 'worker', cancel: () => send({ type: 'cancel' }) };
}
