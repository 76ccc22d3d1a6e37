/**
 * Pushes to an account's web sessions. Whatever reaches them comes through the phone, so it
 * waits while the phone is unreachable (the legacy design: the phone relayed everything).
 * @module
 */
import type { Node } from '@wa/binary-codec';
import type { SandboxContext } from './context.js';
import type { WebConnection } from './protocol/connection.js';

/**
 * Calls `send` for each web session of `wid` (all but `except`) once its phone is reachable.
 * @example
 * ```ts
 * eachSession(context, account.wid, (connection) => connection.pushJson(['Conn', { pushname: 'Ann' }]));
 * ```
 */
export function eachSession(context: SandboxContext, wid: string, send: (connection: WebConnection) => void, except?: WebConnection): void {
  context.whenPhoneReachable(wid, () => {
    for (const connection of context.connectionsOf(wid)) if (connection !== except) send(connection);
  });
}

/**
 * Sends a node to the account's web sessions (all but `except`) once its phone is reachable.
 * @example
 * ```ts
 * pushToSessions(context, account.wid, ['action', null, [['battery', { live: 'false', value: '80', powersave: 'false' }, null]]]);
 * ```
 */
export function pushToSessions(context: SandboxContext, wid: string, node: Node, except?: WebConnection): void {
  eachSession(context, wid, (connection) => connection.pushNode(node), except);
}
