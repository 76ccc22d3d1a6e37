/**
 * The data the client hands out: chats, contacts, messages, receipts, presence, and the event
 * map of {@link WAClient}.
 * @module
 */
import type { WebMessageInfo, WebMessageInfoStatus } from '@wa/proto';
import type { Credentials } from './credentials.js';
import type { FrameError, WAClientError } from './errors.js';
import type { GroupUpdate } from './groups.js';
import type { RawNodeEvent, UnhandledFrame } from './raw-hooks.js';
import type { MessageDetails, MessageKind } from './message-details.js';

/** A chat of the chat list (`["chat", {jid, count, t, …}, null]`). */
export interface Chat {
  /** `…@c.us` or `…@g.us`. */
  jid: string;
  /** Display name (contact name or group subject), when the server sent one. */
  name?: string;
  /** Unread messages. */
  unreadCount: number;
  /** Unix seconds of the last activity. */
  timestamp: number;
  /** Muted until this unix time (0: not muted). */
  muteUntil: number;
  /** Disappearing messages: the timer in seconds (`ephemeral` attribute, or a relayed EPHEMERAL_SETTING); absent when off. */
  ephemeralSeconds?: number;
  /** When the timer was set (unix seconds, `eph_setting_ts`). */
  ephemeralSince?: number;
  archived: boolean;
  readOnly: boolean;
  spam: boolean;
  /** Pinned since this unix time (`pin` attribute); absent when the chat is not pinned. */
  pinned?: number;
}

/** A contact (`["user", {jid, name, short, notify, vname}, null]`). */
export interface Contact {
  jid: string;
  /** Name in the phone's address book. */
  name?: string;
  /** Short (first) name from the address book. */
  short?: string;
  /** The name the user chose for themself (push name). */
  notify?: string;
  /** Verified business name. */
  vname?: string;
}

/**
 * Where a message came from: a new message (`relay`), the history after login (`last`), an older
 * page (`before`), unread messages the server adds to the history like `before` (`unread`), or a
 * stored message replaced (`update`, e.g. a video that got its URL); `after` for a newer page of
 * `loadMessages({ after })` and `search` for a result of `searchMessages` (neither is a `message` event).
 */
export type MessageSource = 'relay' | 'last' | 'before' | 'update' | 'unread' | 'after' | 'search';

/**
 * Payload of the `message` event. Besides the fields below it carries what
 * `describeMessage` reads off the content (see {@link MessageDetails}): `quote`, `mentions`,
 * `forwarded`/`forwardingScore`, `ephemeral`/`expiration`, `starred`, `location`, `contacts`,
 * `stubType` and, for a revoke, `revokedId`.
 */
export interface MessageEvent extends Omit<MessageDetails, 'kind'> {
  /** What the message is: `text`, `image`, …, `location`, `liveLocation`, `contact`, `contacts`, `revoke`, `stub`, `unknown`. */
  kind: MessageKind;
  /** The decoded `WebMessageInfo`. */
  info: WebMessageInfo;
  /** The chat (`@c.us` or `@g.us`). */
  chat: string;
  /** Message id (`key.id`). */
  id: string;
  fromMe: boolean;
  /** The author: the chat for 1:1 messages, the participant in groups, the account itself for own messages. */
  sender: string;
  /** The text (plain, extended, or a caption), when it has one. */
  text?: string;
  /** Unix seconds. */
  timestamp: number;
  source: MessageSource;
}

/** Ack levels of `Msg`/`MsgInfo` pushes (1–4); 0 is an error, reported only by `received` pushes. */
export type AckLevel = 0 | 1 | 2 | 3 | 4;

/** Payload of the `receipt` event (`["Msg",{"cmd":"ack",…}]` or `["MsgInfo",…]`). */
export interface Receipt {
  /** The acknowledged message. */
  id: string;
  /** The chat it belongs to (`to` of the ack). */
  chat: string;
  /** 1 server, 2 delivered, 3 read, 4 played; 0 failed (`received` type `error`). */
  ack: AckLevel;
  /** The status this ack sets. */
  status: WebMessageInfoStatus;
  /** In groups: the participant who received or read it. */
  participant?: string;
  /** Unix seconds, when sent. */
  timestamp?: number;
}

/** Presence values. */
export type PresenceType = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused';

/** Payload of the `presence` event (`["Presence",{id,type,t?,participant?}]`). */
export interface PresenceUpdate {
  /** The user, or the group in which `participant` types. */
  jid: string;
  type: PresenceType;
  participant?: string;
  /** Last seen (unix seconds) for `unavailable`. */
  lastSeen?: number;
}

