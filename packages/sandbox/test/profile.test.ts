import { utf8Encode } from '@wa/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { pictureBytes } from '../src/profile.ts';
import { Sandbox } from '../src/sandbox.ts';
import type { SandboxState } from '../src/state.ts';
import { defaultWorld } from '../src/world/default-world.ts';
import type { WorldSpec } from '../src/world/types.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { messagesOf, MiniClient } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';
const dave = '15550100005@c.us';
/** A second account that has `me` in its address book. */
const zed = '15550100010@c.us';
const group = '15550100001-1600000000@g.us';
/** Bytes that start like a JPEG (SOI marker), as the sandbox checks them. */
const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9);
const preview = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 9, 0xff, 0xd9);

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) sandbox.close();
});

function world(): WorldSpec {
  const spec = defaultWorld();
  spec.accounts.push({ jid: zed, name: 'Zed', contacts: [{ jid: me, name: 'Sandy', short: 'Sandy' }], chats: { [me]: [{ from: me, text: 'hi Zed', ago: 60 }] } });
  spec.accounts[0]!.contacts!.push(zed);
  return spec;
}

function make(state?: SandboxState): Sandbox {
  const sandbox = new Sandbox(state ? { state, clock: new ManualClock(1_700_000_000_000) } : { world: world(), clock: new ManualClock(1_700_000_000_000) });
  sandboxes.push(sandbox);
  return sandbox;
}

/** `["action",{"type":"set","epoch"},[child]]` sent with `metric` under `tag`; resolves with the JSON answer. */
async function setAction(client: MiniClient, child: Parameters<MiniClient['sendNode']>[1], metric: number, tag = MiniClient.tag()): Promise<unknown> {
  const reply = await client.query(['action', { type: 'set', epoch: '3' }, [child]], metric, 0x80, tag);
  if (reply.kind !== 'json') throw new Error(`expected a JSON answer, got ${reply.kind}`);
  return reply.json;
}

/** Three sessions: two of `me`, one of Zed. */
async function sessions(sandbox: Sandbox): Promise<{ first: MiniClient; second: MiniClient; other: MiniClient }> {
  const first = await loggedInClient(sandbox);
  const second = await loggedInClient(sandbox);
  const other = await loggedInClient(sandbox, zed);
  return { first, second, other };
}

/** JSON frames pushed under push tags, as [kind, body]. */
function pushes(client: MiniClient, kind: string): unknown[] {
  return client.received.filter((frame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === kind).map((frame) => (frame as { json: unknown }).json);
}

describe('status text', () => {
  it('["status",null,<utf-8>] answers 200; the other session and the contacts get ["Status",{id,status}]; Status answers it', async () => {
    const sandbox = make();
    const { first, second, other } = await sessions(sandbox);
    expect(await setAction(first, ['status', null, utf8Encode('On the lake 🏞')], 10)).toEqual({ status: 200 });
    expect(await second.waitForJson('Status')).toEqual(['Status', { id: me, status: 'On the lake 🏞' }]);
    expect(await other.waitForJson('Status')).toEqual(['Status', { id: me, status: 'On the lake 🏞' }]);
    expect(await other.request(['query', 'Status', me])).toEqual({ status: 'On the lake 🏞' });
    expect(pushes(first, 'Status')).toEqual([]);
  });

  it('refuses an empty text, one over 139 characters and bytes that are not UTF-8 with 400', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    expect(await setAction(client, ['status', null, utf8Encode('')], 10)).toEqual({ status: 400 });
    expect(await setAction(client, ['status', null, utf8Encode('x'.repeat(140))], 10)).toEqual({ status: 400 });
    expect(await setAction(client, ['status', null, Uint8Array.of(0xc3, 0x28)], 10)).toEqual({ status: 400 });
    expect(await setAction(client, ['status', null, utf8Encode('😀'.repeat(139))], 10)).toEqual({ status: 200 });
    expect(sandbox.world.requireUser(me).status).toBe('😀'.repeat(139));
  });
});

