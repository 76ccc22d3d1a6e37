/**
 * Requests to the server: JSON commands, and sealed binary nodes with their metric and flag
 * bytes. Transport failures become the client's typed errors here.
 * @module
 */
import { encode, type Node } from '@wa/binary-codec';
import { sealFrame } from '@wa/crypto';
import { ConnectionClosedError, FrameError as TransportFrameError, NotConnectedError, serializeBinary, serializeJson, type ParsedFrame } from '@wa/transport';
import type { ClientContext } from './context.js';
import { ClientClosedError, DisconnectedError, FrameError, NotLoggedInError, RequestError } from './errors.js';
import { statusOf } from './replies.js';
import { openNode } from './sealed-node.js';

/** The answer to a sealed request: a JSON status, or a sealed node. */
export type NodeReply = { kind: 'json'; json: unknown } | { kind: 'node'; tag: string; node: Node };

/**
 * Sends a JSON command under a fresh tag and resolves with the JSON answer.
 * @throws RequestError for an answer that is not JSON; see {@link request}.
 * @example
 * ```ts
 * const reply = await requestJson(context, ['query', 'exist', '15550100002@c.us']);
 * ```
 */
export async function requestJson(context: ClientContext, value: unknown): Promise<unknown> {
  const reply = await request(context, serializeJson(context.connection.nextTag(), value));
  if (reply.kind !== 'json') throw new RequestError(`expected a JSON answer, got a ${reply.kind} frame`);
  return reply.json;
}

/**
 * Seals `node` and sends it under `tag`; the answer is JSON (a status) or a sealed node.
 * @throws NotLoggedInError without session keys, FrameError for an answer that cannot be read;
 * see {@link request}.
 * @example
 * ```ts
 * const reply = await sendNode(context, tag, ['query', attrs, null], Metric.queryMessages, Flag.ignore);
 * ```
 */
export async function sendNode(context: ClientContext, tag: string, node: Node, metric: number, flag: number): Promise<NodeReply> {
  const keys = context.keys;
  if (!keys) throw new NotLoggedInError();
  const reply = await request(context, serializeBinary(tag, sealFrame(keys, encode(node)), { metric, flag }));
  if (reply.kind === 'json') return { kind: 'json', json: reply.json };
  if (reply.kind !== 'binary') throw new RequestError(`unexpected ${reply.kind} frame under ${tag}`);
  const answer = openNode(context, reply.tag, reply.payload);
  if (!answer) throw new FrameError('UNDECODABLE', `the answer under ${tag} could not be read`, tag);
  return { kind: 'node', tag: reply.tag, node: answer };
}

/**
 * The status of a sealed request's answer; `undefined` when the answer is a node.
 * @example
 * ```ts
 * if (statusOfReply(reply) !== 200) throw new RequestError('refused', statusOfReply(reply));
 * ```
 */
export function statusOfReply(reply: NodeReply): number | undefined {
  return reply.kind === 'json' ? statusOf(reply.json) : undefined;
}

/**
 * @throws RequestError unless `status` is 200.
 * @example
 * ```ts
 * expectOk(statusOf(await requestJson(context, command)), 'subscribePresence');
 * ```
 */
export function expectOk(status: number | undefined, what: string): void {
  if (status !== 200) throw new RequestError(`${what} was answered with status ${status}`, status);
}

/**
 * Sends a frame and waits for the answer under its tag, within the client's `requestTimeoutMs`.
 * @throws ClientClosedError after `close()`, DisconnectedError when the socket drops,
 * NotLoggedInError when not connected, RequestError for a malformed answer, and the transport's
 * RequestTimeoutError.
 * @example
 * ```ts
 * const reply = await request(context, serializeJson(context.connection.nextTag(), ['admin', 'test']));
 * ```
 */
export async function request(context: ClientContext, frame: string | Uint8Array): Promise<ParsedFrame> {
  try {
    return await context.connection.request(frame, { timeoutMs: context.requestTimeoutMs });
  } catch (error) {
    if (error instanceof ConnectionClosedError) {
      if (context.closedByUser) throw new ClientClosedError();
      throw new DisconnectedError(error.closeCode, `the connection closed while waiting (code ${error.closeCode})`, { cause: error });
    }
    if (error instanceof NotConnectedError) throw context.closedByUser ? new ClientClosedError() : new NotLoggedInError('not connected');
    // The answer under our tag did not parse (the frame-error event reported it too).
    if (error instanceof TransportFrameError) throw new RequestError(`the answer was malformed: ${error.message}`, undefined, { cause: error });
    throw error;
  }
}
