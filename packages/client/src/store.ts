/**
 * A small in-memory picture of the account (chats, contacts, recent messages) kept up to date
 * from the events, so a UI can render from snapshots instead of replaying events.
 * @module
 */
import { WebMessageInfoStatus, type WebMessageInfo } from '@wa/proto';
import { GroupStore } from './group-store.js';
import type { Chat, ChatChanges, Contact, MessageEvent, Receipt } from './types.js';

/** Statuses only move forward; the protobuf enum's numbers order them (PENDING < … < PLAYED). */
const statusRank: Readonly<Record<string, number>> = WebMessageInfoStatus;

/** A chat the store first hears of from a message or a setting: nothing unread, muted, archived. */
function emptyChat(jid: string, timestamp: number): Chat {
  return { jid, unreadCount: 0, timestamp, muteUntil: 0, archived: false, readOnly: false, spam: false };
}

/**
 * Chats, contacts and the latest messages per chat. Snapshots are copies: changing them does
 * not change the store.
 * @example
 * ```ts
 * const store = new ChatStore();
 * store.setChats([{ jid: '15550100002@c.us', unreadCount: 1, timestamp: 1600000000, muteUntil: 0, archived: false, readOnly: false, spam: false }]);
 * store.chats()[0]?.jid; // '15550100002@c.us'
 * ```
 */
export class ChatStore {
  readonly #chats = new Map<string, Chat>();
  readonly #contacts = new Map<string, Contact>();
  readonly #messages = new Map<string, WebMessageInfo[]>();
  /** Per chat: message id → the stored message, so a duplicate is found without scanning the list. */
  readonly #messageIds = new Map<string, Map<string, WebMessageInfo>>();
  /** When each chat first entered {@link ChatStore.#chats}: ties of the chat order keep that order. */
  readonly #chatRank = new Map<string, number>();
  #nextRank = 0;
  /** The chats most recent first, kept in order as messages arrive; `undefined`: sort on the next read. */
  #order: Chat[] | undefined;
  readonly #messagesPerChat: number;
  /** The groups (group-store.ts), kept current by groups.ts. */
  readonly groups = new GroupStore();
  #hasChatList = false;
  #hasContacts = false;
  /** The users the account blocked (blocking.ts keeps it from the `Blocklist` pushes). */
  #blocklist: string[] = [];

  /** @param messagesPerChat - how many of the latest messages to keep per chat (default 100). */
  constructor(messagesPerChat = 100) {
    this.#messagesPerChat = messagesPerChat;
  }

  /** Whether a chat list has arrived since the last reset. */
  get hasChatList(): boolean {
    return this.#hasChatList;
  }

  /** Whether a contact list has arrived since the last reset. */
  get hasContacts(): boolean {
    return this.#hasContacts;
  }

  /**
   * Replaces the chat list.
   * @example
   * ```ts
   * store.setChats(chats);
   * ```
   */
  setChats(chats: Chat[]): void {
    this.#chats.clear();
    this.#chatRank.clear();
    this.#order = undefined;
    for (const chat of chats) this.#putChat({ ...chat });
    this.#hasChatList = true;
  }

  /**
   * Replaces the contact list.
   * @example
   * ```ts
   * store.setContacts(contacts);
   * ```
   */
  setContacts(contacts: Contact[]): void {
    this.#contacts.clear();
    for (const contact of contacts) this.#contacts.set(contact.jid, { ...contact });
    this.#hasContacts = true;
  }

  /**
   * Chats, most recent first.
   * @example
   * ```ts
   * for (const chat of store.chats()) console.log(chat.name ?? chat.jid, chat.unreadCount);
   * ```
   */
  chats(): Chat[] {
    this.#order ??= [...this.#chats.values()].sort(this.#compareChats);
    return this.#order.map((chat) => ({ ...chat }));
  }

  /** Most recent first; equal timestamps in the order the chats became known. */
  readonly #compareChats = (a: Chat, b: Chat): number => b.timestamp - a.timestamp || this.#chatRank.get(a.jid)! - this.#chatRank.get(b.jid)!;

