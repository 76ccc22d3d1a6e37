import { fromBase64 } from '@wa/crypto';
import type { SandboxContext } from '../context.js';
import { phoneDelivery, type WebConnection } from './connection.js';

/**
 * Link previews: `["query",{"type":"url","url","epoch"},null]` (metric 20) is answered with
 * `["response",{"type":"url","url","canonical-url","matched-text","title","description"},<JPEG>]`
 * (the attributes and the bytes a legacy client copies into `extendedTextMessage`), or
 * `{"status":404}` when the text holds no http(s) link. The sandbox fetches nothing: a page in
 * {@link KNOWN_PREVIEWS} gets its entry, any other page a preview made from its address (title:
 * the host name; description: "A page on <host>"). The thumbnail is the same 8×8 grey JPEG for
 * every page. Deterministic: the same URL always gives the same answer.
 * @module
 */

/** A preview the sandbox answers for one page. */
export interface KnownPreview {
  title: string;
  description: string;
  /** The canonical address (default: the URL as parsed, e.g. with a trailing `/`). */
  canonicalUrl?: string;
}

/** Pages with a fixed preview, by host name (with `www.` dropped). */
export const KNOWN_PREVIEWS: Readonly<Record<string, KnownPreview>> = Object.freeze({
  'example.org': { title: 'Example Domain', description: 'This domain is for use in illustrative examples in documents.', canonicalUrl: 'https://example.org/' },
  'example.com': { title: 'Example Domain', description: 'This domain is for use in illustrative examples in documents.', canonicalUrl: 'https://example.com/' },
  'whatsapp.com': { title: 'WhatsApp', description: 'Simple. Secure. Reliable messaging.', canonicalUrl: 'https://www.whatsapp.com/' },
  'github.com': { title: 'GitHub', description: 'Where the world builds software.', canonicalUrl: 'https://github.com/' },
});

/**
 * A baseline JPEG of 8×8 grey pixels (SOI, one quantisation table, SOF0, one-code DC and AC
 * Huffman tables, one block whose DC difference and AC coefficients are all zero, EOI).
 */
export const PREVIEW_JPEG: Uint8Array = /* @__PURE__ */ fromBase64(
  '/9j/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAAIAAgBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z',
);

/** `http(s)://…` or `www.…`, up to the next space. */
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/i;

/**
 * The preview of the first link in `text`, or undefined when it has none.
 * @example
 * ```ts
 * previewOf('see https://example.org'); // { url, canonicalUrl: 'https://example.org/', matchedText: 'https://example.org', title: 'Example Domain', … }
 * ```
 */
export function previewOf(text: string): { url: string; canonicalUrl: string; matchedText: string; title: string; description: string } | undefined {
  const matched = URL_PATTERN.exec(text)?.[0]?.replace(/[.,;:!?)\]}'"]+$/, '');
  if (matched === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//i.test(matched) ? matched : `https://${matched}`);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.replace(/^www\./, '');
  const known = KNOWN_PREVIEWS[host];
  const canonicalUrl = known?.canonicalUrl !== undefined && (parsed.pathname === '/' || parsed.pathname === '') ? known.canonicalUrl : parsed.href;
  return {
    url: matched,
    canonicalUrl,
    matchedText: matched,
    title: known?.title ?? host,
    description: known?.description ?? `A page on ${host}`,
  };
}

/**
 * Answers `query type:url` under `tag`.
 * @example
 * ```ts
 * answerLinkPreview(context, connection, tag, { type: 'url', url: 'https://example.org', epoch: '3' });
 * ```
 */
export function answerLinkPreview(context: SandboxContext, connection: WebConnection, tag: string, attrs: Record<string, string>): void {
  const preview = previewOf(attrs.url ?? '');
  if (preview === undefined) {
    context.log('info', 'link-preview', 'no link in the query: 404', connection.id);
    connection.sendJson(tag, { status: 404 }, phoneDelivery);
    return;
  }
  const answer: Record<string, string> = {
    type: 'url',
    url: attrs.url ?? preview.url,
    'canonical-url': preview.canonicalUrl,
    'matched-text': preview.matchedText,
    title: preview.title,
    description: preview.description,
  };
  connection.sendNode(tag, ['response', answer, PREVIEW_JPEG]);
}
