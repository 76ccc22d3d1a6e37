import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** One accepted client as the test server sees it. */
export interface ServerClient {
  socket: WebSocket;
  origin: string | undefined;
  /** Frames received so far: strings for text frames, bytes for binary frames. */
  received: (string | Uint8Array)[];
  /** Resolves with the oldest frame not yet taken by nextFrame(), waiting for one if needed. */
  nextFrame(): Promise<string | Uint8Array>;
}

export interface TestServer {
  url: string;
  clients: ServerClient[];
  /** Resolves with the `index`-th client to connect (0 for the first), now or once it does. */
  client(index?: number): Promise<ServerClient>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Called for every frame; the server does nothing else unless it does. */
  onFrame?: (client: ServerClient, frame: string | Uint8Array) => void;
  /** Refuse the handshake with this HTTP status. */
  refuseWith?: number;
}

function toFrame(data: RawData, isBinary: boolean): string | Uint8Array {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return isBinary ? new Uint8Array(buffer) : buffer.toString('utf8');
}

/** A real `ws` server on 127.0.0.1 with an OS-chosen port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: options.refuseWith ? (_info, done) => done(false, options.refuseWith) : undefined,
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const clients: ServerClient[] = [];
  const clientWaiters = new Map<number, (client: ServerClient) => void>();

  server.on('connection', (socket, request) => {
    const untaken: (string | Uint8Array)[] = [];
    const frameWaiters: ((frame: string | Uint8Array) => void)[] = [];
    const client: ServerClient = {
      socket,
      origin: request.headers.origin,
      received: [],
      nextFrame: () => {
        const frame = untaken.shift();
        if (frame !== undefined) return Promise.resolve(frame);
        return new Promise((resolve) => frameWaiters.push(resolve));
      },
    };
    socket.on('message', (data, isBinary) => {
      const frame = toFrame(data, isBinary);
      client.received.push(frame);
      const waiter = frameWaiters.shift();
      if (waiter) waiter(frame);
      else untaken.push(frame);
      options.onFrame?.(client, frame);
    });
    clients.push(client);
    clientWaiters.get(clients.length - 1)?.(client);
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    clients,
    client: (index = 0) => {
      const connected = clients[index];
      if (connected) return Promise.resolve(connected);
      return new Promise((resolve) => clientWaiters.set(index, resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
