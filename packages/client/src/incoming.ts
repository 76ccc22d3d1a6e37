/**
 * Frames the server sends on its own: JSON pushes (`Conn`, `Cmd`, acks, presence, `Pong`) and
 * sealed binary frames, which are opened and applied as nodes.
 * @module
 */
import type { ParsedFrame } from '@wa/transport';
import { isJsonAnswer } from './answers.js';
import type { ClientContext } from './context.js';
import { onConn } from './login/conn.js';
import { onBlocklistPush } from './blocking.js';
import { answerChallenge, onChallengeAnswer } from './login/restore.js';
import { applyGroupChatPush } from './groups.js';
import { applyNode } from './node-events.js';
import { presenceFromJson, receiptsFromAck } from './nodes.js';
import { onPictureCmd, onStatusPush } from './profile.js';
import { emitNode, emitUnhandledJson } from './raw-hooks.js';
import { isRecord, type JsonRecord } from './replies.js';
import { openNode } from './sealed-node.js';
import { onServerDisconnect } from './session-end.js';

/**
 * Dispatches a frame that no request claimed: pushes, also those under the tag of a pending
 * request that could not be its answer (see `answers.ts`), and late answers.
 * @example
 * ```ts
 * connection.on('frame', (frame) => onFrame(context, frame));
 * ```
 */
export function onFrame(context: ClientContext, frame: ParsedFrame): void {
  if (frame.kind === 'json') {
    // The challenge answer is sent without a pending request; a push under its tag stays a push.
    if (frame.tag === context.challengeTag && isJsonAnswer(frame)) onChallengeAnswer(context, frame.json);
    else onJsonPush(context, frame.json, frame.tag);
  } else if (frame.kind === 'binary') {
    const node = openNode(context, frame.tag, frame.payload);
    if (node) {
      emitNode(context, frame.tag, node);
      applyNode(context, frame.tag, node);
    }
  }
}

function onJsonPush(context: ClientContext, json: unknown, tag: string): void {
  if (!Array.isArray(json) || typeof json[0] !== 'string') return emitUnhandledJson(context, tag, json, 'not-a-push');
  const [kind, body] = json as [string, unknown];
  switch (kind) {
    case 'Conn':
      if (isRecord(body)) onConn(context, body);
      return;
    case 'Cmd':
      if (isRecord(body) && !onCmd(context, body)) emitUnhandledJson(context, tag, json, 'unknown-command');
      return;
    case 'Msg':
    case 'MsgInfo':
      for (const receipt of receiptsFromAck(body)) {
        context.store.applyReceipt(receipt);
        context.emit('receipt', receipt);
      }
      return;
    case 'Presence': {
      const update = presenceFromJson(body);
      if (update) context.emit('presence', update);
      return;
    }
    case 'Chat':
      if (!applyGroupChatPush(context, body)) emitUnhandledJson(context, tag, json, 'unknown-json-push');
      return;
    case 'Status':
      if (isRecord(body)) onStatusPush(context, body);
      return;
    case 'Blocklist':
      if (isRecord(body)) onBlocklistPush(context, body);
      return;
    case 'Pong':
      if (typeof body === 'boolean') {
        context.phoneReachable = body;
        context.emit('phone', { reachable: body });
      }
      return;
    default:
      context.logger.debug('ignored a JSON push', { kind });
      emitUnhandledJson(context, tag, json, 'unknown-json-push');
  }
}

/** Returns whether the command was understood. */
function onCmd(context: ClientContext, cmd: JsonRecord): boolean {
  if (cmd.type === 'challenge' && typeof cmd.challenge === 'string') answerChallenge(context, cmd.challenge);
  else if (cmd.type === 'disconnect') onServerDisconnect(context, cmd.kind);
  else if (cmd.type === 'picture') onPictureCmd(context, cmd);
  else return false;
  return true;
}
