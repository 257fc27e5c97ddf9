/**
 * Sends a view only the loss history it does not have yet. A TrainingSnapshot carries the whole
 * history; posting that to a webview 20 times a second costs O(epochs) each time, and a fast
 * network makes thousands of epochs a second, so the host would soon spend all its time
 * serializing. The feed remembers what it sent and passes on the new records, or everything
 * again when the history was cut (a reset, a new model). No `vscode` import.
 */
import type { EpochRecord, TrainingSnapshot, ViewSnapshotMessage } from '../protocol';

export class SnapshotFeed {
  private sent = 0;
  /** The last record sent, compared by identity: after a reset the array is refilled with new objects. */
  private lastSent: EpochRecord | undefined;

  /** Marks the whole history of `snapshot` as sent (after a full `state` message). */
  sentWhole(snapshot: TrainingSnapshot | undefined): void {
    const h = snapshot?.history ?? [];
    this.sent = h.length;
    this.lastSent = h[h.length - 1];
  }

  /** The message that brings a view from what it has to `snapshot`. */
  next(snapshot: TrainingSnapshot): ViewSnapshotMessage {
    const h = snapshot.history;
    const continues = this.sent <= h.length && (this.sent === 0 || h[this.sent - 1] === this.lastSent);
    const historyStart = continues ? this.sent : 0;
    const newEpochs = h.slice(historyStart);
    this.sent = h.length;
    this.lastSent = h[h.length - 1];
    const { history: _whole, ...rest } = snapshot;
    return { type: 'snapshot', snapshot: rest, historyStart, newEpochs };
  }
}
