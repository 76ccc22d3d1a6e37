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

interface Queued<T> {
  dueAt: number;
  /** For chained frames: the latency to keep after the frame before has really gone out. */
  chainedMs: number | undefined;
  item: T;
}

/** A monotonic clock in ms for scheduling: real time even when the sandbox reads a manual clock. */
const monotonicNow: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * Runs `task` in a new macrotask as soon as possible: `setImmediate` in Node, a `MessageChannel`
 * message in browsers (nested `setTimeout(0)` is clamped to 4 ms there). One task is asked for at
 * a time (see {@link Outbox}), so the browser's channel is made once.
 */
let scheduleMacrotask: ((task: () => void) => void) | undefined;

function nextMacrotask(task: () => void): void {
  if (scheduleMacrotask === undefined) {
    if (typeof setImmediate === 'function') scheduleMacrotask = (run) => void setImmediate(run);
    else if (typeof MessageChannel === 'function') {
      const channel = new MessageChannel();
      let pending: (() => void) | undefined;
      channel.port1.onmessage = () => {
        const run = pending;
        pending = undefined;
        run?.();
      };
      scheduleMacrotask = (run) => {
        pending = run;
        channel.port2.postMessage(null);
      };
    } else scheduleMacrotask = (run) => void setTimeout(run, 0);
  }
  scheduleMacrotask(task);
}

const callItem = (item: unknown): void => (item as () => void)();

/**
 * The delivery queue of one connection. Frames leave in the order they were queued, never two in
 * one macrotask, each no earlier than its latency allows; closing the queue drops whatever has
 * not left yet, so nothing reaches a socket that closed or was replaced meanwhile.
 *
 * Every queue whose next frame is due waits for the same turn: one macrotask (`setImmediate`)
 * per turn of the event loop delivers one frame of each such queue, in the order they became
 * ready, and a queue with more to send waits for the next turn. Frames still within their latency
 * wait on a timer of their queue. `T` is what is queued (by default a function that writes one
 * frame); `deliver` writes one.
 * @example
 * ```ts
 * const outbox = new Outbox(model, (error) => log(error));
 * outbox.enqueue(() => socket.send('1600000000.--0,{"status":200}'), { source: 'server' });
 * outbox.enqueue(() => socket.send('s1,["Conn",{…}]'), { source: 'phone', chained: true });
 * const frames = new Outbox<string>(model, (error) => log(error), (frame) => socket.send(frame));
 * frames.enqueue('s2,["Stream","update",false,"0.4.2081"]');
 * ```
 */
export class Outbox<T = () => void> {
  /** The queues that take part in the next turn, in the order they became ready. */
  static #ready: Array<Outbox<unknown>> = [];
  static #turnAsked = false;

  readonly #model: LatencyModel;
  readonly #onError: (error: unknown) => void;
  readonly #deliver: (item: T) => void;
  readonly #queue: Array<Queued<T> | undefined> = [];
  #head = 0;
  #lastDueAt = -Infinity;
  /** Waiting for a turn (and listed in `Outbox.#ready`, unless the turn has begun). */
  #wantsTurn = false;
  /** Listed in `Outbox.#ready` (a cancelled wait stays listed until its turn skips it). */
  #listed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Inside `deliver`: what it queues is armed after it returns. */
  #delivering = false;
  #closed = false;

  /**
   * @param model - the latencies
   * @param onError - what a throwing `deliver` reports to (delivery goes on with the next frame)
   * @param deliver - writes one queued item; by default the item is a function, and is called
   */
  constructor(model: LatencyModel, onError: (error: unknown) => void, deliver: (item: T) => void = callItem) {
    this.#model = model;
    this.#onError = onError;
    this.#deliver = deliver;
  }

  /** Frames waiting for delivery. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Queues `item` (by default a function that writes one frame, or closes the socket). Returns
   * false when the queue is closed or full and `item` will never be delivered.
   */
  enqueue(item: T, options: DeliveryOptions = {}): boolean {
    if (this.#closed || this.size >= MAX_QUEUED_FRAMES) return false;
    const now = monotonicNow();
    const base = options.chained ? Math.max(now, this.#lastDueAt) : now;
    const latency = options.instant ? 0 : this.#model.sample(options.source ?? 'server');
    const extraMs = options.extraMs ?? 0;
    const dueAt = Math.max(base + latency + extraMs, this.#lastDueAt);
    this.#lastDueAt = dueAt;
    this.#queue.push({ dueAt, chainedMs: options.chained ? latency + extraMs : undefined, item });
    if (!this.#wantsTurn && this.#timer === undefined && !this.#delivering) this.#arm();
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
    this.#wantsTurn = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
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
      this.#timer = setTimeout(Outbox.#onTimer, Math.ceil(wait), this) as unknown as ReturnType<typeof setTimeout>;
      return;
    }
    this.#wantsTurn = true;
    if (this.#listed) return;
    this.#listed = true;
    Outbox.#ready.push(this as Outbox<unknown>);
    if (!Outbox.#turnAsked) {
      Outbox.#turnAsked = true;
      nextMacrotask(Outbox.#turn);
    }
  }

  static #onTimer(outbox: Outbox<unknown>): void {
    outbox.#timer = undefined;
    outbox.#deliverOne();
  }

  /** One turn: one frame of every queue that was ready before it began. */
  static #turn = (): void => {
    Outbox.#turnAsked = false;
    const ready = Outbox.#ready;
    Outbox.#ready = [];
    for (const outbox of ready) {
      outbox.#listed = false;
      if (!outbox.#wantsTurn) continue;
      outbox.#wantsTurn = false;
      outbox.#deliverOne();
    }
  };

  #deliverOne(): void {
    if (this.#closed) return;
    const next = this.#queue[this.#head];
    if (next === undefined) return;
    if (next.dueAt - monotonicNow() >= 1) return this.#arm();
    this.#queue[this.#head] = undefined;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#delivering = true;
    try {
      this.#deliver(next.item);
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#delivering = false;
    }
    // `deliver` may have closed the queue, or cleared it and queued anew (which armed it).
    if (this.#closed || this.#wantsTurn || this.#timer !== undefined) return;
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
