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
    for (const chat of chats) this.#chats.set(chat.jid, { ...chat });
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
    return [...this.#chats.values()].map((chat) => ({ ...chat })).sort((a, b) => b.timestamp - a.timestamp);
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
    const list = this.#messages.get(event.chat) ?? [];
    const existing = list.findIndex((info) => info.key.id === event.id);
    if (existing >= 0) list[existing] = event.info;
    else {
      list.push(event.info);
      list.sort((a, b) => Number(a.messageTimestamp ?? 0) - Number(b.messageTimestamp ?? 0));
      if (list.length > this.#messagesPerChat) list.splice(0, list.length - this.#messagesPerChat);
    }
    this.#messages.set(event.chat, list);
    if (event.source !== 'relay' || existing >= 0) return false;
    const chat: Chat = this.#chats.get(event.chat) ?? {
      jid: event.chat,
      unreadCount: 0,
      timestamp: 0,
      muteUntil: 0,
      archived: false,
      readOnly: false,
      spam: false,
    };
    chat.timestamp = Math.max(chat.timestamp, event.timestamp);
    if (!event.fromMe) chat.unreadCount += 1;
    this.#chats.set(chat.jid, chat);
    return true;
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
    const index = list?.findIndex((info) => info.key.id === receipt.id) ?? -1;
    if (!list || index < 0) return;
    const info = list[index]!;
    if ((statusRank[info.status ?? 'PENDING'] ?? 0) < (statusRank[receipt.status] ?? 0)) list[index] = { ...info, status: receipt.status };
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
    this.#contacts.clear();
    this.#messages.clear();
    this.#hasChatList = false;
    this.#hasContacts = false;
  }
}
