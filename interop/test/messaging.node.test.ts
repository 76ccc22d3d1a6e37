/**
 * Messages, receipts and presence between Baileys 3.5.3 and the sandbox's scripted contacts.
 */
import { MessageType, Presence, WA_MESSAGE_STATUS_TYPE, type WAChatUpdate, type WAMessage } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, cleanUp, ECHO_WA, GROUP, loggedIn, ME, newClient, nextEvent, sandboxEvent, startWorld, waitUntil, type World } from './harness.ts';

afterEach(cleanUp);

function textOf(message: WAMessage): string | undefined {
  return message.message?.conversation ?? message.message?.extendedTextMessage?.text ?? undefined;
}

/** The next new message Baileys announces whose text is `text`. */
function incoming(conn: ReturnType<typeof newClient>, text: string): Promise<WAMessage> {
  return nextEvent<WAChatUpdate>(conn, 'chat-update', (update) => !!update.hasNewMessage && !!update.messages?.all().some((m) => textOf(m) === text)).then(
    (update) => update.messages!.all().find((m) => textOf(m) === text)!,
  );
}

function worldChat(world: World, jid: string): { unread: number; messages: Array<{ id: string; status: string; text?: string }> } {
  const account = world.running.world.account(ME)!;
  const chat = world.running.world.chat(account, jid);
  if (!chat) throw new Error(`the sandbox has no chat ${jid}`);
  return chat;
}

describe('incoming text', () => {
  it('one-to-one: a contact message arrives as a new message in her chat', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const before = conn.chats.get(ALICE_WA)!.count;
    const arrived = incoming(conn, 'hi');
    world.running.contact(ALICE).sendText('hi');
    const message = await arrived;

    expect(message.key.remoteJid).toBe(ALICE_WA);
    expect(message.key.fromMe).toBe(false);
    expect(message.key.id).toMatch(/^[0-9A-F]{16,}$/);
    expect(conn.chats.get(ALICE_WA)!.count).toBe(before + 1);
    expect(textOf(conn.chats.get(ALICE_WA)!.messages.all().at(-1)!)).toBe('hi');
  });

  it('group: the message carries the group as chat and the sender as participant', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const arrived = incoming(conn, 'x');
    world.running.contact(ALICE).sendText('x', { group: GROUP });
    const message = await arrived;

    expect(message.key.remoteJid).toBe(GROUP);
    expect(message.key.fromMe).toBe(false);
    expect(message.participant ?? message.key.participant).toBe(ALICE_WA);
    expect(textOf(conn.chats.get(GROUP)!.messages.all().at(-1)!)).toBe('x');
  });
});

describe('sending text', () => {
  it('gets the server ack, then delivery and read receipts', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const seen: number[] = [];
    let id = '';
    conn.on('chat-update', (update: WAChatUpdate) => {
      for (const message of update.messages?.all() ?? []) if (message.key.id === id) seen.push(message.status as number);
    });
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.text === 'hello there');
    const sent = await conn.sendMessage(ALICE_WA, 'hello there', MessageType.text);
    id = sent.key.id!;

    expect(sent.status).toBe(WA_MESSAGE_STATUS_TYPE.SERVER_ACK);
    expect(id).toMatch(/^3EB0[0-9A-F]+$/);
    const event = await relayed;
    expect(event).toEqual(expect.objectContaining({ id, wid: ME, chat: ALICE }));
    await waitUntil(() => sent.status === WA_MESSAGE_STATUS_TYPE.READ, 'the read receipt');
    expect(seen).toContain(WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK);
    expect(seen.indexOf(WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK)).toBeLessThan(seen.indexOf(WA_MESSAGE_STATUS_TYPE.READ));
    expect(worldChat(world, ALICE).messages.find((m) => m.id === id)).toEqual(expect.objectContaining({ status: 'READ', text: 'hello there' }));
  });

  it('ten messages in flight at once: every one acked, delivered and read', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const texts = Array.from({ length: 10 }, (_, i) => `burst ${i}`);
    const sent = await Promise.all(texts.map((text) => conn.sendMessage(ALICE_WA, text, MessageType.text)));
    expect(sent.map((m) => m.status)).toEqual(texts.map(() => WA_MESSAGE_STATUS_TYPE.SERVER_ACK));
    expect(new Set(sent.map((m) => m.key.id)).size).toBe(10);
    await waitUntil(() => sent.every((m) => m.status === WA_MESSAGE_STATUS_TYPE.READ), 'ten read receipts');
    const stored = worldChat(world, ALICE).messages.filter((m) => m.text?.startsWith('burst '));
    expect(stored.map((m) => m.text).sort()).toEqual([...texts].sort());
  });

  it('the echo bot answers what Baileys sent', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const echoed = incoming(conn, 'echo: ping');
    await conn.sendMessage(ECHO_WA, 'ping', MessageType.text);
    const reply = await echoed;
    expect(reply.key.remoteJid).toBe(ECHO_WA);
    expect(reply.key.fromMe).toBe(false);
  });

  it('a group message gets the server ack', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === GROUP);
    const sent = await conn.sendMessage(GROUP, 'hello group', MessageType.text);
    expect(sent.status).toBe(WA_MESSAGE_STATUS_TYPE.SERVER_ACK);
    expect(sent.participant).toBe('15550100001@s.whatsapp.net');
    expect((await relayed).text).toBe('hello group');
  });
});

