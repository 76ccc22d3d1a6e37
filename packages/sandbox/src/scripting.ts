import { encryptMedia } from '@wa/crypto';
import { encodeMessage, type MessageInput } from '@wa/proto';
import type { SandboxContext, SessionRecord } from './context.js';
import type { MediaUploadType } from './media.js';
import { SandboxError } from './errors.js';
import { changeParticipants, createGroup, leaveGroup, requireOk, setGroupDescription, setGroupSubject, type ParticipantOutcome } from './groups.js';
import { endSession, scanQr, type ScanResult } from './protocol/login.js';
import { accepted, removePicture, setBlocked, setPicture, setPushName, setStatusText, type PictureInfo } from './profile.js';
import { chatActionAttrs, phoneChatAction, phoneReadChat, pushReceived, setBattery, updateMessage, type BatteryOptions, type ReceivedType } from './phone-actions.js';
import { revokeFromUser } from './revoke.js';
import { checkCoordinates, contactCardContent, liveLocationPin, scriptedContent, type ContactCardInput, type LiveLocationSendOptions } from './scripted-kinds.js';
import { isGroupJid } from './world/jid.js';
import type { AccountData, ContactBehaviour, MessageData, PresenceType, UserData } from './world/types.js';

/** A web session of an account as the phone lists it ("WhatsApp Web" → devices). */
export interface WebSessionInfo {
  clientId: string;
  wid: string;
  browser: string[];
  /** Whether a socket is logged in with it right now. */
  connected: boolean;
}

/**
 * How {@link Phone.sessions} and `Sandbox.sessions` show a session: no keys or tokens, a copy of
 * the browser strings.
 * @example
 * ```ts
 * const listed = [...context.sessions.values()].map(webSessionInfo);
 * ```
 */
export function webSessionInfo(session: SessionRecord): WebSessionInfo {
  return { clientId: session.clientId, wid: session.wid, browser: [...session.browser], connected: session.connection !== undefined };
}

/**
 * The phone of one account: scans QR codes, goes offline and online, unpairs web sessions.
 * @example
 * ```ts
 * sandbox.phone.scan(qrText);        // logs the waiting web client in
 * sandbox.phone.setReachable(false); // web clients get ["Pong",false]
 * ```
 */
export class Phone {
  readonly wid: string;
  readonly #context: SandboxContext;
  readonly #flush: (wid: string) => void;

  /** @internal Phones come from `Sandbox.phone` and `Sandbox.phoneOf(wid)`. */
  constructor(context: SandboxContext, wid: string, flush: (wid: string) => void) {
    this.#context = context;
    this.wid = wid;
    this.#flush = flush;
  }

