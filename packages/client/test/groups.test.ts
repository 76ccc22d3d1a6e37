/**
 * The group API of @wa/client against the in-memory sandbox: every write and refusal, the
 * `group-update` events of two accounts' sessions, the store, metadata after leaving, invites,
 * and a restore that keeps the state.
 */
import { defaultWorld, type Sandbox } from '@wa/sandbox/core';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, MemoryAuthStore, RequestError, type GroupUpdate, type WAClient } from '../src/index.ts';
import { ALICE, BOB, CAROL, collect, GROUP, loggedIn, ME, memoryClient, newSandbox } from './support/harness.ts';

let sandbox: Sandbox;
const clients: WAClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  sandbox?.close();
});

/** The default world with Alice as a second account; both logged in. */
async function twoSessions(): Promise<{ me: WAClient; alice: WAClient; auth: MemoryAuthStore }> {
  const world = defaultWorld();
  world.accounts.push({ jid: ALICE, name: 'Alice', contacts: [ME] });
  sandbox = newSandbox({ world });
  const { client: me, auth } = await loggedIn(sandbox);
  const alice = memoryClient(sandbox, { auth: new MemoryAuthStore() });
  alice.on('qr', ({ qr }) => sandbox.phoneOf(ALICE).scan(qr));
  await alice.connect();
  if (alice.chats().length === 0) await alice.waitFor('chats');
  clients.push(me, alice);
  return { me, alice, auth };
}

/** The next `group-update` of `action` (of `gid`, or of any group: a create's gid is not known before it answers). */
function next(client: WAClient, gid: string | undefined, action: GroupUpdate['action']): Promise<GroupUpdate> {
  return client.waitFor('group-update', { filter: (update) => (gid === undefined || update.gid === gid) && update.action === action });
}

async function refusal(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RequestError);
  return (error as RequestError).status;
}

