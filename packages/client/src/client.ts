/**
 * `WAClient`: log in (QR or stored credentials), keep the session, receive chats, contacts,
 * messages, receipts and presence, and send messages and queries. The class is the facade: it
 * holds the options and the shared {@link ClientContext}, and its methods delegate to the modules
 * that do the work (`login/`, `incoming.ts`, `outgoing.ts`, `messaging.ts`, `queries.ts`,
 * `presence.ts`, `session-end.ts`, `reconnect.ts`).
 * @module
 */
import type { WebMessageInfo } from '@wa/proto';
import { TypedEmitter } from '@wa/transport';
import { failQueuedSends, markClosed, report, requireOpen, type ClientContext } from './context.js';
import { parseCredentials } from './credentials.js';
import { ClientClosedError, DisconnectedError, FrameError, InvalidArgumentError, LoginError, RequestError } from './errors.js';
import { onFrame } from './incoming.js';
import { checkJid } from './jid.js';
import { logIn } from './login/log-in.js';
import { failLogin } from './login/pending-login.js';
import { clearSavedCredentials } from './login/saved-credentials.js';
import * as media from './media.js';
import * as messaging from './messaging.js';
import { resolveOptions, type WAClientOptions } from './options.js';
import { requestJson } from './outgoing.js';
import * as presence from './presence.js';
import * as queries from './queries.js';
import { statusOf } from './replies.js';
import { onConnectionClose } from './session-end.js';
import { ChatStore } from './store.js';
import { MAX_TIMER_MS, Timers } from './timers.js';
import type { Chat, ClientEvents, ClientState, Contact, OpenInfo, PresenceType } from './types.js';

