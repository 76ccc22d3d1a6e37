/**
 * A broken or hostile server (a raw `ws` server scripted per test): every failure must surface as
 * a typed error from the call that waits on it, or as a skipped frame with a `frame-error` event;
 * never a hang, never an unhandled rejection.
 */
import { encode } from '@wa/binary-codec';
import { randomBytes, sealFrame, toBase64 } from '@wa/crypto';
import { encodeWebMessageInfo } from '@wa/proto';
import { serializeBinary } from '@wa/transport';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DisconnectedError, FrameError, LoginError, MediaError, MemoryAuthStore, RequestError, SendError, WAClient, type Credentials, type WAClientOptions } from '../src/index.ts';
import { answerInit, fakeServer, scan, type FakeServer, type Peer } from './support/fake-server.ts';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

let server: FakeServer;
const clients: WAClient[] = [];
beforeEach(async () => {
  server = await fakeServer();
  unhandled.length = 0;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server.close();
  // Rejections nobody handled surface after a macrotask.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unhandled).toEqual([]);
});

function client(options: WAClientOptions = {}): WAClient {
  return make(options);
}

function make(options: WAClientOptions): WAClient {
  const created = new WAClient({ url: server.url, requestTimeoutMs: 400, keepAliveIntervalMs: 60_000, initialSyncTimeoutMs: 60_000, ...options });
  clients.push(created);
  return created;
}

function storedCredentials(): Credentials {
  return {
    clientId: toBase64(randomBytes(16)),
    clientToken: 'client-token',
    serverToken: '1@server-token',
    encKey: toBase64(randomBytes(32)),
    macKey: toBase64(randomBytes(32)),
    wid: '15550100001@c.us',
    browser: ['Test', 'Chrome', '1'],
  };
}

/** Starts a QR login; resolves with the server's peer and the QR text once the client shows it. */
async function untilQr(waClient: WAClient): Promise<{ peer: Peer; qr: string; connecting: Promise<void> }> {
  const qr = waClient.waitFor('qr');
  const connecting = waClient.connect();
  connecting.catch(() => undefined);
  const peer = await server.nextPeer();
  await answerInit(peer);
  return { peer, qr: (await qr).qr, connecting };
}

/** A client logged in through the fake server; the server holds the session keys. */
async function loggedIn(): Promise<{ waClient: WAClient; peer: Peer }> {
  const waClient = client();
  const { peer, qr, connecting } = await untilQr(waClient);
  scan(peer, qr);
  await connecting;
  return { waClient, peer };
}

describe('a tampered Conn', () => {
  const tampers: Array<[string, (secret: Uint8Array) => string]> = [
    ['a flipped HMAC byte', (secret) => toBase64(secret.map((byte, index) => (index === 40 ? byte ^ 1 : byte)))],
    ['a flipped key byte', (secret) => toBase64(secret.map((byte, index) => (index === 100 ? byte ^ 1 : byte)))],
    ['a secret of 100 bytes', (secret) => toBase64(secret.subarray(0, 100))],
    ['a secret that is not Base64', () => '!!! not base64 !!!'],
  ];
  for (const [what, tamper] of tampers) {
    it(`fails the QR login with LoginError SECRET_MISMATCH (${what}) and closes the socket`, async () => {
      const waClient = client();
      const opened: unknown[] = [];
      waClient.on('open', (info) => opened.push(info));
      const { peer, qr, connecting } = await untilQr(waClient);
      scan(peer, qr, tamper);
      const error = await connecting.then(() => undefined, (reason: unknown) => reason);
      expect(error).toBeInstanceOf(LoginError);
      expect(error).toMatchObject({ code: 'SECRET_MISMATCH' });
      expect(waClient.state).toBe('closed');
      expect(opened).toEqual([]);
      await peer.waitForClose();
    });
  }
});

