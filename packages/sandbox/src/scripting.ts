import { encryptMedia } from '@wa/crypto';
import { encodeMessage, type MessageInput } from '@wa/proto';
import type { SandboxContext, SessionRecord } from './context.js';
import type { MediaUploadType } from './media.js';
import { SandboxError } from './errors.js';
import { endSession, scanQr, type ScanResult } from './protocol/login.js';
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
    if (typeof latitude !== 'number' || !Number.isFinite(latitude) || Math.abs(latitude) > 90) throw new SandboxError('INVALID_ARGUMENT', 'latitude must be a number from -90 to 90');
    if (typeof longitude !== 'number' || !Number.isFinite(longitude) || Math.abs(longitude) > 180) throw new SandboxError('INVALID_ARGUMENT', 'longitude must be a number from -180 to 180');
    const pin: NonNullable<MessageInput['locationMessage']> = { degreesLatitude: latitude, degreesLongitude: longitude };
    for (const field of ['name', 'address', 'url'] as const) {
      const value = location[field];
      if (value === undefined) continue;
      if (typeof value !== 'string') throw new SandboxError('INVALID_ARGUMENT', `location ${field} must be a string`);
      pin[field] = value;
    }
    return this.#context.messenger.send(this.jid, { content: encodeMessage({ locationMessage: pin }) }, target);
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

  /** Changes the "about" text answered to `query Status`. */
  setStatus(text: string): void {
    this.#user().status = text;
    this.#context.emit('state', {});
  }

  /** Changes how the contact reacts to messages (delivery/read delays, echo). */
  configure(behaviour: Partial<ContactBehaviour>): void {
    const user = this.#user();
    user.behaviour = { ...user.behaviour, ...behaviour };
    this.#context.emit('state', {});
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
