/**
 * Size limits of the format, and the nesting limit that keeps hostile input from exhausting
 * the call stack.
 * @module
 */

/**
 * How deep nodes may nest, counting the root as depth 1. Real frames nest four levels at most;
 * the limit turns hostile nesting into a `DecodeError` (or `EncodeError`) long before the call
 * stack could run out, in every engine.
 * @example
 * ```ts
 * import { MAX_DEPTH } from '@wa/binary-codec';
 * MAX_DEPTH; // 256
 * ```
 */
export const MAX_DEPTH = 256;

/** Most items a LIST_16 can count: child nodes of one node, or a node header's size. */
export const MAX_LIST_SIZE = 0xffff;

/** Longest string NIBBLE_8/HEX_8 can hold: 127 bytes of two characters each. */
export const MAX_PACKED_LENGTH = 254;

/** Longest raw value BINARY_8 can describe. */
export const MAX_BINARY_8 = 0xff;

/** Longest raw value BINARY_20 can describe. */
export const MAX_BINARY_20 = 0xfffff;

/** Longest raw value BINARY_32 can describe. */
export const MAX_BINARY_32 = 0xffffffff;
