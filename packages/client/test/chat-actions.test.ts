/**
 * Chat actions and the account's own pushes against the in-memory sandbox: the exact frames the
 * client sends, what the server keeps, and what a second session of the account sees.
 */
import { decode, type Node } from '@wa/binary-codec';
import { encodeMessage } from '@wa/proto';
import { createMemoryWebSocket, type Sandbox } from '@wa/sandbox/core';
import { fromBase64, openFrame } from '@wa/crypto';
import { parseFrame, type WebSocketConstructor } from '@wa/transport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, MemoryAuthStore, RequestError, WAClient, type ChatUpdate, type Credentials } from '../src/index.ts';
import { ALICE, BOB, CAROL, collect, DAVE, GROUP, loggedIn, ME, newSandbox } from './support/harness.ts';

let sandbox: Sandbox;
let client: WAClient;
let auth: MemoryAuthStore;
let other: WAClient;
let sent: Array<string | Uint8Array>;

/** A client whose every outgoing frame is kept in `sent`. */
function recordingClient(): WAClient {
  const Base = createMemoryWebSocket(sandbox);
  class Recording extends Base {
    override send(data: string | Uint8Array): void {
      sent.push(typeof data === 'string' ? data : new Uint8Array(data));
      super.send(data);
    }
  }
  return new WAClient({ url: 'ws://sandbox.invalid/ws', WebSocket: Recording as unknown as WebSocketConstructor, requestTimeoutMs: 3_000, auth });
}

/** The sealed nodes the recording client sent, opened with its session keys, with their metric and flag. */
async function sentNodes(): Promise<Array<{ node: Node; metric: number | undefined; flag: number | undefined }>> {
  const credentials = (await auth.load()) as Credentials;
  const keys = { encKey: fromBase64(credentials.encKey), macKey: fromBase64(credentials.macKey) };
  return sent
    .filter((frame): frame is Uint8Array => typeof frame !== 'string')
    .map((frame) => parseFrame(frame, { from: 'client' }))
    .flatMap((frame) => (frame.kind === 'binary' ? [{ node: decode(openFrame(keys, frame.payload)), metric: frame.metric, flag: frame.flag }] : []));
}

