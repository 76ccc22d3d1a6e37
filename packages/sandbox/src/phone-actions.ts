/**
 * What the account's own phone does to its chats and tells its web sessions: read a chat, mark
 * it unread, archive, pin, mute, delete, clear; battery changes; status and content updates of
 * stored messages. `Phone` (scripting.ts) exposes these; the frames are documented in
 * docs/protocol/pushes.md.
 * @module
 */
import { fromBase64, toBase64 } from '@wa/crypto';
import { decodeMessage, decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { performChatAction, pushChatChange } from './protocol/chat-actions.js';
import { pushToSessions } from './session-pushes.js';
import { messageNode } from './protocol/nodes.js';
import { isChatJid, normalizeJid } from './world/jid.js';
import type { AccountData, ChatData, MessageData, MessageStatus } from './world/types.js';

/** Options of `Phone.setBattery`. */
export interface BatteryOptions {
  /** Whether the phone is charging (`live` of the push). Default: unchanged. */
  plugged?: boolean;
  /** Whether battery saving is on (`powersave`). Default: unchanged. */
  powersave?: boolean;
}

/** The `type` of a `received` push: the recipient got the message, read it, or it failed. */
export type ReceivedType = 'message' | 'read' | 'error';

const receivedStatus: Readonly<Record<ReceivedType, MessageStatus>> = { message: 'DELIVERY_ACK', read: 'READ', error: 'ERROR' };

function accountOf(context: SandboxContext, wid: string): AccountData {
  return context.world.requireAccount(wid);
}

function chatOf(context: SandboxContext, account: AccountData, jid: string): ChatData {
  if (typeof jid !== 'string' || !isChatJid(normalizeJid(jid))) throw new SandboxError('INVALID_ARGUMENT', `${String(jid)} is not a chat id (…@c.us or …@g.us)`);
  const chat = context.world.chat(account, jid);
  if (!chat) throw new SandboxError('NOT_FOUND', `${account.wid} has no chat ${jid}`);
  return chat;
}

/**
 * The phone does a chat action (wire attributes as a web client sends them); every web session of
 * the account gets `["action",null,[["chat",…]]]`.
 * @throws SandboxError NOT_FOUND for a chat the account does not have, INVALID_ARGUMENT for a
 * refused action (a fourth pin, a malformed time)
 * @example
 * ```ts
 * phoneChatAction(context, wid, { jid: '15550100002@c.us', type: 'archive' });
 * ```
 */
export function phoneChatAction(context: SandboxContext, wid: string, attrs: Record<string, string>): void {
  const account = accountOf(context, wid);
  chatOf(context, account, attrs.jid ?? '');
  const result = performChatAction(context, account, attrs);
  if (result.status === 404) throw new SandboxError('NOT_FOUND', result.reason ?? 'no such chat');
  if (result.status !== 200) throw new SandboxError('INVALID_ARGUMENT', result.reason ?? `refused with ${result.status}`);
  pushChatChange(context, account.wid, result.push!);
}

/**
 * The wire attributes of a phone's chat action.
 * @throws SandboxError INVALID_ARGUMENT for a mute time that is not in the future
 * @example
 * ```ts
 * chatActionAttrs(context, jid, 'mute', Date.now() + 8 * 3600_000); // { jid, type: 'mute', mute: '…' }
 * ```
 */
export function chatActionAttrs(
  context: SandboxContext,
  jid: string,
  action: 'archive' | 'unarchive' | 'pin' | 'unpin' | 'mute' | 'unmute' | 'delete' | 'clear',
  argument?: number | boolean,
): Record<string, string> {
  const now = Math.floor(context.clock.now() / 1000);
  const normal = normalizeJid(jid);
  switch (action) {
    case 'pin':
      return { jid: normal, type: 'pin', pin: String(now) };
    case 'unpin':
      return { jid: normal, type: 'pin' };
    case 'mute': {
      const until = argument;
      if (typeof until !== 'number' || !Number.isFinite(until) || until <= context.clock.now()) {
        throw new SandboxError('INVALID_ARGUMENT', 'a mute needs an end time in ms after now (null unmutes)');
      }
      return { jid: normal, type: 'mute', mute: String(Math.floor(until / 1000)) };
    }
    case 'unmute':
      return { jid: normal, type: 'mute' };
    case 'clear':
      return { jid: normal, type: 'clear', star: argument === true ? 'false' : 'true' };
    default:
      return { jid: normal, type: action };
  }
}

/**
 * The phone read a chat (`unread` false: read receipts go to the senders) or marked it unread;
 * every web session gets the `read` push.
 * @throws SandboxError NOT_FOUND for a chat the account does not have
 * @example
 * ```ts
 * phoneReadChat(context, wid, '15550100002@c.us', false);
 * ```
 */
export function phoneReadChat(context: SandboxContext, wid: string, jid: string, unread: boolean): void {
  const account = accountOf(context, wid);
  const chat = chatOf(context, account, jid);
  context.messenger.readChat(account, chat.jid, unread);
}

/**
 * The phone's battery changed: stored on the account (the next `Conn` carries it) and pushed to
 * every web session as `["action",null,[["battery",{live,value,powersave}]]]`.
 * @throws SandboxError INVALID_ARGUMENT for a value outside 0–100
 * @example
 * ```ts
 * setBattery(context, wid, 15, { plugged: false, powersave: true });
 * ```
 */
export function setBattery(context: SandboxContext, wid: string, value: number, options: BatteryOptions = {}): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) throw new SandboxError('INVALID_ARGUMENT', 'battery must be a whole number from 0 to 100');
  for (const name of ['plugged', 'powersave'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new SandboxError('INVALID_ARGUMENT', `${name} must be true or false`);
  }
  const account = accountOf(context, wid);
  account.battery = value;
  if (options.plugged !== undefined) account.plugged = options.plugged;
  if (options.powersave !== undefined) account.powersave = options.powersave;
  context.emit('state', {});
  const attrs = { live: String(account.plugged), value: String(value), powersave: String(account.powersave === true) };
  pushToSessions(context, account.wid, ['action', null, [['battery', attrs, null]]]);
}

