/**
 * Reconnect delays: exponential backoff with jitter. Pure functions and a small stateful
 * policy; the connection itself never reconnects, the client decides when to.
 * @module
 */
import { InvalidArgumentError } from './errors.js';

/** Options of {@link backoffDelay}, {@link backoffDelays} and {@link ReconnectPolicy}. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 1000. */
  initialMs?: number;
  /** Upper bound of every delay, in ms. Default 30000. */
  maxMs?: number;
  /** Growth per attempt, at least 1. Default 2. */
  factor?: number;
  /**
   * Share of each delay that is random, 0..1: the delay lies in `[base × (1 − jitter), base]`.
   * Jitter keeps many clients that lost the server at the same moment from reconnecting in
   * lock-step. Default 0.5.
   */
  jitter?: number;
  /** Random source returning values in [0, 1]; inject one in tests. Default `Math.random`. */
  random?: () => number;
  /** Attempts before giving up ({@link backoffDelays} ends, {@link ReconnectPolicy.next} returns `undefined`). Default unlimited. */
  maxAttempts?: number;
}

interface ResolvedBackoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
  random: () => number;
  maxAttempts: number;
}

function resolve(options: BackoffOptions): ResolvedBackoff {
  const initialMs = options.initialMs ?? 1000;
  const maxMs = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.5;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  if (!Number.isFinite(initialMs) || initialMs < 0) throw new InvalidArgumentError(`initialMs must be a finite number ≥ 0, got ${initialMs}`);
  if (!Number.isFinite(maxMs) || maxMs < initialMs) throw new InvalidArgumentError(`maxMs must be a finite number ≥ initialMs, got ${maxMs}`);
  if (!Number.isFinite(factor) || factor < 1) throw new InvalidArgumentError(`factor must be a finite number ≥ 1, got ${factor}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new InvalidArgumentError(`jitter must be in [0, 1], got ${jitter}`);
  if (!(maxAttempts >= 0) || (Number.isFinite(maxAttempts) && !Number.isInteger(maxAttempts))) {
    throw new InvalidArgumentError(`maxAttempts must be a non-negative integer, got ${maxAttempts}`);
  }
  return { initialMs, maxMs, factor, jitter, random: options.random ?? Math.random, maxAttempts };
}

function delayFor(attempt: number, options: ResolvedBackoff): number {
  // factor ** attempt may overflow to Infinity for large attempts; the min() absorbs that.
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** attempt);
  if (options.jitter === 0) return Math.round(base);
  const r = options.random();
  if (!(r >= 0 && r <= 1)) throw new InvalidArgumentError(`random() must return a number in [0, 1], got ${r}`);
  return Math.round(base * (1 - options.jitter * r));
}

/**
 * The delay before retry number `attempt` (0 for the first retry):
 * `min(maxMs, initialMs × factor^attempt)`, reduced by up to `jitter` of itself at random.
 * @throws InvalidArgumentError for out-of-range options or a negative attempt.
 * @example
 * ```ts
 * backoffDelay(0, { jitter: 0 }); // 1000
 * backoffDelay(3, { jitter: 0 }); // 8000
 * backoffDelay(9, { jitter: 0 }); // 30000 (capped)
 * backoffDelay(1, { jitter: 0.5, random: () => 1 }); // 1000: half of 2000 taken off
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new InvalidArgumentError(`attempt must be a non-negative integer, got ${attempt}`);
  return delayFor(attempt, resolve(options));
}

/**
 * The delays of successive retries, as an iterator: endless unless `maxAttempts` is set.
 * @throws InvalidArgumentError for out-of-range options (when the iterator is created).
 * @example
 * ```ts
 * for (const delay of backoffDelays({ maxAttempts: 5 })) {
 *   await sleep(delay);
 *   if (await tryConnect()) break;
 * }
 * ```
 */
export function backoffDelays(options: BackoffOptions = {}): IterableIterator<number> {
  // The policy is built here, outside the generator, so bad options throw at once.
  const policy = new ReconnectPolicy(options);
  return (function* () {
    for (let delay = policy.next(); delay !== undefined; delay = policy.next()) yield delay;
  })();
}

/**
 * Stateful backoff for a reconnect loop: `next()` after each failure, `reset()` once a
 * connection succeeded (and stayed up).
 * @example
 * ```ts
 * const policy = new ReconnectPolicy({ initialMs: 500, maxAttempts: 10 });
 * conn.on('close', () => {
 *   const delay = policy.next();
 *   if (delay === undefined) return giveUp();
 *   setTimeout(() => reconnect().then(() => policy.reset()), delay);
 * });
 * ```
 */
export class ReconnectPolicy {
  readonly #options: ResolvedBackoff;
  #attempts = 0;

  constructor(options: BackoffOptions = {}) {
    this.#options = resolve(options);
  }

  /** Retries handed out since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /**
   * The delay before the next retry, or `undefined` once `maxAttempts` are used up.
   * @example
   * ```ts
   * const delay = policy.next();
   * ```
   */
  next(): number | undefined {
    if (this.#attempts >= this.#options.maxAttempts) return undefined;
    const delay = delayFor(this.#attempts, this.#options);
    this.#attempts++;
    return delay;
  }

  /**
   * Start over from `initialMs`.
   * @example
   * ```ts
   * conn.on('open', () => policy.reset());
   * ```
   */
  reset(): void {
    this.#attempts = 0;
  }
}
