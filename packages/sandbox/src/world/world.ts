import { SandboxError } from '../errors.js';
import { randomHex, type RandomSource } from '../random.js';
import { checkGroupJid, checkUserJid, isGroupJid, normalizeJid } from './jid.js';
import { validateWorldData } from './validate-world.js';
import type {
  AccountData,
  AccountSpec,
  ChatData,
  ContactBehaviour,
  GroupData,
  GroupSpec,
  MessageData,
  PhoneDetails,
  UserData,
  UserSpec,
  WorldData,
  WorldSpec,
} from './types.js';

const defaultPhone: PhoneDetails = {
  wa_version: '2.21.12.21',
  mcc: '001',
  mnc: '01',
  os_version: '10',
  device_manufacturer: 'Sandbox',
  device_model: 'Virtual Phone',
  os_build_number: 'SANDBOX.1',
};

const defaultBehaviour: ContactBehaviour = { deliverAfterMs: 50, readAfterMs: 500, echo: false };

/** What a world needs from its sandbox: the time and ids, and how much history to keep. */
export interface WorldContext {
  /** Current time in milliseconds. */
  now(): number;
  random: RandomSource;
  /** Messages a chat keeps; appending beyond it drops the oldest. Default: no bound. */
  maxMessagesPerChat?: number;
}

/**
 * The mutable world: users, accounts with chats, groups. All state lives in one `WorldData`
 * object so persisting it is a deep copy. Lookups normalise `s.whatsapp.net` ids to `c.us`.
 * @example
 * ```ts
 * const world = World.fromSpec(defaultWorld(), { now: Date.now, random: systemRandom() });
 * world.user('15550100002@c.us')?.name; // 'Alice'
 * ```
 */
export class World {
  readonly #data: WorldData;
  readonly #context: WorldContext;
  /**
   * Message id → its chat and message, per account, built on the first lookup and kept current by
   * {@link World.appendMessage}: every relayed message is checked for a duplicate id, and a scan of
   * the whole history made each send slower than the one before.
   */
  readonly #messagesById = new WeakMap<AccountData, Map<string, { chat: ChatData; message: MessageData }>>();

  /** Lookups by id, in constant time (a world of thousands of accounts answers every frame). */
  readonly #users = new IdIndex<UserData>((user) => user.jid);
  readonly #accounts = new IdIndex<AccountData>((account) => account.wid);
  readonly #groups = new IdIndex<GroupData>((group) => group.id);

  private constructor(data: WorldData, context: WorldContext) {
    this.#data = data;
    this.#context = context;
  }

  /** Builds a world from a seed description. */
  static fromSpec(spec: WorldSpec, context: WorldContext): World {
    if (!spec || !Array.isArray(spec.accounts) || spec.accounts.length === 0) {
      throw new SandboxError('INVALID_ARGUMENT', 'a world needs at least one account');
    }
    const world = new World({ users: [], accounts: [], groups: [] }, context);
    for (const user of spec.users ?? []) world.addUser(user);
    for (const account of spec.accounts) world.addAccount(account, { withChats: false });
    for (const group of spec.groups ?? []) world.addGroup(group);
    // Chats last: they may refer to users and groups declared after the account.
    for (const account of spec.accounts) world.#seedChats(checkUserJid(account.jid), account.chats ?? {});
    return world;
  }

  /**
   * Rebuilds a world from persisted data (as returned by `toData`), checked field by field.
   * @throws SandboxError `STATE_INVALID` naming the first bad field
   */
  static fromData(data: WorldData, context: WorldContext): World {
    validateWorldData(data);
    return new World(structuredClone(data), context);
  }

