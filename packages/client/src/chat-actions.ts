/**
 * Chat actions (archive, pin, mute, mark unread, delete, clear) and the pushes in which the
 * account's other sessions and its phone report their own: `chat` (without `item` children),
 * `read`, `received` and `battery` children of `["action",…]` (FACTS.md "Profile, blocking, chat
 * actions, other pushes"; docs/protocol/chat-actions.md and pushes.md).
 * @module
 */
import { getAttribute, getChildren, type Node } from '@wa/binary-codec';
import { Flag, Metric } from '@wa/transport';
import { type ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid, toChatJid } from './jid.js';
import { setAction } from './outgoing.js';
import type { AckLevel, BatteryStatus, ChatAction, ChatUpdate, Receipt } from './types.js';
import { whenRequestable } from './send-queue.js';

/** How many chats an account could pin at once (the phone app's limit; the web client refused a fourth). */
export const MAX_PINNED_CHATS = 3;

/** Options of {@link WAClient.clearChat}. */
export interface ClearChatOptions {
  /** Keep starred messages (`star:"false"` on the wire). Default `false`: starred ones go too. */
  keepStarred?: boolean;
}

/** The newest message of the chat the client knows: `index` and `owner` of chat actions. */
function chatIndex(context: ClientContext, jid: string): Record<string, string> {
  const newest = context.store.messages(jid).at(-1);
  const id = newest?.key.id;
  return id === undefined ? {} : { index: id, owner: String(newest!.key.fromMe === true) };
}

/** Applies a chat action's changes to the store and emits `chat-update` (and `chats` when the list changed). */
function applyUpdate(context: ClientContext, update: ChatUpdate): void {
  const { store } = context;
  let changed: boolean;
  if (update.action === 'delete') changed = store.removeChat(update.jid);
  else if (update.action === 'clear') changed = store.clearMessages(update.jid, update.keepStarred === true);
  else changed = store.updateChat(update.jid, update.changes);
  context.emit('chat-update', update);
  if (changed) context.emit('chats', store.chats());
}

/**
 * Sends one chat action (metric 12) and, once answered 200, updates the store and emits
 * `chat-update` with `source: 'self'`.
 * @throws InvalidArgumentError for a bad jid, a mute end that is not in the future, a fourth pin;
 * NotLoggedInError; RequestError with the server's `status` (404: no such chat).
 * @example
 * ```ts
 * await chatAction(context, '15550100002@c.us', 'archive');
 * await chatAction(context, '15550100002@c.us', 'mute', Date.now() + 8 * 3600_000);
 * ```
 */
export async function chatAction(context: ClientContext, jid: string, action: Exclude<ChatAction, 'read' | 'unread'>, argument?: number | boolean): Promise<void> {
  const chat = checkJid(jid);
  const known = context.store.chat(chat);
  const attrs: Record<string, string> = { jid: chat };
  const update: ChatUpdate = { jid: chat, action, changes: {}, source: 'self' };
  switch (action) {
    case 'archive':
    case 'unarchive':
      Object.assign(attrs, { type: action }, chatIndex(context, chat));
      update.changes.archived = action === 'archive';
      break;
    case 'pin': {
      const pinned = context.store.chats().filter((entry) => entry.pinned !== undefined && entry.jid !== chat).length;
      if (known?.pinned === undefined && pinned >= MAX_PINNED_CHATS) throw new InvalidArgumentError(`at most ${MAX_PINNED_CHATS} chats can be pinned; unpin one first`);
      const now = Math.floor(Date.now() / 1000);
      Object.assign(attrs, { type: 'pin', pin: String(now) });
      update.changes.pinned = now;
      break;
    }
    case 'unpin':
      attrs.type = 'pin';
      if (known?.pinned !== undefined) attrs.previous = String(known.pinned);
      update.changes.pinned = null;
      break;
    case 'mute': {
      const untilMs = argument;
      if (typeof untilMs !== 'number' || !Number.isFinite(untilMs) || untilMs <= Date.now()) {
        throw new InvalidArgumentError('muteChat needs an end time in ms since the epoch that is in the future (null unmutes)');
      }
      const until = Math.floor(untilMs / 1000);
      Object.assign(attrs, { type: 'mute', mute: String(until) });
      update.changes.muteUntil = until;
      break;
    }
    case 'unmute':
      Object.assign(attrs, { type: 'mute', previous: String(known?.muteUntil ?? 0) });
      update.changes.muteUntil = 0;
      break;
    case 'delete':
      Object.assign(attrs, { type: 'delete' }, chatIndex(context, chat));
      break;
    case 'clear': {
      const keepStarred = argument === true;
      Object.assign(attrs, { type: 'clear', star: keepStarred ? 'false' : 'true' }, chatIndex(context, chat));
      update.changes.unreadCount = 0;
      update.keepStarred = keepStarred;
      break;
    }
  }
  await whenRequestable(context);
  await setAction(context, ['chat', attrs, null], Metric.chat, Flag.ignore, `${action} of ${chat}`);
  applyUpdate(context, update);
}

/**
 * Marks a chat unread (`["read",{jid,index,owner,count:"-2"}]`, metric 11): its unread count
 * becomes -1 when it had none, and `chat-update` follows.
 * @throws InvalidArgumentError, NotLoggedInError, RequestError.
 * @example
 * ```ts
 * await markUnread(context, '15550100002@c.us');
 * ```
 */
