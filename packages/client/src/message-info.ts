/**
 * Who received and who read an own message (group or one-to-one):
 * `["query",{"type":"message_info","index","jid","epoch"},null]` (metric 22), answered with
 * `["response",{"type":"message_info"},[["read",null,[["user",{jid,t}]…]],["delivery",null,[…]]]]`
 * (a list nobody is in is left out), or a JSON status (404: no such own message). See
 * docs/protocol/queries.md.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { Flag } from '@wa/transport';
import { nextEpoch, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid, toChatJid } from './jid.js';
import { sendNode, statusOfReply } from './outgoing.js';
import { whenRequestable } from './send-queue.js';

/** The metric byte of `query message_info` (`queryRead` in public clients). */
export const METRIC_MESSAGE_INFO = 22;

/** One recipient in {@link MessageInfo}. */
export interface MessageInfoEntry {
  /** The recipient, `…@c.us`. */
  jid: string;
  /** Unix seconds of their ack. */
  timestamp: number;
}

/** What {@link WAClient.messageInfo} resolves with, each list oldest first. */
export interface MessageInfo {
  /** Who read it (blue ticks). */
  reads: MessageInfoEntry[];
  /** Who got it on their phone, with the time they got it (readers included when the server lists them). */
  deliveries: MessageInfoEntry[];
  /** Who played it (voice notes), when the server sent such a list. */
  played?: MessageInfoEntry[];
}

/**
 * See {@link WAClient.messageInfo}.
 * @example
 * ```ts
 * const { reads, deliveries } = await messageInfo(context, '15550100001-1600000000@g.us', sent.id);
 * ```
 */
export async function messageInfo(context: ClientContext, jid: string, id: string): Promise<MessageInfo> {
  const chat = checkJid(jid);
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new InvalidArgumentError('id must be a message id (1 to 128 characters)');
  await whenRequestable(context);
  const node: Node = ['query', { type: 'message_info', index: id, jid: chat, epoch: nextEpoch(context) }, null];
  const isAnswer = (answer: Node): boolean => answer[0] === 'response' && (answer[1]?.type === undefined || answer[1].type === 'message_info');
  const reply = await sendNode(context, context.connection.nextTag(), node, METRIC_MESSAGE_INFO, Flag.ignore, isAnswer);
  if (reply.kind !== 'node') {
    const status = statusOfReply(reply);
    throw new RequestError(`messageInfo of ${id} in ${chat} was answered with status ${status}`, status);
  }
  return parseMessageInfo(reply.node);
}

/**
 * The lists of a `message_info` answer; malformed entries are skipped.
 * @example
 * ```ts
 * parseMessageInfo(['response', { type: 'message_info' }, [['read', null, [['user', { jid, t: '1700000000' }, null]]]]]);
 * // { reads: [{ jid, timestamp: 1700000000 }], deliveries: [] }
 * ```
 */
export function parseMessageInfo(node: Node): MessageInfo {
  const info: MessageInfo = { reads: [], deliveries: [] };
  const children = Array.isArray(node[2]) ? node[2] : [];
  for (const [description, , content] of children) {
    const target = description === 'read' ? info.reads : description === 'delivery' ? info.deliveries : description === 'played' ? (info.played ??= []) : undefined;
    if (!target || !Array.isArray(content)) continue;
    for (const [, attrs] of content) {
      const timestamp = Number(attrs?.t);
      if (typeof attrs?.jid !== 'string' || !Number.isSafeInteger(timestamp)) continue;
      target.push({ jid: toChatJid(attrs.jid), timestamp });
    }
  }
  return info;
}
