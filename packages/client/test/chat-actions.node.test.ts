/**
 * Chat actions over real sockets (startSandbox over ws): two sessions of one account see each
 * other's actions, the phone's pushes arrive, and the chat list keeps the attributes across a
 * sandbox restart with a state file.
 */
import { join } from 'node:path';
import type { RunningSandbox } from '@wa/sandbox';
import { describe, expect, it } from 'vitest';
import { MemoryAuthStore, RequestError, WAClient, type ChatUpdate } from '../src/index.ts';
import { useRealSandboxes } from './support/real-sandboxes.ts';

const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const GROUP = '15550100001-1600000000@g.us';

const real = useRealSandboxes('chat-actions');
let sandbox: RunningSandbox;
const session = (running: RunningSandbox, auth?: MemoryAuthStore): Promise<WAClient> => real.session(running, { auth, chats: true });

const chatOf = (client: WAClient, jid: string) => client.chats().find((chat) => chat.jid === jid);
const nextUpdate = (client: WAClient, action: ChatUpdate['action']) => client.waitFor('chat-update', { filter: (update) => update.action === action });

describe('two sessions of one account over ws', () => {
  it("see each other's archive, pin, mute, mark unread and delete", async () => {
    sandbox = await real.start();
    const first = await session(sandbox);
    const second = await session(sandbox);

    const pushed = nextUpdate(second, 'archive');
    await first.archiveChat(ALICE);
    expect(await pushed).toEqual({ jid: ALICE, action: 'archive', changes: { archived: true }, source: 'push' });
    expect(chatOf(second, ALICE)!.archived).toBe(true);

    const pinned = nextUpdate(first, 'pin');
    await second.pinChat(GROUP);
    expect((await pinned).source).toBe('push');
    expect(chatOf(first, GROUP)!.pinned).toBe(chatOf(second, GROUP)!.pinned);

    const untilMs = Date.now() + 3600_000;
    const muted = nextUpdate(second, 'mute');
    await first.muteChat(BOB, untilMs);
    expect((await muted).changes).toEqual({ muteUntil: Math.floor(untilMs / 1000) });

    const unread = nextUpdate(first, 'unread');
    await second.markUnread(BOB);
    expect((await unread).changes.unreadCount).toBe(chatOf(first, BOB)!.unreadCount);

    const deleted = nextUpdate(second, 'delete');
    await first.deleteChat(BOB);
    await deleted;
    expect(chatOf(second, BOB)).toBeUndefined();
    const refused = await second.deleteChat(BOB).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).status).toBe(404);
  });

  it('the phone reads a chat and reports its battery', async () => {
    sandbox = await real.start();
    const client = await session(sandbox);
    const read = nextUpdate(client, 'read');
    sandbox.phone.readChat(ALICE);
    expect(await read).toEqual({ jid: ALICE, action: 'read', changes: { unreadCount: 0 }, source: 'push' });
    const battery = client.waitFor('battery');
    sandbox.phone.setBattery(7, { powersave: true });
    expect(await battery).toEqual({ percentage: 7, plugged: false, powersave: true });
  });
});

describe('a sandbox restart with a state file', () => {
  it('keeps archive, pin and mute in the chat list of a restored session', async () => {
    const statePath = join(real.dir, 'state.json');
    const auth = new MemoryAuthStore();
    sandbox = await real.start({ statePath });
    const client = await session(sandbox, auth);
    const untilMs = Date.now() + 7200_000;
    await client.archiveChat(ALICE);
    await client.pinChat(BOB);
    await client.muteChat(GROUP, untilMs);
    const pin = chatOf(client, BOB)!.pinned;
    await client.close();
    await sandbox.close();

    sandbox = await real.start({ statePath });
    const restored = await session(sandbox, auth);
    expect(restored.me?.via).toBe('restore');
    expect(chatOf(restored, ALICE)).toMatchObject({ archived: true });
    expect(chatOf(restored, BOB)).toMatchObject({ pinned: pin });
    expect(chatOf(restored, GROUP)).toMatchObject({ muteUntil: Math.floor(untilMs / 1000) });
  });
});
