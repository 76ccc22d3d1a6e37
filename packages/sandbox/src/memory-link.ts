import type { Sandbox } from './sandbox.js';
import type { SocketHandler } from './socket.js';

/** Why a memory link closed. */
export interface MemoryCloseInfo {
  code: number;
  reason: string;
}

/** The client end of an in-memory link: a minimal WebSocket-like object. */
export interface MemoryClientSocket {
  /** Sends a text (string) or binary (bytes) message to the sandbox. */
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
  let server: SocketHandler | undefined;
  const finish = (code: number, reason: string): void => {
    if (closing) return;
    closing = true;
    queueMicrotask(() => {
      delivered = true;
      server?.closed();
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
      if (closing) throw new Error('memory link is closed');
      const copy = typeof data === 'string' ? data : data.slice();
      queueMicrotask(() => {
        if (!delivered) server?.receive(copy);
      });
    },
    close(code = 1000, reason = '') {
      finish(code, reason);
    },
  };
  server = sandbox.accept({
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
