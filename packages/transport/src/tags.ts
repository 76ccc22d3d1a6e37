/**
 * Message tags: the `<unix seconds>.--<n>` form clients use for requests and the `s1`, `s2`, …
 * form servers use for frames they start.
 * @module
 */
import { InvalidArgumentError } from './errors.js';

/** Options of {@link TagGenerator}. */
export interface TagGeneratorOptions {
  /** Clock in milliseconds since the Unix epoch; inject one for reproducible tags. Default `Date.now`. */
  now?: () => number;
  /** First counter value of {@link TagGenerator.next}. Default 0. */
  start?: number;
}

/**
 * Produces unique tags. Replies are matched to requests by tag alone, so a connection must not
 * reuse a tag while a request with it is pending; the counter guarantees that even when two
 * requests leave within the same second.
 * @example
 * ```ts
 * const tags = new TagGenerator({ now: () => 1_600_000_000_000 });
 * tags.next();  // '1600000000.--0'
 * tags.next();  // '1600000000.--1'
 * tags.short(); // 's1'
 * ```
 */
export class TagGenerator {
  readonly #now: () => number;
  #counter: number;
  #shortCounter = 0;

  constructor(options: TagGeneratorOptions = {}) {
    const start = options.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) {
      throw new InvalidArgumentError(`start must be a non-negative integer, got ${String(start)}`);
    }
    this.#now = options.now ?? Date.now;
    this.#counter = start;
  }

  /**
   * A client request tag, `<unix seconds>.--<n>`; `n` grows by one per call.
   * @example
   * ```ts
   * conn.send(serializeJson(tags.next(), ['admin', 'test']));
   * ```
   */
  next(): string {
    const seconds = Math.floor(this.#now() / 1000);
    return `${seconds}.--${this.#counter++}`;
  }

  /**
   * A server-style tag `s1`, `s2`, …, with its own counter starting at 1. Servers (and the
   * sandbox) tag the frames they start this way; clients wait on `s1`/`s2` after a login.
   * @example
   * ```ts
   * const server = new TagGenerator();
   * server.short(); // 's1'
   * ```
   */
  short(): string {
    return `s${++this.#shortCounter}`;
  }
}
