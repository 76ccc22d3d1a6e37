/**
 * The contract between the shared protocol code and a cryptographic backend. Internal: not
 * exported from the package.
 *
 * Two backends implement it: `node.ts` (`node:crypto`, OpenSSL) and `noble.ts` (`@noble/*`
 * synchronously, WebCrypto for the async media calls). Which one a program gets is decided by
 * the `#backend` entry of the package's `imports` map (`node` condition → Node build, `browser`
 * and `default` → noble), so a browser bundle never contains `node:crypto`.
 *
 * Backends only compute. They receive arguments the shared code has already checked (types,
 * lengths, block alignment), never compare MACs and never throw this package's typed errors: every
 * decision that can fail (MAC comparison, padding, lengths) is made by the shared code, which is
 * what makes both backends report the same error for the same bad input.
 * @module
 */

/** Name of a backend, as exported by `cryptoBackend`. */
export type BackendName = 'node:crypto' | 'noble';

/** What `encryptMedia` needs from a backend: the whole blob and both hashes in one go. */
export interface MediaEncryption {
  /** `AES-256-CBC(cipherKey, iv, PKCS#7(file)) ‖ HMAC-SHA256(macKey, iv ‖ ciphertext)[0:10]`. */
  blob: Uint8Array;
  /** SHA-256 of the file. */
  fileSha256: Uint8Array;
  /** SHA-256 of the blob. */
  fileEncSha256: Uint8Array;
}

export interface Backend {
  readonly name: BackendName;
  /** SHA-256 digest. */
  sha256(data: Uint8Array): Uint8Array;
  /** HMAC-SHA256 of `data`. */
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HMAC-SHA256 of the concatenation of `parts`, without concatenating them. */
  hmacSha256Parts(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;
  /** HKDF-SHA256 (RFC 5869); `salt` undefined means no salt (HashLen zero bytes). */
  hkdf(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array;
  /** X25519 public key of a 32-byte private key. */
  x25519PublicKey(privateKey: Uint8Array): Uint8Array;
  /** X25519 shared secret; throws (any error) when the peer key is of low order. */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** AES-256-CBC with PKCS#7 padding added: `16 · (⌊n / 16⌋ + 1)` bytes out. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** AES-256-CBC decryption of whole blocks, padding left in place (the caller checks it). */
  aesCbcDecryptBlocks(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  /** A sealed frame: `HMAC-SHA256(macKey, iv ‖ ct) ‖ iv ‖ ct`, `ct = AES-256-CBC(encKey, iv, PKCS#7(plaintext))`. */
  sealFrame(encKey: Uint8Array, macKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Media blob and hashes, see {@link MediaEncryption}. */
  encryptMedia(cipherKey: Uint8Array, iv: Uint8Array, macKey: Uint8Array, file: Uint8Array): MediaEncryption;
  /** The async media calls: WebCrypto in browsers, the synchronous code in Node. */
  readonly async: AsyncBackend;
}

export interface AsyncBackend {
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** The full 32-byte `HMAC-SHA256(macKey, iv ‖ ciphertext)` (the caller truncates and compares). */
  mediaMac(macKey: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
  encryptMedia(cipherKey: Uint8Array, iv: Uint8Array, macKey: Uint8Array, file: Uint8Array): Promise<MediaEncryption>;
  /** AES-256-CBC decryption with the padding removed, or `null` when the padding is malformed. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | null>;
}
