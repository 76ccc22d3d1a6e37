/**
 * Sandboxes over real sockets for the `*.node.test.ts` files: `startSandbox()` on a free port, a
 * fresh temp directory per test (for state files), and everything a test opened closed after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '@wa/sandbox';
import { afterEach, beforeEach } from 'vitest';
import { MemoryAuthStore, WAClient, type AuthStore } from '../../src/index.ts';

/** How {@link RealSandboxes.session} logs a client in. */
export interface SessionOptions {
  /** The account whose phone scans the QR (default: the sandbox's first account). */
  wid?: string;
  auth?: AuthStore | undefined;
  /** Also wait for the chat list after login (default `false`). */
  chats?: boolean;
  requestTimeoutMs?: number;
}

/** What {@link useRealSandboxes} hands a test file. */
export interface RealSandboxes {
  /** The running test's temp directory. */
  readonly dir: string;
  /** Starts a sandbox that is closed after the test (closing it earlier is fine). */
  start(options?: StartSandboxOptions): Promise<RunningSandbox>;
  /** A logged-in client (QR scanned by the account's phone), closed after the test. */
  session(running: RunningSandbox, options?: SessionOptions): Promise<WAClient>;
  /** Closes the clients opened so far, e.g. before restarting a sandbox. */
  closeClients(): Promise<void>;
  /** Closes a client the test made itself after the test, like the others. */
  track(client: WAClient): WAClient;
}

/** Registers the per-test set-up and clean-up of real-socket sandboxes; call at the top of a test file. */
export function useRealSandboxes(name: string): RealSandboxes {
  let dir = '';
  const sandboxes: RunningSandbox[] = [];
  const clients: WAClient[] = [];
  const closeClients = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `wa-${name}-`));
  });
  afterEach(async () => {
    await closeClients();
    for (const sandbox of sandboxes.splice(0)) await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    async start(options = {}) {
      const sandbox = await startSandbox(options);
      sandboxes.push(sandbox);
      return sandbox;
    },
    async session(running, options = {}) {
      const client = new WAClient({ url: running.url, auth: options.auth ?? new MemoryAuthStore(), requestTimeoutMs: options.requestTimeoutMs ?? 5_000 });
      clients.push(client);
      const phone = options.wid === undefined ? running.phone : running.phoneOf(options.wid);
      client.on('qr', ({ qr }) => phone.scan(qr));
      const chats = options.chats === true ? client.waitFor('chats') : undefined;
      await client.connect();
      await chats;
      return client;
    },
    closeClients,
    track(client) {
      clients.push(client);
      return client;
    },
  };
}
