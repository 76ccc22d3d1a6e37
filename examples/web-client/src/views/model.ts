/** What the main screen's views read: a snapshot the app builds from the client on each render. */
import type { Chat, Contact, MediaInfo, MessageDetails, PresenceUpdate } from '@wa/client';
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
  /** What the content is (kind, location, contact cards, starred …), for stored messages. */
  details?: MessageDetails;
  /** A centred system line instead of a bubble ("Alice added Bob"). */
  system?: string;
  /** Deleted for everyone: a REVOKE stub, shown as "This message was deleted". */
  deleted?: boolean;
}

/** What the message menu offers. */
export type MessageAction = 'star' | 'unstar' | 'delete-for-me' | 'delete-for-everyone';

/** What the chat menu offers. */
export type ChatMenuAction = 'archive' | 'unarchive' | 'pin' | 'unpin' | 'mute' | 'unmute' | 'leave';

/** The open drop-down menu, if any. */
export type OpenMenu = { kind: 'message'; id: string } | { kind: 'chat'; jid: string } | undefined;

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
  /** Whether the chat list shows the archived chats instead of the others. */
  showArchived: boolean;
  /** The open drop-down menu. */
  menu: OpenMenu;
  /** Opens (or, when it is open, closes) a menu. */
  toggleMenu(menu: OpenMenu): void;
  /** Runs a message menu entry. */
  messageAction(message: ViewMessage, action: MessageAction): void;
  /** Runs a chat menu entry. */
  chatAction(jid: string, action: ChatMenuAction): void;
  /** Switches between the chats and the archived chats. */
  toggleArchived(): void;
  /** Opens the dialog that changes a group's subject. */
  editSubject(jid: string): void;
}
