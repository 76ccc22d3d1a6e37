/**
 * UTF-8 for the strings written as BINARY_8/20/32. Short strings (nearly all tokens-that-are-not,
 * names, ids) go through a hand loop, which beats the `TextEncoder`/`TextDecoder` call overhead;
 * long ones use the platform codecs. In Node, non-ASCII strings are decoded by hand into UTF-16
 * units and turned into a string by Node's `Buffer` (see {@link decodeUtf8}).
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

/** What this module needs of Node's `Buffer`: a UTF-16LE view of an `ArrayBuffer`. */
interface Utf16Source {
  toString(encoding: 'utf16le', start: number, end: number): string;
}

interface NodeBufferClass {
  from(buffer: ArrayBufferLike): Utf16Source;
}

/**
 * Node's `Buffer`, when this runs in Node on a little-endian host (so a `Uint16Array` holds
 * UTF-16LE) and it reads UTF-16 as expected; otherwise `undefined`. Nothing is imported: in
 * browsers (and bundles with a `Buffer` polyfill but no Node) the platform decoder is used.
 */
const NodeBuffer: NodeBufferClass | undefined = /* @__PURE__ */ (() => {
  const scope = globalThis as { Buffer?: unknown; process?: { versions?: { node?: unknown } } };
  if (typeof scope.process?.versions?.node !== 'string' || typeof scope.Buffer !== 'function') return undefined;
  const candidate = scope.Buffer as unknown as NodeBufferClass;
  try {
    const probe = new Uint16Array([0xfeff, 0x41, 0xe9, 0xd83d, 0xde00]);
    return candidate.from(probe.buffer).toString('utf16le', 0, 10) === '\ufeffA\u00e9\u{1f600}' ? candidate : undefined;
  } catch {
    return undefined;
  }
})();

/** Longest string (in bytes) decoded by hand; longer ones go to the platform decoder. */
const MAX_HAND_BYTES = 16384;
/** Scratch UTF-16 units (a string of n bytes has at most n units), grown by doubling up to the limit above. */
let units: Uint16Array = /* @__PURE__ */ new Uint16Array(0);
/** Node `Buffer` over `units.buffer`. */
let unitSource: Utf16Source | undefined;

/**
 * Decodes `bytes[start:end]` into {@link units} and returns the number of units, or -1 when the
 * bytes are not well-formed UTF-8 exactly as the WHATWG decoder (`TextDecoder` with `fatal`)
 * defines it: no overlong forms, no surrogates, nothing above U+10FFFF, no stray or missing
 * continuation bytes.
 */
function toUnits(bytes: Uint8Array, start: number, end: number): number {
  const out = units;
  let n = 0;
  let i = start;
  while (i < end) {
    let lead = bytes[i] as number;
    while (lead < 0x80) {
      out[n++] = lead;
      if (++i === end) return n;
      lead = bytes[i] as number;
    }
    if (lead < 0xe0) {
      // 0x80–0xc1: a continuation byte where a character should start, or an overlong C0/C1 form.
      if (lead < 0xc2 || i + 1 >= end) return -1;
      const second = (bytes[i + 1] as number) ^ 0x80;
      if (second > 0x3f) return -1;
      out[n++] = ((lead & 0x1f) << 6) | second;
      i += 2;
    } else if (lead < 0xf0) {
      if (i + 2 >= end) return -1;
      const second = (bytes[i + 1] as number) ^ 0x80;
      const third = (bytes[i + 2] as number) ^ 0x80;
      if ((second | third) > 0x3f) return -1;
      const code = ((lead & 0x0f) << 12) | (second << 6) | third;
      if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) return -1;
      out[n++] = code;
      i += 3;
    } else {
      if (lead > 0xf4 || i + 3 >= end) return -1;
      const second = (bytes[i + 1] as number) ^ 0x80;
      const third = (bytes[i + 2] as number) ^ 0x80;
      const fourth = (bytes[i + 3] as number) ^ 0x80;
      if ((second | third | fourth) > 0x3f) return -1;
      const code = ((lead & 0x07) << 18) | (second << 12) | (third << 6) | fourth;
      if (code < 0x10000 || code > 0x10ffff) return -1;
      out[n] = 0xd7c0 + (code >> 10);
      out[n + 1] = 0xdc00 | (code & 0x3ff);
      n += 2;
      i += 4;
    }
  }
  return n;
}

/**
 * Reads `bytes[start:end]` as UTF-8, or returns `undefined` when it is not well-formed (the
 * decoder builds short ASCII strings itself; this is for everything else). A leading U+FEFF is
 * kept. In Node, strings up to 16 KiB are decoded by hand into UTF-16 units that `Buffer` turns
 * into a string in one copy: V8's own UTF-8 conversion (behind `TextDecoder` and
 * `Buffer#toString('utf8')`) costs ~3.5 ns per byte on text with many multi-byte characters,
 * this ~2. Elsewhere, and for longer strings, the platform `TextDecoder` (fatal).
 * @example
 * ```ts
 * decodeUtf8(new Uint8Array([0x68, 0xc3, 0xa9]), 0, 3); // 'hé'
 * decodeUtf8(new Uint8Array([0xff]), 0, 1); // undefined
 * ```
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  if (NodeBuffer !== undefined && length <= MAX_HAND_BYTES) {
    if (units.length < length) {
      units = new Uint16Array(Math.max(256, 2 ** Math.ceil(Math.log2(length))));
      unitSource = NodeBuffer.from(units.buffer);
    }
    const count = toUnits(bytes, start, end);
    if (count < 0) return undefined;
    return (unitSource as Utf16Source).toString('utf16le', 0, 2 * count);
  }
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}
