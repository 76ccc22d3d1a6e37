import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '@wa/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WAClient, type WAClientOptions } from '../src/index.ts';
import { FileAuthStore } from '../src/node.ts';

const ALICE = '15550100002@c.us';
let sandbox: RunningSandbox;
let dir: string;
const clients: WAClient[] = [];

beforeEach(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'wa-client-ws-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

function client(options: WAClientOptions = {}): WAClient {
  const created = new WAClient({ url: sandbox.url, requestTimeoutMs: 5_000, ...options });
  created.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  clients.push(created);
  return created;
}

describe('over a real WebSocket (startSandbox on 127.0.0.1)', () => {
  it('QR login, a message with its receipts, two restores from the file, logout', async () => {
    const path = join(dir, 'session.json');
    const first = client({ auth: new FileAuthStore(path) });
    const chats = first.waitFor('chats');
    await first.connect();
    expect(first.me?.via).toBe('qr');
    expect((await chats).length).toBeGreaterThan(3);
    const sent = await first.sendText(ALICE, 'over the wire');
    await first.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id && receipt.ack === 3 });
    await first.close();
    expect((await stat(path)).isFile()).toBe(true);

    for (let round = 0; round < 2; round++) {
      const again = client({ auth: new FileAuthStore(path) });
      let qrs = 0;
      again.on('qr', () => (qrs += 1));
      await again.connect();
      expect(again.me).toMatchObject({ via: 'restore', wid: '15550100001@c.us' });
      expect(qrs).toBe(0);
      if (round === 1) {
        await again.logout();
        await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
      } else {
        await again.close();
      }
    }
    expect(sandbox.sessions()).toHaveLength(0);
  });

  it('a takeover from another socket replaces the first client', async () => {
    const path = join(dir, 'session.json');
    const first = client({ auth: new FileAuthStore(path) });
    await first.connect();
    const replaced = first.waitFor('disconnected');
    const second = client({ auth: new FileAuthStore(path) });
    await second.connect();
    expect(await replaced).toMatchObject({ reason: 'replaced', reconnecting: false });
    expect(second.state).toBe('open');
  });

  it('reconnects after a dropped socket with admin login … reconnect', async () => {
    const reconnecting = client({ reconnect: { initialMs: 20, jitter: 0, maxAttempts: 3 } });
    await reconnecting.connect();
    const disconnected = reconnecting.waitFor('disconnected');
    const reopened = reconnecting.waitFor('open');
    expect(sandbox.faults.dropSocket()).toBe(1);
    expect(await disconnected).toMatchObject({ reason: 'connection-lost', reconnecting: true });
    expect(await reopened).toMatchObject({ via: 'restore', wid: '15550100001@c.us' });
    expect(reconnecting.state).toBe('open');
    const incoming = reconnecting.waitFor('message', { filter: (event) => event.source === 'relay' });
    sandbox.contact(ALICE).sendText('welcome back');
    expect(await incoming).toMatchObject({ text: 'welcome back' });
  });

  it('without the Origin header the real server (and the sandbox) refuse the socket', async () => {
    const refused = client({ origin: null });
    await expect(refused.connect()).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    expect(refused.state).toBe('closed');
  });
});
