import { ManualClock, systemClock, type Clock } from './clock.js';
import type { ProtocolSettings, RefRecord, SandboxContext, SandboxEvents, SessionRecord } from './context.js';
import { SandboxError } from './errors.js';
import { LatencyModel, resolveLatency, type LatencyOptions, type LatencySettings } from './delivery.js';
import { Faults } from './faults.js';
import type { LogLevel, SandboxLogger } from './logger.js';
import { MediaStore, type MediaStoreLimits } from './media.js';
import { Messenger } from './messaging.js';
import { WebConnection } from './protocol/connection.js';
import {
  CURRENT_VERSION,
  DEFAULT_TOKEN_LIFETIME_MS,
  HANDSHAKE_TIMEOUT_MS,
  MAX_BUFFERED_BYTES,
  MAX_FRAME_BYTES,
  MAX_FRAME_BYTES_BEFORE_LOGIN,
  MAX_MESSAGES_PER_CHAT,
  MAX_QUEUED_WHILE_UNREACHABLE,
  MAX_REREFS,
  MEDIA_CONN_TTL_SECONDS,
  MEDIA_MAX_BLOB_BYTES,
  MEDIA_MAX_TOTAL_BYTES,
  MEDIA_PERSIST_MAX_BYTES,
  RECENT_MESSAGES_PER_CHAT,
  REF_TTL_MS,
} from './protocol/constants.js';
import { isRefValid } from './protocol/login.js';
import { seededRandom, systemRandom, type RandomSource } from './random.js';
import { ContactHandle, Phone, webSessionInfo, type WebSessionInfo } from './scripting.js';
import { CloseCode, type SandboxSocket, type SocketHandler } from './socket.js';
import { persistSession, restoreSessions, type SandboxState } from './state.js';
import { emptyStats, type SandboxStats } from './stats.js';
import { defaultWorld } from './world/default-world.js';
import type { WorldSpec } from './world/types.js';
import { World } from './world/world.js';

/** Options of {@link Sandbox} (and of `startSandbox`). */
export interface SandboxOptions {
  /** The world to start with (accounts, contacts, groups, history). Default: {@link defaultWorld}. */
  world?: WorldSpec;
  /** A persisted state to resume (world, sessions and media); wins over `world`. */
  state?: SandboxState;
  /** Makes refs, tokens, keys, IVs and message ids reproducible. */
  seed?: string | number;
  /** Where time comes from. Default: the wall clock (or a fixed clock at `now`). */
  clock?: Clock;
  /** Shorthand for a {@link ManualClock} starting at this time (ms). */
  now?: number;
  /** Receives structured log entries. */
  logger?: SandboxLogger;
  /** QR ref lifetime (default 20000 ms, the real value). */
  refTtlMs?: number;
  /** New refs per connection (default 5, the real limit). */
  maxRerefs?: number;
  /** Restores with tokens older than this are challenged (default 7 days). */
  tokenLifetimeMs?: number;
  /** Latest messages per chat pushed after login (default 20). */
  recentMessagesPerChat?: number;
  /** Messages each chat keeps; older ones are dropped as new ones arrive (default 10,000). */
  maxMessagesPerChat?: number;
  /** Close logged-in sockets silent for this long; 0 (default) never does. */
  idleTimeoutMs?: number;
  /** Close sockets that are not logged in and send no complete frame for this long (default 30 s; 0 = never). */
  handshakeTimeoutMs?: number;
  /** Largest frame a logged-in client may send (default 4 MiB); larger closes the socket with 1009. */
  maxFrameBytes?: number;
  /** Largest frame before login (default 64 KiB). */
  maxFrameBytesBeforeLogin?: number;
  /** A socket whose unsent data passes this is closed with 4007 (default 16 MiB; adapters that report `bufferedAmount`). */
  maxBufferedBytes?: number;
  /** The web version announced in `curr` and `Stream` (default `2.2142.12`). */
  version?: string;
  /**
   * Tasks held per account while its phone is unreachable (default 1000); beyond it the oldest
   * are dropped and counted in `stats.droppedWhileUnreachable`.
   */
  maxQueuedWhileUnreachable?: number;
  /**
   * Media server limits: `maxBlobBytes` (64 MiB), `maxTotalBytes` (256 MiB, oldest evicted),
   * `ttlSeconds` (300), `persistMaxBytes` (8 MiB of the newest blobs go into `exportState()`;
   * older ones are dropped from the state).
   */
  media?: Partial<MediaStoreLimits>;
  /**
   * Latency of the frames sent to web clients: `{ serverMs: 4, phoneMs: 40, jitter: 0.5 }` by
   * default. A number sets both parts (`0`: none, though every frame still gets its own
   * macrotask). Seeded sandboxes draw the same latencies on every run.
   */
  latency?: number | LatencyOptions;
}

