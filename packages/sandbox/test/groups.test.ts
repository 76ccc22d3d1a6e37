/**
 * Groups as live world state, driven by an independent mini client over the in-memory link:
 * every group write and its refusals, the stub messages and `Chat` pushes every member account's
 * sessions get, metadata (JSON and binary) after each change, invites, scripted contacts, restores
 * and a restart from exported state. The frames asserted here are the examples of
 * docs/protocol/groups.md.
 */
import { utf8Encode, utf8Decode } from '@wa/crypto';
import type { Node } from '@wa/binary-codec';
import type { WebMessageInfo } from '@wa/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { Sandbox } from '../src/sandbox.ts';
import type { SandboxState } from '../src/state.ts';
import { defaultWorld } from '../src/world/default-world.ts';
import type { WorldSpec } from '../src/world/types.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const bob = '15550100003@c.us';
const carol = '15550100004@c.us';
const created = '15550100001-1700000000@g.us';

/** The default world with Alice as a second account (she is a seeded group's admin). */
function twoAccounts(): WorldSpec {
  const spec = defaultWorld();
  spec.accounts.push({ jid: alice, name: 'Alice', contacts: [me] });
  return spec;
}

let sandbox: Sandbox;
let mine: MiniClient;
let hers: MiniClient;
const extra: Sandbox[] = [];

beforeEach(async () => {
  sandbox = new Sandbox({ world: twoAccounts(), clock: new ManualClock(1_700_000_000_000) });
  mine = await loggedInClient(sandbox);
  hers = await loggedInClient(sandbox, alice);
});

afterEach(() => {
  sandbox.close();
  for (const other of extra.splice(0)) other.close();
});

let tags = 0;
/** Sends `["action",{type:"set",epoch},[["group",{author,id:tag,type,…},children]]]` (metric 10, flag 0x88) and returns the JSON answer. */
async function groupWrite(client: MiniClient, author: string, attrs: Record<string, string>, children: Node[] | null = null): Promise<unknown> {
  const tag = `${1_700_000_000}.--g${++tags}`;
  const node: Node = ['action', { type: 'set', epoch: String(tags) }, [['group', { author, id: tag, ...attrs }, children]]];
  const reply = await client.query(node, 10, 0x88, tag);
  if (reply.kind !== 'json') throw new Error(`expected a JSON answer, got ${reply.kind}`);
  return reply.json;
}

function participantsOf(jids: string[]): Node[] {
  return jids.map((jid) => ['participant', { jid }, null]);
}

/** The next relayed stub message in a group chat, as a session got it. */
async function nextStub(client: MiniClient, gid: string, type: string): Promise<WebMessageInfo> {
  const { node } = await client.waitForNode((n) => n[0] === 'action' && n[1]?.add === 'relay' && messagesOf(n).some((m) => m.key.remoteJid === gid && m.messageStubType === type));
  return messagesOf(node).find((m) => m.messageStubType === type)!;
}

async function createBookClub(): Promise<string> {
  const answer = (await groupWrite(mine, me, { type: 'create', subject: 'Book club' }, participantsOf([alice, bob]))) as { gid: string };
  await nextStub(hers, answer.gid, 'GROUP_CREATE');
  return answer.gid;
}

