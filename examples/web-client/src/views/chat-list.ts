/** The left pane's chat list: avatar, name, time, last message (or "typing…") and unread badge. */
import { h } from '../dom.ts';
import { isGroupJid, listTime } from '../format.ts';
import { ticks } from '../ticks.ts';
import { avatar } from './avatar.ts';
import type { ViewModel } from './model.ts';

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
  for (const chat of model.chats) {
    const name = model.name(chat.jid);
    const messages = model.messages(chat.jid);
    const last = messages[messages.length - 1];
    if (query && !name.toLowerCase().includes(query) && !chat.jid.includes(query) && !(last?.text.toLowerCase().includes(query) ?? false)) continue;

    const typing = typingText(model, chat.jid);
    const preview = h('span', { class: `preview${typing ? ' typing' : ''}` });
    if (typing !== undefined) preview.textContent = typing;
    else if (last !== undefined) {
      if (last.fromMe) preview.append(ticks(last.status));
      else if (isGroupJid(chat.jid) && last.author !== undefined) preview.append(h('span', { class: 'preview-author' }, `${model.name(last.author)}: `));
      preview.append(h('span', { class: 'preview-text' }, last.text));
    }
    const unread = chat.unreadCount > 0;
    const time = last?.timestamp ?? chat.timestamp;
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
            unread ? h('span', { class: 'badge', 'data-testid': 'unread', title: `${chat.unreadCount} unread messages` }, chat.unreadCount) : null,
          ),
        ),
      ),
    );
  }
  if (items.length === 0) items.push(h('div', { class: 'empty-list' }, query ? 'No chats, contacts or messages found' : 'No chats yet'));
  return items;
}
