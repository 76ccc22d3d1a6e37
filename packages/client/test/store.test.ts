import { describe, expect, it } from 'vitest';
import { ChatStore, type Chat, type MessageEvent } from '../src/index.ts';

const base = { muteUntil: 0, archived: false, readOnly: false, spam: false };
const chat = (jid: string, timestamp: number): Chat => ({ jid, unreadCount: 0, timestamp, ...base });

function event(chatJid: string, id: string, t: number, source: MessageEvent['source'] = 'relay', fromMe = false): MessageEvent {
  const info = { key: { remoteJid: chatJid.replace('@c.us', '@s.whatsapp.net'), fromMe, id }, messageTimestamp: String(t), status: 'PENDING' as const };
  return { info, chat: chatJid, id, fromMe, sender: chatJid, timestamp: t, source, kind: 'unknown' };
}

/** What the store did before it kept its order: a stable sort of everything, every time. */
const sortedByTime = (chats: Chat[]): string[] => [...chats].sort((a, b) => b.timestamp - a.timestamp).map((entry) => entry.jid);

describe('ChatStore keeps its order without sorting', () => {
  it('keeps each chat oldest first: an older message goes before newer ones, equal times in arrival order', () => {
    const store = new ChatStore();
    for (const [id, t] of [['a', 10], ['b', 30], ['c', 20], ['d', 30], ['e', 5], ['f', 20]] as const) store.addMessage(event('x@c.us', id, t));
    expect(store.messages('x@c.us').map((info) => info.key.id)).toEqual(['e', 'a', 'c', 'f', 'b', 'd']);
  });

  it('replaces a known id in place, counts it once, and forgets the ids it trimmed', () => {
    const store = new ChatStore(3);
    for (const [id, t] of [['a', 1], ['b', 2], ['c', 3]] as const) store.addMessage(event('x@c.us', id, t));
    expect(store.addMessage(event('x@c.us', 'b', 2))).toBe(false);
    expect(store.chat('x@c.us')?.unreadCount).toBe(3);
    store.addMessage(event('x@c.us', 'd', 4));
    expect(store.messages('x@c.us').map((info) => info.key.id)).toEqual(['b', 'c', 'd']);
    // 'a' was trimmed: a receipt for it changes nothing, and it may be stored again.
    store.applyReceipt({ id: 'a', chat: 'x@c.us', ack: 3, status: 'READ' });
    store.applyReceipt({ id: 'c', chat: 'x@c.us', ack: 3, status: 'READ' });
    expect(store.messages('x@c.us').map((info) => info.status)).toEqual(['PENDING', 'READ', 'PENDING']);
    // A later copy of 'c' (another status) replaces the stored one, the raised status included.
    store.addMessage({ ...event('x@c.us', 'c', 3), info: { ...event('x@c.us', 'c', 3).info, status: 'DELIVERY_ACK' } });
    expect(store.messages('x@c.us').map((info) => info.status)).toEqual(['PENDING', 'DELIVERY_ACK', 'PENDING']);
  });

  it('orders the chat list as a sort by time would, ties in the order the chats became known', () => {
    const store = new ChatStore();
    const listed = [chat('a@c.us', 10), chat('b@c.us', 20), chat('c@c.us', 20), chat('d@c.us', 5)];
    store.setChats(listed);
    // In the order the chats became known: the list's order, then new chats as they come.
    const mirror = new Map(listed.map((entry) => [entry.jid, { ...entry }]));
    const order = (): string[] => store.chats().map((entry) => entry.jid);
    expect(order()).toEqual(['b@c.us', 'c@c.us', 'a@c.us', 'd@c.us']);
    const steps: Array<[string, number]> = [['d@c.us', 20], ['a@c.us', 15], ['e@c.us', 12], ['c@c.us', 25], ['e@c.us', 25], ['b@c.us', 3], ['f@c.us', 1], ['a@c.us', 25]];
    let n = 0;
    for (const [jid, t] of steps) {
      store.addMessage(event(jid, `m${n++}`, t));
      const known = mirror.get(jid) ?? chat(jid, 0);
      known.timestamp = Math.max(known.timestamp, t);
      mirror.set(jid, known);
      expect(order()).toEqual(sortedByTime([...mirror.values()]));
    }
    // History (not relay) moves nothing; neither does an older relay.
    store.addMessage(event('f@c.us', 'h1', 99, 'before'));
    store.addMessage(event('b@c.us', 'old', 1));
    expect(order()).toEqual(sortedByTime([...mirror.values()]));
    expect(store.chat('b@c.us')?.unreadCount).toBe(2);
  });

  it('starts over after setChats and reset', () => {
    const store = new ChatStore();
    store.addMessage(event('a@c.us', 'm1', 50));
    store.setChats([chat('b@c.us', 10), chat('a@c.us', 10)]);
    expect(store.chats().map((entry) => entry.jid)).toEqual(['b@c.us', 'a@c.us']);
    store.addMessage(event('a@c.us', 'm2', 11));
    expect(store.chats().map((entry) => entry.jid)).toEqual(['a@c.us', 'b@c.us']);
    store.reset();
    expect(store.chats()).toEqual([]);
    expect(store.messages('a@c.us')).toEqual([]);
    expect(store.addMessage(event('a@c.us', 'm2', 11))).toBe(true);
  });
});
