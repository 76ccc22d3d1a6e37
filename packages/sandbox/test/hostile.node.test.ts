/**
 * Hostile input over a real socket: whatever a client sends, the sandbox answers as a server
 * would (a status under the tag when the tag can be read, else nothing), counts the frame, keeps
 * the socket and every other session up, and never throws out of the `ws` message handler
 * (that would be an uncaught exception and fail this file).
 */
import { encode } from '@wa/binary-codec';
import { sealFrame, toBase64 } from '@wa/crypto';
import { encodeWebMessageInfo } from '@wa/proto';
import { serializeBinary } from '@wa/transport';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SandboxError } from '../src/errors.ts';
import { startSandbox, type RunningSandbox } from '../src/node/start-sandbox.ts';
import { MiniClient } from './support/mini-client.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { openWebSocket, wsClient } from './support/ws-link.ts';

const start = trackedSandboxes();

async function loggedIn(sandbox: RunningSandbox): Promise<MiniClient> {
  const client = await wsClient(sandbox.url);
  await client.init();
  sandbox.phone.scan(client.qr());
  await client.completeQrLogin();
  return client;
}

/** Sends `frame` and waits for the answer under `tag` (a later good request proves none is missing). */
async function answerTo(client: MiniClient, tag: string, frame: string | Uint8Array): Promise<unknown> {
  const reply = client.waitFor((entry) => entry.kind === 'json' && entry.tag === tag);
  client.link.send(frame);
  return ((await reply) as { json: unknown }).json;
}

/** Sends `frame`, then proves the socket is alive with `admin test`; returns what arrived in between. */
async function silentlyDropped(client: MiniClient, frame: string | Uint8Array): Promise<number> {
  const before = client.received.length;
  client.link.send(frame);
  expect(await client.request(['admin', 'test'])).toBeTypeOf('boolean');
  return client.received.length - before - 1;
}

const bytes = (text: string, ...tail: number[]): Uint8Array => new Uint8Array([...new TextEncoder().encode(text), ...tail]);

