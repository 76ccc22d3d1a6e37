/**
 * Baileys 2.3.1's chat modifications against the sandbox: `modifyChat` archive, unarchive, pin,
 * unpin, mute, unmute (lib/WAClient/Messages.js, `["chat",{jid,type,…}]` inside `action set`,
 * sent with metric 10) and `deleteChat` (lib/WAClient/Base.js, metric 12). The world changes, a
 * later `getChats` lists the attributes, and a second 2.3.1 session of the same account gets the
 * `["action",null,[["chat",…]]]` pushes (2.3.1 has no handler of its own for them: its generic
 * `registerCallback` catches them). 2.3.1 has no clear-chat call (delete for me of one message is
 * in baileys2-message-kinds).
 */
import { ChatModification } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  ALICE_WA,
  BOB,
  BOB_WA,
  cleanUpV2,
  GROUP,
  login,
  ME,
  newV2Client,
  startWorld,
  waitUntil,
  within,
  type World,
} from './baileys2-harness.ts';

afterEach(cleanUpV2);

type Attrs = Record<string, string>;

/** Two logged-in sessions of the account; `pushed` gets the `chat` nodes the second one receives. */
async function twoSessions() {
  const world = await startWorld();
  const first = newV2Client(world);
  await login(first);
  const second = newV2Client(world);
  const pushed: Attrs[] = [];
  second.client.registerCallback(['action', '', 'chat'], (json: [string, unknown, Array<[string, Attrs, unknown]>]) => {
    for (const [description, attrs] of json[2]) if (description === 'chat') pushed.push(attrs);
  });
  await login(second);
  return { world, client: first.client, other: second.client, pushed };
}

const worldChat = (world: World, jid: string) => world.running.world.chat(world.running.world.account(ME)!, jid);

/** The chat list entry of `jid` as 2.3.1's `getChats` answers it (`["response",{type:"chat"},[["chat",attrs,null]…]]`). */
async function listed(client: ReturnType<typeof newV2Client>['client'], jid: string): Promise<Attrs | undefined> {
  const response = (await within(client.getChats(), 5_000, 'getChats')) as [string, Attrs, Array<[string, Attrs, unknown]>];
  return response[2].find(([, attrs]) => attrs.jid === jid)?.[1];
}

/** Waits for the second session's push for `jid` of `type`, and returns it. */
async function pushOf(pushed: Attrs[], jid: string, type: string): Promise<Attrs> {
  const find = () => pushed.find((attrs) => attrs.jid === jid && attrs.type === type);
  await waitUntil(() => find() !== undefined, `a ${type} push for ${jid}`);
  const found = find()!;
  pushed.splice(pushed.indexOf(found), 1);
  return found;
}

