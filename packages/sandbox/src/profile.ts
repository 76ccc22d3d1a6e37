/**
 * Profiles and block lists as world state: push names, "about" texts, profile and group
 * pictures, and each account's block list. The protocol (protocol/profile.ts) and scripting
 * (`ContactHandle`, `Phone`) both change them through these functions, which also tell the web
 * sessions that see the change (FACTS.md "Profile, blocking, chat actions, other pushes"):
 *
 * - a new push name: the account's other sessions get `["Conn",{"pushname"}]`, accounts that know
 *   the user (address book or a chat) get `["action",null,[["user",{jid,notify[,name,short]}]]]`;
 * - a new "about" text: `["Status",{"id","status"}]` to the same sessions;
 * - a new picture: `["Cmd",{"type":"picture","jid"}]` to the same sessions (a group's members for
 *   a group picture, which also get the stub message 22 `GROUP_CHANGE_ICON`);
 * - a block-list change: `["Blocklist",{"id","blocklist":[jids]}]` to every session of the account.
 *
 * A user who blocked an account tells it nothing of these. Pictures are stored in the world (so
 * they persist with it) and served by the Node server at `/pp/<id>.jpg` (`-preview.jpg` for the
 * preview) on the media host.
 * @module
 */
import { fromBase64, toBase64 } from '@wa/crypto';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { announceGroupChange } from './group-events.js';
import { groupInfoWritable } from './groups.js';
import { eachSession } from './session-pushes.js';
import type { WebConnection } from './protocol/connection.js';
import { randomHex } from './random.js';
import { isGroupJid, isUserJid, normalizeJid } from './world/jid.js';
import type { AccountData, GroupData, PictureData, UserData } from './world/types.js';
import type { World } from './world/world.js';

/** Longest push name, in characters (the limit of the WhatsApp apps). */
export const MAX_PUSH_NAME_LENGTH = 25;
/** Longest "about" text, in characters (the limit of the WhatsApp apps). */
export const MAX_STATUS_LENGTH = 139;
/** Largest picture (and preview) JPEG the sandbox stores, in bytes. */
export const MAX_PICTURE_BYTES = 512 * 1024;
/** Most users one account can block (a bound of the sandbox, so a state file cannot grow without end). */
export const MAX_BLOCKLIST = 1000;

/** A refused change: the status the protocol answers (the real service's codes) and why. */
export interface ProfileRefusal {
  status: number;
  reason: string;
}

/** Where a set picture can be fetched and its version, as `ProfilePicThumb` answers it. */
export interface PictureInfo {
  /** `<scheme>://<media host>/pp/<id>.jpg`. */
  eurl: string;
  /** Changes with every new picture. */
  tag: string;
}

function refuse(status: number, reason: string): ProfileRefusal {
  return { status, reason };
}

/**
 * For scripting: the result of a change, or a `SandboxError` for its refusal (`NOT_FOUND` for
 * 404, `INVALID_ARGUMENT` for the others, with the reason).
 * @example
 * ```ts
 * const { eurl } = accepted(setPicture(context, jid, jid, jpeg));
 * ```
 */
