import type { Sandbox } from '@wa/sandbox/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameError, InvalidArgumentError, RequestError, type MessageEvent, type WAClient } from '../src/index.ts';
import { ALICE, BOB, CAROL, collect, DAVE, ECHO, GROUP, loggedIn, ME, newSandbox } from './support/harness.ts';

let sandbox: Sandbox;
let client: WAClient;
afterEach(async () => {
  await client?.close();
  sandbox?.close();
});

async function open(): Promise<WAClient> {
  sandbox = newSandbox();
  ({ client } = await loggedIn(sandbox));
  return client;
}

const isNew = (event: MessageEvent): boolean => event.source === 'relay';

describe('sending', () => {
  it('sendText resolves on the server ack, then delivery and read receipts follow', async () => {
    await open();
    const webMessages: Array<{ id: string; text?: string; chat: string }> = [];
    sandbox.on('web-message', (event) => webMessages.push(event));
    const receipts = collect(client, 'receipt');
    const sent = await client.sendText(ALICE, 'See you at 10!');
    expect(sent.id).toMatch(/^3EB0[0-9A-F]{16}$/);
    expect(sent).toMatchObject({ chat: ALICE, status: 'SERVER_ACK' });
    expect(webMessages).toEqual([expect.objectContaining({ id: sent.id, text: 'See you at 10!', chat: ALICE })]);
    await client.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id && receipt.ack === 3 });
    expect(receipts.filter((receipt) => receipt.id === sent.id).map((receipt) => [receipt.ack, receipt.status, receipt.chat])).toEqual([
      [2, 'DELIVERY_ACK', ALICE],
      [3, 'READ', ALICE],
    ]);
    expect(client.messages(ALICE).at(-1)).toMatchObject({ key: { id: sent.id, fromMe: true }, status: 'READ' });
    expect(client.chats()[0]?.jid).toBe(ALICE);
  });

  it('a contact that never reads gives delivery only, until told to read', async () => {
    await open();
    const sent = await client.sendText(DAVE, 'Report?');
    await client.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id && receipt.ack === 2 });
    const read = client.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id });
    sandbox.contact(DAVE).readMessages();
    expect(await read).toMatchObject({ ack: 3, status: 'READ' });
  });

  it('a reply quotes the original, mentions are carried, and the server stores exactly that', async () => {
    await open();
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendText('Lunch?');
    const question = await incoming;
    const sent = await client.sendText(ALICE, 'Yes @15550100003', { quoted: question.info, mentions: [BOB] });
    const page = await client.loadMessages(ALICE, { count: 1 });
    const stored = page.messages[0]!.info;
    expect(stored.key.id).toBe(sent.id);
    expect(stored.message?.extendedTextMessage).toMatchObject({
      text: 'Yes @15550100003',
      contextInfo: { stanzaId: question.id, participant: '15550100002@s.whatsapp.net', mentionedJid: ['15550100003@s.whatsapp.net'], quotedMessage: { conversation: 'Lunch?' } },
    });
  });

  it('the echo bot answers: a message sent and one received', async () => {
    await open();
    const echo = client.waitFor('message', { filter: (event) => isNew(event) && event.chat === ECHO });
    await client.sendText(ECHO, 'ping');
    expect(await echo).toMatchObject({ text: 'echo: ping', fromMe: false, sender: ECHO });
  });

  it('refuses bad arguments with InvalidArgumentError and sends nothing', async () => {
    await open();
    const before = sandbox.stats.framesIn;
    await expect(client.sendText('alice', 'hi')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendText(ALICE, '')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendText(ALICE, 'hi', { mentions: ['bob'] })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.setPresence('composing')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.loadMessages(ALICE, { count: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.markRead(ALICE, '')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sandbox.stats.framesIn).toBe(before);
  });
});

