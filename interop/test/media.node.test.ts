/**
 * Media with Baileys 3.5.3: downloading what a contact sent, uploading an image.
 *
 * Baileys always uploads to `https://<mediaConn host>/mms/…` (WAConnection/6.MessagesSend.js:191)
 * through `connectOptions.fetchAgent`, and downloads `message.url` with `got` and no agent at all
 * (Utils.js:467, so Node's global https agent). Uploads therefore need the sandbox's TLS side
 * (`running.tls.ca`, same port); a sandbox started without it skips the upload test.
 */
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import { Mimetype, MessageType, WA_MESSAGE_STATUS_TYPE, type WAChatUpdate, type WAMessage } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, cleanUp, loggedIn, ME, newClient, nextEvent, sandboxEvent, sandboxTls, startWorld, type World } from './harness.ts';

let restoreGlobalCa: (() => void) | undefined;

afterEach(async () => {
  restoreGlobalCa?.();
  restoreGlobalCa = undefined;
  await cleanUp();
});

/**
 * Baileys downloads with `got` and no agent, i.e. through `https.globalAgent`: let it trust the
 * sandbox's certificate for this test (Node's own agent is configured, Baileys is untouched).
 */
function trustSandboxGlobally(world: World): void {
  const tls = sandboxTls(world.running);
  if (!tls) return;
  const options = https.globalAgent.options;
  const previous = options.ca;
  options.ca = tls.ca;
  restoreGlobalCa = () => {
    options.ca = previous;
  };
}

/** A few KB that stand in for a JPEG (the sandbox stores blobs, it does not decode images). */
function pictureBytes(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(6000), Buffer.from([0xff, 0xd9])]);
}

describe('image download', () => {
  it('downloads and decrypts an image a contact sent', async () => {
    const world = await startWorld();
    trustSandboxGlobally(world);
    const conn = newClient(world);
    await loggedIn(world, conn);
    const bytes = pictureBytes();
    const arrived = nextEvent<WAChatUpdate>(conn, 'chat-update', (update) => !!update.messages?.all().some((m) => m.message?.imageMessage));
    world.running.contact(ALICE).sendImage(bytes, { caption: 'the lake', mimetype: 'image/jpeg' });
    const message = (await arrived).messages!.all().find((m) => m.message?.imageMessage) as WAMessage;

    expect(message.key.remoteJid).toBe(ALICE_WA);
    const image = message.message!.imageMessage!;
    expect(image.caption).toBe('the lake');
    expect(image.mimetype).toBe('image/jpeg');
    expect(Number(image.fileLength)).toBe(bytes.length);
    const downloaded = await conn.downloadMediaMessage(message);
    expect(Buffer.compare(downloaded, bytes)).toBe(0);
    expect(createHash('sha256').update(downloaded).digest().equals(Buffer.from(image.fileSha256!))).toBe(true);
  });
});

describe('image upload', () => {
  it('uploads over https, relays the imageMessage, and the blob downloads again', async (context) => {
    const world = await startWorld();
    const tls = sandboxTls(world.running);
    if (!tls) return context.skip('this sandbox serves no https (running.tls missing): Baileys can only upload over https');
    trustSandboxGlobally(world);
    const conn = newClient(world, { fetchAgent: new https.Agent({ ca: tls.ca }) });
    await loggedIn(world, conn);
    const bytes = pictureBytes();
    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === ALICE);
    // `thumbnail` given: Baileys would otherwise run jimp on the bytes to make one.
    const sent = await conn.sendMessage(ALICE_WA, bytes, MessageType.image, { mimetype: Mimetype.jpeg, caption: 'from Baileys', thumbnail: '' });

    expect(sent.status).toBe(WA_MESSAGE_STATUS_TYPE.SERVER_ACK);
    const image = sent.message!.imageMessage!;
    // The upload answer's URL, kept verbatim by Baileys: a download URL on the sandbox's port.
    expect(image.url).toMatch(new RegExp(`^https?://127\\.0\\.0\\.1:${world.running.port}/d/f/[0-9a-f]+\\.enc$`));
    expect(await relayed).toEqual(expect.objectContaining({ id: sent.key.id, wid: ME }));
    const blob = world.running.sandbox.media.download(image.url!);
    expect(blob).toBeDefined();
    expect(createHash('sha256').update(blob!).digest().equals(Buffer.from(image.fileEncSha256!))).toBe(true);

    const again = await conn.downloadMediaMessage(sent);
    expect(Buffer.compare(again, bytes)).toBe(0);
  });
});
