/// <reference types="node" />
/**
 * The Node backend, chosen through the `node` condition of the package's `#backend` import:
 * `node:crypto` (OpenSSL, native) for SHA-256, HMAC-SHA256, HKDF, AES-256-CBC and X25519, the
 * latter because OpenSSL's X25519 measured about 7× faster than `@noble/curves` even with the key
 * objects built per call. Internal: see types.ts for the contract.
 *
 * Results are handed out as plain `Uint8Array` views over the memory OpenSSL wrote (not copied,
 * and not as `Buffer`, whose `slice` shares memory where `Uint8Array#slice` copies). Outputs of
 * `digest`, `update`, `final` and `diffieHellman` each own their memory, never Node's shared pool.
 * @module
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import { paddedLength, unpaddedLength } from '../pkcs7.js';
import type { AsyncBackend, Backend, MediaEncryption } from './types.js';

const MEDIA_MAC_LENGTH = 10;
/**
 * Large media is encrypted in pieces of this size, each hashed, encrypted, MACed and hashed
 * again while it is still in the CPU cache, instead of four passes over the whole file.
 */
const MEDIA_CHUNK = 64 * 1024;

/** A plain Uint8Array over the same memory as `buffer`. */
function plain(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function sha256(data: Uint8Array): Uint8Array {
  return plain(createHash('sha256').update(data).digest());
}

function hmacSha256Parts(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return plain(mac.digest());
}

const NO_SALT = /* @__PURE__ */ new Uint8Array(32);

/**
 * HKDF-SHA256 (RFC 5869) from native HMAC calls. Not `hkdfSync`: it refuses an `info` longer
 * than 1024 bytes, which RFC 5869 (and the noble backend) allow.
 */
function hkdf(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  const prk = createHmac('sha256', salt ?? NO_SALT).update(ikm).digest();
  const out = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  const counter = new Uint8Array(1);
  for (let offset = 0, i = 1; offset < length; offset += 32, i++) {
    counter[0] = i;
    block = createHmac('sha256', prk).update(block).update(info).update(counter).digest();
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
  }
  prk.fill(0);
  return out;
}

/**
 * Ciphertexts up to this size (every sealed frame of a chat session) are decrypted with an ECB
 * decipher kept per key, the CBC chaining done here: a decipher object per frame cost more than
 * the AES itself. Larger ones (media) go through OpenSSL's CBC, whose chaining is faster.
 */
const SMALL_CIPHERTEXT = 4096;

/** The ECB decipher of a key, and the key bytes it was made from (a key changed in place gets a new one). */
const ecbDeciphers = new WeakMap<Uint8Array, { bytes: Uint8Array; decipher: ReturnType<typeof createDecipheriv> }>();

function ecbDecipherOf(key: Uint8Array): ReturnType<typeof createDecipheriv> {
  const kept = ecbDeciphers.get(key);
  if (kept !== undefined && sameBytes(kept.bytes, key)) return kept.decipher;
  const decipher = createDecipheriv('aes-256-ecb', key, null);
  decipher.setAutoPadding(false);
  ecbDeciphers.set(key, { bytes: key.slice(), decipher });
  return decipher;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** AES-256-CBC of whole blocks without padding: one output buffer, no final block held back. */
function decryptBlocks(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length <= SMALL_CIPHERTEXT && ciphertext.length % 16 === 0 && key.length === 32 && iv.length === 16) {
    // CBC from ECB: each decrypted block XOR the ciphertext block before it (the IV for the first).
    const out = ecbDecipherOf(key).update(ciphertext);
    for (let i = 0; i < 16 && i < out.length; i++) out[i]! ^= iv[i]!;
    for (let i = 16; i < out.length; i++) out[i]! ^= ciphertext[i - 16]!;
    return plain(out);
  }
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  return plain(decipher.update(ciphertext));
}

// X25519 through OpenSSL. Keys enter as JWK, which measured an order of magnitude cheaper to
// import than DER. OpenSSL derives the public half of a private key from `d` alone; the JWK
// format still demands an `x`, so a placeholder is passed (the crosscheck test confirms the
// public key matches RFC 7748 for every tested key).
const PLACEHOLDER_X = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function privateKeyObject(privateKey: Uint8Array) {
  return createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: Buffer.from(privateKey.buffer, privateKey.byteOffset, 32).toString('base64url'), x: PLACEHOLDER_X },
    format: 'jwk',
  });
}

function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  const { x } = createPublicKey(privateKeyObject(privateKey)).export({ format: 'jwk' });
  // Copied out: Buffer.from(string) lands in Node's shared pool.
  return new Uint8Array(Buffer.from(x as string, 'base64url'));
}

function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const peer = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('base64url') },
    format: 'jwk',
  });
  // OpenSSL fails the derivation when the result is all zero (a low-order peer key).
  return plain(diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: peer }));
}

function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/**
 * The AES-256-CBC cipher kept open for a key (no padding, never finalised) and its chaining
 * state: the last ciphertext block it wrote, which it XORs into the next block it is given.
 */
