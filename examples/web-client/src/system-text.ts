/**
 * The words of the centred system lines of a conversation: group changes ("Alice added Bob",
 * "You changed the subject to "Readers"", "You left") from the group stubs the client stores,
 * and disappearing-message changes. Pure functions of a stored message and the names.
 */
import { describeMessage, groupUpdateFromStub, toChatJid, type GroupUpdate, type MessageEvent } from '@wa/client';
import type { WebMessageInfo } from '@wa/proto';

/**
 * "Bob", "Bob and Carol", "Bob, Carol and Dave".
 * @example
 * ```ts
 * listNames(['Bob', 'Carol', 'Dave']); // 'Bob, Carol and Dave'
 * ```
 */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function duration(seconds: number): string {
  for (const [unit, word] of [[86_400, 'day'], [3_600, 'hour'], [60, 'minute']] as const) {
    if (seconds >= unit && seconds % unit === 0) return `${seconds / unit} ${word}${seconds === unit ? '' : 's'}`;
  }
  return `${seconds} seconds`;
}

/**
 * The sentence WhatsApp showed for a group change; `name` gives "You" for the account itself.
 * @example
 * ```ts
 * groupSentence({ gid, action: 'add', actor: alice, participants: [bob], timestamp }, name); // 'Alice added Bob'
 * ```
 */
export function groupSentence(update: GroupUpdate, name: (jid: string) => string): string {
  const object = (jid: string): string => (name(jid) === 'You' ? 'you' : name(jid));
  const actor = name(update.actor);
  const participants = update.participants ?? [];
  const others = participants.filter((jid) => jid !== update.actor);
  const them = listNames(others.map(object));
  switch (update.action) {
    case 'create':
      return `${actor} created group "${update.subject ?? ''}"`;
    case 'add':
      return others.length === 0 ? `${actor} joined` : `${actor} added ${them}`;
    case 'remove':
      return others.length === 0 ? `${actor} left` : `${actor} removed ${them}`;
    case 'leave':
      return `${listNames((participants.length > 0 ? participants : [update.actor]).map(name))} left`;
    case 'invite':
      return `${listNames((participants.length > 0 ? participants : [update.actor]).map(name))} joined using this group's invite link`;
    case 'promote':
      return `${actor} made ${listNames(participants.map(object))} ${participants.length === 1 ? 'an admin' : 'admins'}`;
    case 'demote':
      return `${actor} dismissed ${listNames(participants.map(object))} as admin`;
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
  }
}

/**
 * The system line a stored message stands for (a group stub, a disappearing-messages change),
 * or undefined for an ordinary message.
 * @example
 * ```ts
 * systemText(info, gid, meJid, name); // 'Alice added Bob'
 * ```
 */
export function systemText(info: WebMessageInfo, chat: string, meJid: string, name: (jid: string) => string): string | undefined {
  const details = describeMessage(info);
  if (details.kind !== 'stub' && details.kind !== 'ephemeralSetting') return undefined;
  const fromMe = info.key.fromMe === true;
  const participant = info.key.participant ?? info.participant;
  const sender = fromMe ? meJid : participant !== undefined ? toChatJid(participant) : chat;
  if (details.kind === 'ephemeralSetting') {
    const who = name(sender);
    return details.expiration ? `${who} turned on disappearing messages (${duration(details.expiration)})` : `${who} turned off disappearing messages`;
  }
  const event = { ...details, info, chat, id: info.key.id ?? '', fromMe, sender, timestamp: Number(info.messageTimestamp ?? 0), source: 'last' } as MessageEvent;
  const update = groupUpdateFromStub(event);
  return update === undefined ? undefined : groupSentence(update, name);
}
