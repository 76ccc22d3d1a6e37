/**
 * Binary node → `Node`, following the seed's `MessageParser` rule by rule. Every read checks the
 * bounds first and every declared length is compared with the bytes that remain before anything
 * is allocated, so hostile input costs at most its own size and ends in a `DecodeError`.
 * @module
 */

import { isIndexKey, rememberOrder, setAttribute, useSparseIndexes } from './attribute-order.js';
import { DecodeError } from './errors.js';
import { MAX_DEPTH } from './limits.js';
import type { Attributes, Node, NodeContent } from './node.js';
import { unpack, type PackedTag } from './packed.js';
import { Tags } from './tags.js';
import { tokenAt } from './tokens.js';
import { readUtf8 } from './utf8.js';

/** Smallest encoding of a node: list tag, size byte, one-byte description. */
const MIN_NODE_BYTES = 3;
/** Smallest encoding of an attribute: a one-byte key and a one-byte value. */
const MIN_ATTRIBUTE_BYTES = 2;

/** Names for the tags that may show up in error messages. */
function describeTag(tag: number): string {
  for (const [name, value] of Object.entries(Tags)) if (value === tag) return `${name} (${tag})`;
  return `tag ${tag}`;
}

/** Reads one node tree from a byte array; one instance per `decode` call. */
class NodeReader {
  readonly bytes: Uint8Array;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /**
   * Fails unless `count` more bytes are available at the current position. `what` is always a
   * constant: messages are only assembled once something is wrong, never on the hot path.
   */
  require(count: number, what: string): void {
    const remaining = this.bytes.length - this.pos;
    if (count > remaining) {
      throw new DecodeError('TRUNCATED', this.pos, `${what} needs at least ${count} bytes but only ${remaining} remain`);
    }
  }

  byte(what: string): number {
    if (this.pos >= this.bytes.length) {
      throw new DecodeError('TRUNCATED', this.pos, `input ends where ${what} should be`);
    }
    return this.bytes[this.pos++] as number;
  }

