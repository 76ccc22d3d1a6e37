import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CloseCode,
  ConnectError,
  Connection,
  ConnectionClosedError,
  defaultWebSocket,
  DuplicateTagError,
  Flag,
  FrameError,
  InvalidArgumentError,
  KeepAliveTimeoutError,
  Metric,
  NotConnectedError,
  RequestAbortedError,
  RequestTimeoutError,
  serializeBinary,
  serializeJson,
  serializePong,
  SocketError,
  TagGenerator,
  type CloseInfo,
  type Logger,
  type ParsedFrame,
  type PongInfo,
} from '../src/index.ts';
import { FakeWebSocket } from './fake-websocket.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function openFake(options: Partial<ConstructorParameters<typeof Connection>[0]> = {}): Promise<{ conn: Connection; socket: FakeWebSocket }> {
  const conn = new Connection({ url: 'ws://fake.test/ws', WebSocket: FakeWebSocket, ...options });
  const opened = conn.open();
  const socket = FakeWebSocket.last();
  socket.accept();
  await opened;
  return { conn, socket };
}

beforeEach(() => {
  FakeWebSocket.instances = [];
});

describe('Connection options', () => {
  it('rejects a missing url and out-of-range timings', () => {
    expect(() => new Connection({ url: '' })).toThrow(InvalidArgumentError);
    expect(() => new Connection({ url: 'ws://x', keepAliveIntervalMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Connection({ url: 'ws://x', deadAfterMs: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
    expect(() => new Connection({ url: 'ws://x', requestTimeoutMs: -5 })).toThrow(InvalidArgumentError);
    expect(() => new Connection({ url: 'ws://x', requestTimeoutMs: Number.NaN })).toThrow(InvalidArgumentError);
    expect(new Connection({ url: 'ws://x', requestTimeoutMs: Number.POSITIVE_INFINITY }).state).toBe('idle');
  });

  it('rejects keep-alive and close delays a timer cannot hold (they would fire at once)', () => {
    const tooLong = 2 ** 31;
    expect(() => new Connection({ url: 'ws://x', keepAliveIntervalMs: tooLong })).toThrow(InvalidArgumentError);
    expect(() => new Connection({ url: 'ws://x', deadAfterMs: tooLong })).toThrow(InvalidArgumentError);
    expect(() => new Connection({ url: 'ws://x', closeTimeoutMs: tooLong })).toThrow(InvalidArgumentError);
    // The longest interval still gets a default deadAfterMs that fits.
    expect(new Connection({ url: 'ws://x', keepAliveIntervalMs: tooLong - 1 }).state).toBe('idle');
  });

  it('hands out tags from the injected TagGenerator', () => {
    const conn = new Connection({ url: 'ws://x', tags: new TagGenerator({ now: () => 1_500_000_000_000 }) });
    expect(conn.nextTag()).toBe('1500000000.--0');
    expect(conn.nextTag()).toBe('1500000000.--1');
  });
});

describe('Connection.open', () => {
  it('passes the Origin for ws, asks for ArrayBuffers, and reports open', async () => {
    const conn = new Connection({ url: 'ws://fake.test/ws', WebSocket: FakeWebSocket });
    const opens: unknown[] = [];
    conn.on('open', () => opens.push(conn.state));
    const opened = conn.open();
    expect(conn.state).toBe('connecting');
    expect(conn.open()).toBe(opened);
    const socket = FakeWebSocket.last();
    expect(socket.url).toBe('ws://fake.test/ws');
    expect(socket.options).toEqual({ origin: 'https://web.whatsapp.com' });
    expect(socket.binaryType).toBe('arraybuffer');
    socket.accept();
    await opened;
    expect(conn.state).toBe('open');
    expect(opens).toEqual(['open']);
    await conn.open();
    expect(FakeWebSocket.instances.length).toBe(1);
  });

  it('asks a socket that hands out Node Buffers (ws) for them instead of ArrayBuffers', async () => {
    class WsLikeSocket extends FakeWebSocket {
      static override binaryTypes = ['nodebuffer', 'arraybuffer', 'blob'];
    }
    const conn = new Connection({ url: 'ws://fake.test/ws', WebSocket: WsLikeSocket });
    const opened = conn.open();
    const socket = FakeWebSocket.last();
    expect(socket.binaryType).toBe('nodebuffer');
    socket.accept();
    await opened;
    await conn.close();
  });

  it('sends a custom origin, or none when origin is null', async () => {
    void new Connection({ url: 'ws://a', WebSocket: FakeWebSocket, origin: 'https://example.org' }).open();
    expect(FakeWebSocket.last().options).toEqual({ origin: 'https://example.org' });
    void new Connection({ url: 'ws://a', WebSocket: FakeWebSocket, origin: null }).open();
    expect(FakeWebSocket.last().options).toBeUndefined();
  });

  it('rejects with ConnectError when the socket fails before opening, without a close event', async () => {
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket });
    const closes: CloseInfo[] = [];
    conn.on('close', (info) => closes.push(info));
    const opened = conn.open();
    FakeWebSocket.last().fail('ECONNREFUSED');
    const error = await opened.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe('CONNECT_FAILED');
    expect((error as ConnectError).message).toContain('ECONNREFUSED');
    expect(conn.state).toBe('closed');
    expect(closes).toEqual([]);
  });

  it('rejects when the socket closes before opening', async () => {
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket });
    const opened = conn.open();
    FakeWebSocket.last().serverClose(1002, 'no');
    await expect(opened).rejects.toBeInstanceOf(ConnectError);
  });

  it('times out and drops the half-open socket', async () => {
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket });
    const error = await conn.open({ timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toContain('20 ms');
    expect(FakeWebSocket.last().closedWith).toBeDefined();
  });

  it('can be aborted, before and during the attempt', async () => {
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket });
    const early = new AbortController();
    early.abort(new Error('changed my mind'));
    await expect(conn.open({ signal: early.signal })).rejects.toBeInstanceOf(ConnectError);
    expect(FakeWebSocket.instances.length).toBe(0);

    const late = new AbortController();
    const opened = conn.open({ signal: late.signal });
    late.abort();
    await expect(opened).rejects.toBeInstanceOf(ConnectError);
    expect(conn.state).toBe('closed');
  });

  it('rejects when close() is called while connecting', async () => {
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket });
    const opened = conn.open();
    const closing = conn.close();
    await expect(opened).rejects.toBeInstanceOf(ConnectError);
    await closing;
    expect(conn.state).toBe('closed');
  });

  it('rejects when the WebSocket constructor throws (a malformed url)', async () => {
    class Throwing extends FakeWebSocket {
      constructor(url: string) {
        super(url);
        throw new SyntaxError('bad url');
      }
    }
    const error = await new Connection({ url: 'not a url', WebSocket: Throwing }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('uses a WebSocket from isomorphic-ws by default: the global one in browsers, ws in Node', async () => {
    expect(typeof defaultWebSocket).toBe('function');
    const inBrowser = typeof window !== 'undefined';
    if (inBrowser) expect(defaultWebSocket).toBe(globalThis.WebSocket);
    // Nothing listens on port 9 of the loopback: the attempt must fail with a typed error.
    const error = await new Connection({ url: 'ws://127.0.0.1:9/ws' }).open({ timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
  });
});

describe('Connection.send', () => {
  it('sends strings and bytes as they are', async () => {
    const { conn, socket } = await openFake();
    const binary = serializeBinary('t2', new Uint8Array([1, 2]), { metric: Metric.presence, flag: Flag.available });
    conn.send('t1,["admin","test"]');
    conn.send(binary);
    expect(socket.sent).toEqual(['t1,["admin","test"]', binary]);
  });

  it('throws NotConnectedError before open and after close', async () => {
    const conn = new Connection({ url: 'ws://x', WebSocket: FakeWebSocket });
    expect(() => conn.send('t,1')).toThrow(NotConnectedError);
    const { conn: open } = await openFake();
    await open.close();
    expect(() => open.send('t,1')).toThrow(NotConnectedError);
  });

  it('throws FrameError BAD_DATA for values that are not frames', async () => {
    const { conn } = await openFake();
    expect(() => conn.send(42 as unknown as string)).toThrow(FrameError);
  });

  it('wraps a socket that refuses the frame in NotConnectedError', async () => {
    const { conn, socket } = await openFake();
    socket.send = () => {
      throw new Error('buffer full');
    };
    expect(() => conn.send('t,1')).toThrow(NotConnectedError);
  });
});

describe('Connection.request', () => {
  it('resolves with the reply under the same tag; other frames go to the frame event', async () => {
    const { conn, socket } = await openFake();
    const pushed: ParsedFrame[] = [];
    conn.on('frame', (frame) => pushed.push(frame));
    const reply = conn.request(serializeJson('1.--0', ['admin', 'test']));
    expect(socket.sent).toEqual(['1.--0,["admin","test"]']);
    expect(conn.pendingRequests).toBe(1);
    socket.receive('s1,["Pong",true]');
    socket.receive('1.--0,true');
    await expect(reply).resolves.toEqual({ tag: '1.--0', kind: 'json', json: true, text: 'true' });
    expect(pushed).toEqual([{ tag: 's1', kind: 'json', json: ['Pong', true], text: '["Pong",true]' }]);
    expect(conn.pendingRequests).toBe(0);
  });

  it('matches replies out of order, and binary replies too', async () => {
    const { conn, socket } = await openFake();
    const replies = [conn.request('a,1'), conn.request('b,2'), conn.request(serializeBinary('c', new Uint8Array([3]), { metric: 5, flag: 0 }))];
    socket.receive(new TextEncoder().encode('c,\u0009').buffer);
    socket.receive('b,"two"');
    socket.receive('a,"one"');
    const [a, b, c] = await Promise.all(replies);
    expect(a).toMatchObject({ tag: 'a', json: 'one' });
    expect(b).toMatchObject({ tag: 'b', json: 'two' });
    expect(c).toMatchObject({ tag: 'c', kind: 'binary' });
    if (c?.kind === 'binary') expect([...c.payload]).toEqual([9]);
  });

  it('waits on options.tag instead of the frame tag when given', async () => {
    const { conn, socket } = await openFake();
    const reply = conn.request('1.--5,["admin","login"]', { tag: 's1' });
    socket.receive('1.--5,{"status":200}');
    socket.receive('s1,["Conn",{}]');
    await expect(reply).resolves.toMatchObject({ tag: 's1', json: ['Conn', {}] });
  });

  it('waitFor() waits without sending', async () => {
    const { conn, socket } = await openFake();
    const conn1 = conn.waitFor('s1');
    socket.receive('s1,["Conn",{"ref":"r"}]');
    await expect(conn1).resolves.toMatchObject({ tag: 's1', json: ['Conn', { ref: 'r' }] });
    expect(socket.sent).toEqual([]);
    await expect(conn.waitFor('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('times out with RequestTimeoutError; a late reply becomes a frame event', async () => {
    const { conn, socket } = await openFake({ requestTimeoutMs: 15 });
    const frames: ParsedFrame[] = [];
    conn.on('frame', (frame) => frames.push(frame));
    const error = await conn.request('slow,1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', tag: 'slow', timeoutMs: 15 });
    socket.receive('slow,2');
    expect(frames).toMatchObject([{ tag: 'slow', json: 2 }]);
    const quick = conn.request('quick,1', { timeoutMs: 1000 });
    socket.receive('quick,3');
    await expect(quick).resolves.toMatchObject({ json: 3 });
  });

  it('aborts before sending when the signal is already aborted', async () => {
    const { conn, socket } = await openFake();
    const controller = new AbortController();
    const reason = new Error('user left');
    controller.abort(reason);
    const error = await conn.request('t1,1', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).cause).toBe(reason);
    expect(socket.sent).toEqual([]);
  });

  it('aborts while waiting, frees the tag, and a late reply becomes a frame event', async () => {
    const { conn, socket } = await openFake();
    const controller = new AbortController();
    const reply = conn.request('t1,1', { signal: controller.signal });
    expect(socket.sent).toEqual(['t1,1']);
    controller.abort();
    await expect(reply).rejects.toMatchObject({ code: 'REQUEST_ABORTED', tag: 't1' });
    expect(conn.pendingRequests).toBe(0);
    const frames: ParsedFrame[] = [];
    conn.on('frame', (frame) => frames.push(frame));
    socket.receive('t1,"late"');
    expect(frames).toMatchObject([{ tag: 't1', json: 'late' }]);
  });

  it('rejects a second waiter on a pending tag with DuplicateTagError', async () => {
    const { conn, socket } = await openFake();
    const first = conn.request('t1,1');
    await expect(conn.request('t1,2')).rejects.toBeInstanceOf(DuplicateTagError);
    expect(socket.sent).toEqual(['t1,1']);
    socket.receive('t1,0');
    await expect(first).resolves.toMatchObject({ json: 0 });
  });

  it('rejects frames without a tag, bad timeouts, and requests on a closed connection', async () => {
    const { conn } = await openFake();
    await expect(conn.request('no comma')).rejects.toMatchObject({ code: 'NO_COMMA' });
    await expect(conn.request('t,1', { timeoutMs: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await conn.close();
    await expect(conn.request('t,1')).rejects.toBeInstanceOf(NotConnectedError);
    await expect(new Connection({ url: 'ws://x' }).waitFor('s1')).rejects.toBeInstanceOf(NotConnectedError);
  });

  it('rejects the request when its own send fails', async () => {
    const { conn, socket } = await openFake();
    socket.send = () => {
      throw new Error('gone');
    };
    await expect(conn.request('t,1')).rejects.toBeInstanceOf(NotConnectedError);
    expect(conn.pendingRequests).toBe(0);
  });
});

describe('Connection.request with an accept predicate', () => {
  const isStatus = (frame: ParsedFrame): boolean => frame.kind === 'json' && typeof frame.json === 'object' && frame.json !== null && !Array.isArray(frame.json);

  it('passes refused frames under its tag on as frame events and resolves with the accepted one', async () => {
    const { conn, socket } = await openFake();
    const pushed: ParsedFrame[] = [];
    conn.on('frame', (frame) => pushed.push(frame));
    const seen: ParsedFrame[] = [];
    const reply = conn.request('1.--0,["query","exist","x@c.us"]', { accept: (frame) => (seen.push(frame), isStatus(frame)) });
    socket.receive('1.--0,["Presence",{"id":"x@c.us","type":"available"}]');
    socket.receive('1.--0,["Msg",{"cmd":"ack","ack":2,"id":"3EB0"}]');
    socket.receive(new TextEncoder().encode('1.--0,\u0001\u0002').buffer);
    expect(conn.pendingRequests).toBe(1);
    socket.receive('1.--0,{"status":200}');
    await expect(reply).resolves.toEqual({ tag: '1.--0', kind: 'json', json: { status: 200 }, text: '{"status":200}' });
    expect(pushed.map((frame) => frame.kind === 'json' ? frame.json : 'binary')).toEqual([
      ['Presence', { id: 'x@c.us', type: 'available' }],
      ['Msg', { cmd: 'ack', ack: 2, id: '3EB0' }],
      'binary',
    ]);
    expect(seen).toHaveLength(4);
    expect(conn.pendingRequests).toBe(0);
    // Settled: the next frame under the tag is not shown to the predicate again.
    socket.receive('1.--0,{"status":500}');
    expect(seen).toHaveLength(4);
    expect(pushed).toHaveLength(4);
  });

  it('waitFor() takes one too; refused frames do not free the tag', async () => {
    const { conn, socket } = await openFake();
    const pushed: ParsedFrame[] = [];
    conn.on('frame', (frame) => pushed.push(frame));
    const isConn = (frame: ParsedFrame): boolean => frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'Conn';
    const conn1 = conn.waitFor('s1', { accept: isConn });
    socket.receive('s1,["Presence",{"id":"x@c.us","type":"available"}]');
    await expect(conn.waitFor('s1')).rejects.toBeInstanceOf(DuplicateTagError);
    socket.receive('s1,["Conn",{"ref":"r"}]');
    await expect(conn1).resolves.toMatchObject({ json: ['Conn', { ref: 'r' }] });
    expect(pushed).toMatchObject([{ tag: 's1', json: ['Presence', {}] }]);
  });

  it('still times out when only refused frames arrive', async () => {
    const { conn, socket } = await openFake();
    const reply = conn.request('t1,1', { timeoutMs: 15, accept: () => false });
    socket.receive('t1,{"status":200}');
    await expect(reply).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('never sees pongs; a malformed frame under its tag still rejects the request', async () => {
    const { conn, socket } = await openFake();
    const accept = vi.fn(() => true);
    const reply = conn.request('t2,1', { accept });
    socket.receive(serializePong(5));
    socket.receive('t2,{broken');
    await expect(reply).rejects.toMatchObject({ name: 'FrameError', code: 'BAD_JSON', tag: 't2' });
    expect(accept).not.toHaveBeenCalled();
  });

  it('a predicate that throws rejects the request with what it threw; the frame becomes a frame event', async () => {
    const { conn, socket } = await openFake();
    const pushed: ParsedFrame[] = [];
    conn.on('frame', (frame) => pushed.push(frame));
    const bug = new Error('predicate bug');
    const reply = conn.request('t3,1', {
      accept: () => {
        throw bug;
      },
    });
    socket.receive('t3,{"status":200}');
    await expect(reply).rejects.toBe(bug);
    expect(pushed).toMatchObject([{ tag: 't3', json: { status: 200 } }]);
    expect(conn.pendingRequests).toBe(0);
  });

  it('rejects an accept that is not a function, without sending', async () => {
    const { conn, socket } = await openFake();
    await expect(conn.request('t4,1', { accept: 'json' as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(conn.waitFor('s1', { accept: 1 as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(socket.sent).toEqual([]);
    expect(conn.pendingRequests).toBe(0);
  });
});

describe('malformed frames', () => {
  it('emit frame-error and leave the connection usable', async () => {
    const { conn, socket } = await openFake();
    const errors: FrameError[] = [];
    const frames: ParsedFrame[] = [];
    conn.on('frame-error', (error) => errors.push(error));
    conn.on('frame', (frame) => frames.push(frame));
    socket.receive('garbage without comma');
    socket.receive('s2,{"broken":');
    socket.receive(new Uint8Array([0x2c, 1, 2]));
    socket.receive('!notanumber');
    expect(errors.map((e) => e.code)).toEqual(['NO_COMMA', 'BAD_JSON', 'EMPTY_TAG', 'BAD_PONG']);
    expect(frames).toEqual([]);
    expect(conn.state).toBe('open');
    const reply = conn.request('ok,1');
    socket.receive('ok,"fine"');
    await expect(reply).resolves.toMatchObject({ json: 'fine' });
  });

  it('reject the request whose reply is malformed, with the FrameError', async () => {
    const { conn, socket } = await openFake();
    const reply = conn.request('t9,1');
    socket.receive('t9,{oops');
    const error = await reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameError);
    expect(error).toMatchObject({ code: 'BAD_JSON', tag: 't9' });
    expect(conn.state).toBe('open');
  });
});

describe('closing', () => {
  it('close() rejects pending requests, emits close once, and waits for the socket', async () => {
    const { conn, socket } = await openFake();
    const closes: CloseInfo[] = [];
    conn.on('close', (info) => closes.push(info));
    const pending = [conn.request('a,1'), conn.waitFor('s1')].map((request) => request.catch((e: unknown) => e));
    const closing = conn.close(1000, 'logout');
    expect(conn.state).toBe('closed');
    for (const request of pending) {
      const error = await request;
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect(error).toMatchObject({ code: 'CONNECTION_CLOSED', closeCode: 1000, reason: 'logout' });
    }
    await closing;
    expect(socket.readyState).toBe(3);
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'logout' });
    expect(closes).toEqual([{ code: 1000, reason: 'logout', initiator: 'local' }]);
    await conn.close();
    expect(closes.length).toBe(1);
  });

  it('close() drops a socket that never finishes the handshake after closeTimeoutMs', async () => {
    const { conn, socket } = await openFake({ closeTimeoutMs: 20 });
    socket.close = (code?: number, reason?: string) => {
      socket.closedWith = { code, reason };
    };
    await conn.close();
    expect(socket.terminated).toBe(true);
  });

  it('close() validates code and reason, leaving the connection open', async () => {
    const { conn } = await openFake();
    await expect(conn.close(1006)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(conn.close(5000)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(conn.close(1000, 'x'.repeat(124))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(conn.state).toBe('open');
  });

  it('a remote close rejects pending requests with its code and reason', async () => {
    const { conn, socket } = await openFake();
    const closes: CloseInfo[] = [];
    conn.on('close', (info) => closes.push(info));
    const reply = conn.request('a,1');
    socket.serverClose(4409, 'replaced');
    await expect(reply).rejects.toMatchObject({ code: 'CONNECTION_CLOSED', closeCode: 4409, reason: 'replaced' });
    expect(closes).toEqual([{ code: 4409, reason: 'replaced', initiator: 'remote', error: undefined }]);
    expect(conn.state).toBe('closed');
  });

  it('a socket error is emitted, then the close carries it', async () => {
    const { conn, socket } = await openFake();
    const errors: unknown[] = [];
    const closes: CloseInfo[] = [];
    conn.on('error', (error) => errors.push(error));
    conn.on('close', (info) => closes.push(info));
    const reply = conn.request('a,1');
    socket.fail('ECONNRESET');
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(SocketError);
    expect(closes[0]?.code).toBe(1006);
    expect(closes[0]?.initiator).toBe('remote');
    expect(closes[0]?.error).toBe(errors[0]);
    const error = await reply.catch((e: unknown) => e);
    expect((error as ConnectionClosedError).cause).toBe(errors[0]);
  });

  it('a connection can be opened again after it closed; the old socket is ignored', async () => {
    const { conn, socket: first } = await openFake();
    const frames: ParsedFrame[] = [];
    conn.on('frame', (frame) => frames.push(frame));
    first.serverClose(1001, 'restart');
    const reopened = conn.open();
    const second = FakeWebSocket.last();
    expect(second).not.toBe(first);
    second.accept();
    await reopened;
    first.receive('old,1');
    second.receive('new,2');
    expect(frames).toMatchObject([{ tag: 'new', json: 2 }]);
    expect(conn.state).toBe('open');
  });

  it('a close listener may reopen at once without the new socket being closed', async () => {
    const { conn, socket: first } = await openFake();
    let reopened: Promise<void> | undefined;
    conn.once('close', () => {
      reopened = conn.open();
    });
    await conn.close();
    const second = FakeWebSocket.last();
    expect(second).not.toBe(first);
    expect(second.closedWith).toBeUndefined();
    second.accept();
    await reopened;
    expect(conn.state).toBe('open');
  });
});

describe('keep-alive', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('requires an open connection', () => {
    expect(() => new Connection({ url: 'ws://x' }).startKeepAlive()).toThrow(NotConnectedError);
  });

  it('sends ?,, every interval and reports pongs with their round trip', async () => {
    const { conn, socket } = await openFake({ keepAliveIntervalMs: 10, deadAfterMs: 1000 });
    const pongs: PongInfo[] = [];
    conn.on('pong', (pong) => pongs.push(pong));
    conn.startKeepAlive();
    conn.startKeepAlive();
    await vi.waitFor(() => expect(socket.sentTexts().filter((t) => t === '?,,').length).toBeGreaterThanOrEqual(1));
    socket.receive(serializePong(1_600_000_000_123));
    expect(pongs.length).toBe(1);
    expect(pongs[0]?.time).toBe(1_600_000_000_123);
    expect(pongs[0]?.rttMs).toBeGreaterThanOrEqual(0);
    await vi.waitFor(() => expect(socket.sentTexts().filter((t) => t === '?,,').length).toBeGreaterThanOrEqual(3));
    conn.stopKeepAlive();
    const count = socket.sent.length;
    await sleep(40);
    expect(socket.sent.length).toBe(count);
    expect(conn.state).toBe('open');
  });

  it('pongs are not frame events and do not settle requests', async () => {
    const { conn, socket } = await openFake();
    const frames: ParsedFrame[] = [];
    const pongs: PongInfo[] = [];
    conn.on('frame', (frame) => frames.push(frame));
    conn.on('pong', (pong) => pongs.push(pong));
    socket.receive('!5');
    expect(frames).toEqual([]);
    expect(pongs).toEqual([{ time: 5, rttMs: undefined }]);
  });

  it('closes the connection as dead when a keep-alive stays unanswered', async () => {
    const { conn, socket } = await openFake({ keepAliveIntervalMs: 10, deadAfterMs: 40 });
    const closes: CloseInfo[] = [];
    conn.on('close', (info) => closes.push(info));
    const reply = conn.request('a,1', { timeoutMs: 5000 });
    conn.startKeepAlive();
    const error = await reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as ConnectionClosedError).closeCode).toBe(CloseCode.keepAliveTimeout);
    expect((error as ConnectionClosedError).cause).toBeInstanceOf(KeepAliveTimeoutError);
    expect(closes.length).toBe(1);
    expect(closes[0]).toMatchObject({ code: 4000, initiator: 'local' });
    expect(closes[0]?.error).toBeInstanceOf(KeepAliveTimeoutError);
    expect(socket.terminated).toBe(true);
    expect(conn.state).toBe('closed');
    // Keep-alives went out at the interval while the first stayed unanswered, and stop now.
    const pings = socket.sentTexts().filter((t) => t === '?,,').length;
    expect(pings).toBeGreaterThanOrEqual(2);
    await sleep(30);
    expect(socket.sentTexts().filter((t) => t === '?,,').length).toBe(pings);
  });

  it('the dead-connection clock starts at the oldest unanswered keep-alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket, keepAliveIntervalMs: 100, deadAfterMs: 250 });
    const opened = conn.open();
    FakeWebSocket.last().accept();
    await opened;
    conn.startKeepAlive();
    vi.advanceTimersByTime(100); // ping 1 at t=100, dead at t=350
    vi.advanceTimersByTime(200); // pings 2 and 3 at t=200, t=300
    expect(conn.state).toBe('open');
    vi.advanceTimersByTime(49);
    expect(conn.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(conn.state).toBe('closed');
  });

  it('an answer resets the dead-connection clock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const conn = new Connection({ url: 'ws://fake.test', WebSocket: FakeWebSocket, keepAliveIntervalMs: 100, deadAfterMs: 150 });
    const opened = conn.open();
    const socket = FakeWebSocket.last();
    socket.accept();
    await opened;
    conn.startKeepAlive();
    // Ten rounds, 1100 ms in all (far past deadAfterMs), each keep-alive answered after 10 ms.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(110);
      socket.receive('!1');
    }
    expect(conn.state).toBe('open');
    // Last answer at t=1100; the keep-alive at t=1200 stays unanswered and is declared dead at t=1350.
    vi.advanceTimersByTime(249);
    expect(conn.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(conn.state).toBe('closed');
  });
});

describe('logging', () => {
  it('logs tags, kinds and sizes, never payloads', async () => {
    const lines: { level: string; message: string; data?: Record<string, unknown> }[] = [];
    const record =
      (level: string) =>
      (message: string, data?: Record<string, unknown>): void =>
        void lines.push({ level, message, data });
    const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const { conn, socket } = await openFake({ logger, url: 'ws://user:pass@fake.test/ws?token=SECRETTOKEN' });
    const secret = 'SECRETKEYMATERIAL';
    const sealed = new TextEncoder().encode(secret);
    const reply = conn.request(serializeBinary('3EB0AA', sealed, { metric: Metric.message, flag: Flag.ignore }));
    socket.receive(serializeJson('3EB0AA', { status: 200, secret }));
    await reply;
    conn.send(serializeJson('t2', ['admin', 'challenge', secret]));
    socket.receive(serializeBinary('s7', sealed).buffer as ArrayBuffer);
    socket.receive(`bad,{"${secret}"`);
    await conn.close();
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('SECRETTOKEN');
    expect(logged).not.toContain('pass');
    expect(lines).toContainEqual({ level: 'debug', message: 'sent', data: { tag: '3EB0AA', kind: 'binary', size: sealed.length + 9 } });
    expect(lines.some((line) => line.message === 'received' && line.data?.tag === 's7' && line.data?.kind === 'binary')).toBe(true);
    expect(lines.some((line) => line.level === 'warn' && line.data?.code === 'BAD_JSON' && line.data?.tag === 'bad')).toBe(true);
  });
});
