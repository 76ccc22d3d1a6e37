/**
 * The sentences WhatsApp showed in a chat for group changes and disappearing-message settings
 * ("Alice added Bob", "You changed the subject to "Book club"", "Bob turned on disappearing
 * messages (7 days)"), in English, for interfaces built on the client: pure functions of a
 * {@link GroupUpdate} and a way to name people.
 * @module
 */
import type { GroupUpdate } from './groups.js';

/**
 * The display name of a jid in a sentence: `'You'` for the account itself, so that sentences
 * read "You left" and, in the middle of one, "Alice added you".
 */
export type NameOf = (jid: string) => string;

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

const UNITS = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
] as const;

/**
 * A disappearing-messages timer in words: "7 days", "1 hour", "90 seconds".
 * @example
 * ```ts
 * timerText(604800); // '7 days'
 * ```
 */
export function timerText(seconds: number): string {
  for (const [unit, word] of UNITS) {
    if (seconds >= unit && seconds % unit === 0) {
      const count = seconds / unit;
      return `${count} ${word}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/**
 * "Alice turned on disappearing messages (7 days)", or "… turned off …" for 0.
 * @example
 * ```ts
 * disappearingSentence('Alice', 604800); // 'Alice turned on disappearing messages (7 days)'
 * ```
 */
export function disappearingSentence(who: string, seconds: number | undefined): string {
  return seconds ? `${who} turned on disappearing messages (${timerText(seconds)})` : `${who} turned off disappearing messages`;
}

/**
 * The sentence for a `group-update` event (or a group stub from the history, through
 * `groupUpdateFromStub`), as WhatsApp wrote it in the chat.
 * @example
 * ```ts
 * const nameOf = (jid: string) => (jid === me ? 'You' : names.get(jid) ?? jid);
 * groupSentence({ gid, action: 'add', actor: alice, participants: [bob], timestamp }, nameOf); // 'Alice added Bob'
 * groupSentence({ gid, action: 'remove', actor: bob, participants: [bob], timestamp }, nameOf); // 'Bob left'
 * ```
 */
export function groupSentence(update: GroupUpdate, nameOf: NameOf): string {
  const inSentence = (jid: string): string => (nameOf(jid) === 'You' ? 'you' : nameOf(jid));
  const actor = nameOf(update.actor);
  const participants = update.participants ?? [];
  const others = participants.filter((jid) => jid !== update.actor);
  const them = listNames(others.map(inSentence));
  const joiners = (participants.length > 0 ? participants : [update.actor]).map(nameOf);
  switch (update.action) {
    case 'create':
      return `${actor} created group "${update.subject ?? ''}"`;
    case 'add':
      return others.length === 0 ? `${actor} joined` : `${actor} added ${them}`;
    case 'remove':
      // Removing oneself is leaving, as the phone wrote it.
      return others.length === 0 ? `${actor} left` : `${actor} removed ${them}`;
    case 'leave':
      return `${listNames(joiners)} left`;
    case 'invite':
      return `${listNames(joiners)} joined using this group's invite link`;
    case 'promote':
      return `${actor} made ${listNames(participants.map(inSentence))} ${participants.length === 1 ? 'an admin' : 'admins'}`;
    case 'demote':
      return `${actor} dismissed ${listNames(participants.map(inSentence))} as admin`;
    case 'subject':
      return `${actor} changed the subject to "${update.subject ?? ''}"`;
    case 'description':
      return update.description === '' ? `${actor} deleted the group description` : `${actor} changed the group description`;
    case 'announce':
      return `${actor} changed this group's settings to allow ${update.announce ? 'only admins' : 'all participants'} to send messages`;
    case 'restrict':
      return `${actor} changed this group's settings to allow ${update.restrict ? 'only admins' : 'all participants'} to edit this group's info`;
    case 'ephemeral':
      return disappearingSentence(actor, update.ephemeralSeconds);
    case 'picture':
      return `${actor} changed this group's icon`;
    default:
      return `${actor} changed the group (${String(update.action)})`;
  }
}
