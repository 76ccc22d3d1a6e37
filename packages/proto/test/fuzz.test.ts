/**
 * Seeded fuzzing: random and mutated bytes must only ever give a ProtoDecodeError, and whatever
 * decodes must encode again and decode to the same object. Random valid objects must round-trip.
 */
import { describe, expect, it } from 'vitest';
import { decodeWebMessageInfo, encodeWebMessageInfo, ProtoDecodeError, UNKNOWN_FIELDS, type WebMessageInfo } from '../src/index.ts';
import { int, mutationOutcomes, randomInfoBytes, randomMessage } from './support/random-messages.ts';
import { concat, msg, prng, str, vint } from './support/wire-builder.ts';

/** Decodes, and when that works checks that encode → decode is stable. Returns the outcome. */
function probe(bytes: Uint8Array): 'decoded' | 'rejected' {
  let decoded: WebMessageInfo;
  try {
    decoded = decodeWebMessageInfo(bytes);
  } catch (err) {
    if (!(err instanceof ProtoDecodeError)) throw new Error(`non-ProtoDecodeError for ${Array.from(bytes).join(',')}: ${String(err)}`);
    return 'rejected';
  }
  const reencoded = encodeWebMessageInfo(decoded);
  const again = decodeWebMessageInfo(reencoded);
  expect(JSON.stringify(again)).toBe(JSON.stringify(decoded));
  expect(encodeWebMessageInfo(again)).toStrictEqual(reencoded);
  return 'decoded';
}

const seeds = [
  concat(msg(1, str(1, '15550000001@s.whatsapp.net'), vint(2, true), str(3, '3EB0AB')), msg(2, str(1, 'hello')), vint(3, 1584004403), vint(4, 3)),
  concat(msg(1, str(3, 'X')), msg(2, msg(6, str(1, 'q'), msg(17, str(1, 'Y'), msg(3, str(1, 'z')), str(15, 'a@s.whatsapp.net')))), vint(24, 1)),
];

describe('fuzz', () => {
  it('random bytes give a ProtoDecodeError or a stable decode', () => {
    const random = prng(0x5eed0001);
    for (let i = 0; i < 3000; i++) {
      probe(Uint8Array.from({ length: int(random, 64) }, () => int(random, 256)));
    }
  });

  it('random bytes starting with a valid key field', () => {
    const random = prng(0x5eed0002);
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 3000; i++) {
      const tail = Uint8Array.from({ length: int(random, 24) }, () => int(random, 256));
      outcomes[probe(concat(msg(1, str(3, 'K')), tail))]++;
    }
    // Both paths must actually be exercised for the test to mean anything.
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(100);
  });

  it('mutations of valid messages', () => {
    const random = prng(0x5eed0003);
    const outcomes = mutationOutcomes(random, [...seeds, ...randomInfoBytes(random, 40)], 6000, probe);
    expect(outcomes.decoded).toBeGreaterThan(300);
    expect(outcomes.rejected).toBeGreaterThan(300);
  });

  it('random valid objects round-trip exactly', () => {
    const random = prng(0x5eed0004);
    for (let i = 0; i < 400; i++) {
      const info = randomMessage(random, 'WebMessageInfo', 0) as unknown as WebMessageInfo;
      const decoded = decodeWebMessageInfo(encodeWebMessageInfo(info));
      expect(decoded).toStrictEqual(info);
      expect(decoded[UNKNOWN_FIELDS]).toBeUndefined();
    }
  });
});