function findMessage(context: SandboxContext, account: AccountData, chatJid: string, id: string): { chat: ChatData; message: MessageData } {
  const chat = chatOf(context, account, chatJid);
  const message = chat.messages.find((entry) => entry.id === id);
  if (!message) throw new SandboxError('NOT_FOUND', `no message ${id} in ${chat.jid}`);
  return { chat, message };
}

/**
 * The phone reports what became of one of the account's messages: `["action",{"add":"relay"},
 * [["received",{jid,index,owner:"true",type}]]]` to every web session (`message`: delivered,
 * `read`, `error`: failed), and the stored status follows.
 * @throws SandboxError NOT_FOUND for an unknown chat or message, INVALID_ARGUMENT for another type
 * @example
 * ```ts
 * pushReceived(context, wid, '15550100002@c.us', message.id, 'read');
 * ```
 */
export function pushReceived(context: SandboxContext, wid: string, chatJid: string, id: string, type: ReceivedType): void {
  if (!Object.hasOwn(receivedStatus, type)) throw new SandboxError('INVALID_ARGUMENT', 'type must be message, read or error');
  const account = accountOf(context, wid);
  const { chat, message } = findMessage(context, account, chatJid, id);
  message.status = receivedStatus[type];
  context.emit('state', {});
  const attrs = { jid: chat.jid, index: message.id, owner: String(message.fromMe), type };
  pushToSessions(context, account.wid, ['action', { add: 'relay' }, [['received', attrs, null]]]);
}

/**
 * The phone replaced a stored message (as when a video it sent got its URL): the new content (a
 * text, or `Message` protobuf bytes) is stored and every web session gets
 * `["action",{"add":"update"},[["message",null,<WebMessageInfo>]]]`.
 * @throws SandboxError NOT_FOUND for an unknown chat or message, INVALID_ARGUMENT for other content
 * @example
 * ```ts
 * updateMessage(context, wid, '15550100002@c.us', message.id, 'edited text');
 * ```
 */
export function updateMessage(context: SandboxContext, wid: string, chatJid: string, id: string, content: string | Uint8Array): void {
  if (typeof content !== 'string' && !(content instanceof Uint8Array)) throw new SandboxError('INVALID_ARGUMENT', 'content must be a text or Message protobuf bytes');
  const account = accountOf(context, wid);
  const { chat, message } = findMessage(context, account, chatJid, id);
  const replacement = typeof content === 'string' ? { conversation: content } : decodeContent(content);
  if (message.raw !== undefined) {
    const info = decodeWebMessageInfo(fromBase64(message.raw)) as unknown as Record<string, unknown>;
    message.raw = toBase64(encodeWebMessageInfo({ ...info, message: replacement } as WebMessageInfoInput));
  } else if (typeof content === 'string') {
    message.text = content;
    delete message.content;
  } else {
    message.content = toBase64(content);
    delete message.text;
  }
  context.emit('state', {});
  pushToSessions(context, account.wid, ['action', { add: 'update' }, [messageNode(message, chat.jid, (path) => context.media.urlOf(path))]]);
}

function decodeContent(bytes: Uint8Array): unknown {
  try {
    return decodeMessage(bytes);
  } catch (cause) {
    throw new SandboxError('INVALID_ARGUMENT', 'content is not a Message protobuf', { cause });
  }
}
