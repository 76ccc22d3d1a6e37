/**
 * Profile and block list against the sandbox core over the in-memory link: the frames the client
 * sends, what the server answers, and how the pushes reach the other sessions and accounts.
 */
import { decode, type Node } from '@wa/binary-codec';
import { fromBase64, openFrame, utf8Encode } from '@wa/crypto';
import { createMemoryWebSocket, defaultWorld, Sandbox } from '@wa/sandbox/core';
import { parseFrame, type WebSocketConstructor } from '@wa/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, MemoryAuthStore, RequestError, WAClient, type ContactUpdate, type Credentials } from '../src/index.ts';
import { ALICE, autoScan, collect, DAVE, GROUP, loggedIn, ME, memoryClient } from './support/harness.ts';

/** A second account, with `ME` in its address book. */
const ZED = '15550100010@c.us';
const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9);
const preview = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 7, 0xff, 0xd9);

const sandboxes: Sandbox[] = [];
const clients: WAClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const sandbox of sandboxes.splice(0)) sandbox.close();
});

function newSandbox(): Sandbox {
  const world = defaultWorld();
  world.accounts.push({ jid: ZED, name: 'Zed', contacts: [{ jid: ME, name: 'Sandy', short: 'Sandy' }] });
  const sandbox = new Sandbox({ world });
  sandboxes.push(sandbox);
  return sandbox;
}

async function session(sandbox: Sandbox, wid = ME): Promise<WAClient> {
  if (wid === ME) {
    const { client } = await loggedIn(sandbox);
    clients.push(client);
    return client;
  }
  const client = memoryClient(sandbox, { auth: new MemoryAuthStore() });
  clients.push(client);
  client.on('qr', ({ qr }) => sandbox.phoneOf(wid).scan(qr));
  await client.connect();
  return client;
}

const updateOf = (client: WAClient, filter: (update: ContactUpdate) => boolean): Promise<ContactUpdate> => client.waitFor('contact-update', { filter });

describe('setPushName', () => {
  it('resolves with the confirmed name; me, the other session and the other account follow', async () => {
    const sandbox = newSandbox();
    const first = await session(sandbox);
    const second = await session(sandbox);
    const other = await session(sandbox, ZED);
    const own = collect(first, 'contact-update');
    const onSecond = updateOf(second, (update) => update.jid === ME);
    const onOther = updateOf(other, (update) => update.jid === ME);
    expect(await first.setPushName('Sandy S.')).toBe('Sandy S.');
    expect(first.me?.pushname).toBe('Sandy S.');
    expect(own).toEqual([{ jid: ME, notify: 'Sandy S.' }]);
    expect(await onSecond).toEqual({ jid: ME, notify: 'Sandy S.' });
    expect(second.me).toMatchObject({ wid: ME, pushname: 'Sandy S.', platform: 'android' });
    expect(await onOther).toEqual({ jid: ME, notify: 'Sandy S.', name: 'Sandy', short: 'Sandy' });
    expect(other.contacts().find((contact) => contact.jid === ME)).toEqual({ jid: ME, name: 'Sandy', short: 'Sandy', notify: 'Sandy S.' });
    expect(sandbox.world.requireUser(ME).name).toBe('Sandy S.');
  });

  it('refuses an empty name and one over 25 characters before sending anything', async () => {
    const sandbox = newSandbox();
    const client = await session(sandbox);
    await expect(client.setPushName('  ')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.setPushName('x'.repeat(26))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sandbox.world.requireUser(ME).name).toBe('Sandy Sandbox');
  });

  it("a contact's new name updates the contact and the chat name, and comes out as contact-update", async () => {
    const sandbox = newSandbox();
    const client = await session(sandbox);
    const update = updateOf(client, (event) => event.jid === DAVE);
    sandbox.contact(DAVE).setName('David');
    expect(await update).toEqual({ jid: DAVE, notify: 'David', name: 'Dave (work)', short: 'Dave' });
    expect(client.contacts().find((contact) => contact.jid === DAVE)?.notify).toBe('David');
    const alice = updateOf(client, (event) => event.jid === ALICE);
    sandbox.contact(ALICE).setName('Alice W.');
    await alice;
    expect(client.chats().find((chat) => chat.jid === ALICE)?.name).toBe('Alice');
  });
});

