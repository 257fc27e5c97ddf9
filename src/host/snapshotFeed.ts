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

/**
 * A view that has not said it drew the last snapshot for this long is sent the next one anyway
 * (a hidden webview draws nothing and says nothing; its `state` on showing brings it up to date).
 */
export const DRAWN_TIMEOUT_MS = 1000;

export class SnapshotFeed {
  /** The history the view holds, as it was sent. */
  private sent: readonly EpochRecord[] = [];
  /** When the last snapshot went to the view, while it has not said it drew it. */
  private awaitingSince: number | undefined;
  /** The newest snapshot held back meanwhile. */
  private pending: TrainingSnapshot | undefined;

  /**
   * @param post sends a message to the view. Snapshots are paced by the view itself: one is sent,
   * and the next only when the view says it has drawn it (`drawn`), the newest one then; so a
   * webview slower than the worker sees fewer snapshots instead of a backlog that holds the
   * extension host, the webview and every click behind it.
   */
  constructor(private readonly post?: (message: ViewSnapshotMessage) => void) {}

  /** Marks the whole history of `snapshot` as sent (after a full `state` message). */
  sentWhole(snapshot: TrainingSnapshot | undefined): void {
    this.sent = snapshot?.history.slice() ?? [];
    this.pending = undefined;
    this.awaitingSince = undefined;
  }

  /** A new snapshot: sent now, or held until the view has drawn the one before. */
  offer(snapshot: TrainingSnapshot, now = performance.now()): void {
    if (this.awaitingSince !== undefined && now - this.awaitingSince < DRAWN_TIMEOUT_MS) {
      this.pending = snapshot;
      return;
    }
    this.pending = undefined;
    this.awaitingSince = now;
    this.post?.(this.next(snapshot));
  }

  /** The view drew what it was sent: the snapshot held back, if any, goes now. */
  drawn(now = performance.now()): void {
    this.awaitingSince = undefined;
    const p = this.pending;
    if (p) this.offer(p, now);
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
