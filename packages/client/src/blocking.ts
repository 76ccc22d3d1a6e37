/**
 * The account's block list: `block(jid)` / `unblock(jid)` send
 * `["action",{"type":"set","epoch"},[["block",{"type":"add"|"remove"},[["user",{"jid"}]]]]]`
 * (metric 18); the server answers `{"status":200}` and pushes the whole list to every session as
 * `["Blocklist",{"id","blocklist":[jids]}]` (also right after login). The store keeps the list;
 * each change comes out as a `blocklist` event.
 * @module
 */
import { Flag, Metric } from '@wa/transport';
import { type ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid, isGroupJid, toChatJid } from './jid.js';
import { setAction } from './outgoing.js';
import type { JsonRecord } from './replies.js';
import { whenRequestable } from './send-queue.js';

/**
 * See {@link WAClient.block} and {@link WAClient.unblock}.
 * @example
 * ```ts
 * await setBlocked(context, '15550100005@c.us', true);
 * ```
 */
export async function setBlocked(context: ClientContext, jid: string, blocked: boolean): Promise<void> {
  const user = checkJid(jid);
  if (isGroupJid(user) || !user.endsWith('@c.us')) throw new InvalidArgumentError(`only users can be blocked, not ${user}`);
  await whenRequestable(context);
  if (user === context.me?.wid) throw new InvalidArgumentError('an account cannot block itself');
  await setAction(context, ['block', { type: blocked ? 'add' : 'remove' }, [['user', { jid: user }, null]]], Metric.block, Flag.ignore, blocked ? 'block' : 'unblock');
  // The Blocklist push confirms it; until it arrives, the store already shows the change.
  const current = context.store.blocklist();
  const next = blocked ? (current.includes(user) ? current : [...current, user]) : current.filter((entry) => entry !== user);
  applyBlocklist(context, next);
}

/**
 * `["Blocklist",{"id","blocklist":[jids]}]`: the whole current list; the store takes it.
 * @example
 * ```ts
 * case 'Blocklist': if (isRecord(body)) onBlocklistPush(context, body); return;
 * ```
 */
export function onBlocklistPush(context: ClientContext, body: JsonRecord): void {
  if (!Array.isArray(body.blocklist)) return;
  applyBlocklist(context, body.blocklist.filter((jid): jid is string => typeof jid === 'string').map(toChatJid));
}

/** Replaces the stored list and emits `blocklist` with what was added and removed, when anything changed. */
function applyBlocklist(context: ClientContext, list: string[]): void {
  const before = context.store.blocklist();
  const added = list.filter((jid) => !before.includes(jid));
  const removed = before.filter((jid) => !list.includes(jid));
  context.store.setBlocklist(list);
  if (added.length > 0 || removed.length > 0) context.emit('blocklist', { blocklist: context.store.blocklist(), added, removed });
}
