import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../src/index.ts';

describe('Node Buffer input', () => {
  it('decodes a Buffer into plain, independent Uint8Array content', () => {
    const input = Buffer.from('f80234fc03010203', 'hex');
    const content = decode(input)[2] as Uint8Array;
    expect(Buffer.isBuffer(content)).toBe(false);
    expect(content.constructor).toBe(Uint8Array);
    input[5] = 0xff;
    expect(content).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('encodes Buffer content like the same Uint8Array', () => {
    expect(encode(['message', null, Buffer.from([1, 2, 3])])).toEqual(encode(['message', null, new Uint8Array([1, 2, 3])]));
  });
});
