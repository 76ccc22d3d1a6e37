import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../src/logger.ts';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/node/start-sandbox.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { openWebSocket, wsClient } from './support/ws-link.ts';

const start = trackedSandboxes();

describe('startSandbox', () => {
  it('serves a QR login to a decrypted chat list over a real WebSocket on 127.0.0.1', async () => {
    const sandbox = await start();
    expect(sandbox.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const client = await wsClient(sandbox.url);
    await client.init();
    sandbox.phone.scan(client.qr());
    const conn = await client.completeQrLogin();
    expect(conn.wid).toBe('15550100001@c.us');
    const chats = await client.waitForNode((node) => node[0] === 'response' && node[1]?.type === 'chat');
    expect((chats.node[2] as unknown[]).length).toBe(6);
    client.link.send('?,,');
    expect((await client.waitFor((frame) => frame.kind === 'pong')).kind).toBe('pong');
    expect(sandbox.stats).toMatchObject({ qrLogins: 1, connectionsOpen: 1 });
    expect(sandbox.stats.framesOut).toBeGreaterThanOrEqual(7);
    client.close();
  });

  it('checks the Origin header and the path like the real server, and logs every refusal', async () => {
    const log = memoryLogger();
    const sandbox = await start({ logger: log.logger });
    await expect(openWebSocket(sandbox.url, null)).rejects.toThrow('HTTP 403');
    await expect(openWebSocket(sandbox.url, 'https://evil.example')).rejects.toThrow('HTTP 403');
    await expect(openWebSocket(sandbox.url.replace('/ws', '/other'))).rejects.toThrow('HTTP 404');
    const refused = log.entries.filter((entry) => entry.event === 'upgrade-refused');
    expect(refused.map((entry) => [entry.level, entry.message.slice(0, 4)])).toEqual([
      ['warn', '403:'],
      ['warn', '403:'],
      ['warn', '404:'],
    ]);
    expect(refused[1]!.message).toContain('Origin https://evil.example is not accepted (accepted: https://web.whatsapp.com');
    expect(refused[2]!.data).toMatchObject({ path: '/other' });
    const open = await start({ allowedOrigins: '*' });
    const socket = await openWebSocket(open.url, null);
    socket.close();
  });

  it('scans over HTTP (POST /scan) and reports waiting refs (GET /status)', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    await client.init();
    const status = (await (await fetch(`${sandbox.httpUrl}/status`)).json()) as { waiting: Array<{ ref: string }> };
    expect(status.waiting.map((entry) => entry.ref)).toEqual([client.ref]);
    const bad = await fetch(`${sandbox.httpUrl}/scan`, { method: 'POST', body: 'garbage' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'QR_MALFORMED' });
    const unknown = await fetch(`${sandbox.httpUrl}/scan`, { method: 'POST', body: client.qr().replace(client.ref!, '1@nope') });
    expect(unknown.status).toBe(404);
    const crossSite = await fetch(`${sandbox.httpUrl}/scan`, { method: 'POST', body: client.qr(), headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    const ok = await fetch(`${sandbox.httpUrl}/scan`, { method: 'POST', body: client.qr() });
    expect(await ok.json()).toEqual({ ok: true, wid: '15550100001@c.us', clientId: client.clientId, connection: 'c1' });
    await client.completeQrLogin();
    client.close();
  });

  it('takeover over real sockets closes the first client with the replaced code', async () => {
    const sandbox = await start();
    const first = await wsClient(sandbox.url);
    await first.init();
    sandbox.phone.scan(first.qr());
    await first.completeQrLogin();
    const second = await wsClient(sandbox.url);
    expect((await second.restore(first.credentials())).status).toBe(200);
    expect(await first.waitForJson('Cmd')).toEqual(['Cmd', { type: 'disconnect', kind: 'replaced' }]);
    expect((await first.waitForClose()).code).toBe(4001);
    second.close();
  });

  it('persists sessions to the state file so a restore works after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wa-sandbox-'));
    try {
      // A directory that does not exist yet: the sandbox creates it.
      const statePath = join(dir, 'nested', 'state.json');
      const first = await start({ statePath });
      const client = await wsClient(first.url);
      await client.init();
      first.phone.scan(client.qr());
      await client.completeQrLogin();
      const credentials = client.credentials();
      await first.close();
      const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { sessions: Array<{ serverToken: string }> };
      expect(saved.sessions.map((session) => session.serverToken)).toEqual([credentials.serverToken]);

      const second = await start({ statePath });
      const again = await wsClient(second.url);
      const result = await again.restore(credentials);
      expect(result.status).toBe(200);
      again.close();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() ends every socket and frees the port', async () => {
    const sandbox = await startSandbox();
    const client = await wsClient(sandbox.url);
    await sandbox.close();
    await client.waitForClose();
    await expect(openWebSocket(sandbox.url)).rejects.toThrow();
  });
});
