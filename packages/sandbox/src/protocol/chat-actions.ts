import type { SandboxContext } from '../context.js';
import type { WebConnection } from './connection.js';

/**
 * Chat actions a web client sends inside `["action",{"type":"set","epoch"},[…]]` (metric 12):
 * `["chat",{"jid","type":"archive"|"unarchive"|"pin"|"mute"|"delete"|"clear",…},null]`
 * (FACTS.md "Profile, blocking, chat actions, other pushes"). Returns the status to answer
 * (200, or the real service's refusal code).
 * @example
 * ```ts
 * const status = applyChatAction(context, connection, { jid: '15550100002@c.us', type: 'archive' });
 * ```
 */
export function applyChatAction(context: SandboxContext, connection: WebConnection, attrs: Record<string, string>): number {
  void context;
  void connection;
  void attrs;
  // Accepted; not modelled yet.
  return 200;
}
