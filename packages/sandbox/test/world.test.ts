import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { randomHex, seededRandom, systemRandom } from '../src/random.ts';
import { defaultWorld } from '../src/world/default-world.ts';
import { checkGroupJid, checkUserJid, isGroupJid, normalizeJid, protoJid } from '../src/world/jid.ts';
import { World } from '../src/world/world.ts';

const context = { now: () => 1_700_000_000_000, random: seededRandom('world') };

describe('world', () => {
  it('builds the default world: one account, five contacts, one group, history in every chat', () => {
    const world = World.fromSpec(defaultWorld(), context);
    expect(world.accounts.map((account) => account.wid)).toEqual(['15550100001@c.us']);
    const account = world.accounts[0]!;
    expect(account.contacts).toHaveLength(5);
    expect(world.groups.map((group) => group.subject)).toEqual(['Weekend Trip']);
    expect(account.chats).toHaveLength(6);
    expect(account.chats.every((chat) => chat.messages.length > 0)).toBe(true);
    const group = world.chat(account, '15550100001-1600000000@g.us')!;
    expect(group.messages[0]).toMatchObject({ fromMe: false, participant: '15550100002@c.us', text: 'Who brings the snacks?' });
    expect(world.chatsOf(account)[0]!.jid).toBe('15550100099@c.us');
    expect(world.displayName(account, '15550100005@c.us')).toBe('Dave (work)');
    expect(world.user('15550100002@s.whatsapp.net')?.name).toBe('Alice');
  });

  it('finds seeded and appended messages by id, before and after the first lookup', () => {
    const world = World.fromSpec(defaultWorld(), context);
    const account = world.accounts[0]!;
    const seeded = account.chats[0]!.messages[0]!;
    const early = { id: '3EB0000000000000000A', fromMe: true, t: 1, status: 'PENDING' as const, text: 'before any lookup' };
    world.appendMessage(account, '15550100002@c.us', early);
    expect(world.findMessage(account, seeded.id)?.message).toBe(seeded);
    expect(world.findMessage(account, early.id)).toMatchObject({ chat: { jid: '15550100002@c.us' }, message: early });
    const late = { ...early, id: '3EB0000000000000000B', text: 'after the index exists' };
    world.appendMessage(account, '15550100003@c.us', late);
    expect(world.findMessage(account, late.id)).toMatchObject({ chat: { jid: '15550100003@c.us' }, message: late });
    // An id appended twice still resolves to its first message, as a scan of the history would.
    world.appendMessage(account, '15550100004@c.us', { ...late, text: 'a copy' });
    expect(world.findMessage(account, late.id)?.message).toBe(late);
    expect(world.findMessage(account, '3EB0FFFFFFFFFFFFFFFF')).toBeUndefined();
  });

  it('keeps at most maxMessagesPerChat per chat: the oldest go, and their ids with them', () => {
    const world = World.fromSpec({ accounts: [{ jid: '15550000001@c.us', name: 'A' }] }, { ...context, maxMessagesPerChat: 3 });
    const account = world.accounts[0]!;
    const message = (n: number) => ({ id: `3EB0${String(n).padStart(16, '0')}`, fromMe: true, t: n, status: 'SERVER_ACK' as const, text: `m${n}` });
    world.appendMessage(account, '15550000002@c.us', message(1));
    expect(world.findMessage(account, message(1).id)).toBeDefined();
    for (let n = 2; n <= 5; n++) world.appendMessage(account, '15550000002@c.us', message(n));
    expect(world.chat(account, '15550000002@c.us')!.messages.map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
    expect(world.findMessage(account, message(1).id)).toBeUndefined();
    expect(world.findMessage(account, message(2).id)).toBeUndefined();
    expect(world.findMessage(account, message(5).id)?.message.text).toBe('m5');
  });

  it('round-trips through toData/fromData', () => {
    const world = World.fromSpec(defaultWorld(), context);
    const copy = World.fromData(JSON.parse(JSON.stringify(world.toData())), context);
    expect(copy.toData()).toEqual(world.toData());
  });

  it('refuses bad specs with typed errors', () => {
    expect(() => World.fromSpec({ accounts: [] }, context)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => World.fromSpec({ accounts: [{ jid: 'alice', name: 'A' }] }, context)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const world = World.fromSpec({ accounts: [{ jid: '15550000001@c.us', name: 'A' }] }, context);
    expect(() => world.addAccount({ jid: '15550000001@c.us', name: 'A' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => world.requireGroup('1-2@g.us')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => world.addGroup({ id: 'nope', subject: 'x', participants: ['15550000001@c.us'] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => World.fromData({} as never, context)).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });
});

describe('jids', () => {
  it('converts between the JSON and protobuf forms', () => {
    expect(normalizeJid('491234@s.whatsapp.net')).toBe('491234@c.us');
    expect(protoJid('491234@c.us')).toBe('491234@s.whatsapp.net');
    expect(protoJid('491234-1600000000@g.us')).toBe('491234-1600000000@g.us');
    expect(isGroupJid('491234-1600000000@g.us')).toBe(true);
    expect(checkUserJid('4912345@s.whatsapp.net')).toBe('4912345@c.us');
    expect(() => checkUserJid('12@c.us')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkGroupJid('4912345@c.us')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('randomness and time', () => {
  it('seeded sources repeat per seed and differ between seeds', () => {
    expect(seededRandom('a').bytes(64)).toEqual(seededRandom('a').bytes(64));
    expect(seededRandom('a').bytes(16)).not.toEqual(seededRandom('b').bytes(16));
    expect(seededRandom(7).bytes(5)).toHaveLength(5);
    expect(randomHex(seededRandom('x'), 16)).toMatch(/^[0-9A-F]{16}$/);
  });

  it('seeded bytes are spread over all values', () => {
    const counts = new Array(256).fill(0);
    for (const byte of seededRandom('spread').bytes(256 * 200)) counts[byte] += 1;
    expect(Math.min(...counts)).toBeGreaterThan(120);
    expect(Math.max(...counts)).toBeLessThan(290);
  });

  it('the system source gives fresh bytes and refuses bad lengths', () => {
    expect(systemRandom().bytes(32)).not.toEqual(systemRandom().bytes(32));
    expect(systemRandom().bytes(70000)).toHaveLength(70000);
    expect(() => systemRandom().bytes(-1)).toThrow(RangeError);
  });

  it('a manual clock only moves when told', () => {
    const clock = new ManualClock(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(42);
    expect(clock.now()).toBe(42);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
