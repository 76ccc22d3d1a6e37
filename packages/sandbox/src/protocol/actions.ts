import type { Node } from '@wa/binary-codec';
import type { SandboxContext } from '../context.js';
import { isGroupJid, normalizeJid } from '../world/jid.js';
import { applyChatAction } from './chat-actions.js';
import { phoneDelivery, type WebConnection } from './connection.js';
import { handleGroupNode } from './groups.js';
import { answerLinkPreview } from './link-preview.js';
import { applyMessageAction, isMessageAction } from './message-actions.js';
import { handleProfileNode } from './profile.js';
import { answerMediaRefresh, answerMessageInfo, answerSearch } from './queries.js';
import { chatListNode, contactsNode, groupMetadataNode, historyNode, statusListNode, type HistoryPage } from './nodes.js';

/** Queries answered with an empty `response` of the same type (the sandbox keeps none of these). */
const emptyQueries: ReadonlySet<string> = /* @__PURE__ */ new Set(['quick_reply', 'label', 'emoji']);

/**
 * Decrypted binary nodes from a web client: `query` (chat, contacts, status, message history,
 * quick_reply/label/emoji) answered with a sealed node under the same tag, and `action`
 * (`relay` of messages, `set` of read/presence/chat) answered `{"status":200}`. Everything
 * here needs the phone, so it waits while the phone is unreachable.
 */
export function handleBinaryNode(
  context: SandboxContext,
  connection: WebConnection,
  tag: string,
  node: Node,
): void {
  const wid = connection.wid;
  if (wid === undefined) return;
  const [description, attrs, content] = node;
  const children = Array.isArray(content) ? content : [];
  if (description === 'query') {
    context.whenPhoneReachable(wid, () => answerQuery(context, connection, tag, attrs ?? {}));
    return;
  }
  if (description === 'action' && (attrs?.type === 'relay' || attrs?.type === 'set')) {
    context.whenPhoneReachable(wid, () => performActions(context, connection, tag, children));
    return;
  }
  connection.reject('unknown-node', `unsupported binary node ${description}`, { tag, status: 400 });
}

function answerQuery(context: SandboxContext, connection: WebConnection, tag: string, attrs: Record<string, string>): void {
  if (connection.state !== 'open') return;
  const { world } = context;
  const account = world.requireAccount(connection.wid!);
  const type = attrs.type ?? '';
  switch (type) {
    case 'chat':
      return connection.sendNode(tag, chatListNode(world, account));
    case 'contacts':
      return connection.sendNode(tag, contactsNode(world, account));
    case 'status':
      return connection.sendNode(tag, statusListNode(world, account));
    case 'message': {
      const count = Math.min(Math.max(Number(attrs.count) || 20, 1), 300);
      const chat = world.chat(account, normalizeJid(attrs.jid ?? ''));
      const page: HistoryPage = { kind: attrs.kind === 'after' ? 'after' : 'before', count };
      if (attrs.index !== undefined) page.index = attrs.index;
      if (attrs.owner === 'true' || attrs.owner === 'false') page.owner = attrs.owner === 'true';
      return connection.sendNode(tag, historyNode(chat, page, (path) => context.media.urlOf(path)));
    }
    case 'group': {
      // Members and former members (who still have the chat) get the metadata; it works after leaving.
      const gid = normalizeJid(attrs.jid ?? '');
      const group = isGroupJid(gid) ? world.group(gid) : undefined;
      if (!group) return connection.sendJson(tag, { status: 404 }, phoneDelivery);
      const member = group.participants.some((participant) => participant.jid === account.wid);
      if (!member && !world.chat(account, gid)) return connection.sendJson(tag, { status: 401 }, phoneDelivery);
      return connection.sendNode(tag, groupMetadataNode(group));
    }
    case 'message_info':
      return answerMessageInfo(context, connection, tag, attrs);
    case 'search':
      return answerSearch(context, connection, tag, attrs);
    case 'media':
      return answerMediaRefresh(context, connection, tag, attrs);
    case 'url':
      return answerLinkPreview(context, connection, tag, attrs);
  }
  if (emptyQueries.has(type)) return connection.sendNode(tag, ['response', { type }, []]);
  connection.reject('unknown-query', `unsupported binary query ${type}`, { tag, status: 404 });
}

function performActions(context: SandboxContext, connection: WebConnection, tag: string, children: Node[]): void {
  if (connection.state !== 'open') return;
  let answered = false;
  for (const [description, attrs, content] of children) {
    switch (description) {
      case 'message':
        if (!(content instanceof Uint8Array)) {
          connection.reject('bad-message', 'message node without WebMessageInfo bytes', { tag, status: 400 });
          return;
        }
        // fromWeb answers under the tag itself (200, or 400 for a bad protobuf).
        context.messenger.fromWeb(connection, tag, content);
        answered = true;
        break;
      case 'read':
        context.messenger.webRead(connection, attrs ?? {});
        break;
      case 'presence':
        context.messenger.webPresence(connection, attrs ?? {});
        break;
      case 'group':
        // Answered under the tag by groups.ts (the status, per-participant codes).
        handleGroupNode(context, connection, tag, [description, attrs, content]);
        answered = true;
        break;
      case 'status':
      case 'profile':
      case 'picture':
      case 'block':
        // Answered under the tag by profile.ts (status, pushname, eurl and tag).
        handleProfileNode(context, connection, tag, [description, attrs, content]);
        answered = true;
        break;
      case 'chat': {
        const chatAttrs = attrs ?? {};
        const items = Array.isArray(content) ? content : [];
        const status = isMessageAction(chatAttrs, items)
          ? applyMessageAction(context, connection, chatAttrs, items)
          : applyChatAction(context, connection, chatAttrs);
        if (status !== 200) {
          connection.sendJson(tag, { status }, phoneDelivery);
          return;
        }
        break;
      }
      default:
        connection.reject('unknown-action', `unsupported action child ${description}`, { tag, status: 400 });
        return;
    }
  }
  if (!answered) connection.sendJson(tag, { status: 200 }, phoneDelivery);
}
