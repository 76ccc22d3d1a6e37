/**
 * Chat ids. Nodes and JSON carry users as `<number>@c.us`; protobuf messages carry
 * `<number>@s.whatsapp.net` (FACTS.md). The client speaks `@c.us` in its API and converts at
 * the protobuf boundary.
 * @module
 */
import { InvalidArgumentError } from './errors.js';

const jidPattern = /^(?:[0-9]{1,20}(?:-[0-9]{1,20})?@(?:c\.us|s\.whatsapp\.net|g\.us)|status@broadcast)$/;

/**
 * The `@c.us` form of a user id (`@s.whatsapp.net` rewritten); other ids unchanged.
 * @example
 * ```ts
 * toChatJid('15550100002@s.whatsapp.net'); // '15550100002@c.us'
 * ```
 */
export function toChatJid(jid: string): string {
  return jid.endsWith('@s.whatsapp.net') ? `${jid.slice(0, -'@s.whatsapp.net'.length)}@c.us` : jid;
}

/**
 * The `@s.whatsapp.net` form of a user id, as written inside `WebMessageInfo`.
 * @example
 * ```ts
 * toProtoJid('15550100002@c.us'); // '15550100002@s.whatsapp.net'
 * ```
 */
export function toProtoJid(jid: string): string {
  return jid.endsWith('@c.us') ? `${jid.slice(0, -'@c.us'.length)}@s.whatsapp.net` : jid;
}

/**
 * Whether `jid` names a group (`<creator>-<time>@g.us`).
 * @example
 * ```ts
 * isGroupJid('15550100001-1600000000@g.us'); // true
 * ```
 */
export function isGroupJid(jid: string): boolean {
  return jid.endsWith('@g.us');
}

/**
 * Checks a chat id given to a public method and returns its `@c.us` form.
 * @throws InvalidArgumentError for anything that is not a user, group or broadcast id.
 * @example
 * ```ts
 * checkJid('15550100002@s.whatsapp.net'); // '15550100002@c.us'
 * checkJid('alice');                       // throws
 * ```
 */
export function checkJid(jid: unknown, name = 'jid'): string {
  if (typeof jid !== 'string' || !jidPattern.test(jid)) {
    throw new InvalidArgumentError(`${name} must be a chat id like 15551234567@c.us or <id>@g.us, got ${JSON.stringify(jid)}`);
  }
  return toChatJid(jid);
}

/**
 * Checks the `mentions` option of an outgoing message and returns the ids in the
 * `@s.whatsapp.net` form a `WebMessageInfo` carries.
 * @throws InvalidArgumentError naming the first bad entry (`mentions[i]`).
 * @example
 * ```ts
 * checkMentions(['15550100002@c.us']); // ['15550100002@s.whatsapp.net']
 * checkMentions(undefined);            // []
 * ```
 */
export function checkMentions(mentions: readonly string[] | undefined): string[] {
  return (mentions ?? []).map((mention, index) => toProtoJid(checkJid(mention, `mentions[${index}]`)));
}
