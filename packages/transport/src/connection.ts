/**
 * One WebSocket to a legacy WhatsApp Web server: tagged request/response, keep-alive, events.
 * @module
 */
import { CloseCode } from './constants.js';
import { TypedEmitter } from './emitter.js';
import {
  ConnectError,
  ConnectionClosedError,
  DuplicateTagError,
  FrameError,
  InvalidArgumentError,
  KeepAliveTimeoutError,
  NotConnectedError,
  RequestAbortedError,
  RequestTimeoutError,
  SocketError,
  type TransportError,
} from './errors.js';
import { frameTag, parseFrame, type FrameData, type ParsedFrame } from './frame.js';
import { silentLogger, type Logger } from './logger.js';
import { serializePing } from './serialize.js';
import { TagGenerator } from './tags.js';
import { defaultWebSocket, OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

/** Options of {@link Connection}. */

/** Unanswered keep-alives remembered for the round-trip times of their pongs. */
const MAX_PINGS_IN_FLIGHT = 64;
export interface ConnectionOptions {
  /** The server, e.g. `wss://web.whatsapp.com/ws` or a sandbox's `ws://127.0.0.1:…`. */
  url: string;
  /**
   * Sent as the `Origin` header where the WebSocket implementation can set headers (`ws` in
   * Node); the real server refuses connections without it. Browsers always send the page's own
   * origin and ignore this. `null` sends none. Default `https://web.whatsapp.com`.
   */
  origin?: string | null;
  /** Where to log; receives tags, sizes and kinds, never payloads. Default {@link silentLogger}. */
  logger?: Logger;
  /** Time between keep-alive `?,,` frames once {@link Connection.startKeepAlive} is called, at most 2^31−1 (a timer's limit). Default 20000. */
  keepAliveIntervalMs?: number;
  /** How long a keep-alive may stay unanswered before the connection is closed as dead, at most 2^31−1. Default `keepAliveIntervalMs + 5000`. */
  deadAfterMs?: number;
  /** Default time limit of {@link Connection.request} and {@link Connection.waitFor}. Default 30000; `Infinity` waits forever. */
  requestTimeoutMs?: number;
  /** Time limit of {@link Connection.open}. Default 20000. */
  connectTimeoutMs?: number;
  /** How long {@link Connection.close} waits for the closing handshake before dropping the socket, at most 2^31−1. Default 3000. */
  closeTimeoutMs?: number;
  /** The WebSocket class; default `ws` in Node and the global WebSocket in browsers (via isomorphic-ws). */
  WebSocket?: WebSocketConstructor;
  /** Tag source for {@link Connection.nextTag}; pass one to share a counter or fix the clock. */
  tags?: TagGenerator;
}

/** Options of {@link Connection.request}. */
export interface RequestOptions {
  /** The tag whose reply settles the request. Default: the frame's own tag (everything before its first comma). */
  tag?: string;
  /** Time limit in ms; `Infinity` waits forever. Default: the connection's `requestTimeoutMs`. */
  timeoutMs?: number;
  /** Cancels the request: it rejects with {@link RequestAbortedError}, and is not sent if already aborted. */
  signal?: AbortSignal;
  /**
   * Decides whether a frame under the awaited tag is this request's answer. Servers push frames
   * under tags of their own choosing, and a push may carry the very tag a request waits on; a
   * frame the predicate refuses does not settle the request (it keeps waiting for its answer) and
   * is emitted as a `frame` event like any push. Pongs are never shown to it, and neither is a
   * frame that cannot be parsed (that still rejects the request with its {@link FrameError}:
   * nothing tells whether it was the answer). If it throws, the request rejects with what it
   * threw and the frame goes to `frame`. Default: every frame under the tag is the answer.
   */
  accept?: FramePredicate;
}

/** Tells whether a parsed frame is the answer a request waits for (see {@link RequestOptions.accept}). */
export type FramePredicate = (frame: ParsedFrame) => boolean;

/** Options of {@link Connection.waitFor}. */
export type WaitOptions = Omit<RequestOptions, 'tag'>;

/** Options of {@link Connection.open}. */
export interface OpenOptions {
  /** Time limit in ms. Default: the connection's `connectTimeoutMs`. */
  timeoutMs?: number;
  /** Cancels the attempt; `open()` then rejects with {@link ConnectError}. */
  signal?: AbortSignal;
}

/** Payload of the `close` event. */
export interface CloseInfo {
  /** The WebSocket close code: the one passed to `close()`, the server's, 1006 when the link broke, 4000 for a dead keep-alive. */
  code: number;
  reason: string;
  /** `'local'` when this side closed (by `close()` or a keep-alive timeout), `'remote'` when the server or the network did. */
  initiator: 'local' | 'remote';
  /** Why, when the close was not asked for: a {@link KeepAliveTimeoutError} or the {@link SocketError} that preceded it. */
  error?: TransportError;
}

/** Payload of the `pong` event. */
export interface PongInfo {
  /** Server time in ms, as the server wrote it. */
  time: number;
  /** Time since the oldest unanswered `?,,`, in ms; `undefined` for a pong nobody asked for. */
  rttMs: number | undefined;
}

/** Events of a {@link Connection}, by name, with their payloads. */
export interface ConnectionEvents {
  /** The socket opened. */
  open: void;
  /**
   * A frame no pending request claimed: server pushes (also those under a pending request's tag
   * that its `accept` predicate refused), and replies that came after their request timed out or
   * was aborted.
   */
  frame: ParsedFrame;
  /** A frame that could not be parsed; the connection stays up. If its tag was readable and a request waits on it, that request rejects with the same error. */
  'frame-error': FrameError;
  /** The server answered a keep-alive. */
  pong: PongInfo;
  /** The connection is over; emitted once per opened socket. Pending requests have been rejected. */
  close: CloseInfo;
  /** The socket reported an error; a `close` follows. */
  error: TransportError;
}

/** Where a {@link Connection} is in its life. After `'closed'` it may be opened again. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'closed';

interface PendingRequest {
  /** Whether `frame` is the answer; settles the request when the predicate throws. */
  claims(frame: ParsedFrame): boolean;
  resolve(frame: ParsedFrame): void;
  reject(error: unknown): void;
}

