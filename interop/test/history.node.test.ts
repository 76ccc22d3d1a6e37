/**
 * What Baileys 3.5.3 knows after login (chat list, contacts, recent messages) and paging through
 * history in both directions.
 */
import type { WAChat, WAMessage } from '@adiwajshing/baileys';
import { defaultWorld, type WorldSpec } from '@wa/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE_WA, BOB, BOB_WA, cleanUp, GROUP, loginWithQr, newClient, nextEvent, startWorld } from './harness.ts';

afterEach(cleanUp);

/** The text of a message whichever way it was written. */
function textOf(message: WAMessage): string | undefined {
  return message.message?.conversation ?? message.message?.extendedTextMessage?.text ?? undefined;
}

function chatOf(conn: { chats: { get(jid: string): WAChat | undefined } }, jid: string): WAChat {
  const chat = conn.chats.get(jid);
  if (!chat) throw new Error(`Baileys has no chat ${jid}`);
  return chat;
}

describe('chats, contacts and recent messages after login', () => {
  it('fills the chat list, the contacts and each chat with its latest messages in order', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    const chats = nextEvent<{ hasNewChats: boolean }>(conn, 'chats-received');
    const contacts = nextEvent<{ updatedContacts: unknown[] }>(conn, 'contacts-received');
    const initial = nextEvent(conn, 'initial-data-received', () => true, 12_000);
    await loginWithQr(world, conn);
    expect((await chats).hasNewChats).toBe(true);
    await contacts;
    await initial;

    const jids = conn.chats.all().map((chat) => chat.jid);
    expect(jids).toHaveLength(6);
    expect(jids).toEqual(expect.arrayContaining([ALICE_WA, BOB_WA, GROUP]));
    // Ordered newest activity first: the Echo Bot wrote 10 minutes ago, Dave's chat is 2 days old.
    expect(jids[0]).toBe('15550100099@s.whatsapp.net');
    expect(jids.at(-1)).toBe('15550100005@s.whatsapp.net');

    const group = chatOf(conn, GROUP);
    expect(group.name).toBe('Weekend Trip');
    // `read_only` means "you left this group" to Baileys (groupMetadata switches to the minimal query).
    expect.soft(group).not.toHaveProperty('read_only');
    for (const chat of conn.chats.all()) expect(Number.isFinite(chat.t)).toBe(true);

    expect(conn.contacts[ALICE_WA]).toEqual(expect.objectContaining({ jid: ALICE_WA }));
    expect(chatOf(conn, ALICE_WA).name).toBeTruthy();
    expect(conn.contacts['15550100005@s.whatsapp.net']).toEqual(expect.objectContaining({ name: 'Dave (work)', short: 'Dave' }));

    // add:last: Baileys keeps one message per chat from it (WAConnection/4.Events.js:162-224),
    // which must be the newest; the rest comes from kind:"before" pages.
    expect.soft(textOf(chatOf(conn, ALICE_WA).messages.all().at(-1)!)).toBe('Great, see you there 👋');
    expect.soft(textOf(chatOf(conn, GROUP).messages.all().at(-1)!)).toBe('I will bring drinks');
    // The rest through kind:"before" pages (Baileys shows fetched pages reversed: README, D2).
    const alice = chronological((await conn.loadMessages(ALICE_WA, 3)).messages);
    expect(alice.map(textOf)).toEqual(['Hi! Are we still on for Saturday?', 'Yes, 10am at the station', 'Great, see you there 👋']);
    expect(alice.map((m) => m.key.fromMe)).toEqual([false, true, false]);
    const groupPage = chronological((await conn.loadMessages(GROUP, 3)).messages);
    expect(groupPage.map(textOf)).toEqual(['Who brings the snacks?', 'I can bring sandwiches', 'I will bring drinks']);
    expect(groupPage[0]!.participant ?? groupPage[0]!.key.participant).toBe(ALICE_WA);
    expect(groupPage[2]!.key.fromMe).toBe(true);
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
      ...(i % 3 === 0 ? { status: 'READ' as const } : {}),
    })),
  };
  return spec;
}

