import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '@wa/sandbox';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LoginError, WAClient, type WAClientError } from '../src/index.ts';
import { FileAuthStore } from '../src/node.ts';

let sandbox: RunningSandbox;
let dir: string;

beforeEach(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'wa-client-bad-keys-'));
});
afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

it('a session file with a wrong encKey over a real socket: BAD_KEYS, the file is deleted, a QR login follows', async () => {
  const path = join(dir, 'session.json');
  const first = new WAClient({ url: sandbox.url, auth: new FileAuthStore(path) });
  first.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  await first.connect();
  await first.close();
  const saved = JSON.parse(await readFile(path, 'utf8')) as { encKey: string };
  saved.encKey = Buffer.alloc(32, 7).toString('base64');
  await writeFile(path, JSON.stringify(saved));

  const client = new WAClient({ url: sandbox.url, auth: new FileAuthStore(path) });
  const errors: WAClientError[] = [];
  client.on('error', (error) => errors.push(error));
  const closed = client.waitFor('close', { timeoutMs: 10_000 });
  await client.connect().catch(() => undefined);
  const close = await closed;
  expect(close).toMatchObject({ reason: 'login-refused' });
  expect(close.error).toBeInstanceOf(LoginError);
  expect(errors.map((error) => error.code)).toEqual(['BAD_KEYS']);
  await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });

  const qrs: string[] = [];
  client.on('qr', ({ qr }) => {
    qrs.push(qr);
    sandbox.phone.scan(qr);
  });
  const chats = client.waitFor('chats', { timeoutMs: 10_000 });
  await client.connect();
  expect(qrs).toHaveLength(1);
  expect((await chats).length).toBeGreaterThan(0);
  await client.close();
});
