/**
 * Where the sandbox lives. By default it runs inside this page (`@wa/sandbox/core` over an
 * in-memory WebSocket) and persists its state in localStorage, so a reload finds the session the
 * client's credentials belong to. With `?url=ws://…/ws` the page talks to a real sandbox server
 * through the browser's WebSocket instead.
 *
 * Media: in-page, the client's `fetch` is routed to the sandbox's media store (uploads to
 * `sandbox.media.upload`, downloads from `sandbox.media.download`); a remote sandbox serves media
 * over HTTP itself (CORS open), so the browser's fetch is used as is.
 */
import type { WAClientOptions } from '@wa/client';
import { createMemoryWebSocket, Sandbox, type SandboxState } from '@wa/sandbox/core';
import type { WebSocketConstructor } from '@wa/transport';

/** The page's connection to a sandbox. */
export interface Backend {
  readonly mode: 'in-page' | 'remote';
  /** What the client needs to reach the sandbox. */
  readonly clientOptions: Pick<WAClientOptions, 'url' | 'WebSocket' | 'reconnect' | 'fetch'>;
  /** A line for the QR screen's footer. */
  readonly description: string;
  /** Lets the simulated phone scan `qr`; absent when the page cannot (remote sandboxes refuse web pages). */
  readonly scan?: (qr: string) => void;
  /** Commands a person can run to scan `qr` by hand (remote mode). */
  scanCommands(qr: string): string[];
  /** Forgets the in-page sandbox's state (a fresh world next time); no-op for remote ones. */
  reset(): void;
}

/**
 * localStorage keys, namespaced so other apps on the same origin are left alone.
 * @example
 * ```ts
 * new LocalStorageAuthStore(STORAGE_KEYS.credentials);
 * ```
 */
export const STORAGE_KEYS = {
  credentials: 'wa-web-client:credentials',
  sandbox: 'wa-web-client:sandbox-state',
} as const;

const ALICE = '15550100002@c.us';
/** What Alice sends back when you send her media (a document, to show the download chip). */
const ALICE_MEDIA_REPLY = { fileName: 'thanks.txt', text: 'Thanks for the file! Here is my list for Saturday:\n- sandwiches\n- water\n- sun cream\n' };
const ALICE_REPLIES = ['Nice! 😄', 'Sounds good to me 👍', 'Haha, really?', 'Let me check and get back to you.', 'See you there!'];

/**
 * The backend the page's URL asks for: `?url=ws://127.0.0.1:8080/ws` → remote, else in-page.
 * @example
 * ```ts
 * const backend = createBackend(new URL(location.href), localStorage);
 * ```
 */
export function createBackend(location: URL, storage: Storage): Backend {
  const url = location.searchParams.get('url');
  return url === null ? inPageBackend(storage) : remoteBackend(checkSandboxUrl(url));
}

/**
 * A `?url=` that cannot be a sandbox server's WebSocket URL. `message` says what is wrong and
 * how to fix it; `example` is a URL of the right shape.
 */
export class BackendUrlError extends Error {
  readonly example = 'ws://127.0.0.1:8080/ws';

  constructor(message: string) {
    super(message);
    this.name = 'BackendUrlError';
  }
}

/**
 * Checks the `?url=` parameter: an absolute `ws://` or `wss://` URL (an `http(s)://` one is
 * refused with the `ws` form to use instead).
 * @throws BackendUrlError saying what is wrong.
 * @example
 * ```ts
 * checkSandboxUrl('ws://127.0.0.1:8080/ws'); // returned as it is
 * checkSandboxUrl('not-a-url');              // throws BackendUrlError
 * ```
 */
export function checkSandboxUrl(value: string): string {
  const fix = 'Pass the WebSocket URL of a running wa-sandbox, e.g. ?url=ws://127.0.0.1:8080/ws (started with `npx wa-sandbox --port 8080 --allow-origin <this page\'s origin>`), or open the page without ?url= to use the sandbox inside the page.';
  if (value.trim() === '') throw new BackendUrlError(`?url= is empty. ${fix}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BackendUrlError(`?url=${value} is not a URL. ${fix}`);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const ws = new URL(url.href);
    ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (ws.pathname === '/') ws.pathname = '/ws';
    throw new BackendUrlError(`?url=${value} is an ${url.protocol.slice(0, -1)} URL; the client needs the sandbox's WebSocket URL, such as ${ws.href}. ${fix}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new BackendUrlError(`?url=${value} has the scheme ${url.protocol}; it must be ws: or wss:. ${fix}`);
  return value;
}

function remoteBackend(url: string): Backend {
  const control = new URL(url);
  control.protocol = control.protocol === 'wss:' ? 'https:' : 'http:';
  control.pathname = '/scan';
  control.search = '';
  const port = control.port || (control.protocol === 'https:' ? '443' : '80');
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  return {
    mode: 'remote',
    clientOptions: { url, WebSocket: globalThis.WebSocket as unknown as WebSocketConstructor, reconnect: true },
    description: `Sandbox server at ${url}`,
    scanCommands: (qr) => [
      `curl -X POST --data ${quote(qr)} ${control.href}`,
      `npx wa-sandbox scan ${quote(qr)} --port ${port}`,
    ],
    reset: () => undefined,
  };
}

function loadState(storage: Storage): SandboxState | undefined {
  const text = storage.getItem(STORAGE_KEYS.sandbox);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as SandboxState;
  } catch {
    return undefined;
  }
}

