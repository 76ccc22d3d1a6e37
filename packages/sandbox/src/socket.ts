/**
 * The only thing the protocol core needs from a transport: a way to send a text or binary
 * message and to close. Adapters (the Node `ws` server, the in-memory link) feed incoming
 * messages to the returned {@link SocketHandler}.
 */

/** One accepted web-client socket, seen from the server. */
export interface SandboxSocket {
  /** Sends a text (string) or binary (bytes) message. */
  send(data: string | Uint8Array): void;
  /** Closes the socket. `code` 1000 is a normal goodbye; the core uses 4000+ for its own reasons. */
  close(code?: number, reason?: string): void;
  /** Closes without a closing handshake (a network drop). Falls back to `close` when absent. */
  terminate?(): void;
  /**
   * Bytes sent but not yet written to the network (the WebSocket's `bufferedAmount`). When the
   * adapter reports it, a socket that stops reading is closed once it passes `maxBufferedBytes`.
   */
  readonly bufferedAmount?: number;
}

/** What an adapter calls on the core for one socket. */
export interface SocketHandler {
  /** The connection id used in logs (`c1`, `c2`, …). */
  readonly id: string;
  /** A message arrived: a string for text frames, bytes for binary frames. */
  receive(data: string | Uint8Array): void;
  /** The socket is gone (either side closed it). */
  closed(): void;
  /**
   * The adapter refuses the socket for a limit the core cannot see (a frame over `maxPayload`,
   * a frame left unfinished): counted, logged, and the socket dropped.
   */
  abort(limit: SocketLimit): void;
}

/** The limits that close a socket, each counted in `stats`. */
export type SocketLimit = 'oversized-frame' | 'frame-timeout' | 'backpressure' | 'idle';

/** Close codes the sandbox uses. */
export const CloseCode = /* @__PURE__ */ Object.freeze({
  normal: 1000,
  /** The session was taken over by another web client (`Cmd disconnect replaced`). */
  replaced: 4001,
  /** The client logged out (`admin Conn disconnect`). */
  loggedOut: 4002,
  /** The challenge answer was wrong. */
  challengeFailed: 4003,
  /** The sandbox is shutting down. */
  shutdown: 4004,
  /** The phone unpaired this web session. */
  unpaired: 4005,
  /** The connection stayed silent for too long (or never logged in within the handshake timeout). */
  idle: 4006,
  /** The client stopped reading: its unsent data passed `maxBufferedBytes`. */
  backpressure: 4007,
  /** A frame the client started was not finished within the frame timeout. */
  frameTimeout: 4008,
  /** A frame larger than the limit (the standard "message too big"). */
  tooBig: 1009,
});
