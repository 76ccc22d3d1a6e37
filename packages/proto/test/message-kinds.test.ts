/**
 * Every message kind with every declared field set, against bytes spelled out field by field from
 * the numbers in protocol/FACTS.md (test/support/wire-builder.ts, not the .proto): encoding must
 * give exactly those bytes and decoding them must give back the plain object.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeWebMessageInfo, encodeMessage, encodeWebMessageInfo, type Message, type WebMessageInfo } from '../src/index.ts';
import { concat, double, fixed32, hex, len, msg, str, vint } from './support/wire-builder.ts';

const bytesOf = (length: number, start: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const sha = bytesOf(32, 0x10);
const encSha = bytesOf(32, 0x40);
const mediaKey = bytesOf(32, 0x90);
const thumb = bytesOf(12, 0xd0);

const context = { stanzaId: '3EB0AAAAAAAAAAAAAAAA', participant: '15550000001@s.whatsapp.net' };
const contextBytes = msg(17, str(1, context.stanzaId), str(2, context.participant));

/** Paths of values that are not plain data: class instances (e.g. pbjs messages, Longs, Buffers). */
function nonPlainParts(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Uint8Array.prototype) return [];
  if (proto === Array.prototype) return (value as unknown[]).flatMap((item, i) => nonPlainParts(item, `${path}[${i}]`));
  if (proto !== Object.prototype) return [path];
  return Object.entries(value).flatMap(([key, item]) => nonPlainParts(item, `${path}.${key}`));
}

interface Case {
  name: string;
  message: Message;
  bytes: Uint8Array;
}

