// Independent cross-checks against node:crypto (OpenSSL). Node only. Every expected value here
// is computed with node:crypto, never with this package.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes as nodeRandomBytes,
  type KeyObject,
} from 'node:crypto';
import vectors from '@vectors/crypto-known-answers.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  buildSecret,
  decryptMedia,
  deriveSessionKeys,
  encryptMedia,
  expandMediaKey,
  fromBase64,
  fromHex,
  generateKeyPair,
  hkdf,
  hmacSha256,
  keyPairFromPrivateKey,
  openFrame,
  PaddingError,
  sealFrame,
  sha256,
  sharedSecret,
  signChallenge,
  toBase64,
  toHex,
  type MediaType,
} from '../src/index.ts';
import { expectCryptoError, MEDIA_INFO, seededRandom } from './helpers.ts';

const bytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer);

// X25519 through OpenSSL: raw keys wrapped in their fixed DER prefixes (RFC 8410).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const nodePrivateKey = (raw: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
const nodePublicKey = (raw: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
const nodeRawPublicKey = (privateKey: Uint8Array): Uint8Array =>
  bytes(createPublicKey(nodePrivateKey(privateKey)).export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length));
const nodeX25519 = (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array =>
  bytes(diffieHellman({ privateKey: nodePrivateKey(privateKey), publicKey: nodePublicKey(publicKey) }));

const nodeHmac = (key: Uint8Array, data: Uint8Array): Uint8Array => bytes(createHmac('sha256', key).update(data).digest());
const nodeHkdf = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array | string, length: number): Uint8Array =>
  new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
function nodeAesEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return bytes(Buffer.concat([cipher.update(plaintext), cipher.final()]));
}
function nodeAesDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  return bytes(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
const cat = (...parts: Uint8Array[]): Uint8Array => bytes(Buffer.concat(parts));
const rnd = (length: number): Uint8Array => bytes(nodeRandomBytes(length));

/** FACTS "Key derivation (exact)", every step with node:crypto. */
function nodeDeriveSessionKeys(secret: Uint8Array, privateKey: Uint8Array): { encKey: Uint8Array; macKey: Uint8Array } {
  const shared = nodeX25519(privateKey, secret.subarray(0, 32));
  const expanded = nodeHkdf(shared, new Uint8Array(32), '', 80);
  const mac = nodeHmac(expanded.subarray(32, 64), cat(secret.subarray(0, 32), secret.subarray(64)));
  if (toHex(mac) !== toHex(secret.subarray(32, 64))) throw new Error('HMAC mismatch');
  const keysEncrypted = cat(expanded.subarray(64, 80), secret.subarray(64));
  const keys = nodeAesDecrypt(expanded.subarray(0, 32), keysEncrypted.subarray(0, 16), keysEncrypted.subarray(16));
  expect(keys).toHaveLength(64);
  return { encKey: keys.subarray(0, 32), macKey: keys.subarray(32, 64) };
}

describe('primitives vs node:crypto', () => {
  it('sha256', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 1000]) {
      const data = rnd(length);
      expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('hmacSha256 for key lengths around the block size', () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      const key = rnd(keyLength);
      const data = rnd(keyLength * 3 + 1);
      expect(toHex(hmacSha256(key, data))).toBe(toHex(nodeHmac(key, data)));
    }
  });

  it('hkdf with and without salt and info, for many lengths', () => {
    for (const length of [1, 31, 32, 33, 80, 112, 255, 8160]) {
      const ikm = rnd(32);
      const salt = rnd(16);
      const info = rnd(10);
      expect(toHex(hkdf(ikm, { salt, info, length }))).toBe(toHex(nodeHkdf(ikm, salt, info, length)));
      expect(toHex(hkdf(ikm, { length }))).toBe(toHex(nodeHkdf(ikm, new Uint8Array(0), '', length)));
      expect(toHex(hkdf(ikm, { info: 'WhatsApp Video Keys', length }))).toBe(toHex(nodeHkdf(ikm, new Uint8Array(0), 'WhatsApp Video Keys', length)));
    }
  });

  it('AES-256-CBC with PKCS#7 in both directions for lengths 0 to 70', () => {
    for (let length = 0; length <= 70; length++) {
      const key = rnd(32);
      const iv = rnd(16);
      const plaintext = rnd(length);
      const ours = aesCbcEncrypt(key, iv, plaintext);
      expect(toHex(ours)).toBe(toHex(nodeAesEncrypt(key, iv, plaintext)));
      expect(toHex(nodeAesDecrypt(key, iv, ours))).toBe(toHex(plaintext));
      expect(toHex(aesCbcDecrypt(key, iv, nodeAesEncrypt(key, iv, plaintext)))).toBe(toHex(plaintext));
    }
  });

  it('agrees with OpenSSL on which paddings are bad', () => {
    const key = rnd(32);
    const iv = rnd(16);
    for (let last = 0; last < 256; last += 5) {
      const block = rnd(32);
      block[31] = last;
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      const ciphertext = bytes(Buffer.concat([cipher.update(block), cipher.final()]));
      let nodeResult: Uint8Array | undefined;
      try {
        nodeResult = nodeAesDecrypt(key, iv, ciphertext);
      } catch {
        nodeResult = undefined;
      }
      if (nodeResult === undefined) expectCryptoError(() => aesCbcDecrypt(key, iv, ciphertext), PaddingError, 'BAD_PADDING', [key]);
      else expect(toHex(aesCbcDecrypt(key, iv, ciphertext))).toBe(toHex(nodeResult));
    }
  });

  it('X25519 public keys and shared secrets', () => {
    for (let i = 0; i < 16; i++) {
      const a = rnd(32);
      const b = rnd(32);
      const pairA = keyPairFromPrivateKey(a);
      expect(toHex(pairA.publicKey)).toBe(toHex(nodeRawPublicKey(a)));
      expect(toHex(sharedSecret(b, pairA.publicKey))).toBe(toHex(nodeX25519(b, nodeRawPublicKey(a))));
    }
  });

  it('Base64 and hex against Buffer', () => {
    for (let length = 0; length < 70; length++) {
      const data = rnd(length);
      expect(toBase64(data)).toBe(Buffer.from(data).toString('base64'));
      expect(toHex(fromBase64(Buffer.from(data).toString('base64')))).toBe(Buffer.from(data).toString('hex'));
      expect(toHex(data)).toBe(Buffer.from(data).toString('hex'));
    }
  });
});

