import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SandboxEvents } from '../context.js';
import { SandboxError } from '../errors.js';
import type { Faults } from '../faults.js';
import { Sandbox, type SandboxOptions, type WaitingRef } from '../sandbox.js';
import type { ContactHandle, Phone, WebSessionInfo } from '../scripting.js';
import type { SandboxState } from '../state.js';
import type { SandboxStats } from '../stats.js';
import type { World } from '../world/world.js';
import { handleControl, isLoopbackHost } from './control-api.js';
import { readBytes, sendJson } from './http-io.js';
import { handlePicture } from './picture-route.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { SANDBOX_TLS_CERT, SANDBOX_TLS_KEY } from './tls-certificate.js';
import { WireFrameTracker } from './wire-frames.js';
import { FRAME_TIMEOUT_MS, MAX_FRAME_BYTES } from '../protocol/constants.js';

/** The Origin the real server demanded. */
const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

/** Options of {@link startSandbox}. */
export interface StartSandboxOptions extends SandboxOptions {
  /** TCP port; 0 or absent picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`: the sandbox is for this machine only). */
  host?: string;
  /** WebSocket path (default `/ws`, like `wss://web.whatsapp.com/ws`). */
  path?: string;
  /**
   * Origins allowed to open the WebSocket. Default `['https://web.whatsapp.com']`, as the real
   * server required; `'*'` accepts any (needed by browsers, which cannot set Origin).
   */
  allowedOrigins?: string[] | '*';
  /** Persist world, sessions and the newest media in this JSON file (loaded at start when it exists). */
  statePath?: string;
  /**
   * TLS on the same port: a connection that starts with a TLS handshake gets https/wss, any other
   * plain http/ws. Default: the built-in test certificate (`SANDBOX_TLS_CERT`, for `localhost`,
   * `127.0.0.1`, `::1`); `{ key, cert }` (PEM) for your own; `false` for plain http only.
   */
  tls?: { key: string; cert: string } | false;
  /**
   * A frame a client started must be complete within this long, or the socket is closed with
   * 4008 and counted in `stats.frameTimeouts` (default 30 s; 0 = never).
   */
  frameTimeoutMs?: number;
  /**
   * A bearer token every control request (`/status`, `/scan`, `/contacts/…`, …; not the media
   * routes) must carry as `Authorization: Bearer <token>`; without it they get 401.
   */
  controlToken?: string;
  /**
   * `false` allows an unprotected control plane on a host other than loopback. Without a
   * `controlToken`, such a host is refused (`CONTROL_UNPROTECTED`): whoever reaches the port
   * could play the phone.
   */
  controlAuth?: boolean;
}

/** How a client reaches the sandbox over TLS. */
export interface SandboxTls {
  /** The `wss://` URL of the WebSocket. */
  url: string;
  /** The `https://` base URL (control endpoints and media). */
  httpsUrl: string;
  /** The certificate the sandbox presents (PEM); pass it as `ca` to trust it, e.g. `new https.Agent({ ca })`. */
  ca: string;
}

/** A running sandbox: where to connect, the phone, scripting, faults, and `close()`. */
export interface RunningSandbox {
  /** The `ws://` URL web clients connect to. */
  url: string;
  /** The HTTP base URL of the control endpoints (`POST /scan`, `GET /status`). */
  httpUrl: string;
  port: number;
  /** The same port over TLS (`wss://`, `https://`), unless started with `tls: false`. */
  tls: SandboxTls | undefined;
  /** The first account's phone: `phone.scan(qr)` logs a waiting web client in. */
  phone: Phone;
  /** The protocol core, for everything else. */
  sandbox: Sandbox;
  world: World;
  faults: Faults;
  /** A snapshot of the counters (frames in/out, bad HMACs, …). */
  readonly stats: Readonly<SandboxStats>;
  /** Scripts a contact: `contact(jid).sendText('hi')`. */
  contact(jid: string): ContactHandle;
  /** The phone of another account. */
  phoneOf(wid: string): Phone;
  /** Subscribes to sandbox events (`ref`, `login`, `logout`, `web-message`, …). */
  on<K extends keyof SandboxEvents>(event: K, listener: (payload: SandboxEvents[K]) => void): () => void;
  waitingRefs(): WaitingRef[];
  sessions(): WebSessionInfo[];
  exportState(): SandboxState;
  /** Closes every socket and the server (and writes the state file). */
  close(): Promise<void>;
}

