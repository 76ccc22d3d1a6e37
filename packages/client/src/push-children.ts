/**
 * Sealed pushes that are not messages: the children of `["action", attrs, [child…]]` other than
 * `message` (FACTS.md "Profile, blocking, chat actions, other pushes"), e.g.
 * `["action",null,[["user",{jid,notify}]]]`, `["action",null,[["chat",{jid,type:"archive"}]]]`,
 * `["action",{"add":"relay"},[["received",{jid,index,owner,type}]]]`,
 * `["action",null,[["battery",{live,value,powersave}]]]`. Each protocol area handles its own
 * child here with one line; the handling lives in that area's file.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { applyBatteryPush, applyChatPush, applyReadPush, applyReceivedPush } from './chat-actions.js';
import type { ClientContext } from './context.js';
import { applyMessageActionPush } from './message-actions.js';
import { applyUserPush } from './profile.js';

/**
 * Applies one non-`message` child of a pushed `action` node. Returns whether the child was
 * understood (the caller reports the ones that were not).
 * @example
 * ```ts
 * applyPushChild(context, ['battery', { live: 'false', value: '80' }, null]);
 * ```
 */
export function applyPushChild(context: ClientContext, child: Node): boolean {
  switch (child[0]) {
    // A `chat` with `item` children acts on messages (star, delete for me): applyChatPush leaves
    // those (returns false) for the message actions' handler, which can be tried after it.
    case 'chat':
      return applyChatPush(context, child) || applyMessageActionPush(context, child);
    case 'read':
      return applyReadPush(context, child);
    case 'received':
      return applyReceivedPush(context, child);
    case 'battery':
      return applyBatteryPush(context, child);
    case 'user':
      return applyUserPush(context, child);
    default:
      return false;
  }
}
