/**
 * Baileys 2.3.1's message kinds and message actions (lib/WAClient/Messages.js) against the
 * sandbox: delete for everyone (`deleteMessage`, a relayed REVOKE protocol message), location and
 * contact cards both ways, `forwardMessage`, a link preview from `generateLinkPreview`
 * (`query type:url`, metric 26) and delete for me (`clearMessage`). 2.3.1 has no star call and
 * does not act on a contact's revoke itself (it hands the protocol message on as a message).
 */
import { MessageType, WA_MESSAGE_STUB_TYPE, WAMessageProto, type WAMessage } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  ALICE_WA,
  BOB,
  BOB_WA,
  cleanUpV2,
  login,
  ME,
  newV2Client,
  sandboxEvent,
  startWorld,
  textOf,
  waitUntil,
  within,
  type World,
} from './baileys2-harness.ts';

afterEach(cleanUpV2);

const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Carol Example\nTEL;type=CELL;waid=15550100004:+1 555 010 0004\nEND:VCARD';

/** A logged-in client; `incoming` gets the messages contacts send. */
async function session() {
  const world = await startWorld();
  const v2 = newV2Client(world);
  const incoming: WAMessage[] = [];
  v2.client.setOnUnreadMessage(false, (message: WAMessage) => incoming.push(message));
  await login(v2);
  return { world, v2, client: v2.client, incoming };
}

/** The sandbox's stored message `id` of the account's chat `chat`. */
function storedMessage(world: World, chat: string, id: string) {
  const account = world.running.world.account(ME)!;
  return world.running.world.chat(account, chat)?.messages.find((message) => message.id === id);
}

/** The stored message as a `WebMessageInfo`, decoded with 2.3.1's own protobuf code. */
function storedInfo(world: World, chat: string, id: string): WAMessage {
  const raw = storedMessage(world, chat, id)?.raw;
  if (raw === undefined) throw new Error(`no stored message ${id}`);
  return WAMessageProto.proto.WebMessageInfo.decode(Buffer.from(raw, 'base64'));
}

async function arrival(incoming: WAMessage[], accept: (message: WAMessage) => boolean, what: string): Promise<WAMessage> {
  await waitUntil(() => incoming.some(accept), what);
  return incoming.find(accept)!;
}

describe('delete for everyone (Baileys 2.3.1)', () => {
  it('deleteMessage turns the target into a REVOKE stub that a later login pages', async () => {
    const { world, v2, client } = await session();
    const sent = await within(client.sendMessage(ALICE_WA, 'sent by mistake', MessageType.text), 5_000, 'send');
    const revoke = await within(client.deleteMessage(ALICE_WA, sent.message.key), 5_000, 'deleteMessage');
    expect(revoke.status).toBe(200);
    expect(revoke.message.message!.protocolMessage).toMatchObject({ key: { id: sent.messageID, fromMe: true }, type: 0 });
    await waitUntil(() => storedMessage(world, ALICE, sent.messageID)?.text === undefined, 'the target revoked');
    expect(storedInfo(world, ALICE, sent.messageID).messageStubType).toBe(WA_MESSAGE_STUB_TYPE.REVOKE);
    // The revoke itself is kept nowhere.
    expect(storedMessage(world, ALICE, revoke.messageID)).toBeUndefined();
    // A fresh 2.3.1 login pages the stub, without content.
    const later = newV2Client(world, { auth: v2.client.base64EncodedAuthInfo() });
    v2.client.close();
    await login(later);
    const page = await within(later.client.loadConversation(ALICE_WA, 5), 5_000, 'loadConversation');
    const stub = page.find((m: WAMessage) => m.key.id === sent.messageID);
    expect(stub?.messageStubType).toBe(WA_MESSAGE_STUB_TYPE.REVOKE);
    expect(stub?.message).toBeFalsy();
    expect(page.some((m: WAMessage) => m.message?.protocolMessage)).toBe(false);
  });

  it("someone else's message is refused with 403 and stays", async () => {
    const { world, client, incoming } = await session();
    const theirs = world.running.contact(ALICE).sendText('mine, not yours');
    const arrived = await arrival(incoming, (m) => m.key.id === theirs.id, 'the message');
    const error = await within(client.deleteMessage(ALICE_WA, arrived.key), 5_000, 'deleteMessage').catch((e: unknown) => e);
    expect((error as Error).message).toBe('Unexpected status code: 403');
    expect(storedMessage(world, ALICE, theirs.id)?.text).toBe('mine, not yours');
  });

  it("a contact's revoke reaches 2.3.1 as a protocol message naming the target in its own view", async () => {
    const { world, incoming } = await session();
    const sent = world.running.contact(ALICE).sendText('typo', { to: ME });
    await arrival(incoming, (m) => m.key.id === sent.id, 'the message');
    world.running.contact(ALICE).revoke(sent.id, { to: ME });
    const revoke = await arrival(incoming, (m) => !!m.message?.protocolMessage, 'the revoke');
    expect(revoke.key).toMatchObject({ remoteJid: ALICE_WA, fromMe: false });
    expect(revoke.message!.protocolMessage).toMatchObject({ key: { remoteJid: ALICE_WA, fromMe: false, id: sent.id }, type: 0 });
    expect(storedInfo(world, ALICE, sent.id).messageStubType).toBe(WA_MESSAGE_STUB_TYPE.REVOKE);
  });
});