const cases: Case[] = [
  { name: 'conversation', message: { conversation: 'plain text ✓' }, bytes: str(1, 'plain text ✓') },
  {
    name: 'extendedTextMessage',
    message: {
      extendedTextMessage: {
        text: 'see https://example.org @15550000002',
        matchedText: 'https://example.org',
        canonicalUrl: 'https://example.org/',
        description: 'An example',
        title: 'Example',
        textArgb: 0xffeeddcc,
        backgroundArgb: 0x11223344,
        font: 'OSWALD_HEAVY',
        previewType: 'VIDEO',
        jpegThumbnail: thumb,
        contextInfo: {
          stanzaId: '3EB0BBBBBBBBBBBBBBBB',
          participant: '15550000003@s.whatsapp.net',
          quotedMessage: { conversation: 'the quoted text' },
          remoteJid: '123-456@g.us',
          mentionedJid: ['15550000002@s.whatsapp.net', '15550000004@s.whatsapp.net'],
          forwardingScore: 3,
          isForwarded: true,
          expiration: 604800,
        },
      },
    },
    bytes: msg(
      6,
      str(1, 'see https://example.org @15550000002'),
      str(2, 'https://example.org'),
      str(4, 'https://example.org/'),
      str(5, 'An example'),
      str(6, 'Example'),
      fixed32(7, 0xffeeddcc),
      fixed32(8, 0x11223344),
      vint(9, 5),
      vint(10, 1),
      len(16, thumb),
      msg(
        17,
        str(1, '3EB0BBBBBBBBBBBBBBBB'),
        str(2, '15550000003@s.whatsapp.net'),
        msg(3, str(1, 'the quoted text')),
        str(4, '123-456@g.us'),
        str(15, '15550000002@s.whatsapp.net'),
        str(15, '15550000004@s.whatsapp.net'),
        vint(21, 3),
        vint(22, true),
        vint(25, 604800),
      ),
    ),
  },
  {
    name: 'imageMessage',
    message: {
      imageMessage: {
        url: 'https://mmg.whatsapp.net/d/f/image.enc',
        mimetype: 'image/jpeg',
        caption: 'a picture',
        fileSha256: sha,
        fileLength: '123456',
        height: 1080,
        width: 1920,
        mediaKey,
        fileEncSha256: encSha,
        directPath: '/v/t62/image.enc',
        mediaKeyTimestamp: '1584004403',
        jpegThumbnail: thumb,
        contextInfo: context,
      },
    },
    bytes: msg(
      3,
      str(1, 'https://mmg.whatsapp.net/d/f/image.enc'),
      str(2, 'image/jpeg'),
      str(3, 'a picture'),
      len(4, sha),
      vint(5, 123456),
      vint(6, 1080),
      vint(7, 1920),
      len(8, mediaKey),
      len(9, encSha),
      str(11, '/v/t62/image.enc'),
      vint(12, 1584004403),
      len(16, thumb),
      contextBytes,
    ),
  },
  {
    name: 'videoMessage',
    message: {
      videoMessage: {
        url: 'https://mmg.whatsapp.net/d/f/video.enc',
        mimetype: 'video/mp4',
        fileSha256: sha,
        fileLength: '9876543210',
        seconds: 42,
        mediaKey,
        caption: 'a clip',
        gifPlayback: true,
        height: 720,
        width: 1280,
        fileEncSha256: encSha,
        directPath: '/v/t62/video.enc',
        mediaKeyTimestamp: '1584004404',
        jpegThumbnail: thumb,
        contextInfo: context,
      },
    },
    bytes: msg(
      9,
      str(1, 'https://mmg.whatsapp.net/d/f/video.enc'),
      str(2, 'video/mp4'),
      len(3, sha),
      vint(4, 9876543210n),
      vint(5, 42),
      len(6, mediaKey),
      str(7, 'a clip'),
      vint(8, true),
      vint(9, 720),
      vint(10, 1280),
      len(11, encSha),
      str(13, '/v/t62/video.enc'),
      vint(14, 1584004404),
      len(16, thumb),
      contextBytes,
    ),
  },
  {
    name: 'audioMessage',
    message: {
      audioMessage: {
        url: 'https://mmg.whatsapp.net/d/f/audio.enc',
        mimetype: 'audio/ogg; codecs=opus',
        fileSha256: sha,
        fileLength: '2048',
        seconds: 7,
        ptt: true,
        mediaKey,
        fileEncSha256: encSha,
        directPath: '/v/t62/audio.enc',
        mediaKeyTimestamp: '1584004405',
        contextInfo: context,
      },
    },
    bytes: msg(
      8,
      str(1, 'https://mmg.whatsapp.net/d/f/audio.enc'),
      str(2, 'audio/ogg; codecs=opus'),
      len(3, sha),
      vint(4, 2048),
      vint(5, 7),
      vint(6, true),
      len(7, mediaKey),
      len(8, encSha),
      str(9, '/v/t62/audio.enc'),
      vint(10, 1584004405),
      contextBytes,
    ),
  },
  {
    name: 'documentMessage',
    message: {
      documentMessage: {
        url: 'https://mmg.whatsapp.net/d/f/doc.enc',
        mimetype: 'application/pdf',
        title: 'Report',
        fileSha256: sha,
        fileLength: '65536',
        pageCount: 12,
        mediaKey,
        fileName: 'report.pdf',
        fileEncSha256: encSha,
        directPath: '/v/t62/doc.enc',
        mediaKeyTimestamp: '1584004406',
        jpegThumbnail: thumb,
        contextInfo: context,
      },
    },
    bytes: msg(
      7,
      str(1, 'https://mmg.whatsapp.net/d/f/doc.enc'),
      str(2, 'application/pdf'),
      str(3, 'Report'),
      len(4, sha),
      vint(5, 65536),
      vint(6, 12),
      len(7, mediaKey),
      str(8, 'report.pdf'),
      len(9, encSha),
      str(10, '/v/t62/doc.enc'),
      vint(11, 1584004406),
      len(16, thumb),
      contextBytes,
    ),
  },
  {
    name: 'stickerMessage',
    message: {
      stickerMessage: {
        url: 'https://mmg.whatsapp.net/d/f/sticker.enc',
        fileSha256: sha,
        fileEncSha256: encSha,
        mediaKey,
        mimetype: 'image/webp',
        height: 512,
        width: 512,
        directPath: '/v/t62/sticker.enc',
        fileLength: '30000',
        mediaKeyTimestamp: '1584004407',
        isAnimated: false,
        pngThumbnail: thumb,
        contextInfo: context,
      },
    },
    bytes: msg(
      26,
      str(1, 'https://mmg.whatsapp.net/d/f/sticker.enc'),
      len(2, sha),
      len(3, encSha),
      len(4, mediaKey),
      str(5, 'image/webp'),
      vint(6, 512),
      vint(7, 512),
      str(8, '/v/t62/sticker.enc'),
      vint(9, 30000),
      vint(10, 1584004407),
      vint(13, false),
      len(16, thumb),
      contextBytes,
    ),
  },
  {
    name: 'locationMessage',
    message: {
      locationMessage: {
        degreesLatitude: 52.520008,
        degreesLongitude: -13.404954,
        name: 'Somewhere',
        address: '1 Example Street',
        url: 'https://maps.example.org/?q=1',
        isLive: false,
        accuracyInMeters: 15,
        comment: 'meet here',
        jpegThumbnail: thumb,
        contextInfo: context,
      },
    },
    bytes: msg(
      5,
      double(1, 52.520008),
      double(2, -13.404954),
      str(3, 'Somewhere'),
      str(4, '1 Example Street'),
      str(5, 'https://maps.example.org/?q=1'),
      vint(6, false),
      vint(7, 15),
      str(11, 'meet here'),
      len(16, thumb),
      contextBytes,
    ),
  },
  {
    name: 'contactMessage',
    message: {
      contactMessage: {
        displayName: 'Alice',
        vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Alice\nTEL;waid=15550000005:+1 555 000 0005\nEND:VCARD',
        contextInfo: context,
      },
    },
    bytes: msg(
      4,
      str(1, 'Alice'),
      str(16, 'BEGIN:VCARD\nVERSION:3.0\nFN:Alice\nTEL;waid=15550000005:+1 555 000 0005\nEND:VCARD'),
      contextBytes,
    ),
  },
  {
    name: 'contactsArrayMessage',
    message: {
      contactsArrayMessage: {
        displayName: '2 contacts',
        contacts: [
          { displayName: 'Alice', vcard: 'BEGIN:VCARD\nFN:Alice\nEND:VCARD' },
          { displayName: 'Bob', vcard: 'BEGIN:VCARD\nFN:Bob\nEND:VCARD' },
        ],
        contextInfo: context,
      },
    },
    bytes: msg(
      13,
      str(1, '2 contacts'),
      msg(2, str(1, 'Alice'), str(16, 'BEGIN:VCARD\nFN:Alice\nEND:VCARD')),
      msg(2, str(1, 'Bob'), str(16, 'BEGIN:VCARD\nFN:Bob\nEND:VCARD')),
      contextBytes,
    ),
  },
  {
    name: 'protocolMessage (revoke)',
    message: {
      protocolMessage: {
        key: { remoteJid: '15550000006@s.whatsapp.net', fromMe: true, id: '3EB0CCCCCCCCCCCCCCCC', participant: '15550000007@s.whatsapp.net' },
        type: 'REVOKE',
      },
    },
    bytes: msg(
      12,
      msg(1, str(1, '15550000006@s.whatsapp.net'), vint(2, true), str(3, '3EB0CCCCCCCCCCCCCCCC'), str(4, '15550000007@s.whatsapp.net')),
      vint(2, 0),
    ),
  },
  {
    name: 'protocolMessage (ephemeral setting)',
    message: { protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: 86400 } },
    bytes: msg(12, vint(2, 3), vint(4, 86400)),
  },
];

