/** Counters readable from the sandbox handle (`sandbox.stats`). */
export interface SandboxStats {
  /** Messages received from web clients (every kind, keep-alives included). */
  framesIn: number;
  /** Messages sent to web clients. */
  framesOut: number;
  /** Size on the wire of those messages: bytes of binary frames, UTF-8 bytes of text frames. */
  bytesIn: number;
  bytesOut: number;
  /** Client binary frames whose HMAC did not verify (rejected, the session stays up). */
  badHmac: number;
  /** Frames refused for any other reason (unparsable, undecodable, out of order). */
  rejectedFrames: number;
  /** Sockets accepted since start, and those open now (read from the live connections). */
  connectionsOpened: number;
  connectionsOpen: number;
  /** Successful QR logins and restores. */
  qrLogins: number;
  restores: number;
  /** Tasks dropped (oldest first) because more than `maxQueuedWhileUnreachable` waited for a phone. */
  droppedWhileUnreachable: number;
  /** Sockets closed for a frame over `maxFrameBytes` (or `maxFrameBytesBeforeLogin`). */
  oversizedFrames: number;
  /** Sockets closed because a frame they started was not finished within `frameTimeoutMs`. */
  frameTimeouts: number;
  /** Sockets closed for silence: `handshakeTimeoutMs` before login, `idleTimeoutMs` after. */
  idleTimeouts: number;
  /** Sockets closed because they stopped reading (unsent data over `maxBufferedBytes`). */
  backpressureCloses: number;
  /** Frames dropped because a connection already had the maximum waiting for delivery. */
  outboxOverflows: number;
}

/**
 * All counters at zero.
 * @example
 * ```ts
 * const stats = emptyStats();
 * ```
 */
export function emptyStats(): SandboxStats {
  return {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    badHmac: 0,
    rejectedFrames: 0,
    connectionsOpened: 0,
    connectionsOpen: 0,
    qrLogins: 0,
    restores: 0,
    droppedWhileUnreachable: 0,
    oversizedFrames: 0,
    frameTimeouts: 0,
    idleTimeouts: 0,
    backpressureCloses: 0,
    outboxOverflows: 0,
  };
}

/**
 * The size of one WebSocket message on the wire: its bytes, or the UTF-8 length of a text
 * message (counted without encoding it: this runs for every frame).
 * @example
 * ```ts
 * messageSize('é'); // 2
 * ```
 */
export function messageSize(data: string | Uint8Array): number {
  if (typeof data !== 'string') return data.byteLength;
  let size = data.length;
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    // 2 bytes below U+0800; each half of a surrogate pair adds 1 (4 bytes for the pair); else 3.
    if (code >= 0x80) size += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return size;
}
