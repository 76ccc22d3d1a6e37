/** Round avatars with initials, coloured per contact. */
import { h, icon } from '../dom.ts';
import { avatarColour, initials, isGroupJid } from '../format.ts';
import { ICONS } from '../icons.ts';

/**
 * An avatar for `jid` named `name`; groups without a name get the group icon.
 * @example
 * ```ts
 * avatar('15550100002@c.us', 'Alice', 49);
 * ```
 */
export function avatar(jid: string, name: string, size: number): HTMLDivElement {
  const element = h('div', {
    class: 'avatar',
    style: `width:${size}px;height:${size}px;font-size:${Math.round(size * 0.38)}px;background:${avatarColour(jid)}`,
    title: name,
  });
  const label = initials(name);
  if (isGroupJid(jid) && label === '#') element.append(icon(ICONS.group, 'avatar-icon'));
  else element.textContent = label;
  return element;
}
