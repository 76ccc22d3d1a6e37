// Pure formatting helpers: colours, ticks, names, times, chat ids. No I/O here, so the rest of the
// program can decide where lines go (a prompt-aware printer on a terminal, plain lines in a pipe).
import { checkJid, describeMessage, isGroupJid, mediaInfo } from '@wa/client';

/**
 * ANSI styles, or identity functions when `enabled` is false (pipes and files get plain text).
 * @example
 * ```js
 * const style = createStyle(process.stdout.isTTY);
 * console.log(style.blue('✓✓'));
 * ```
 */
export function createStyle(enabled) {
  const wrap = (code) => (text) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : String(text));
  return { bold: wrap('1'), dim: wrap('2'), red: wrap('31'), green: wrap('32'), yellow: wrap('33'), blue: wrap('34'), cyan: wrap('36') };
}

/**
 * The tick marks WhatsApp showed for a message status: ✓ server, ✓✓ delivered, blue ✓✓ read.
 * @example
 * ```js
 * ticks('READ', style); // '\u001b[34m✓✓\u001b[0m' on a terminal
 * ```
 */
export function ticks(status, style) {
  switch (status) {
    case 'PENDING':
      return '🕓';
    case 'SERVER_ACK':
      return '✓';
    case 'DELIVERY_ACK':
      return '✓✓';
    case 'READ':
    case 'PLAYED':
      return style.blue('✓✓');
    case 'ERROR':
      return style.red('✗');
    default:
      return '';
  }
}

/** Words for a receipt status; piped output has no colour, so "read" carries the meaning of blue. */
export const statusWords = Object.freeze({ SERVER_ACK: 'sent', DELIVERY_ACK: 'delivered', READ: 'read', PLAYED: 'played' });

/**
 * `HH:MM` of a unix time in seconds (local time).
 * @example
 * ```js
 * clock(1600000000); // '12:26' in UTC
 * ```
 */