  /**
   * Scans a login QR (`ref,base64(publicKey),clientId`) and logs the waiting web client in.
   * @throws SandboxError QR_MALFORMED, BAD_PUBLIC_KEY, REF_UNKNOWN, REF_EXPIRED, CLIENT_ID_MISMATCH
   */
  scan(qr: string): ScanResult {
    return scanQr(this.#context, qr, this.wid);
  }

  /** Whether the phone is online. */
  get reachable(): boolean {
    return this.#account().reachable;
  }

  /**
   * Takes the phone offline or back online. Web clients get `["Pong",false|true]`; what the
   * phone would relay meanwhile (queries, messages, acks) waits and is delivered when it is back.
   */
  setReachable(reachable: boolean): void {
    const account = this.#account();
    if (account.reachable === reachable) return;
    account.reachable = reachable;
    // The server notices the phone coming and going: a server push.
    for (const connection of this.#context.connectionsOf(this.wid)) connection.pushJson(['Pong', reachable], { source: 'server' });
    if (reachable) this.#flush(this.wid);
  }

  /** The account's paired web sessions. */
  sessions(): WebSessionInfo[] {
    return [...this.#context.sessions.values()].filter((session) => session.wid === this.wid).map(webSessionInfo);
  }

  /**
   * Logs web sessions out from the phone (one by clientId, or all): their tokens stop working
   * (restores get 401) and connected clients get `["Cmd",{"type":"disconnect"}]` and are closed.
   * Returns how many sessions ended.
   */
  unpair(clientId?: string): number {
    let count = 0;
    for (const session of [...this.#context.sessions.values()]) {
      if (session.wid !== this.wid || (clientId !== undefined && session.clientId !== clientId)) continue;
      endSession(this.#context, session, 'unpaired');
      count += 1;
    }
    return count;
  }

  /**
   * Reads a chat on the phone: read receipts go to the senders, web sessions get
   * `["action",null,[["read",{jid}]]]` (phone-actions.ts).
   * @throws SandboxError NOT_FOUND for a chat the account does not have
   */
  readChat(jid: string): void {
    phoneReadChat(this.#context, this.wid, jid, false);
  }

  /** Marks a chat unread on the phone (`count` -1); web sessions get `["read",{jid,type:"false"}]`. */
  markUnread(jid: string): void {
    phoneReadChat(this.#context, this.wid, jid, true);
  }

  /** Archives a chat on the phone; web sessions get `["action",null,[["chat",{jid,type:"archive"}]]]`. */
  archiveChat(jid: string): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, 'archive'));
  }

  /** Unarchives a chat on the phone. */
  unarchiveChat(jid: string): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, 'unarchive'));
  }

  /** Pins a chat on the phone (at most 3: a fourth throws INVALID_ARGUMENT). */
  pinChat(jid: string): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, 'pin'));
  }

  /** Unpins a chat on the phone. */
  unpinChat(jid: string): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, 'unpin'));
  }

  /** Mutes a chat until `untilMs` (ms since the epoch, in the future), or unmutes it (`null`). */
  muteChat(jid: string, untilMs: number | null): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, untilMs === null ? 'unmute' : 'mute', untilMs ?? undefined));
  }

  /** Deletes a chat (and its history) on the phone. */
  deleteChat(jid: string): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, 'delete'));
  }

  /** Clears a chat's messages on the phone (starred ones stay with `keepStarred`). */
  clearChat(jid: string, options: { keepStarred?: boolean } = {}): void {
    phoneChatAction(this.#context, this.wid, chatActionAttrs(this.#context, jid, 'clear', options.keepStarred === true));
  }

  /**
   * Changes the battery: web sessions get `["action",null,[["battery",{live,value,powersave}]]]`.
   * @throws SandboxError INVALID_ARGUMENT for a value outside 0–100
   */
  setBattery(value: number, options: BatteryOptions = {}): void {
    setBattery(this.#context, this.wid, value, options);
  }

  /**
   * Reports what became of a message of the account (`message` delivered, `read`, `error`): web
   * sessions get `["action",{"add":"relay"},[["received",{jid,index,owner,type}]]]`.
   */
  pushReceived(chatJid: string, id: string, type: ReceivedType): void {
    pushReceived(this.#context, this.wid, chatJid, id, type);
  }

  /** Replaces a stored message (a text, or `Message` bytes); web sessions get `["action",{"add":"update"},[message]]`. */
  updateMessage(chatJid: string, id: string, content: string | Uint8Array): void {
    updateMessage(this.#context, this.wid, chatJid, id, content);
  }

  /** Changes the account's push name on the phone (profile.ts): web sessions get `["Conn",{"pushname"}]`, contacts a `user` push. */
  setPushName(name: string): void {
    accepted(setPushName(this.#context, this.wid, name));
  }

  /** Changes the account's "about" text on the phone: `["Status",{"id","status"}]` to its sessions and contacts. */
  setStatus(text: string): void {
    accepted(setStatusText(this.#context, this.wid, text));
  }

  /**
   * Sets the account's picture (or, with `group`, a group's) from the phone; returns its URL and tag.
   * @throws SandboxError INVALID_ARGUMENT for a non-JPEG or one over `MAX_PICTURE_BYTES`, or a group it may not change
   */
  setPicture(jpeg: Uint8Array, options: { preview?: Uint8Array; group?: string } = {}): PictureInfo {
    return accepted(setPicture(this.#context, this.wid, options.group ?? this.wid, jpeg, options.preview ?? jpeg));
  }

  /** Removes the account's (or a group's) picture. @throws SandboxError NOT_FOUND when there is none */
  removePicture(options: { group?: string } = {}): void {
    accepted(removePicture(this.#context, this.wid, options.group ?? this.wid));
  }

  /** Blocks a user from the phone: web sessions get `["Blocklist",…]`; their messages stop arriving. */
  block(jid: string): void {
    accepted(setBlocked(this.#context, this.wid, [jid], true));
  }

  /** Unblocks a user from the phone. */
  unblock(jid: string): void {
    accepted(setBlocked(this.#context, this.wid, [jid], false));
  }

  /** The users this account blocked. */
  blocklist(): string[] {
    return [...(this.#account().blocklist ?? [])];
  }

  #account(): AccountData {
    return this.#context.world.requireAccount(this.wid);
  }
}

/** Where a scripted action happens: the 1:1 chat with an account, or a group. */
export interface ChatTarget {
  /** The account on the other side (default: the first account that knows the contact). */
  to?: string;
  /** A group instead of a 1:1 chat. */
  group?: string;
}

/** Options of {@link ContactHandle.sendMedia}: where to, and the fields of the media message. */
export interface MediaSendOptions extends ChatTarget {
  /** Default per type: `image/jpeg`, `video/mp4`, `audio/ogg; codecs=opus`, `application/octet-stream`, `image/webp`. */
  mimetype?: string;
  /** Image and video captions. */
  caption?: string;
  /** Documents: the file name (also used as `title`). */
  fileName?: string;
  /** Audio and video length in seconds. */
  seconds?: number;
  /** Audio: a voice note. */
  ptt?: boolean;
}

/** A location pin for {@link ContactHandle.sendLocation}. */
export interface LocationSendOptions {
  /** Degrees, -90 to 90. */
  latitude: number;
  /** Degrees, -180 to 180. */
  longitude: number;
  /** The place's name. */
  name?: string;
  /** Its address. */
  address?: string;
  /** A link about the place. */
  url?: string;
}

const defaultMimetypes: Readonly<Record<MediaUploadType, string>> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
  sticker: 'image/webp',
};

/**
 * Scripts one user of the world (usually a contact): send messages, read, type, go online.
 * @example
 * ```ts
 * const alice = sandbox.contact('15550100002@c.us');
 * alice.setPresence('composing');
 * alice.sendText('Hello from the sandbox');
 * alice.readMessages(); // blue ticks for everything sent to her
 * alice.sendImage(jpegBytes, { caption: 'look' }); // an encrypted imageMessage to download
 * ```
 */
export class ContactHandle {
  readonly jid: string;
  readonly #context: SandboxContext;

  /** @internal Handles come from `Sandbox.contact(jid)`. */
  constructor(context: SandboxContext, jid: string) {
    this.#context = context;
    this.jid = context.world.requireUser(jid).jid;
  }

  /** The user's data (name, status, presence, behaviour). */
  get info(): Readonly<UserData> {
    return this.#user();
  }

  /** Sends a text to an account (or a group); returns the stored message (its `id`, `t`). */
  sendText(text: string, target: ChatTarget = {}): MessageData {
    return this.#context.messenger.send(this.jid, text, target);
  }

  /**
   * Sends a media file the way a phone does: encrypts it with a fresh media key, stores the blob
   * on the sandbox media server and relays an `imageMessage`/`videoMessage`/`audioMessage`/
   * `documentMessage`/`stickerMessage` with `url`, `directPath`, `mediaKey`, `fileSha256`,
   * `fileEncSha256`, `fileLength`, `mimetype`. Returns the stored message.
   * @throws SandboxError INVALID_ARGUMENT for an unknown type, a non-byte file or one over the media limit
   */
  sendMedia(type: MediaUploadType, file: Uint8Array, options: MediaSendOptions = {}): MessageData {
    if (!Object.hasOwn(defaultMimetypes, type)) throw new SandboxError('INVALID_ARGUMENT', `media type must be one of ${Object.keys(defaultMimetypes).join(', ')}`);
    if (!(file instanceof Uint8Array)) throw new SandboxError('INVALID_ARGUMENT', 'a media file must be a Uint8Array');
    const context = this.#context;
    const encrypted = encryptMedia(file, type, { randomBytes: (length) => context.random.bytes(length) });
    const stored = context.media.put(encrypted.blob);
    const common = {
      url: stored.url,
      directPath: stored.directPath,
      mediaKey: encrypted.mediaKey,
      fileSha256: encrypted.fileSha256,
      fileEncSha256: encrypted.fileEncSha256,
      fileLength: encrypted.fileLength,
      mimetype: options.mimetype ?? defaultMimetypes[type],
      mediaKeyTimestamp: Math.floor(context.clock.now() / 1000),
    };
    const captioned = options.caption === undefined ? {} : { caption: options.caption };
    const timed = options.seconds === undefined ? {} : { seconds: options.seconds };
    let message: MessageInput;
    switch (type) {
      case 'image':
        message = { imageMessage: { ...common, ...captioned } };
        break;
      case 'video':
        message = { videoMessage: { ...common, ...captioned, ...timed } };
        break;
      case 'audio':
        message = { audioMessage: { ...common, ...timed, ptt: options.ptt ?? false } };
        break;
      case 'document':
        message = { documentMessage: options.fileName === undefined ? common : { ...common, fileName: options.fileName, title: options.fileName } };
        break;
      case 'sticker':
        message = { stickerMessage: common };
        break;
    }
    const target: ChatTarget = {};
    if (options.to !== undefined) target.to = options.to;
    if (options.group !== undefined) target.group = options.group;
    return context.messenger.send(this.jid, { content: encodeMessage(message) }, target);
  }

  /** Sends an image (`imageMessage`, default `image/jpeg`); see {@link ContactHandle.sendMedia}. */
  sendImage(file: Uint8Array, options: MediaSendOptions = {}): MessageData {
    return this.sendMedia('image', file, options);
  }

  /** Sends a document (`documentMessage` with `fileName`); see {@link ContactHandle.sendMedia}. */
  sendDocument(file: Uint8Array, options: MediaSendOptions = {}): MessageData {
    return this.sendMedia('document', file, options);
  }

  /**
   * Sends a location pin (`locationMessage` with `degreesLatitude`/`degreesLongitude`, optional
   * `name`, `address`, `url`); returns the stored message.
   * @throws SandboxError INVALID_ARGUMENT for a latitude outside ±90 or a longitude outside ±180
   */
  sendLocation(location: LocationSendOptions, target: ChatTarget = {}): MessageData {
    const { latitude, longitude } = location;
    checkCoordinates(latitude, longitude);
    const pin: NonNullable<MessageInput['locationMessage']> = { degreesLatitude: latitude, degreesLongitude: longitude };
    for (const field of ['name', 'address', 'url'] as const) {
      const value = location[field];
      if (value === undefined) continue;
      if (typeof value !== 'string') throw new SandboxError('INVALID_ARGUMENT', `location ${field} must be a string`);
      pin[field] = value;
    }
    return this.#context.messenger.send(this.jid, { content: encodeMessage({ locationMessage: pin }) }, target);
  }

  /**
   * Sends any `Message` content (a contact card, a group invite, a quote …); returns the stored message.
   * @throws SandboxError INVALID_ARGUMENT for content that is no valid `Message`
   */
  send(message: MessageInput, target: ChatTarget = {}): MessageData {
    return this.#context.messenger.send(this.jid, { content: scriptedContent(message) }, target);
  }

  /** Sends one contact card (`contactMessage`) or several (`contactsArrayMessage`) as vCards. */
  sendContact(cards: ContactCardInput | readonly ContactCardInput[], target: ChatTarget = {}): MessageData {
    return this.send(contactCardContent(cards), target);
  }

  /** Sends one position of a live location share (`liveLocationMessage`; raise `sequenceNumber` for each update). */
  sendLiveLocation(position: LiveLocationSendOptions, target: ChatTarget = {}): MessageData {
    return this.send(liveLocationPin(position), target);
  }

  /**
   * Deletes one of this user's messages for everyone: it becomes a REVOKE stub in the accounts'
   * chats, whose web sessions get the revoke. Returns the revoke's id.
   * @throws SandboxError NOT_FOUND when no account holds such a message from this user
   */
  revoke(id: string, target: ChatTarget = {}): string {
    return revokeFromUser(this.#context, this.jid, id, target);
  }

  /** Reads everything the account sent in the chat (ack 3 for each message not yet read). */
  readMessages(target: ChatTarget = {}): void {
    const { account, chat } = this.#chat(target);
    this.#context.messenger.read(this.#user(), account, chat);
  }

  /** Receives everything the account sent in the chat (ack 2); for contacts that never deliver by themselves. */
  receiveMessages(target: ChatTarget = {}): void {
    const { account, chat } = this.#chat(target);
    this.#context.messenger.received(this.#user(), account, chat);
  }

  /**
   * Shows a presence: `available`/`unavailable` go to web clients that subscribed; chat states
   * (`composing`, `recording`, `paused`) go to the chat (`group` for a group chat).
   */
  setPresence(type: PresenceType, target: { group?: string; to?: string } = {}): void {
    const valid: PresenceType[] = ['available', 'unavailable', 'composing', 'recording', 'paused'];
    if (!valid.includes(type)) throw new SandboxError('INVALID_ARGUMENT', `presence must be one of ${valid.join(', ')}`);
    const chat = target.group ?? target.to;
    this.#context.messenger.setPresence(this.jid, type, chat === undefined ? {} : { chat });
  }

  /**
   * Changes the "about" text answered to `query Status`; accounts that know the contact get
   * `["Status",{"id","status"}]` (profile.ts).
   * @throws SandboxError INVALID_ARGUMENT for an empty text or one over 139 characters
   */
  setStatus(text: string): void {
    accepted(setStatusText(this.#context, this.jid, text));
  }

  /** Changes the contact's push name (`notify`): accounts that know it get `["action",null,[["user",{jid,notify}]]]`. */
  setName(name: string): void {
    accepted(setPushName(this.#context, this.jid, name));
  }

  /**
   * Sets the contact's profile picture (a JPEG); accounts that know it get `["Cmd",{"type":"picture","jid"}]`
   * and later `ProfilePicThumb` queries answer the new URL. Returns its URL and tag.
   * @throws SandboxError INVALID_ARGUMENT for a non-JPEG or one over `MAX_PICTURE_BYTES`
   */
  setPicture(jpeg: Uint8Array, preview: Uint8Array = jpeg): PictureInfo {
    return accepted(setPicture(this.#context, this.jid, this.jid, jpeg, preview));
  }

  /** Removes the contact's picture (`ProfilePicThumb` answers 404 afterwards). @throws SandboxError NOT_FOUND when there is none */
  removePicture(): void {
    accepted(removePicture(this.#context, this.jid, this.jid));
  }

  /** Changes how the contact reacts to messages (delivery/read delays, echo). */
  configure(behaviour: Partial<ContactBehaviour>): void {
    const user = this.#user();
    user.behaviour = { ...user.behaviour, ...behaviour };
    this.#context.emit('state', {});
  }

  /**
   * Creates a group with this contact as its super admin and the given participants (accounts
   * get the chat and a GROUP_CREATE stub); returns its id. Delegates to groups.ts.
   * @throws SandboxError INVALID_ARGUMENT for an empty subject
   */
  createGroup(subject: string, participants: readonly string[]): string {
    return requireOk(createGroup(this.#context, this.jid, subject, participants), 'createGroup').gid!;
  }

  /**
   * Adds people to a group the contact administers; returns each one's code (200, 404, 409).
   * @throws SandboxError NOT_FOUND (no such group), INVALID_ARGUMENT (not a participant or not an admin)
   */
  addToGroup(gid: string, jids: readonly string[]): ParticipantOutcome[] {
    return requireOk(changeParticipants(this.#context, this.jid, gid, 'add', jids), 'addToGroup').participants!;
  }

  /** Removes people from a group the contact administers; see {@link ContactHandle.addToGroup}. */
  removeFromGroup(gid: string, jids: readonly string[]): ParticipantOutcome[] {
    return requireOk(changeParticipants(this.#context, this.jid, gid, 'remove', jids), 'removeFromGroup').participants!;
  }

  /** Makes participants admins; see {@link ContactHandle.addToGroup}. */
  promote(gid: string, jids: readonly string[]): ParticipantOutcome[] {
    return requireOk(changeParticipants(this.#context, this.jid, gid, 'promote', jids), 'promote').participants!;
  }

  /** Takes admin rights away; see {@link ContactHandle.addToGroup}. */
  demote(gid: string, jids: readonly string[]): ParticipantOutcome[] {
    return requireOk(changeParticipants(this.#context, this.jid, gid, 'demote', jids), 'demote').participants!;
  }

  /** Changes a group's subject (stub 21 and a `Chat` subject push to the members). */
  setGroupSubject(gid: string, subject: string): void {
    requireOk(setGroupSubject(this.#context, this.jid, gid, subject), 'setGroupSubject');
  }

  /** Changes (or, with `''`, removes) a group's description (`Chat` desc_add push to the members). */
  setGroupDescription(gid: string, text: string): void {
    requireOk(setGroupDescription(this.#context, this.jid, gid, text), 'setGroupDescription');
  }

  /** Leaves a group (stub 32 to the members; the contact keeps nothing, it has no chats). */
  leaveGroup(gid: string): void {
    requireOk(leaveGroup(this.#context, this.jid, gid), 'leaveGroup');
  }

  #user(): UserData {
    return this.#context.world.requireUser(this.jid);
  }

  #chat(target: ChatTarget): { account: AccountData; chat: string } {
    const { world } = this.#context;
    if (target.group !== undefined) {
      if (!isGroupJid(target.group)) throw new SandboxError('INVALID_ARGUMENT', `${target.group} is not a group id`);
      const group = world.requireGroup(target.group);
      const account = target.to !== undefined ? world.requireAccount(target.to) : world.accountsInChat(group.id, this.jid)[0];
      if (!account) throw new SandboxError('NOT_FOUND', `no account in ${group.id}`);
      return { account, chat: group.id };
    }
    const account =
      target.to !== undefined
        ? world.requireAccount(target.to)
        : (world.accounts.find((entry) => entry.wid !== this.jid && world.chat(entry, this.jid)) ?? world.accounts.find((entry) => entry.wid !== this.jid));
    if (!account) throw new SandboxError('NOT_FOUND', `no account chats with ${this.jid}`);
    return { account, chat: this.jid };
  }
}
