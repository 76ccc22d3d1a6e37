// Commands on the open chat and its messages (archive, pin, mute, star, delete, share a
// location), search, blocking and the own profile (name, about). The changes the server confirms
// come back as `chat-update`, `message-update` and `blocklist` events, which terminal.mjs prints.
import { isGroupJid } from '@wa/client';
import { formatMessage, parseJid } from './format.mjs';

export const CHAT_HELP = `  /archive, /pin               archive / pin the open chat (again: undo)
  /mute <minutes|off>          mute the open chat for a while, or unmute it
  /star [n]                    star the nth newest message of the open chat (default 1,
                               the newest); again: unstar
  /delete [everyone] [n]       delete your newest message of the open chat (n: the nth
                               newest message) for you, or for everyone
  /location <lat> <lon> [name] share a location in the open chat
  /search <text>               search all chats' messages
  /block [who], /unblock [who] block / unblock a contact (default: the open chat)
  /name <text>                 your push name; /about <text>: your about text`;

/** The open chat, or a notice and undefined. */
function openChat(ui) {
  const jid = ui.current();
  if (jid === undefined) ui.print('No chat is open: /open one first.');
  return jid;
}

/** Stored messages of a chat that are real messages (no system entries, no deleted stubs), newest first. */
function newestFirst(ui, jid) {
  return ui.client
    .messages(jid)
    .filter((info) => info.message !== undefined && info.messageStubType === undefined && !info.message.protocolMessage)
    .reverse();
}

/** `n` of `/star n`: a small whole number ≥ 1, default 1; undefined when not one. */
function position(word) {
  if (word === undefined) return 1;
  return /^[1-9][0-9]{0,3}$/.test(word) ? Number(word) : undefined;
}

/**
 * Runs one of the chat commands for the chat `ui` ({ client, names, style, print, current() });
 * returns false when `command` is not one of them.
 * @example
 * ```js
 * if (!(await chatCommand(ui, '/pin', ''))) ui.print('Unknown command');
 * ```
 */
export async function chatCommand(ui, command, argument) {
  switch (command) {
    case '/archive':
      return toggle(ui, (chat) => (chat.archived ? ui.client.unarchiveChat(chat.jid) : ui.client.archiveChat(chat.jid)));
    case '/pin':
      return toggle(ui, (chat) => (chat.pinned ? ui.client.unpinChat(chat.jid) : ui.client.pinChat(chat.jid)));
    case '/mute':
      return mute(ui, argument);
    case '/star':
      return star(ui, argument);
    case '/delete':
      return remove(ui, argument);
    case '/location':
      return shareLocation(ui, argument);
    case '/search':
      return search(ui, argument);
    case '/block':
    case '/unblock':
      return block(ui, command === '/block', argument);
    case '/name':
      return pushName(ui, argument);
    case '/about':
      return about(ui, argument);
    default:
      return false;
  }
}

async function toggle(ui, act) {
  const jid = openChat(ui);
  if (jid === undefined) return true;
  const chat = ui.client.chats().find((entry) => entry.jid === jid);
  if (chat === undefined) ui.print('This chat is not in the chat list yet (send a message first).');
  else await act(chat);
  return true;
}

async function mute(ui, argument) {
  const jid = openChat(ui);
  if (jid === undefined) return true;
  if (argument === 'off') {
    await ui.client.muteChat(jid, null);
    return true;
  }
  if (!/^[1-9][0-9]{0,6}$/.test(argument)) {
    ui.print('Usage: /mute <minutes|off>');
    return true;
  }
  await ui.client.muteChat(jid, Date.now() + Number(argument) * 60_000);
  return true;
}

async function star(ui, argument) {
  const jid = openChat(ui);
  if (jid === undefined) return true;
  const n = position(argument || undefined);
  const info = n === undefined ? undefined : newestFirst(ui, jid)[n - 1];
  if (info === undefined) {
    ui.print(n === undefined ? 'Usage: /star [n]' : `There is no message ${n} (of the messages seen so far).`);
    return true;
  }
  await ui.client.starMessage(jid, info.key.id, info.starred !== true, { fromMe: info.key.fromMe === true });
  return true;
}

async function remove(ui, argument) {
  const jid = openChat(ui);
  if (jid === undefined) return true;
  const words = argument.split(/\s+/).filter(Boolean);
  const forEveryone = words[0] === 'everyone';
  if (forEveryone) words.shift();
  const n = position(words[0]);
  if (n === undefined || words.length > 1) {
    ui.print('Usage: /delete [everyone] [n]');
    return true;
  }
  const messages = newestFirst(ui, jid);
  const info = words.length === 0 ? messages.find((entry) => entry.key.fromMe === true) : messages[n - 1];
  if (info === undefined) {
    ui.print(words.length === 0 ? 'You have sent nothing in this chat (of the messages seen so far).' : `There is no message ${n}.`);
    return true;
  }
  if (forEveryone && info.key.fromMe !== true) {
    ui.print('Only your own messages can be deleted for everyone.');
    return true;
  }
  await ui.client.deleteMessage(jid, info.key.id, { forEveryone, fromMe: info.key.fromMe === true });
  return true;
}

async function shareLocation(ui, argument) {
  const jid = openChat(ui);
  if (jid === undefined) return true;
  const [lat, lon, ...name] = argument.split(/\s+/).filter(Boolean);
  const latitude = Number(lat);
  const longitude = Number(lon);
  if (lat === undefined || lon === undefined || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    ui.print('Usage: /location <latitude> <longitude> [name], e.g. /location 52.5163 13.3777 Brandenburger Tor');
    return true;
  }
  const location = name.length > 0 ? { latitude, longitude, name: name.join(' ') } : { latitude, longitude };
  const sent = await ui.client.sendLocation(jid, location);
  ui.print(`${ui.style.bold('→')} ${formatMessage({ ...sent, fromMe: true, sender: ui.client.me?.wid }, { names: ui.names, style: ui.style })}`);
  return true;
}

async function search(ui, text) {
  if (text === '') {
    ui.print('Usage: /search <text>');
    return true;
  }
  const { messages, last } = await ui.client.searchMessages(text, { count: 20 });
  if (messages.length === 0) ui.print(`Nothing found for "${text}".`);
  for (const event of messages) ui.print(`  ${ui.style.cyan(`[${ui.names.of(event.chat)}]`)} ${formatMessage(event, { names: ui.names, style: ui.style })}`);
  if (!last) ui.print(ui.style.dim('  (more results on the phone; only the first 20 are shown)'));
  return true;
}

async function block(ui, blocking, argument) {
  const jid = argument === '' ? ui.current() : (parseJid(argument) ?? ui.names.find(argument));
  if (jid === undefined || isGroupJid(jid)) {
    ui.print(`Usage: ${blocking ? '/block' : '/unblock'} [jid|number|name] (default: the open 1:1 chat)`);
    return true;
  }
  await (blocking ? ui.client.block(jid) : ui.client.unblock(jid));
  return true;
}

async function pushName(ui, name) {
  if (name === '') {
    ui.print('Usage: /name <text>');
    return true;
  }
  const now = await ui.client.setPushName(name);
  ui.print(ui.style.dim(`   your name is now "${now}"`));
  return true;
}

async function about(ui, text) {
  if (text === '') {
    ui.print('Usage: /about <text>');
    return true;
  }
  await ui.client.setStatus(text);
  ui.print(ui.style.dim(`   your about is now "${text}"`));
  return true;
}
