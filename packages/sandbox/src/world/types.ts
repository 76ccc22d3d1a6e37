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
  /** A picture set through the protocol or scripting (wins over `pictureUrl`; served by the sandbox). */
  picture?: PictureData;
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
  /**
   * Own messages: who received and read it and when (what `query message_info` answers), one
   * entry per recipient, at most `MAX_RECEIPTS_PER_MESSAGE`; absent until the first ack.
   */
  receipts?: MessageReceipt[];
  /** Starred by the account (message actions star/unstar); absent = not starred. */
  starred?: boolean;
}

/** When one recipient got (ack 2) and read (ack 3) an own message, in seconds since the epoch. */
export interface MessageReceipt {
  /** The recipient (`…@c.us`): the participant in a group, the chat in a one-to-one chat. */
  jid: string;
  delivered?: number;
  read?: number;
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
  /** When the chat was pinned, seconds since the epoch; absent = not pinned (chat actions, `pin` attribute). */
  pin?: number;
  /** Disappearing messages: the timer in seconds (a relayed EPHEMERAL_SETTING, `ephemeral` attribute); absent = off. */
  ephemeral?: number;
  /** When the timer was set, seconds since the epoch (`eph_setting_ts` attribute). */
  ephemeralSince?: number;
  messages: MessageData[];
}

/** A user who owns a phone that can scan QR codes and hold web sessions. */
export interface AccountData {
  wid: string;
  platform: string;
  phone: PhoneDetails;
  battery: number;
  plugged: boolean;
  /** Whether the phone is in battery-saving mode (`powersave` of the `battery` push); absent = no. */
  powersave?: boolean;
  /** Whether the phone is online; while it is not, requests that need the phone wait. */
  reachable: boolean;
  /** Locale, e.g. `en` + `US`. */
  lg: string;
  lc: string;
  contacts: AddressBookEntry[];
  chats: ChatData[];
  /** Users this account blocked (`…@c.us`), in the order they were blocked; absent = none. */
  blocklist?: string[];
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
  /** Id of the current description (absent: `D<creation>`, the seeded one). */
  descId?: string;
  /** Who set the description, and when (unix seconds). */
  descOwner?: string;
  descTime?: number;
  /** Who set the subject, and when (unix seconds). */
  subjectOwner?: string;
  subjectTime?: number;
  /** Only admins send messages (`announcement`). */
  announce?: boolean;
  /** Only admins change the subject, description and picture (`locked`). */
  restrict?: boolean;
  /** Disappearing messages, in seconds; absent = off. */
  ephemeral?: number;
  /** The current invite code; absent until an admin asks for one. */
  inviteCode?: string;
  /** The group picture, when one was set. */
  picture?: PictureData;
}

/**
 * A profile or group picture the sandbox stores and serves (`/pp/<id>.jpg`, the preview at
 * `/pp/<id>-preview.jpg`), as set by `["picture",{"type":"set"},[["image",…],["preview",…]]]`.
 */
export interface PictureData {
  /** 32 lowercase hex digits: the unguessable part of the picture's URL. */
  id: string;
  /** The picture's version (digits), answered as `tag`; changes with every new picture. */
  tag: string;
  /** Base64 of the JPEG (640 px in the real service). */
  image: string;
  /** Base64 of the preview JPEG (96 px). */
  preview: string;
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