/** A ref a web client waits on, as {@link Sandbox.waitingRefs} lists it. */
export interface WaitingRef {
  ref: string;
  clientId: string;
  connection: string;
  expiresAt: number;
}

type Listener<K extends keyof SandboxEvents> = (payload: SandboxEvents[K]) => void;

/**
 * The protocol core: a legacy WhatsApp Web server with a scripted world, independent of any
 * transport. Hand it sockets with {@link Sandbox.accept}; `startSandbox` does that for a real
 * `ws` server, `createMemoryLink` for in-process (and in-browser) use.
 * @example
 * ```ts
 * const sandbox = new Sandbox({ seed: 'test' });
 * const link = createMemoryLink(sandbox);
 * link.client.onmessage = (data) => console.log(data);
 * link.client.send('1,["admin","init",[2,2142,12],["Demo","Chrome"],"abcdefghijklmnopqrstuv==",true]');
 * ```
 */
export class Sandbox {
  /** The world: accounts, users, groups, chats. */
  readonly world: World;
  /** Fault switches. */
  readonly faults: Faults;
  /** The clock the sandbox reads. */
  readonly clock: Clock;
  /** The default account's phone (the first account). */
  readonly phone: Phone;
  /** The media server: `mediaConn` credentials, uploads and downloads of encrypted blobs. */
  readonly media: MediaStore;

  readonly #context: SandboxContext;
  readonly #stats: SandboxStats = emptyStats();
  readonly #listeners = new Map<keyof SandboxEvents, Set<Listener<keyof SandboxEvents>>>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #waitingForPhone = new Map<string, Array<() => void>>();
  readonly #logger: SandboxLogger | undefined;
  #nextConnection = 0;
  #closed = false;

