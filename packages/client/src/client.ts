/**
 * `WAClient`: log in (QR or stored credentials), keep the session, receive chats, contacts,
 * messages, receipts and presence, and send messages and queries. The class is the facade: it
 * holds the options and the shared {@link ClientContext}, and its methods delegate to the modules
 * that do the work (`login/`, `incoming.ts`, `outgoing.ts`, `messaging.ts`, `queries.ts`,
 * `presence.ts`, `session-end.ts`, `reconnect.ts`).
 * @module
 */
import type { Message, MessageInput, WebMessageInfo } from '@wa/proto';
import { TypedEmitter } from '@wa/transport';
import * as blocking from './blocking.js';
import * as chatActions from './chat-actions.js';
import { failQueuedSends, markClosed, report, type ClientContext } from './context.js';
import { whenRequestable } from './send-queue.js';
import { parseCredentials } from './credentials.js';
import { ClientClosedError, DisconnectedError, FrameError, InvalidArgumentError, LoginError, RequestError } from './errors.js';
import { onFrame } from './incoming.js';
import { checkJid } from './jid.js';
import { logIn } from './login/log-in.js';
import { failLogin } from './login/pending-login.js';
import { clearSavedCredentials } from './login/saved-credentials.js';
import * as groups from './groups.js';
import type { GroupInfo } from './group-store.js';
import * as history from './history.js';
import * as lastSeen from './last-seen.js';
import * as media from './media.js';
import * as mediaRefresh from './media-refresh.js';
import * as messageInfo from './message-info.js';
import * as linkPreviews from './link-preview.js';
import * as messageActions from './message-actions.js';
import * as disappearing from './disappearing-messages.js';
import type * as messageContent from './message-content.js';
import type * as messageDetails from './message-details.js';
import * as messageKinds from './message-kinds.js';
import * as messaging from './messaging.js';
import { resolveOptions, type WAClientOptions } from './options.js';
import { requestJson } from './outgoing.js';
import * as presence from './presence.js';
import * as profile from './profile.js';
import * as queries from './queries.js';
import * as search from './search.js';
import { statusOf } from './replies.js';
import { onConnectionClose } from './session-end.js';
import { ChatStore } from './store.js';
import { MAX_TIMER_MS, Timers } from './timers.js';
import type { BatteryStatus, Chat, ClientEvents, ClientState, Contact, MessageEvent, OpenInfo, PresenceType } from './types.js';

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
      listens: (event) => this.listenerCount(event) > 0,
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
   * auth store is cleared and the client closes. While the client reconnects by itself, it
   * waits for the session first (see the `sendQueue` option).
   * @throws NotLoggedInError when not logged in.
   * @example
   * ```ts
   * await client.logout();
   * ```
   */
  async logout(): Promise<void> {
    const context = this.#context;
    await whenRequestable(context);
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
   * but no URL, or when its URL expired: on a 404 or 410 from the media host it asks for a fresh
   * URL once ({@link WAClient.refreshMediaUrl}, for a message event or `WebMessageInfo`) and tries again.
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
   * Sends any `Message` content: the general entry point beside the typed helpers (what they do
   * not cover, e.g. a `groupInviteMessage`). Quotes and mentions go into the content's
   * `contextInfo`; a chat with disappearing messages on gets the `ephemeralMessage` wrapper.
   * Same acks, queueing, `id` option and errors as {@link WAClient.sendText}.
   * @throws InvalidArgumentError for content that is no valid `Message` (nothing is sent), and as `sendText`.
   * @example
   * ```ts
   * await client.sendMessage('15550100002@c.us', { groupInviteMessage: { groupJid, inviteCode, groupName: 'Climbing' } });
   * ```
   */
  sendMessage(jid: string, content: MessageInput, options: messageKinds.SendMessageOptions = {}): Promise<messaging.SentMessage> {
    return messageKinds.sendMessage(this.#context, jid, content, options);
  }

  /**
   * Sends a location (`locationMessage`: coordinates, name, address, URL, comment, JPEG thumbnail).
   * @throws InvalidArgumentError for coordinates out of range, and as `sendText`.
   * @example
   * ```ts
   * await client.sendLocation('15550100002@c.us', { latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor' });
   * ```
   */
  sendLocation(jid: string, location: messageContent.LocationOptions, options: messageKinds.SendMessageOptions = {}): Promise<messaging.SentMessage> {
    return messageKinds.sendLocation(this.#context, jid, location, options);
  }

  /**
   * Starts sharing a live location (`liveLocationMessage`, sequence number 1); move it with
   * {@link WAClient.updateLiveLocation}.
   * @example
   * ```ts
   * let share = await client.sendLiveLocation(chat, { latitude: 52.52, longitude: 13.40, caption: 'on my way' });
   * share = await client.updateLiveLocation(share, { latitude: 52.53, longitude: 13.41 });
   * ```
   */
  sendLiveLocation(jid: string, position: messageContent.LiveLocationOptions, options: messageKinds.SendMessageOptions = {}): Promise<messageKinds.LiveLocationShare> {
    return messageKinds.sendLiveLocation(this.#context, jid, position, options);
  }

  /**
   * Moves a live location share: the next `liveLocationMessage` with a higher `sequenceNumber`
   * and the seconds since the share started as `timeOffset`.
   * @example
   * ```ts
   * share = await client.updateLiveLocation(share, { latitude: 52.53, longitude: 13.41, speedInMps: 1.4 });
   * ```
   */
  updateLiveLocation(share: messageKinds.LiveLocationShare, position: messageContent.LiveLocationOptions): Promise<messageKinds.LiveLocationShare> {
    return messageKinds.updateLiveLocation(this.#context, share, position);
  }

  /**
   * Sends a contact card (`contactMessage`), or several (`contactsArrayMessage`), as vCards.
   * @throws InvalidArgumentError for something that is no vCard, and as `sendText`.
   * @example
   * ```ts
   * await client.sendContact(chat, 'BEGIN:VCARD\nVERSION:3.0\nFN:Alice\nTEL;type=CELL;waid=15550100002:+1 555 010 0002\nEND:VCARD');
   * ```
   */
  sendContact(
    jid: string,
    cards: string | messageDetails.ContactCard | readonly (string | messageDetails.ContactCard)[],
    options: messageKinds.SendMessageOptions = {},
  ): Promise<messaging.SentMessage> {
    return messageKinds.sendContact(this.#context, jid, cards, options);
  }

  /**
   * Forwards a message: a copy of its content with `contextInfo { forwardingScore: n + 1,
   * isForwarded: true }` (a plain text becomes an `extendedTextMessage`).
   * @throws InvalidArgumentError for a stub or protocol message, and as `sendText`.
   * @example
   * ```ts
   * client.on('message', (event) => event.text === '!fwd' && event.quote && client.forwardMessage(other, event.quote.message!));
   * await client.forwardMessage('15550100003@c.us', event.info);
   * ```
   */
  forwardMessage(jid: string, message: WebMessageInfo | MessageEvent | Message, options: { id?: string } = {}): Promise<messaging.SentMessage> {
    return messageKinds.forwardMessage(this.#context, jid, message, options);
  }

  /**
   * Deletes a message for everyone (`{ forEveryone: true }`: relays a `protocolMessage` REVOKE
   * under a new id; only one's own messages) or for me (default: `["chat",{jid,modify_tag,type:"clear"},
   * [["item",{owner,index}]]]`). The store follows (a REVOKE stub, or the message gone) and
   * `message-update` is emitted. Resolves with the revoke that was sent, or `undefined`.
   * @throws InvalidArgumentError (someone else's message for everyone; `fromMe` unknown), RequestError (refused, e.g. 404/403), SendError.
   * @example
   * ```ts
   * const sent = await client.sendText(chat, 'oops');
   * await client.deleteMessage(chat, sent.id, { forEveryone: true });
   * ```
   */
  deleteMessage(jid: string, id: string, options: messageActions.DeleteMessageOptions = {}): Promise<messageActions.DeleteResult> {
    return messageActions.deleteMessage(this.#context, jid, id, options);
  }

  /**
   * Stars (or, with `false`, unstars) a message: `["chat",{jid,type:"star"|"unstar"},[["item",{owner,index}]]]`.
   * The stored message gets `starred` and `message-update` is emitted.
   * @throws InvalidArgumentError, NotLoggedInError, RequestError.
   * @example
   * ```ts
   * await client.starMessage(event.chat, event.id);
   * await client.starMessage(event.chat, event.id, false);
   * ```
   */
  starMessage(jid: string, id: string, starred = true, options: messageActions.StarMessageOptions = {}): Promise<void> {
    return messageActions.starMessage(this.#context, jid, id, starred, options);
  }

  /**
   * Turns disappearing messages of a 1:1 chat on (`seconds`, e.g. 604800 for 7 days) or off (0):
   * relays the EPHEMERAL_SETTING; later messages to the chat carry `contextInfo.expiration`
   * inside an `ephemeralMessage`. Groups use `groupSettings(gid, { ephemeralSeconds })`.
   * @example
   * ```ts
   * await client.setDisappearingMessages('15550100002@c.us', 7 * 24 * 3600);
   * ```
   */
  setDisappearingMessages(jid: string, seconds: number): Promise<messaging.SentMessage> {
    return disappearing.setDisappearingMessages(this.#context, jid, seconds);
  }

  /**
   * The server's preview of the first link in `text` (`query type:url`), or `undefined` when the
   * text has no link or the server has no preview. `sendText(jid, text, { linkPreview: true })`
   * does this by itself.
   * @example
   * ```ts
   * const preview = await client.linkPreview('https://example.org');
   * await client.sendText(chat, 'https://example.org', { linkPreview: preview ?? false });
   * ```
   */
  linkPreview(text: string): Promise<linkPreviews.LinkPreview | undefined> {
    return linkPreviews.linkPreview(this.#context, text);
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
   * Archives a chat (`["chat",{jid,type:"archive",index,owner}]`, metric 12). Once the server
   * answered 200 the store follows and `chat-update` (`source: 'self'`) is emitted; the account's
   * other sessions get the same change as a push.
   * @throws InvalidArgumentError (bad jid), NotLoggedInError, RequestError with the server's
   * `status` (404: the account has no such chat).
   * @example
   * ```ts
   * await client.archiveChat('15550100002@c.us');
   * client.chats().find((chat) => chat.jid === '15550100002@c.us')?.archived; // true
   * ```
   */
  archiveChat(jid: string): Promise<void> {
    return chatActions.chatAction(this.#context, jid, 'archive');
  }

  /**
   * Moves an archived chat back to the chat list (`type:"unarchive"`); see {@link WAClient.archiveChat}.
   * @throws as {@link WAClient.archiveChat}.
   * @example
   * ```ts
   * await client.unarchiveChat('15550100002@c.us');
   * ```
   */
  unarchiveChat(jid: string): Promise<void> {
    return chatActions.chatAction(this.#context, jid, 'unarchive');
  }

  /**
   * Pins a chat to the top (`{"type":"pin","pin":"<unix s>"}`); at most 3 chats can be pinned.
   * @throws InvalidArgumentError (bad jid, or 3 chats of the store are pinned already),
   * NotLoggedInError, RequestError (400: the server refused a fourth pin; 404: no such chat).
   * @example
   * ```ts
   * await client.pinChat('15550100002@c.us');
   * client.chats()[0]?.pinned; // unix seconds of the pin
   * ```
   */
  pinChat(jid: string): Promise<void> {
    return chatActions.chatAction(this.#context, jid, 'pin');
  }

  /**
   * Unpins a chat (`{"type":"pin","previous":"<s>"}`).
   * @throws as {@link WAClient.archiveChat}.
   * @example
   * ```ts
   * await client.unpinChat('15550100002@c.us');
   * ```
   */
  unpinChat(jid: string): Promise<void> {
    return chatActions.chatAction(this.#context, jid, 'unpin');
  }

  /**
   * Mutes a chat until `untilMs` (ms since the epoch; `{"type":"mute","mute":"<unix s>"}`), or
   * unmutes it with `null` (`{"type":"mute","previous":…}`).
   * @throws InvalidArgumentError (bad jid, an end time that is not in the future),
   * NotLoggedInError, RequestError.
   * @example
   * ```ts
   * await client.muteChat('15550100002@c.us', Date.now() + 8 * 3600_000); // 8 hours
   * await client.muteChat('15550100002@c.us', null);                      // unmute
   * ```
   */
  muteChat(jid: string, untilMs: number | null): Promise<void> {
    return untilMs === null ? chatActions.chatAction(this.#context, jid, 'unmute') : chatActions.chatAction(this.#context, jid, 'mute', untilMs);
  }

  /**
   * Marks a chat unread (`["read",{jid,index,owner,count:"-2"}]`, metric 11): its unread count
   * becomes -1 ("marked") unless it has unread messages.
   * @throws InvalidArgumentError, NotLoggedInError, RequestError.
   * @example
   * ```ts
   * await client.markUnread('15550100002@c.us');
   * ```
   */
  markUnread(jid: string): Promise<void> {
    return chatActions.markUnread(this.#context, jid);
  }

  /**
   * Deletes a chat and its history for this account (`type:"delete"`); the store forgets it.
   * @throws as {@link WAClient.archiveChat}.
   * @example
   * ```ts
   * await client.deleteChat('15550100003@c.us');
   * ```
   */
  deleteChat(jid: string): Promise<void> {
    return chatActions.chatAction(this.#context, jid, 'delete');
  }

  /**
   * Clears a chat's messages (`type:"clear"`), keeping the starred ones with `keepStarred`
   * (`star:"false"`); the chat stays in the list.
   * @throws as {@link WAClient.archiveChat}.
   * @example
   * ```ts
   * await client.clearChat('15550100002@c.us', { keepStarred: true });
   * ```
   */
  clearChat(jid: string, options: chatActions.ClearChatOptions = {}): Promise<void> {
    return chatActions.chatAction(this.#context, jid, 'clear', options.keepStarred === true);
  }

  /**
   * The phone's battery: the last `battery` push, else what the `Conn` said; `undefined` before login.
   * @example
   * ```ts
   * client.on('battery', ({ percentage }) => percentage < 15 && console.log('phone battery low'));
   * client.battery?.plugged;
   * ```
   */
  get battery(): BatteryStatus | undefined {
    return chatActions.batteryOf(this.#context);
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
   * Sets this account's push name (the name others see, `notify`): `["profile",{"name"}]`.
   * Resolves with the name the server confirmed; `me.pushname` follows and `contact-update` is
   * emitted for the own id. The account's other sessions and its contacts are told by the server.
   * @throws InvalidArgumentError for an empty name or one over 25 characters, NotLoggedInError,
   * RequestError with the server's `status`.
   * @example
   * ```ts
   * await client.setPushName('Sandy S.');
   * ```
   */
  setPushName(name: string): Promise<string> {
    return profile.setPushName(this.#context, name);
  }

  /**
   * Sets this account's "about" text (`["status",null,<utf-8>]`); `contact-update` follows.
   * @throws InvalidArgumentError for an empty text or one over 139 characters, NotLoggedInError, RequestError.
   * @example
   * ```ts
   * await client.setStatus('On the lake');
   * ```
   */
  setStatus(text: string): Promise<void> {
    return profile.setStatus(this.#context, text);
  }

  /**
   * Sets the profile picture of this account, or of a group (`jid`) it may change: the JPEG is
   * sent as it is as the picture and, unless `options.preview` is given, as the preview too (the
   * client decodes no JPEG, so it cannot scale; the official apps sent 640 px and 96 px). Resolves
   * with the new picture's URL and tag.
   * @throws InvalidArgumentError for bytes that are not a JPEG (FF D8 …), NotLoggedInError,
   * RequestError with `status` 401 (someone else's picture, or a group only admins may change),
   * 403 (not a participant), 404 (unknown group), 413 (too large).
   * @example
   * ```ts
   * const { url } = await client.setProfilePicture(await readFile('me.jpg'));
   * await client.setProfilePicture(groupJpeg, '15550100001-1600000000@g.us', { preview: smallJpeg });
   * ```
   */
  setProfilePicture(jpeg: Uint8Array, jid?: string, options: profile.ProfilePictureOptions = {}): Promise<profile.ProfilePictureResult> {
    return profile.setProfilePicture(this.#context, jpeg, jid, options);
  }

  /**
   * Removes the profile picture of this account (or of a group, `jid`).
   * @throws NotLoggedInError, RequestError (404 when there is none; as {@link WAClient.setProfilePicture}).
   * @example
   * ```ts
   * await client.removeProfilePicture();
   * ```
   */
  removeProfilePicture(jid?: string): Promise<void> {
    return profile.removeProfilePicture(this.#context, jid);
  }

  /**
   * Blocks a user: their messages stop arriving and messages to them are refused (403). The
   * `blocklist` event and {@link WAClient.blocklist} follow.
   * @throws InvalidArgumentError for a group or the account itself, NotLoggedInError, RequestError.
   * @example
   * ```ts
   * await client.block('15550100005@c.us');
   * ```
   */
  block(jid: string): Promise<void> {
    return blocking.setBlocked(this.#context, jid, true);
  }

  /**
   * Unblocks a user.
   * @throws as {@link WAClient.block}.
   * @example
   * ```ts
   * await client.unblock('15550100005@c.us');
   * ```
   */
  unblock(jid: string): Promise<void> {
    return blocking.setBlocked(this.#context, jid, false);
  }

  /**
   * The users this account blocked (a snapshot, kept by the server's `Blocklist` pushes).
   * @example
   * ```ts
   * if (client.blocklist().includes(jid)) await client.unblock(jid);
   * ```
   */
  blocklist(): string[] {
    return this.#context.store.blocklist();
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
   * A group's subject, owner, participants, description and settings (JSON `GroupMetadata`). For
   * a group one has left (answered 401) it falls back on the binary `type:group` query, which
   * still answers then (participants, subject, description; no settings). Updates `groups()`.
   * @throws RequestError with `status` 404 (no such group) or 401 (never a member).
   * @example
   * ```ts
   * const { subject, participants } = await client.groupMetadata('15550100001-1600000000@g.us');
   * ```
   */
  groupMetadata(jid: string): Promise<queries.GroupMetadata> {
    return groups.groupMetadata(this.#context, jid);
  }

  /**
   * Creates a group with this account as its super admin. Each participant's `code`: 200 added,
   * 404 not on WhatsApp, 403 not allowed.
   * @throws InvalidArgumentError (empty subject, bad or no participants), RequestError with the status.
   * @example
   * ```ts
   * const { gid, participants } = await client.groupCreate('Book club', ['15550100002@c.us', '15550100003@c.us']);
   * ```
   */
  groupCreate(subject: string, participants: readonly string[]): Promise<groups.GroupCreateResult> {
    return groups.groupCreate(this.#context, subject, participants);
  }

  /**
   * Leaves a group; the chat stays, read-only.
   * @throws RequestError 403 (not a participant), 404 (no such group).
   * @example
   * ```ts
   * await client.groupLeave(gid);
   * ```
   */
  groupLeave(gid: string): Promise<void> {
    return groups.groupLeave(this.#context, gid);
  }

  /**
   * Changes a group's subject (admins only when the group is restricted).
   * @throws InvalidArgumentError (empty subject), RequestError 401/403/404.
   * @example
   * ```ts
   * await client.groupUpdateSubject(gid, 'Reading club');
   * ```
   */
  groupUpdateSubject(gid: string, subject: string): Promise<void> {
    return groups.groupUpdateSubject(this.#context, gid, subject);
  }

  /**
   * Changes a group's description; `''` removes it.
   * @throws RequestError 401/403/404, or 409 when someone changed it meanwhile.
   * @example
   * ```ts
   * await client.groupUpdateDescription(gid, 'Monthly books, first Friday');
   * ```
   */
  groupUpdateDescription(gid: string, text: string): Promise<void> {
    return groups.groupUpdateDescription(this.#context, gid, text);
  }

  /**
   * Adds people (admins only). Each `code`: 200 added, 404 not on WhatsApp, 409 already in it.
   * @throws RequestError 401 (not an admin), 403 (not a participant), 404 (no such group).
   * @example
   * ```ts
   * const [result] = await client.groupAdd(gid, ['15550100004@c.us']); // { jid, code: 200 }
   * ```
   */
  groupAdd(gid: string, jids: readonly string[]): Promise<groups.GroupParticipantResult[]> {
    return groups.groupParticipants(this.#context, 'add', gid, jids);
  }

  /**
   * Removes people (admins only). Each `code`: 200 removed, 404 not a participant, 403 not allowed (the creator).
   * @throws RequestError 401/403/404 as {@link WAClient.groupAdd}.
   * @example
   * ```ts
   * await client.groupRemove(gid, ['15550100004@c.us']);
   * ```
   */
  groupRemove(gid: string, jids: readonly string[]): Promise<groups.GroupParticipantResult[]> {
    return groups.groupParticipants(this.#context, 'remove', gid, jids);
  }

  /**
   * Makes participants admins (admins only); per-participant codes as {@link WAClient.groupRemove}.
   * @example
   * ```ts
   * await client.groupPromote(gid, ['15550100002@c.us']);
   * ```
   */
  groupPromote(gid: string, jids: readonly string[]): Promise<groups.GroupParticipantResult[]> {
    return groups.groupParticipants(this.#context, 'promote', gid, jids);
  }

  /**
   * Takes admin rights away (admins only); per-participant codes as {@link WAClient.groupRemove}.
   * @example
   * ```ts
   * await client.groupDemote(gid, ['15550100002@c.us']);
   * ```
   */
  groupDemote(gid: string, jids: readonly string[]): Promise<groups.GroupParticipantResult[]> {
    return groups.groupParticipants(this.#context, 'demote', gid, jids);
  }

  /**
   * Changes a group's settings (admins only): `announce` (only admins send), `restrict` (only
   * admins edit the info), `ephemeralSeconds` (disappearing messages, 0 = off).
   * @throws InvalidArgumentError (nothing to change, bad values), RequestError 401/403/404.
   * @example
   * ```ts
   * await client.groupSettings(gid, { announce: true, ephemeralSeconds: 7 * 24 * 3600 });
   * ```
   */
  groupSettings(gid: string, settings: groups.GroupSettings): Promise<void> {
    return groups.groupSettings(this.#context, gid, settings);
  }

  /**
   * The group's invite code (admins only); `https://chat.whatsapp.com/<code>` is the link.
   * @throws RequestError 401 (not an admin), 404.
   * @example
   * ```ts
   * const link = `https://chat.whatsapp.com/${await client.groupInviteCode(gid)}`;
   * ```
   */
  groupInviteCode(gid: string): Promise<string> {
    return groups.groupInvite(this.#context, 'inviteCode', gid);
  }

  /**
   * Revokes the invite code (the old one stops working) and resolves with the new one.
   * @example
   * ```ts
   * const fresh = await client.groupRevokeInvite(gid);
   * ```
   */
  groupRevokeInvite(gid: string): Promise<string> {
    return groups.groupInvite(this.#context, 'inviteReset', gid);
  }

  /**
   * Joins a group by its invite code (or link); resolves with the group's id.
   * @throws InvalidArgumentError (not a code), RequestError 404 (unknown or revoked code), 409 (already in it).
   * @example
   * ```ts
   * const gid = await client.groupAcceptInvite('https://chat.whatsapp.com/Kx3uQ…');
   * ```
   */
  groupAcceptInvite(code: string): Promise<string> {
    return groups.groupAcceptInvite(this.#context, code);
  }

  /**
   * The groups the client knows (from metadata answers and `group-update` events), a snapshot.
   * @example
   * ```ts
   * for (const group of client.groups()) console.log(group.subject, group.participants.length);
   * ```
   */
  groups(): GroupInfo[] {
    return this.#context.store.groups.list();
  }

  /**
   * Loads a page of a chat's history, oldest first: the latest messages, those `before` a message
   * (`query type:message kind:before`), or those `after` one (`kind:"after"`, source `after`).
   * @throws InvalidArgumentError (bad jid or count, both `before` and `after`), NotLoggedInError,
   * RequestError with the server's `status`.
   * @example
   * ```ts
   * const page = await client.loadMessages('15550100002@c.us', { count: 50 });
   * const older = await client.loadMessages('15550100002@c.us', { count: 50, before: page.messages[0]?.id });
   * const newer = await client.loadMessages('15550100002@c.us', { after: older.messages.at(-1)!.id });
   * ```
   */
  loadMessages(jid: string, options: queries.LoadMessagesOptions = {}): Promise<queries.LoadedMessages> {
    return history.loadMessages(this.#context, jid, options);
  }

  /**
   * Loads a whole chat, walking backwards page by page (`kind:"before"`) until the server says
   * the start was reached (`last:"true"`); stops early, with `complete: false`, on a page that is
   * empty or brings nothing new (a server that never says `last`) and at `maxMessages`.
   * `onProgress` runs after every page.
   * @throws as {@link WAClient.loadMessages}; InvalidArgumentError for a bad `pageSize`; the
   * signal's reason when `signal` aborts.
   * @example
   * ```ts
   * const { messages, complete } = await client.loadAllMessages('15550100002@c.us', {
   *   pageSize: 100,
   *   onProgress: ({ loaded, pages }) => console.log(`${loaded} messages in ${pages} pages`),
   * });
   * ```
   */
  loadAllMessages(jid: string, options: history.LoadAllMessagesOptions = {}): Promise<history.AllMessages> {
    return history.loadAllMessages(this.#context, jid, options);
  }

  /**
   * Who received and who read an own message, group or one-to-one (`query type:message_info`,
   * metric 22, answered by the phone).
   * @throws InvalidArgumentError (bad jid or id), NotLoggedInError, RequestError with `status`
   * 404 when the account sent no such message in that chat.
   * @example
   * ```ts
   * const sent = await client.sendText('15550100001-1600000000@g.us', 'Who is driving?');
   * const { reads, deliveries } = await client.messageInfo('15550100001-1600000000@g.us', sent.id);
   * console.log(reads.map((entry) => entry.jid), deliveries.length);
   * ```
   */
  messageInfo(jid: string, id: string): Promise<messageInfo.MessageInfo> {
    return messageInfo.messageInfo(this.#context, jid, id);
  }

  /**
   * Searches the account's messages (texts and captions) on the phone (`query type:search`,
   * metric 24), newest first, a page at a time; `last` tells whether more pages follow.
   * @throws InvalidArgumentError (empty or too long text, `count` outside 1–300, `page` below 1,
   * bad `jid`), NotLoggedInError, RequestError with the server's `status`.
   * @example
   * ```ts
   * const { messages, last } = await client.searchMessages('station', { count: 10, page: 1 });
   * const inChat = await client.searchMessages('tickets', { jid: '15550100003@c.us' });
   * ```
   */
  searchMessages(text: string, options: search.SearchMessagesOptions = {}): Promise<search.SearchResult> {
    return search.searchMessages(this.#context, text, options);
  }

  /**
   * Asks the phone for the current URL of a media message whose URL expired (`query type:media`,
   * metric 4) and writes it into the message (`url`, `directPath`), as public clients did.
   * {@link WAClient.downloadMedia} does this once by itself on a 404 or 410.
   * @throws InvalidArgumentError for a bare `Message` (no chat, no id), MediaError `NO_MEDIA`,
   * NotLoggedInError, RequestError with `status` 404 (no such message, or its media is gone).
   * @example
   * ```ts
   * const { url } = await client.refreshMediaUrl(event);
   * const bytes = await client.downloadMedia(event); // uses the fresh URL
   * ```
   */
  refreshMediaUrl(message: MessageEvent | WebMessageInfo): Promise<mediaRefresh.RefreshedMedia> {
    return mediaRefresh.refreshMediaUrl(this.#context, message);
  }

  /**
   * Whether a user is online, and when they were last seen. The legacy protocol has no direct
   * query for it: this subscribes to the user's presence (`["action","presence","subscribe",jid]`)
   * and reads the `Presence` push that follows (`t` of `unavailable`; absent when hidden).
   * @throws InvalidArgumentError (bad or group jid, bad `timeoutMs`), NotLoggedInError,
   * RequestError when the subscription is refused or no presence comes within `timeoutMs`.
   * @example
   * ```ts
   * const { online, lastSeen } = await client.lastSeen('15550100003@c.us');
   * if (!online && lastSeen) console.log('last seen', new Date(lastSeen * 1000));
   * ```
   */
  lastSeen(jid: string, options: lastSeen.LastSeenOptions = {}): Promise<lastSeen.LastSeen> {
    return lastSeen.lastSeen(this.#context, jid, (listener) => this.on('presence', listener), options);
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
