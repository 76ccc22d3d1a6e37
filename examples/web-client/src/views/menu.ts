/** The small drop-down menus of chats and messages (a white card under the chevron). */
import { h } from '../dom.ts';

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