describe('hostile text frames', () => {
  it('answers malformed commands with a status, drops untagged junk, counts each and stays up', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    const start0 = sandbox.stats.rejectedFrames;
    expect(await silentlyDropped(client, 'no comma here')).toBe(0);
    expect(await silentlyDropped(client, '')).toBe(0);
    expect(await silentlyDropped(client, ',["admin","test"]')).toBe(0);
    expect(sandbox.stats.rejectedFrames - start0).toBe(3);

    const cases: Array<[string, unknown]> = [
      ['t1,{not json', { status: 400 }],
      ['t2,["admin"]', { status: 404 }],
      ['t3,["admin","init"]', { status: 400 }],
      ['t4,["admin","init",[2,2142,12],["a","b"],123,true]', { status: 400 }],
      ['t5,["admin","init","2.2142.12",["a","b"],"id",true]', { status: 400 }],
      ['t6,["admin","init",[2,2142,12],[1,2],"id",true]', { status: 400 }],
      ['t7,["admin","init",[2,2142,12],["a","b"],"a,b",true]', { status: 400 }],
      ['t8,42', { status: 400 }],
      ['t9,null', { status: 400 }],
      ['t10,"admin"', { status: 400 }],
      ['t11,{"admin":"init"}', { status: 400 }],
      ['t12,', { status: 400 }],
      ['t13,[]', { status: 400 }],
      ['t14,[null,"init"]', { status: 400 }],
      ['t15,["admin","Conn"]', { status: 404 }],
      ['t16,["admin","Conn","reref"]', { status: 400 }],
      ['t17,["admin","challenge","AAAA","x","y"]', { status: 400 }],
      ['t18,["admin","login","x","y","z","takeover"]', { status: 400 }],
      ['t19,["admin","login",1,2,3,4]', { status: 400 }],
      ['t20,["query","exist","15550100002@c.us"]', { status: 401 }],
      ['t21,["nonsense",{"a":1}]', { status: 401 }],
      ['t22,["admin","test"]', false],
      ['t23,["admin",{"deep":[1,2]}]', { status: 404 }],
    ];
    for (const [frame, expected] of cases) {
      const tag = frame.slice(0, frame.indexOf(','));
      expect(await answerTo(client, tag, frame), frame).toEqual(expected);
    }
    // Every refusal above was counted, except admin test (a valid command) and t18, a well-formed
    // admin login before admin init, which is a protocol answer rather than a refused frame.
    expect(sandbox.stats.rejectedFrames - start0).toBe(3 + cases.length - 2);
    // Restores with garbage are refused like the real server did, and the socket stays usable.
    await client.init();
    expect(await client.request(['admin', 'login', 'garbage', 'tokens', client.clientId, 'takeover'])).toEqual({ status: 401 });
    expect(await client.request(['admin', 'login', '', '', 'other-client', 'takeover'])).toEqual({ status: 401 });
    expect(await client.request(['admin', 'login', 'a', 'b', client.clientId, 'reconnect', 42])).toEqual({ status: 401 });
    expect(await client.request(['admin', 'login', 'a', 'b', client.clientId, 'sideways'])).toEqual({ status: 400 });
    expect(await client.request(['admin', 'challenge', 'AAAA', 'x', client.clientId])).toEqual({ status: 400 });
    // The socket still works for a real login afterwards.
    sandbox.phone.scan(client.qr());
    expect((await client.completeQrLogin()).wid).toBe('15550100001@c.us');
    client.close();
  });

  it('survives deeply nested arrays in the command name and arguments', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    // Before login frames are limited to 64 KiB: nesting as deep as fits; after login far deeper.
    const shallow = '['.repeat(10_000) + ']'.repeat(10_000);
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(await answerTo(client, 'd1', `d1,${shallow}`)).toEqual({ status: 400 });
    expect(await answerTo(client, 'd2', `d2,["admin",${shallow}]`)).toEqual({ status: 404 });
    expect(await answerTo(client, 'd3', `d3,["query",${shallow}]`)).toEqual({ status: 401 });
    expect(await answerTo(client, 'd4', `d4,["admin","init",${shallow},${shallow},${shallow},true]`)).toEqual({ status: 400 });
    const logged = await loggedIn(sandbox);
    expect(await answerTo(logged, 'd5', `d5,["query",${deep},${deep}]`)).toEqual({ status: 404 });
    expect(await answerTo(logged, 'd6', `d6,["action",${deep}]`)).toEqual({ status: 404 });
    expect(await answerTo(logged, 'd7', `d7,["admin","login",${deep}]`)).toEqual({ status: 400 });
    client.close();
    logged.close();
  });

  it('answers a 3 MB frame after login, and closes sockets that send more than the limit (1009), before parsing', async () => {
    const sandbox = await start();
    const client = await loggedIn(sandbox);
    const big = 'A'.repeat(3 * 1024 * 1024);
    expect(await answerTo(client, 'h1', `h1,["nonsense","${big}"]`)).toEqual({ status: 404 });
    expect(await answerTo(client, 'h2', `h2,{"x":"${big}"}`)).toEqual({ status: 400 });
    expect(sandbox.stats.bytesIn).toBeGreaterThan(6 * 1024 * 1024);
    // Over 4 MiB after login: refused by the WebSocket layer as soon as the header says so.
    client.link.send(`h3,${'A'.repeat(5 * 1024 * 1024)}`);
    expect((await client.waitForClose()).code).toBe(1009);
    // Over 64 KiB before login (admin frames are under 1 KiB): refused by the core.
    const early = await wsClient(sandbox.url);
    early.link.send(`e1,["admin","init",[2,2142,12],["${'B'.repeat(70_000)}","x"],"abc",true]`);
    expect((await early.waitForClose()).code).toBe(1009);
    expect(sandbox.stats.oversizedFrames).toBe(2);
    expect(sandbox.stats.rejectedFrames).toBe(2);
    // Everybody else carries on.
    const other = await wsClient(sandbox.url);
    expect(await other.init()).toMatchObject({ status: 200 });
    other.close();
  });

  it('answers unknown and ill-typed commands after login with 404/400 and keeps the session', async () => {
    const sandbox = await start();
    const client = await loggedIn(sandbox);
    const cases: Array<[string, unknown]> = [
      ['u1,["query","nope","x"]', { status: 404 }],
      ['u2,["query","exist",{"jid":1}]', { status: 404 }],
      ['u3,["query","Status",null]', { status: 404 }],
      ['u4,["query","ProfilePicThumb"]', { status: 404 }],
      ['u5,["query","GroupMetadata",42]', { status: 404 }],
      ['u6,["action","presence","subscribe",5]', { status: 404 }],
      ['u7,["action","nope"]', { status: 404 }],
      ['u8,["admin","init",[2,2142,12],["a","b"],"other",true]', { status: 405 }],
      ['u9,["admin","login","a","b","c","takeover"]', { status: 405 }],
      ['u10,["admin","Conn","reref"]', { status: 400 }],
      ['u11,["admin","challenge",5,null,{}]', { status: 400 }],
      ['u12,["admin","test"]', true],
    ];
    for (const [frame, expected] of cases) {
      const tag = frame.slice(0, frame.indexOf(','));
      expect(await answerTo(client, tag, frame), frame).toEqual(expected);
    }
    client.link.send('?,,');
    expect((await client.waitFor((frame) => frame.kind === 'pong')).kind).toBe('pong');
    client.close();
  });

  it('refuses a pong from a client and a ping with a payload', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    const before = sandbox.stats.rejectedFrames;
    expect(await silentlyDropped(client, '!1600000000000')).toBe(0);
    expect(await silentlyDropped(client, '!abc')).toBe(0);
    expect(sandbox.stats.rejectedFrames - before).toBe(2);
    client.close();
  });
});

