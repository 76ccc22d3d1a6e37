/**
 * Baileys 2.3.1's group calls (lib/WAClient/Groups.js) against the sandbox: the writes
 * (`groupQuery` → `["group",{author,id:<tag>,type,jid,subject},children]` inside `action set`,
 * metric 10), `groupMetadata`, `groupInviteCode` and the refusals. 2.3.1 has no group events of
 * its own: the stub messages the sandbox relays for a change reach it through
 * `setOnUnreadMessage(true, …)` like any other message. It has no call for revoking an invite or
 * joining by one.
 */
import { BaileysError, GroupSettingChange, WA_MESSAGE_STUB_TYPE, type WAMessage } from 'baileys2';
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
  ME_WA,
  newV2Client,
  startWorld,
  waitUntil,
  within,
  type World,
} from './baileys2-harness.ts';

afterEach(cleanUpV2);

const CAROL = '15550100004@c.us';
const CAROL_WA = '15550100004@s.whatsapp.net';

/** A logged-in client; `messages` gets every relayed message, its own ones and stubs included. */
async function session() {
  const world = await startWorld();
  const v2 = newV2Client(world);
  const messages: WAMessage[] = [];
  v2.client.setOnUnreadMessage(true, (message: WAMessage) => messages.push(message));
  await login(v2);
  return { world, client: v2.client, messages };
}

/** Waits for the stub of `type` in group `gid` and returns it. */
async function stub(messages: WAMessage[], gid: string, type: number): Promise<WAMessage> {
  const find = () => messages.find((message) => message.key.remoteJid === gid && message.messageStubType === type);
  await waitUntil(() => find() !== undefined, `stub ${WA_MESSAGE_STUB_TYPE[type]} in ${gid}`);
  return find()!;
}

const participant = (world: World, gid: string, jid: string) => world.running.world.group(gid)!.participants.find((p) => p.jid === jid);

