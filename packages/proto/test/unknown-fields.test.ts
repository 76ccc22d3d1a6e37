import { describe, expect, it } from 'vitest';
import {
  decodeWebMessageInfo,
  encodeMessage,
  encodeWebMessageInfo,
  ProtoDecodeError,
  ProtoEncodeError,
  UNKNOWN_FIELDS,
  type WebMessageInfo,
} from '../src/index.ts';
import { errorOf } from './support/error-of.ts';
import { concat, fromHex, hex, len, msg, str, tag, varint, vint } from './support/wire-builder.ts';

// Fields this schema does not declare, at several levels. Each stays one exact chunk of bytes.
const infoField6 = vint(6, 1);
const infoField29 = str(29, 'biz');
const infoField40 = concat(tag(40, 1), fromHex('0102030405060708'));
const infoGroup50 = concat(tag(50, 3), vint(1, 7), str(2, 'in a group'), tag(50, 4));
const keyField5 = str(5, 'extra key field');
const viewOnce37 = msg(37, msg(1, str(1, 'seen once')));
const extendedField3 = vint(3, 300);
const extendedField18 = concat(tag(18, 5), fromHex('deadbeef'));
const contextField7 = str(7, 'context extra');
const quotedField2 = len(2, fromHex('ffee'));

// Written the way a serializer that knows all fields writes: every message in field-number order.
const bytes = concat(
  msg(1, str(1, '15550000001@s.whatsapp.net'), vint(2, false), str(3, 'ID1'), keyField5),
  msg(
    2,
    msg(
      6,
      str(1, 'reply'),
      extendedField3,
      msg(17, str(1, 'ID0'), msg(3, str(1, 'quoted'), quotedField2), contextField7),
      extendedField18,
    ),
    viewOnce37,
  ),
  vint(3, 1584004403),
  vint(4, 3),
  str(5, '15550000002@s.whatsapp.net'),
  infoField6,
  vint(16, false),
  infoField29,
  vint(32, 1584000000),
  infoField40,
  infoGroup50,
);

