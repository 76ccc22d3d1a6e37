import { SandboxError } from './errors.js';
import type { RandomSource } from './random.js';

/**
 * How frames reach a web client: one at a time, in order, each in its own macrotask, after a
 * latency that depends on who produced the frame. On the real service every frame arrived in its
 * own network read, and whatever the phone supplied came after a phone round trip; widely used
 * clients start waiting for the next frame in a continuation of the previous one and lose frames
 * written in one burst (FACTS.md "Timing"). docs/protocol/timing.md has the whole picture.
 */

/** Who produced a frame: the server itself (every answer), or the phone behind it. */
export type FrameSource = 'server' | 'phone';

/** Latency of the frames the sandbox sends (`SandboxOptions.latency`). */
export interface LatencyOptions {
  /** Base latency of frames the server produces itself: answers, login frames (default 4 ms). */
  serverMs?: number;
  /**
   * Base latency of what the phone supplies: the `Conn` after a scan, the chat list, contacts and
   * recent messages after login, relayed messages, receipts, presence, answers that need the
   * phone (default 40 ms).
   */
  phoneMs?: number;
  /** Each latency is drawn uniformly from `base × (1 ± jitter)`; 0…1, default 0.5. */
  jitter?: number;
}

/** Resolved latency settings. */
export interface LatencySettings {
  serverMs: number;
  phoneMs: number;
  jitter: number;
}

/** The defaults, close to what the real service showed on a good connection. */
export const DEFAULT_LATENCY: Readonly<LatencySettings> = /* @__PURE__ */ Object.freeze({ serverMs: 4, phoneMs: 40, jitter: 0.5 });

/** Frames a single connection may have waiting for delivery before the oldest are refused. */
export const MAX_QUEUED_FRAMES = 100_000;

/**
 * Reads `SandboxOptions.latency`: a number sets both parts to it (`0`: no latency, still one
 * macrotask per frame), an object overrides the defaults part by part.
 * @throws SandboxError INVALID_ARGUMENT for negative or non-finite values, or a jitter outside 0…1
 * @example
 * ```ts
 * resolveLatency(0);                  // { serverMs: 0, phoneMs: 0, jitter: 0.5 }
 * resolveLatency({ phoneMs: 120 });   // { serverMs: 4, phoneMs: 120, jitter: 0.5 }
 * ```
 */
export function resolveLatency(option: number | LatencyOptions | undefined): LatencySettings {
  const given: LatencyOptions = typeof option === 'number' ? { serverMs: option, phoneMs: option } : (option ?? {});
  if (typeof given !== 'object' || given === null) throw new SandboxError('INVALID_ARGUMENT', 'latency must be a number of ms or { serverMs, phoneMs, jitter }');
  const check = (value: number | undefined, fallback: number, name: string, max = Infinity): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      throw new SandboxError('INVALID_ARGUMENT', `latency.${name} must be a number from 0 to ${max === Infinity ? 'any' : max}, got ${String(value)}`);
    }
    return value;
  };
  return {
    serverMs: check(given.serverMs, DEFAULT_LATENCY.serverMs, 'serverMs', 60_000),
    phoneMs: check(given.phoneMs, DEFAULT_LATENCY.phoneMs, 'phoneMs', 60_000),
    jitter: check(given.jitter, DEFAULT_LATENCY.jitter, 'jitter', 1),
  };
}

/**
 * Draws latencies. With a seeded random source the sequence is the same on every run, so the
 * order of frames across connections is reproducible too.
 * @example
 * ```ts
 * const model = new LatencyModel(resolveLatency(undefined), seededRandom('demo:latency'));
 * model.sample('phone'); // somewhere in 20…60 ms
 * ```
 */
export class LatencyModel {
  readonly settings: Readonly<LatencySettings>;
  readonly #random: RandomSource;

  constructor(settings: LatencySettings, random: RandomSource) {
    this.settings = Object.freeze({ ...settings });
    this.#random = random;
  }

  /** One latency in ms for a frame from `source`. */
  sample(source: FrameSource): number {
    const base = source === 'phone' ? this.settings.phoneMs : this.settings.serverMs;
    if (base === 0) return 0;
    const jitter = this.settings.jitter;
    if (jitter === 0) return base;
    const bytes = this.#random.bytes(4);
    const unit = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
    return base * (1 + jitter * ((unit / 0x1_0000_0000) * 2 - 1));
  }
}

/** How one frame is scheduled. */
export interface DeliveryOptions {
  /** Who produced it (default `server`). */
  source?: FrameSource;
  /**
   * Counts its latency from the delivery of the frame before it instead of from now: the frame
   * is a reaction to what came before (the login status after `s1`, the pushes after the `Conn`).
   */
  chained?: boolean;
  /** Extra delay in ms (the `delayFrames` fault). */
  extraMs?: number;
  /** No latency of its own: right after the frame before (a close after the last answer). */
  instant?: boolean;
}

