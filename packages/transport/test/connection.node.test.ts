import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import {
  ConnectError,
  Connection,
  ConnectionClosedError,
  defaultWebSocket,
  Flag,
  KeepAliveTimeoutError,
  Metric,
  parseFrame,
  RequestAbortedError,
  RequestTimeoutError,
  serializeBinary,
  serializeJson,
  serializePong,
  type CloseInfo,
  type ConnectionOptions,
  type FrameError,
  type ParsedFrame,
  type PongInfo,
} from '../src/index.ts';
import { startTestServer, type ServerClient, type TestServer, type TestServerOptions } from './ws-server.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const servers: TestServer[] = [];
const connections: Connection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((conn) => conn.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup(
  serverOptions: TestServerOptions = {},
  connectionOptions: Partial<ConnectionOptions> = {},
): Promise<{ server: TestServer; conn: Connection; client: ServerClient }> {
  const server = await startTestServer(serverOptions);
  servers.push(server);
  const conn = new Connection({ url: server.url, ...connectionOptions });
  connections.push(conn);
  await conn.open();
  const client = await server.client(0);
  return { server, conn, client };
}

/** The server answers every tagged JSON request `[…, n]` under its tag, echoing the payload. */
function echo(client: ServerClient, frame: string | Uint8Array): void {
  const parsed = parseFrame(frame, { from: 'client' });
  if (parsed.kind === 'json') client.socket.send(serializeJson(parsed.tag, { echo: parsed.json }));
}

describe('Connection against a ws server on 127.0.0.1', () => {
  it('uses ws by default in Node', () => {
    expect(defaultWebSocket).toBe(NodeWebSocket);
  });

  it('sends the Origin header https://web.whatsapp.com by default', async () => {
    const { client } = await setup();
    expect(client.origin).toBe('https://web.whatsapp.com');
  });

  it('sends a custom Origin, or none when origin is null', async () => {
    const { client } = await setup({}, { origin: 'https://example.org' });
    expect(client.origin).toBe('https://example.org');
    const { client: bare } = await setup({}, { origin: null });
    expect(bare.origin).toBeUndefined();
  });

  it('rejects open() with ConnectError when the server refuses the handshake', async () => {
    const server = await startTestServer({ refuseWith: 403 });
    servers.push(server);
    const conn = new Connection({ url: server.url });
    const error = await conn.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain('403');
    expect(conn.state).toBe('closed');
  });

  it('rejects open() with ConnectError when nothing listens', async () => {
    const server = await startTestServer();
    const url = server.url;
    await server.close();
    await expect(new Connection({ url }).open()).rejects.toBeInstanceOf(ConnectError);
  });

  it('answers a JSON request by tag', async () => {
    const { conn } = await setup({ onFrame: echo });
    const tag = conn.nextTag();
    const reply = await conn.request(serializeJson(tag, ['admin', 'test']));
    expect(reply).toEqual({ tag, kind: 'json', json: { echo: ['admin', 'test'] }, text: '{"echo":["admin","test"]}' });
  });

  it('sends client binary frames with metric and flag and gets the ack under the same tag', async () => {
    const seen: ParsedFrame[] = [];
    const { conn } = await setup({
      onFrame: (client, frame) => {
        const parsed = parseFrame(frame, { from: 'client' });
        seen.push(parsed);
        client.socket.send(serializeJson(parsed.tag, { status: 200 }));
      },
    });
    const sealed = new Uint8Array(64).map((_, i) => (i * 31) & 0xff);
    const reply = await conn.request(serializeBinary('3EB0C431C26A1916E07E', sealed, { metric: Metric.message, flag: Flag.ignore }));
    expect(reply).toMatchObject({ tag: '3EB0C431C26A1916E07E', kind: 'json', json: { status: 200 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ tag: '3EB0C431C26A1916E07E', kind: 'binary', metric: 16, flag: 0x80 });
    if (seen[0]?.kind === 'binary') expect(seen[0].payload).toEqual(sealed);
  });

  it('matches many requests in flight answered out of order, binary replies included', async () => {
    const count = 60;
    const { conn, client } = await setup();
    const tags = Array.from({ length: count }, () => conn.nextTag());
    const replies = tags.map((tag, i) => conn.request(serializeJson(tag, ['query', i])));
    while (client.received.length < count) await sleep(2);
    // Answer in a scrambled order: odd requests by binary frames, even by JSON, pushes in between.
    const order = tags.map((_, i) => (i * 37) % count);
    expect(new Set(order).size).toBe(count);
    for (const i of order) {
      const tag = tags[i] as string;
      if (i % 2) client.socket.send(serializeBinary(tag, new Uint8Array([i, 0x2c, i])));
      else client.socket.send(serializeJson(tag, { index: i }));
      if (i % 10 === 0) client.socket.send(serializeJson(`s${i}`, ['Presence', i]));
    }
    const pushed: ParsedFrame[] = [];
    conn.on('frame', (frame) => pushed.push(frame));
    const results = await Promise.all(replies);
    results.forEach((reply, i) => {
      expect(reply.tag).toBe(tags[i]);
      if (i % 2) {
        expect(reply.kind).toBe('binary');
        if (reply.kind === 'binary') expect([...reply.payload]).toEqual([i, 0x2c, i]);
      } else {
        expect(reply).toMatchObject({ kind: 'json', json: { index: i } });
      }
    });
    await sleep(20);
    expect(pushed.map((frame) => frame.tag).sort()).toEqual(['s0', 's10', 's20', 's30', 's40', 's50']);
    expect(conn.pendingRequests).toBe(0);
  });

  it('times out an unanswered request and stays usable', async () => {
    const { conn, client } = await setup({
      onFrame: (c, frame) => {
        if (typeof frame === 'string' && !frame.startsWith('silent')) echo(c, frame);
      },
    });
    const started = Date.now();
    const error = await conn.request('silent,1', { timeoutMs: 80 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(client.received).toContain('silent,1');
    await expect(conn.request('loud,2')).resolves.toMatchObject({ json: { echo: 2 } });
  });

  it('uses requestTimeoutMs as the default time limit', async () => {
    const { conn } = await setup({}, { requestTimeoutMs: 50 });
    await expect(conn.request('x,1')).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', timeoutMs: 50 });
  });

  it('does not send a request whose signal is already aborted', async () => {
    const { conn, client } = await setup({ onFrame: echo });
    const controller = new AbortController();
    controller.abort();
    await expect(conn.request('aborted,1', { signal: controller.signal })).rejects.toBeInstanceOf(RequestAbortedError);
    await conn.request('after,2');
    expect(client.received).toEqual(['after,2']);
  });

  it('aborts a request in flight; the late answer arrives as a frame event', async () => {
    const { conn, client } = await setup();
    const controller = new AbortController();
    const reply = conn.request('pending,1', { signal: controller.signal });
    await client.nextFrame();
    controller.abort(new Error('navigated away'));
    const error = await reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as Error).cause).toEqual(new Error('navigated away'));
    const late = new Promise<ParsedFrame>((resolve) => conn.once('frame', resolve));
    client.socket.send('pending,{"status":200}');
    await expect(late).resolves.toMatchObject({ tag: 'pending', json: { status: 200 } });
  });

  it('rejects every pending request with ConnectionClosedError when the server closes mid-request', async () => {
    const { conn, client } = await setup();
    const closes: CloseInfo[] = [];
    conn.on('close', (info) => closes.push(info));
    const replies = [conn.request('a,1'), conn.request('b,2'), conn.waitFor('s1')].map((reply) => reply.catch((e: unknown) => e));
    await client.nextFrame();
    await client.nextFrame();
    client.socket.close(4409, 'replaced');
    for (const reply of replies) {
      const error = await reply;
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect(error).toMatchObject({ closeCode: 4409, reason: 'replaced' });
    }
    expect(closes).toEqual([{ code: 4409, reason: 'replaced', initiator: 'remote', error: undefined }]);
    expect(conn.state).toBe('closed');
  });

  it('reports a dropped TCP connection as close 1006', async () => {
    const { conn, client } = await setup();
    const reply = conn.request('a,1');
    await client.nextFrame();
    client.socket.terminate();
    await expect(reply).rejects.toMatchObject({ code: 'CONNECTION_CLOSED', closeCode: 1006 });
  });

  it('closes locally with a code and reason the server receives', async () => {
    const { conn, client } = await setup();
    const serverSaw = new Promise<[number, string]>((resolve) =>
      client.socket.once('close', (code, reason) => resolve([code, reason.toString()])),
    );
    const reply = conn.request('a,1').catch((e: unknown) => e);
    await conn.close(1000, 'logout');
    await expect(reply).resolves.toMatchObject({ closeCode: 1000, reason: 'logout' });
    await expect(serverSaw).resolves.toEqual([1000, 'logout']);
  });

  it('gives each pong the round trip of the keep-alive it answers, also when two were in flight', async () => {
    let waiting = 0;
    const { conn } = await setup(
      {
        onFrame: (client, frame) => {
          if (frame !== '?,,' || ++waiting < 2) return;
          // Both keep-alives answered at once: the second pong answers the second one.
          client.socket.send(serializePong(Date.now()));
          client.socket.send(serializePong(Date.now()));
        },
      },
      { keepAliveIntervalMs: 20, deadAfterMs: 1000 },
    );
    const pongs: PongInfo[] = [];
    conn.on('pong', (pong) => pongs.push(pong));
    conn.startKeepAlive();
    while (pongs.length < 2) await sleep(10);
    conn.stopKeepAlive();
    expect(pongs.map((pong) => typeof pong.rttMs)).toEqual(['number', 'number']);
    expect(pongs[0]!.rttMs!).toBeGreaterThanOrEqual(pongs[1]!.rttMs!);
  });

  it('keeps the connection alive while the server answers ?,, with !<ms>', async () => {
    let pings = 0;
    const { conn } = await setup(
      {
        onFrame: (client, frame) => {
          if (frame === '?,,') {
            pings++;
            client.socket.send(serializePong(Date.now()));
          }
        },
      },
      { keepAliveIntervalMs: 20, deadAfterMs: 150 },
    );
    const pongs: PongInfo[] = [];
    conn.on('pong', (pong) => pongs.push(pong));
    conn.startKeepAlive();
    // At least four times deadAfterMs and ten keep-alives (however late a loaded machine fires the
    // timers): only the answers keep the connection open this long.
    const started = Date.now();
    while ((Date.now() - started < 600 || pongs.length < 10) && Date.now() - started < 10_000) await sleep(20);
    expect(conn.state).toBe('open');
    expect(pings).toBeGreaterThanOrEqual(10);
    expect(pongs.length).toBeGreaterThanOrEqual(10);
    for (const pong of pongs) {
      expect(Math.abs(pong.time - Date.now())).toBeLessThan(5000);
      expect(pong.rttMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('closes as dead when keep-alives go unanswered, rejecting pending requests', async () => {
    const { conn, client } = await setup({}, { keepAliveIntervalMs: 20, deadAfterMs: 70 });
    const serverClosed = new Promise<void>((resolve) => client.socket.once('close', () => resolve()));
    const closed = new Promise<CloseInfo>((resolve) => conn.once('close', resolve));
    const reply = conn.request('a,1', { timeoutMs: 10_000 }).catch((e: unknown) => e);
    const started = Date.now();
    conn.startKeepAlive();
    const info = await closed;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(85);
    expect(info).toMatchObject({ code: 4000, reason: 'keep-alive timeout', initiator: 'local' });
    expect(info.error).toBeInstanceOf(KeepAliveTimeoutError);
    const error = await reply;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as ConnectionClosedError).cause).toBe(info.error);
    await serverClosed;
    expect(client.received.filter((frame) => frame === '?,,').length).toBeGreaterThanOrEqual(2);
  });

  it('reports a malformed frame from the server and stays usable', async () => {
    const { conn, client } = await setup();
    const errors: FrameError[] = [];
    conn.on('frame-error', (error) => errors.push(error));
    const first = conn.request('t1,1');
    await client.nextFrame();
    client.socket.send('this has no comma');
    client.socket.send('s9,{"cut off":');
    client.socket.send(new Uint8Array([1, 2, 3]));
    client.socket.send('t1,"ok"');
    await expect(first).resolves.toMatchObject({ tag: 't1', json: 'ok' });
    expect(errors.map((error) => error.code)).toEqual(['NO_COMMA', 'BAD_JSON', 'NO_COMMA']);
    expect(conn.state).toBe('open');
    const second = conn.request('t2,2');
    await client.nextFrame();
    client.socket.send('t2,"still fine"');
    await expect(second).resolves.toMatchObject({ json: 'still fine' });
  });

  it('opens again after the server closed, on a new socket', async () => {
    const { conn, server, client } = await setup({ onFrame: echo });
    const closed = new Promise<CloseInfo>((resolve) => conn.once('close', resolve));
    client.socket.close(1001, 'restart');
    await closed;
    await conn.open();
    await server.client(1);
    await expect(conn.request('again,1')).resolves.toMatchObject({ json: { echo: 1 } });
  });
});