/**
 * Starts the sandbox on a local WebSocket (and HTTP control endpoints on the same port).
 * @example
 * ```ts
 * const sandbox = await startSandbox();
 * // point a client at sandbox.url; when it shows its QR text:
 * sandbox.phone.scan(qrText);
 * sandbox.contact('15550100002@c.us').sendText('Hi!');
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const controlToken = options.controlToken;
  if (controlToken !== undefined && (typeof controlToken !== 'string' || controlToken.trim() === '' || controlToken.length > 1024)) {
    throw new SandboxError('INVALID_ARGUMENT', 'controlToken must be a non-empty string of at most 1024 characters');
  }
  if (!isLoopbackHost(host) && controlToken === undefined && options.controlAuth !== false) {
    throw new SandboxError(
      'CONTROL_UNPROTECTED',
      `refusing to serve the control plane on ${host} without a token: give controlToken (--control-token / WA_SANDBOX_TOKEN), or controlAuth: false (--no-control-auth) to allow anyone who reaches the port`,
    );
  }
  const wsPath = options.path ?? '/ws';
  const allowed = options.allowedOrigins ?? [WHATSAPP_ORIGIN];
  const statePath = options.statePath;
  const persisted = statePath !== undefined && options.state === undefined ? readStateFile(statePath) : undefined;
  const sandbox = new Sandbox(persisted ? { ...options, state: persisted } : options);

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (statePath !== undefined) writeStateFile(statePath, sandbox.exportState());
  };
  if (statePath !== undefined) {
    // A later write that fails (the disk filled, a symlink appeared) is reported, never thrown
    // from a timer; the first one, below, fails startSandbox itself.
    const saveLater = (): void => {
      try {
        save();
      } catch (error) {
        options.logger?.({ level: 'error', event: 'state-write-failed', message: (error as Error).message });
      }
    };
    sandbox.on('state', () => {
      saveTimer ??= setTimeout(saveLater, 50);
    });
    save();
  }

  // ws refuses (1009) a frame over maxPayload as soon as its header announces the length, before
  // buffering it; the core then checks the stricter limit before login.
  const maxPayload = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const frameTimeoutMs = options.frameTimeoutMs ?? FRAME_TIMEOUT_MS;
  if (!Number.isFinite(frameTimeoutMs) || frameTimeoutMs < 0) throw new SandboxError('INVALID_ARGUMENT', 'frameTimeoutMs must be a non-negative number');
  const wss = new WebSocketServer({ noServer: true, maxPayload });

  let httpUrl = '';
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    handleHttp(sandbox, request, response, httpUrl, controlToken).catch((error: unknown) => {
      sendJson(response, 500, { error: 'INTERNAL', message: (error as Error).message });
    });
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = new URL(request.url ?? '/', 'http://sandbox').pathname;
    const origin = request.headers.origin;
    // A refused WebSocket is logged (warn): a client that cannot connect must find out why.
    const refuse = (status: 403 | 404, why: string): void => {
      options.logger?.({ level: 'warn', event: 'upgrade-refused', message: `${status}: ${why}`, data: { path: pathname.slice(0, 200), origin: origin?.slice(0, 200) ?? null } });
      refuseUpgrade(socket, status, status === 404 ? 'Not Found' : 'Forbidden');
    };
    if (pathname !== wsPath) return refuse(404, `WebSocket path ${pathname.slice(0, 200)} is not ${wsPath}`);
    if (allowed !== '*' && (origin === undefined || !allowed.includes(origin))) {
      const accepted = allowed.join(', ');
      return refuse(403, origin === undefined ? `no Origin header (accepted: ${accepted}; --allow-origin adds one, --any-origin takes any)` : `Origin ${origin.slice(0, 200)} is not accepted (accepted: ${accepted}; --allow-origin adds one)`);
    }
    // Follow the client's framing from its first byte to time out frames it leaves unfinished.
    const tracker = new WireFrameTracker();
    tracker.feed(head);
    wss.handleUpgrade(request, socket, head, (ws) => attachSocket(sandbox, ws, { socket, tracker, timeoutMs: frameTimeoutMs }));
  };
  const server = createServer(onRequest).on('upgrade', onUpgrade);

  // One port for everything: the first byte of a connection tells a TLS handshake (0x16) from
  // plain HTTP, and each goes to its server. Clients that always build https:// media URLs
  // (most legacy ones) and clients that follow the plain `scheme` both reach the same store.
  const tlsOptions = options.tls === false ? undefined : (options.tls ?? { key: SANDBOX_TLS_KEY, cert: SANDBOX_TLS_CERT });
  const secureServer = tlsOptions === undefined ? undefined : createHttpsServer(tlsOptions, onRequest).on('upgrade', onUpgrade);
  // A client that does not trust the certificate aborts the handshake: nothing to answer.
  secureServer?.on('tlsClientError', (_error: Error, socket: Duplex) => socket.destroy());
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 && secureServer ? secureServer : server).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 0, host, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  httpUrl = `http://${hostForUrl}:${port}`;
  // The media server shares the port, over plain http: clients must honour `scheme`.
  sandbox.media.setHost({ hostname: `${hostForUrl}:${port}`, scheme: 'http' });

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${hostForUrl}:${port}${wsPath}`,
    httpUrl,
    port,
    tls: tlsOptions === undefined ? undefined : { url: `wss://${hostForUrl}:${port}${wsPath}`, httpsUrl: `https://${hostForUrl}:${port}`, ca: tlsOptions.cert },
    phone: sandbox.phone,
    sandbox,
    world: sandbox.world,
    faults: sandbox.faults,
    get stats() {
      return sandbox.stats;
    },
    contact: (jid) => sandbox.contact(jid),
    phoneOf: (wid) => sandbox.phoneOf(wid),
    on: (event, listener) => sandbox.on(event, listener),
    waitingRefs: () => sandbox.waitingRefs(),
    sessions: () => sandbox.sessions(),
    exportState: () => sandbox.exportState(),
    close() {
      closing ??= (async () => {
        if (statePath !== undefined) save();
        sandbox.close();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        secureServer?.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => front.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/** The raw byte stream under a WebSocket, followed to time out unfinished frames. */
