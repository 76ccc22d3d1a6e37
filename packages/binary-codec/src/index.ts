/**
 * `@wa/binary-codec`: decode and encode the binary nodes of the legacy WhatsApp Web protocol.
 * Zero dependencies, no Node `Buffer` needed; runs in Node and browsers.
 *
 * @example
 * ```ts
 * import { decode, encode, nodeToString } from '@wa/binary-codec';
 * const node = decode(frame); // ['action', { add: 'last' }, [['message', null, Uint8Array]]]
 * console.log(nodeToString(node));
 * encode(node); // the same bytes again
 * ```
 * @module
 */

export type { Attributes, Node, NodeContent } from './node.js';
export { decode } from './decoder.js';
export { encode } from './encoder.js';
export { DecodeError, EncodeError, MissingAttributeError, NodeJSONError } from './errors.js';
export type { DecodeErrorCode, EncodeErrorCode } from './errors.js';
export { Tags, isListTag } from './tags.js';
export type { Tag, TagName } from './tags.js';
export { TOKENS, tokenAt, tokenIndex } from './tokens.js';
export { MAX_DEPTH } from './limits.js';
export { getAttribute, requireAttribute } from './attributes.js';
export { attributeNames, createAttributes } from './attribute-order.js';
export { getBytes, getChild, getChildren } from './children.js';
export { nodeToString } from './format.js';
export type { NodeToStringOptions } from './format.js';
export { nodeFromJSON, nodeToJSON } from './json.js';
export type { BytesJSON, NodeJSON } from './json.js';
export { bytesToHex, hexToBytes } from './hex.js';