export function accepted<T>(result: T | ProfileRefusal): Exclude<T, ProfileRefusal> {
  if (typeof result === 'object' && result !== null && 'reason' in result && 'status' in result) {
    const refusal = result as ProfileRefusal;
    throw new SandboxError(refusal.status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT', `${refusal.reason} (the protocol answers ${refusal.status})`);
  }
  return result as Exclude<T, ProfileRefusal>;
}

/** Characters as people count them (code points, so an emoji is one). */
function length(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * Checks a push name: 1 to {@link MAX_PUSH_NAME_LENGTH} characters, not only spaces.
 * @example
 * ```ts
 * checkPushName(''); // { status: 400, reason: 'a push name needs 1 to 25 characters' }
 * ```
 */
export function checkPushName(name: unknown): ProfileRefusal | undefined {
  if (typeof name !== 'string' || name.trim() === '' || length(name) > MAX_PUSH_NAME_LENGTH) {
    return refuse(400, `a push name needs 1 to ${MAX_PUSH_NAME_LENGTH} characters`);
  }
  return undefined;
}

/**
 * Checks an "about" text: 1 to {@link MAX_STATUS_LENGTH} characters, not only spaces.
 * @example
 * ```ts
 * checkStatusText('x'.repeat(140)); // { status: 400, … }
 * ```
 */
export function checkStatusText(text: unknown): ProfileRefusal | undefined {
  if (typeof text !== 'string' || text.trim() === '' || length(text) > MAX_STATUS_LENGTH) {
    return refuse(400, `an about text needs 1 to ${MAX_STATUS_LENGTH} characters`);
  }
  return undefined;
}

/**
 * The accounts that see `jid`'s profile: those with `jid` in their address book or a chat with
 * it, except the ones `jid` (when it is an account) blocked.
 * @example
 * ```ts
 * watchersOf(world, '15550100002@c.us').map((account) => account.wid); // ['15550100001@c.us']
 * ```
 */
export function watchersOf(world: World, jid: string): AccountData[] {
  const owner = world.account(jid);
  return world.accounts.filter(
    (account) =>
      account.wid !== jid &&
      (account.contacts.some((entry) => entry.jid === jid) || world.chat(account, jid) !== undefined) &&
      owner?.blocklist?.includes(account.wid) !== true,
  );
}

/** A JSON push to `jid`'s own other sessions (when it is an account) and to everyone who sees `jid`. */
function tellEveryone(context: SandboxContext, jid: string, push: unknown, except?: WebConnection): void {
  if (context.world.account(jid)) eachSession(context, jid, (connection) => connection.pushJson(push), except);
  for (const account of watchersOf(context.world, jid)) eachSession(context, account.wid, (connection) => connection.pushJson(push));
}

/**
 * Sets a user's push name (`notify`): the user's own other web sessions get
 * `["Conn",{"pushname"}]`, the accounts that know the user `["action",null,[["user",{jid,notify,…}]]]`.
 * Returns a refusal for a bad name.
 * @param except - the session that made the change (it learns from its answer)
 * @example
 * ```ts
 * setPushName(context, '15550100001@c.us', 'Sandy S.', connection);
 * ```
 */
export function setPushName(context: SandboxContext, jid: string, name: string, except?: WebConnection): ProfileRefusal | undefined {
  const refusal = checkPushName(name);
  if (refusal) return refusal;
  const { world } = context;
  const user = world.requireUser(jid);
  user.name = name;
  context.emit('state', {});
  if (world.account(user.jid)) eachSession(context, user.jid, (connection) => connection.pushJson(['Conn', { pushname: name }]), except);
  for (const account of watchersOf(world, user.jid)) {
    const attrs: Record<string, string> = { jid: user.jid, notify: name };
    const saved = account.contacts.find((entry) => entry.jid === user.jid);
    if (saved) Object.assign(attrs, { name: saved.name, short: saved.short });
    eachSession(context, account.wid, (connection) => connection.pushNode(['action', null, [['user', attrs, null]]]));
  }
  return undefined;
}

/**
 * Sets a user's "about" text: `["Status",{"id","status"}]` to the user's other sessions and to
 * the accounts that know the user; later `query Status` answers it. Returns a refusal for a bad text.
 * @example
 * ```ts
 * setStatusText(context, '15550100002@c.us', 'On the lake');
 * ```
 */
export function setStatusText(context: SandboxContext, jid: string, text: string, except?: WebConnection): ProfileRefusal | undefined {
  const refusal = checkStatusText(text);
  if (refusal) return refusal;
  const user = context.world.requireUser(jid);
  user.status = text;
  context.emit('state', {});
  tellEveryone(context, user.jid, ['Status', { id: user.jid, status: text }], except);
  return undefined;
}

/** Whether `bytes` start like a JPEG (the SOI marker FF D8). */
export function isJpeg(bytes: unknown): bytes is Uint8Array {
  return bytes instanceof Uint8Array && bytes.length > 2 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

/**
 * Who may change the picture of `target`: a user only their own; a group its participants, only
 * admins when the group is `restrict`ed (the groups' refusal codes: 404 unknown group, 403 not a
 * participant, 401 not an admin).
 */
function pictureOwner(world: World, actor: string, target: string): UserData | GroupData | ProfileRefusal {
  const jid = normalizeJid(target);
  if (isGroupJid(jid)) {
    const group = groupInfoWritable(world, actor, jid);
    if (group === 404) return refuse(404, `no group ${jid}`);
    if (group === 403) return refuse(403, `${actor} is not a participant of ${jid}`);
    if (group === 401) return refuse(401, `only admins change the picture of ${jid}`);
    return group;
  }
  if (!isUserJid(jid)) return refuse(400, `${jid.slice(0, 64)} is no user or group id`);
  if (jid !== actor) return refuse(401, `${actor} cannot change the picture of ${jid}`);
  return world.requireUser(jid);
}

function isRefusal(value: object): value is ProfileRefusal {
  return 'status' in value && 'reason' in value;
}

/** The media host's URL of a stored picture (`preview` for the 96 px one). */
function pictureUrl(context: SandboxContext, picture: PictureData, preview = false): string {
  const { scheme, hostname } = context.media.host;
  return `${scheme}://${hostname}/pp/${picture.id}${preview ? '-preview' : ''}.jpg`;
}

/** A new tag: digits, never the previous one. */
function nextTag(context: SandboxContext, previous: string | undefined): string {
  const seconds = Math.floor(context.clock.now() / 1000);
  let tag = String(seconds);
  if (previous !== undefined && BigInt(tag) <= BigInt(previous)) tag = String(BigInt(previous) + 1n);
  return tag;
}

/** Tells who sees `owner` that its picture changed; a group's members also get stub 22. */
function announcePicture(context: SandboxContext, actor: string, owner: UserData | GroupData, except?: WebConnection): void {
  if ('participants' in owner) {
    announceGroupChange(context, owner, { actor, stub: { type: 'GROUP_CHANGE_ICON', parameters: [] } });
    const push = ['Cmd', { type: 'picture', jid: owner.id }];
    for (const participant of owner.participants) {
      if (context.world.account(participant.jid)) eachSession(context, participant.jid, (connection) => connection.pushJson(push), except);
    }
    return;
  }
  tellEveryone(context, owner.jid, ['Cmd', { type: 'picture', jid: owner.jid }], except);
}

/**
 * Sets the picture of `target` (the actor's own jid, or a group the actor may change): stores the
 * JPEG and its preview, answers later `ProfilePicThumb` queries with the new URL and a new tag,
 * and pushes `["Cmd",{"type":"picture","jid"}]` (plus stub 22 to a group's members). Returns the
 * picture's URL and tag, or a refusal (400 not a JPEG, 413 too large, and see the owner rules).
 * @example
 * ```ts
 * const set = setPicture(context, wid, wid, jpeg, preview);
 * if (!('reason' in set)) console.log(set.eurl, set.tag);
 * ```
 */
export function setPicture(
  context: SandboxContext,
  actor: string,
  target: string,
  image: Uint8Array,
  preview: Uint8Array = image,
  except?: WebConnection,
): PictureInfo | ProfileRefusal {
  const owner = pictureOwner(context.world, actor, target);
  if (isRefusal(owner)) return owner;
  if (!isJpeg(image) || !isJpeg(preview)) return refuse(400, 'a picture and its preview must be JPEG (FF D8 …)');
  if (image.length > MAX_PICTURE_BYTES || preview.length > MAX_PICTURE_BYTES) return refuse(413, `a picture may have at most ${MAX_PICTURE_BYTES} bytes`);
  const picture: PictureData = {
    id: randomHex(context.random, 32).toLowerCase(),
    tag: nextTag(context, owner.picture?.tag),
    image: toBase64(image),
    preview: toBase64(preview),
  };
  owner.picture = picture;
  if ('pictureUrl' in owner) delete owner.pictureUrl;
  context.emit('state', {});
  announcePicture(context, actor, owner, except);
  return { eurl: pictureUrl(context, picture), tag: picture.tag };
}

/**
 * Removes the picture of `target` (`["picture",{"type":"delete"}]`); later `ProfilePicThumb`
 * queries answer 404. Returns a refusal (404 when there is none, and see the owner rules).
 * @example
 * ```ts
 * removePicture(context, wid, wid);
 * ```
 */
export function removePicture(context: SandboxContext, actor: string, target: string, except?: WebConnection): ProfileRefusal | undefined {
  const owner = pictureOwner(context.world, actor, target);
  if (isRefusal(owner)) return owner;
  const hadUrl = 'pictureUrl' in owner && owner.pictureUrl !== undefined;
  if (owner.picture === undefined && !hadUrl) return refuse(404, `${normalizeJid(target)} has no picture`);
  delete owner.picture;
  if ('pictureUrl' in owner) delete owner.pictureUrl;
  context.emit('state', {});
  announcePicture(context, actor, owner, except);
  return undefined;
}

/**
 * The answer to `["query","ProfilePicThumb",jid]` for a picture the sandbox stores: `{eurl,tag}`,
 * or `{status:404}` for a viewer the owner blocked; `undefined` when no picture is stored (the
 * seeded `pictureUrl`, if any, answers then).
 * @example
 * ```ts
 * const answer = pictureAnswer(context, '15550100001@c.us', viewer);
 * ```
 */
export function pictureAnswer(context: SandboxContext, jid: string, viewer: string | undefined): PictureInfo | { status: 404 } | undefined {
  const { world } = context;
  const owner = isGroupJid(jid) ? world.group(jid) : world.user(jid);
  if (viewer !== undefined && world.account(jid)?.blocklist?.includes(viewer)) return { status: 404 };
  if (owner?.picture === undefined) return undefined;
  return { eurl: pictureUrl(context, owner.picture), tag: owner.picture.tag };
}

/**
 * The JPEG at a picture path (`/pp/<id>.jpg`, or `/pp/<id>-preview.jpg` for the preview), for
 * the HTTP route; `undefined` when no stored picture has that id.
 * @example
 * ```ts
 * const jpeg = pictureBytes(sandbox.world, '/pp/0123456789abcdef0123456789abcdef.jpg');
 * ```
 */
export function pictureBytes(world: World, path: string): Uint8Array | undefined {
  const match = /^\/pp\/([0-9a-f]{32})(-preview)?\.jpg$/.exec(path);
  if (!match) return undefined;
  const owners: Array<UserData | GroupData> = [...world.users, ...world.groups];
  const picture = owners.find((owner) => owner.picture?.id === match[1])?.picture;
  if (!picture) return undefined;
  return fromBase64(match[2] === undefined ? picture.image : picture.preview);
}

/**
 * Whether account `wid` blocked `jid`.
 * @example
 * ```ts
 * if (isBlockedBy(world, recipient.wid, sender)) return; // never delivered
 * ```
 */
export function isBlockedBy(world: World, wid: string, jid: string): boolean {
  return world.account(wid)?.blocklist?.includes(normalizeJid(jid)) === true;
}

/** Per connection, the `id` of its last `Blocklist` push (1 at login, then counting up). */
const blocklistIds = new WeakMap<WebConnection, number>();

/**
 * The `["Blocklist",{"id","blocklist"}]` push for one session: `id` counts this session's block
 * lists (1 for the one after login), `blocklist` is the whole current list.
 * @example
 * ```ts
 * connection.pushJson(blocklistPush(connection, account));
 * ```
 */
export function blocklistPush(connection: WebConnection, account: AccountData): unknown[] {
  const id = (blocklistIds.get(connection) ?? 0) + 1;
  blocklistIds.set(connection, id);
  return ['Blocklist', { id, blocklist: [...(account.blocklist ?? [])] }];
}

/**
 * Sends the block list after a login, under the next server tag, once the account has ever
 * blocked someone (the real service sent it on every login, right after the `Conn`; the sandbox
 * keeps the login sequence of accounts that never blocked anyone as it was, see
 * docs/protocol/profile-and-blocking.md).
 * @example
 * ```ts
 * pushBlocklistAtLogin(connection, account);
 * ```
 */
export function pushBlocklistAtLogin(connection: WebConnection, account: AccountData): void {
  if (account.blocklist === undefined) return;
  connection.sendServerJson(blocklistPush(connection, account), { source: 'server', chained: true });
}

/**
 * Whether account `wid` may block (or unblock) `jids`, and the list it would have then: a refusal
 * (400) for an id that is no user, the account itself, an empty request, or a list over
 * {@link MAX_BLOCKLIST}.
 * @example
 * ```ts
 * const checked = checkBlock(context, wid, ['15550100005@c.us'], true);
 * if ('reason' in checked) answer({ status: checked.status });
 * ```
 */
export function checkBlock(context: SandboxContext, wid: string, jids: readonly unknown[], blocked: boolean): string[] | ProfileRefusal {
  const account = context.world.requireAccount(wid);
  const targets = jids.map((jid) => (typeof jid === 'string' ? normalizeJid(jid) : ''));
  const bad = targets.find((jid) => !isUserJid(jid) || jid === account.wid);
  if (bad !== undefined || targets.length === 0) {
    return refuse(400, `cannot block ${bad === undefined ? 'nobody' : JSON.stringify(bad.slice(0, 64))}: a user id other than the account's own is needed`);
  }
  const list = [...(account.blocklist ?? [])];
  for (const jid of targets) {
    const at = list.indexOf(jid);
    if (blocked && at < 0) list.push(jid);
    else if (!blocked && at >= 0) list.splice(at, 1);
  }
  return list.length > MAX_BLOCKLIST ? refuse(400, `a block list holds at most ${MAX_BLOCKLIST} users`) : list;
}

/**
 * Blocks (`blocked`) or unblocks users for account `wid`, then pushes the whole block list to
 * every session of the account. A blocked user's messages no longer reach the account (see
 * messaging.ts), the account cannot message them (403), and they see none of its profile changes.
 * Returns the refusal of {@link checkBlock}, if any.
 * @example
 * ```ts
 * setBlocked(context, '15550100001@c.us', ['15550100005@c.us'], true);
 * ```
 */
export function setBlocked(context: SandboxContext, wid: string, jids: readonly unknown[], blocked: boolean): ProfileRefusal | undefined {
  const list = checkBlock(context, wid, jids, blocked);
  if (!Array.isArray(list)) return list;
  const account = context.world.requireAccount(wid);
  // Kept when empty: the account's later logins still get the (empty) list, so a session that was
  // away while the last user was unblocked learns it.
  account.blocklist = list;
  context.emit('state', {});
  eachSession(context, account.wid, (connection) => connection.pushJson(blocklistPush(connection, account)));
  return undefined;
}

/**
 * Refuses (403, answered under `tag`) a message from account `account` to a user it blocked: the
 * apps ask to unblock first. Returns whether it refused.
 * @example
 * ```ts
 * if (refuseBlockedRecipient(context, connection, tag, account, chatJid)) return;
 * ```
 */
export function refuseBlockedRecipient(context: SandboxContext, connection: WebConnection, tag: string, account: AccountData, chatJid: string): boolean {
  if (isGroupJid(chatJid) || account.blocklist?.includes(chatJid) !== true) return false;
  connection.reject('blocked-recipient', `${account.wid} blocked ${chatJid}: unblock to send`, { tag, status: 403 });
  return true;
}
