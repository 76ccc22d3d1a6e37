/** The small drop-down menus of chats and messages (a white card under the chevron). */
import { h, icon } from '../dom.ts';
import { ICONS } from '../icons.ts';

/**
 * The chevron that opens a menu: `className` plus ` open` while its menu is open; its test id is
 * the class's last word (`chat-menu-button`, `message-menu-button`). The click does not reach
 * the element underneath.
 * @example
 * ```ts
 * chevronButton('message-menu-button', 'Message menu', false, () => toggle());
 * ```
 */
export function chevronButton(className: string, label: string, open: boolean, onToggle: () => void): HTMLButtonElement {
  return h(
    'button',
    {
      class: `${className}${open ? ' open' : ''}`,
      type: 'button',
      title: label,
      'aria-label': label,
      'data-testid': className.split(' ').at(-1),
      onclick: (event) => {
        event.stopPropagation();
        onToggle();
      },
    },
    icon(ICONS.chevron, 'chevron-icon'),
  );
}

/**
 * A drop-down list of entries; each entry is a button with `data-action` set to its value.
 * Clicks do not reach the element underneath (the chat item would open the chat). `up` opens it
 * above its button (for the last bubbles of a conversation, which have no room below).
 * @example
 * ```ts
 * dropDown('chat-menu', [['archive', 'Archive chat']], (action) => run(action));
 * ```
 */
export function dropDown<A extends string>(testId: string, items: ReadonlyArray<readonly [A, string]>, onPick: (action: A) => void, options: { up?: boolean } = {}): HTMLElement {
  return h(
    'div',
    { class: `drop-down${options.up ? ' up' : ''}`, role: 'menu', 'data-testid': testId, onclick: (event) => event.stopPropagation() },
    ...items.map(([action, label]) =>
      h(
        'button',
        {
          class: 'drop-down-item',
          type: 'button',
          role: 'menuitem',
          'data-action': action,
          onclick: (event) => {
            event.stopPropagation();
            onPick(action);
          },
        },
        label,
      ),
    ),
  );
}
