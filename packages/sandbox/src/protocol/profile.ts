/**
 * The profile and block-list children a web client sends inside
 * `["action",{"type":"set","epoch"},[child]]` (FACTS.md "Profile, blocking, chat actions, other
 * pushes"), each answered under the frame's tag (which independent clients set to the child's
 * `id` where it has one):
 *
 * | child | metric | answer |
 * |---|---|---|
 * | `["status",null,<utf-8 bytes>]` | 10 | `{"status":200}` |
 * | `["profile",{"name"},null]` | 10 | `{"status":200,"pushname":name}` |
 * | `["picture",{"jid","id","type":"set"},[["image",null,<jpeg>],["preview",null,<jpeg>]]]` | 14 | `{"status":200,"eurl","tag"}` |
 * | `["picture",{"jid","id","type":"delete"},null]` | 14 | `{"status":200}` |
 * | `["block",{"type":"add"\|"remove"},[["user",{"jid"}]…]]` | 18 | `{"status":200}`, then `Blocklist` |
 *
 * Refusals answer `{"status":<code>}`: 400 malformed or out of limits, 401/403/404 for a picture
 * the account may not change, 413 for a picture over `MAX_PICTURE_BYTES`. The world side is in
 * `../profile.ts`.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { utf8Decode } from '@wa/crypto';
import type { SandboxContext } from '../context.js';
import { checkBlock, removePicture, setBlocked, setPicture, setPushName, setStatusText, type ProfileRefusal } from '../profile.js';
import { phoneDelivery, type WebConnection } from './connection.js';

/**
 * The `action set` children handled here.
 * @example
 * ```ts
 * if (PROFILE_ACTIONS.has(child[0])) handleProfileNode(context, connection, tag, child);
 * ```
 */
export const PROFILE_ACTIONS: ReadonlySet<string> = /* @__PURE__ */ new Set(['status', 'profile', 'picture', 'block']);

/**
 * Applies one profile or block-list child of an `action set` and answers under `tag`.
 * @example
 * ```ts
 * handleProfileNode(context, connection, tag, ['profile', { name: 'Sandy S.' }, null]);
 * ```
 */
export function handleProfileNode(context: SandboxContext, connection: WebConnection, tag: string, node: Node): void {
  const wid = connection.wid;
  if (wid === undefined) return;
  const [description, attrs, content] = node;
  const children = Array.isArray(content) ? content : [];
  const answer = (value: Record<string, unknown>): void => connection.sendJson(tag, value, phoneDelivery);
  const refused = (refusal: ProfileRefusal): void => {
    context.log('warn', 'profile-refused', `${description}: ${refusal.reason}`, connection.id, { tag, status: refusal.status });
    answer({ status: refusal.status });
  };
  switch (description) {
    case 'status': {
      const text = content instanceof Uint8Array ? decodeText(content) : typeof content === 'string' ? content : undefined;
      const refusal = setStatusText(context, wid, text as string, connection);
      return refusal ? refused(refusal) : answer({ status: 200 });
    }
    case 'profile': {
      const name = attrs?.name ?? '';
      const refusal = setPushName(context, wid, name, connection);
      return refusal ? refused(refusal) : answer({ status: 200, pushname: name });
    }
    case 'picture': {
      const target = attrs?.jid ?? wid;
      if (attrs?.type === 'delete') {
        const refusal = removePicture(context, wid, target, connection);
        return refusal ? refused(refusal) : answer({ status: 200 });
      }
      if (attrs?.type !== 'set') return refused({ status: 400, reason: 'a picture action is type "set" or "delete"' });
      const bytesOf = (name: string): Uint8Array | undefined => {
        const child = children.find((entry) => entry[0] === name);
        return child?.[2] instanceof Uint8Array ? child[2] : undefined;
      };
      const image = bytesOf('image');
      if (image === undefined) return refused({ status: 400, reason: 'a picture needs an image child with the JPEG' });
      const result = setPicture(context, wid, target, image, bytesOf('preview') ?? image, connection);
      return 'reason' in result ? refused(result) : answer({ status: 200, eurl: result.eurl, tag: result.tag });
    }
    case 'block': {
      const type = attrs?.type;
      if (type !== 'add' && type !== 'remove') return refused({ status: 400, reason: 'a block action is type "add" or "remove"' });
      const jids = children.filter((child) => child[0] === 'user').map((child) => child[1]?.jid ?? '');
      const checked = checkBlock(context, wid, jids, type === 'add');
      if (!Array.isArray(checked)) return refused(checked);
      // The answer first, then the Blocklist push to every session (this one included).
      answer({ status: 200 });
      setBlocked(context, wid, jids, type === 'add');
      return;
    }
  }
  refused({ status: 400, reason: `unsupported profile action ${description}` });
}

/** UTF-8 text, or `undefined` for bytes that are not UTF-8 (refused like a missing text). */
function decodeText(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decode(bytes);
  } catch {
    return undefined;
  }
}
