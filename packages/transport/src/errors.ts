/**
 * Typed errors of `@wa/transport`. Every error carries a stable `code` so callers can branch
 * without matching message text, and every class can be told apart with `instanceof`.
 * @module
 */

/** Every `code` a {@link TransportError} can carry. */
export type TransportErrorCode =
  | FrameErrorCode
  | 'REQUEST_TIMEOUT'
  | 'REQUEST_ABORTED'
  | 'DUPLICATE_TAG'
  | 'CONNECTION_CLOSED'
  | 'CONNECT_FAILED'
  | 'NOT_CONNECTED'
  | 'KEEPALIVE_TIMEOUT'
  | 'SOCKET_ERROR'
  | 'INVALID_ARGUMENT';

/**
 * Base class of every error this package throws or rejects with.
 * @example
 * ```ts
 * try { parseFrame('no comma here'); } catch (error) {
 *   if (error instanceof TransportError) console.log(error.code); // 'NO_COMMA'
 * }
 * ```
 */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    // Only a cause that exists becomes the `cause` property: `{ cause: undefined }` would add one.
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Why a frame could not be parsed or serialized.
 * - `NO_COMMA`: a frame without the `,` that ends its tag (and not a `!<ms>` pong).
 * - `EMPTY_TAG`: the tag before the comma is empty.
 * - `TAG_HAS_COMMA`: a tag given to a serializer contains a comma.
 * - `BAD_TAG`: the tag is not a string or its bytes are not valid UTF-8.
 * - `BAD_JSON`: the payload of a text frame is not JSON, or a value cannot be written as JSON.
 * - `TRUNCATED`: a client binary frame ends before its metric and flag bytes.
 * - `BAD_HEADER`: a metric or flag outside 0..255.
 * - `BAD_PONG`: a `!` frame whose time is not a non-negative integer.
 * - `BAD_DATA`: the frame is neither a string nor bytes.
 */
export type FrameErrorCode =
  | 'NO_COMMA'
  | 'EMPTY_TAG'
  | 'TAG_HAS_COMMA'
  | 'BAD_TAG'
  | 'BAD_JSON'
  | 'TRUNCATED'
  | 'BAD_HEADER'
  | 'BAD_PONG'
  | 'BAD_DATA';

/**
 * A frame that cannot be parsed or serialized. `parseFrame` throws nothing else.
 * @example
 * ```ts
 * try { parseFrame('tag,{oops'); } catch (error) {
 *   if (error instanceof FrameError && error.code === 'BAD_JSON') console.log(error.tag); // 'tag'
 * }
 * ```
 */
export class FrameError extends TransportError {
  declare readonly code: FrameErrorCode;
  /** The tag, when it could be read before the problem was found. */
  readonly tag: string | undefined;

  constructor(code: FrameErrorCode, message: string, options?: { tag?: string; cause?: unknown }) {
    super(code, message, options);
    this.tag = options?.tag;
  }
}

/**
 * A request got no reply with its tag within its time limit.
 * @example
 * ```ts
 * await conn.request(frame, { timeoutMs: 5000 }).catch((error) => {
 *   if (error instanceof RequestTimeoutError) console.log(`no reply to ${error.tag}`);
 * });
 * ```
 */
export class RequestTimeoutError extends TransportError {
  declare readonly code: 'REQUEST_TIMEOUT';
  readonly tag: string;
  readonly timeoutMs: number;

