import { decryptMedia, encryptMedia, sha256, utf8Encode } from '@wa/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { mediaToken } from '../src/media.ts';
import { Sandbox } from '../src/sandbox.ts';
import { defaultWorld } from '../src/world/default-world.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { base64Url, messagesOf, type MiniClient } from './support/mini-client.ts';

const me = '15550100001@c.us';
const alice = '15550100002@c.us';

/** A small fake JPEG: the SOI marker, then bytes that are not a multiple of the block size. */
function picture(size = 1000): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 37 + 11) & 0xff;
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
}

let clock: ManualClock;
let sandbox: Sandbox;
let client: MiniClient;

beforeEach(async () => {
  clock = new ManualClock(1_700_000_000_000);
  sandbox = new Sandbox({ clock, media: { maxBlobBytes: 64 * 1024, maxTotalBytes: 200 * 1024 } });
  sandbox.contact(alice).configure({ deliverAfterMs: 5, readAfterMs: 5 });
  client = await loggedInClient(sandbox);
});

afterEach(() => sandbox.close());

describe('["query","mediaConn"]', () => {
  it('answers status 200 with media_conn { auth, ttl, hosts[{hostname, scheme}] }, a fresh auth each time', async () => {
    const first = await client.mediaConn();
    expect(first).toEqual({
      status: 200,
      media_conn: { auth: expect.any(String), ttl: 300, hosts: [{ hostname: 'media.sandbox.invalid', scheme: 'http' }] },
    });
    expect(first.media_conn.auth.length).toBeGreaterThanOrEqual(32);
    // URL-safe: it goes into upload URLs, which not every client encodes.
    expect(first.media_conn.auth).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await client.mediaConn();
    expect(second.media_conn.auth).not.toBe(first.media_conn.auth);
  });

  it('is refused with 401 before login', async () => {
    const stranger = memoryClient(sandbox);
    expect(await stranger.request(['query', 'mediaConn'])).toEqual({ status: 401 });
  });
});