/**
 * The sandbox's state (media included) is saved in localStorage, which browsers cap at about
 * 5 MB of text; Base64 media beyond 1.5 MiB would make every save fail, sessions included.
 */
const sandboxOptions = { media: { persistMaxBytes: 1.5 * 1024 * 1024 } };

function createSandbox(storage: Storage): Sandbox {
  const state = loadState(storage);
  if (state !== undefined) {
    try {
      return new Sandbox({ ...sandboxOptions, state });
    } catch (error) {
      // A state written by another sandbox version: start over rather than show a broken page.
      console.warn('discarding the stored sandbox state:', error);
      storage.removeItem(STORAGE_KEYS.sandbox);
    }
  }
  return new Sandbox(sandboxOptions);
}

/**
 * A `fetch` that answers the in-page sandbox's media host from its store, as the sandbox's HTTP
 * routes would; any other URL goes to the browser's fetch.
 * @example
 * ```ts
 * new WAClient({ fetch: mediaFetch(sandbox), … });
 * ```
 */
export function mediaFetch(sandbox: Sandbox): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.host !== sandbox.media.host.hostname) return globalThis.fetch(input, init);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method === 'POST' && url.pathname.startsWith('/mms/')) {
      const sent: unknown = init?.body;
      const body = sent instanceof Uint8Array ? sent : new Uint8Array(await new Response(init?.body ?? null).arrayBuffer());
      const answer = sandbox.media.upload({ path: url.pathname, auth: url.searchParams.get('auth'), token: url.searchParams.get('token'), body });
      return Response.json(answer.body, { status: answer.status });
    }
    const blob = method === 'GET' ? sandbox.media.download(url.href) : undefined;
    if (blob === undefined) return Response.json({ error: 'NOT_FOUND', message: 'no such media (never stored, or gone with a reload)' }, { status: 404 });
    return new Response(blob as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
  };
}

function inPageBackend(storage: Storage): Backend {
  const sandbox = createSandbox(storage);
  let resetting = false;
  const save = (): void => {
    if (resetting) return;
    try {
      storage.setItem(STORAGE_KEYS.sandbox, JSON.stringify(sandbox.exportState()));
    } catch (error) {
      console.warn('cannot save the sandbox state:', error);
    }
  };
  // Saved at once on every change: tokens rotate on each login and a reload right after one must
  // find the sandbox holding the tokens the client just stored.
  sandbox.on('state', save);
  save();

  // A little life for the demo: Alice answers what you write her, typing first.
  const alice = sandbox.contact(ALICE);
  let replies = 0;
  sandbox.on('web-message', (message) => {
    if (message.chat !== ALICE) return;
    if (message.text === undefined) {
      // Media (no text): Alice answers with a small document, which downloads for real.
      setTimeout(() => {
        if (sandbox.closed) return;
        alice.sendDocument(new TextEncoder().encode(ALICE_MEDIA_REPLY.text), { fileName: ALICE_MEDIA_REPLY.fileName, mimetype: 'text/plain' });
      }, 1_500);
      return;
    }
    const reply = ALICE_REPLIES[replies++ % ALICE_REPLIES.length]!;
    setTimeout(() => !sandbox.closed && alice.setPresence('composing'), 1_500);
    setTimeout(() => {
      if (sandbox.closed) return;
      alice.setPresence('available');
      alice.sendText(reply);
    }, 4_000);
  });

  return {
    mode: 'in-page',
    clientOptions: { url: 'ws://sandbox.in-page/ws', WebSocket: createMemoryWebSocket(sandbox) as unknown as WebSocketConstructor, fetch: mediaFetch(sandbox) },
    description: 'Sandbox running inside this page (its state is kept in localStorage)',
    scan: (qr) => sandbox.phone.scan(qr),
    scanCommands: () => [],
    reset: () => {
      resetting = true;
      storage.removeItem(STORAGE_KEYS.sandbox);
      storage.removeItem(STORAGE_KEYS.credentials);
    },
  };
}
