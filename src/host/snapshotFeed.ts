/**
 * Sends a view only the loss history it does not have yet. A TrainingSnapshot carries the whole
 * (bounded, see src/training/epochHistory.ts) history; posting all of it to a webview 20 times a
 * second would cost thousands of records each time, while usually only a few are new. The feed
 * keeps a copy of the history it sent last (bounded, so the copy is cheap) and passes on
 * what follows the prefix both share: the new records, the ones from where the worker's thinning
 * rewrote the history, or everything again when it was cut (a reset, a new model: all records
 * are new objects then). No `vscode` import.
 */
import type { EpochRecord, TrainingSnapshot } from '../training/workerProtocol';
import type { ViewSnapshotMessage } from '../inspector/viewProtocol';
import { commonPrefix } from '../training/epochHistory';

export class SnapshotFeed {
  /** The history the view holds, as it was sent. */
  private sent: readonly EpochRecord[] = [];

  /** Marks the whole history of `snapshot` as sent (after a full `state` message). */
  sentWhole(snapshot: TrainingSnapshot | undefined): void {
    this.sent = snapshot?.history.slice() ?? [];
  }

  /** The message that brings a view from what it has to `snapshot`. */
  next(snapshot: TrainingSnapshot): ViewSnapshotMessage {
    const h = snapshot.history;
    // Records are compared by identity, so a prefix that matches is the same records.
    const historyStart = commonPrefix(this.sent, h);
    const newEpochs = h.slice(historyStart);
    this.sent = h.slice();
    const { history: _whole, ...rest } = snapshot;
    return { type: 'snapshot', snapshot: rest, historyStart, newEpochs };
  }
}