/**
 * Payload of the `contact-update` event: the fields that changed (only those are set).
 * - `notify`: a new push name (the name the user chose), from `["action",null,[["user",…]]]`, or the
 *   account's own from `["Conn",{"pushname"}]` / `setPushName`;
 * - `name`, `short`, `vname`: the address-book and business names the `user` push carried;
 * - `status`: a new "about" text (`["Status",{"id","status"}]`, or the own `setStatus`);
 * - `pictureChanged`: the picture changed (`["Cmd",{"type":"picture","jid"}]`): ask
 *   `profilePicture(jid)` for the new one; `pictureUrl` is set when the URL is known already
 *   (the client's own `setProfilePicture`).
 */
export interface ContactUpdate {
  /** The user (`…@c.us`, the account itself for its own changes) or group (`…@g.us`, pictures). */
  jid: string;
  notify?: string;
  name?: string;
  short?: string;
  vname?: string;
  status?: string;
  pictureChanged?: true;
  pictureUrl?: string;
}

/** Payload of the `blocklist` event. */
export interface BlocklistUpdate {
  /** The whole list now. */
  blocklist: string[];
  /** Who was blocked since the last list. */
  added: string[];
  /** Who was unblocked since the last list. */
  removed: string[];
}

/** Payload of the `qr` event. */
export interface QrEvent {
  /** The text to encode in the QR code: `ref,base64(publicKey),clientId`. */
  qr: string;
  /** How long it stays valid, in ms. */
  ttlMs: number;
  /** 0 for the first code, then 1, 2 … for refreshed ones. */
  attempt: number;
}

/** Who is logged in (from the `Conn`), payload of the `open` event. */
export interface OpenInfo {
  /** The account, e.g. `15550100001@c.us`. */
  wid: string;
  /** The account's own display name. */
  pushname?: string;
  /** Phone platform, e.g. `android`. */
  platform?: string;
  /** Phone battery percentage. */
  battery?: number;
  plugged?: boolean;
  /** Phone details as the server sent them (manufacturer, model, OS …). */
  phone?: Record<string, unknown>;
  /** `qr` after a scan, `restore` for stored credentials. */
  via: 'qr' | 'restore';
  /** Whether a restore had to answer a challenge. */
  challenged: boolean;
}

/** Where a client is in its life. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a session ended. */
export type DisconnectReason =
  /** Another web client took the session over (`Cmd disconnect replaced`). */
  | 'replaced'
  /** The phone unpaired this web session (`Cmd disconnect`); the credentials were cleared. */
  | 'unpaired'
  /** `logout()`; the credentials were cleared. */
  | 'logged-out'
  /** `close()`. */
  | 'closed'
  /** The server closed the socket or the network dropped it. */
  | 'connection-lost'
  /** The server stopped answering keep-alives. */
  | 'keep-alive-timeout'
  /**
   * An automatic reconnect was refused for good (401 unpaired, 403 access denied, 419 expired,
   * a refused challenge), or a restored session's stored keys opened none of its first sealed
   * frames (`BAD_KEYS`); the `close` event's `error` is the `LoginError`.
   */
  | 'login-refused'
  /** The automatic reconnects used up their `maxAttempts`; the `close` event's `error` is the last failure. */
  | 'reconnect-failed';

/** Payload of the `disconnected` event. */
export interface DisconnectInfo {
  reason: DisconnectReason;
  /** The WebSocket close code. */
  code: number;
  /** Whether the client is going to reconnect (only with the `reconnect` option). */
  reconnecting: boolean;
}

/** Payload of the `close` event. */
export interface CloseEvent {
  reason: DisconnectReason;
  /** The WebSocket close code of the connection that was lost (1000 after `close()`). */
  code: number;
  /**
   * Why the client gave up reconnecting: the refusal (`LoginError`) for `login-refused`, the last
   * attempt's failure for `reconnect-failed`; absent for the other reasons.
   */
  error?: Error;
}

/** Payload of the `reconnecting` event: the next automatic reconnect attempt is scheduled. */
export interface ReconnectingEvent {
  /** 1 for the first attempt after the connection was lost, then 2, 3 … */
  attempt: number;
  /** The backoff delay before it, in ms. */
  delayMs: number;
  /**
   * How it logs in: `reconnect` (`admin login … reconnect <wid>`), or `takeover` once a
   * `reconnect` was refused with 409 because the server still holds the old, half-open socket.
   */
  mode: 'reconnect' | 'takeover';
  /** Why the previous attempt failed (a `LoginError` such as `LOGIN_TIMEOUT`, a `ConnectError` …); absent before the first. */
  error?: Error;
}

