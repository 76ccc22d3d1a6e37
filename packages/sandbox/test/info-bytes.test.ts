import { toBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import { describe, expect, it } from 'vitest';
import { encodeTextInfo, withStatus, type TextInfo } from '../src/protocol/info-bytes.ts';
import { recipientCopy, recipientCopyBytes } from '../src/protocol/nodes.ts';
import type { MessageStatus } from '../src/world/types.ts';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

const statuses: MessageStatus[] = ['ERROR', 'PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'];

/** What nodes.ts's generic path builds for a made-up text, encoded by @wa/proto. */
function viaProto(info: TextInfo): Uint8Array {
  const key: Record<string, unknown> = { remoteJid: info.remoteJid, fromMe: info.fromMe, id: info.id };
  const value: Record<string, unknown> = { key, message: { conversation: info.text }, messageTimestamp: info.timestamp };
  if (info.status !== undefined) value.status = info.status;
  if (info.participant !== undefined) {
    key.participant = info.participant;
    value.participant = info.participant;
  }
  return encodeWebMessageInfo(value as unknown as WebMessageInfoInput);
}

describe('the direct text encoder', () => {
  it('writes what @wa/proto writes, byte for byte', () => {
    const texts = ['', 'hi', 'benchmark message: a short text of about the size people send', 'ünïcödé ✓ 😀', 'x'.repeat(200)];
    const timestamps = [0, 1, 127, 128, 16_383, 16_384, 1_600_000_000, 2 ** 32, Number.MAX_SAFE_INTEGER];
    for (const text of texts) {
      for (const timestamp of timestamps) {
        for (const fromMe of [false, true]) {
          for (const participant of [undefined, '15550100002@s.whatsapp.net']) {
            for (const status of [undefined, ...statuses]) {
              const info: TextInfo = { remoteJid: '15550100003@s.whatsapp.net', fromMe, id: '3A0123456789ABCDEF01', text, timestamp };
              if (participant !== undefined) info.participant = participant;
              if (status !== undefined) info.status = status;
              expect(hex(encodeTextInfo(info))).toBe(hex(viaProto(info)));
            }
          }
        }
      }
    }
  });

  it('writes long texts (multi-byte lengths) as @wa/proto does', () => {
    const info: TextInfo = { remoteJid: '15550100003@s.whatsapp.net', fromMe: true, id: '3EB0A1B2C3D4E5F60718', text: 'y'.repeat(20_000), timestamp: 1_600_000_000, status: 'READ' };
    expect(hex(encodeTextInfo(info))).toBe(hex(viaProto(info)));
  });

  it('refuses a timestamp that is not a uint64 it can write', () => {
    expect(() => encodeTextInfo({ remoteJid: 'a@s.whatsapp.net', fromMe: false, id: 'x', text: 'x', timestamp: 1.5 })).toThrow(RangeError);
    expect(() => encodeTextInfo({ remoteJid: 'a@s.whatsapp.net', fromMe: false, id: 'x', text: 'x', timestamp: -1 })).toThrow(RangeError);
  });
});

describe('withStatus', () => {
  const base: WebMessageInfoInput = {
    key: { remoteJid: '15550100002@s.whatsapp.net', fromMe: true, id: '3EB0A1B2C3D4E5F60718' },
    message: { conversation: 'hello' },
    messageTimestamp: 1_600_000_000,
  };
  const variants: WebMessageInfoInput[] = [
    base,
    { ...base, status: 'PENDING' },
    { ...base, participant: '15550100003@s.whatsapp.net', pushName: 'Me' },
    { ...base, status: 'READ', participant: '15550100003@s.whatsapp.net', starred: true },
    { key: base.key },
    { key: base.key, pushName: 'only a later field' },
  ];

  it('gives what decoding, setting the status and encoding again gives', () => {
    for (const variant of variants) {
      const bytes = encodeWebMessageInfo(variant);
      for (const status of [undefined, ...statuses]) {
        const decoded = decodeWebMessageInfo(bytes) as unknown as Record<string, unknown>;
        const expected = encodeWebMessageInfo({ ...decoded, status } as unknown as WebMessageInfoInput);
        expect(withStatus(bytes, status)).toEqual(expected);
      }
    }
  });

  it('gives up on bytes whose top level it cannot walk in field order', () => {
    expect(withStatus(Uint8Array.of(0x0a, 0x05, 0x01), 'READ')).toBeUndefined();
    // messageTimestamp (3) before key (1): not canonical.
    expect(withStatus(Uint8Array.of(0x18, 0x01, 0x0a, 0x00), 'READ')).toBeUndefined();
    expect(withStatus(Uint8Array.of(0x0b), 'READ')).toBeUndefined();
  });
});

describe('recipientCopyBytes', () => {
  it('is recipientCopy without the Base64 and the second decoding', () => {
    const sent = encodeWebMessageInfo({
      key: { remoteJid: '15550100001-1600000000@g.us', fromMe: true, id: '3EB0A1B2C3D4E5F60718', participant: '15550100001@s.whatsapp.net' },
      message: { extendedTextMessage: { text: 'a reply', contextInfo: { stanzaId: '3A00', participant: '15550100002@s.whatsapp.net' } } },
      messageTimestamp: 1_600_000_000,
      status: 'PENDING',
    });
    for (const participant of [undefined, '15550100001@c.us']) {
      const bytes = recipientCopyBytes(decodeWebMessageInfo(sent), '15550100001-1600000000@g.us', participant);
      expect(toBase64(bytes)).toBe(recipientCopy(toBase64(sent), '15550100001-1600000000@g.us', participant));
    }
  });
});