describe('push name', () => {
  it('["profile",{name}] answers {status,pushname}; own sessions get ["Conn",{pushname}], contacts a user push', async () => {
    const sandbox = make();
    const { first, second, other } = await sessions(sandbox);
    expect(await setAction(first, ['profile', { name: 'Sandy S.' }, null], 10)).toEqual({ status: 200, pushname: 'Sandy S.' });
    expect(await second.waitForJson('Conn', (body) => (body as { pushname?: string }).pushname === 'Sandy S.')).toEqual(['Conn', { pushname: 'Sandy S.' }]);
    const { node } = await other.waitForNode((n) => n[0] === 'action' && Array.isArray(n[2]) && n[2][0]?.[0] === 'user');
    expect(node).toEqual(['action', null, [['user', { jid: me, notify: 'Sandy S.', name: 'Sandy', short: 'Sandy' }, null]]]);
    const contacts = await other.query(['query', { type: 'contacts', epoch: '1' }, null], 6);
    expect(contacts.kind === 'node' && contacts.node[2]).toContainEqual(['user', { jid: me, name: 'Sandy', short: 'Sandy', notify: 'Sandy S.' }, null]);
    expect(pushes(first, 'Conn').filter((conn) => !(conn as [string, Record<string, unknown>])[1].wid)).toEqual([]);
  });

  it('refuses an empty name and one over 25 characters with 400', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    expect(await setAction(client, ['profile', { name: ' ' }, null], 10)).toEqual({ status: 400 });
    expect(await setAction(client, ['profile', { name: 'x'.repeat(26) }, null], 10)).toEqual({ status: 400 });
    expect(sandbox.world.requireUser(me).name).toBe('Sandy Sandbox');
  });
});

describe('profile picture', () => {
  it('["picture",{jid,id,type:"set"},[image,preview]] answers {status,eurl,tag} under the tag; ProfilePicThumb and the served JPEG follow', async () => {
    const sandbox = make();
    const { first, second, other } = await sessions(sandbox);
    const tag = MiniClient.tag();
    const node = ['picture', { jid: me, id: tag, type: 'set' }, [['image', null, jpeg], ['preview', null, preview]]] as const;
    const answer = (await setAction(first, node as never, 14, tag)) as { status: number; eurl: string; tag: string };
    expect(answer).toEqual({ status: 200, eurl: expect.stringMatching(/^http:\/\/media\.sandbox\.invalid\/pp\/[0-9a-f]{32}\.jpg$/), tag: '1700000000' });
    expect(await second.waitForJson('Cmd')).toEqual(['Cmd', { type: 'picture', jid: me }]);
    expect(await other.waitForJson('Cmd')).toEqual(['Cmd', { type: 'picture', jid: me }]);
    expect(await other.request(['query', 'ProfilePicThumb', me])).toEqual({ eurl: answer.eurl, tag: answer.tag });
    const path = new URL(answer.eurl).pathname;
    expect(pictureBytes(sandbox.world, path)).toEqual(jpeg);
    expect(pictureBytes(sandbox.world, path.replace('.jpg', '-preview.jpg'))).toEqual(preview);
    // A new picture: a new URL and a new tag; the old URL is gone.
    const again = (await setAction(first, ['picture', { jid: me, id: 'x', type: 'set' }, [['image', null, preview], ['preview', null, preview]]], 14)) as { eurl: string; tag: string };
    expect(again.tag).not.toBe(answer.tag);
    expect(again.eurl).not.toBe(answer.eurl);
    expect(pictureBytes(sandbox.world, path)).toBeUndefined();
  });

  it('refuses: 400 not a JPEG, 413 over 512 KiB, 401 someone else, 404 unknown group, 403 not a participant, 401 a non-admin of a locked group', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    const set = (jid: string, image: Uint8Array = jpeg): Promise<unknown> => setAction(client, ['picture', { jid, id: 't', type: 'set' }, [['image', null, image], ['preview', null, image]]], 14);
    expect(await set(me, utf8Encode('GIF89a…'))).toEqual({ status: 400 });
    const huge = new Uint8Array(512 * 1024 + 1);
    huge.set([0xff, 0xd8]);
    expect(await set(me, huge)).toEqual({ status: 413 });
    expect(await set(alice)).toEqual({ status: 401 });
    expect(await set('15550100001-1700000000@g.us')).toEqual({ status: 404 });
    sandbox.world.requireGroup(group).participants = sandbox.world.requireGroup(group).participants.filter((p) => p.jid !== me);
    expect(await set(group)).toEqual({ status: 403 });
    sandbox.world.requireGroup(group).participants.push({ jid: me, isAdmin: false, isSuperAdmin: false });
    sandbox.world.requireGroup(group).restrict = true;
    expect(await set(group)).toEqual({ status: 401 });
    expect(await setAction(client, ['picture', { jid: me, id: 't', type: 'set' }, null], 14)).toEqual({ status: 400 });
    expect(sandbox.world.requireUser(me).picture).toBeUndefined();
  });

  it('a group picture: 200, stub 22 GROUP_CHANGE_ICON and ["Cmd",{type:"picture",jid:gid}] to the members', async () => {
    const sandbox = make();
    const { first, second } = await sessions(sandbox);
    const answer = (await setAction(first, ['picture', { jid: group, id: 'g1', type: 'set' }, [['image', null, jpeg], ['preview', null, preview]]], 14)) as { status: number };
    expect(answer.status).toBe(200);
    const { node } = await second.waitForNode((n) => n[1]?.add === 'relay');
    expect(messagesOf(node)[0]).toMatchObject({ key: { remoteJid: group, fromMe: true }, messageStubType: 'GROUP_CHANGE_ICON' });
    expect(await second.waitForJson('Cmd')).toEqual(['Cmd', { type: 'picture', jid: group }]);
    expect(await second.request(['query', 'ProfilePicThumb', group])).toEqual({ eurl: expect.stringContaining('/pp/'), tag: expect.stringMatching(/^\d+$/) });
  });

  it('type:"delete" removes it (ProfilePicThumb 404), a second delete answers 404', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    await setAction(client, ['picture', { jid: me, id: 'p', type: 'set' }, [['image', null, jpeg], ['preview', null, preview]]], 14);
    expect(await setAction(client, ['picture', { jid: me, id: 'd', type: 'delete' }, null], 14)).toEqual({ status: 200 });
    expect(await client.request(['query', 'ProfilePicThumb', me])).toEqual({ status: 404 });
    expect(await setAction(client, ['picture', { jid: me, id: 'd2', type: 'delete' }, null], 14)).toEqual({ status: 404 });
  });
});

