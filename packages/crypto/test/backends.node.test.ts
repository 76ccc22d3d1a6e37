// Both backends behind the same API, side by side in Node: the whole package loaded once over
// the node:crypto backend and once over the noble one (whose async media calls then run on
// Node's WebCrypto). Same bytes out for the same input, and the same typed error (class, code,
// check, message) for the same bad input: bad MACs, bad padding, bad lengths.
import { describe, expect, it, vi } from 'vitest';
import type * as Api from '../src/index.ts';
import { flipBit, seededRandom } from './helpers.ts';

type Package = typeof Api;

async function load(backend: 'node' | 'noble'): Promise<Package> {
  vi.resetModules();
  vi.doMock('#backend', () => import(`../src/backend/${backend}.ts`));
  const api = await import('../src/index.ts');
  vi.doUnmock('#backend');
  return api;
}

const node = await load('node');
const noble = await load('noble');
const both = [node, noble] as const;

/** What `fn(api)` throws or rejects with, as plain data; asserts it is the package's own error class. */
async function failure(api: Package, fn: (api: Package) => unknown): Promise<Record<string, unknown>> {
  try {
    await fn(api);
  } catch (error) {
    expect(error).toBeInstanceOf(api.CryptoError);
    const { name, code, message } = error as Api.CryptoError;
    const check = (error as Api.MediaIntegrityError).check;
    return { name, code, message, ...(check === undefined ? {} : { check }) };
  }
  throw new Error('expected a failure');
}

/** Both backends fail `fn` with the same error, of class `name`. */
async function expectSameFailure(name: string, fn: (api: Package) => unknown): Promise<void> {
  const fromNode = await failure(node, fn);
  expect(await failure(noble, fn)).toEqual(fromNode);
  expect(fromNode.name).toBe(name);
}

const keys = { encKey: seededRandom(1)(32), macKey: seededRandom(2)(32) };
const hex = (bytes: Uint8Array): string => node.toHex(bytes);

/** HMAC ‖ IV ‖ ciphertext around arbitrary whole blocks, with a valid HMAC. */
function authenticFrame(iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const body = new Uint8Array([...iv, ...ciphertext]);
  return new Uint8Array([...node.hmacSha256(keys.macKey, body), ...body]);
}

/** Two whole blocks whose decryption ends in `lastBlock` (bad padding when it is not PKCS#7). */
function blocksEndingIn(key: Uint8Array, iv: Uint8Array, lastBlock: Uint8Array): Uint8Array {
  return node.aesCbcEncrypt(key, iv, new Uint8Array([...new Uint8Array(16), ...lastBlock])).subarray(0, 32);
}

const badPads = [new Uint8Array(16), new Uint8Array(16).fill(17), node.fromHex('0102030405060708090a0b0c0d0e0f03'), new Uint8Array(16).fill(0xff)];

