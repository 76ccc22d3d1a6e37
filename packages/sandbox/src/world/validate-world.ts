import { SandboxError } from '../errors.js';
import { isChatJid, isGroupJid, isUserJid } from './jid.js';
import type { MessageStatus, PresenceType, WorldData } from './types.js';
import { MAX_RECEIPTS_PER_MESSAGE } from '../protocol/constants.js';
import { MAX_PICTURE_BYTES } from '../profile.js';

/**
 * Field-by-field checks of persisted world data (a state file someone may have edited by hand):
 * every error names the first bad field by its path, e.g.
 * `world.accounts[0].chats[2].messages[5].status`, so a hand edit is easy to fix, and a
 * sandbox never starts half-working on data it cannot serve.
 */

const statuses: ReadonlySet<string> = /* @__PURE__ */ new Set<MessageStatus>(['ERROR', 'PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED']);
const presences: ReadonlySet<string> = /* @__PURE__ */ new Set<PresenceType>(['available', 'unavailable', 'composing', 'recording', 'paused']);
const phoneFields = ['wa_version', 'mcc', 'mnc', 'os_version', 'device_manufacturer', 'device_model', 'os_build_number'] as const;

/** Throws `STATE_INVALID` naming `path`. */
function invalid(path: string, expected: string, value: unknown): never {
  const shown = value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
  throw new SandboxError('STATE_INVALID', `sandbox state: ${path} must be ${expected}, found ${shown}`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, 'an object', value);
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'an array', value);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') invalid(path, 'a string', value);
  return value;
}

function optionalText(value: unknown, path: string): void {
  if (value !== undefined) text(value, path);
}

function flag(value: unknown, path: string): void {
  if (typeof value !== 'boolean') invalid(path, 'true or false', value);
}

function count(value: unknown, path: string, min = 0): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) invalid(path, `a whole number ≥ ${min}`, value);
}

function delay(value: unknown, path: string): void {
  if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) invalid(path, 'a number of ms ≥ 0 or null', value);
}

function jid(value: unknown, path: string, kind: 'user' | 'chat' | 'group'): string {
  const given = text(value, path);
  const ok = kind === 'user' ? isUserJid(given) : kind === 'group' ? isGroupJid(given) && isChatJid(given) : isChatJid(given);
  if (!ok) invalid(path, kind === 'user' ? 'a user id <digits>@c.us' : kind === 'group' ? 'a group id <digits>-<digits>@g.us' : 'a chat id (…@c.us or …@g.us)', given);
  return given;
}

function base64(value: unknown, path: string): void {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text(value, path))) invalid(path, 'Base64', value);
}

/** `MessageData.receipts`: at most `MAX_RECEIPTS_PER_MESSAGE` of `{ jid, delivered?, read? }`. */
function receipts(value: unknown, path: string): void {
  const entries = list(value, path);
  if (entries.length > MAX_RECEIPTS_PER_MESSAGE) invalid(path, `at most ${MAX_RECEIPTS_PER_MESSAGE} entries`, value);
  entries.forEach((entry, i) => {
    const receipt = record(entry, `${path}[${i}]`);
    jid(receipt.jid, `${path}[${i}].jid`, 'user');
    if (receipt.delivered !== undefined) count(receipt.delivered, `${path}[${i}].delivered`);
    if (receipt.read !== undefined) count(receipt.read, `${path}[${i}].read`);
  });
}

/** The optional group fields of live groups (groups.ts): descriptions, settings, invite codes. */
function validateGroupExtras(group: Record<string, unknown>, path: string): void {
  optionalText(group.descId, `${path}.descId`);
  if (group.descOwner !== undefined) jid(group.descOwner, `${path}.descOwner`, 'user');
  if (group.descTime !== undefined) count(group.descTime, `${path}.descTime`);
  if (group.subjectOwner !== undefined) jid(group.subjectOwner, `${path}.subjectOwner`, 'user');
  if (group.subjectTime !== undefined) count(group.subjectTime, `${path}.subjectTime`);
  if (group.announce !== undefined) flag(group.announce, `${path}.announce`);
  if (group.restrict !== undefined) flag(group.restrict, `${path}.restrict`);
  if (group.ephemeral !== undefined) count(group.ephemeral, `${path}.ephemeral`, 1);
  if (group.inviteCode !== undefined && !/^[A-Za-z0-9]{6,64}$/.test(text(group.inviteCode, `${path}.inviteCode`))) {
    invalid(`${path}.inviteCode`, '6 to 64 letters and digits', group.inviteCode);
  }
}