interface Queued {
  dueAt: number;
  /** For chained frames: the latency to keep after the frame before has really gone out. */
  chainedMs: number | undefined;
  run: () => void;
}

/** A monotonic clock in ms for scheduling: real time even when the sandbox reads a manual clock. */
const monotonicNow: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * Runs `task` in a new macrotask as soon as possible: `setImmediate` in Node, a `MessageChannel`
 * message in browsers (nested `setTimeout(0)` is clamped to 4 ms there).
 */
function nextMacrotask(task: () => void): () => void {
  if (typeof setImmediate === 'function') {
    const handle = setImmediate(task);
    return () => clearImmediate(handle);
  }
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    let cancelled = false;
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!cancelled) task();
    };
    channel.port2.postMessage(null);
    return () => {
      cancelled = true;
      channel.port1.close();
    };
  }
  const handle = setTimeout(task, 0);
  return () => clearTimeout(handle);
}

/**
 * The delivery queue of one connection. Frames leave in the order they were queued, never two in
 * one macrotask, each no earlier than its latency allows; closing the queue drops whatever has
 * not left yet, so nothing reaches a socket that closed or was replaced meanwhile.
 * @example
 * ```ts
 * const outbox = new Outbox(model, (error) => log(error));
 * outbox.enqueue(() => socket.send('1600000000.--0,{"status":200}'), { source: 'server' });
 * outbox.enqueue(() => socket.send('s1,["Conn",{…}]'), { source: 'phone', chained: true });
 * ```
 */
export class Outbox {
  readonly #model: LatencyModel;
  readonly #onError: (error: unknown) => void;
  readonly #queue: Queued[] = [];
  #head = 0;
  #lastDueAt = -Infinity;
  #cancel: (() => void) | undefined;
  #closed = false;

  constructor(model: LatencyModel, onError: (error: unknown) => void) {
    this.#model = model;
    this.#onError = onError;
  }

  /** Frames waiting for delivery. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Queues `run` (which writes one frame, or closes the socket). Returns false when the queue is
   * closed or full and `run` will never be called.
   */
  enqueue(run: () => void, options: DeliveryOptions = {}): boolean {
    if (this.#closed || this.size >= MAX_QUEUED_FRAMES) return false;
    const now = monotonicNow();
    const base = options.chained ? Math.max(now, this.#lastDueAt) : now;
    const latency = options.instant ? 0 : this.#model.sample(options.source ?? 'server');
    const dueAt = Math.max(base + latency + (options.extraMs ?? 0), this.#lastDueAt);
    this.#lastDueAt = dueAt;
    this.#queue.push({ dueAt, chainedMs: options.chained ? latency + (options.extraMs ?? 0) : undefined, run });
    if (this.#cancel === undefined) this.#arm();
    return true;
  }

  /** Drops every frame not delivered yet; later `enqueue` calls do nothing. */
  close(): void {
    this.#closed = true;
    this.clear();
  }

  /** Drops every frame not delivered yet; returns how many. The queue stays open. */
  clear(): number {
    const dropped = this.size;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#queue.length = 0;
    this.#head = 0;
    this.#lastDueAt = -Infinity;
    return dropped;
  }

  #arm(): void {
    const next = this.#queue[this.#head];
    if (next === undefined || this.#closed) return;
    const wait = next.dueAt - monotonicNow();
    if (wait >= 1) {
      const handle = setTimeout(() => this.#deliverOne(), Math.ceil(wait));
      this.#cancel = () => clearTimeout(handle);
    } else {
      this.#cancel = nextMacrotask(() => this.#deliverOne());
    }
  }

  #deliverOne(): void {
    this.#cancel = undefined;
    if (this.#closed) return;
    const next = this.#queue[this.#head];
    if (next === undefined) return;
    if (next.dueAt - monotonicNow() >= 1) return this.#arm();
    this.#queue[this.#head] = undefined as unknown as Queued;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    try {
      next.run();
    } catch (error) {
      this.#onError(error);
    }
    // A reaction keeps its latency after the frame before really left, even when a busy event
    // loop delivered that one late (the phone answers what it has seen).
    const following = this.#queue[this.#head];
    if (following?.chainedMs !== undefined) following.dueAt = Math.max(following.dueAt, monotonicNow() + following.chainedMs);
    // Exactly one frame per macrotask: the next one waits for a new turn of the event loop.
    if (this.size > 0) this.#arm();
    else {
      this.#queue.length = 0;
      this.#head = 0;
    }
  }
}
