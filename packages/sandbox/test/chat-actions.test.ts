/**
 * Chat actions and the account's own pushes, at the frame level (in-memory link): what a web
 * client sends, what the world keeps, what the other sessions and the chat list show.
 */
import type { Node } from '@wa/binary-codec';
import { encodeMessage } from '@wa/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const bob = '15550100003@c.us';
const carol = '15550100004@c.us';
const dave = '15550100005@c.us';
const group = '15550100001-1600000000@g.us';
const NOW = 1_700_000_000;

let sandbox: Sandbox;
let first: MiniClient;
let second: MiniClient;

beforeEach(async () => {
  sandbox = new Sandbox({ clock: new ManualClock(NOW * 1000) });
  first = await loggedInClient(sandbox);
  second = await loggedInClient(sandbox);
});

afterEach(() => sandbox.close());

const account = () => sandbox.world.requireAccount(me);
const chatOf = (jid: string) => sandbox.world.chat(account(), jid);

/** Sends `["action",{type:"set",epoch},[["chat",attrs,null]]]` (metric 12) and returns the JSON answer. */
async function chatAction(client: MiniClient, attrs: Record<string, string>): Promise<unknown> {
  const reply = await client.query(['action', { type: 'set', epoch: '5' }, [['chat', attrs, null]]], 12);
  if (reply.kind !== 'json') throw new Error(`expected a JSON answer, got ${reply.kind}`);
  return reply.json;
}

/** The next `["action",null,[[child…]]]` push with a child named `name`. */
async function pushed(client: MiniClient, name: string): Promise<Node> {
  const { node } = await client.waitForNode((candidate) => candidate[0] === 'action' && Array.isArray(candidate[2]) && (candidate[2] as Node[]).some((child) => child[0] === name));
  return node;
}

/** The chat list attributes of `jid`, as a fresh `query chat` answers them. */
async function chatAttrs(client: MiniClient, jid: string): Promise<Record<string, string> | undefined> {
  const reply = await client.query(['query', { type: 'chat', epoch: '9' }, null], 5);
  if (reply.kind !== 'node') throw new Error('expected the chat list');
  return ((reply.node[2] as Node[]).find((chat) => chat[1]?.jid === jid)?.[1] ?? undefined) as Record<string, string> | undefined;
}

describe('archive and unarchive', () => {
  it('answers 200, keeps the chat archived, lists it with archive:"true" and pushes the change to the other session only', async () => {
    const push = pushed(second, 'chat');
    // docs/protocol/chat-actions.md shows these frames.
    const index = '3A1F2E3D4C5B6A798812';
    expect(await chatAction(first, { jid: alice, type: 'archive', index, owner: 'false' })).toEqual({ status: 200 });
    expect(await push).toEqual(['action', null, [['chat', { jid: alice, type: 'archive', index, owner: 'false' }, null]]]);
    expect(chatOf(alice)!.archived).toBe(true);
    expect((await chatAttrs(first, alice))!.archive).toBe('true');
    // The session that did it gets no push of its own action.
    const isArchivePush = (node: Node): boolean => node[0] === 'action' && Array.isArray(node[2]) && (node[2] as Node[]).some((child) => child[0] === 'chat');
    expect(first.received.some((frame) => frame.kind === 'node' && isArchivePush(frame.node))).toBe(false);
    const back = pushed(second, 'chat');
    expect(await chatAction(first, { jid: alice, type: 'unarchive' })).toEqual({ status: 200 });
    expect(await back).toEqual(['action', null, [['chat', { jid: alice, type: 'unarchive' }, null]]]);
    expect((await chatAttrs(first, alice))!.archive).toBeUndefined();
  });

  it('refuses a chat the account does not have with 404 and a missing jid with 400, changing nothing', async () => {
    expect(await chatAction(first, { jid: '15550109999@c.us', type: 'archive' })).toEqual({ status: 404 });
    expect(await chatAction(first, { type: 'archive' })).toEqual({ status: 400 });
    expect(await chatAction(first, { jid: alice, type: 'explode' })).toEqual({ status: 400 });
    expect(account().chats.some((chat) => chat.archived)).toBe(false);
  });
});

describe('pin and unpin', () => {
  it('pins with the given time (pin:"<s>" in the chat list), unpins with previous', async () => {
    const push = pushed(second, 'chat');
    expect(await chatAction(first, { jid: alice, type: 'pin', pin: String(NOW) })).toEqual({ status: 200 });
    expect(await push).toEqual(['action', null, [['chat', { jid: alice, type: 'pin', pin: String(NOW) }, null]]]);
    expect((await chatAttrs(first, alice))!.pin).toBe(String(NOW));
    const unpin = pushed(second, 'chat');
    expect(await chatAction(first, { jid: alice, type: 'pin', previous: String(NOW) })).toEqual({ status: 200 });
    expect(await unpin).toEqual(['action', null, [['chat', { jid: alice, type: 'pin', previous: String(NOW) }, null]]]);
    expect(chatOf(alice)!.pin).toBeUndefined();
    expect((await chatAttrs(first, alice))!.pin).toBeUndefined();
  });

  it('allows three pinned chats and refuses a fourth with 400', async () => {
    for (const jid of [alice, bob, carol]) expect(await chatAction(first, { jid, type: 'pin', pin: String(NOW) })).toEqual({ status: 200 });
    expect(await chatAction(first, { jid: dave, type: 'pin', pin: String(NOW) })).toEqual({ status: 400 });
    expect(chatOf(dave)!.pin).toBeUndefined();
    // Pinning a pinned chat again is no fourth pin.
    expect(await chatAction(first, { jid: bob, type: 'pin', pin: String(NOW + 5) })).toEqual({ status: 200 });
    expect(await chatAction(first, { jid: alice, type: 'pin', pin: 'soon' })).toEqual({ status: 400 });
  });
});

