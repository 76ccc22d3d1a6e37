/**
 * SHA-256, HMAC-SHA256 and HKDF-SHA256: the only hash constructions the protocol uses, computed
 * by the backend (`node:crypto` in Node, `@noble/hashes` elsewhere; same results, synchronous).
 * @module
 */
import { backend } from '#backend';
import { assertBytes, assertInteger, assertObject } from './assert.js';
import { utf8Encode } from './encoding.js';

/** RFC 5869 §2.3: HKDF-SHA256 can produce at most 255 blocks of 32 bytes. */
const HKDF_MAX_LENGTH = 255 * 32;
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/**
 * SHA-256 digest (media `fileSha256` / `fileEncSha256`).
 * @param data - bytes to hash
 * @returns 32-byte digest
 * @example
 * ```ts
 * toHex(sha256(utf8Encode('abc'))); // 'ba7816bf…f20015ad'
 * ```
 */
export function sha256(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data');
  return backend.sha256(data);
}

/**
 * HMAC-SHA256 (RFC 2104): frame MACs, the `Conn.secret` check, the challenge answer.
 * @param key - MAC key (any length; the protocol always uses 32 bytes)
 * @param data - message
 * @returns 32-byte MAC
 * @example
 * ```ts
 * const mac = hmacSha256(keys.macKey, body);
 * ```
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  assertBytes(key, 'key');
  assertBytes(data, 'data');
  return backend.hmacSha256(key, data);
}

/**
 * HMAC-SHA256 of the concatenation of `parts`, fed to the MAC one part at a time, so a large part
 * (a media ciphertext) is never copied just to be prefixed with a few bytes. Internal: callers
 * pass checked bytes.
 */
export function hmacSha256OfParts(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  return backend.hmacSha256Parts(key, parts);
}

/** Options of {@link hkdf}. */
export interface HkdfOptions {
  /** HKDF-Extract salt; absent means 32 zero bytes (RFC 5869 §2.2), the same result. */
  salt?: Uint8Array;
  /** Context string; text is taken as UTF-8 (`'WhatsApp Image Keys'`). Absent means empty. */
  info?: Uint8Array | string;
  /** Output length in bytes, 1 to 8160. */
  length: number;
}

/**
 * HKDF-SHA256 (RFC 5869): Extract then Expand. The seed's
 * `HKDF(HmacSha256(zero32, shared), 80)` is exactly this with a zero salt and empty info.
 * @param ikm - input keying material
 * @param options - salt, info and output length
 * @returns `length` bytes of output keying material
 * @example
 * ```ts
 * const expanded = hkdf(shared, { salt: new Uint8Array(32), length: 80 });
 * const media = hkdf(mediaKey, { info: 'WhatsApp Image Keys', length: 112 });
 * ```
 */
export function hkdf(ikm: Uint8Array, options: HkdfOptions): Uint8Array {
  assertBytes(ikm, 'ikm');
  assertObject(options, 'options');
  const { salt, info, length } = options;
  if (salt !== undefined) assertBytes(salt, 'salt');
  if (info !== undefined && typeof info !== 'string') assertBytes(info, 'info');
  assertInteger(length, 'length', 1, HKDF_MAX_LENGTH);
  const infoBytes = typeof info === 'string' ? utf8Encode(info) : (info ?? EMPTY);
  return backend.hkdf(ikm, salt, infoBytes, length);
}
