/**
 * Media URL refresh: `["query",{"type":"media","index","owner","jid","epoch"},null]` (metric 4)
 * asks the phone for the current location of a message's media once its URL stopped working
 * (404/410 from the media host); answered with `["media",{"code":"200","url","directPath"},null]`
 * (public clients copy these attributes into the media message; a `code` other than 200 is a
 * refusal) or a JSON status (404: no such message or media). `downloadMedia` uses it once by itself. See docs/protocol/queries.md.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import type { WebMessageInfo } from '@wa/proto';
import { Flag, Metric } from '@wa/transport';
import { nextEpoch, type ClientContext } from './context.js';
import { InvalidArgumentError, MediaError, RequestError } from './errors.js';
import { checkJid } from './jid.js';
import { findMedia } from './media.js';
import { sendNode, statusOfReply } from './outgoing.js';
import type { MessageEvent } from './types.js';
import { whenRequestable } from './send-queue.js';

/** What {@link WAClient.refreshMediaUrl} resolves with (and writes into the message). */
export interface RefreshedMedia {
  /** The URL to download from now. */
  url: string;
  /** The current direct path, when the server sent one. */
  directPath?: string;
}

/**
 * The key of a message that can be refreshed: a `message` event or a `WebMessageInfo` (a bare
 * `Message` names no chat and no id).
 * @example
 * ```ts
 * refreshableKey(event); // { chat: '15550100002@c.us', id: '3A…', fromMe: false }
 * ```
 */
export function refreshableKey(source: unknown): { chat: string; id: string; fromMe: boolean } | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const info = ('info' in source ? (source as MessageEvent).info : source) as Partial<WebMessageInfo>;
  const key = info.key;
  if (typeof key?.remoteJid !== 'string' || typeof key.id !== 'string' || key.id === '') return undefined;
  return { chat: key.remoteJid, id: key.id, fromMe: key.fromMe === true };
}

/**
 * See {@link WAClient.refreshMediaUrl}.
 * @example
 * ```ts
 * const { url } = await refreshMediaUrl(context, event);
 * ```
 */
export async function refreshMediaUrl(context: ClientContext, source: MessageEvent | WebMessageInfo): Promise<RefreshedMedia> {
  const key = refreshableKey(source);
  if (!key) throw new InvalidArgumentError('refreshMediaUrl needs a message event or a WebMessageInfo with key.remoteJid and key.id');
  const found = findMedia(source);
  if (!found) throw new MediaError('NO_MEDIA', 'the message carries no image, video, audio, document or sticker');
  const chat = checkJid(key.chat);
  await whenRequestable(context);
  const node: Node = ['query', { type: 'media', index: key.id, owner: key.fromMe ? 'true' : 'false', jid: chat, epoch: nextEpoch(context) }, null];
  const isAnswer = (answer: Node): boolean => answer[0] === 'media' || answer[0] === 'response';
  const reply = await sendNode(context, context.connection.nextTag(), node, Metric.queryMedia, Flag.ignore, isAnswer);
  if (reply.kind !== 'node') {
    const status = statusOfReply(reply);
    throw new RequestError(`the media URL refresh of ${key.id} was answered with status ${status}`, status);
  }
  const attrs = reply.node[1] ?? {};
  // Baileys 2.3.1 reads a `code` attribute as the answer's status.
  if (attrs.code !== undefined && attrs.code !== '200') {
    throw new RequestError(`the media URL refresh of ${key.id} was answered with code ${attrs.code}`, Number(attrs.code) || undefined);
  }
  const url = attrs.url;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new RequestError('the media URL refresh answered no http(s) url');
  const refreshed: RefreshedMedia = { url };
  found.content.url = url;
  if (typeof attrs.directPath === 'string' && attrs.directPath.startsWith('/')) {
    refreshed.directPath = attrs.directPath;
    found.content.directPath = attrs.directPath;
  }
  return refreshed;
}
