/**
 * The JSON form of nodes used by the conformance vectors and the capture decoder: the same
 * three-element array, with binary content written as `{"bytes": "<hex>"}` since JSON has no
 * byte strings.
 * @module
 */

import { attributeNames, createAttributes, setAttribute } from './attribute-order.js';
import { NodeJSONError } from './errors.js';
import { bytesToHex, hexToBytes } from './hex.js';
import { MAX_DEPTH } from './limits.js';
import type { Attributes, Node, NodeContent } from './node.js';

/** Binary content in JSON: lower-case hex (either case is accepted when reading). */
export interface BytesJSON {
  bytes: string;
}

/**
 * A node in JSON form: `[description, attributes | null, content]` with content `null`, a
 * string, an array of nodes or {@link BytesJSON}.
 * @example
 * ```ts
 * const json: NodeJSON = ['message', null, { bytes: '0a35' }];
 * ```
 */
export type NodeJSON = [description: string, attributes: Attributes | null, content: NodeJSON[] | BytesJSON | string | null];

/**
 * Converts a node into its JSON form (`Uint8Array` content becomes `{"bytes": "<hex>"}`), ready
 * for `JSON.stringify`.
 * @throws {NodeJSONError} when nodes nest deeper than `MAX_DEPTH` (or contain themselves).
 * @example
 * ```ts
 * JSON.stringify(nodeToJSON(['message', null, new Uint8Array([0x0a, 0x35])]));
 * // '["message",null,{"bytes":"0a35"}]'
 * ```
 */
export function nodeToJSON(node: Node): NodeJSON {
  return toJSON(node, 1, 'root');
}

function toJSON(node: Node, depth: number, path: string): NodeJSON {
  if (depth > MAX_DEPTH) throw new NodeJSONError(path, `nodes nest deeper than ${MAX_DEPTH}`);
  const [description, attributes, content] = node;
  const copy = attributes === null ? null : createAttributes(attributeNames(attributes).map((key) => [key, attributes[key] as string]));
  if (content === null || typeof content === 'string') return [description, copy, content];
  if (content instanceof Uint8Array) return [description, copy, { bytes: bytesToHex(content) }];
  return [description, copy, content.map((child, i) => toJSON(child, depth + 1, `${path}.content[${i}]`))];
}

/**
 * Reads a node from its JSON form (as parsed by `JSON.parse`), checking every part.
 * @throws {NodeJSONError} when `value` is not a node in JSON form; `path` says where.
 * @example
 * ```ts
 * const node = nodeFromJSON(JSON.parse('["message",null,{"bytes":"0a35"}]'));
 * // ['message', null, Uint8Array [0x0a, 0x35]]
 * ```
 */
export function nodeFromJSON(value: unknown): Node {
  return fromJSON(value, 1, 'root');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fromJSON(value: unknown, depth: number, path: string): Node {
  if (depth > MAX_DEPTH) throw new NodeJSONError(path, `nodes nest deeper than ${MAX_DEPTH}`);
  if (!Array.isArray(value) || value.length !== 3) {
    throw new NodeJSONError(path, 'a node must be an array [description, attributes, content]');
  }
  const [description, attributes, content] = value as [unknown, unknown, unknown];
  if (typeof description !== 'string') throw new NodeJSONError(`${path}.description`, 'the description must be a string');
  return [description, attributesFromJSON(attributes, path), contentFromJSON(content, depth, path)];
}

function attributesFromJSON(value: unknown, path: string): Attributes | null {
  if (value === null) return null;
  if (!isPlainObject(value)) throw new NodeJSONError(`${path}.attributes`, 'attributes must be null or an object');
  const attributes: Attributes = {};
  for (const key of Object.keys(value)) {
    const attribute = value[key];
    if (typeof attribute !== 'string') throw new NodeJSONError(`${path}.attributes.${key}`, 'attribute values must be strings');
    setAttribute(attributes, key, attribute);
  }
  return attributes;
}

function contentFromJSON(value: unknown, depth: number, path: string): NodeContent | null {
  if (value === null || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((child: unknown, i) => fromJSON(child, depth + 1, `${path}.content[${i}]`));
  if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value.bytes === 'string') {
    const bytes = hexToBytes(value.bytes);
    if (bytes === undefined) throw new NodeJSONError(`${path}.content.bytes`, 'bytes must be an even-length hex string');
    return bytes;
  }
  throw new NodeJSONError(`${path}.content`, 'content must be null, a string, an array of nodes or {"bytes": "<hex>"}');
}
