/**
 * `@wa/crypto`: all cryptography of the legacy WhatsApp Web protocol, synchronous and with the
 * same API and results in Node (`node:crypto`) and browsers (`@noble/*`, WebCrypto for the async
 * media calls): X25519 key agreement, the `Conn.secret` session-key derivation (client) and
 * construction (server), sealed binary frames, the restore challenge, and media encryption, plus
 * the primitives and byte helpers they are built from.
 * @module
 */
export { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc.js';
export { signChallenge } from './challenge.js';
export { constantTimeEqual } from './constant-time.js';
export { fromBase64, fromHex, toBase64, toHex, utf8Decode, utf8Encode } from './encoding.js';
export {
  CryptoError,
  FrameAuthError,
  InvalidInputError,
  KeyAgreementError,
  MediaIntegrityError,
  PaddingError,
  SecretMismatchError,
  type CryptoErrorCode,
  type MediaIntegrityCheck,
} from './errors.js';
export { openFrame, sealFrame, type SealFrameOptions } from './frame.js';
export { hkdf, hmacSha256, sha256, type HkdfOptions } from './hash.js';
export { generateKeyPair, keyPairFromPrivateKey, sharedSecret, type KeyPair } from './keys.js';
export {
  decryptMedia,
  decryptMediaAsync,
  encryptMedia,
  encryptMediaAsync,
  expandMediaKey,
  type EncryptedMedia,
  type EncryptMediaOptions,
  type ExpectedMedia,
  type MediaKeys,
  type MediaType,
} from './media.js';
export { randomBytes, type RandomSource } from './random.js';
export { cryptoBackend, type CryptoBackend } from './runtime.js';
export {
  buildSecret,
  deriveSessionKeys,
  type BuildSecretOptions,
  type BuiltSecret,
  type DeriveSessionKeysInput,
  type SessionKeys,
} from './session.js';
