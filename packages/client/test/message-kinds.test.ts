/**
 * Every message kind end to end against the in-memory sandbox (Node and Chromium): locations,
 * live locations, contact cards, forwards, any `Message` through sendMessage, quotes in groups,
 * delete for everyone / for me and star across two sessions of one account and a second account,
 * disappearing messages, link previews and caller thumbnails. What the sandbox stored is read
 * back from its world (the independent side), what the other side saw from its events.
 */
import { Sandbox, type WorldSpec } from '@wa/sandbox/core';
import { decodeWebMessageInfo, type WebMessageInfo } from '@wa/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, MemoryAuthStore, type MessageEvent, type MessageUpdate, type WAClient } from '../src/index.ts';
import { sandboxFetch } from './support/media-fetch.ts';
import { collect, memoryClient } from './support/harness.ts';

const ME = '15550100001@c.us';
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const GROUP = '15550100001-1600000000@g.us';
const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Carol Example\nTEL;type=CELL;waid=15550100004:+1 555 010 0004\nEND:VCARD';
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]);

const world: WorldSpec = {
  users: [{ jid: BOB, name: 'Bob', behaviour: { deliverAfterMs: 10, readAfterMs: null } }],
  accounts: [
    { jid: ME, name: 'Me', contacts: [ALICE, BOB] },
    { jid: ALICE, name: 'Alice', contacts: [ME, BOB] },
  ],
  groups: [{ id: GROUP, subject: 'Climbing', participants: [{ jid: ME, isAdmin: true }, ALICE, BOB] }],
};

let sandbox: Sandbox;
const clients: WAClient[] = [];

beforeEach(() => {
  sandbox = new Sandbox({ world });
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  sandbox.close();
});

async function session(wid: string): Promise<WAClient> {
  const client = memoryClient(sandbox, { auth: new MemoryAuthStore(), fetch: sandboxFetch(sandbox, []) });
  clients.push(client);
  client.on('qr', ({ qr }) => sandbox.phoneOf(wid).scan(qr));
  const chats = client.waitFor('chats');
  await client.connect();
  await chats;
  return client;
}

const relayed = (client: WAClient, filter: (event: MessageEvent) => boolean = () => true): Promise<MessageEvent> =>
  client.waitFor('message', { filter: (event) => event.source === 'relay' && filter(event) });

/** The message as the sandbox stored it for `wid` (the exact WebMessageInfo the sender's client wrote, or its copy). */
function stored(wid: string, id: string): WebMessageInfo {
  const found = sandbox.world.findMessage(sandbox.world.requireAccount(wid), id);
  if (!found?.message.raw) throw new Error(`no stored raw message ${id} for ${wid}`);
  return decodeWebMessageInfo(Uint8Array.from(atob(found.message.raw), (c) => c.charCodeAt(0)));
}

