/**
 * Logging in with Baileys 3.5.3: QR, restore, challenge, takeover, reconnect, refusals, logout.
 */
import { TLSSocket } from 'node:tls';
import { BaileysError, type WAConnection } from '@adiwajshing/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, loginWithQr, ME, ME_WA, newClient, nextEvent, pairedCredentials, sandboxEvent, startWorld, waitUntil } from './harness.ts';

afterEach(cleanUp);

type CloseEvent = { reason: string; isReconnecting: boolean };

/** Frames the sandbox received whose text contains `needle`. */
function received(frames: string[], needle: string): string[] {
  return frames.filter((frame) => frame.includes(needle));
}

/** Expects `conn.connect()` to be refused with `status`, and Baileys to call the session invalid. */
async function expectRefused(conn: WAConnection, status: number): Promise<void> {
  const closed = nextEvent<CloseEvent>(conn, 'close');
  const error = await conn.connect().then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(BaileysError);
  expect((error as BaileysError).status).toBe(status);
  // 401 and 419 are Baileys' UNAUTHORIZED_CODES: no retry, the session is given up.
  expect((await closed).reason).toBe('invalid_session');
  expect(conn.state).toBe('close');
}

describe('QR login', () => {
  it('logs in when the phone scans the qr text Baileys shows', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    const qrs: string[] = [];
    conn.on('qr', (qr: string) => qrs.push(qr));
    const result = await loginWithQr(world, conn);

    expect(qrs).toHaveLength(1);
    const [ref, publicKey, clientId] = qrs[0]!.split(',');
    expect(ref).toBeTruthy();
    expect(Buffer.from(publicKey!, 'base64')).toHaveLength(32);
    expect(result.newConnection).toBe(true);
    expect(result.user.jid).toBe(ME_WA);
    expect(result.user.name).toBe('Sandy Sandbox');
    expect(conn.state).toBe('open');
    const creds = conn.base64EncodedAuthInfo();
    expect(creds.clientID).toBe(clientId);
    expect(Buffer.from(creds.encKey, 'base64')).toHaveLength(32);
    expect(Buffer.from(creds.macKey, 'base64')).toHaveLength(32);
    expect(creds.clientToken).toBeTruthy();
    expect(creds.serverToken).toBeTruthy();
    expect(world.running.sessions()).toEqual([expect.objectContaining({ clientId, wid: ME, connected: true })]);
    // Keys Baileys derived really work: a sealed query gets a sealed answer.
    const contacts = (await conn.getContacts()) as unknown[];
    expect(contacts[0]).toBe('response');
    expect(world.running.stats.badHmac).toBe(0);
  });
});

describe('restore with saved credentials', () => {
  it('logs back in without a QR and takes the rotated tokens', async () => {
    const world = await startWorld();
    const saved = await pairedCredentials(world);
    const conn = newClient(world, { auth: saved });
    conn.on('qr', () => expect.fail('a restore must not show a QR'));
    const result = await conn.connect();

    expect(result.newConnection).toBeUndefined();
    expect(result.user.jid).toBe(ME_WA);
    const now = conn.base64EncodedAuthInfo();
    expect(now.clientID).toBe(saved.clientID);
    expect(now.encKey).toBe(saved.encKey);
    // Every login hands out new tokens in its Conn; Baileys keeps them.
    expect(now.serverToken).not.toBe(saved.serverToken);
    expect(now.clientToken).not.toBe(saved.clientToken);
    expect(received(world.framesIn(), '"admin","login"')).toHaveLength(1);
    expect(received(world.framesIn(), '"takeover"')).toHaveLength(1);
    expect(await conn.isOnWhatsApp(ME)).toEqual(expect.objectContaining({ exists: true }));
  });
});

describe('restore with a forced challenge', () => {
  it('answers the Cmd challenge with its macKey and gets in', async () => {
    const world = await startWorld();
    const saved = await pairedCredentials(world);
    world.running.faults.forceChallenge();
    const conn = newClient(world, { auth: saved });
    const result = await conn.connect();

    expect(result.user.jid).toBe(ME_WA);
    expect(conn.state).toBe('open');
    const answers = received(world.framesIn(), '"admin","challenge"');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain(saved.clientID);
    const contacts = (await conn.getContacts()) as unknown[];
    expect(contacts[0]).toBe('response');
  });
});

describe('takeover', () => {
  it('a second Baileys with the same credentials replaces the first', async () => {
    const world = await startWorld();
    const first = newClient(world);
    await loginWithQr(world, first);
    const creds = first.base64EncodedAuthInfo();
    const firstClosed = nextEvent<CloseEvent>(first, 'close');

    const second = newClient(world, { auth: creds });
    const result = await second.connect();
    expect(result.user.jid).toBe(ME_WA);

    const closed = await firstClosed;
    expect(closed.reason).toBe('replaced');
    // Baileys does not fight back after `replaced`.
    expect(closed.isReconnecting).toBe(false);
    expect(first.state).toBe('close');
    expect(second.state).toBe('open');
    await waitUntil(() => world.running.sessions().filter((s) => s.connected).length === 1, 'one connected session');
  });
});

