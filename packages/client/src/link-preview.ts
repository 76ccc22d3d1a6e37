/**
 * Link previews (FACTS.md "Profile, blocking, chat actions, other pushes"): the web client asked
 * the server for a page's preview with `["query",{"type":"url","url","epoch"},null]` (metric 20,
 * `queryPreview`); the answer is a node whose attributes are `canonical-url`, `matched-text`,
 * `title` and `description` and whose content is a JPEG thumbnail (a legacy client reads exactly
 * those: attributes of the answer, bytes as `jpegThumbnail`), or `{"status":404}` when there is
 * none. The preview fills the `extendedTextMessage` of the text.
 * @module
 */
import { getAttribute, getBytes, type Node } from '@wa/binary-codec';
import type { ExtendedTextMessageInput, WebMessageInfoInput } from '@wa/proto';
import { Flag, Metric } from '@wa/transport';
import { nextEpoch, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { sendNode, statusOfReply } from './outgoing.js';
import { whenRequestable } from './send-queue.js';

/** A page's preview, as the server answered `query type:url` (or as a caller supplies it). */
export interface LinkPreview {
  /** The page's canonical address (`canonical-url`). */
  canonicalUrl?: string;
  /** The part of the text that is the link (`matched-text`). */
  matchedText?: string;
  title?: string;
  description?: string;
  /** A JPEG thumbnail of the page. */
  thumbnail?: Uint8Array;
}

/** `http(s)://…` or a bare `www.…` address, up to the next space. */
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/i;

/**
 * The first link in a text (trailing punctuation left out), or `undefined`.
 * @example
 * ```ts
 * findUrl('see https://example.org/page, then call'); // 'https://example.org/page'
 * ```
 */
export function findUrl(text: string): string | undefined {
  const match = URL_PATTERN.exec(text)?.[0];
  return match?.replace(/[.,;:!?)\]}'"]+$/, '');
}

function isPreviewNode(node: Node): boolean {
  const attrs = node[1];
  return attrs !== null && attrs !== undefined && (attrs['canonical-url'] !== undefined || attrs['matched-text'] !== undefined || attrs.title !== undefined);
}

/**
 * See {@link WAClient.linkPreview}.
 * @example
 * ```ts
 * const preview = await linkPreview(context, 'have a look: https://example.org');
 * ```
 */
export async function linkPreview(context: ClientContext, text: string): Promise<LinkPreview | undefined> {
  if (typeof text !== 'string' || text.length === 0) throw new InvalidArgumentError('text must be a non-empty string');
  const url = findUrl(text);
  if (url === undefined) return undefined;
  await whenRequestable(context);
  const node: Node = ['query', { type: 'url', url, epoch: nextEpoch(context) }, null];
  const reply = await sendNode(context, context.connection.nextTag(), node, Metric.queryPreview, Flag.ignore, isPreviewNode);
  if (reply.kind === 'json') {
    const status = statusOfReply(reply);
    if (status === 404) return undefined;
    throw new RequestError(`the link preview query was answered with status ${status}`, status);
  }
  const preview: LinkPreview = {};
  const fields = [
    ['canonicalUrl', 'canonical-url'],
    ['matchedText', 'matched-text'],
    ['title', 'title'],
    ['description', 'description'],
  ] as const;
  for (const [name, attribute] of fields) {
    const value = getAttribute(reply.node, attribute);
    if (value !== undefined && value !== '') preview[name] = value;
  }
  const thumbnail = getBytes(reply.node);
  if (thumbnail !== undefined && thumbnail.length > 0) preview.thumbnail = thumbnail;
  return preview;
}

function checkPreview(preview: LinkPreview): LinkPreview {
  if (typeof preview !== 'object' || preview === null) throw new InvalidArgumentError('linkPreview must be true or { canonicalUrl?, matchedText?, title?, description?, thumbnail? }');
  for (const name of ['canonicalUrl', 'matchedText', 'title', 'description'] as const) {
    if (preview[name] !== undefined && typeof preview[name] !== 'string') throw new InvalidArgumentError(`linkPreview.${name} must be a string`);
  }
  if (preview.thumbnail !== undefined && !(preview.thumbnail instanceof Uint8Array)) throw new InvalidArgumentError('linkPreview.thumbnail must be a Uint8Array (JPEG)');
  return preview;
}

/**
 * The text message `input` with a link preview: its content becomes an `extendedTextMessage`
 * with `matchedText`, `canonicalUrl`, `title`, `description`, `jpegThumbnail` and `previewType`
 * NONE. `true` asks the server (a text without a link, a 404 or a failed query: no preview, the
 * text goes out as it is); an object is used as it is.
 * @throws InvalidArgumentError for a malformed preview object.
 * @example
 * ```ts
 * const withPreview = await addLinkPreview(context, input, text, true);
 * ```
 */
export async function addLinkPreview(context: ClientContext, input: WebMessageInfoInput, text: string, option: true | LinkPreview): Promise<WebMessageInfoInput> {
  let preview: LinkPreview | undefined;
  if (option === true) {
    try {
      preview = await linkPreview(context, text);
    } catch (error) {
      context.logger.warn('no link preview: the query failed', { message: (error as Error).message });
    }
  } else {
    preview = checkPreview(option);
  }
  if (preview === undefined || Object.keys(preview).length === 0) return input;
  const message = input.message ?? {};
  const extended: ExtendedTextMessageInput = { ...(message.extendedTextMessage ?? { text }) };
  if (preview.matchedText !== undefined) extended.matchedText = preview.matchedText;
  if (preview.canonicalUrl !== undefined) extended.canonicalUrl = preview.canonicalUrl;
  if (preview.description !== undefined) extended.description = preview.description;
  if (preview.title !== undefined) extended.title = preview.title;
  if (preview.thumbnail !== undefined) extended.jpegThumbnail = preview.thumbnail;
  extended.previewType = 'NONE';
  return { ...input, message: { extendedTextMessage: extended } };
}
