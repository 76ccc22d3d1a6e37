/**
 * Reading the binary nodes and JSON pushes the server sends into the client's plain types
 * (FACTS.md "Binary nodes beyond the seed", "Tags clients wait on").
 * @module
 */
import { getAttribute, getBytes, getChildren, type Node } from '@wa/binary-codec';
import { decodeWebMessageInfo, messageText, type WebMessageInfo, type WebMessageInfoStatus } from '@wa/proto';
import { FrameError } from './errors.js';
import { isGroupJid, toChatJid } from './jid.js';
import { describeMessage } from './message-details.js';
import { isRecord } from './replies.js';
import type { AckLevel, Chat, Contact, MessageEvent, MessageSource, PresenceType, PresenceUpdate, Receipt } from './types.js';

/**
 * `["chat", {jid, count, t, mute, name, archive, pin, read_only, spam}, null]` → {@link Chat};
 * `undefined` for a node without a jid.
 * @example
 * ```ts
 * chatFromNode(['chat', { jid: '15550100002@c.us', count: '2', t: '1600000000' }, null]);
 * ```
 */
export function chatFromNode(node: Node): Chat | undefined {
  const jid = getAttribute(node, 'jid');
  if (jid === undefined || jid === '') return undefined;
  const chat: Chat = {
    jid: toChatJid(jid),
    unreadCount: integer(getAttribute(node, 'count')),
    timestamp: integer(getAttribute(node, 't')),
    muteUntil: integer(getAttribute(node, 'mute')),
    archived: getAttribute(node, 'archive') === 'true',
    readOnly: getAttribute(node, 'read_only') === 'true',
    spam: getAttribute(node, 'spam') === 'true',
  };
  const name = getAttribute(node, 'name');
  if (name !== undefined) chat.name = name;
  const ephemeral = integer(getAttribute(node, 'ephemeral'));
  if (ephemeral > 0) {
    chat.ephemeralSeconds = ephemeral;
    const since = integer(getAttribute(node, 'eph_setting_ts'));
    if (since > 0) chat.ephemeralSince = since;
  }
  const pin = getAttribute(node, 'pin');
  if (pin !== undefined && integer(pin) > 0) chat.pinned = integer(pin);
  return chat;
}

/**
 * `["user", {jid, name, short, notify, vname}, null]` → {@link Contact}.
 * @example
 * ```ts
 * contactFromNode(['user', { jid: '15550100002@c.us', name: 'Alice' }, null]);
 * ```
 */
export function contactFromNode(node: Node): Contact | undefined {
  const jid = getAttribute(node, 'jid');
  if (jid === undefined || jid === '') return undefined;
  const contact: Contact = { jid: toChatJid(jid) };
  for (const name of ['name', 'short', 'notify', 'vname'] as const) {
    const value = getAttribute(node, name);
    if (value !== undefined) contact[name] = value;
  }
  return contact;
}

/** The decoded messages of an `action` node, and the messages that failed to decode. */
export interface MessagesOfNode {
  messages: WebMessageInfo[];
  errors: FrameError[];
}

/**
 * The `WebMessageInfo`s inside `["action", {…}, [["message", null, bytes], …]]`. One broken
 * message costs that message only.
 * @example
 * ```ts
 * const { messages, errors } = messagesFromNode(node, tag);
 * ```
 */
export function messagesFromNode(node: Node, tag?: string): MessagesOfNode {
  const messages: WebMessageInfo[] = [];
  const errors: FrameError[] = [];
  for (const child of getChildren(node)) {
    if (child[0] !== 'message') continue;
    const bytes = getBytes(child);
    if (bytes === undefined) {
      errors.push(new FrameError('BAD_MESSAGE', 'a message node without WebMessageInfo bytes', tag));
      continue;
    }
    try {
      messages.push(decodeWebMessageInfo(bytes));
    } catch (cause) {
      errors.push(new FrameError('BAD_MESSAGE', 'a message node whose WebMessageInfo does not decode', tag, { cause }));
    }
  }
  return { messages, errors };
}

/**
 * The `message` event payload for a decoded message; `me` is the account, the sender of own messages.
 * @example
 * ```ts
 * messageEvent(info, 'relay', '15550100001@c.us').text;
 * ```
 */
export function messageEvent(info: WebMessageInfo, source: MessageSource, me: string | undefined): MessageEvent {
  const chat = toChatJid(info.key.remoteJid ?? '');
  const fromMe = info.key.fromMe === true;
  const participant = info.key.participant ?? info.participant;
  const sender = fromMe ? (me ?? '') : isGroupJid(chat) && participant !== undefined ? toChatJid(participant) : chat;
  const event: MessageEvent = {
    info,
    chat,
    id: info.key.id ?? '',
    fromMe,
    sender,
    timestamp: integer(info.messageTimestamp),
    source,
    ...describeMessage(info),
  };
  const text = info.message === undefined ? undefined : messageText(info.message);
  if (text !== undefined) event.text = text;
  return event;
}

const ackStatus: Readonly<Record<AckLevel, WebMessageInfoStatus>> = /* @__PURE__ */ Object.freeze({
  0: 'ERROR',
  1: 'SERVER_ACK',
  2: 'DELIVERY_ACK',
  3: 'READ',
  4: 'PLAYED',
});

/**
 * `{"cmd":"ack","ack":n,"id","from","to","t"[,"participant"]}` → one {@link Receipt} per id
 * (`id` may also be a list of ids); an empty list for anything else.
 * @example
 * ```ts
 * receiptsFromAck({ cmd: 'ack', ack: 3, id: '3EB0…', from: me, to: chat, t: 1600000000 });
 * ```
 */
export function receiptsFromAck(record: unknown): Receipt[] {
  if (!isRecord(record)) return [];
  const ack = record.ack;
  if (record.cmd !== 'ack' || (ack !== 1 && ack !== 2 && ack !== 3 && ack !== 4)) return [];
  const ids = Array.isArray(record.id) ? record.id : [record.id];
  const chat = typeof record.to === 'string' ? toChatJid(record.to) : '';
  const receipts: Receipt[] = [];
  for (const id of ids) {
    if (typeof id !== 'string' || id === '') continue;
    const receipt: Receipt = { id, chat, ack, status: ackStatus[ack] };
    if (typeof record.participant === 'string') receipt.participant = toChatJid(record.participant);
    if (typeof record.t === 'number') receipt.timestamp = record.t;
    receipts.push(receipt);
  }
  return receipts;
}

const presenceTypes: ReadonlySet<string> = /* @__PURE__ */ new Set(['available', 'unavailable', 'composing', 'recording', 'paused']);

/**
 * `{"id","type"[,"t"][,"participant"]}` → {@link PresenceUpdate}; `undefined` when malformed.
 * @example
 * ```ts
 * presenceFromJson({ id: '15550100004@c.us', type: 'available' });
 * ```
 */
export function presenceFromJson(record: unknown): PresenceUpdate | undefined {
  if (!isRecord(record)) return undefined;
  if (typeof record.id !== 'string' || typeof record.type !== 'string' || !presenceTypes.has(record.type)) return undefined;
  const update: PresenceUpdate = { jid: toChatJid(record.id), type: record.type as PresenceType };
  if (typeof record.participant === 'string') update.participant = toChatJid(record.participant);
  if (typeof record.t === 'number' && record.type === 'unavailable') update.lastSeen = record.t;
  return update;
}

function integer(value: string | number | undefined): number {
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
}
