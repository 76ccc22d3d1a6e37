import { utf8Decode, utf8Encode } from '@wa/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const bob = '15550100003@c.us';
const dave = '15550100005@c.us';
const echo = '15550100099@c.us';
const group = '15550100001-1600000000@g.us';

let sandbox: Sandbox;
let client: MiniClient;

beforeEach(async () => {
  sandbox = new Sandbox({ clock: new ManualClock(1_700_000_000_000) });
  for (const jid of [alice, bob, dave, echo]) sandbox.contact(jid).configure({ deliverAfterMs: 5, readAfterMs: jid === dave ? null : 5 });
  client = await loggedInClient(sandbox);
});

afterEach(() => sandbox.close());

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('messages from contacts', () => {
  it("a contact's message arrives sealed and decodes to the WebMessageInfo", async () => {
    const sent = sandbox.contact(alice).sendText('Ping from Alice');
    const { node } = await client.waitForNode((n) => n[0] === 'action' && n[1]?.add === 'relay');
    const [info] = messagesOf(node);
    expect(info).toMatchObject({
      key: { remoteJid: '15550100002@s.whatsapp.net', fromMe: false, id: sent.id },
      message: { conversation: 'Ping from Alice' },
      messageTimestamp: '1700000000',
    });
    const binary = client.raw.filter((frame): frame is Uint8Array => typeof frame !== 'string');
    expect(binary.length).toBeGreaterThan(0);
    expect(binary.some((frame) => contains(frame, utf8Encode('Ping from Alice')))).toBe(false);
    expect(sandbox.world.chat(sandbox.world.requireAccount(me), alice)!.unread).toBe(2);
  });

  it('a group message carries the participant', async () => {
    sandbox.contact(bob).sendText('Train at 10:15', { group });
    const { node } = await client.waitForNode((n) => n[0] === 'action' && n[1]?.add === 'relay');
    expect(messagesOf(node)[0]).toMatchObject({
      key: { remoteJid: group, fromMe: false, participant: '15550100003@s.whatsapp.net' },
      participant: '15550100003@s.whatsapp.net',
      message: { conversation: 'Train at 10:15' },
    });
  });

  it('refuses scripting unknown users with NOT_FOUND', () => {
    expect(() => sandbox.contact('49999@c.us')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('sending', () => {
  it('acks with {"status":200} under the message id, then Msg ack 2 and ack 3', async () => {
    const { id, reply } = await client.sendText(alice, 'Hello Alice');
    expect(reply).toEqual({ kind: 'json', tag: id, json: { status: 200 } });
    const delivered = await client.waitForJson('Msg', (body) => (body as { ack: number }).ack === 2);
    expect(delivered).toEqual(['Msg', { cmd: 'ack', ack: 2, id, from: me, to: alice, t: 1700000000 }]);
    const read = await client.waitForJson('Msg', (body) => (body as { ack: number }).ack === 3);
    expect(read[1]).toMatchObject({ cmd: 'ack', ack: 3, id, to: alice });
    const stored = sandbox.world.findMessage(sandbox.world.requireAccount(me), id)!;
    expect(stored.message).toMatchObject({ fromMe: true, status: 'READ', text: 'Hello Alice' });
  });

  it('a contact that never reads only delivers, until scripted to read', async () => {
    const { id } = await client.sendText(dave, 'Report?');
    await client.waitForJson('Msg', (body) => (body as { ack: number; id: string }).ack === 2 && (body as { id: string }).id === id);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(client.received.some((f) => f.kind === 'json' && Array.isArray(f.json) && f.json[0] === 'Msg' && (f.json[1] as { ack: number }).ack === 3)).toBe(false);
    sandbox.contact(dave).readMessages();
    const read = await client.waitForJson('Msg', (body) => (body as { ack: number; id: string }).ack === 3 && (body as { id: string }).id === id);
    expect(read[1]).toMatchObject({ from: me, to: dave });
  });

  it('a read before delivery sends ack 2 then ack 3', async () => {
    sandbox.contact(dave).configure({ deliverAfterMs: null });
    const { id } = await client.sendText(dave, 'read me');
    sandbox.contact(dave).readMessages();
    const ofThis = (body: unknown): boolean => (body as { id: string }).id === id;
    const acks = [await client.waitForJson('Msg', ofThis), await client.waitForJson('Msg', ofThis)].map((frame) => frame[1] as { ack: number; id: string });
    expect(acks).toEqual([expect.objectContaining({ ack: 2, id }), expect.objectContaining({ ack: 3, id })]);
  });

  it('the echo bot replies', async () => {
    await client.sendText(echo, 'are you there?');
    const { node } = await client.waitForNode((n) => n[0] === 'action' && n[1]?.add === 'relay');
    expect(messagesOf(node)[0]).toMatchObject({ key: { fromMe: false, remoteJid: '15550100099@s.whatsapp.net' }, message: { conversation: 'echo: are you there?' } });
  });

  it('group sends get MsgInfo acks per participant', async () => {
    const { id } = await client.sendText(group, 'Who drives?');
    const ack = await client.waitForJson('MsgInfo', (body) => (body as { ack: number }).ack === 3);
    expect(ack[1]).toMatchObject({ cmd: 'ack', ack: 3, id, from: me, to: group, participant: expect.stringMatching(/@c\.us$/) });
  });

  it('refuses a relay whose payload is not a WebMessageInfo with 400', async () => {
    const reply = await client.query(['action', { type: 'relay', epoch: '2' }, [['message', null, new Uint8Array([0xff, 0xff, 0xff])]]], 16, 0x80, '3EB0AAAAAAAAAAAAAAAA');
    expect(reply).toEqual({ kind: 'json', tag: '3EB0AAAAAAAAAAAAAAAA', json: { status: 400 } });
  });
});

describe('receipts and presence', () => {
  it('a read receipt answers 200 and clears the unread count', async () => {
    const reply = await client.query(['action', { type: 'set', epoch: '3' }, [['read', { jid: alice, index: 'X', owner: 'false', count: '1' }, null]]], 11);
    expect(reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    expect(sandbox.world.chat(sandbox.world.requireAccount(me), alice)!.unread).toBe(0);
  });

  it('presence subscribe answers 200, pushes the current presence, then changes', async () => {
    expect(await client.request(['action', 'presence', 'subscribe', '15550100004@c.us'])).toEqual({ status: 200 });
    expect(await client.waitForJson('Presence')).toEqual(['Presence', { id: '15550100004@c.us', type: 'available' }]);
    expect(await client.request(['action', 'presence', 'subscribe', alice])).toEqual({ status: 200 });
    expect((await client.waitForJson('Presence'))[1]).toMatchObject({ id: alice, type: 'unavailable', t: expect.any(Number) });
    sandbox.contact(alice).setPresence('available');
    expect(await client.waitForJson('Presence')).toEqual(['Presence', { id: alice, type: 'available' }]);
    sandbox.contact(alice).setPresence('composing');
    expect((await client.waitForJson('Presence'))[1]).toMatchObject({ id: alice, type: 'composing' });
    sandbox.contact(bob).setPresence('composing', { group });
    expect((await client.waitForJson('Presence'))[1]).toMatchObject({ id: group, participant: bob, type: 'composing' });
  });

  it('the client can set its own presence', async () => {
    const reply = await client.query(['action', { type: 'set', epoch: '4' }, [['presence', { type: 'unavailable' }, null]]], 8, 0x10);
    expect(reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    expect(sandbox.world.requireUser(me).presence).toBe('unavailable');
  });
});

describe('queries', () => {
  it('answers the binary queries a web client sends after login', async () => {
    const chat = await client.query(['query', { type: 'chat', epoch: '1' }, null], 5);
    expect(chat.kind === 'node' && chat.node[1]).toEqual({ type: 'chat' });
    const contacts = await client.query(['query', { type: 'contacts', epoch: '1' }, null], 6);
    expect(contacts.kind === 'node' && (contacts.node[2] as unknown[]).length).toBe(5);
    const status = await client.query(['query', { type: 'status', epoch: '1' }, null], 15);
    if (status.kind !== 'node') throw new Error('expected a node');
    // Text content travels as bytes on the wire (the format cannot tell strings from bytes).
    const statuses = (status.node[2] as Array<[string, Record<string, string>, Uint8Array]>).map(([, attrs, text]) => [attrs.jid, utf8Decode(text)]);
    expect(statuses).toContainEqual([alice, 'Hiking somewhere ⛰']);
    for (const type of ['quick_reply', 'label', 'emoji']) {
      const reply = await client.query(['query', { type, epoch: '1' }, null]);
      expect(reply.kind === 'node' && reply.node[0]).toBe('response');
      expect(reply.kind === 'node' && reply.node[1]).toEqual({ type });
    }
  });

  it('serves history pages with add:before, last:true at the start', async () => {
    const newest = await client.query(['query', { type: 'message', jid: alice, kind: 'before', count: '2', owner: 'true', epoch: '5' }, null], 7);
    if (newest.kind !== 'node') throw new Error('expected a node');
    expect(newest.node[1]).toEqual({ add: 'before' });
    const page = messagesOf(newest.node);
    expect(page.map((info) => info.message?.conversation)).toEqual(['Yes, 10am at the station', 'Great, see you there 👋']);
    const older = await client.query(['query', { type: 'message', jid: alice, kind: 'before', count: '2', index: page[0]!.key.id!, owner: 'true', epoch: '6' }, null], 7);
    if (older.kind !== 'node') throw new Error('expected a node');
    expect(older.node[1]).toEqual({ add: 'before', last: 'true' });
    expect(messagesOf(older.node).map((info) => info.message?.conversation)).toEqual(['Hi! Are we still on for Saturday?']);
  });

  it('answers the JSON queries', async () => {
    expect(await client.request(['query', 'ProfilePicThumb', alice])).toMatchObject({ eurl: 'https://pps.whatsapp.net/v/sandbox/alice.jpg' });
    expect(await client.request(['query', 'ProfilePicThumb', bob])).toEqual({ status: 404 });
    expect(await client.request(['query', 'Status', alice])).toEqual({ status: 'Hiking somewhere ⛰' });
    expect(await client.request(['query', 'exist', '15550100003@s.whatsapp.net'])).toEqual({ status: 200, jid: bob });
    expect(await client.request(['query', 'exist', '4912345@c.us'])).toEqual({ status: 404 });
    expect(await client.request(['query', 'GroupMetadata', group])).toEqual({
      id: group,
      owner: me,
      subject: 'Weekend Trip',
      creation: 1600000000,
      participants: [
        { id: me, isAdmin: true, isSuperAdmin: true },
        { id: alice, isAdmin: true, isSuperAdmin: false },
        { id: bob, isAdmin: false, isSuperAdmin: false },
        { id: '15550100004@c.us', isAdmin: false, isSuperAdmin: false },
      ],
      desc: 'Planning the trip to the lake',
      descId: 'D1600000000',
      descOwner: me,
      descTime: 1600000000,
    });
    expect(await client.request(['query', 'nonsense'])).toEqual({ status: 404 });
  });

  it('answers the keep-alive with !<server time>', async () => {
    client.link.send('?,,');
    expect(await client.waitFor((frame) => frame.kind === 'pong')).toEqual({ kind: 'pong', time: 1_700_000_000_000 });
  });
});

describe('phone reachability', () => {
  it('pushes Pong, answers admin test, and holds phone-bound requests until the phone is back', async () => {
    expect(await client.request(['admin', 'test'])).toBe(true);
    sandbox.phone.setReachable(false);
    expect(await client.waitForJson('Pong')).toEqual(['Pong', false]);
    expect(await client.request(['admin', 'test'])).toBe(false);
    const pending = client.query(['query', { type: 'chat', epoch: '9' }, null], 5);
    sandbox.contact(alice).sendText('sent while the phone was off');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.received.some((f) => f.kind === 'node' && f.node[1]?.add === 'relay')).toBe(false);
    sandbox.phone.setReachable(true);
    expect(await client.waitForJson('Pong')).toEqual(['Pong', true]);
    expect((await pending).kind).toBe('node');
    const { node } = await client.waitForNode((n) => n[1]?.add === 'relay');
    expect(messagesOf(node)[0]!.message?.conversation).toBe('sent while the phone was off');
  });
});
