// The sentences of system lines: group changes ("Alice added Bob"), chat actions, starring and
// deleting, block-list and profile changes. Pure functions of an event and the names, like
// format.mjs, so terminal.mjs decides where the lines go.
import { groupUpdateFromStub } from '@wa/client';
import { clock } from './format.mjs';

/**
 * "Bob", "Bob and Carol", "Bob, Carol and Dave".
 * @example
 * ```js
 * listNames(['Bob', 'Carol', 'Dave']); // 'Bob, Carol and Dave'
 * ```
 */
export function listNames(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A name in the middle of a sentence: "you" rather than "You". */
function object(names, jid) {
  const name = names.of(jid);
  return name === 'You' ? 'you' : name;
}

const durations = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
];

/** "7 days", "1 hour", "90 seconds". */
function duration(seconds) {
  for (const [unit, word] of durations) {
    if (seconds >= unit && seconds % unit === 0) {
      const count = seconds / unit;
      return `${count} ${word}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/**
 * The sentence for a `group-update` event (or a group stub from the history), as WhatsApp wrote
 * it in the chat: "Alice added Bob", "You changed the subject to "Book club"", "Bob left".
 * @example
 * ```js
 * groupSentence({ action: 'add', actor: '15550100002@c.us', participants: ['15550100003@c.us'] }, names); // 'Alice added Bob'
 * ```
 */
export function groupSentence(update, names) {
  const actor = names.of(update.actor);
  const others = (update.participants ?? []).filter((jid) => jid !== update.actor);
  const them = listNames(others.map((jid) => object(names, jid)));
  const self = (update.participants ?? []).includes(update.actor);
  switch (update.action) {
    case 'create':
      return `${actor} created group "${update.subject ?? ''}"`;
    case 'add':
      return others.length === 0 ? `${actor} joined` : `${actor} added ${them}`;
    case 'remove':
      return others.length === 0 && self ? `${actor} left` : `${actor} removed ${them}`;
    case 'leave':
      return `${listNames((update.participants ?? [update.actor]).map((jid) => names.of(jid)))} left`;
    case 'invite':
      return `${listNames((update.participants ?? [update.actor]).map((jid) => names.of(jid)))} joined using this group's invite link`;
    case 'promote':
      return `${actor} made ${listNames((update.participants ?? []).map((jid) => object(names, jid)))} ${update.participants?.length === 1 ? 'an admin' : 'admins'}`;
    case 'demote':
      return `${actor} dismissed ${listNames((update.participants ?? []).map((jid) => object(names, jid)))} as admin`;
    case 'subject':
      return `${actor} changed the subject to "${update.subject ?? ''}"`;
    case 'description':
      return update.description === '' ? `${actor} deleted the group description` : `${actor} changed the group description`;
    case 'announce':
      return `${actor} changed this group's settings to allow ${update.announce ? 'only admins' : 'all participants'} to send messages`;
    case 'restrict':
      return `${actor} changed this group's settings to allow ${update.restrict ? 'only admins' : 'all participants'} to edit this group's info`;
    case 'ephemeral':
      return update.ephemeralSeconds ? `${actor} turned on disappearing messages (${duration(update.ephemeralSeconds)})` : `${actor} turned off disappearing messages`;
    case 'picture':
      return `${actor} changed this group's icon`;
    default:
      return `${actor} changed the group (${update.action})`;
  }
}

/**
 * A system line: `[12:26] • Alice added Bob`, with the chat's name in front when it is not the
 * open chat.
 * @example
 * ```js
 * systemLine('Alice added Bob', { timestamp, chat, names, style, showChat: true });
 * ```
 */
export function systemLine(text, { timestamp, chat, names, style, showChat = false }) {
  const when = timestamp === undefined ? '' : `${style.dim(`[${clock(timestamp)}]`)} `;
  const where = showChat && chat !== undefined ? `${style.cyan(`[${names.of(chat)}]`)} ` : '';
  return `${when}${where}${style.cyan(`• ${text}`)}`;
}

/**
 * The system line a history message stands for, or undefined when it is an ordinary message:
 * group stubs ("Alice added Bob") and a disappearing-messages change.
 * @example
 * ```js
 * historySystemLine(event, { names, style }); // '[12:26] • Alice added Bob'
 * ```
 */
export function historySystemLine(event, { names, style, showChat = false }) {
  const update = groupUpdateFromStub(event);
  if (update !== undefined) return systemLine(groupSentence(update, names), { timestamp: event.timestamp, chat: event.chat, names, style, showChat });
  if (event.kind === 'ephemeralSetting') {
    const who = names.of(event.sender);
    const text = event.expiration ? `${who} turned on disappearing messages (${duration(event.expiration)})` : `${who} turned off disappearing messages`;
    return systemLine(text, { timestamp: event.timestamp, chat: event.chat, names, style, showChat });
  }
  return undefined;
}

/**
 * The line for a `chat-update` event, or undefined for one not worth a line (a read mark this
 * client made itself).
 * @example
 * ```js
 * chatUpdateLine({ jid, action: 'archive', changes: { archived: true }, source: 'self' }, { names, style }); // '   📦 Archived Alice'
 * ```
 */
export function chatUpdateLine(update, { names, style }) {
  const name = names.of(update.jid);
  const where = update.source === 'push' ? ' (on another device)' : '';
  const until = update.changes.muteUntil ? ` until ${new Date(update.changes.muteUntil * 1000).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}` : '';
  const text = {
    archive: `📦 Archived ${name}`,
    unarchive: `📤 Unarchived ${name}`,
    pin: `📌 Pinned ${name}`,
    unpin: `📍 Unpinned ${name}`,
    mute: `🔕 Muted ${name}${until}`,
    unmute: `🔔 Unmuted ${name}`,
    delete: `🗑 Deleted the chat with ${name}`,
    clear: `🧹 Cleared the messages of ${name}${update.keepStarred ? ' (starred kept)' : ''}`,
    read: update.source === 'push' ? `✓ ${name} was read` : undefined,
    unread: `● Marked ${name} unread`,
  }[update.action];
  return text === undefined ? undefined : style.dim(`   ${text}${where}`);
}
