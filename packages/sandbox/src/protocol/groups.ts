/**
 * The group frames of a web client (FACTS.md "Groups", docs/protocol/groups.md):
 * - the `["group",{author,id,type,jid,subject},children]` child of `["action",{"type":"set"},…]`
 *   (metric 10), for `create`, `add`, `remove`, `promote`, `demote`, `leave`, `subject`,
 *   `description` and `prop` (`announcement`, `locked`, `ephemeral`), answered in JSON under the
 *   frame's tag (the node's `id`: every client sends the two equal, see {@link handleGroupNode});
 * - the JSON `["query","GroupMetadata",gid]`, `["query","inviteCode",gid]`,
 *   `["action","invite",code]` and `["action","inviteReset",gid]`.
 *
 * The world operations live in `../groups.ts`; announcing a change to the members (stub messages
 * and `Chat` pushes) in `../group-events.ts`: `announceGroupChange(context, group, change)` is the
 * one function to call for any other group change (e.g. a new group picture, stub 22).
 * @module
 */
import { getChildren, type Node } from '@wa/binary-codec';
import { utf8Decode } from '@wa/crypto';
import type { SandboxContext } from '../context.js';
import {
  answeredFirst,
  changeParticipants,
  createGroup,
  inviteCode,
  joinByInvite,
  leaveGroup,
  resetInviteCode,
  setGroupDescription,
  setGroupSetting,
  setGroupSubject,
  type GroupOutcome,
  type GroupSetting,
} from '../groups.js';
import { isGroupJid, normalizeJid } from '../world/jid.js';
import { phoneDelivery, type WebConnection } from './connection.js';
import { descriptionId } from './nodes.js';

/**
 * The JSON answer of a group write: `{status}`, plus `gid` for a create and
 * `participants:[{"<jid>":{"code":"<n>"}}…]` where participants were named.
 * @example
 * ```ts
 * groupAnswer({ status: 200, gid, participants: [{ jid: '15550100002@c.us', code: 200 }] }, true);
 * // { status: 200, gid, participants: [{ '15550100002@c.us': { code: '200' } }] }
 * ```
 */
export function groupAnswer(outcome: GroupOutcome, withGid = false): Record<string, unknown> {
  const answer: Record<string, unknown> = { status: outcome.status };
  if (withGid && outcome.gid !== undefined && outcome.status === 200) answer.gid = outcome.gid;
  if (outcome.participants !== undefined) answer.participants = outcome.participants.map(({ jid, code }) => ({ [jid]: { code: String(code) } }));
  return answer;
}

/**
 * A `["group",{…},children]` child of `action set`: performs it and answers under `tag`. The
 * actor is the logged-in account (the node's `author` names it too). Baileys 3.5.3 sends the
 * node's `id` equal to the frame tag and waits on that tag; the answer goes there.
 * @example
 * ```ts
 * handleGroupNode(context, connection, tag, ['group', { author: wid, id: tag, type: 'subject', jid: gid, subject: 'New' }, null]);
 * ```
 */
export function handleGroupNode(context: SandboxContext, connection: WebConnection, tag: string, node: Node): void {
  const actor = connection.wid!;
  const attrs = node[1] ?? {};
  const children = getChildren(node);
  if (attrs.id !== undefined && attrs.id !== tag) context.log('warn', 'tag-mismatch', `group node id ${attrs.id} differs from its frame tag ${tag}`, connection.id);
  const gid = normalizeJid(attrs.jid ?? '');
  const participants = children.filter((child) => child[0] === 'participant').map((child) => normalizeJid(child[1]?.jid ?? ''));
  // The answer leaves before the announcements of the change (groups.ts answeredFirst).
  answeredFirst(
    () => performGroupNode(context, actor, attrs, children, gid, participants),
    (outcome) => connection.sendJson(tag, groupAnswer(outcome, attrs.type === 'create'), phoneDelivery),
  );
}

function performGroupNode(context: SandboxContext, actor: string, attrs: Record<string, string>, children: Node[], gid: string, participants: string[]): GroupOutcome {
  // Everything but a create names an existing group.
  if (attrs.type !== 'create' && (!isGroupJid(gid) || !context.world.group(gid))) return { status: 404 };
  switch (attrs.type) {
    case 'create':
      return createGroup(context, actor, attrs.subject ?? '', participants);
    case 'add':
    case 'remove':
    case 'promote':
    case 'demote':
      return changeParticipants(context, actor, gid, attrs.type, participants);
    case 'leave':
      return leaveGroup(context, actor, gid);
    case 'subject':
      return setGroupSubject(context, actor, gid, attrs.subject ?? '');
    case 'description': {
      const description = children.find((child) => child[0] === 'description');
      if (!description) return { status: 400 };
      const content = description[2];
      const text = description[1]?.delete === 'true' ? '' : content instanceof Uint8Array ? utf8Decode(content) : typeof content === 'string' ? content : '';
      const ids: { id?: string; prev?: string } = {};
      if (description[1]?.id !== undefined) ids.id = description[1].id;
      if (description[1]?.prev !== undefined) ids.prev = description[1].prev;
      return setGroupDescription(context, actor, gid, text, ids);
    }
    case 'prop': {
      const settings = children.map(settingOf);
      if (settings.length === 0 || settings.some((setting) => setting === undefined)) return { status: 400 };
      let outcome: GroupOutcome = { status: 200 };
      for (const setting of settings) {
        outcome = setGroupSetting(context, actor, gid, setting!);
        if (outcome.status !== 200) break;
      }
      return outcome;
    }
  }
  return { status: 400 };
}