describe('every message kind', () => {
  for (const { name, message, bytes } of cases) {
    it(`${name}: encodes to the bytes FACTS.md prescribes`, () => {
      expect(hex(encodeMessage(message))).toBe(hex(bytes));
    });

    it(`${name}: decodes those bytes to the same object`, () => {
      const decoded = decodeMessage(bytes);
      expect(decoded).toStrictEqual(message);
      expect(nonPlainParts(decoded)).toEqual([]);
    });

    it(`${name}: round-trips inside a WebMessageInfo`, () => {
      const info: WebMessageInfo = { key: { remoteJid: '15550000008@s.whatsapp.net', fromMe: false, id: 'ABCDEF' }, message, messageTimestamp: '1600000000' };
      const encoded = encodeWebMessageInfo(info);
      expect(hex(encoded)).toBe(hex(concat(msg(1, str(1, '15550000008@s.whatsapp.net'), vint(2, false), str(3, 'ABCDEF')), len(2, bytes), vint(3, 1600000000))));
      expect(decodeWebMessageInfo(encoded)).toStrictEqual(info);
    });
  }

  it('decodes bytes fields as plain Uint8Arrays of their own', () => {
    const bytes = cases.find((c) => c.name === 'imageMessage')!.bytes;
    const image = decodeMessage(bytes).imageMessage!;
    expect(Object.getPrototypeOf(image.mediaKey)).toBe(Uint8Array.prototype);
    expect(image.mediaKey!.buffer).not.toBe(bytes.buffer);
    image.mediaKey![0] = 0;
    expect(decodeMessage(bytes).imageMessage!.mediaKey).toStrictEqual(mediaKey);
  });
});