/** Options of {@link WAClient.waitFor}. */
export interface WaitForOptions<T> {
  /** Only a payload for which this returns true counts. */
  filter?: (payload: T) => boolean;
  /** Reject after this many ms; `Infinity` (or anything beyond 2^31−1) waits forever. Default: the client's `requestTimeoutMs`. */
  timeoutMs?: number;
}

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
  readonly #context: ClientContext;
  #connecting: Promise<void> | undefined;

  /**
   * @throws InvalidArgumentError for malformed options.
   * @example
   * ```ts
   * const client = new WAClient({ url: 'ws://127.0.0.1:8080/ws', browser: ['My bot', 'Bot', '1.0'] });
   * ```
   */
  constructor(options: WAClientOptions = {}) {
    super();
    const { url, ...settings } = resolveOptions(options);
    this.url = url;
    const context: ClientContext = {
      ...settings,
      store: new ChatStore(),
      timers: new Timers(),
      emit: (event, payload) => this.emit(event, payload),
      state: 'idle',
      login: undefined,
      keys: undefined,
      credentials: undefined,
      me: undefined,
      keyCheck: undefined,
      sessionError: undefined,
      epoch: 0,
      saving: Promise.resolve(),
      closedByUser: false,
      localReason: 'closed',
      serverReason: undefined,
      challengeTag: undefined,
      phoneReachable: true,
      mediaConn: undefined,
      resume: undefined,
      queued: [],
      sendingIds: new Set(),
    };
    this.#context = context;
    context.connection.on('frame', (frame) => onFrame(context, frame));
    context.connection.on('frame-error', (error) => report(context, new FrameError('UNPARSABLE', error.message, error.tag, { cause: error })));
    context.connection.on('close', (info) => onConnectionClose(context, info));
  }

  /** Where the client is in its life. */
  get state(): ClientState {
    return this.#context.state;
  }

  /** Who is logged in, once `open`. */
  get me(): OpenInfo | undefined {
    const me = this.#context.me;
    return me === undefined ? undefined : { ...me };
  }

  /** Whether the phone was reachable at the last `["Pong",…]` (true until told otherwise). */
  get phoneReachable(): boolean {
    return this.#context.phoneReachable;
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
    const context = this.#context;
    if (context.state === 'open') return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    context.closedByUser = false;
    context.localReason = 'closed';
    context.reconnectPolicy?.reset();
    context.timers.clear('reconnect');
    // A connect() of the caller's replaces a run of automatic reconnects; queued sends go out when it succeeds.
    context.resume = undefined;
    context.state = 'connecting';
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
    const context = this.#context;
    context.closedByUser = true;
    failLogin(context, new ClientClosedError('close() was called while logging in'));
    context.timers.clear('reconnect');
    // Between attempts or during one: either way no socket of a session is left to report the close.
    const wasReconnecting = context.resume !== undefined || context.state === 'reconnecting';
    await context.connection.close();
    if (wasReconnecting) markClosed(context, context.localReason, 1000);
    failQueuedSends(context, context.localReason);
    if (context.state !== 'closed' && context.state !== 'idle') context.state = 'closed';
    await context.saving;
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
    const context = this.#context;
    requireOpen(context);
    context.closedByUser = true;
    context.localReason = 'logged-out';
    try {
      const status = statusOf(await requestJson(context, ['admin', 'Conn', 'disconnect']));
      if (status !== 200) context.logger.warn('logout answered with an unexpected status', { status });
    } catch (error) {
      // The server closes right after its answer; a close that overtakes the answer is fine.
      if (!(error instanceof ClientClosedError || error instanceof DisconnectedError)) throw error;
    }
    context.keys = undefined;
    context.credentials = undefined;
    context.store.reset();
    await clearSavedCredentials(context);
    await this.close();
  }

  /**
   * Sends a text message and resolves when the server acknowledged it (`{"status":200}` under
   * the message id). Delivery and read acks follow as `receipt` events. While the client
   * reconnects by itself the message waits in the send queue (`sendQueue` option); a message
   * whose socket dropped before the ack is sent again under the same id once the session is back.
   * Delivery is at least once, and the server's dedup by id makes it effectively once: retry a
   * failed send with `SendError.retry()` or `{ id: error.id }`, never as a new message.
   * @throws InvalidArgumentError (nothing is sent; also for an `id` of another shape than `3EB0`
   * + 16 upper-case hex digits, or one that is being sent), NotLoggedInError before `connect()`
   * finished, ClientClosedError after `close()`, SendError (`SEND_TIMEOUT`, `SEND_QUEUE_FULL`,
   * `SEND_QUEUE_TIMEOUT`, `SEND_INTERRUPTED`, with `id` and `retry()`), RequestError (another status).
   * @example
   * ```ts
   * const sent = await client.sendText('15550100002@c.us', 'See you at 10!');
   * const reply = await client.sendText(event.chat, 'Yes!', { quoted: event.info });
   * try { await client.sendText(jid, 'hi'); } catch (error) {
   *   if (error instanceof SendError) await error.retry(); // same id: delivered once
   * }
   * ```
   */
  sendText(jid: string, text: string, options: messaging.SendTextOptions = {}): Promise<messaging.SentMessage> {
    return messaging.sendText(this.#context, jid, text, options);
  }

  /**
   * Sends an image, video, audio, document or sticker: encrypts the file with a fresh media key,
   * uploads the blob to a host of `["query","mediaConn"]` (credentials reused until their `ttl`),
   * then relays the media message like {@link WAClient.sendText}, with the same result and the
   * same `receipt` events.
   * Waits in the send queue while the client reconnects, like `sendText`, and takes the same `id` option.
   * @throws InvalidArgumentError (nothing is sent), NotLoggedInError, MediaError
   * (`MEDIA_CONN_FAILED`, `UPLOAD_FAILED` with the HTTP `status`), SendError (as `sendText`), RequestError.
   * @example
   * ```ts
   * const sent = await client.sendMedia('15550100002@c.us', jpeg, { type: 'image', mimetype: 'image/jpeg', caption: 'Summit!' });
   * await client.sendMedia(chat, pdf, { type: 'document', mimetype: 'application/pdf', fileName: 'plan.pdf' });
   * ```
   */
  sendMedia(jid: string, file: Uint8Array, options: media.SendMediaOptions): Promise<messaging.SentMessage> {
    return media.sendMedia(this.#context, jid, file, options);
  }

  /**
   * Downloads, verifies and decrypts the media of a message (a `message` event, a
   * `WebMessageInfo` or a `Message`). Only needs the session when the message has a direct path
   * but no URL.
   * @throws MediaError: `NO_MEDIA`, `DOWNLOAD_FAILED` (with the HTTP `status`), `INTEGRITY`
   * (its `cause` is `@wa/crypto`'s `MediaIntegrityError`: a changed blob is never decrypted).
   * @example
   * ```ts
   * client.on('message', async (event) => {
   *   if (mediaInfo(event)?.type === 'image') await writeFile('photo.jpg', await client.downloadMedia(event));
   * });
   * ```
   */
  downloadMedia(message: media.MediaSource): Promise<Uint8Array> {
    return media.downloadMedia(this.#context, message);
  }

  /**
   * Marks a chat read up to `messageId` (the sender gets blue ticks).
   * @throws NotLoggedInError, InvalidArgumentError, RequestError.
   * @example
   * ```ts
   * client.on('message', (m) => m.source === 'relay' && !m.fromMe && client.markRead(m.chat, m.id));
   * ```
   */
  markRead(jid: string, messageId: string, options: messaging.MarkReadOptions = {}): Promise<void> {
    return messaging.markRead(this.#context, jid, messageId, options);
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
  setPresence(type: PresenceType, jid?: string): Promise<void> {
    return presence.setPresence(this.#context, type, jid);
  }

  /**
   * Subscribes to a user's presence; `presence` events follow (the current one at once).
   * @example
   * ```ts
   * client.on('presence', ({ jid, type }) => console.log(jid, type));
   * await client.subscribePresence('15550100004@c.us');
   * ```
   */
  subscribePresence(jid: string): Promise<void> {
    return presence.subscribePresence(this.#context, jid);
  }

  /**
   * The URL of a user's or group's profile picture, or `undefined` when there is none.
   * @example
   * ```ts
   * const url = await client.profilePicture('15550100002@c.us');
   * ```
   */
  profilePicture(jid: string): Promise<string | undefined> {
    return queries.profilePicture(this.#context, jid);
  }

  /**
   * A user's "about" text, or `undefined` when there is none.
   * @example
   * ```ts
   * await client.status('15550100002@c.us'); // 'Hiking somewhere ⛰'
   * ```
   */
  status(jid: string): Promise<string | undefined> {
    return queries.status(this.#context, jid);
  }

  /**
   * Whether a number is on WhatsApp.
   * @example
   * ```ts
   * if (await client.exists('15550100002@c.us')) await client.sendText('15550100002@c.us', 'hi');
   * ```
   */
  exists(jid: string): Promise<boolean> {
    return queries.exists(this.#context, jid);
  }

  /**
   * A group's subject, owner, participants and description.
   * @throws RequestError with `status` 401 (not a member) or 404 (no such group).
   * @example
   * ```ts
   * const { subject, participants } = await client.groupMetadata('15550100001-1600000000@g.us');
   * ```
   */
  groupMetadata(jid: string): Promise<queries.GroupMetadata> {
    return queries.groupMetadata(this.#context, jid);
  }

  /**
   * Loads a page of a chat's history (`query type:message kind:before`).
   * @example
   * ```ts
   * const page = await client.loadMessages('15550100002@c.us', { count: 50 });
   * const older = await client.loadMessages('15550100002@c.us', { count: 50, before: page.messages[0]?.id });
   * ```
   */
  loadMessages(jid: string, options: queries.LoadMessagesOptions = {}): Promise<queries.LoadedMessages> {
    return queries.loadMessages(this.#context, jid, options);
  }

  /**
   * Asks the server whether the phone is reachable (`["admin","test"]`).
   * @example
   * ```ts
   * if (!(await client.isPhoneReachable())) console.log('phone offline: messages wait');
   * ```
   */
  isPhoneReachable(): Promise<boolean> {
    return queries.isPhoneReachable(this.#context);
  }

  /**
   * The chat list, most recent first (a snapshot of the client's store).
   * @example
   * ```ts
   * for (const chat of client.chats()) console.log(chat.name ?? chat.jid, chat.unreadCount);
   * ```
   */
  chats(): Chat[] {
    return this.#context.store.chats();
  }

  /**
   * The contacts (a snapshot).
   * @example
   * ```ts
   * const names = client.contacts().map((contact) => contact.name ?? contact.notify ?? contact.jid);
   * ```
   */
  contacts(): Contact[] {
    return this.#context.store.contacts();
  }

  /**
   * The latest messages the client has seen in a chat, oldest first, with their current status.
   * @example
   * ```ts
   * client.messages('15550100002@c.us').at(-1)?.status; // 'READ'
   * ```
   */
  messages(jid: string): WebMessageInfo[] {
    return this.#context.store.messages(checkJid(jid));
  }

  /**
   * Resolves with the next payload of `event` (that passes `filter`). Only events from now on
   * count: check the snapshots (`chats()`, `me`, …) for what already happened.
   * @throws RequestError (as a rejection) when no such event comes within `timeoutMs`;
   * InvalidArgumentError for a `timeoutMs` that is not a positive number.
   * @example
   * ```ts
   * const receipt = await client.waitFor('receipt', { filter: (r) => r.id === sent.id && r.ack === 3 });
   * ```
   */
  waitFor<K extends keyof ClientEvents>(event: K, options: WaitForOptions<ClientEvents[K]> = {}): Promise<ClientEvents[K]> {
    const timeoutMs = options.timeoutMs ?? this.#context.requestTimeoutMs;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
      return Promise.reject(new InvalidArgumentError('timeoutMs must be a positive number of ms or Infinity'));
    }
    return new Promise((resolve, reject) => {
      const off = this.on(event, (payload) => {
        if (options.filter && !options.filter(payload)) return;
        off();
        clearTimeout(timer);
        resolve(payload);
      });
      // setTimeout would fire a longer delay (Infinity included) at once: such a wait has no limit.
      const timer =
        timeoutMs > MAX_TIMER_MS
          ? undefined
          : setTimeout(() => {
              off();
              reject(new RequestError(`no ${String(event)} event within ${timeoutMs} ms`));
            }, timeoutMs);
    });
  }

  async #connect(): Promise<void> {
    const context = this.#context;
    try {
      const loaded = await context.auth.load();
      // Custom stores hand back whatever they kept: check it before trusting it.
      const stored = loaded === undefined ? undefined : parseCredentials(loaded);
      await context.connection.open();
      await logIn(context, stored, 'takeover');
      await context.saving;
      // Wrong stored keys found while the credentials were being saved: the session is over.
      if (context.sessionError) throw context.sessionError;
    } catch (error) {
      failLogin(context, error);
      if (context.connection.state === 'open' || context.connection.state === 'connecting') await context.connection.close();
      await context.saving;
      context.state = 'closed';
      failQueuedSends(context, context.closedByUser ? context.localReason : 'connection-lost', error instanceof Error ? error : undefined);
      throw context.closedByUser && !(error instanceof LoginError) ? new ClientClosedError('close() was called while connecting') : error;
    }
  }
}
