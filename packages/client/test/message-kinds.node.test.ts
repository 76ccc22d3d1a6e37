/**
 * Message kinds over real sockets (startSandbox over ws): two accounts and two sessions of one
 * account see a location, a forward, a star, a delete for me and a delete for everyone; a
 * restart with a state file keeps the stub, the star and the chat's disappearing-messages timer.
 */
import { join } from 'node:path';
import type { RunningSandbox, WorldSpec } from '@wa/sandbox';
import { describe, expect, it } from 'vitest';
import { MemoryAuthStore, WAClient, type MessageEvent } from '../src/index.ts';
import { useRealSandboxes } from './support/real-sandboxes.ts';

const ME = '15550100001@c.us';
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';

const world: WorldSpec = {
  users: [{ jid: BOB, name: 'Bob', behaviour: { deliverAfterMs: 10, readAfterMs: null } }],
  accounts: [
    { jid: ME, name: 'Me', contacts: [ALICE, BOB] },
    { jid: ALICE, name: 'Alice', contacts: [ME] },
  ],
};

const real = useRealSandboxes('message-kinds');
let running: RunningSandbox;
const session = (sandbox: RunningSandbox, wid: string, auth?: MemoryAuthStore): Promise<WAClient> => real.session(sandbox, { wid, auth, chats: true });

const relayed = (client: WAClient, filter: (event: MessageEvent) => boolean): Promise<MessageEvent> =>
  client.waitFor('message', { filter: (event) => event.source === 'relay' && filter(event) });

describe('message kinds over ws', () => {
  it('location, forward, star, delete for me and for everyone reach the other account and the other session', async () => {
    running = await real.start({ world });
    const [me, mine, alice] = [await session(running, ME), await session(running, ME), await session(running, ALICE)];

    const pin = relayed(alice, (event) => event.kind === 'location');
    const location = await me.sendLocation(ALICE, { latitude: 48.8584, longitude: 2.2945, name: 'Tour Eiffel' });
    expect(await pin).toMatchObject({ id: location.id, location: { latitude: 48.8584, longitude: 2.2945, name: 'Tour Eiffel', live: false } });

    const fromBob = relayed(me, (event) => event.chat === BOB);
    running.contact(BOB).sendText('forward me', { to: ME });
    const original = await fromBob;
    const forwarded = relayed(alice, (event) => event.forwarded === true);
    await me.forwardMessage(ALICE, original);
    expect(await forwarded).toMatchObject({ text: 'forward me', forwardingScore: 1, kind: 'text' });

    const starred = mine.waitFor('message-update', { filter: (update) => update.update === 'starred' });
    await me.starMessage(BOB, original.id);
    expect(await starred).toMatchObject({ chat: BOB, id: original.id, source: 'push' });

    const revoked = { alice: alice.waitFor('message-update'), mine: mine.waitFor('message-update', { filter: (update) => update.update === 'revoked' }) };
    await me.deleteMessage(ALICE, location.id, { forEveryone: true });
    expect(await revoked.alice).toMatchObject({ chat: ME, id: location.id, update: 'revoked', source: 'sender', info: { messageStubType: 'REVOKE' } });
    expect(await revoked.mine).toMatchObject({ chat: ALICE, id: location.id, source: 'push' });
    expect(alice.messages(ME).find((info) => info.key.id === location.id)?.message).toBeUndefined();

    const deleted = mine.waitFor('message-update', { filter: (update) => update.update === 'deleted' });
    await me.deleteMessage(BOB, original.id);
    expect(await deleted).toMatchObject({ chat: BOB, id: original.id, fromMe: false, source: 'push' });
    expect(mine.messages(BOB).some((info) => info.key.id === original.id)).toBe(false);
  });

  it('a restart with a state file keeps the REVOKE stub, the star and the disappearing-messages timer', async () => {
    const path = join(real.dir, 'state.json');
    running = await real.start({ world, statePath: path });
    const auth = new MemoryAuthStore();
    const me = await session(running, ME, auth);
    const sent = await me.sendText(ALICE, 'soon gone');
    const kept = await me.sendText(ALICE, 'a keeper');
    await me.deleteMessage(ALICE, sent.id, { forEveryone: true });
    await me.starMessage(ALICE, kept.id);
    const setting = await me.setDisappearingMessages(ALICE, 86400);
    await me.close();
    await running.close();

    running = await real.start({ statePath: path });
    const again = await session(running, ME, auth);
    expect(again.me?.via).toBe('restore');
    expect(again.chats().find((chat) => chat.jid === ALICE)).toMatchObject({ ephemeralSeconds: 86400, ephemeralSince: setting.timestamp });
    const page = await again.loadMessages(ALICE, { count: 10 });
    expect(page.messages.find((event) => event.id === sent.id)).toMatchObject({ kind: 'stub', stubType: 'REVOKE' });
    expect(page.messages.find((event) => event.id === kept.id)).toMatchObject({ kind: 'text', starred: true, text: 'a keeper' });
    // The timer wraps what is sent now.
    const wrapped = await again.sendText(ALICE, 'ephemeral after the restart');
    expect(wrapped.info.message?.ephemeralMessage?.message?.extendedTextMessage?.contextInfo?.expiration).toBe(86400);
  });
});
