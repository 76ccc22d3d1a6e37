/**
 * Where the sandbox reads the time: ref lifetimes, `time` in the init reply, message timestamps,
 * the keep-alive answer. Ref expiry compares timestamps instead of arming timers, so a manual
 * clock controls it completely.
 */

/** A source of the current time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/**
 * The wall clock.
 * @example
 * ```ts
 * systemClock.now(); // Date.now()
 * ```
 */
export const systemClock: Clock = /* @__PURE__ */ Object.freeze({ now: () => Date.now() });

/**
 * A clock that only moves when told to: deterministic tests and ref-expiry tests without waiting.
 * @example
 * ```ts
 * const clock = new ManualClock(1_600_000_000_000);
 * clock.advance(20_001); // every ref issued before is now expired
 * ```
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs = 1_600_000_000_000) {
    if (!Number.isFinite(startMs)) throw new RangeError('ManualClock needs a finite start time');
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('ManualClock.advance needs a non-negative amount');
    this.#now += ms;
  }

  /** Sets the clock to `ms`. */
  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('ManualClock.set needs a finite time');
    this.#now = ms;
  }
}
