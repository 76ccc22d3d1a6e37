/**
 * Actions on single messages (FACTS.md "Profile, blocking, chat actions, other pushes", "Message
 * kinds beyond FACTS' table"): delete for everyone (a relayed `protocolMessage` REVOKE under a new
 * id; the target becomes a REVOKE stub), delete for me and star/unstar (`action set` with
 * `["chat",{jid,type},[["item",{owner,index}]]]`, metric 10), and the same changes arriving from
 * the account's other sessions (`["action",null,[["chat",{jid,type},[["item",…]]]]]`) or, for a
 * revoke, from the message's sender. Each emits `message-update` once the store has changed.
 * @module
 */
import { getAttribute, getChildren, type Node } from '@wa/binary-codec';
import { revokeMessage, type WebMessageInfo } from '@wa/proto';
import { Flag, Metric } from '@wa/transport';
import { type ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid, isGroupJid, toChatJid, toProtoJid } from './jid.js';
import { applyEphemeralSetting } from './disappearing-messages.js';
import { messageIdOf, relayMessage, type SentMessage } from './messaging.js';
import { messageEvent } from './nodes.js';
import { setAction } from './outgoing.js';
import { requireSendable, whenRequestable } from './send-queue.js';
import type { MessageEvent, MessageUpdate, MessageUpdateKind } from './types.js';

/** Options of {@link WAClient.deleteMessage}. */
export interface DeleteMessageOptions {
  /**
   * `true`: delete for everyone (only one's own messages; the server relays the revoke to the
   * chat). `false` (default): delete for me, from this account's history only.
   */
  forEveryone?: boolean;
  /**
   * Whether the message is one this account sent (the `owner` of the item). Default: what the
   * store knows; needed for a message the client has not seen.
   */
  fromMe?: boolean;
  /** Id of the revoke message itself (delete for everyone), as for `sendText`'s `id`. Default: a fresh one. */
  id?: string;
}

/** Options of {@link WAClient.starMessage}. */
export interface StarMessageOptions {
  /** Whether the message is one this account sent; default: what the store knows. */
  fromMe?: boolean;
}

/** What {@link WAClient.deleteMessage} resolves with: the revoke that was sent (for everyone), or nothing. */
export type DeleteResult = SentMessage | undefined;

function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new InvalidArgumentError('id must be a message id (non-empty string)');
  return id;
}

/** `fromMe` as given, else as stored; a message that is neither needs the option. */
function ownerOf(context: ClientContext, chat: string, id: string, fromMe: boolean | undefined): boolean {
  if (fromMe !== undefined) {
    if (typeof fromMe !== 'boolean') throw new InvalidArgumentError('fromMe must be a boolean');
    return fromMe;
  }
  const stored = context.store.message(chat, id);
  if (stored === undefined) throw new InvalidArgumentError(`message ${id} is not in the store: pass { fromMe } to say whose it is`);
  return stored.key.fromMe === true;
}

function emitUpdate(context: ClientContext, update: MessageUpdate): void {
  context.emit('message-update', update);
}

/** Sends `["action",{type:"set",epoch},[["chat",attrs,[["item",{owner,index}]]]]]` (metric 10) and expects 200. */
async function setMessageAction(context: ClientContext, attrs: Record<string, string>, owner: boolean, id: string, what: string): Promise<void> {
  await whenRequestable(context);
  const item: Node = ['item', { owner: String(owner), index: id }, null];
  await setAction(context, ['chat', attrs, [item]], Metric.group, Flag.ignore, what);
}

/**
 * See {@link WAClient.deleteMessage}.
 * @example
 * ```ts
 * await deleteMessage(context, chat, sent.id, { forEveryone: true });
 * ```
 */
export async function deleteMessage(context: ClientContext, jid: string, id: string, options: DeleteMessageOptions = {}): Promise<DeleteResult> {
  const chat = checkJid(jid);
  const target = checkId(id);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be { forEveryone?, fromMe?, id? }');
  if (options.forEveryone === true) {
    const stored = context.store.message(chat, target);
    if (options.fromMe === false || (stored !== undefined && stored.key.fromMe !== true)) {
      throw new InvalidArgumentError('only messages this account sent can be deleted for everyone');
    }
    const revokeId = messageIdOf(options.id);
    requireSendable(context);
    const input = revokeMessage({ remoteJid: toProtoJid(chat), id: revokeId, targetId: target, timestamp: Math.floor(Date.now() / 1000), status: 'PENDING' });
    // The revoke is not a message of the chat: relayMessage stores it, this takes it out again.
    const sent = await relayMessage(context, chat, input);
    context.store.removeMessage(chat, revokeId);
    applyRevoke(context, chat, target, { fromMe: true, sender: context.me?.wid ?? '', timestamp: sent.timestamp }, 'self');
    return sent;
  }
  const owner = ownerOf(context, chat, target, options.fromMe);
  const modifyTag = String(100000 + Math.floor(Math.random() * 900000));
  await setMessageAction(context, { jid: chat, modify_tag: modifyTag, type: 'clear' }, owner, target, 'deleteMessage');
  const removed = context.store.removeMessage(chat, target);
  emitUpdate(context, { chat, id: target, fromMe: owner, update: 'deleted', ...(removed && { info: removed }), source: 'self' });
  return undefined;
}

/**
 * See {@link WAClient.starMessage}.
 * @example
 * ```ts
 * await starMessage(context, chat, id, true, {});
 * ```
 */
