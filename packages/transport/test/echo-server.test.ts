import { describe, expect, inject, it } from 'vitest';
import { Connection, ConnectionClosedError, serializeJson, type CloseInfo, type PongInfo } from '../src/index.ts';

// Started by test/setup/echo-server.global.ts on the Node side, in both test projects.
const url = inject('echoServerUrl');
const inBrowser = typeof window !== 'undefined';

async function connect(options: Partial<ConstructorParameters<typeof Connection>[0]> = {}): Promise<Connection> {
  const conn = new Connection({ url, ...options });
  await conn.open();
  return conn;
}

describe(`Connection over a real socket (${inBrowser ? 'browser WebSocket' : 'ws'})`, () => {
  it('sends Origin https://web.whatsapp.com from Node; a browser sends its own page origin', async () => {
    const conn = await connect();
    const reply = await conn.request(serializeJson(conn.nextTag(), ['origin']));
    if (reply.kind !== 'json') throw new Error(`expected a JSON reply, got ${reply.kind}`);
    const { origin } = reply.json as { origin: string | null };
    if (inBrowser) expect(origin).toBe(window.location.origin);
    else expect(origin).toBe('https://web.whatsapp.com');
    await conn.close();
  });

  it('answers requests by tag, out of order and in parallel', async () => {
    const conn = await connect();
    const tags = Array.from({ length: 20 }, () => conn.nextTag());
    const replies = await Promise.all(tags.map((tag, i) => conn.request(serializeJson(tag, ['echo', { i, text: 'a,b' }]))));
    replies.forEach((reply, i) => expect(reply).toMatchObject({ tag: tags[i], kind: 'json', json: { echo: { i, text: 'a,b' } } }));
    await conn.close();
  });

  it('receives binary frames as bytes', async () => {
    const conn = await connect();
    const reply = await conn.request(serializeJson('bin.--1', ['binary']));
    expect(reply.kind).toBe('binary');
    if (reply.kind === 'binary') expect([...reply.payload]).toEqual([0, 0x2c, 0xff]);
    await conn.close();
  });

  it('gets keep-alive answers', async () => {
    const conn = await connect({ keepAliveIntervalMs: 20, deadAfterMs: 2000 });
    const pong = new Promise<PongInfo>((resolve) => conn.once('pong', resolve));
    conn.startKeepAlive();
    const { time, rttMs } = await pong;
    expect(Math.abs(time - Date.now())).toBeLessThan(5000);
    expect(rttMs).toBeGreaterThanOrEqual(0);
    await conn.close();
  });

  it('rejects pending requests when the server closes', async () => {
    const conn = await connect();
    const closed = new Promise<CloseInfo>((resolve) => conn.once('close', resolve));
    const waiting = conn.waitFor('never').catch((e: unknown) => e);
    conn.send(serializeJson('c.--1', ['close', 4001, 'bye']));
    await expect(closed).resolves.toMatchObject({ code: 4001, reason: 'bye', initiator: 'remote' });
    const error = await waiting;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ closeCode: 4001, reason: 'bye' });
  });
});