describe('hostile binary frames', () => {
  it('refuses binary frames before login with 401 and those it cannot read with 400 or silence', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    const before = sandbox.stats.rejectedFrames;
    expect(await answerTo(client, 'b1', bytes('b1,', 16, 0x80, ...new Uint8Array(64)))).toEqual({ status: 401 });
    expect(await silentlyDropped(client, bytes('no comma at all', 1, 2, 3))).toBe(0);
    expect(await silentlyDropped(client, new Uint8Array(0))).toBe(0);
    expect(await answerTo(client, 'b2', bytes('b2,'))).toEqual({ status: 400 });
    expect(await answerTo(client, 'b3', bytes('b3,', 16))).toEqual({ status: 400 });
    expect(await silentlyDropped(client, new Uint8Array([0xff, 0xfe, 0x2c, 1, 2]))).toBe(0);
    expect(sandbox.stats.rejectedFrames - before).toBe(6);
    client.close();
  });

  it('after login: short, tampered and undecodable sealed frames get 400; the session stays up', async () => {
    const sandbox = await start();
    const client = await loggedIn(sandbox);
    const keys = client.keys!;
    const rejected = sandbox.stats.rejectedFrames;
    const badHmac = sandbox.stats.badHmac;
    const header = (tag: string, payload: Uint8Array): Uint8Array => serializeBinary(tag, payload, { metric: 16, flag: 0x80 });

    expect(await answerTo(client, 'x1', bytes('x1,'))).toEqual({ status: 400 });
    expect(await answerTo(client, 'x2', bytes('x2,', 16, 0x80))).toEqual({ status: 400 });
    expect(await answerTo(client, 'x3', header('x3', new Uint8Array(31)))).toEqual({ status: 400 });
    expect(await answerTo(client, 'x4', header('x4', new Uint8Array(63)))).toEqual({ status: 400 });

    const tampered = sealFrame(keys, encode(['query', { type: 'chat', epoch: '1' }, null]));
    tampered[40] = tampered[40]! ^ 1;
    expect(await answerTo(client, 'x5', header('x5', tampered))).toEqual({ status: 400 });
    expect(sandbox.stats.badHmac - badHmac).toBe(1);

    // Authentic frames whose plaintext is not a node: junk, empty, a node with trailing bytes.
    expect(await answerTo(client, 'x6', header('x6', sealFrame(keys, new Uint8Array([0xfe, 0xfd, 0xfc]))))).toEqual({ status: 400 });
    expect(await answerTo(client, 'x7', header('x7', sealFrame(keys, new Uint8Array(0))))).toEqual({ status: 400 });
    const trailing = new Uint8Array([...encode(['query', { type: 'chat' }, null]), 0]);
    expect(await answerTo(client, 'x8', header('x8', sealFrame(keys, trailing)))).toEqual({ status: 400 });
    expect(sandbox.stats.rejectedFrames - rejected).toBe(8);

    // The session is intact: a proper query still gets the chat list.
    const chats = await client.query(['query', { type: 'chat', epoch: '1' }, null], 5);
    expect(chats.kind).toBe('node');
    expect((chats as { node: unknown[] }).node.slice(0, 2)).toEqual(['response', { type: 'chat' }]);
    client.close();
  });

  it('answers authentic nodes of the wrong shape with a status and never stores nonsense', async () => {
    const sandbox = await start();
    const client = await loggedIn(sandbox);
    const reply = async (node: Parameters<MiniClient['query']>[0]): Promise<unknown> => {
      const frame = await client.query(node, 16);
      return frame.kind === 'json' ? frame.json : frame.kind;
    };
    const chatsBefore = sandbox.world.account('15550100001@c.us')!.chats.length;
    expect(await reply(['nonsense', null, null])).toEqual({ status: 400 });
    expect(await reply(['action', null, null])).toEqual({ status: 400 });
    expect(await reply(['action', { type: 'weird' }, []])).toEqual({ status: 400 });
    expect(await reply(['query', null, null])).toEqual({ status: 404 });
    expect(await reply(['query', { type: 'nope' }, null])).toEqual({ status: 404 });
    expect(await reply(['action', { type: 'relay' }, [['bogus', null, null]]])).toEqual({ status: 400 });
    expect(await reply(['action', { type: 'relay' }, [['message', null, null]]])).toEqual({ status: 400 });
    expect(await reply(['action', { type: 'relay' }, [['message', null, 'text, not bytes']]])).toEqual({ status: 400 });
    expect(await reply(['action', { type: 'relay' }, [['message', null, new Uint8Array([0xff, 0xff, 0xff])]]])).toEqual({ status: 400 });
    const noKey = encodeWebMessageInfo({ key: { fromMe: true }, message: { conversation: 'x' } });
    expect(await reply(['action', { type: 'relay' }, [['message', null, noKey]]])).toEqual({ status: 400 });
    const badJid = encodeWebMessageInfo({ key: { remoteJid: 'not a jid', fromMe: true, id: '3EB0AAAAAAAAAAAAAAAA' }, message: { conversation: 'x' } });
    expect(await reply(['action', { type: 'relay' }, [['message', null, badJid]]])).toEqual({ status: 400 });
    expect(sandbox.world.account('15550100001@c.us')!.chats.length).toBe(chatsBefore);
    // Queries with attributes that name nothing get empty answers, not errors.
    const history = await client.query(['query', { type: 'message', jid: 'nobody', count: 'lots', kind: 'before' }, null], 7);
    expect(history).toMatchObject({ kind: 'node', node: ['action', { add: 'before', last: 'true' }, []] });
    expect(await reply(['action', { type: 'set', epoch: '1' }, [['read', { jid: 'nobody@c.us' }, null], ['presence', { type: 'bogus', to: 'x' }, null]]])).toEqual({ status: 200 });
    // And the session still relays a real message.
    const { reply: ack } = await client.sendText('15550100002@c.us', 'still here');
    expect(ack).toMatchObject({ kind: 'json', json: { status: 200 } });
    client.close();
  });
});

