/**
 * BINARY strings are decoded exactly as the platform's strict UTF-8 decoder (WHATWG `TextDecoder`
 * with `fatal` and `ignoreBOM`) decodes them: the same string for well-formed bytes, INVALID_UTF8
 * at the string's first byte otherwise. In Node the codec decodes most of them by hand (utf8.ts),
 * so every boundary of the UTF-8 grammar is checked here against the platform, at every length
 * class (short ASCII, short non-ASCII, long, beyond the hand decoder's limit).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, decode } from '../src/index.ts';
import { Random } from './support/random.ts';

const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `["<string>", null, null]`: the description written as BINARY_32 (tag 254), so the string starts at byte 7. */
function descriptionFrame(bytes: Uint8Array): Uint8Array {
  const frame = new Uint8Array(7 + bytes.length);
  const length = bytes.length;
  frame.set([0xf8, 1, 0xfe, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
  frame.set(bytes, 7);
  return frame;
}

/** What the platform makes of `bytes`: the string, or `null` when it rejects them. */
function platform(bytes: Uint8Array): string | null {
  try {
    return reference.decode(bytes);
  } catch {
    return null;
  }
}

/** What `decode` makes of `bytes` as a description: the string, or `null` for INVALID_UTF8 at byte 7. */
function decoded(bytes: Uint8Array): string | null {
  try {
    return decode(descriptionFrame(bytes))[0];
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    expect({ code: (error as DecodeError).code, offset: (error as DecodeError).offset }).toEqual({ code: 'INVALID_UTF8', offset: 7 });
    return null;
  }
}

function expectLikePlatform(bytes: Uint8Array): void {
  expect(decoded(bytes), Array.from(bytes.subarray(0, 64), (b) => b.toString(16)).join(' ')).toBe(platform(bytes));
}

/** `prefix` + `sequence` + `suffix` as bytes. */
function around(prefix: string, sequence: number[], suffix: string): Uint8Array {
  const encoder = new TextEncoder();
  return Uint8Array.from([...encoder.encode(prefix), ...sequence, ...encoder.encode(suffix)]);
}

describe('BINARY strings against the platform UTF-8 decoder', () => {
  // Every edge of the grammar (RFC 3629 table 3-7): lead bytes, the narrowed second-byte ranges
  // after E0, ED, F0 and F4, continuation bytes, and sequences cut short.
  const sequences: number[][] = [
    [0x7f],
    [0x80],
    [0xbf],
    [0xc0, 0x80],
    [0xc1, 0xbf],
    [0xc2, 0x80],
    [0xc2, 0x7f],
    [0xc2, 0xc0],
    [0xdf, 0xbf],
    [0xc3],
    [0xe0, 0x9f, 0x80],
    [0xe0, 0xa0, 0x80],
    [0xe1, 0x80, 0x80],
    [0xec, 0xbf, 0xbf],
    [0xed, 0x9f, 0xbf],
    [0xed, 0xa0, 0x80],
    [0xed, 0xbf, 0xbf],
    [0xee, 0x80, 0x80],
    [0xef, 0xbf, 0xbf],
    [0xef, 0xbb, 0xbf],
    [0xe1, 0x80],
    [0xe1, 0x80, 0x7f],
    [0xe1, 0xc0, 0x80],
    [0xf0, 0x8f, 0xbf, 0xbf],
    [0xf0, 0x90, 0x80, 0x80],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xf3, 0xbf, 0xbf, 0xbf],
    [0xf4, 0x8f, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xff],
    [0xf0, 0x9f, 0x98],
    [0xf0, 0x9f],
    [0xf0, 0x9f, 0x98, 0x7f],
  ];

  it('agrees on every edge of the grammar, alone, between text, at either end, in short and long strings', () => {
    const long = 'x'.repeat(300);
    for (const sequence of sequences) {
      for (const [prefix, suffix] of [
        ['', ''],
        ['a', ''],
        ['', 'b'],
        ['ab', 'é'],
        ['😀', long],
        [long, ''],
        [long, 'ü'],
      ] as const) {
        expectLikePlatform(around(prefix, sequence, suffix));
      }
    }
  });

  it('returns exactly the platform string for well-formed text, a leading U+FEFF kept', () => {
    const text = '\ufeffOlá, Zoë! Família 😀 日本語 — ünal';
    const bytes = new TextEncoder().encode(text);
    expect(decoded(bytes)).toBe(text);
    expect(decoded(bytes.subarray(3))).toBe(text.slice(1));
  });

  it('agrees on random byte strings of every length class, mostly well-formed', () => {
    const random = new Random(0x7e57);
    const alphabet = ['a', 'Z', ' ', '.', 'é', 'ü', 'ß', '€', '日', '😀', '\u{10ffff}', '\ufeff', '\u0080', '\u07ff', '\u0800', '\uffff'];
    const encoder = new TextEncoder();
    for (let iteration = 0; iteration < 400; iteration++) {
      const length = [random.int(1, 64), random.int(65, 400), random.int(400, 5000)][iteration % 3] as number;
      let text = '';
      while (text.length < length) text += alphabet[random.int(0, alphabet.length - 1)];
      const bytes = encoder.encode(text);
      if (random.chance(0.5)) {
        // Break it: a random byte somewhere (may happen to stay well-formed).
        bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
      }
      expectLikePlatform(bytes);
    }
  });

  it('decodes strings beyond 16 KiB (the platform path) and short ones after them, up to megabytes', () => {
    for (const length of [16383, 16384, 16385, 40000, 1 << 20]) {
      const text = 'ação😀'.repeat(Math.ceil(length / 6));
      expect(decoded(new TextEncoder().encode(text))).toBe(text);
    }
    expect(decoded(new TextEncoder().encode('é'))).toBe('é');
    const broken = new TextEncoder().encode('ü'.repeat(20000));
    broken[30001] = 0x41;
    expectLikePlatform(broken);
  });
});
