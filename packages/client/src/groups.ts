/**
 * Groups (FACTS.md "Groups", docs/protocol/groups.md): the writes, sent as
 * `["action",{"type":"set","epoch"},[["group",{author,id,type,jid,subject},children]]]` (metric
 * 10, flag 0x88, the node's `id` = the frame tag) and answered in JSON under that tag; the JSON
 * metadata and invite commands; and the `group-update` event, read from the stub messages
 * (`messageStubType` 20–32, 72) and the `["Chat",{"cmd":"action"}]` pushes.
 *
 * Which source wins: a change that the server announces both ways (a subject: stub 21 and the
 * `Chat` `subject` push) is emitted once, from the stub (it is also in the history a later login
 * gets); the `Chat` push only updates the store. Promote, demote and description changes come
 * only as `Chat` pushes and are emitted from them. Only live changes (`add:"relay"`) are emitted;
 * stubs in history pages are old news and are left to the `message` event.
 * @module
 */
import { utf8Encode, utf8Decode } from '@wa/crypto';
import { getAttribute, getBytes, getChildren, type Node } from '@wa/binary-codec';
import { generateMessageId } from '@wa/proto';
import { Flag, Metric } from '@wa/transport';
import { isResponseOf } from './answers.js';
import { nextEpoch, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import type { GroupInfo } from './group-store.js';
import { checkJid, isGroupJid, toChatJid } from './jid.js';
import { requestJson, sendNode, statusOfReply } from './outgoing.js';
import type { GroupMetadata } from './queries.js';
import { isRecord, statusOf } from './replies.js';
import type { MessageEvent } from './types.js';
import { whenRequestable } from './send-queue.js';

/** One participant's outcome of a group write, with the server's code (200 done, 403 not allowed, 404 unknown, 409 already a member …). */
export interface GroupParticipantResult {
  jid: string;
  code: number;
}

/** What {@link WAClient.groupCreate} resolves with. */
export interface GroupCreateResult {
  gid: string;
  participants: GroupParticipantResult[];
}

/** The settings {@link WAClient.groupSettings} changes; leave out what stays. */
export interface GroupSettings {
  /** Only admins send messages (`announcement`). */
  announce?: boolean;
  /** Only admins change the subject, description and picture (`locked`). */
  restrict?: boolean;
  /** Disappearing messages in seconds (`0` = off), e.g. 604800 for 7 days. */
  ephemeralSeconds?: number;
}

/** What a `group-update` reports. */
export type GroupAction =
  | 'create'
  | 'add'
  | 'remove'
  | 'promote'
  | 'demote'
  | 'leave'
  | 'invite'
  | 'subject'
  | 'description'
  | 'announce'
  | 'restrict'
  | 'ephemeral'
  | 'picture';

/** The `group-update` event: a change to a group, by `actor`. */
export interface GroupUpdate {
  gid: string;
  action: GroupAction;
  /** Who made the change (`…@c.us`). */
  actor: string;
  /** Who was added, removed, promoted, demoted, left or joined. */
  participants?: string[];
  subject?: string;
  /** The new description (`''` when it was removed). */
  description?: string;
  /** The new description's id. */
  descriptionId?: string;
  announce?: boolean;
  restrict?: boolean;
  ephemeralSeconds?: number;
  /** Unix seconds. */
  timestamp: number;
  /** The id of the stub message that told it, when a stub did. */
  messageId?: string;
}

function checkGroup(gid: unknown): string {
  const jid = checkJid(gid, 'gid');
  if (!isGroupJid(jid)) throw new InvalidArgumentError(`gid must be a group id like 15551234567-1600000000@g.us, got ${JSON.stringify(gid)}`);
  return jid;
}

function checkParticipants(jids: unknown): string[] {
  if (!Array.isArray(jids) || jids.length === 0) throw new InvalidArgumentError('participants must be a non-empty list of user ids');
  return jids.map((jid, index) => {
    const user = checkJid(jid, `participants[${index}]`);
    if (isGroupJid(user)) throw new InvalidArgumentError(`participants[${index}] must be a user id, got a group id`);
    return user;
  });
}

function checkSubject(subject: unknown): string {
  if (typeof subject !== 'string' || subject.trim() === '') throw new InvalidArgumentError('subject must be a non-empty string');
  return subject;
}

/**
 * Sends one `group` node and returns the JSON answer when its status is 200 or 207.
 * @throws RequestError with the status for any other answer.
 */
async function groupWrite(context: ClientContext, type: string, gid: string | undefined, extra: { subject?: string; children?: Node[] }): Promise<Record<string, unknown>> {
  await whenRequestable(context);
  const tag = context.connection.nextTag();
  const attrs: Record<string, string> = { author: context.me?.wid ?? '', id: tag, type };
  if (gid !== undefined) attrs.jid = gid;
  if (extra.subject !== undefined) attrs.subject = extra.subject;
  const node: Node = ['action', { type: 'set', epoch: nextEpoch(context) }, [['group', attrs, extra.children ?? null]]];
  const reply = await sendNode(context, tag, node, Metric.group, Flag.ignore | Flag.expires, 'status');
  const status = statusOfReply(reply);
  if (status !== 200 && status !== 207) throw new RequestError(`group ${type} was answered with status ${status}`, status);
  return reply.kind === 'json' && isRecord(reply.json) ? reply.json : {};
}

/** `participants:[{"<jid>":{"code":"200"}}…]` → results. */
function resultsOf(answer: Record<string, unknown>): GroupParticipantResult[] {
  const results: GroupParticipantResult[] = [];
  for (const entry of Array.isArray(answer.participants) ? answer.participants : []) {
    if (!isRecord(entry)) continue;
    for (const [jid, value] of Object.entries(entry)) {
      const code = Number(isRecord(value) ? value.code : value);
      results.push({ jid: toChatJid(jid), code: Number.isFinite(code) ? code : 0 });
    }
  }
  return results;
}

function participantNodes(jids: string[]): Node[] {
  return jids.map((jid) => ['participant', { jid }, null]);
}

/**
 * See {@link WAClient.groupCreate}.
 * @example
 * ```ts
 * const { gid } = await groupCreate(context, 'Book club', ['15550100002@c.us']);
 * ```
 */
export async function groupCreate(context: ClientContext, subject: string, participants: readonly string[]): Promise<GroupCreateResult> {
  const title = checkSubject(subject);
  const members = checkParticipants(participants);
  const answer = await groupWrite(context, 'create', undefined, { subject: title, children: participantNodes(members) });
  if (typeof answer.gid !== 'string') throw new RequestError('group create was answered without a gid', statusOf(answer));
  const gid = toChatJid(answer.gid);
  const results = resultsOf(answer);
  // The store knows the new group at once; the GROUP_CREATE stub that follows only confirms it.
  if (context.store.groups.get(gid) === undefined) {
    const me = context.me?.wid ?? '';
    const members = results.filter((result) => result.code === 200).map((result) => ({ id: result.jid, isAdmin: false, isSuperAdmin: false }));
    const info: GroupInfo = { id: gid, owner: me, subject: title, participants: [{ id: me, isAdmin: true, isSuperAdmin: true }, ...members] };
    const creation = Number(/-(\d+)@g\.us$/.exec(gid)?.[1]);
    if (Number.isSafeInteger(creation)) info.creation = creation;
    context.store.groups.set(info);
  }
  return { gid, participants: results };
}

/**
 * See {@link WAClient.groupAdd} (also remove, promote, demote).
 * @example
 * ```ts
 * const results = await groupParticipants(context, 'add', gid, ['15550100004@c.us']);
 * ```
 */
export async function groupParticipants(context: ClientContext, type: 'add' | 'remove' | 'promote' | 'demote', gid: string, jids: readonly string[]): Promise<GroupParticipantResult[]> {
  const group = checkGroup(gid);
  const members = checkParticipants(jids);
  return resultsOf(await groupWrite(context, type, group, { children: participantNodes(members) }));
}

/**
 * See {@link WAClient.groupLeave}.
 * @example
 * ```ts
 * await groupLeave(context, gid);
 * ```
 */
export async function groupLeave(context: ClientContext, gid: string): Promise<void> {
  await groupWrite(context, 'leave', checkGroup(gid), {});
}

/**
 * See {@link WAClient.groupUpdateSubject}.
 * @example
 * ```ts
 * await groupUpdateSubject(context, gid, 'Reading club');
 * ```
 */
export async function groupUpdateSubject(context: ClientContext, gid: string, subject: string): Promise<void> {
  const group = checkGroup(gid);
  await groupWrite(context, 'subject', group, { subject: checkSubject(subject) });
}

/**
 * See {@link WAClient.groupUpdateDescription}. `prev` is the current description's id, from the
 * store or, when the store has none, from a metadata query.
 * @example
 * ```ts
 * await groupUpdateDescription(context, gid, 'Monthly books');
 * ```
 */
export async function groupUpdateDescription(context: ClientContext, gid: string, text: string): Promise<void> {
  const group = checkGroup(gid);
  if (typeof text !== 'string') throw new InvalidArgumentError('text must be a string (empty to remove the description)');
  await whenRequestable(context);
  let prev = context.store.groups.get(group)?.descId;
  if (prev === undefined) prev = (await groupMetadata(context, group)).descId;
  const attrs: Record<string, string> = { id: generateMessageId() };
  if (prev !== undefined) attrs.prev = prev;
  if (text === '') attrs.delete = 'true';
  await groupWrite(context, 'description', group, { children: [['description', attrs, text === '' ? null : utf8Encode(text)]] });
}

/**
 * See {@link WAClient.groupSettings}.
 * @example
 * ```ts
 * await groupSettings(context, gid, { announce: true });
 * ```
 */
export async function groupSettings(context: ClientContext, gid: string, settings: GroupSettings): Promise<void> {
  const group = checkGroup(gid);
  if (!isRecord(settings)) throw new InvalidArgumentError('settings must be an object');
  const children: Node[] = [];
  for (const [key, tagName] of [['announce', 'announcement'], ['restrict', 'locked']] as const) {
    const value = settings[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new InvalidArgumentError(`${key} must be true or false`);
    children.push([tagName, { value: String(value) }, null]);
  }
  const seconds: unknown = settings.ephemeralSeconds;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) throw new InvalidArgumentError('ephemeralSeconds must be a whole number of seconds ≥ 0');
    children.push(['ephemeral', { value: String(seconds) }, null]);
  }
  if (children.length === 0) throw new InvalidArgumentError('settings must change announce, restrict or ephemeralSeconds');
  await groupWrite(context, 'prop', group, { children });
}

