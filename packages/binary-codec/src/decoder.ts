/**
 * Binary node → `Node`, following the seed's `MessageParser` rule by rule. Every read checks the
 * bounds first and every declared length is compared with the bytes that remain before anything
 * is allocated, so hostile input costs at most its own size and ends in a `DecodeError`.
 *
 * Written for speed (profiled with `node --cpu-prof` on the vectors and a 200-chat list): one
 * cursor (`input`, `pos`, `end`) in module state instead of a reader object, no closures or
 * intermediate arrays per node, token strings read from a table, and every string that is built
 * from parts (packed digits, hex, JID pairs, short ASCII) assembled as character codes in a
 * reusable array and turned into one flat string by a single `String.fromCharCode` call.
 * @module
 */

import { isIndexKey, setAttribute, storeOrder, useSparseIndexes } from './attribute-order.js';
import { DecodeError } from './errors.js';
import { MAX_DEPTH } from './limits.js';
import type { Attributes, Node, NodeContent } from './node.js';
import { Tags } from './tags.js';
import { TOKENS, tokenAt } from './tokens.js';
import { decodeUtf8 } from './utf8.js';

/** Smallest encoding of a node: list tag, size byte, one-byte description. */
const MIN_NODE_BYTES = 3;
/** Smallest encoding of an attribute: a one-byte key and a one-byte value. */
const MIN_ATTRIBUTE_BYTES = 2;
/** BINARY strings up to this many bytes are checked for ASCII and built from their codes. */
const SHORT_ASCII = 64;
/** Longest string assembled from character codes: a JID of a 254-digit user and a long server. */
const MAX_CODES = 512;

/** Names for the tags that may show up in error messages. */
function describeTag(tag: number): string {
  for (const [name, value] of Object.entries(Tags)) if (value === tag) return `${name} (${tag})`;
  return `tag ${tag}`;
}

/** For every byte: the token string the decoder returns for it, or `undefined` (tags, unknown). */
const TOKEN_OF: readonly (string | undefined)[] = /* @__PURE__ */ (() => {
  const table: (string | undefined)[] = [];
  for (let tag = 0; tag < 256; tag++) table.push(tag < Tags.DICTIONARY_0 ? tokenAt(tag) : undefined);
  return table;
})();

/** For every token byte: the number of an index-like token (`"200"`, `"404"`, …), else -1. */
const INDEX_VALUE: Int32Array = /* @__PURE__ */ (() => {
  const table = new Int32Array(256).fill(-1);
  TOKENS.forEach((token, tag) => {
    if (token !== null && isIndexKey(token)) table[tag] = Number(token);
  });
  return table;
})();

/** For every token byte: the character codes of the token string as read (`c.us` for 80). */
const TOKEN_CODES: readonly (readonly number[] | undefined)[] = /* @__PURE__ */ TOKEN_OF.map((token) =>
  token === undefined ? undefined : Array.from(token, (char) => char.charCodeAt(0)),
);

/**
 * Character codes of both packed alphabets for every nibble, 0 where the nibble is not in the
 * alphabet: NIBBLE_8 (digits, `-` for 10, `.` for 11) at 0–15, HEX_8 (`0-9A-F`) at 16–31.
 */
const PACKED_CODES: Uint8Array = /* @__PURE__ */ (() => {
  const table = new Uint8Array(32);
  const nibbles = '0123456789-.';
  const hex = '0123456789ABCDEF';
  for (let i = 0; i < nibbles.length; i++) table[i] = nibbles.charCodeAt(i);
  for (let i = 0; i < hex.length; i++) table[16 + i] = hex.charCodeAt(i);
  return table;
})();

/**
 * Reusable arrays of character codes, one per length, so `String.fromCharCode.apply` gets an
 * array of exactly the string's length (a plain array of small integers is the fastest argument
 * list V8 spreads; a typed-array view is several times slower). Created on first use.
 */
const CODE_ARRAYS: number[][] = [];

function codeArray(length: number): number[] {
  let codes = CODE_ARRAYS[length];
  if (codes === undefined) {
    codes = new Array<number>(length).fill(0);
    CODE_ARRAYS[length] = codes;
  }
  return codes;
}

/** One flat string from `codes` (exactly its length). */
function fromCodes(codes: number[]): string {
  return String.fromCharCode.apply(null, codes);
}

/** Scratch for strings assembled from parts before their length is known (JID pairs). */
const scratch: number[] = /* @__PURE__ */ new Array<number>(MAX_CODES).fill(0);

// --- the cursor -----------------------------------------------------------------------------------