describe('hostile QR scans', () => {
  it('phone.scan refuses malformed QR text with typed errors and leaves the waiting client alone', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    await client.init();
    const key = toBase64(client.keyPair.publicKey);
    const ref = client.ref!;
    const codeOf = (qr: unknown): string => {
      try {
        sandbox.phone.scan(qr as string);
      } catch (error) {
        expect(error).toBeInstanceOf(SandboxError);
        return (error as SandboxError).code;
      }
      return 'accepted';
    };
    expect(codeOf('')).toBe('QR_MALFORMED');
    expect(codeOf(42)).toBe('QR_MALFORMED');
    expect(codeOf(null)).toBe('QR_MALFORMED');
    expect(codeOf(`${ref},${key}`)).toBe('QR_MALFORMED');
    expect(codeOf(`${ref},${key},${client.clientId},extra`)).toBe('QR_MALFORMED');
    expect(codeOf(`,${key},${client.clientId}`)).toBe('QR_MALFORMED');
    expect(codeOf(`${ref},!!!not base64!!!,${client.clientId}`)).toBe('BAD_PUBLIC_KEY');
    expect(codeOf(`${ref},${toBase64(new Uint8Array(31))},${client.clientId}`)).toBe('BAD_PUBLIC_KEY');
    expect(codeOf(`${ref},${toBase64(new Uint8Array(33))},${client.clientId}`)).toBe('BAD_PUBLIC_KEY');
    expect(codeOf(`1@unknown,${key},${client.clientId}`)).toBe('REF_UNKNOWN');
    expect(codeOf(`${ref},${key},someone-else`)).toBe('CLIENT_ID_MISMATCH');
    // A low-order point (all zeros) would make the shared secret all zeros.
    expect(codeOf(`${ref},${toBase64(new Uint8Array(32))},${client.clientId}`)).toBe('BAD_PUBLIC_KEY');
    expect(codeOf(`x`.repeat(1_000_000))).toBe('QR_MALFORMED');
    expect(client.received.filter((frame) => frame.kind === 'json' && frame.tag === 's1')).toEqual([]);
    // The real QR still works afterwards, once; a second scan of the used ref is unknown.
    sandbox.phone.scan(client.qr());
    await client.completeQrLogin();
    expect(codeOf(client.qr())).toBe('REF_UNKNOWN');
    client.close();
  });

  it('POST /scan answers a huge streamed body (no Content-Length) with 413', async () => {
    const sandbox = await start();
    const chunk = new TextEncoder().encode('A'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 256) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${sandbox.httpUrl}/scan`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'INVALID_ARGUMENT' });
    expect((await fetch(`${sandbox.httpUrl}/status`)).status).toBe(200);
  });

  it('POST /scan answers bad bodies with 4xx JSON, huge bodies with 413, other routes with 404', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    await client.init();
    const post = async (body: string | Blob, path = '/scan'): Promise<{ status: number; json: Record<string, unknown> }> => {
      const response = await fetch(`${sandbox.httpUrl}${path}`, { method: 'POST', body });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    expect(await post('')).toEqual({ status: 400, json: expect.objectContaining({ error: 'QR_MALFORMED' }) });
    expect(await post('{')).toEqual({ status: 400, json: expect.objectContaining({ error: 'QR_MALFORMED' }) });
    expect(await post('{"qr":5}')).toEqual({ status: 400, json: expect.objectContaining({ error: 'QR_MALFORMED' }) });
    expect(await post('{"qr":null,"wid":[]}')).toEqual({ status: 400, json: expect.objectContaining({ error: 'QR_MALFORMED' }) });
    expect(await post('[1,2,3]')).toEqual({ status: 400, json: expect.objectContaining({ error: 'BAD_PUBLIC_KEY' }) });
    expect(await post(new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x2c])]))).toEqual({ status: 400, json: expect.objectContaining({ error: 'QR_MALFORMED' }) });
    expect(await post(JSON.stringify({ qr: client.qr(), wid: 'nobody@c.us' }))).toEqual({ status: 404, json: expect.objectContaining({ error: 'NOT_FOUND' }) });
    expect(await post(JSON.stringify({ qr: client.qr(), wid: 42 }))).toMatchObject({ status: 200 });
    await client.completeQrLogin();
    expect(await post(client.qr())).toEqual({ status: 404, json: expect.objectContaining({ error: 'REF_UNKNOWN' }) });
    expect(await post('x', '/elsewhere')).toEqual({ status: 404, json: expect.objectContaining({ error: 'NOT_FOUND' }) });
    const tooBig = await post('A'.repeat(2 * 1024 * 1024));
    expect(tooBig).toEqual({ status: 413, json: expect.objectContaining({ error: 'INVALID_ARGUMENT' }) });
    // The server is still fine afterwards.
    expect((await fetch(`${sandbox.httpUrl}/status`)).status).toBe(200);
    client.close();
  });
});

describe('connection churn and isolation', () => {
  it('many sockets opened and closed quickly leave no refs, no open connections and a working server', async () => {
    const sandbox = await start();
    const bystander = await loggedIn(sandbox);
    const sockets = await Promise.all(Array.from({ length: 40 }, () => openWebSocket(sandbox.url)));
    sockets.forEach((socket, index) => {
      if (index % 2 === 0) socket.send(`c${index},["admin","init",[2,2142,12],["a","b"],"churn${index}",true]`);
      if (index % 3 === 0) socket.send('garbage');
      if (index % 4 === 0) socket.terminate();
      else socket.close();
    });
    // Sockets that die before the handshake completes.
    const aborted = Array.from({ length: 20 }, () => new WebSocket(sandbox.url, { origin: 'https://web.whatsapp.com' }));
    for (const socket of aborted) {
      socket.on('error', () => undefined);
      socket.terminate();
    }
    await expect.poll(() => sandbox.stats.connectionsOpen, { timeout: 5000 }).toBe(1);
    await expect.poll(() => sandbox.waitingRefs().length).toBe(0);
    // The bystander never noticed.
    expect(bystander.closed).toBe(false);
    bystander.link.send('?,,');
    await bystander.waitFor((frame) => frame.kind === 'pong');
    const { reply } = await bystander.sendText('15550100002@c.us', 'after the storm');
    expect(reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    const fresh = await loggedIn(sandbox);
    expect(sandbox.stats.connectionsOpen).toBe(2);
    fresh.close();
    bystander.close();
  });

  it('repeated admin init and rerefs do not grow the ref table, and a closed socket leaves no refs', async () => {
    const sandbox = await start();
    const client = await wsClient(sandbox.url);
    for (let i = 0; i < 20; i++) await client.init();
    for (let i = 0; i < 5; i++) {
      sandbox.faults.expireRefs();
      expect(await client.request(['admin', 'Conn', 'reref'])).toMatchObject({ status: 200 });
    }
    // expireRefs() reports the size of the ref table: the last init's ref and its five rerefs.
    expect(sandbox.faults.expireRefs()).toBe(6);
    client.close();
    await expect.poll(() => sandbox.stats.connectionsOpen).toBe(0);
    expect(sandbox.faults.expireRefs()).toBe(0);
  });

  it('a hostile session does not disturb another logged-in session', async () => {
    const sandbox = await start();
    const good = await loggedIn(sandbox);
    const bad = await loggedIn(sandbox);
    for (const frame of ['x', '', 'a,{', 'b,[[[[', 'c,["admin",1]', 'd,["query",null]']) bad.link.send(frame);
    bad.link.send(bytes('e,', 1, 2, 3, 4, 5));
    bad.link.send(bytes('f'));
    expect(await bad.request(['admin', 'test'])).toBe(true);
    sandbox.contact('15550100002@c.us').sendText('to both');
    for (const client of [good, bad]) {
      await client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'relay');
    }
    expect(good.received.some((frame) => frame.kind === 'json' && /^[a-f]$/.test(frame.tag))).toBe(false);
    good.close();
    bad.close();
  });

  it('close() leaves no timers behind (idle timeout, frame delay, scripted replies)', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));
    await settle();
    const baseline = timers();
    const sandbox = await startSandbox({ idleTimeoutMs: 60_000 });
    const client = await loggedIn(sandbox);
    const idle = await wsClient(sandbox.url);
    await idle.init();
    // Bob delivers after 50 ms and reads after 1 s: a scheduled task is pending.
    const { reply } = await client.sendText('15550100003@c.us', 'schedule something');
    expect(reply).toMatchObject({ kind: 'json', json: { status: 200 } });
    sandbox.faults.delayFrames(30_000);
    client.link.send('?,,');
    idle.link.send('junk');
    await settle();
    // Two idle timers, Bob's pending read, the delivery timer of the delayed frames (one per
    // connection, whatever it holds: the pong and Bob's ack) and whatever ws keeps.
    expect(timers()).toBeGreaterThanOrEqual(baseline + 3);
    await sandbox.close();
    await client.waitForClose();
    await idle.waitForClose();
    await settle();
    expect(timers()).toBeLessThanOrEqual(baseline);
  });
});