describe('create', () => {
  it('answers the gid and per-participant codes; both accounts get the GROUP_CREATE stub and the chat', async () => {
    const answer = await groupWrite(mine, me, { type: 'create', subject: 'Book club' }, participantsOf([alice, bob, '15550100077@c.us']));
    expect(answer).toEqual({
      status: 200,
      gid: created,
      participants: [{ [alice]: { code: '200' } }, { [bob]: { code: '200' } }, { '15550100077@c.us': { code: '404' } }],
    });
    const own = await nextStub(mine, created, 'GROUP_CREATE');
    expect(own).toMatchObject({
      key: { remoteJid: created, fromMe: true, participant: '15550100001@s.whatsapp.net' },
      messageTimestamp: '1700000000',
      participant: '15550100001@s.whatsapp.net',
      messageStubType: 'GROUP_CREATE',
      messageStubParameters: ['Book club'],
    });
    const theirs = await nextStub(hers, created, 'GROUP_CREATE');
    expect(theirs).toMatchObject({ key: { remoteJid: created, fromMe: false, id: own.key.id, participant: '15550100001@s.whatsapp.net' } });
    const group = sandbox.world.requireGroup(created);
    expect(group.participants).toEqual([
      { jid: me, isAdmin: true, isSuperAdmin: true },
      { jid: alice, isAdmin: false, isSuperAdmin: false },
      { jid: bob, isAdmin: false, isSuperAdmin: false },
    ]);
    // Both accounts have the chat; the stub is not an unread message.
    const chat = sandbox.world.chat(sandbox.world.requireAccount(alice), created)!;
    expect(chat.unread).toBe(0);
    expect(chat.messages).toHaveLength(1);
    expect(sandbox.world.chat(sandbox.world.requireAccount(me), created)).toBeDefined();
  });

  it('a second group in the same second takes the next free second; an empty subject is 400', async () => {
    await createBookClub();
    const second = (await groupWrite(mine, me, { type: 'create', subject: 'Chess' }, participantsOf([bob]))) as { gid: string };
    expect(second.gid).toBe('15550100001-1700000001@g.us');
    expect(await groupWrite(mine, me, { type: 'create', subject: ' ' }, participantsOf([bob]))).toEqual({ status: 400 });
  });
});

describe('metadata', () => {
  it('GroupMetadata (JSON) and the binary type:group query reflect the changes', async () => {
    const gid = await createBookClub();
    expect(await mine.request(['query', 'GroupMetadata', gid])).toEqual({
      id: gid,
      owner: me,
      subject: 'Book club',
      creation: 1700000000,
      participants: [
        { id: me, isAdmin: true, isSuperAdmin: true },
        { id: alice, isAdmin: false, isSuperAdmin: false },
        { id: bob, isAdmin: false, isSuperAdmin: false },
      ],
    });
    await groupWrite(mine, me, { type: 'promote', jid: gid }, participantsOf([alice]));
    await groupWrite(mine, me, { type: 'subject', jid: gid, subject: 'Reading club' });
    await groupWrite(mine, me, { type: 'description', jid: gid }, [['description', { id: 'DESC1' }, utf8Encode('Monthly books')]]);
    await groupWrite(mine, me, { type: 'prop', jid: gid }, [['announcement', { value: 'true' }, null], ['locked', { value: 'true' }, null]]);
    expect(await mine.request(['query', 'GroupMetadata', gid])).toEqual({
      id: gid,
      owner: me,
      subject: 'Reading club',
      creation: 1700000000,
      participants: [
        { id: me, isAdmin: true, isSuperAdmin: true },
        { id: alice, isAdmin: true, isSuperAdmin: false },
        { id: bob, isAdmin: false, isSuperAdmin: false },
      ],
      desc: 'Monthly books',
      descId: 'DESC1',
      descOwner: me,
      descTime: 1700000000,
      restrict: 'true',
      announce: 'true',
    });
    const reply = await mine.query(['query', { type: 'group', jid: gid, epoch: '9' }, null], 10);
    expect(reply.kind).toBe('node');
    const [, , [group]] = (reply as { node: [string, unknown, Node[]] }).node;
    expect(group![1]).toEqual({ jid: gid, creator: me, create: '1700000000', subject: 'Reading club' });
    const children = group![2] as Node[];
    expect(children.slice(0, 3)).toEqual([
      ['participant', { jid: me, type: 'superadmin' }, null],
      ['participant', { jid: alice, type: 'admin' }, null],
      ['participant', { jid: bob }, null],
    ]);
    expect(children[3]![1]).toEqual({ id: 'DESC1' });
    expect(utf8Decode(children[3]![2] as Uint8Array)).toBe('Monthly books');
  });

  it('an unknown group is 404 to the metadata query and to every write', async () => {
    const unknown = '15550100001-1234567890@g.us';
    expect(await mine.request(['query', 'GroupMetadata', unknown])).toEqual({ status: 404 });
    for (const type of ['add', 'remove', 'promote', 'demote', 'leave', 'subject', 'prop']) {
      expect(await groupWrite(mine, me, { type, jid: unknown, subject: 'x' }, participantsOf([bob]))).toEqual({ status: 404 });
    }
  });
});

