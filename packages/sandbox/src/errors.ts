/**
 * Every way the sandbox API can refuse a call. Protocol-level refusals (a bad frame, a wrong
 * token) never throw: they are answered on the wire with a status, as the real server did.
 */
export type SandboxErrorCode =
  /** The QR text is not `ref,base64(publicKey),clientId`. */
  | 'QR_MALFORMED'
  /** No waiting web client holds this ref (never issued, already used, or its socket closed). */
  | 'REF_UNKNOWN'
  /** The ref outlived its `ttl`, was replaced by a reref, or was expired by a fault. */
  | 'REF_EXPIRED'
  /** The QR's clientId is not the one the web client sent in `admin init`. */
  | 'CLIENT_ID_MISMATCH'
  /** The QR's public key is not 32 bytes of valid Base64, or the key agreement refused it. */
  | 'BAD_PUBLIC_KEY'
  /** No account, user, group or chat with that id exists in the world. */
  | 'NOT_FOUND'
  /** An argument is out of range or of the wrong shape. */
  | 'INVALID_ARGUMENT'
  /** A persisted state snapshot cannot be read. */
  | 'STATE_INVALID'
  /** The state file cannot be written safely (a symlink at its path, or it cannot be created). */
  | 'STATE_WRITE_FAILED'
  /** The sandbox was closed, or a memory link (or memory WebSocket) is closed or not open yet. */
  | 'CLOSED'
  /** `startSandbox` on a host other than loopback without a `controlToken` (or `controlAuth: false`). */
  | 'CONTROL_UNPROTECTED';

/**
 * The one error class of the sandbox API; `code` says what went wrong.
 * @example
 * ```ts
 * try { sandbox.phone.scan('nonsense'); } catch (e) {
 *   if (e instanceof SandboxError && e.code === 'QR_MALFORMED') console.log('not a QR');
 * }
 * ```
 */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.code = code;
  }
}
