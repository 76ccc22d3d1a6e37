import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WireFrameTracker } from '../src/node/wire-frames.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { MiniClient, type ClientLink } from './support/mini-client.ts';
import { openWebSocket, wsClient } from './support/ws-link.ts';

const start = trackedSandboxes();

/** A raw TCP WebSocket client: upgrade by hand, then write whatever bytes a test wants. */
async function rawWebSocket(port: number): Promise<{ socket: Socket; closed: Promise<Buffer> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://web.whatsapp.com\r\n\r\n',
  );
  const chunks: Buffer[] = [];
  const closed = new Promise<Buffer>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks))));
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).includes('\r\n\r\n')) resolve();
    });
  });
  return { socket, closed };
}

/** A masked client text frame (mask 0, so the payload stays readable) announcing `length` bytes. */
function frameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, 0x80 | length, 0, 0, 0, 0]);
  const header = Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff, 0, 0, 0, 0]);
  return header;
}

/** The close code in a server close frame at the end of `bytes`, if any. */
function closeCode(bytes: Buffer): number | undefined {
  const at = bytes.lastIndexOf(Buffer.from([0x88]));
  return at >= 0 && bytes.length >= at + 4 ? bytes.readUInt16BE(at + 2) : undefined;
}

describe('WireFrameTracker', () => {
  it('knows when a frame is in progress, across chunks of any size', () => {
    const tracker = new WireFrameTracker();
    const first = Buffer.concat([frameHeader(300), Buffer.alloc(300, 0x41)]);
    const frame = Buffer.concat([first, frameHeader(2), Buffer.from('?,')]);
    // Frame boundaries: after the first frame (8-byte header + 300) and at the end.
    const boundaries = new Set([first.length, frame.length]);
    expect(first.length).toBe(308);
    for (let size = 1; size <= 7; size++) {
      for (let offset = 0; offset < frame.length; offset += size) {
        const end = Math.min(frame.length, offset + size);
        tracker.feed(frame.subarray(offset, end));
        expect(tracker.midFrame).toBe(!boundaries.has(end));
      }
    }
    const long = Buffer.from([0x82, 0x80 | 127, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4]);
    tracker.feed(long);
    tracker.feed(Buffer.alloc(65_535));
    expect(tracker.midFrame).toBe(true);
    tracker.feed(Buffer.alloc(1));
    expect(tracker.midFrame).toBe(false);
  });
});

describe('socket limits over real sockets', () => {
  it('closes a socket that leaves a frame unfinished (4008) and counts it', async () => {
    const sandbox = await start({ latency: 0, frameTimeoutMs: 300, handshakeTimeoutMs: 0 });
    const { socket, closed } = await rawWebSocket(sandbox.port);
    socket.write(Buffer.concat([frameHeader(1000), Buffer.alloc(100, 0x41)]));
    const bytes = await closed;
    expect(closeCode(bytes)).toBe(4008);
    expect(sandbox.stats.frameTimeouts).toBe(1);
    // A slow but complete frame is fine.
    const slow = await rawWebSocket(sandbox.port);
    slow.socket.write(frameHeader(3));
    await new Promise((resolve) => setTimeout(resolve, 100));
    slow.socket.write('?,,');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(slow.socket.destroyed).toBe(false);
    slow.socket.destroy();
  });

  it('closes a socket that stops reading (4007) while the others carry on', async () => {
    const sandbox = await start({ latency: 0, maxBufferedBytes: 1024 * 1024 });
    const socket = await openWebSocket(sandbox.url);
    const link: ClientLink = { onmessage: null, onclose: null, send: (data) => socket.send(data), close: () => socket.close() };
    socket.on('message', (data: Buffer, isBinary: boolean) => link.onmessage?.(isBinary ? new Uint8Array(data) : data.toString()));
    const reader = new MiniClient(link);
    await reader.init();
    sandbox.phone.scan(reader.qr());
    await reader.completeQrLogin();
    // Stop reading: the kernel buffers fill, then the WebSocket's, then the sandbox closes it.
    socket.pause();
    const alice = sandbox.contact('15550100002@c.us');
    const text = 'z'.repeat(60_000);
    for (let i = 0; i < 1000 && sandbox.stats.backpressureCloses === 0; i++) {
      alice.sendText(text);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(sandbox.stats.backpressureCloses).toBe(1);
    expect(sandbox.stats.connectionsOpen).toBe(0);
    const other = await wsClient(sandbox.url);
    expect(await other.init()).toMatchObject({ status: 200 });
    other.close();
    socket.terminate();
  });
});