describe('participants', () => {
  it('add, remove, promote and demote answer per-participant codes (207 when some fail)', async () => {
    const gid = await createBookClub();
    expect(await groupWrite(mine, me, { type: 'add', jid: gid }, participantsOf([carol]))).toEqual({ status: 200, participants: [{ [carol]: { code: '200' } }] });
    expect(await groupWrite(mine, me, { type: 'add', jid: gid }, participantsOf([carol, '15550100077@c.us']))).toEqual({
      status: 207,
      participants: [{ [carol]: { code: '409' } }, { '15550100077@c.us': { code: '404' } }],
    });
    expect(await groupWrite(mine, me, { type: 'promote', jid: gid }, participantsOf([alice]))).toEqual({ status: 200, participants: [{ [alice]: { code: '200' } }] });
    expect(await groupWrite(mine, me, { type: 'demote', jid: gid }, participantsOf([alice]))).toEqual({ status: 200, participants: [{ [alice]: { code: '200' } }] });
    expect(await groupWrite(mine, me, { type: 'remove', jid: gid }, participantsOf([carol, '15550100005@c.us']))).toEqual({
      status: 207,
      participants: [{ [carol]: { code: '200' } }, { '15550100005@c.us': { code: '404' } }],
    });
    expect(sandbox.world.requireGroup(gid).participants.map((p) => p.jid)).toEqual([me, alice, bob]);
  });

  it('members get ADD and REMOVE stubs, and promote/demote as Chat pushes', async () => {
    const gid = await createBookClub();
    await groupWrite(mine, me, { type: 'add', jid: gid }, participantsOf([carol]));
    expect(await nextStub(hers, gid, 'GROUP_PARTICIPANT_ADD')).toMatchObject({
      key: { fromMe: false, participant: '15550100001@s.whatsapp.net' },
      messageStubParameters: ['15550100004@s.whatsapp.net'],
    });
    await groupWrite(mine, me, { type: 'promote', jid: gid }, participantsOf([alice]));
    expect(await hers.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['promote', me, { participants: [alice] }] }]);
    expect(await mine.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['promote', me, { participants: [alice] }] }]);
    await groupWrite(mine, me, { type: 'demote', jid: gid }, participantsOf([alice]));
    expect(await hers.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['demote', me, { participants: [alice] }] }]);
    await groupWrite(mine, me, { type: 'remove', jid: gid }, participantsOf([alice]));
    // The removed member gets the stub too, and keeps the chat read-only.
    expect((await nextStub(hers, gid, 'GROUP_PARTICIPANT_REMOVE')).messageStubParameters).toEqual(['15550100002@s.whatsapp.net']);
    const chats = await hers.query(['query', { type: 'chat', epoch: '5' }, null], 5);
    const chat = ((chats as { node: Node }).node[2] as Node[]).find((entry) => entry[1]?.jid === gid)!;
    expect(chat[1]?.read_only).toBe('true');
  });

  it('a non-admin changing participants or settings gets 401', async () => {
    const gid = await createBookClub();
    expect(await groupWrite(hers, alice, { type: 'add', jid: gid }, participantsOf([carol]))).toEqual({ status: 401 });
    expect(await groupWrite(hers, alice, { type: 'remove', jid: gid }, participantsOf([bob]))).toEqual({ status: 401 });
    expect(await groupWrite(hers, alice, { type: 'promote', jid: gid }, participantsOf([alice]))).toEqual({ status: 401 });
    expect(await groupWrite(hers, alice, { type: 'prop', jid: gid }, [['announcement', { value: 'true' }, null]])).toEqual({ status: 401 });
    expect(await hers.request(['query', 'inviteCode', gid])).toEqual({ status: 401 });
    expect(sandbox.world.requireGroup(gid).participants).toHaveLength(3);
  });

  it('the creator cannot be removed or demoted by another admin (403 for that participant)', async () => {
    const gid = await createBookClub();
    await groupWrite(mine, me, { type: 'promote', jid: gid }, participantsOf([alice]));
    expect(await groupWrite(hers, alice, { type: 'remove', jid: gid }, participantsOf([me]))).toEqual({ status: 207, participants: [{ [me]: { code: '403' } }] });
    expect(await groupWrite(hers, alice, { type: 'demote', jid: gid }, participantsOf([me]))).toEqual({ status: 207, participants: [{ [me]: { code: '403' } }] });
  });
});

