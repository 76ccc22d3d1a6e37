/**
 * Last seen. The legacy protocol had no "last seen" query: a web client subscribed to the user's
 * presence (`["action","presence","subscribe",jid]`, answered `{"status":200}`) and the server
 * then pushed `["Presence",{"id":jid,"type":"available"}]` or, for a user who is away,
 * `["Presence",{"id":jid,"type":"unavailable","t":<unix s>}]` (no `t` when the user hides it).
 * {@link lastSeen} does exactly that and waits for the first such push. See docs/protocol/queries.md.
 * @module
 */
import { type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid, isGroupJid } from './jid.js';
import { expectOk, requestJson } from './outgoing.js';
import { statusOf } from './replies.js';
import { MAX_TIMER_MS } from './timers.js';
import type { PresenceUpdate } from './types.js';
import { whenRequestable } from './send-queue.js';

/** What {@link WAClient.lastSeen} resolves with. */
export interface LastSeen {
  /** Whether the user is online now (any presence but `unavailable`). */
  online: boolean;
  /** When the user was last online (unix seconds), for a user who is away and shows it. */
  lastSeen?: number;
}

/** Options of {@link WAClient.lastSeen}. */
export interface LastSeenOptions {
  /** How long to wait for the presence push, in ms. Default: the client's `requestTimeoutMs`. */
  timeoutMs?: number;
}

/** Subscribes a listener to the client's `presence` events; returns the unsubscribe function. */
export type OnPresence = (listener: (update: PresenceUpdate) => void) => () => void;

/**
 * See {@link WAClient.lastSeen}.
 * @example
 * ```ts
 * const seen = await lastSeen(context, '15550100003@c.us', (listener) => client.on('presence', listener));
 * ```
 */
export async function lastSeen(context: ClientContext, jid: string, onPresence: OnPresence, options: LastSeenOptions = {}): Promise<LastSeen> {
  const user = checkJid(jid);
  if (isGroupJid(user)) throw new InvalidArgumentError('lastSeen needs a user, not a group');
  const timeoutMs = options.timeoutMs ?? context.requestTimeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > MAX_TIMER_MS) throw new InvalidArgumentError(`timeoutMs must be a number of ms from 1 to ${MAX_TIMER_MS}`);
  await whenRequestable(context);
  let off: () => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Listening before asking: the push may follow the 200 at once.
  const pushed = new Promise<PresenceUpdate>((resolve, reject) => {
    off = onPresence((update) => {
      if (update.jid === user && update.participant === undefined) resolve(update);
    });
    timer = setTimeout(() => reject(new RequestError(`no presence of ${user} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const subscribed = requestJson(context, ['action', 'presence', 'subscribe', user]);
    // Whichever fails first fails the call; the other is left to settle unobserved.
    pushed.catch(() => {});
    expectOk(statusOf(await subscribed), 'lastSeen (presence subscribe)');
    const update = await pushed;
    const seen: LastSeen = { online: update.type !== 'unavailable' };
    if (update.type === 'unavailable' && update.lastSeen !== undefined) seen.lastSeen = update.lastSeen;
    return seen;
  } finally {
    off();
    clearTimeout(timer);
  }
}
