/**
 * `WAClient`: log in (QR or stored credentials), keep the session, receive chats, contacts,
 * messages, receipts and presence, and send messages and queries.
 * @module
 */
import { decode, encode, type Node } from '@wa/binary-codec';
import {
  deriveSessionKeys,
  fromBase64,
  generateKeyPair,
  openFrame,
  randomBytes,
  sealFrame,
  signChallenge,
  toBase64,
  type KeyPair,
  type SessionKeys,
} from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo, generateMessageId, textMessage, type QuotedMessage, type WebMessageInfo } from '@wa/proto';
import {
  Connection,
  ConnectionClosedError,
  Flag,
  FrameError as TransportFrameError,
  Metric,
  NotConnectedError,
  ReconnectPolicy,
  RequestTimeoutError,
  serializeBinary,
  serializeJson,
  silentLogger,
  TypedEmitter,
  type BackoffOptions,
  type CloseInfo,
  type Logger,
  type ParsedFrame,
  type WebSocketConstructor,
} from '@wa/transport';
import { MemoryAuthStore, type AuthStore } from './auth-store.js';
import { parseCredentials, type Credentials } from './credentials.js';
import {
  AuthStoreError,
  ClientClosedError,
  DisconnectedError,
  FrameError,
  InvalidArgumentError,
  LoginError,
  NotLoggedInError,
  RequestError,
  WAClientError,
  type LoginErrorCode,
} from './errors.js';
import { checkJid, toChatJid, toProtoJid } from './jid.js';
import { chatFromNode, contactFromNode, messageEvent, messagesFromNode, presenceFromJson, receiptsFromAck } from './nodes.js';
import { ChatStore } from './store.js';
import type {
  Chat,
  ClientEvents,
  Contact,
  DisconnectReason,
  MessageEvent,
  MessageSource,
  OpenInfo,
  PresenceType,
} from './types.js';

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
  /** Time limit of requests and of finishing a restore. Default 20000 ms. */
  requestTimeoutMs?: number;
  /** Keep-alive interval after login. Default 20000 ms (what the web client used). */
  keepAliveIntervalMs?: number;
  /** Ask for the chat list and contacts when the server has not pushed them this long after login. Default 5000 ms. */
  initialSyncTimeoutMs?: number;
}

/** Options of {@link WAClient.sendText}. */
export interface SendTextOptions {
  /** The message this one replies to: a received `WebMessageInfo` (e.g. `event.info`) or its id and author. */
  quoted?: WebMessageInfo | QuotedMessage;
  /** Mentioned users (`…@c.us`); the text should contain `@<number>` for each. */
  mentions?: readonly string[];
}

/** What {@link WAClient.sendText} resolves with once the server acknowledged the message. */
export interface SentMessage {
  /** The message id (also the frame's tag): `3EB0` + 16 hex digits. */
  id: string;
  chat: string;
  /** `SERVER_ACK`: the server has it. `receipt` events follow for delivery and reading. */
  status: 'SERVER_ACK';
  /** Unix seconds. */
  timestamp: number;
  /** The message as sent. */
  info: WebMessageInfo;
}

/** Options of {@link WAClient.markRead}. */
export interface MarkReadOptions {
  /** Whether the message is one this account sent. Default `false`. */
  fromMe?: boolean;
  /** How many messages the read covers. Default 1. */
  count?: number;
}

/** Options of {@link WAClient.loadMessages}. */
export interface LoadMessagesOptions {
  /** How many messages (1–300). Default 20. */
  count?: number;
  /** Load the messages before this one (its id); default: the latest. */
  before?: string;
  /** Whether `before` is a message this account sent. Default `false`. */
  beforeFromMe?: boolean;
}

/** What {@link WAClient.loadMessages} resolves with. */
export interface LoadedMessages {
  /** Oldest first. */
  messages: MessageEvent[];
  /** Whether the page reaches the start of the chat. */
  reachedStart: boolean;
}

/** A group's metadata (`["query","GroupMetadata",gid]`). */
export interface GroupMetadata {
  id: string;
  owner?: string;
  subject?: string;
  /** Unix seconds. */
  creation?: number;
  participants: Array<{ id: string; isAdmin: boolean; isSuperAdmin: boolean }>;
  desc?: string;
  descId?: string;
  descOwner?: string;
  descTime?: number;
}

/** Options of {@link WAClient.waitFor}. */
export interface WaitForOptions<T> {
  /** Only a payload for which this returns true counts. */
  filter?: (payload: T) => boolean;
  /** Reject after this many ms. Default: the client's `requestTimeoutMs`. */
  timeoutMs?: number;
}

/** Where a client is in its life. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

interface PendingLogin {
  via: 'qr' | 'restore';
  clientId: string;
  keyPair?: KeyPair;
  challenged: boolean;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

type JsonRecord = Record<string, unknown>;

const chatStates: ReadonlySet<PresenceType> = /* @__PURE__ */ new Set<PresenceType>(['composing', 'recording', 'paused']);
const presenceFlags: Readonly<Record<PresenceType, number>> = /* @__PURE__ */ Object.freeze({
  available: Flag.available,
  unavailable: Flag.unavailable,
  composing: Flag.composing,
  recording: Flag.ignore,
  paused: Flag.ignore,
});

/**
 * A legacy WhatsApp Web client. Listen to events before calling {@link WAClient.connect}: the
 * chat list, contacts and recent messages are pushed right after login.
 *
 * @example
 * ```ts
 * const client = new WAClient({ url: sandbox.url, auth: new FileAuthStore('./session.json') });
 * client.on('qr', ({ qr }) => console.log('scan this:', qr));
 * client.on('message', ({ source, chat, text }) => source === 'relay' && console.log(chat, text));
 * await client.connect(); // QR the first time, restored from ./session.json afterwards
 * const { id } = await client.sendText('15550100002@c.us', 'Hello!');
 * client.on('receipt', (receipt) => receipt.id === id && console.log(receipt.status));
 * ```
 */
