// The `/group …` commands: create a group, change who is in it and who administers it, its
// subject and description, leave, invite links. What changed is shown by the `group-update`
// events the server sends back (terminal.mjs prints them as system lines); these print only
// what the events do not tell: refused participants, invite codes, the group's details.
import { isGroupJid } from '@wa/client';
import { clock, parseJid } from './format.mjs';

export const GROUP_HELP = `  /group create <subject> <who…>
                               create a group ("quotes" for a subject with spaces);
                               who: jids, numbers or names
  /group add|remove|promote|demote <who…>
                               change the open group's participants or admins
  /group subject <text>        change the open group's subject
  /group description <text>    change its description (no text: remove it)
  /group info                  its subject, creator, admins and participants
  /group invite                its invite link (admins)
  /group join <code|link>      join a group by its invite code or link
  /group leave                 leave the open group`;

/** Why the server refused one participant (the codes of the group answers). */
const refusals = Object.freeze({
  401: 'you are not an admin',
  403: 'not allowed',
  404: 'not on WhatsApp or not in the group',
  409: 'already in the group',
});

/**
 * Splits a command's arguments, keeping "quoted words" together.
 * @example
 * ```js
 * splitArguments('"Book club" alice 15550100003'); // ['Book club', 'alice', '15550100003']
 * ```
 */
export function splitArguments(text) {
  const words = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/**
 * Runs `/group <sub> …` for the chat `ui` ({ client, names, style, print, current(), open(jid) }).
 * @example
 * ```js
 * await groupCommand(ui, 'add bob carol');
 * ```
 */
export async function groupCommand(ui, argument) {
  const [sub = '', ...rest] = splitArguments(argument);
  const text = argument.trim().replace(/^\S+\s*/, '');
  switch (sub) {
    case 'create':
      return create(ui, rest);
    case 'add':
    case 'remove':
    case 'promote':
    case 'demote':
      return participants(ui, sub, rest);
    case 'subject':
      return subject(ui, text);
    case 'description':
      return description(ui, text);
    case 'info':
      return info(ui);
    case 'invite':
      return invite(ui);
    case 'join':
      return join(ui, rest[0]);
    case 'leave':
      return leave(ui);
    default:
      ui.print(`Usage:\n${GROUP_HELP}`);
  }
}

/** The people named on the command line as jids; prints the ones that match nobody. */
function resolvePeople(ui, words) {
  const jids = [];
  for (const word of words) {
    const jid = parseJid(word) ?? ui.names.find(word);
    if (jid === undefined || isGroupJid(jid)) ui.print(ui.style.yellow(`   nobody matches "${word}"`));
    else jids.push(jid);
  }
  return jids;
}

/** The open chat when it is a group; otherwise says so and returns undefined. */
function openGroup(ui) {
  const jid = ui.current();
  if (jid !== undefined && isGroupJid(jid)) return jid;
  ui.print('Open a group first (/open <n|name>).');
  return undefined;
}

/** Prints the participants the server did not accept. */
function printRefused(ui, results) {
  for (const { jid, code } of results) {
    if (code !== 200) ui.print(ui.style.yellow(`   ✗ ${ui.names.of(jid)}: ${code} (${refusals[code] ?? 'refused'})`));
  }
}

async function create(ui, [title, ...who]) {
  if (title === undefined || who.length === 0) {
    ui.print('Usage: /group create <subject> <who…>, e.g. /group create "Book club" alice bob');
    return;
  }
  const jids = resolvePeople(ui, who);
  if (jids.length === 0) return;
  const { gid, participants: results } = await ui.client.groupCreate(title, jids);
  printRefused(ui, results);
  ui.print(ui.style.green(`   created "${title}" ${ui.style.dim(gid)}`));
  await ui.open(gid);
}

async function participants(ui, action, words) {
  const gid = openGroup(ui);
  if (gid === undefined) return;
  if (words.length === 0) {
    ui.print(`Usage: /group ${action} <who…>`);
    return;
  }
  const jids = resolvePeople(ui, words);
  if (jids.length === 0) return;
  const method = { add: 'groupAdd', remove: 'groupRemove', promote: 'groupPromote', demote: 'groupDemote' }[action];
  printRefused(ui, await ui.client[method](gid, jids));
}

async function subject(ui, text) {
  const gid = openGroup(ui);
  if (gid === undefined) return;
  if (text === '') {
    ui.print('Usage: /group subject <text>');
    return;
  }
  await ui.client.groupUpdateSubject(gid, text);
}

async function description(ui, text) {
  const gid = openGroup(ui);
  if (gid === undefined) return;
  await ui.client.groupUpdateDescription(gid, text);
}

async function info(ui) {
  const gid = openGroup(ui);
  if (gid === undefined) return;
  const { style, names } = ui;
  const group = await ui.client.groupMetadata(gid);
  ui.print(`${style.bold(group.subject ?? gid)} ${style.dim(gid)}`);
  if (group.owner !== undefined) {
    const when = group.creation === undefined ? '' : ` on ${new Date(group.creation * 1000).toISOString().slice(0, 10)} at ${clock(group.creation)}`;
    ui.print(`   created by ${names.of(group.owner)}${when}`);
  }
  if (group.desc) ui.print(`   description: ${group.desc}`);
  const settings = [group.announce ? 'only admins send' : undefined, group.restrict ? 'only admins edit the info' : undefined].filter(Boolean);
  if (settings.length > 0) ui.print(`   settings: ${settings.join(', ')}`);
  ui.print(`   ${group.participants.length} participants:`);
  for (const participant of group.participants) {
    const role = participant.isSuperAdmin ? ' (creator, admin)' : participant.isAdmin ? ' (admin)' : '';
    ui.print(`     ${names.of(participant.id)}${style.dim(role)} ${style.dim(participant.id)}`);
  }
}

async function invite(ui) {
  const gid = openGroup(ui);
  if (gid === undefined) return;
  const code = await ui.client.groupInviteCode(gid);
  ui.print(`   invite link: https://chat.whatsapp.com/${code} ${ui.style.dim(`(/group join ${code})`)}`);
}

async function join(ui, code) {
  if (code === undefined) {
    ui.print('Usage: /group join <code|link>');
    return;
  }
  const gid = await ui.client.groupAcceptInvite(code);
  ui.print(ui.style.green(`   joined ${ui.style.dim(gid)}`));
  await ui.open(gid);
}

async function leave(ui) {
  const gid = openGroup(ui);
  if (gid === undefined) return;
  await ui.client.groupLeave(gid);
}
