import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { decryptMedia, encryptMedia, sha256 } from '@wa/crypto';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { SANDBOX_TLS_CERT } from '../src/node/tls-certificate.ts';
import { base64Url, MiniClient, type ClientLink } from './support/mini-client.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { WHATSAPP_ORIGIN, wsClient } from './support/ws-link.ts';

const start = trackedSandboxes();

/** An https request trusting only the sandbox's certificate, as a client told to would. */
function secureFetch(url: string, options: { method?: string; body?: Uint8Array; ca?: string } = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const agent = new HttpsAgent({ ca: options.ca ?? SANDBOX_TLS_CERT });
    // Media routes take any Origin; the control endpoints refuse one (web pages may not drive the phone).
    const headers = new URL(url).pathname === '/status' ? {} : { origin: WHATSAPP_ORIGIN };
    const request = httpsRequest(url, { method: options.method ?? 'GET', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(options.body === undefined ? undefined : Buffer.from(options.body));
  });
}

describe('https and wss on the sandbox port', () => {
  it('a client that always builds https://<hostname>/mms/… uploads and downloads; http keeps working', async () => {
    const sandbox = await start({ latency: 0 });
    expect(sandbox.tls).toEqual({ url: `wss://127.0.0.1:${sandbox.port}/ws`, httpsUrl: `https://127.0.0.1:${sandbox.port}`, ca: SANDBOX_TLS_CERT });
    const client = await wsClient(sandbox.url);
    await client.init();
    sandbox.phone.scan(client.qr());
    await client.completeQrLogin();
    const { media_conn: conn } = await client.mediaConn();
    // Ignore `scheme`, as legacy clients did: https on the advertised hostname.
    const file = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 13) & 0xff);
    const media = encryptMedia(file, 'image');
    const token = base64Url(sha256(media.blob));
    const uploaded = await secureFetch(`https://${conn.hosts[0]!.hostname}/mms/image/${token}?auth=${encodeURIComponent(conn.auth)}&token=${token}`, { method: 'POST', body: media.blob });
    expect(uploaded.status).toBe(200);
    const { direct_path: directPath, url } = JSON.parse(uploaded.body.toString()) as { url: string; direct_path: string };
    const overHttps = await secureFetch(`https://${conn.hosts[0]!.hostname}${directPath}`);
    expect(overHttps.status).toBe(200);
    expect(decryptMedia(new Uint8Array(overHttps.body), media.mediaKey, 'image', { fileSha256: media.fileSha256, fileEncSha256: media.fileEncSha256 })).toEqual(file);
    // The advertised URL (plain http, the `scheme` our client follows) serves the same blob.
    const overHttp = await fetch(url);
    expect(new Uint8Array(await overHttp.arrayBuffer())).toEqual(new Uint8Array(overHttps.body));
    client.close();
  });

  it('accepts wss:// web clients that trust the certificate, and refuses those that do not', async () => {
    const sandbox = await start({ latency: 0 });
    const socket = new WebSocket(sandbox.tls!.url, { origin: WHATSAPP_ORIGIN, ca: SANDBOX_TLS_CERT });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const link: ClientLink = { onmessage: null, onclose: null, send: (data) => socket.send(data), close: () => socket.close() };
    socket.on('message', (data: Buffer, isBinary: boolean) => link.onmessage?.(isBinary ? new Uint8Array(data) : data.toString()));
    const client = new MiniClient(link);
    expect(await client.init()).toMatchObject({ status: 200, ref: expect.any(String) });
    socket.close();
    // Without the certificate a client's TLS check fails (and the sandbox stays up).
    await expect(secureFetch(`${sandbox.tls!.httpsUrl}/status`, { ca: '' })).rejects.toThrow();
    const untrusted = tlsConnect({ host: '127.0.0.1', port: sandbox.port, rejectUnauthorized: true });
    await new Promise((resolve) => untrusted.once('error', resolve));
    expect((await secureFetch(`${sandbox.tls!.httpsUrl}/status`)).status).toBe(200);
  });

  it('tls: false serves plain http only', async () => {
    const sandbox = await start({ latency: 0, tls: false });
    expect(sandbox.tls).toBeUndefined();
    await expect(secureFetch(`https://127.0.0.1:${sandbox.port}/status`)).rejects.toThrow();
    expect((await fetch(`${sandbox.httpUrl}/status`)).status).toBe(200);
  });
});
