/**
 * "Delete for everyone" (FACTS.md "Message kinds beyond FACTS' table"): a relayed
 * `protocolMessage{key:{remoteJid,fromMe:true,id:<target>},type:REVOKE}` under a new id. The
 * target turns into a REVOKE stub (`messageStubType` 1, no `message`) in the sender's history and
 * in every recipient's; the revoke itself is acknowledged (200), relayed to the recipients' and
 * the sender's other web sessions as the real service did (recipients get the target key in their
 * own view: their chat, `fromMe: false`), and not kept in any history (history and restore show
 * the stub only).
 *
 * Who may revoke: only the author of the target (in the legacy protocol, 2015–2021, admins could
 * not delete other people's group messages; that came with multi-device). A revoke naming a
 * message the sender's chat does not hold is answered 404, one naming somebody else's message 403
 * (sandbox decisions: the real server relayed end-to-end content it could not read; the phone
 * refused). The app's time limit (about 68 minutes) is not enforced.
 * @module
 */
import { fromBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import type { SandboxContext } from './context.js';
import { protocolMessageOf } from './ephemeral.js';
import { SandboxError } from './errors.js';
import type { WebConnection } from './protocol/connection.js';
import { rewriteStoredInfo } from './protocol/message-actions.js';
import { recipientCopyBytes } from './protocol/nodes.js';
import { isGroupJid, normalizeJid, protoJid } from './world/jid.js';
import type { AccountData, ChatData, MessageData } from './world/types.js';

/** The id of the message a REVOKE protocol message deletes, or undefined for any other message. */
export function revokedIdOf(info: WebMessageInfo): string | undefined {
  const protocol = protocolMessageOf(info);
  if (protocol?.type !== 'REVOKE') return undefined;
  return protocol.key?.id ?? '';
}

/**
 * Turns a stored message into a REVOKE stub: its key and time stay, its content goes.
 * @example
 * ```ts
 * toRevokeStub(message, chat.jid);
 * ```
 */
export function toRevokeStub(message: MessageData, chatJid: string): void {
  rewriteStoredInfo(message, chatJid, (info) => {
    const stub: Record<string, unknown> = { ...info, messageStubType: 'REVOKE' };
    delete stub.message;
    delete stub.starred;
    return stub as unknown as WebMessageInfoInput;
  });
  delete message.text;
  delete message.starred;
}

/** Whether a stored message is a REVOKE stub already (its replayed form says so). */
function isRevoked(message: MessageData): boolean {
  if (message.text !== undefined || message.content !== undefined || message.raw === undefined) return false;
  return decodeWebMessageInfo(fromBase64(message.raw)).messageStubType === 'REVOKE';
}

function findIn(chat: ChatData | undefined, id: string, fromMe: boolean): MessageData | undefined {
  return chat?.messages.find((message) => message.id === id && message.fromMe === fromMe);
}

/**
 * A web client relayed a message: when it is a REVOKE, applies it (see the module) and answers
 * under `tag`; returns whether it was one (the caller then does nothing more with it).
 * @example
 * ```ts
 * if (relayRevoke(context, connection, tag, account, chatJid, info)) return;
 * ```
 */
export function relayRevoke(
  context: SandboxContext,
  connection: WebConnection,
  tag: string,
  account: AccountData,
  chatJid: string,
  info: WebMessageInfo,
): boolean {
  const targetId = revokedIdOf(info);
  if (targetId === undefined) return false;
  const { world } = context;
  const chat = world.chat(account, chatJid);
  const own = findIn(chat, targetId, true);
  if (own === undefined) {
    const status = findIn(chat, targetId, false) === undefined ? 404 : 403;
    context.log('info', 'revoke-refused', `${account.wid} revoke ${targetId} in ${chatJid}: ${status}`, connection.id);
    connection.sendJson(tag, { status });
    return true;
  }
  if (isRevoked(own)) {
    // A retry: the server has it.
    connection.sendJson(tag, { status: 200 });
    return true;
  }
  toRevokeStub(own, chatJid);
  connection.sendJson(tag, { status: 200 });
  context.log('info', 'revoke', `${account.wid} revoked ${targetId} in ${chatJid}`, connection.id);
  context.emit('state', {});
  const mine = encodeWebMessageInfo({ ...(info as unknown as WebMessageInfoInput), status: 'SERVER_ACK' });
  pushMessage(context, account.wid, mine, connection);
  const isGroup = isGroupJid(chatJid);
  const recipients = isGroup ? (world.group(chatJid)?.participants.map((participant) => participant.jid) ?? []) : [chatJid];
  for (const jid of recipients) {
    const recipient = jid === account.wid ? undefined : world.account(jid);
    if (recipient === undefined) continue;
    const recipientChat = isGroup ? chatJid : account.wid;
    context.whenPhoneReachable(recipient.wid, () => {
      const target = findIn(world.chat(recipient, recipientChat), targetId, false);
      if (target !== undefined && (!isGroup || target.participant === account.wid)) {
        toRevokeStub(target, recipientChat);
        context.emit('state', {});
      }
      pushMessage(context, recipient.wid, recipientCopyBytes(inRecipientView(info, recipientChat, isGroup ? account.wid : undefined), recipientChat, isGroup ? account.wid : undefined));
    });
  }
  return true;
}

/**
 * The revoke with its target key as the recipient's phone wrote it for its web client: the
 * recipient's chat, `fromMe: false` and, in a group, the sender as participant (the sender's
 * client wrote its own view, `fromMe: true`). Legacy clients find the target by `key.id` and
 * `key.fromMe` (Baileys 3.5.3 `chatAddMessage`), which only works with the recipient's view.
 */
function inRecipientView(info: WebMessageInfo, recipientChat: string, participant: string | undefined): WebMessageInfo {
  const wrapped = info.message?.ephemeralMessage?.message !== undefined;
  const content = wrapped ? info.message!.ephemeralMessage!.message! : info.message!;
  const key: Record<string, unknown> = { remoteJid: protoJid(recipientChat), fromMe: false, id: content.protocolMessage!.key!.id };
  if (participant !== undefined) key.participant = protoJid(participant);
  const rewritten = { ...content, protocolMessage: { ...content.protocolMessage, key } };
  const message = wrapped ? { ...info.message, ephemeralMessage: { ...info.message!.ephemeralMessage, message: rewritten } } : rewritten;
  return { ...info, message } as WebMessageInfo;
}

/** `["action",{"add":"relay"},[["message",null,bytes]]]` to an account's web sessions (but `except`). */
function pushMessage(context: SandboxContext, wid: string, bytes: Uint8Array, except?: WebConnection): void {
  context.whenPhoneReachable(wid, () => {
    for (const connection of context.connectionsOf(wid)) {
      if (connection !== except) connection.pushNode(['action', { add: 'relay' }, [['message', null, bytes]]]);
    }
  });
}

/**
 * A scripted user (or an account's phone) deletes one of its own messages for everyone: the
 * message turns into a REVOKE stub in every account's chat that holds it, and those accounts'
 * web sessions get the revoke. Returns the revoke's id.
 * @throws SandboxError NOT_FOUND when no account holds a message `id` from `fromJid`
 * @example
 * ```ts
 * const sent = sandbox.contact(alice).sendText('oops');
 * revokeFromUser(context, alice, sent.id);
 * ```
 */
export function revokeFromUser(context: SandboxContext, fromJid: string, id: string, target: { to?: string; group?: string } = {}): string {
  const { world } = context;
  const sender = world.requireUser(fromJid).jid;
  const revokeId = world.newMessageId('phone');
  const t = Math.floor(context.clock.now() / 1000);
  const chatJid = target.group !== undefined ? normalizeJid(target.group) : undefined;
  let found = 0;
  for (const account of world.accounts) {
    const isGroup = chatJid !== undefined;
    const accountChat = isGroup ? chatJid : sender;
    if (target.to !== undefined && normalizeJid(target.to) !== account.wid) continue;
    const fromMe = account.wid === sender;
    if (fromMe && !isGroup) continue;
    const message = findIn(world.chat(account, accountChat), id, fromMe);
    if (message === undefined || (isGroup && !fromMe && message.participant !== sender)) continue;
    found += 1;
    toRevokeStub(message, accountChat);
    const key: Record<string, unknown> = { remoteJid: protoJid(accountChat), fromMe, id: revokeId };
    const targetKey: Record<string, unknown> = { remoteJid: protoJid(accountChat), fromMe, id };
    if (isGroup && !fromMe) targetKey.participant = protoJid(sender);
    const info: Record<string, unknown> = {
      key,
      // The target key in the account's view, as its phone wrote it (see inRecipientView).
      message: { protocolMessage: { key: targetKey, type: 'REVOKE' } },
      messageTimestamp: t,
    };
    if (isGroup && !fromMe) {
      key.participant = protoJid(sender);
      info.participant = protoJid(sender);
    }
    pushMessage(context, account.wid, encodeWebMessageInfo(info as unknown as WebMessageInfoInput));
  }
  if (found === 0) throw new SandboxError('NOT_FOUND', `no account holds a message ${id} from ${sender}`);
  context.emit('state', {});
  return revokeId;
}

