/**
 * What Baileys 2.3.1 gets after login (chat list, contacts, recent messages) and history pages in
 * both directions.
 */
import type { WAMessage, WANode } from 'baileys2';
import { defaultWorld, type WorldSpec } from '@wa/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  ALICE_WA,
  BOB,
  BOB_WA,
  cleanUpV2,
  cursorOf,
  framesIn,
  GROUP,
  login,
  newV2Client,
  startWorld,
  textOf,
  waitUntil,
  within,
  type World,
} from './baileys2-harness.ts';

afterEach(cleanUpV2);

type Attrs = Record<string, string>;

/** `["chat", attrs, null]` / `["user", attrs, null]` items of a response node. */
function itemAttrs(node: WANode): Attrs[] {
  return ((node[2] ?? []) as WANode[]).map((item) => item[1] as Attrs);
}

/** Messages sorted by their timestamp (every seeded message has its own second). */
function chronological(messages: WAMessage[]): WAMessage[] {
  return [...messages].sort((a, b) => Number(a.messageTimestamp) - Number(b.messageTimestamp));
}

describe('chats, contacts and recent messages after login', () => {
  it('Baileys 2.3.1 decodes the pushed chat list, contacts and add:last, and its own chat/contacts queries', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    const pushed: Record<string, WANode> = {};
    // v2's public callback registry (the one connect() uses), so what it decoded can be checked.
    v2.client.registerCallback(['response', 'type:chat'], (json: WANode) => (pushed.chats ??= json));
    v2.client.registerCallback(['response', 'type:contacts'], (json: WANode) => (pushed.contacts ??= json));
    v2.client.registerCallback(['action', 'add:last'], (json: WANode) => (pushed.last ??= json));
    await login(v2);
    await waitUntil(() => !!pushed.chats && !!pushed.contacts && !!pushed.last, 'the chat list, contacts and add:last pushes');

    const chats = itemAttrs(pushed.chats!);
    // Baileys 2.3.1's decoder turns the s.whatsapp.net token into c.us (lib/Binary/Decoder.js:114-115).
    expect(chats.map((chat) => chat.jid)).toEqual(expect.arrayContaining([ALICE, BOB, GROUP]));
    expect(chats).toHaveLength(6);
    expect(chats[0]!.jid).toBe('15550100099@c.us');
    expect(chats.find((chat) => chat.jid === GROUP)).toEqual(expect.objectContaining({ name: 'Weekend Trip' }));
    expect(chats.find((chat) => chat.jid === GROUP)).not.toHaveProperty('read_only');
    for (const chat of chats) expect(Number.isFinite(Number(chat.t))).toBe(true);

    const contacts = itemAttrs(pushed.contacts!);
    expect(contacts).toEqual(expect.arrayContaining([expect.objectContaining({ jid: ALICE, name: 'Alice' })]));
    expect(contacts).toEqual(expect.arrayContaining([expect.objectContaining({ jid: '15550100005@c.us', name: 'Dave (work)', short: 'Dave' })]));

    const recent = ((pushed.last![2] ?? []) as WANode[]).map((item) => item[2] as WAMessage);
    const alice = recent.filter((message) => message.key.remoteJid === ALICE_WA);
    expect(alice.map(textOf)).toEqual(['Great, see you there 👋', 'Yes, 10am at the station', 'Hi! Are we still on for Saturday?']);
    expect(alice.map((message) => message.key.fromMe)).toEqual([false, true, false]);
    const group = chronological(recent.filter((message) => message.key.remoteJid === GROUP));
    expect(group.map(textOf)).toEqual(['Who brings the snacks?', 'I can bring sandwiches', 'I will bring drinks']);
    expect(group[0]!.participant ?? group[0]!.key.participant).toBe(ALICE_WA);

    // The queries Baileys 2.3.1 offers for the same lists.
    const queriedChats = (await within(v2.client.getChats(), 5_000, 'getChats')) as WANode;
    expect(itemAttrs(queriedChats).map((chat) => chat.jid)).toEqual(chats.map((chat) => chat.jid));
    const queriedContacts = (await within(v2.client.getContacts(), 5_000, 'getContacts')) as WANode;
    expect(itemAttrs(queriedContacts)).toHaveLength(contacts.length);
  });

  it('connect() resolves with the chats, contacts and each chat’s messages (FINDINGS B1)', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    // connect() resolves only once a message push carries `last` (lib/WAConnection/Connect.js:113-128).
    const [user, chats, contacts] = (await v2.client.connect(undefined, 8_000)) as unknown as [
      { id: string },
      { all(): Array<{ jid: string; name: string; messages: WAMessage[] }> },
      Attrs[],
    ];
    expect(user.id).toBe('15550100001@s.whatsapp.net');
    expect(chats.all().map((chat) => chat.jid)).toEqual(expect.arrayContaining([ALICE, BOB, GROUP]));
    expect(contacts).toEqual(expect.arrayContaining([expect.objectContaining({ jid: ALICE })]));
    const alice = chats.all().find((chat) => chat.jid === ALICE)!;
    expect(chronological(alice.messages).map(textOf)).toEqual(['Hi! Are we still on for Saturday?', 'Yes, 10am at the station', 'Great, see you there 👋']);
  });
});

