/** Pure formatting helpers: names, initials, avatar colours, times and message texts. */
import type { Chat, Contact } from '@wa/client';
import { describeMessage, isGroupJid, toChatJid, type ContactCard } from '@wa/client';
import { messageText, type WebMessageInfo } from '@wa/proto';

/**
 * "+1 555-010-0002" for `15550100002@c.us`; other ids are shown as they are.
 * @example
 * ```ts
 * formatNumber('15550100002@c.us'); // '+1 555-010-0002'
 * ```
 */
export function formatNumber(jid: string): string {
  const number = jid.split('@')[0] ?? jid;
  const nanp = /^1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return nanp ? `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}` : `+${number}`;
}

/**
 * The name WhatsApp Web would show: the chat's name (groups), the saved contact name, the
 * pushname the user chose (`notify`), else the phone number.
 * @example
 * ```ts
 * displayName('15550100002@c.us', chats, contacts); // 'Alice'
 * ```
 */
export function displayName(jid: string, chats: ReadonlyMap<string, Chat>, contacts: ReadonlyMap<string, Contact>): string {
  const contact = contacts.get(jid);
  return chats.get(jid)?.name ?? contact?.name ?? contact?.notify ?? contact?.vname ?? formatNumber(jid);
}

/**
 * One or two initials for the avatar ("Weekend Trip" → "WT", "Alice" → "A").
 * @example
 * ```ts
 * initials('Dave (work)'); // 'DW'
 * ```
 */
export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return '#';
  const first = [...words[0]!][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + last).toUpperCase();
}

const AVATAR_COLOURS = ['#00a884', '#53bdeb', '#7f66ff', '#ff6b6b', '#ffa94d', '#06cf9c', '#e26ab6', '#6bcbef', '#a5b337', '#fa6533'];

/**
 * A stable colour per id, so a contact keeps its avatar colour across reloads.
 * @example
 * ```ts
 * avatarColour('15550100002@c.us'); // always the same '#…'
 * ```
 */
export function avatarColour(jid: string): string {
  let hash = 0;
  for (const char of jid) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length]!;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * "14:05" in local time.
 * @example
 * ```ts
 * clockTime(Number(info.messageTimestamp)); // '14:05'
 * ```
 */
export function clockTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function dayIndex(date: Date): number {
  return Math.floor(new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() / 86_400_000);
}

/**
 * The chat list's time column: the clock today, "Yesterday", the weekday within a week, else
 * the date.
 * @example
 * ```ts
 * listTime(Date.now() / 1000); // '14:05'
 * ```
 */
export function listTime(seconds: number, now = Date.now()): string {
  if (!seconds) return '';
  const date = new Date(seconds * 1000);
  const days = dayIndex(new Date(now)) - dayIndex(date);
  if (days <= 0) return clockTime(seconds);
  if (days === 1) return 'Yesterday';
  if (days < 7) return date.toLocaleDateString('en-US', { weekday: 'long' });
  return `${date.getMonth() + 1}/${date.getDate()}/${date.getFullYear()}`;
}

/**
 * The day separator in a conversation: "TODAY", "YESTERDAY" or the date.
 * @example
 * ```ts
 * dayLabel(Date.now() / 1000); // 'TODAY'
 * ```
 */
export function dayLabel(seconds: number, now = Date.now()): string {
  const days = dayIndex(new Date(now)) - dayIndex(new Date(seconds * 1000));
  if (days <= 0) return 'TODAY';
  if (days === 1) return 'YESTERDAY';
  return new Date(seconds * 1000).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric' }).toUpperCase();
}

/**
 * `messageTimestamp` (a decimal string of seconds) as a number.
 * @example
 * ```ts
 * timestampOf({ key: {}, messageTimestamp: '1600000000' }); // 1600000000
 * ```
 */
export function timestampOf(info: WebMessageInfo): number {
  return Number(info.messageTimestamp ?? 0);
}

/**
 * What a bubble or a preview shows for a message: its text, or a placeholder for media and
 * system entries this example does not render.
 * @example
 * ```ts
 * bodyOf(info); // 'Hi!' or '📷 Photo'
 * ```
 */
export function bodyOf(info: WebMessageInfo): string {
  const message = info.message;
  if (info.messageStubType === 'REVOKE') return DELETED_TEXT;
  if (message === undefined) return info.messageStubType !== undefined ? 'ℹ️ System message' : '';
  const text = messageText(message);
  if (text !== undefined) return text;
  if (message.imageMessage) return '📷 Photo';
  if (message.videoMessage) return '🎥 Video';
  if (message.audioMessage) return '🎤 Voice message';
  if (message.documentMessage) return '📄 Document';
  if (message.stickerMessage) return 'Sticker';
  const details = describeMessage(info);
  if (details.location !== undefined) return `📍 ${details.location.name ?? (details.location.live ? 'Live location' : 'Location')}`;
  if (details.contacts !== undefined) return `👤 ${details.contacts.map(cardName).join(', ') || 'Contact'}`;
  if (details.kind === 'revoke') return DELETED_TEXT;
  if (message.protocolMessage) return 'ℹ️ System message';
  return 'Unsupported message';
}

/** What a message deleted for everyone shows instead of its content. */
export const DELETED_TEXT = '🚫 This message was deleted';

/**
 * The name on a vCard: its `FN:` line (folded lines joined, escapes undone), else undefined.
 * @example
 * ```ts
 * vcardName('BEGIN:VCARD\nVERSION:3.0\nFN:Zed Zero\nEND:VCARD'); // 'Zed Zero'
 * ```
 */
export function vcardName(vcard: string): string | undefined {
  const line = vcard
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .find((entry) => /^FN[;:]/i.test(entry));
  const name = line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\\([,;\\])/g, '$1')
    .trim();
  return name === undefined || name === '' ? undefined : name;
}

/**
 * The name a contact card shows: its display name, else the vCard's `FN`.
 * @example
 * ```ts
 * cardName({ vcard: 'BEGIN:VCARD\nFN:Zed\nEND:VCARD' }); // 'Zed'
 * ```
 */
export function cardName(card: ContactCard): string {
  return card.displayName ?? vcardName(card.vcard) ?? 'Contact';
}

/**
 * The phone number on a vCard (`TEL` line, `waid` first), or undefined.
 * @example
 * ```ts
 * vcardNumber('TEL;type=CELL;waid=15550100009:+1 555 010 0009'); // '+1 555 010 0009'
 * ```
 */
export function vcardNumber(vcard: string): string | undefined {
  const line = vcard.split(/\r?\n/).find((entry) => /^(item\d+\.)?TEL[;:]/i.test(entry));
  return line === undefined ? undefined : line.slice(line.indexOf(':') + 1).trim() || undefined;
}

/**
 * A map link for coordinates.
 * @example
 * ```ts
 * mapLink(52.5163, 13.3777); // 'https://maps.google.com/maps?q=52.5163,13.3777'
 * ```
 */
export function mapLink(latitude: number, longitude: number): string {
  return `https://maps.google.com/maps?q=${latitude},${longitude}`;
}

/**
 * The author of a group message (`@c.us`), if the message says.
 * @example
 * ```ts
 * authorOf({ key: { participant: '15550100003@s.whatsapp.net' } }); // '15550100003@c.us'
 * ```
 */
export function authorOf(info: WebMessageInfo): string | undefined {
  const participant = info.key.participant ?? info.participant;
  return participant === undefined ? undefined : toChatJid(participant);
}

export { isGroupJid };
