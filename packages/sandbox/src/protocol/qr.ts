import { fromBase64 } from '@wa/crypto';
import { SandboxError } from '../errors.js';

/** The three parts of a login QR code. */
export interface QrContent {
  /** The server ref from `admin init` / `admin Conn reref`. */
  ref: string;
  /** The client's X25519 public key (32 bytes). */
  publicKey: Uint8Array;
  /** The clientId from `admin init`. */
  clientId: string;
}

/**
 * Splits a QR text `ref,base64(publicKey),clientId` and checks each part.
 * @throws SandboxError `QR_MALFORMED` (not three non-empty parts), `BAD_PUBLIC_KEY` (not 32 bytes of Base64)
 * @example
 * ```ts
 * const { ref, publicKey, clientId } = parseQr(qrText);
 * ```
 */
export function parseQr(text: string): QrContent {
  if (typeof text !== 'string') throw new SandboxError('QR_MALFORMED', 'the QR content must be a string');
  const parts = text.trim().split(',');
  if (parts.length !== 3 || parts.some((part) => part === '')) {
    throw new SandboxError('QR_MALFORMED', 'a login QR reads ref,base64(publicKey),clientId');
  }
  const [ref, key, clientId] = parts as [string, string, string];
  let publicKey: Uint8Array;
  try {
    publicKey = fromBase64(key);
  } catch (cause) {
    throw new SandboxError('BAD_PUBLIC_KEY', 'the QR public key is not valid Base64', { cause });
  }
  if (publicKey.length !== 32) {
    throw new SandboxError('BAD_PUBLIC_KEY', `the QR public key must be 32 bytes, got ${publicKey.length}`);
  }
  return { ref, publicKey, clientId };
}
