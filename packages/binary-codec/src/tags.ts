/**
 * The tag bytes of the binary node format, as listed in the seed's "MessageParser" section.
 * A byte in a string position that is not one of these tags is a token index (3–235).
 * @module
 */

/**
 * Named tag bytes. Values not named here are token indexes (1–235; 1 and 2 are reserved) or
 * reserved tags (240–247), which a decoder rejects.
 * @example
 * ```ts
 * import { Tags } from '@wa/binary-codec';
 * new Uint8Array([Tags.LIST_8, 1, 9]); // the node ["action", null, null]
 * ```
 */
export const Tags = /* @__PURE__ */ Object.freeze({
  /** An empty list; in a string position the empty string (the user part of `@server`). */
  LIST_EMPTY: 0,
  /** Never valid inside a node; the seed forbids it as a description tag. */
  STREAM_8: 2,
  /** Double-byte dictionary pages 0–3: the legacy protocol shipped no dictionary for them. */
  DICTIONARY_0: 236,
  DICTIONARY_1: 237,
  DICTIONARY_2: 238,
  DICTIONARY_3: 239,
  /** A list whose size follows in one byte. */
  LIST_8: 248,
  /** A list whose size follows as a big-endian 16-bit integer. */
  LIST_16: 249,
  /** `user@server`: two strings follow. */
  JID_PAIR: 250,
  /** Packed upper-case hex digits, two per byte. */
  HEX_8: 251,
  /** Up to 255 raw bytes, length in one byte. */
  BINARY_8: 252,
  /** Raw bytes with a 20-bit length in three bytes (low four bits of the first, then two). */
  BINARY_20: 253,
  /** Raw bytes with a big-endian 32-bit length. */
  BINARY_32: 254,
  /** Packed digits, `-` and `.`, two per byte. */
  NIBBLE_8: 255,
} as const);

/** The name of a tag in {@link Tags}. */
export type TagName = keyof typeof Tags;

/** Every named tag byte value. */
export type Tag = (typeof Tags)[TagName];

/**
 * Whether a byte starts a list (LIST_EMPTY, LIST_8 or LIST_16).
 * @example
 * ```ts
 * isListTag(Tags.LIST_8); // true
 * isListTag(Tags.BINARY_8); // false
 * ```
 */
export function isListTag(tag: number): boolean {
  return tag === Tags.LIST_EMPTY || tag === Tags.LIST_8 || tag === Tags.LIST_16;
}