describe('uploads and downloads (core API)', () => {
  it('upload → url → download → decryptMedia gives back the original file', async () => {
    const file = picture(5000);
    const media = encryptMedia(file, 'image');
    const { auth } = (await client.mediaConn()).media_conn;
    const token = base64Url(media.fileEncSha256);
    expect(mediaToken(media.fileEncSha256)).toBe(token);
    const answer = sandbox.media.upload({ path: `/mms/image/${token}`, auth, token, body: media.blob });
    expect(answer.status).toBe(200);
    const { url, direct_path: directPath } = answer.body as { url: string; direct_path: string };
    expect(directPath).toMatch(/^\/d\/f\/[0-9a-f]{32}\.enc$/);
    expect(url).toBe(`http://media.sandbox.invalid${directPath}`);
    const blob = sandbox.media.download(url)!;
    expect(blob).toEqual(media.blob);
    expect(sandbox.media.download(directPath)).toEqual(media.blob);
    const plain = decryptMedia(blob, media.mediaKey, 'image', { fileSha256: media.fileSha256, fileEncSha256: media.fileEncSha256, fileLength: file.length });
    expect(plain).toEqual(file);
  });

  it('refuses missing (401), unknown or expired (403) auth, bad hashes (400), big blobs (413), bad paths (404)', async () => {
    const media = encryptMedia(picture(), 'document');
    const token = base64Url(media.fileEncSha256);
    const path = `/mms/document/${token}`;
    const { auth } = (await client.mediaConn()).media_conn;
    const status = (request: Partial<Parameters<Sandbox['media']['upload']>[0]>): number =>
      sandbox.media.upload({ path, auth, token, body: media.blob, ...request }).status;
    expect(status({ auth: undefined })).toBe(401);
    expect(status({ auth: '' })).toBe(401);
    expect(status({ auth: 'not-an-issued-auth' })).toBe(403);
    const tampered = media.blob.slice();
    tampered[3]! ^= 1;
    expect(sandbox.media.upload({ path, auth, token, body: tampered })).toEqual({ status: 400, body: expect.objectContaining({ error: 'HASH_MISMATCH' }) });
    expect(status({ token: base64Url(sha256(utf8Encode('other'))) })).toBe(400);
    expect(status({ path: `/mms/pictures/${token}` })).toBe(404);
    expect(status({ path: '/mms/image' })).toBe(404);
    const big = encryptMedia(picture(64 * 1024), 'document');
    const bigToken = base64Url(big.fileEncSha256);
    expect(sandbox.media.upload({ path: `/mms/document/${bigToken}`, auth, token: bigToken, body: big.blob })).toEqual({
      status: 413,
      body: expect.objectContaining({ error: 'TOO_LARGE' }),
    });
    expect(sandbox.media.usage).toEqual({ blobs: 0, bytes: 0 });
    expect(status({})).toBe(200);
    // The auth lives for ttl (300 s) of sandbox time.
    clock.advance(300_000);
    expect(status({})).toBe(403);
    expect(sandbox.media.usage.blobs).toBe(1);
  });

  it('keeps at most maxTotalBytes, evicting the oldest blob', () => {
    const paths = [0, 1, 2, 3].map(() => sandbox.media.put(new Uint8Array(60 * 1024)).directPath);
    expect(sandbox.media.usage).toEqual({ blobs: 3, bytes: 180 * 1024 });
    expect(sandbox.media.download(paths[0]!)).toBeUndefined();
    expect(sandbox.media.download(paths[3]!)?.length).toBe(60 * 1024);
    expect(sandbox.media.download('/d/f/00.enc')).toBeUndefined();
    expect(() => sandbox.media.put(new Uint8Array(65 * 1024))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('media messages', () => {
  it("a contact's image arrives as an imageMessage whose blob downloads and decrypts", async () => {
    const file = picture(3000);
    const sent = sandbox.contact(alice).sendImage(file, { caption: 'the view from here' });
    const { node } = await client.waitForNode((n) => n[0] === 'action' && n[1]?.add === 'relay');
    const [info] = messagesOf(node);
    expect(info!.key).toMatchObject({ remoteJid: '15550100002@s.whatsapp.net', fromMe: false, id: sent.id });
    const image = info!.message!.imageMessage!;
    expect(image).toMatchObject({ caption: 'the view from here', mimetype: 'image/jpeg', fileLength: '3000' });
    expect(image.fileSha256).toEqual(sha256(file));
    expect(image.mediaKey).toHaveLength(32);
    const blob = sandbox.media.download(image.url!)!;
    expect(sha256(blob)).toEqual(image.fileEncSha256);
    expect(image.url!.endsWith(image.directPath!)).toBe(true);
    const plain = decryptMedia(blob, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! });
    expect(plain).toEqual(file);
    // History replays it too.
    const history = await client.query(['query', { type: 'message', jid: alice, kind: 'before', count: '5', epoch: '3' }, null], 7);
    const replayed = messagesOf((history as { node: Parameters<typeof messagesOf>[0] }).node).at(-1)!;
    expect(replayed.message?.imageMessage?.fileEncSha256).toEqual(image.fileEncSha256);
  });

  it("a contact's document carries fileName and mimetype and decrypts with the document keys", async () => {
    const file = utf8Encode('%PDF-1.4 a tiny pretend document\n');
    sandbox.contact(alice).sendDocument(file, { fileName: 'plan.pdf', mimetype: 'application/pdf' });
    const { node } = await client.waitForNode((n) => n[1]?.add === 'relay');
    const doc = messagesOf(node)[0]!.message!.documentMessage!;
    expect(doc).toMatchObject({ fileName: 'plan.pdf', title: 'plan.pdf', mimetype: 'application/pdf', fileLength: String(file.length) });
    const blob = sandbox.media.download(doc.directPath!)!;
    expect(() => decryptMedia(blob, doc.mediaKey!, 'image')).toThrow();
    expect(decryptMedia(blob, doc.mediaKey!, 'document', { fileSha256: doc.fileSha256!, fileEncSha256: doc.fileEncSha256! })).toEqual(file);
  });

  it('sends audio, video and stickers with their own message kinds; refuses bad input', async () => {
    const contact = sandbox.contact(alice);
    contact.sendMedia('audio', picture(100), { seconds: 3, ptt: true });
    contact.sendMedia('video', picture(100), { caption: 'clip' });
    contact.sendMedia('sticker', picture(100));
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { node } = await client.waitForNode((n) => n[1]?.add === 'relay');
      kinds.push(...Object.keys(messagesOf(node)[0]!.message!));
    }
    expect(kinds).toEqual(['audioMessage', 'videoMessage', 'stickerMessage']);
    expect(() => contact.sendMedia('gif' as never, picture())).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => contact.sendImage('jpeg' as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('an image relayed by the web client is acknowledged, delivered and read', async () => {
    const file = picture(2000);
    const media = encryptMedia(file, 'image');
    const { auth } = (await client.mediaConn()).media_conn;
    const token = base64Url(media.fileEncSha256);
    const uploaded = sandbox.media.upload({ path: `/mms/image/${token}`, auth, token, body: media.blob });
    const { url, direct_path: directPath } = uploaded.body as { url: string; direct_path: string };
    const { id, reply } = await client.sendMessage(alice, {
      imageMessage: { url, directPath, mediaKey: media.mediaKey, fileSha256: media.fileSha256, fileEncSha256: media.fileEncSha256, fileLength: media.fileLength, mimetype: 'image/jpeg', caption: 'for you' },
    });
    expect(reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    expect((await client.waitForJson('Msg', (body) => (body as { ack: number }).ack === 2))[1]).toMatchObject({ id, from: me, to: alice });
    expect((await client.waitForJson('Msg', (body) => (body as { ack: number }).ack === 3))[1]).toMatchObject({ id });
    const stored = sandbox.world.findMessage(sandbox.world.requireAccount(me), id)!;
    expect(stored.message.status).toBe('READ');
    expect(stored.message.text).toBeUndefined();
  });

  it('another account receives a relayed image it can download and decrypt', async () => {
    sandbox.close();
    const world = defaultWorld();
    world.users = world.users!.filter((user) => user.jid !== alice);
    world.accounts.push({ jid: alice, name: 'Alice', contacts: [me] });
    sandbox = new Sandbox({ world });
    const [mine, hers] = await Promise.all([loggedInClient(sandbox), loggedInClient(sandbox, alice)]);
    const file = picture(1234);
    const media = encryptMedia(file, 'image');
    const { auth } = (await mine.mediaConn()).media_conn;
    const token = base64Url(media.fileEncSha256);
    const { url, direct_path: directPath } = sandbox.media.upload({ path: `/mms/image/${token}`, auth, body: media.blob }).body as { url: string; direct_path: string };
    const { id } = await mine.sendMessage(alice, {
      imageMessage: { url, directPath, mediaKey: media.mediaKey, fileSha256: media.fileSha256, fileEncSha256: media.fileEncSha256, fileLength: media.fileLength, mimetype: 'image/jpeg' },
    });
    const { node } = await hers.waitForNode((n) => n[1]?.add === 'relay');
    const received = messagesOf(node)[0]!;
    expect(received.key).toMatchObject({ id, fromMe: false, remoteJid: '15550100001@s.whatsapp.net' });
    const image = received.message!.imageMessage!;
    const plain = decryptMedia(sandbox.media.download(image.url!)!, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! });
    expect(plain).toEqual(file);
    expect((await mine.waitForJson('Msg', (body) => (body as { ack: number }).ack === 2))[1]).toMatchObject({ id, to: alice });
  });
});
