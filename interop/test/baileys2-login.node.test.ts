/**
 * Logging in with Baileys 2.3.1: QR, restore, challenge, takeover, reconnect, refusals, logout.
 */
import { BaileysError } from 'baileys2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanUpV2,
  framesIn,
  login,
  ME,
  ME_WA,
  newV2Client,
  pairedCredentials,
  routed,
  sandboxEvent,
  startWorld,
  waitForDisconnected,
  waitUntil,
  within,
  type V2Client,
} from './baileys2-harness.ts';

afterEach(cleanUpV2);

/** Frames the sandbox received whose text contains `needle`. */
function received(frames: string[], needle: string): string[] {
  return frames.filter((frame) => frame.includes(needle));
}

/** Expects the restore to be refused with `status` (Baileys 2.3.1 puts it in the error's context). */
async function expectRefused(v2: V2Client, status: number, message: string): Promise<void> {
  const error = await login(v2).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(BaileysError);
  expect((error as BaileysError).message).toBe(message);
  expect((error as BaileysError).context).toEqual(expect.objectContaining({ status }));
}

/**
 * `logout()` of 2.3.1, around its bug B-D9: it drops its keys as soon as the goodbye is written,
 * and any frame still on its way (the server's answer to the goodbye, a login push, the answer to
 * one of its own post-login queries) then throws inside its socket handler. Frames that arrive
 * after the keys are gone are dropped here instead, as a client without keys can only do.
 */
async function logOut(v2: V2Client): Promise<void> {
  const client = v2.client as unknown as { authInfo: unknown; onMessageRecieved(message: unknown): void };
  const handle = client.onMessageRecieved.bind(client);
  client.onMessageRecieved = (message) => {
    if (client.authInfo !== null) handle(message);
  };
  await v2.client.logout();
}

describe('QR login', () => {
  it('logs in when the phone scans the QR triple Baileys 2.3.1 shows', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    const user = await login(v2);

    expect(routed).toEqual([{ host: 'web.whatsapp.com', port: 443 }]);
    expect(v2.qrs).toHaveLength(1);
    const [ref, publicKey, clientId] = v2.qrs[0]!;
    expect(ref).toBeTruthy();
    expect(Buffer.from(publicKey, 'base64')).toHaveLength(32);
    expect(user).toEqual({ id: ME_WA, name: 'Sandy Sandbox', phone: expect.anything() });
    const creds = v2.client.base64EncodedAuthInfo();
    expect(creds.clientID).toBe(clientId);
    expect(Buffer.from(creds.encKey, 'base64')).toHaveLength(32);
    expect(Buffer.from(creds.macKey, 'base64')).toHaveLength(32);
    expect(creds.clientToken).toBeTruthy();
    expect(creds.serverToken).toBeTruthy();
    expect(world.running.sessions()).toEqual([expect.objectContaining({ clientId, wid: ME, connected: true })]);
    // Baileys 2.3.1 waits for the init answer before anything else (lib/WAConnection/Validation.js:44-61).
    const init = world.framesIn().findIndex((frame) => frame.includes('"admin","init"'));
    expect(init).toBe(0);
    // The keys it derived work: a sealed query gets a sealed answer it can read.
    const contacts = (await within(v2.client.getContacts(), 5_000, 'getContacts')) as unknown[];
    expect(contacts[0]).toBe('response');
    expect(world.running.stats.badHmac).toBe(0);
  });
});

describe('restore with saved credentials', () => {
  it('logs back in without a QR; Baileys 2.3.1 keeps the old tokens (difference B-D1)', async () => {
    const world = await startWorld();
    const saved = await pairedCredentials(world);
    const v2 = newV2Client(world, { auth: saved });
    const user = await login(v2);

    expect(v2.qrs).toEqual([]);
    expect(user.id).toBe(ME_WA);
    const logins = received(world.framesIn(), '"admin","login"');
    expect(logins).toHaveLength(1);
    // It tags its login `s1` and waits for that tag (Validation.js:50-59).
    expect(framesIn(world).filter((frame) => frame.text.includes('"admin","login"')).map((frame) => frame.tag)).toEqual(['s1']);
    expect(logins[0]).toContain('"takeover"');
    // The sandbox handed out new tokens in the Conn; Baileys 2.3.1 only stores tokens from a Conn
    // with a secret (Validation.js:129-162), so it still holds the superseded ones.
    expect(v2.client.base64EncodedAuthInfo()).toEqual(saved);
    expect(await within(v2.client.isOnWhatsApp(ME), 5_000, 'isOnWhatsApp')).toBe(true);
  });
});

