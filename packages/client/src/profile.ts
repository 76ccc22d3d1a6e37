/**
 * Profiles: this account's push name, "about" text and picture (own or a group's), and what the
 * server pushes when someone's profile changes (FACTS.md "Profile, blocking, chat actions, other
 * pushes"). Every change of a contact comes out as one `contact-update` event:
 *
 * | frame | `contact-update` |
 * |---|---|
 * | `["action",null,[["user",{jid,notify,name?,short?,vname?}]]]` (sealed) | `{ jid, notify, name?, short?, vname? }`; the store's contact and chat name follow |
 * | `["Status",{"id","status"}]` | `{ jid, status }` |
 * | `["Cmd",{"type":"picture","jid"}]` | `{ jid, pictureChanged: true }`: ask `profilePicture(jid)` for the new URL |
 * | `["Conn",{"pushname"}]` (another session of this account renamed it) | `{ jid: me.wid, notify }`; `me.pushname` follows |
 *
 * The client's own changes emit the same event once the server accepted them.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { utf8Encode } from '@wa/crypto';
import { Flag, Metric } from '@wa/transport';
import { type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid, toChatJid } from './jid.js';
import { contactFromNode } from './nodes.js';
import { setAction } from './outgoing.js';
import type { JsonRecord } from './replies.js';
import type { ContactUpdate } from './types.js';
import { whenRequestable } from './send-queue.js';

/** Longest push name the WhatsApp apps allowed, in characters. */
export const MAX_PUSH_NAME_LENGTH = 25;
/** Longest "about" text the WhatsApp apps allowed, in characters. */
export const MAX_STATUS_LENGTH = 139;

/** Options of {@link WAClient.setProfilePicture}. */
export interface ProfilePictureOptions {
  /**
   * The small picture (96 × 96 px in the official apps). Default: the picture itself. The client
   * has no JPEG decoder, so it cannot scale; pass a preview you made to save the server the bytes.
   */
  preview?: Uint8Array;
}

/** What {@link WAClient.setProfilePicture} resolves with. */
export interface ProfilePictureResult {
  /** Where the new picture can be downloaded (the `eurl` of the answer). */
  url: string;
  /** Its version; a later `ProfilePicThumb` answer with the same tag is the same picture. */
  tag: string;
}

/** Characters as people count them (code points). */
function length(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function checkText(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || length(value) > max) {
    throw new InvalidArgumentError(`${what} must be 1 to ${max} characters, not only spaces`);
  }
  return value;
}

function checkJpeg(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length < 3 || value[0] !== 0xff || value[1] !== 0xd8) {
    throw new InvalidArgumentError(`${what} must be JPEG bytes (starting with FF D8)`);
  }
  return value;
}

/** Emits a change of the account's own profile. */
function emitOwn(context: ClientContext, update: Omit<ContactUpdate, 'jid'>): void {
  const wid = context.me?.wid;
  if (wid !== undefined) context.emit('contact-update', { jid: wid, ...update });
}

/**
 * See {@link WAClient.setPushName}.
 * @example
 * ```ts
 * await setPushName(context, 'Sandy S.');
 * ```
 */
export async function setPushName(context: ClientContext, name: string): Promise<string> {
  const checked = checkText(name, 'a push name', MAX_PUSH_NAME_LENGTH);
  await whenRequestable(context);
  const answer = await setAction(context, ['profile', { name: checked }, null], Metric.group, Flag.ignore, 'setPushName');
  const pushname = typeof answer.pushname === 'string' ? answer.pushname : checked;
  applyOwnPushName(context, pushname);
  return pushname;
}

/**
 * See {@link WAClient.setStatus}.
 * @example
 * ```ts
 * await setStatus(context, 'On the lake');
 * ```
 */
export async function setStatus(context: ClientContext, text: string): Promise<void> {
  const checked = checkText(text, 'an about text', MAX_STATUS_LENGTH);
  await whenRequestable(context);
  await setAction(context, ['status', null, utf8Encode(checked)], Metric.group, Flag.ignore, 'setStatus');
  emitOwn(context, { status: checked });
}

/**
 * See {@link WAClient.setProfilePicture}.
 * @example
 * ```ts
 * const { url } = await setProfilePicture(context, jpeg, undefined, {});
 * ```
 */