describe('subject, description, settings', () => {
  it('a subject change: stub 21 to every member, then the Chat subject push', async () => {
    const gid = await createBookClub();
    expect(await groupWrite(hers, alice, { type: 'subject', jid: gid, subject: 'Reading club' })).toEqual({ status: 200 });
    const stub = await nextStub(mine, gid, 'GROUP_CHANGE_SUBJECT');
    expect(stub).toMatchObject({ key: { fromMe: false, participant: '15550100002@s.whatsapp.net' }, messageStubParameters: ['Reading club'] });
    expect(await mine.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['subject', alice, { subject: 'Reading club', s_t: 1700000000, s_o: alice }] }]);
    expect(sandbox.world.requireGroup(gid).subject).toBe('Reading club');
    expect(await groupWrite(mine, me, { type: 'subject', jid: gid, subject: '' })).toEqual({ status: 400 });
  });

  it('a description: desc_add push with the new id; a stale prev is 409; an empty one removes it', async () => {
    const gid = await createBookClub();
    const first = await groupWrite(mine, me, { type: 'description', jid: gid }, [['description', { id: 'DESC1' }, utf8Encode('Monthly books')]]);
    expect(first).toEqual({ status: 200 });
    expect(await hers.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['desc_add', me, { desc: 'Monthly books', descId: 'DESC1', descTime: 1700000000 }] }]);
    expect(await groupWrite(mine, me, { type: 'description', jid: gid }, [['description', { id: 'DESC2', prev: 'OLD' }, utf8Encode('x')]])).toEqual({ status: 409 });
    expect(await groupWrite(mine, me, { type: 'description', jid: gid }, [['description', { id: 'DESC2', prev: 'DESC1' }, utf8Encode('Weekly books')]])).toEqual({ status: 200 });
    expect(sandbox.world.requireGroup(gid)).toMatchObject({ desc: 'Weekly books', descId: 'DESC2', descOwner: me });
    expect(await groupWrite(mine, me, { type: 'description', jid: gid }, [['description', { id: 'DESC3', prev: 'DESC2', delete: 'true' }, null]])).toEqual({ status: 200 });
    expect(sandbox.world.requireGroup(gid).desc).toBeUndefined();
    expect(await hers.waitForJson('Chat', (body) => (body as { data: unknown[] }).data[0] === 'desc_remove')).toEqual([
      'Chat',
      { id: gid, cmd: 'action', data: ['desc_remove', me, { descId: '', descTime: 1700000000 }] },
    ]);
  });

  it('announcement-only: stub 26 "on", a non-admin send is refused with 403, an admin send passes', async () => {
    const gid = await createBookClub();
    expect(await groupWrite(mine, me, { type: 'prop', jid: gid }, [['announcement', { value: 'true' }, null]])).toEqual({ status: 200 });
    expect((await nextStub(hers, gid, 'GROUP_CHANGE_ANNOUNCE')).messageStubParameters).toEqual(['on']);
    const refused = await hers.sendText(gid, 'may I?');
    expect(refused.reply).toEqual({ kind: 'json', tag: refused.id, json: { status: 403 } });
    expect(sandbox.world.findMessage(sandbox.world.requireAccount(alice), refused.id)).toBeUndefined();
    expect((await mine.sendText(gid, 'admins only')).reply).toMatchObject({ json: { status: 200 } });
    expect(() => sandbox.contact(bob).sendText('me too', { group: gid })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('locked: stub 25; then only admins change the subject (401 for others); ephemeral: stub 72 with the seconds', async () => {
    const gid = await createBookClub();
    expect(await groupWrite(mine, me, { type: 'prop', jid: gid }, [['locked', { value: 'true' }, null]])).toEqual({ status: 200 });
    expect((await nextStub(hers, gid, 'GROUP_CHANGE_RESTRICT')).messageStubParameters).toEqual(['on']);
    expect(await groupWrite(hers, alice, { type: 'subject', jid: gid, subject: 'Mine now' })).toEqual({ status: 401 });
    expect(await groupWrite(mine, me, { type: 'prop', jid: gid }, [['ephemeral', { value: '604800' }, null]])).toEqual({ status: 200 });
    expect(sandbox.world.requireGroup(gid).ephemeral).toBe(604800);
    const list = await hers.query(['query', { type: 'chat', epoch: '9' }, null], 5);
    expect(list.kind === 'node' && (list.node[2] as Node[]).find((chat) => chat[1]?.jid === gid)?.[1]).toMatchObject({ ephemeral: '604800' });
    const { node } = await hers.waitForNode((n) => n[1]?.add === 'relay' && messagesOf(n).some((m) => m.messageStubParameters?.[0] === '604800'));
    // Stub type 72 (CHANGE_EPHEMERAL_SETTING) on the wire: field 24 = varint 72.
    expect(messagesOf(node)[0]?.messageStubType).toBe('CHANGE_EPHEMERAL_SETTING');
    const bytes = (node[2] as Node[])[0]![2] as Uint8Array;
    expect(Array.from(bytes).join(',')).toContain([0xc0, 0x01, 72].join(','));
    expect(await groupWrite(mine, me, { type: 'prop', jid: gid }, [['ephemeral', { value: 'soon' }, null]])).toEqual({ status: 400 });
  });
});

describe('leave', () => {
  it('the leaver keeps a read-only chat, gets 403 for changes and sends, and the binary query still answers', async () => {
    const gid = await createBookClub();
    expect(await groupWrite(hers, alice, { type: 'leave', jid: gid })).toEqual({ status: 200 });
    const stub = await nextStub(mine, gid, 'GROUP_PARTICIPANT_LEAVE');
    expect(stub).toMatchObject({ key: { fromMe: false, participant: '15550100002@s.whatsapp.net' }, messageStubParameters: ['15550100002@s.whatsapp.net'] });
    expect((await nextStub(hers, gid, 'GROUP_PARTICIPANT_LEAVE')).key.fromMe).toBe(true);
    expect(await groupWrite(hers, alice, { type: 'subject', jid: gid, subject: 'back?' })).toEqual({ status: 403 });
    expect(await groupWrite(hers, alice, { type: 'leave', jid: gid })).toEqual({ status: 403 });
    expect((await hers.sendText(gid, 'hello?')).reply).toMatchObject({ json: { status: 403 } });
    expect(await hers.request(['query', 'GroupMetadata', gid])).toEqual({ status: 401 });
    const reply = await hers.query(['query', { type: 'group', jid: gid, epoch: '3' }, null], 10);
    expect(reply.kind).toBe('node');
  });

  it('when the last admin leaves, the longest-standing participant becomes admin', async () => {
    const gid = await createBookClub();
    await groupWrite(mine, me, { type: 'leave', jid: gid });
    expect(sandbox.world.requireGroup(gid).participants).toEqual([
      { jid: alice, isAdmin: true, isSuperAdmin: false },
      { jid: bob, isAdmin: false, isSuperAdmin: false },
    ]);
    expect(await hers.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['promote', me, { participants: [alice] }] }]);
  });
});