describe('read receipts and mark unread', () => {
  it('chatRead clears the unread count on the phone; unread marks it again', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const arrived = incoming(conn, 'unread me');
    const sent = world.running.contact(ALICE).sendText('unread me');
    await arrived;
    expect(worldChat(world, ALICE).unread).toBeGreaterThan(0);
    expect(conn.chats.get(ALICE_WA)!.count).toBeGreaterThan(0);

    await conn.chatRead(ALICE_WA);
    expect(conn.chats.get(ALICE_WA)!.count).toBe(0);
    expect(worldChat(world, ALICE).unread).toBe(0);
    expect(worldChat(world, ALICE).messages.find((m) => m.id === sent.id)!.status).toBe('READ');

    // Baileys marks unread with count "-2" (WAConnection/7.MessagesExtra.js:54).
    await conn.chatRead(ALICE_WA, 'unread');
    expect(conn.chats.get(ALICE_WA)!.count).toBe(-1);
    expect(worldChat(world, ALICE).unread).not.toBe(0);
  });
});

describe('presence', () => {
  it('subscribing shows a contact presence and its changes', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const presenceOf = (type: string): Promise<WAChatUpdate> =>
      nextEvent<WAChatUpdate>(conn, 'chat-update', (update) => update.jid === ALICE_WA && update.presences?.[ALICE_WA]?.lastKnownPresence === type);

    const first = presenceOf('unavailable');
    await conn.requestPresenceUpdate(ALICE_WA);
    expect((await first).presences![ALICE_WA]!.lastSeen).toEqual(expect.any(Number));

    const typing = presenceOf(Presence.composing);
    world.running.contact(ALICE).setPresence('composing');
    await typing;
    const online = presenceOf(Presence.available);
    world.running.contact(ALICE).setPresence('available');
    await online;
  });

  it('Baileys sets its own presence', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    // Baileys announces "available" right after login (WAConnection/4.Events.js:91).
    await waitUntil(() => world.running.world.user(ME)!.presence === 'available', 'presence available after login');
    const rejected = world.running.stats.rejectedFrames;

    await conn.updatePresence(ALICE_WA, Presence.unavailable);
    await waitUntil(() => world.running.world.user(ME)!.presence === 'unavailable', 'presence unavailable');
    await conn.updatePresence(ALICE_WA, Presence.composing);
    await conn.updatePresence(ALICE_WA, Presence.available);
    await waitUntil(() => world.running.world.user(ME)!.presence === 'available', 'presence available again');
    expect(world.framesIn().some((frame) => frame.includes('composing'))).toBe(true);
    expect(world.running.stats.rejectedFrames).toBe(rejected);
  });
});
