/**
 * The message kinds added for issue 11 (live location 18, group invite 28, the ephemeral wrapper
 * 40 with FutureProofMessage), against bytes spelled out from the field numbers in
 * protocol/FACTS.md and a legacy client's WAMessage.proto (not from our .proto).
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeWebMessageInfo, encodeMessage, encodeWebMessageInfo, type Message } from '../src/index.ts';
import { concat, double, hex, len, msg, str, tag, vint } from './support/wire-builder.ts';

/** A float field (wire type 5, little-endian IEEE 754 single). */
function float(field: number, value: number): Uint8Array {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setFloat32(0, value, true);
  return concat(tag(field, 5), body);
}

const thumb = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

const cases: Array<{ name: string; message: Message; bytes: Uint8Array }> = [
  {
    name: 'liveLocationMessage',
    message: {
      liveLocationMessage: {
        degreesLatitude: 52.52,
        degreesLongitude: -13.405,
        accuracyInMeters: 12,
        speedInMps: 1.5,
        degreesClockwiseFromMagneticNorth: 270,
        caption: 'on my way',
        sequenceNumber: '3',
        timeOffset: 60,
        jpegThumbnail: thumb,
        contextInfo: { stanzaId: '3EB0AAAAAAAAAAAAAAAA' },
      },
    },
    bytes: msg(
      18,
      double(1, 52.52),
      double(2, -13.405),
      vint(3, 12),
      float(4, 1.5),
      vint(5, 270),
      str(6, 'on my way'),
      vint(7, 3),
      vint(8, 60),
      len(16, thumb),
      msg(17, str(1, '3EB0AAAAAAAAAAAAAAAA')),
    ),
  },
  {
    name: 'groupInviteMessage',
    message: {
      groupInviteMessage: {
        groupJid: '15550000001-1600000000@g.us',
        inviteCode: 'AbCdEfGh12',
        inviteExpiration: '1600259200',
        groupName: 'Climbing',
        jpegThumbnail: thumb,
        caption: 'join us',
        contextInfo: { isForwarded: true },
      },
    },
    bytes: msg(
      28,
      str(1, '15550000001-1600000000@g.us'),
      str(2, 'AbCdEfGh12'),
      vint(3, 1600259200),
      str(4, 'Climbing'),
      len(5, thumb),
      str(6, 'join us'),
      msg(7, vint(22, true)),
    ),
  },
  {
    name: 'ephemeralMessage',
    message: {
      ephemeralMessage: {
        message: { extendedTextMessage: { text: 'gone in a week', contextInfo: { expiration: 604800, ephemeralSettingTimestamp: '1600000000' } } },
      },
    },
    bytes: msg(40, msg(1, msg(6, str(1, 'gone in a week'), msg(17, vint(25, 604800), vint(26, 1600000000))))),
  },
];

describe('live location, group invite and the ephemeral wrapper', () => {
  for (const { name, message, bytes } of cases) {
    it(`${name}: encodes to the hand-built bytes and decodes back`, () => {
      expect(hex(encodeMessage(message))).toBe(hex(bytes));
      expect(decodeMessage(bytes)).toEqual(message);
    });
  }

  it('field tags are the ones a legacy client writes (18 → 0x92 0x01, 28 → 0xe2 0x01, 40 → 0xc2 0x02)', () => {
    expect(hex(encodeMessage({ liveLocationMessage: {} }))).toBe('920100');
    expect(hex(encodeMessage({ groupInviteMessage: {} }))).toBe('e20100');
    expect(hex(encodeMessage({ ephemeralMessage: {} }))).toBe('c20200');
  });

  it('a starred WebMessageInfo keeps starred (17) and an ephemeral one its duration (33)', () => {
    const info = {
      key: { remoteJid: '15550000002@s.whatsapp.net', fromMe: true, id: '3EB0BBBBBBBBBBBBBBBB' },
      message: cases[2]!.message,
      starred: true,
      ephemeralStartTimestamp: '1600000000',
      ephemeralDuration: 604800,
    };
    const bytes = encodeWebMessageInfo(info);
    expect(hex(bytes)).toBe(
      hex(
        concat(
          msg(1, str(1, '15550000002@s.whatsapp.net'), vint(2, true), str(3, '3EB0BBBBBBBBBBBBBBBB')),
          len(2, cases[2]!.bytes),
          vint(17, true),
          vint(32, 1600000000),
          vint(33, 604800),
        ),
      ),
    );
    expect(decodeWebMessageInfo(bytes)).toEqual(info);
  });

  it('refuses a speed that is not a number', () => {
    expect(() => encodeMessage({ liveLocationMessage: { speedInMps: '1' as unknown as number } })).toThrow(/speedInMps/);
  });
});