describe('reconnect after a dropped socket', () => {
  it('comes back by itself with admin login … reconnect', async () => {
    const world = await startWorld();
    const conn = newClient(world, { useReconnect: true });
    await loginWithQr(world, conn);
    const closed = nextEvent<CloseEvent>(conn, 'close');
    const reopened = nextEvent(conn, 'open', () => true, 10_000);

    expect(world.running.faults.dropSocket()).toBe(1);
    const event = await closed;
    expect(event).toEqual({ reason: 'close', isReconnecting: true });
    await reopened;
    expect(conn.state).toBe('open');

    const reconnects = received(world.framesIn(), '"reconnect"');
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]).toContain(`"reconnect","${ME}"`);
    expect(await conn.isOnWhatsApp(ME)).toEqual(expect.objectContaining({ exists: true }));
  });
});

describe('refused restores', () => {
  it('401 after logout', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loginWithQr(world, conn);
    const creds = conn.base64EncodedAuthInfo();
    const loggedOut = sandboxEvent(world.running, 'logout');
    await conn.logout();
    await loggedOut;
    expect(world.running.sessions()).toEqual([]);

    await expectRefused(newClient(world, { auth: creds }), 401);
  });

  it('419 for tokens a later login superseded', async () => {
    const world = await startWorld();
    const first = await pairedCredentials(world);
    const conn = newClient(world, { auth: first });
    await conn.connect();
    expect(conn.base64EncodedAuthInfo().serverToken).not.toBe(first.serverToken);
    conn.close();
    await waitUntil(() => world.running.sessions().every((session) => !session.connected), 'the socket to close');

    await expectRefused(newClient(world, { auth: first }), 419);
  });
});

describe('logout', () => {
  it('sends admin Conn disconnect and the phone forgets the session', async () => {
    const world = await startWorld();
    const conn = newClient(world);
    await loginWithQr(world, conn);
    expect(world.running.sessions()).toHaveLength(1);
    const loggedOut = sandboxEvent(world.running, 'logout');
    const closed = nextEvent<CloseEvent>(conn, 'close');
    await conn.logout();

    expect(await closed).toEqual({ reason: 'intentional', isReconnecting: false });
    await loggedOut;
    expect(received(world.framesIn(), '"admin","Conn","disconnect"')).toHaveLength(1);
    expect(world.running.sessions()).toEqual([]);
    expect(conn.canLogin()).toBe(false);
  });
});

describe('phone offline (known difference D1)', () => {
  it('Baileys takes ["Pong",false] for "connection terminated by phone", drops the socket and reconnects', async () => {
    const world = await startWorld();
    const conn = newClient(world, { useReconnect: true });
    await loginWithQr(world, conn);
    const closed = nextEvent<CloseEvent>(conn, 'close');
    const reopened = nextEvent(conn, 'open', () => true, 10_000);

    // FACTS: Pong false only means "phone unreachable"; Baileys closes (WAConnection/4.Events.js:102-106).
    world.running.phone.setReachable(false);
    expect(await closed).toEqual({ reason: 'close', isReconnecting: true });
    world.running.phone.setReachable(true);
    await reopened;
    expect(conn.state).toBe('open');
    expect(await conn.isOnWhatsApp(ME)).toEqual(expect.objectContaining({ exists: true }));
  });
});

describe('wss:// over the TLS side of the port', () => {
  it('QR login and a restore with Baileys speaking TLS, trusting only the sandbox certificate', async () => {
    const world = await startWorld();
    const conn = newClient(world, { overTls: true });
    await loginWithQr(world, conn);
    expect(conn.user.jid).toBe(ME_WA);
    // Baileys' `ws` WebSocket really runs on a TLS socket (read only, nothing patched).
    const socket = (conn as unknown as { conn: { _socket: unknown } }).conn._socket;
    expect(socket).toBeInstanceOf(TLSSocket);
    expect((socket as TLSSocket).authorized).toBe(true);
    const creds = conn.base64EncodedAuthInfo();
    conn.close();
    await waitUntil(() => world.running.sessions().every((session) => !session.connected), 'the socket to close');

    const restored = newClient(world, { auth: creds, overTls: true });
    expect((await restored.connect()).user.jid).toBe(ME_WA);
    expect(await restored.isOnWhatsApp(ME)).toEqual(expect.objectContaining({ exists: true }));
  });
});