describe('locations and contact cards', () => {
  it('sendLocation writes a locationMessage; the other side sees kind location with its fields', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    const incoming = relayed(alice);
    const sent = await me.sendLocation(ALICE, { latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor', address: 'Pariser Platz', comment: 'here', thumbnail: JPEG });
    expect(stored(ME, sent.id).message).toEqual({
      locationMessage: { degreesLatitude: 52.5163, degreesLongitude: 13.3777, name: 'Brandenburger Tor', address: 'Pariser Platz', comment: 'here', jpegThumbnail: JPEG },
    });
    const event = await incoming;
    expect(event).toMatchObject({ kind: 'location', id: sent.id, location: { latitude: 52.5163, longitude: 13.3777, live: false, name: 'Brandenburger Tor', address: 'Pariser Platz', comment: 'here' } });
    await expect(me.sendLocation(ALICE, { latitude: 91, longitude: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(me.sendMessage(ALICE, {})).rejects.toThrow(InvalidArgumentError);
  });

  it('a live location share: sequence 1 with timeOffset 0, then 2; the other side reads them as liveLocation', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    const events = collect(alice, 'message');
    let share = await me.sendLiveLocation(ALICE, { latitude: 52.52, longitude: 13.405, caption: 'on my way', speedInMps: 1.5 });
    expect(share).toMatchObject({ chat: ALICE, sequenceNumber: 1 });
    expect(stored(ME, share.id).message?.liveLocationMessage).toEqual({
      degreesLatitude: 52.52,
      degreesLongitude: 13.405,
      speedInMps: 1.5,
      caption: 'on my way',
      sequenceNumber: '1',
      timeOffset: 0,
    });
    share = await me.updateLiveLocation(share, { latitude: 52.53, longitude: 13.41 });
    expect(share.sequenceNumber).toBe(2);
    expect(stored(ME, share.sent.id).message?.liveLocationMessage).toMatchObject({ degreesLatitude: 52.53, sequenceNumber: '2' });
    await alice.waitFor('message', { filter: (event) => event.id === share.sent.id });
    expect(events.filter((event) => event.kind === 'liveLocation').map((event) => event.location?.sequenceNumber)).toEqual([1, 2]);
  });

  it('sendContact: one vCard is a contactMessage named from FN, several a contactsArrayMessage', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    const one = relayed(alice);
    const sent = await me.sendContact(ALICE, VCARD);
    expect(stored(ME, sent.id).message).toEqual({ contactMessage: { displayName: 'Carol Example', vcard: VCARD } });
    expect(await one).toMatchObject({ kind: 'contact', contacts: [{ displayName: 'Carol Example', vcard: VCARD }] });
    const two = relayed(alice);
    const both = await me.sendContact(ALICE, [VCARD, { vcard: 'BEGIN:VCARD\nVERSION:3.0\nEND:VCARD', displayName: 'Dan' }]);
    expect(stored(ME, both.id).message?.contactsArrayMessage).toMatchObject({ displayName: '2 contacts', contacts: [{ displayName: 'Carol Example' }, { displayName: 'Dan' }] });
    expect((await two).contacts?.map((card) => card.displayName)).toEqual(['Carol Example', 'Dan']);
    await expect(me.sendContact(ALICE, 'not a card')).rejects.toThrow(InvalidArgumentError);
    await expect(me.sendContact(ALICE, [])).rejects.toThrow(InvalidArgumentError);
  });

  it('sendMessage takes any Message content, e.g. a group invite', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    const incoming = relayed(alice);
    const invite = { groupInviteMessage: { groupJid: GROUP.replace('@c.us', ''), inviteCode: 'AbCdEfGh12', groupName: 'Climbing', caption: 'join us' } };
    const sent = await me.sendMessage(ALICE, invite);
    expect(stored(ME, sent.id).message).toEqual(invite);
    expect(await incoming).toMatchObject({ kind: 'groupInvite', info: { message: invite } });
    await expect(me.sendMessage(ALICE, { imageMessage: { height: -1 } })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('forwards and quotes', () => {
  it('forwardMessage copies the content with forwardingScore n+1 and isForwarded; a text becomes extended', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    const fromBob = relayed(me);
    sandbox.contact(BOB).sendText('pass this on', { to: ME });
    const original = await fromBob;
    const incoming = relayed(alice);
    const sent = await me.forwardMessage(ALICE, original);
    expect(stored(ME, sent.id).message).toEqual({ extendedTextMessage: { text: 'pass this on', contextInfo: { forwardingScore: 1, isForwarded: true } } });
    const forwarded = await incoming;
    expect(forwarded).toMatchObject({ kind: 'text', text: 'pass this on', forwarded: true, forwardingScore: 1 });
    const again = relayed(me);
    await alice.forwardMessage(ME, forwarded.info);
    expect(await again).toMatchObject({ forwarded: true, forwardingScore: 2 });
    await expect(me.forwardMessage(ALICE, { key: { id: 'X' }, messageStubType: 'REVOKE' } as WebMessageInfo)).rejects.toThrow(InvalidArgumentError);
  });

  it('a quoted reply in a group carries the group as remoteJid and the author; the reader sees quote and mentions', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    // Both listen before Bob writes: the group's two copies arrive in either order.
    const fromBob = relayed(me, (event) => event.chat === GROUP);
    const toAlice = relayed(alice, (event) => event.chat === GROUP);
    sandbox.contact(BOB).sendText('who brings the rope?', { group: GROUP });
    const question = await fromBob;
    expect((await toAlice).id).toBe(question.id);
    const incoming = relayed(alice, (event) => event.fromMe === false && event.sender === ME);
    const sent = await me.sendText(GROUP, 'me, @15550100002 brings the nuts', { quoted: question.info, mentions: [ALICE] });
    expect(stored(ME, sent.id).message?.extendedTextMessage?.contextInfo).toEqual({
      stanzaId: question.id,
      participant: '15550100003@s.whatsapp.net',
      quotedMessage: { conversation: 'who brings the rope?' },
      remoteJid: GROUP,
      mentionedJid: ['15550100002@s.whatsapp.net'],
    });
    const reply = await incoming;
    expect(reply.quote).toMatchObject({ id: question.id, participant: BOB, chat: GROUP, kind: 'text', text: 'who brings the rope?' });
    expect(reply.mentions).toEqual([ALICE]);
  });
});

describe('delete for everyone, delete for me, star', () => {
  it('a revoke turns the message into a REVOKE stub for the sender, its other session and the recipient', async () => {
    const [me, mine, alice] = [await session(ME), await session(ME), await session(ALICE)];
    const delivered = relayed(alice);
    const copied = mine.waitFor('message', { filter: (event) => event.source === 'relay' && event.fromMe });
    const sent = await me.sendText(ALICE, 'sent to the wrong person');
    expect((await delivered).id).toBe(sent.id);
    expect((await copied).id).toBe(sent.id);
    const updates = { me: collect(me, 'message-update'), mine: mine.waitFor('message-update'), alice: alice.waitFor('message-update') };
    const revokeEvent = relayed(alice, (event) => event.kind === 'revoke');
    const revoke = await me.deleteMessage(ALICE, sent.id, { forEveryone: true });
    expect(revoke?.id).toMatch(/^3EB0/);
    expect(updates.me).toEqual([expect.objectContaining({ chat: ALICE, id: sent.id, update: 'revoked', fromMe: true, source: 'self' })]);
    const check = (update: MessageUpdate, chat: string, fromMe: boolean, source: string): void => {
      expect(update).toMatchObject({ chat, id: sent.id, update: 'revoked', fromMe, source, info: { messageStubType: 'REVOKE' } });
      expect(update.info?.message).toBeUndefined();
    };
    check(await updates.mine, ALICE, true, 'push');
    check(await updates.alice, ME, false, 'sender');
    expect(await revokeEvent).toMatchObject({ kind: 'revoke', revokedId: sent.id });
    for (const [client, chat] of [[me, ALICE], [mine, ALICE], [alice, ME]] as const) {
      const messages = client.messages(chat);
      expect(messages.find((info) => info.key.id === sent.id)).toMatchObject({ messageStubType: 'REVOKE' });
      // The revoke itself is no message of the chat.
      expect(messages.some((info) => info.key.id === revoke!.id)).toBe(false);
    }
    // The sandbox's history agrees, for a later page load too.
    const page = await alice.loadMessages(ME, { count: 10 });
    expect(page.messages.find((event) => event.id === sent.id)).toMatchObject({ kind: 'stub', stubType: 'REVOKE' });
  });

  it("refuses to revoke someone else's message and a delete for me of a message it cannot place", async () => {
    const me = await session(ME);
    const fromBob = relayed(me);
    sandbox.contact(BOB).sendText('mine, not yours', { to: ME });
    const event = await fromBob;
    await expect(me.deleteMessage(BOB, event.id, { forEveryone: true })).rejects.toThrow(InvalidArgumentError);
    await expect(me.deleteMessage(BOB, '3A0000000000000000AA')).rejects.toThrow(InvalidArgumentError);
    await expect(me.deleteMessage(BOB, '3A0000000000000000AA', { fromMe: false })).rejects.toMatchObject({ status: 404 });
    await expect(me.deleteMessage(BOB, '3EB00000000000000000', { forEveryone: true, fromMe: true })).rejects.toMatchObject({ status: 404 });
  });

  it('delete for me and star reach the other session as message-update; the store and the sandbox follow', async () => {
    const [me, mine] = [await session(ME), await session(ME)];
    const fromBob = relayed(me);
    sandbox.contact(BOB).sendText('keep this', { to: ME });
    const kept = await fromBob;
    const starredThere = mine.waitFor('message-update');
    await me.starMessage(BOB, kept.id);
    expect(me.messages(BOB).find((info) => info.key.id === kept.id)?.starred).toBe(true);
    expect(await starredThere).toMatchObject({ chat: BOB, id: kept.id, update: 'starred', fromMe: false, source: 'push' });
    expect(mine.messages(BOB).find((info) => info.key.id === kept.id)?.starred).toBe(true);
    expect(sandbox.world.findMessage(sandbox.world.requireAccount(ME), kept.id)?.message.starred).toBe(true);
    const page = await me.loadMessages(BOB, { count: 5 });
    expect(page.messages.find((event) => event.id === kept.id)?.starred).toBe(true);

    const unstarredThere = mine.waitFor('message-update');
    await me.starMessage(BOB, kept.id, false);
    expect(await unstarredThere).toMatchObject({ update: 'unstarred' });
    expect(me.messages(BOB).find((info) => info.key.id === kept.id)?.starred).toBeUndefined();

    const deletedThere = mine.waitFor('message-update');
    const local = me.waitFor('message-update');
    await me.deleteMessage(BOB, kept.id);
    expect(await local).toMatchObject({ update: 'deleted', source: 'self', info: { key: { id: kept.id } } });
    expect(await deletedThere).toMatchObject({ chat: BOB, id: kept.id, update: 'deleted', fromMe: false, source: 'push' });
    expect(me.messages(BOB).some((info) => info.key.id === kept.id)).toBe(false);
    expect(mine.messages(BOB).some((info) => info.key.id === kept.id)).toBe(false);
    expect(sandbox.world.findMessage(sandbox.world.requireAccount(ME), kept.id)).toBeUndefined();
  });
});

describe('disappearing messages', () => {
  it('the setting reaches the other side; later messages are wrapped in ephemeralMessage with contextInfo.expiration', async () => {
    const [me, alice] = [await session(ME), await session(ALICE)];
    const setting = relayed(alice, (event) => event.kind === 'ephemeralSetting');
    const sent = await me.setDisappearingMessages(ALICE, 604800);
    expect(stored(ME, sent.id).message).toEqual({ ephemeralMessage: { message: { protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: 604800 } } } });
    expect(me.chats().find((chat) => chat.jid === ALICE)).toMatchObject({ ephemeralSeconds: 604800, ephemeralSince: sent.timestamp });
    expect(me.messages(ALICE).some((info) => info.key.id === sent.id)).toBe(false);
    expect(await setting).toMatchObject({ expiration: 604800 });
    expect(alice.chats().find((chat) => chat.jid === ME)?.ephemeralSeconds).toBe(604800);

    const incoming = relayed(alice, (event) => event.kind === 'text');
    const text = await me.sendText(ALICE, 'this one disappears');
    expect(stored(ME, text.id).message).toEqual({
      ephemeralMessage: {
        message: { extendedTextMessage: { text: 'this one disappears', contextInfo: { expiration: 604800, ephemeralSettingTimestamp: String(sent.timestamp) } } },
      },
    });
    expect(await incoming).toMatchObject({ text: 'this one disappears', ephemeral: true, expiration: 604800 });

    // A new session reads the timer off the chat list (ephemeral, eph_setting_ts attributes).
    const later = await session(ALICE);
    expect(later.chats().find((chat) => chat.jid === ME)).toMatchObject({ ephemeralSeconds: 604800, ephemeralSince: sent.timestamp });

    await me.setDisappearingMessages(ALICE, 0);
    expect(me.chats().find((chat) => chat.jid === ALICE)?.ephemeralSeconds).toBeUndefined();
    const plain = await me.sendText(ALICE, 'this one stays');
    expect(stored(ME, plain.id).message).toEqual({ conversation: 'this one stays' });
    await expect(me.setDisappearingMessages(GROUP, 60)).rejects.toThrow(InvalidArgumentError);
  });
});

describe('link previews and thumbnails', () => {
  it('linkPreview: true fills the extendedTextMessage from the server’s answer; no link, no query', async () => {
    const me = await session(ME);
    const sent = await me.sendText(ALICE, 'have a look: https://example.org', { linkPreview: true });
    const extended = stored(ME, sent.id).message?.extendedTextMessage;
    expect(extended).toMatchObject({
      text: 'have a look: https://example.org',
      matchedText: 'https://example.org',
      canonicalUrl: 'https://example.org/',
      title: 'Example Domain',
      description: 'This domain is for use in illustrative examples in documents.',
      previewType: 'NONE',
    });
    expect([...extended!.jpegThumbnail!.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(await me.linkPreview('no link at all')).toBeUndefined();
    const plain = await me.sendText(ALICE, 'no link at all', { linkPreview: true });
    expect(stored(ME, plain.id).message).toEqual({ conversation: 'no link at all' });
    const given = await me.sendText(ALICE, 'see www.sandbox.test', { linkPreview: { title: 'Mine', matchedText: 'www.sandbox.test' } });
    expect(stored(ME, given.id).message?.extendedTextMessage).toEqual({ text: 'see www.sandbox.test', matchedText: 'www.sandbox.test', title: 'Mine', previewType: 'NONE' });
    await expect(me.sendText(ALICE, 'x', { linkPreview: { title: 3 as unknown as string } })).rejects.toThrow(InvalidArgumentError);
  });

  it('sendMedia takes a caller thumbnail as jpegThumbnail, only for image, video and document', async () => {
    const me = await session(ME);
    const sent = await me.sendMedia(ALICE, Uint8Array.from([1, 2, 3, 4]), { type: 'image', mimetype: 'image/jpeg', thumbnail: JPEG });
    expect(stored(ME, sent.id).message?.imageMessage?.jpegThumbnail).toEqual(JPEG);
    await expect(me.sendMedia(ALICE, Uint8Array.from([1]), { type: 'audio', mimetype: 'audio/ogg', thumbnail: JPEG })).rejects.toThrow(InvalidArgumentError);
  });
});
