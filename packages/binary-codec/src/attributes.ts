/**
 * Reading attributes of a node. Lookups use own properties only, so a name such as `toString`
 * or `__proto__` never reaches `Object.prototype`.
 * @module
 */

import { MissingAttributeError } from './errors.js';
import type { Node } from './node.js';

/**
 * The value of attribute `name`, or `undefined` when the node does not have it.
 * @example
 * ```ts
 * getAttribute(['chat', { jid: '123@c.us' }, null], 'jid'); // '123@c.us'
 * getAttribute(['chat', null, null], 'jid'); // undefined
 * ```
 */
export function getAttribute(node: Node, name: string): string | undefined {
  const attributes = node[1];
  if (attributes === null || !Object.prototype.hasOwnProperty.call(attributes, name)) return undefined;
  return attributes[name];
}

/**
 * The value of attribute `name`.
 * @throws {MissingAttributeError} when the node does not have it.
 * @example
 * ```ts
 * requireAttribute(['chat', { jid: '123@c.us' }, null], 'jid'); // '123@c.us'
 * requireAttribute(['chat', null, null], 'jid'); // throws MissingAttributeError
 * ```
 */
export function requireAttribute(node: Node, name: string): string {
  const value = getAttribute(node, name);
  if (value === undefined) throw new MissingAttributeError(node[0], name);
  return value;
}
