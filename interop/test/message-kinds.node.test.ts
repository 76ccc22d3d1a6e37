/**
 * Baileys 3.5.3's message kinds and message actions against the sandbox: delete for everyone
 * (the target reads as a REVOKE stub for a later login, and a contact's revoke deletes the
 * message in Baileys' own store), location and contact cards both ways, a link preview from
 * `query type:url`, star and delete for me (`starMessage`, `clearMessage`).
 */
import { MessageType, WA_MESSAGE_STUB_TYPE, WAMessageProto, type WAMessage } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, BOB, cleanUp, loggedIn, ME, newClient, nextEvent, sandboxEvent, startWorld, waitUntil, type World } from './harness.ts';

afterEach(cleanUp);

const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Carol Example\nTEL;type=CELL;waid=15550100004:+1 555 010 0004\nEND:VCARD';

async function session(): Promise<{ world: World; conn: ReturnType<typeof newClient> }> {
  const world = await startWorld();
  const conn = newClient(world);
  await loggedIn(world, conn);
  return { world, conn };
}

/** The sandbox's stored message `id` of the account's chat `chat`. */
function storedMessage(world: World, chat: string, id: string) {
  const account = world.running.world.account(ME)!;
  return world.running.world.chat(account, chat)?.messages.find((message) => message.id === id);
}

function storedContent(world: World, chat: string, id: string): Buffer {
  const raw = storedMessage(world, chat, id)?.raw;
  if (raw === undefined) throw new Error(`no stored message ${id}`);
  return Buffer.from(raw, 'base64');
}

/** The next message Baileys adds to its chat `jid` that passes `accept`. */
function nextMessage(conn: ReturnType<typeof newClient>, jid: string, accept: (message: WAMessage) => boolean): Promise<WAMessage> {
  return nextEvent<{ jid: string; messages?: { all(): WAMessage[] } }>(conn, 'chat-update', (update) => update.jid === jid && !!update.messages?.all().some(accept)).then(
    (update) => update.messages!.all().find(accept)!,
  );
}

describe('delete for everyone', () => {
  it('deleteMessage turns the target into a REVOKE stub for a later login', async () => {
    const { world, conn } = await session();
    const sent = await conn.sendMessage(ALICE_WA, 'sent by mistake', MessageType.text);
    await conn.deleteMessage(ALICE_WA, sent.key);
    await waitUntil(() => storedMessage(world, ALICE, sent.key.id!)?.text === undefined, 'the target revoked');
    const later = newClient(world, { auth: conn.base64EncodedAuthInfo() });
    conn.close();
    await later.connect();
    const page = await later.fetchMessagesFromWA(ALICE_WA, 5);
    const stub = page.find((m) => m.key.id === sent.key.id);
    expect(stub?.messageStubType).toBe(1);
    expect(stub?.message).toBeFalsy();
    // The revoke itself is no message of the chat.
    expect(page.some((m) => m.message?.protocolMessage)).toBe(false);
  });

  it("a contact's revoke deletes the message in Baileys' store (the target key in Baileys' own view)", async () => {
    const { world, conn } = await session();
    const arrived = nextMessage(conn, ALICE_WA, (m) => m.message?.conversation === 'typo');
    const sent = world.running.contact(ALICE).sendText('typo', { to: ME });
    await arrived;
    const deleted = nextMessage(conn, ALICE_WA, (m) => m.key.id === sent.id && m.messageStubType === WA_MESSAGE_STUB_TYPE.REVOKE);
    world.running.contact(ALICE).revoke(sent.id, { to: ME });
    expect((await deleted).message).toBeFalsy();
    expect(conn.chats.get(ALICE_WA)!.messages.all().find((m) => m.key.id === sent.id)?.messageStubType).toBe(WA_MESSAGE_STUB_TYPE.REVOKE);
  });
});

describe('locations and contact cards', () => {
  it('Baileys sends a location and a contact card; the sandbox keeps them as sent', async () => {
    const { world, conn } = await session();
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === ALICE);
    const pin = await conn.sendMessage(ALICE_WA, { degreesLatitude: 48.8584, degreesLongitude: 2.2945, address: 'Champ de Mars' }, MessageType.location);
    await relayed;
    expect(storedContent(world, ALICE, pin.key.id!).includes(Buffer.from('Champ de Mars'))).toBe(true);
    const card = await conn.sendMessage(ALICE_WA, WAMessageProto.ContactMessage.create({ displayName: 'Carol Example', vcard: VCARD }), MessageType.contact);
    expect(storedContent(world, ALICE, card.key.id!).includes(Buffer.from(VCARD))).toBe(true);
  });

  it('a contact sends a location pin, a live location and a contact card; Baileys reads each', async () => {
    const { world, conn } = await session();
    const contact = world.running.contact(BOB);
    const pin = nextMessage(conn, '15550100003@s.whatsapp.net', (m) => !!m.message?.locationMessage);
    contact.sendLocation({ latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor' }, { to: ME });
    expect((await pin).message!.locationMessage).toMatchObject({ degreesLatitude: 52.5163, degreesLongitude: 13.3777, name: 'Brandenburger Tor' });
    const live = nextMessage(conn, '15550100003@s.whatsapp.net', (m) => !!m.message?.liveLocationMessage);
    contact.sendLiveLocation({ latitude: 52.52, longitude: 13.405, sequenceNumber: 3, caption: 'on my way' }, { to: ME });
    expect((await live).message!.liveLocationMessage).toMatchObject({ degreesLatitude: 52.52, caption: 'on my way' });
    const card = nextMessage(conn, '15550100003@s.whatsapp.net', (m) => !!m.message?.contactMessage);
    contact.sendContact(VCARD, { to: ME });
    expect((await card).message!.contactMessage).toMatchObject({ displayName: 'Carol Example', vcard: VCARD });
  });
});

describe('link preview', () => {
  it("Baileys' generateLinkPreview gets the sandbox's answer (query type:url) into its extendedTextMessage", async () => {
    const { world, conn } = await session();
    const sent = await conn.sendMessage(ALICE_WA, 'look: https://example.org', MessageType.text);
    const extended = sent.message!.extendedTextMessage!;
    expect(extended).toMatchObject({ text: 'look: https://example.org', matchedText: 'https://example.org', canonicalUrl: 'https://example.org/', title: 'Example Domain' });
    expect(Buffer.from(extended.jpegThumbnail!).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(storedContent(world, ALICE, sent.key.id!).includes(Buffer.from('Example Domain'))).toBe(true);
  });
});

describe('star and delete for me', () => {
  it('starMessage stars the stored message (a later login reads starred); clearMessage removes it', async () => {
    const { world, conn } = await session();
    const sent = await conn.sendMessage(ALICE_WA, 'worth a star', MessageType.text);
    expect((await conn.starMessage(sent.key, 'star')).status).toBe(200);
    expect(storedMessage(world, ALICE, sent.key.id!)?.starred).toBe(true);
    const later = newClient(world, { auth: conn.base64EncodedAuthInfo() });
    conn.close();
    await later.connect();
    const page = await later.fetchMessagesFromWA(ALICE_WA, 5);
    expect(page.find((m) => m.key.id === sent.key.id)?.starred).toBe(true);
    expect((await later.starMessage(sent.key, 'unstar')).status).toBe(200);
    expect(storedMessage(world, ALICE, sent.key.id!)?.starred).toBeUndefined();
    expect((await later.clearMessage(sent.key)).status).toBe(200);
    expect(storedMessage(world, ALICE, sent.key.id!)).toBeUndefined();
  });
});
