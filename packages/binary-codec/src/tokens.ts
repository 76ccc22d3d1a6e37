/**
 * The single-byte token table: a byte 3–175 in a string position stands for the string at that
 * index. Indexes 0–150 are the seed's table, 151–175 the later additions listed in FACTS.md
 * (frames captured after 2019 use them; decoders that lacked them dropped whole sessions).
 * @module
 */

/**
 * The 176 single-byte tokens, by index. Indexes 0–2 are `null` because those bytes are tags
 * (LIST_EMPTY, unused, STREAM_8), never tokens.
 * @example
 * ```ts
 * import { TOKENS } from '@wa/binary-codec';
 * TOKENS[9]; // 'action'
 * TOKENS.length; // 176
 * ```
 */
export const TOKENS: readonly (string | null)[] = /* @__PURE__ */ Object.freeze([
  null, null, null, '200', '400', '404', '500', '501', '502', 'action', 'add', 'after', 'archive',
  'author', 'available', 'battery', 'before', 'body', 'broadcast', 'chat', 'clear', 'code',
  'composing', 'contacts', 'count', 'create', 'debug', 'delete', 'demote', 'duplicate', 'encoding',
  'error', 'false', 'filehash', 'from', 'g.us', 'group', 'groups_v2', 'height', 'id', 'image',
  'in', 'index', 'invis', 'item', 'jid', 'kind', 'last', 'leave', 'live', 'log', 'media',
  'message', 'mimetype', 'missing', 'modify', 'name', 'notification', 'notify', 'out', 'owner',
  'participant', 'paused', 'picture', 'played', 'presence', 'preview', 'promote', 'query', 'raw',
  'read', 'receipt', 'received', 'recipient', 'recording', 'relay', 'remove', 'response', 'resume',
  'retry', 's.whatsapp.net', 'seconds', 'set', 'size', 'status', 'subject', 'subscribe', 't',
  'text', 'to', 'true', 'type', 'unarchive', 'unavailable', 'url', 'user', 'value', 'web', 'width',
  'mute', 'read_only', 'admin', 'creator', 'short', 'update', 'powersave', 'checksum', 'epoch',
  'block', 'previous', '409', 'replaced', 'reason', 'spam', 'modify_tag', 'message_info',
  'delivery', 'emoji', 'title', 'description', 'canonical-url', 'matched-text', 'star', 'unstar',
  'media_key', 'filename', 'identity', 'unread', 'page', 'page_count', 'search', 'media_message',
  'security', 'call_log', 'profile', 'ciphertext', 'invite', 'gif', 'vcard', 'frequent', 'privacy',
  'blacklist', 'whitelist', 'verify', 'location', 'document', 'elapsed', 'revoke_invite',
  'expiration', 'unsubscribe', 'disable', 'vname', 'old_jid', 'new_jid', 'announcement', 'locked',
  'prop', 'label', 'color', 'call', 'offer', 'call-id', 'quick_reply', 'sticker', 'pay_t',
  'accept', 'reject', 'sticker_pack', 'invalid', 'canceled', 'missed', 'connected', 'result',
  'audio', 'video', 'recent',
]);

/** The token the seed reads back as `c.us`: user JIDs travel as `user@s.whatsapp.net`. */
export const SERVER_TOKEN = 's.whatsapp.net';

/** What the decoder returns for {@link SERVER_TOKEN} and the encoder maps back to it. */
export const USER_SERVER = 'c.us';

/**
 * String → token index, with `c.us` mapped to the index of `s.whatsapp.net` so that the encoder
 * writes what the decoder reads back as `c.us`.
 */
const TOKEN_INDEX: ReadonlyMap<string, number> = /* @__PURE__ */ (() => {
  const index = new Map<string, number>();
  TOKENS.forEach((token, i) => {
    if (token !== null) index.set(token, i);
  });
  const server = index.get(SERVER_TOKEN);
  if (server !== undefined) index.set(USER_SERVER, server);
  return index;
})();

/**
 * The token index the encoder writes for `value`, or `undefined` when it is not a token.
 * `c.us` gives the index of `s.whatsapp.net`.
 * @example
 * ```ts
 * tokenIndex('action'); // 9
 * tokenIndex('c.us'); // 80
 * tokenIndex('hello'); // undefined
 * ```
 */
export function tokenIndex(value: string): number | undefined {
  // Most strings that are not tokens (long text, base64, digits of a phone number) fail on their
  // length or their first and last characters; the rest compare with the one to three tokens of
  // their bucket. `===` on two interned strings (descriptions and names from `decode`, literals)
  // is a pointer comparison, where a map probe would hash.
  const length = value.length;
  if (length === 0 || length > MAX_TOKEN_LENGTH) return undefined;
  const bucket = BUCKETS[bucketOf(length, value.charCodeAt(0), value.charCodeAt(length - 1))];
  if (bucket === undefined) return undefined;
  for (let i = 0; i < bucket.length; i += 2) if (bucket[i] === value) return bucket[i + 1] as number;
  return undefined;
}

/** Length of the longest token. */
const MAX_TOKEN_LENGTH: number = /* @__PURE__ */ TOKENS.reduce((max, token) => Math.max(max, token?.length ?? 0), 0);

/** Buckets of {@link BUCKETS}: a power of two. */
const BUCKET_COUNT = 1024;

/** The bucket of a string by its length and first and last UTF-16 units. */
function bucketOf(length: number, first: number, last: number): number {
  return (length * 97 + first * 31 + last) & (BUCKET_COUNT - 1);
}

/**
 * Encodable strings (every token, plus `c.us` with the index of `s.whatsapp.net`) by bucket, each
 * bucket a flat list of string, index, string, index…; `undefined` for empty buckets.
 */
const BUCKETS: readonly ((string | number)[] | undefined)[] = /* @__PURE__ */ (() => {
  const buckets: ((string | number)[] | undefined)[] = new Array<undefined>(BUCKET_COUNT).fill(undefined);
  for (const [token, index] of TOKEN_INDEX) {
    const slot = bucketOf(token.length, token.charCodeAt(0), token.charCodeAt(token.length - 1));
    (buckets[slot] ??= []).push(token, index);
  }
  return buckets;
})();

/**
 * The string a decoder returns for token byte `index`, or `undefined` for reserved or unknown
 * indexes. `s.whatsapp.net` is returned as `c.us`, as the seed specifies.
 * @example
 * ```ts
 * tokenAt(9); // 'action'
 * tokenAt(80); // 'c.us'
 * tokenAt(200); // undefined
 * ```
 */
export function tokenAt(index: number): string | undefined {
  return READ_TOKENS[index] ?? undefined;
}

/** The table as the decoder reads it: `s.whatsapp.net` already replaced by `c.us`. */
const READ_TOKENS: readonly (string | null)[] = /* @__PURE__ */ TOKENS.map((token) =>
  token === SERVER_TOKEN ? USER_SERVER : token,
);