/** `["announcement"|"locked",{value:"true"|"false"}]` or `["ephemeral",{value:"<s>"}]`. */
function settingOf(child: Node): GroupSetting | undefined {
  const value = child[1]?.value;
  if (child[0] === 'announcement' && (value === 'true' || value === 'false')) return { announce: value === 'true' };
  if (child[0] === 'locked' && (value === 'true' || value === 'false')) return { restrict: value === 'true' };
  if (child[0] === 'ephemeral' && value !== undefined && /^\d{1,9}$/.test(value)) return { ephemeral: Number(value) };
  return undefined;
}

/**
 * `["query","GroupMetadata",gid]`: `{id,owner,subject,creation,participants:[{id,isAdmin,isSuperAdmin}]`
 * `[,desc,descId,descOwner,descTime][,restrict:"true"][,announce:"true"]}` for participants;
 * 404 for an unknown group, 401 for anyone else (the binary `type:group` query works after leaving).
 * @example
 * ```ts
 * answerGroupMetadata(context, connection, tag, '15550100001-1600000000@g.us');
 * ```
 */
export function answerGroupMetadata(context: SandboxContext, connection: WebConnection, tag: string, gid: string): void {
  const group = context.world.group(gid);
  if (!group) return connection.sendJson(tag, { status: 404 });
  if (!group.participants.some((p) => p.jid === connection.wid)) return connection.sendJson(tag, { status: 401 });
  const metadata: Record<string, unknown> = {
    id: group.id,
    owner: group.owner,
    subject: group.subject,
    creation: group.creation,
    participants: group.participants.map((p) => ({ id: p.jid, isAdmin: p.isAdmin, isSuperAdmin: p.isSuperAdmin })),
  };
  if (group.desc !== undefined) {
    Object.assign(metadata, { desc: group.desc, descId: descriptionId(group), descOwner: group.descOwner ?? group.owner, descTime: group.descTime ?? group.creation });
  }
  if (group.restrict === true) metadata.restrict = 'true';
  if (group.announce === true) metadata.announce = 'true';
  connection.sendJson(tag, metadata);
}

/**
 * `["query","inviteCode",gid]` → `{status:200,code}` (admins; 401 otherwise, 404 unknown group).
 * @example
 * ```ts
 * answerInviteCode(context, connection, tag, gid);
 * ```
 */
export function answerInviteCode(context: SandboxContext, connection: WebConnection, tag: string, gid: string): void {
  const outcome = inviteCode(context, connection.wid!, gid);
  connection.sendJson(tag, outcome.code === undefined ? { status: outcome.status } : { status: 200, code: outcome.code });
}

/**
 * The JSON group actions: `["action","invite",code]` → `{status:200,gid}` (404 unknown or revoked
 * code, 409 already a participant) and `["action","inviteReset",gid]` → `{status:200,code}`.
 * Returns whether the command was one of them.
 * @example
 * ```ts
 * if (handleGroupJsonAction(context, connection, tag, name, args)) return;
 * ```
 */
export function handleGroupJsonAction(context: SandboxContext, connection: WebConnection, tag: string, name: unknown, args: unknown[]): boolean {
  const wid = connection.wid!;
  if (name === 'invite') {
    const code = typeof args[0] === 'string' ? args[0] : '';
    context.whenPhoneReachable(wid, () =>
      answeredFirst(
        () => joinByInvite(context, wid, code),
        (outcome) => connection.sendJson(tag, outcome.status === 200 ? { status: 200, gid: outcome.gid } : { status: outcome.status }, phoneDelivery),
      ),
    );
    return true;
  }
  if (name === 'inviteReset') {
    const gid = typeof args[0] === 'string' ? normalizeJid(args[0]) : '';
    context.whenPhoneReachable(wid, () => {
      const outcome = resetInviteCode(context, wid, gid);
      connection.sendJson(tag, outcome.code === undefined ? { status: outcome.status } : { status: 200, code: outcome.code }, phoneDelivery);
    });
    return true;
  }
  return false;
}
