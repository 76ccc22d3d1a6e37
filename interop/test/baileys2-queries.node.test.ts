/**
 * Baileys 2.3.1's profile, status, existence and group queries against the sandbox.
 */
import { BaileysError } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, BOB_WA, cleanUpV2, GROUP, login, ME, newV2Client, startWorld, within } from './baileys2-harness.ts';

afterEach(cleanUpV2);

/** The number part of a jid, whichever server suffix it carries. */
const numberOf = (jid: string): string => jid.split('@')[0]!;

async function session() {
  const world = await startWorld();
  const v2 = newV2Client(world);
  await login(v2);
  return { world, client: v2.client };
}

/** What a refused query rejects with; Baileys 2.3.1 keeps the status only in the message (lib/WAConnection/Base.js:229-234). */
async function refusal(promise: Promise<unknown>): Promise<BaileysError> {
  const error = await within(promise, 5_000, 'query').catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(BaileysError);
  return error as BaileysError;
}

describe('profile picture', () => {
  it('answers the picture URL of a contact that has one and 404 otherwise', async () => {
    const { client } = await session();
    expect(await within(client.getProfilePicture(ALICE_WA), 5_000, 'picture')).toBe('https://pps.whatsapp.net/v/sandbox/alice.jpg');
    expect((await refusal(client.getProfilePicture(BOB_WA))).message).toBe('Unexpected status code: 404');
  });
});

describe('status (about)', () => {
  it('answers the about text of a contact and of oneself', async () => {
    const { world, client } = await session();
    expect(await within(client.getStatus(ALICE_WA), 5_000, 'status')).toEqual(expect.objectContaining({ status: 'Hiking somewhere ⛰' }));
    expect(await within(client.getStatus(), 5_000, 'own status')).toEqual(expect.objectContaining({ status: 'Testing things offline' }));
    world.running.contact(ALICE).setStatus('Back home');
    expect(await within(client.getStatus(ALICE_WA), 5_000, 'status')).toEqual(expect.objectContaining({ status: 'Back home' }));
  });
});

describe('isOnWhatsApp', () => {
  it('knows the numbers of the world and no others', async () => {
    const { client } = await session();
    expect(await within(client.isOnWhatsApp(ALICE_WA), 5_000, 'exist')).toBe(true);
    expect(await within(client.isOnWhatsApp(ALICE), 5_000, 'exist')).toBe(true);
    expect(await within(client.isOnWhatsApp(ME), 5_000, 'exist')).toBe(true);
    expect(await within(client.isOnWhatsApp('15550109999@s.whatsapp.net'), 5_000, 'exist')).toBe(false);
  });
});

describe('group metadata', () => {
  it('JSON GroupMetadata: subject, owner, creation, description and admins', async () => {
    const { client } = await session();
    const metadata = await within(client.groupMetadata(GROUP), 5_000, 'GroupMetadata');
    expect(metadata).toEqual(expect.objectContaining({ id: GROUP, subject: 'Weekend Trip', creation: 1600000000, desc: 'Planning the trip to the lake' }));
    expect(numberOf(metadata.owner)).toBe('15550100001');
    const participants = metadata.participants.map((p) => ({ number: numberOf(p.id), admin: p.isAdmin, superAdmin: p.isSuperAdmin }));
    expect(participants).toEqual(
      expect.arrayContaining([
        { number: '15550100001', admin: true, superAdmin: true },
        { number: '15550100002', admin: true, superAdmin: false },
        { number: '15550100003', admin: false, superAdmin: false },
        { number: '15550100004', admin: false, superAdmin: false },
      ]),
    );
    expect(participants).toHaveLength(4);
  });

  it('binary ["query",{"type":"group"}] (groupMetadataMinimal): creator, creation, description, participants', async () => {
    const { client } = await session();
    const minimal = await within(client.groupMetadataMinimal(GROUP), 5_000, 'group query');
    expect(minimal.id).toBe(GROUP);
    // Node attributes come out of Baileys 2.3.1's decoder as c.us (lib/Binary/Decoder.js:114-115).
    expect(minimal.owner).toBe(ME);
    expect(minimal.creation).toBe(1600000000);
    expect(minimal.desc).toBe('Planning the trip to the lake');
    const participants = minimal.participants.map((p) => [numberOf(p.id), p.isAdmin] as const);
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
    const { client } = await session();
    expect((await refusal(client.groupMetadata('15550100001-1700000000@g.us'))).message).toBe('Unexpected status code: 404');
  });
});
