import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { announceGroupChange, type GroupChange } from './group-events.js';
import { descriptionId } from './protocol/nodes.js';
import { checkGroupJid, isGroupJid, isUserJid, normalizeJid } from './world/jid.js';
import type { GroupData, ParticipantData } from './world/types.js';
import type { World } from './world/world.js';

/**
 * Groups as live world state: the operations a web client's `["group",{type,…}]` writes, the
 * JSON invite commands and scripted contacts perform, with the membership and admin checks of
 * the real service. Every change is stored in the world, announced to every member account
 * (stub messages and `Chat` pushes, see `group-events.ts`) and persisted with the world.
 *
 * Refusals are statuses, as the service answered them (docs/protocol/groups.md "Refusals"):
 * 404 unknown group, 403 the actor is not (or no longer) a participant, 401 the actor is not an
 * admin (or, for settings other members may change, the group is `locked`), 400 a malformed
 * change. Per-participant codes: 200 done, 404 unknown user (or not a participant, for remove /
 * promote / demote), 409 already a participant (add), 403 not allowed (the creator cannot be
 * removed or demoted by someone else).
 */

/** One participant's outcome of a create/add/remove/promote/demote: `code` as the service wrote it. */
export interface ParticipantOutcome {
  jid: string;
  code: number;
}

/** What a group operation answers: the status, and per-participant outcomes where there are some. */
export interface GroupOutcome {
  status: number;
  /** The group, when the operation created or found one. */
  gid?: string;
  participants?: ParticipantOutcome[];
  /** The invite code (for `inviteCode` and `inviteReset`). */
  code?: string;
}

/** The participant changes of a group, named as in the `group` node's `type`. */
export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

/** The settings a `prop` change carries: `announcement` (only admins send), `locked` (only admins edit info), `ephemeral` seconds. */
export type GroupSetting = { announce: boolean } | { restrict: boolean } | { ephemeral: number };

const inviteAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** While an operation runs inside {@link answeredFirst}: its announcements, to run after the answer. */
let deferred: Array<() => void> | undefined;

function announce(context: SandboxContext, group: GroupData, change: GroupChange, alsoTo: readonly string[] = []): void {
  const run = (): void => void announceGroupChange(context, group, change, alsoTo);
  if (deferred) deferred.push(run);
  else run();
}

/**
 * Runs a group operation, hands its outcome to `answer`, and only then announces the change to
 * the members: the actor's session gets the answer to its request before the stub and `Chat`
 * pushes of the same change, as clients that wait for the answer expect.
 * @example
 * ```ts
 * answeredFirst(() => leaveGroup(context, wid, gid), (outcome) => connection.sendJson(tag, { status: outcome.status }));
 * ```
 */
export function answeredFirst<T>(operation: () => T, answer: (result: T) => void): void {
  const previous = deferred;
  const queue: Array<() => void> = [];
  deferred = queue;
  let result: T;
  try {
    result = operation();
  } finally {
    deferred = previous;
  }
  answer(result);
  for (const run of queue) run();
}

function participantOf(group: GroupData, jid: string): ParticipantData | undefined {
  return group.participants.find((participant) => participant.jid === jid);
}

function isAdmin(group: GroupData, jid: string): boolean {
  const participant = participantOf(group, jid);
  return participant !== undefined && (participant.isAdmin || participant.isSuperAdmin);
}

/**
 * The refusal status of `actor` changing `gid`, or the group: 404 unknown, 403 not a participant,
 * 401 not an admin (when `adminOnly`).
 */
function writable(world: World, actor: string, gid: string, adminOnly: boolean): GroupData | number {
  const group = isGroupJid(gid) ? world.group(normalizeJid(gid)) : undefined;
  if (!group) return 404;
  if (!participantOf(group, actor)) return 403;
  if (adminOnly && !isAdmin(group, actor)) return 401;
  return group;
}

function seconds(context: SandboxContext): number {
  return Math.floor(context.clock.now() / 1000);
}

function changed(context: SandboxContext): void {
  context.emit('state', {});
}

/** Gives every member account the group chat (added members, a joiner, the creator). */
function giveChat(context: SandboxContext, group: GroupData, jids: readonly string[]): void {
  for (const jid of jids) {
    const account = context.world.account(jid);
    if (account) context.world.chat(account, group.id, true);
  }
}

/**
 * Creates a group `<creator number>-<unix s>@g.us` (the next free second when two are created in
 * one second) with `actor` as its super admin and the known users of `participants`; unknown
 * users get code 404 and stay out. Answers `{status:200, gid, participants}`.
 * @example
 * ```ts
 * const { gid } = createGroup(context, '15550100001@c.us', 'Book club', ['15550100002@c.us']);
 * ```
 */