  #putChat(chat: Chat): void {
    if (!this.#chatRank.has(chat.jid)) this.#chatRank.set(chat.jid, this.#nextRank++);
    this.#chats.set(chat.jid, chat);
  }

  /** Puts `chat` (new, or with a new timestamp) at its place in the kept order, without sorting. */
  #reorder(chat: Chat, isNew: boolean): void {
    const order = this.#order;
    if (order === undefined) return;
    if (!isNew) {
      const at = order.indexOf(chat);
      if (at < 0) {
        this.#order = undefined;
        return;
      }
      // Already in place (a burst in the top chat): nothing moves.
      if ((at === 0 || this.#compareChats(order[at - 1]!, chat) <= 0) && (at === order.length - 1 || this.#compareChats(chat, order[at + 1]!) <= 0)) return;
      order.splice(at, 1);
    }
    let low = 0;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#compareChats(order[middle]!, chat) <= 0) low = middle + 1;
      else high = middle;
    }
    order.splice(low, 0, chat);
  }

  /**
   * One chat, or `undefined`.
   * @example
   * ```ts
   * store.chat('15550100002@c.us')?.unreadCount;
   * ```
   */
  chat(jid: string): Chat | undefined {
    const chat = this.#chats.get(jid);
    return chat === undefined ? undefined : { ...chat };
  }

