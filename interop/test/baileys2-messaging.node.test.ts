/**
 * Messages, receipts and presence between Baileys 2.3.1 and the sandbox's scripted contacts.
 */
import { MessageType, Presence, WA_MESSAGE_STATUS_TYPE, type MessageStatusUpdate, type PresenceUpdate, type WAMessage } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  ALICE_WA,
  cleanUpV2,
  ECHO_WA,
  framesIn,
  GROUP,
  login,
  ME,
  ME_WA,
  newV2Client,
  sandboxEvent,
  startWorld,
  textOf,
  waitUntil,
  within,
  type V2Client,
  type World,
} from './baileys2-harness.ts';

afterEach(cleanUpV2);

function worldChat(world: World, jid: string): { unread: number; messages: Array<{ id: string; status: string; text?: string }> } {
  const account = world.running.world.account(ME)!;
  const chat = world.running.world.chat(account, jid);
  if (!chat) throw new Error(`the sandbox has no chat ${jid}`);
  return chat;
}

/** A logged-in client whose incoming messages, status changes and presences are recorded. */
async function session(): Promise<{ world: World; v2: V2Client; incoming: WAMessage[]; statuses: MessageStatusUpdate[]; presences: PresenceUpdate[] }> {
  const world = await startWorld();
  const v2 = newV2Client(world);
  const incoming: WAMessage[] = [];
  const statuses: MessageStatusUpdate[] = [];
  const presences: PresenceUpdate[] = [];
  v2.client.setOnUnreadMessage(false, (message: WAMessage) => incoming.push(message));
  v2.client.setOnMessageStatusChange((update: MessageStatusUpdate) => statuses.push(update));
  v2.client.setOnPresenceUpdate((update: PresenceUpdate) => presences.push(update));
  await login(v2);
  return { world, v2, incoming, statuses, presences };
}

async function arrival(incoming: WAMessage[], text: string): Promise<WAMessage> {
  await waitUntil(() => incoming.some((message) => textOf(message) === text), `the message "${text}"`);
  return incoming.find((message) => textOf(message) === text)!;
}

/** The status types reported for message `id`, in order. */
const statusesOf = (statuses: MessageStatusUpdate[], id: string): number[] => statuses.filter((update) => update.ids.includes(id)).map((update) => update.type);

describe('incoming text', () => {
  it('one-to-one: a contact message reaches setOnUnreadMessage', async () => {
    const { world, incoming } = await session();
    const sent = world.running.contact(ALICE).sendText('hi');
    const message = await arrival(incoming, 'hi');

    expect(message.key.remoteJid).toBe(ALICE_WA);
    expect(message.key.fromMe).toBe(false);
    expect(message.key.id).toBe(sent.id);
    expect(incoming).toHaveLength(1);
  });

  it('group: the message carries the group as chat and the sender as participant', async () => {
    const { world, incoming } = await session();
    world.running.contact(ALICE).sendText('x', { group: GROUP });
    const message = await arrival(incoming, 'x');

    expect(message.key.remoteJid).toBe(GROUP);
    expect(message.key.fromMe).toBe(false);
    expect(message.participant ?? message.key.participant).toBe(ALICE_WA);
  });
});