describe('a server that does not answer or goes away during login', () => {
  it('never answers admin init: LoginError LOGIN_TIMEOUT, socket closed', async () => {
    const waClient = client();
    const connecting = waClient.connect();
    const peer = await server.nextPeer();
    await peer.command('admin', 'init');
    await expect(connecting).rejects.toMatchObject({ name: 'LoginError', code: 'LOGIN_TIMEOUT' });
    expect(waClient.state).toBe('closed');
    await peer.waitForClose();
  });

  it('never answers admin login on a restore: LOGIN_TIMEOUT, the credentials are kept', async () => {
    const auth = new MemoryAuthStore(storedCredentials());
    const waClient = client({ auth });
    const connecting = waClient.connect();
    const peer = await server.nextPeer();
    await answerInit(peer);
    await peer.command('admin', 'login');
    await expect(connecting).rejects.toMatchObject({ name: 'LoginError', code: 'LOGIN_TIMEOUT' });
    expect(await auth.load()).toBeDefined();
  });

  it('answers admin login 200 but never sends the Conn: LOGIN_TIMEOUT', async () => {
    const waClient = client({ auth: new MemoryAuthStore(storedCredentials()) });
    const connecting = waClient.connect();
    const peer = await server.nextPeer();
    await answerInit(peer);
    const login = await peer.command('admin', 'login');
    peer.json(login.tag, { status: 200 });
    await expect(connecting).rejects.toMatchObject({ name: 'LoginError', code: 'LOGIN_TIMEOUT' });
  });

  it('answers admin init with nonsense: LoginError INIT_FAILED', async () => {
    const answers: Array<(tag: string) => string> = [
      (tag) => `${tag},{"status":200}`,
      (tag) => `${tag},{"status":500}`,
      (tag) => `${tag},[1,2]`,
      (tag) => `${tag},null`,
      (tag) => `${tag},`,
      (tag) => `${tag},{oops`,
      (tag) => `${tag},{"status":200,"ref":42}`,
    ];
    for (const answer of answers) {
      const waClient = client();
      const connecting = waClient.connect();
      const peer = await server.nextPeer();
      const { tag } = await peer.command('admin', 'init');
      peer.text(answer(tag));
      const error = await connecting.then(() => undefined, (reason: unknown) => reason);
      expect(error, answer('t')).toBeInstanceOf(LoginError);
      expect(error, answer('t')).toMatchObject({ code: 'INIT_FAILED' });
      await peer.waitForClose();
    }
  });

  it('a ttl that setTimeout cannot hold falls back to the real 20 s instead of a reref storm', async () => {
    const waClient = client();
    const qr = waClient.waitFor('qr');
    void waClient.connect().catch(() => undefined);
    const peer = await server.nextPeer();
    const { tag } = await peer.command('admin', 'init');
    peer.json(tag, { status: 200, ref: '1@ref', ttl: 1e12, update: false, curr: '2.2142.12', time: Date.now() });
    expect(await qr).toMatchObject({ ttlMs: 20_000, attempt: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(peer.frames.filter((frame) => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[2] === 'reref')).toEqual([]);
  });

  it('answers admin login with a status that is not a number: LoginError UNEXPECTED_STATUS', async () => {
    const waClient = client({ auth: new MemoryAuthStore(storedCredentials()) });
    const connecting = waClient.connect();
    const peer = await server.nextPeer();
    await answerInit(peer);
    const login = await peer.command('admin', 'login');
    peer.json(login.tag, { status: '200' });
    await expect(connecting).rejects.toMatchObject({ name: 'LoginError', code: 'UNEXPECTED_STATUS' });
  });

  it('closes the socket at each step of a QR login: DisconnectedError', async () => {
    // Right after admin init arrives, before answering it.
    let waClient = client();
    let connecting = waClient.connect();
    let peer = await server.nextPeer();
    await peer.command('admin', 'init');
    peer.socket.close(1011, 'bye');
    await expect(connecting).rejects.toBeInstanceOf(DisconnectedError);
    expect(waClient.state).toBe('closed');

    // While the QR is shown, with a close handshake and without one.
    for (const drop of [(p: Peer) => p.socket.close(1000), (p: Peer) => p.socket.terminate()]) {
      waClient = client();
      ({ peer, connecting } = await untilQr(waClient));
      drop(peer);
      const error = await connecting.then(() => undefined, (reason: unknown) => reason);
      expect(error).toBeInstanceOf(DisconnectedError);
      expect(waClient.state).toBe('closed');
    }
  });

  it('closes the socket during a restore and after a challenge: DisconnectedError, credentials kept', async () => {
    const auth = new MemoryAuthStore(storedCredentials());
    let waClient = client({ auth });
    let connecting = waClient.connect();
    let peer = await server.nextPeer();
    await answerInit(peer);
    await peer.command('admin', 'login');
    peer.socket.terminate();
    await expect(connecting).rejects.toBeInstanceOf(DisconnectedError);

    waClient = client({ auth });
    connecting = waClient.connect();
    peer = await server.nextPeer();
    await answerInit(peer);
    const login = await peer.command('admin', 'login');
    peer.json('s1', ['Cmd', { type: 'challenge', challenge: toBase64(randomBytes(32)) }]);
    peer.json(login.tag, { status: 200 });
    await peer.command('admin', 'challenge');
    peer.socket.close(1000);
    await expect(connecting).rejects.toBeInstanceOf(DisconnectedError);
    expect(await auth.load()).toBeDefined();
  });

  it('a challenge that is not Base64 fails the restore with CHALLENGE_FAILED', async () => {
    const waClient = client({ auth: new MemoryAuthStore(storedCredentials()) });
    const connecting = waClient.connect();
    const peer = await server.nextPeer();
    await answerInit(peer);
    const login = await peer.command('admin', 'login');
    peer.json('s1', ['Cmd', { type: 'challenge', challenge: '*** not base64 ***' }]);
    peer.json(login.tag, { status: 200 });
    await expect(connecting).rejects.toMatchObject({ name: 'LoginError', code: 'CHALLENGE_FAILED' });
  });

  it('a sealed frame before the keys is skipped with NO_KEYS and the QR login still completes', async () => {
    const waClient = client();
    const errors: FrameError[] = [];
    waClient.on('frame-error', (error) => errors.push(error));
    const { peer, qr, connecting } = await untilQr(waClient);
    peer.sealed('early', ['response', { type: 'chat' }, []], { encKey: randomBytes(32), macKey: randomBytes(32) });
    peer.text('s0,{broken');
    scan(peer, qr);
    await connecting;
    expect(errors.map((error) => [error.code, error.tag])).toEqual([
      ['NO_KEYS', 'early'],
      ['UNPARSABLE', 's0'],
    ]);
  });
});

describe('malformed frames after login', () => {
  it('skips every broken frame with a typed frame-error and keeps the session', async () => {
    const { waClient, peer } = await loggedIn();
    const keys = peer.keys!;
    const errors: FrameError[] = [];
    waClient.on('frame-error', (error) => errors.push(error));
    const otherErrors: unknown[] = [];
    waClient.on('error', (error) => otherErrors.push(error));
    const messages: string[] = [];
    waClient.on('message', (event) => messages.push(event.text ?? ''));
    const receipts: unknown[] = [];
    waClient.on('receipt', (receipt) => receipts.push(receipt));

    const bytes = (text: string, ...tail: number[]): Uint8Array => new Uint8Array([...new TextEncoder().encode(text), ...tail]);
    // Frames the transport cannot parse.
    peer.text('no comma');
    peer.text('');
    peer.text(',{"status":200}');
    peer.text('p1,{not json');
    peer.text('!abc');
    peer.binary(bytes('no comma either'));
    // Sealed frames that fail: too short, bad HMAC, not whole blocks, plaintext that is no node.
    peer.binary(bytes('b1,', 1, 2, 3));
    const tampered = sealFrame(keys, encode(['response', { type: 'chat' }, []]));
    tampered[0] = tampered[0]! ^ 0xff;
    peer.binary(serializeBinary('b2', tampered));
    peer.binary(serializeBinary('b3', sealFrame(keys, encode(['action', {}, []]))).subarray(0, 3 + 60));
    peer.sealed('b4', new Uint8Array([0xfe, 0xfd, 0xfc]));
    peer.sealed('b5', new Uint8Array(0));
    // A batch with one broken message among good ones: only that message is lost.
    const good = encodeWebMessageInfo({ key: { remoteJid: '15550100002@s.whatsapp.net', fromMe: false, id: '3A0000000000000000AA' }, message: { conversation: 'kept' }, messageTimestamp: 1_700_000_000 });
    peer.sealed('b6', ['action', { add: 'relay' }, [['message', null, new Uint8Array([0xff, 0xff])], ['message', null, null], ['message', null, good]]]);
    // JSON pushes of unexpected shapes: ignored without a sound.
    for (const push of [
      'j1,[1,2]',
      'j2,{}',
      'j3,null',
      'j4,["Conn","x"]',
      'j5,["Cmd",null]',
      'j6,["Msg",null]',
      'j7,["Msg",{"cmd":"ack","ack":"2","id":"x"}]',
      'j8,["MsgInfo",{"cmd":"ack","ack":9,"id":["a",5,null]}]',
      'j9,["Presence",5]',
      'j10,["Presence",{"id":5,"type":"available"}]',
      'j11,["Pong","yes"]',
      'j12,["Stream"]',
      `j13,${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      'j14,["Props",{"x":1}]',
      'j15,["Conn",{"wid":5,"secret":"AAAA"}]',
    ]) {
      peer.text(push);
    }
    // Then a good push and a good ack prove the session is alive and in order.
    peer.sealed('b7', ['action', { add: 'relay' }, [['message', null, good]]]);
    peer.json('j16', ['Msg', { cmd: 'ack', ack: 2, id: '3EB0AAAAAAAAAAAAAAAA', from: '15550100001@c.us', to: '15550100002@c.us', t: 1_700_000_000 }]);
    await waClient.waitFor('receipt');

    expect(errors.map((error) => [error.code, error.tag])).toEqual([
      ['UNPARSABLE', undefined],
      ['UNPARSABLE', undefined],
      ['UNPARSABLE', undefined],
      ['UNPARSABLE', 'p1'],
      ['UNPARSABLE', undefined],
      ['UNPARSABLE', undefined],
      ['UNDECRYPTABLE', 'b1'],
      ['BAD_HMAC', 'b2'],
      ['UNDECRYPTABLE', 'b3'],
      ['UNDECODABLE', 'b4'],
      ['UNDECODABLE', 'b5'],
      ['BAD_MESSAGE', 'b6'],
      ['BAD_MESSAGE', 'b6'],
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(FrameError);
    expect(otherErrors).toEqual([]);
    expect(messages).toEqual(['kept', 'kept']);
    expect(receipts).toEqual([{ id: '3EB0AAAAAAAAAAAAAAAA', chat: '15550100002@c.us', ack: 2, status: 'DELIVERY_ACK', timestamp: 1_700_000_000 }]);
    expect(waClient.state).toBe('open');
    expect(waClient.me?.wid).toBe('15550100001@c.us');

    // Requests still work: a message is sent and acknowledged under its id.
    const sending = waClient.sendText('15550100002@c.us', 'still alive');
    const relay = await peer.waitFor((frame) => frame.kind === 'binary' && frame.metric === 16);
    expect(relay.tag).toMatch(/^3EB0[0-9A-F]{16}$/);
    peer.json(relay.tag, { status: 200 });
    expect(await sending).toMatchObject({ id: relay.tag, status: 'SERVER_ACK' });
  });

  it('broken answers to requests reject the request with a typed error; the session goes on', async () => {
    const { waClient, peer } = await loggedIn();
    const errors: FrameError[] = [];
    waClient.on('frame-error', (error) => errors.push(error));

    // Not JSON under the request's tag.
    let pending = waClient.exists('15550100002@c.us');
    let asked = await peer.command('query', 'exist');
    peer.text(`${asked.tag},{oops`);
    await expect(pending).rejects.toBeInstanceOf(RequestError);

    // A JSON answer of the wrong shape.
    pending = waClient.exists('15550100002@c.us');
    asked = await peer.command('query', 'exist');
    peer.json(asked.tag, ['what']);
    await expect(pending).rejects.toBeInstanceOf(RequestError);

    // A sealed answer with a bad HMAC.
    const history = waClient.loadMessages('15550100002@c.us');
    const query = await peer.waitFor((frame) => frame.kind === 'binary' && frame.metric === 7);
    const sealed = sealFrame(peer.keys!, encode(['action', { add: 'before' }, []]));
    sealed[5] = sealed[5]! ^ 1;
    peer.binary(serializeBinary(query.tag, sealed));
    await expect(history).rejects.toMatchObject({ name: 'FrameError', code: 'UNDECODABLE' });
    expect(errors.map((error) => error.code)).toContain('BAD_HMAC');

    // No answer at all: the request times out (typed), nothing else breaks.
    const test = waClient.isPhoneReachable();
    const testFrame = await peer.command('admin', 'test');
    await expect(test).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    // The late answer is a harmless unclaimed frame.
    peer.json(testFrame.tag, true);

    const again = waClient.isPhoneReachable();
    peer.json((await peer.command('admin', 'test')).tag, false);
    expect(await again).toBe(false);
    expect(waClient.state).toBe('open');
  });

  it('a server that closes while a message is pending rejects it with SendError SEND_INTERRUPTED (cause DisconnectedError) and reports close', async () => {
    const { waClient, peer } = await loggedIn();
    const closed = waClient.waitFor('close', { timeoutMs: 2000 });
    const sending = waClient.sendText('15550100002@c.us', 'into the void');
    await peer.waitFor((frame) => frame.kind === 'binary' && frame.metric === 16);
    peer.socket.terminate();
    const error = await sending.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ code: 'SEND_INTERRUPTED', maybeDelivered: true, chat: '15550100002@c.us' });
    expect((error as SendError).id).toMatch(/^3EB0[0-9A-F]{16}$/);
    expect((error as SendError).cause).toBeInstanceOf(DisconnectedError);
    expect(await closed).toMatchObject({ reason: 'connection-lost' });
    expect(waClient.state).toBe('closed');
  });
});

describe('a server that stops answering keep-alives', () => {
  it('is declared dead: disconnected (keep-alive-timeout), then close; requests do not hang', async () => {
    const waClient = client({ keepAliveIntervalMs: 50, requestTimeoutMs: 10_000 });
    const { peer, qr, connecting } = await untilQr(waClient);
    scan(peer, qr);
    await connecting;
    const disconnected = waClient.waitFor('disconnected', { timeoutMs: 8000 });
    const closed = waClient.waitFor('close', { timeoutMs: 8000 });
    const pending = waClient.exists('15550100002@c.us');
    await peer.waitFor((frame) => frame.kind === 'ping');
    expect(await disconnected).toMatchObject({ reason: 'keep-alive-timeout', reconnecting: false });
    expect(await closed).toMatchObject({ reason: 'keep-alive-timeout' });
    await expect(pending).rejects.toBeInstanceOf(DisconnectedError);
    expect(waClient.state).toBe('closed');
  }, 15_000);
});

describe('a server that sends Cmd disconnect and keeps the socket open', () => {
  for (const [kind, reason] of [
    [undefined, 'unpaired'],
    ['replaced', 'replaced'],
  ] as const) {
    it(`reads the frames behind it, then closes the socket itself and reports ${reason}`, async () => {
      const { waClient, peer } = await loggedIn();
      const message = waClient.waitFor('message');
      const disconnected = waClient.waitFor('disconnected', { timeoutMs: 4000 });
      const closed = waClient.waitFor('close', { timeoutMs: 4000 });
      peer.json('1700000000.--1', ['Cmd', { type: 'disconnect', ...(kind !== undefined && { kind }) }]);
      const last = encodeWebMessageInfo({ key: { remoteJid: '15550100002@s.whatsapp.net', fromMe: false, id: '3A0000000000000000BB' }, message: { conversation: 'last words' }, messageTimestamp: 1_700_000_001 });
      peer.sealed('b8', ['action', { add: 'relay' }, [['message', null, last]]]);
      expect(await message).toMatchObject({ id: '3A0000000000000000BB', text: 'last words' });
      expect(peer.closed).toBe(false);
      await peer.waitForClose(4000);
      expect(await disconnected).toEqual({ reason, code: 1000, reconnecting: false });
      expect(await closed).toEqual({ reason, code: 1000 });
      expect(waClient.state).toBe('closed');
    });
  }
});

describe('what the client puts on the wire', () => {
  it('sends a message under its id (3EB0 + 16 hex), metric message, flag ignore, or ack-request to oneself', async () => {
    const { waClient, peer } = await loggedIn();
    for (const [to, flag] of [
      ['15550100002@c.us', 0x80],
      ['15550100001@c.us', 0x40],
    ] as const) {
      const sending = waClient.sendText(to, 'hello');
      const relay = await peer.waitFor((frame) => frame.kind === 'binary' && frame.metric === 16);
      expect(relay).toMatchObject({ kind: 'binary', metric: 16, flag });
      expect(relay.tag).toMatch(/^3EB0[0-9A-F]{16}$/);
      peer.json(relay.tag, { status: 200 });
      expect((await sending).id).toBe(relay.tag);
    }
  });

  it('answers ["Pong",…] pushes and admin test as the phone reachability', async () => {
    const { waClient, peer } = await loggedIn();
    const phone = waClient.waitFor('phone');
    peer.json('1600000000.--1', ['Pong', false]);
    expect(await phone).toEqual({ reachable: false });
    expect(waClient.phoneReachable).toBe(false);
    const asking = waClient.isPhoneReachable();
    const { tag, args } = await peer.command('admin', 'test');
    expect(args).toEqual(['admin', 'test']);
    peer.json(tag, true);
    expect(await asking).toBe(true);
  });
});

describe('mediaConn answers a legacy or broken way', () => {
  /** Logs in with a recording fetch, starts an upload and answers its mediaConn with `answer`. */
  async function uploadWith(answer: unknown): Promise<{ urls: string[]; result: unknown }> {
    const urls: string[] = [];
    const waClient = make({
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('{"url":"https://mmg.example/d/f/1.enc","direct_path":"/d/f/1.enc"}', { status: 200 });
      },
    });
    const { peer, qr, connecting } = await untilQr(waClient);
    scan(peer, qr);
    await connecting;
    const sending = waClient.sendMedia('15550100002@c.us', new Uint8Array([1, 2, 3]), { type: 'image', mimetype: 'image/jpeg' });
    sending.catch(() => undefined);
    const { tag } = await peer.command('query', 'mediaConn');
    peer.json(tag, answer);
    const result = await Promise.race([sending.then(() => 'relayed', (error: unknown) => error), new Promise((resolve) => setTimeout(() => resolve('relayed'), 300))]);
    return { urls, result };
  }

  it('a host without a scheme is reached over https, as legacy servers meant', async () => {
    const { urls } = await uploadWith({ status: 200, media_conn: { auth: 'a+b/c=', ttl: 60, hosts: [{ hostname: 'mmg.example' }] } });
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(/^https:\/\/mmg\.example\/mms\/image\/[A-Za-z0-9_-]{43}\?auth=a%2Bb%2Fc%3D&token=[A-Za-z0-9_-]{43}$/);
  });

  for (const [what, answer] of [
    ['a refusal', { status: 500 }],
    ['a host with a path in it', { status: 200, media_conn: { auth: 'x', ttl: 60, hosts: [{ hostname: 'evil.example/steal?' }] } }],
    ['an unknown scheme', { status: 200, media_conn: { auth: 'x', ttl: 60, hosts: [{ hostname: 'mmg.example', scheme: 'ftp' }] } }],
    ['no auth', { status: 200, media_conn: { ttl: 60, hosts: [{ hostname: 'mmg.example' }] } }],
  ] as const) {
    it(`${what}: MediaError MEDIA_CONN_FAILED and no upload`, async () => {
      const { urls, result } = await uploadWith(answer);
      expect(result).toBeInstanceOf(MediaError);
      expect(result).toMatchObject({ code: 'MEDIA_CONN_FAILED' });
      expect(urls).toEqual([]);
    });
  }
});