describe('both backends', () => {
  it('are what they say', () => {
    expect(node.cryptoBackend).toBe('node:crypto');
    expect(noble.cryptoBackend).toBe('noble');
  });

  it('compute the same bytes: hashes, HKDF, AES, X25519, sessions, frames, media', async () => {
    const random = seededRandom(7);
    for (const length of [0, 1, 16, 63, 64, 65, 1000, 70_000]) {
      const data = random(length);
      const key = random(32);
      const iv = random(16);
      const results = await Promise.all(
        both.map(async (api) => [
          hex(api.sha256(data)),
          hex(api.hmacSha256(key, data)),
          hex(api.hmacSha256(data, key)),
          hex(api.hkdf(key, { salt: data, info: data, length: 1 + (length % 200) })),
          hex(api.hkdf(data, { length: 8160 })),
          hex(api.aesCbcEncrypt(key, iv, data)),
          hex(api.aesCbcDecrypt(key, iv, node.aesCbcEncrypt(key, iv, data))),
          hex(api.sealFrame(keys, data, { iv })),
          hex(api.openFrame(keys, node.sealFrame(keys, data))),
          hex(api.encryptMedia(data, 'video', { mediaKey: key }).blob),
          hex((await api.encryptMediaAsync(data, 'video', { mediaKey: key })).blob),
          hex(await api.decryptMediaAsync(node.encryptMedia(data, 'audio', { mediaKey: key }).blob, key, 'audio')),
        ]),
      );
      expect(results[1]).toEqual(results[0]);
    }
    for (let i = 0; i < 20; i++) {
      const privateKey = random(32);
      const peer = random(32);
      expect(hex(noble.keyPairFromPrivateKey(privateKey).publicKey)).toBe(hex(node.keyPairFromPrivateKey(privateKey).publicKey));
      expect(hex(noble.sharedSecret(privateKey, peer))).toBe(hex(node.sharedSecret(privateKey, peer)));
      const client = node.keyPairFromPrivateKey(privateKey);
      const built = node.buildSecret(client.publicKey, { randomBytes: seededRandom(i + 1) });
      expect(noble.buildSecret(client.publicKey, { randomBytes: seededRandom(i + 1) })).toEqual(built);
      expect(noble.deriveSessionKeys({ secret: built.secret, privateKey })).toEqual(node.deriveSessionKeys({ secret: built.secret, privateKey }));
    }
  });

  it('return plain Uint8Arrays, never Buffers, each over memory of its own', () => {
    const data = seededRandom(3)(100);
    const outputs = [
      node.sha256(data),
      node.hmacSha256(keys.macKey, data),
      node.hkdf(data, { length: 80 }),
      node.aesCbcEncrypt(keys.encKey, data.subarray(0, 16), data),
      node.aesCbcDecrypt(keys.encKey, data.subarray(0, 16), node.aesCbcEncrypt(keys.encKey, data.subarray(0, 16), data)),
      node.sealFrame(keys, data),
      node.openFrame(keys, node.sealFrame(keys, data)),
      node.generateKeyPair().publicKey,
      node.sharedSecret(data.subarray(0, 32), node.generateKeyPair().publicKey),
      ...Object.values(node.encryptMedia(data, 'image')).filter((value) => value instanceof Uint8Array),
    ];
    for (const output of outputs) {
      expect(Object.getPrototypeOf(output)).toBe(Uint8Array.prototype);
      expect(output.buffer.byteLength).toBeLessThanOrEqual(output.length + 16);
    }
  });

  it('reject bad frame MACs, padding and lengths with the same errors', async () => {
    const sealed = node.sealFrame(keys, seededRandom(4)(40));
    for (const bit of [0, 255, 256, 383, 384, sealed.length * 8 - 1]) {
      await expectSameFailure('FrameAuthError', (api) => api.openFrame(keys, flipBit(sealed, bit)));
    }
    await expectSameFailure('FrameAuthError', (api) => api.openFrame({ encKey: keys.encKey, macKey: keys.encKey }, sealed));
    for (const length of [0, 31, 48, 63, sealed.length - 1]) {
      await expectSameFailure('InvalidInputError', (api) => api.openFrame(keys, sealed.subarray(0, length)));
    }
    await expectSameFailure('InvalidInputError', (api) => api.openFrame({ encKey: keys.encKey.subarray(1), macKey: keys.macKey }, sealed));
    await expectSameFailure('InvalidInputError', (api) => api.sealFrame(keys, sealed, { iv: new Uint8Array(8) }));
    const iv = seededRandom(5)(16);
    for (const lastBlock of badPads) {
      await expectSameFailure('PaddingError', (api) => api.openFrame(keys, authenticFrame(iv, blocksEndingIn(keys.encKey, iv, lastBlock))));
      await expectSameFailure('PaddingError', (api) => api.aesCbcDecrypt(keys.encKey, iv, blocksEndingIn(keys.encKey, iv, lastBlock)));
    }
    for (const length of [0, 1, 15, 17, 33]) {
      await expectSameFailure('InvalidInputError', (api) => api.aesCbcDecrypt(keys.encKey, iv, new Uint8Array(length)));
    }
    await expectSameFailure('InvalidInputError', (api) => api.aesCbcEncrypt(keys.encKey.subarray(0, 16), iv, new Uint8Array(16)));
    await expectSameFailure('InvalidInputError', (api) => api.aesCbcEncrypt(keys.encKey, iv.subarray(0, 12), new Uint8Array(16)));
  });

  it('reject bad media MACs, hashes, padding and lengths with the same errors, sync and async', async () => {
    const mediaKey = seededRandom(6)(32);
    const media = node.encryptMedia(seededRandom(8)(300), 'image', { mediaKey });
    const decrypts = [
      (api: Package, blob: Uint8Array, expected?: Api.ExpectedMedia) => api.decryptMedia(blob, mediaKey, 'image', expected),
      (api: Package, blob: Uint8Array, expected?: Api.ExpectedMedia) => api.decryptMediaAsync(blob, mediaKey, 'image', expected),
    ];
    const keysOfMedia = node.expandMediaKey(mediaKey, 'image');
    for (const decrypt of decrypts) {
      for (const bit of [0, 8 * 100, (media.blob.length - 10) * 8, media.blob.length * 8 - 1]) {
        await expectSameFailure('MediaIntegrityError', (api) => decrypt(api, flipBit(media.blob, bit)));
      }
      await expectSameFailure('MediaIntegrityError', (api) => decrypt(api, media.blob, { fileEncSha256: media.fileSha256 }));
      await expectSameFailure('MediaIntegrityError', (api) => decrypt(api, media.blob, { fileSha256: media.fileEncSha256 }));
      await expectSameFailure('MediaIntegrityError', (api) => decrypt(api, media.blob, { fileLength: 301 }));
      for (const length of [0, 9, 10, 25, 27, media.blob.length - 1]) {
        await expectSameFailure('InvalidInputError', (api) => decrypt(api, media.blob.subarray(0, length)));
      }
      for (const lastBlock of badPads) {
        const ciphertext = blocksEndingIn(keysOfMedia.cipherKey, keysOfMedia.iv, lastBlock);
        const mac = node.hmacSha256(keysOfMedia.macKey, new Uint8Array([...keysOfMedia.iv, ...ciphertext])).subarray(0, 10);
        await expectSameFailure('PaddingError', (api) => decrypt(api, new Uint8Array([...ciphertext, ...mac])));
      }
    }
  });

  it('reject low-order keys and tampered secrets with the same errors', async () => {
    const privateKey = seededRandom(9)(32);
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ].map((point) => node.fromHex(point));
    for (const point of lowOrder) {
      await expectSameFailure('KeyAgreementError', (api) => api.sharedSecret(privateKey, point));
      await expectSameFailure('KeyAgreementError', (api) => api.buildSecret(point));
    }
    const client = node.keyPairFromPrivateKey(privateKey);
    const { secret } = node.buildSecret(client.publicKey);
    for (const bit of [0, 255, 256, 511, 512, 1151]) {
      await expectSameFailure('SecretMismatchError', (api) => api.deriveSessionKeys({ secret: flipBit(secret, bit), privateKey }));
    }
    const forged = secret.slice();
    forged.set(lowOrder[1]!, 0);
    await expectSameFailure('SecretMismatchError', (api) => api.deriveSessionKeys({ secret: forged, privateKey }));
    await expectSameFailure('InvalidInputError', (api) => api.deriveSessionKeys({ secret: secret.subarray(1), privateKey }));
    await expectSameFailure('InvalidInputError', (api) => api.hkdf(privateKey, { length: 8161 }));
  });
});
