/**
 * Raw hooks: the `node` event for every decrypted binary node (pushes and answers alike) and the
 * `unhandled` event for every frame the client does not understand, so applications can build on
 * what the library does not cover (see the client README, "Raw hooks").
 * @module
 */
import type { Node } from '@wa/binary-codec';
import type { ClientContext } from './context.js';

/** Payload of the `node` event: a decrypted binary node and the tag of its frame. */
export interface RawNodeEvent {
  tag: string;
  /** `[description, attributes, content]` as `@wa/binary-codec` decodes it. */
  node: Node;
}

/**
 * Why a frame reached the `unhandled` event:
 * - `unknown-json-push`: a JSON array whose first element the client does not know (`["Foo",…]`);
 * - `unknown-command`: a `["Cmd",{type}]` of another type than `challenge`/`disconnect`;
 * - `not-a-push`: a JSON frame nobody asked for that is not an array led by a string;
 * - `unknown-node`: a binary node the client does not apply (neither a `response` nor an `action` it knows);
 * - `unknown-action-child`: one child of a pushed `action` node that no protocol area handles.
 */
export type UnhandledReason = 'unknown-json-push' | 'unknown-command' | 'not-a-push' | 'unknown-node' | 'unknown-action-child';

/** Payload of the `unhandled` event: a frame (or one child of a pushed node) the client left alone. */
export type UnhandledFrame =
  | { tag: string; kind: 'json'; json: unknown; reason: UnhandledReason }
  | {
      tag: string;
      kind: 'binary';
      /** The node that was not understood: the whole node, or for `unknown-action-child` the child. */
      node: Node;
      /** For `unknown-action-child`: the attributes of the `action` node around the child. */
      actionAttrs?: Record<string, string>;
      reason: UnhandledReason;
    };

/**
 * Emits `node` for a decrypted node.
 * @example
 * ```ts
 * emitNode(context, frame.tag, node);
 * ```
 */
export function emitNode(context: ClientContext, tag: string, node: Node): void {
  context.emit('node', { tag, node });
}

/**
 * Emits `unhandled` for a JSON frame the client does not understand.
 * @example
 * ```ts
 * emitUnhandledJson(context, tag, ['Foo', {}], 'unknown-json-push');
 * ```
 */
export function emitUnhandledJson(context: ClientContext, tag: string, json: unknown, reason: UnhandledReason): void {
  context.emit('unhandled', { tag, kind: 'json', json, reason });
}

/**
 * Emits `unhandled` for a binary node (or one child of a pushed `action`) the client does not understand.
 * @example
 * ```ts
 * emitUnhandledNode(context, tag, child, 'unknown-action-child', attrs);
 * ```
 */
export function emitUnhandledNode(context: ClientContext, tag: string, node: Node, reason: UnhandledReason, actionAttrs?: Record<string, string>): void {
  context.emit('unhandled', actionAttrs === undefined ? { tag, kind: 'binary', node, reason } : { tag, kind: 'binary', node, actionAttrs, reason });
}
