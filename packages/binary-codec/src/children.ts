/**
 * Reading the content of a node by kind: child nodes or bytes.
 * @module
 */

import type { Node } from './node.js';

/**
 * The child nodes, or an empty array when the content is not a node list.
 * @example
 * ```ts
 * getChildren(['response', { type: 'chat' }, [['chat', { jid: '1@c.us' }, null]]]).length; // 1
 * getChildren(['message', null, new Uint8Array(2)]); // []
 * ```
 */
export function getChildren(node: Node): Node[] {
  const content = node[2];
  return Array.isArray(content) ? content : [];
}

/**
 * The first child whose description is `description`, or `undefined`.
 * @example
 * ```ts
 * const node: Node = ['action', null, [['presence', { type: 'available' }, null]]];
 * getChild(node, 'presence'); // ['presence', { type: 'available' }, null]
 * getChild(node, 'read'); // undefined
 * ```
 */
export function getChild(node: Node, description: string): Node | undefined {
  const content = node[2];
  if (!Array.isArray(content)) return undefined;
  return content.find((child) => child[0] === description);
}

/**
 * The binary content (BINARY_8/20/32), or `undefined` when the content is a string, a node list
 * or absent. Strings are not converted: a string arrived in a compact form, not as bytes.
 * @example
 * ```ts
 * getBytes(['message', null, new Uint8Array([0x0a])]); // Uint8Array [0x0a]
 * getBytes(['message', null, '123']); // undefined
 * ```
 */
export function getBytes(node: Node): Uint8Array | undefined {
  const content = node[2];
  return content instanceof Uint8Array ? content : undefined;
}