describe('invites', () => {
  it('the code is stable until reset; joining adds the joiner (stub 31); a revoked code is 404, a member 409', async () => {
    const gid = await createBookClub();
    const first = (await mine.request(['query', 'inviteCode', gid])) as { status: number; code: string };
    expect(first).toEqual({ status: 200, code: expect.stringMatching(/^[A-Za-z0-9]{22}$/) });
    expect(await mine.request(['query', 'inviteCode', gid])).toEqual(first);
    await groupWrite(mine, me, { type: 'remove', jid: gid }, participantsOf([alice]));
    expect(await hers.request(['action', 'invite', first.code])).toEqual({ status: 200, gid });
    const stub = await nextStub(mine, gid, 'GROUP_PARTICIPANT_INVITE');
    expect(stub).toMatchObject({ key: { participant: '15550100002@s.whatsapp.net' }, messageStubParameters: ['15550100002@s.whatsapp.net'] });
    expect(await hers.request(['action', 'invite', first.code])).toEqual({ status: 409 });
    const reset = (await mine.request(['action', 'inviteReset', gid])) as { status: number; code: string };
    expect(reset.status).toBe(200);
    expect(reset.code).not.toBe(first.code);
    await groupWrite(mine, me, { type: 'remove', jid: gid }, participantsOf([alice]));
    expect(await hers.request(['action', 'invite', first.code])).toEqual({ status: 404 });
    expect(await hers.request(['action', 'invite', reset.code])).toEqual({ status: 200, gid });
  });
});

