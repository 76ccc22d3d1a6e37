import { decryptMedia, encryptMedia, sha256 } from '@wa/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/node/start-sandbox.ts';
import { base64Url, messagesOf, type MiniClient } from './support/mini-client.ts';
import { wsClient } from './support/ws-link.ts';

const alice = '15550100002@c.us';

let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function loggedIn(options: Parameters<typeof startSandbox>[0] = {}): Promise<{ sandbox: RunningSandbox; client: MiniClient }> {
  const sandbox = (running = await startSandbox(options));
  const client = await wsClient(sandbox.url);
  await client.init();
  sandbox.phone.scan(client.qr());
  await client.completeQrLogin();
  return { sandbox, client };
}

function bytes(size: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * seed + 3) & 0xff);
}

/** Uploads like a legacy web client: POST <scheme>://<hostname>/mms/<type>/<token>?auth=…&token=…. */
async function upload(host: { hostname: string; scheme?: string }, type: string, body: Uint8Array, auth: string | null, token = base64Url(sha256(body))): Promise<Response> {
  const query = auth === null ? `token=${token}` : `auth=${encodeURIComponent(auth)}&token=${token}`;
  return fetch(`${host.scheme ?? 'https'}://${host.hostname}/mms/${type}/${token}?${query}`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { origin: 'https://web.whatsapp.com', 'content-type': 'application/octet-stream' },
  });
}

describe('the media server over HTTP', () => {
  it('mediaConn names this server over http; upload → url → GET → decryptMedia gives the file back', async () => {
    const { sandbox, client } = await loggedIn();
    const answer = await client.mediaConn();
    expect(answer).toEqual({ status: 200, media_conn: { auth: expect.any(String), ttl: 300, hosts: [{ hostname: `127.0.0.1:${sandbox.port}`, scheme: 'http' }] } });
    const host = answer.media_conn.hosts[0]!;
    const file = bytes(40_000);
    const media = encryptMedia(file, 'video');
    const response = await upload(host, 'video', media.blob, answer.media_conn.auth);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const { url, direct_path: directPath } = (await response.json()) as { url: string; direct_path: string };
    expect(directPath).toMatch(/^\/d\/f\/[0-9a-f]{32}\.enc$/);
    expect(url).toBe(`http://127.0.0.1:${sandbox.port}${directPath}`);
    const download = await fetch(url, { headers: { origin: 'https://web.whatsapp.com' } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    const blob = new Uint8Array(await download.arrayBuffer());
    expect(decryptMedia(blob, media.mediaKey, 'video', { fileSha256: media.fileSha256, fileEncSha256: media.fileEncSha256, fileLength: file.length })).toEqual(file);
    client.close();
  });

  it('answers 401 without auth, 403 with a wrong one, 400 on a hash mismatch, 413 when too big, 404 for unknown blobs', async () => {
    const { sandbox, client } = await loggedIn({ media: { maxBlobBytes: 16 * 1024 } });
    const { media_conn: conn } = await client.mediaConn();
    const host = conn.hosts[0]!;
    const blob = bytes(1000);
    const status = async (response: Promise<Response>): Promise<[number, unknown]> => {
      const answer = await response;
      return [answer.status, ((await answer.json()) as { error: unknown }).error];
    };
    expect(await status(upload(host, 'image', blob, null))).toEqual([401, 'UNAUTHORIZED']);
    expect(await status(upload(host, 'image', blob, 'forged'))).toEqual([403, 'FORBIDDEN']);
    expect(await status(upload(host, 'image', blob, conn.auth, base64Url(sha256(bytes(1000, 9)))))).toEqual([400, 'HASH_MISMATCH']);
    expect(await status(upload(host, 'image', bytes(32 * 1024), conn.auth))).toEqual([413, 'TOO_LARGE']);
    expect(await status(upload(host, 'gif', blob, conn.auth))).toEqual([404, 'NOT_FOUND']);
    expect(await status(fetch(`${sandbox.httpUrl}/d/f/0123456789abcdef0123456789abcdef.enc`))).toEqual([404, 'NOT_FOUND']);
    expect(await status(fetch(`${sandbox.httpUrl}/mms/image/x`))).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(sandbox.sandbox.media.usage.blobs).toBe(0);
    // A preflight is answered for browser clients; the server is still fine afterwards.
    const preflight = await fetch(`${sandbox.httpUrl}/mms/image/x`, { method: 'OPTIONS' });
    expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([204, 'GET, POST, OPTIONS']);
    expect((await upload(host, 'image', blob, conn.auth)).status).toBe(200);
    client.close();
  });

  it("a contact's image arrives over the socket and its url downloads over HTTP and decrypts", async () => {
    const { sandbox, client } = await loggedIn();
    const file = bytes(10_000, 13);
    sandbox.contact(alice).sendImage(file, { caption: 'over http', mimetype: 'image/png' });
    const { node } = await client.waitForNode((n) => n[1]?.add === 'relay');
    const image = messagesOf(node)[0]!.message!.imageMessage!;
    expect(image).toMatchObject({ caption: 'over http', mimetype: 'image/png', fileLength: '10000' });
    expect(image.url).toBe(`http://127.0.0.1:${sandbox.port}${image.directPath}`);
    const blob = new Uint8Array(await (await fetch(image.url!)).arrayBuffer());
    expect(sha256(blob)).toEqual(image.fileEncSha256);
    expect(decryptMedia(blob, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! })).toEqual(file);
    client.close();
  });
});