/** Events of {@link WAClient}, by name, with their payloads. */
export interface ClientEvents {
  /** Show this QR text to the phone; emitted again with a fresh ref when the previous one expires. */
  qr: QrEvent;
  /** Logged in (after a scan, a restore, or a reconnect). */
  open: OpenInfo;
  /** New credentials were saved to the auth store (after every `Conn` with tokens). */
  credentials: Credentials;
  /** The chat list changed; the whole list, most recent first. */
  chats: Chat[];
  /** The contact list arrived or changed. */
  contacts: Contact[];
  /** A message: new (`source: 'relay'`) or from history (`last`, `before`). */
  message: MessageEvent;
  /** A sent message was acknowledged (delivered, read, played), or failed (`ack` 0). */
  receipt: Receipt;
  /**
   * A stored message changed: deleted for everyone (`revoked`: it is a REVOKE stub now), starred,
   * unstarred, or deleted for me (`deleted`: it left the store), by this client, another session
   * of the account, or (revoke) its sender.
   */
  'message-update': MessageUpdate;
  /**
   * A chat was archived, pinned, muted, deleted, cleared, read or marked unread: by this client
   * (`source: 'self'`, once the server answered 200) or by another session of the account or the
   * phone (`source: 'push'`). The store has changed when it is emitted.
   */
  'chat-update': ChatUpdate;
  /** The phone's battery changed (`["action",null,[["battery",…]]]`). */
  battery: BatteryStatus;
  /** A contact's presence or chat state. */
  presence: PresenceUpdate;
  /**
   * A user's (or group's) profile changed: push name, saved name, "about" text or picture, this
   * account's own included (profile.ts). The store's contacts and chat names have changed when it is emitted.
   */
  'contact-update': ContactUpdate;
  /** The block list changed (`["Blocklist",…]`, or this client's `block`/`unblock`); `client.blocklist()` has it. */
  blocklist: BlocklistUpdate;
  /** The phone became reachable or unreachable (`["Pong",bool]`). */
  phone: { reachable: boolean };
  /** A logged-in session ended from the server's or the network's side. */
  disconnected: DisconnectInfo;
  /** With `reconnect`: the next attempt to get the lost session back is scheduled. */
  reconnecting: ReconnectingEvent;
  /** The client is closed and will not reconnect by itself. */
  close: CloseEvent;
  /**
   * A group changed (created, people added or removed, admins, subject, description, settings …),
   * by this account or another member: from the stub messages and `Chat` pushes (groups.ts).
   */
  'group-update': GroupUpdate;
  /** An incoming frame was skipped (bad HMAC, undecodable …); the session goes on. */
  'frame-error': FrameError;
  /** Something failed in the background (e.g. saving credentials); the session goes on. */
  error: WAClientError;
  /** Raw hook: every decrypted binary node, pushes and answers to requests alike (see `raw-hooks.ts`). */
  node: RawNodeEvent;
  /** Raw hook: a frame (or a child of a pushed `action`) the client does not understand and left alone. */
  unhandled: UnhandledFrame;
}

/** What a chat action does (see {@link ChatUpdate}). */
export type ChatAction = 'archive' | 'unarchive' | 'pin' | 'unpin' | 'mute' | 'unmute' | 'delete' | 'clear' | 'read' | 'unread';

/** The fields of a {@link Chat} a chat action changed; `pinned: null` = unpinned. */
export interface ChatChanges {
  archived?: boolean;
  /** Pinned since (unix seconds), or `null` when unpinned. */
  pinned?: number | null;
  /** Muted until (unix seconds), 0 when unmuted. */
  muteUntil?: number;
  /** 0 after a read or a clear, -1 when marked unread. */
  unreadCount?: number;
}

/** Payload of the `chat-update` event. */
export interface ChatUpdate {
  /** The chat (`@c.us` or `@g.us`). */
  jid: string;
  action: ChatAction;
  /** What changed in its chat list entry (empty for `delete`: the chat is gone). */
  changes: ChatChanges;
  /** `self`: this client did it; `push`: another session of the account or the phone did. */
  source: 'self' | 'push';
  /** For `clear`: whether starred messages were kept. */
  keepStarred?: boolean;
}

/** Payload of the `battery` event and `WAClient.battery`. */
export interface BatteryStatus {
  /** 0–100. */
  percentage: number;
  /** Charging (`live`). */
  plugged: boolean;
  /** Battery saving on. */
  powersave: boolean;
}

/** What happened to a message (see {@link MessageUpdate}). */
export type MessageUpdateKind = 'revoked' | 'starred' | 'unstarred' | 'deleted';

/** Payload of the `message-update` event. */
export interface MessageUpdate {
  /** The chat (`@c.us` or `@g.us`). */
  chat: string;
  /** The message's id. */
  id: string;
  /** Whether it is one this account sent. */
  fromMe: boolean;
  update: MessageUpdateKind;
  /** The message as stored now (the stub, the starred copy), or as it was before `deleted`; absent when the client never saw it. */
  info?: WebMessageInfo;
  /** `self`: this client did it; `push`: another session of the account did; `sender`: its sender revoked it. */
  source: 'self' | 'push' | 'sender';
}
