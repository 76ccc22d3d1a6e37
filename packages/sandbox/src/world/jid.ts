import { SandboxError } from '../errors.js';

/**
 * Chat ids. The web protocol writes users as `<number>@c.us` in JSON and nodes, while the
 * `WebMessageInfo` protobufs carry `<number>@s.whatsapp.net` (as captured from the live service);
 * the sandbox stores the `c.us` form and converts at the protobuf boundary.
 */

const userJid = /^\d{5,20}@c\.us$/;
const groupJid = /^\d{5,20}-\d{1,12}@g\.us$/;

/**
 * Turns `…@s.whatsapp.net` into `…@c.us`; leaves every other id alone.
 * @example
 * ```ts
 * normalizeJid('15550100002@s.whatsapp.net'); // '15550100002@c.us'
 * ```
 */
export function normalizeJid(jid: string): string {
  return jid.endsWith('@s.whatsapp.net') ? jid.slice(0, -'s.whatsapp.net'.length) + 'c.us' : jid;
}

/**
 * The form used inside `WebMessageInfo`: `…@s.whatsapp.net` for users, groups unchanged.
 * @example
 * ```ts
 * protoJid('15550100002@c.us'); // '15550100002@s.whatsapp.net'
 * ```
 */
export function protoJid(jid: string): string {
  return jid.endsWith('@c.us') ? jid.slice(0, -'c.us'.length) + 's.whatsapp.net' : jid;
}

/**
 * Whether `jid` is a group id (`…@g.us`).
 * @example
 * ```ts
 * isGroupJid('15550100001-1600000000@g.us'); // true
 * ```
 */
export function isGroupJid(jid: string): boolean {
  return jid.endsWith('@g.us');
}

/**
 * Whether `jid` is a well-formed chat id: a user (`<digits>@c.us`) or a group
 * (`<digits>-<digits>@g.us`).
 * @example
 * ```ts
 * isChatJid('15550100002@c.us'); // true
 * isChatJid('hello'); // false
 * ```
 */
export function isChatJid(jid: string): boolean {
  return userJid.test(jid) || groupJid.test(jid);
}

/**
 * Whether `jid` is a user id in its stored form, `<digits>@c.us`.
 * @example
 * ```ts
 * isUserJid('15550100002@c.us'); // true
 * ```
 */
export function isUserJid(jid: string): boolean {
  return userJid.test(jid);
}

/**
 * Checks a user id (`<digits>@c.us`, `s.whatsapp.net` accepted) and returns its `c.us` form.
 * @example
 * ```ts
 * checkUserJid('15550100002@c.us');
 * ```
 */
export function checkUserJid(jid: unknown): string {
  const normal = typeof jid === 'string' ? normalizeJid(jid) : '';
  if (!userJid.test(normal)) throw new SandboxError('INVALID_ARGUMENT', `not a user id (<digits>@c.us): ${String(jid)}`);
  return normal;
}

/**
 * Checks a group id (`<digits>-<digits>@g.us`).
 * @example
 * ```ts
 * checkGroupJid('15550100001-1600000000@g.us');
 * ```
 */
export function checkGroupJid(jid: unknown): string {
  if (typeof jid !== 'string' || !groupJid.test(jid)) {
    throw new SandboxError('INVALID_ARGUMENT', `not a group id (<digits>-<digits>@g.us): ${String(jid)}`);
  }
  return jid;
}
