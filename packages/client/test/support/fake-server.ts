/**
 * A raw `ws` server that plays a hostile or broken WhatsApp Web server (Node only): each test
 * scripts what it answers. Built from the primitives, not from @wa/sandbox, so it can send what
 * no well-behaved server would.
 */
import { createRequire } from 'node:module';
import { encode, type Node } from '@wa/binary-codec';
import { sealFrame, type SessionKeys } from '@wa/crypto';
import { parseFrame, serializeBinary, serializeJson, type ParsedFrame } from '@wa/transport';
import type * as WsModule from 'ws';

// `ws` is a dependency of @wa/transport, not of @wa/client: load the very copy the client's
// transport talks through, found from the transport package.
const requireFromTransport = createRequire(createRequire(import.meta.url).resolve('@wa/transport/package.json'));
const { WebSocketServer } = requireFromTransport('ws') as typeof WsModule;

/** One client socket as the fake server sees it. */
export class Peer {
  readonly socket: WsModule.WebSocket;
  /** Frames received from the client, parsed. */
  readonly frames: ParsedFrame[] = [];
  keys: SessionKeys | undefined;
  closed = false;
  #waiters: Array<() => void> = [];
  /** Frames a wait already took, so the next wait finds the next one. */
  readonly #claimed = new Set<ParsedFrame>();

  constructor(socket: WsModule.WebSocket) {
    this.socket = socket;
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
  }

  text(frame: string): void {
    this.socket.send(frame);
  }

  json(tag: string, value: unknown): void {
    this.socket.send(serializeJson(tag, value));
  }

  binary(frame: Uint8Array): void {
    this.socket.send(frame);
  }

  /** Seals `node` (or raw plaintext bytes) with the session keys and sends it under `tag`. */
  sealed(tag: string, node: Node | Uint8Array, keys: SessionKeys = this.keys!): void {
    const plain = node instanceof Uint8Array ? node : encode(node);
    this.socket.send(serializeBinary(tag, sealFrame(keys, plain)));
  }

  /** The first client frame matching `predicate` that no earlier wait took (received or still to come). */
  waitFor(predicate: (frame: ParsedFrame) => boolean, timeoutMs = 3000): Promise<ParsedFrame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const frame = this.frames.find((entry) => !this.#claimed.has(entry) && predicate(entry));
        if (!frame) return false;
        this.#claimed.add(frame);
        clearTimeout(timer);
        resolve(frame);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        reject(new Error('the fake server waited in vain'));
      }, timeoutMs);
      const wake = (): void => {
        if (check()) this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
      };
      if (!check()) this.#waiters.push(wake);
    });
  }

  /** The next JSON command whose array starts with `words` (e.g. `'admin', 'init'`). */
  async command(...words: string[]): Promise<{ tag: string; args: unknown[] }> {
    const isCommand = (entry: ParsedFrame): boolean => {
      if (entry.kind !== 'json' || !Array.isArray(entry.json)) return false;
      const json = entry.json as unknown[];
      return words.every((word, index) => json[index] === word);
    };
    const frame = await this.waitFor(isCommand);
    return { tag: frame.tag, args: (frame as { json: unknown[] }).json };
  }

  /** Resolves when the client has closed the socket. */
  waitForClose(timeoutMs = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the client did not close')), timeoutMs);
      const wake = (): void => {
        if (!this.closed) return;
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(wake);
      wake();
    });
  }

  receive(data: string | Uint8Array): void {
    try {
      this.frames.push(parseFrame(data, { from: 'client' }));
    } catch {
      // The client under test only sends well-formed frames; anything else shows up as a missing frame.
    }
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

export interface FakeServer {
  url: string;
  /** Resolves with the next client socket. */
  nextPeer(): Promise<Peer>;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 that records what clients send and answers nothing by itself.
 * @example
 * ```ts
 * const server = await fakeServer();
 * const peer = await server.nextPeer();
 * ```
 */
export async function fakeServer(): Promise<FakeServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const peers: Peer[] = [];
  const waiting: Array<(peer: Peer) => void> = [];
  wss.on('connection', (socket) => {
    const peer = new Peer(socket);
    socket.on('message', (data: Buffer, isBinary: boolean) => peer.receive(isBinary ? new Uint8Array(data) : data.toString()));
    const waiter = waiting.shift();
    if (waiter) waiter(peer);
    else peers.push(peer);
  });
  const address = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${address.port}/ws`,
    nextPeer: () => {
      const ready = peers.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export { answerInit, scan } from './login-script.ts';