describe('receiving', () => {
  it("a contact's message arrives as 'message' and raises the chat's unread count", async () => {
    await open();
    const before = client.chats().find((chat) => chat.jid === CAROL)!.unreadCount;
    const incoming = client.waitFor('message', { filter: isNew });
    const chats = client.waitFor('chats');
    const sentByCarol = sandbox.contact(CAROL).sendText('Photos please!');
    const event = await incoming;
    expect(event).toMatchObject({ id: sentByCarol.id, chat: CAROL, sender: CAROL, fromMe: false, text: 'Photos please!', source: 'relay' });
    expect(event.info.key.remoteJid).toBe('15550100004@s.whatsapp.net');
    const list = await chats;
    expect(list[0]).toMatchObject({ jid: CAROL, unreadCount: before + 1 });
  });

  it('group messages name their sender', async () => {
    await open();
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(BOB).sendText('Train at 10:15', { group: GROUP });
    expect(await incoming).toMatchObject({ chat: GROUP, sender: BOB, text: 'Train at 10:15' });
  });

  it('markRead zeroes the unread count here and on the server', async () => {
    await open();
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendText('Still on?');
    const event = await incoming;
    expect(client.chats().find((chat) => chat.jid === ALICE)?.unreadCount).toBeGreaterThan(0);
    await client.markRead(ALICE, event.id);
    expect(client.chats().find((chat) => chat.jid === ALICE)?.unreadCount).toBe(0);
    const account = sandbox.world.requireAccount(ME);
    expect(sandbox.world.chat(account, ALICE)?.unread).toBe(0);
    expect(sandbox.world.chat(account, ALICE)?.messages.find((message) => message.id === event.id)?.status).toBe('READ');
  });

  it('a frame with a corrupted HMAC is reported and skipped; the session goes on', async () => {
    await open();
    const frameErrors: FrameError[] = [];
    client.on('frame-error', (error) => frameErrors.push(error));
    const messages = collect(client, 'message');
    sandbox.faults.corruptHmac(1);
    sandbox.contact(ALICE).sendText('this one is lost');
    const next = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendText('this one arrives');
    expect(await next).toMatchObject({ text: 'this one arrives' });
    expect(frameErrors).toHaveLength(1);
    expect(frameErrors[0]).toBeInstanceOf(FrameError);
    expect(frameErrors[0]).toMatchObject({ code: 'BAD_HMAC' });
    expect(messages.map((event) => event.text)).not.toContain('this one is lost');
    expect(client.state).toBe('open');
    expect((await client.sendText(ALICE, 'still here')).status).toBe('SERVER_ACK');
  });

  it('presence: subscribing gives the current state, then changes and chat states', async () => {
    await open();
    const first = client.waitFor('presence');
    await client.subscribePresence(CAROL);
    expect(await first).toEqual({ jid: CAROL, type: 'available' });
    const typing = client.waitFor('presence');
    sandbox.contact(CAROL).setPresence('composing');
    expect(await typing).toEqual({ jid: CAROL, type: 'composing' });
    const away = client.waitFor('presence');
    sandbox.contact(CAROL).setPresence('unavailable');
    expect(await away).toMatchObject({ jid: CAROL, type: 'unavailable', lastSeen: expect.any(Number) });
    await client.setPresence('available');
    await client.setPresence('composing', ALICE);
  });

  it('reports the phone going offline and back; queries wait for it', async () => {
    await open();
    const offline = client.waitFor('phone');
    sandbox.phone.setReachable(false);
    expect(await offline).toEqual({ reachable: false });
    expect(client.phoneReachable).toBe(false);
    expect(await client.isPhoneReachable()).toBe(false);
    const page = client.loadMessages(BOB, { count: 1 });
    const online = client.waitFor('phone');
    sandbox.phone.setReachable(true);
    expect(await online).toEqual({ reachable: true });
    expect((await page).messages).toHaveLength(1);
    expect(await client.isPhoneReachable()).toBe(true);
  });
});

describe('queries', () => {
  it('profile picture, status, exists and group metadata', async () => {
    await open();
    expect(await client.profilePicture(ALICE)).toBe('https://pps.whatsapp.net/v/sandbox/alice.jpg');
    expect(await client.profilePicture(BOB)).toBeUndefined();
    expect(await client.status(ALICE)).toBe('Hiking somewhere ⛰');
    expect(await client.exists(ALICE)).toBe(true);
    expect(await client.exists('19995550000@c.us')).toBe(false);
    const group = await client.groupMetadata(GROUP);
    expect(group).toMatchObject({ id: GROUP, subject: 'Weekend Trip', owner: ME, creation: 1600000000, desc: 'Planning the trip to the lake' });
    expect(group.participants).toContainEqual({ id: ME, isAdmin: true, isSuperAdmin: true });
    expect(group.participants).toHaveLength(4);
    const missing = await client.groupMetadata('15550100001-1700000000@g.us').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(RequestError);
    expect(missing).toMatchObject({ status: 404 });
  });

  it('loadMessages pages backwards through a chat', async () => {
    await open();
    const latest = await client.loadMessages(ALICE, { count: 2 });
    expect(latest.messages.map((event) => event.text)).toEqual(['Yes, 10am at the station', 'Great, see you there 👋']);
    expect(latest.reachedStart).toBe(false);
    expect(latest.messages[0]).toMatchObject({ fromMe: true, sender: ME, source: 'before' });
    const older = await client.loadMessages(ALICE, { count: 5, before: latest.messages[0]!.id, beforeFromMe: true });
    expect(older.messages.map((event) => event.text)).toEqual(['Hi! Are we still on for Saturday?']);
    expect(older.reachedStart).toBe(true);
  });
});
