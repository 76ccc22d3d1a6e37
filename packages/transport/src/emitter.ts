/**
 * A tiny typed event emitter: Node's `events` module does not exist in browsers, and
 * `EventTarget` would force every payload into an `Event` subclass.
 * @module
 */

/** A listener of event `K` of event map `Events`. */
export type Listener<Events, K extends keyof Events> = (payload: Events[K]) => void;

/**
 * Events are keyed by name; each carries one payload. A listener that throws does not stop the
 * others or the emitter's owner: its error is rethrown on a fresh microtask, where it surfaces as
 * an uncaught error the way it does with DOM `EventTarget`.
 * @example
 * ```ts
 * const emitter = new TypedEmitter<{ ready: number }>();
 * const off = emitter.on('ready', (n) => console.log(n));
 * emitter.emit('ready', 1); // logs 1
 * off();
 * ```
 */
export class TypedEmitter<Events> {
  readonly #listeners = new Map<keyof Events, Set<Listener<Events, keyof Events>>>();
  /** The listeners of an event as an array, built on the first emit after a change (not on every emit). */
  readonly #snapshots = new Map<keyof Events, ReadonlyArray<Listener<Events, keyof Events>>>();

  /**
   * Listen to `event`; returns a function that removes the listener.
   * @example
   * ```ts
   * const off = conn.on('frame', (frame) => console.log(frame.tag));
   * ```
   */
  on<K extends keyof Events>(event: K, listener: Listener<Events, K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<Events, keyof Events>);
    this.#snapshots.delete(event);
    return () => this.off(event, listener);
  }

  /**
   * Listen to the next `event` only.
   * @example
   * ```ts
   * conn.once('close', ({ code }) => console.log('closed', code));
   * ```
   */
  once<K extends keyof Events>(event: K, listener: Listener<Events, K>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /**
   * Remove a listener added with {@link TypedEmitter.on}.
   * @example
   * ```ts
   * conn.off('frame', onFrame);
   * ```
   */
  off<K extends keyof Events>(event: K, listener: Listener<Events, K>): void {
    if (this.#listeners.get(event)?.delete(listener as Listener<Events, keyof Events>)) this.#snapshots.delete(event);
  }

  /**
   * How many listeners `event` has.
   * @example
   * ```ts
   * if (conn.listenerCount('frame-error') === 0) conn.on('frame-error', report);
   * ```
   */
  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /**
   * Call every listener of `event` with `payload`, in the order they were added.
   * @example
   * ```ts
   * emitter.emit('ready', 1);
   * ```
   */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return;
    // A copy, so listeners added or removed during the emit do not change this round; kept until
    // the listeners change, since most events are emitted far more often than listened to.
    let listeners = this.#snapshots.get(event);
    if (listeners === undefined) {
      listeners = [...set];
      this.#snapshots.set(event, listeners);
    }
    for (const listener of listeners) {
      try {
        listener(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
