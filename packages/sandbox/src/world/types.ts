/**
 * The sandbox's world as plain, JSON-serialisable data: the people it knows, the accounts that own
 * a phone, their chats with history, and groups. The same shape is used for seeding a world
 * (`WorldSpec`, most fields optional) and for persisting it (`WorldData`, all filled in).
 */

/** Delivery status of a stored message, named as in `WebMessageInfo.status`. */
export type MessageStatus = 'ERROR' | 'PENDING' | 'SERVER_ACK' | 'DELIVERY_ACK' | 'READ' | 'PLAYED';

/** Presence values a user can show (the `type` of a `Presence` push). */
export type PresenceType = 'available' | 'unavailable' | 'composing' | 'recording' | 'paused';

/** How a scripted contact reacts to messages it receives. */
export interface ContactBehaviour {
  /** Milliseconds until the contact's phone receives a message (ack 2); `null` = never by itself. */
  deliverAfterMs: number | null;
  /** Milliseconds after delivery until it reads the message (ack 3); `null` = never by itself. */
  readAfterMs: number | null;
  /** Reply to every text with `echo: <text>` (after reading it, or after delivery if it never reads). */
  echo: boolean;
}

/** Somebody with a WhatsApp number: an account owner or a scripted contact. */
export interface UserData {
  /** `<number>@c.us`. */
  jid: string;
  /** The name this user set for themself (push name, `notify`). */
  name: string;
  /** The "about" text answered to `query Status`. */
  status: string;
  /** Profile picture URL answered to `query ProfilePicThumb`; absent = no picture (404). */
  pictureUrl?: string;
  /** Current presence. */
  presence: PresenceType;
  /** Last seen, seconds since the epoch. */
  lastSeen: number;
  behaviour: ContactBehaviour;
}

/** The phone's details sent in `Conn.phone`. */
export interface PhoneDetails {
  wa_version: string;
  mcc: string;
  mnc: string;
  os_version: string;
  device_manufacturer: string;
  device_model: string;
  os_build_number: string;
}

/** One entry in an account's address book. */
export interface AddressBookEntry {
  jid: string;
  /** The name saved on the phone (`name` of the `user` node). */
  name: string;
  /** The short name (`short`). */
  short: string;
}

/** One stored message of a chat. */
export interface MessageData {
  id: string;
  fromMe: boolean;
  /** Sender inside a group chat (`…@c.us`); absent in one-to-one chats. */
  participant?: string;
  /** Seconds since the epoch. */
  t: number;
  status: MessageStatus;
  /** Plain text (`Message.conversation`) of messages the sandbox made up. */
  text?: string;
  /** Base64 of the exact `WebMessageInfo` a web client sent; replayed as-is in history. */
  raw?: string;
  /**
   * Base64 of the `Message` protobuf of a made-up message that is not plain text (media a
   * scripted contact sent); wrapped in a `WebMessageInfo` per chat like `text`.
   */
  content?: string;
}

/** A chat of one account. */
export interface ChatData {
  /** `…@c.us` or `…@g.us`. */
  jid: string;
  /** Unread count. */
  unread: number;
  /** Last activity, seconds since the epoch. */
  t: number;
  /** Mute end in seconds, `0` = not muted. */
  mute: number;
  archived: boolean;
  messages: MessageData[];
}

/** A user who owns a phone that can scan QR codes and hold web sessions. */
export interface AccountData {
  wid: string;
  platform: string;
  phone: PhoneDetails;
  battery: number;
  plugged: boolean;
  /** Whether the phone is online; while it is not, requests that need the phone wait. */
  reachable: boolean;
  /** Locale, e.g. `en` + `US`. */
  lg: string;
  lc: string;
  contacts: AddressBookEntry[];
  chats: ChatData[];
}

/** A group participant. */
export interface ParticipantData {
  jid: string;
  isAdmin: boolean;
  isSuperAdmin: boolean;
}

/** A group chat. */
export interface GroupData {
  /** `<creator number>-<creation seconds>@g.us`. */
  id: string;
  owner: string;
  subject: string;
  /** Seconds since the epoch. */
  creation: number;
  desc?: string;
  participants: ParticipantData[];
}

/** The whole world, as persisted. */
export interface WorldData {
  users: UserData[];
  accounts: AccountData[];
  groups: GroupData[];
}

/** A user to seed: only `jid` and `name` are required. */
export interface UserSpec {
  jid: string;
  name: string;
  status?: string;
  pictureUrl?: string;
  presence?: PresenceType;
  behaviour?: Partial<ContactBehaviour>;
}

/** A seeded message: `from` is the sender (`'me'` or a jid); `ago` is seconds before "now". */
export interface MessageSpec {
  from: string;
  text: string;
  ago?: number;
  status?: MessageStatus;
}

/** An account to seed. */
export interface AccountSpec extends UserSpec {
  platform?: string;
  phone?: Partial<PhoneDetails>;
  battery?: number;
  plugged?: boolean;
  reachable?: boolean;
  lg?: string;
  lc?: string;
  /** Address book: jids of known users, optionally with a saved name. */
  contacts?: Array<string | { jid: string; name?: string; short?: string }>;
  /** Chat history by chat jid (a contact or a group). */
  chats?: Record<string, MessageSpec[]>;
}

/** A group to seed. The first participant is the owner unless `owner` is given. */
export interface GroupSpec {
  id: string;
  subject: string;
  owner?: string;
  creation?: number;
  desc?: string;
  participants: Array<string | { jid: string; isAdmin?: boolean; isSuperAdmin?: boolean }>;
}

/** A world to seed. */
export interface WorldSpec {
  accounts: AccountSpec[];
  users?: UserSpec[];
  groups?: GroupSpec[];
}
