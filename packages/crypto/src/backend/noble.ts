/**
 * The portable backend, chosen for browsers and every runtime without the `node` condition:
 * `@noble/hashes`, `@noble/ciphers` and `@noble/curves`, synchronous and pure JavaScript, plus
 * WebCrypto (`crypto.subtle`, native but promise-only) for the async media calls when the
 * runtime has it; where it does not (an insecure http:// page has no `crypto.subtle`), the async
 * calls run this synchronous code instead. Internal: see types.ts for the contract.
 * @module
 */
import { cbc } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { paddedLength, unpaddedLength } from '../pkcs7.js';
import type { AsyncBackend, Backend, MediaEncryption } from './types.js';

const MEDIA_MAC_LENGTH = 10;

function hmacSha256Parts(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  const mac = hmac.create(sha256, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Pads `plaintext` into `out[0 : paddedLength]` and encrypts it there in place: one copy of the
 * plaintext, no intermediate buffer.
 */
function encryptInto(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, out: Uint8Array): Uint8Array {
  const length = paddedLength(plaintext.length);
  const target = out.subarray(0, length);
  target.set(plaintext);
  target.fill(length - plaintext.length, plaintext.length);
  return cbc(key, iv, { disablePadding: true }).encrypt(target, target);
}

function encryptMedia(cipherKey: Uint8Array, iv: Uint8Array, macKey: Uint8Array, file: Uint8Array): MediaEncryption {
  const cipherLength = paddedLength(file.length);
  const blob = new Uint8Array(cipherLength + MEDIA_MAC_LENGTH);
  const ciphertext = encryptInto(cipherKey, iv, file, blob);
  blob.set(hmacSha256Parts(macKey, [iv, ciphertext]).subarray(0, MEDIA_MAC_LENGTH), cipherLength);
  return { blob, fileSha256: sha256(file), fileEncSha256: sha256(blob) };
}

// --- WebCrypto ------------------------------------------------------------------------------

/** WebCrypto's SubtleCrypto, or undefined where the runtime has none (insecure contexts). */
function subtle(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

/** WebCrypto takes `BufferSource`; this package's bytes are plain (never shared) Uint8Arrays. */
const source = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

function importAes(webCrypto: SubtleCrypto, key: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  return webCrypto.importKey('raw', source(key), { name: 'AES-CBC' }, false, [usage]);
}

function importHmac(webCrypto: SubtleCrypto, key: Uint8Array): Promise<CryptoKey> {
  return webCrypto.importKey('raw', source(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * `HMAC(macKey, iv ‖ ciphertext)` over `joined`, a buffer that holds `iv ‖ ciphertext` in one
 * piece (WebCrypto signs one contiguous buffer).
 */
async function webMac(webCrypto: SubtleCrypto, macKey: Uint8Array, joined: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webCrypto.sign('HMAC', await importHmac(webCrypto, macKey), source(joined)));
}

const asyncBackend: AsyncBackend = {
  async sha256(data) {
    const webCrypto = subtle();
    if (!webCrypto) return sha256(data);
    return new Uint8Array(await webCrypto.digest('SHA-256', source(data)));
  },

  async mediaMac(macKey, iv, ciphertext) {
    const webCrypto = subtle();
    if (!webCrypto) return hmacSha256Parts(macKey, [iv, ciphertext]);
    const joined = new Uint8Array(iv.length + ciphertext.length);
    joined.set(iv);
    joined.set(ciphertext, iv.length);
    return webMac(webCrypto, macKey, joined);
  },

  async encryptMedia(cipherKey, iv, macKey, file) {
    const webCrypto = subtle();
    if (!webCrypto) return encryptMedia(cipherKey, iv, macKey, file);
    const aesKey = await importAes(webCrypto, cipherKey, 'encrypt');
    const [fileSha256, ciphertext] = await Promise.all([
      webCrypto.digest('SHA-256', source(file)),
      webCrypto.encrypt({ name: 'AES-CBC', iv: source(iv) }, aesKey, source(file)),
    ]);
    // One buffer `iv ‖ ciphertext ‖ mac`: the MAC is signed over its first part and the blob is
    // the view after the IV, so the ciphertext is copied once. The IV is wiped once signed, so
    // `blob.buffer` holds nothing but zeros beside the blob.
    const cipherLength = ciphertext.byteLength;
    const joined = new Uint8Array(iv.length + cipherLength + MEDIA_MAC_LENGTH);
    joined.set(iv);
    joined.set(new Uint8Array(ciphertext), iv.length);
    const mac = await webMac(webCrypto, macKey, joined.subarray(0, iv.length + cipherLength));
    joined.set(mac.subarray(0, MEDIA_MAC_LENGTH), iv.length + cipherLength);
    joined.fill(0, 0, iv.length);
    const blob = joined.subarray(iv.length);
    const fileEncSha256 = new Uint8Array(await webCrypto.digest('SHA-256', source(blob)));
    return { blob, fileSha256: new Uint8Array(fileSha256), fileEncSha256 };
  },

  async aesCbcDecrypt(key, iv, ciphertext) {
    const webCrypto = subtle();
    if (!webCrypto) {
      const padded = backend.aesCbcDecryptBlocks(key, iv, ciphertext);
      const length = unpaddedLength(padded);
      return length < 0 ? null : padded.subarray(0, length);
    }
    const aesKey = await importAes(webCrypto, key, 'decrypt');
    try {
      return new Uint8Array(await webCrypto.decrypt({ name: 'AES-CBC', iv: source(iv) }, aesKey, source(ciphertext)));
    } catch (error) {
      // WebCrypto's only AES-CBC decryption failure for a whole-block input is bad padding.
      if (error instanceof Error && error.name === 'OperationError') return null;
      throw error;
    }
  },
};

/** The noble backend. */
export const backend: Backend = {
  name: 'noble',
  sha256: (data) => sha256(data),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  hmacSha256Parts,
  hkdf: (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
  x25519PublicKey: (privateKey) => x25519.getPublicKey(privateKey),
  // noble refuses the low-order points up front (before the ladder runs on the secret scalar).
  x25519: (privateKey, publicKey) => x25519.getSharedSecret(privateKey, publicKey),
  aesCbcEncrypt: (key, iv, plaintext) => encryptInto(key, iv, plaintext, new Uint8Array(paddedLength(plaintext.length))),
  aesCbcDecryptBlocks: (key, iv, ciphertext) => cbc(key, iv, { disablePadding: true }).decrypt(ciphertext),
  sealFrame(encKey, macKey, iv, plaintext) {
    // HMAC(32) ‖ IV(16) ‖ ciphertext, the ciphertext encrypted in place inside the frame.
    const sealed = new Uint8Array(48 + paddedLength(plaintext.length));
    sealed.set(iv, 32);
    encryptInto(encKey, iv, plaintext, sealed.subarray(48));
    sealed.set(hmac(sha256, macKey, sealed.subarray(32)), 0);
    return sealed;
  },
  encryptMedia,
  async: asyncBackend,
};
