/**
 * Disappearing messages of one-to-one chats: a relayed `protocolMessage{type: EPHEMERAL_SETTING,
 * ephemeralExpiration}` (inside an `ephemeralMessage` wrapper, as web clients sent it, or bare)
 * sets the chat's timer for both sides: `ChatData.ephemeral` (seconds, absent when 0) and
 * `ephemeralSince`, shown as the chat list attributes `ephemeral` and `eph_setting_ts` that
 * clients read. The message itself is stored and relayed like any other. Groups set their timer
 * with the group `prop` action instead (groups.ts). The sandbox does not delete expired messages.
 * @module
 */
import type { WebMessageInfo } from '@wa/proto';
import type { SandboxContext } from './context.js';
import { isGroupJid } from './world/jid.js';
import type { AccountData, ChatData } from './world/types.js';

/**
 * The `protocolMessage` of a relayed message, inside an `ephemeralMessage` wrapper or bare.
 * @example
 * ```ts
 * protocolMessageOf(info)?.type; // 'REVOKE'
 * ```
 */
export function protocolMessageOf(info: WebMessageInfo): NonNullable<WebMessageInfo['message']>['protocolMessage'] {
  return (info.message?.ephemeralMessage?.message ?? info.message)?.protocolMessage;
}

/**
 * The new timer of an EPHEMERAL_SETTING message (0: off), or undefined for any other message.
 * @example
 * ```ts
 * ephemeralSettingOf(info); // 604800
 * ```
 */
export function ephemeralSettingOf(info: WebMessageInfo): number | undefined {
  const protocol = protocolMessageOf(info);
  if (protocol?.type !== 'EPHEMERAL_SETTING') return undefined;
  return protocol.ephemeralExpiration ?? 0;
}

/**
 * Sets (or, with 0, clears) a chat's timer.
 * @example
 * ```ts
 * setChatEphemeral(chat, 604800, 1600000000);
 * ```
 */
export function setChatEphemeral(chat: ChatData, seconds: number, since: number): void {
  if (seconds > 0) {
    chat.ephemeral = seconds;
    chat.ephemeralSince = since;
  } else {
    delete chat.ephemeral;
    delete chat.ephemeralSince;
  }
}

/**
 * A web client relayed `info` into `chatJid`: when it is an EPHEMERAL_SETTING of a one-to-one
 * chat, the timer is set on the sender's chat and on the recipient account's; returns whether it was one.
 * @example
 * ```ts
 * applyEphemeralSettingMessage(context, account, chatJid, info);
 * ```
 */
export function applyEphemeralSettingMessage(context: SandboxContext, account: AccountData, chatJid: string, info: WebMessageInfo): boolean {
  const seconds = ephemeralSettingOf(info);
  if (seconds === undefined || isGroupJid(chatJid)) return false;
  const { world } = context;
  const since = Number(info.messageTimestamp) || Math.floor(context.clock.now() / 1000);
  setChatEphemeral(world.chat(account, chatJid, true), seconds, since);
  const other = world.account(chatJid);
  if (other !== undefined && other !== account) setChatEphemeral(world.chat(other, account.wid, true), seconds, since);
  context.log('info', 'ephemeral', `${account.wid} ↔ ${chatJid}: disappearing messages ${seconds > 0 ? `${seconds} s` : 'off'}`);
  return true;
}

/**
 * The chat list attributes of a chat's timer: `{ ephemeral, eph_setting_ts }`, or none.
 * @example
 * ```ts
 * Object.assign(attrs, ephemeralAttributes(chat));
 * ```
 */
export function ephemeralAttributes(chat: ChatData): Record<string, string> {
  if (chat.ephemeral === undefined) return {};
  const attrs: Record<string, string> = { ephemeral: String(chat.ephemeral) };
  if (chat.ephemeralSince !== undefined) attrs.eph_setting_ts = String(chat.ephemeralSince);
  return attrs;
}