describe('sending text', () => {
  it('gets the server ack, then delivery and read receipts', async () => {
    const { world, v2, statuses } = await session();
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.text === 'hello there');
    const sent = await within(v2.client.sendMessage(ALICE_WA, 'hello there', MessageType.text), 5_000, 'sendMessage');
    const id = sent.messageID;

    expect(sent.status).toBe(200);
    expect(id).toMatch(/^[0-9A-F]{20}$/);
    // Baileys 2.3.1 always builds an extendedTextMessage (lib/WAClient/Messages.js:219-222).
    expect(sent.message.message?.extendedTextMessage?.text).toBe('hello there');
    expect(await relayed).toEqual(expect.objectContaining({ id, wid: ME, chat: ALICE }));
    const sealed = framesIn(world).find((frame) => frame.tag === id);
    expect(sealed?.text).toContain('type="relay"');

    await waitUntil(() => statusesOf(statuses, id).includes(WA_MESSAGE_STATUS_TYPE.READ), 'the read receipt');
    const seen = statusesOf(statuses, id);
    expect(seen).toContain(WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK);
    expect(seen.indexOf(WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK)).toBeLessThan(seen.indexOf(WA_MESSAGE_STATUS_TYPE.READ));
    const update = statuses.find((candidate) => candidate.ids.includes(id))!;
    expect(update.to).toBe(ALICE);
    expect(worldChat(world, ALICE).messages.find((m) => m.id === id)).toEqual(expect.objectContaining({ status: 'READ', text: 'hello there' }));
  });

  it('the echo bot answers what Baileys 2.3.1 sent', async () => {
    const { v2, incoming } = await session();
    await within(v2.client.sendMessage(ECHO_WA, 'ping', MessageType.text), 5_000, 'sendMessage');
    const reply = await arrival(incoming, 'echo: ping');
    expect(reply.key.remoteJid).toBe(ECHO_WA);
    expect(reply.key.fromMe).toBe(false);
  });

  it('a group message gets the server ack and the members’ receipts', async () => {
    const { world, v2, statuses } = await session();
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === GROUP);
    const sent = await within(v2.client.sendMessage(GROUP, 'hello group', MessageType.text), 5_000, 'sendMessage');
    expect(sent.status).toBe(200);
    expect(sent.message.participant).toBe(ME_WA);
    expect((await relayed).text).toBe('hello group');
    // Unlike 3.5.3 (difference D5), 2.3.1 listens to MsgInfo as well as Msg (lib/WAClient/Base.js:35-36).
    await waitUntil(() => statusesOf(statuses, sent.messageID).includes(WA_MESSAGE_STATUS_TYPE.READ), 'a group read receipt');
  });
});

describe('read receipts and mark unread', () => {
  it('sendReadReceipt clears the unread count on the phone; unread marks it again', async () => {
    const { world, v2, incoming } = await session();
    const sent = world.running.contact(ALICE).sendText('unread me');
    await arrival(incoming, 'unread me');
    expect(worldChat(world, ALICE).unread).toBeGreaterThan(0);

    // Baileys 2.3.1 sends count "1" and owner "false" for a read (lib/WAClient/Messages.js:39-47).
    await within(v2.client.sendReadReceipt(ALICE_WA, sent.id), 5_000, 'read');
    expect(worldChat(world, ALICE).unread).toBe(0);
    expect(worldChat(world, ALICE).messages.find((m) => m.id === sent.id)!.status).toBe('READ');

    await within(v2.client.sendReadReceipt(ALICE_WA, undefined, 'unread'), 5_000, 'unread');
    expect(worldChat(world, ALICE).unread).not.toBe(0);
    const reads = framesIn(world).filter((frame) => frame.text.includes('<read '));
    expect(reads.map((frame) => frame.text)).toEqual([expect.stringContaining('count="1"'), expect.stringContaining('count="-2"')]);
  });
});

describe('presence', () => {
  it('subscribing shows a contact presence and its changes', async () => {
    const { world, v2, presences } = await session();
    const presenceOf = (type: string): Promise<void> =>
      waitUntil(() => presences.some((update) => update.id === ALICE && update.type === type), `Alice ${type}`);

    await within(v2.client.requestPresenceUpdate(ALICE_WA), 5_000, 'requestPresenceUpdate');
    await presenceOf('unavailable');
    expect(presences.find((update) => update.id === ALICE)).toEqual(expect.objectContaining({ t: expect.anything() }));
    world.running.contact(ALICE).setPresence('composing');
    await presenceOf(Presence.composing);
    world.running.contact(ALICE).setPresence('available');
    await presenceOf(Presence.available);
  });

  it('Baileys 2.3.1 sets its own presence', async () => {
    const { world, v2 } = await session();
    // It announces "available" right after login (lib/WAConnection/Validation.js:101).
    await waitUntil(() => world.running.world.user(ME)!.presence === 'available', 'presence available after login');
    const rejected = world.running.stats.rejectedFrames;

    await within(v2.client.updatePresence(ALICE_WA, Presence.unavailable), 5_000, 'unavailable');
    await waitUntil(() => world.running.world.user(ME)!.presence === 'unavailable', 'presence unavailable');
    await within(v2.client.updatePresence(ALICE_WA, Presence.composing), 5_000, 'composing');
    await within(v2.client.updatePresence(ALICE_WA, Presence.available), 5_000, 'available');
    await waitUntil(() => world.running.world.user(ME)!.presence === 'available', 'presence available again');
    expect(framesIn(world).some((frame) => frame.text.includes('composing'))).toBe(true);
    expect(world.running.stats.rejectedFrames).toBe(rejected);
  });
});