  /** Int20 (seed): the low four bits of the first byte, then two whole bytes, big endian. */
  int20(what: string): number {
    this.require(3, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 3;
    return (((b[p] as number) & 0x0f) << 16) | ((b[p + 1] as number) << 8) | (b[p + 2] as number);
  }

  /** Big-endian 32-bit unsigned length; multiplication instead of `<<` keeps it non-negative. */
  int32(what: string): number {
    this.require(4, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] as number) * 0x1000000 + (((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number));
  }

  /** List size for a list tag (seed: 0 for LIST_EMPTY, a byte for LIST_8, an Int16 for LIST_16). */
  listSize(tag: number, tagOffset: number, what: string): number {
    if (tag === Tags.LIST_EMPTY) return 0;
    if (tag === Tags.LIST_8) return this.byte('a LIST_8 size');
    if (tag === Tags.LIST_16) {
      this.require(2, 'a LIST_16 size');
      const p = this.pos;
      this.pos = p + 2;
      return ((this.bytes[p] as number) << 8) | (this.bytes[p + 1] as number);
    }
    throw new DecodeError('INVALID_TAG', tagOffset, `${what} must start with a list tag, found ${describeTag(tag)}`);
  }

  /**
   * Reads the length of a BINARY_8/20/32 value, checks it against the bytes that remain and steps
   * over the value; returns where the value starts (it ends at the new position).
   */
  binaryValue(tag: number, what: string): number {
    const length = tag === Tags.BINARY_8 ? this.byte('a BINARY_8 length') : tag === Tags.BINARY_20 ? this.int20('a BINARY_20 length') : this.int32('a BINARY_32 length');
    this.require(length, what);
    const start = this.pos;
    this.pos = start + length;
    return start;
  }

  node(depth: number): Node {
    const start = this.pos;
    if (depth > MAX_DEPTH) throw new DecodeError('TOO_DEEP', start, `nodes nest deeper than ${MAX_DEPTH}`);
    const size = this.listSize(this.byte('a node'), start, 'a node');
    if (size === 0) throw new DecodeError('INVALID_LIST_SIZE', start, 'a node has list size 0 (it needs at least a description)');

    const descriptionOffset = this.pos;
    const descriptionTag = this.byte('the description');
    if (descriptionTag === Tags.STREAM_8) {
      throw new DecodeError('INVALID_TAG', descriptionOffset, 'STREAM_8 (2) cannot start a description');
    }
    const description = this.string(descriptionTag, descriptionOffset);

    const attributeCount = (size - 2 + (size % 2)) >> 1;
    let attributes: Attributes | null = null;
    if (attributeCount > 0) {
      this.require(attributeCount * MIN_ATTRIBUTE_BYTES, 'the attributes of a node');
      attributes = {};
      // Written order, tracked only once an index-like name shows up (see attribute-order.ts).
      let order: string[] | undefined;
      for (let i = 0; i < attributeCount; i++) {
        const keyOffset = this.pos;
        const key = this.string(this.byte('an attribute name'), keyOffset);
        const valueOffset = this.pos;
        const value = this.string(this.byte('an attribute value'), valueOffset);
        if (order === undefined && isIndexKey(key)) {
          // Cheap here: the object holds no index-like name yet.
          order = Object.keys(attributes);
          useSparseIndexes(attributes);
        }
        if (order !== undefined && !Object.prototype.hasOwnProperty.call(attributes, key)) order.push(key);
        setAttribute(attributes, key, value);
      }
      if (order !== undefined) rememberOrder(attributes, order);
    }

    if (size % 2 === 1) return [description, attributes, null];
    return [description, attributes, this.content(depth)];
  }

  content(depth: number): NodeContent {
    const tagOffset = this.pos;
    const tag = this.byte('the content of a node');
    switch (tag) {
      case Tags.LIST_EMPTY:
      case Tags.LIST_8:
      case Tags.LIST_16: {
        const count = this.listSize(tag, tagOffset, 'a child list');
        this.require(count * MIN_NODE_BYTES, 'a child list');
        const children: Node[] = [];
        for (let i = 0; i < count; i++) children.push(this.node(depth + 1));
        return children;
      }
      case Tags.BINARY_8:
      case Tags.BINARY_20:
      case Tags.BINARY_32: {
        const start = this.binaryValue(tag, 'binary content');
        // A plain copy: the node stays valid when the caller reuses its receive buffer, and a Node
        // Buffer input (whose slice() is a view) still yields an independent Uint8Array.
        const content = new Uint8Array(this.pos - start);
        content.set(this.bytes.subarray(start, this.pos));
        return content;
      }
      default:
        return this.string(tag, tagOffset);
    }
  }

  /** Seed "read a string": `tag` was read at `tagOffset`. */
  string(tag: number, tagOffset: number): string {
    switch (tag) {
      case Tags.LIST_EMPTY:
        // The seed returns "no string"; the typed Node has no null strings, and the only place an
        // encoder writes it is the empty user part of a JID, so it reads as ''.
        return '';
      case Tags.STREAM_8:
      case Tags.LIST_8:
      case Tags.LIST_16:
        throw new DecodeError('INVALID_TAG', tagOffset, `${describeTag(tag)} cannot stand where a string belongs`);
      case Tags.DICTIONARY_0:
      case Tags.DICTIONARY_1:
      case Tags.DICTIONARY_2:
      case Tags.DICTIONARY_3:
        throw new DecodeError(
          'DICTIONARY_UNSUPPORTED',
          tagOffset,
          `${describeTag(tag)} refers to a double-byte dictionary, which the legacy web protocol never shipped`,
        );
      case Tags.JID_PAIR:
        return this.jid();
      case Tags.NIBBLE_8:
      case Tags.HEX_8:
        return this.packed(tag, tagOffset);
      case Tags.BINARY_8:
      case Tags.BINARY_20:
      case Tags.BINARY_32: {
        const start = this.binaryValue(tag, 'a string');
        const value = readUtf8(this.bytes, start, this.pos);
        if (value === undefined) throw new DecodeError('INVALID_UTF8', start, `a ${this.pos - start}-byte string is not valid UTF-8`);
        return value;
      }
      default: {
        if (tag > Tags.DICTIONARY_3) throw new DecodeError('INVALID_TAG', tagOffset, `${describeTag(tag)} is reserved`);
        const token = tokenAt(tag);
        if (token === undefined) throw new DecodeError('INVALID_TOKEN', tagOffset, `token ${tag} is not in the 176-entry token table`);
        return token;
      }
    }
  }

  /**
   * JID_PAIR: user part, then server part, joined with `@`. The server part may itself be a
   * JID pair (the encoder splits at the first `@`), so chains are read in a loop rather than by
   * recursion; a user part never contains `@`, so a JID pair there is rejected.
   */
  jid(): string {
    let value = '';
    for (;;) {
      const userOffset = this.pos;
      const userTag = this.byte('the user part of a JID');
      if (userTag === Tags.JID_PAIR) throw new DecodeError('INVALID_TAG', userOffset, 'the user part of a JID cannot be another JID pair');
      value += this.string(userTag, userOffset) + '@';
      const serverOffset = this.pos;
      const serverTag = this.byte('the server part of a JID');
      if (serverTag !== Tags.JID_PAIR) return value + this.string(serverTag, serverOffset);
    }
  }

  packed(tag: PackedTag, tagOffset: number): string {
    const header = this.byte('a packed length');
    const count = header & 0x7f;
    const odd = header >= 0x80;
    if (count === 0) throw new DecodeError('INVALID_PACKED', tagOffset, `${describeTag(tag)} holds no bytes`);
    this.require(count, tag === Tags.NIBBLE_8 ? 'a NIBBLE_8 string' : 'a HEX_8 string');
    const start = this.pos;
    const value = unpack(this.bytes, start, count, odd, tag);
    if (value === undefined) {
      throw new DecodeError('INVALID_PACKED', start, `${describeTag(tag)} holds a nibble outside its alphabet`);
    }
    this.pos = start + count;
    return value;
  }
}

/** `instanceof` fails across realms (iframes, workers' transferred views), so check the tag too. */
function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array');
}

