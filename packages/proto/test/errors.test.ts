import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  decodeWebMessageInfo,
  encodeMessage,
  encodeWebMessageInfo,
  ProtoDecodeError,
  ProtoEncodeError,
  ProtoError,
  type WebMessageInfoInput,
} from '../src/index.ts';
import { errorOf } from './support/error-of.ts';
import { concat, fromHex, len, msg, str, tag, varint, vint } from './support/wire-builder.ts';

const key = msg(1, str(3, 'ID'));

describe('decoding malformed bytes', () => {
  const malformed: [string, Uint8Array][] = [
    ['truncated varint at the end', concat(key, fromHex('18ff'))],
    ['truncated tag', concat(key, fromHex('80'))],
    ['varint longer than ten bytes', concat(key, fromHex('18ffffffffffffffffffff01'))],
    ['length past the end', concat(key, fromHex('1205'), fromHex('0a'))],
    ['nested length past its parent', concat(fromHex('0a03'), fromHex('0a05'), fromHex('41'))],
    ['wire type 6', concat(key, tag(9, 6))],
    ['wire type 7', concat(key, tag(9, 7))],
    ['END_GROUP without START_GROUP', concat(key, tag(9, 4))],
    ['START_GROUP never closed', concat(key, tag(9, 3), vint(1, 1))],
    ['field number 0', concat(key, fromHex('0001'))],
    ['fixed64 cut short', concat(key, tag(40, 1), fromHex('0102'))],
    ['declared string field sent as varint', concat(key, vint(5, 1))],
    ['declared message field sent as fixed32', concat(key, tag(2, 5), fromHex('00000000'))],
  ];
  for (const [name, bytes] of malformed) {
    it(`${name} → ProtoDecodeError MALFORMED`, () => {
      const error = errorOf(() => decodeWebMessageInfo(bytes));
      expect(error).toBeInstanceOf(ProtoDecodeError);
      expect(error).toBeInstanceOf(ProtoError);
      expect(error).toMatchObject({ code: 'MALFORMED' });
      expect((error as ProtoDecodeError).offset).toBeTypeOf('number');
    });
  }

  it('messages nested deeper than 100 levels → MALFORMED, not a stack overflow', () => {
    // Message.extendedTextMessage.contextInfo.quotedMessage, repeated: 3 message levels per step.
    let inner: Uint8Array = str(1, 'bottom');
    for (let i = 0; i < 40; i++) inner = msg(6, msg(17, msg(3, inner)));
    expect(errorOf(() => decodeMessage(inner))).toMatchObject({ code: 'MALFORMED' });
    let shallow: Uint8Array = str(1, 'bottom');
    for (let i = 0; i < 30; i++) shallow = msg(6, msg(17, msg(3, shallow)));
    expect(() => decodeMessage(shallow)).not.toThrow();
  });

  it('a WebMessageInfo without key → MISSING_REQUIRED', () => {
    for (const bytes of [new Uint8Array(0), concat(vint(3, 1584004403), vint(4, 3))]) {
      const error = errorOf(() => decodeWebMessageInfo(bytes));
      expect(error).toBeInstanceOf(ProtoDecodeError);
      expect(error).toMatchObject({ code: 'MISSING_REQUIRED' });
    }
  });

  it('a bare Message has no required fields: empty bytes decode to {}', () => {
    expect(decodeMessage(new Uint8Array(0))).toStrictEqual({});
  });

  it('something that is not a Uint8Array → INVALID_INPUT', () => {
    for (const value of [null, undefined, 'abc', [10, 0], new ArrayBuffer(2), { length: 0 }]) {
      const error = errorOf(() => decodeWebMessageInfo(value as Uint8Array));
      expect(error).toBeInstanceOf(ProtoDecodeError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('reports the byte offset where decoding stopped', () => {
    const error = errorOf(() => decodeWebMessageInfo(concat(key, fromHex('1205'), fromHex('0a')))) as ProtoDecodeError;
    expect(error.offset).toBeGreaterThanOrEqual(key.length);
    expect(error.message).toContain(`at byte ${error.offset}`);
  });

  it('accepts a Buffer-like Uint8Array view with an offset', () => {
    const backing = concat(fromHex('ffff'), key, vint(3, 7));
    const view = backing.subarray(2);
    expect(decodeWebMessageInfo(view).messageTimestamp).toBe('7');
  });
});

describe('encoding invalid objects', () => {
  const base: WebMessageInfoInput = { key: { id: 'ID' } };
  const invalid: [string, unknown, string][] = [
    ['string field given a number', { key: { id: 42 } }, 'key.id'],
    ['bool field given a string', { key: { id: 'ID', fromMe: 'yes' } }, 'key.fromMe'],
    ['bytes field given an array', { ...base, mediaCiphertextSha256: [1, 2, 3] }, 'mediaCiphertextSha256'],
    ['uint32 negative', { ...base, duration: -1 }, 'duration'],
    ['uint32 too large', { ...base, duration: 2 ** 32 }, 'duration'],
    ['uint32 fraction', { ...base, ephemeralDuration: 1.5 }, 'ephemeralDuration'],
    ['unknown enum name', { ...base, status: 'DELIVERED' }, 'status'],
    ['enum number not declared', { ...base, status: 9 }, 'status'],
    ['enum in lower case', { ...base, messageStubType: 'revoke' }, 'messageStubType'],
    ['repeated field given a string', { ...base, labels: 'a' }, 'labels'],
    ['repeated element of the wrong type', { ...base, messageStubParameters: ['a', 2] }, 'messageStubParameters[1]'],
    ['message field given a string', { ...base, message: 'hi' }, 'message'],
    ['message field given an array', { ...base, message: [] }, 'message'],
    ['misspelt field', { ...base, messageTimeStamp: 1 }, ''],
    ['misspelt nested field', { ...base, message: { extendedTextMessage: { txt: 'a' } } }, 'message.extendedTextMessage'],
    ['double given a string', { ...base, message: { locationMessage: { degreesLatitude: '52.5' } } }, 'message.locationMessage.degreesLatitude'],
    [
      'deep path',
      { ...base, message: { extendedTextMessage: { contextInfo: { mentionedJid: ['a', null] } } } },
      'message.extendedTextMessage.contextInfo.mentionedJid[1]',
    ],
  ];
  for (const [name, value, path] of invalid) {
    it(`${name} → ProtoEncodeError INVALID_INPUT at ${path || 'the root'}`, () => {
      const error = errorOf(() => encodeWebMessageInfo(value as WebMessageInfoInput));
      expect(error).toBeInstanceOf(ProtoEncodeError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', path });
    });
  }

  it('a missing key → MISSING_REQUIRED', () => {
    for (const value of [{}, { key: null }, { key: undefined, pushName: 'x' }] as unknown[]) {
      expect(errorOf(() => encodeWebMessageInfo(value as WebMessageInfoInput))).toMatchObject({ code: 'MISSING_REQUIRED', path: 'key' });
    }
  });

  it('not an object at all → INVALID_INPUT', () => {
    for (const value of [null, undefined, 'x', 3, [], new Uint8Array(2)]) {
      expect(errorOf(() => encodeMessage(value as never))).toMatchObject({ code: 'INVALID_INPUT', path: '' });
    }
  });

  it('a cyclic object → INVALID_INPUT, not a stack overflow', () => {
    const message: { extendedTextMessage: { contextInfo: { quotedMessage: unknown } } } = { extendedTextMessage: { contextInfo: { quotedMessage: null } } };
    message.extendedTextMessage.contextInfo.quotedMessage = message;
    expect(errorOf(() => encodeMessage(message as never))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('whatever could be decoded can be encoded: 100 levels of nesting are fine', () => {
    let inner: Uint8Array = str(1, 'bottom');
    for (let i = 0; i < 33; i++) inner = msg(6, msg(17, msg(3, inner)));
    const decoded = decodeMessage(inner);
    expect(encodeMessage(decoded)).toStrictEqual(inner);
  });

  it('leaves the input untouched', () => {
    const input = { key: { id: 'ID' }, messageTimestamp: 5n, labels: ['a'] };
    const snapshot = structuredClone(input);
    encodeWebMessageInfo(input);
    expect(input).toStrictEqual(snapshot);
  });

  it('length prefixes stay right for long strings (multi-byte varint lengths)', () => {
    const text = 'x'.repeat(70000);
    const bytes = encodeMessage({ conversation: text });
    expect(bytes).toStrictEqual(len(1, new TextEncoder().encode(text)));
    expect(bytes.subarray(1, 4)).toStrictEqual(varint(70000));
  });
});
