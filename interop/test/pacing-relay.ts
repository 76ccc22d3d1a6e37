/**
 * A diagnostic TCP relay between Baileys and the sandbox that hands the sandbox's WebSocket
 * frames on one by one, `gapMs` apart, so each reaches Baileys in its own network read (as
 * frames from the real service did). Only used when `INTEROP_PACE_MS` is set: it tells timing
 * failures (frames written in one burst) from protocol failures. The suite's verdicts are
 * always taken without it.
 */
import net from 'node:net';

export interface PacingRelay {
  port: number;
  close(): Promise<void>;
}

/** Splits a byte stream after the HTTP upgrade answer into whole WebSocket frames. */
class FrameSplitter {
  #buffer = Buffer.alloc(0);
  #inHeaders = true;

  push(chunk: Buffer): Buffer[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const out: Buffer[] = [];
    if (this.#inHeaders) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return out;
      out.push(this.#buffer.subarray(0, end + 4));
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#inHeaders = false;
    }
    for (;;) {
      const size = frameSize(this.#buffer);
      if (size === undefined || this.#buffer.length < size) return out;
      out.push(this.#buffer.subarray(0, size));
      this.#buffer = this.#buffer.subarray(size);
    }
  }
}

/** Length of the WebSocket frame at the start of `bytes`, or undefined while its header is incomplete. */
function frameSize(bytes: Buffer): number | undefined {
  if (bytes.length < 2) return undefined;
  const masked = (bytes[1]! & 0x80) !== 0;
  const short = bytes[1]! & 0x7f;
  let header = 2;
  let length = short;
  if (short === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    header = 4;
  } else if (short === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    header = 10;
  }
  return header + (masked ? 4 : 0) + length;
}

export async function startPacingRelay(targetPort: number, gapMs: number): Promise<PacingRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    const splitter = new FrameSplitter();
    const queue: Array<Buffer | 'end'> = [];
    let pumping = false;
    const pump = (): void => {
      const next = queue.shift();
      if (next === undefined) {
        pumping = false;
        return;
      }
      if (next === 'end') {
        client.end();
        pumping = false;
        return;
      }
      if (!client.destroyed) client.write(next);
      setTimeout(pump, gapMs);
    };
    const enqueue = (item: Buffer | 'end'): void => {
      queue.push(item);
      if (!pumping) {
        pumping = true;
        setTimeout(pump, gapMs);
      }
    };
    upstream.on('data', (chunk: Buffer) => splitter.push(chunk).forEach(enqueue));
    upstream.on('end', () => enqueue('end'));
    client.pipe(upstream);
    const destroyBoth = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', destroyBoth);
    upstream.on('error', destroyBoth);
    client.on('close', destroyBoth);
    upstream.on('close', () => {
      if (queue.length === 0) destroyBoth();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
