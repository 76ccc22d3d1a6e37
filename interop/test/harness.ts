/**
 * Shared plumbing of the interop suite: a sandbox per test, Baileys connections routed to it,
 * event waiting with timeouts, and clean-up of everything a test opened.
 *
 * Baileys 3.5.3 hard-codes `wss://web.whatsapp.com/ws`; it hands `connectOptions.agent` to `ws`,
 * so {@link SandboxAgent} answers every connection attempt with a plain TCP socket to the
 * sandbox port (plain `ws` over TCP, whatever host and scheme Baileys asked for). Nothing of
 * Baileys is patched.
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { ReconnectMode, WAConnection, type AuthenticationCredentialsBase64 } from '@adiwajshing/baileys';
import { closeWorlds, waitUntil, type World } from './world.ts';

export { ALICE, ALICE_WA, BOB, BOB_WA, delay, ECHO, ECHO_WA, GROUP, ME, ME_WA, sandboxEvent, sandboxTls, startWorld, waitUntil, type World } from './world.ts';


/** Set `INTEROP_DEBUG=1` to see Baileys' own log (pino, level debug) and the sandbox's (world.ts). */
const debug = process.env.INTEROP_DEBUG === '1';

const openClients: WAConnection[] = [];

/** An `https.Agent` whose every connection is a plain TCP socket to the sandbox port. */
export class SandboxAgent extends https.Agent {
  readonly #port: number;

  constructor(port: number) {
    super({ keepAlive: false });
    this.#port = port;
  }

  override createConnection(): net.Socket {
    return net.connect({ host: '127.0.0.1', port: this.#port });
  }
}

/**
 * The same, over TLS: every connection is a TLS socket to the sandbox port (which tells TLS from
 * plain HTTP by the first byte), trusting only the sandbox's certificate: `wss://` end to end.
 */
export class SandboxTlsAgent extends https.Agent {
  readonly #port: number;
  readonly #ca: string;

  constructor(port: number, ca: string) {
    super({ keepAlive: false });
    this.#port = port;
    this.#ca = ca;
  }

  override createConnection(): tls.TLSSocket {
    return tls.connect({ host: '127.0.0.1', port: this.#port, ca: this.#ca });
  }
}

/** Options of {@link newClient}. */
export interface ClientOptions {
  /** Saved credentials (`base64EncodedAuthInfo()`): the client restores instead of showing a QR. */
  auth?: AuthenticationCredentialsBase64;
  /** Let Baileys use `admin login … reconnect` after a lost socket (its default is always `takeover`). */
  useReconnect?: boolean;
  /** Speak `wss://` to the sandbox's TLS side instead of plain `ws://` over TCP. */
  overTls?: boolean;
  /** Agent for media requests (`got`, as `agent.https`). */
  fetchAgent?: https.Agent;
}

/**
 * A Baileys connection pointed at the sandbox, with short internal timeouts so a failing login
 * fails within seconds instead of a minute. Closed by {@link cleanUp}.
 */
export function newClient(world: World, options: ClientOptions = {}): WAConnection {
  const conn = new WAConnection();
  conn.logger.level = debug ? 'debug' : 'silent';
  conn.autoReconnect = ReconnectMode.onConnectionLost;
  // Queries sent while the socket is down wait at most this long for it to come back.
  conn.pendingRequestTimeoutMs = 5_000;
  Object.assign(conn.connectOptions, {
    agent: options.overTls ? new SandboxTlsAgent(world.running.port, requireTls(world).ca) : new SandboxAgent(world.clientPort),
    maxRetries: 1,
    connectCooldownMs: 200,
    maxIdleTimeMs: 6_000,
    phoneResponseTime: 8_000,
    maxQueryResponseTime: 8_000,
    logQR: false,
    alwaysUseTakeover: !options.useReconnect,
  });
  if (options.fetchAgent) conn.connectOptions.fetchAgent = options.fetchAgent;
  if (options.auth) conn.loadAuthInfo(options.auth);
  openClients.push(conn);
  return conn;
}

function requireTls(world: World): { ca: string } {
  if (!world.running.tls) throw new Error('this sandbox was started without TLS');
  return world.running.tls;
}

/** A QR login: the sandbox's phone scans whatever Baileys shows. Resolves with Baileys' open result. */
export async function loginWithQr(world: World, conn: WAConnection): Promise<Awaited<ReturnType<WAConnection['connect']>>> {
  const scanErrors: unknown[] = [];
  conn.on('qr', (qr: string) => {
    // A phone scans a moment after the code is shown, not inside the client's own event.
    setTimeout(() => {
      try {
        world.running.phone.scan(qr);
      } catch (error) {
        scanErrors.push(error);
      }
    }, 5);
  });
  const result = await conn.connect();
  if (scanErrors.length > 0) throw scanErrors[0] as Error;
  return result;
}

/** A QR login that also waits until Baileys has the chat list and the contacts. */
export async function loggedIn(world: World, conn: WAConnection): Promise<void> {
  const chats = nextEvent(conn, 'chats-received');
  const contacts = nextEvent(conn, 'contacts-received');
  await loginWithQr(world, conn);
  await Promise.all([chats, contacts]);
}

/** A fresh QR login whose credentials are returned; the connection is closed afterwards. */
export async function pairedCredentials(world: World): Promise<AuthenticationCredentialsBase64> {
  const conn = newClient(world);
  await loginWithQr(world, conn);
  const creds = conn.base64EncodedAuthInfo();
  conn.close();
  await waitUntil(() => world.running.sessions().every((session) => !session.connected), 'the sandbox to see the socket closed');
  return creds;
}

/**
 * Resolves with the arguments of the next `event` on `emitter` that passes `accept`; rejects
 * after `timeoutMs`. Listen before the action that causes the event.
 */
export function nextEvent<T = unknown>(
  emitter: { on(event: string, listener: (value: T) => void): unknown; off(event: string, listener: (value: T) => void): unknown },
  event: string,
  accept: (value: T) => boolean = () => true,
  timeoutMs = 8_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T): void => {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}

/** Closes every client and sandbox the test opened (use in `afterEach`). */
export async function cleanUp(): Promise<void> {
  for (const conn of openClients.splice(0)) {
    conn.autoReconnect = ReconnectMode.off;
    conn.removeAllListeners('qr');
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
  await closeWorlds();
}