  constructor(options: SandboxOptions = {}) {
    this.clock = options.clock ?? (options.now !== undefined ? new ManualClock(options.now) : systemClock);
    const random: RandomSource = options.seed !== undefined ? seededRandom(options.seed) : systemRandom();
    // A stream of its own, so latencies do not shift the seeded refs, tokens and keys.
    const latency = new LatencyModel(resolveLatency(options.latency), options.seed !== undefined ? seededRandom(`${options.seed}:latency`) : systemRandom());
    this.#logger = options.logger;
    const maxMessagesPerChat = positive(options.maxMessagesPerChat, MAX_MESSAGES_PER_CHAT, 'maxMessagesPerChat');
    const worldContext = { now: () => this.clock.now(), random, maxMessagesPerChat };
    this.world = options.state
      ? World.fromData(options.state.world, worldContext)
      : World.fromSpec(options.world ?? defaultWorld(), worldContext);
    const sessions = new Map<string, SessionRecord>();
    if (options.state) {
      restoreSessions(options.state).forEach((session, index) => {
        if (!this.world.account(session.wid)) {
          throw new SandboxError('STATE_INVALID', `sandbox state: sessions[${index}].wid must be an account of world.accounts, found ${JSON.stringify(session.wid)}`);
        }
        sessions.set(session.clientId, session);
      });
    }
    const settings: ProtocolSettings = {
      refTtlMs: positive(options.refTtlMs, REF_TTL_MS, 'refTtlMs'),
      maxRerefs: nonNegative(options.maxRerefs, MAX_REREFS, 'maxRerefs'),
      tokenLifetimeMs: positive(options.tokenLifetimeMs, DEFAULT_TOKEN_LIFETIME_MS, 'tokenLifetimeMs'),
      recentMessagesPerChat: nonNegative(options.recentMessagesPerChat, RECENT_MESSAGES_PER_CHAT, 'recentMessagesPerChat'),
      idleTimeoutMs: nonNegative(options.idleTimeoutMs, 0, 'idleTimeoutMs'),
      handshakeTimeoutMs: nonNegative(options.handshakeTimeoutMs, HANDSHAKE_TIMEOUT_MS, 'handshakeTimeoutMs'),
      maxFrameBytes: positive(options.maxFrameBytes, MAX_FRAME_BYTES, 'maxFrameBytes'),
      maxFrameBytesBeforeLogin: positive(options.maxFrameBytesBeforeLogin, MAX_FRAME_BYTES_BEFORE_LOGIN, 'maxFrameBytesBeforeLogin'),
      maxBufferedBytes: positive(options.maxBufferedBytes, MAX_BUFFERED_BYTES, 'maxBufferedBytes'),
      version: options.version ?? CURRENT_VERSION,
    };
    const maxQueued = nonNegative(options.maxQueuedWhileUnreachable, MAX_QUEUED_WHILE_UNREACHABLE, 'maxQueuedWhileUnreachable');
    this.media = new MediaStore(this.clock, random, {
      maxBlobBytes: nonNegative(options.media?.maxBlobBytes, MEDIA_MAX_BLOB_BYTES, 'media.maxBlobBytes'),
      maxTotalBytes: nonNegative(options.media?.maxTotalBytes, MEDIA_MAX_TOTAL_BYTES, 'media.maxTotalBytes'),
      ttlSeconds: positive(options.media?.ttlSeconds, MEDIA_CONN_TTL_SECONDS, 'media.ttlSeconds'),
      persistMaxBytes: nonNegative(options.media?.persistMaxBytes, MEDIA_PERSIST_MAX_BYTES, 'media.persistMaxBytes'),
    });
    if (options.state?.media !== undefined) this.media.restoreBlobs(options.state.media);
    const connections = new Set<WebConnection>();
    const loggedIn = new Map<string, Set<WebConnection>>();
    const refs = new Map<string, RefRecord>();
    this.faults = new Faults({
      dropSockets: (filter) => {
        let count = 0;
        for (const connection of [...connections]) {
          if (filter && !filter({ connection: connection.id, wid: connection.wid, clientId: connection.clientId })) continue;
          connection.drop();
          count += 1;
        }
        return count;
      },
      expireRefs: () => {
        for (const record of refs.values()) record.expired = true;
        return refs.size;
      },
    });
    const messenger = new Messenger(() => this.#context);
    this.#context = {
      world: this.world,
      faults: this.faults,
      stats: this.#stats,
      clock: this.clock,
      random,
      settings,
      latency,
      refs,
      sessions,
      connections,
      messenger,
      media: this.media,
      log: (level, event, message, connection, data) => this.#log(level, event, message, connection, data),
      schedule: (ms, task) => this.#schedule(ms, task),
      emit: (event, payload) => this.#emit(event, payload),
      whenPhoneReachable: (wid, task) => {
        if (this.world.account(wid)?.reachable !== false) return task();
        const queue = this.#waitingForPhone.get(wid) ?? [];
        queue.push(task);
        // A client that keeps sending to an offline phone must not grow memory without end.
        if (queue.length > maxQueued) {
          const dropped = queue.splice(0, queue.length - maxQueued).length;
          this.#stats.droppedWhileUnreachable += dropped;
          this.#log('warn', 'queue-full', `phone of ${wid} unreachable: dropped the oldest of ${maxQueued + dropped} held tasks`);
        }
        this.#waitingForPhone.set(wid, queue);
      },
      loggedIn,
      // An index by account: every push to an account asks, and a sandbox may hold thousands of sockets.
      connectionsOf: (wid) => {
        const set = loggedIn.get(wid);
        return set === undefined ? [] : [...set].filter((connection) => connection.wid === wid);
      },
    };
    const first = this.world.accounts[0];
    if (!first) throw new SandboxError('INVALID_ARGUMENT', 'the world has no account');
    this.phone = this.phoneOf(first.wid);
  }