interface MessageEventLike {
  data: unknown;
}
interface CloseEventLike {
  code?: number;
  reason?: string;
}
interface ErrorEventLike {
  error?: unknown;
  message?: string;
}

/** setTimeout stores its delay in a signed 32-bit integer; longer delays would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * A WebSocket speaking the tagged framing of the legacy WhatsApp Web protocol.
 *
 * Every frame starts with a tag; a reply carries its request's tag. {@link Connection.request}
 * sends a frame and resolves with the first frame that comes back under the same tag and passes
 * the request's `accept` predicate, if it has one (a server push may reuse a pending tag). Frames
 * no request claims are emitted as `frame` events. One connection object may be opened again
 * after it closed (listeners stay), but the reconnect decision and its backoff belong to the
 * caller: see {@link ReconnectPolicy}.
 *
 * @example
 * ```ts
 * const conn = new Connection({ url: 'wss://web.whatsapp.com/ws', logger: consoleLogger });
 * conn.on('frame', (frame) => console.log('pushed', frame.tag, frame.kind));
 * conn.on('close', ({ code, initiator }) => console.log('closed', code, initiator));
 * await conn.open();
 * const tag = conn.nextTag();
 * const reply = await conn.request(serializeJson(tag, ['admin', 'init', [2, 2142, 12], ['Mac', 'Chrome'], clientId, true]));
 * if (reply.kind === 'json') console.log(reply.json); // { status: 200, ref: '…', ttl: 20000, … }
 * ```
 */