describe('locations and contact cards (Baileys 2.3.1)', () => {
  it('sendMessage location and contact: the sandbox stores and relays them as sent', async () => {
    const { world, client } = await session();
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === ALICE);
    const pin = await within(
      client.sendMessage(ALICE_WA, { degreesLatitude: 48.8584, degreesLongitude: 2.2945, address: 'Champ de Mars' }, MessageType.location),
      5_000,
      'location',
    );
    expect(pin.status).toBe(200);
    await relayed;
    const location = storedInfo(world, ALICE, pin.messageID).message!.locationMessage;
    expect(location).toMatchObject({ degreesLatitude: 48.8584, degreesLongitude: 2.2945, address: 'Champ de Mars' });
    const contact = WAMessageProto.proto.ContactMessage.create({ displayName: 'Carol Example', vcard: VCARD });
    const card = await within(client.sendMessage(ALICE_WA, contact, MessageType.contact), 5_000, 'contact');
    expect(card.status).toBe(200);
    expect(storedInfo(world, ALICE, card.messageID).message!.contactMessage).toMatchObject({ displayName: 'Carol Example', vcard: VCARD });
  });

  it('a contact sends a location pin, a live location and a contact card; 2.3.1 reads each', async () => {
    const { world, incoming } = await session();
    const contact = world.running.contact(BOB);
    contact.sendLocation({ latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor' }, { to: ME });
    const pin = await arrival(incoming, (m) => !!m.message?.locationMessage, 'the location');
    expect(pin.key.remoteJid).toBe(BOB_WA);
    expect(pin.message!.locationMessage).toMatchObject({ degreesLatitude: 52.5163, degreesLongitude: 13.3777, name: 'Brandenburger Tor' });
    contact.sendLiveLocation({ latitude: 52.52, longitude: 13.405, sequenceNumber: 3, caption: 'on my way' }, { to: ME });
    const live = await arrival(incoming, (m) => !!m.message?.liveLocationMessage, 'the live location');
    expect(live.message!.liveLocationMessage).toMatchObject({ degreesLatitude: 52.52, degreesLongitude: 13.405, caption: 'on my way' });
    contact.sendContact(VCARD, { to: ME });
    const card = await arrival(incoming, (m) => !!m.message?.contactMessage, 'the contact card');
    expect(card.message!.contactMessage).toMatchObject({ displayName: 'Carol Example', vcard: VCARD });
  });
});

describe('forwardMessage (Baileys 2.3.1)', () => {
  it("forwards a contact's text as an extendedTextMessage with forwardingScore 1", async () => {
    const { world, client, incoming } = await session();
    world.running.contact(ALICE).sendText('pass it on');
    const original = await arrival(incoming, (m) => textOf(m) === 'pass it on', 'the message');
    const forwarded = await within(client.forwardMessage(BOB_WA, original), 5_000, 'forwardMessage');
    expect(forwarded.status).toBe(200);
    const stored = storedInfo(world, BOB, forwarded.messageID).message!.extendedTextMessage!;
    expect(stored.text).toBe('pass it on');
    expect(stored.contextInfo).toMatchObject({ forwardingScore: 1, isForwarded: true });
  });
});

describe('link preview (Baileys 2.3.1)', () => {
  it('generateLinkPreview answers title, canonical URL and a JPEG; sent as extendedText the sandbox keeps them', async () => {
    const { world, client } = await session();
    const preview = await within(client.generateLinkPreview('look: https://example.org'), 5_000, 'generateLinkPreview');
    expect(preview).toMatchObject({
      text: 'look: https://example.org',
      matchedText: 'https://example.org',
      canonicalUrl: 'https://example.org/',
      title: 'Example Domain',
    });
    expect(Buffer.from(preview.jpegThumbnail!).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const sent = await within(client.sendMessage(ALICE_WA, preview, MessageType.extendedText), 5_000, 'send');
    const stored = storedInfo(world, ALICE, sent.messageID).message!.extendedTextMessage;
    expect(stored).toMatchObject({ text: 'look: https://example.org', title: 'Example Domain', canonicalUrl: 'https://example.org/' });
  });
});

describe('delete for me (Baileys 2.3.1)', () => {
  it('clearMessage removes that one message from the account’s chat, the others stay', async () => {
    const { world, client } = await session();
    const sent = await within(client.sendMessage(ALICE_WA, 'only for me to forget', MessageType.text), 5_000, 'send');
    const ids = () => world.running.world.chat(world.running.world.account(ME)!, ALICE)!.messages.map((m) => m.id);
    const before = ids();
    expect(before).toContain(sent.messageID);
    expect(await within(client.clearMessage(sent.message.key), 5_000, 'clearMessage')).toEqual({ status: 200 });
    expect(ids()).toEqual(before.filter((id) => id !== sent.messageID));
  });
});