  /**
   * Contacts, in the order the server listed them.
   * @example
   * ```ts
   * store.contacts().map((contact) => contact.name ?? contact.notify);
   * ```
   */
  contacts(): Contact[] {
    return [...this.#contacts.values()].map((contact) => ({ ...contact }));
  }

  /**
   * The latest messages of a chat, oldest first.
   * @example
   * ```ts
   * store.messages('15550100002@c.us').at(-1)?.status;
   * ```
   */
  messages(jid: string): WebMessageInfo[] {
    return [...(this.#messages.get(jid) ?? [])];
  }

  /**
   * Records a message. A new one (`relay`) moves its chat to the top and, when it is not our
   * own, counts as unread; returns whether the chat list changed.
   * @example
   * ```ts
   * if (store.addMessage(event)) emit('chats', store.chats());
   * ```
   */
  addMessage(event: MessageEvent): boolean {
    let list = this.#messages.get(event.chat);
    let ids = this.#messageIds.get(event.chat);
    if (list === undefined || ids === undefined) {
      list = [];
      ids = new Map();
      this.#messages.set(event.chat, list);
      this.#messageIds.set(event.chat, ids);
    }
    const info = event.info;
    const known = ids.get(event.id);
    if (known !== undefined) {
      list[list.lastIndexOf(known)] = info;
      this.#index(ids, info);
      return false;
    }
    // In place, oldest first: after every message that is not newer (as a stable sort would put it).
    const time = Number(info.messageTimestamp ?? 0);
    let at = list.length;
    while (at > 0 && Number(list[at - 1]!.messageTimestamp ?? 0) > time) at -= 1;
    if (at === list.length) list.push(info);
    else list.splice(at, 0, info);
    this.#index(ids, info);
    while (list.length > this.#messagesPerChat) {
      const dropped = list.shift()!;
      const id = dropped.key.id;
      if (id !== undefined && ids.get(id) === dropped) ids.delete(id);
    }
    if (event.source !== 'relay') return false;
    let chat = this.#chats.get(event.chat);
    const isNew = chat === undefined;
    chat ??= emptyChat(event.chat, 0);
    const before = chat.timestamp;
    chat.timestamp = Math.max(chat.timestamp, event.timestamp);
    if (!event.fromMe) chat.unreadCount += 1;
    if (isNew) this.#putChat(chat);
    if (isNew || chat.timestamp !== before) this.#reorder(chat, isNew);
    return true;
  }

  #index(ids: Map<string, WebMessageInfo>, info: WebMessageInfo): void {
    if (info.key.id !== undefined) ids.set(info.key.id, info);
  }

  /**
   * Raises the status of a stored message (never lowers it).
   * @example
   * ```ts
   * store.applyReceipt({ id: '3EB0…', chat, ack: 3, status: 'READ' });
   * ```
   */
  applyReceipt(receipt: Receipt): void {
    const list = this.#messages.get(receipt.chat);
    const ids = this.#messageIds.get(receipt.chat);
    const info = ids?.get(receipt.id);
    if (!list || !ids || info === undefined) return;
    // A failure (`received` type error) is the one status that replaces a higher one.
    if (receipt.status !== 'ERROR' && (statusRank[info.status ?? 'PENDING'] ?? 0) >= (statusRank[receipt.status] ?? 0)) return;
    const raised = { ...info, status: receipt.status };
    list[list.lastIndexOf(info)] = raised;
    ids.set(receipt.id, raised);
  }

  /**
   * Sets a chat's unread count to zero; returns whether it changed.
   * @example
   * ```ts
   * store.markRead('15550100002@c.us');
   * ```
   */
  markRead(jid: string): boolean {
    const chat = this.#chats.get(jid);
    if (!chat || chat.unreadCount === 0) return false;
    chat.unreadCount = 0;
    return true;
  }

  /**
   * Applies what a chat action changed (archived, pinned, muteUntil, unreadCount; `pinned: null`
   * unpins); returns whether the chat is known and changed.
   * @example
   * ```ts
   * store.updateChat('15550100002@c.us', { archived: true });
   * ```
   */
  updateChat(jid: string, changes: ChatChanges): boolean {
    const chat = this.#chats.get(jid);
    if (!chat) return false;
    let changed = false;
    for (const key of ['archived', 'muteUntil', 'unreadCount'] as const) {
      const value = changes[key];
      if (value === undefined || chat[key] === value) continue;
      (chat as unknown as Record<string, unknown>)[key] = value;
      changed = true;
    }
    if (changes.pinned === null && chat.pinned !== undefined) {
      delete chat.pinned;
      changed = true;
    } else if (typeof changes.pinned === 'number' && chat.pinned !== changes.pinned) {
      chat.pinned = changes.pinned;
      changed = true;
    }
    return changed;
  }

  /**
   * Sets a group chat's name or read-only flag (a subject change, leaving or rejoining); returns
   * whether the chat is known and changed.
   * @example
   * ```ts
   * store.updateGroupChat('15550100001-1600000000@g.us', { readOnly: true });
   * ```
   */
  updateGroupChat(jid: string, changes: { name?: string; readOnly?: boolean }): boolean {
    const chat = this.#chats.get(jid);
    if (!chat) return false;
    const changed = (changes.name !== undefined && chat.name !== changes.name) || (changes.readOnly !== undefined && chat.readOnly !== changes.readOnly);
    if (changes.name !== undefined) chat.name = changes.name;
    if (changes.readOnly !== undefined) chat.readOnly = changes.readOnly;
    return changed;
  }

  /**
   * Forgets a chat and its messages (the chat was deleted); returns whether it was known.
   * @example
   * ```ts
   * store.removeChat('15550100002@c.us');
   * ```
   */
  removeChat(jid: string): boolean {
    const known = this.#chats.delete(jid);
    this.#chatRank.delete(jid);
    this.#messages.delete(jid);
    this.#messageIds.delete(jid);
    if (known) this.#order = undefined;
    return known;
  }

  /**
   * Drops a chat's messages (the chat was cleared), but the starred ones with `keepStarred`;
   * the unread count becomes 0. Returns whether anything changed.
   * @example
   * ```ts
   * store.clearMessages('15550100002@c.us', true);
   * ```
   */
  clearMessages(jid: string, keepStarred: boolean): boolean {
    const list = this.#messages.get(jid);
    const ids = this.#messageIds.get(jid);
    let changed = false;
    if (list && ids) {
      const kept = keepStarred ? list.filter((info) => info.starred === true) : [];
      changed = kept.length !== list.length;
      list.splice(0, list.length, ...kept);
      ids.clear();
      for (const info of kept) this.#index(ids, info);
    }
    return this.updateChat(jid, { unreadCount: 0 }) || changed;
  }

  /**
   * The stored message `id` of a chat, or `undefined`.
   * @example
   * ```ts
   * store.message('15550100002@c.us', '3EB0…')?.starred;
   * ```
   */
  message(jid: string, id: string): WebMessageInfo | undefined {
    return this.#messageIds.get(jid)?.get(id);
  }

  /**
   * Forgets one message of a chat (deleted for me); returns it, or `undefined` when unknown.
   * @example
   * ```ts
   * store.removeMessage('15550100002@c.us', '3EB0…');
   * ```
   */
  removeMessage(jid: string, id: string): WebMessageInfo | undefined {
    const list = this.#messages.get(jid);
    const ids = this.#messageIds.get(jid);
    const info = ids?.get(id);
    if (!list || !ids || info === undefined) return undefined;
    list.splice(list.lastIndexOf(info), 1);
    ids.delete(id);
    return info;
  }

  /**
   * Sets a chat's disappearing-messages timer (`seconds` 0: off); a chat not in the list yet is
   * added (the setting is its first activity). Returns whether the chat list changed.
   * @example
   * ```ts
   * store.setEphemeral('15550100002@c.us', 604800, 1600000000);
   * ```
   */
  setEphemeral(jid: string, seconds: number, since?: number): boolean {
    let chat = this.#chats.get(jid);
    if (!chat) {
      if (seconds <= 0) return false;
      chat = emptyChat(jid, since ?? 0);
      this.#putChat(chat);
      this.#reorder(chat, true);
    }
    const before = `${chat.ephemeralSeconds}/${chat.ephemeralSince}`;
    delete chat.ephemeralSeconds;
    delete chat.ephemeralSince;
    if (seconds > 0) {
      chat.ephemeralSeconds = seconds;
      if (since !== undefined) chat.ephemeralSince = since;
    }
    return before !== `${chat.ephemeralSeconds}/${chat.ephemeralSince}`;
  }

  /**
   * Merges a contact's changed fields (a `user` push) into the contact list, adding the contact
   * when it is new; returns whether anything changed.
   * @example
   * ```ts
   * store.updateContact({ jid: '15550100002@c.us', notify: 'Alice W.' });
   * ```
   */
  updateContact(update: Contact): boolean {
    const known = this.#contacts.get(update.jid);
    const merged: Contact = { ...known, ...update };
    if (known !== undefined && (['name', 'short', 'notify', 'vname'] as const).every((field) => known[field] === merged[field])) return false;
    this.#contacts.set(update.jid, merged);
    return true;
  }

  /**
   * Sets the name of a chat the store has; returns whether it changed.
   * @example
   * ```ts
   * store.renameChat('15550100002@c.us', 'Alice W.');
   * ```
   */
  renameChat(jid: string, name: string): boolean {
    return this.updateGroupChat(jid, { name });
  }

  /**
   * The users the account blocked (a copy), as the latest `Blocklist` push listed them.
   * @example
   * ```ts
   * store.blocklist(); // ['15550100005@c.us']
   * ```
   */
  blocklist(): string[] {
    return [...this.#blocklist];
  }

  /**
   * Replaces the block list.
   * @example
   * ```ts
   * store.setBlocklist(['15550100005@c.us']);
   * ```
   */
  setBlocklist(jids: readonly string[]): void {
    this.#blocklist = [...new Set(jids)];
  }

  /**
   * Forgets everything (after a logout).
   * @example
   * ```ts
   * store.reset();
   * ```
   */
  reset(): void {
    this.#blocklist = [];
    this.groups.clear();
    this.#chats.clear();
    this.#chatRank.clear();
    this.#order = undefined;
    this.#contacts.clear();
    this.#messages.clear();
    this.#messageIds.clear();
    this.#hasChatList = false;
    this.#hasContacts = false;
  }
}
