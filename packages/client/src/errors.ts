/**
 * Typed errors of `@wa/client`. Every error has a stable `code`; messages name what failed and
 * never contain tokens or keys, because errors end up in logs.
 * @module
 */
import type { SentMessage } from './messaging.js';

/** Every `code` a {@link WAClientError} can carry. */
export type WAClientErrorCode =
  | LoginErrorCode
  | FrameErrorCode
  | MediaErrorCode
  | SendErrorCode
  | 'CLIENT_CLOSED'
  | 'NOT_LOGGED_IN'
  | 'DISCONNECTED'
  | 'REQUEST_FAILED'
  | 'INVALID_ARGUMENT'
  | 'INVALID_CREDENTIALS'
  | 'AUTH_STORE_FAILED';

/**
 * Base class of every error of this package.
 * @example
 * ```ts
 * try { await client.sendText(jid, 'hi'); } catch (error) {
 *   if (error instanceof WAClientError) console.log(error.code);
 * }
 * ```
 */
export class WAClientError extends Error {
  readonly code: WAClientErrorCode;

  constructor(code: WAClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Why a login failed.
 * - `UNPAIRED` (401): the phone unpaired this web session, it logged out, or the server does not
 *   know the tokens. The stored credentials were cleared.
 * - `ACCESS_DENIED` (403): see `tos`; 2 or more means a terms-of-service violation.
 * - `ALREADY_LOGGED_IN` (405): this socket is already logged in.
 * - `LOGGED_IN_ELSEWHERE` (409): another web client holds the session.
 * - `SESSION_EXPIRED` (419): the tokens were superseded or expired; a new QR login is needed.
 *   The stored credentials were cleared.
 * - `CHALLENGE_FAILED`: the server refused the answer to its restore challenge (cleared).
 * - `QR_REFS_EXHAUSTED` (429): the server hands out no more QR refs; nobody scanned in time.
 * - `SECRET_MISMATCH`: the `Conn.secret` failed its HMAC check (a tampered or foreign secret).
 * - `INIT_FAILED`: `admin init` was refused or answered with something else than a ref.
 * - `LOGIN_TIMEOUT`: the server did not answer `admin init`/`admin login`/a reref, or did not
 *   finish a restore, in time.
 * - `BAD_KEYS`: a restored session whose first sealed frames all failed to open (HMAC, decryption
 *   or decoding) with the stored `encKey`/`macKey`: the keys in the auth store are wrong (a
 *   corrupted or edited file), so nothing the server sends can be read. The session is ended and
 *   the stored credentials are cleared; the next `connect()` logs in with a QR code.
 * - `UNEXPECTED_STATUS`: any other status.
 */
export type LoginErrorCode =
  | 'UNPAIRED'
  | 'ACCESS_DENIED'
  | 'ALREADY_LOGGED_IN'
  | 'LOGGED_IN_ELSEWHERE'
  | 'SESSION_EXPIRED'
  | 'CHALLENGE_FAILED'
  | 'QR_REFS_EXHAUSTED'
  | 'SECRET_MISMATCH'
  | 'INIT_FAILED'
  | 'LOGIN_TIMEOUT'
  | 'BAD_KEYS'
  | 'UNEXPECTED_STATUS';

const statusCodes: Readonly<Record<number, LoginErrorCode>> = /* @__PURE__ */ Object.freeze({
  401: 'UNPAIRED',
  403: 'ACCESS_DENIED',
  405: 'ALREADY_LOGGED_IN',
  409: 'LOGGED_IN_ELSEWHERE',
  419: 'SESSION_EXPIRED',
  429: 'QR_REFS_EXHAUSTED',
});

/**
 * `connect()` could not log in. `status` is the server's status when there was one.
 * @example
 * ```ts
 * try { await client.connect(); } catch (error) {
 *   if (error instanceof LoginError && error.code === 'SESSION_EXPIRED') await client.connect(); // QR again
 * }
 * ```
 */
export class LoginError extends WAClientError {
  declare readonly code: LoginErrorCode;
  /** The HTTP-like status the server answered, when the failure came from one. */
  readonly status: number | undefined;
  /** The `tos` level sent along with a 403. */
  readonly tos: number | undefined;
  /** Whether the client cleared its auth store because the credentials became useless. */
  readonly credentialsCleared: boolean;

  constructor(
    code: LoginErrorCode,
    message: string,
    details: { status?: number; tos?: number; credentialsCleared?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.status = details.status;
    this.tos = details.tos;
    this.credentialsCleared = details.credentialsCleared ?? false;
  }

  /**
   * The error for a refused `admin login` status.
   * @example
   * ```ts
   * LoginError.fromStatus(419).code; // 'SESSION_EXPIRED'
   * ```
   */
  static fromStatus(status: number, details: { tos?: number; credentialsCleared?: boolean } = {}): LoginError {
    const code = statusCodes[status] ?? 'UNEXPECTED_STATUS';
    const tos = details.tos === undefined ? '' : ` (tos ${details.tos})`;
    return new LoginError(code, `login refused with status ${status}${tos}`, { status, ...details });
  }
}

/**
 * Why an incoming frame was skipped (the connection stays up):
 * - `BAD_HMAC`: a sealed frame failed its HMAC check.
 * - `UNDECRYPTABLE`: it passed the HMAC check but would not decrypt.
 * - `UNDECODABLE`: the decrypted bytes are not a binary node.
 * - `BAD_MESSAGE`: a `message` node whose WebMessageInfo could not be decoded.
 * - `NO_KEYS`: a sealed frame arrived before the session keys existed.
 * - `UNPARSABLE`: the frame itself could not be parsed (no tag, bad JSON …).
 */
export type FrameErrorCode = 'BAD_HMAC' | 'UNDECRYPTABLE' | 'UNDECODABLE' | 'BAD_MESSAGE' | 'NO_KEYS' | 'UNPARSABLE';

/**
 * An incoming frame that was reported on `frame-error` and skipped.
 * @example
 * ```ts
 * client.on('frame-error', (error) => console.warn(`skipped ${error.tag}: ${error.code}`));
 * ```
 */
export class FrameError extends WAClientError {
  declare readonly code: FrameErrorCode;
  /** The frame's tag, when it could be read. */
  readonly tag: string | undefined;

  constructor(code: FrameErrorCode, message: string, tag?: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.tag = tag;
  }
}

/**
 * The client was closed (by `close()` or `logout()`) while the call was pending or before it.
 * @example
 * ```ts
 * await client.close();
 * await client.sendText(jid, 'hi'); // rejects with ClientClosedError
 * ```
 */
export class ClientClosedError extends WAClientError {
  constructor(message = 'the client is closed') {
    super('CLIENT_CLOSED', message);
  }
}

/**
 * The call needs a logged-in session and there is none (yet, or any more).
 * @example
 * ```ts
 * new WAClient().sendText(jid, 'hi'); // rejects with NotLoggedInError
 * ```
 */
export class NotLoggedInError extends WAClientError {
  constructor(message = 'not logged in: call connect() first') {
    super('NOT_LOGGED_IN', message);
  }
}

/**
 * The connection ended while the call was pending (a replaced session, a dropped socket …).
 * @example
 * ```ts
 * if (error instanceof DisconnectedError) console.log(error.closeCode);
 * ```
 */
export class DisconnectedError extends WAClientError {
  /** The WebSocket close code. */
  readonly closeCode: number;

  constructor(closeCode: number, message: string, options?: { cause?: unknown }) {
    super('DISCONNECTED', message, options);
    this.closeCode = closeCode;
  }
}

/**
 * The server answered a request with an error status, or with something else than expected.
 * @example
 * ```ts
 * try { await client.groupMetadata(gid); } catch (error) {
 *   if (error instanceof RequestError && error.status === 401) console.log('not a member');
 * }
 * ```
 */
export class RequestError extends WAClientError {
  /** The status the server answered, when it answered one. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super('REQUEST_FAILED', message, options);
    this.status = status;
  }
}

/**
 * An argument is missing or malformed (a JID, a text, a count …). Nothing was sent.
 * @example
 * ```ts
 * await client.sendText('not a jid', 'hi'); // rejects with InvalidArgumentError
 * ```
 */
export class InvalidArgumentError extends WAClientError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/**
 * Stored credentials that cannot be used: not an object, missing fields, keys that are not
 * 32 bytes of Base64.
 * @example
 * ```ts
 * parseCredentials({ clientId: 1 }); // throws InvalidCredentialsError
 * ```
 */
export class InvalidCredentialsError extends WAClientError {
  constructor(message: string) {
    super('INVALID_CREDENTIALS', message);
  }
}

/**
 * An {@link AuthStore} failed to load, save or clear (disk full, storage quota …).
 * @example
 * ```ts
 * client.on('error', (error) => { if (error.code === 'AUTH_STORE_FAILED') alert('cannot save the session'); });
 * ```
 */
export class AuthStoreError extends WAClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AUTH_STORE_FAILED', message, options);
  }
}

/**
 * Why sending or downloading media failed.
 * - `NO_MEDIA`: the message carries no media (or no media key and URL to fetch it with).
 * - `MEDIA_CONN_FAILED`: `["query","mediaConn"]` was refused or answered without a usable host.
 * - `UPLOAD_FAILED`: the media host refused the upload (see `status`) or could not be reached.
 * - `DOWNLOAD_FAILED`: the blob could not be fetched (see `status`) or could not be reached.
 * - `INTEGRITY`: the blob fails its hashes or MAC (`cause` is `@wa/crypto`'s `MediaIntegrityError`),
 *   or is no ciphertext at all; nothing of it is returned.
 */
export type MediaErrorCode = 'NO_MEDIA' | 'MEDIA_CONN_FAILED' | 'UPLOAD_FAILED' | 'DOWNLOAD_FAILED' | 'INTEGRITY';

/**
 * Sending or downloading media failed; `status` is the HTTP (or server) status when there was one.
 * @example
 * ```ts
 * try { await client.downloadMedia(event); } catch (error) {
 *   if (error instanceof MediaError && error.code === 'INTEGRITY') console.warn('tampered media');
 * }
 * ```
 */
export class MediaError extends WAClientError {
  declare readonly code: MediaErrorCode;
  /** The HTTP status of the refused upload or download, or the status of a refused `mediaConn`. */
  readonly status: number | undefined;

  constructor(code: MediaErrorCode, message: string, details: { status?: number; cause?: unknown } = {}) {
    super(code, message, { cause: details.cause });
    this.status = details.status;
  }
}

/**
 * Why a message (`sendText`, `sendMedia`, or a {@link SendError.retry}) got no server ack:
 * - `SEND_TIMEOUT`: the server did not acknowledge within `requestTimeoutMs`. It may have the
 *   message all the same: retry with the same id ({@link SendError.retry}).
 * - `SEND_QUEUE_FULL`: the client was reconnecting and its send queue already held `maxSize`
 *   messages (or the queue is off, `sendQueue: false`).
 * - `SEND_QUEUE_TIMEOUT`: the client was reconnecting and the session did not come back within
 *   the queue's `maxWaitMs`.
 * - `SEND_INTERRUPTED`: the session ended while the message waited for its ack or in the queue,
 *   and the client is not reconnecting: `close()`, a socket that closed without the `reconnect`
 *   option, a `replaced`/`unpaired` session, or a reconnect that gave up (`cause` tells which).
 */
export type SendErrorCode = 'SEND_TIMEOUT' | 'SEND_QUEUE_FULL' | 'SEND_QUEUE_TIMEOUT' | 'SEND_INTERRUPTED';

/** What a {@link SendError} knows about the message it is about. */
export interface SendErrorDetails {
  /** The message id (`3EB0` + 16 hex digits), also the frame's tag. */
  id: string;
  /** The chat (`…@c.us` or `…@g.us`). */
  chat: string;
  /** Whether the message had been written to a socket before the failure: the server may have it. */
  maybeDelivered: boolean;
  /** Sends the very same message (same id, same content) again; resolves like the first send. */
  retry: () => Promise<SentMessage>;
  cause?: unknown;
}

/**
 * A message got no server ack. Retrying it cannot create a duplicate: {@link SendError.retry}
 * (or `sendText(jid, text, { id: error.id })`) sends it under the same id, and a server that
 * already has that id acknowledges again without delivering it twice.
 * @example
 * ```ts
 * try { await client.sendText(jid, 'on my way'); } catch (error) {
 *   if (error instanceof SendError && error.code === 'SEND_TIMEOUT') await error.retry();
 * }
 * ```
 */
export class SendError extends WAClientError {
  declare readonly code: SendErrorCode;
  /** The message id; pass it as `{ id }` to send the message again later, e.g. after a restart. */
  readonly id: string;
  /** The chat the message was for. */
  readonly chat: string;
  /** Whether the frame had left the client: when true, the server may have the message. */
  readonly maybeDelivered: boolean;
  readonly #retry: () => Promise<SentMessage>;

  constructor(code: SendErrorCode, message: string, details: SendErrorDetails) {
    super(code, message, { cause: details.cause });
    this.id = details.id;
    this.chat = details.chat;
    this.maybeDelivered = details.maybeDelivered;
    this.#retry = details.retry;
  }

  /**
   * Sends the same message again, under the same id (waiting in the send queue while the client
   * reconnects); resolves with the ack like the first send. Safe to call whether or not the
   * first attempt reached the server.
   * @throws the same errors as the first send.
   * @example
   * ```ts
   * const sent = await error.retry();
   * ```
   */
  retry(): Promise<SentMessage> {
    return this.#retry();
  }
}
