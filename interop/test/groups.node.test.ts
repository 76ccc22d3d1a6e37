/**
 * Baileys 3.5.3's group operations against the sandbox (formerly FINDINGS F8, pending): writes
 * (`groupQuery` → `["group",{author,id,type,jid,subject},…]` inside `action set`), metadata,
 * invite codes, refusals, and the group events Baileys derives from the stub messages
 * (`chat-update` with the name, `group-participants-update`, `group-update`) and from the
 * `["Chat",{"cmd":"action"}]` pushes (promote, desc_add).
 */
import { BaileysError, GroupSettingChange } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, BOB_WA, cleanUp, GROUP, loggedIn, ME, newClient, nextEvent, startWorld, type World } from './harness.ts';

afterEach(cleanUp);

async function session(): Promise<{ world: World; conn: ReturnType<typeof newClient> }> {
  const world = await startWorld({});
  const conn = newClient(world);
  await loggedIn(world, conn);
  return { world, conn };
}

describe('group writes', () => {
  it('group writes: create, subject, add, promote, leave', async () => {
    const { world, conn } = await session();
    const created = await conn.groupCreate('Book club', [ALICE_WA, BOB_WA]);
    expect(created.status).toBe(200);
    expect(created.gid).toMatch(/^15550100001-\d+@g\.us$/);
    expect(created.participants).toEqual([{ [ALICE]: { code: '200' } }, { '15550100003@c.us': { code: '200' } }]);
    expect(world.running.world.group(created.gid!)).toBeDefined();
    // GroupMetadata answers for the new group; Baileys keeps it on the chat and updates it from the events.
    expect((await conn.groupMetadata(created.gid!)).subject).toBe('Book club');
    const renamed = nextEvent<{ jid: string; name?: string }>(conn, 'chat-update', (u) => u.jid === created.gid && u.name === 'Reading club');
    expect((await conn.groupUpdateSubject(created.gid!, 'Reading club')).status).toBe(200);
    expect(world.running.world.group(created.gid!)!.subject).toBe('Reading club');
    await renamed;
    const added = nextEvent<{ jid: string; participants: string[]; action: string }>(conn, 'group-participants-update', (u) => u.action === 'add');
    expect((await conn.groupAdd(created.gid!, ['15550100004@s.whatsapp.net'])).status).toBe(200);
    expect(await added).toEqual({ jid: created.gid, participants: ['15550100004@s.whatsapp.net'], action: 'add' });
    const promoted = nextEvent<{ participants: string[]; action: string }>(conn, 'group-participants-update', (u) => u.action === 'promote');
    expect((await conn.groupMakeAdmin(created.gid!, [ALICE_WA])).status).toBe(200);
    expect((await promoted).participants).toEqual([ALICE_WA]);
    expect(conn.chats.get(created.gid!)!.metadata!.participants.find((p) => p.jid === ALICE_WA)?.isAdmin).toBe(true);
    const leave = await conn.groupLeave(GROUP);
    expect(leave.status).toBe(200);
    expect(world.running.world.group(GROUP)!.participants.some((p) => p.jid === ME)).toBe(false);
    expect(conn.chats.get(GROUP)?.read_only).toBe('true');
  });

  it('description and settings: desc_add and the announce stub reach Baileys as group-update', async () => {
    const { world, conn } = await session();
    const described = nextEvent<{ jid: string; desc?: string; descId?: string }>(conn, 'group-update', (u) => u.jid === GROUP && u.desc !== undefined);
    expect((await conn.groupUpdateDescription(GROUP, 'Lake trip, Saturday 10am')).status).toBe(200);
    const update = await described;
    expect(update.desc).toBe('Lake trip, Saturday 10am');
    expect(world.running.world.group(GROUP)!.descId).toBe(update.descId);
    const announced = nextEvent<{ jid: string; announce?: string }>(conn, 'group-update', (u) => u.announce !== undefined);
    expect((await conn.groupSettingChange(GROUP, GroupSettingChange.messageSend, true)).status).toBe(200);
    expect((await announced).announce).toBe('true');
    expect(world.running.world.group(GROUP)!.announce).toBe(true);
  });

  it('a change by a contact reaches Baileys: added to a group, the subject renamed', async () => {
    const { world, conn } = await session();
    const gid = world.running.contact('15550100003@c.us').createGroup('Bob’s party', [ME]);
    const renamed = nextEvent<{ jid: string; name?: string }>(conn, 'chat-update', (u) => u.jid === gid && u.name === 'Party!');
    world.running.contact('15550100003@c.us').setGroupSubject(gid, 'Party!');
    await renamed;
    expect(conn.chats.get(gid)?.name).toBe('Party!');
  });
});

describe('invites', () => {
  it('groupInviteCode answers a code', async () => {
    const { conn } = await session();
    expect(await conn.groupInviteCode(GROUP)).toMatch(/^\S{6,}$/);
  });

  it('revokeInvite gives a new code; the old one no longer joins', async () => {
    const { world, conn } = await session();
    const code = await conn.groupInviteCode(GROUP);
    expect((await conn.revokeInvite(GROUP)).status).toBe(200);
    const fresh = await conn.groupInviteCode(GROUP);
    expect(fresh).not.toBe(code);
    expect(world.running.world.group(GROUP)!.inviteCode).toBe(fresh);
    const error = await conn.acceptInvite(code).catch((e: unknown) => e);
    expect((error as BaileysError).status).toBe(404);
  });
});

describe('refusals', () => {
  it('an unknown group still answers 404 to group writes', async () => {
    const { conn } = await session();
    const error = await conn.groupUpdateSubject('15550100001-1700000000@g.us', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BaileysError);
    expect((error as BaileysError).status).toBe(404);
  });

  it('after leaving, group writes are refused with 403 and metadata still comes from the binary query', async () => {
    const { conn } = await session();
    expect((await conn.groupLeave(GROUP)).status).toBe(200);
    const error = await conn.groupUpdateSubject(GROUP, 'back?').catch((e: unknown) => e);
    expect((error as BaileysError).status).toBe(403);
    // Baileys uses groupMetadataMinimal (binary type:group) for a read-only chat.
    const chat = conn.chats.get(GROUP)!;
    delete chat.metadata;
    const metadata = await conn.groupMetadata(GROUP);
    expect(metadata.owner).toBe('15550100001@s.whatsapp.net');
    expect(metadata.participants.map((p) => p.jid)).not.toContain('15550100001@s.whatsapp.net');
  });
});
