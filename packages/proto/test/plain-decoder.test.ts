/**
 * The direct decoder against protobufjs's own static decoder (test/support/pbjs-reference.ts):
 * the same plain objects, field order and unknown fields for valid, random and mutated input, and
 * the same error code where both refuse.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeWebMessageInfo, encodeMessage, encodeWebMessageInfo, ProtoDecodeError, UNKNOWN_FIELDS, type WebMessageInfo } from '../src/index.ts';
import type { MessageName } from '../src/generated/schema.ts';
import { referenceDecode } from './support/pbjs-reference.ts';
import { int, mutationOutcomes, randomInfoBytes, randomMessage } from './support/random-messages.ts';
import { concat, fixed32, fromHex, len, msg, prng, str, vint } from './support/wire-builder.ts';

type Outcome = { value: Record<string | symbol, unknown> } | { code: string };


function outcome(decode: () => Record<string | symbol, unknown>): Outcome {
  try {
    return { value: decode() };
  } catch (error) {
    if (!(error instanceof ProtoDecodeError)) throw error;
    return { code: error.code };
  }
}

type Plain = Record<string | symbol, unknown>;
const decoders: Record<'WebMessageInfo' | 'Message', (bytes: Uint8Array) => Plain> = {
  WebMessageInfo: (bytes) => decodeWebMessageInfo(bytes) as unknown as Plain,
  Message: (bytes) => decodeMessage(bytes) as unknown as Plain,
};

/** Decodes with both; returns which outcome they agreed on. */
function agree(bytes: Uint8Array, type: 'WebMessageInfo' | 'Message' = 'WebMessageInfo'): 'decoded' | 'rejected' {
  const ours = outcome(() => decoders[type](bytes));
  const theirs = outcome(() => referenceDecode(bytes, type as MessageName));
  const where = `${type} ${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  if ('value' in theirs && 'value' in ours) {
    expect(ours.value, where).toStrictEqual(theirs.value);
    expect(JSON.stringify(ours.value), where).toBe(JSON.stringify(theirs.value));
    expect(ours.value[UNKNOWN_FIELDS], where).toStrictEqual(theirs.value[UNKNOWN_FIELDS]);
    return 'decoded';
  }
  expect(ours, where).toStrictEqual(theirs);
  return 'rejected';
}

describe('the direct decoder decodes as protobufjs does', () => {
  it('random valid messages, also with fields out of order and unknown fields', () => {
    const random = prng(0x5eed0101);
    for (let i = 0; i < 500; i++) {
      const bytes = encodeWebMessageInfo(randomMessage(random, 'WebMessageInfo', 0) as unknown as WebMessageInfo);
      expect(agree(bytes)).toBe('decoded');
      // Unknown fields (numbers the schema lacks, every wire type) before, between and after.
      const extra = [vint(45, int(random, 1000)), str(46, 'x'), fixed32(47, 7), concat(fromHex('f302'), vint(1, 2), fromHex('f402'))];
      expect(agree(concat(extra[int(random, 4)]!, bytes, extra[int(random, 4)]!))).toBe('decoded');
    }
  });

  it('mutations of valid messages', () => {
    const random = prng(0x5eed0102);
    const outcomes = mutationOutcomes(random, randomInfoBytes(random, 40), 6000, (bytes) => agree(bytes));
    expect(outcomes.decoded).toBeGreaterThan(300);
    expect(outcomes.rejected).toBeGreaterThan(300);
  });

  it('random bytes, as a WebMessageInfo after a valid key and as a bare Message', () => {
    const random = prng(0x5eed0103);
    for (let i = 0; i < 3000; i++) {
      const tail = Uint8Array.from({ length: int(random, 24) }, () => int(random, 256));
      agree(concat(msg(1, str(3, 'K')), tail));
      agree(tail, 'Message');
    }
  });

  it('known answers: merged repeats, enum values the schema lacks, 64-bit edges, fields in schema order', () => {
    // A second key merges into the first (proto semantics), its fields after the first's.
    const merged = decodeWebMessageInfo(concat(msg(1, str(3, 'ID')), msg(1, str(1, 'a@s.whatsapp.net'), vint(2, true))));
    expect(merged.key).toStrictEqual({ remoteJid: 'a@s.whatsapp.net', fromMe: true, id: 'ID' });
    expect(Object.keys(merged.key)).toStrictEqual(['remoteJid', 'fromMe', 'id']);
    // status 99 is no WebMessageInfoStatus: kept as an unknown field, not shown.
    const unknownStatus = decodeWebMessageInfo(concat(msg(1, str(3, 'ID')), vint(4, 99)));
    expect(unknownStatus.status).toBeUndefined();
    expect(unknownStatus[UNKNOWN_FIELDS]).toStrictEqual([vint(4, 99)]);
    // uint64 at 2^32, 2^53 + 1 and 2^64 - 1.
    for (const value of [2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      expect(decodeWebMessageInfo(concat(msg(1, str(3, 'ID')), vint(3, value))).messageTimestamp).toBe(value.toString());
    }
    // Repeated strings keep their order; bytes are copies.
    const message = decodeMessage(encodeMessage({ extendedTextMessage: { text: 't', contextInfo: { mentionedJid: ['b@s.whatsapp.net', 'a@s.whatsapp.net'] } } }));
    expect(message.extendedTextMessage?.contextInfo?.mentionedJid).toStrictEqual(['b@s.whatsapp.net', 'a@s.whatsapp.net']);
    const source = encodeMessage({ imageMessage: { mediaKey: Uint8Array.of(1, 2, 3) } });
    const image = decodeMessage(source);
    source.fill(0);
    expect(image.imageMessage?.mediaKey).toStrictEqual(Uint8Array.of(1, 2, 3));
    expect(agree(len(2, new Uint8Array(0)), 'WebMessageInfo')).toBe('rejected');
  });

  it('reads an over-long varint of a 32-bit field to its end (protobufjs would skip 10 bytes)', () => {
    // duration (27, uint32) = 0 written in 6 bytes, then pushName (19).
    const bytes = concat(msg(1, str(3, 'ID')), fromHex('d8018080808080' + '00'), str(19, 'Ann'));
    expect(decodeWebMessageInfo(bytes)).toStrictEqual({ key: { id: 'ID' }, pushName: 'Ann', duration: 0 });
  });
});