  /**
   * Takes over one web-client socket. The adapter forwards incoming messages and the close to
   * the returned handler.
   */
  accept(socket: SandboxSocket): SocketHandler {
    if (this.#closed) throw new SandboxError('CLOSED', 'the sandbox is closed');
    this.#nextConnection += 1;
    const connection = new WebConnection(`c${this.#nextConnection}`, socket, this.#context);
    this.#context.connections.add(connection);
    this.#stats.connectionsOpened += 1;
    this.#log('info', 'open', 'socket accepted', connection.id);
    this.#emit('connection', { connection: connection.id, open: true });
    return connection;
  }

  /** The phone of account `wid`. */
  phoneOf(wid: string): Phone {
    const account = this.world.requireAccount(wid);
    return new Phone(this.#context, account.wid, (id) => this.#flushPhoneQueue(id));
  }

  /** Scripts user `jid` (send, read, type, go online). */
  contact(jid: string): ContactHandle {
    return new ContactHandle(this.#context, jid);
  }

  /** A snapshot of the counters. */
  get stats(): Readonly<SandboxStats> {
    return { ...this.#stats, connectionsOpen: this.#context.connections.size };
  }

  /** Refs web clients are waiting on right now (scan candidates). */
  waitingRefs(): WaitingRef[] {
    return [...this.#context.refs.values()]
      .filter((record) => isRefValid(this.#context, record))
      .map((record) => ({ ref: record.ref, clientId: record.connection.clientId ?? '', connection: record.connection.id, expiresAt: record.issuedAt + record.ttl }));
  }

  /** Every paired web session, of every account. */
  sessions(): WebSessionInfo[] {
    return [...this.#context.sessions.values()].map(webSessionInfo);
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof SandboxEvents>(event: K, listener: (payload: SandboxEvents[K]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener as Listener<keyof SandboxEvents>);
    this.#listeners.set(event, set);
    return () => void set.delete(listener as Listener<keyof SandboxEvents>);
  }

  /**
   * Everything worth persisting: the world, the paired sessions (keys and tokens) and the newest
   * media blobs up to `media.persistMaxBytes` (older blobs are dropped from the state).
   */
  exportState(): SandboxState {
    return {
      version: 1,
      world: this.world.toData(),
      sessions: [...this.#context.sessions.values()].map(persistSession),
      media: this.media.exportBlobs(),
    };
  }

  /** Closes every socket and cancels pending scripted work. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#waitingForPhone.clear();
    this.faults.reset();
    for (const connection of [...this.#context.connections]) connection.close(CloseCode.shutdown, 'sandbox closed', { immediate: true });
  }

  /** The latency settings in force (see `SandboxOptions.latency`). */
  get latency(): Readonly<LatencySettings> {
    return this.#context.latency.settings;
  }

  /** Whether {@link Sandbox.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  #flushPhoneQueue(wid: string): void {
    const queue = this.#waitingForPhone.get(wid);
    this.#waitingForPhone.delete(wid);
    for (const task of queue ?? []) task();
  }

  #schedule(ms: number, task: () => void): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#closed) return;
      try {
        task();
      } catch (error) {
        this.#log('error', 'task-failed', (error as Error).message);
      }
    }, ms);
    this.#timers.add(timer);
  }

  #emit<K extends keyof SandboxEvents>(event: K, payload: SandboxEvents[K]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        this.#log('error', 'listener-failed', `${event} listener threw: ${(error as Error).message}`);
      }
    }
  }

  #log(level: LogLevel, event: string, message: string | (() => string), connection?: string, data?: Record<string, unknown>): void {
    if (!this.#logger) return;
    const entry: Parameters<SandboxLogger>[0] = { level, event, message: typeof message === 'string' ? message : message() };
    if (connection !== undefined) entry.connection = connection;
    if (data !== undefined) entry.data = data;
    this.#logger(entry);
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new SandboxError('INVALID_ARGUMENT', `${name} must be a positive number`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new SandboxError('INVALID_ARGUMENT', `${name} must be a non-negative number`);
  return value;
}
