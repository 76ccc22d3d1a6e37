import { decryptMedia } from '@wa/crypto';
import { startSandbox, type RunningSandbox } from '@wa/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaError, mediaInfo, WAClient, type WAClientOptions } from '../src/index.ts';

const ALICE = '15550100002@c.us';
let sandbox: RunningSandbox;
let client: WAClient;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await client?.close();
  await sandbox.close();
});

async function open(options: WAClientOptions = {}): Promise<WAClient> {
  client = new WAClient({ url: sandbox.url, requestTimeoutMs: 5_000, ...options });
  client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  await client.connect();
  return client;
}

function file(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 31 + (index >> 8)) & 0xff);
}

describe('media over real HTTP (startSandbox on 127.0.0.1)', () => {
  it('an image goes up with the global fetch, is relayed and acked, and the stored copy decrypts', async () => {
    await open();
    const jpeg = file(70_000);
    const sent = await client.sendMedia(ALICE, jpeg, { type: 'image', mimetype: 'image/jpeg', caption: 'over http' });
    await client.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id && receipt.ack === 3 });
    const stored = (await client.loadMessages(ALICE, { count: 1 })).messages[0]!.info;
    const image = stored.message!.imageMessage!;
    expect(stored.key.id).toBe(sent.id);
    expect(image.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/d\/f\/[0-9a-f]+\.enc$/);
    // Fetched by the test itself, independently of the client's download path.
    const response = await fetch(image.url!);
    expect(response.status).toBe(200);
    const blob = new Uint8Array(await response.arrayBuffer());
    expect(decryptMedia(blob, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! })).toEqual(jpeg);
    expect(await client.downloadMedia(stored)).toEqual(jpeg);
  });

  it("a contact's document downloads over HTTP; a vanished blob is DOWNLOAD_FAILED 404", async () => {
    await open();
    const bytes = file(5_000);
    const incoming = client.waitFor('message', { filter: (event) => event.source === 'relay' });
    sandbox.contact(ALICE).sendDocument(bytes, { fileName: 'report.bin' });
    const event = await incoming;
    expect(mediaInfo(event)).toMatchObject({ type: 'document', fileName: 'report.bin', fileLength: 5_000 });
    expect(await client.downloadMedia(event)).toEqual(bytes);
    const document = event.info.message!.documentMessage!;
    const missing = { documentMessage: { ...document, url: document.url!.replace(/[0-9a-f]+\.enc$/, '0000.enc') } };
    await expect(client.downloadMedia(missing)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', status: 404 });
  });

  it('an injected fetch that flips a byte gives INTEGRITY; one that answers 403 gives UPLOAD_FAILED', async () => {
    let flip = false;
    let refuse = false;
    await open({
      fetch: async (input, init) => {
        if (refuse && init?.method === 'POST') return new Response('{"error":"FORBIDDEN"}', { status: 403 });
        const response = await fetch(input, init);
        if (!flip || init?.method === 'POST') return response;
        const blob = new Uint8Array(await response.arrayBuffer());
        blob[blob.length - 1]! ^= 0xff;
        return new Response(blob, { status: 200 });
      },
    });
    const sent = await client.sendMedia(ALICE, file(100), { type: 'video', mimetype: 'video/mp4', seconds: 1 });
    flip = true;
    const tampered = await client.downloadMedia(sent.info).catch((caught: unknown) => caught);
    expect(tampered).toBeInstanceOf(MediaError);
    expect(tampered).toMatchObject({ code: 'INTEGRITY' });
    refuse = true;
    await expect(client.sendMedia(ALICE, file(100), { type: 'image', mimetype: 'image/jpeg' })).rejects.toMatchObject({ code: 'UPLOAD_FAILED', status: 403 });
  });
});
