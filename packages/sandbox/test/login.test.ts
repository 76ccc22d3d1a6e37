import { fromBase64 } from '@wa/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { SandboxError } from '../src/errors.ts';
import { Sandbox } from '../src/sandbox.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { messagesOf, MiniClient, type Credentials } from './support/mini-client.ts';

const me = '15550100001@c.us';
let sandbox: Sandbox;

afterEach(() => sandbox?.close());

describe('admin init', () => {
  it('answers 200 with ref, ttl 20000, update false, curr and the server time', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    sandbox = new Sandbox({ clock });
    const client = memoryClient(sandbox);
    const reply = await client.init();
    expect(reply).toEqual({ status: 200, ref: expect.any(String), ttl: 20000, update: false, curr: '2.2142.12', time: 1_700_000_000_000 });
    expect(sandbox.waitingRefs()).toEqual([{ ref: reply.ref, clientId: client.clientId, connection: 'c1', expiresAt: 1_700_000_020_000 }]);
  });

  it('refuses a malformed init with 400', async () => {
    sandbox = new Sandbox();
    const client = memoryClient(sandbox);
    expect(await client.request(['admin', 'init', 'nope'])).toEqual({ status: 400 });
    expect(sandbox.stats.rejectedFrames).toBe(1);
  });
});

describe('QR login', () => {
  it('logs in by scan: s1 Conn with every field, s2 Stream, s3 Props, then the decrypted chat list', async () => {
    sandbox = new Sandbox({ seed: 'login' });
    const client = memoryClient(sandbox);
    await client.init();
    const result = sandbox.phone.scan(client.qr());
    expect(result).toEqual({ wid: me, clientId: client.clientId, connection: 'c1' });
    const conn = await client.completeQrLogin();
    expect(fromBase64(conn.secret as string)).toHaveLength(144);
    for (const field of ['battery', 'browserToken', 'clientToken', 'serverToken', 'phone', 'platform', 'pushname', 'secret', 'wid', 'ref', 'connected', 'isResponse', 'plugged', 'lc', 'lg', 'locales', 'is24h', 'features']) {
      expect(conn, field).toHaveProperty(field);
    }
    expect(conn).toMatchObject({ wid: me, pushname: 'Sandy Sandbox', platform: 'android', connected: true, ref: client.ref });
    expect((conn.phone as Record<string, string>).device_manufacturer).toBeTypeOf('string');
    expect((await client.waitFor((frame) => frame.kind === 'json' && frame.tag === 's2'))).toMatchObject({ json: ['Stream', 'update', false, '2.2142.12'] });
    const props = await client.waitFor((frame) => frame.kind === 'json' && frame.tag === 's3');
    expect(props).toMatchObject({ json: ['Props', { imageMaxKBytes: 1024, maxParticipants: 257, videoMaxEdge: 960 }] });

    const chats = await client.waitForNode((node) => node[0] === 'response' && node[1]?.type === 'chat');
    const chatNodes = chats.node[2] as Array<[string, Record<string, string>, null]>;
    expect(chatNodes.map((chat) => chat[1].jid)).toContain('15550100002@c.us');
    expect(chatNodes.map((chat) => chat[1].jid)).toContain('15550100001-1600000000@g.us');
    const alice = chatNodes.find((chat) => chat[1].jid === '15550100002@c.us')!;
    expect(alice).toEqual(['chat', expect.objectContaining({ name: 'Alice', count: '1', spam: 'false', mute: '0' }), null]);
    // Clients read the mere presence of read_only as "left the group" (FACTS.md).
    for (const chat of chatNodes) expect(chat[1]).not.toHaveProperty('read_only');
    const contacts = await client.waitForNode((node) => node[0] === 'response' && node[1]?.type === 'contacts');
    expect(contacts.node[2]).toContainEqual(['user', { jid: '15550100005@c.us', name: 'Dave (work)', short: 'Dave', notify: 'Dave' }, null]);
    const recent = await client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'last');
    const texts = messagesOf(recent.node).map((info) => info.message?.conversation);
    expect(texts).toContain('Great, see you there 👋');
    const fromAlice = messagesOf(recent.node).find((info) => info.message?.conversation === 'Great, see you there 👋')!;
    expect(fromAlice.key).toMatchObject({ remoteJid: '15550100002@s.whatsapp.net', fromMe: false });
    expect(sandbox.stats.qrLogins).toBe(1);
  });

  it("announces 'login' after the initial pushes, so scripted messages come after the chat list", async () => {
    sandbox = new Sandbox();
    sandbox.on('login', () => sandbox.contact('15550100002@c.us').sendText('right after login'));
    const client = memoryClient(sandbox);
    await client.init();
    sandbox.phone.scan(client.qr());
    await client.completeQrLogin();
    await client.waitForNode((node) => node[1]?.add === 'relay');
    const order = client.received.flatMap((frame) => (frame.kind === 'node' ? [String(frame.node[1]?.type ?? frame.node[1]?.add)] : []));
    expect(order).toEqual(['chat', 'contacts', 'last', 'relay']);
  });

  it('refuses bad QR codes with typed errors', async () => {
    const clock = new ManualClock();
    sandbox = new Sandbox({ clock });
    const client = memoryClient(sandbox);
    await client.init();
    const [ref, key, clientId] = client.qr().split(',') as [string, string, string];
    const codeOf = (qr: string): string | undefined => {
      try {
        sandbox.phone.scan(qr);
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(SandboxError);
        return (error as SandboxError).code;
      }
    };
    expect(codeOf('just text')).toBe('QR_MALFORMED');
    expect(codeOf(`${ref},${key}`)).toBe('QR_MALFORMED');
    expect(codeOf(`${ref},AAAA,${clientId}`)).toBe('BAD_PUBLIC_KEY');
    expect(codeOf(`${ref},not base64!,${clientId}`)).toBe('BAD_PUBLIC_KEY');
    expect(codeOf(`1@unknown,${key},${clientId}`)).toBe('REF_UNKNOWN');
    expect(codeOf(`${ref},${key},someoneElse`)).toBe('CLIENT_ID_MISMATCH');
    clock.advance(20_000);
    expect(codeOf(client.qr())).toBe('REF_EXPIRED');
    expect(client.received.filter((frame) => frame.kind === 'json' && frame.tag === 's1')).toEqual([]);
  });
});