/** The last `action set` the client sent, and its header bytes. */
async function lastAction(): Promise<{ node: Node; metric: number | undefined; flag: number | undefined }> {
  const actions = (await sentNodes()).filter(({ node }) => node[0] === 'action' && node[1]?.type === 'set' && (node[2] as Node[])[0]?.[0] !== 'presence');
  return actions.at(-1)!;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

beforeEach(async () => {
  sandbox = newSandbox();
  sent = [];
  auth = new MemoryAuthStore();
  client = recordingClient();
  client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  await client.connect();
  await until(() => client.messages(ALICE).length === 3 && client.messages(GROUP).length === 3, 'the recent messages');
  ({ client: other } = await loggedIn(sandbox));
});

afterEach(async () => {
  await client?.close();
  await other?.close();
  sandbox?.close();
});

const account = () => sandbox.world.requireAccount(ME);
const worldChat = (jid: string) => sandbox.world.chat(account(), jid);
const chatOf = (c: WAClient, jid: string) => c.chats().find((chat) => chat.jid === jid);
const nextUpdate = (c: WAClient, action: ChatUpdate['action']) => c.waitFor('chat-update', { filter: (update) => update.action === action });

describe('archive and unarchive', () => {
  it('sends ["chat",{jid,type:"archive",index,owner}] (metric 12), the store follows, the other session gets chat-update', async () => {
    const newest = client.messages(ALICE).at(-1)!;
    const mine = collect(client, 'chat-update');
    const pushed = nextUpdate(other, 'archive');
    await client.archiveChat(ALICE);
    const { node, metric, flag } = await lastAction();
    expect(node).toEqual(['action', { type: 'set', epoch: expect.stringMatching(/^[0-9]+$/) }, [['chat', { jid: ALICE, type: 'archive', index: newest.key.id, owner: 'false' }, null]]]);
    expect([metric, flag]).toEqual([12, 0x80]);
    expect(mine).toEqual([{ jid: ALICE, action: 'archive', changes: { archived: true }, source: 'self' }]);
    expect(chatOf(client, ALICE)!.archived).toBe(true);
    expect(worldChat(ALICE)!.archived).toBe(true);
    expect(await pushed).toEqual({ jid: ALICE, action: 'archive', changes: { archived: true }, source: 'push' });
    expect(chatOf(other, ALICE)!.archived).toBe(true);
    const back = nextUpdate(other, 'unarchive');
    await client.unarchiveChat(ALICE);
    expect((await lastAction()).node[2]).toEqual([['chat', { jid: ALICE, type: 'unarchive', index: newest.key.id, owner: 'false' }, null]]);
    await back;
    expect(chatOf(other, ALICE)!.archived).toBe(false);
  });

  it('a chat the account does not have is refused with RequestError 404; a bad jid never leaves the client', async () => {
    const error = await client.archiveChat('15550109999@c.us').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(404);
    const before = sent.length;
    await expect(client.archiveChat('alice')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sent.length).toBe(before);
  });
});

describe('pin and unpin', () => {
  it('pins with the current time and unpins with previous; three at most', async () => {
    const pushed = nextUpdate(other, 'pin');
    const before = Math.floor(Date.now() / 1000);
    await client.pinChat(ALICE);
    const attrs = ((await lastAction()).node[2] as Node[])[0]![1];
    expect(Object.keys(attrs!)).toEqual(['jid', 'type', 'pin']);
    expect(Number(attrs!.pin)).toBeGreaterThanOrEqual(before);
    expect(chatOf(client, ALICE)!.pinned).toBe(Number(attrs!.pin));
    expect(worldChat(ALICE)!.pin).toBe(Number(attrs!.pin));
    expect((await pushed).changes).toEqual({ pinned: Number(attrs!.pin) });
    expect(chatOf(other, ALICE)!.pinned).toBe(Number(attrs!.pin));
    await client.pinChat(BOB);
    await client.pinChat(CAROL);
    const sentBefore = sent.length;
    await expect(client.pinChat(DAVE)).rejects.toThrow(/at most 3 chats/);
    expect(sent.length).toBe(sentBefore);
    const unpinned = nextUpdate(other, 'unpin');
    await client.unpinChat(ALICE);
    expect((await lastAction()).node[2]).toEqual([['chat', { jid: ALICE, type: 'pin', previous: attrs!.pin }, null]]);
    expect(chatOf(client, ALICE)!.pinned).toBeUndefined();
    expect(await unpinned).toEqual({ jid: ALICE, action: 'unpin', changes: { pinned: null }, source: 'push' });
    expect(chatOf(other, ALICE)!.pinned).toBeUndefined();
  });

  it('a fourth pin the store did not know of is refused by the server with 400', async () => {
    for (const jid of [BOB, CAROL, GROUP]) worldChat(jid)!.pin = 1_600_000_000;
    const error = await client.pinChat(ALICE).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(400);
    expect(chatOf(client, ALICE)!.pinned).toBeUndefined();
  });
});

describe('mute and unmute', () => {
  it('mutes until a time in the future (mute:"<unix s>") and unmutes with previous', async () => {
    await expect(client.muteChat(GROUP, Date.now() - 1000)).rejects.toBeInstanceOf(InvalidArgumentError);
    const untilMs = Date.now() + 8 * 3600_000;
    const until = Math.floor(untilMs / 1000);
    const pushed = nextUpdate(other, 'mute');
    await client.muteChat(GROUP, untilMs);
    expect((await lastAction()).node[2]).toEqual([['chat', { jid: GROUP, type: 'mute', mute: String(until) }, null]]);
    expect(chatOf(client, GROUP)!.muteUntil).toBe(until);
    expect(worldChat(GROUP)!.mute).toBe(until);
    expect((await pushed).changes).toEqual({ muteUntil: until });
    expect(chatOf(other, GROUP)!.muteUntil).toBe(until);
    const unmuted = nextUpdate(other, 'unmute');
    await client.muteChat(GROUP, null);
    expect((await lastAction()).node[2]).toEqual([['chat', { jid: GROUP, type: 'mute', previous: String(until) }, null]]);
    expect((await unmuted).changes).toEqual({ muteUntil: 0 });
    expect(chatOf(other, GROUP)!.muteUntil).toBe(0);
    expect(worldChat(GROUP)!.mute).toBe(0);
  });
});

describe('mark unread', () => {
  it('sends ["read",{jid,index,owner,count:"-2"}] (metric 11); both sessions show -1', async () => {
    const readSelf = nextUpdate(client, 'read');
    await client.markRead(ALICE, client.messages(ALICE).at(-1)!.key.id!);
    expect(await readSelf).toEqual({ jid: ALICE, action: 'read', changes: { unreadCount: 0 }, source: 'self' });
    await until(() => chatOf(other, ALICE)?.unreadCount === 0, 'the read push');
    const newest = client.messages(ALICE).at(-1)!;
    const pushed = nextUpdate(other, 'unread');
    await client.markUnread(ALICE);
    const { node, metric } = await lastAction();
    expect(node[2]).toEqual([['read', { jid: ALICE, index: newest.key.id, owner: 'false', count: '-2' }, null]]);
    expect(metric).toBe(11);
    expect(chatOf(client, ALICE)!.unreadCount).toBe(-1);
    expect(worldChat(ALICE)!.unread).toBe(-1);
    expect(await pushed).toEqual({ jid: ALICE, action: 'unread', changes: { unreadCount: -1 }, source: 'push' });
    expect(chatOf(other, ALICE)!.unreadCount).toBe(-1);
  });
});

describe('delete and clear', () => {
  it('deleteChat removes the chat from both sessions and from the world', async () => {
    const newest = client.messages(BOB).at(-1)!;
    const pushed = nextUpdate(other, 'delete');
    await client.deleteChat(BOB);
    expect((await lastAction()).node[2]).toEqual([['chat', { jid: BOB, type: 'delete', index: newest.key.id, owner: String(newest.key.fromMe) }, null]]);
    expect(chatOf(client, BOB)).toBeUndefined();
    expect(client.messages(BOB)).toEqual([]);
    expect(worldChat(BOB)).toBeUndefined();
    expect(await pushed).toEqual({ jid: BOB, action: 'delete', changes: {}, source: 'push' });
    expect(chatOf(other, BOB)).toBeUndefined();
  });

  it('clearChat with keepStarred sends star:"false"; the other session clears its messages too', async () => {
    const newest = client.messages(GROUP).at(-1)!;
    await until(() => other.messages(GROUP).length === 3, "the other session's messages");
    const pushed = nextUpdate(other, 'clear');
    await client.clearChat(GROUP, { keepStarred: true });
    expect((await lastAction()).node[2]).toEqual([['chat', { jid: GROUP, type: 'clear', star: 'false', index: newest.key.id, owner: 'true' }, null]]);
    expect(client.messages(GROUP)).toEqual([]);
    expect(worldChat(GROUP)!.messages).toEqual([]);
    expect(await pushed).toEqual({ jid: GROUP, action: 'clear', changes: { unreadCount: 0 }, source: 'push', keepStarred: true });
    expect(other.messages(GROUP)).toEqual([]);
    expect(chatOf(other, GROUP)).toBeDefined();
    await client.clearChat(ALICE);
    expect(((await lastAction()).node[2] as Node[])[0]![1]).toMatchObject({ type: 'clear', star: 'true' });
  });

  it('a message starred with starMessage survives clearChat({ keepStarred: true }) in the store and the world', async () => {
    const [starred, ...rest] = client.messages(ALICE);
    await client.starMessage(ALICE, starred!.key.id!);
    await client.clearChat(ALICE, { keepStarred: true });
    expect(client.messages(ALICE).map((info) => info.key.id)).toEqual([starred!.key.id]);
    expect(worldChat(ALICE)!.messages.map((message) => message.id)).toEqual([starred!.key.id]);
    expect(rest).toHaveLength(2);
    await client.clearChat(ALICE);
    expect(client.messages(ALICE)).toEqual([]);
    expect(worldChat(ALICE)!.messages).toEqual([]);
  });
});

describe('what the phone pushes', () => {
  it('phone.readChat and phone.archiveChat reach the session as chat-update (source push)', async () => {
    const read = nextUpdate(client, 'read');
    sandbox.phone.readChat(CAROL);
    expect(await read).toEqual({ jid: CAROL, action: 'read', changes: { unreadCount: 0 }, source: 'push' });
    expect(chatOf(client, CAROL)!.unreadCount).toBe(0);
    const archived = nextUpdate(client, 'archive');
    sandbox.phone.archiveChat(CAROL);
    await archived;
    expect(chatOf(client, CAROL)!.archived).toBe(true);
  });

  it('phone.setBattery → battery event, client.battery and me.battery', async () => {
    expect(client.battery).toEqual({ percentage: 81, plugged: false, powersave: false });
    const battery = client.waitFor('battery');
    sandbox.phone.setBattery(14, { plugged: true, powersave: true });
    expect(await battery).toEqual({ percentage: 14, plugged: true, powersave: true });
    expect(client.battery).toEqual({ percentage: 14, plugged: true, powersave: true });
    expect(client.me).toMatchObject({ battery: 14, plugged: true });
  });

  it('received pushes become receipts (type error: ack 0, status ERROR); add:update replaces the stored message', async () => {
    const own = client.messages(ALICE).find((info) => info.key.fromMe)!;
    const receipt = client.waitFor('receipt');
    sandbox.phone.pushReceived(ALICE, own.key.id!, 'error');
    expect(await receipt).toEqual({ id: own.key.id, chat: ALICE, ack: 0, status: 'ERROR' });
    expect(client.messages(ALICE).find((info) => info.key.id === own.key.id)!.status).toBe('ERROR');
    const updated = client.waitFor('message', { filter: (event) => event.source === 'update' });
    sandbox.phone.updateMessage(ALICE, own.key.id!, encodeMessage({ conversation: 'Yes, 11am at the station' }));
    expect(await updated).toMatchObject({ id: own.key.id, chat: ALICE, text: 'Yes, 11am at the station', source: 'update' });
    const stored = client.messages(ALICE).filter((info) => info.key.id === own.key.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.message).toEqual({ conversation: 'Yes, 11am at the station' });
  });
});

describe('after a restore', () => {
  it('the chat list carries archive, pin and mute', async () => {
    const untilMs = Date.now() + 3600_000;
    await client.archiveChat(ALICE);
    await client.pinChat(BOB);
    await client.muteChat(GROUP, untilMs);
    await client.close();
    const restored = new WAClient({ url: 'ws://sandbox.invalid/ws', WebSocket: createMemoryWebSocket(sandbox) as unknown as WebSocketConstructor, auth });
    try {
      const chats = restored.waitFor('chats');
      await restored.connect();
      await chats;
      expect(chatOf(restored, ALICE)!.archived).toBe(true);
      expect(chatOf(restored, BOB)!.pinned).toBe(worldChat(BOB)!.pin);
      expect(chatOf(restored, GROUP)!.muteUntil).toBe(Math.floor(untilMs / 1000));
    } finally {
      await restored.close();
    }
  });
});