export class Connection extends TypedEmitter<ConnectionEvents> {
  readonly url: string;
  readonly #origin: string | null;
  readonly #logger: Logger;
  readonly #keepAliveIntervalMs: number;
  readonly #deadAfterMs: number;
  readonly #requestTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #WebSocket: WebSocketConstructor | null;
  readonly #tags: TagGenerator;

  #state: ConnectionState = 'idle';
  #socket: WebSocketLike | undefined;
  #socketClosed: Promise<void> = Promise.resolve();
  #opening: Promise<void> | undefined;
  #cancelOpen: ((error: ConnectError) => void) | undefined;
  #lastSocketError: SocketError | undefined;
  readonly #pending = new Map<string, PendingRequest>();
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  #deadTimer: ReturnType<typeof setTimeout> | undefined;
  /** When each unanswered `?,,` left, oldest first (a pong answers the oldest); bounded. */
  readonly #pingsInFlight: number[] = [];

  /**
   * @throws InvalidArgumentError for a missing url or out-of-range timings.
   * @example
   * ```ts
   * const conn = new Connection({ url: sandbox.url, keepAliveIntervalMs: 20_000 });
   * ```
   */
  constructor(options: ConnectionOptions) {
    super();
    if (typeof options?.url !== 'string' || options.url.length === 0) {
      throw new InvalidArgumentError('url must be a non-empty string');
    }
    this.url = options.url;
    this.#origin = options.origin === undefined ? 'https://web.whatsapp.com' : options.origin;
    this.#logger = options.logger ?? silentLogger;
    this.#keepAliveIntervalMs = positive('keepAliveIntervalMs', options.keepAliveIntervalMs ?? 20_000, false);
    this.#deadAfterMs = positive('deadAfterMs', options.deadAfterMs ?? Math.min(this.#keepAliveIntervalMs + 5_000, MAX_TIMER_MS), false);
    this.#requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, true);
    this.#connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs ?? 20_000, true);
    this.#closeTimeoutMs = positive('closeTimeoutMs', options.closeTimeoutMs ?? 3_000, false);
    this.#WebSocket = options.WebSocket ?? defaultWebSocket;
    this.#tags = options.tags ?? new TagGenerator();
  }

  /** Where the connection is in its life. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Requests and waits that have not settled yet. */
  get pendingRequests(): number {
    return this.#pending.size;
  }

  /**
   * A fresh request tag from this connection's {@link TagGenerator} (`<unix seconds>.--<n>`).
   * @example
   * ```ts
   * const reply = await conn.request(serializeJson(conn.nextTag(), ['admin', 'test']));
   * ```
   */
  nextTag(): string {
    return this.#tags.next();
  }