const EMPTY = /* @__PURE__ */ new Uint8Array(0);
/** The bytes being decoded; released after every call. */
let input: Uint8Array = EMPTY;
/** Position of the next byte to read. */
let pos = 0;
/** `input.length`. */
let end = 0;
/** Copy of the input from `copyBase` on, shared by the large binary values of one frame. */
let copy: Uint8Array = EMPTY;
let copyBase = 0;
/** Typed arrays up to this size live on V8's heap and are cheap to allocate one by one. */
const ON_HEAP_BYTES = 64;
/** Whether `input.slice` makes a plain, independent `Uint8Array` (not a Node Buffer, not another realm's). */
let sliceCopies = true;

/**
 * `count` more bytes do not fit: `what` is always a constant, so messages are only assembled once
 * something is wrong, never on the hot path.
 */
function truncated(count: number, what: string): DecodeError {
  return new DecodeError('TRUNCATED', pos, `${what} needs at least ${count} bytes but only ${end - pos} remain`);
}

function endsAt(what: string): DecodeError {
  return new DecodeError('TRUNCATED', pos, `input ends where ${what} should be`);
}

/** Big-endian 16-bit list size (LIST_16). */
function readInt16(what: string): number {
  if (end - pos < 2) throw truncated(2, what);
  const value = ((input[pos] as number) << 8) | (input[pos + 1] as number);
  pos += 2;
  return value;
}

/**
 * Length of a BINARY_8/20/32 value, checked against the bytes that remain. Int20 (seed) uses the
 * low four bits of its first byte; the 32-bit length is multiplied, not shifted, to stay positive.
 */
function binaryLength(tag: number, what: string): number {
  let length: number;
  if (tag === Tags.BINARY_8) {
    if (pos >= end) throw endsAt('a BINARY_8 length');
    length = input[pos++] as number;
  } else if (tag === Tags.BINARY_20) {
    if (end - pos < 3) throw truncated(3, 'a BINARY_20 length');
    length = (((input[pos] as number) & 0x0f) << 16) | ((input[pos + 1] as number) << 8) | (input[pos + 2] as number);
    pos += 3;
  } else {
    if (end - pos < 4) throw truncated(4, 'a BINARY_32 length');
    length =
      (input[pos] as number) * 0x1000000 + (((input[pos + 1] as number) << 16) | ((input[pos + 2] as number) << 8) | (input[pos + 3] as number));
    pos += 4;
  }
  if (length > end - pos) throw truncated(length, what);
  return length;
}

// --- nodes ----------------------------------------------------------------------------------------

function readNode(depth: number): Node {
  const start = pos;
  if (depth > MAX_DEPTH) throw new DecodeError('TOO_DEEP', start, `nodes nest deeper than ${MAX_DEPTH}`);
  if (pos >= end) throw endsAt('a node');
  const listTag = input[pos++] as number;
  let size: number;
  if (listTag === Tags.LIST_8) {
    if (pos >= end) throw endsAt('a LIST_8 size');
    size = input[pos++] as number;
  } else if (listTag === Tags.LIST_16) size = readInt16('a LIST_16 size');
  else if (listTag === Tags.LIST_EMPTY) size = 0;
  else throw new DecodeError('INVALID_TAG', start, `a node must start with a list tag, found ${describeTag(listTag)}`);
  if (size === 0) throw new DecodeError('INVALID_LIST_SIZE', start, 'a node has list size 0 (it needs at least a description)');

  if (pos >= end) throw endsAt('the description');
  const descriptionTag = input[pos++] as number;
  let description = TOKEN_OF[descriptionTag];
  if (description === undefined) {
    if (descriptionTag === Tags.STREAM_8) throw new DecodeError('INVALID_TAG', pos - 1, 'STREAM_8 (2) cannot start a description');
    description = readString(descriptionTag);
  }

  const attributeCount = (size - 1) >> 1;
  const attributes = attributeCount > 0 ? readAttributes(attributeCount) : null;
  if ((size & 1) === 1) return [description, attributes, null];
  return [description, attributes, readContent(depth)];
}

/**
 * Attributes in one object, built in written order. Index-like names (`"404"`) switch the
 * object to sparse element storage before the first is stored (attribute-order.ts). Whether
 * JavaScript will enumerate them out of written order (one follows another name or a larger
 * index) is tracked as they are read; only from the name that breaks the order on is the written
 * order collected: up to there it is exactly the object's own order, so `Object.keys` gives it.
 * For token names, index-likeness and the numeric value come from a table.
 */
