/**
 * A TCP proxy between a client and a server (Node only) that can misbehave the way real links
 * do: go silent without closing (a half-open link: nothing arrives, nobody learns of it), drop
 * the client's side while the server's side stays open and silent (the server still believes in
 * the old socket), or slow every byte down. It forwards bytes, so WebSocket upgrades, headers
 * and frames pass untouched.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  server: Socket;
  /** Forwards nothing any more, and closes neither side when the other one closes. */
  silent: boolean;
}

export interface LinkProxy {
  /** `ws://127.0.0.1:<proxy port><path>` for the given server URL's path. */
  readonly url: string;
  /** Links opened so far (each client socket is one). */
  readonly opened: number;
  /** Links currently forwarding. */
  readonly active: number;
  /** Every current link stops forwarding in both directions without closing either side (new links work). */
  silence(): number;
  /**
   * Every current link goes silent and its client side is destroyed (the client sees a dropped
   * socket at once); the server side stays open, silent: a half-open socket for the server.
   */
  cutClients(): number;
  /** Delays every chunk from now on by `ms` in both directions, order kept (0: no delay). */
  delay(ms: number): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 in front of the WebSocket server at `target` (a `ws://` URL).
 * @example
 * ```ts
 * const proxy = await startLinkProxy(sandbox.url);
 * const client = new WAClient({ url: proxy.url });
 * proxy.cutClients(); // the server keeps a half-open socket
 * ```
 */
export async function startLinkProxy(target: string): Promise<LinkProxy> {
  const { hostname, port, pathname } = new URL(target);
  const links = new Set<Link>();
  let opened = 0;
  let delayMs = 0;

  const forward = (from: Socket, to: Socket, link: Link): void => {
    // Chunks leave in order: each one is due no earlier than the one before it.
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      if (link.silent) return;
      if (delayMs === 0 && lastDue <= Date.now()) {
        to.write(chunk);
        return;
      }
      const due = Math.max(Date.now() + delayMs, lastDue);
      lastDue = due;
      setTimeout(() => {
        if (!link.silent && !to.destroyed) to.write(chunk);
      }, due - Date.now());
    });
  };

  const server: Server = createServer((client) => {
    opened += 1;
    const upstream = connect(Number(port), hostname);
    const link: Link = { client, server: upstream, silent: false };
    links.add(link);
    forward(client, upstream, link);
    forward(upstream, client, link);
    const end = (other: Socket) => () => {
      links.delete(link);
      if (!link.silent) other.destroy();
    };
    client.on('close', end(upstream));
    upstream.on('close', end(client));
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  const silenced = new Set<Link>();

  return {
    url: `ws://127.0.0.1:${address.port}${pathname}`,
    get opened() {
      return opened;
    },
    get active() {
      return [...links].filter((link) => !link.silent).length;
    },
    silence() {
      let count = 0;
      for (const link of links) {
        if (link.silent) continue;
        link.silent = true;
        silenced.add(link);
        count += 1;
      }
      return count;
    },
    cutClients() {
      let count = 0;
      for (const link of links) {
        if (!link.silent) count += 1;
        link.silent = true;
        silenced.add(link);
        link.client.destroy();
      }
      return count;
    },
    delay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const link of [...links, ...silenced]) {
        link.client.destroy();
        link.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
