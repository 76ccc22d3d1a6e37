import { SandboxError } from './errors.js';
import type { Sandbox } from './sandbox.js';
import type { SocketHandler } from './socket.js';

/** Why a memory link closed. */
export interface MemoryCloseInfo {
  code: number;
  reason: string;
}

/** The client end of an in-memory link: a minimal WebSocket-like object. */
export interface MemoryClientSocket {
  /** Sends a text (string) or binary (bytes) message to the sandbox; `SandboxError` `CLOSED` once closed. */
  send(data: string | Uint8Array): void;
  /** Closes the link from the client side. */
  close(code?: number, reason?: string): void;
  /** Called with each message from the sandbox. */
  onmessage: ((data: string | Uint8Array) => void) | null;
  /** Called once when either side closed. */
  onclose: ((info: MemoryCloseInfo) => void) | null;
  /** Whether the link is closed. */
  readonly closed: boolean;
}

/**
 * Connects a client to the sandbox without any network: messages cross in both directions on
 * the microtask queue (asynchronous like a socket, in order), bytes are copied. Works in
 * browsers, which is how the browser tests and an in-page demo run the server.
 * @example
 * ```ts
 * const sandbox = new Sandbox();
 * const { client } = createMemoryLink(sandbox);
 * client.onmessage = (data) => console.log('server says', data);
 * client.send('1600000000.--0,["admin","init",[2,2142,12],["Demo","Chrome"],"MTIzNDU2Nzg5MDEyMzQ1Ng==",true]');
 * ```
 */
export function createMemoryLink(sandbox: Sandbox): { client: MemoryClientSocket; server: SocketHandler } {
  // `closing` stops new sends at once; `delivered` flips in the close microtask, so messages
  // queued before the close still arrive first, as on a real socket.
  let closing = false;
  let delivered = false;
  const finish = (code: number, reason: string): void => {
    if (closing) return;
    closing = true;
    queueMicrotask(() => {
      delivered = true;
      server.closed();
      client.onclose?.({ code, reason });
    });
  };
  const client: MemoryClientSocket = {
    onmessage: null,
    onclose: null,
    get closed() {
      return closing;
    },
    send(data) {
      if (closing) throw new SandboxError('CLOSED', 'memory link is closed');
      const copy = typeof data === 'string' ? data : data.slice();
      queueMicrotask(() => {
        if (!delivered) server.receive(copy);
      });
    },
    close(code = 1000, reason = '') {
      finish(code, reason);
    },
  };
  // The closures above run only after this line: sends and closes are asynchronous.
  const server: SocketHandler = sandbox.accept({
    send(data) {
      if (closing) return;
      const copy = typeof data === 'string' ? data : data.slice();
      queueMicrotask(() => {
        if (!delivered) client.onmessage?.(copy);
      });
    },
    close(code = 1000, reason = '') {
      finish(code, reason);
    },
    terminate() {
      finish(1006, 'dropped');
    },
  });
  return { client, server };
}

/** The WebSocket surface {@link createMemoryWebSocket} implements (what `ws` and browsers share). */
export interface MemoryWebSocket {
  binaryType: string;
  readonly readyState: number;
  readonly url: string;
  onopen: ((event: { type: 'open' }) => void) | null;
  onmessage: ((event: { type: 'message'; data: string | ArrayBuffer | Uint8Array }) => void) | null;
  onclose: ((event: { type: 'close'; code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((event: { type: 'error'; message: string }) => void) | null;
  /** Throws `SandboxError` `CLOSED` unless open, as browsers throw `InvalidStateError`. */
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class whose instances connect to a sandbox in memory. */
export type MemoryWebSocketClass = new (url: string, protocols?: string | string[], options?: unknown) => MemoryWebSocket;

/**
 * A WebSocket class (as `ws` and browsers have) that connects to `sandbox` in memory, whatever
 * the URL. Hand it to a client that takes a WebSocket class, e.g. `@wa/transport`'s
 * `Connection`, to run client and server in one process or one browser page.
 * @example
 * ```ts
 * const sandbox = new Sandbox();
 * const connection = new Connection({ url: 'ws://sandbox/ws', WebSocket: createMemoryWebSocket(sandbox) });
 * await connection.open();
 * ```
 */
export function createMemoryWebSocket(sandbox: Sandbox): MemoryWebSocketClass {
  return class implements MemoryWebSocket {
    #binaryType = 'arraybuffer';
    readyState = 0;
    readonly url: string;
    onopen: MemoryWebSocket['onopen'] = null;
    onmessage: MemoryWebSocket['onmessage'] = null;
    onclose: MemoryWebSocket['onclose'] = null;
    onerror: MemoryWebSocket['onerror'] = null;
    readonly #client: MemoryClientSocket;

    /** `'arraybuffer'` or `'blob'`; other values are ignored, as browsers do. */
    get binaryType(): string {
      return this.#binaryType;
    }

    set binaryType(value: string) {
      if (value === 'arraybuffer' || value === 'blob') this.#binaryType = value;
    }

    constructor(url: string) {
      this.url = url;
      const { client } = createMemoryLink(sandbox);
      this.#client = client;
      client.onmessage = (data) => {
        const payload = typeof data === 'string' || this.binaryType !== 'arraybuffer' ? data : toArrayBuffer(data);
        this.onmessage?.({ type: 'message', data: payload });
      };
      client.onclose = ({ code, reason }) => {
        this.readyState = 3;
        this.onclose?.({ type: 'close', code, reason, wasClean: code !== 1006 });
      };
      // Open asynchronously, like a real socket, so handlers set after construction see it.
      queueMicrotask(() => {
        if (client.closed) return;
        this.readyState = 1;
        this.onopen?.({ type: 'open' });
      });
    }

    send(data: string | Uint8Array): void {
      if (this.readyState !== 1) throw new SandboxError('CLOSED', 'WebSocket is not open');
      this.#client.send(data);
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      this.#client.close(code, reason);
    }
  };
}

/**
 * The link hands over a fresh copy that fills its own buffer: that buffer is passed as it is
 * instead of copying every frame a second time.
 */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer;
}
