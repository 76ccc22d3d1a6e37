/**
 * `Node` → binary node, the exact inverse of the decoder, choosing the compact form the issue's
 * rules prescribe for every string (token, JID pair, NIBBLE_8, HEX_8, then BINARY_8/20/32 by
 * UTF-8 length) and the smallest list tag for every list. One output buffer is reused across
 * calls and grows by doubling, so encoding a frame allocates little more than its result.
 * @module
 */

import { attributeNames } from './attribute-order.js';
import { EncodeError } from './errors.js';
import { MAX_BINARY_20, MAX_BINARY_32, MAX_BINARY_8, MAX_DEPTH, MAX_LIST_SIZE, MAX_PACKED_LENGTH } from './limits.js';
import type { Attributes, Node } from './node.js';
import { writePacked } from './packed.js';
import { Tags } from './tags.js';
import { tokenIndex } from './tokens.js';
import { SHORT_STRING, writeUtf8 } from './utf8.js';

/** Scratch buffers that grew beyond this are dropped after the call instead of kept. */
const KEEP_SCRATCH_BYTES = 1 << 20;
const INITIAL_SCRATCH_BYTES = 4096;
/** Worst-case BINARY header: tag plus a 32-bit length. */
const MAX_BINARY_HEADER = 5;

/** A growing output buffer plus the path to the node being written (for error messages). */
class NodeWriter {
  buf = new Uint8Array(INITIAL_SCRATCH_BYTES);
  pos = 0;
  /** Child indexes from the root to the node being written. */
  readonly trail: number[] = [];

