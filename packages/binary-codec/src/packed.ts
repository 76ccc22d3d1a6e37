/**
 * NIBBLE_8 and HEX_8: strings packed two characters per byte, most significant nibble first.
 * The count byte holds the number of packed bytes in its low seven bits; its top bit says the
 * string has odd length, so the last nibble is padding (the encoder writes 15 there).
 * @module
 */

import { Tags } from './tags.js';
import { MAX_PACKED_LENGTH } from './limits.js';

/** Characters of NIBBLE_8 by nibble value (the seed: digits, then `-` for 10 and `.` for 11). */
const NIBBLE_CHARS = '0123456789-.';
/** Characters of HEX_8 by nibble value: upper-case only, as the seed's unpacker returns them. */
const HEX_CHARS = '0123456789ABCDEF';

/**
 * For every byte, the two characters it unpacks to, or `undefined` when a nibble is not valid for
 * the alphabet. A table lookup per byte keeps the decoder free of per-nibble branches.
 */
function pairTable(alphabet: string): readonly (string | undefined)[] {
  const table: (string | undefined)[] = [];
  for (let byte = 0; byte < 256; byte++) {
    const high = alphabet[byte >> 4];
    const low = alphabet[byte & 0x0f];
    table.push(high !== undefined && low !== undefined ? high + low : undefined);
  }
  return table;
}

const NIBBLE_PAIRS = /* @__PURE__ */ pairTable(NIBBLE_CHARS);
const HEX_PAIRS = /* @__PURE__ */ pairTable(HEX_CHARS);

/** The tags that hold packed strings. */
export type PackedTag = typeof Tags.NIBBLE_8 | typeof Tags.HEX_8;

/**
 * Unpacks `count` bytes starting at `start`, dropping the last character when `odd` is set.
 * Returns `undefined` when a byte holds a nibble that is not in the tag's alphabet; the padding
 * nibble of an odd-length string is not checked, since the seed discards it unread.
 * @example
 * ```ts
 * unpack(new Uint8Array([0x12, 0x3f]), 0, 2, true, Tags.NIBBLE_8); // '123'
 * ```
 */
export function unpack(bytes: Uint8Array, start: number, count: number, odd: boolean, tag: PackedTag): string | undefined {
  const pairs = tag === Tags.NIBBLE_8 ? NIBBLE_PAIRS : HEX_PAIRS;
  const whole = odd ? count - 1 : count;
  let value = '';
  for (let i = start; i < start + whole; i++) {
    const pair = pairs[bytes[i] as number];
    if (pair === undefined) return undefined;
    value += pair;
  }
  if (odd) {
    const alphabet = tag === Tags.NIBBLE_8 ? NIBBLE_CHARS : HEX_CHARS;
    const last = alphabet[(bytes[start + whole] as number) >> 4];
    if (last === undefined) return undefined;
    value += last;
  }
  return value;
}

/** Nibble value of a NIBBLE_8 character code, or -1. */
function nibbleOf(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code === 0x2d) return 10;
  if (code === 0x2e) return 11;
  return -1;
}

/** Nibble value of a HEX_8 character code (upper-case only), or -1. */
function hexOf(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/**
 * The packed form the encoder must use for `value`: NIBBLE_8 for a non-empty string of only
 * `0-9`, `-`, `.`; otherwise HEX_8 for a non-empty string of only `0-9A-F`; both at most 254
 * characters. Returns 0 when neither applies.
 * @example
 * ```ts
 * packedTag('123-45.6'); // Tags.NIBBLE_8
 * packedTag('3EB0AB12'); // Tags.HEX_8
 * packedTag('3eb0'); // 0
 * ```
 */
export function packedTag(value: string): PackedTag | 0 {
  const length = value.length;
  if (length === 0 || length > MAX_PACKED_LENGTH) return 0;
  let nibble = true;
  let hex = true;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (nibble && nibbleOf(code) < 0) nibble = false;
    if (hex && hexOf(code) < 0) hex = false;
    if (!nibble && !hex) return 0;
  }
  return nibble ? Tags.NIBBLE_8 : Tags.HEX_8;
}

/**
 * Writes the count byte and the packed nibbles of `value` (already classified by
 * {@link packedTag}) at `pos`; returns the position after them. `out` must have room for
 * `1 + ceil(value.length / 2)` bytes.
 * @example
 * ```ts
 * const out = new Uint8Array(3);
 * pack(out, 0, '123', Tags.NIBBLE_8); // 3; out = [0x82, 0x12, 0x3f]
 * ```
 */
export function pack(out: Uint8Array, pos: number, value: string, tag: PackedTag): number {
  const length = value.length;
  const count = (length + 1) >> 1;
  const valueOf = tag === Tags.NIBBLE_8 ? nibbleOf : hexOf;
  out[pos++] = length % 2 === 1 ? count | 0x80 : count;
  for (let i = 0; i + 1 < length; i += 2) {
    out[pos++] = (valueOf(value.charCodeAt(i)) << 4) | valueOf(value.charCodeAt(i + 1));
  }
  if (length % 2 === 1) out[pos++] = (valueOf(value.charCodeAt(length - 1)) << 4) | 0x0f;
  return pos;
}