export class WAClient extends TypedEmitter<ClientEvents> {
  readonly url: string;
  readonly #auth: AuthStore;
  readonly #browser: readonly string[];
  readonly #version: readonly number[];
  readonly #logger: Logger;
  readonly #requestTimeoutMs: number;
  readonly #initialSyncTimeoutMs: number;
  readonly #reconnectPolicy: ReconnectPolicy | undefined;
  readonly #connection: Connection;
  readonly #store = new ChatStore();

  #state: ClientState = 'idle';
  #connecting: Promise<void> | undefined;
  #login: PendingLogin | undefined;
  #keys: SessionKeys | undefined;
  #credentials: Credentials | undefined;
  #me: OpenInfo | undefined;
  #epoch = 0;
  #saving: Promise<void> = Promise.resolve();
  #closedByUser = false;
  #localReason: DisconnectReason = 'closed';
  #serverReason: DisconnectReason | undefined;
  #challengeTag: string | undefined;
  #phoneReachable = true;
  #refTimer: ReturnType<typeof setTimeout> | undefined;
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @throws InvalidArgumentError for malformed options.
   * @example
   * ```ts
   * const client = new WAClient({ url: 'ws://127.0.0.1:8080/ws', browser: ['My bot', 'Bot', '1.0'] });
   * ```
   */
  constructor(options: WAClientOptions = {}) {
    super();
    this.url = options.url ?? 'wss://web.whatsapp.com/ws';
    this.#auth = options.auth ?? new MemoryAuthStore();
    const browser = options.browser ?? DEFAULT_BROWSER;
    if (!Array.isArray(browser) || browser.length < 2 || browser.length > 3 || !browser.every((part) => typeof part === 'string' && part.length > 0)) {
      throw new InvalidArgumentError('browser must be [long, short] or [long, short, version] of non-empty strings');
    }
    const version = options.version ?? DEFAULT_VERSION;
    if (!Array.isArray(version) || version.length < 2 || !version.every((part) => Number.isInteger(part) && part >= 0)) {
      throw new InvalidArgumentError('version must be a list of at least two non-negative integers, e.g. [2, 2142, 12]');
    }
    this.#browser = Object.freeze([...browser]);
    this.#version = Object.freeze([...version]);
    this.#logger = options.logger ?? silentLogger;
    this.#requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs ?? 20_000);
    this.#initialSyncTimeoutMs = positive('initialSyncTimeoutMs', options.initialSyncTimeoutMs ?? 5_000);
    const reconnect = options.reconnect ?? false;
    this.#reconnectPolicy = reconnect === false ? undefined : new ReconnectPolicy(reconnect === true ? {} : reconnect);
    const connectionOptions: ConstructorParameters<typeof Connection>[0] = {
      url: this.url,
      logger: this.#logger,
      requestTimeoutMs: this.#requestTimeoutMs,
      keepAliveIntervalMs: positive('keepAliveIntervalMs', options.keepAliveIntervalMs ?? 20_000),
    };
    if (options.origin !== undefined) connectionOptions.origin = options.origin;
    if (options.WebSocket !== undefined) connectionOptions.WebSocket = options.WebSocket;
    try {
      this.#connection = new Connection(connectionOptions);
    } catch (cause) {
      throw new InvalidArgumentError(`invalid connection options: ${(cause as Error).message}`);
    }
    this.#connection.on('frame', (frame) => this.#onFrame(frame));
    this.#connection.on('frame-error', (error) => this.#report(new FrameError('UNPARSABLE', error.message, error.tag, { cause: error })));
    this.#connection.on('close', (info) => this.#onClose(info));
  }

  /** Where the client is in its life. */
  get state(): ClientState {
    return this.#state;
  }

  /** Who is logged in, once `open`. */
  get me(): OpenInfo | undefined {
    return this.#me === undefined ? undefined : { ...this.#me };
  }

  /** Whether the phone was reachable at the last `["Pong",…]` (true until told otherwise). */
  get phoneReachable(): boolean {
    return this.#phoneReachable;
  }