describe('unknown fields', () => {
  const decoded = decodeWebMessageInfo(bytes);

  it('are kept at every level, each exactly as read', () => {
    expect(decoded[UNKNOWN_FIELDS]).toStrictEqual([infoField6, infoField29, infoField40, infoGroup50]);
    expect(decoded.key[UNKNOWN_FIELDS]).toStrictEqual([keyField5]);
    expect(decoded.message?.[UNKNOWN_FIELDS]).toStrictEqual([viewOnce37]);
    const extended = decoded.message!.extendedTextMessage!;
    expect(extended[UNKNOWN_FIELDS]).toStrictEqual([extendedField3, extendedField18]);
    expect(extended.contextInfo?.[UNKNOWN_FIELDS]).toStrictEqual([contextField7]);
    expect(extended.contextInfo?.quotedMessage?.[UNKNOWN_FIELDS]).toStrictEqual([quotedField2]);
  });

  it('do not disturb the declared fields', () => {
    expect(JSON.parse(JSON.stringify(decoded))).toStrictEqual({
      key: { remoteJid: '15550000001@s.whatsapp.net', fromMe: false, id: 'ID1' },
      message: { extendedTextMessage: { text: 'reply', contextInfo: { stanzaId: 'ID0', quotedMessage: { conversation: 'quoted' } } } },
      messageTimestamp: '1584004403',
      status: 'DELIVERY_ACK',
      participant: '15550000002@s.whatsapp.net',
      ignore: false,
      ephemeralStartTimestamp: '1584000000',
    });
  });

  it('survive decode → encode byte for byte', () => {
    expect(hex(encodeWebMessageInfo(decoded))).toBe(hex(bytes));
  });

  it('are invisible to JSON and Object.keys but survive a spread', () => {
    expect(JSON.stringify(decoded)).not.toContain('biz');
    expect(Object.keys(decoded)).not.toContain(String(UNKNOWN_FIELDS));
    const updated = { ...decoded, status: 'READ' as const };
    const reencoded = decodeWebMessageInfo(encodeWebMessageInfo(updated));
    expect(reencoded.status).toBe('READ');
    expect(reencoded[UNKNOWN_FIELDS]).toStrictEqual(decoded[UNKNOWN_FIELDS]);
  });

  it('are copies, not views into the input', () => {
    const input = bytes.slice();
    const info = decodeWebMessageInfo(input);
    input.fill(0);
    expect(info[UNKNOWN_FIELDS]).toStrictEqual([infoField6, infoField29, infoField40, infoGroup50]);
  });

  it('include enum values this schema does not know (proto2 enums are closed)', () => {
    const withNewValues = concat(msg(1, str(3, 'ID')), vint(3, 1), vint(4, 9), vint(24, 200));
    const info = decodeWebMessageInfo(withNewValues);
    expect(info.status).toBeUndefined();
    expect(info.messageStubType).toBeUndefined();
    expect(info[UNKNOWN_FIELDS]).toStrictEqual([vint(4, 9), vint(24, 200)]);
    expect(hex(encodeWebMessageInfo(info))).toBe(hex(withNewValues));
  });

  it('written out of order come back in field-number order, with the same content', () => {
    const shuffled = concat(infoField29, msg(1, keyField5, str(3, 'ID')), infoField6, vint(3, 5));
    const info = decodeWebMessageInfo(shuffled);
    const reencoded = encodeWebMessageInfo(info);
    expect(hex(reencoded)).toBe(hex(concat(msg(1, str(3, 'ID'), keyField5), vint(3, 5), infoField6, infoField29)));
    const again = decodeWebMessageInfo(reencoded);
    expect(JSON.stringify(again)).toBe(JSON.stringify(info));
    expect(again[UNKNOWN_FIELDS]).toStrictEqual([infoField6, infoField29]);
    expect(again.key[UNKNOWN_FIELDS]).toStrictEqual([keyField5]);
    expect(hex(encodeWebMessageInfo(again))).toBe(hex(reencoded));
  });

  it('list their known fields in schema order whatever order the wire had', () => {
    // status (4), messageTimestamp (3), key (1) with id (3) before remoteJid (1): written backwards.
    const backwards = concat(vint(4, 3), vint(3, 1700000000), msg(1, str(3, 'ID'), str(1, '1555@s.whatsapp.net')));
    const info = decodeWebMessageInfo(backwards);
    expect(Object.keys(info)).toStrictEqual(['key', 'messageTimestamp', 'status']);
    expect(Object.keys(info.key)).toStrictEqual(['remoteJid', 'id']);
    expect(info).toStrictEqual({ key: { remoteJid: '1555@s.whatsapp.net', id: 'ID' }, messageTimestamp: '1700000000', status: 'DELIVERY_ACK' });
  });

  it('can be added to a new message and land in field-number order', () => {
    const info: WebMessageInfo = { key: { id: 'ID' }, pushName: 'Dan', [UNKNOWN_FIELDS]: [infoField29, infoField6] };
    expect(hex(encodeWebMessageInfo(info))).toBe(hex(concat(msg(1, str(3, 'ID')), infoField6, str(19, 'Dan'), infoField29)));
    expect(hex(encodeMessage({ conversation: 'x', [UNKNOWN_FIELDS]: [viewOnce37] }))).toBe(hex(concat(str(1, 'x'), viewOnce37)));
  });

  it('must not reuse a declared field number with another wire type (decoding)', () => {
    const timestampAsString = concat(msg(1, str(3, 'ID')), str(3, '1584004403'));
    const error = errorOf(() => decodeWebMessageInfo(timestampAsString));
    expect(error).toBeInstanceOf(ProtoDecodeError);
    expect(error).toMatchObject({ code: 'MALFORMED', offset: 6 });
    expect((error as Error).message).toContain('messageTimestamp');

    const nested = concat(msg(1, vint(1, 5)));
    expect(errorOf(() => decodeWebMessageInfo(nested))).toMatchObject({ code: 'MALFORMED', offset: 2 });
  });

  it('entries given to the encoder must each be one well-formed field', () => {
    const cases: [unknown, string][] = [
      ['not an array', '[UNKNOWN_FIELDS]'],
      [['not bytes'], '[UNKNOWN_FIELDS][0]'],
      [[concat(vint(6, 1), vint(7, 1))], '[UNKNOWN_FIELDS][0]'],
      [[new Uint8Array(0)], '[UNKNOWN_FIELDS][0]'],
      [[concat(tag(29, 2), varint(10), fromHex('00'))], '[UNKNOWN_FIELDS][0]'],
      [[concat(tag(50, 3), vint(1, 1))], '[UNKNOWN_FIELDS][0]'],
      [[vint(19, 1)], '[UNKNOWN_FIELDS][0]'],
    ];
    for (const [unknowns, path] of cases) {
      const error = errorOf(() => encodeWebMessageInfo({ key: { id: 'ID' }, [UNKNOWN_FIELDS]: unknowns as Uint8Array[] }));
      expect(error, path).toBeInstanceOf(ProtoEncodeError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', path });
    }
    const nested = errorOf(() => encodeWebMessageInfo({ key: { id: 'ID', [UNKNOWN_FIELDS]: [vint(1, 1)] } }));
    expect(nested).toMatchObject({ code: 'INVALID_INPUT', path: 'key.[UNKNOWN_FIELDS][0]' });
  });
});
