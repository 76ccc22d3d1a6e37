/**
 * The state the parts of a {@link WAClient} share. The facade owns one context and hands it to
 * the modules that log in, read frames, send requests and end sessions, so none of them reaches
 * into the client's private fields.
 * @module
 */
import type { SessionKeys } from '@wa/crypto';
import type { Connection, Logger, ReconnectPolicy } from '@wa/transport';
import type { AuthStore } from './auth-store.js';
import type { Credentials } from './credentials.js';
import { ClientClosedError, FrameError, NotLoggedInError, type LoginError, type WAClientError } from './errors.js';
import type { QueuedSend } from './send-queue.js';
import type { PendingLogin } from './login/pending-login.js';
import type { ChatStore } from './store.js';
import type { Timers } from './timers.js';
import type { BatteryStatus, ClientEvents, ClientState, DisconnectReason, OpenInfo } from './types.js';

/** Internal: what the client's modules read and change. */
export interface ClientContext {
  readonly connection: Connection;
  readonly auth: AuthStore;
  readonly store: ChatStore;
  readonly logger: Logger;
  readonly timers: Timers;
  readonly browser: readonly string[];
  readonly version: readonly number[];
  readonly requestTimeoutMs: number;
  readonly initialSyncTimeoutMs: number;
  readonly reconnectPolicy: ReconnectPolicy | undefined;
  /** Bounds of the queue of sends that wait while the client reconnects. */
  readonly sendQueue: Readonly<{ maxSize: number; maxWaitMs: number }>;
  /** The HTTP client of media uploads and downloads. */
  readonly fetch: typeof fetch;
  /** The client's own `emit`. */
  readonly emit: <K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]) => void;
  /** Whether anyone listens to `event` (payloads that cost something to build are skipped otherwise). */
  readonly listens?: (event: keyof ClientEvents) => boolean;

  state: ClientState;
  /** The login in progress, until a `Conn` finishes it or it fails. */
  login: PendingLogin | undefined;
  keys: SessionKeys | undefined;
  credentials: Credentials | undefined;
  me: OpenInfo | undefined;
  /** The phone's battery as the last `battery` push told it (chat-actions.ts). */
  battery?: BatteryStatus;
  /**
   * Set by a restore until a sealed frame opens with the stored keys: how many sealed frames
   * failed to open so far (see `key-check.ts`).
   */
  keyCheck: { failures: number } | undefined;
  /** Why the session is being ended by this side (wrong stored keys); the close reports it. */
  sessionError: LoginError | undefined;
  /** Counter of the `epoch` attribute of sealed requests; restarts at every login. */
  epoch: number;
  /** The chain of auth-store writes, in order. */
  saving: Promise<void>;
  closedByUser: boolean;
  /** The reason a close by this side reports (`closed`, or `logged-out`). */
  localReason: DisconnectReason;
  /** The reason the server gave in `Cmd disconnect`, reported when the socket closes. */
  serverReason: DisconnectReason | undefined;
  /** The tag of the challenge answer in flight. */
  challengeTag: string | undefined;
  phoneReachable: boolean;
  /** The last `media_conn`, reused until its `ttl` runs out. */
  mediaConn: CachedMediaConn | undefined;
  /** Set from a lost connection until the session is back or the client gives up: automatic reconnects are running. */
  resume: ResumeState | undefined;
  /** Sends waiting for the session to come back, oldest first. */
  queued: QueuedSend[];
  /** Ids of the messages being sent (in the queue or waiting for their ack): one send per id at a time. */
  sendingIds: Set<string>;
}

/** Internal: the state of a run of automatic reconnects. */
export interface ResumeState {
  /** The close code of the connection that was lost. */
  code: number;
  /** How the next attempt logs in: `takeover` after a `reconnect` was refused with 409. */
  mode: 'reconnect' | 'takeover';
  /** Attempts made so far. */
  attempts: number;
}

/** Internal: a `media_conn` answer and when it stops being valid (ms since the epoch). */
export interface CachedMediaConn {
  auth: string;
  hosts: Array<{ hostname: string; scheme: 'http' | 'https' }>;
  expiresAt: number;
}

/**
 * Surfaces a failure nobody awaits: a skipped frame as `frame-error`, anything else as `error`.
 * @example
 * ```ts
 * report(context, new FrameError('NO_KEYS', 'a sealed frame arrived before the session keys', tag));
 * ```
 */
export function report(context: ClientContext, error: WAClientError): void {
  if (error instanceof FrameError) {
    context.logger.warn('skipped an incoming frame', { code: error.code, tag: error.tag });
    context.emit('frame-error', error);
  } else {
    context.logger.error('background failure', { code: error.code, message: error.message });
    context.emit('error', error);
  }
}

/**
 * Moves to `closed` and emits `close`, once; ends a run of reconnects and fails the sends that
 * waited for it (`SEND_INTERRUPTED`).
 * @param error - why the client gave up reconnecting (`login-refused`, `reconnect-failed`).
 * @example
 * ```ts
 * markClosed(context, 'connection-lost', 1006);
 * markClosed(context, 'login-refused', 1006, loginError);
 * ```
 */
export function markClosed(context: ClientContext, reason: DisconnectReason, code: number, error?: Error): void {
  context.resume = undefined;
  failQueuedSends(context, reason, error);
  if (context.state === 'closed') return;
  context.state = 'closed';
  context.emit('close', error === undefined ? { reason, code } : { reason, code, error });
}

/**
 * Fails every queued send with `SEND_INTERRUPTED`: the session they waited for is not coming back.
 * @example
 * ```ts
 * failQueuedSends(context, 'closed');
 * ```
 */
export function failQueuedSends(context: ClientContext, reason: DisconnectReason, error?: Error): void {
  for (const send of context.queued.splice(0)) send.interrupt(reason, error);
}

/**
 * @throws ClientClosedError after `close()`, NotLoggedInError before the login finished.
 * @example
 * ```ts
 * requireOpen(context);
 * ```
 */
export function requireOpen(context: ClientContext): void {
  if (context.state === 'open' && context.keys) return;
  if (context.closedByUser || context.state === 'closed') throw new ClientClosedError();
  throw new NotLoggedInError();
}

/**
 * The next `epoch` attribute: sealed requests of a session count up from 1.
 * @example
 * ```ts
 * const node = ['action', { type: 'set', epoch: nextEpoch(context) }, children];
 * ```
 */
export function nextEpoch(context: ClientContext): string {
  context.epoch += 1;
  return String(context.epoch);
}
