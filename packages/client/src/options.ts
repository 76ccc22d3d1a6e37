/**
 * The options of {@link WAClient}, their defaults and their checks.
 * @module
 */
import { Connection, ReconnectPolicy, silentLogger, type BackoffOptions, type Logger, type WebSocketConstructor } from '@wa/transport';
import { MemoryAuthStore, type AuthStore } from './auth-store.js';
import { InvalidArgumentError } from './errors.js';
import { MAX_TIMER_MS } from './timers.js';

/** The web version the client announces by default (the one used in 2021). */
export const DEFAULT_VERSION: readonly number[] = /* @__PURE__ */ Object.freeze([2, 2142, 12]);
/** The browser description the client announces by default: shown on the phone's list of web sessions. */
export const DEFAULT_BROWSER: readonly string[] = /* @__PURE__ */ Object.freeze(['@wa/client', 'Chrome', '0.1']);

/** Backoff of automatic reconnects (see `@wa/transport`'s `ReconnectPolicy`). */
export type ReconnectOptions = BackoffOptions;

/**
 * Bounds of the queue that holds messages sent, and requests made, while the client reconnects
 * (the `sendQueue` option). A message that finds the queue full, or waits longer than
 * `maxWaitMs`, fails with a `SendError` (`SEND_QUEUE_FULL`, `SEND_QUEUE_TIMEOUT`); another
 * request with `NotLoggedInError`.
 */
export interface SendQueueOptions {
  /** Messages and requests that may wait at once, 0 or more. Default 1000. */
  maxSize?: number;
  /** How long a message or request may wait for the session to come back, at most 2^31−1 ms. Default 60000. */
  maxWaitMs?: number;
}

/** The default bounds of the send queue. */
export const DEFAULT_SEND_QUEUE: Readonly<Required<SendQueueOptions>> = /* @__PURE__ */ Object.freeze({ maxSize: 1_000, maxWaitMs: 60_000 });

/** Options of {@link WAClient}. */
export interface WAClientOptions {
  /** The server. Default `wss://web.whatsapp.com/ws`; pass a sandbox's `url` for offline use. */
  url?: string;
  /** Where credentials are kept. Default: a {@link MemoryAuthStore}. */
  auth?: AuthStore;
  /** `[long, short, version?]`, shown on the phone. Default {@link DEFAULT_BROWSER}. */
  browser?: readonly string[];
  /** The web version sent in `admin init`. Default `[2, 2142, 12]`. */
  version?: readonly number[];
  /** Receives what the client and its connection do; never keys, tokens or message contents. */
  logger?: Logger;
  /** A WebSocket class (e.g. `createMemoryWebSocket(sandbox)`); default `ws` in Node, the global one in browsers. */
  WebSocket?: WebSocketConstructor;
  /** The Origin header (Node only). Default `https://web.whatsapp.com`; `null` sends none. */
  origin?: string | null;
  /**
   * Reconnect after a dropped socket or a dead keep-alive with `admin login … reconnect`
   * (`takeover` after a 409 from the server still holding the old socket), retrying timeouts and
   * network errors with backoff until `maxAttempts`; a 401, 403, 419 or refused challenge ends it
   * (`close` reason `login-refused`). `true` uses the default backoff. Default `false`: the client
   * reports `disconnected` and `close`.
   */
  reconnect?: boolean | ReconnectOptions;
  /**
   * While the client reconnects by itself (the `reconnect` option), `sendText`/`sendMedia` (and
   * messages whose ack the dropped socket took with it) wait in a bounded queue and go out, with
   * their ids unchanged, once the session is back; every other request made meanwhile (queries,
   * actions) waits in the same queue. `true` (the default) uses {@link DEFAULT_SEND_QUEUE};
   * `false` fails such sends at once with `SEND_QUEUE_FULL`, other requests with `NotLoggedInError`.
   */
  sendQueue?: boolean | SendQueueOptions;
  /** Time limit of requests and of finishing a restore, at most 2^31−1 ms (a timer's limit). Default 20000 ms. */
  requestTimeoutMs?: number;
  /** Keep-alive interval after login, at most 2^31−1 ms. Default 20000 ms (what the web client used). */
  keepAliveIntervalMs?: number;
  /**
   * How long a keep-alive may stay unanswered before the connection counts as dead (a half-open
   * link) and is closed with code 4000, at most 2^31−1 ms. Default `keepAliveIntervalMs + 5000`.
   */
  keepAliveTimeoutMs?: number;
  /** Ask for the chat list and contacts when the server has not pushed them this long after login (at most 2^31−1 ms). Default 5000 ms. */
  initialSyncTimeoutMs?: number;
  /**
   * The HTTP client of media uploads and downloads. Default `globalThis.fetch` (looked up at each
   * call). Pass your own to route media through a proxy, or to an in-page sandbox's media store.
   */
  fetch?: typeof fetch;
}