function readAttributes(count: number): Attributes {
  if (count * MIN_ATTRIBUTE_BYTES > end - pos) throw truncated(count * MIN_ATTRIBUTE_BYTES, 'the attributes of a node');
  const attributes: Attributes = {};
  let sparse = false;
  let sawName = false;
  let lastIndex = -1;
  /** The written order, once it differs from JavaScript's. */
  let order: string[] | undefined;
  for (let i = 0; i < count; i++) {
    if (pos >= end) throw endsAt('an attribute name');
    const keyTag = input[pos++] as number;
    let key = TOKEN_OF[keyTag];
    let index: number;
    if (key !== undefined) index = INDEX_VALUE[keyTag] as number;
    else {
      key = readString(keyTag);
      index = isIndexKey(key) ? Number(key) : -1;
    }
    if (pos >= end) throw endsAt('an attribute value');
    const valueTag = input[pos++] as number;
    const value = TOKEN_OF[valueTag] ?? readString(valueTag);
    if (order !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(attributes, key)) order.push(key);
    } else if (index < 0) sawName = true;
    else if (!sparse || !Object.prototype.hasOwnProperty.call(attributes, key)) {
      // A first index-like name: in JavaScript's order only ahead of all others, ascending.
      if (!sparse) {
        useSparseIndexes(attributes);
        sparse = true;
      }
      if (sawName || index < lastIndex) {
        order = Object.keys(attributes);
        order.push(key);
      } else lastIndex = index;
    }
    // No token is `__proto__`; any other name goes through the guarded setter.
    if (keyTag < Tags.DICTIONARY_0) attributes[key] = value;
    else setAttribute(attributes, key, value);
  }
  if (order !== undefined) storeOrder(attributes, order);
  return attributes;
}

function readContent(depth: number): NodeContent {
  if (pos >= end) throw endsAt('the content of a node');
  const tag = input[pos++] as number;
  if (tag === Tags.LIST_8 || tag === Tags.LIST_16 || tag === Tags.LIST_EMPTY) {
    let count = 0;
    if (tag === Tags.LIST_8) {
      if (pos >= end) throw endsAt('a LIST_8 size');
      count = input[pos++] as number;
    } else if (tag === Tags.LIST_16) count = readInt16('a LIST_16 size');
    if (count * MIN_NODE_BYTES > end - pos) throw truncated(count * MIN_NODE_BYTES, 'a child list');
    const children: Node[] = [];
    for (let i = 0; i < count; i++) children.push(readNode(depth + 1));
    return children;
  }
  if (tag === Tags.BINARY_8 || tag === Tags.BINARY_20 || tag === Tags.BINARY_32) {
    const length = binaryLength(tag, 'binary content');
    const start = pos;
    pos += length;
    // A copy: the node stays valid when the caller reuses its receive buffer, and a Node Buffer
    // input (whose slice() is a view) still yields an independent, plain Uint8Array.
    if (length > ON_HEAP_BYTES) {
      // One copy of the rest of the frame, made at the first large value, holds every large
      // value after it: one allocation per frame instead of one per node.
      if (copy === EMPTY) {
        if (sliceCopies) copy = input.slice(start, end);
        else {
          copy = new Uint8Array(end - start);
          copy.set(input.subarray(start, end));
        }
        copyBase = start;
      }
      return copy.subarray(start - copyBase, pos - copyBase);
    }
    if (sliceCopies) return input.slice(start, pos);
    const content = new Uint8Array(length);
    content.set(input.subarray(start, pos));
    return content;
  }
  return TOKEN_OF[tag] ?? readString(tag);
}

// --- strings --------------------------------------------------------------------------------------

/**
 * Seed "read a string" for every tag that is not a known token (the callers look tokens up
 * first): `tag` was read at `pos - 1`.
 */
function readString(tag: number): string {
  const tagOffset = pos - 1;
  switch (tag) {
    case Tags.LIST_EMPTY:
      // The seed returns "no string"; the typed Node has no null strings, and the only place an
      // encoder writes it is the empty user part of a JID, so it reads as ''.
      return '';
    case Tags.JID_PAIR:
      return readJid();
    case Tags.NIBBLE_8:
    case Tags.HEX_8: {
      const length = packedLength(tag, tagOffset);
      if (length <= 2) return shortPacked(tag, length);
      const codes = codeArray(length);
      unpackInto(codes, 0, tag, length);
      return fromCodes(codes);
    }
    case Tags.BINARY_8:
    case Tags.BINARY_20:
    case Tags.BINARY_32:
      return readUtf8String(binaryLength(tag, 'a string'));
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
    default:
      if (tag > Tags.DICTIONARY_3) throw new DecodeError('INVALID_TAG', tagOffset, `${describeTag(tag)} is reserved`);
      throw new DecodeError('INVALID_TOKEN', tagOffset, `token ${tag} is not in the 176-entry token table`);
  }
}

