/**
 * Questions to the server about users, groups, history and the phone. Each checks its input,
 * asks, and turns the answer into plain data or a {@link RequestError}.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { Flag, Metric } from '@wa/transport';
import { nextEpoch, report, requireOpen, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid, toChatJid } from './jid.js';
import { messageEvent, messagesFromNode, type MessagesOfNode } from './nodes.js';
import { requestJson, sendNode, statusOfReply } from './outgoing.js';
import { isRecord, statusOf } from './replies.js';
import type { MessageEvent } from './types.js';

/** Options of {@link WAClient.loadMessages}. */
export interface LoadMessagesOptions {
  /** How many messages (1–300). Default 20. */
  count?: number;
  /** Load the messages before this one (its id); default: the latest. */
  before?: string;
  /** Whether `before` is a message this account sent. Default `false`. */
  beforeFromMe?: boolean;
}

/** What {@link WAClient.loadMessages} resolves with. */
export interface LoadedMessages {
  /** Oldest first. */
  messages: MessageEvent[];
  /** Whether the page reaches the start of the chat. */
  reachedStart: boolean;
}

/** A group's metadata (`["query","GroupMetadata",gid]`). */
export interface GroupMetadata {
  id: string;
  owner?: string;
  subject?: string;
  /** Unix seconds. */
  creation?: number;
  participants: Array<{ id: string; isAdmin: boolean; isSuperAdmin: boolean }>;
  desc?: string;
  descId?: string;
  descOwner?: string;
  descTime?: number;
}

/**
 * See {@link WAClient.profilePicture}.
 * @example
 * ```ts
 * const url = await profilePicture(context, '15550100002@c.us');
 * ```
 */
export function profilePicture(context: ClientContext, jid: string): Promise<string | undefined> {
  return queryText(context, 'ProfilePicThumb', 'eurl', jid);
}

/**
 * See {@link WAClient.status}.
 * @example
 * ```ts
 * const about = await status(context, '15550100002@c.us');
 * ```
 */
export function status(context: ClientContext, jid: string): Promise<string | undefined> {
  return queryText(context, 'Status', 'status', jid);
}

/**
 * See {@link WAClient.exists}.
 * @example
 * ```ts
 * if (await exists(context, '15550100002@c.us')) console.log('on WhatsApp');
 * ```
 */
export async function exists(context: ClientContext, jid: string): Promise<boolean> {
  const target = checkJid(jid);
  requireOpen(context);
  const answer = statusOf(await requestJson(context, ['query', 'exist', target]));
  if (answer === 200) return true;
  if (answer === 404) return false;
  throw new RequestError('unexpected answer to exist', answer);
}

/**
 * See {@link WAClient.groupMetadata}.
 * @example
 * ```ts
 * const { subject } = await groupMetadata(context, '15550100001-1600000000@g.us');
 * ```
 */
export async function groupMetadata(context: ClientContext, jid: string): Promise<GroupMetadata> {
  const group = checkJid(jid);
  requireOpen(context);
  const reply = await requestJson(context, ['query', 'GroupMetadata', group]);
  if (!isRecord(reply) || typeof reply.id !== 'string' || !Array.isArray(reply.participants)) {
    throw new RequestError(`no metadata for ${group}`, statusOf(reply));
  }
  const metadata: GroupMetadata = {
    id: toChatJid(reply.id),
    participants: reply.participants.filter(isRecord).map((participant) => ({
      id: toChatJid(String(participant.id)),
      isAdmin: participant.isAdmin === true,
      isSuperAdmin: participant.isSuperAdmin === true,
    })),
  };
  if (typeof reply.owner === 'string') metadata.owner = toChatJid(reply.owner);
  if (typeof reply.subject === 'string') metadata.subject = reply.subject;
  if (typeof reply.creation === 'number') metadata.creation = reply.creation;
  if (typeof reply.desc === 'string') metadata.desc = reply.desc;
  if (typeof reply.descId === 'string') metadata.descId = reply.descId;
  if (typeof reply.descOwner === 'string') metadata.descOwner = toChatJid(reply.descOwner);
  if (typeof reply.descTime === 'number') metadata.descTime = reply.descTime;
  return metadata;
}

/**
 * See {@link WAClient.loadMessages}.
 * @example
 * ```ts
 * const page = await loadMessages(context, '15550100002@c.us', { count: 50 });
 * ```
 */
export async function loadMessages(context: ClientContext, jid: string, options: LoadMessagesOptions): Promise<LoadedMessages> {
  const chat = checkJid(jid);
  const count = options.count ?? 20;
  if (!Number.isSafeInteger(count) || count < 1 || count > 300) throw new InvalidArgumentError('count must be an integer from 1 to 300');
  if (options.before !== undefined && (typeof options.before !== 'string' || options.before.length === 0)) {
    throw new InvalidArgumentError('before must be a message id');
  }
  requireOpen(context);
  const attrs: Record<string, string> = { type: 'message', epoch: nextEpoch(context), jid: chat, kind: 'before', count: String(count) };
  if (options.before !== undefined) {
    attrs.index = options.before;
    attrs.owner = options.beforeFromMe === true ? 'true' : 'false';
  }
  const tag = context.connection.nextTag();
  // The page is `action add:"before"` of this chat; one of another chat under this tag is a push
  // (older history the server sends on its own). Decoded once, here.
  let page: MessagesOfNode | undefined;
  const isPage = (node: Node): boolean => {
    if (node[0] !== 'action' || node[1]?.add !== 'before') return false;
    const decoded = messagesFromNode(node, tag);
    if (decoded.messages.some(({ key }) => key.remoteJid !== undefined && toChatJid(key.remoteJid) !== chat)) return false;
    page = decoded;
    return true;
  };
  const reply = await sendNode(context, tag, ['query', attrs, null], Metric.queryMessages, Flag.ignore, isPage);
  if (reply.kind !== 'node' || page === undefined) throw new RequestError(`no history for ${chat}`, statusOfReply(reply));
  const { messages, errors } = page;
  for (const error of errors) report(context, error);
  const events = messages.map((info) => messageEvent(info, 'before', context.me?.wid));
  for (const event of events) context.store.addMessage(event);
  return { messages: events, reachedStart: reply.node[1]?.last === 'true' };
}

/**
 * See {@link WAClient.isPhoneReachable}.
 * @example
 * ```ts
 * const reachable = await isPhoneReachable(context);
 * ```
 */
export async function isPhoneReachable(context: ClientContext): Promise<boolean> {
  requireOpen(context);
  const reply = await requestJson(context, ['admin', 'test']);
  if (typeof reply !== 'boolean') throw new RequestError('unexpected answer to admin test');
  context.phoneReachable = reply;
  return reply;
}

/** A query whose answer is one string field, or a 404 when the user has none. */
async function queryText(context: ClientContext, query: 'ProfilePicThumb' | 'Status', field: 'eurl' | 'status', jid: string): Promise<string | undefined> {
  const target = checkJid(jid);
  requireOpen(context);
  const reply = await requestJson(context, ['query', query, target]);
  const text = isRecord(reply) ? reply[field] : undefined;
  if (typeof text === 'string') return text;
  if (statusOf(reply) === 404) return undefined;
  throw new RequestError(`unexpected answer to ${query}`, statusOf(reply));
}