export async function setProfilePicture(context: ClientContext, jpeg: Uint8Array, jid: string | undefined, options: ProfilePictureOptions): Promise<ProfilePictureResult> {
  const image = checkJpeg(jpeg, 'the picture');
  const preview = options.preview === undefined ? image : checkJpeg(options.preview, 'the preview');
  const target = jid === undefined ? undefined : checkJid(jid);
  await whenRequestable(context);
  const owner = target ?? context.me!.wid;
  // Tagged with the node's id, as the web client did.
  const tag = context.connection.nextTag();
  const child: Node = ['picture', { jid: owner, id: tag, type: 'set' }, [['image', null, image], ['preview', null, preview]]];
  const answer = await setAction(context, child, Metric.picture, Flag.ignore | Flag.expires, 'setProfilePicture', tag);
  if (typeof answer.eurl !== 'string') throw new RequestError('setProfilePicture was answered without an eurl', 200);
  const result: ProfilePictureResult = { url: answer.eurl, tag: typeof answer.tag === 'string' ? answer.tag : String(answer.tag ?? '') };
  context.emit('contact-update', { jid: owner, pictureChanged: true, pictureUrl: result.url });
  return result;
}

/**
 * See {@link WAClient.removeProfilePicture}.
 * @example
 * ```ts
 * await removeProfilePicture(context, undefined);
 * ```
 */
export async function removeProfilePicture(context: ClientContext, jid: string | undefined): Promise<void> {
  const target = jid === undefined ? undefined : checkJid(jid);
  await whenRequestable(context);
  const owner = target ?? context.me!.wid;
  const tag = context.connection.nextTag();
  await setAction(context, ['picture', { jid: owner, id: tag, type: 'delete' }, null], Metric.picture, Flag.ignore | Flag.expires, 'removeProfilePicture', tag);
  context.emit('contact-update', { jid: owner, pictureChanged: true });
}

/** A new push name of this account: `me` and a `contact-update` for the own id, when it changed. */
function applyOwnPushName(context: ClientContext, pushname: string): void {
  const me = context.me;
  if (me === undefined || me.pushname === pushname) return;
  context.me = { ...me, pushname };
  emitOwn(context, { notify: pushname });
}

/**
 * A `["Conn",{"pushname"}]` that only renames the account (another session changed it): updates
 * `me` and emits `contact-update`. Returns false for any other `Conn` (a login's), which the
 * login code handles.
 * @example
 * ```ts
 * if (onPushnameConn(context, conn)) return;
 * ```
 */
export function onPushnameConn(context: ClientContext, conn: JsonRecord): boolean {
  if (typeof conn.pushname !== 'string' || context.me === undefined) return false;
  for (const field of ['wid', 'secret', 'clientToken', 'serverToken', 'ref']) if (field in conn) return false;
  applyOwnPushName(context, conn.pushname);
  return true;
}

/**
 * `["user",{jid,notify,name?,short?,vname?}]` of a pushed `action`: a contact changed its push name
 * (or the phone its saved name). Updates the store's contact (and the name of its chat) and emits
 * `contact-update`. Returns whether the child was one.
 * @example
 * ```ts
 * case 'user': return applyUserPush(context, child);
 * ```
 */
export function applyUserPush(context: ClientContext, child: Node): boolean {
  const contact = contactFromNode(child);
  if (contact === undefined) return false;
  if (context.store.updateContact(contact)) context.emit('contacts', context.store.contacts());
  const chatName = contact.name ?? contact.notify;
  if (chatName !== undefined && context.store.renameChat(contact.jid, chatName)) context.emit('chats', context.store.chats());
  context.emit('contact-update', { ...contact });
  return true;
}

/**
 * `["Status",{"id","status"}]`: someone's "about" text changed.
 * @example
 * ```ts
 * case 'Status': if (isRecord(body)) onStatusPush(context, body); return;
 * ```
 */
export function onStatusPush(context: ClientContext, body: JsonRecord): void {
  if (typeof body.id !== 'string' || typeof body.status !== 'string') return;
  context.emit('contact-update', { jid: toChatJid(body.id), status: body.status });
}

/**
 * `["Cmd",{"type":"picture","jid"}]`: a user's or group's picture changed (fetch it with
 * `profilePicture(jid)`).
 * @example
 * ```ts
 * else if (cmd.type === 'picture') onPictureCmd(context, cmd);
 * ```
 */
export function onPictureCmd(context: ClientContext, cmd: JsonRecord): void {
  if (typeof cmd.jid !== 'string') return;
  context.emit('contact-update', { jid: toChatJid(cmd.jid), pictureChanged: true });
}