describe('protocol constructions vs node:crypto', () => {
  it('derivation of every session vector, step by step', () => {
    for (const session of vectors.sessions) {
      const secret = fromHex(session.secret);
      const privateKey = fromHex(session.clientPrivateKey);
      const expected = nodeDeriveSessionKeys(secret, privateKey);
      expect(toHex(expected.encKey)).toBe(session.encKey);
      expect(toHex(expected.macKey)).toBe(session.macKey);
      const ours = deriveSessionKeys({ secret, privateKey });
      expect(toHex(ours.encKey)).toBe(toHex(expected.encKey));
      expect(toHex(ours.macKey)).toBe(toHex(expected.macKey));
    }
  });

  it('buildSecret output, opened by node:crypto', () => {
    for (let i = 0; i < 16; i++) {
      const client = generateKeyPair();
      const built = buildSecret(client.publicKey);
      const opened = nodeDeriveSessionKeys(built.secret, client.privateKey);
      expect(toHex(opened.encKey)).toBe(toHex(built.encKey));
      expect(toHex(opened.macKey)).toBe(toHex(built.macKey));
    }
  });

  it('buildSecret with injected randomness equals a secret built by node:crypto', () => {
    const client = rnd(32);
    const clientPublic = nodeRawPublicKey(client);
    const draws = seededRandom(99);
    const ephemeral = draws(32);
    const encKey = draws(32);
    const macKey = draws(32);
    const ephemeralPublic = nodeRawPublicKey(ephemeral);
    const expanded = nodeHkdf(nodeX25519(ephemeral, clientPublic), new Uint8Array(32), '', 80);
    const encrypted = nodeAesEncrypt(expanded.subarray(0, 32), expanded.subarray(64, 80), cat(encKey, macKey));
    const expectedSecret = cat(ephemeralPublic, nodeHmac(expanded.subarray(32, 64), cat(ephemeralPublic, encrypted)), encrypted);
    const built = buildSecret(clientPublic, { randomBytes: seededRandom(99) });
    expect(toHex(built.secret)).toBe(toHex(expectedSecret));
    expect(toHex(built.encKey)).toBe(toHex(encKey));
    expect(toHex(built.macKey)).toBe(toHex(macKey));
  });

  it('frames sealed by node:crypto open, and sealFrame matches node:crypto', () => {
    for (const length of [0, 1, 16, 100, 4096]) {
      const keys = { encKey: rnd(32), macKey: rnd(32) };
      const iv = rnd(16);
      const plaintext = rnd(length);
      const body = cat(iv, nodeAesEncrypt(keys.encKey, iv, plaintext));
      const nodeSealed = cat(nodeHmac(keys.macKey, body), body);
      expect(toHex(sealFrame(keys, plaintext, { iv }))).toBe(toHex(nodeSealed));
      expect(toHex(openFrame(keys, nodeSealed))).toBe(toHex(plaintext));
    }
  });

  it('challenge answers', () => {
    for (const challenge of vectors.challenges) {
      const expected = createHmac('sha256', fromHex(challenge.macKey)).update(fromBase64(challenge.challengeBase64)).digest('base64');
      expect(expected).toBe(challenge.answerBase64);
      expect(toBase64(signChallenge(fromHex(challenge.macKey), fromBase64(challenge.challengeBase64)))).toBe(expected);
    }
  });

  it('media expansion and blobs for every type', () => {
    for (const type of Object.keys(MEDIA_INFO) as MediaType[]) {
      const mediaKey = rnd(32);
      const file = rnd(333);
      const expanded = nodeHkdf(mediaKey, new Uint8Array(0), MEDIA_INFO[type], 112);
      const keys = expandMediaKey(mediaKey, type);
      expect(toHex(cat(keys.iv, keys.cipherKey, keys.macKey, keys.refKey))).toBe(toHex(expanded));
      const ciphertext = nodeAesEncrypt(expanded.subarray(16, 48), expanded.subarray(0, 16), file);
      const blob = cat(ciphertext, nodeHmac(expanded.subarray(48, 80), cat(expanded.subarray(0, 16), ciphertext)).subarray(0, 10));
      const media = encryptMedia(file, type, { mediaKey });
      expect(toHex(media.blob)).toBe(toHex(blob));
      expect(toHex(media.fileEncSha256)).toBe(createHash('sha256').update(blob).digest('hex'));
      expect(toHex(media.fileSha256)).toBe(createHash('sha256').update(file).digest('hex'));
      expect(toHex(decryptMedia(blob, mediaKey, type))).toBe(toHex(file));
    }
  });
});
