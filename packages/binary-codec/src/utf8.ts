/**
 * UTF-8 for the strings written as BINARY_8/20/32. Short strings (nearly all tokens-that-are-not,
 * names, ids) go through a hand loop, which beats the `TextEncoder`/`TextDecoder` call overhead;
 * long ones use the platform codecs.
 * @module
 */


/**
 * Strings up to this many UTF-16 units are encoded by hand. At most three bytes per unit means
 * such a string always fits a BINARY_8 (3 × 85 = 255), so its length byte can be patched after.
 */
export const SHORT_STRING = 85;

const encoder = /* @__PURE__ */ new TextEncoder();
/** `fatal` so malformed input is reported, not replaced; `ignoreBOM` so a leading U+FEFF survives. */
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Writes `value` as UTF-8 at `pos` and returns the position after it; `out` must have room for
 * `3 * value.length` bytes. A lone surrogate becomes U+FFFD, exactly as `TextEncoder` does.
 * @example
 * ```ts
 * const out = new Uint8Array(6);
 * writeUtf8(out, 0, 'hé'); // 3; out starts 68 c3 a9
 * ```
 */
export function writeUtf8(out: Uint8Array, pos: number, value: string): number {
  const length = value.length;
  if (length > SHORT_STRING) return pos + encoder.encodeInto(value, out.subarray(pos)).written;
  for (let i = 0; i < length; i++) {
    let code = value.charCodeAt(i);
    if (code < 0x80) {
      out[pos++] = code;
      continue;
    }
    if (code < 0x800) {
      out[pos++] = 0xc0 | (code >> 6);
      out[pos++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < length ? value.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[pos++] = 0xf0 | (code >> 18);
        out[pos++] = 0x80 | ((code >> 12) & 0x3f);
        out[pos++] = 0x80 | ((code >> 6) & 0x3f);
        out[pos++] = 0x80 | (code & 0x3f);
        continue;
      }
      code = 0xfffd;
    }
    out[pos++] = 0xe0 | (code >> 12);
    out[pos++] = 0x80 | ((code >> 6) & 0x3f);
    out[pos++] = 0x80 | (code & 0x3f);
  }
  return pos;
}

/**
 * Reads `bytes[start:end]` as UTF-8 with the platform decoder, or returns `undefined` when it is
 * not well-formed. (The decoder builds short ASCII strings itself; this is for everything else.)
 * @example
 * ```ts
 * decodeUtf8(new Uint8Array([0x68, 0xc3, 0xa9]), 0, 3); // 'hé'
 * decodeUtf8(new Uint8Array([0xff]), 0, 1); // undefined
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}
