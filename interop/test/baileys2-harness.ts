/**
 * Plumbing for the second independent client, Baileys 2.3.1 (the 2020 `WAClient` line, installed
 * as the npm alias `baileys2`), on top of the shared sandbox plumbing in harness.ts.
 *
 * Baileys 2.3.1 offers no way to change where it connects: `connectSlim` builds
 * `new WebSocket('wss://web.whatsapp.com/ws', null, { origin })` itself
 * (lib/WAConnection/Connect.js:71) and passes no agent, and `ws` 7 then calls Node's
 * `tls.connect()` directly (its `createConnection` is always its own `tlsConnect`, so not even
 * `https.globalAgent` is consulted). The least invasive hook left is Node's own `tls.connect`:
 * {@link routeToSandbox} wraps it for the duration of a test so that a connection to
 * `web.whatsapp.com:443`, and only that, becomes a TLS connection to the sandbox's port that trusts
 * only the sandbox certificate. Nothing of Baileys (or of `ws`) is patched; everything else goes to
 * the real `tls.connect` unchanged, and {@link cleanUpV2} puts the original back.
 *
 * Media go through `node-fetch` without an agent, i.e. `https.globalAgent`, whose `ca` is set to
 * the sandbox's certificate while a test runs (as the 3.5.3 media tests do).
 */
import https from 'node:https';
import tls from 'node:tls';
import { MessageLogLevel, WAClient, type AuthenticationCredentialsBase64, type UserMetaData, type WAMessage } from 'baileys2';
import { closeWorlds, delay, type World } from './world.ts';

export { ALICE, ALICE_WA, BOB, BOB_WA, delay, ECHO_WA, GROUP, ME, ME_WA, sandboxEvent, startWorld, waitUntil, type World } from './world.ts';


/** Set `INTEROP_DEBUG=1` to see Baileys 2.3.1's own log (every frame it receives). */
const debug = process.env.INTEROP_DEBUG === '1';

type TlsConnect = (...args: unknown[]) => tls.TLSSocket;

const tlsModule = tls as unknown as { connect: TlsConnect };
const realTlsConnect: TlsConnect = tlsModule.connect;

let target: { port: number; ca: string } | undefined;
let previousGlobalCa: { value: https.AgentOptions['ca'] } | undefined;

/** Connections the wrapped `tls.connect` sent to the sandbox (what Baileys asked for). */
export const routed: Array<{ host: string; port: number }> = [];

function routedTlsConnect(this: unknown, ...args: unknown[]): tls.TLSSocket {
  const [options, callback] = args;
  if (target && typeof options === 'object' && options !== null) {
    const asked = options as tls.ConnectionOptions;
    if (asked.host === 'web.whatsapp.com' && Number(asked.port) === 443) {
      routed.push({ host: asked.host, port: Number(asked.port) });
      // No SNI; the certificate is checked against 127.0.0.1, one of its subject names.
      return realTlsConnect.call(tls, { ...asked, host: '127.0.0.1', port: target.port, servername: '', ca: target.ca }, callback);
    }
  }
  return realTlsConnect.apply(tls, args);
}

/**
 * Sends every `wss://web.whatsapp.com/ws` Baileys 2.3.1 opens to this sandbox's TLS side, and
 * lets `https.globalAgent` (node-fetch's media requests) trust the sandbox certificate.
 */
export function routeToSandbox(world: World): void {
  const secure = world.running.tls;
  if (!secure) throw new Error('Baileys 2.3.1 only speaks wss://: the sandbox must run with its TLS side (no `tls: false`)');
  target = { port: world.running.port, ca: secure.ca };
  tlsModule.connect = routedTlsConnect;
  if (!previousGlobalCa) previousGlobalCa = { value: https.globalAgent.options.ca };
  https.globalAgent.options.ca = secure.ca;
}

/** Options of {@link newV2Client}. */
export interface V2ClientOptions {
  /** Saved credentials (`base64EncodedAuthInfo()`): the client restores instead of showing a QR. */
  auth?: AuthenticationCredentialsBase64;
  /** Baileys' own reconnect loop after a lost socket (off by default here; Baileys' default is on). */
  autoReconnect?: boolean;
}