/** A stored picture (profile.ts): `{ id: 32 hex, tag: digits, image, preview }`, each JPEG at most `MAX_PICTURE_BYTES`. */
function picture(value: unknown, path: string): void {
  const data = record(value, path);
  if (!/^[0-9a-f]{32}$/.test(text(data.id, `${path}.id`))) invalid(`${path}.id`, '32 lowercase hex digits', data.id);
  if (!/^[0-9]{1,20}$/.test(text(data.tag, `${path}.tag`))) invalid(`${path}.tag`, 'digits', data.tag);
  for (const field of ['image', 'preview'] as const) {
    base64(data[field], `${path}.${field}`);
    if ((data[field] as string).length > Math.ceil(MAX_PICTURE_BYTES / 3) * 4) invalid(`${path}.${field}`, `at most ${MAX_PICTURE_BYTES} bytes`, 'more');
  }
}

/**
 * Checks persisted world data field by field.
 * @throws SandboxError `STATE_INVALID` naming the first bad field
 * @example
 * ```ts
 * validateWorldData(JSON.parse(text).world); // throws e.g. "world.users[3].jid must be a user id …"
 * ```
 */
export function validateWorldData(data: unknown, root = 'world'): asserts data is WorldData {
  const world = record(data, root);
  const users = new Set<string>();
  list(world.users, `${root}.users`).forEach((value, i) => {
    const path = `${root}.users[${i}]`;
    const user = record(value, path);
    const id = jid(user.jid, `${path}.jid`, 'user');
    if (users.has(id)) invalid(`${path}.jid`, 'unique', id);
    users.add(id);
    text(user.name, `${path}.name`);
    text(user.status, `${path}.status`);
    optionalText(user.pictureUrl, `${path}.pictureUrl`);
    if (user.picture !== undefined) picture(user.picture, `${path}.picture`);
    if (typeof user.presence !== 'string' || !presences.has(user.presence)) invalid(`${path}.presence`, [...presences].join('|'), user.presence);
    count(user.lastSeen, `${path}.lastSeen`);
    const behaviour = record(user.behaviour, `${path}.behaviour`);
    delay(behaviour.deliverAfterMs, `${path}.behaviour.deliverAfterMs`);
    delay(behaviour.readAfterMs, `${path}.behaviour.readAfterMs`);
    flag(behaviour.echo, `${path}.behaviour.echo`);
  });
  const groups = new Set<string>();
  list(world.groups, `${root}.groups`).forEach((value, i) => {
    const path = `${root}.groups[${i}]`;
    const group = record(value, path);
    const id = jid(group.id, `${path}.id`, 'group');
    if (groups.has(id)) invalid(`${path}.id`, 'unique', id);
    groups.add(id);
    jid(group.owner, `${path}.owner`, 'user');
    text(group.subject, `${path}.subject`);
    count(group.creation, `${path}.creation`);
    optionalText(group.desc, `${path}.desc`);
    validateGroupExtras(group, path);
    if (group.picture !== undefined) picture(group.picture, `${path}.picture`);
    list(group.participants, `${path}.participants`).forEach((entry, j) => {
      const participant = record(entry, `${path}.participants[${j}]`);
      const member = jid(participant.jid, `${path}.participants[${j}].jid`, 'user');
      if (!users.has(member)) invalid(`${path}.participants[${j}].jid`, 'a user of world.users', member);
      flag(participant.isAdmin, `${path}.participants[${j}].isAdmin`);
      flag(participant.isSuperAdmin, `${path}.participants[${j}].isSuperAdmin`);
    });
  });
  const accounts = list(world.accounts, `${root}.accounts`);
  if (accounts.length === 0) invalid(`${root}.accounts`, 'a list of at least one account', accounts);
  const wids = new Set<string>();
  accounts.forEach((value, i) => {
    const path = `${root}.accounts[${i}]`;
    const account = record(value, path);
    const wid = jid(account.wid, `${path}.wid`, 'user');
    if (!users.has(wid)) invalid(`${path}.wid`, 'a user of world.users', wid);
    if (wids.has(wid)) invalid(`${path}.wid`, 'unique', wid);
    wids.add(wid);
    text(account.platform, `${path}.platform`);
    const phone = record(account.phone, `${path}.phone`);
    for (const field of phoneFields) text(phone[field], `${path}.phone.${field}`);
    if (typeof account.battery !== 'number' || !(account.battery >= 0 && account.battery <= 100)) invalid(`${path}.battery`, 'a number from 0 to 100', account.battery);
    flag(account.plugged, `${path}.plugged`);
    if (account.powersave !== undefined) flag(account.powersave, `${path}.powersave`);
    flag(account.reachable, `${path}.reachable`);
    text(account.lg, `${path}.lg`);
    text(account.lc, `${path}.lc`);
    if (account.blocklist !== undefined) {
      list(account.blocklist, `${path}.blocklist`).forEach((entry, j) => jid(entry, `${path}.blocklist[${j}]`, 'user'));
    }
    list(account.contacts, `${path}.contacts`).forEach((entry, j) => {
      const contact = record(entry, `${path}.contacts[${j}]`);
      jid(contact.jid, `${path}.contacts[${j}].jid`, 'user');
      text(contact.name, `${path}.contacts[${j}].name`);
      text(contact.short, `${path}.contacts[${j}].short`);
    });
    const chats = new Set<string>();
    list(account.chats, `${path}.chats`).forEach((entry, j) => {
      const chatPath = `${path}.chats[${j}]`;
      const chat = record(entry, chatPath);
      const chatJid = jid(chat.jid, `${chatPath}.jid`, 'chat');
      if (chats.has(chatJid)) invalid(`${chatPath}.jid`, 'unique within the account', chatJid);
      chats.add(chatJid);
      if (isGroupJid(chatJid) && !groups.has(chatJid)) invalid(`${chatPath}.jid`, 'a group of world.groups', chatJid);
      count(chat.unread, `${chatPath}.unread`, -1);
      count(chat.t, `${chatPath}.t`);
      count(chat.mute, `${chatPath}.mute`);
      flag(chat.archived, `${chatPath}.archived`);
      if (chat.pin !== undefined) count(chat.pin, `${chatPath}.pin`);
      if (chat.ephemeral !== undefined) count(chat.ephemeral, `${chatPath}.ephemeral`, 1);
      if (chat.ephemeralSince !== undefined) count(chat.ephemeralSince, `${chatPath}.ephemeralSince`);
      list(chat.messages, `${chatPath}.messages`).forEach((item, k) => {
        const messagePath = `${chatPath}.messages[${k}]`;
        const message = record(item, messagePath);
        if (text(message.id, `${messagePath}.id`) === '') invalid(`${messagePath}.id`, 'a non-empty string', message.id);
        flag(message.fromMe, `${messagePath}.fromMe`);
        count(message.t, `${messagePath}.t`);
        if (typeof message.status !== 'string' || !statuses.has(message.status)) invalid(`${messagePath}.status`, [...statuses].join('|'), message.status);
        if (message.participant !== undefined) jid(message.participant, `${messagePath}.participant`, 'user');
        optionalText(message.text, `${messagePath}.text`);
        if (message.raw !== undefined) base64(message.raw, `${messagePath}.raw`);
        if (message.content !== undefined) base64(message.content, `${messagePath}.content`);
        if (message.receipts !== undefined) receipts(message.receipts, `${messagePath}.receipts`);
        if (message.starred !== undefined) flag(message.starred, `${messagePath}.starred`);
      });
    });
  });
}