  /** Makes room for `count` more bytes, doubling the buffer as often as needed. */
  ensure(count: number): void {
    const needed = this.pos + count;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  fail(code: EncodeError['code'], message: string, suffix = ''): never {
    const path = 'root' + this.trail.map((index) => `.content[${index}]`).join('') + suffix;
    throw new EncodeError(code, path, message);
  }

  /** LIST_EMPTY for 0, LIST_8 up to 255, LIST_16 beyond (the caller checked the 65 535 limit). */
  listStart(size: number): void {
    this.ensure(3);
    const b = this.buf;
    if (size === 0) b[this.pos++] = Tags.LIST_EMPTY;
    else if (size <= 0xff) {
      b[this.pos++] = Tags.LIST_8;
      b[this.pos++] = size;
    } else {
      b[this.pos++] = Tags.LIST_16;
      b[this.pos++] = size >> 8;
      b[this.pos++] = size & 0xff;
    }
  }

  /** BINARY_8/20/32 header for a value of `length` bytes. */
  binaryHeader(length: number): void {
    this.ensure(MAX_BINARY_HEADER);
    const b = this.buf;
    if (length <= MAX_BINARY_8) {
      b[this.pos++] = Tags.BINARY_8;
      b[this.pos++] = length;
    } else if (length <= MAX_BINARY_20) {
      b[this.pos++] = Tags.BINARY_20;
      b[this.pos++] = length >> 16;
      b[this.pos++] = (length >> 8) & 0xff;
      b[this.pos++] = length & 0xff;
    } else {
      b[this.pos++] = Tags.BINARY_32;
      b[this.pos++] = length >>> 24;
      b[this.pos++] = (length >> 16) & 0xff;
      b[this.pos++] = (length >> 8) & 0xff;
      b[this.pos++] = length & 0xff;
    }
  }

  bytes(value: Uint8Array, suffix: string): void {
    if (value.length > MAX_BINARY_32) this.fail('TOO_LONG', `${value.length} bytes exceed BINARY_32`, suffix);
    this.binaryHeader(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /**
   * A string, in the order the rules fix: token (`c.us` as `s.whatsapp.net`), JID pair split
   * at the first `@`, NIBBLE_8, HEX_8, BINARY_8/20/32. Chains of `@` are written in a loop, so
   * no string can exhaust the stack.
   */
  string(value: string, suffix: string): void {
    // Descriptions and names are nearly always tokens, so the token lookup comes before the
    // search for `@`; no token contains `@`, so the rule order is the same.
    const token = tokenIndex(value);
    if (token !== undefined) {
      this.byte(token);
      return;
    }
    let at = value.indexOf('@');
    if (at < 0) {
      this.untokenized(value, suffix);
      return;
    }
    let rest = value;
    while (at >= 0) {
      this.byte(Tags.JID_PAIR);
      if (at === 0) this.byte(Tags.LIST_EMPTY);
      else this.plainString(rest.slice(0, at), suffix);
      rest = rest.slice(at + 1);
      at = rest.indexOf('@');
    }
    this.plainString(rest, suffix);
  }

  /** A string without `@`: token, NIBBLE_8, HEX_8 or BINARY_8/20/32. */
  plainString(value: string, suffix: string): void {
    const token = tokenIndex(value);
    if (token !== undefined) this.byte(token);
    else this.untokenized(value, suffix);
  }

  /** A string without `@` that is not a token: NIBBLE_8, HEX_8 or BINARY_8/20/32. */
  untokenized(value: string, suffix: string): void {
    if (value.length <= MAX_PACKED_LENGTH) {
      this.ensure(2 + ((value.length + 1) >> 1));
      const end = writePacked(this.buf, this.pos, value);
      if (end >= 0) {
        this.pos = end;
        return;
      }
    }
    this.utf8(value, suffix);
  }

  utf8(value: string, suffix: string): void {
    if (value.length <= SHORT_STRING) {
      // At most 3 bytes per UTF-16 unit: it fits BINARY_8, so write first and patch the length.
      this.ensure(2 + 3 * value.length);
      this.buf[this.pos] = Tags.BINARY_8;
      const start = this.pos + 2;
      const end = writeUtf8(this.buf, start, value);
      this.buf[this.pos + 1] = end - start;
      this.pos = end;
      return;
    }
    // Encode after room for the largest header, then slide the bytes left to the real header.
    this.ensure(MAX_BINARY_HEADER + 3 * value.length);
    const headerAt = this.pos;
    const dataAt = headerAt + MAX_BINARY_HEADER;
    const length = writeUtf8(this.buf, dataAt, value) - dataAt;
    if (length > MAX_BINARY_32) this.fail('TOO_LONG', `a string of ${length} UTF-8 bytes exceeds BINARY_32`, suffix);
    this.binaryHeader(length);
    if (this.pos !== dataAt) this.buf.copyWithin(this.pos, dataAt, dataAt + length);
    this.pos += length;
  }

  node(node: Node, depth: number): void {
    if (!Array.isArray(node) || node.length !== 3) {
      this.fail('INVALID_NODE', 'a node must be an array [description, attributes, content]');
    }
    if (depth > MAX_DEPTH) this.fail('TOO_DEEP', `nodes nest deeper than ${MAX_DEPTH} (or contain themselves)`);
    const description: unknown = node[0];
    const attributes: unknown = node[1];
    const content: unknown = node[2];
    if (typeof description !== 'string') this.fail('INVALID_DESCRIPTION', 'the description must be a string', '.description');
    const keys = attributeKeys(attributes, this);
    const hasContent = content !== null;
    if (hasContent && typeof content !== 'string' && !Array.isArray(content) && !(content instanceof Uint8Array)) {
      this.fail('INVALID_CONTENT', 'content must be null, a node array, a Uint8Array or a string', '.content');
    }
    const size = 1 + 2 * keys.length + (hasContent ? 1 : 0);
    if (size > MAX_LIST_SIZE) this.fail('TOO_MANY_ATTRIBUTES', `${keys.length} attributes do not fit a LIST_16 node header`, '.attributes');

    this.listStart(size);
    this.string(description, '.description');
    for (const key of keys) {
      const value = (attributes as Record<string, unknown>)[key];
      // Checked while writing: the scratch buffer is discarded on error, and one pass is cheaper.
      if (typeof value !== 'string') {
        this.fail('INVALID_ATTRIBUTES', `attribute "${key}" is ${value === null ? 'null' : typeof value}, not a string`, `.attributes.${key}`);
      }
      this.string(key, '.attributes');
      this.string(value, '.attributes');
    }
    if (!hasContent) return;
    if (typeof content === 'string') this.string(content, '.content');
    else if (content instanceof Uint8Array) this.bytes(content, '.content');
    else {
      if (content.length > MAX_LIST_SIZE) this.fail('LIST_TOO_LONG', `${content.length} children exceed LIST_16 (65535)`, '.content');
      this.listStart(content.length);
      for (let i = 0; i < content.length; i++) {
        this.trail.push(i);
        this.node(content[i] as Node, depth + 1);
        this.trail.pop();
      }
    }
  }
}

/** The attribute names in written order, after checking that `attributes` is `null` or a plain object. */
function attributeKeys(attributes: unknown, writer: NodeWriter): string[] {
  if (attributes === null) return [];
  // Only plain objects: a Map or class instance would otherwise encode silently as "no attributes".
  const prototype = typeof attributes === 'object' ? Object.getPrototypeOf(attributes) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    writer.fail('INVALID_ATTRIBUTES', 'attributes must be null or an object of strings', '.attributes');
  }
  return attributeNames(attributes as Attributes);
}

/** The scratch writer between calls; taken while in use, so a re-entrant call gets its own. */
let idleWriter: NodeWriter | undefined;

/**
 * Encodes a node into the binary format that `decode` reads.
 *
 * Every string takes the first form that fits: a single-byte token (`c.us` is written as the
 * `s.whatsapp.net` token); a JID pair split at the first `@` (an empty user part as LIST_EMPTY);
 * NIBBLE_8 for a non-empty string of `0-9`, `-`, `.` (≤ 254 characters); HEX_8 for a non-empty
 * string of `0-9A-F` (≤ 254); otherwise BINARY_8/20/32 by UTF-8 length. Lists use LIST_EMPTY,
 * LIST_8 (≤ 255) or LIST_16. Attributes keep their order; `null` and `{}` both mean none.
 *
 * String content that fits none of the compact forms is written as raw bytes, so it decodes as
 * a `Uint8Array` holding its UTF-8, which is how the protocol itself behaves.
 *
 * @throws {EncodeError} for a value that is not a node, or one too large for the format.
 * @example
 * ```ts
 * import { encode } from '@wa/binary-codec';
 * encode(['action', { type: 'relay' }, null]); // Uint8Array [0xf8, 0x03, 0x09, 0x5b, 0x4b]
 * ```
 */
export function encode(node: Node): Uint8Array {
  const writer = idleWriter ?? new NodeWriter();
  idleWriter = undefined;
  writer.pos = 0;
  writer.trail.length = 0;
  try {
    writer.node(node, 1);
    return writer.buf.slice(0, writer.pos);
  } finally {
    if (writer.buf.length <= KEEP_SCRATCH_BYTES) idleWriter = writer;
  }
}
