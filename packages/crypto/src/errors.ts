/**
 * Typed errors of `@wa/crypto`. Every error carries a stable `code` so callers can branch without
 * parsing messages. Messages name the parameter and its length, never any key, secret or
 * plaintext byte: errors end up in logs, and a log must not leak a session.
 * @module
 */

/** Stable machine-readable error codes, one per error class. */
export type CryptoErrorCode =
  | 'INVALID_INPUT'
  | 'KEY_AGREEMENT'
  | 'SECRET_MISMATCH'
  | 'FRAME_AUTH'
  | 'BAD_PADDING'
  | 'MEDIA_INTEGRITY';

/**
 * Base class of every error thrown by `@wa/crypto`.
 * @example
 * ```ts
 * try {
 *   openFrame(keys, sealed);
 * } catch (error) {
 *   if (error instanceof CryptoError) console.warn(`dropped frame: ${error.code}`);
 * }
 * ```
 */
export class CryptoError extends Error {
  /** Stable code identifying the kind of failure. */
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * An argument has the wrong type, length or format (code `INVALID_INPUT`).
 * @example
 * ```ts
 * fromBase64('not base64!'); // throws InvalidInputError
 * ```
 */
export class InvalidInputError extends CryptoError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}

/**
 * X25519 refused the peer's public key: it is of low order, so the shared secret would be
 * all-zero and known to anyone (code `KEY_AGREEMENT`).
 * @example
 * ```ts
 * sharedSecret(generateKeyPair().privateKey, new Uint8Array(32)); // throws KeyAgreementError
 * ```
 */
export class KeyAgreementError extends CryptoError {
  constructor(message: string) {
    super('KEY_AGREEMENT', message);
  }
}

/**
 * `Conn.secret` failed its HMAC check: it was tampered with, corrupted, or built for another
 * client key (code `SECRET_MISMATCH`). The login must be aborted.
 * @example
 * ```ts
 * deriveSessionKeys({ secret, privateKey: otherPrivateKey }); // throws SecretMismatchError
 * ```
 */
export class SecretMismatchError extends CryptoError {
  constructor(message: string) {
    super('SECRET_MISMATCH', message);
  }
}

/**
 * A sealed binary frame failed its HMAC check (code `FRAME_AUTH`). Nothing was decrypted.
 * @example
 * ```ts
 * openFrame(keys, tamperedFrame); // throws FrameAuthError
 * ```
 */
export class FrameAuthError extends CryptoError {
  constructor(message: string) {
    super('FRAME_AUTH', message);
  }
}

/**
 * AES-CBC plaintext did not end in valid PKCS#7 padding (code `BAD_PADDING`). Behind an HMAC
 * this means the sender itself encrypted garbage, so it is reported, not retried.
 * @example
 * ```ts
 * aesCbcDecrypt(key, iv, ciphertextWithBrokenPadding); // throws PaddingError
 * ```
 */
export class PaddingError extends CryptoError {
  constructor(message: string) {
    super('BAD_PADDING', message);
  }
}

/** Which check of an encrypted media blob failed. */
export type MediaIntegrityCheck = 'mac' | 'fileEncSha256' | 'fileSha256' | 'fileLength';

/**
 * An encrypted media blob failed one of its checks: the 10-byte MAC, or the expected
 * `fileEncSha256`, `fileSha256` or `fileLength` (code `MEDIA_INTEGRITY`).
 * @example
 * ```ts
 * try {
 *   decryptMedia(blob, mediaKey, 'image', { fileSha256 });
 * } catch (error) {
 *   if (error instanceof MediaIntegrityError) console.warn(`bad media: ${error.check}`);
 * }
 * ```
 */
export class MediaIntegrityError extends CryptoError {
  /** The check that failed. */
  readonly check: MediaIntegrityCheck;

  constructor(check: MediaIntegrityCheck, message: string) {
    super('MEDIA_INTEGRITY', message);
    this.check = check;
  }
}