describe('WebMessageInfo with every top-level field', () => {
  const info: WebMessageInfo = {
    key: { remoteJid: '123-456@g.us', fromMe: false, id: '0FCEC5330F64929C6E9A2CFFD2BC8EAD', participant: '15550000009@s.whatsapp.net' },
    message: { conversation: 'hi group' },
    messageTimestamp: '1584004403',
    status: 'READ',
    participant: '15550000009@s.whatsapp.net',
    ignore: false,
    starred: true,
    broadcast: false,
    pushName: 'Carol',
    mediaCiphertextSha256: encSha,
    multicast: true,
    urlText: false,
    urlNumber: true,
    messageStubType: 'GROUP_PARTICIPANT_ADD',
    clearMedia: false,
    messageStubParameters: ['15550000010@s.whatsapp.net', '15550000011@s.whatsapp.net'],
    duration: 30,
    labels: ['1', '5'],
    ephemeralStartTimestamp: '1584000000',
    ephemeralDuration: 604800,
  };
  const bytes = concat(
    msg(1, str(1, '123-456@g.us'), vint(2, false), str(3, '0FCEC5330F64929C6E9A2CFFD2BC8EAD'), str(4, '15550000009@s.whatsapp.net')),
    msg(2, str(1, 'hi group')),
    vint(3, 1584004403),
    vint(4, 4),
    str(5, '15550000009@s.whatsapp.net'),
    vint(16, false),
    vint(17, true),
    vint(18, false),
    str(19, 'Carol'),
    len(20, encSha),
    vint(21, true),
    vint(22, false),
    vint(23, true),
    vint(24, 27),
    vint(25, false),
    str(26, '15550000010@s.whatsapp.net'),
    str(26, '15550000011@s.whatsapp.net'),
    vint(27, 30),
    str(28, '1'),
    str(28, '5'),
    vint(32, 1584000000),
    vint(33, 604800),
  );

  it('encodes to the prescribed bytes', () => {
    expect(hex(encodeWebMessageInfo(info))).toBe(hex(bytes));
  });

  it('decodes them back, false booleans and all', () => {
    expect(decodeWebMessageInfo(bytes)).toStrictEqual(info);
  });

  it('accepts numbers and bigints for 64-bit fields and numbers for enums', () => {
    const loose = { ...info, messageTimestamp: 1584004403, ephemeralStartTimestamp: 1584000000n, status: 4, messageStubType: 27 };
    expect(hex(encodeWebMessageInfo(loose))).toBe(hex(bytes));
  });

  it('leaves null and undefined fields out', () => {
    const sparse = { key: { id: 'X', remoteJid: null }, message: undefined, status: null, labels: undefined };
    expect(hex(encodeWebMessageInfo(sparse))).toBe(hex(msg(1, str(3, 'X'))));
  });

  it('keeps empty strings and empty bytes, which proto2 tells apart from absent', () => {
    const empty: WebMessageInfo = { key: { id: '' }, pushName: '', mediaCiphertextSha256: new Uint8Array(0) };
    const encoded = encodeWebMessageInfo(empty);
    expect(hex(encoded)).toBe(hex(concat(msg(1, str(3, '')), str(19, ''), len(20, new Uint8Array(0)))));
    expect(decodeWebMessageInfo(encoded)).toStrictEqual(empty);
  });
});
