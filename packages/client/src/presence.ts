/**
 * This account's presence and chat states, and subscriptions to other users' presence.
 * @module
 */
import { Flag, Metric } from '@wa/transport';
import { type ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid } from './jid.js';
import { expectOk, requestJson, setAction } from './outgoing.js';
import { statusOf } from './replies.js';
import type { PresenceType } from './types.js';
import { whenRequestable } from './send-queue.js';

/** The chat states: shown in one chat, so they need its jid. */
const chatStates: ReadonlySet<PresenceType> = /* @__PURE__ */ new Set<PresenceType>(['composing', 'recording', 'paused']);
/** The flag byte of each presence frame, as the web client sent them. */
const presenceFlags: Readonly<Record<PresenceType, number>> = /* @__PURE__ */ Object.freeze({
  available: Flag.available,
  unavailable: Flag.unavailable,
  composing: Flag.composing,
  recording: Flag.ignore,
  paused: Flag.ignore,
});

/**
 * See {@link WAClient.setPresence}.
 * @example
 * ```ts
 * await setPresence(context, 'composing', '15550100002@c.us');
 * ```
 */
export async function setPresence(context: ClientContext, type: PresenceType, jid: string | undefined): Promise<void> {
  if (!(type in presenceFlags)) throw new InvalidArgumentError(`presence must be one of ${Object.keys(presenceFlags).join(', ')}`);
  if (chatStates.has(type) && jid === undefined) throw new InvalidArgumentError(`presence ${type} needs the chat it is shown in`);
  const attrs: Record<string, string> = { type };
  if (jid !== undefined) attrs.to = checkJid(jid);
  await whenRequestable(context);
  await setAction(context, ['presence', attrs, null], Metric.presence, presenceFlags[type], 'setPresence');
}

/**
 * See {@link WAClient.subscribePresence}.
 * @example
 * ```ts
 * await subscribePresence(context, '15550100004@c.us');
 * ```
 */
export async function subscribePresence(context: ClientContext, jid: string): Promise<void> {
  const user = checkJid(jid);
  await whenRequestable(context);
  expectOk(statusOf(await requestJson(context, ['action', 'presence', 'subscribe', user])), 'subscribePresence');
}
