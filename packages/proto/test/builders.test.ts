import { describe, expect, it } from 'vitest';
import { decodeWebMessageInfo, encodeWebMessageInfo, generateMessageId, messageText, revokeMessage, textMessage } from '../src/index.ts';
import { concat, hex, msg, str, vint } from './support/wire-builder.ts';

const jid = '15551234567@s.whatsapp.net';

describe('textMessage', () => {
  it('plain text becomes `conversation`, with the fields given and no others', () => {
    const bytes = encodeWebMessageInfo(textMessage({ remoteJid: jid, fromMe: true, id: '3EB0000000000000000A', text: 'hello', timestamp: 1584004403, status: 'PENDING' }));
    expect(hex(bytes)).toBe(hex(concat(msg(1, str(1, jid), vint(2, true), str(3, '3EB0000000000000000A')), msg(2, str(1, 'hello')), vint(3, 1584004403), vint(4, 1))));
  });

  it('a group message carries the sender as participant; status stays absent unless given', () => {
    const info = decodeWebMessageInfo(
      encodeWebMessageInfo(textMessage({ remoteJid: '123-456@g.us', fromMe: false, id: 'ABC', text: 'hi all', timestamp: '1584004403', participant: jid })),
    );
    expect(info).toStrictEqual({
      key: { remoteJid: '123-456@g.us', fromMe: false, id: 'ABC' },
      message: { conversation: 'hi all' },
      messageTimestamp: '1584004403',
      participant: jid,
    });
  });

  it('a reply with mentions becomes an extendedTextMessage with context info', () => {
    const input = textMessage({
      remoteJid: '123-456@g.us',
      fromMe: true,
      id: 'R1',
      text: 'agreed @15550000002',
      timestamp: 1n,
      quoted: { id: 'Q1', participant: '15550000003@s.whatsapp.net', message: { conversation: 'lunch?' } },
      mentions: ['15550000002@s.whatsapp.net'],
    });
    const bytes = encodeWebMessageInfo(input);
    const extended = msg(
      6,
      str(1, 'agreed @15550000002'),
      msg(17, str(1, 'Q1'), str(2, '15550000003@s.whatsapp.net'), msg(3, str(1, 'lunch?')), str(15, '15550000002@s.whatsapp.net')),
    );
    expect(hex(bytes)).toBe(hex(concat(msg(1, str(1, '123-456@g.us'), vint(2, true), str(3, 'R1')), msg(2, extended), vint(3, 1))));
  });

  it('a quote in a group carries the group as contextInfo.remoteJid (4), after the quoted message (3)', () => {
    const input = textMessage({
      remoteJid: '123-456@g.us',
      fromMe: true,
      id: 'R2',
      text: 'yes',
      timestamp: 1,
      quoted: { id: 'Q2', participant: '15550000003@s.whatsapp.net', message: { conversation: 'lunch?' }, remoteJid: '123-456@g.us' },
    });
    const context = msg(17, str(1, 'Q2'), str(2, '15550000003@s.whatsapp.net'), msg(3, str(1, 'lunch?')), str(4, '123-456@g.us'));
    expect(hex(encodeWebMessageInfo(input))).toBe(
      hex(concat(msg(1, str(1, '123-456@g.us'), vint(2, true), str(3, 'R2')), msg(2, msg(6, str(1, 'yes'), context)), vint(3, 1))),
    );
  });

  it('mentions alone (no quote) also use extended text; an empty mention list does not', () => {
    const mentioned = textMessage({ remoteJid: jid, fromMe: true, id: 'M', text: '@1', timestamp: 1, mentions: ['1@s.whatsapp.net'] });
    expect(mentioned.message).toStrictEqual({ extendedTextMessage: { text: '@1', contextInfo: { mentionedJid: ['1@s.whatsapp.net'] } } });
    const plain = textMessage({ remoteJid: jid, fromMe: true, id: 'M', text: 'x', timestamp: 1, mentions: [] });
    expect(plain.message).toStrictEqual({ conversation: 'x' });
  });
});

describe('revokeMessage', () => {
  it('is a protocol message of type REVOKE naming the target in the same chat', () => {
    const bytes = encodeWebMessageInfo(revokeMessage({ remoteJid: jid, id: 'REV', targetId: 'TARGET', timestamp: 1584004500, status: 'PENDING' }));
    const protocol = msg(12, msg(1, str(1, jid), vint(2, true), str(3, 'TARGET')), vint(2, 0));
    expect(hex(bytes)).toBe(hex(concat(msg(1, str(1, jid), vint(2, true), str(3, 'REV')), msg(2, protocol), vint(3, 1584004500), vint(4, 1))));
  });
});

describe('generateMessageId', () => {
  it('gives 3EB0 and 16 upper-case hex digits, different each time', () => {
    const ids = new Set(Array.from({ length: 200 }, generateMessageId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^3EB0[0-9A-F]{16}$/);
  });
});

describe('messageText', () => {
  it('finds the text of each kind that has one', () => {
    expect(messageText({ conversation: 'a' })).toBe('a');
    expect(messageText({ extendedTextMessage: { text: 'b' } })).toBe('b');
    expect(messageText({ imageMessage: { caption: 'c' } })).toBe('c');
    expect(messageText({ videoMessage: { caption: 'd' } })).toBe('d');
    expect(messageText({ documentMessage: { title: 'e' } })).toBe('e');
    expect(messageText({ protocolMessage: { type: 'REVOKE' } })).toBeUndefined();
    expect(messageText({ ephemeralMessage: { message: { extendedTextMessage: { text: 'f' } } } })).toBe('f');
    expect(messageText({ ephemeralMessage: {} })).toBeUndefined();
    expect(messageText({})).toBeUndefined();
  });
});