describe('groupCreate', () => {
  it('creates the group; both sessions get a create update and the chat', async () => {
    const { me, alice } = await twoSessions();
    const createdHere = next(me, undefined, 'create');
    const createdThere = next(alice, undefined, 'create');
    const created = await me.groupCreate('Book club', [ALICE, BOB, '15550100077@c.us']);
    expect(created.gid).toMatch(/^15550100001-\d+@g\.us$/);
    expect(created.participants).toEqual([
      { jid: ALICE, code: 200 },
      { jid: BOB, code: 200 },
      { jid: '15550100077@c.us', code: 404 },
    ]);
    const mine = await createdHere;
    expect(mine).toMatchObject({ gid: created.gid, action: 'create', actor: ME, subject: 'Book club' });
    const theirs = await createdThere;
    expect(theirs).toMatchObject({ actor: ME, subject: 'Book club', messageId: mine.messageId });
    expect(alice.chats().some((chat) => chat.jid === created.gid)).toBe(true);
    expect(alice.groups().find((group) => group.id === created.gid)).toMatchObject({ owner: ME, subject: 'Book club' });
    expect(me.groups().find((group) => group.id === created.gid)).toEqual({
      id: created.gid,
      owner: ME,
      subject: 'Book club',
      creation: Number(created.gid.split('-')[1]!.split('@')[0]),
      participants: [
        { id: ME, isAdmin: true, isSuperAdmin: true },
        { id: ALICE, isAdmin: false, isSuperAdmin: false },
        { id: BOB, isAdmin: false, isSuperAdmin: false },
      ],
    });
  });

  it('refuses an empty subject, no participants and bad jids before sending', async () => {
    const { me } = await twoSessions();
    await expect(me.groupCreate(' ', [ALICE])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupCreate('Club', [])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupCreate('Club', ['alice'])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupCreate('Club', [GROUP])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupAdd(ALICE, [BOB])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupSettings(GROUP, {})).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupSettings(GROUP, { ephemeralSeconds: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(me.groupAcceptInvite('not a code!')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('participants and admins', () => {
  it('add/remove/promote/demote answer per-participant codes; both sessions see the change and the store follows', async () => {
    const { me, alice } = await twoSessions();
    const createdThere = next(alice, undefined, 'create');
    const { gid } = await me.groupCreate('Book club', [ALICE, BOB]);
    await createdThere;
    const added = next(alice, gid, 'add');
    expect(await me.groupAdd(gid, [CAROL, BOB])).toEqual([
      { jid: CAROL, code: 200 },
      { jid: BOB, code: 409 },
    ]);
    expect(await added).toMatchObject({ actor: ME, participants: [CAROL] });
    const promoted = next(alice, gid, 'promote');
    const promotedHere = next(me, gid, 'promote');
    expect(await me.groupPromote(gid, [ALICE])).toEqual([{ jid: ALICE, code: 200 }]);
    expect(await promoted).toMatchObject({ actor: ME, participants: [ALICE] });
    await promotedHere;
    const metadata = await me.groupMetadata(gid);
    expect(metadata.participants).toEqual([
      { id: ME, isAdmin: true, isSuperAdmin: true },
      { id: ALICE, isAdmin: true, isSuperAdmin: false },
      { id: BOB, isAdmin: false, isSuperAdmin: false },
      { id: CAROL, isAdmin: false, isSuperAdmin: false },
    ]);
    // Alice's store learnt the same from the events alone.
    expect(alice.groups().find((group) => group.id === gid)?.participants.find((p) => p.id === ALICE)?.isAdmin).toBe(true);
    const demoted = next(me, gid, 'demote');
    expect(await alice.groupDemote(gid, [ME])).toEqual([{ jid: ME, code: 403 }]);
    expect(await me.groupDemote(gid, [ALICE])).toEqual([{ jid: ALICE, code: 200 }]);
    expect(await demoted).toMatchObject({ participants: [ALICE] });
    const removed = next(alice, gid, 'remove');
    expect(await me.groupRemove(gid, [ALICE])).toEqual([{ jid: ALICE, code: 200 }]);
    expect(await removed).toMatchObject({ participants: [ALICE] });
    expect(alice.chats().find((chat) => chat.jid === gid)?.readOnly).toBe(true);
  });

  it('a non-admin is refused with 401, a former member with 403, an unknown group with 404', async () => {
    const { me, alice } = await twoSessions();
    const { gid } = await me.groupCreate('Book club', [ALICE, BOB]);
    expect(await refusal(alice.groupAdd(gid, [CAROL]))).toBe(401);
    expect(await refusal(alice.groupRemove(gid, [BOB]))).toBe(401);
    expect(await refusal(alice.groupPromote(gid, [ALICE]))).toBe(401);
    expect(await refusal(alice.groupSettings(gid, { announce: true }))).toBe(401);
    expect(await refusal(alice.groupInviteCode(gid))).toBe(401);
    expect(await refusal(alice.groupRevokeInvite(gid))).toBe(401);
    await alice.groupLeave(gid);
    expect(await refusal(alice.groupUpdateSubject(gid, 'mine'))).toBe(403);
    expect(await refusal(alice.groupLeave(gid))).toBe(403);
    const unknown = '15550100001-1234567890@g.us';
    expect(await refusal(me.groupUpdateSubject(unknown, 'x'))).toBe(404);
    expect(await refusal(me.groupAdd(unknown, [BOB]))).toBe(404);
    expect(await refusal(me.groupMetadata(unknown))).toBe(404);
  });
});

describe('subject, description, settings', () => {
  it('a subject change is one group-update per session (the stub wins over the Chat push); chats are renamed', async () => {
    const { me, alice } = await twoSessions();
    const createdThere = next(alice, undefined, 'create');
    const { gid } = await me.groupCreate('Book club', [ALICE]);
    await createdThere;
    const updates = collect(alice, 'group-update');
    const renamed = next(alice, gid, 'subject');
    await me.groupUpdateSubject(gid, 'Reading club');
    expect(await renamed).toMatchObject({ actor: ME, subject: 'Reading club' });
    // The description push comes after the subject's Chat push: once it is here, both were handled.
    const described = next(alice, gid, 'description');
    await me.groupUpdateDescription(gid, 'Monthly books');
    expect(await described).toMatchObject({ actor: ME, description: 'Monthly books', descriptionId: expect.stringMatching(/^3EB0/) });
    expect(updates.filter((update) => update.action === 'subject')).toHaveLength(1);
    expect(alice.chats().find((chat) => chat.jid === gid)?.name).toBe('Reading club');
    expect(alice.groups().find((group) => group.id === gid)).toMatchObject({ subject: 'Reading club', desc: 'Monthly books' });
    // The second change names the first one's id as prev.
    const weekly = next(alice, gid, 'description');
    await me.groupUpdateDescription(gid, 'Weekly books');
    expect(await weekly).toMatchObject({ description: 'Weekly books' });
    expect((await me.groupMetadata(gid)).desc).toBe('Weekly books');
    const cleared = next(alice, gid, 'description');
    await me.groupUpdateDescription(gid, '');
    expect(await cleared).toMatchObject({ description: '' });
    expect((await me.groupMetadata(gid)).desc).toBeUndefined();
  });

  it('settings: announce, restrict and ephemeral reach the other session; announce refuses her sends with 403', async () => {
    const { me, alice } = await twoSessions();
    const createdThere = next(alice, undefined, 'create');
    const { gid } = await me.groupCreate('Book club', [ALICE]);
    await createdThere;
    const announce = next(alice, gid, 'announce');
    const restrict = next(alice, gid, 'restrict');
    const ephemeral = next(alice, gid, 'ephemeral');
    const ephemeralHere = next(me, gid, 'ephemeral');
    await me.groupSettings(gid, { announce: true, restrict: true, ephemeralSeconds: 604800 });
    expect(await announce).toMatchObject({ actor: ME, announce: true });
    expect(await restrict).toMatchObject({ restrict: true });
    expect(await ephemeral).toMatchObject({ ephemeralSeconds: 604800 });
    expect(alice.groups().find((group) => group.id === gid)).toMatchObject({ announce: true, restrict: true, ephemeralSeconds: 604800 });
    // The group's timer is the chat's: later messages to it disappear like those of a 1:1 chat with one.
    expect(alice.chats().find((chat) => chat.jid === gid)?.ephemeralSeconds).toBe(604800);
    // The sender's own session learns the timer from its stub, which may come after the other's.
    await ephemeralHere;
    expect(me.chats().find((chat) => chat.jid === gid)?.ephemeralSeconds).toBe(604800);
    const vanishing = alice.waitFor('message', { filter: (event) => event.source === 'relay' && event.text === 'vanishing' });
    await me.sendText(gid, 'vanishing');
    expect(await vanishing).toMatchObject({ ephemeral: true, expiration: 604800 });
    const error = await alice.sendText(gid, 'may I?').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(403);
    expect(await refusal(alice.groupUpdateSubject(gid, 'mine'))).toBe(401);
    expect(await me.groupMetadata(gid)).toMatchObject({ announce: true, restrict: true });
  });
});

describe('leaving and metadata afterwards', () => {
  it('groupMetadata of a group one left falls back on the binary query', async () => {
    const { me, alice } = await twoSessions();
    const left = next(me, GROUP, 'leave');
    await alice.groupLeave(GROUP);
    expect(await left).toMatchObject({ actor: ALICE, participants: [ALICE] });
    const metadata = await alice.groupMetadata(GROUP);
    expect(metadata).toMatchObject({ id: GROUP, owner: ME, subject: 'Weekend Trip', creation: 1600000000, desc: 'Planning the trip to the lake', descId: 'D1600000000' });
    expect(metadata.participants).toEqual([
      { id: ME, isAdmin: true, isSuperAdmin: true },
      { id: BOB, isAdmin: false, isSuperAdmin: false },
      { id: CAROL, isAdmin: false, isSuperAdmin: false },
    ]);
    expect(alice.chats().find((chat) => chat.jid === GROUP)?.readOnly).toBe(true);
  });
});

describe('invites', () => {
  it('a code is stable until revoked; joining by it adds the joiner (invite update); a revoked code is 404', async () => {
    const { me, alice } = await twoSessions();
    const { gid } = await me.groupCreate('Book club', [BOB]);
    const code = await me.groupInviteCode(gid);
    expect(code).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(await me.groupInviteCode(gid)).toBe(code);
    const joined = next(me, gid, 'invite');
    expect(await alice.groupAcceptInvite(`https://chat.whatsapp.com/${code}`)).toBe(gid);
    expect(await joined).toMatchObject({ actor: ALICE, participants: [ALICE] });
    expect(await refusal(alice.groupAcceptInvite(code))).toBe(409);
    const fresh = await me.groupRevokeInvite(gid);
    expect(fresh).not.toBe(code);
    await me.groupRemove(gid, [ALICE]);
    expect(await refusal(alice.groupAcceptInvite(code))).toBe(404);
    expect(await alice.groupAcceptInvite(fresh)).toBe(gid);
  });
});

describe('scripted contacts and restores', () => {
  it('a contact adding the account to a group is a group-update; a restore keeps the group and its stubs', async () => {
    const { me, auth } = await twoSessions();
    const gid = sandbox.contact(BOB).createGroup('Bob’s party', [ALICE]);
    const added = next(me, gid, 'add');
    sandbox.contact(BOB).addToGroup(gid, [ME]);
    expect(await added).toMatchObject({ actor: BOB, participants: [ME] });
    expect(me.chats().some((chat) => chat.jid === gid)).toBe(true);
    await me.close();
    const again = memoryClient(sandbox, { auth });
    clients.push(again);
    await again.connect();
    expect(again.me?.via).toBe('restore');
    if (again.chats().length === 0) await again.waitFor('chats');
    expect(again.chats().find((chat) => chat.jid === gid)?.name).toBe('Bob’s party');
    const page = await again.loadMessages(gid, { count: 10 });
    expect(page.messages.map((message) => message.info.messageStubType)).toEqual(['GROUP_PARTICIPANT_ADD']);
    expect((await again.groupMetadata(gid)).participants.map((p) => p.id)).toEqual([BOB, ALICE, ME]);
  });
});