describe('group writes (Baileys 2.3.1)', () => {
  it('groupCreate, groupUpdateSubject, groupAdd: the world changes and the stubs reach setOnUnreadMessage', async () => {
    const { world, client, messages } = await session();
    const created = (await within(client.groupCreate('Book club', [ALICE_WA, BOB_WA]), 5_000, 'groupCreate')) as {
      status: number;
      gid: string;
      participants: Array<Record<string, { code: string }>>;
    };
    expect(created).toEqual({
      status: 200,
      gid: expect.stringMatching(/^15550100001-\d+@g\.us$/),
      participants: [{ [ALICE]: { code: '200' } }, { [BOB]: { code: '200' } }],
    });
    const gid = created.gid;
    expect(world.running.world.group(gid)).toMatchObject({ owner: ME, subject: 'Book club' });
    expect(world.running.world.group(gid)!.participants.map((p) => p.jid).sort()).toEqual([ME, ALICE, BOB].sort());
    // The create stub names the subject; 2.3.1 reads it with the group as chat, itself as author.
    const createStub = await stub(messages, gid, WA_MESSAGE_STUB_TYPE.GROUP_CREATE);
    expect(createStub.key.fromMe).toBe(true);
    expect(createStub.messageStubParameters).toEqual(['Book club']);

    type Metadata = { subject: string; participants: Array<{ id: string; isAdmin: boolean }> };
    const metadata = (await within(client.groupMetadata(gid), 5_000, 'groupMetadata')) as Metadata;
    expect(metadata.subject).toBe('Book club');
    expect(metadata.participants.find((p) => p.id === ME)?.isAdmin).toBe(true);

    expect(await within(client.groupUpdateSubject(gid, 'Reading club'), 5_000, 'groupUpdateSubject')).toEqual({ status: 200 });
    expect(world.running.world.group(gid)!.subject).toBe('Reading club');
    expect((await stub(messages, gid, WA_MESSAGE_STUB_TYPE.GROUP_CHANGE_SUBJECT)).messageStubParameters).toEqual(['Reading club']);

    expect(await within(client.groupAdd(gid, [CAROL_WA]), 5_000, 'groupAdd')).toEqual({ status: 200, participants: [{ [CAROL]: { code: '200' } }] });
    expect(participant(world, gid, CAROL)).toBeDefined();
    expect((await stub(messages, gid, WA_MESSAGE_STUB_TYPE.GROUP_PARTICIPANT_ADD)).messageStubParameters).toEqual([CAROL_WA]);
  });

  it('groupMakeAdmin, groupDemoteAdmin, groupRemove change the participants in the world', async () => {
    const { world, client, messages } = await session();
    // Promotions come as `["Chat",{"id","cmd":"action","data":["promote",actor,{participants}]}]`, no stub;
    // 2.3.1 has no handler for them, its generic registerCallback catches them.
    const chatPushes: unknown[] = [];
    client.registerCallback(['Chat', 'cmd:action'], (json: unknown[]) => chatPushes.push(json[1]));
    const bobDone = { status: 200, participants: [{ [BOB]: { code: '200' } }] };
    expect(await within(client.groupMakeAdmin(GROUP, [BOB_WA]), 5_000, 'groupMakeAdmin')).toEqual(bobDone);
    expect(participant(world, GROUP, BOB)?.isAdmin).toBe(true);
    await waitUntil(() => chatPushes.length > 0, 'the promote push');
    expect(chatPushes[0]).toEqual({ id: GROUP, cmd: 'action', data: ['promote', ME, { participants: [BOB] }] });
    expect(await within(client.groupDemoteAdmin(GROUP, [BOB_WA]), 5_000, 'groupDemoteAdmin')).toEqual(bobDone);
    expect(participant(world, GROUP, BOB)?.isAdmin).toBe(false);
    expect(await within(client.groupRemove(GROUP, [BOB_WA]), 5_000, 'groupRemove')).toEqual(bobDone);
    expect(participant(world, GROUP, BOB)).toBeUndefined();
    expect((await stub(messages, GROUP, WA_MESSAGE_STUB_TYPE.GROUP_PARTICIPANT_REMOVE)).messageStubParameters).toEqual([BOB_WA]);
  });

  it('groupUpdateDescription (after its own GroupMetadata for descId) and groupSettingChange', async () => {
    const { world, client, messages } = await session();
    expect(await within(client.groupUpdateDescription(GROUP, 'Lake trip, Saturday 10am'), 5_000, 'groupUpdateDescription')).toEqual({ status: 200 });
    expect(world.running.world.group(GROUP)!.desc).toBe('Lake trip, Saturday 10am');
    const metadata = (await within(client.groupMetadata(GROUP), 5_000, 'groupMetadata')) as { desc: string; descId: string };
    expect(metadata).toMatchObject({ desc: 'Lake trip, Saturday 10am', descId: world.running.world.group(GROUP)!.descId });
    expect(await within(client.groupSettingChange(GROUP, GroupSettingChange.messageSend, true), 5_000, 'announcement')).toEqual({ status: 200 });
    expect(world.running.world.group(GROUP)!.announce).toBe(true);
    expect((await stub(messages, GROUP, WA_MESSAGE_STUB_TYPE.GROUP_CHANGE_ANNOUNCE)).messageStubParameters).toEqual(['on']);
    expect(await within(client.groupSettingChange(GROUP, GroupSettingChange.settingsChange, true), 5_000, 'locked')).toEqual({ status: 200 });
    expect(world.running.world.group(GROUP)!.restrict).toBe(true);
  });

  it('groupLeave: the account is no participant any more, the stub names it; writes are then refused with 403', async () => {
    const { world, client, messages } = await session();
    expect(await within(client.groupLeave(GROUP), 5_000, 'groupLeave')).toEqual({ status: 200 });
    expect(participant(world, GROUP, ME)).toBeUndefined();
    expect((await stub(messages, GROUP, WA_MESSAGE_STUB_TYPE.GROUP_PARTICIPANT_LEAVE)).messageStubParameters).toEqual([ME_WA]);
    const error = await within(client.groupUpdateSubject(GROUP, 'back?'), 5_000, 'subject after leaving').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BaileysError);
    expect((error as Error).message).toBe('Unexpected status code: 403');
    expect(world.running.world.group(GROUP)!.subject).not.toBe('back?');
    // The binary metadata query still answers for a group one has left.
    const minimal = await within(client.groupMetadataMinimal(GROUP), 5_000, 'groupMetadataMinimal');
    expect(minimal.participants.map((p: { id: string }) => p.id)).not.toContain(ME);
  });

  it('an unknown group is refused with 404', async () => {
    const { client } = await session();
    const error = await within(client.groupUpdateSubject('15550100001-1700000000@g.us', 'x'), 5_000, 'subject').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BaileysError);
    expect((error as Error).message).toBe('Unexpected status code: 404');
  });

  it('a contact adds the account to a new group: 2.3.1 gets the create stub and can read the metadata', async () => {
    const { world, client, messages } = await session();
    const gid = world.running.contact(BOB).createGroup('Bob’s party', [ME]);
    const created = await stub(messages, gid, WA_MESSAGE_STUB_TYPE.GROUP_CREATE);
    expect(created.key.fromMe).toBe(false);
    expect(created.participant ?? created.key.participant).toBe(BOB_WA);
    expect(created.messageStubParameters).toEqual(['Bob’s party']);
    const metadata = (await within(client.groupMetadata(gid), 5_000, 'groupMetadata')) as { owner: string; subject: string };
    expect(metadata).toMatchObject({ owner: BOB, subject: 'Bob’s party' });
  });
});

describe('invite code (Baileys 2.3.1)', () => {
  it('groupInviteCode answers the code the world keeps, the same on a second ask', async () => {
    const { world, client } = await session();
    const code = await within(client.groupInviteCode(GROUP), 5_000, 'groupInviteCode');
    expect(code).toMatch(/^\S{6,}$/);
    expect(world.running.world.group(GROUP)!.inviteCode).toBe(code);
    expect(await within(client.groupInviteCode(GROUP), 5_000, 'groupInviteCode again')).toBe(code);
  });
});
