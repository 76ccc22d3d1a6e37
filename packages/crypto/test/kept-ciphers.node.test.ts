// The node:crypto backend keeps one AES cipher (sealing) and one decipher (opening) per session
// key instead of making one per frame. These tests hold it to the noble backend, which makes
// nothing ahead: the same sealed bytes for the same IV, frame after frame, also across the size
// where the kept cipher gives way to a fresh one, after a key was overwritten in place, and with
// frames of two sessions interleaved.
import { describe, expect, it, vi } from 'vitest';
import type * as Api from '../src/index.ts';
import { seededRandom } from './helpers.ts';

async function load(backend: 'node' | 'noble'): Promise<typeof Api> {
  vi.resetModules();
  vi.doMock('#backend', () => import(`../src/backend/${backend}.ts`));
  const api = await import('../src/index.ts');
  vi.doUnmock('#backend');
  return api;
}

const node = await load('node');
const noble = await load('noble');

/** Plaintext lengths around every block boundary, up to past the kept cipher's 4 KiB limit. */
const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 200, 4079, 4080, 4095, 4096, 4097, 9000];

describe('kept ciphers of the node:crypto backend', () => {
  it('seal every frame of a session as a fresh cipher would, and open them again', () => {
    const random = seededRandom(11);
    const keys = { encKey: random(32), macKey: random(32) };
    for (let round = 0; round < 3; round++) {
      for (const length of lengths) {
        const plaintext = random(length);
        const iv = random(16);
        const sealed = node.sealFrame(keys, plaintext, { iv });
        expect(node.toHex(sealed)).toBe(node.toHex(noble.sealFrame(keys, plaintext, { iv })));
        expect(node.toHex(node.openFrame(keys, sealed))).toBe(node.toHex(plaintext));
        expect(node.toHex(noble.openFrame(keys, sealed))).toBe(node.toHex(plaintext));
      }
    }
  });

  it('follow a key overwritten in place', () => {
    const random = seededRandom(12);
    const keys = { encKey: random(32), macKey: random(32) };
    const plaintext = random(100);
    const iv = random(16);
    const before = node.sealFrame(keys, plaintext, { iv });
    keys.encKey.set(random(32));
    const after = node.sealFrame(keys, plaintext, { iv });
    expect(node.toHex(after)).not.toBe(node.toHex(before));
    expect(node.toHex(after)).toBe(node.toHex(noble.sealFrame(keys, plaintext, { iv })));
    expect(node.toHex(node.openFrame(keys, after))).toBe(node.toHex(plaintext));
    // The frame sealed with the old key is authentic (same macKey) but opens as the new key says.
    const opened = (api: typeof Api): string => {
      try {
        return api.toHex(api.openFrame(keys, before));
      } catch (error) {
        return (error as Error).name;
      }
    };
    expect(opened(node)).toBe(opened(noble));
    expect(opened(node)).not.toBe(node.toHex(plaintext));
  });

  it('keep two sessions apart when their frames interleave', () => {
    const random = seededRandom(13);
    const first = { encKey: random(32), macKey: random(32) };
    const second = { encKey: random(32), macKey: random(32) };
    for (let i = 0; i < 20; i++) {
      const keys = i % 3 === 0 ? second : first;
      const plaintext = random(10 + i * 7);
      const iv = random(16);
      const sealed = node.sealFrame(keys, plaintext, { iv });
      expect(node.toHex(sealed)).toBe(node.toHex(noble.sealFrame(keys, plaintext, { iv })));
      expect(node.toHex(node.openFrame(keys, sealed))).toBe(node.toHex(plaintext));
    }
  });

  it('decrypt raw AES-CBC blocks of any small length as the noble backend does', () => {
    const random = seededRandom(14);
    const key = random(32);
    for (const blocks of [1, 2, 3, 255, 256, 257]) {
      const iv = random(16);
      const plaintext = random(blocks * 16 - 5);
      const ciphertext = noble.aesCbcEncrypt(key, iv, plaintext);
      expect(node.toHex(node.aesCbcDecrypt(key, iv, ciphertext))).toBe(node.toHex(plaintext));
    }
  });
});
