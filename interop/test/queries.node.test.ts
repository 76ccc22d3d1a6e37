/**
 * Baileys 3.5.3's profile, status, existence and group queries against the sandbox.
 */
import { BaileysError } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, BOB_WA, cleanUp, GROUP, loggedIn, ME_WA, newClient, startWorld } from './harness.ts';

afterEach(cleanUp);

/** The number part of a jid, whichever server suffix it carries. */
const numberOf = (jid: string): string => jid.split('@')[0]!;

async function session() {
  const world = await startWorld();
  const conn = newClient(world);
  await loggedIn(world, conn);
  return { world, conn };
}

describe('profile picture', () => {
  it('answers the picture URL of a contact that has one and 404 otherwise', async () => {
    const { conn } = await session();
    expect(await conn.getProfilePicture(ALICE_WA)).toBe('https://pps.whatsapp.net/v/sandbox/alice.jpg');
    const error = await conn.getProfilePicture(BOB_WA).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(BaileysError);
    expect((error as BaileysError).status).toBe(404);
  });
});

describe('status (about)', () => {
  it('answers the about text of a contact and of oneself', async () => {
    const { world, conn } = await session();
    expect(await conn.getStatus(ALICE_WA)).toEqual(expect.objectContaining({ status: 'Hiking somewhere ⛰' }));
    expect(await conn.getStatus()).toEqual(expect.objectContaining({ status: 'Testing things offline' }));
    world.running.contact(ALICE).setStatus('Back home');
    expect((await conn.getStatus(ALICE_WA)).status).toBe('Back home');
  });
});

describe('isOnWhatsApp', () => {
  it('knows the numbers of the world and no others', async () => {
    const { conn } = await session();
    expect(await conn.isOnWhatsApp('15550100002@c.us')).toEqual(expect.objectContaining({ exists: true, jid: ALICE_WA }));
    expect(await conn.isOnWhatsApp(ALICE_WA)).toEqual(expect.objectContaining({ exists: true, jid: ALICE_WA }));
    expect(await conn.isOnWhatsApp('15550109999@c.us')).toBeUndefined();
  });
});

describe('group metadata', () => {
  it('JSON GroupMetadata: subject, owner, creation, description and admins', async () => {
    const { conn } = await session();
    const metadata = await conn.groupMetadata(GROUP);
    expect(metadata).toEqual(
      expect.objectContaining({ id: GROUP, subject: 'Weekend Trip', creation: 1600000000, desc: 'Planning the trip to the lake' }),
    );
    expect(numberOf(metadata.owner)).toBe('15550100001');
    const participants = metadata.participants.map((p) => ({ number: numberOf(p.jid ?? (p as { id?: string }).id ?? ''), admin: p.isAdmin, superAdmin: p.isSuperAdmin }));
    expect(participants).toEqual(
      expect.arrayContaining([
        { number: '15550100001', admin: true, superAdmin: true },
        { number: '15550100002', admin: true, superAdmin: false },
        { number: '15550100003', admin: false, superAdmin: false },
        { number: '15550100004', admin: false, superAdmin: false },
      ]),
    );
    expect(participants).toHaveLength(4);
    // Cached on the chat afterwards, as Baileys does.
    expect(conn.chats.get(GROUP)!.metadata).toBe(metadata);
  });

  it('binary ["query",{"type":"group"}] (groupMetadataMinimal): creator, creation, description, participants', async () => {
    const { conn } = await session();
    const minimal = await conn.groupMetadataMinimal(GROUP);
    expect(minimal.id).toBe(GROUP);
    expect(minimal.owner).toBe(ME_WA);
    expect(minimal.creation).toBe(1600000000);
    expect(minimal.desc).toBe('Planning the trip to the lake');
    const participants = minimal.participants.map((p) => [numberOf(p.jid), p.isAdmin] as const);
    expect(participants).toEqual(
      expect.arrayContaining([
        ['15550100002', true],
        ['15550100003', false],
        ['15550100004', false],
      ]),
    );
    expect(participants).toHaveLength(4);
  });

  it('unknown group: 404', async () => {
    const { conn } = await session();
    const error = await conn.groupMetadata('15550100001-1700000000@g.us').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(BaileysError);
    expect((error as BaileysError).status).toBe(404);
  });
});
