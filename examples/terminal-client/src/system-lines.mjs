// The system lines: group changes ("Alice added Bob", in @wa/client's words), chat actions,
// starring and deleting, block-list and profile changes. Pure functions of an event and the names, like
// format.mjs, so terminal.mjs decides where the lines go.
import { disappearingSentence, groupSentence, groupUpdateFromStub } from '@wa/client';
import { clock } from './format.mjs';

/** The `(jid) => name` the sentences of `@wa/client` take, from the terminal's name book. */
export const nameOf = (names) => (jid) => names.of(jid);

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
  if (update !== undefined) return systemLine(groupSentence(update, nameOf(names)), { timestamp: event.timestamp, chat: event.chat, names, style, showChat });
  if (event.kind === 'ephemeralSetting') {
    const who = names.of(event.sender);
    return systemLine(disappearingSentence(who, event.expiration), { timestamp: event.timestamp, chat: event.chat, names, style, showChat });
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
