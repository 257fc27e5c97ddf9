/**
 * A minimal typed event, shaped like VS Code's `Event<T>` (subscribe, get back something to
 * dispose) so that the extension can push subscriptions into `context.subscriptions`, without
 * importing `vscode` here.
 */

/** Subscribes `listener`; disposing the result unsubscribes it. */
export type Event<T> = (listener: (value: T) => void) => { dispose(): void };

/** The firing side of an `Event<T>`. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** The subscribing side, to hand out. */
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  /** Calls every listener; one that throws does not keep the others from hearing the event. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // Re-thrown outside the session's message handling, so the error is still seen
        // (an unhandled exception in a test, a logged error in the extension host).
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  /** Drops every listener. */
  dispose(): void {
    this.listeners.clear();
  }
}