describe('restore with a forced challenge', () => {
  it('answers the Cmd challenge with its macKey and gets in', async () => {
    const world = await startWorld();
    const saved = await pairedCredentials(world);
    world.running.faults.forceChallenge();
    const v2 = newV2Client(world, { auth: saved });
    const user = await login(v2);

    expect(user.id).toBe(ME_WA);
    const answers = received(world.framesIn(), '"admin","challenge"');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain(saved.clientID);
    const contacts = (await within(v2.client.getContacts(), 5_000, 'getContacts')) as unknown[];
    expect(contacts[0]).toBe('response');
  });
});

describe('takeover', () => {
  it('a second client with the same credentials replaces the first', async () => {
    const world = await startWorld();
    const first = newV2Client(world);
    await login(first);
    const creds = first.client.base64EncodedAuthInfo();

    const second = newV2Client(world, { auth: creds });
    expect((await login(second)).id).toBe(ME_WA);
    await waitUntil(() => first.disconnects.length > 0, 'the first client to hear it was replaced');
    expect(first.disconnects).toEqual(['replaced']);
    expect(second.disconnects).toEqual([]);
    await waitUntil(() => world.running.sessions().filter((s) => s.connected).length === 1, 'one connected session');
    expect(await within(second.client.isOnWhatsApp(ME), 5_000, 'isOnWhatsApp')).toBe(true);
  });
});

describe('reconnect after a dropped socket', () => {
  it('Baileys 2.3.1 comes back by itself with a takeover login (it has no "reconnect" form)', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world, { autoReconnect: true });
    await login(v2);
    const loggedIn = sandboxEvent(world.running, 'login', () => true, 10_000);

    expect(world.running.faults.dropSocket()).toBe(1);
    await loggedIn;
    await waitUntil(() => world.running.sessions().some((session) => session.connected), 'the session to be connected again', 10_000);
    expect(routed).toHaveLength(2);
    const logins = received(world.framesIn(), '"admin","login"');
    expect(logins).toHaveLength(1);
    expect(logins[0]).toContain('"takeover"');
    expect(received(world.framesIn(), '"reconnect"')).toEqual([]);
    // The request waits for the new socket, then gets its answer.
    expect(await within(v2.client.isOnWhatsApp(ME), 8_000, 'isOnWhatsApp after the reconnect')).toBe(true);
    expect(v2.disconnects).toEqual([]);
  });
});

describe('refused restores', () => {
  it('401 after logout', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    await login(v2);
    const creds = v2.client.base64EncodedAuthInfo();
    const loggedOut = sandboxEvent(world.running, 'logout');
    await logOut(v2);
    await loggedOut;
    expect(world.running.sessions()).toEqual([]);

    await expectRefused(newV2Client(world, { auth: creds }), 401, 'unpaired from phone');
  });

  it('419 for tokens a later login superseded', async () => {
    const world = await startWorld();
    const first = await pairedCredentials(world);
    const v2 = newV2Client(world, { auth: first });
    await login(v2);
    v2.client.close();
    await waitForDisconnected(world);

    // Baileys 2.3.1 knows 401 and 429 only; anything else is "unexpected status" (Validation.js:63-73).
    await expectRefused(newV2Client(world, { auth: first }), 419, 'unexpected status');
  });
});

describe('logout', () => {
  it('sends admin Conn disconnect and the phone forgets the session', async () => {
    const world = await startWorld();
    const v2 = newV2Client(world);
    await login(v2);
    expect(world.running.sessions()).toHaveLength(1);
    const loggedOut = sandboxEvent(world.running, 'logout');
    await logOut(v2);
    await loggedOut;

    // Tagged `goodbye` (lib/WAConnection/Base.js:309).
    const goodbye = framesIn(world).filter((frame) => frame.text === '["admin","Conn","disconnect"]');
    expect(goodbye).toEqual([{ tag: 'goodbye', text: '["admin","Conn","disconnect"]' }]);
    expect(world.running.sessions()).toEqual([]);
    expect(v2.disconnects).toEqual([]);
  });
});
