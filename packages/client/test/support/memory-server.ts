/**
 * A scripted server double that lives in memory, so tests using it run in Node and in browsers
 * alike: `server.WebSocket` is the class to give the client, and each socket it opens shows up as
 * a {@link MemoryPeer} the test plays the server with. Like a network, every frame arrives in its
 * own task, in order, never in the sender's call stack.
 */
import { encode, type Node } from '@wa/binary-codec';
import { sealFrame, type SessionKeys } from '@wa/crypto';
import { parseFrame, serializeBinary, serializeJson, type ParsedFrame, type WebSocketConstructor, type WebSocketLike } from '@wa/transport';
import type { ScriptablePeer } from './login-script.ts';

export { answerInit, scan } from './login-script.ts';

/** Runs `task` in a later task (a macrotask, as a network read would). */
const later = (task: () => void): void => void setTimeout(task, 0);

/** The client's end of a memory link. */
class MemorySocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((event: object) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: object) => void) | null = null;
  readonly peer: MemoryPeer;

  constructor(server: MemoryServer) {
    this.peer = new MemoryPeer(this);
    later(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onopen?.({});
      server.accept(this.peer);
    });
  }

  send(data: string | Uint8Array): void {
    if (this.readyState !== 1) throw new Error('the memory socket is not open');
    // Copied: the sender may reuse its buffer.
    const copy = typeof data === 'string' ? data : data.slice();
    later(() => this.peer.receive(copy));
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    later(() => this.finish(code, reason));
  }

  terminate(): void {
    this.finish(1006, '');
  }

  /** Delivers a server frame; binary frames arrive as ArrayBuffers, as `binaryType = 'arraybuffer'` asks. */
  deliver(data: string | Uint8Array): void {
    const payload = typeof data === 'string' ? data : data.slice().buffer;
    later(() => {
      if (this.readyState === 1) this.onmessage?.({ data: payload });
    });
  }

  finish(code: number, reason: string): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.peer.closed = true;
    this.onclose?.({ code, reason, wasClean: code !== 1006 });
  }
}

/** One client socket as the memory server sees it. */
export class MemoryPeer implements ScriptablePeer {
  /** Frames received from the client, parsed. */
  readonly frames: ParsedFrame[] = [];
  keys: SessionKeys | undefined;
  closed = false;
  readonly #socket: MemorySocket;
  readonly #listeners: Array<(frame: ParsedFrame) => void> = [];
  readonly #claimed = new Set<ParsedFrame>();

  constructor(socket: MemorySocket) {
    this.#socket = socket;
  }

  json(tag: string, value: unknown): void {
    this.#socket.deliver(serializeJson(tag, value));
  }

  /** Seals `node` with the session keys and sends it under `tag`. */
  sealed(tag: string, node: Node, keys: SessionKeys = this.keys!): void {
    this.#socket.deliver(serializeBinary(tag, sealFrame(keys, encode(node))));
  }

  /** Calls `listener` with every client frame from now on; returns the unsubscribe function. */
  onFrame(listener: (frame: ParsedFrame) => void): () => void {
    this.#listeners.push(listener);
    return () => void this.#listeners.splice(this.#listeners.indexOf(listener), 1);
  }

  /** The first client frame matching `predicate` that no earlier wait took (received or still to come). */
  waitFor(predicate: (frame: ParsedFrame) => boolean, timeoutMs = 3000): Promise<ParsedFrame> {
    return new Promise((resolve, reject) => {
      const take = (frame: ParsedFrame): boolean => {
        if (this.#claimed.has(frame) || !predicate(frame)) return false;
        this.#claimed.add(frame);
        clearTimeout(timer);
        unsubscribe();
        resolve(frame);
        return true;
      };
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error('the memory server waited in vain'));
      }, timeoutMs);
      const unsubscribe = this.onFrame(take);
      this.frames.some(take);
    });
  }

  async command(...words: string[]): Promise<{ tag: string; args: unknown[] }> {
    const frame = await this.waitFor((entry) => entry.kind === 'json' && Array.isArray(entry.json) && words.every((word, index) => (entry.json as unknown[])[index] === word));
    return { tag: frame.tag, args: (frame as { json: unknown[] }).json };
  }

  /** Closes the link from the server's side. */
  close(code = 1000, reason = ''): void {
    later(() => this.#socket.finish(code, reason));
  }

  receive(data: string | Uint8Array): void {
    let frame: ParsedFrame;
    try {
      frame = parseFrame(data, { from: 'client' });
    } catch {
      return; // the client under test only sends well-formed frames
    }
    this.frames.push(frame);
    for (const listener of [...this.#listeners]) listener(frame);
  }
}

/** Hands out the peers of the sockets its `WebSocket` class opens. */
export class MemoryServer {
  /** The WebSocket class for `new WAClient({ WebSocket })`. */
  readonly WebSocket: WebSocketConstructor;
  readonly #ready: MemoryPeer[] = [];
  readonly #waiting: Array<(peer: MemoryPeer) => void> = [];

  constructor() {
    this.WebSocket = socketClass(this);
  }

  /** Resolves with the peer of the next socket the client opens. */
  nextPeer(): Promise<MemoryPeer> {
    const ready = this.#ready.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.#waiting.push(resolve));
  }

  accept(peer: MemoryPeer): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(peer);
    else this.#ready.push(peer);
  }
}

/** A WebSocket class whose sockets connect to `server`. */
function socketClass(server: MemoryServer): WebSocketConstructor {
  return class extends MemorySocket {
    constructor() {
      super(server);
    }
  };
}