/** A BINARY string of `length` bytes at `pos`: short ASCII from its codes, the rest by `TextDecoder`. */
function readUtf8String(length: number): string {
  const start = pos;
  pos += length;
  if (length <= SHORT_ASCII) {
    const codes = codeArray(length);
    let i = 0;
    for (; i < length; i++) {
      const code = input[start + i] as number;
      if (code >= 0x80) break;
      codes[i] = code;
    }
    if (i === length) return fromCodes(codes);
  }
  const value = decodeUtf8(input, start, pos);
  if (value === undefined) throw new DecodeError('INVALID_UTF8', start, `a ${length}-byte string is not valid UTF-8`);
  return value;
}

/**
 * Reads a NIBBLE_8/HEX_8 header at `pos` (tag at `tagOffset`) and returns the string's length in
 * characters; the packed bytes are then at `pos`, checked to be there.
 */
function packedLength(tag: number, tagOffset: number): number {
  if (pos >= end) throw endsAt('a packed length');
  const header = input[pos++] as number;
  const count = header & 0x7f;
  if (count === 0) throw new DecodeError('INVALID_PACKED', tagOffset, `${describeTag(tag)} holds no bytes`);
  if (count > end - pos) throw truncated(count, tag === Tags.NIBBLE_8 ? 'a NIBBLE_8 string' : 'a HEX_8 string');
  return header >= 0x80 ? 2 * count - 1 : 2 * count;
}

/**
 * Unpacks the `length` characters of a packed string at `pos` into `codes` from `at`, and steps
 * over its bytes. The padding nibble of an odd length is discarded unread, as in the seed; any
 * other nibble outside the alphabet is `INVALID_PACKED`.
 */
function unpackInto(codes: number[], at: number, tag: number, length: number): void {
  const alphabet = tag === Tags.NIBBLE_8 ? 0 : 16;
  const start = pos;
  const whole = length >> 1;
  let invalid = 0;
  for (let i = 0; i < whole; i++) {
    const byte = input[start + i] as number;
    const high = PACKED_CODES[alphabet + (byte >> 4)] as number;
    const low = PACKED_CODES[alphabet + (byte & 0x0f)] as number;
    codes[at++] = high;
    codes[at++] = low;
    invalid |= (high - 1) | (low - 1);
  }
  if ((length & 1) === 1) {
    const high = PACKED_CODES[alphabet + ((input[start + whole] as number) >> 4)] as number;
    codes[at] = high;
    invalid |= high - 1;
  }
  // A code of 0 (not in the alphabet) makes `code - 1` negative, so the sign bit says it all.
  if (invalid < 0) throw new DecodeError('INVALID_PACKED', start, `${describeTag(tag)} holds a nibble outside its alphabet`);
  pos = start + ((length + 1) >> 1);
}

/**
 * For every byte: the one- and two-character strings it unpacks to, NIBBLE_8 at 0–255 and HEX_8
 * at 256–511, `undefined` where a nibble is outside the alphabet. Short values (`count="0"`,
 * `mute="0"`) are then table lookups, with no string built at all.
 */
const SHORT_PACKED: readonly (readonly (string | undefined)[])[] = /* @__PURE__ */ (() => {
  const one: (string | undefined)[] = [];
  const two: (string | undefined)[] = [];
  for (let alphabet = 0; alphabet < 32; alphabet += 16) {
    for (let byte = 0; byte < 256; byte++) {
      const high = PACKED_CODES[alphabet + (byte >> 4)] as number;
      const low = PACKED_CODES[alphabet + (byte & 0x0f)] as number;
      one.push(high === 0 ? undefined : String.fromCharCode(high));
      two.push(high === 0 || low === 0 ? undefined : String.fromCharCode(high, low));
    }
  }
  return [one, two];
})();

/** A packed string of one byte (`length` 1 or 2 characters) at `pos`, from {@link SHORT_PACKED}. */
function shortPacked(tag: number, length: number): string {
  const value = (SHORT_PACKED[length - 1] as readonly (string | undefined)[])[(tag === Tags.NIBBLE_8 ? 0 : 256) + (input[pos] as number)];
  if (value === undefined) throw new DecodeError('INVALID_PACKED', pos, `${describeTag(tag)} holds a nibble outside its alphabet`);
  pos += 1;
  return value;
}

/**
 * Writes the string at `pos` (tag at `pos - 1`) as codes into `scratch` from `at` when it is a
 * token, packed or LIST_EMPTY, and returns the position after it; -1 for other tags, which are
 * then read by {@link readString} (nothing has been consumed).
 */
