/**
 * Groups over real sockets: two accounts' clients on a `startSandbox` WebSocket server with a
 * state file; a group change made by one reaches the other, refusals keep their status, and a
 * restart of the sandbox from the state file keeps the group, its settings and invite code.
 */
import { join } from 'node:path';
import { defaultWorld, type RunningSandbox } from '@wa/sandbox';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuthStore, RequestError, WAClient, type GroupUpdate } from '../src/index.ts';
import { useRealSandboxes } from './support/real-sandboxes.ts';

const ME = '15550100001@c.us';
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const real = useRealSandboxes('client-groups');
let sandbox: RunningSandbox;

function world(): ReturnType<typeof defaultWorld> {
  const spec = defaultWorld();
  spec.accounts.push({ jid: ALICE, name: 'Alice', contacts: [ME] });
  return spec;
}

beforeEach(async () => {
  sandbox = await real.start({ world: world(), statePath: join(real.dir, 'state.json') });
});

const session = (wid: string, auth?: MemoryAuthStore): Promise<WAClient> => real.session(sandbox, { wid, auth });

function next(client: WAClient, action: GroupUpdate['action']): Promise<GroupUpdate> {
  return client.waitFor('group-update', { filter: (update) => update.action === action, timeoutMs: 5_000 });
}

describe('groups over a real WebSocket', () => {
  it('one account changes a group, the other sees it; refusals keep their status; a restart keeps the group', async () => {
    const mine = new MemoryAuthStore();
    const me = await session(ME, mine);
    const alice = await session(ALICE);
    const created = next(alice, 'create');
    const { gid } = await me.groupCreate('Book club', [ALICE, BOB]);
    expect(await created).toMatchObject({ gid, actor: ME, subject: 'Book club' });

    const subject = next(alice, 'subject');
    await me.groupUpdateSubject(gid, 'Reading club');
    expect(await subject).toMatchObject({ gid, subject: 'Reading club' });
    const announce = next(alice, 'announce');
    await me.groupSettings(gid, { announce: true });
    expect(await announce).toMatchObject({ announce: true });
    const refused = await alice.groupAdd(gid, [BOB]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestError);
    expect((refused as RequestError).status).toBe(401);
    const code = await me.groupInviteCode(gid);
    const left = next(me, 'leave');
    await alice.groupLeave(gid);
    expect(await left).toMatchObject({ actor: ALICE, participants: [ALICE] });

    await real.closeClients();
    const url = sandbox.url;
    await sandbox.close();
    sandbox = await real.start({ statePath: join(real.dir, 'state.json'), port: Number(new URL(url).port) });
    const again = await session(ME, mine);
    expect(again.me?.via).toBe('restore');
    const chats = again.chats().length > 0 ? again.chats() : await again.waitFor('chats');
    expect(chats.find((chat) => chat.jid === gid)?.name).toBe('Reading club');
    expect(await again.groupMetadata(gid)).toMatchObject({ subject: 'Reading club', announce: true, participants: [{ id: ME }, { id: BOB }] });
    expect(await again.groupInviteCode(gid)).toBe(code);
  });
});
