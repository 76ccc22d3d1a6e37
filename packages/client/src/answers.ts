/**
 * Which frames can answer which request. Replies are matched by tag alone, and a server chooses
 * the tags of its own pushes: a push may carry the very tag a request waits on (the sandbox once
 * numbered its pushes like client requests). Every request therefore tells `@wa/transport` which
 * frames can be its answer (the `accept` predicate of `Connection.request`); a frame it refuses
 * is handled as the push it is, and the request keeps waiting for its real answer.
 *
 * | request | its answer | never its answer |
 * |---|---|---|
 * | JSON command or query (`admin …`, `query …`, `action presence subscribe`) | a JSON frame that is not a push: `{"status":…}` and other objects, `true`/`false`, even a malformed value (it fails the request at once) | JSON pushes, sealed frames |
 * | sealed action answered by a status (`action relay` = message send, `action set`) | the same JSON answers | JSON pushes, sealed frames |
 * | sealed query (`query chat`, `query contacts`, `query message`) | the same JSON answers (e.g. `{"status":404}`), or a sealed node of the queried description (`response` of the same `type`; `action add:"before"` of the queried chat), or a sealed frame that cannot be opened (it fails the request, as a broken answer would) | JSON pushes, other sealed nodes (`action add:relay\|last\|update\|before` of another chat, `action` without attributes, `response` of another type …) |
 *
 * A JSON push is an array whose first element names the push ({@link JSON_PUSH_KINDS}); no answer
 * to anything the client asks has that shape. `Conn` is among them: the client never waits on a
 * tag for it (it handles the `Conn` wherever it arrives, `s1`/`s2` included).
 * @module
 */
import type { Node } from '@wa/binary-codec';
import type { FramePredicate, ParsedFrame } from '@wa/transport';

/**
 * The first elements of the JSON arrays a server pushes: login frames (`Conn`, `Stream`,
 * `Props`), commands (`Cmd` challenge and disconnect), acks (`Msg`, `MsgInfo`), `Presence`, the
 * phone's reachability (`Pong`), and the chat, status, block-list and battery updates of the web
 * protocol (`Chat`, `Status`, `Blocklist`, `Battery`).
 */
export const JSON_PUSH_KINDS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'Conn',
  'Stream',
  'Props',
  'Cmd',
  'Msg',
  'MsgInfo',
  'Presence',
  'Pong',
  'Chat',
  'Status',
  'Blocklist',
  'Battery',
]);

/**
 * Whether a JSON payload is a server push (`["Presence",{…}]`, `["Msg",{"cmd":"ack",…}]` …)
 * and so can never answer a request.
 * @example
 * ```ts
 * isJsonPush(['Pong', true]); // true
 * isJsonPush({ status: 200 }); // false
 * isJsonPush(true);            // false: the answer to admin test
 * ```
 */
export function isJsonPush(json: unknown): boolean {
  return Array.isArray(json) && typeof json[0] === 'string' && JSON_PUSH_KINDS.has(json[0]);
}

/**
 * The answer of JSON requests and of sealed actions: any JSON frame that is not a push.
 * @example
 * ```ts
 * await context.connection.request(frame, { accept: isJsonAnswer });
 * ```
 */
export const isJsonAnswer: FramePredicate = (frame: ParsedFrame): boolean => frame.kind === 'json' && !isJsonPush(frame.json);

/**
 * Whether `node` is the `["response",{"type":type},…]` a `["query",{"type":type},null]` is answered with.
 * @example
 * ```ts
 * isResponseOf('chat')(['response', { type: 'chat' }, []]); // true
 * ```
 */
export function isResponseOf(type: string): (node: Node) => boolean {
  return (node) => node[0] === 'response' && node[1]?.type === type;
}