  /**
   * Connects and logs in: restores the session from the auth store when it holds credentials
   * (answering a challenge if asked), else shows QR codes (`qr` events, refreshed with
   * `admin Conn reref` when they expire) until the phone scans one. Resolves once logged in and
   * the new credentials are saved; `open` has been emitted by then.
   * @throws LoginError (see its codes), ClientClosedError when `close()` interrupts,
   * DisconnectedError when the socket drops, a `@wa/transport` ConnectError when the server
   * cannot be reached, and the auth store's errors.
   * @example
   * ```ts
   * client.on('qr', ({ qr }) => showQr(qr));
   * await client.connect();
   * ```
   */
  connect(): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    this.#closedByUser = false;
    this.#localReason = 'closed';
    this.#reconnectPolicy?.reset();
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#state = 'connecting';
    const connecting = this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    this.#connecting = connecting;
    return connecting;
  }

  /**
   * Closes the connection; the session stays valid (connect again to restore it).
   * @example
   * ```ts
   * await client.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closedByUser = true;
    this.#failLogin(new ClientClosedError('close() was called while logging in'));
    if (this.#reconnectTimer !== undefined) {
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = undefined;
    }
    const wasReconnecting = this.#state === 'reconnecting';
    await this.#connection.close();
    if (wasReconnecting) this.#finish(this.#localReason, 1000);
    if (this.#state !== 'closed' && this.#state !== 'idle') this.#state = 'closed';
    await this.#saving;
  }

  /**
   * Logs out for good (`["admin","Conn","disconnect"]`): the server forgets the session, the
   * auth store is cleared and the client closes.
   * @throws NotLoggedInError when not logged in.
   * @example
   * ```ts
   * await client.logout();
   * ```
   */
  async logout(): Promise<void> {
    this.#requireOpen();
    this.#closedByUser = true;
    this.#localReason = 'logged-out';
    try {
      const reply = await this.#requestJson(['admin', 'Conn', 'disconnect']);
      const status = statusOf(reply);
      if (status !== 200) this.#logger.warn('logout answered with an unexpected status', { status });
    } catch (error) {
      // The server closes right after its answer; a close that overtakes the answer is fine.
      if (!(error instanceof ClientClosedError || error instanceof DisconnectedError)) throw error;
    }
    this.#keys = undefined;
    this.#credentials = undefined;
    this.#store.reset();
    await this.#clearCredentials();
    await this.close();
  }

  /**
   * Sends a text message and resolves when the server acknowledged it (`{"status":200}` under
   * the message id). Delivery and read acks follow as `receipt` events.
   * @throws NotLoggedInError, InvalidArgumentError, RequestError (another status).
   * @example
   * ```ts
   * const sent = await client.sendText('15550100002@c.us', 'See you at 10!');
   * const reply = await client.sendText(event.chat, 'Yes!', { quoted: event.info });
   * ```
   */
  async sendText(jid: string, text: string, options: SendTextOptions = {}): Promise<SentMessage> {
    const chat = checkJid(jid);
    if (typeof text !== 'string' || text.length === 0) throw new InvalidArgumentError('text must be a non-empty string');
    const mentions = (options.mentions ?? []).map((mention, index) => toProtoJid(checkJid(mention, `mentions[${index}]`)));
    this.#requireOpen();
    const id = generateMessageId();
    const timestamp = Math.floor(Date.now() / 1000);
    const input = textMessage({
      remoteJid: toProtoJid(chat),
      fromMe: true,
      id,
      text,
      timestamp,
      status: 'PENDING',
      ...(options.quoted !== undefined && { quoted: this.#quoted(options.quoted) }),
      ...(mentions.length > 0 && { mentions }),
    });
    const bytes = encodeWebMessageInfo(input);
    const node: Node = ['action', { epoch: this.#nextEpoch(), type: 'relay' }, [['message', null, bytes]]];
    // A message to oneself asks for an ack instead of being flagged ignore, as the web client did.
    const flag = chat === this.#me?.wid ? Flag.ackRequest : Flag.ignore;
    const reply = await this.#sendNode(id, node, Metric.message, flag);
    if (reply.kind !== 'json' || statusOf(reply.json) !== 200) {
      throw new RequestError(`the server did not accept message ${id}`, reply.kind === 'json' ? statusOf(reply.json) : undefined);
    }
    const info: WebMessageInfo = { ...decodeWebMessageInfo(bytes), status: 'SERVER_ACK' };
    if (this.#store.addMessage(messageEvent(info, 'relay', this.#me?.wid))) this.emit('chats', this.#store.chats());
    this.#logger.info('message sent', { id });
    return { id, chat, status: 'SERVER_ACK', timestamp, info };
  }

  /**
   * Marks a chat read up to `messageId` (the sender gets blue ticks).
   * @throws NotLoggedInError, InvalidArgumentError, RequestError.
   * @example
   * ```ts
   * client.on('message', (m) => m.source === 'relay' && !m.fromMe && client.markRead(m.chat, m.id));
   * ```
   */
  async markRead(jid: string, messageId: string, options: MarkReadOptions = {}): Promise<void> {
    const chat = checkJid(jid);
    if (typeof messageId !== 'string' || messageId.length === 0) throw new InvalidArgumentError('messageId must be a non-empty string');
    const count = options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError('count must be a positive integer');
    this.#requireOpen();
    const attrs = { jid: chat, index: messageId, owner: options.fromMe === true ? 'true' : 'false', count: String(count) };
    const node: Node = ['action', { type: 'set', epoch: this.#nextEpoch() }, [['read', attrs, null]]];
    await this.#expectStatus(this.#sendNode(this.#connection.nextTag(), node, Metric.read, Flag.ignore), 'markRead');
    if (this.#store.markRead(chat)) this.emit('chats', this.#store.chats());
  }

  /**
   * Sets this account's presence (`available`/`unavailable`), or a chat state (`composing`,
   * `recording`, `paused`) towards `jid`.
   * @throws NotLoggedInError, InvalidArgumentError (a chat state needs `jid`), RequestError.
   * @example
   * ```ts
   * await client.setPresence('available');
   * await client.setPresence('composing', '15550100002@c.us');
   * ```
   */
  async setPresence(type: PresenceType, jid?: string): Promise<void> {
    if (!(type in presenceFlags)) throw new InvalidArgumentError(`presence must be one of ${Object.keys(presenceFlags).join(', ')}`);
    if (chatStates.has(type) && jid === undefined) throw new InvalidArgumentError(`presence ${type} needs the chat it is shown in`);
    const attrs: Record<string, string> = { type };
    if (jid !== undefined) attrs.to = checkJid(jid);
    this.#requireOpen();
    const node: Node = ['action', { type: 'set', epoch: this.#nextEpoch() }, [['presence', attrs, null]]];
    await this.#expectStatus(this.#sendNode(this.#connection.nextTag(), node, Metric.presence, presenceFlags[type]), 'setPresence');
  }

  /**
   * Subscribes to a user's presence; `presence` events follow (the current one at once).
   * @example
   * ```ts
   * client.on('presence', ({ jid, type }) => console.log(jid, type));
   * await client.subscribePresence('15550100004@c.us');
   * ```
   */
  async subscribePresence(jid: string): Promise<void> {
    const user = checkJid(jid);
    this.#requireOpen();
    await this.#expectStatus(this.#requestJson(['action', 'presence', 'subscribe', user]), 'subscribePresence');
  }

  /**
   * The URL of a user's or group's profile picture, or `undefined` when there is none.
   * @example
   * ```ts
   * const url = await client.profilePicture('15550100002@c.us');
   * ```
   */
  async profilePicture(jid: string): Promise<string | undefined> {
    const target = checkJid(jid);
    this.#requireOpen();
    const reply = await this.#requestJson(['query', 'ProfilePicThumb', target]);
    if (isRecord(reply) && typeof reply.eurl === 'string') return reply.eurl;
    if (statusOf(reply) === 404) return undefined;
    throw new RequestError('unexpected answer to ProfilePicThumb', statusOf(reply));
  }

  /**
   * A user's "about" text, or `undefined` when there is none.
   * @example
   * ```ts
   * await client.status('15550100002@c.us'); // 'Hiking somewhere ⛰'
   * ```
   */
  async status(jid: string): Promise<string | undefined> {
    const target = checkJid(jid);
    this.#requireOpen();
    const reply = await this.#requestJson(['query', 'Status', target]);
    if (isRecord(reply) && typeof reply.status === 'string') return reply.status;
    if (statusOf(reply) === 404) return undefined;
    throw new RequestError('unexpected answer to Status', statusOf(reply));
  }

  /**
   * Whether a number is on WhatsApp.
   * @example
   * ```ts
   * if (await client.exists('15550100002@c.us')) await client.sendText('15550100002@c.us', 'hi');
   * ```
   */
  async exists(jid: string): Promise<boolean> {
    const target = checkJid(jid);
    this.#requireOpen();
    const status = statusOf(await this.#requestJson(['query', 'exist', target]));
    if (status === 200) return true;
    if (status === 404) return false;
    throw new RequestError('unexpected answer to exist', status);
  }

  /**
   * A group's subject, owner, participants and description.
   * @throws RequestError with `status` 401 (not a member) or 404 (no such group).
   * @example
   * ```ts
   * const { subject, participants } = await client.groupMetadata('15550100001-1600000000@g.us');
   * ```
   */
  async groupMetadata(jid: string): Promise<GroupMetadata> {
    const group = checkJid(jid);
    this.#requireOpen();
    const reply = await this.#requestJson(['query', 'GroupMetadata', group]);
    if (!isRecord(reply) || typeof reply.id !== 'string' || !Array.isArray(reply.participants)) {
      throw new RequestError(`no metadata for ${group}`, statusOf(reply));
    }
    const metadata: GroupMetadata = {
      id: toChatJid(reply.id),
      participants: reply.participants.filter(isRecord).map((participant) => ({
        id: toChatJid(String(participant.id)),
        isAdmin: participant.isAdmin === true,
        isSuperAdmin: participant.isSuperAdmin === true,
      })),
    };
    if (typeof reply.owner === 'string') metadata.owner = toChatJid(reply.owner);
    if (typeof reply.subject === 'string') metadata.subject = reply.subject;
    if (typeof reply.creation === 'number') metadata.creation = reply.creation;
    if (typeof reply.desc === 'string') metadata.desc = reply.desc;
    if (typeof reply.descId === 'string') metadata.descId = reply.descId;
    if (typeof reply.descOwner === 'string') metadata.descOwner = toChatJid(reply.descOwner);
    if (typeof reply.descTime === 'number') metadata.descTime = reply.descTime;
    return metadata;
  }

  /**
   * Loads a page of a chat's history (`query type:message kind:before`).
   * @example
   * ```ts
   * const page = await client.loadMessages('15550100002@c.us', { count: 50 });
   * const older = await client.loadMessages('15550100002@c.us', { count: 50, before: page.messages[0]?.id });
   * ```
   */
  async loadMessages(jid: string, options: LoadMessagesOptions = {}): Promise<LoadedMessages> {
    const chat = checkJid(jid);
    const count = options.count ?? 20;
    if (!Number.isSafeInteger(count) || count < 1 || count > 300) throw new InvalidArgumentError('count must be an integer from 1 to 300');
    if (options.before !== undefined && (typeof options.before !== 'string' || options.before.length === 0)) {
      throw new InvalidArgumentError('before must be a message id');
    }
    this.#requireOpen();
    const attrs: Record<string, string> = { type: 'message', epoch: this.#nextEpoch(), jid: chat, kind: 'before', count: String(count) };
    if (options.before !== undefined) {
      attrs.index = options.before;
      attrs.owner = options.beforeFromMe === true ? 'true' : 'false';
    }
    const reply = await this.#sendNode(this.#connection.nextTag(), ['query', attrs, null], Metric.queryMessages, Flag.ignore);
    if (reply.kind !== 'node' || reply.node[0] !== 'action') {
      throw new RequestError(`no history for ${chat}`, reply.kind === 'json' ? statusOf(reply.json) : undefined);
    }
    const { messages, errors } = messagesFromNode(reply.node, reply.tag);
    for (const error of errors) this.#report(error);
    const events = messages.map((info) => messageEvent(info, 'before', this.#me?.wid));
    for (const event of events) this.#store.addMessage(event);
    return { messages: events, reachedStart: reply.node[1]?.last === 'true' };
  }

  /**
   * Asks the server whether the phone is reachable (`["admin","test"]`).
   * @example
   * ```ts
   * if (!(await client.isPhoneReachable())) console.log('phone offline: messages wait');
   * ```
   */
  async isPhoneReachable(): Promise<boolean> {
    this.#requireOpen();
    const reply = await this.#requestJson(['admin', 'test']);
    if (typeof reply !== 'boolean') throw new RequestError('unexpected answer to admin test');
    this.#phoneReachable = reply;
    return reply;
  }

  /**
   * The chat list, most recent first (a snapshot of the client's store).
   * @example
   * ```ts
   * for (const chat of client.chats()) console.log(chat.name ?? chat.jid, chat.unreadCount);
   * ```
   */
  chats(): Chat[] {
    return this.#store.chats();
  }

  /**
   * The contacts (a snapshot).
   * @example
   * ```ts
   * const names = client.contacts().map((contact) => contact.name ?? contact.notify ?? contact.jid);
   * ```
   */
  contacts(): Contact[] {
    return this.#store.contacts();
  }

  /**
   * The latest messages the client has seen in a chat, oldest first, with their current status.
   * @example
   * ```ts
   * client.messages('15550100002@c.us').at(-1)?.status; // 'READ'
   * ```
   */
  messages(jid: string): WebMessageInfo[] {
    return this.#store.messages(checkJid(jid));
  }

  /**
   * Resolves with the next payload of `event` (that passes `filter`). Only events from now on
   * count: check the snapshots (`chats()`, `me`, …) for what already happened.
   * @throws RequestError (as a rejection) when no such event comes within `timeoutMs`.
   * @example
   * ```ts
   * const receipt = await client.waitFor('receipt', { filter: (r) => r.id === sent.id && r.ack === 3 });
   * ```
   */
  waitFor<K extends keyof ClientEvents>(event: K, options: WaitForOptions<ClientEvents[K]> = {}): Promise<ClientEvents[K]> {
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const off = this.on(event, (payload) => {
        if (options.filter && !options.filter(payload)) return;
        off();
        clearTimeout(timer);
        resolve(payload);
      });
      const timer = setTimeout(() => {
        off();
        reject(new RequestError(`no ${String(event)} event within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  async #connect(): Promise<void> {
    try {
      const loaded = await this.#auth.load();
      // Custom stores hand back whatever they kept: check it before trusting it.
      const stored = loaded === undefined ? undefined : parseCredentials(loaded);
      await this.#connection.open();
      await this.#logIn(stored, 'takeover');
      await this.#saving;
    } catch (error) {
      this.#failLogin(error);
      if (this.#connection.state === 'open' || this.#connection.state === 'connecting') await this.#connection.close();
      await this.#saving;
      this.#state = 'closed';
      throw this.#closedByUser && !(error instanceof LoginError) ? new ClientClosedError('close() was called while connecting') : error;
    }
  }

  async #logIn(stored: Credentials | undefined, mode: 'takeover' | 'reconnect'): Promise<void> {
    this.#serverReason = undefined;
    this.#challengeTag = undefined;
    this.#epoch = 0;
    const clientId = stored?.clientId ?? toBase64(randomBytes(16));
    const init = await this.#loginRequest(['admin', 'init', this.#version, this.#browser, clientId, true], 'INIT_FAILED');
    if (statusOf(init) !== 200) throw new LoginError('INIT_FAILED', `admin init refused with status ${statusOf(init)}`, { status: statusOf(init) });
    if (stored) await this.#restore(stored, mode);
    else await this.#qrLogin(clientId, init as JsonRecord);
  }

  async #qrLogin(clientId: string, init: JsonRecord): Promise<void> {
    const keyPair = generateKeyPair();
    const done = this.#expectLogin({ via: 'qr', clientId, keyPair });
    const publicKey = toBase64(keyPair.publicKey);
    let attempt = 0;
    const show = (ref: string, ttl: number): void => {
      this.#logger.info('showing a QR code', { attempt, ttlMs: ttl });
      this.emit('qr', { qr: `${ref},${publicKey},${clientId}`, ttlMs: ttl, attempt });
      attempt += 1;
      arm(ttl);
    };
    const arm = (ms: number): void => {
      if (this.#refTimer !== undefined) clearTimeout(this.#refTimer);
      this.#refTimer = setTimeout(() => void reref(), ms);
    };
    const reref = async (): Promise<void> => {
      this.#refTimer = undefined;
      if (this.#login?.settled !== false) return;
      try {
        const reply = await this.#loginRequest(['admin', 'Conn', 'reref'], 'UNEXPECTED_STATUS');
        if (this.#login?.settled !== false) return;
        const status = statusOf(reply);
        if (status === 200 && isRecord(reply) && typeof reply.ref === 'string') show(reply.ref, ttlOf(reply));
        // 304: the current ref is still valid on the server's clock; ask again shortly.
        else if (status === 304) arm(1_000);
        else this.#failLogin(LoginError.fromStatus(status ?? 0));
      } catch (error) {
        this.#failLogin(error);
      }
    };
    if (typeof init.ref !== 'string') throw new LoginError('INIT_FAILED', 'admin init answered without a ref');
    show(init.ref, ttlOf(init));
    try {
      await done;
    } finally {
      if (this.#refTimer !== undefined) clearTimeout(this.#refTimer);
      this.#refTimer = undefined;
    }
  }

  async #restore(stored: Credentials, mode: 'takeover' | 'reconnect'): Promise<void> {
    this.#credentials = stored;
    // Pushes after the Conn are sealed with these keys: they must be in place before asking.
    this.#keys = { encKey: fromBase64(stored.encKey), macKey: fromBase64(stored.macKey) };
    const done = this.#expectLogin({ via: 'restore', clientId: stored.clientId });
    const args: unknown[] = ['admin', 'login', stored.clientToken, stored.serverToken, stored.clientId, mode];
    if (mode === 'reconnect') args.push(stored.wid);
    const reply = await this.#loginRequest(args, 'UNEXPECTED_STATUS');
    const status = statusOf(reply);
    if (status !== 200) {
      const useless = status === 401 || status === 419;
      if (useless) void this.#clearCredentials();
      const tos = isRecord(reply) && typeof reply.tos === 'number' ? reply.tos : undefined;
      this.#failLogin(LoginError.fromStatus(status ?? 0, { ...(tos !== undefined && { tos }), credentialsCleared: useless }));
    }
    const timer = setTimeout(
      () => this.#failLogin(new LoginError('LOGIN_TIMEOUT', `no Conn within ${this.#requestTimeoutMs} ms of admin login`)),
      this.#requestTimeoutMs,
    );
    try {
      await done;
    } finally {
      clearTimeout(timer);
    }
  }

  #expectLogin(details: { via: 'qr' | 'restore'; clientId: string; keyPair?: KeyPair }): Promise<void> {
    this.#login?.reject(new ClientClosedError('a new login replaced this one'));
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Failures may come before anyone awaits (e.g. a refused challenge while admin login is pending).
    promise.catch(() => undefined);
    const login: PendingLogin = {
      ...details,
      challenged: false,
      settled: false,
      resolve: () => {
        if (login.settled) return;
        login.settled = true;
        resolve();
      },
      reject: (error) => {
        if (login.settled) return;
        login.settled = true;
        reject(error);
      },
    };
    this.#login = login;
    return promise;
  }

  #failLogin(error: unknown): void {
    const login = this.#login;
    if (!login || login.settled) return;
    this.#login = undefined;
    login.reject(error);
  }

  #onFrame(frame: ParsedFrame): void {
    if (frame.kind === 'json') {
      if (frame.tag === this.#challengeTag) this.#onChallengeAnswer(frame.json);
      else this.#onJson(frame.json);
    } else if (frame.kind === 'binary') {
      const node = this.#openNode(frame.tag, frame.payload);
      if (node) this.#onNode(frame.tag, node);
    }
  }

  #onJson(json: unknown): void {
    if (!Array.isArray(json) || typeof json[0] !== 'string') return;
    const [kind, body] = json as [string, unknown];
    switch (kind) {
      case 'Conn':
        if (isRecord(body)) this.#onConn(body);
        return;
      case 'Cmd':
        if (isRecord(body)) this.#onCmd(body);
        return;
      case 'Msg':
      case 'MsgInfo':
        for (const receipt of receiptsFromAck(body)) {
          this.#store.applyReceipt(receipt);
          this.emit('receipt', receipt);
        }
        return;
      case 'Presence': {
        const update = presenceFromJson(body);
        if (update) this.emit('presence', update);
        return;
      }
      case 'Pong':
        if (typeof body === 'boolean') {
          this.#phoneReachable = body;
          this.emit('phone', { reachable: body });
        }
        return;
      default:
        this.#logger.debug('ignored a JSON push', { kind });
    }
  }

  #onConn(conn: JsonRecord): void {
    const login = this.#login;
    if (typeof conn.secret === 'string') {
      if (!login?.keyPair) {
        this.#logger.warn('ignored a Conn with a secret nobody asked for');
        return;
      }
      try {
        this.#keys = deriveSessionKeys({ secret: fromBase64(conn.secret), privateKey: login.keyPair.privateKey });
      } catch (cause) {
        this.#failLogin(new LoginError('SECRET_MISMATCH', 'the Conn secret failed its check; login aborted', { cause }));
        return;
      }
    }
    const keys = this.#keys;
    if (!keys) return;
    const wid = typeof conn.wid === 'string' ? toChatJid(conn.wid) : this.#credentials?.wid;
    if (wid === undefined) return;
    if (typeof conn.clientToken === 'string' && typeof conn.serverToken === 'string') {
      const credentials: Credentials = {
        clientId: login?.clientId ?? this.#credentials?.clientId ?? '',
        clientToken: conn.clientToken,
        serverToken: conn.serverToken,
        encKey: toBase64(keys.encKey),
        macKey: toBase64(keys.macKey),
        wid,
        browser: [...this.#browser],
      };
      if (typeof conn.browserToken === 'string') credentials.browserToken = conn.browserToken;
      this.#credentials = credentials;
      this.#persist(credentials);
    }
    const me: OpenInfo = { wid, via: login?.via ?? this.#me?.via ?? 'restore', challenged: login?.challenged ?? false };
    if (typeof conn.pushname === 'string') me.pushname = conn.pushname;
    if (typeof conn.platform === 'string') me.platform = conn.platform;
    if (typeof conn.battery === 'number') me.battery = conn.battery;
    if (typeof conn.plugged === 'boolean') me.plugged = conn.plugged;
    if (isRecord(conn.phone)) me.phone = { ...conn.phone };
    this.#me = me;
    if (!login || login.settled) return;
    // Logged in: from here sealed frames flow. Done synchronously so the pushes right behind the
    // Conn find the client open.
    this.#login = undefined;
    this.#state = 'open';
    this.#connection.startKeepAlive();
    this.#reconnectPolicy?.reset();
    this.#armInitialSync();
    this.#logger.info('logged in', { wid, via: me.via, challenged: me.challenged });
    login.resolve();
    this.emit('open', { ...me });
  }

  #onCmd(cmd: JsonRecord): void {
    if (cmd.type === 'challenge' && typeof cmd.challenge === 'string') {
      this.#answerChallenge(cmd.challenge);
    } else if (cmd.type === 'disconnect') {
      this.#serverReason = cmd.kind === 'replaced' ? 'replaced' : 'unpaired';
      this.#logger.info('the server ends the session', { reason: this.#serverReason });
      if (this.#serverReason === 'unpaired') {
        this.#credentials = undefined;
        void this.#clearCredentials();
      }
    }
  }

  #answerChallenge(challenge: string): void {
    const login = this.#login;
    const credentials = this.#credentials;
    const keys = this.#keys;
    if (!login || login.settled || login.via !== 'restore' || !credentials || !keys) {
      this.#logger.warn('ignored a challenge outside a restore');
      return;
    }
    login.challenged = true;
    this.#logger.info('answering the restore challenge');
    let answer: string;
    try {
      answer = toBase64(signChallenge(keys.macKey, fromBase64(challenge)));
    } catch (cause) {
      this.#failLogin(new LoginError('CHALLENGE_FAILED', 'the challenge is not Base64', { cause }));
      return;
    }
    // Sent without a pending request so the answer arrives as a frame and is handled at once: a
    // refusing server closes right behind its answer, and the refusal must win over the close.
    const tag = this.#connection.nextTag();
    this.#challengeTag = tag;
    try {
      this.#connection.send(serializeJson(tag, ['admin', 'challenge', answer, credentials.serverToken, credentials.clientId]));
    } catch (cause) {
      this.#failLogin(new DisconnectedError(1006, 'could not send the challenge answer', { cause }));
    }
  }

  #onChallengeAnswer(json: unknown): void {
    this.#challengeTag = undefined;
    const status = statusOf(json);
    if (status === 200) return;
    void this.#clearCredentials();
    this.#failLogin(new LoginError('CHALLENGE_FAILED', `the challenge answer was refused with status ${status}`, { status, credentialsCleared: true }));
  }

  #onNode(tag: string, node: Node): void {
    const [description, attrs] = node;
    if (description === 'response') {
      const children = Array.isArray(node[2]) ? node[2] : [];
      if (attrs?.type === 'chat') {
        this.#store.setChats(children.map(chatFromNode).filter((chat): chat is Chat => chat !== undefined));
        this.emit('chats', this.#store.chats());
      } else if (attrs?.type === 'contacts') {
        this.#store.setContacts(children.map(contactFromNode).filter((contact): contact is Contact => contact !== undefined));
        this.emit('contacts', this.#store.contacts());
      }
      return;
    }
    const add = attrs?.add;
    if (description === 'action' && (add === 'relay' || add === 'last' || add === 'before' || add === 'update')) {
      const { messages, errors } = messagesFromNode(node, tag);
      for (const error of errors) this.#report(error);
      let chatsChanged = false;
      for (const info of messages) {
        const event = messageEvent(info, add as MessageSource, this.#me?.wid);
        if (this.#store.addMessage(event)) chatsChanged = true;
        this.emit('message', event);
      }
      if (chatsChanged) this.emit('chats', this.#store.chats());
      return;
    }
    this.#logger.debug('ignored a binary node', { tag, description });
  }

  #onClose(info: CloseInfo): void {
    for (const timer of [this.#refTimer, this.#syncTimer]) if (timer !== undefined) clearTimeout(timer);
    this.#refTimer = undefined;
    this.#syncTimer = undefined;
    const reason: DisconnectReason = this.#closedByUser
      ? this.#localReason
      : (this.#serverReason ?? (info.error?.code === 'KEEPALIVE_TIMEOUT' ? 'keep-alive-timeout' : 'connection-lost'));
    this.#failLogin(this.#closedByUser ? new ClientClosedError() : new DisconnectedError(info.code, `the connection closed (${reason}, code ${info.code})`));
    if (this.#state !== 'open') return;
    const reconnecting =
      !this.#closedByUser && this.#reconnectPolicy !== undefined && this.#credentials !== undefined && (reason === 'connection-lost' || reason === 'keep-alive-timeout');
    this.#logger.info('disconnected', { reason, code: info.code, reconnecting });
    if (!this.#closedByUser) this.emit('disconnected', { reason, code: info.code, reconnecting });
    if (reconnecting) {
      this.#state = 'reconnecting';
      this.#scheduleReconnect(info.code);
    } else {
      this.#finish(reason, info.code);
    }
  }

  #scheduleReconnect(code: number): void {
    const delay = this.#reconnectPolicy?.next();
    if (delay === undefined) {
      this.#finish('connection-lost', code);
      return;
    }
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#reconnect(code);
    }, delay);
  }

  async #reconnect(code: number): Promise<void> {
    const credentials = this.#credentials;
    if (this.#closedByUser || !credentials) return;
    this.#logger.info('reconnecting');
    this.#state = 'connecting';
    try {
      await this.#connection.open();
      await this.#logIn(credentials, 'reconnect');
    } catch (error) {
      if (this.#connection.state === 'open') await this.#connection.close();
      if (this.#closedByUser) return;
      this.#state = 'reconnecting';
      if (error instanceof LoginError) {
        this.#report(error);
        this.#finish('connection-lost', code);
      } else {
        this.#scheduleReconnect(code);
      }
    }
  }

  #finish(reason: DisconnectReason, code: number): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.emit('close', { reason, code });
  }

  #armInitialSync(): void {
    if (this.#syncTimer !== undefined) clearTimeout(this.#syncTimer);
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = undefined;
      if (this.#state !== 'open') return;
      // FACTS.md: a web client asks for what was not pushed after a while.
      for (const [type, metric, have] of [
        ['chat', Metric.queryChat, this.#store.hasChatList],
        ['contacts', Metric.queryContacts, this.#store.hasContacts],
      ] as const) {
        if (have) continue;
        this.#logger.info('asking for a list the server did not push', { type });
        this.#sendNode(this.#connection.nextTag(), ['query', { type, epoch: this.#nextEpoch() }, null], metric, Flag.ignore).then(
          (reply) => reply.kind === 'node' && this.#onNode(reply.tag, reply.node),
          (error: unknown) => this.#logger.warn('initial sync query failed', { type, error: (error as Error).message }),
        );
      }
    }, this.#initialSyncTimeoutMs);
  }

  #openNode(tag: string, payload: Uint8Array): Node | undefined {
    const keys = this.#keys;
    if (!keys) {
      this.#report(new FrameError('NO_KEYS', 'a sealed frame arrived before the session keys', tag));
      return undefined;
    }
    let plain: Uint8Array;
    try {
      plain = openFrame(keys, payload);
    } catch (cause) {
      const code = (cause as { code?: string }).code === 'FRAME_AUTH' ? 'BAD_HMAC' : 'UNDECRYPTABLE';
      this.#report(new FrameError(code, code === 'BAD_HMAC' ? 'a sealed frame failed its HMAC check; skipped' : 'a sealed frame did not decrypt; skipped', tag, { cause }));
      return undefined;
    }
    try {
      return decode(plain);
    } catch (cause) {
      this.#report(new FrameError('UNDECODABLE', 'a decrypted frame is not a binary node; skipped', tag, { cause }));
      return undefined;
    }
  }

  #report(error: WAClientError): void {
    if (error instanceof FrameError) {
      this.#logger.warn('skipped an incoming frame', { code: error.code, tag: error.tag });
      this.emit('frame-error', error);
    } else {
      this.#logger.error('background failure', { code: error.code, message: error.message });
      this.emit('error', error);
    }
  }

  #persist(credentials: Credentials): void {
    this.#saving = this.#saving.then(
      () =>
        this.#auth.save(credentials).then(
          () => this.emit('credentials', { ...credentials, browser: [...credentials.browser] }),
          (cause: unknown) => this.#report(cause instanceof WAClientError ? cause : new AuthStoreError('saving the credentials failed', { cause })),
        ),
    );
  }

  /** Queued behind any save in flight, so a late save can never bring cleared credentials back. */
  #clearCredentials(): Promise<void> {
    this.#saving = this.#saving.then(() =>
      this.#auth.clear().catch((cause: unknown) => {
        this.#report(cause instanceof WAClientError ? cause : new AuthStoreError('clearing the credentials failed', { cause }));
      }),
    );
    return this.#saving;
  }

  #quoted(quoted: WebMessageInfo | QuotedMessage): QuotedMessage {
    if (!('key' in quoted)) return quoted;
    const id = quoted.key.id;
    if (id === undefined) throw new InvalidArgumentError('the quoted message has no key.id');
    const me = this.#me?.wid;
    const author = quoted.key.fromMe ? me : (quoted.key.participant ?? quoted.participant ?? quoted.key.remoteJid);
    if (author === undefined) throw new InvalidArgumentError('cannot tell who wrote the quoted message');
    const result: QuotedMessage = { id, participant: toProtoJid(toChatJid(author)) };
    if (quoted.message !== undefined) result.message = quoted.message;
    return result;
  }

  #nextEpoch(): string {
    this.#epoch += 1;
    return String(this.#epoch);
  }

  #requireOpen(): void {
    if (this.#state === 'open' && this.#keys) return;
    if (this.#closedByUser || this.#state === 'closed') throw new ClientClosedError();
    throw new NotLoggedInError();
  }

  /**
   * A request of the login, whose failures `connect()` reports as {@link LoginError}s: no answer
   * in time is `LOGIN_TIMEOUT`, an answer that is not JSON is `malformed`.
   */
  async #loginRequest(value: unknown[], malformed: LoginErrorCode): Promise<unknown> {
    const what = `admin ${String(value[1])}`;
    try {
      return await this.#requestJson(value);
    } catch (error) {
      if (error instanceof RequestTimeoutError) throw new LoginError('LOGIN_TIMEOUT', `${what} was not answered within ${error.timeoutMs} ms`, { cause: error });
      if (error instanceof RequestError) throw new LoginError(malformed, `${what} was answered with a malformed frame`, { cause: error });
      throw error;
    }
  }

  async #requestJson(value: unknown): Promise<unknown> {
    const frame = serializeJson(this.#connection.nextTag(), value);
    const reply = await this.#request(frame);
    if (reply.kind !== 'json') throw new RequestError(`expected a JSON answer, got a ${reply.kind} frame`);
    return reply.json;
  }

  /** Seals `node` and sends it under `tag`; the answer is JSON (a status) or a sealed node. */
  async #sendNode(
    tag: string,
    node: Node,
    metric: number,
    flag: number,
  ): Promise<{ kind: 'json'; json: unknown } | { kind: 'node'; tag: string; node: Node }> {
    const keys = this.#keys;
    if (!keys) throw new NotLoggedInError();
    const frame = serializeBinary(tag, sealFrame(keys, encode(node)), { metric, flag });
    const reply = await this.#request(frame);
    if (reply.kind === 'json') return { kind: 'json', json: reply.json };
    if (reply.kind !== 'binary') throw new RequestError(`unexpected ${reply.kind} frame under ${tag}`);
    const answer = this.#openNode(reply.tag, reply.payload);
    if (!answer) throw new FrameError('UNDECODABLE', `the answer under ${tag} could not be read`, tag);
    return { kind: 'node', tag: reply.tag, node: answer };
  }

  async #request(frame: string | Uint8Array): Promise<ParsedFrame> {
    try {
      return await this.#connection.request(frame, { timeoutMs: this.#requestTimeoutMs });
    } catch (error) {
      if (error instanceof ConnectionClosedError) {
        if (this.#closedByUser) throw new ClientClosedError();
        throw new DisconnectedError(error.closeCode, `the connection closed while waiting (code ${error.closeCode})`, { cause: error });
      }
      if (error instanceof NotConnectedError) throw this.#closedByUser ? new ClientClosedError() : new NotLoggedInError('not connected');
      // The answer under our tag did not parse (the frame-error event reported it too).
      if (error instanceof TransportFrameError) throw new RequestError(`the answer was malformed: ${error.message}`, undefined, { cause: error });
      throw error;
    }
  }

  async #expectStatus(reply: Promise<unknown>, what: string): Promise<void> {
    const answer = await reply;
    const json = isRecord(answer) && answer.kind === 'json' ? answer.json : answer;
    const status = statusOf(json);
    if (status !== 200) throw new RequestError(`${what} was answered with status ${status}`, status);
  }
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusOf(value: unknown): number | undefined {
  return isRecord(value) && typeof value.status === 'number' ? value.status : undefined;
}

/** Longer timer delays overflow setTimeout's 32 bits and fire at once (a reref storm). */
const MAX_TIMER_MS = 2_147_483_647;

function ttlOf(reply: JsonRecord): number {
  return typeof reply.ttl === 'number' && reply.ttl > 0 && reply.ttl <= MAX_TIMER_MS ? reply.ttl : 20_000;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return value;
}