/** Internal: the options with their defaults applied, checked, and the connection they describe. */
export interface ResolvedOptions {
  url: string;
  auth: AuthStore;
  browser: readonly string[];
  version: readonly number[];
  logger: Logger;
  requestTimeoutMs: number;
  initialSyncTimeoutMs: number;
  reconnectPolicy: ReconnectPolicy | undefined;
  sendQueue: Readonly<Required<SendQueueOptions>>;
  connection: Connection;
  fetch: typeof fetch;
}

/**
 * Applies the defaults and checks every option before anything is started.
 * @throws InvalidArgumentError for a malformed option.
 * @example
 * ```ts
 * const { url, connection } = resolveOptions({ url: sandbox.url });
 * ```
 */
export function resolveOptions(options: WAClientOptions): ResolvedOptions {
  const url = options.url ?? 'wss://web.whatsapp.com/ws';
  const browser = options.browser ?? DEFAULT_BROWSER;
  if (!Array.isArray(browser) || browser.length < 2 || browser.length > 3 || !browser.every((part) => typeof part === 'string' && part.length > 0)) {
    throw new InvalidArgumentError('browser must be [long, short] or [long, short, version] of non-empty strings');
  }
  const version = options.version ?? DEFAULT_VERSION;
  if (!Array.isArray(version) || version.length < 2 || !version.every((part) => Number.isInteger(part) && part >= 0)) {
    throw new InvalidArgumentError('version must be a list of at least two non-negative integers, e.g. [2, 2142, 12]');
  }
  const logger = options.logger ?? silentLogger;
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs ?? 20_000);
  const initialSyncTimeoutMs = positive('initialSyncTimeoutMs', options.initialSyncTimeoutMs ?? 5_000);
  const reconnect = options.reconnect ?? false;
  const reconnectPolicy = reconnect === false ? undefined : new ReconnectPolicy(reconnect === true ? {} : reconnect);
  const sendQueue = resolveSendQueue(options.sendQueue ?? true);
  const keepAliveIntervalMs = positive('keepAliveIntervalMs', options.keepAliveIntervalMs ?? 20_000);
  const connectionOptions: ConstructorParameters<typeof Connection>[0] = { url, logger, requestTimeoutMs, keepAliveIntervalMs };
  if (options.keepAliveTimeoutMs !== undefined) connectionOptions.deadAfterMs = positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs);
  if (options.origin !== undefined) connectionOptions.origin = options.origin;
  if (options.WebSocket !== undefined) connectionOptions.WebSocket = options.WebSocket;
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new InvalidArgumentError('fetch must be a function like globalThis.fetch');
  // Looked up per call, not captured: a page or test may install its fetch after the client exists.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let connection: Connection;
  try {
    connection = new Connection(connectionOptions);
  } catch (cause) {
    throw new InvalidArgumentError(`invalid connection options: ${(cause as Error).message}`);
  }
  return {
    url,
    auth: options.auth ?? new MemoryAuthStore(),
    browser: Object.freeze([...browser]),
    version: Object.freeze([...version]),
    logger,
    requestTimeoutMs,
    initialSyncTimeoutMs,
    reconnectPolicy,
    sendQueue,
    connection,
    fetch: fetchImpl,
  };
}

function resolveSendQueue(option: boolean | SendQueueOptions): Readonly<Required<SendQueueOptions>> {
  if (option === true) return DEFAULT_SEND_QUEUE;
  if (option === false) return Object.freeze({ maxSize: 0, maxWaitMs: DEFAULT_SEND_QUEUE.maxWaitMs });
  if (typeof option !== 'object' || option === null) throw new InvalidArgumentError('sendQueue must be true, false or { maxSize?, maxWaitMs? }');
  const maxSize = option.maxSize ?? DEFAULT_SEND_QUEUE.maxSize;
  if (!Number.isSafeInteger(maxSize) || maxSize < 0) throw new InvalidArgumentError('sendQueue.maxSize must be a non-negative integer');
  return Object.freeze({ maxSize, maxWaitMs: positive('sendQueue.maxWaitMs', option.maxWaitMs ?? DEFAULT_SEND_QUEUE.maxWaitMs) });
}

/** Every timing option ends up in a timer, so it must fit one: a longer delay would fire at once. */
function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError(`${name} must be a positive number of ms, at most ${MAX_TIMER_MS}`);
  }
  return value;
}
