/**
 * Requests to the server: JSON commands, and sealed binary nodes with their metric and flag
 * bytes. Transport failures become the client's typed errors here.
 * @module
 */
import { encode, type Node } from '@wa/binary-codec';
import { sealFrame } from '@wa/crypto';
import { ConnectionClosedError, FrameError as TransportFrameError, NotConnectedError, serializeBinary, serializeJson, type FramePredicate, type ParsedFrame } from '@wa/transport';
import { isJsonAnswer } from './answers.js';
import { nextEpoch, type ClientContext } from './context.js';
import { ClientClosedError, DisconnectedError, FrameError, NotLoggedInError, RequestError } from './errors.js';
import { statusOf, type JsonRecord } from './replies.js';
import { emitNode } from './raw-hooks.js';
import { openNode } from './sealed-node.js';

/** The answer to a sealed request: a JSON status, or a sealed node. */
export type NodeReply = { kind: 'json'; json: unknown } | { kind: 'node'; tag: string; node: Node };

/**
 * What a sealed request is answered with besides JSON: `'status'` for actions answered by a
 * status only (a sealed frame under their tag is a push), or a test of the node a query expects
 * (a sealed node that fails it is a push). See `answers.ts`.
 */
export type NodeAnswer = 'status' | ((node: Node) => boolean);

/**
 * Sends a JSON command under a fresh tag and resolves with the JSON answer; JSON pushes and
 * sealed frames under the same tag are handled as pushes meanwhile.
 * @throws see {@link request}.
 * @example
 * ```ts
 * const reply = await requestJson(context, ['query', 'exist', '15550100002@c.us']);
 * ```
 */
export async function requestJson(context: ClientContext, value: unknown): Promise<unknown> {
  const reply = await request(context, serializeJson(context.connection.nextTag(), value), isJsonAnswer);
  if (reply.kind !== 'json') throw new RequestError(`expected a JSON answer, got a ${reply.kind} frame`);
  return reply.json;
}

/**
 * Seals `node` and sends it under `tag`; the answer is JSON (a status) or, when `answer` is a
 * node test, a sealed node that passes it. Frames under `tag` that cannot be the answer are
 * handled as pushes and the request keeps waiting.
 * @throws NotLoggedInError without session keys, FrameError for a sealed answer that cannot be
 * read; see {@link request}.
 * @example
 * ```ts
 * const reply = await sendNode(context, tag, ['query', { type: 'chat', epoch }, null], Metric.queryChat, Flag.ignore, isResponseOf('chat'));
 * const ack = await sendNode(context, id, ['action', { type: 'relay', epoch }, children], Metric.message, Flag.ignore, 'status');
 * ```
 */
export async function sendNode(context: ClientContext, tag: string, node: Node, metric: number, flag: number, answer: NodeAnswer): Promise<NodeReply> {
  const keys = context.keys;
  if (!keys) throw new NotLoggedInError();
  // The node of the accepted sealed frame, opened once by the predicate; undefined when it could not be opened.
  let opened: Node | undefined;
  const accept: FramePredicate = (frame) => {
    if (frame.kind !== 'binary') return isJsonAnswer(frame);
    if (answer === 'status') return false;
    const candidate = openNode(context, frame.tag, frame.payload);
    // A frame that cannot be opened may be the answer, broken: it fails the request (reported once, here).
    if (candidate !== undefined && !answer(candidate)) return false;
    opened = candidate;
    return true;
  };
  const reply = await request(context, serializeBinary(tag, sealFrame(keys, encode(node)), { metric, flag }), accept);
  if (reply.kind === 'json') return { kind: 'json', json: reply.json };
  if (reply.kind !== 'binary') throw new RequestError(`unexpected ${reply.kind} frame under ${tag}`);
  if (!opened) throw new FrameError('UNDECODABLE', `the answer under ${tag} could not be read`, tag);
  emitNode(context, reply.tag, opened);
  return { kind: 'node', tag: reply.tag, node: opened };
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
 * Sends `["action",{"type":"set","epoch"},[child]]` under `tag` (a fresh one by default) and
 * resolves with the JSON answer once it is `{"status":200,…}`.
 * @throws RequestError (via {@link expectOk}) for any other answer; see {@link sendNode}.
 * @example
 * ```ts
 * await setAction(context, ['presence', { type: 'available' }, null], Metric.presence, Flag.available, 'setPresence');
 * ```
 */
export async function setAction(context: ClientContext, child: Node, metric: number, flag: number, what: string, tag = context.connection.nextTag()): Promise<JsonRecord> {
  const node: Node = ['action', { type: 'set', epoch: nextEpoch(context) }, [child]];
  const reply = await sendNode(context, tag, node, metric, flag, 'status');
  const json = reply.kind === 'json' ? reply.json : undefined;
  expectOk(statusOf(json), what);
  // A 200 status is read off a record only.
  return json as JsonRecord;
}

/**
 * Sends a frame and waits for the answer under its tag (the first frame there that `accept`
 * accepts; the others go to the `frame` event, i.e. are handled as pushes), within the client's
 * `requestTimeoutMs`.
 * @throws ClientClosedError after `close()`, DisconnectedError when the socket drops,
 * NotLoggedInError when not connected, RequestError for a malformed answer, and the transport's
 * RequestTimeoutError.
 * @example
 * ```ts
 * const reply = await request(context, serializeJson(context.connection.nextTag(), ['admin', 'test']), isJsonAnswer);
 * ```
 */
export async function request(context: ClientContext, frame: string | Uint8Array, accept: FramePredicate): Promise<ParsedFrame> {
  try {
    return await context.connection.request(frame, { timeoutMs: context.requestTimeoutMs, accept });
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
