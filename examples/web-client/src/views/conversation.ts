/** The right pane: the open chat's header and its message bubbles, or the intro panel. */
import { h, icon } from '../dom.ts';
import { avatarColour, cardName, clockTime, dayLabel, DELETED_TEXT, isGroupJid, listTime, mapLink, vcardNumber } from '../format.ts';
import { ICONS } from '../icons.ts';
import { ticks } from '../ticks.ts';
import { avatar } from './avatar.ts';
import { typingText } from './chat-list.ts';
import { chevronButton, dropDown } from './menu.ts';
import type { MediaView, MessageAction, ViewMessage, ViewModel } from './model.ts';

/**
 * The line under the chat's name: typing, online, last seen, or a group's members.
 * @example
 * ```ts
 * subtitle(model, '15550100004@c.us'); // { text: 'online', typing: false }
 * ```
 */
export function subtitle(model: ViewModel, jid: string): { text: string; typing: boolean } {
  const typing = typingText(model, jid);
  if (typing !== undefined) return { text: typing, typing: true };
  if (isGroupJid(jid)) {
    const names = model.participants(jid);
    return { text: names?.join(', ') ?? 'click here for group info', typing: false };
  }
  const presence = model.presence.get(jid);
  if (presence?.type === 'available' || presence?.type === 'paused') return { text: 'online', typing: false };
  if (presence?.type === 'unavailable' && presence.lastSeen) {
    const when = listTime(presence.lastSeen);
    return { text: `last seen ${/^\d/.test(when) && when.includes(':') ? `today at ${when}` : when}`, typing: false };
  }
  return { text: 'click here for contact info', typing: false };
}

/**
 * The conversation header: avatar, name and subtitle.
 * @example
 * ```ts
 * pane.prepend(conversationHeader(model, '15550100002@c.us'));
 * ```
 */
export function conversationHeader(model: ViewModel, jid: string): HTMLElement {
  const name = model.name(jid);
  const line = subtitle(model, jid);
  // A group one is still in can be renamed (the server refuses non-admins of restricted groups).
  const editable = isGroupJid(jid) && model.chatMap.get(jid)?.readOnly !== true;
  return h(
    'header',
    { class: 'pane-header conversation-header' },
    avatar(jid, name, 40),
    h(
      'div',
      { class: 'conversation-title' },
      h('div', { class: 'conversation-name', 'data-testid': 'conversation-name' }, name),
      h('div', { class: `conversation-subtitle${line.typing ? ' typing' : ''}`, 'data-testid': 'conversation-subtitle' }, line.text),
    ),
    editable
      ? h(
          'button',
          { class: 'icon-button edit-subject', type: 'button', title: 'Change subject', 'aria-label': 'Change subject', 'data-testid': 'edit-subject', onclick: () => model.editSubject(jid) },
          icon(ICONS.edit),
        )
      : null,
  );
}

/**
 * The bubbles of a chat with day separators; mine on the right in green, theirs on the left.
 * @example
 * ```ts
 * scroller.replaceChildren(...messageList(model, jid));
 * ```
 */
export function messageList(model: ViewModel, jid: string): HTMLElement[] {
  const elements: HTMLElement[] = [h('div', { class: 'encryption-note' }, icon(ICONS.lock, 'lock-icon'), 'Messages between this page and the server are sealed with the session keys (AES-256 and HMAC-SHA256).')];
  let lastDay = '';
  let lastSender = '';
  const messages = model.messages(jid);
  for (const [index, message] of messages.entries()) {
    const day = dayLabel(message.timestamp);
    if (day !== lastDay) {
      elements.push(h('div', { class: 'day-separator' }, h('span', {}, day)));
      lastDay = day;
      lastSender = '';
    }
    if (message.system !== undefined) {
      elements.push(h('div', { class: 'system-line', 'data-testid': 'system-line', 'data-id': message.id }, h('span', {}, message.system)));
      lastSender = '';
      continue;
    }
    const sender = message.fromMe ? model.meJid : (message.author ?? jid);
    const first = sender !== lastSender;
    lastSender = sender;
    const showAuthor = isGroupJid(jid) && !message.fromMe && first && message.author !== undefined;
    elements.push(
      h(
        'div',
        {
          class: `message-row ${message.fromMe ? 'out' : 'in'}${first ? ' first' : ''}`,
          'data-testid': 'message',
          'data-id': message.id,
          'data-status': message.fromMe ? (message.status ?? 'PENDING') : undefined,
          'data-kind': message.deleted ? 'deleted' : message.details?.kind,
          'data-starred': message.details?.starred ? 'true' : undefined,
        },
        h(
          'div',
          { class: `bubble${message.deleted ? ' deleted' : ''}` },
          showAuthor ? h('div', { class: 'bubble-author', style: `color:${avatarColour(message.author!)}` }, model.name(message.author!)) : null,
          message.details?.forwarded ? h('div', { class: 'bubble-forwarded' }, '↪ Forwarded') : null,
          ...bubbleBody(model, message),
          h(
            'span',
            { class: 'bubble-meta' },
            message.details?.starred ? h('span', { class: 'star-mark', 'data-testid': 'starred', title: 'Starred' }, icon(ICONS.star, 'star-icon')) : null,
            h('span', { class: 'bubble-time' }, clockTime(message.timestamp)),
            message.fromMe && !message.deleted ? ticks(message.status) : null,
          ),
          ...messageMenu(model, message, index >= messages.length - 3 && index > 2),
        ),
      ),
    );
  }
  return elements;
}

const MEDIA_LABELS: Record<string, string> = { video: '🎥 Video', audio: '🎤 Audio', document: '📄 Document' };