  /**
   * Open the socket. Resolves once it is open; calling it again while connecting returns the
   * same promise, and while open resolves at once. A failed open emits no `close` event.
   * @throws ConnectError (as a rejection) when the socket fails, closes, times out or is
   * aborted before it opens.
   * @example
   * ```ts
   * await conn.open({ timeoutMs: 10_000 });
   * ```
   */
  open(options: OpenOptions = {}): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#state === 'connecting' && this.#opening) return this.#opening;
    let timeoutMs: number;
    try {
      timeoutMs = positive('timeoutMs', options.timeoutMs ?? this.#connectTimeoutMs, true);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new ConnectError('open was aborted', signal.reason));
    const WebSocketClass = this.#WebSocket;
    if (!WebSocketClass) return Promise.reject(new ConnectError('no WebSocket implementation is available here'));

    this.#logger.info('connecting', { url: redactUrl(this.url) });
    let socket: WebSocketLike;
    try {
      // Browsers ignore the third argument; `ws` turns `origin` into the Origin header.
      socket =
        this.#origin === null
          ? new WebSocketClass(this.url)
          : new WebSocketClass(this.url, [], { origin: this.#origin });
      // `ws` (Node) hands binary frames over as Buffers over the bytes it read, without the copy
      // into an ArrayBuffer; browsers and other WebSockets ignore the value (or pick 'blob'), so
      // they are asked for ArrayBuffers.
      socket.binaryType = 'nodebuffer';
      if (socket.binaryType !== 'nodebuffer') socket.binaryType = 'arraybuffer';
    } catch (cause) {
      return Promise.reject(new ConnectError(`cannot connect to ${redactUrl(this.url)}`, cause));
    }
    this.#socket = socket;
    this.#state = 'connecting';
    this.#lastSocketError = undefined;
    let markSocketClosed!: () => void;
    this.#socketClosed = new Promise<void>((resolve) => {
      markSocketClosed = resolve;
    });

    const opening = new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (error?: ConnectError): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#opening = undefined;
        this.#cancelOpen = undefined;
        if (!error) return resolve();
        this.#state = 'closed';
        this.#dropSocket(socket, CloseCode.normal, 'open failed');
        this.#logger.warn('connect failed', { url: redactUrl(this.url), error: error.message });
        reject(error);
      };
      const onAbort = (): void => settle(new ConnectError('open was aborted', signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      // Longer limits (Infinity included) set no timer: the wait has no end.
      if (timeoutMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => settle(new ConnectError(`no connection within ${timeoutMs} ms`)), timeoutMs);
      }
      this.#cancelOpen = settle;

      socket.onopen = () => {
        if (this.#socket !== socket || this.#state !== 'connecting') return;
        this.#state = 'open';
        settle();
        this.#logger.info('open', { url: redactUrl(this.url) });
        this.emit('open', undefined);
      };
      socket.onmessage = (event: MessageEventLike) => {
        if (this.#socket === socket && this.#state === 'open') this.#receive(event.data);
      };
      socket.onerror = (event: ErrorEventLike) => {
        if (this.#socket !== socket) return;
        const error = new SocketError(event?.message ? `WebSocket error: ${event.message}` : 'WebSocket error', event?.error ?? event);
        if (this.#state === 'connecting') {
          settle(new ConnectError(`cannot connect to ${redactUrl(this.url)}: ${error.message}`, error.cause));
        } else if (this.#state === 'open') {
          this.#lastSocketError = error;
          this.#logger.warn('socket error', { message: error.message });
          this.emit('error', error);
        }
      };
      socket.onclose = (event: CloseEventLike) => {
        markSocketClosed();
        if (this.#socket !== socket) return;
        const code = event?.code ?? CloseCode.abnormal;
        const reason = event?.reason ?? '';
        if (this.#state === 'connecting') {
          settle(new ConnectError(`socket closed before it opened (code ${code})`));
        } else if (this.#state === 'open') {
          this.#finish({ code, reason, initiator: 'remote', error: this.#lastSocketError });
        }
      };
    });
    this.#opening = opening;
    return opening;
  }

  /**
   * Send a frame as is: a string goes out as a text frame, bytes as a binary frame. Build
   * frames with {@link serializeJson} and {@link serializeBinary}.
   * @throws NotConnectedError when the connection is not open; FrameError `BAD_DATA` for
   * anything but a string or a Uint8Array.
   * @example
   * ```ts
   * conn.send(serializeJson(conn.nextTag(), ['admin', 'Conn', 'disconnect']));
   * ```
   */
  send(frame: string | Uint8Array): void {
    if (typeof frame !== 'string' && !(frame instanceof Uint8Array)) {
      throw new FrameError('BAD_DATA', 'a frame must be a string or a Uint8Array');
    }
    const socket = this.#socket;
    if (this.#state !== 'open' || !socket || socket.readyState !== OPEN) {
      throw new NotConnectedError(`cannot send: the connection is ${this.#state}`);
    }
    try {
      socket.send(frame);
    } catch (cause) {
      throw new NotConnectedError('the socket refused the frame', cause);
    }
    this.#logger.debug('sent', {
      tag: safeTag(frame),
      kind: typeof frame === 'string' ? 'text' : 'binary',
      size: frame.length,
    });
  }

  /**
   * Send `frame` and resolve with the first frame that arrives under its tag (or under
   * `options.tag`) and that `options.accept` accepts; frames under the tag that it refuses are
   * emitted as `frame` events and the request keeps waiting. The reply may be of any kind: JSON
   * text or a sealed binary frame. The tag must not be in use by another pending request.
   *
   * Rejections: {@link NotConnectedError} (not open, or the send failed),
   * {@link RequestTimeoutError}, {@link RequestAbortedError}, {@link ConnectionClosedError}
   * (closed while waiting), {@link DuplicateTagError}, {@link FrameError} (no tag in the frame,
   * or the reply under this tag could not be parsed), {@link InvalidArgumentError}.
   * @example
   * ```ts
   * const reply = await conn.request(serializeJson(conn.nextTag(), ['admin', 'test']), { timeoutMs: 10_000 });
   * if (reply.kind === 'json' && reply.json === true) console.log('phone reachable');
   *
   * // Only a JSON status counts as the ack; a push under the message id stays a push.
   * const ack = await conn.request(sealedFrame, { accept: (frame) => frame.kind === 'json' && !Array.isArray(frame.json) });
   * ```
   */
  request(frame: string | Uint8Array, options: RequestOptions = {}): Promise<ParsedFrame> {
    let tag: string;
    try {
      tag = options.tag ?? frameTag(frame);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#await(tag, options, () => this.send(frame));
  }

  /**
   * Wait for the next frame under `tag` (that `options.accept` accepts) without sending
   * anything, e.g. the `s1` frame the server pushes after the QR code was scanned. Same
   * rejections as {@link Connection.request}.
   * @example
   * ```ts
   * const isConn = (frame: ParsedFrame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'Conn';
   * const conn1 = await conn.waitFor('s1', { timeoutMs: 60_000, accept: isConn });
   * ```
   */
  waitFor(tag: string, options: WaitOptions = {}): Promise<ParsedFrame> {
    if (typeof tag !== 'string' || tag.length === 0) {
      return Promise.reject(new InvalidArgumentError('tag must be a non-empty string'));
    }
    return this.#await(tag, options, undefined);
  }

  /**
   * Send `?,,` every `keepAliveIntervalMs` (the first one after one interval). When a keep-alive
   * stays unanswered by `!<ms>` for `deadAfterMs`, the connection closes with code 4000 and a
   * {@link KeepAliveTimeoutError}. Calling it again changes nothing; a close stops it.
   * @throws NotConnectedError when the connection is not open.
   * @example
   * ```ts
   * await conn.waitFor('s1');
   * conn.startKeepAlive(); // the web client starts its keep-alive after login
   * ```
   */
  startKeepAlive(): void {
    if (this.#state !== 'open') throw new NotConnectedError(`cannot start keep-alive: the connection is ${this.#state}`);
    if (this.#keepAliveTimer !== undefined) return;
    this.#keepAliveTimer = setInterval(() => this.#ping(), this.#keepAliveIntervalMs);
  }

  /**
   * Stop sending keep-alives and stop waiting for an answer to the last one.
   * @example
   * ```ts
   * conn.stopKeepAlive();
   * ```
   */
  stopKeepAlive(): void {
    if (this.#keepAliveTimer !== undefined) clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = undefined;
    this.#stopWaitingForPong();
  }

  /**
   * Close the connection. At once: every pending request rejects with
   * {@link ConnectionClosedError}, keep-alive stops, and `close` is emitted (initiator
   * `'local'`); while connecting, `open()` rejects instead. The promise resolves when the
   * socket has closed, or after `closeTimeoutMs` when the peer does not finish the handshake.
   * @param code - 1000 or 3000–4999 (the codes a browser may send). Default 1000.
   * @param reason - at most 123 bytes of UTF-8. Default `''`.
   * @example
   * ```ts
   * conn.send(serializeJson(conn.nextTag(), ['admin', 'Conn', 'disconnect']));
   * await conn.close();
   * ```
   */
  close(code: number = CloseCode.normal, reason = ''): Promise<void> {
    if (!(code === CloseCode.normal || (Number.isInteger(code) && code >= 3000 && code <= 4999))) {
      return Promise.reject(new InvalidArgumentError(`close code must be 1000 or 3000..4999, got ${code}`));
    }
    if (typeof reason !== 'string' || utf8.encode(reason).length > 123) {
      return Promise.reject(new InvalidArgumentError('close reason must be a string of at most 123 UTF-8 bytes'));
    }
    // Captured first: a `close` listener may open() again and replace the socket.
    const socket = this.#socket;
    const socketClosed = this.#socketClosed;
    if (this.#state === 'connecting') {
      this.#cancelOpen?.(new ConnectError('closed before the socket opened'));
    } else if (this.#state === 'open') {
      this.#finish({ code, reason, initiator: 'local' });
      if (socket) this.#dropSocket(socket, code, reason);
    }
    return this.#waitForSocketClose(socket, socketClosed);
  }

  #await(tag: string, options: WaitOptions, sendFrame: (() => void) | undefined): Promise<ParsedFrame> {
    const { signal, accept } = options;
    let timeoutMs: number;
    try {
      timeoutMs = positive('timeoutMs', options.timeoutMs ?? this.#requestTimeoutMs, true);
    } catch (error) {
      return Promise.reject(error);
    }
    if (accept !== undefined && typeof accept !== 'function') {
      return Promise.reject(new InvalidArgumentError('accept must be a function'));
    }
    if (signal?.aborted) return Promise.reject(new RequestAbortedError(tag, signal.reason));
    if (this.#state !== 'open') return Promise.reject(new NotConnectedError(`cannot wait for ${JSON.stringify(tag)}: the connection is ${this.#state}`));
    if (this.#pending.has(tag)) return Promise.reject(new DuplicateTagError(tag));

    return new Promise<ParsedFrame>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.#pending.get(tag) === entry) this.#pending.delete(tag);
      };
      const onAbort = (): void => {
        cleanup();
        this.#logger.debug('request aborted', { tag });
        reject(new RequestAbortedError(tag, signal?.reason));
      };
      const entry: PendingRequest = {
        claims: (frame) => {
          if (accept === undefined) return true;
          let accepted: boolean;
          try {
            accepted = accept(frame);
          } catch (error) {
            this.#logger.debug('accept predicate threw', { tag });
            entry.reject(error);
            return false;
          }
          if (!accepted) this.#logger.debug('not the awaited answer: passed on as a frame', { tag, kind: frame.kind });
          return accepted;
        },
        resolve: (frame) => {
          cleanup();
          resolve(frame);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      this.#pending.set(tag, entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          cleanup();
          this.#logger.debug('request timed out', { tag, timeoutMs });
          reject(new RequestTimeoutError(tag, timeoutMs));
        }, timeoutMs);
      }
      if (sendFrame) {
        try {
          sendFrame();
        } catch (error) {
          entry.reject(error);
        }
      }
    });
  }

  #receive(data: unknown): void {
    let frame: ParsedFrame;
    try {
      frame = parseFrame(data as FrameData);
    } catch (error) {
      const frameError = error instanceof FrameError ? error : new FrameError('BAD_DATA', 'unreadable frame', { cause: error });
      this.#logger.warn('unparseable frame', { code: frameError.code, tag: frameError.tag, size: sizeOf(data) });
      this.emit('frame-error', frameError);
      if (frameError.tag !== undefined) this.#pending.get(frameError.tag)?.reject(frameError);
      return;
    }
    this.#logger.debug('received', { tag: frame.tag, kind: frame.kind, size: sizeOf(data) });
    if (frame.kind === 'pong') {
      const since = this.#pingsInFlight.shift();
      if (this.#deadTimer !== undefined) clearTimeout(this.#deadTimer);
      this.#deadTimer = undefined;
      this.emit('pong', { time: frame.time, rttMs: since === undefined ? undefined : Date.now() - since });
      return;
    }
    const pending = this.#pending.get(frame.tag);
    if (pending?.claims(frame)) pending.resolve(frame);
    else this.emit('frame', frame);
  }

  #ping(): void {
    try {
      this.send(serializePing());
    } catch {
      // The close that made the send fail stops the keep-alive; nothing more to do here.
      return;
    }
    this.#pingsInFlight.push(Date.now());
    if (this.#pingsInFlight.length > MAX_PINGS_IN_FLIGHT) this.#pingsInFlight.shift();
    // Measured from the oldest unanswered keep-alive, so a slow link cannot postpone the verdict
    // by letting every new keep-alive restart the clock.
    if (this.#deadTimer !== undefined) return;
    this.#deadTimer = setTimeout(() => this.#declareDead(), this.#deadAfterMs);
  }

  #stopWaitingForPong(): void {
    if (this.#deadTimer !== undefined) clearTimeout(this.#deadTimer);
    this.#deadTimer = undefined;
    this.#pingsInFlight.length = 0;
  }

  #declareDead(): void {
    this.#deadTimer = undefined;
    if (this.#state !== 'open') return;
    const error = new KeepAliveTimeoutError(this.#deadAfterMs);
    this.#logger.warn('keep-alive unanswered: closing as dead', { deadAfterMs: this.#deadAfterMs });
    const socket = this.#socket;
    this.#finish({ code: CloseCode.keepAliveTimeout, reason: 'keep-alive timeout', initiator: 'local', error });
    // A dead peer would never finish a closing handshake; `ws` can drop the TCP connection at once.
    if (socket) this.#dropSocket(socket, CloseCode.keepAliveTimeout, 'keep-alive timeout', true);
  }

  #finish(info: CloseInfo): void {
    this.#state = 'closed';
    this.stopKeepAlive();
    const closed = new ConnectionClosedError(info.code, info.reason, info.error);
    for (const pending of [...this.#pending.values()]) pending.reject(closed);
    this.#pending.clear();
    this.#logger.info('closed', {
      code: info.code,
      reason: info.reason,
      initiator: info.initiator,
      error: info.error?.code,
    });
    this.emit('close', info);
  }

  #dropSocket(socket: WebSocketLike, code: number, reason: string, hard = false): void {
    try {
      if (hard && typeof socket.terminate === 'function') socket.terminate();
      else socket.close(code, reason);
    } catch (error) {
      // close() throws on a socket that never got going (e.g. still resolving); drop it hard.
      this.#logger.debug('socket close failed', { message: error instanceof Error ? error.message : String(error) });
      try {
        socket.terminate?.();
      } catch {
        // Nothing left to release.
      }
    }
  }

  #waitForSocketClose(socket: WebSocketLike | undefined, closed: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (socket) this.#dropSocket(socket, CloseCode.normal, '', true);
        resolve();
      }, this.#closeTimeoutMs);
      void closed.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * A delay option. With `allowInfinity`, delays beyond {@link MAX_TIMER_MS} mean "no timer";
 * without, the delay must fit a timer, or setTimeout/setInterval would fire it at once.
 */
function positive(name: string, value: number, allowInfinity: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (!allowInfinity && value > MAX_TIMER_MS)) {
    const range = allowInfinity ? 'a positive number or Infinity' : `a positive number of at most ${MAX_TIMER_MS}`;
    throw new InvalidArgumentError(`${name} must be ${range}, got ${String(value)}`);
  }
  return value;
}

/** The tag of an outgoing frame for logs; `undefined` rather than an error when it has none. */
function safeTag(frame: string | Uint8Array): string | undefined {
  try {
    return frameTag(frame);
  } catch {
    return undefined;
  }
}

function sizeOf(data: unknown): number | undefined {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return undefined;
}

/** Scheme, host and path only: a URL may carry credentials or tokens in its user info or query. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
