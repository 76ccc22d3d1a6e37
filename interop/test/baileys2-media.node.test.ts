/**
 * Media with Baileys 2.3.1: downloading what a contact sent, uploading an image.
 *
 * Baileys 2.3.1 uploads to `https://<mediaConn host>/mms/…` and downloads `message.url`, both with
 * node-fetch and no agent, i.e. through `https.globalAgent`, which baileys2-harness.ts lets trust
 * the sandbox certificate while a test runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MessageType, Mimetype, type WAMessage } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, ALICE_WA, cleanUpV2, login, ME, newV2Client, sandboxEvent, startWorld, waitUntil, within } from './baileys2-harness.ts';

afterEach(cleanUpV2);

/** A few KB that stand in for a JPEG (the sandbox stores blobs, it does not decode images). */
function pictureBytes(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(6000), Buffer.from([0xff, 0xd9])]);
}

/** base64url → base64, the form protobufjs accepts for a bytes field given as a string. */
function standardBase64(value: string): string {
  const plain = value.replace(/-/g, '+').replace(/_/g, '/');
  return plain + '='.repeat((4 - (plain.length % 4)) % 4);
}

describe('image download', () => {
  it('downloads and decrypts an image a contact sent', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    const incoming: WAMessage[] = [];
    v2.client.setOnUnreadMessage(false, (message: WAMessage) => incoming.push(message));
    await login(v2);
    const bytes = pictureBytes();
    world.running.contact(ALICE).sendImage(bytes, { caption: 'the lake', mimetype: 'image/jpeg' });
    await waitUntil(() => incoming.some((m) => m.message?.imageMessage), 'the image message');
    const message = incoming.find((m) => m.message?.imageMessage)!;

    expect(message.key.remoteJid).toBe(ALICE_WA);
    const image = message.message!.imageMessage!;
    expect(image.caption).toBe('the lake');
    expect(image.mimetype).toBe('image/jpeg');
    expect(Number(image.fileLength)).toBe(bytes.length);
    const downloaded = await within(v2.client.downloadMediaMessage(message), 5_000, 'download');
    expect(Buffer.compare(downloaded, bytes)).toBe(0);
    expect(createHash('sha256').update(downloaded).digest().equals(Buffer.from(image.fileSha256!))).toBe(true);
  });
});

describe('image upload', () => {
  it('uploads over https, relays the imageMessage, and the blob downloads again', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    await login(v2);
    const bytes = pictureBytes();
    // Difference B-D4: Baileys 2.3.1 puts the mediaConn `auth` into the upload URL without
    // encoding it (lib/WAClient/Messages.js:275-279), so an auth holding '+' arrives as a space and
    // is refused. Each attempt asks for a new auth; the test retries, and only for that refusal.
    let content: Awaited<ReturnType<typeof v2.client.prepareMediaMessage>> | undefined;
    const refusals: string[] = [];
    while (!content && refusals.length < 20) {
      // `thumbnail` given: Baileys would otherwise run jimp on the bytes to make one.
      const options = { mimetype: Mimetype.jpeg, caption: 'from Baileys 2', thumbnail: Buffer.from('thumb').toString('base64') };
      content = await within(v2.client.prepareMediaMessage(bytes, MessageType.image, options), 5_000, 'upload').catch((error: unknown) => {
        refusals.push((error as Error).message);
        return undefined;
      });
    }
    expect(refusals.filter((message) => message !== 'Upload failed got: {"error":"FORBIDDEN","message":"unknown or expired media auth"}')).toEqual([]);
    expect(content).toBeDefined();
    const image = content!.imageMessage!;
    // The upload answer's URL, kept verbatim: a download URL on the sandbox's port.
    expect(image.url).toMatch(new RegExp(`^https?://127\\.0\\.0\\.1:${world.running.port}/d/f/[0-9a-f]+\\.enc$`));
    // Difference B-D3: Baileys 2.3.1 stores fileEncSha256 as base64url (lib/WAClient/Messages.js:267-271),
    // which protobufjs refuses ("invalid encoding") whenever it holds '-' or '_'; the test hands it
    // the same hash in standard base64.
    const encSha256 = image.fileEncSha256 as unknown as string;
    expect(encSha256).toMatch(/^[A-Za-z0-9_-]{43}$/);
    (image as { fileEncSha256: unknown }).fileEncSha256 = standardBase64(encSha256);

    const relayed = sandboxEvent(world.running, 'web-message', (event) => event.chat === ALICE);
    const sent = await within(v2.client.sendMessageContent(ALICE_WA, content!, {}), 5_000, 'send');
    expect(sent.status).toBe(200);
    expect(await relayed).toEqual(expect.objectContaining({ id: sent.messageID, wid: ME }));
    const blob = world.running.sandbox.media.download(image.url!);
    expect(blob).toBeDefined();
    expect(createHash('sha256').update(blob!).digest().toString('base64')).toBe(standardBase64(encSha256));

    const again = await within(v2.client.downloadMediaMessage(sent.message), 5_000, 'download');
    expect(Buffer.compare(again, bytes)).toBe(0);
  });
});
