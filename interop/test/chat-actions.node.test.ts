/**
 * Baileys 3.5.3's chat modifications (`modifyChat`, lib/WAConnection/7.MessagesExtra.js) and
 * `chatRead(jid, 'unread')` against the sandbox: the world changes, and a second Baileys session
 * of the same account sees the change through its `CB:action,,chat` / `CB:action,,read`
 * handlers (lib/WAConnection/4.Events.js) as `chat-update` events.
 */
import { ChatModification, type WAConnection } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, BOB, BOB_WA, cleanUp, GROUP, loggedIn, ME, newClient, nextEvent, startWorld, type World } from './harness.ts';

afterEach(cleanUp);

type ChatUpdate = Record<string, unknown> & { jid: string };

async function twoSessions(): Promise<{ world: World; conn: WAConnection; other: WAConnection }> {
  const world = await startWorld();
  const conn = newClient(world);
  await loggedIn(world, conn);
  const other = newClient(world);
  await loggedIn(world, other);
  return { world, conn, other };
}

const worldChat = (world: World, jid: string) => world.running.sandbox.world.chat(world.running.sandbox.world.requireAccount(ME), jid);

/** The next `chat-update` of `conn` for `jid` that carries `key`. */
const updateOf = (conn: WAConnection, jid: string, key: string) =>
  nextEvent<ChatUpdate>(conn as never, 'chat-update', (update) => update.jid === jid && key in update);

describe('modifyChat', () => {
  it('archive and unarchive change the world; the other session sees archive "true" / "false"', async () => {
    const { world, conn, other } = await twoSessions();
    let seen = updateOf(other, ALICE_WA, 'archive');
    expect((await conn.modifyChat(ALICE_WA, ChatModification.archive)).status).toBe(200);
    expect(worldChat(world, ALICE)!.archived).toBe(true);
    expect(await seen).toEqual({ jid: ALICE_WA, archive: 'true' });
    expect(other.chats.get(ALICE_WA)!.archive).toBe('true');
    seen = updateOf(other, ALICE_WA, 'archive');
    expect((await conn.modifyChat(ALICE_WA, ChatModification.unarchive)).status).toBe(200);
    expect(worldChat(world, ALICE)!.archived).toBe(false);
    expect(await seen).toEqual({ jid: ALICE_WA, archive: 'false' });
  });

  it('pin and unpin: the world keeps the pin time, the other session gets it and then "false"', async () => {
    const { world, conn, other } = await twoSessions();
    let seen = updateOf(other, GROUP, 'pin');
    expect((await conn.modifyChat(GROUP, ChatModification.pin)).status).toBe(200);
    const pin = conn.chats.get(GROUP)!.pin;
    expect(pin).toMatch(/^\d+$/);
    expect(worldChat(world, GROUP)!.pin).toBe(Number(pin));
    expect(await seen).toEqual({ jid: GROUP, pin });
    seen = updateOf(other, GROUP, 'pin');
    // Baileys sends {"type":"pin","previous":<its chat's pin>}.
    expect((await conn.modifyChat(GROUP, ChatModification.unpin)).status).toBe(200);
    expect(worldChat(world, GROUP)!.pin).toBeUndefined();
    expect(await seen).toEqual({ jid: GROUP, pin: 'false' });
  });

  it('a fourth pin is refused with 400 (Baileys throws); three are fine', async () => {
    const { world, conn } = await twoSessions();
    for (const jid of [ALICE_WA, BOB_WA, GROUP]) expect((await conn.modifyChat(jid, ChatModification.pin)).status).toBe(200);
    const refused = await conn.modifyChat('15550100004@s.whatsapp.net', ChatModification.pin).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400 });
    expect(worldChat(world, '15550100004@c.us')!.pin).toBeUndefined();
  });

  it('mute and unmute set and clear the mute end in the world and the chat list', async () => {
    const { world, conn } = await twoSessions();
    expect((await conn.modifyChat(BOB_WA, ChatModification.mute, 8 * 3600 * 1000)).status).toBe(200);
    const mute = Number(conn.chats.get(BOB_WA)!.mute);
    expect(worldChat(world, BOB)!.mute).toBe(mute);
    expect(mute).toBeGreaterThan(Date.now() / 1000 + 7 * 3600);
    // A fresh session reads it from the chat list.
    const third = newClient(world);
    await loggedIn(world, third);
    expect(Number(third.chats.get(BOB_WA)!.mute)).toBe(mute);
    expect((await conn.modifyChat(BOB_WA, ChatModification.unmute)).status).toBe(200);
    expect(worldChat(world, BOB)!.mute).toBe(0);
  });

  it('clear empties the chat (world and other session); delete removes it', async () => {
    const { world, conn, other } = await twoSessions();
    const cleared = updateOf(other, ALICE_WA, 'clear');
    expect((await conn.modifyChat(ALICE_WA, ChatModification.clear)).status).toBe(200);
    expect(worldChat(world, ALICE)!.messages).toEqual([]);
    await cleared;
    expect(other.chats.get(ALICE_WA)!.messages.length).toBe(0);
    const deleted = updateOf(other, BOB_WA, 'delete');
    expect((await conn.modifyChat(BOB_WA, ChatModification.delete)).status).toBe(200);
    expect(worldChat(world, BOB)).toBeUndefined();
    expect(await deleted).toEqual({ jid: BOB_WA, delete: 'true' });
    expect(other.chats.get(BOB_WA)).toBeUndefined();
  });
});

describe("chatRead from one session, seen by the other", () => {
  it('read sets the other session\'s count to 0 and unread to -1', async () => {
    const { world, conn, other } = await twoSessions();
    expect(other.chats.get(ALICE_WA)!.count).toBeGreaterThan(0);
    let seen = updateOf(other, ALICE_WA, 'count');
    await conn.chatRead(ALICE_WA);
    expect(await seen).toEqual({ jid: ALICE_WA, count: 0 });
    seen = updateOf(other, ALICE_WA, 'count');
    await conn.chatRead(ALICE_WA, 'unread');
    expect(await seen).toEqual({ jid: ALICE_WA, count: -1 });
    expect(worldChat(world, ALICE)!.unread).toBe(-1);
  });

  it("the phone's readChat reaches Baileys as a read push", async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loggedIn(world, conn);
    const seen = updateOf(conn, '15550100004@s.whatsapp.net', 'count');
    world.running.phone.readChat('15550100004@c.us');
    expect(await seen).toEqual({ jid: '15550100004@s.whatsapp.net', count: 0 });
  });
});