describe('mute and unmute', () => {
  it('mutes until the given time (mute:"<s>" in the chat list) and unmutes to 0', async () => {
    const until = String(NOW + 8 * 3600);
    const push = pushed(second, 'chat');
    expect(await chatAction(first, { jid: group, type: 'mute', mute: until })).toEqual({ status: 200 });
    expect(await push).toEqual(['action', null, [['chat', { jid: group, type: 'mute', mute: until }, null]]]);
    expect((await chatAttrs(first, group))!.mute).toBe(until);
    const unmute = pushed(second, 'chat');
    expect(await chatAction(first, { jid: group, type: 'mute', previous: until })).toEqual({ status: 200 });
    expect(await unmute).toEqual(['action', null, [['chat', { jid: group, type: 'mute', previous: until }, null]]]);
    expect((await chatAttrs(first, group))!.mute).toBe('0');
  });
});

describe('delete and clear', () => {
  it('delete removes the chat and its history from the account', async () => {
    const newest = chatOf(bob)!.messages.at(-1)!;
    const push = pushed(second, 'chat');
    expect(await chatAction(first, { jid: bob, type: 'delete', index: newest.id, owner: String(newest.fromMe) })).toEqual({ status: 200 });
    expect(await push).toEqual(['action', null, [['chat', { jid: bob, type: 'delete', index: newest.id, owner: String(newest.fromMe) }, null]]]);
    expect(chatOf(bob)).toBeUndefined();
    expect(sandbox.world.findMessage(account(), newest.id)).toBeUndefined();
    expect(await chatAttrs(first, bob)).toBeUndefined();
    expect(await chatAction(first, { jid: bob, type: 'delete' })).toEqual({ status: 404 });
  });

  it('clear with star:"false" keeps starred messages; star:"true" clears those too', async () => {
    const messages = chatOf(alice)!.messages;
    (messages[0] as { starred?: boolean }).starred = true;
    const starredId = messages[0]!.id;
    const newest = messages.at(-1)!;
    const push = pushed(second, 'chat');
    expect(await chatAction(first, { jid: alice, type: 'clear', star: 'false', index: newest.id, owner: 'false' })).toEqual({ status: 200 });
    expect(await push).toEqual(['action', null, [['chat', { jid: alice, type: 'clear', star: 'false', index: newest.id, owner: 'false' }, null]]]);
    expect(chatOf(alice)!.messages.map((message) => message.id)).toEqual([starredId]);
    expect(chatOf(alice)!.unread).toBe(0);
    expect(await chatAction(first, { jid: alice, type: 'clear', star: 'true' })).toEqual({ status: 200 });
    expect(chatOf(alice)!.messages).toEqual([]);
    // The chat itself stays.
    expect(await chatAttrs(first, alice)).toBeDefined();
  });

  it('clear up to index keeps what came after it', async () => {
    const [oldest, middle] = chatOf(alice)!.messages;
    expect(await chatAction(first, { jid: alice, type: 'clear', star: 'true', index: oldest!.id, owner: String(oldest!.fromMe) })).toEqual({ status: 200 });
    expect(chatOf(alice)!.messages[0]!.id).toBe(middle!.id);
    expect(chatOf(alice)!.messages).toHaveLength(2);
  });
});

describe('read state between sessions', () => {
  it('reading a chat on one session pushes ["read",{jid}] to the other; marking unread pushes type:"false"', async () => {
    const newest = chatOf(alice)!.messages.at(-1)!;
    const read = pushed(second, 'read');
    first.sendNode('r1', ['action', { type: 'set', epoch: '3' }, [['read', { jid: alice, index: newest.id, owner: 'false', count: '1' }, null]]], 11);
    expect(await read).toEqual(['action', null, [['read', { jid: alice }, null]]]);
    expect(chatOf(alice)!.unread).toBe(0);
    const unread = pushed(second, 'read');
    first.sendNode('r2', ['action', { type: 'set', epoch: '4' }, [['read', { jid: alice, index: newest.id, owner: 'false', count: '-2' }, null]]], 11);
    expect(await unread).toEqual(['action', null, [['read', { jid: alice, type: 'false' }, null]]]);
    expect(chatOf(alice)!.unread).toBe(-1);
    expect((await chatAttrs(second, alice))!.count).toBe('-1');
  });
});