describe('admin Conn reref', () => {
  it('answers 304 while the ref is valid, 200 with a new ref after expiry at most 5 times, then 429', async () => {
    const clock = new ManualClock();
    sandbox = new Sandbox({ clock });
    const client = memoryClient(sandbox);
    const first = await client.init();
    expect(await client.request(['admin', 'Conn', 'reref'])).toEqual({ status: 304 });
    const refs = new Set([first.ref]);
    for (let i = 0; i < 5; i++) {
      clock.advance(20_000);
      const reply = (await client.request(['admin', 'Conn', 'reref'])) as Record<string, unknown>;
      expect(reply).toEqual({ status: 200, ref: expect.any(String), ttl: 20000 });
      refs.add(reply.ref);
    }
    expect(refs.size).toBe(6);
    clock.advance(20_000);
    expect(await client.request(['admin', 'Conn', 'reref'])).toEqual({ status: 429 });
  });

  it('invalidates the previous ref when a new one is issued', async () => {
    const clock = new ManualClock();
    sandbox = new Sandbox({ clock });
    const client = memoryClient(sandbox);
    await client.init();
    const oldQr = client.qr();
    clock.advance(20_000);
    const reply = (await client.request(['admin', 'Conn', 'reref'])) as { ref: string };
    clock.set(clock.now() - 20_000); // even if the old ref were still young, it is replaced
    expect(() => sandbox.phone.scan(oldQr)).toThrow(expect.objectContaining({ code: 'REF_EXPIRED' }));
    client.ref = reply.ref;
    sandbox.phone.scan(client.qr());
    await client.completeQrLogin();
  });
});

async function loginAndClose(): Promise<Credentials> {
  const client = await loggedInClient(sandbox);
  const credentials = client.credentials();
  client.close();
  await client.waitForClose();
  return credentials;
}

