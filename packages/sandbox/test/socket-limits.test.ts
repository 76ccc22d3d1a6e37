import { describe, expect, it } from 'vitest';
import { Sandbox } from '../src/sandbox.ts';
import type { SandboxSocket } from '../src/socket.ts';
import { eventually, loggedInClient, memoryClient } from './support/memory.ts';

/** A socket double that records what the core does and reports a settable `bufferedAmount`. */
function fakeSocket(): SandboxSocket & { sent: number; closes: Array<number | undefined>; terminated: boolean; buffered: number } {
  return {
    sent: 0,
    closes: [],
    terminated: false,
    buffered: 0,
    send() {
      this.sent += 1;
    },
    close(code?: number) {
      this.closes.push(code);
    },
    terminate() {
      this.terminated = true;
    },
    get bufferedAmount() {
      return this.buffered;
    },
  };
}

const init = '1.--0,["admin","init",[2,2142,12],["A","B"],"Y2xpZW50LWlkLTE2Ynl0ZQ==",true]';

describe('socket limits of the core', () => {
  it('closes a socket that stops reading once its unsent data passes maxBufferedBytes (4007)', async () => {
    const sandbox = new Sandbox({ latency: 0, maxBufferedBytes: 1000 });
    const socket = fakeSocket();
    const handler = sandbox.accept(socket);
    handler.receive(init);
    await eventually(() => socket.sent === 1);
    expect(socket.closes).toEqual([]);
    socket.buffered = 1001;
    handler.receive('?,,');
    await eventually(() => socket.closes.length === 1);
    expect(socket.closes).toEqual([4007]);
    expect(socket.terminated).toBe(true);
    expect(sandbox.stats).toMatchObject({ backpressureCloses: 1, connectionsOpen: 0 });
    sandbox.close();
  });

  it('closes a socket that sends a frame over the limit before login (64 KiB) or after (maxFrameBytes), with 1009', async () => {
    const sandbox = new Sandbox({ latency: 0, maxFrameBytes: 200_000 });
    const early = fakeSocket();
    sandbox.accept(early).receive(`1.--0,${'x'.repeat(70_000)}`);
    expect(early.closes).toEqual([1009]);
    const client = await loggedInClient(sandbox);
    client.link.send(`2.--0,["query","exist","${'1'.repeat(150_000)}@c.us"]`);
    expect(await client.request(['admin', 'test'])).toBe(true);
    client.link.send(`3.--0,${'y'.repeat(200_001)}`);
    expect((await client.waitForClose()).code).toBe(1009);
    expect(sandbox.stats.oversizedFrames).toBe(2);
    // The session itself is intact: a later restore works.
    expect(sandbox.sessions()).toHaveLength(1);
    sandbox.close();
  });

  it('closes sockets that never log in and stay silent (handshakeTimeoutMs, 4006); logged-in ones stay', async () => {
    const sandbox = new Sandbox({ latency: 0, handshakeTimeoutMs: 150 });
    const silent = memoryClient(sandbox);
    const waiting = memoryClient(sandbox);
    await waiting.init();
    const loggedIn = await loggedInClient(sandbox);
    expect((await silent.waitForClose(2000)).code).toBe(4006);
    // A QR that nobody scans (and no reref) ends the same way.
    expect((await waiting.waitForClose(2000)).code).toBe(4006);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(loggedIn.closed).toBe(false);
    expect(await loggedIn.request(['admin', 'test'])).toBe(true);
    expect(sandbox.stats.idleTimeouts).toBe(2);
    sandbox.close();
  });

  it('counts frames dropped because a connection has too many waiting', async () => {
    const sandbox = new Sandbox({ latency: { serverMs: 60_000, phoneMs: 0 } });
    const socket = fakeSocket();
    const handler = sandbox.accept(socket);
    // Every keep-alive answer waits a minute; the outbox holds at most MAX_QUEUED_FRAMES.
    for (let i = 0; i < 100_010; i++) handler.receive('?,,');
    expect(sandbox.stats.outboxOverflows).toBe(10);
    sandbox.close();
  });
});