/**
 * See {@link WAClient.groupInviteCode} and {@link WAClient.groupRevokeInvite}.
 * @example
 * ```ts
 * const code = await groupInvite(context, 'inviteCode', gid);
 * ```
 */
export async function groupInvite(context: ClientContext, kind: 'inviteCode' | 'inviteReset', gid: string): Promise<string> {
  const group = checkGroup(gid);
  await whenRequestable(context);
  const reply = await requestJson(context, kind === 'inviteCode' ? ['query', 'inviteCode', group] : ['action', 'inviteReset', group]);
  if (!isRecord(reply) || typeof reply.code !== 'string' || statusOf(reply) !== 200) throw new RequestError(`${kind} was answered with status ${statusOf(reply)}`, statusOf(reply));
  return reply.code;
}

/**
 * See {@link WAClient.groupAcceptInvite}. Takes the code or a `https://chat.whatsapp.com/<code>` link.
 * @example
 * ```ts
 * const gid = await groupAcceptInvite(context, 'Kx3u…');
 * ```
 */
export async function groupAcceptInvite(context: ClientContext, code: string): Promise<string> {
  if (typeof code !== 'string') throw new InvalidArgumentError('code must be a string');
  const bare = code.trim().replace(/^https:\/\/chat\.whatsapp\.com\//, '');
  if (!/^[A-Za-z0-9]{6,64}$/.test(bare)) throw new InvalidArgumentError(`code must be an invite code (letters and digits), got ${JSON.stringify(code)}`);
  await whenRequestable(context);
  const reply = await requestJson(context, ['action', 'invite', bare]);
  if (!isRecord(reply) || typeof reply.gid !== 'string' || statusOf(reply) !== 200) throw new RequestError(`invite was answered with status ${statusOf(reply)}`, statusOf(reply));
  return toChatJid(reply.gid);
}

/**
 * See {@link WAClient.groupMetadata}: the JSON `GroupMetadata` query, and for a group one is not
 * (or no longer) in, answered 401, the binary `["query",{"type":"group",jid}]` that works after
 * leaving (it carries no settings). The answer updates the store.
 * @example
 * ```ts
 * const { subject } = await groupMetadata(context, '15550100001-1600000000@g.us');
 * ```
 */
export async function groupMetadata(context: ClientContext, jid: string): Promise<GroupMetadata> {
  const group = checkJid(jid);
  await whenRequestable(context);
  const reply = await requestJson(context, ['query', 'GroupMetadata', group]);
  let metadata: GroupMetadata;
  if (isRecord(reply) && typeof reply.id === 'string' && Array.isArray(reply.participants)) metadata = metadataFromJson(reply);
  else if (statusOf(reply) === 401 && isGroupJid(group)) metadata = await groupMetadataBinary(context, group);
  else throw new RequestError(`no metadata for ${group}`, statusOf(reply));
  const info: GroupInfo = { id: metadata.id, participants: metadata.participants };
  for (const key of ['owner', 'subject', 'creation', 'desc', 'descId', 'announce', 'restrict'] as const) {
    if (metadata[key] !== undefined) (info as unknown as Record<string, unknown>)[key] = metadata[key];
  }
  context.store.groups.set(info);
  return metadata;
}

function metadataFromJson(reply: Record<string, unknown>): GroupMetadata {
  const metadata: GroupMetadata = {
    id: toChatJid(String(reply.id)),
    participants: (reply.participants as unknown[]).filter(isRecord).map((participant) => ({
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
  if (reply.announce === 'true' || reply.announce === true) metadata.announce = true;
  if (reply.restrict === 'true' || reply.restrict === true) metadata.restrict = true;
  return metadata;
}

async function groupMetadataBinary(context: ClientContext, gid: string): Promise<GroupMetadata> {
  const tag = context.connection.nextTag();
  const reply = await sendNode(context, tag, ['query', { type: 'group', jid: gid, epoch: nextEpoch(context) }, null], Metric.group, Flag.ignore, isResponseOf('group'));
  if (reply.kind !== 'node') throw new RequestError(`no metadata for ${gid}`, statusOfReply(reply));
  const [group] = getChildren(reply.node);
  if (!group) throw new RequestError(`no metadata for ${gid}`);
  const metadata: GroupMetadata = {
    id: gid,
    participants: getChildren(group)
      .filter((child) => child[0] === 'participant')
      .map((child) => {
        const type = getAttribute(child, 'type');
        return { id: toChatJid(getAttribute(child, 'jid') ?? ''), isAdmin: type === 'admin' || type === 'superadmin', isSuperAdmin: type === 'superadmin' };
      }),
  };
  const creator = getAttribute(group, 'creator');
  if (creator !== undefined) metadata.owner = toChatJid(creator);
  const subject = getAttribute(group, 'subject');
  if (subject !== undefined) metadata.subject = subject;
  const create = Number(getAttribute(group, 'create'));
  if (Number.isSafeInteger(create) && create > 0) metadata.creation = create;
  const description = getChildren(group).find((child) => child[0] === 'description');
  if (description) {
    const bytes = getBytes(description);
    if (bytes !== undefined) metadata.desc = utf8Decode(bytes);
    const id = getAttribute(description, 'id');
    if (id !== undefined) metadata.descId = id;
  }
  return metadata;
}

/** Stub types (by name) that tell a group change, and the action each reports. */
const stubActions: Readonly<Record<string, GroupAction>> = /* @__PURE__ */ Object.freeze({
  GROUP_CREATE: 'create',
  GROUP_CHANGE_SUBJECT: 'subject',
  GROUP_CHANGE_ICON: 'picture',
  GROUP_CHANGE_DESCRIPTION: 'description',
  GROUP_CHANGE_RESTRICT: 'restrict',
  GROUP_CHANGE_ANNOUNCE: 'announce',
  GROUP_PARTICIPANT_ADD: 'add',
  GROUP_PARTICIPANT_REMOVE: 'remove',
  GROUP_PARTICIPANT_PROMOTE: 'promote',
  GROUP_PARTICIPANT_DEMOTE: 'demote',
  GROUP_PARTICIPANT_INVITE: 'invite',
  GROUP_PARTICIPANT_LEAVE: 'leave',
  CHANGE_EPHEMERAL_SETTING: 'ephemeral',
});

/**
 * The group change a message tells, when it is a group stub message.
 * @example
 * ```ts
 * groupUpdateFromStub(event); // { gid, action: 'add', actor, participants: ['15550100004@c.us'], timestamp }
 * ```
 */
export function groupUpdateFromStub(event: MessageEvent): GroupUpdate | undefined {
  const info = event.info;
  if (!isGroupJid(event.chat)) return undefined;
  const type = info.messageStubType;
  const action: GroupAction | undefined = type !== undefined ? stubActions[type] : undefined;
  if (action === undefined) return undefined;
  const parameters = info.messageStubParameters ?? [];
  const update: GroupUpdate = { gid: event.chat, action, actor: event.sender, timestamp: event.timestamp };
  if (event.id !== '') update.messageId = event.id;
  switch (action) {
    case 'create':
    case 'subject':
      if (parameters[0] !== undefined) update.subject = parameters[0];
      break;
    case 'announce':
    case 'restrict':
      update[action] = parameters[0] === 'on';
      break;
    case 'ephemeral':
      update.ephemeralSeconds = Number(parameters[0] ?? 0) || 0;
      break;
    case 'description':
      if (parameters[0] !== undefined) update.description = parameters[0];
      break;
    case 'picture':
      break;
    default:
      update.participants = parameters.map(toChatJid);
  }
  return update;
}

/**
 * One hook line of the message loop (node-events.ts): a live group stub becomes a `group-update`
 * event and updates the store (groups, and the chat's name and read-only flag).
 * @example
 * ```ts
 * applyGroupStub(context, event);
 * ```
 */
export function applyGroupStub(context: ClientContext, event: MessageEvent): void {
  if (event.source !== 'relay') return;
  const update = groupUpdateFromStub(event);
  if (update) applyGroupUpdate(context, update);
}

/**
 * A `["Chat",{"id":gid,"cmd":"action","data":[kind,actor,{…}]}]` push: `promote`/`demote`
 * (`{participants}`), `desc_add`/`desc_remove` (`{desc,descId,descTime}`) become `group-update`
 * events; `subject` (`{subject,s_t,s_o}`) only updates the store (its stub is the event).
 * Returns whether the push was understood.
 * @example
 * ```ts
 * applyGroupChatPush(context, { id: gid, cmd: 'action', data: ['promote', actor, { participants: [jid] }] });
 * ```
 */
export function applyGroupChatPush(context: ClientContext, body: unknown): boolean {
  if (!isRecord(body) || body.cmd !== 'action' || typeof body.id !== 'string' || !Array.isArray(body.data)) return false;
  const gid = toChatJid(body.id);
  const [kind, actor, details] = body.data as [unknown, unknown, unknown];
  if (typeof kind !== 'string' || typeof actor !== 'string' || !isGroupJid(gid)) return false;
  const data = isRecord(details) ? details : {};
  const base = { gid, actor: toChatJid(actor) };
  const now = Math.floor(Date.now() / 1000);
  switch (kind) {
    case 'promote':
    case 'demote': {
      const participants = (Array.isArray(data.participants) ? data.participants : []).filter((jid): jid is string => typeof jid === 'string').map(toChatJid);
      applyGroupUpdate(context, { ...base, action: kind, participants, timestamp: now });
      return true;
    }
    case 'desc_add':
    case 'desc_remove': {
      const update: GroupUpdate = { ...base, action: 'description', description: kind === 'desc_add' && typeof data.desc === 'string' ? data.desc : '', timestamp: typeof data.descTime === 'number' ? data.descTime : now };
      if (typeof data.descId === 'string' && data.descId !== '') update.descriptionId = data.descId;
      applyGroupUpdate(context, update);
      return true;
    }
    case 'subject':
      if (typeof data.subject === 'string') applyToStore(context, { ...base, action: 'subject', subject: data.subject, timestamp: now });
      return true;
  }
  return false;
}

function applyToStore(context: ClientContext, update: GroupUpdate): void {
  context.store.groups.apply(update);
  const me = context.me?.wid;
  let chatChanged = false;
  if ((update.action === 'create' || update.action === 'subject') && update.subject !== undefined) {
    chatChanged = context.store.updateGroupChat(update.gid, { name: update.subject }) || chatChanged;
  }
  if (me !== undefined && update.participants?.includes(me)) {
    if (update.action === 'remove' || update.action === 'leave') chatChanged = context.store.updateGroupChat(update.gid, { readOnly: true }) || chatChanged;
    if (update.action === 'add' || update.action === 'invite') chatChanged = context.store.updateGroupChat(update.gid, { readOnly: false }) || chatChanged;
  }
  // Later messages to the group are wrapped like those of a 1:1 chat with a timer (disappearing-messages.ts).
  if (update.action === 'ephemeral') chatChanged = context.store.setEphemeral(update.gid, update.ephemeralSeconds ?? 0, update.timestamp) || chatChanged;
  if (chatChanged) context.emit('chats', context.store.chats());
}

function applyGroupUpdate(context: ClientContext, update: GroupUpdate): void {
  applyToStore(context, update);
  context.emit('group-update', update);
}
