import type { Node } from '@wa/binary-codec';
import { toBase64 } from '@wa/crypto';
import { encodeWebMessageInfo, type WebMessageInfoInput, type WebMessageInfoStubType } from '@wa/proto';
import type { SandboxContext } from './context.js';
import { messageNode } from './protocol/nodes.js';
import { protoJid } from './world/jid.js';
import type { AccountData, GroupData, MessageData } from './world/types.js';

/**
 * How a group change reaches the members (FACTS.md "Groups"): a stub message (`WebMessageInfo`
 * with `messageStubType` and `messageStubParameters`, `key.participant` = the actor) relayed as
 * `["action",{"add":"relay"},[["message",null,…]]]` and stored in each member's group chat (so
 * later logins and history pages show it), and/or a JSON push
 * `["Chat",{"id":gid,"cmd":"action","data":[kind,actor,{…}]}]`.
 */
export interface GroupChange {
  /** Who made the change (`…@c.us`). */
  actor: string;
  /** The stub message: its type and parameters. */
  stub?: { type: WebMessageInfoStubType; parameters: readonly string[] };
  /** The `data` of the `Chat` push, e.g. `['promote', actor, { participants }]`. */
  chat?: [string, string, Record<string, unknown>];
}

/**
 * Announces a group change to every member account's web sessions (and to `alsoTo`, e.g. the
 * members who were just removed or left, who keep the chat): stores the stub message in each
 * account's group chat (not counted as unread) and pushes it, then the `Chat` push. Pushes wait
 * while an account's phone is unreachable, like everything the phone relays. Returns the stub's
 * id (the same in every account), if there is a stub.
 * @example
 * ```ts
 * // A new group picture (stub 22 GROUP_CHANGE_ICON), e.g. from the profile code:
 * announceGroupChange(context, group, { actor: wid, stub: { type: 'GROUP_CHANGE_ICON', parameters: [] } });
 * ```
 */
export function announceGroupChange(context: SandboxContext, group: GroupData, change: GroupChange, alsoTo: readonly string[] = []): string | undefined {
  const { world } = context;
  const t = Math.floor(context.clock.now() / 1000);
  const id = change.stub === undefined ? undefined : world.newMessageId('phone');
  const recipients = new Set<string>([...group.participants.map((participant) => participant.jid), ...alsoTo]);
  for (const jid of recipients) {
    const account = world.account(jid);
    if (!account) continue;
    if (change.stub !== undefined && id !== undefined) storeAndPushStub(context, account, group, change, id, t);
    if (change.chat !== undefined) {
      const push = ['Chat', { id: group.id, cmd: 'action', data: change.chat }];
      context.whenPhoneReachable(account.wid, () => {
        for (const connection of context.connectionsOf(account.wid)) connection.pushJson(push);
      });
    }
  }
  context.emit('state', {});
  return id;
}

function storeAndPushStub(context: SandboxContext, account: AccountData, group: GroupData, change: GroupChange, id: string, t: number): void {
  const { world } = context;
  const fromMe = change.actor === account.wid;
  const info: WebMessageInfoInput = {
    key: { remoteJid: group.id, fromMe, id, participant: protoJid(change.actor) },
    messageTimestamp: t,
    participant: protoJid(change.actor),
    messageStubType: change.stub!.type,
    messageStubParameters: change.stub!.parameters.map(protoJid),
  };
  const message: MessageData = { id, fromMe, t, status: fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK', raw: toBase64(encodeWebMessageInfo(info)) };
  if (!fromMe) message.participant = change.actor;
  const chat = world.appendMessage(account, group.id, message);
  // A system line is no unread message.
  if (!fromMe) chat.unread -= 1;
  context.whenPhoneReachable(account.wid, () => {
    const connections = context.connectionsOf(account.wid);
    if (connections.length === 0) return;
    const node: Node = ['action', { add: 'relay' }, [messageNode(message, group.id)]];
    for (const connection of connections) connection.pushNode(node);
  });
}