describe('setStatus', () => {
  it('sets the about text: status() answers it, the other account gets contact-update {status}', async () => {
    const sandbox = newSandbox();
    const client = await session(sandbox);
    const other = await session(sandbox, ZED);
    const onOther = updateOf(other, (update) => update.status !== undefined);
    const own = updateOf(client, (update) => update.status !== undefined);
    await client.setStatus('On the lake');
    expect(await own).toEqual({ jid: ME, status: 'On the lake' });
    expect(await onOther).toEqual({ jid: ME, status: 'On the lake' });
    expect(await other.status(ME)).toBe('On the lake');
  });

  it('refuses an empty text and one over 139 characters', async () => {
    const client = await session(newSandbox());
    await expect(client.setStatus('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.setStatus('x'.repeat(140))).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('setProfilePicture', () => {
  it('sets the own picture: url and tag, profilePicture() answers the url, others get pictureChanged', async () => {
    const sandbox = newSandbox();
    const client = await session(sandbox);
    const other = await session(sandbox, ZED);
    const changed = updateOf(other, (update) => update.pictureChanged === true);
    const set = await client.setProfilePicture(jpeg, undefined, { preview });
    expect(set).toEqual({ url: expect.stringMatching(/\/pp\/[0-9a-f]{32}\.jpg$/), tag: expect.stringMatching(/^\d+$/) });
    expect(await changed).toEqual({ jid: ME, pictureChanged: true });
    expect(await other.profilePicture(ME)).toBe(set.url);
    const again = await client.setProfilePicture(preview);
    expect(again.tag).not.toBe(set.tag);
    await client.removeProfilePicture();
    expect(await other.profilePicture(ME)).toBeUndefined();
  });

  it('a group picture: group-update picture and contact-update on the other session, profilePicture(gid) answers it; refusals carry the server status', async () => {
    const sandbox = newSandbox();
    const client = await session(sandbox);
    const second = await session(sandbox);
    const stub = second.waitFor('group-update', { filter: (update) => update.action === 'picture' });
    const changed = updateOf(second, (update) => update.jid === GROUP);
    await client.setProfilePicture(jpeg, GROUP);
    expect(await client.profilePicture(GROUP)).toMatch(/\/pp\//);
    expect(await stub).toMatchObject({ gid: GROUP, action: 'picture', actor: ME });
    expect(await changed).toEqual({ jid: GROUP, pictureChanged: true });
    await expect(client.setProfilePicture(jpeg, ALICE)).rejects.toMatchObject({ status: 401 });
    await expect(client.setProfilePicture(jpeg, '15550100001-1700000000@g.us')).rejects.toMatchObject({ status: 404 });
    await expect(client.removeProfilePicture(ALICE)).rejects.toBeInstanceOf(RequestError);
    await expect(client.setProfilePicture(new TextEncoder().encode('GIF89a'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.setProfilePicture(jpeg, undefined, { preview: new Uint8Array(4) })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('block, unblock, blocklist', () => {
  it('keeps the list from the Blocklist pushes; both sessions see it; blocked messages stop and sends are refused with 403', async () => {
    const sandbox = newSandbox();
    const first = await session(sandbox);
    const second = await session(sandbox);
    const onSecond = second.waitFor('blocklist');
    const events = collect(first, 'blocklist');
    await first.block(DAVE);
    expect(first.blocklist()).toEqual([DAVE]);
    expect(events).toEqual([{ blocklist: [DAVE], added: [DAVE], removed: [] }]);
    expect(await onSecond).toEqual({ blocklist: [DAVE], added: [DAVE], removed: [] });
    await expect(first.sendText(DAVE, 'hi')).rejects.toMatchObject({ status: 403 });
    const arrived = collect(first, 'message');
    sandbox.contact(DAVE).sendText('ignored');
    const unblocked = second.waitFor('blocklist', { filter: (update) => update.removed.includes(DAVE) });
    await first.unblock(DAVE);
    expect(first.blocklist()).toEqual([]);
    await unblocked;
    sandbox.contact(DAVE).sendText('through');
    await first.waitFor('message', { filter: (event) => event.text === 'through' });
    expect(arrived.map((event) => event.text)).not.toContain('ignored');
  });

  it('a restored session gets the list after login; block() refuses groups and the account itself', async () => {
    const sandbox = newSandbox();
    sandbox.phone.block(DAVE);
    const auth = new MemoryAuthStore();
    const first = memoryClient(sandbox, { auth });
    clients.push(first);
    autoScan(sandbox, first);
    const initial = first.waitFor('blocklist');
    await first.connect();
    expect(await initial).toEqual({ blocklist: [DAVE], added: [DAVE], removed: [] });
    await first.close();
    const restored = memoryClient(sandbox, { auth });
    clients.push(restored);
    const again = restored.waitFor('blocklist');
    await restored.connect();
    await again;
    expect(restored.blocklist()).toEqual([DAVE]);
    await expect(restored.block(GROUP)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(restored.block(ME)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('the frames @wa/client sends', () => {
  it('profile, status, picture and block children inside action set, with their metric, flag and tag', async () => {
    const sandbox = newSandbox();
    const sent: Array<string | Uint8Array> = [];
    const Base = createMemoryWebSocket(sandbox);
    class Recording extends Base {
      override send(data: string | Uint8Array): void {
        sent.push(typeof data === 'string' ? data : new Uint8Array(data));
        super.send(data);
      }
    }
    const auth = new MemoryAuthStore();
    const client = new WAClient({ url: 'ws://sandbox.invalid/ws', WebSocket: Recording as unknown as WebSocketConstructor, requestTimeoutMs: 3_000, auth });
    clients.push(client);
    autoScan(sandbox, client);
    await client.connect();
    await client.setPushName('Sandy S.');
    await client.setStatus('On the lake');
    await client.setProfilePicture(jpeg, undefined, { preview });
    await client.block(DAVE);
    const credentials = (await auth.load()) as Credentials;
    const keys = { encKey: fromBase64(credentials.encKey), macKey: fromBase64(credentials.macKey) };
    const actions = sent
      .filter((frame): frame is Uint8Array => typeof frame !== 'string')
      .map((frame) => parseFrame(frame, { from: 'client' }))
      .flatMap((frame) => (frame.kind === 'binary' ? [{ tag: frame.tag, node: decode(openFrame(keys, frame.payload)), metric: frame.metric, flag: frame.flag }] : []))
      .filter(({ node }) => node[0] === 'action' && (node[2] as Node[])[0]?.[0] !== 'presence');
    const [profile, status, picture, block] = actions.map(({ node, metric, flag }) => ({ child: (node[2] as Node[])[0], type: node[1]?.type, metric, flag }));
    expect(profile).toEqual({ child: ['profile', { name: 'Sandy S.' }, null], type: 'set', metric: 10, flag: 0x80 });
    expect(status).toEqual({ child: ['status', null, utf8Encode('On the lake')], type: 'set', metric: 10, flag: 0x80 });
    expect(picture).toEqual({ child: ['picture', { jid: ME, id: actions[2]!.tag, type: 'set' }, [['image', null, jpeg], ['preview', null, preview]]], type: 'set', metric: 14, flag: 0x88 });
    expect(block).toEqual({ child: ['block', { type: 'add' }, [['user', { jid: DAVE }, null]]], type: 'set', metric: 18, flag: 0x80 });
  });
});