/** The default world with 30 numbered messages (`m1` oldest … `m30`) in the chat with Bob. */
function worldWithLongChat(): WorldSpec {
  const spec = defaultWorld();
  const account = spec.accounts[0]!;
  account.chats = {
    ...account.chats,
    [BOB]: Array.from({ length: 30 }, (_, i) => ({
      from: i % 3 === 0 ? 'me' : BOB,
      text: `m${i + 1}`,
      ago: (30 - i) * 60,
    })),
  };
  return spec;
}

const texts = (messages: WAMessage[]): Array<string | undefined> => messages.map(textOf);
const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

/** The id the sandbox gave the message with this text in Bob's chat. */
function sandboxIdOf(world: World, text: string): string {
  const account = world.running.world.account('15550100001@c.us')!;
  const message = world.running.world.chat(account, BOB)!.messages.find((candidate) => candidate.text === text);
  if (!message) throw new Error(`no message ${text}`);
  return message.id;
}

describe('history pages', () => {
  it('pages backwards (kind before) to the start of the chat, each page oldest first', async () => {
    const world = await startWorld({ world: worldWithLongChat() });
    const v2 = newV2Client(world);
    await login(v2);

    const page1 = await within(v2.client.loadConversation(BOB_WA, 10), 5_000, 'page 1');
    expect(texts(page1)).toEqual(numbered(21, 30));
    const page2 = await within(v2.client.loadConversation(BOB_WA, 10, cursorOf(page1[0]!)), 5_000, 'page 2');
    expect(texts(page2)).toEqual(numbered(11, 20));
    const page3 = await within(v2.client.loadConversation(BOB_WA, 15, cursorOf(page2[0]!)), 5_000, 'page 3');
    expect(texts(page3)).toEqual(numbered(1, 10));
    expect(page3[0]!.key.fromMe).toBe(true);
    expect(await within(v2.client.loadConversation(BOB_WA, 10, cursorOf(page3[0]!)), 5_000, 'page 4')).toEqual([]);

    const queries = framesIn(world).filter((frame) => frame.text.includes('kind="before"'));
    expect(queries).toHaveLength(4);
    expect(queries[1]!.text).toContain(`index="${page1[0]!.key.id}"`);
    expect(queries[1]!.text).toContain('owner="false"');
    expect(queries[3]!.text).toContain(`index="${page3[0]!.key.id}"`);
    expect(queries[3]!.text).toContain('owner="true"');
  });

  it('pages forwards (kind after) from a cursor, oldest first', async () => {
    const world = await startWorld({ world: worldWithLongChat() });
    const v2 = newV2Client(world);
    await login(v2);

    const early = await within(v2.client.loadConversation(BOB_WA, 5, { id: sandboxIdOf(world, 'm5'), fromMe: false }, false), 5_000, 'after m5');
    expect(texts(early)).toEqual(numbered(6, 10));
    expect(early.map((m) => m.key.fromMe)).toEqual([false, true, false, false, true]);
    const later = await within(v2.client.loadConversation(BOB_WA, 10, { id: sandboxIdOf(world, 'm22'), fromMe: true }, false), 5_000, 'after m22');
    expect(texts(later)).toEqual(numbered(23, 30));
    const after = framesIn(world).filter((frame) => frame.text.includes('kind="after"'));
    expect(after).toHaveLength(2);
    expect(after[0]!.text).toContain('owner="false"');
    expect(after[1]!.text).toContain('owner="true"');
  });

  it('loadEntireConversation walks the whole chat in both directions', async () => {
    const world = await startWorld({ world: worldWithLongChat() });
    const v2 = newV2Client(world);
    await login(v2);

    const newestFirst: WAMessage[] = [];
    await within(v2.client.loadEntireConversation(BOB_WA, (message: WAMessage) => newestFirst.push(message), 12, true), 8_000, 'backwards');
    expect(texts(newestFirst)).toEqual(numbered(1, 30).reverse());
    const oldestFirst: WAMessage[] = [];
    await within(v2.client.loadEntireConversation(BOB_WA, (message: WAMessage) => oldestFirst.push(message), 12, false), 8_000, 'forwards');
    expect(texts(oldestFirst)).toEqual(numbered(1, 30));
  });
});
