import type { Clock } from './clock.js';
import type { LatencyModel } from './delivery.js';
import type { Faults } from './faults.js';
import type { LogLevel } from './logger.js';
import type { MediaStore } from './media.js';
import type { Messenger } from './messaging.js';
import type { WebConnection } from './protocol/connection.js';
import type { RandomSource } from './random.js';
import type { SandboxStats } from './stats.js';
import type { World } from './world/world.js';

/** A QR ref handed to a waiting web client. */
export interface RefRecord {
  ref: string;
  connection: WebConnection;
  issuedAt: number;
  ttl: number;
  /** Set when a reref replaced it or a fault expired it; time-based expiry is computed. */
  expired: boolean;
}

/** A paired web session ("remember me" data), keyed by clientId. */
export interface SessionRecord {
  clientId: string;
  wid: string;
  /** The browser description from `admin init`. */
  browser: string[];
  clientToken: string;
  serverToken: string;
  browserToken: string;
  /** When the current tokens were handed out (ms). */
  tokensIssuedAt: number;
  /** Server tokens of earlier connections: presenting one is answered with 419. */
  retiredTokens: string[];
  encKey: Uint8Array;
  macKey: Uint8Array;
  /** @internal The socket currently logged in with this session, if any. */
  connection?: WebConnection;
}

/** Resolved tunables (see `SandboxOptions`). */
export interface ProtocolSettings {
  refTtlMs: number;
  maxRerefs: number;
  tokenLifetimeMs: number;
  recentMessagesPerChat: number;
  version: string;
  idleTimeoutMs: number;
  handshakeTimeoutMs: number;
  maxFrameBytes: number;
  maxFrameBytesBeforeLogin: number;
  maxBufferedBytes: number;
}

/** Events the sandbox emits; see `Sandbox.on`. */
export interface SandboxEvents {
  /** A web client is waiting for a scan of this ref (after `admin init` or a reref). */
  ref: { connection: string; ref: string; clientId: string; ttl: number; expiresAt: number };
  /** A web client logged in. */
  login: { connection: string; wid: string; clientId: string; kind: 'qr' | 'restore' };
  /** A web session ended for good (logout, unpair); its tokens are invalid. */
  logout: { wid: string; clientId: string; reason: 'client' | 'unpaired' };
  /** A web client sent a message. */
  'web-message': { connection: string; wid: string; chat: string; id: string; text?: string };
  /** A socket opened or closed. */
  connection: { connection: string; open: boolean };
  /** Something persistable (sessions, tokens, world) changed. */
  state: Record<string, never>;
}

/** The shared state and services every protocol module works with. */
export interface SandboxContext {
  readonly world: World;
  readonly faults: Faults;
  readonly stats: SandboxStats;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly settings: ProtocolSettings;
  /** Latencies of the frames sent to web clients. */
  readonly latency: LatencyModel;
  readonly refs: Map<string, RefRecord>;
  readonly sessions: Map<string, SessionRecord>;
  readonly connections: Set<WebConnection>;
  /** Logged-in connections by account (kept by `WebConnection`; `connectionsOf` reads it). */
  readonly loggedIn: Map<string, Set<WebConnection>>;
  readonly messenger: Messenger;
  readonly media: MediaStore;
  /**
   * Reports to the logger, if any. Pass a function when the text is costly to build (a rendered
   * node per frame): it only runs when somebody listens.
   */
  log(level: LogLevel, event: string, message: string | (() => string), connection?: string, data?: Record<string, unknown>): void;
  /** Runs `task` after `ms`, unless the sandbox closes first. */
  schedule(ms: number, task: () => void): void;
  emit<K extends keyof SandboxEvents>(event: K, payload: SandboxEvents[K]): void;
  /** Runs `task` now if the account's phone is reachable, else once it is again. */
  whenPhoneReachable(wid: string, task: () => void): void;
  /** Logged-in connections of an account. */
  connectionsOf(wid: string): WebConnection[];
}