export function createGroup(context: SandboxContext, actor: string, subject: string, participants: readonly string[]): GroupOutcome {
  const { world } = context;
  if (typeof subject !== 'string' || subject.trim() === '') return { status: 400 };
  if (!world.user(actor)) return { status: 404 };
  const now = seconds(context);
  let creation = now;
  const number = actor.split('@')[0]!;
  while (world.group(`${number}-${creation}@g.us`)) creation += 1;
  const gid = checkGroupJid(`${number}-${creation}@g.us`);
  const outcomes: ParticipantOutcome[] = [];
  const members: ParticipantData[] = [{ jid: actor, isAdmin: true, isSuperAdmin: true }];
  for (const raw of participants) {
    const jid = normalizeJid(String(raw));
    if (jid === actor || members.some((member) => member.jid === jid)) continue;
    if (!isUserJid(jid) || !world.user(jid)) {
      outcomes.push({ jid, code: 404 });
      continue;
    }
    members.push({ jid, isAdmin: false, isSuperAdmin: false });
    outcomes.push({ jid, code: 200 });
  }
  const group = world.addGroup({ id: gid, subject, owner: actor, creation, participants: members });
  group.subjectOwner = actor;
  group.subjectTime = creation;
  giveChat(context, group, members.map((member) => member.jid));
  changed(context);
  announce(context, group, { actor, stub: { type: 'GROUP_CREATE', parameters: [subject] } });
  return { status: 200, gid, participants: outcomes };
}

/**
 * Adds, removes, promotes or demotes participants (admins only). Answers 200 when every
 * participant's code is 200, else 207 with the per-participant codes.
 * @example
 * ```ts
 * changeParticipants(context, admin, gid, 'add', ['15550100004@c.us']); // { status: 200, participants: [{ jid, code: 200 }] }
 * ```
 */
export function changeParticipants(context: SandboxContext, actor: string, gid: string, action: ParticipantAction, jids: readonly string[]): GroupOutcome {
  const group = writable(context.world, actor, gid, true);
  if (typeof group === 'number') return { status: group };
  if (!Array.isArray(jids) || jids.length === 0) return { status: 400 };
  const outcomes: ParticipantOutcome[] = [];
  const done: string[] = [];
  for (const raw of jids) {
    const jid = normalizeJid(String(raw));
    const code = applyParticipant(context, group, actor, action, jid);
    outcomes.push({ jid, code });
    if (code === 200) done.push(jid);
  }
  if (done.length > 0) {
    if (action === 'add') giveChat(context, group, done);
    changed(context);
    announce(context, group, participantChange(actor, action, done), action === 'remove' ? done : []);
  }
  return { status: outcomes.every((outcome) => outcome.code === 200) ? 200 : 207, gid: group.id, participants: outcomes };
}

function applyParticipant(context: SandboxContext, group: GroupData, actor: string, action: ParticipantAction, jid: string): number {
  const member = participantOf(group, jid);
  if (action === 'add') {
    if (member) return 409;
    if (!isUserJid(jid) || !context.world.user(jid)) return 404;
    group.participants.push({ jid, isAdmin: false, isSuperAdmin: false });
    return 200;
  }
  if (!member) return 404;
  // The creator (super admin) is not removed or demoted by anyone but themself.
  if (member.isSuperAdmin && jid !== actor && (action === 'remove' || action === 'demote')) return 403;
  if (action === 'remove') group.participants.splice(group.participants.indexOf(member), 1);
  else if (action === 'promote') member.isAdmin = true;
  else {
    member.isAdmin = false;
    member.isSuperAdmin = false;
  }
  return 200;
}

function participantChange(actor: string, action: ParticipantAction, jids: string[]): GroupChange {
  switch (action) {
    case 'add':
      return { actor, stub: { type: 'GROUP_PARTICIPANT_ADD', parameters: jids } };
    case 'remove':
      return { actor, stub: { type: 'GROUP_PARTICIPANT_REMOVE', parameters: jids } };
    case 'promote':
    case 'demote':
      return { actor, chat: [action, actor, { participants: jids }] };
  }
}

/**
 * `actor` leaves the group; they keep the chat (read-only). When the last admin leaves, the
 * longest-standing participant becomes admin, as the service did, announced to the members as a
 * `promote` by the leaver.
 * @example
 * ```ts
 * leaveGroup(context, '15550100001@c.us', gid); // { status: 200 }
 * ```
 */
