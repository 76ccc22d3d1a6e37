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
   * Reconnect after a dropped socket or a dead keep-alive with `admin login … reconnect`.
   * `true` uses the default backoff. Default `false`: the client reports `disconnected` and `close`.
   */
  reconnect?: boolean | ReconnectOptions;
  /** Time limit of requests and of finishing a restore, at most 2^31−1 ms (a timer's limit). Default 20000 ms. */
  requestTimeoutMs?: number;
  /** Keep-alive interval after login, at most 2^31−1 ms. Default 20000 ms (what the web client used). */
  keepAliveIntervalMs?: number;
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
  const connectionOptions: ConstructorParameters<typeof Connection>[0] = {
    url,
    logger,
    requestTimeoutMs,
    keepAliveIntervalMs: positive('keepAliveIntervalMs', options.keepAliveIntervalMs ?? 20_000),
  };
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
    connection,
    fetch: fetchImpl,
  };
}

/** Every timing option ends up in a timer, so it must fit one: a longer delay would fire at once. */
function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError(`${name} must be a positive number of ms, at most ${MAX_TIMER_MS}`);
  }
  return value;
}
