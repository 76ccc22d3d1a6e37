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

/** Flag in {@link PACKED_CHARS}: the character is in the NIBBLE_8 alphabet. */
const IN_NIBBLE = 0x10;
/** Flag in {@link PACKED_CHARS}: the character is in the HEX_8 alphabet. */
const IN_HEX = 0x20;

/**
 * For every ASCII code: its nibble value in the low four bits, plus which alphabets hold it.
 * Digits mean the same nibble in both alphabets, and `-`/`.` (NIBBLE_8) never share a string
 * with `A`-`F` (HEX_8), so one value per character serves both, and classifying and packing
 * become a single pass with one lookup per character instead of branches per alphabet.
 */
const PACKED_CHARS: Uint8Array = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128);
  for (let nibble = 0; nibble < HEX_CHARS.length; nibble++) {
    const code = HEX_CHARS.charCodeAt(nibble);
    table[code] = (table[code] as number) | IN_HEX | nibble;
  }
  for (let nibble = 0; nibble < NIBBLE_CHARS.length; nibble++) {
    const code = NIBBLE_CHARS.charCodeAt(nibble);
    table[code] = (table[code] as number) | IN_NIBBLE | nibble;
  }
  return table;
})();

/** Table entry of a UTF-16 unit: 0 (no alphabet) for anything outside ASCII. */
function packedChar(code: number): number {
  return code < 0x80 ? (PACKED_CHARS[code] as number) : 0;
}

/**
 * Writes `value` packed at `pos` when it has a packed form: the tag (NIBBLE_8 for a non-empty
 * string of only `0-9`, `-`, `.`; otherwise HEX_8 for one of only `0-9A-F`; both at most 254
 * characters), the count byte and the nibbles. Returns the position after them, or -1 when
 * neither form applies; bytes written before that are garbage the caller writes over. `out`
 * must have room for `2 + ceil(value.length / 2)` bytes.
 * @example
 * ```ts
 * const out = new Uint8Array(4);
 * writePacked(out, 0, '123'); // 4; out = [Tags.NIBBLE_8, 0x82, 0x12, 0x3f]
 * writePacked(out, 0, '3eb0'); // -1 (lower-case hex has no packed form)
 * ```
 */
export function writePacked(out: Uint8Array, pos: number, value: string): number {
  const length = value.length;
  if (length === 0 || length > MAX_PACKED_LENGTH) return -1;
  // Both alphabets remain possible until a character rules one out; ANDing entries keeps only flags.
  let alphabets = IN_NIBBLE | IN_HEX;
  let at = pos + 2;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const high = packedChar(value.charCodeAt(i));
    const low = packedChar(value.charCodeAt(i + 1));
    alphabets &= high & low;
    if (alphabets === 0) return -1;
    out[at++] = ((high & 0x0f) << 4) | (low & 0x0f);
  }
  if (i < length) {
    const last = packedChar(value.charCodeAt(i));
    alphabets &= last;
    if (alphabets === 0) return -1;
    // Odd length: the padding nibble is 15, as the seed's packer writes it.
    out[at++] = ((last & 0x0f) << 4) | 0x0f;
  }
  const count = (length + 1) >> 1;
  out[pos] = (alphabets & IN_NIBBLE) !== 0 ? Tags.NIBBLE_8 : Tags.HEX_8;
  out[pos + 1] = length % 2 === 1 ? count | 0x80 : count;
  return at;
}