/**
 * Decodes one binary node (a decrypted frame's payload) into `[description, attributes, content]`.
 *
 * - `s.whatsapp.net` is returned as `c.us`, also inside JIDs, as the seed specifies.
 * - Attributes are `null` when the node has none; content is `null`, child nodes, a fresh
 *   `Uint8Array` (BINARY_8/20/32), or a string (token, JID pair, NIBBLE_8, HEX_8).
 * - The input must hold exactly one node: bytes after it raise `TRAILING_BYTES`.
 * - Double-byte dictionary tags (236–239) raise `DICTIONARY_UNSUPPORTED`; unknown tokens
 *   raise `INVALID_TOKEN`. Either costs one frame, never a connection.
 *
 * @throws {DecodeError} for anything that is not exactly one valid node.
 * @example
 * ```ts
 * import { decode } from '@wa/binary-codec';
 * decode(new Uint8Array([0xf8, 0x03, 0x09, 0x5b, 0x4b])); // ['action', { type: 'relay' }, null]
 * ```
 */
export function decode(bytes: Uint8Array): Node {
  if (!isBytes(bytes)) throw new DecodeError('INVALID_INPUT', 0, 'decode expects a Uint8Array');
  const reader = new NodeReader(bytes);
  const node = reader.node(1);
  if (reader.pos !== bytes.length) {
    throw new DecodeError('TRAILING_BYTES', reader.pos, `${bytes.length - reader.pos} bytes follow the root node`);
  }
  return node;
}
