import { fromBase64 } from '@wa/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  InvalidCredentialsError,
  LoginError,
  MemoryAuthStore,
  NotLoggedInError,
  type Credentials,
  type QrEvent,
} from '../src/index.ts';
import { ALICE, autoScan, collect, GROUP, loggedIn, ME, memoryClient, newSandbox } from './support/harness.ts';
import type { Sandbox } from '@wa/sandbox/core';

let sandbox: Sandbox;
afterEach(() => sandbox?.close());

describe('QR login', () => {
  it('shows a QR, is scanned by the phone, derives the keys and receives chats, contacts and history', async () => {
    sandbox = newSandbox();
    const auth = new MemoryAuthStore();
    const client = memoryClient(sandbox, { auth });
    const qrs = collect(client, 'qr');
    const opens = collect(client, 'open');
    const chats = client.waitFor('chats');
    const contacts = client.waitFor('contacts');
    const history = collect(client, 'message');
    const saved = client.waitFor('credentials');
    autoScan(sandbox, client);
    await client.connect();

    expect(qrs).toHaveLength(1);
    const [ref, publicKey, clientId] = qrs[0]!.qr.split(',');
    expect(sandbox.waitingRefs()).toHaveLength(0);
    expect(ref).toMatch(/^1@/);
    expect(fromBase64(publicKey!)).toHaveLength(32);
    expect(fromBase64(clientId!)).toHaveLength(16);
    expect(qrs[0]!.ttlMs).toBe(20_000);

    expect(client.state).toBe('open');
    expect(opens).toEqual([expect.objectContaining({ wid: ME, pushname: 'Sandy Sandbox', via: 'qr', challenged: false })]);

    // The keys the client derived from Conn.secret are the ones the server built it from.
    const credentials = await saved;
    const session = sandbox.exportState().sessions.find((entry) => entry.clientId === clientId);
    expect(session).toBeDefined();
    expect(credentials).toMatchObject({ clientId, wid: ME, encKey: session!.encKey, macKey: session!.macKey, clientToken: session!.clientToken, serverToken: session!.serverToken });
    expect(await auth.load()).toEqual(credentials);

    const chatList = await chats;
    expect(chatList.map((chat) => chat.jid)).toEqual(expect.arrayContaining([ALICE, GROUP]));
    expect(chatList.find((chat) => chat.jid === GROUP)?.name).toBe('Weekend Trip');
    expect((await contacts).find((contact) => contact.jid === ALICE)).toMatchObject({ name: 'Alice', notify: 'Alice' });
    await expect.poll(() => history.length).toBeGreaterThan(5);
    expect(history.every((event) => event.source === 'last')).toBe(true);
    expect(history.find((event) => event.text === 'Great, see you there 👋')).toMatchObject({ chat: ALICE, sender: ALICE, fromMe: false });
    expect(history.find((event) => event.text === 'I can bring sandwiches')).toMatchObject({ chat: GROUP, sender: '15550100003@c.us' });
    expect(client.chats()).toEqual(chatList);
    await client.close();
    expect(client.state).toBe('closed');
  });

  it('refreshes an expired QR with admin Conn reref until the server refuses (429)', async () => {
    sandbox = newSandbox({ refTtlMs: 40, maxRerefs: 2 });
    const client = memoryClient(sandbox);
    const qrs: QrEvent[] = [];
    client.on('qr', (event) => qrs.push(event));
    const error = await client.connect().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LoginError);
    expect(error).toMatchObject({ code: 'QR_REFS_EXHAUSTED', status: 429 });
    expect(qrs.map((event) => event.attempt)).toEqual([0, 1, 2]);
    expect(new Set(qrs.map((event) => event.qr.split(',')[0])).size).toBe(3);
    expect(new Set(qrs.map((event) => event.qr.split(',').slice(1).join(','))).size).toBe(1);
    expect(client.state).toBe('closed');
  });

  it('logs in with a refreshed QR', async () => {
    sandbox = newSandbox({ refTtlMs: 40 });
    const client = memoryClient(sandbox);
    client.on('qr', ({ qr, attempt }) => {
      if (attempt === 0) return;
      sandbox.phone.scan(qr);
    });
    await client.connect();
    expect(client.me?.wid).toBe(ME);
    await client.close();
  });

  it('rejects with ClientClosedError when closed while waiting for the scan', async () => {
    sandbox = newSandbox();
    const client = memoryClient(sandbox);
    const connecting = client.connect();
    await client.waitFor('qr');
    await client.close();
    await expect(connecting).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe('restore', () => {
  it('restores without a QR, twice in a row, persisting the rotated tokens each time', async () => {
    sandbox = newSandbox();
    const first = await loggedIn(sandbox);
    const auth = first.auth;
    const original = (await auth.load())!;
    await first.client.close();

    const tokens = [original.serverToken];
    for (let round = 0; round < 2; round++) {
      const client = memoryClient(sandbox, { auth });
      const qrs = collect(client, 'qr');
      const opened = client.waitFor('open');
      const chats = client.waitFor('chats');
      await client.connect();
      expect(qrs).toHaveLength(0);
      expect(await opened).toMatchObject({ wid: ME, via: 'restore', challenged: false });
      expect((await chats).length).toBeGreaterThan(0);
      const stored = (await auth.load())!;
      expect(stored.clientId).toBe(original.clientId);
      expect(stored.encKey).toBe(original.encKey);
      expect(tokens).not.toContain(stored.serverToken);
      const session = sandbox.exportState().sessions.find((entry) => entry.clientId === original.clientId);
      expect(stored.serverToken).toBe(session?.serverToken);
      tokens.push(stored.serverToken);
      await client.close();
    }
  });

  it('answers the challenge with the mac key when the server asks for one', async () => {
    sandbox = newSandbox();
    const { client: first, auth } = await loggedIn(sandbox);
    await first.close();
    sandbox.faults.forceChallenge();
    const client = memoryClient(sandbox, { auth });
    await client.connect();
    expect(client.me).toMatchObject({ via: 'restore', challenged: true });
    expect(await client.exists(ALICE)).toBe(true);
    await client.close();
    // And the next restore (not challenged) uses the tokens of the challenged login.
    sandbox.faults.reset();
    const again = memoryClient(sandbox, { auth });
    await again.connect();
    expect(again.me?.challenged).toBe(false);
    await again.close();
  });

  it('fails with CHALLENGE_FAILED and clears the store when the mac key is wrong', async () => {
    sandbox = newSandbox();
    const { client: first, auth } = await loggedIn(sandbox);
    await first.close();
    const stored = (await auth.load())!;
    const wrongKey = { ...stored, macKey: 'A'.repeat(43) + '=' };
    const wrong = new MemoryAuthStore(wrongKey);
    sandbox.faults.forceChallenge();
    const error = await memoryClient(sandbox, { auth: wrong }).connect().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'CHALLENGE_FAILED', status: 401, credentialsCleared: true });
    expect(await wrong.load()).toBeUndefined();
  });

  const refusals: Array<[status: 401 | 403 | 405 | 409 | 419, code: string, cleared: boolean]> = [
    [401, 'UNPAIRED', true],
    [403, 'ACCESS_DENIED', false],
    [405, 'ALREADY_LOGGED_IN', false],
    [409, 'LOGGED_IN_ELSEWHERE', false],
    [419, 'SESSION_EXPIRED', true],
  ];
  for (const [status, code, cleared] of refusals) {
    it(`turns a ${status} login refusal into LoginError ${code}`, async () => {
      sandbox = newSandbox();
      const { client: first, auth } = await loggedIn(sandbox);
      await first.close();
      sandbox.faults.forceLoginStatus(status, { tos: 3 });
      const client = memoryClient(sandbox, { auth });
      const error = await client.connect().catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(LoginError);
      expect(error).toMatchObject({ code, status, credentialsCleared: cleared, tos: status === 403 ? 3 : undefined });
      expect((await auth.load()) === undefined).toBe(cleared);
      expect(client.state).toBe('closed');
      await expect(client.sendText(ALICE, 'hi')).rejects.toBeInstanceOf(ClientClosedError);
    });
  }

  it('gets a real 419 for tokens an earlier login superseded', async () => {
    sandbox = newSandbox();
    const { client: first, auth } = await loggedIn(sandbox);
    const stale = (await auth.load())!;
    await first.close();
    const second = memoryClient(sandbox, { auth });
    await second.connect();
    await second.close();
    const staleStore = new MemoryAuthStore(stale);
    const error = await memoryClient(sandbox, { auth: staleStore }).connect().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', status: 419, credentialsCleared: true });
    expect(await staleStore.load()).toBeUndefined();
    // The current credentials still work.
    const third = memoryClient(sandbox, { auth });
    await third.connect();
    await third.close();
  });

  it('refuses unusable stored credentials with InvalidCredentialsError', async () => {
    sandbox = newSandbox();
    const broken = { load: async () => ({ clientId: 'x' }) as unknown as Credentials, save: async () => {}, clear: async () => {} };
    const client = memoryClient(sandbox, { auth: broken });
    await expect(client.connect()).rejects.toBeInstanceOf(InvalidCredentialsError);
  });
});

describe('logging', () => {
  it('never logs keys, tokens or the QR text', async () => {
    sandbox = newSandbox();
    const lines: string[] = [];
    const record = (level: string) => (message: string, data?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
    const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const auth = new MemoryAuthStore();
    const client = memoryClient(sandbox, { auth, logger });
    const qrs = collect(client, 'qr');
    autoScan(sandbox, client);
    await client.connect();
    await client.sendText(ALICE, 'secret text');
    await client.close();
    sandbox.faults.forceChallenge();
    const restored = memoryClient(sandbox, { auth, logger });
    await restored.connect();
    await restored.close();
    const credentials = (await auth.load())!;
    expect(lines.some((line) => line.includes('logged in'))).toBe(true);
    const log = lines.join('\n');
    for (const secret of [credentials.encKey, credentials.macKey, credentials.clientToken, credentials.serverToken, qrs[0]!.qr.split(',')[0]!, 'secret text']) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('takeover and logout', () => {
  it('a second client restoring the session replaces the first, which reports disconnected: replaced', async () => {
    sandbox = newSandbox();
    const { client: first, auth } = await loggedIn(sandbox);
    const disconnected = first.waitFor('disconnected');
    const closed = first.waitFor('close');
    const second = memoryClient(sandbox, { auth });
    await second.connect();
    expect(await disconnected).toEqual({ reason: 'replaced', code: 4001, reconnecting: false });
    expect(await closed).toEqual({ reason: 'replaced', code: 4001 });
    expect(first.state).toBe('closed');
    await expect(first.sendText(ALICE, 'still there?')).rejects.toBeInstanceOf(ClientClosedError);
    const sent = await second.sendText(ALICE, 'I took over');
    expect(sent.status).toBe('SERVER_ACK');
    // The replaced client left the shared store alone: the second client's tokens are in it.
    expect((await auth.load())?.serverToken).toBe(sandbox.exportState().sessions[0]?.serverToken);
    await second.close();
  });

  it('logout ends the session on the server, clears the store and invalidates the old tokens', async () => {
    sandbox = newSandbox();
    const { client, auth } = await loggedIn(sandbox);
    const copy = (await auth.load())!;
    const closed = client.waitFor('close');
    await client.logout();
    // The client closes on the server's 200 (1000); a server that closes first sends 4002.
    const { reason, code } = await closed;
    expect(reason).toBe('logged-out');
    expect([1000, 4002]).toContain(code);
    expect(await auth.load()).toBeUndefined();
    expect(sandbox.sessions()).toHaveLength(0);
    expect(client.chats()).toEqual([]);
    await expect(client.logout()).rejects.toBeInstanceOf(ClientClosedError);

    const error = await memoryClient(sandbox, { auth: new MemoryAuthStore(copy) }).connect().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'UNPAIRED', status: 401 });

    // Logged out, the same client starts over with a QR (its phone still scans).
    await client.connect();
    expect(client.me?.via).toBe('qr');
    await client.close();
  });

  it('the phone unpairing the session closes the client and clears the credentials', async () => {
    sandbox = newSandbox();
    const { client, auth } = await loggedIn(sandbox);
    const disconnected = client.waitFor('disconnected');
    sandbox.phone.unpair();
    expect(await disconnected).toMatchObject({ reason: 'unpaired', reconnecting: false });
    await expect.poll(() => auth.load()).toBeUndefined();
  });

  it('refuses calls before login with NotLoggedInError', async () => {
    sandbox = newSandbox();
    const client = memoryClient(sandbox);
    await expect(client.sendText(ALICE, 'hi')).rejects.toBeInstanceOf(NotLoggedInError);
    await expect(client.logout()).rejects.toBeInstanceOf(NotLoggedInError);
  });
});
