/** What the main screen's views read: a snapshot the app builds from the client on each render. */
import type { Chat, Contact, PresenceUpdate } from '@wa/client';
import type { WebMessageInfo } from '@wa/proto';
import type { TickStatus } from '../ticks.ts';

/** A message as the views draw it: from the client's store, or still being sent. */
export interface ViewMessage {
  id: string;
  chat: string;
  fromMe: boolean;
  /** The author in groups (`@c.us`). */
  author: string | undefined;
  text: string;
  timestamp: number;
  status: TickStatus | undefined;
  /** The stored message, absent for one still being sent. */
  info?: WebMessageInfo;
}

/** The snapshot of the main screen. */
export interface ViewModel {
  meJid: string;
  meName: string;
  chats: Chat[];
  chatMap: ReadonlyMap<string, Chat>;
  contactMap: ReadonlyMap<string, Contact>;
  selected: string | undefined;
  search: string;
  presence: ReadonlyMap<string, PresenceUpdate>;
  /** Messages of a chat, oldest first (pending ones last). */
  messages(jid: string): ViewMessage[];
  /** The names of a group's participants, once known. */
  participants(jid: string): string[] | undefined;
  name(jid: string): string;
}
