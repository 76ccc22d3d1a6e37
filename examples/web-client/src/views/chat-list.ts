/** The left pane's chat list: avatar, name, time, last message (or "typing…") and unread badge. */
import type { Chat } from '@wa/client';
import { h, icon } from '../dom.ts';
import { isGroupJid, listTime } from '../format.ts';
import { ICONS } from '../icons.ts';
import { ticks } from '../ticks.ts';
import { avatar } from './avatar.ts';
import { chevronButton, dropDown } from './menu.ts';
import type { ChatMenuAction, ViewModel } from './model.ts';

/**
 * "typing…" / "Alice is typing…" when someone is composing in `jid`, else undefined.
 * @example
 * ```ts
 * typingText(model, '15550100002@c.us'); // 'typing…'
 * ```
 */
export function typingText(model: ViewModel, jid: string): string | undefined {
  const presence = model.presence.get(jid);
  if (presence === undefined || (presence.type !== 'composing' && presence.type !== 'recording')) return undefined;
  const verb = presence.type === 'recording' ? 'recording audio…' : 'typing…';
  return isGroupJid(jid) && presence.participant !== undefined ? `${model.name(presence.participant)} is ${verb}` : verb;
}

/** Whether a chat is muted now. */
export function isMuted(chat: Chat, now = Date.now()): boolean {
  return chat.muteUntil * 1000 > now;
}

/** The chat menu's entries for a chat, as WhatsApp Web had them. */
function chatMenuItems(chat: Chat): Array<[ChatMenuAction, string]> {
  return [
    chat.archived ? ['unarchive', 'Unarchive chat'] : ['archive', 'Archive chat'],
    ...(chat.archived ? [] : [chat.pinned ? (['unpin', 'Unpin chat'] as [ChatMenuAction, string]) : (['pin', 'Pin chat'] as [ChatMenuAction, string])]),
    isMuted(chat) ? ['unmute', 'Unmute notifications'] : ['mute', 'Mute notifications (8 hours)'],
    ...(isGroupJid(chat.jid) && !chat.readOnly ? [['leave', 'Exit group'] as [ChatMenuAction, string]] : []),
  ];
}

/**
 * The chats the list shows, in order: pinned chats first (newest pin on top), then the others;
 * the archived ones only in the archived view.
 * @example
 * ```ts
 * visibleChats(model).map((chat) => chat.jid);
 * ```
 */
export function visibleChats(model: ViewModel): Chat[] {
  if (model.showArchived) return model.chats.filter((chat) => chat.archived);
  const shown = model.chats.filter((chat) => !chat.archived);
  return [...shown.filter((chat) => chat.pinned !== undefined).sort((a, b) => b.pinned! - a.pinned!), ...shown.filter((chat) => chat.pinned === undefined)];
}

/**
 * The chat list items, filtered by the search text (name, number or last message).
 * @example
 * ```ts
 * list.replaceChildren(...chatList(model, (jid) => open(jid)));
 * ```
 */
export function chatList(model: ViewModel, onOpen: (jid: string) => void): HTMLElement[] {
  const query = model.search.trim().toLowerCase();
  const items: HTMLElement[] = [];
  const archived = model.chats.filter((chat) => chat.archived).length;
  if (model.showArchived) {
    items.push(
      h(
        'button',
        { class: 'archived-row back', type: 'button', 'data-testid': 'archived-back', onclick: () => model.toggleArchived() },
        icon(ICONS.back, 'archived-icon'),
        h('span', { class: 'archived-label' }, 'Archived'),
      ),
    );
  } else if (archived > 0) {
    items.push(
      h(
        'button',
        { class: 'archived-row', type: 'button', 'data-testid': 'archived-row', onclick: () => model.toggleArchived() },
        icon(ICONS.archive, 'archived-icon'),
        h('span', { class: 'archived-label' }, 'Archived'),
        h('span', { class: 'archived-count', 'data-testid': 'archived-count' }, archived),
      ),
    );
  }
  for (const chat of visibleChats(model)) {
    const name = model.name(chat.jid);
    const messages = model.messages(chat.jid);
    const last = messages[messages.length - 1];
    if (query && !name.toLowerCase().includes(query) && !chat.jid.includes(query) && !(last?.text.toLowerCase().includes(query) ?? false)) continue;

    const typing = typingText(model, chat.jid);
    const preview = h('span', { class: `preview${typing ? ' typing' : ''}` });
    if (typing !== undefined) preview.textContent = typing;
    else if (last !== undefined) {
      if (last.fromMe) preview.append(ticks(last.status));
      else if (isGroupJid(chat.jid) && last.author !== undefined && last.system === undefined) preview.append(h('span', { class: 'preview-author' }, `${model.name(last.author)}: `));
      preview.append(h('span', { class: 'preview-text' }, last.text));
    }
    const unread = chat.unreadCount > 0;
    const time = last?.timestamp ?? chat.timestamp;
    const menuOpen = model.menu?.kind === 'chat' && model.menu.jid === chat.jid;
    const menuButton = chevronButton('icon-button chat-menu-button', 'Chat menu', menuOpen, () => model.toggleMenu({ kind: 'chat', jid: chat.jid }));
    items.push(
      h(
        'div',
        {
          class: `chat-item${model.selected === chat.jid ? ' selected' : ''}`,
          role: 'listitem',
          tabindex: 0,
          'data-testid': 'chat-item',
          'data-jid': chat.jid,
          onclick: () => onOpen(chat.jid),
          onkeydown: (event) => (event as KeyboardEvent).key === 'Enter' && onOpen(chat.jid),
        },
        avatar(chat.jid, name, 49),
        h(
          'div',
          { class: 'chat-body' },
          h('div', { class: 'chat-row' }, h('span', { class: 'chat-name' }, name), h('span', { class: `chat-time${unread ? ' unread' : ''}` }, listTime(time))),
          h(
            'div',
            { class: 'chat-row' },
            preview,
            isMuted(chat) ? h('span', { class: 'chat-mark', 'data-testid': 'muted-icon', title: 'Muted' }, icon(ICONS.muted, 'mark-icon')) : null,
            unread ? h('span', { class: 'badge', 'data-testid': 'unread', title: `${chat.unreadCount} unread messages` }, chat.unreadCount) : null,
            chat.pinned !== undefined && !chat.archived ? h('span', { class: 'chat-mark', 'data-testid': 'pinned-icon', title: 'Pinned' }, icon(ICONS.pin, 'mark-icon')) : null,
            chat.archived ? h('span', { class: 'chat-mark', 'data-testid': 'archived-icon', title: 'Archived' }, icon(ICONS.archive, 'mark-icon')) : null,
            menuButton,
          ),
        ),
        menuOpen ? dropDown('chat-menu', chatMenuItems(chat), (action) => model.chatAction(chat.jid, action)) : null,
      ),
    );
  }
  if (items.length === 0) items.push(h('div', { class: 'empty-list' }, query ? 'No chats, contacts or messages found' : 'No chats yet'));
  return items;
}