/** The chevron of a stored message and, when open, its menu: star or unstar, delete. */
function messageMenu(model: ViewModel, message: ViewMessage, up: boolean): HTMLElement[] {
  if (message.info === undefined) return [];
  const open = model.menu?.kind === 'message' && model.menu.id === message.id;
  const items: Array<[MessageAction, string]> = [];
  if (!message.deleted) items.push(message.details?.starred ? ['unstar', 'Unstar message'] : ['star', 'Star message']);
  items.push(['delete-for-me', 'Delete for me']);
  if (message.fromMe && !message.deleted) items.push(['delete-for-everyone', 'Delete for everyone']);
  const button = chevronButton('message-menu-button', 'Message menu', open, () => model.toggleMenu({ kind: 'message', id: message.id }));
  return open ? [button, dropDown('message-menu', items, (action) => model.messageAction(message, action), { up })] : [button];
}

/** A location: a card with a map-like tile, the place's name and address, and a link to a map. */
function locationCard(message: ViewMessage): HTMLElement[] {
  const where = message.details!.location!;
  const link = where.url ?? mapLink(where.latitude, where.longitude);
  return [
    h(
      'a',
      { class: 'location-card', href: link, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'location', 'data-lat': where.latitude, 'data-lng': where.longitude },
      h('span', { class: 'location-map' }, icon(ICONS.location, 'location-pin')),
      h(
        'span',
        { class: 'location-text' },
        where.name === undefined ? null : h('span', { class: 'location-name' }, where.name),
        where.address === undefined ? null : h('span', { class: 'location-address' }, where.address),
        h('span', { class: 'location-coordinates', 'data-testid': 'location-coordinates' }, `${where.live ? 'Live location · ' : ''}${where.latitude}, ${where.longitude}`),
      ),
    ),
    ...(where.comment === undefined ? [] : [h('span', { class: 'bubble-text' }, where.comment)]),
  ];
}

/** Contact cards: each with an avatar, the vCard's name and number. */
function contactCards(message: ViewMessage): HTMLElement[] {
  return message.details!.contacts!.map((card) => {
    const name = cardName(card);
    const number = vcardNumber(card.vcard);
    return h(
      'div',
      { class: 'contact-card', 'data-testid': 'contact-card' },
      avatar(`${name}@vcard`, name, 40),
      h('span', { class: 'contact-text' }, h('span', { class: 'contact-name', 'data-testid': 'contact-name' }, name), number === undefined ? null : h('span', { class: 'contact-number' }, number)),
    );
  });
}

/** A bubble's content: its text, an inline image (with its caption) or a download chip, a location or contact card. */
function bubbleBody(model: ViewModel, message: ViewMessage): HTMLElement[] {
  if (message.deleted) return [h('span', { class: 'bubble-text deleted-text', 'data-testid': 'deleted' }, DELETED_TEXT)];
  if (message.details?.location !== undefined) return locationCard(message);
  if (message.details?.contacts !== undefined && message.details.contacts.length > 0) return contactCards(message);
  const media = model.media(message);
  if (media === undefined) return [h('span', { class: 'bubble-text' }, message.text)];
  const caption = media.info.caption;
  if (media.info.type === 'image' || media.info.type === 'sticker') {
    const picture =
      media.state === 'ready'
        ? h('img', { class: `bubble-image${media.info.type === 'sticker' ? ' sticker' : ''}`, src: media.url, alt: caption ?? 'Photo', 'data-testid': 'media-image' })
        : h('div', { class: 'media-placeholder', 'data-testid': 'media-placeholder' }, media.state === 'failed' ? '⚠️ Photo unavailable' : '📷 Loading…');
    return caption === undefined ? [picture] : [picture, h('span', { class: 'bubble-text' }, caption)];
  }
  return [mediaChip(model, message, media), ...(caption === undefined ? [] : [h('span', { class: 'bubble-text' }, caption)])];
}

/** A file to click and save: name, size, and the state of its download. */
function mediaChip(model: ViewModel, message: ViewMessage, media: MediaView): HTMLElement {
  const { info } = media;
  const name = info.fileName ?? MEDIA_LABELS[info.type] ?? 'File';
  const details = [info.mimetype?.split(';')[0], info.fileLength === undefined ? undefined : fileSize(info.fileLength)].filter(Boolean).join(' · ');
  const state = media.state === 'loading' ? 'Downloading…' : media.state === 'failed' ? 'Unavailable' : '';
  return h(
    'button',
    { class: 'media-chip', type: 'button', title: `Save ${name}`, 'data-testid': 'media-chip', 'data-state': media.state, onclick: () => model.saveMedia(message) },
    h('span', { class: 'media-chip-icon' }, info.type === 'audio' ? '🎤' : info.type === 'video' ? '🎥' : '📄'),
    h('span', { class: 'media-chip-text' }, h('span', { class: 'media-chip-name' }, name), h('span', { class: 'media-chip-details' }, state || details)),
  );
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The panel shown while no chat is open.
 * @example
 * ```ts
 * right.replaceChildren(introPanel('Sandbox running inside this page'));
 * ```
 */
export function introPanel(description: string): HTMLElement {
  return h(
    'div',
    { class: 'intro', 'data-testid': 'intro' },
    h('div', { class: 'intro-art' }, icon(ICONS.laptop, 'intro-laptop'), icon(ICONS.phone, 'intro-phone')),
    h('h2', {}, 'Keep your phone connected'),
    h('p', {}, 'WhatsApp connects to your phone to sync messages. To reduce data usage, connect your phone to Wi-Fi.'),
    h('p', { class: 'intro-footer' }, description),
  );
}