  /** A deep copy of the whole world, safe to serialise. */
  toData(): WorldData {
    return structuredClone(this.#data);
  }

  /** Every user (account owners included). */
  get users(): readonly UserData[] {
    return this.#data.users;
  }

  /** Every account. */
  get accounts(): readonly AccountData[] {
    return this.#data.accounts;
  }

  /** Every group. */
  get groups(): readonly GroupData[] {
    return this.#data.groups;
  }

  /** The user with this id, if known. */
  user(jid: string): UserData | undefined {
    const normal = normalizeJid(jid);
    return this.#users.find(this.#data.users, normal);
  }

  /** The user with this id, or a `NOT_FOUND` error. */
  requireUser(jid: string): UserData {
    const user = this.user(jid);
    if (!user) throw new SandboxError('NOT_FOUND', `no user ${jid} in the sandbox world`);
    return user;
  }

  /** The account with this id, if any. */
  account(wid: string): AccountData | undefined {
    const normal = normalizeJid(wid);
    return this.#accounts.find(this.#data.accounts, normal);
  }

  /** The account with this id, or a `NOT_FOUND` error. */
  requireAccount(wid: string): AccountData {
    const account = this.account(wid);
    if (!account) throw new SandboxError('NOT_FOUND', `no account ${wid} in the sandbox world`);
    return account;
  }

  /** The group with this id, if any. */
  group(id: string): GroupData | undefined {
    return this.#groups.find(this.#data.groups, id);
  }

  /** The group with this id, or a `NOT_FOUND` error. */
  requireGroup(id: string): GroupData {
    const group = this.group(id);
    if (!group) throw new SandboxError('NOT_FOUND', `no group ${id} in the sandbox world`);
    return group;
  }

  /** The chat `jid` of `account`; created empty when `create` is set. */
  chat(account: AccountData, jid: string, create: true): ChatData;
  chat(account: AccountData, jid: string, create?: boolean): ChatData | undefined;
  chat(account: AccountData, jid: string, create = false): ChatData | undefined {
    const normal = normalizeJid(jid);
    let chat = account.chats.find((entry) => entry.jid === normal);
    if (!chat && create) {
      chat = { jid: normal, unread: 0, t: this.#seconds(), mute: 0, archived: false, messages: [] };
      account.chats.push(chat);
    }
    return chat;
  }

  /** Chats of an account, most recent first (the order of the chat list). */
  chatsOf(account: AccountData): ChatData[] {
    return [...account.chats].sort((a, b) => b.t - a.t);
  }

  /** The name `account` shows for `jid`: saved contact name, else the user's own name. */
  displayName(account: AccountData, jid: string): string | undefined {
    const group = this.group(jid);
    if (group) return group.subject;
    return account.contacts.find((entry) => entry.jid === jid)?.name ?? this.user(jid)?.name;
  }

  /** Accounts that see chat `jid` with `sender`: the other side of a 1:1 chat or the group's members. */
  accountsInChat(chatJid: string, sender: string): AccountData[] {
    if (isGroupJid(chatJid)) {
      const group = this.group(chatJid);
      if (!group) return [];
      return group.participants.flatMap((p) => (p.jid === sender ? [] : (this.account(p.jid) ?? [])));
    }
    const account = this.account(chatJid);
    return account ? [account] : [];
  }

  /** Adds (or replaces) a user. */
  addUser(spec: UserSpec): UserData {
    const jid = checkUserJid(spec.jid);
    if (typeof spec.name !== 'string' || spec.name === '') throw new SandboxError('INVALID_ARGUMENT', `user ${jid} needs a name`);
    const user: UserData = {
      jid,
      name: spec.name,
      status: spec.status ?? 'Hey there! I am using WhatsApp.',
      presence: spec.presence ?? 'unavailable',
      lastSeen: this.#seconds() - 300,
      behaviour: { ...defaultBehaviour, ...spec.behaviour },
    };
    if (spec.pictureUrl !== undefined) user.pictureUrl = spec.pictureUrl;
    const index = this.#data.users.findIndex((entry) => entry.jid === jid);
    if (index >= 0) this.#data.users[index] = user;
    else this.#data.users.push(user);
    return user;
  }

  /** Adds an account (and its user entry) with its address book and chats. */
  addAccount(spec: AccountSpec, options: { withChats?: boolean } = {}): AccountData {
    const wid = checkUserJid(spec.jid);
    if (this.account(wid)) throw new SandboxError('INVALID_ARGUMENT', `account ${wid} exists already`);
    this.addUser({ ...spec, jid: wid, presence: spec.presence ?? 'available' });
    const account: AccountData = {
      wid,
      platform: spec.platform ?? 'android',
      phone: { ...defaultPhone, ...spec.phone },
      battery: spec.battery ?? 81,
      plugged: spec.plugged ?? false,
      reachable: spec.reachable ?? true,
      lg: spec.lg ?? 'en',
      lc: spec.lc ?? 'US',
      contacts: (spec.contacts ?? []).map((entry) => {
        const jid = checkUserJid(typeof entry === 'string' ? entry : entry.jid);
        const given: { name?: string; short?: string } = typeof entry === 'string' ? {} : entry;
        const name = given.name ?? this.user(jid)?.name ?? jid.split('@')[0]!;
        return { jid, name, short: given.short ?? name.split(' ')[0]! };
      }),
      chats: [],
    };
    this.#data.accounts.push(account);
    if (options.withChats !== false) this.#seedChats(wid, spec.chats ?? {});
    return account;
  }

  /** Adds a group; its members' accounts get the (empty) group chat. */
  addGroup(spec: GroupSpec): GroupData {
    const id = checkGroupJid(spec.id);
    if (this.group(id)) throw new SandboxError('INVALID_ARGUMENT', `group ${id} exists already`);
    if (!Array.isArray(spec.participants) || spec.participants.length === 0) {
      throw new SandboxError('INVALID_ARGUMENT', `group ${id} needs participants`);
    }
    const participants = spec.participants.map((entry) => {
      const given = typeof entry === 'string' ? { jid: entry } : entry;
      return { jid: checkUserJid(given.jid), isAdmin: given.isAdmin ?? false, isSuperAdmin: given.isSuperAdmin ?? false };
    });
    const owner = checkUserJid(spec.owner ?? participants[0]!.jid);
    const group: GroupData = {
      id,
      owner,
      subject: spec.subject,
      creation: spec.creation ?? this.#seconds(),
      participants,
    };
    if (spec.desc !== undefined) group.desc = spec.desc;
    this.#data.groups.push(group);
    for (const participant of participants) {
      const account = this.account(participant.jid);
      if (account && !this.chat(account, id)) this.chat(account, id, true).t = group.creation;
    }
    return group;
  }

  /**
   * Appends a message to a chat and moves the chat to the top. A chat at `maxMessagesPerChat`
   * drops its oldest message (and its id) first.
   */
  appendMessage(account: AccountData, chatJid: string, message: MessageData): ChatData {
    const chat = this.chat(account, chatJid, true);
    chat.messages.push(message);
    const index = this.#messagesById.get(account);
    const limit = this.#context.maxMessagesPerChat;
    // One at a time with shift(): V8 moves the array's start instead of its 10,000 elements,
    // which splice(0, 1) copied for every message once a chat was full (~30 µs each).
    while (limit !== undefined && chat.messages.length > limit) {
      const dropped = chat.messages.shift()!;
      if (index?.get(dropped.id)?.message === dropped) index.delete(dropped.id);
    }
    if (index && !index.has(message.id)) index.set(message.id, { chat, message });
    chat.t = Math.max(chat.t, message.t);
    if (!message.fromMe) chat.unread += 1;
    return chat;
  }

  /**
   * Removes a chat (and its history) from an account's chat list; returns whether it was there.
   * @example
   * ```ts
   * world.removeChat(account, '15550100002@c.us'); // true
   * ```
   */
  removeChat(account: AccountData, jid: string): boolean {
    const at = account.chats.findIndex((entry) => entry.jid === normalizeJid(jid));
    if (at < 0) return false;
    account.chats.splice(at, 1);
    this.#messagesById.delete(account);
    return true;
  }

  /**
   * Drops the messages of a chat for which `keep` is false; returns how many went.
   * @example
   * ```ts
   * world.removeMessages(account, chat, (message) => message.starred === true);
   * ```
   */
  removeMessages(account: AccountData, chat: ChatData, keep: (message: MessageData, index: number) => boolean): number {
    const before = chat.messages.length;
    chat.messages = chat.messages.filter(keep);
    if (chat.messages.length !== before) this.#messagesById.delete(account);
    return before - chat.messages.length;
  }

  /**
   * Finds a message by id in one account. Messages must be added with {@link World.appendMessage}
   * (or be there when the world is built) to be found.
   */
  findMessage(account: AccountData, id: string): { chat: ChatData; message: MessageData } | undefined {
    let index = this.#messagesById.get(account);
    if (!index) {
      index = new Map();
      for (const chat of account.chats) {
        for (const message of chat.messages) if (!index.has(message.id)) index.set(message.id, { chat, message });
      }
      this.#messagesById.set(account, index);
    }
    return index.get(id);
  }

  /** A fresh message id in the style of a phone (`3A` + 18 hex) or a web client (`3EB0` + 16 hex). */
  newMessageId(style: 'phone' | 'web' = 'phone'): string {
    return style === 'web' ? '3EB0' + randomHex(this.#context.random, 16) : '3A' + randomHex(this.#context.random, 18);
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }

  #seedChats(wid: string, chats: NonNullable<AccountSpec['chats']>): void {
    const account = this.requireAccount(wid);
    for (const [rawJid, messages] of Object.entries(chats)) {
      const chatJid = isGroupJid(rawJid) ? checkGroupJid(rawJid) : checkUserJid(rawJid);
      const existing = this.chat(account, chatJid);
      const chat = existing ?? this.chat(account, chatJid, true);
      // A seeded chat is as recent as its last message, not as the moment it was seeded.
      if (!existing) chat.t = 0;
      for (const spec of messages) {
        const fromMe = spec.from === 'me' || normalizeJid(spec.from) === wid;
        const t = this.#seconds() - (spec.ago ?? 0);
        const message: MessageData = {
          id: this.newMessageId(fromMe ? 'web' : 'phone'),
          fromMe,
          t,
          status: spec.status ?? (fromMe ? 'DELIVERY_ACK' : 'READ'),
          text: spec.text,
        };
        if (!fromMe && isGroupJid(chatJid)) message.participant = checkUserJid(spec.from);
        chat.messages.push(message);
        chat.t = Math.max(chat.t, t);
      }
      chat.messages.sort((a, b) => a.t - b.t);
      // The last incoming message of a seeded chat counts as unread, so clients show a badge.
      const last = chat.messages[chat.messages.length - 1];
      chat.unread = last && !last.fromMe ? 1 : 0;
    }
  }
}

/**
 * Finds list entries by id through a map built from the list, checked on every hit (the entry at
 * the remembered position must still have that id) and rebuilt when the list changed under it:
 * as fast as a map, as current as a scan.
 */
class IdIndex<T> {
  readonly #idOf: (entry: T) => string;
  #positions = new Map<string, number>();
  #list: readonly T[] | undefined;
  #length = -1;

  constructor(idOf: (entry: T) => string) {
    this.#idOf = idOf;
  }

  find(list: readonly T[], id: string): T | undefined {
    if (list !== this.#list || list.length !== this.#length) this.#rebuild(list);
    const position = this.#positions.get(id);
    if (position === undefined) return undefined;
    const entry = list[position];
    if (entry !== undefined && this.#idOf(entry) === id) return entry;
    this.#rebuild(list);
    const again = this.#positions.get(id);
    return again === undefined ? undefined : list[again];
  }

  #rebuild(list: readonly T[]): void {
    this.#positions = new Map();
    list.forEach((entry, index) => {
      const id = this.#idOf(entry);
      if (!this.#positions.has(id)) this.#positions.set(id, index);
    });
    this.#list = list;
    this.#length = list.length;
  }
}