export async function starMessage(context: ClientContext, jid: string, id: string, starred: boolean, options: StarMessageOptions = {}): Promise<void> {
  const chat = checkJid(jid);
  const target = checkId(id);
  if (typeof starred !== 'boolean') throw new InvalidArgumentError('starred must be a boolean');
  const owner = ownerOf(context, chat, target, options?.fromMe);
  await setMessageAction(context, { jid: chat, type: starred ? 'star' : 'unstar' }, owner, target, 'starMessage');
  applyStar(context, chat, target, owner, starred, 'self');
}

function applyStar(context: ClientContext, chat: string, id: string, fromMe: boolean, starred: boolean, source: MessageUpdate['source']): void {
  const stored = context.store.message(chat, id);
  let info: WebMessageInfo | undefined;
  if (stored !== undefined) {
    info = { ...stored };
    if (starred) info.starred = true;
    else delete info.starred;
    context.store.addMessage(messageEvent(info, 'update', context.me?.wid));
  }
  const update: MessageUpdateKind = starred ? 'starred' : 'unstarred';
  emitUpdate(context, { chat, id, fromMe, update, ...(info && { info }), source });
}

/** Who revoked: the author of the revoke message. */
interface Revoker {
  fromMe: boolean;
  /** `…@c.us` of the author. */
  sender: string;
  /** Unix seconds of the revoke, the stub's time when the target was never seen. */
  timestamp: number;
}

/**
 * Turns the stored target into a REVOKE stub (`messageStubType` 1, no `message`) and emits
 * `message-update` `revoked`. A revoke may only delete its author's own message: one naming a
 * message of somebody else is ignored (returns false).
 * @example
 * ```ts
 * applyRevoke(context, chat, targetId, { fromMe: false, sender: chat, timestamp }, 'sender');
 * ```
 */
export function applyRevoke(context: ClientContext, chat: string, targetId: string, by: Revoker, source: MessageUpdate['source']): boolean {
  const stored = context.store.message(chat, targetId);
  if (stored !== undefined) {
    const author = stored.key.fromMe === true ? (context.me?.wid ?? '') : toChatJid(stored.key.participant ?? stored.participant ?? stored.key.remoteJid ?? '');
    const byAuthor = by.fromMe ? stored.key.fromMe === true : stored.key.fromMe !== true && (!isGroupJid(chat) || author === by.sender);
    if (!byAuthor) {
      context.logger.warn('ignored a revoke of a message its author did not write', { chat, id: targetId });
      return false;
    }
    if (stored.messageStubType === 'REVOKE' && stored.message === undefined) return true;
  }
  const key = stored?.key ?? {
    remoteJid: toProtoJid(chat),
    fromMe: by.fromMe,
    id: targetId,
    ...(isGroupJid(chat) && !by.fromMe && { participant: toProtoJid(by.sender) }),
  };
  const stub: WebMessageInfo = { key, messageTimestamp: stored?.messageTimestamp ?? String(by.timestamp), messageStubType: 'REVOKE' };
  if (stored?.status !== undefined) stub.status = stored.status;
  const participant = stored?.participant ?? key.participant;
  if (participant !== undefined) stub.participant = participant;
  context.store.addMessage(messageEvent(stub, 'update', context.me?.wid));
  emitUpdate(context, { chat, id: targetId, fromMe: key.fromMe === true, update: 'revoked', info: stub, source });
  return true;
}

/**
 * Stores a received message, except the protocol messages that act on others: a revoke turns
 * its target into a stub, an EPHEMERAL_SETTING sets the chat's timer; neither is stored itself
 * (the `message` event still shows them, with `kind` `revoke` / `ephemeralSetting`). Returns
 * whether the chat list changed.
 * @example
 * ```ts
 * if (storeIncoming(context, event)) chatsChanged = true;
 * ```
 */
export function storeIncoming(context: ClientContext, event: MessageEvent): boolean {
  if (event.kind === 'revoke') {
    if (event.revokedId !== undefined) {
      const source = event.fromMe ? 'push' : 'sender';
      applyRevoke(context, event.chat, event.revokedId, { fromMe: event.fromMe, sender: event.sender, timestamp: event.timestamp }, source);
    }
    return false;
  }
  if (event.kind === 'ephemeralSetting') {
    // History pages replay old settings; only a new one changes the chat.
    if (event.source !== 'relay' || isGroupJid(event.chat)) return false;
    return applyEphemeralSetting(context, event.chat, event.expiration ?? 0, event.timestamp);
  }
  return context.store.addMessage(event);
}

/**
 * A star, unstar or delete for me done by another session of the account:
 * `["chat",{jid,type:"star"|"unstar"|"clear"},[["item",{owner,index}],…]]` → the store and
 * `message-update`. Returns false for a `chat` child without `item`s (a whole-chat action,
 * handled by the chat actions of `chat-actions.ts`).
 * @example
 * ```ts
 * case 'chat': return applyMessageActionPush(context, child) || applyChatActionPush(context, child);
 * ```
 */
export function applyMessageActionPush(context: ClientContext, child: Node): boolean {
  const items = getChildren(child).filter((item) => item[0] === 'item');
  const type = getAttribute(child, 'type');
  const jid = getAttribute(child, 'jid');
  if (items.length === 0 || jid === undefined || (type !== 'star' && type !== 'unstar' && type !== 'clear')) return false;
  const chat = toChatJid(jid);
  for (const item of items) {
    const id = getAttribute(item, 'index');
    if (id === undefined || id === '') continue;
    const fromMe = getAttribute(item, 'owner') === 'true';
    if (type === 'clear') {
      const removed = context.store.removeMessage(chat, id);
      emitUpdate(context, { chat, id, fromMe, update: 'deleted', ...(removed && { info: removed }), source: 'push' });
    } else {
      applyStar(context, chat, id, fromMe, type === 'star', 'push');
    }
  }
  return true;
}