  constructor(tag: string, timeoutMs: number) {
    super('REQUEST_TIMEOUT', `no reply to tag ${JSON.stringify(tag)} within ${timeoutMs} ms`);
    this.tag = tag;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A request was cancelled through its `AbortSignal`; `cause` holds the signal's reason.
 * @example
 * ```ts
 * const controller = new AbortController();
 * const reply = conn.request(frame, { signal: controller.signal });
 * controller.abort();
 * await reply.catch((error) => error instanceof RequestAbortedError); // true
 * ```
 */
export class RequestAbortedError extends TransportError {
  declare readonly code: 'REQUEST_ABORTED';
  readonly tag: string;

  constructor(tag: string, reason: unknown) {
    super('REQUEST_ABORTED', `request ${JSON.stringify(tag)} was aborted`, { cause: reason });
    this.tag = tag;
  }
}

/**
 * A second request or wait for a tag that already has one pending: replies are matched by tag,
 * so two waiters on one tag could not both be answered.
 * @example
 * ```ts
 * conn.waitFor('s1');
 * await conn.waitFor('s1').catch((error) => error.code); // 'DUPLICATE_TAG'
 * ```
 */
export class DuplicateTagError extends TransportError {
  declare readonly code: 'DUPLICATE_TAG';
  readonly tag: string;

  constructor(tag: string) {
    super('DUPLICATE_TAG', `a request with tag ${JSON.stringify(tag)} is already pending`);
    this.tag = tag;
  }
}

/**
 * The connection closed while a request was pending (or as it was made). `closeCode` and
 * `reason` are the WebSocket close code and reason; `cause` tells why when the close was not
 * asked for (a {@link KeepAliveTimeoutError} or a {@link SocketError}).
 * @example
 * ```ts
 * await conn.request(frame).catch((error) => {
 *   if (error instanceof ConnectionClosedError) console.log(error.closeCode, error.reason);
 * });
 * ```
 */
export class ConnectionClosedError extends TransportError {
  declare readonly code: 'CONNECTION_CLOSED';
  readonly closeCode: number;
  readonly reason: string;

  constructor(closeCode: number, reason: string, cause?: unknown) {
    super('CONNECTION_CLOSED', `connection closed (code ${closeCode}${reason ? `, ${reason}` : ''})`, { cause });
    this.closeCode = closeCode;
    this.reason = reason;
  }
}

/**
 * `open()` failed: the socket errored or closed before it opened, the connect timeout passed,
 * or the open was aborted. `cause` holds the underlying error or abort reason.
 * @example
 * ```ts
 * await conn.open().catch((error) => error instanceof ConnectError && console.log(error.message));
 * ```
 */
export class ConnectError extends TransportError {
  declare readonly code: 'CONNECT_FAILED';

  constructor(message: string, cause?: unknown) {
    super('CONNECT_FAILED', message, { cause });
  }
}

/**
 * A send, request or keep-alive on a connection that is not open.
 * @example
 * ```ts
 * try { new Connection({ url }).send('tag,[]'); } catch (error) {
 *   console.log(error instanceof NotConnectedError); // true
 * }
 * ```
 */
export class NotConnectedError extends TransportError {
  declare readonly code: 'NOT_CONNECTED';

  constructor(message = 'the connection is not open', cause?: unknown) {
    super('NOT_CONNECTED', message, { cause });
  }
}

/**
 * No `!<ms>` answer to a keep-alive `?,,` arrived in time, so the connection was closed as dead.
 * Found as the `error` of the `close` event and as the `cause` of the {@link ConnectionClosedError}
 * that pending requests reject with.
 * @example
 * ```ts
 * conn.on('close', ({ error }) => {
 *   if (error instanceof KeepAliveTimeoutError) console.log(`dead after ${error.deadAfterMs} ms`);
 * });
 * ```
 */
export class KeepAliveTimeoutError extends TransportError {
  declare readonly code: 'KEEPALIVE_TIMEOUT';
  readonly deadAfterMs: number;

  constructor(deadAfterMs: number) {
    super('KEEPALIVE_TIMEOUT', `no keep-alive answer within ${deadAfterMs} ms`);
    this.deadAfterMs = deadAfterMs;
  }
}

/**
 * The WebSocket reported an error. Browsers give no detail; in Node `cause` holds the error `ws`
 * reported. A `close` event follows.
 * @example
 * ```ts
 * conn.on('error', (error) => console.warn(error.code, error.cause)); // 'SOCKET_ERROR'
 * ```
 */
export class SocketError extends TransportError {
  declare readonly code: 'SOCKET_ERROR';

  constructor(message: string, cause?: unknown) {
    super('SOCKET_ERROR', message, { cause });
  }
}

/**
 * An option or argument outside its allowed range (a negative timeout, a jitter above 1, …).
 * @example
 * ```ts
 * try { backoffDelay(0, { factor: 0.5 }); } catch (error) {
 *   console.log(error instanceof InvalidArgumentError); // true
 * }
 * ```
 */
export class InvalidArgumentError extends TransportError {
  declare readonly code: 'INVALID_ARGUMENT';

  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}