describe('blocking', () => {
  it('["block",{type:"add"},[["user",{jid}]]] answers 200, then ["Blocklist",{id,blocklist}] goes to every session', async () => {
    const sandbox = make();
    const { first, second } = await sessions(sandbox);
    const tag = MiniClient.tag();
    expect(await setAction(first, ['block', { type: 'add' }, [['user', { jid: dave }, null]]], 18, tag)).toEqual({ status: 200 });
    const pushed = await first.waitForJson('Blocklist', (body) => (body as { blocklist: string[] }).blocklist.length > 0);
    expect(pushed).toEqual(['Blocklist', { id: 1, blocklist: [dave] }]);
    expect(await second.waitForJson('Blocklist', (body) => (body as { blocklist: string[] }).blocklist.length > 0)).toEqual(['Blocklist', { id: 1, blocklist: [dave] }]);
    // The answer came before the push on the session that asked.
    const answerAt = first.received.findIndex((frame) => frame.kind === 'json' && frame.tag === tag);
    const pushAt = first.received.findIndex((frame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'Blocklist' && (frame.json[1] as { id: number }).id === 1);
    expect(answerAt).toBeGreaterThanOrEqual(0);
    expect(answerAt).toBeLessThan(pushAt);
    expect(await setAction(first, ['block', { type: 'remove' }, [['user', { jid: dave }, null]]], 18)).toEqual({ status: 200 });
    expect(await first.waitForJson('Blocklist', (body) => (body as { id: number }).id === 2)).toEqual(['Blocklist', { id: 2, blocklist: [] }]);
    expect(sandbox.world.requireAccount(me).blocklist).toEqual([]);
  });

  it('refuses a bad type, an id that is no user, the own id and an empty list with 400', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    expect(await setAction(client, ['block', { type: 'toggle' }, [['user', { jid: dave }, null]]], 18)).toEqual({ status: 400 });
    expect(await setAction(client, ['block', { type: 'add' }, [['user', { jid: group }, null]]], 18)).toEqual({ status: 400 });
    expect(await setAction(client, ['block', { type: 'add' }, [['user', { jid: me }, null]]], 18)).toEqual({ status: 400 });
    expect(await setAction(client, ['block', { type: 'add' }, []], 18)).toEqual({ status: 400 });
  });

  it("a blocked contact's messages stop arriving; sending to it is refused with 403; unblocking lets both through again", async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    await setAction(client, ['block', { type: 'add' }, [['user', { jid: dave }, null]]], 18);
    const account = sandbox.world.requireAccount(me);
    const before = sandbox.world.chat(account, dave)!.messages.length;
    sandbox.contact(dave).sendText('are you there?');
    const refused = await client.sendText(dave, 'hello?');
    expect(refused.reply).toMatchObject({ kind: 'json', json: { status: 403 } });
    expect(sandbox.world.chat(account, dave)!.messages.length).toBe(before);
    await setAction(client, ['block', { type: 'remove' }, [['user', { jid: dave }, null]]], 18);
    sandbox.contact(dave).sendText('now?');
    const { node } = await client.waitForNode((n) => n[1]?.add === 'relay');
    expect(messagesOf(node)[0]?.message?.conversation).toBe('now?');
    expect((await client.sendText(dave, 'yes')).reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    expect(client.received.some((frame) => frame.kind === 'node' && messagesOf(frame.node).some((info) => info.message?.conversation === 'are you there?'))).toBe(false);
  });

  it('an account that blocked another: its messages get 200 and one tick, never arrive; it sees none of the profile changes', async () => {
    const sandbox = make();
    const { first, other } = await sessions(sandbox);
    await setAction(first, ['block', { type: 'add' }, [['user', { jid: zed }, null]]], 18);
    const sent = await other.sendText(me, 'let me in');
    expect(sent.reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    expect(sandbox.world.chat(sandbox.world.requireAccount(me), zed)).toBeUndefined();
    await setAction(first, ['status', null, utf8Encode('Do not disturb')], 10);
    await setAction(first, ['picture', { jid: me, id: 'b', type: 'set' }, [['image', null, jpeg], ['preview', null, preview]]], 14);
    expect(await other.request(['query', 'ProfilePicThumb', me])).toEqual({ status: 404 });
    expect(await other.request(['query', 'Status', me])).toEqual({ status: 404 });
    expect(await first.request(['query', 'Status', me])).toEqual({ status: 'Do not disturb' });
    // A push of Zed's own phone, queued after anything the changes above would have sent it.
    sandbox.phoneOf(zed).setStatus('barrier');
    await other.waitForJson('Status', (body) => (body as { id?: string }).id === zed);
    expect(pushes(other, 'Status')).toEqual([['Status', { id: zed, status: 'barrier' }]]);
    expect(pushes(other, 'Cmd')).toEqual([]);
    expect(other.received.some((frame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'Msg' && (frame.json[1] as { id?: string }).id === sent.id)).toBe(false);
  });

  it('a login gets the current block list under the next server tag, after the login pushes; an account that never blocked anyone gets none', async () => {
    const sandbox = make();
    sandbox.phone.block(dave);
    const client = await loggedInClient(sandbox);
    const pushed = await client.waitForJson('Blocklist');
    expect(pushed).toEqual(['Blocklist', { id: 1, blocklist: [dave] }]);
    const tags = client.received.map((frame) => (frame.kind === 'pong' ? '' : frame.tag));
    const at = client.received.findIndex((frame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'Blocklist');
    expect(tags[at]).toBe('s4');
    expect(client.received.slice(0, at).filter((frame) => frame.kind === 'node').map((frame) => (frame as { node: [string, Record<string, string> | null, unknown] }).node[1])).toEqual([
      { type: 'chat' },
      { type: 'contacts' },
      { add: 'last', last: 'true' },
    ]);
    sandbox.phone.unblock(dave);
    expect((await loggedInClient(sandbox).then((next) => next.waitForJson('Blocklist')))).toEqual(['Blocklist', { id: 1, blocklist: [] }]);
    const never = await loggedInClient(sandbox, zed);
    // Zed's own phone pushes a status after the login pushes: no Blocklist came before it.
    sandbox.phoneOf(zed).setStatus('after login');
    await never.waitForJson('Status');
    expect(pushes(never, 'Blocklist')).toEqual([]);
  });
});

describe('scripted contacts and the phone', () => {
  it('contact.setName, setStatus and setPicture reach the account; bad values throw INVALID_ARGUMENT', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    const contact = sandbox.contact(alice);
    contact.setName('Alice W.');
    const { node } = await client.waitForNode((n) => n[0] === 'action' && Array.isArray(n[2]) && n[2][0]?.[0] === 'user');
    expect(node).toEqual(['action', null, [['user', { jid: alice, notify: 'Alice W.', name: 'Alice', short: 'Alice' }, null]]]);
    contact.setStatus('Back home');
    expect(await client.waitForJson('Status')).toEqual(['Status', { id: alice, status: 'Back home' }]);
    const set = contact.setPicture(jpeg);
    expect(await client.waitForJson('Cmd')).toEqual(['Cmd', { type: 'picture', jid: alice }]);
    expect(await client.request(['query', 'ProfilePicThumb', alice])).toEqual({ eurl: set.eurl, tag: set.tag });
    contact.removePicture();
    expect(await client.request(['query', 'ProfilePicThumb', alice])).toEqual({ status: 404 });
    expect(() => contact.setStatus('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => contact.setName('x'.repeat(26))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => contact.setPicture(utf8Encode('png'))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => contact.removePicture()).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('phone.setPushName tells every web session; phone.block and unblock push the list', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    sandbox.phone.setPushName('Phone Name');
    expect(await client.waitForJson('Conn', (body) => (body as { pushname?: string }).pushname === 'Phone Name')).toEqual(['Conn', { pushname: 'Phone Name' }]);
    sandbox.phone.block(alice);
    expect(await client.waitForJson('Blocklist', (body) => (body as { blocklist: string[] }).blocklist.length === 1)).toEqual(['Blocklist', { id: 1, blocklist: [alice] }]);
    expect(sandbox.phone.blocklist()).toEqual([alice]);
    sandbox.phone.unblock(alice);
    expect(sandbox.phone.blocklist()).toEqual([]);
    expect(() => sandbox.phone.block('nobody')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('persistence', () => {
  it('push name, about text, picture and block list survive a restart from the exported state', async () => {
    const sandbox = make();
    const client = await loggedInClient(sandbox);
    await setAction(client, ['profile', { name: 'Kept Name' }, null], 10);
    await setAction(client, ['status', null, utf8Encode('Kept status')], 10);
    const set = (await setAction(client, ['picture', { jid: me, id: 'k', type: 'set' }, [['image', null, jpeg], ['preview', null, preview]]], 14)) as { eurl: string; tag: string };
    await setAction(client, ['block', { type: 'add' }, [['user', { jid: dave }, null]]], 18);
    const credentials = client.credentials();
    const state = JSON.parse(JSON.stringify(sandbox.exportState())) as SandboxState;
    sandbox.close();

    const restarted = make(state);
    const restored = memoryClient(restarted);
    const result = await restored.restore(credentials);
    expect(result.conn).toMatchObject({ pushname: 'Kept Name' });
    expect(await restored.waitForJson('Blocklist')).toEqual(['Blocklist', { id: 1, blocklist: [dave] }]);
    expect(await restored.request(['query', 'Status', me])).toEqual({ status: 'Kept status' });
    expect(await restored.request(['query', 'ProfilePicThumb', me])).toEqual({ eurl: set.eurl, tag: set.tag });
    expect(pictureBytes(restarted.world, new URL(set.eurl).pathname)).toEqual(jpeg);
  });

  it('a state file with a broken picture or block list is refused with STATE_INVALID naming the field', () => {
    const state = JSON.parse(JSON.stringify(make().exportState())) as SandboxState;
    const broken = structuredClone(state);
    broken.world.users[0]!.picture = { id: 'nothex', tag: '1', image: '', preview: '' };
    expect(() => make(broken)).toThrow(/world\.users\[0\]\.picture\.id/);
    const blocked = structuredClone(state);
    blocked.world.accounts[0]!.blocklist = ['someone'];
    expect(() => make(blocked)).toThrow(/world\.accounts\[0\]\.blocklist\[0\]/);
  });
});
