/**
 * A small in-memory picture of the account (chats, contacts, recent messages) kept up to date
 * from the events, so a UI can render from snapshots instead of replaying events.
 * @module
 */
import { WebMessageInfoStatus, type WebMessageInfo } from '@wa/proto';
import type { Chat, Contact, MessageEvent, Receipt } from './types.js';

/** Statuses only move forward; the protobuf enum's numbers order them (PENDING < … < PLAYED). */
const statusRank: Readonly<Record<string, number>> = WebMessageInfoStatus;

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
  #hasChatList = false;
  #hasContacts = false;

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
    chat ??= { jid: event.chat, unreadCount: 0, timestamp: 0, muteUntil: 0, archived: false, readOnly: false, spam: false };
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
    if ((statusRank[info.status ?? 'PENDING'] ?? 0) >= (statusRank[receipt.status] ?? 0)) return;
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
   * Forgets everything (after a logout).
   * @example
   * ```ts
   * store.reset();
   * ```
   */
  reset(): void {
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