describe('modifyChat (Baileys 2.3.1)', () => {
  it('archive and unarchive: the world, the chat list and the other session follow', async () => {
    const { world, client, other, pushed } = await twoSessions();
    const archived = await within(client.modifyChat(ALICE_WA, ChatModification.archive), 5_000, 'archive');
    expect(archived).toEqual({ status: 200, stamp: expect.stringMatching(/^\d+$/) });
    expect(worldChat(world, ALICE)!.archived).toBe(true);
    expect(await pushOf(pushed, ALICE, 'archive')).toEqual({ jid: ALICE, type: 'archive' });
    expect((await listed(other, ALICE))?.archive).toBe('true');
    expect((await within(client.modifyChat(ALICE_WA, ChatModification.unarchive), 5_000, 'unarchive')).status).toBe(200);
    expect(worldChat(world, ALICE)!.archived).toBe(false);
    expect(await pushOf(pushed, ALICE, 'unarchive')).toEqual({ jid: ALICE, type: 'unarchive' });
    expect((await listed(other, ALICE))?.archive).toBeUndefined();
  });

  it('pin and unpin: 2.3.1 answers the stamp it sent, the world keeps it; unpin needs that stamp back', async () => {
    const { world, client, pushed } = await twoSessions();
    const pinned = (await within(client.modifyChat(GROUP, ChatModification.pin), 5_000, 'pin')) as { status: number; stamp: string };
    expect(pinned.status).toBe(200);
    expect(worldChat(world, GROUP)!.pin).toBe(Number(pinned.stamp));
    expect(await pushOf(pushed, GROUP, 'pin')).toEqual({ jid: GROUP, type: 'pin', pin: pinned.stamp });
    expect((await listed(client, GROUP))?.pin).toBe(pinned.stamp);
    // 2.3.1 throws before sending when an unpin has no stamp.
    await expect(client.modifyChat(GROUP, ChatModification.unpin, null as never)).rejects.toThrow(/options\.stamp must be set/);
    expect((await within(client.modifyChat(GROUP, ChatModification.unpin, { stamp: pinned.stamp }), 5_000, 'unpin')).status).toBe(200);
    expect(worldChat(world, GROUP)!.pin).toBeUndefined();
    expect(await pushOf(pushed, GROUP, 'pin')).toEqual({ jid: GROUP, type: 'pin', previous: pinned.stamp });
  });

  it('a fourth pin is refused with 400; three are fine', async () => {
    const { world, client } = await twoSessions();
    for (const jid of [ALICE_WA, BOB_WA, GROUP]) {
      expect((await within(client.modifyChat(jid, ChatModification.pin), 5_000, `pin ${jid}`)).status).toBe(200);
    }
    const refused = await within(client.modifyChat('15550100004@s.whatsapp.net', ChatModification.pin), 5_000, 'fourth pin').catch((e: unknown) => e);
    expect((refused as Error).message).toBe('Unexpected status code: 400');
    expect(worldChat(world, '15550100004@c.us')!.pin).toBeUndefined();
  });

  it('mute until a given time (2.3.1 sends the stamp as the mute end) and unmute', async () => {
    const { world, client, pushed } = await twoSessions();
    // modifyChat's stamp defaults to now, i.e. a mute that ends at once (B-D8); pass the end.
    const until = new Date(Date.now() + 8 * 3600 * 1000);
    const end = String(Math.round(until.getTime() / 1000));
    expect(await within(client.modifyChat(BOB_WA, ChatModification.mute, { stamp: until }), 5_000, 'mute')).toEqual({ status: 200, stamp: end });
    expect(worldChat(world, BOB)!.mute).toBe(Number(end));
    expect(await pushOf(pushed, BOB, 'mute')).toEqual({ jid: BOB, type: 'mute', mute: end });
    expect((await listed(client, BOB))?.mute).toBe(end);
    expect((await within(client.modifyChat(BOB_WA, ChatModification.unmute, { stamp: until }), 5_000, 'unmute')).status).toBe(200);
    expect(worldChat(world, BOB)!.mute).toBe(0);
    expect(await pushOf(pushed, BOB, 'mute')).toEqual({ jid: BOB, type: 'mute', previous: end });
  });

  it('an unknown chat is refused with 404', async () => {
    const { client } = await twoSessions();
    const unknown = client.modifyChat('15550100077@s.whatsapp.net', ChatModification.archive);
    const refused = await within(unknown, 5_000, 'archive').catch((e: unknown) => e);
    expect((refused as Error).message).toBe('Unexpected status code: 404');
  });
});

describe('deleteChat (Baileys 2.3.1)', () => {
  it('removes the chat from the world and the chat list; the other session gets the delete', async () => {
    const { world, client, pushed } = await twoSessions();
    expect(await within(client.deleteChat(BOB_WA), 5_000, 'deleteChat')).toEqual({ status: 200 });
    expect(worldChat(world, BOB)).toBeUndefined();
    expect(await pushOf(pushed, BOB, 'delete')).toEqual({ jid: BOB, type: 'delete' });
    expect(await listed(client, BOB)).toBeUndefined();
  });
});