interface ChainedCipher {
  bytes: Uint8Array;
  cipher: ReturnType<typeof createCipheriv>;
  last: Uint8Array;
}

const chainedCiphers = new WeakMap<Uint8Array, ChainedCipher>();

function chainedCipherOf(key: Uint8Array): ChainedCipher {
  const kept = chainedCiphers.get(key);
  if (kept !== undefined && sameBytes(kept.bytes, key)) return kept;
  const last = new Uint8Array(16);
  const cipher = createCipheriv('aes-256-cbc', key, last);
  cipher.setAutoPadding(false);
  const chained = { bytes: key.slice(), cipher, last };
  chainedCiphers.set(key, chained);
  return chained;
}

/**
 * A sealed frame from the key's open cipher instead of a new one per frame (which cost more than
 * the AES itself): the first block goes in as `P₀ ⊕ IV ⊕ last`, so the cipher, XORing `last` in,
 * encrypts `P₀ ⊕ IV`: exactly AES-CBC with `iv`, the same bytes as a fresh cipher writes.
 */
function sealSmallFrame(encKey: Uint8Array, macKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const chained = chainedCipherOf(encKey);
  const padding = 16 - (plaintext.length % 16);
  const sealed = new Uint8Array(48 + plaintext.length + padding);
  sealed.set(iv, 32);
  // PKCS#7 padded plaintext in the ciphertext's place, then encrypted over itself.
  const body = sealed.subarray(48);
  body.set(plaintext);
  body.fill(padding, plaintext.length);
  const last = chained.last;
  for (let i = 0; i < 16; i++) body[i]! ^= iv[i]! ^ last[i]!;
  const ciphertext = chained.cipher.update(body);
  body.set(ciphertext);
  last.set(ciphertext.subarray(ciphertext.length - 16));
  sealed.set(createHmac('sha256', macKey).update(sealed.subarray(32)).digest(), 0);
  return sealed;
}

function sealFrame(encKey: Uint8Array, macKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (plaintext.length < SMALL_CIPHERTEXT && encKey.length === 32 && iv.length === 16) return sealSmallFrame(encKey, macKey, iv, plaintext);
  const cipher = createCipheriv('aes-256-cbc', encKey, iv);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  // HMAC(32) ‖ IV(16) ‖ ciphertext: the ciphertext is copied once, into its place in the frame.
  const sealed = new Uint8Array(48 + head.length + tail.length);
  sealed.set(iv, 32);
  sealed.set(head, 48);
  sealed.set(tail, 48 + head.length);
  sealed.set(createHmac('sha256', macKey).update(sealed.subarray(32)).digest(), 0);
  return sealed;
}

function encryptMedia(cipherKey: Uint8Array, iv: Uint8Array, macKey: Uint8Array, file: Uint8Array): MediaEncryption {
  const cipherLength = paddedLength(file.length);
  const blob = new Uint8Array(cipherLength + MEDIA_MAC_LENGTH);
  const fileHash = createHash('sha256');
  const blobHash = createHash('sha256');
  const mac = createHmac('sha256', macKey).update(iv);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  let written = 0;
  const put = (out: Uint8Array): void => {
    blob.set(out, written);
    written += out.length;
    mac.update(out);
    blobHash.update(out);
  };
  for (let offset = 0; offset < file.length; offset += MEDIA_CHUNK) {
    const chunk = file.subarray(offset, offset + MEDIA_CHUNK);
    fileHash.update(chunk);
    put(cipher.update(chunk));
  }
  put(cipher.final());
  const tag = mac.digest().subarray(0, MEDIA_MAC_LENGTH);
  blob.set(tag, cipherLength);
  blobHash.update(tag);
  return { blob, fileSha256: plain(fileHash.digest()), fileEncSha256: plain(blobHash.digest()) };
}

/**
 * In Node the async media calls run the same native code as the synchronous ones, on the calling
 * thread: OpenSSL is already fast, and WebCrypto's thread pool would add copies.
 */
const asyncBackend: AsyncBackend = {
  sha256: async (data) => sha256(data),
  mediaMac: async (macKey, iv, ciphertext) => hmacSha256Parts(macKey, [iv, ciphertext]),
  encryptMedia: async (cipherKey, iv, macKey, file) => encryptMedia(cipherKey, iv, macKey, file),
  async aesCbcDecrypt(key, iv, ciphertext) {
    const padded = decryptBlocks(key, iv, ciphertext);
    const length = unpaddedLength(padded);
    return length < 0 ? null : padded.subarray(0, length);
  },
};

/** The node:crypto backend. */
export const backend: Backend = {
  name: 'node:crypto',
  sha256,
  hmacSha256: (key, data) => plain(createHmac('sha256', key).update(data).digest()),
  hmacSha256Parts,
  hkdf,
  x25519PublicKey,
  x25519,
  aesCbcEncrypt,
  aesCbcDecryptBlocks: decryptBlocks,
  sealFrame,
  encryptMedia,
  async: asyncBackend,
};
