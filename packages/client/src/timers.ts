/**
 * The client's named timers: at most one of each kind runs, so re-arming one can never leave a
 * stale copy behind, and the socket's close can cancel the ones that belong to it in one call.
 * @module
 */

/** The longest delay setTimeout holds (a signed 32-bit count of ms); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** What each timer is for. */
export type TimerName =
  /** Asks for a fresh QR ref (`admin Conn reref`) when the shown one expires. */
  | 'qr-refresh'
  /** Asks for the chat list and contacts when the server has not pushed them after login. */
  | 'initial-sync'
  /** The backoff delay before the next automatic reconnect. */
  | 'reconnect'
  /** Closes the socket when the server does not do so after its `Cmd disconnect`. */
  | 'disconnect-grace';

/**
 * A set of named one-shot timers.
 * @example
 * ```ts
 * const timers = new Timers();
 * timers.set('reconnect', 1000, () => reconnect());
 * timers.clear('reconnect');
 * ```
 */
export class Timers {
  readonly #handles = new Map<TimerName, ReturnType<typeof setTimeout>>();

  /** Runs `run` after `ms`, replacing the timer of the same name. */
  set(name: TimerName, ms: number, run: () => void): void {
    this.clear(name);
    this.#handles.set(
      name,
      setTimeout(() => {
        this.#handles.delete(name);
        run();
      }, ms),
    );
  }

  /** Cancels the timers of these names (those that run). */
  clear(...names: TimerName[]): void {
    for (const name of names) {
      const handle = this.#handles.get(name);
      if (handle === undefined) continue;
      clearTimeout(handle);
      this.#handles.delete(name);
    }
  }
}
