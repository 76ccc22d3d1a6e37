/**
 * The shape of a binary node, exactly as the seed's decoder returns it: a three-element array of
 * description, attributes and content.
 * @module
 */

/**
 * Attribute names to values, in the order they were read (or are to be written).
 * @example
 * ```ts
 * const attrs: Attributes = { type: 'chat', epoch: '1' };
 * ```
 */
export type Attributes = Record<string, string>;

/**
 * What a node carries: child nodes, raw bytes (`BINARY_8/20/32`), or a string written in a
 * compact form (token, JID pair, packed digits or hex).
 * @example
 * ```ts
 * const children: NodeContent = [['presence', { type: 'available' }, null]];
 * const bytes: NodeContent = new Uint8Array([0x0a, 0x35]);
 * ```
 */
export type NodeContent = Node[] | Uint8Array | string;

/**
 * A binary node: `[description, attributes, content]`. `decode` returns `null` attributes for a
 * node without any and `null` content for a node without content; `encode` accepts `null` or
 * `{}` for no attributes.
 * @example
 * ```ts
 * const query: Node = ['query', { type: 'chat', epoch: '1' }, null];
 * const batch: Node = ['action', { add: 'last' }, [['message', null, new Uint8Array([0x0a])]]];
 * ```
 */
export type Node = [description: string, attributes: Attributes | null, content: NodeContent | null];