describe('restore', () => {
  it('answers admin login with s1 Conn carrying new tokens, then 200; old tokens stop working', async () => {
    sandbox = new Sandbox();
    const credentials = await loginAndClose();
    const client = memoryClient(sandbox);
    const result = await client.restore(credentials);
    expect(result.status).toBe(200);
    expect(result.challenged).toBe(false);
    expect(result.conn).toMatchObject({ wid: me, connected: true });
    expect(result.conn).not.toHaveProperty('secret');
    expect(result.conn!.clientToken).not.toBe(credentials.clientToken);
    expect(result.conn!.serverToken).not.toBe(credentials.serverToken);
    // The pushes after a restore are sealed with the original keys.
    await client.waitForNode((node) => node[0] === 'response' && node[1]?.type === 'chat');
    expect(sandbox.stats.restores).toBe(1);
    client.close();
    await client.waitForClose();
    const stale = await memoryClient(sandbox).restore(credentials);
    expect(stale.status).toBe(419);
    const fresh = await memoryClient(sandbox).restore(client.credentials());
    expect(fresh.status).toBe(200);
  });

  it('challenges old tokens; a right answer gets s2 Conn, a wrong one 401 and a close', async () => {
    const clock = new ManualClock();
    sandbox = new Sandbox({ clock, tokenLifetimeMs: 60_000 });
    const credentials = await loginAndClose();
    clock.advance(60_000);
    const client = memoryClient(sandbox);
    const result = await client.restore(credentials);
    expect(result).toMatchObject({ status: 200, challenged: true, conn: { wid: me } });
    await client.waitForNode((node) => node[0] === 'response' && node[1]?.type === 'contacts');
    client.close();
    await client.waitForClose();

    sandbox.faults.forceChallenge();
    const cheat = memoryClient(sandbox);
    const wrongKeys = { ...client.credentials(), macKey: new Uint8Array(32) };
    const refused = await cheat.restore(wrongKeys);
    expect(refused).toMatchObject({ status: 401, challenged: true });
    await cheat.waitForClose();
  });

  it('no longer lists the ref of a connection that went on to a challenged restore', async () => {
    sandbox = new Sandbox();
    const credentials = await loginAndClose();
    sandbox.faults.forceChallenge();
    const client = memoryClient(sandbox);
    client.clientId = credentials.clientId;
    await client.init();
    expect(sandbox.waitingRefs()).toHaveLength(1);
    client.sendJson(MiniClient.tag(), ['admin', 'login', credentials.clientToken, credentials.serverToken, credentials.clientId, 'takeover']);
    await client.waitFor((frame) => frame.kind === 'json' && frame.tag === 's1');
    // The client answers a challenge now, not a QR: its ref cannot be scanned, so it is not waiting.
    expect(() => sandbox.phone.scan(client.qr())).toThrow(expect.objectContaining({ code: 'REF_UNKNOWN' }));
    expect(sandbox.waitingRefs()).toEqual([]);
  });

  it('supports the reconnect form with the wid, and refuses a wrong wid with 401', async () => {
    sandbox = new Sandbox();
    const credentials = await loginAndClose();
    expect((await memoryClient(sandbox).restore({ ...credentials, wid: '15550100002@c.us' }, 'reconnect')).status).toBe(401);
    expect((await memoryClient(sandbox).restore(credentials, 'reconnect')).status).toBe(200);
  });

  it('reaches every error status', async () => {
    sandbox = new Sandbox();
    const first = await loggedInClient(sandbox);
    const credentials = first.credentials();
    // 409: reconnect while another socket holds the session.
    expect((await memoryClient(sandbox).restore(credentials, 'reconnect')).status).toBe(409);
    // 405: admin login on a connection that is already logged in.
    const again = (await first.request(['admin', 'login', credentials.clientToken, credentials.serverToken, credentials.clientId, 'takeover'])) as { status: number };
    expect(again.status).toBe(405);
    // 401: tokens nobody issued.
    expect((await memoryClient(sandbox).restore({ ...credentials, clientToken: 'x', serverToken: 'y' })).status).toBe(401);
    // Forced statuses, 403 with tos.
    for (const status of [401, 403, 405, 409, 419] as const) {
      sandbox.faults.forceLoginStatus(status);
      const result = await memoryClient(sandbox).restore(credentials);
      expect(result.status).toBe(status);
      if (status === 403) expect(result.reply.tos).toBe(2);
    }
    sandbox.faults.forceLoginStatus(null);
    expect(first.closed).toBe(false);
  });

  it('takeover: the second client gets the session, the first gets Cmd disconnect replaced and is closed', async () => {
    sandbox = new Sandbox();
    const first = await loggedInClient(sandbox);
    const second = memoryClient(sandbox);
    const result = await second.restore(first.credentials(), 'takeover');
    expect(result.status).toBe(200);
    expect(await first.waitForJson('Cmd')).toEqual(['Cmd', { type: 'disconnect', kind: 'replaced' }]);
    expect((await first.waitForClose()).code).toBe(4001);
    expect(await second.request(['admin', 'test'])).toBe(true);
  });

  it('logout invalidates the tokens (401) and closes the socket', async () => {
    sandbox = new Sandbox();
    const client = await loggedInClient(sandbox);
    const credentials = client.credentials();
    expect(await client.request(['admin', 'Conn', 'disconnect'])).toEqual({ status: 200 });
    await client.waitForClose();
    expect(sandbox.sessions()).toEqual([]);
    expect((await memoryClient(sandbox).restore(credentials)).status).toBe(401);
  });

  it('phone.unpair ends sessions from the phone side', async () => {
    sandbox = new Sandbox();
    const client = await loggedInClient(sandbox);
    const credentials = client.credentials();
    expect(sandbox.phone.sessions()).toEqual([{ clientId: client.clientId, wid: me, browser: ['Mini Test Client', 'Mini', '1.0'], connected: true }]);
    expect(sandbox.phone.unpair()).toBe(1);
    expect(await client.waitForJson('Cmd')).toEqual(['Cmd', { type: 'disconnect' }]);
    await client.waitForClose();
    expect((await memoryClient(sandbox).restore(credentials)).status).toBe(401);
  });
});