export function clock(unixSeconds) {
  const date = new Date(unixSeconds * 1000);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * Reads what a user typed as a chat id: a full jid, or a phone number (`+1 555-010-0002` →
 * `15550100002@c.us`). Returns undefined for anything else (names are resolved by the caller).
 * @example
 * ```js
 * parseJid('15550100002'); // '15550100002@c.us'
 * ```
 */
export function parseJid(text) {
  const trimmed = text.trim();
  if (trimmed.includes('@')) {
    try {
      return checkJid(trimmed);
    } catch {
      return undefined;
    }
  }
  const digits = trimmed.replace(/[\s()+.-]/g, '');
  return /^[0-9]{5,20}$/.test(digits) ? `${digits}@c.us` : undefined;
}

/**
 * Display names from the client's contacts and chat list, falling back to the number.
 * @example
 * ```js
 * const names = new Directory(client);
 * names.of('15550100002@c.us'); // 'Alice'
 * ```
 */
export class Directory {
  #client;

  constructor(client) {
    this.#client = client;
  }

  /** The best name for a user or group, "You" for the logged-in account. */
  of(jid) {
    if (jid === this.#client.me?.wid) return 'You';
    const contact = this.#client.contacts().find((entry) => entry.jid === jid);
    const name =
      contact?.name ??
      contact?.notify ??
      contact?.vname ??
      this.#client.chats().find((chat) => chat.jid === jid)?.name ??
      (isGroupJid(jid) ? this.#client.groups().find((group) => group.id === jid)?.subject : undefined);
    return name ?? (isGroupJid(jid) ? jid : `+${jid.split('@')[0]}`);
  }

  /** Resolves a name (case-insensitive prefix of a contact or chat name) to a jid. */
  find(text) {
    const wanted = text.trim().toLowerCase();
    if (wanted.length === 0) return undefined;
    const candidates = [
      ...this.#client.chats().map((chat) => ({ jid: chat.jid, names: [chat.name] })),
      ...this.#client.contacts().map((contact) => ({ jid: contact.jid, names: [contact.name, contact.short, contact.notify, contact.vname] })),
    ];
    for (const exact of [true, false]) {
      const hit = candidates.find(({ names }) =>
        names.some((name) => typeof name === 'string' && (exact ? name.toLowerCase() === wanted : name.toLowerCase().startsWith(wanted))),
      );
      if (hit) return hit.jid;
    }
    return undefined;
  }
}

/**
 * The name on a vCard: its `FN:` line (folded lines joined, escapes undone), else undefined.
 * @example
 * ```js
 * vcardName('BEGIN:VCARD\nVERSION:3.0\nFN:Zed Zero\nEND:VCARD'); // 'Zed Zero'
 * ```
 */
export function vcardName(vcard) {
  const unfolded = String(vcard).replace(/\r?\n[ \t]/g, '');
  const line = unfolded.split(/\r?\n/).find((entry) => /^FN[;:]/i.test(entry));
  if (line === undefined) return undefined;
  const name = line.slice(line.indexOf(':') + 1).replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ').trim();
  return name === '' ? undefined : name;
}

/**
 * A map link for coordinates (what WhatsApp Web opened for a location).
 * @example
 * ```js
 * mapLink({ latitude: 52.5163, longitude: 13.3777 }); // 'https://maps.google.com/maps?q=52.5163,13.3777'
 * ```
 */
export function mapLink({ latitude, longitude }) {
  return `https://maps.google.com/maps?q=${latitude},${longitude}`;
}

/**
 * What a message shows instead of a text, for the kinds without one: a location, contact cards,
 * a message deleted for everyone, another system entry. Undefined for texts and media.
 * @example
 * ```js
 * specialContent({ kind: 'contact', contacts: [{ displayName: 'Zed' }] }, style); // '👤 Contact: Zed'
 * ```
 */
export function specialContent(details, style) {
  switch (details.kind) {
    case 'location':
    case 'liveLocation': {
      const where = details.location;
      if (where === undefined) return '📍 Location';
      const label = [where.name, where.address].filter((part) => part !== undefined && part !== '').join(', ');
      const live = where.live ? 'Live location' : 'Location';
      const comment = where.comment === undefined ? '' : ` "${where.comment}"`;
      return `📍 ${live}${label === '' ? '' : `: ${label}`} (${where.latitude}, ${where.longitude})${comment} ${style.dim(where.url ?? mapLink(where))}`;
    }
    case 'contact':
    case 'contacts': {
      const cards = details.contacts ?? [];
      const names = cards.map((card) => card.displayName ?? vcardName(card.vcard) ?? 'unnamed');
      return `👤 ${names.length === 1 ? 'Contact' : `${names.length} contacts`}: ${names.join(', ')}`;
    }
    case 'stub':
      return details.stubType === 'REVOKE' ? style.dim('🚫 This message was deleted') : style.dim(`(system message ${details.stubType ?? ''})`.replace(' )', ')'));
    case 'revoke':
      return style.dim('🚫 deleted a message');
    case 'groupInvite':
      return '👥 Group invite';
    default:
      return undefined;
  }
}

/**
 * One line of a chat: `[12:26] Alice: hi` or `[12:27] You: hello ✓✓`; a group's name is added in
 * front when the message belongs to another chat than the open one, a `note` (e.g. a file's size)
 * after the text and before the ticks. Locations, contact cards and deleted messages get their
 * own words; a starred message a ⭐, a forwarded one "[forwarded]".
 * @example
 * ```js
 * formatMessage(event, { names, style, showChat: true });
 * ```
 */
export function formatMessage(event, { names, style, showChat = false, note }) {
  const when = style.dim(`[${clock(event.timestamp)}]`);
  // A group's name matters for a message from elsewhere; a 1:1 chat is named by its sender.
  const where = showChat && isGroupJid(event.chat) ? `${style.cyan(`[${names.of(event.chat)}]`)} ` : '';
  const who = event.fromMe ? style.green('You') : style.bold(names.of(event.sender));
  const details = event.kind !== undefined || event.info === undefined ? event : { ...describeMessage(event.info), ...event };
  const special = specialContent(details, style);
  const media = event.info === undefined ? undefined : mediaInfo(event.info);
  const label = media === undefined ? '' : style.cyan(`[${media.type}${media.fileName === undefined ? '' : ` ${media.fileName}`}] `);
  const forwarded = details.forwarded ? style.dim('[forwarded] ') : '';
  const text =
    special !== undefined
      ? special
      : media !== undefined && event.text === undefined
        ? label.trimEnd()
        : `${label}${event.text ?? style.dim('(a message without text)')}`;
  const star = details.starred || event.info?.starred ? ' ⭐' : '';
  const status = event.fromMe && details.kind !== 'stub' ? ` ${ticks(event.info.status, style)}` : '';
  // A note (size, id) belongs to the message, before its ticks.
  const extra = note === undefined ? '' : ` ${style.dim(note)}`;
  return `${when} ${where}${who}: ${forwarded}${text}${extra}${star}${status}`;
}
