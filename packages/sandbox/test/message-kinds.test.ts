/**
 * Message kinds and actions on single messages, at the frame level (in-memory link): star and
 * unstar, delete for me, delete for everyone (revoke) between two accounts and in a group,
 * disappearing messages of a 1:1 chat, link previews, scripted contacts' kinds, and the state
 * file keeping it all. docs/protocol/message-kinds.md shows the frames asserted here.
 */
import type { Node } from '@wa/binary-codec';
import { toBase64 } from '@wa/crypto';
import { decodeMessage, decodeWebMessageInfo, encodeWebMessageInfo, type MessageInput, type WebMessageInfo } from '@wa/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { PREVIEW_JPEG } from '../src/protocol/link-preview.ts';
import { hasNoMedia, messageInfoBytes } from '../src/protocol/nodes.ts';
import { Sandbox } from '../src/sandbox.ts';
import type { WorldSpec } from '../src/world/types.ts';
import { eventually, loggedInClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const bob = '15550100003@c.us';
const group = '15550100001-1600000000@g.us';
const NOW = 1_700_000_000;

const world: WorldSpec = {
  users: [{ jid: bob, name: 'Bob', behaviour: { deliverAfterMs: null, readAfterMs: null } }],
  accounts: [
    { jid: me, name: 'Me', contacts: [alice, bob], chats: { [bob]: [{ from: bob, text: 'hi from bob', ago: 60 }] } },
    { jid: alice, name: 'Alice', contacts: [me] },
  ],
  groups: [{ id: group, subject: 'Climbing', participants: [{ jid: me, isAdmin: true }, alice, bob] }],
};

let sandbox: Sandbox;
let first: MiniClient;
let second: MiniClient;
let other: MiniClient;

beforeEach(async () => {
  sandbox = new Sandbox({ clock: new ManualClock(NOW * 1000), world });
  first = await loggedInClient(sandbox, me);
  second = await loggedInClient(sandbox, me);
  other = await loggedInClient(sandbox, alice);
});

afterEach(() => sandbox.close());

const accountOf = (wid: string) => sandbox.world.requireAccount(wid);
const chatOf = (wid: string, jid: string) => sandbox.world.chat(accountOf(wid), jid);
const bobsMessage = () => chatOf(me, bob)!.messages[0]!;

/** `["action",{type:"set",epoch},[["chat",attrs,items]]]` (metric 10); the JSON answer. */
async function messageAction(client: MiniClient, attrs: Record<string, string>, items: Node[]): Promise<unknown> {
  const reply = await client.query(['action', { type: 'set', epoch: '5' }, [['chat', attrs, items]]], 10);
  if (reply.kind !== 'json') throw new Error(`expected a JSON answer, got ${reply.kind}`);
  return reply.json;
}

/** The next relayed message (`add:"relay"`) matching `predicate`. */
async function relayed(client: MiniClient, predicate: (info: WebMessageInfo) => boolean): Promise<WebMessageInfo> {
  const { node } = await client.waitForNode((candidate) => candidate[0] === 'action' && candidate[1]?.add === 'relay' && messagesOf(candidate).some(predicate));
  return messagesOf(node).find(predicate)!;
}

/** A chat's history as `query type:message` answers it, oldest first. */
async function history(client: MiniClient, jid: string): Promise<WebMessageInfo[]> {
  const reply = await client.query(['query', { type: 'message', jid, kind: 'before', count: '50', epoch: '7' }, null], 7);
  if (reply.kind !== 'node') throw new Error('expected a history page');
  return messagesOf(reply.node);
}

/** The chat list attributes of `jid`. */
async function chatAttrs(client: MiniClient, jid: string): Promise<Record<string, string> | undefined> {
  const reply = await client.query(['query', { type: 'chat', epoch: '9' }, null], 5);
  if (reply.kind !== 'node') throw new Error('expected the chat list');
  return ((reply.node[2] as Node[]).find((chat) => chat[1]?.jid === jid)?.[1] ?? undefined) as Record<string, string> | undefined;
}

describe('star and unstar', () => {
  it('answers 200, keeps starred in the world and in history, and pushes the same item to the other session', async () => {
    const id = bobsMessage().id;
    const push = second.waitForNode((node) => node[0] === 'action' && node[1] === null);
    // docs/protocol/message-kinds.md shows these frames.
    expect(await messageAction(first, { jid: bob, type: 'star' }, [['item', { owner: 'false', index: id }, null]])).toEqual({ status: 200 });
    expect((await push).node).toEqual(['action', null, [['chat', { jid: bob, type: 'star' }, [['item', { owner: 'false', index: id }, null]]]]]);
    expect(bobsMessage().starred).toBe(true);
    const starred = (await history(first, bob)).find((info) => info.key.id === id)!;
    expect(starred.starred).toBe(true);
    expect(starred.message?.conversation).toBe('hi from bob');

    const back = second.waitForNode((node) => node[0] === 'action' && node[1] === null);
    expect(await messageAction(first, { jid: bob, type: 'unstar' }, [['item', { owner: 'false', index: id }, null]])).toEqual({ status: 200 });
    expect((await back).node).toEqual(['action', null, [['chat', { jid: bob, type: 'unstar' }, [['item', { owner: 'false', index: id }, null]]]]]);
    expect(bobsMessage().starred).toBeUndefined();
    expect((await history(first, bob)).find((info) => info.key.id === id)!.starred).toBeUndefined();
  });

  it('refuses an unknown message with 404, an item without index with 400, and a chat it does not have with 404', async () => {
    expect(await messageAction(first, { jid: bob, type: 'star' }, [['item', { owner: 'false', index: '3A0000000000000000FF' }, null]])).toEqual({ status: 404 });
    // The right id with the wrong owner names no message either.
    expect(await messageAction(first, { jid: bob, type: 'star' }, [['item', { owner: 'true', index: bobsMessage().id }, null]])).toEqual({ status: 404 });
    expect(await messageAction(first, { jid: bob, type: 'star' }, [['item', { owner: 'false' }, null]])).toEqual({ status: 400 });
    expect(await messageAction(first, { jid: '15550109999@c.us', type: 'star' }, [['item', { owner: 'false', index: bobsMessage().id }, null]])).toEqual({ status: 404 });
    expect(bobsMessage().starred).toBeUndefined();
  });
});

describe('delete for me', () => {
  it('removes the message from this account only, history included, and pushes the item with its modify_tag', async () => {
    const sent = await first.sendText(alice, 'to be cleared');
    await relayed(other, (info) => info.key.id === sent.id);
    const push = second.waitForNode((node) => node[0] === 'action' && node[1] === null && JSON.stringify(node).includes('clear'));
    const attrs = { jid: alice, modify_tag: '734512', type: 'clear' };
    expect(await messageAction(first, attrs, [['item', { owner: 'true', index: sent.id }, null]])).toEqual({ status: 200 });
    expect((await push).node).toEqual(['action', null, [['chat', attrs, [['item', { owner: 'true', index: sent.id }, null]]]]]);
    expect(chatOf(me, alice)!.messages.some((message) => message.id === sent.id)).toBe(false);
    expect((await history(first, alice)).some((info) => info.key.id === sent.id)).toBe(false);
    // Alice keeps her copy.
    expect(chatOf(alice, me)!.messages.some((message) => message.id === sent.id)).toBe(true);
    expect(sandbox.world.findMessage(accountOf(me), sent.id)).toBeUndefined();
  });
});

const revokeOf = (target: string, chat: string): MessageInput => ({
  protocolMessage: { key: { remoteJid: chat.replace('@c.us', '@s.whatsapp.net'), fromMe: true, id: target }, type: 'REVOKE' },
});

describe('delete for everyone (revoke)', () => {
  it('turns the target into a REVOKE stub on both sides, relays the revoke, and keeps the revoke out of history', async () => {
    const sent = await first.sendText(alice, 'oops');
    await relayed(other, (info) => info.key.id === sent.id);
    const toOther = relayed(other, (info) => info.message?.protocolMessage !== undefined);
    const toSecond = relayed(second, (info) => info.message?.protocolMessage !== undefined);
    const revoke = await first.sendMessage(alice, revokeOf(sent.id, alice));
    expect(revoke.reply).toMatchObject({ kind: 'json', json: { status: 200 } });

    // Alice's session gets the revoke as Alice sees it: her chat is me, and so is the target key's.
    const seen = await toOther;
    expect(seen.key).toEqual({ remoteJid: '15550100001@s.whatsapp.net', fromMe: false, id: revoke.id });
    expect(seen.message?.protocolMessage).toEqual({ key: { remoteJid: '15550100001@s.whatsapp.net', fromMe: false, id: sent.id }, type: 'REVOKE' });
    expect((await toSecond).key).toEqual({ remoteJid: '15550100002@s.whatsapp.net', fromMe: true, id: revoke.id });

    for (const [client, chat] of [[first, alice], [other, me]] as const) {
      const page = await history(client, chat);
      const stub = page.find((info) => info.key.id === sent.id)!;
      expect(stub.messageStubType).toBe('REVOKE');
      expect(stub.message).toBeUndefined();
      expect(page.some((info) => info.key.id === revoke.id)).toBe(false);
    }
    expect(chatOf(me, alice)!.messages.find((message) => message.id === sent.id)!.text).toBeUndefined();
    await eventually(() => chatOf(alice, me)!.messages.find((message) => message.id === sent.id)!.text === undefined);
    // A retry of the same revoke is acknowledged again.
    expect((await first.sendMessage(alice, revokeOf(sent.id, alice), revoke.id)).reply).toMatchObject({ json: { status: 200 } });
  });

  it("refuses someone else's message with 403 and an unknown one with 404", async () => {
    const fromBob = bobsMessage().id;
    expect((await first.sendMessage(bob, revokeOf(fromBob, bob))).reply).toMatchObject({ json: { status: 403 } });
    expect((await first.sendMessage(bob, revokeOf('3EB00000000000000000', bob))).reply).toMatchObject({ json: { status: 404 } });
    expect(bobsMessage().text).toBe('hi from bob');
  });

  it('in a group, the members that are accounts get the stub and the revoke with the sender as participant', async () => {
    const sent = await first.sendText(group, 'wrong group');
    await relayed(other, (info) => info.key.id === sent.id);
    const toOther = relayed(other, (info) => info.message?.protocolMessage !== undefined);
    const revoke = await first.sendMessage(group, revokeOf(sent.id, group));
    expect(revoke.reply).toMatchObject({ json: { status: 200 } });
    const seen = await toOther;
    expect(seen.key).toEqual({ remoteJid: group, fromMe: false, id: revoke.id, participant: '15550100001@s.whatsapp.net' });
    expect(seen.message?.protocolMessage?.key).toEqual({ remoteJid: group, fromMe: false, id: sent.id, participant: '15550100001@s.whatsapp.net' });
    const stub = (await history(other, group)).find((info) => info.key.id === sent.id)!;
    expect(stub).toMatchObject({ messageStubType: 'REVOKE', key: { participant: '15550100001@s.whatsapp.net' } });
    expect(stub.message).toBeUndefined();
  });

  it('a scripted contact revokes its own message: stub in the account, the revoke on its sessions', async () => {
    const sent = sandbox.contact(bob).sendText('typo', { to: me });
    await relayed(first, (info) => info.key.id === sent.id);
    const push = relayed(first, (info) => info.message?.protocolMessage !== undefined);
    const revokeId = sandbox.contact(bob).revoke(sent.id, { to: me });
    const seen = await push;
    expect(seen.key).toEqual({ remoteJid: '15550100003@s.whatsapp.net', fromMe: false, id: revokeId });
    expect(seen.message?.protocolMessage).toEqual({ key: { remoteJid: '15550100003@s.whatsapp.net', fromMe: false, id: sent.id }, type: 'REVOKE' });
    expect((await history(first, bob)).find((info) => info.key.id === sent.id)!.messageStubType).toBe('REVOKE');
    expect(() => sandbox.contact(bob).revoke('3A00000000000000000000', { to: me })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('disappearing messages', () => {
  const setting = (seconds: number): MessageInput => ({ ephemeralMessage: { message: { protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: seconds } } } });

  it('an EPHEMERAL_SETTING relayed to a 1:1 chat sets the timer of both sides, shown as ephemeral and eph_setting_ts', async () => {
    const sent = await first.sendMessage(alice, setting(604800));
    expect(sent.reply).toMatchObject({ json: { status: 200 } });
    const seen = await relayed(other, (info) => info.key.id === sent.id);
    expect(seen.message?.ephemeralMessage?.message?.protocolMessage).toEqual({ type: 'EPHEMERAL_SETTING', ephemeralExpiration: 604800 });
    const t = chatOf(me, alice)!.ephemeralSince!;
    expect(chatOf(me, alice)).toMatchObject({ ephemeral: 604800 });
    expect(await chatAttrs(first, alice)).toMatchObject({ ephemeral: '604800', eph_setting_ts: String(t) });
    expect(await chatAttrs(other, me)).toMatchObject({ ephemeral: '604800', eph_setting_ts: String(t) });
    expect((await first.sendMessage(alice, setting(0))).reply).toMatchObject({ json: { status: 200 } });
    expect((await chatAttrs(first, alice))!.ephemeral).toBeUndefined();
    expect(chatOf(alice, me)!.ephemeral).toBeUndefined();
  });
});

describe('media inside the ephemeral wrapper', () => {
  it('is media too: its URL is re-based onto the current media host like an unwrapped one', () => {
    const image = { url: 'https://old-host.invalid/d/f/abc.enc', directPath: '/d/f/abc.enc', mimetype: 'image/jpeg' };
    const info = encodeWebMessageInfo({ key: { remoteJid: '15550100002@s.whatsapp.net', fromMe: true, id: '3EB0AAAAAAAAAAAAAAAA' }, message: { ephemeralMessage: { message: { imageMessage: image } } }, messageTimestamp: NOW });
    expect(hasNoMedia(decodeWebMessageInfo(info).message)).toBe(false);
    const message = { id: '3EB0AAAAAAAAAAAAAAAA', fromMe: true, t: NOW, status: 'SERVER_ACK' as const, raw: toBase64(info) };
    const bytes = messageInfoBytes(message, alice, (path) => `https://127.0.0.1:4000${path}`);
    expect(decodeWebMessageInfo(bytes).message?.ephemeralMessage?.message?.imageMessage?.url).toBe('https://127.0.0.1:4000/d/f/abc.enc');
  });
});

describe('link previews', () => {
  async function preview(url: string): Promise<Node | unknown> {
    const reply = await first.query(['query', { type: 'url', url, epoch: '3' }, null], 20);
    return reply.kind === 'node' ? reply.node : reply.kind === 'json' ? reply.json : reply;
  }

  it('answers a known page with its preview and a JPEG, any other page with one made from its address, no link with 404', async () => {
    expect(await preview('https://example.org')).toEqual([
      'response',
      {
        type: 'url',
        url: 'https://example.org',
        'canonical-url': 'https://example.org/',
        'matched-text': 'https://example.org',
        title: 'Example Domain',
        description: 'This domain is for use in illustrative examples in documents.',
      },
      PREVIEW_JPEG,
    ]);
    expect([...PREVIEW_JPEG.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...PREVIEW_JPEG.subarray(-2)]).toEqual([0xff, 0xd9]);
    const made = (await preview('read https://blog.sandbox.test/post/1.')) as Node;
    expect(made[1]).toMatchObject({
      'canonical-url': 'https://blog.sandbox.test/post/1',
      'matched-text': 'https://blog.sandbox.test/post/1',
      title: 'blog.sandbox.test',
      description: 'A page on blog.sandbox.test',
    });
    expect(await preview('no link here')).toEqual({ status: 404 });
  });
});

describe('scripted contacts send every kind', () => {
  it('send() takes any Message; sendContact and sendLiveLocation build theirs; bad content is refused', async () => {
    const contact = sandbox.contact(bob);
    const invite = contact.send({ groupInviteMessage: { groupJid: group, inviteCode: 'AbCdEf', groupName: 'Climbing' } }, { to: me });
    expect((await relayed(first, (info) => info.key.id === invite.id)).message).toEqual({ groupInviteMessage: { groupJid: group, inviteCode: 'AbCdEf', groupName: 'Climbing' } });
    const card = contact.sendContact('BEGIN:VCARD\nVERSION:3.0\nFN:Carol\nEND:VCARD', { to: me });
    expect((await relayed(first, (info) => info.key.id === card.id)).message).toEqual({
      contactMessage: { displayName: 'Carol', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Carol\nEND:VCARD' },
    });
    const cards = contact.sendContact(['BEGIN:VCARD\nFN:A\nEND:VCARD', { vcard: 'BEGIN:VCARD\nEND:VCARD', displayName: 'B' }], { to: me });
    expect(decodeMessage(Uint8Array.from(atob(cards.content!), (c) => c.charCodeAt(0))).contactsArrayMessage).toMatchObject({ displayName: '2 contacts' });
    const live = contact.sendLiveLocation({ latitude: 52.52, longitude: 13.405, sequenceNumber: 2, timeOffset: 30 }, { to: me });
    expect((await relayed(first, (info) => info.key.id === live.id)).message?.liveLocationMessage).toEqual({
      degreesLatitude: 52.52,
      degreesLongitude: 13.405,
      sequenceNumber: '2',
      timeOffset: 30,
    });
    expect(() => contact.send({ nonsense: {} } as unknown as MessageInput, { to: me })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => contact.sendContact('not a card', { to: me })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => contact.sendLiveLocation({ latitude: 91, longitude: 0 }, { to: me })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('the state keeps it', () => {
  it('starred, stubs and the chat timer survive exportState and a new sandbox; bad fields are refused', async () => {
    const id = bobsMessage().id;
    await messageAction(first, { jid: bob, type: 'star' }, [['item', { owner: 'false', index: id }, null]]);
    const sent = await first.sendText(alice, 'gone');
    await first.sendMessage(alice, revokeOf(sent.id, alice));
    await first.sendMessage(alice, { ephemeralMessage: { message: { protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: 86400 } } } });
    const state = JSON.parse(JSON.stringify(sandbox.exportState()));
    const restored = new Sandbox({ clock: new ManualClock(NOW * 1000), state });
    try {
      const account = restored.world.requireAccount(me);
      expect(restored.world.chat(account, bob)!.messages[0]!.starred).toBe(true);
      expect(restored.world.chat(account, alice)!.ephemeral).toBe(86400);
      const client = await loggedInClient(restored, me);
      expect((await history(client, alice)).find((info) => info.key.id === sent.id)!.messageStubType).toBe('REVOKE');
      expect((await history(client, bob)).find((info) => info.key.id === id)!.starred).toBe(true);
    } finally {
      restored.close();
    }
    const bad = structuredClone(state);
    bad.world.accounts[0].chats.find((chat: { jid: string }) => chat.jid === bob).messages[0].starred = 'yes';
    expect(() => new Sandbox({ state: bad })).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    const badTimer = structuredClone(state);
    badTimer.world.accounts[0].chats.find((chat: { jid: string }) => chat.jid === alice).ephemeral = 0;
    expect(() => new Sandbox({ state: badTimer })).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });
});
