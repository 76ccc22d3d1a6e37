/** Counters readable from the sandbox handle (`sandbox.stats`). */
export interface SandboxStats {
  /** Messages received from web clients (every kind, keep-alives included). */
  framesIn: number;
  /** Messages sent to web clients. */
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Client binary frames whose HMAC did not verify (rejected, the session stays up). */
  badHmac: number;
  /** Frames refused for any other reason (unparsable, undecodable, out of order). */
  rejectedFrames: number;
  /** Sockets accepted since start, and those open now. */
  connectionsOpened: number;
  connectionsOpen: number;
  /** Successful QR logins and restores. */
  qrLogins: number;
  restores: number;
  /** Tasks dropped (oldest first) because more than `maxQueuedWhileUnreachable` waited for a phone. */
  droppedWhileUnreachable: number;
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
  };
}
