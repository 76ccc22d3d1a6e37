/**
 * The WebSocket seen through the small surface both `ws` (Node) and the browser's global
 * WebSocket share. isomorphic-ws picks the implementation: its `browser` entry re-exports the
 * global, so a browser bundle never contains `ws`.
 * @module
 */
import IsomorphicWebSocket from 'isomorphic-ws';

/** Options a Node WebSocket (`ws`) takes as its third argument; browsers ignore that argument. */
export interface WebSocketClientOptions {
  /** Sent as the `Origin` request header. */
  origin?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/**
 * The part of a WebSocket {@link Connection} uses. Both `ws`'s `WebSocket` and the browser's
 * global `WebSocket` fit it. Handler parameters are `never` so that any handler type fits:
 * the connection reads only `data`, `code`, `reason`, `wasClean`, `error` and `message`.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the TCP connection without a closing handshake. */
  terminate?(): void;
}

/**
 * A WebSocket class: `ws`'s `WebSocket`, the browser's `WebSocket`, or a test double.
 * @example
 * ```ts
 * import { WebSocket } from 'ws';
 * const ctor: WebSocketConstructor = WebSocket;
 * new Connection({ url, WebSocket: ctor });
 * ```
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: WebSocketClientOptions,
) => WebSocketLike;

/** `ws` in Node, the global WebSocket in browsers; `null` where neither exists. */
export const defaultWebSocket: WebSocketConstructor | null = IsomorphicWebSocket ?? null;

/** `readyState` of an open socket; the same number in every implementation (WHATWG WebSockets). */
export const OPEN = 1;
