/**
 * Profile and block list over real sockets (startSandbox over ws): two sessions of one account
 * see the changes, the picture is downloaded over HTTP from the URL the server answers, and a
 * restart with a state file keeps name, about text, picture and block list.
 */
import { join } from 'node:path';
import type { RunningSandbox } from '@wa/sandbox';
import { describe, expect, it } from 'vitest';
import { MemoryAuthStore, WAClient } from '../src/index.ts';
import { useRealSandboxes } from './support/real-sandboxes.ts';

const ME = '15550100001@c.us';
const DAVE = '15550100005@c.us';
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode('a picture'), 0xff, 0xd9]);
const preview = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 0xff, 0xd9);

const real = useRealSandboxes('profile');
let sandbox: RunningSandbox;
const session = (running: RunningSandbox, auth?: MemoryAuthStore): Promise<WAClient> => real.session(running, { auth });

describe('profile over ws', () => {
  it('a picture set by one session is announced to the other and served over HTTP at its URL', async () => {
    sandbox = await real.start();
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
    sandbox = await real.start();
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
    const statePath = join(real.dir, 'state.json');
    const auth = new MemoryAuthStore();
    sandbox = await real.start({ statePath });
    const client = await session(sandbox, auth);
    await client.setPushName('Kept');
    await client.setStatus('Still here');
    const set = await client.setProfilePicture(jpeg);
    await client.block(DAVE);
    await client.close();
    await sandbox.close();

    sandbox = await real.start({ statePath });
    const restored = real.track(new WAClient({ url: sandbox.url, auth }));
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
