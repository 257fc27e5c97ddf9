/**
 * The architecture sweep's worker: a `worker_threads` entry (bundled to dist/sweepWorker.js)
 * that trains the sweep's configurations so the extension host's event loop never runs an
 * epoch. `runSweep` hands control back every few milliseconds (setImmediate), which is when a
 * `cancel` message gets in; the sweep then stops after the epoch in progress and the finished
 * configurations come back as a partial, `cancelled` file.
 *
 * No `vscode` here, and every failure becomes an `error` message.
 */
import { parentPort } from 'node:worker_threads';
import { runSweep } from '../analysis/sweep';
import type { HostToSweepWorkerMessage, SweepWorkerToHostMessage } from './labProtocol';

/** Progress messages at most this often (results and the end are always sent). */
const PROGRESS_MS = 100;

const port = parentPort;
if (!port) throw new Error('sweepWorker.js runs in a worker thread (new Worker(path)), not as a script');

const signal = { aborted: false };
let running = false;
const post = (m: SweepWorkerToHostMessage) => port.postMessage(m);

port.on('message', (m: HostToSweepWorkerMessage) => {
  switch (m.type) {
    case 'cancel':
      signal.aborted = true;
      return;
    case 'run': {
      if (running) return post({ type: 'error', message: 'a sweep is already running in this worker' });
      running = true;
      let lastProgress = 0;
      runSweep(m.base, m.data, m.spec, {
        signal,
        started: new Date(m.started),
        source: m.source,
        yieldEveryMs: 10,
        yieldControl: () => new Promise((resolve) => setImmediate(resolve)),
        onProgress: (progress) => {
          const now = Date.now();
          if (now - lastProgress < PROGRESS_MS) return;
          lastProgress = now;
          post({ type: 'progress', progress });
        },
        onResult: (result, index) => post({ type: 'result', result, index }),
      }).then(
        (file) => post({ type: 'done', file }),
        (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    default: {
      const never: never = m;
      post({ type: 'error', message: `unexpected message ${JSON.stringify(never)}` });
    }
  }
});
