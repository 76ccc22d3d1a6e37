import { decryptMedia, MediaIntegrityError, sha256 } from '@wa/crypto';
import type { Sandbox } from '@wa/sandbox/core';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, MediaError, mediaInfo, mediaToken, type MessageEvent, type WAClient } from '../src/index.ts';
import { ALICE, collect, DAVE, loggedIn, newSandbox } from './support/harness.ts';
import { sandboxFetch, type FetchCall } from './support/media-fetch.ts';

let sandbox: Sandbox;
let client: WAClient;
afterEach(async () => {
  await client?.close();
  sandbox?.close();
});

/** A file whose bytes all differ from their neighbours, so a flipped or shifted byte shows. */
function file(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  bytes.set([0xff, 0xd8, 0xff, 0xe0]); // a JPEG's first bytes, for show
  return bytes;
}

async function open(override?: (call: FetchCall) => Response | undefined): Promise<FetchCall[]> {
  sandbox = newSandbox();
  const calls: FetchCall[] = [];
  ({ client } = await loggedIn(sandbox, { fetch: sandboxFetch(sandbox, calls, override) }));
  return calls;
}

const isNew = (event: MessageEvent): boolean => event.source === 'relay';

describe('sendMedia', () => {
  it('uploads the encrypted blob, relays an imageMessage, and gets acks and receipts like a text', async () => {
    const calls = await open();
    const jpeg = file(5000);
    const receipts = collect(client, 'receipt');
    const sent = await client.sendMedia(ALICE, jpeg, { type: 'image', mimetype: 'image/jpeg', caption: 'Summit!', width: 640, height: 480 });
    expect(sent).toMatchObject({ chat: ALICE, status: 'SERVER_ACK' });
    expect(sent.id).toMatchObject(/^3EB0[0-9A-F]{16}$/);

    // The upload: one POST to the announced host, the token being base64url(SHA-256(body)).
    expect(calls).toHaveLength(1);
    const post = calls[0]!;
    const token = mediaToken(sha256(post.body!));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(post.method).toBe('POST');
    expect(post.url).toMatch(new RegExp(`^http://media\\.sandbox\\.invalid/mms/image/${token}\\?auth=[^&]+&token=${token}$`));
    // The blob is ciphertext plus a 10-byte MAC, never the file.
    expect(post.body!.length).toBe(Math.ceil((jpeg.length + 1) / 16) * 16 + 10);

    await client.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id && receipt.ack === 3 });
    expect(receipts.filter((receipt) => receipt.id === sent.id).map((receipt) => receipt.ack)).toEqual([2, 3]);

    // The copy the server keeps references the uploaded blob, which decrypts to the file.
    const stored = (await client.loadMessages(ALICE, { count: 1 })).messages[0]!.info;
    const image = stored.message!.imageMessage!;
    expect(stored.key.id).toBe(sent.id);
    expect(image).toMatchObject({ mimetype: 'image/jpeg', caption: 'Summit!', fileLength: '5000', width: 640, height: 480 });
    expect(image.url!.endsWith(image.directPath!)).toBe(true);
    const blob = sandbox.media.download(image.url!)!;
    expect(blob).toEqual(post.body);
    expect(decryptMedia(blob, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! })).toEqual(jpeg);
    expect(await client.downloadMedia(stored)).toEqual(jpeg);
    expect(mediaInfo(stored)).toEqual({ type: 'image', mimetype: 'image/jpeg', caption: 'Summit!', fileLength: 5000, width: 640, height: 480 });
    expect(client.messages(ALICE).at(-1)).toMatchObject({ key: { id: sent.id }, status: 'READ' });
  });

  it('sends documents with a file name and voice notes with ptt; one mediaConn serves both', async () => {
    const calls = await open();
    const pdf = file(1234, 3);
    const ogg = file(777, 4);
    const document = await client.sendMedia(DAVE, pdf, { type: 'document', mimetype: 'application/pdf', fileName: 'plan.pdf' });
    const voice = await client.sendMedia(DAVE, ogg, { type: 'audio', mimetype: 'audio/ogg; codecs=opus', seconds: 3, ptt: true });
    expect(document.info.message?.documentMessage).toMatchObject({ fileName: 'plan.pdf', title: 'plan.pdf', mimetype: 'application/pdf', fileLength: '1234' });
    expect(voice.info.message?.audioMessage).toMatchObject({ seconds: 3, ptt: true, fileLength: '777' });
    // sandbox.media.conn() draws a fresh auth per query: the same auth twice means it was cached.
    const auths = calls.map((call) => new URL(call.url).searchParams.get('auth'));
    expect(auths).toHaveLength(2);
    expect(auths[0]).toBe(auths[1]);
    expect(await client.downloadMedia(document.info)).toEqual(pdf);
    expect(await client.downloadMedia(voice.info.message!)).toEqual(ogg);
  });

  it('a refused upload is MediaError UPLOAD_FAILED with the status, and nothing is relayed', async () => {
    await open((call) => (call.method === 'POST' ? new Response('{"error":"FORBIDDEN"}', { status: 403 }) : undefined));
    const relayed: string[] = [];
    sandbox.on('web-message', (event) => relayed.push(event.id));
    const error = await client.sendMedia(ALICE, file(100), { type: 'image', mimetype: 'image/jpeg' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'UPLOAD_FAILED', status: 403 });
    expect(relayed).toEqual([]);
  });

  it('a cached auth the host refuses is renewed once, then the upload goes through', async () => {
    let refuse = false;
    const calls = await open((call) => (refuse && call.method === 'POST' ? ((refuse = false), new Response('{}', { status: 403 })) : undefined));
    await client.sendMedia(ALICE, file(10), { type: 'sticker', mimetype: 'image/webp' });
    refuse = true;
    const again = await client.sendMedia(ALICE, file(20), { type: 'image', mimetype: 'image/jpeg' });
    const auths = calls.map((call) => new URL(call.url).searchParams.get('auth'));
    expect(auths).toHaveLength(3);
    expect(auths[1]).toBe(auths[0]);
    expect(auths[2]).not.toBe(auths[1]);
    expect(await client.downloadMedia(again.info)).toEqual(file(20));
  });

  it('refuses bad arguments with InvalidArgumentError before any request', async () => {
    const calls = await open();
    const before = sandbox.stats.framesIn;
    const jpeg = file(10);
    await expect(client.sendMedia('alice', jpeg, { type: 'image', mimetype: 'image/jpeg' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendMedia(ALICE, new Uint8Array(), { type: 'image', mimetype: 'image/jpeg' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendMedia(ALICE, jpeg, { type: 'gif' as 'image', mimetype: 'image/gif' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendMedia(ALICE, jpeg, { type: 'image', mimetype: 'jpeg' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendMedia(ALICE, jpeg, { type: 'audio', mimetype: 'audio/ogg', caption: 'no' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.sendMedia(ALICE, jpeg, { type: 'video', mimetype: 'video/mp4', seconds: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(calls).toEqual([]);
    expect(sandbox.stats.framesIn).toBe(before);
  });
});

describe('downloadMedia', () => {
  it("a contact's image arrives as a message and downloads to the original bytes", async () => {
    await open();
    const jpeg = file(3000, 11);
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendImage(jpeg, { caption: 'look' });
    const event = await incoming;
    expect(event).toMatchObject({ chat: ALICE, fromMe: false, text: 'look' });
    expect(mediaInfo(event)).toMatchObject({ type: 'image', caption: 'look', mimetype: 'image/jpeg', fileLength: 3000 });
    expect(await client.downloadMedia(event)).toEqual(jpeg);
  });

  it("a contact's document keeps its name and bytes", async () => {
    await open();
    const bytes = file(64, 5);
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendDocument(bytes, { fileName: 'notes.txt', mimetype: 'text/plain' });
    const event = await incoming;
    expect(mediaInfo(event)).toEqual({ type: 'document', fileName: 'notes.txt', mimetype: 'text/plain', fileLength: 64 });
    expect(await client.downloadMedia(event.info)).toEqual(bytes);
  });

  it('a blob changed in transit is MediaError INTEGRITY wrapping MediaIntegrityError', async () => {
    await open((call) => {
      if (call.method !== 'GET') return undefined;
      const blob = sandbox.media.download(call.url)!;
      blob[blob.length >> 1]! ^= 0x01;
      return new Response(blob as Uint8Array<ArrayBuffer>, { status: 200 });
    });
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendImage(file(500), { caption: 'tampered' });
    const error = await client.downloadMedia(await incoming).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'INTEGRITY' });
    expect((error as MediaError).cause).toBeInstanceOf(MediaIntegrityError);
    expect((error as MediaError).cause).toMatchObject({ check: 'fileEncSha256' });
  });

  it('a tampered blob whose message hashes were stripped still fails on the MAC', async () => {
    await open((call) => {
      if (call.method !== 'GET') return undefined;
      const blob = sandbox.media.download(call.url)!;
      blob[0]! ^= 0x80;
      return new Response(blob as Uint8Array<ArrayBuffer>, { status: 200 });
    });
    const incoming = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendImage(file(40));
    const { info } = await incoming;
    const image = { ...info.message!.imageMessage! };
    delete image.fileEncSha256;
    delete image.fileSha256;
    const error = await client.downloadMedia({ imageMessage: image }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INTEGRITY', cause: expect.objectContaining({ check: 'mac' }) });
  });

  it('NO_MEDIA for a text, DOWNLOAD_FAILED with the status for a missing blob', async () => {
    await open();
    const text = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendText('just text');
    await expect(client.downloadMedia(await text)).rejects.toMatchObject({ code: 'NO_MEDIA' });
    const image = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendImage(file(40));
    const { info } = await image;
    const gone = { imageMessage: { ...info.message!.imageMessage!, url: 'http://media.sandbox.invalid/d/f/00.enc' } };
    const error = await client.downloadMedia(gone).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED', status: 404 });
  });

  it('a message with only a direct path is fetched from the mediaConn host', async () => {
    const calls = await open();
    const image = client.waitFor('message', { filter: isNew });
    sandbox.contact(ALICE).sendImage(file(90, 9));
    const { info } = await image;
    const pathOnly = { imageMessage: { ...info.message!.imageMessage! } };
    delete pathOnly.imageMessage.url;
    expect(await client.downloadMedia(pathOnly)).toEqual(file(90, 9));
    expect(calls.at(-1)!.url).toBe(`http://media.sandbox.invalid${info.message!.imageMessage!.directPath}`);
  });
});
