import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeWebMessageInfo, encodeMessage, encodeWebMessageInfo, ProtoEncodeError } from '../src/index.ts';
import { concat, hex, msg, str, varint, vint } from './support/wire-builder.ts';

const key = msg(1, str(3, 'ID'));

describe('64-bit fields', () => {
  const cases: [string, bigint][] = [
    ['2^53 + 1 (first integer a double cannot hold)', 2n ** 53n + 1n],
    ['2^63 + 12345', 2n ** 63n + 12345n],
    ['2^64 - 1 (largest uint64)', 2n ** 64n - 1n],
    ['2^32 (low word zero)', 2n ** 32n],
    ['0', 0n],
  ];

  for (const [name, value] of cases) {
    it(`uint64 ${name} decodes exactly and encodes back from string, bigint`, () => {
      const bytes = concat(key, vint(3, value));
      const info = decodeWebMessageInfo(bytes);
      expect(info.messageTimestamp).toBe(value.toString());
      expect(hex(encodeWebMessageInfo(info))).toBe(hex(bytes));
      expect(hex(encodeWebMessageInfo({ key: { id: 'ID' }, messageTimestamp: value }))).toBe(hex(bytes));
    });
  }

  it('uint64 from a safe-integer number', () => {
    expect(hex(encodeWebMessageInfo({ key: { id: 'ID' }, messageTimestamp: Number.MAX_SAFE_INTEGER }))).toBe(
      hex(concat(key, vint(3, 2n ** 53n - 1n))),
    );
  });

  it('int64 (mediaKeyTimestamp) keeps its sign: -1 is ten bytes on the wire', () => {
    const bytes = msg(3, vint(12, -1n));
    expect(hex(bytes)).toBe('1a0b60ffffffffffffffffff01');
    expect(decodeMessage(bytes).imageMessage?.mediaKeyTimestamp).toBe('-1');
    expect(hex(encodeMessage({ imageMessage: { mediaKeyTimestamp: '-1' } }))).toBe(hex(bytes));
    expect(hex(encodeMessage({ imageMessage: { mediaKeyTimestamp: -1n } }))).toBe(hex(bytes));
  });

  it('int64 extremes', () => {
    for (const value of [-(2n ** 63n), 2n ** 63n - 1n, -(2n ** 53n) - 7n]) {
      const bytes = msg(3, vint(12, value));
      expect(decodeMessage(bytes).imageMessage?.mediaKeyTimestamp).toBe(value.toString());
      expect(hex(encodeMessage({ imageMessage: { mediaKeyTimestamp: value.toString() } }))).toBe(hex(bytes));
    }
  });

  it('a uint64 above 2^63 written by a signed writer reads as the same unsigned value', () => {
    // Ten-byte varint whose top bit is set: 2^64 - 2.
    const bytes = concat(key, vint(3, 2n ** 64n - 2n));
    expect(hex(bytes).endsWith(hex(varint(2n ** 64n - 2n)))).toBe(true);
    expect(decodeWebMessageInfo(bytes).messageTimestamp).toBe('18446744073709551614');
  });

  it('refuses values that are not exact 64-bit integers in range', () => {
    const bad: [string, unknown][] = [
      ['unsafe number', 2 ** 60],
      ['fraction', 1.5],
      ['negative uint64', -1],
      ['negative uint64 string', '-1'],
      ['2^64', 2n ** 64n],
      ['2^64 as string', '18446744073709551616'],
      ['hex string', '0x10'],
      ['empty string', ''],
      ['spaces', ' 12'],
      ['boolean', true],
      ['NaN', Number.NaN],
    ];
    for (const [name, value] of bad) {
      let error: unknown;
      try {
        encodeWebMessageInfo({ key: { id: 'ID' }, messageTimestamp: value as string });
      } catch (err) {
        error = err;
      }
      expect(error, name).toBeInstanceOf(ProtoEncodeError);
      expect(error, name).toMatchObject({ code: 'INVALID_INPUT', path: 'messageTimestamp' });
    }
    expect(() => encodeMessage({ imageMessage: { mediaKeyTimestamp: (2n ** 63n).toString() } })).toThrow(ProtoEncodeError);
    expect(() => encodeMessage({ imageMessage: { mediaKeyTimestamp: -(2n ** 63n) - 1n } })).toThrow(ProtoEncodeError);
  });
});
