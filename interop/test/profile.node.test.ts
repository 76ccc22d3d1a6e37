/**
 * Baileys 3.5.3's profile and block-list calls (lib/WAConnection/5.User.js) and its handlers of
 * the profile pushes (4.Events.js) against the sandbox: FINDINGS F8's profile and block rows.
 */
import { createRequire } from 'node:module';
import { BaileysError } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, cleanUp, GROUP, loggedIn, ME, ME_WA, newClient, nextEvent, startWorld } from './harness.ts';

afterEach(cleanUp);

/** Baileys' own image library (it crops and scales pictures with it), found from Baileys. */
const requireFromBaileys = createRequire(createRequire(import.meta.url).resolve('@adiwajshing/baileys'));
const Jimp = requireFromBaileys('jimp') as {
  new (width: number, height: number, color: number): { getBufferAsync(mime: string): Promise<Buffer> };
  MIME_JPEG: string;
};

async function session() {
  const world = await startWorld();
  const conn = newClient(world);
  await loggedIn(world, conn);
  return { world, conn };
}

describe('status (about) and push name', () => {
  it('setStatus changes the about text', async () => {
    const { conn } = await session();
    expect((await conn.setStatus('On the lake')).status).toBe(200);
    expect((await conn.getStatus()).status).toBe('On the lake');
  });

  it('updateProfileName answers the new push name', async () => {
    const { world, conn } = await session();
    const response = await conn.updateProfileName('Sandy S.');
    expect(response).toEqual(expect.objectContaining({ status: 200, pushname: 'Sandy S.' }));
    expect(conn.user.name).toBe('Sandy S.');
    expect(world.running.world.user(ME)!.name).toBe('Sandy S.');
  });

  it("a contact's new about text arrives as ['Status',{id,status}] (contact-update with status)", async () => {
    const { world, conn } = await session();
    const update = nextEvent<{ jid: string; status?: string }>(conn, 'contact-update', (u) => u.status !== undefined);
    world.running.contact(ALICE).setStatus('Back from the lake');
    expect(await update).toEqual({ jid: ALICE_WA, status: 'Back from the lake' });
  });

  it("a contact's new push name arrives as a user push: Baileys replaces the contact", async () => {
    const { world, conn } = await session();
    const update = nextEvent<{ jid: string; notify?: string }>(conn, 'contact-update', (u) => u.notify !== undefined);
    world.running.contact(ALICE).setName('Alice W.');
    expect(await update).toEqual(expect.objectContaining({ jid: ALICE_WA, notify: 'Alice W.', name: 'Alice' }));
    expect(conn.contacts[ALICE_WA]).toEqual(expect.objectContaining({ notify: 'Alice W.' }));
  });

  it("the phone's new push name arrives as ['Conn',{pushname}]: Baileys renames its user", async () => {
    const { world, conn } = await session();
    const update = nextEvent<{ jid: string; name?: string }>(conn, 'contact-update', (u) => u.name === 'From the phone');
    world.running.phone.setPushName('From the phone');
    expect(await update).toEqual({ jid: ME_WA, name: 'From the phone' });
    expect(conn.user.name).toBe('From the phone');
  });
});

describe('profile picture', () => {
  it('updateProfilePicture answers the eurl that getProfilePicture answers later; the JPEG is served there', async () => {
    const { world, conn } = await session();
    const picture = await new Jimp(64, 48, 0x3366ccff).getBufferAsync(Jimp.MIME_JPEG);
    const response = (await conn.updateProfilePicture(ME_WA, picture)) as unknown as { status: number; eurl: string; tag: string };
    expect(response).toEqual({ status: 200, eurl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/pp\/[0-9a-f]{32}\.jpg$/), tag: expect.stringMatching(/^\d+$/) });
    expect(conn.user.imgUrl).toBe(response.eurl);
    expect(await conn.getProfilePicture(ME_WA)).toBe(response.eurl);
    const served = Buffer.from(await (await fetch(response.eurl)).arrayBuffer());
    // Baileys crops to a square and sends 640 px and 96 px JPEGs (Utils.generateProfilePicture).
    expect(served.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(world.running.world.user(ME)!.picture!.image).toBe(served.toString('base64'));
  });

  it('a group picture: 200, and getProfilePicture(gid) answers its eurl; another account\'s picture is refused with 401', async () => {
    const { conn } = await session();
    const picture = await new Jimp(16, 16, 0x00ff00ff).getBufferAsync(Jimp.MIME_JPEG);
    const response = (await conn.updateProfilePicture(GROUP, picture)) as unknown as { status: number; eurl: string };
    expect(response.status).toBe(200);
    expect(await conn.getProfilePicture(GROUP)).toBe(response.eurl);
    const error = await conn.updateProfilePicture(ALICE_WA, picture).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(BaileysError);
    expect((error as BaileysError).status).toBe(401);
  });

  it("a contact's new picture arrives as ['Cmd',{type:'picture',jid}]: Baileys asks for it and updates the contact", async () => {
    const { world, conn } = await session();
    const update = nextEvent<{ jid: string; imgUrl?: string }>(conn, 'contact-update', (u) => u.imgUrl !== undefined);
    const set = world.running.contact(ALICE).setPicture(await new Jimp(8, 8, 0xff0000ff).getBufferAsync(Jimp.MIME_JPEG));
    expect(await update).toEqual({ jid: ALICE_WA, imgUrl: set.eurl });
  });
});

describe('block list', () => {
  it('blockUser pushes the block list', async () => {
    const { conn } = await session();
    const update = nextEvent<{ added: string[]; removed: string[] }>(conn, 'blocklist-update', (u) => u.added.length > 0);
    expect((await conn.blockUser('15550100005@c.us', 'add')).status).toBe(200);
    expect((await update).added).toEqual(['15550100005@c.us']);
    expect(conn.blocklist).toEqual(['15550100005@c.us']);
  });

  it('unblocking empties it; a later login gets the list in a Blocklist push', async () => {
    const { world, conn } = await session();
    await conn.blockUser('15550100005@c.us', 'add');
    const removed = nextEvent<{ added: string[]; removed: string[] }>(conn, 'blocklist-update', (u) => u.removed.length > 0);
    expect((await conn.blockUser('15550100005@c.us', 'remove')).status).toBe(200);
    expect((await removed).removed).toEqual(['15550100005@c.us']);
    world.running.phone.block('15550100004@c.us');
    const later = newClient(world, { auth: conn.base64EncodedAuthInfo() });
    conn.close();
    const pushed = nextEvent<{ added: string[] }>(later, 'blocklist-update', (u) => u.added.length > 0);
    await later.connect();
    expect((await pushed).added).toEqual(['15550100004@c.us']);
    expect(later.blocklist).toEqual(['15550100004@c.us']);
  });
});