describe('scripted contacts', () => {
  it('a contact creates a group with the account, adds, promotes, renames and leaves', async () => {
    const gid = sandbox.contact(bob).createGroup('Bob’s party', [me, carol]);
    expect(gid).toBe('15550100003-1700000000@g.us');
    expect((await nextStub(mine, gid, 'GROUP_CREATE')).key).toMatchObject({ fromMe: false, participant: '15550100003@s.whatsapp.net' });
    expect(sandbox.contact(bob).addToGroup(gid, [alice])).toEqual([{ jid: alice, code: 200 }]);
    expect((await nextStub(hers, gid, 'GROUP_PARTICIPANT_ADD')).messageStubParameters).toEqual(['15550100002@s.whatsapp.net']);
    sandbox.contact(bob).promote(gid, [me]);
    expect(await mine.waitForJson('Chat')).toEqual(['Chat', { id: gid, cmd: 'action', data: ['promote', bob, { participants: [me] }] }]);
    sandbox.contact(bob).setGroupSubject(gid, 'Party!');
    expect((await nextStub(mine, gid, 'GROUP_CHANGE_SUBJECT')).messageStubParameters).toEqual(['Party!']);
    sandbox.contact(bob).setGroupDescription(gid, 'Bring snacks');
    expect(sandbox.world.requireGroup(gid).desc).toBe('Bring snacks');
    sandbox.contact(bob).demote(gid, [me]);
    sandbox.contact(bob).removeFromGroup(gid, [carol]);
    sandbox.contact(bob).leaveGroup(gid);
    expect((await nextStub(mine, gid, 'GROUP_PARTICIPANT_LEAVE')).messageStubParameters).toEqual(['15550100003@s.whatsapp.net']);
    expect(() => sandbox.contact(carol).addToGroup(gid, [bob])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sandbox.contact(bob).setGroupSubject('15550100003-1@g.us', 'x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('history and restarts', () => {
  it('a later login finds the stubs in the recent messages; a restart from exported state keeps the group', async () => {
    const gid = await createBookClub();
    await groupWrite(mine, me, { type: 'subject', jid: gid, subject: 'Reading club' });
    await groupWrite(mine, me, { type: 'prop', jid: gid }, [['announcement', { value: 'true' }, null]]);
    const code = ((await mine.request(['query', 'inviteCode', gid])) as { code: string }).code;
    const later = await loggedInClient(sandbox, alice);
    const { node } = await later.waitForNode((n) => n[1]?.add === 'last');
    const stubs = messagesOf(node).filter((m) => m.key.remoteJid === gid).map((m) => m.messageStubType);
    expect(stubs).toEqual(['GROUP_CHANGE_ANNOUNCE', 'GROUP_CHANGE_SUBJECT', 'GROUP_CREATE']);

    const state = JSON.parse(JSON.stringify(sandbox.exportState())) as SandboxState;
    const restarted = new Sandbox({ state, clock: new ManualClock(1_700_000_100_000) });
    extra.push(restarted);
    expect(restarted.world.requireGroup(gid)).toMatchObject({ subject: 'Reading club', announce: true, inviteCode: code, subjectOwner: me });
    const client = memoryClient(restarted);
    expect((await client.restore(mine.credentials())).status).toBe(200);
    expect(await client.request(['query', 'GroupMetadata', gid])).toMatchObject({ subject: 'Reading club', announce: 'true' });
    expect(await client.request(['query', 'inviteCode', gid])).toEqual({ status: 200, code });
  });

  it('a state file with a bad group field is refused, naming it', () => {
    const state = JSON.parse(JSON.stringify(sandbox.exportState())) as SandboxState;
    (state.world.groups[0] as unknown as Record<string, unknown>).announce = 'yes';
    expect(() => new Sandbox({ state })).toThrow(/world\.groups\[0\]\.announce must be true or false/);
  });
});