export function leaveGroup(context: SandboxContext, actor: string, gid: string): GroupOutcome {
  const group = writable(context.world, actor, gid, false);
  if (typeof group === 'number') return { status: group };
  group.participants.splice(group.participants.indexOf(participantOf(group, actor)!), 1);
  const [first] = group.participants;
  const promoted = first !== undefined && !group.participants.some((participant) => participant.isAdmin || participant.isSuperAdmin) ? first : undefined;
  if (promoted) promoted.isAdmin = true;
  changed(context);
  announce(context, group, { actor, stub: { type: 'GROUP_PARTICIPANT_LEAVE', parameters: [actor] } }, [actor]);
  // The members' views of the admins follow: the promotion is told like one by the leaver.
  if (promoted) announce(context, group, participantChange(actor, 'promote', [promoted.jid]));
  return { status: 200, gid: group.id };
}

/**
 * Changes the subject (any participant, admins only when the group is `locked`). A stub 21 and
 * a `["Chat",{…,"data":["subject",actor,{subject,s_t,s_o}]}]` push reach the members.
 * @example
 * ```ts
 * setGroupSubject(context, actor, gid, 'Reading club');
 * ```
 */
export function setGroupSubject(context: SandboxContext, actor: string, gid: string, subject: string): GroupOutcome {
  const group = groupInfoWritable(context.world, actor, gid);
  if (typeof group === 'number') return { status: group };
  if (typeof subject !== 'string' || subject.trim() === '') return { status: 400 };
  group.subject = subject;
  group.subjectOwner = actor;
  group.subjectTime = seconds(context);
  changed(context);
  announce(context, group, {
    actor,
    stub: { type: 'GROUP_CHANGE_SUBJECT', parameters: [subject] },
    chat: ['subject', actor, { subject, s_t: group.subjectTime, s_o: actor }],
  });
  return { status: 200, gid: group.id };
}

/**
 * Sets (or, with an empty text, removes) the description. `id` is the new description's id (a
 * fresh one when absent); `prev`, when given, must be the current one (409 otherwise: someone
 * changed it meanwhile). Members get `["Chat",{…,"data":["desc_add",actor,{desc,descId,descTime}]}]`
 * (`desc_remove` when removed).
 * @example
 * ```ts
 * setGroupDescription(context, actor, gid, 'Planning the trip', { id: '3EB0…', prev: 'D1600000000' });
 * ```
 */
export function setGroupDescription(context: SandboxContext, actor: string, gid: string, text: string, ids: { id?: string; prev?: string } = {}): GroupOutcome {
  const group = groupInfoWritable(context.world, actor, gid);
  if (typeof group === 'number') return { status: group };
  if (typeof text !== 'string') return { status: 400 };
  if (ids.prev !== undefined && ids.prev !== '' && group.desc !== undefined && ids.prev !== descriptionId(group)) return { status: 409 };
  const t = seconds(context);
  if (text === '') {
    delete group.desc;
    delete group.descId;
    group.descOwner = actor;
    group.descTime = t;
    changed(context);
    announce(context, group, { actor, chat: ['desc_remove', actor, { descId: '', descTime: t }] });
    return { status: 200, gid: group.id };
  }
  group.desc = text;
  group.descId = ids.id !== undefined && ids.id !== '' ? ids.id : context.world.newMessageId('web');
  group.descOwner = actor;
  group.descTime = t;
  changed(context);
  announce(context, group, { actor, chat: ['desc_add', actor, { desc: text, descId: group.descId, descTime: t }] });
  return { status: 200, gid: group.id };
}

/**
 * Changes a setting (admins only): `announce` (stub 26 `on`/`off`), `restrict` (stub 25),
 * `ephemeral` seconds (stub 72 CHANGE_EPHEMERAL_SETTING, `0` = off).
 * @example
 * ```ts
 * setGroupSetting(context, admin, gid, { announce: true });
 * ```
 */
export function setGroupSetting(context: SandboxContext, actor: string, gid: string, setting: GroupSetting): GroupOutcome {
  const group = writable(context.world, actor, gid, true);
  if (typeof group === 'number') return { status: group };
  let change: GroupChange;
  if ('announce' in setting) {
    group.announce = setting.announce;
    change = { actor, stub: { type: 'GROUP_CHANGE_ANNOUNCE', parameters: [setting.announce ? 'on' : 'off'] } };
  } else if ('restrict' in setting) {
    group.restrict = setting.restrict;
    change = { actor, stub: { type: 'GROUP_CHANGE_RESTRICT', parameters: [setting.restrict ? 'on' : 'off'] } };
  } else {
    const value = setting.ephemeral;
    if (!Number.isSafeInteger(value) || value < 0) return { status: 400 };
    if (value === 0) delete group.ephemeral;
    else group.ephemeral = value;
    change = { actor, stub: { type: 'CHANGE_EPHEMERAL_SETTING', parameters: [String(value)] } };
  }
  changed(context);
  announce(context, group, change);
  return { status: 200, gid: group.id };
}

