/** What the main screen's views read: a snapshot the app builds from the client on each render. */
import type { Chat, Contact, MediaInfo, PresenceUpdate } from '@wa/client';
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

/** A message's media as the views draw it: what it is, and how far its download got. */
export interface MediaView {
  info: MediaInfo;
  /** `idle` until asked for (documents wait for a click), then `loading`, `ready` (with `url`) or `failed`. */
  state: 'idle' | 'loading' | 'ready' | 'failed';
  /** A `blob:` URL of the decrypted file, once ready. */
  url?: string;
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
  /** The media of a message (images start downloading when first asked for); `undefined` for none. */
  media(message: ViewMessage): MediaView | undefined;
  /** Downloads a message's media if needed and saves it (the document chip's click). */
  saveMedia(message: ViewMessage): void;
}
