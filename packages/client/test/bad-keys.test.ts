import { afterEach, describe, expect, it } from 'vitest';
import { FrameError, LoginError, MemoryAuthStore, type Credentials } from '../src/index.ts';
import { BAD_KEYS_AFTER_FRAMES } from '../src/index.ts';
import { ALICE, autoScan, collect, loggedIn, memoryClient, newSandbox } from './support/harness.ts';
import type { Sandbox } from '@wa/sandbox/core';

let sandbox: Sandbox;
afterEach(() => sandbox?.close());

/** A Base64 key of 32 bytes that is not the session's. */
function otherKey(key: string): string {
  const bytes = Uint8Array.from(atob(key), (char) => char.charCodeAt(0)).map((byte) => byte ^ 0x5a);
  return btoa(String.fromCharCode(...bytes));
}

async function storedSession(): Promise<Credentials> {
  const { client, auth } = await loggedIn(sandbox);
  await client.close();
  return (await auth.load())!;
}

describe('a restore with wrong stored keys', () => {
  for (const field of ['encKey', 'macKey'] as const) {
    it(`a wrong ${field}: the session ends with LoginError BAD_KEYS, the store is cleared, the next connect() shows a QR`, async () => {
      sandbox = newSandbox();
      const stored = await storedSession();
      const auth = new MemoryAuthStore({ ...stored, [field]: otherKey(stored[field]) });
      const client = memoryClient(sandbox, { auth });
      const frameErrors = collect(client, 'frame-error');
      const errors = collect(client, 'error');
      const chats = collect(client, 'chats');
      const closed = client.waitFor('close', { timeoutMs: 10_000 });
      // The server accepts the tokens (no challenge): connect() cannot know yet, or already failed.
      await client.connect().catch((error: unknown) => expect(error).toMatchObject({ code: 'BAD_KEYS' }));

      const close = await closed;
      expect(close.reason).toBe('login-refused');
      expect(close.error).toBeInstanceOf(LoginError);
      expect(close.error).toMatchObject({ code: 'BAD_KEYS', credentialsCleared: true });
      expect(errors.map((error) => error.code)).toEqual(['BAD_KEYS']);
      expect(frameErrors).toHaveLength(BAD_KEYS_AFTER_FRAMES);
      for (const error of frameErrors) expect(error).toBeInstanceOf(FrameError);
      // A wrong macKey fails the HMAC; a wrong encKey mostly fails the padding, and about one
      // frame in 256 unpads by chance and then fails to decode as a node.
      const expected = field === 'macKey' ? ['BAD_HMAC'] : ['UNDECRYPTABLE', 'UNDECODABLE'];
      for (const error of frameErrors) expect(expected).toContain(error.code);
      expect(chats).toEqual([]);
      expect(client.state).toBe('closed');
      expect(await auth.load()).toBeUndefined();

      // Logging in again needs the phone: a QR login with fresh keys, which read the chat list.
      const qrs = collect(client, 'qr');
      autoScan(sandbox, client);
      const chatList = client.waitFor('chats');
      await client.connect();
      expect(qrs).toHaveLength(1);
      expect(client.me?.via).toBe('qr');
      expect((await chatList).length).toBeGreaterThan(0);
      expect((await auth.load())?.[field]).not.toBe(otherKey(stored[field]));
      await client.close();
    });
  }

  it('with the reconnect option: no reconnect attempt, close login-refused', async () => {
    sandbox = newSandbox();
    const stored = await storedSession();
    const auth = new MemoryAuthStore({ ...stored, encKey: otherKey(stored.encKey) });
    const client = memoryClient(sandbox, { auth, reconnect: true });
    const reconnecting = collect(client, 'reconnecting');
    const closed = client.waitFor('close', { timeoutMs: 10_000 });
    await client.connect().catch(() => undefined);
    expect((await closed).error).toMatchObject({ code: 'BAD_KEYS' });
    expect(reconnecting).toEqual([]);
    await expect(client.sendText(ALICE, 'hi')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('right keys and a few corrupted frames right behind the restore: fewer than the threshold keep the session', async () => {
    sandbox = newSandbox();
    const stored = await storedSession();
    const client = memoryClient(sandbox, { auth: new MemoryAuthStore(stored) });
    const frameErrors = collect(client, 'frame-error');
    const errors = collect(client, 'error');
    sandbox.faults.corruptHmac(BAD_KEYS_AFTER_FRAMES - 1);
    const history = client.waitFor('message', { timeoutMs: 10_000 });
    await client.connect();
    await history; // the recent messages, the third push, opened: the keys are right
    expect(frameErrors.map((error) => error.code)).toEqual(Array(BAD_KEYS_AFTER_FRAMES - 1).fill('BAD_HMAC'));
    expect(errors).toEqual([]);
    // Once a frame opened, later bad frames never end the session.
    sandbox.faults.corruptHmac(BAD_KEYS_AFTER_FRAMES + 2);
    for (let index = 0; index < BAD_KEYS_AFTER_FRAMES + 2; index++) sandbox.contact(ALICE).sendText(`lost ${index}`);
    const next = client.waitFor('message', { filter: (event) => event.text === 'arrives', timeoutMs: 10_000 });
    sandbox.contact(ALICE).sendText('arrives');
    await next;
    expect(client.state).toBe('open');
    expect(errors).toEqual([]);
    await client.close();
  });
});