export async function markUnread(context: ClientContext, jid: string): Promise<void> {
  const chat = checkJid(jid);
  const attrs = { jid: chat, ...chatIndex(context, chat), count: '-2' };
  await whenRequestable(context);
  await setAction(context, ['read', attrs, null], Metric.read, Flag.ignore, `markUnread of ${chat}`);
  applyUpdate(context, { jid: chat, action: 'unread', changes: { unreadCount: unreadAfterMark(context, chat) }, source: 'self' });
}

/** A chat marked unread shows -1 ("marked") unless it has unread messages, which stay counted. */
function unreadAfterMark(context: ClientContext, jid: string): number {
  const count = context.store.chat(jid)?.unreadCount ?? 0;
  return count === 0 ? -1 : count;
}

/**
 * Applies a `chat` push without `item` children: `["chat",{jid,type:"archive"|"unarchive"|
 * "pin"|"mute"|"delete"|"clear",…}]`. Returns false for a node it does not handle (a `chat`
 * with `item` children acts on messages: message-actions handle it).
 * @example
 * ```ts
 * applyChatPush(context, ['chat', { jid: '15550100002@c.us', type: 'archive' }, null]);
 * ```
 */
export function applyChatPush(context: ClientContext, child: Node): boolean {
  if (getChildren(child).some((item) => item[0] === 'item')) return false;
  const raw = getAttribute(child, 'jid');
  if (raw === undefined || raw === '') return false;
  const jid = toChatJid(raw);
  const type = getAttribute(child, 'type');
  const update: ChatUpdate = { jid, action: 'archive', changes: {}, source: 'push' };
  switch (type) {
    case 'archive':
    case 'unarchive':
      update.action = type;
      update.changes.archived = type === 'archive';
      break;
    case 'pin': {
      const pin = seconds(getAttribute(child, 'pin'));
      update.action = pin === undefined ? 'unpin' : 'pin';
      update.changes.pinned = pin ?? null;
      break;
    }
    case 'mute': {
      const until = seconds(getAttribute(child, 'mute'));
      update.action = until === undefined || until === 0 ? 'unmute' : 'mute';
      update.changes.muteUntil = until ?? 0;
      break;
    }
    case 'delete':
      update.action = 'delete';
      break;
    case 'clear':
      update.action = 'clear';
      update.changes.unreadCount = 0;
      update.keepStarred = getAttribute(child, 'star') === 'false';
      break;
    default:
      return false;
  }
  applyUpdate(context, update);
  return true;
}

/**
 * `["read",{jid[,type:"false"]}]`: another session or the phone read the chat (unread count 0)
 * or marked it unread (`type:"false"`).
 * @example
 * ```ts
 * applyReadPush(context, ['read', { jid: '15550100002@c.us' }, null]);
 * ```
 */
export function applyReadPush(context: ClientContext, child: Node): boolean {
  const raw = getAttribute(child, 'jid');
  if (raw === undefined || raw === '') return false;
  const jid = toChatJid(raw);
  const unread = getAttribute(child, 'type') === 'false';
  applyUpdate(context, { jid, action: unread ? 'unread' : 'read', changes: { unreadCount: unread ? unreadAfterMark(context, jid) : 0 }, source: 'push' });
  return true;
}

const receivedAck: Readonly<Record<string, AckLevel>> = { message: 2, read: 3, error: 0 };

/**
 * `["received",{jid,index,owner,type:"message"|"read"|"error"}]` → a `receipt` event (ack 2, 3,
 * or 0 for a failed message), the stored message's status following.
 * @example
 * ```ts
 * applyReceivedPush(context, ['received', { jid, index: id, owner: 'true', type: 'read' }, null]);
 * ```
 */
export function applyReceivedPush(context: ClientContext, child: Node): boolean {
  const raw = getAttribute(child, 'jid');
  const id = getAttribute(child, 'index');
  const ack = receivedAck[getAttribute(child, 'type') ?? ''];
  if (raw === undefined || id === undefined || id === '' || ack === undefined) return false;
  const receipt: Receipt = { id, chat: toChatJid(raw), ack, status: ack === 0 ? 'ERROR' : ack === 2 ? 'DELIVERY_ACK' : 'READ' };
  const participant = getAttribute(child, 'participant');
  if (participant !== undefined) receipt.participant = toChatJid(participant);
  context.store.applyReceipt(receipt);
  context.emit('receipt', receipt);
  return true;
}

/**
 * `["battery",{live,value,powersave}]` → `battery` event; `WAClient.battery` and `me.battery`/
 * `me.plugged` follow.
 * @example
 * ```ts
 * applyBatteryPush(context, ['battery', { live: 'false', value: '80', powersave: 'false' }, null]);
 * ```
 */
export function applyBatteryPush(context: ClientContext, child: Node): boolean {
  const percentage = seconds(getAttribute(child, 'value'));
  if (percentage === undefined || percentage > 100) return false;
  const battery: BatteryStatus = { percentage, plugged: getAttribute(child, 'live') === 'true', powersave: getAttribute(child, 'powersave') === 'true' };
  context.battery = battery;
  if (context.me) {
    context.me.battery = percentage;
    context.me.plugged = battery.plugged;
  }
  context.emit('battery', { ...battery });
  return true;
}

/**
 * What the client knows of the phone's battery: the last `battery` push, else the `Conn`'s.
 * @example
 * ```ts
 * batteryOf(context)?.percentage; // 81
 * ```
 */
export function batteryOf(context: ClientContext): BatteryStatus | undefined {
  if (context.battery) return { ...context.battery };
  const me = context.me;
  return me?.battery === undefined ? undefined : { percentage: me.battery, plugged: me.plugged === true, powersave: false };
}

/** A non-negative whole number attribute, else `undefined`. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,12}$/.test(value)) return undefined;
  return Number(value);
}