/**
 * The group whose info (subject, description, picture) `actor` may change, or the refusal: 404
 * unknown group, 403 not a participant, 401 not an admin of a `restrict`ed group (any participant
 * of an unlocked one).
 */
export function groupInfoWritable(world: World, actor: string, gid: string): GroupData | 401 | 403 | 404 {
  const group = writable(world, actor, gid, false);
  if (typeof group === 'number') return group as 403 | 404;
  return group.restrict === true && !isAdmin(group, actor) ? 401 : group;
}

/**
 * The group's invite code (admins only): made on first use, stable until {@link resetInviteCode}.
 * @example
 * ```ts
 * inviteCode(context, admin, gid); // { status: 200, code: 'Kx3…' }
 * ```
 */
export function inviteCode(context: SandboxContext, actor: string, gid: string): GroupOutcome {
  const group = writable(context.world, actor, gid, true);
  if (typeof group === 'number') return { status: group };
  if (group.inviteCode === undefined) {
    group.inviteCode = newInviteCode(context);
    changed(context);
  }
  return { status: 200, gid: group.id, code: group.inviteCode };
}

/**
 * Revokes the invite code and makes a new one (admins only); the old code stops working.
 * @example
 * ```ts
 * resetInviteCode(context, admin, gid); // { status: 200, code: '<new code>' }
 * ```
 */
export function resetInviteCode(context: SandboxContext, actor: string, gid: string): GroupOutcome {
  const group = writable(context.world, actor, gid, true);
  if (typeof group === 'number') return { status: group };
  group.inviteCode = newInviteCode(context);
  changed(context);
  return { status: 200, gid: group.id, code: group.inviteCode };
}

/**
 * Joins the group whose current invite code is `code`: 404 for an unknown or revoked code, 409
 * when already a participant. The members get stub 31 (GROUP_PARTICIPANT_INVITE) with the joiner.
 * @example
 * ```ts
 * joinByInvite(context, '15550100004@c.us', code); // { status: 200, gid }
 * ```
 */
export function joinByInvite(context: SandboxContext, joiner: string, code: string): GroupOutcome {
  if (typeof code !== 'string' || code === '') return { status: 400 };
  const group = context.world.groups.find((entry) => entry.inviteCode === code);
  if (!group) return { status: 404 };
  if (participantOf(group, joiner)) return { status: 409, gid: group.id };
  if (!context.world.user(joiner)) return { status: 404 };
  group.participants.push({ jid: joiner, isAdmin: false, isSuperAdmin: false });
  giveChat(context, group, [joiner]);
  changed(context);
  announce(context, group, { actor: joiner, stub: { type: 'GROUP_PARTICIPANT_INVITE', parameters: [joiner] } });
  return { status: 200, gid: group.id };
}

/**
 * Whether `sender` may send into group `gid` now: `undefined` when yes, else the refusal status
 * (403: not a participant, or a non-admin in an announcement-only group).
 * @example
 * ```ts
 * const refused = groupSendRefusal(context, account.wid, chatJid);
 * if (refused !== undefined) return connection.sendJson(tag, { status: refused });
 * ```
 */
export function groupSendRefusal(context: SandboxContext, sender: string, gid: string): number | undefined {
  if (!isGroupJid(gid)) return undefined;
  const group = context.world.group(gid);
  if (!group) return 404;
  if (!participantOf(group, sender)) return 403;
  if (group.announce === true && !isAdmin(group, sender)) return 403;
  return undefined;
}

function newInviteCode(context: SandboxContext): string {
  let code: string;
  do {
    code = '';
    const bytes = context.random.bytes(22);
    for (const byte of bytes) code += inviteAlphabet[byte % inviteAlphabet.length];
  } while (context.world.groups.some((group) => group.inviteCode === code));
  return code;
}

/**
 * A group operation for scripts: the outcome when the status is 200 or 207, else a
 * `SandboxError` naming the status.
 * @throws SandboxError NOT_FOUND (404) or INVALID_ARGUMENT (any other refusal)
 * @example
 * ```ts
 * const { gid } = requireOk(createGroup(context, jid, 'Club', [wid]), 'createGroup');
 * ```
 */
export function requireOk(outcome: GroupOutcome, what: string): GroupOutcome {
  if (outcome.status === 200 || outcome.status === 207) return outcome;
  throw new SandboxError(outcome.status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT', `${what} was refused with status ${outcome.status}`);
}
