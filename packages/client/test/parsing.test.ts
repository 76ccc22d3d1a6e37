import { encodeWebMessageInfo } from '@wa/proto';
import { describe, expect, it } from 'vitest';
import { ChatStore, checkJid, InvalidArgumentError, isGroupJid, toChatJid, toProtoJid } from '../src/index.ts';
import { chatFromNode, contactFromNode, messageEvent, messagesFromNode, presenceFromJson, receiptsFromAck } from '../src/nodes.ts';

describe('jids', () => {
  it('converts between the node and the protobuf forms', () => {
    expect(toChatJid('15550100002@s.whatsapp.net')).toBe('15550100002@c.us');
    expect(toProtoJid('15550100002@c.us')).toBe('15550100002@s.whatsapp.net');
    expect(toProtoJid('15550100001-1600000000@g.us')).toBe('15550100001-1600000000@g.us');
    expect(isGroupJid('15550100001-1600000000@g.us')).toBe(true);
    expect(checkJid('15550100002@s.whatsapp.net')).toBe('15550100002@c.us');
    expect(checkJid('status@broadcast')).toBe('status@broadcast');
    for (const bad of ['alice', '@c.us', '1555@example.com', 15550100002, '1555 0100@c.us']) {
      expect(() => checkJid(bad)).toThrow(InvalidArgumentError);
    }
  });
});

describe('nodes', () => {
  it('reads chats and contacts with their attributes', () => {
    expect(chatFromNode(['chat', { jid: '15550100002@c.us', count: '3', t: '1600000000', mute: '0', name: 'Alice', archive: 'true', read_only: 'false', spam: 'false' }, null])).toEqual({
      jid: '15550100002@c.us', name: 'Alice', unreadCount: 3, timestamp: 1600000000, muteUntil: 0, archived: true, readOnly: false, spam: false,
    });
    expect(chatFromNode(['chat', {}, null])).toBeUndefined();
    expect(contactFromNode(['user', { jid: '15550100002@s.whatsapp.net', name: 'Alice', short: 'Ali', notify: 'A.' }, null])).toEqual({
      jid: '15550100002@c.us', name: 'Alice', short: 'Ali', notify: 'A.',
    });
  });

  it('decodes the messages of an action node; a broken one costs only itself', () => {
    const good = encodeWebMessageInfo({ key: { remoteJid: '15550100001-1600000000@g.us', fromMe: false, id: 'ABC', participant: '15550100003@s.whatsapp.net' }, message: { conversation: 'hi' }, messageTimestamp: 1600000000 });
    const { messages, errors } = messagesFromNode(['action', { add: 'relay' }, [['message', null, good], ['message', null, new Uint8Array([0xff, 0xff])], ['message', null, null]]], 't1');
    expect(messages).toHaveLength(1);
    expect(errors.map((error) => [error.code, error.tag])).toEqual([['BAD_MESSAGE', 't1'], ['BAD_MESSAGE', 't1']]);
    expect(messageEvent(messages[0]!, 'relay', '15550100001@c.us')).toMatchObject({
      chat: '15550100001-1600000000@g.us', sender: '15550100003@c.us', id: 'ABC', text: 'hi', timestamp: 1600000000, fromMe: false,
    });
  });

  it('reads acks (one id or several) and presence', () => {
    expect(receiptsFromAck({ cmd: 'ack', ack: 3, id: 'X', from: '1@c.us', to: '15550100002@c.us', t: 5 })).toEqual([{ id: 'X', chat: '15550100002@c.us', ack: 3, status: 'READ', timestamp: 5 }]);
    expect(receiptsFromAck({ cmd: 'ack', ack: 2, id: ['A', 'B'], to: '15550100001-1600000000@g.us', participant: '15550100003@c.us' }).map((r) => [r.id, r.participant])).toEqual([
      ['A', '15550100003@c.us'],
      ['B', '15550100003@c.us'],
    ]);
    expect(receiptsFromAck({ cmd: 'ack', ack: 9, id: 'X' })).toEqual([]);
    expect(receiptsFromAck('nonsense')).toEqual([]);
    expect(presenceFromJson({ id: '15550100004@c.us', type: 'unavailable', t: 7 })).toEqual({ jid: '15550100004@c.us', type: 'unavailable', lastSeen: 7 });
    expect(presenceFromJson({ id: '15550100004@c.us', type: 'dancing' })).toBeUndefined();
  });
});

describe('ChatStore', () => {
  it('orders chats, counts unread relays, raises statuses and never lowers them', () => {
    const store = new ChatStore(2);
    const base = { muteUntil: 0, archived: false, readOnly: false, spam: false };
    store.setChats([{ jid: 'a@c.us', unreadCount: 0, timestamp: 10, ...base }, { jid: 'b@c.us', unreadCount: 0, timestamp: 20, ...base }]);
    expect(store.chats().map((chat) => chat.jid)).toEqual(['b@c.us', 'a@c.us']);
    const info = (id: string, t: number) => ({ key: { remoteJid: 'a@s.whatsapp.net', fromMe: false, id }, messageTimestamp: String(t), status: 'PENDING' as const });
    const event = (id: string, t: number) => ({ info: info(id, t), chat: 'a@c.us', id, fromMe: false, sender: 'a@c.us', timestamp: t, source: 'relay' as const, kind: 'unknown' as const });
    expect(store.addMessage(event('m1', 30))).toBe(true);
    expect(store.chats()[0]).toMatchObject({ jid: 'a@c.us', unreadCount: 1, timestamp: 30 });
    store.addMessage(event('m2', 31));
    store.addMessage(event('m3', 32));
    expect(store.messages('a@c.us').map((m) => m.key.id)).toEqual(['m2', 'm3']);
    store.applyReceipt({ id: 'm3', chat: 'a@c.us', ack: 3, status: 'READ' });
    store.applyReceipt({ id: 'm3', chat: 'a@c.us', ack: 2, status: 'DELIVERY_ACK' });
    expect(store.messages('a@c.us').at(-1)?.status).toBe('READ');
    expect(store.markRead('a@c.us')).toBe(true);
    expect(store.markRead('a@c.us')).toBe(false);
    store.reset();
    expect(store.chats()).toEqual([]);
    expect(store.hasChatList).toBe(false);
  });
});
