/**
 * Disappearing messages in 1:1 chats: the setting (`protocolMessage` EPHEMERAL_SETTING inside
 * `ephemeralMessage`), kept per chat in the store, and the wrapping of later messages
 * (`ephemeralMessage` with `contextInfo.expiration`).
 * @module
 */
import type { ContextInfoInput, Message, MessageInput, WebMessageInfoInput } from '@wa/proto';
import type { ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid, isGroupJid } from './jid.js';
import { withContextInfo } from './message-content.js';
import { contentField } from './message-details.js';
import { sendMessage } from './message-kinds.js';
import type { SentMessage } from './messaging.js';

/**
 * A message into a chat with disappearing messages on: `contextInfo.expiration` (and the
 * setting's time) on the content, wrapped in `ephemeralMessage`. Protocol messages and messages
 * already wrapped stay as they are, as do messages to chats without a timer.
 * @example
 * ```ts
 * input = withChatEphemeral(context, chat, input); // in relayMessage
 * ```
 */
export function withChatEphemeral(context: ClientContext, chat: string, input: WebMessageInfoInput): WebMessageInfoInput {
  const seconds = context.store.chat(chat)?.ephemeralSeconds;
  const message = input.message;
  if (seconds === undefined || seconds <= 0 || message === undefined || message === null) return input;
  const field = contentField(message as Message);
  if (field === undefined || field === 'protocolMessage' || message.ephemeralMessage != null) return input;
  const since = context.store.chat(chat)?.ephemeralSince;
  const extra: ContextInfoInput = since === undefined ? { expiration: seconds } : { expiration: seconds, ephemeralSettingTimestamp: since };
  return { ...input, message: { ephemeralMessage: { message: withContextInfo(message, extra) } } };
}

/**
 * The content that turns a 1:1 chat's disappearing messages on (`seconds` > 0) or off (0):
 * `ephemeralMessage{ message: protocolMessage{ type: EPHEMERAL_SETTING, ephemeralExpiration } }`.
 * @example
 * ```ts
 * ephemeralSettingContent(7 * 24 * 3600);
 * ```
 */
export function ephemeralSettingContent(seconds: number): MessageInput {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new InvalidArgumentError('seconds must be a non-negative integer (0 turns it off)');
  return { ephemeralMessage: { message: { protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: seconds } } } };
}

/**
 * See {@link WAClient.setDisappearingMessages}: relays the EPHEMERAL_SETTING and keeps the chat's
 * timer in the store, so later messages are wrapped.
 * @example
 * ```ts
 * await setDisappearingMessages(context, '15550100002@c.us', 604800);
 * ```
 */
export async function setDisappearingMessages(context: ClientContext, jid: string, seconds: number): Promise<SentMessage> {
  const chat = checkJid(jid);
  if (isGroupJid(chat)) throw new InvalidArgumentError('a group sets disappearing messages with groupSettings(gid, { ephemeralSeconds })');
  const sent = await sendMessage(context, chat, ephemeralSettingContent(seconds), {});
  // A setting is no message of the chat (as on the receiving side): it changes the chat instead.
  context.store.removeMessage(chat, sent.id);
  applyEphemeralSetting(context, chat, seconds, sent.timestamp);
  return sent;
}

/**
 * Keeps a chat's disappearing-messages timer (0: off) in the store; returns whether the chat list changed.
 * @example
 * ```ts
 * applyEphemeralSetting(context, chat, 604800, 1600000000);
 * ```
 */
export function applyEphemeralSetting(context: ClientContext, chat: string, seconds: number, since: number): boolean {
  return context.store.setEphemeral(chat, seconds, since);
}