interface FrameWatch {
  socket: Duplex;
  tracker: WireFrameTracker;
  timeoutMs: number;
}

function attachSocket(sandbox: Sandbox, socket: WebSocket, watch: FrameWatch): void {
  if (sandbox.closed) {
    socket.terminate();
    return;
  }
  const handler = sandbox.accept({
    send: (data) => socket.send(data),
    close: (code, reason) => socket.close(code, reason),
    terminate: () => socket.terminate(),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
  });
  // A frame started and not finished: noted on every chunk, checked every second while it lasts.
  const { tracker, timeoutMs } = watch;
  let frameStartedAt: number | undefined;
  let frameTimer: ReturnType<typeof setInterval> | undefined;
  const watchFrame = (chunk?: Buffer): void => {
    if (chunk !== undefined) tracker.feed(chunk);
    if (timeoutMs <= 0) return;
    if (!tracker.midFrame) return stopWatching();
    frameStartedAt ??= Date.now();
    frameTimer ??= setInterval(() => {
      if (frameStartedAt !== undefined && Date.now() - frameStartedAt >= timeoutMs) handler.abort('frame-timeout');
    }, Math.min(1000, timeoutMs));
  };
  const stopWatching = (): void => {
    if (frameTimer !== undefined) clearInterval(frameTimer);
    frameTimer = undefined;
    frameStartedAt = undefined;
  };
  watch.socket.on('data', watchFrame);
  watchFrame();
  socket.on('message', (data: RawData, isBinary: boolean) => {
    handler.receive(isBinary ? toBytes(data) : toBytes(data).toString());
  });
  socket.on('close', () => {
    stopWatching();
    watch.socket.off('data', watchFrame);
    handler.closed();
  });
  // ws reports a frame over maxPayload as an error, then closes with 1009.
  socket.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') handler.abort('oversized-frame');
  });
}

function toBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function handleHttp(sandbox: Sandbox, request: IncomingMessage, response: ServerResponse, httpUrl: string, token: string | undefined): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const pathname = url.pathname;
  // Media routes are the CDN of the legacy service: authenticated by the mediaConn auth (uploads)
  // or by an unguessable path (downloads), open to any Origin like the real hosts.
  if (pathname.startsWith('/mms/') || pathname.startsWith('/d/f/')) return handleMedia(sandbox, request, response, url);
  // Profile and group pictures (profile.ts), the eurl of ProfilePicThumb: open like the media downloads.
  if (pathname.startsWith('/pp/')) return handlePicture(sandbox, request, response, url);
  // Everything else is the control plane (control-api.ts): no foreign Origin, the token if set.
  return handleControl(sandbox, request, response, url, { httpUrl, token });
}

const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

async function handleMedia(sandbox: Sandbox, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const media = sandbox.media;
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { ...corsHeaders, 'content-length': 0 });
    response.end();
    return;
  }
  if (request.method === 'GET' && url.pathname.startsWith('/d/f/')) {
    const blob = media.download(url.pathname + url.search);
    const expired = blob ? undefined : media.expired(url.pathname + url.search);
    if (expired !== undefined) {
      // An empty body: Baileys 2.3.1 (WAClient/Utils.js) takes a body of 10 bytes or less as "deleted, refresh the URL".
      response.writeHead(expired, { ...corsHeaders, 'content-length': 0 });
      response.end();
      return;
    }
    if (!blob) return sendJson(response, 404, { error: 'NOT_FOUND', message: 'no such media (never stored, or evicted)' }, corsHeaders);
    response.writeHead(200, { ...corsHeaders, 'content-type': 'application/octet-stream', 'content-length': blob.length });
    response.end(blob);
    return;
  }
  if (request.method !== 'POST' || !url.pathname.startsWith('/mms/')) {
    return sendJson(response, 405, { error: 'METHOD_NOT_ALLOWED', message: 'POST /mms/<type>/<token>, GET /d/f/<id>.enc' }, corsHeaders);
  }
  const auth = url.searchParams.get('auth');
  const authStatus = media.authStatus(auth);
  // Refuse before reading: the body of a refused upload is never buffered.
  const closing = { ...corsHeaders, connection: 'close' };
  if (authStatus !== 200) {
    response.once('finish', () => request.destroy());
    const message = authStatus === 401 ? 'missing auth; ask ["query","mediaConn"] first' : 'unknown or expired media auth';
    return sendJson(response, authStatus, { error: authStatus === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message }, closing);
  }
  let body: Buffer;
  try {
    body = await readBytes(request, media.limits.maxBlobBytes);
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    response.once('finish', () => request.destroy());
    return sendJson(response, 413, { error: 'TOO_LARGE', message: error.message }, closing);
  }
  const answer = media.upload({ path: url.pathname, auth, token: url.searchParams.get('token'), body: new Uint8Array(body.buffer, body.byteOffset, body.length) });
  sendJson(response, answer.status, answer.body, corsHeaders);
}
