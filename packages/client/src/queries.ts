/**
 * Questions to the server about users, groups, history and the phone. Each checks its input,
 * asks, and turns the answer into plain data or a {@link RequestError}.
 * @module
 */
import { type ClientContext } from './context.js';
import { RequestError } from './errors.js';
import { checkJid } from './jid.js';
import { requestJson } from './outgoing.js';
import { isRecord, statusOf } from './replies.js';
import { whenRequestable } from './send-queue.js';

// History pages live in history.ts (forwards and backwards, whole chats).
export { loadMessages, type LoadedMessages, type LoadMessagesOptions } from './history.js';

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
  /** Only admins send (`announce:"true"` in the answer; groups.ts reads it). */
  announce?: boolean;
  /** Only admins change the group's info (`restrict:"true"`). */
  restrict?: boolean;
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
  await whenRequestable(context);
  const answer = statusOf(await requestJson(context, ['query', 'exist', target]));
  if (answer === 200) return true;
  if (answer === 404) return false;
  throw new RequestError('unexpected answer to exist', answer);
}

/**
 * See {@link WAClient.isPhoneReachable}.
 * @example
 * ```ts
 * const reachable = await isPhoneReachable(context);
 * ```
 */
export async function isPhoneReachable(context: ClientContext): Promise<boolean> {
  await whenRequestable(context);
  const reply = await requestJson(context, ['admin', 'test']);
  if (typeof reply !== 'boolean') throw new RequestError('unexpected answer to admin test');
  context.phoneReachable = reply;
  return reply;
}

/** A query whose answer is one string field, or a 404 when the user has none. */
async function queryText(context: ClientContext, query: 'ProfilePicThumb' | 'Status', field: 'eurl' | 'status', jid: string): Promise<string | undefined> {
  const target = checkJid(jid);
  await whenRequestable(context);
  const reply = await requestJson(context, ['query', query, target]);
  const text = isRecord(reply) ? reply[field] : undefined;
  if (typeof text === 'string') return text;
  if (statusOf(reply) === 404) return undefined;
  throw new RequestError(`unexpected answer to ${query}`, statusOf(reply));
}
