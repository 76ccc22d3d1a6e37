/**
 * Profile and block list over real sockets (startSandbox over ws): two sessions of one account
 * see the changes, the picture is downloaded over HTTP from the URL the server answers, and a
 * restart with a state file keeps name, about text, picture and block list.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '@wa/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuthStore, WAClient } from '../src/index.ts';

const ME = '15550100001@c.us';
const DAVE = '15550100005@c.us';
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode('a picture'), 0xff, 0xd9]);
const preview = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 0xff, 0xd9);

let dir: string;
let sandbox: RunningSandbox | undefined;
const clients: WAClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wa-profile-'));
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await sandbox?.close();
  sandbox = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function session(running: RunningSandbox, auth = new MemoryAuthStore()): Promise<WAClient> {
  const client = new WAClient({ url: running.url, auth });
  clients.push(client);
  client.on('qr', ({ qr }) => running.phone.scan(qr));
  await client.connect();
  return client;
}

describe('profile over ws', () => {
  it('a picture set by one session is announced to the other and served over HTTP at its URL', async () => {
    sandbox = await startSandbox();
    const first = await session(sandbox);
    const second = await session(sandbox);
    const announced = second.waitFor('contact-update', { filter: (update) => update.pictureChanged === true });
    const set = await first.setProfilePicture(jpeg, undefined, { preview });
    expect(await announced).toEqual({ jid: ME, pictureChanged: true });
    const url = await second.profilePicture(ME);
    expect(url).toBe(set.url);
    expect(new URL(url!).host).toBe(new URL(sandbox.url).host);
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(jpeg);
    const small = await fetch(url!.replace('.jpg', '-preview.jpg'));
    expect(new Uint8Array(await small.arrayBuffer())).toEqual(preview);
    expect((await fetch(url!.replace(/[0-9a-f]{32}/, '0'.repeat(32)))).status).toBe(404);
    await first.setProfilePicture(preview);
    expect((await fetch(url!)).status).toBe(404);
  });

  it('a push name from one session reaches the other as contact-update and me.pushname', async () => {
    sandbox = await startSandbox();
    const first = await session(sandbox);
    const second = await session(sandbox);
    const renamed = second.waitFor('contact-update', { filter: (update) => update.jid === ME && update.notify !== undefined });
    await first.setPushName('Over WS');
    expect(await renamed).toEqual({ jid: ME, notify: 'Over WS' });
    expect(second.me?.pushname).toBe('Over WS');
  });
});

describe('a sandbox restart with a state file', () => {
  it('keeps the push name, about text, picture and block list', async () => {
    const statePath = join(dir, 'state.json');
    const auth = new MemoryAuthStore();
    sandbox = await startSandbox({ statePath });
    const client = await session(sandbox, auth);
    await client.setPushName('Kept');
    await client.setStatus('Still here');
    const set = await client.setProfilePicture(jpeg);
    await client.block(DAVE);
    await client.close();
    clients.splice(0);
    await sandbox.close();

    sandbox = await startSandbox({ statePath });
    const restored = new WAClient({ url: sandbox.url, auth });
    clients.push(restored);
    const blocklist = restored.waitFor('blocklist');
    await restored.connect();
    expect(restored.me).toMatchObject({ via: 'restore', pushname: 'Kept' });
    expect((await blocklist).blocklist).toEqual([DAVE]);
    expect(await restored.status(ME)).toBe('Still here');
    const url = await restored.profilePicture(ME);
    expect(new URL(url!).pathname).toBe(new URL(set.url).pathname);
    expect(new Uint8Array(await (await fetch(url!)).arrayBuffer())).toEqual(jpeg);
  });
});