function codesInto(tag: number, at: number): number {
  const token = TOKEN_CODES[tag];
  if (token !== undefined) {
    if (at + token.length > MAX_CODES) return -1;
    for (let i = 0; i < token.length; i++) scratch[at + i] = token[i] as number;
    return at + token.length;
  }
  if (tag === Tags.NIBBLE_8 || tag === Tags.HEX_8) {
    // Peek at the header: a packed string too long for the scratch takes the general path.
    if (pos >= end || at + 2 * ((input[pos] as number) & 0x7f) > MAX_CODES) return -1;
    const length = packedLength(tag, pos - 1);
    unpackInto(scratch, at, tag, length);
    return at + length;
  }
  if (tag === Tags.LIST_EMPTY) return at;
  return -1;
}

/**
 * JID_PAIR: user part, then server part, joined with `@`. The usual pair (packed or token user,
 * token or packed server) is assembled as codes into one flat string. Otherwise, and for chains
 * (the server part may itself be a JID pair, since the encoder splits at the first `@`), parts
 * are joined in a loop rather than by recursion; a user part never contains `@`, so a JID pair
 * there is rejected.
 */
function readJid(): string {
  if (pos >= end) throw endsAt('the user part of a JID');
  const userTag = input[pos++] as number;
  if (userTag === Tags.JID_PAIR) throw new DecodeError('INVALID_TAG', pos - 1, 'the user part of a JID cannot be another JID pair');
  if ((userTag === Tags.NIBBLE_8 || userTag === Tags.HEX_8) && end - pos >= 2) {
    // The usual JID: packed digits, then a token server. Both lengths are known from the header
    // and the server tag, so the characters go straight into an array of the JID's length.
    const header = input[pos] as number;
    const count = header & 0x7f;
    const serverAt = pos + 1 + count;
    if (count !== 0 && serverAt < end) {
      const server = TOKEN_CODES[input[serverAt] as number];
      if (server !== undefined) {
        const userLength = header >= 0x80 ? 2 * count - 1 : 2 * count;
        const codes = codeArray(userLength + 1 + server.length);
        pos += 1;
        unpackInto(codes, 0, userTag, userLength);
        codes[userLength] = 0x40;
        for (let i = 0; i < server.length; i++) codes[userLength + 1 + i] = server[i] as number;
        pos += 1;
        return fromCodes(codes);
      }
    }
  }
  const userEnd = codesInto(userTag, 0);
  if (userEnd >= 0) {
    scratch[userEnd] = 0x40;
    if (pos >= end) throw endsAt('the server part of a JID');
    const serverTag = input[pos++] as number;
    if (serverTag !== Tags.JID_PAIR) {
      const serverEnd = codesInto(serverTag, userEnd + 1);
      if (serverEnd >= 0) {
        const codes = codeArray(serverEnd);
        for (let i = 0; i < serverEnd; i++) codes[i] = scratch[i] as number;
        return fromCodes(codes);
      }
    }
    // Keep the user part as a string and continue with the server tag just read.
    const codes = codeArray(userEnd + 1);
    for (let i = 0; i <= userEnd; i++) codes[i] = scratch[i] as number;
    return joinJid(fromCodes(codes), serverTag);
  }
  return joinJid(readString(userTag) + '@', -1);
}

/**
 * The rest of a JID after `value` (which ends with `@`): `serverTag` was read at `pos - 1`, or is
 * -1 when the server part's tag is still to be read.
 */
function joinJid(value: string, serverTag: number): string {
  let tag = serverTag;
  for (;;) {
    if (tag < 0) {
      if (pos >= end) throw endsAt('the server part of a JID');
      tag = input[pos++] as number;
    }
    if (tag !== Tags.JID_PAIR) return value + (TOKEN_OF[tag] ?? readString(tag));
    if (pos >= end) throw endsAt('the user part of a JID');
    const userTag = input[pos++] as number;
    if (userTag === Tags.JID_PAIR) throw new DecodeError('INVALID_TAG', pos - 1, 'the user part of a JID cannot be another JID pair');
    value += (TOKEN_OF[userTag] ?? readString(userTag)) + '@';
    tag = -1;
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
  input = bytes;
  pos = 0;
  end = bytes.length;
  sliceCopies = bytes.constructor === Uint8Array;
  try {
    const node = readNode(1);
    if (pos !== end) throw new DecodeError('TRAILING_BYTES', pos, `${end - pos} bytes follow the root node`);
    return node;
  } finally {
    // Do not keep the caller's buffer alive.
    input = EMPTY;
    copy = EMPTY;
  }
}