/** A Baileys 2.3.1 client plus what it reported through its callbacks. */
export interface V2Client {
  client: WAClient;
  /** QR triples `[ref, publicKey, clientID]` Baileys asked the phone to scan. */
  qrs: Array<[string, string, string]>;
  /** Reasons given to `setOnUnexpectedDisconnect` (`replaced`, …). */
  disconnects: string[];
}

const openClients: V2Client[] = [];

/** A Baileys 2.3.1 client pointed at the sandbox; the sandbox's phone scans any QR it shows. Closed by {@link cleanUpV2}. */
export function newV2Client(world: World, options: V2ClientOptions = {}): V2Client {
  routeToSandbox(world);
  const client = new WAClient();
  client.logLevel = debug ? MessageLogLevel.all : MessageLogLevel.none;
  client.autoReconnect = options.autoReconnect ?? false;
  // Requests made while the socket is down wait at most this long for it to come back.
  client.pendingRequestTimeoutMs = 5_000;
  const v2: V2Client = { client, qrs: [], disconnects: [] };
  client.onReadyForPhoneAuthentication = (qr: [string, string, string]) => {
    v2.qrs.push(qr);
    // A phone scans a moment after the code is shown, not inside the client's own callback.
    setTimeout(() => {
      try {
        world.running.phone.scan(qr.join(','));
      } catch {
        // the test sees the missing login
      }
    }, 5);
  };
  client.setOnUnexpectedDisconnect((reason: string) => v2.disconnects.push(reason));
  if (options.auth) client.loadAuthInfoFromBase64(options.auth);
  openClients.push(v2);
  return v2;
}

/**
 * Logs in (QR or restore) with `connectSlim`, which resolves once the connection is validated.
 * `connect()` would also wait for chats and contacts, which needs FINDINGS B1.
 */
export function login(v2: V2Client, timeoutMs = 10_000): Promise<UserMetaData> {
  return v2.client.connectSlim(undefined, timeoutMs);
}

/** A fresh QR login whose credentials are returned; the client is closed afterwards. */
export async function pairedCredentials(world: World): Promise<AuthenticationCredentialsBase64> {
  const v2 = newV2Client(world);
  await login(v2);
  const creds = v2.client.base64EncodedAuthInfo();
  v2.client.close();
  await waitForDisconnected(world);
  return creds;
}

/** Waits until the sandbox has no connected session left. */
export async function waitForDisconnected(world: World): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (world.running.sessions().some((session) => session.connected)) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the sandbox to see the socket closed');
    await delay(20);
  }
}

/** Rejects with a readable error when `promise` takes longer than `ms` (Baileys 2.3.1's queries have no timeout). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Every frame the sandbox received, with its tag (JSON frames as sent, binary ones decoded). */
export function framesIn(world: World): Array<{ tag: string; text: string }> {
  return world.log
    .filter((entry) => entry.event === 'frame-in')
    .map((entry) => {
      const message = entry.message as string | (() => string);
      return { tag: String(entry.data?.tag ?? ''), text: typeof message === 'function' ? message() : message };
    });
}

/** A history cursor (`index`, `owner`) from a message. */
export function cursorOf(message: WAMessage): { id: string; fromMe: boolean } {
  return { id: message.key.id!, fromMe: !!message.key.fromMe };
}

/** The text of a message whichever way it was written. */
export function textOf(message: WAMessage): string | undefined {
  return message.message?.conversation ?? message.message?.extendedTextMessage?.text ?? undefined;
}

/** Closes every Baileys 2.3.1 client, puts Node's `tls.connect` and global CA back, then closes the sandboxes. */
export async function cleanUpV2(): Promise<void> {
  for (const { client } of openClients.splice(0)) {
    client.autoReconnect = false;
    try {
      client.close();
    } catch {
      // already closed
    }
  }
  tlsModule.connect = realTlsConnect;
  target = undefined;
  routed.length = 0;
  if (previousGlobalCa) {
    https.globalAgent.options.ca = previousGlobalCa.value;
    previousGlobalCa = undefined;
  }
  await closeWorlds();
}