describe('the phone', () => {
  it('readChat and markUnread push read state to every session', async () => {
    const pushes = [pushed(first, 'read'), pushed(second, 'read')];
    sandbox.phone.readChat(carol);
    for (const node of await Promise.all(pushes)) expect(node).toEqual(['action', null, [['read', { jid: carol }, null]]]);
    expect(chatOf(carol)!.unread).toBe(0);
    const unread = pushed(first, 'read');
    sandbox.phone.markUnread(carol);
    expect(await unread).toEqual(['action', null, [['read', { jid: carol, type: 'false' }, null]]]);
    expect(() => sandbox.phone.readChat('15550109999@c.us')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('archive, pin and mute reach every session; the limits are SandboxErrors', async () => {
    const archived = [pushed(first, 'chat'), pushed(second, 'chat')];
    sandbox.phone.archiveChat(alice);
    for (const node of await Promise.all(archived)) expect(node).toEqual(['action', null, [['chat', { jid: alice, type: 'archive' }, null]]]);
    const pinned = pushed(second, 'chat');
    sandbox.phone.pinChat(alice);
    expect(await pinned).toEqual(['action', null, [['chat', { jid: alice, type: 'pin', pin: String(NOW) }, null]]]);
    const muted = pushed(second, 'chat');
    sandbox.phone.muteChat(bob, (NOW + 3600) * 1000);
    expect((await muted)[2]).toEqual([['chat', { jid: bob, type: 'mute', mute: String(NOW + 3600) }, null]]);
    expect(() => sandbox.phone.muteChat(bob, (NOW - 1) * 1000)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    sandbox.phone.pinChat(bob);
    sandbox.phone.pinChat(carol);
    expect(() => sandbox.phone.pinChat(dave)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sandbox.phone.archiveChat('nobody')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('setBattery pushes ["battery",{live,value,powersave}] and the next Conn carries it', async () => {
    const push = pushed(second, 'battery');
    sandbox.phone.setBattery(15, { plugged: true, powersave: true });
    expect(await push).toEqual(['action', null, [['battery', { live: 'true', value: '15', powersave: 'true' }, null]]]);
    expect(account()).toMatchObject({ battery: 15, plugged: true, powersave: true });
    expect(() => sandbox.phone.setBattery(101)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const third = await loggedInClient(sandbox);
    expect(third.conn).toMatchObject({ battery: 15, plugged: true });
  });

  it('pushReceived and updateMessage push received and add:update', async () => {
    const own = chatOf(alice)!.messages.find((message) => message.fromMe)!;
    const received = pushed(first, 'received');
    sandbox.phone.pushReceived(alice, own.id, 'error');
    expect(await received).toEqual(['action', { add: 'relay' }, [['received', { jid: alice, index: own.id, owner: 'true', type: 'error' }, null]]]);
    expect(own.status).toBe('ERROR');
    const update = first.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'update');
    sandbox.phone.updateMessage(alice, own.id, encodeMessage({ conversation: 'Yes, 11am at the station' }));
    const [info] = messagesOf((await update).node);
    expect(info).toMatchObject({ key: { id: own.id, fromMe: true }, message: { conversation: 'Yes, 11am at the station' } });
    expect(() => sandbox.phone.updateMessage(alice, 'nope', 'x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('persistence', () => {
  it('archive, pin, mute and powersave survive exportState → new Sandbox({ state })', async () => {
    expect(await chatAction(first, { jid: alice, type: 'archive' })).toEqual({ status: 200 });
    expect(await chatAction(first, { jid: bob, type: 'pin', pin: String(NOW) })).toEqual({ status: 200 });
    expect(await chatAction(first, { jid: group, type: 'mute', mute: String(NOW + 60) })).toEqual({ status: 200 });
    sandbox.phone.setBattery(40, { powersave: true });
    const state = JSON.parse(JSON.stringify(sandbox.exportState()));
    const restarted = new Sandbox({ state, clock: new ManualClock(NOW * 1000) });
    try {
      const client = await loggedInClient(restarted);
      expect((await chatAttrs(client, alice))!.archive).toBe('true');
      expect((await chatAttrs(client, bob))!.pin).toBe(String(NOW));
      expect((await chatAttrs(client, group))!.mute).toBe(String(NOW + 60));
      expect(restarted.world.requireAccount(me).powersave).toBe(true);
    } finally {
      restarted.close();
    }
  });

  it('refuses a state file with a pin that is no number of seconds', () => {
    const state = JSON.parse(JSON.stringify(sandbox.exportState()));
    state.world.accounts[0].chats[0].pin = 'yesterday';
    expect(() => new Sandbox({ state }).close()).toThrow(/chats\[0\]\.pin must be a whole number/);
    state.world.accounts[0].chats[0].pin = 5;
    state.world.accounts[0].powersave = 'on';
    expect(() => new Sandbox({ state }).close()).toThrow(/accounts\[0\]\.powersave must be true or false/);
  });
});