const texts = (messages: WAMessage[]): Array<string | undefined> => messages.map(textOf);
const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

/** A history cursor (`index`, `owner`) from a message. */
function cursorOf(message: WAMessage): { id: string; fromMe: boolean } {
  return { id: message.key.id!, fromMe: !!message.key.fromMe };
}

/** Messages sorted by their timestamp (every seeded message has its own second). */
function chronological(messages: WAMessage[]): WAMessage[] {
  return [...messages].sort((a, b) => Number(a.messageTimestamp) - Number(b.messageTimestamp));
}

describe('history pages', () => {
  it('pages backwards (kind before) to the start of the chat', async () => {
    const world = await startWorld({ world: worldWithLongChat(), recentMessagesPerChat: 5 });
    const conn = newClient(world);
    const initial = nextEvent(conn, 'initial-data-received', () => true, 12_000);
    await loginWithQr(world, conn);
    await initial;
    const newest = chatOf(conn, BOB_WA).messages.all().at(-1)!;
    expect(textOf(newest)).toBe('m30');

    // On the wire each page is oldest first (FACTS); Baileys' own add:before handler reverses the
    // array in place before the query hands it back (README, D2), so pages arrive newest first.
    const page1 = await conn.fetchMessagesFromWA(BOB_WA, 10, cursorOf(newest));
    expect(texts(page1)).toEqual(numbered(20, 29).reverse());
    const page2 = await conn.fetchMessagesFromWA(BOB_WA, 10, cursorOf(chronological(page1)[0]!));
    expect(texts(page2)).toEqual(numbered(10, 19).reverse());
    const page3 = await conn.fetchMessagesFromWA(BOB_WA, 10, cursorOf(chronological(page2)[0]!));
    expect(texts(page3)).toEqual(numbered(1, 9).reverse());
    const m1 = chronological(page3)[0]!;
    expect(m1.key.fromMe).toBe(true);
    expect(await conn.fetchMessagesFromWA(BOB_WA, 10, cursorOf(m1))).toEqual([]);

    // loadMessages: served from what Baileys cached (add:last and the pages above).
    const loaded = await conn.loadMessages(BOB_WA, 10);
    expect(texts(chronological(loaded.messages))).toEqual(numbered(21, 30));
    expect(world.framesIn().filter((frame) => frame.includes('kind="before"')).length).toBeGreaterThanOrEqual(4);
  });

  it('pages forwards (kind after) from a cursor, oldest first', async () => {
    const world = await startWorld({ world: worldWithLongChat(), recentMessagesPerChat: 5 });
    const conn = newClient(world);
    await loginWithQr(world, conn);

    // Going forwards always asks the server; there is no add:after handler, so the page is as sent.
    const early = await conn.loadMessages(BOB_WA, 5, { id: sandboxIdOf(world, 'm5'), fromMe: false }, false);
    expect(texts(early.messages)).toEqual(numbered(6, 10));
    expect(early.messages.map((m) => m.key.fromMe)).toEqual([false, true, false, false, true]);
    const later = await conn.loadMessages(BOB_WA, 10, { id: sandboxIdOf(world, 'm22'), fromMe: true }, false);
    expect(texts(later.messages)).toEqual(numbered(23, 30));
    const after = world.framesIn().filter((frame) => frame.includes('kind="after"'));
    expect(after).toHaveLength(2);
    expect(after[0]).toContain('owner="false"');
    expect(after[1]).toContain('owner="true"');
  });
});

/** The id the sandbox gave the message with this text in Bob's chat. */
function sandboxIdOf(world: Awaited<ReturnType<typeof startWorld>>, text: string): string {
  const account = world.running.world.account('15550100001@c.us')!;
  const chat = world.running.world.chat(account, BOB)!;
  const message = chat.messages.find((candidate) => candidate.text === text);
  if (!message) throw new Error(`no message ${text}`);
  return message.id;
}
