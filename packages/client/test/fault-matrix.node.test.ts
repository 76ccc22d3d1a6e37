/**
 * The fault matrix: a `WAClient({ reconnect: true })` sends a stream of texts with known ids to
 * Alice and receives a stream from Bob while one fault happens, over real sockets to
 * `startSandbox()` (some through `support/link-proxy.ts`). Every row ends with the same checks:
 *
 * - out: each message the client sent resolved once, the sandbox took its id once
 *   (`web-message`) and its chat history holds it once;
 * - in: each message Bob sent is in the sandbox's history once, reached the client (a `message`
 *   event: `relay` live, or `last`, the recent history every restore brings; `before` where the
 *   row reads history on purpose) and never arrived live (`relay`) twice;
 * - every error the client surfaced (rejected sends, `error`, `frame-error`, the `reconnecting`
 *   and `close` events' `error`) is a typed one with a `code`, never a bare Error;
 * - the client ends `open` (row 7: closed with the typed reason of a real refusal, then open
 *   again after a new login).
 *
 * What each row adds is in its test. The rows are summarised in the README ("Faults the client
 * survives") and in docs/guides/client.md §7.2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '@wa/sandbox';
import { TransportError } from '@wa/transport';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FrameError,
  LoginError,
  SendError,
  WAClient,
  WAClientError,
  type CloseEvent,
  type ClientEvents,
  type ReconnectingEvent,
  type SentMessage,
  type WAClientOptions,
} from '../src/index.ts';
import { startLinkProxy, type LinkProxy } from './support/link-proxy.ts';

/** The logged-in account of the default world. */
const ME = '15550100001@c.us';
/** The outgoing stream goes to Alice, the incoming one comes from Bob. */
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';

const sandboxes: RunningSandbox[] = [];
const proxies: LinkProxy[] = [];
const clients: WAClient[] = [];
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await Promise.all(sandboxes.splice(0).map((running) => running.close()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function start(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const running = await startSandbox({ latency: 0, ...options });
  sandboxes.push(running);
  return running;
}

/** Polls `condition` every 10 ms; fails with `what` after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The message id of message `index` of row `row`: `3EB0` + 16 upper-case hex digits. */
function idOf(row: number, index: number): string {
  return `3EB0${row.toString(16).padStart(2, '0')}${index.toString(16).padStart(14, '0')}`.toUpperCase();
}

/**
 * Everything one row observes: what the client sent and how it ended, what the sandbox took,
 * what Bob sent and what reached the client, and every error and reconnect on the way.
 */
class Ledger {
  /** How often each outgoing send resolved (the stream's own promise, retries included). */
  readonly acked = new Map<string, number>();
  /** Outgoing ids in the order they were sent. */
  readonly sent: string[] = [];
  /** How often a sandbox took each id from a web client as a new message. */
  readonly taken = new Map<string, number>();
  /** Ids Bob sent, in order. */
  readonly incoming: string[] = [];
  /** How often each incoming id arrived live (`relay`). */
  readonly relayed = new Map<string, number>();
  /** Every incoming id the client got, by any source. */
  readonly seen = new Set<string>();
  /** How each incoming id first reached the client. */
  readonly firstSource = new Map<string, string>();
  /** Every error the client surfaced. */
  readonly errors: unknown[] = [];
  readonly sendErrors: SendError[] = [];
  readonly frameErrors: FrameError[] = [];
  readonly attempts: ReconnectingEvent[] = [];
  readonly disconnects: Array<ClientEvents["disconnected"]> = [];
  readonly closes: CloseEvent[] = [];

  /** Counts the messages a (new) sandbox takes from web clients. */
  watchSandbox(running: RunningSandbox): void {
    running.on('web-message', ({ id }) => this.taken.set(id, (this.taken.get(id) ?? 0) + 1));
  }

  watchClient(client: WAClient): void {
    client.on('message', (event) => {
      if (event.chat !== BOB || event.fromMe) return;
      this.see(event.id, event.source);
      if (event.source === 'relay') this.relayed.set(event.id, (this.relayed.get(event.id) ?? 0) + 1);
    });
    client.on('error', (error) => this.errors.push(error));
    client.on('frame-error', (error) => {
      this.errors.push(error);
      this.frameErrors.push(error);
    });
    client.on('reconnecting', (event) => {
      this.attempts.push(event);
      if (event.error !== undefined) this.errors.push(event.error);
    });
    client.on('disconnected', (event) => this.disconnects.push(event));
    client.on('close', (event) => {
      this.closes.push(event);
      if (event.error !== undefined) this.errors.push(event.error);
    });
  }

  see(id: string, source: string): void {
    this.seen.add(id);
    if (!this.firstSource.has(id)) this.firstSource.set(id, source);
  }

  /** Incoming ids the client has not got (yet). */
  missing(): string[] {
    return this.incoming.filter((id) => !this.seen.has(id));
  }
}

/**
 * The two streams of a row. `out(n)` starts `n` sends to Alice (not awaited: they overlap the
 * fault); a send that fails with a `SendError` is retried with `retry()` (same id) once
 * `beforeRetry` resolves. `in(n)` has Bob send `n` texts through the current sandbox.
 */
class Streams {
  readonly #pending: Array<Promise<void>> = [];
  #out = 0;
  #in = 0;

  constructor(
    readonly client: WAClient,
    readonly ledger: Ledger,
    readonly row: number,
    /** The sandbox Bob talks through (a row may restart it). */
    readonly sandbox: () => RunningSandbox,
    /** Awaited before a failed send is retried (default: the session is open). */
    readonly beforeRetry: (error: SendError) => Promise<void> = () => untilOpen(this.client),
  ) {}

  out(count: number): void {
    for (let n = 0; n < count; n += 1) {
      const index = this.#out++;
      const id = idOf(this.row, index);
      this.ledger.sent.push(id);
      this.#pending.push(this.#send(id, `row ${this.row} out ${index}`));
    }
  }

  in(count: number): void {
    for (let n = 0; n < count; n += 1) {
      const index = this.#in++;
      this.ledger.incoming.push(this.sandbox().contact(BOB).sendText(`row ${this.row} in ${index}`).id);
    }
  }

  /** Every send started so far has ended (each one resolves; failures are in the ledger). */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async #send(id: string, text: string): Promise<void> {
    let attempt: Promise<SentMessage> = this.client.sendText(ALICE, text, { id });
    for (let tries = 0; tries < 5; tries += 1) {
      try {
        const sent = await attempt;
        expect(sent.id).toBe(id);
        this.ledger.acked.set(id, (this.ledger.acked.get(id) ?? 0) + 1);
        return;
      } catch (error) {
        this.ledger.errors.push(error);
        if (!(error instanceof SendError)) return;
        this.ledger.sendErrors.push(error);
        try {
          await this.beforeRetry(error);
        } catch (failure) {
          // The row failed (the client gave up); the checks report it.
          this.ledger.errors.push(failure);
          return;
        }
        attempt = error.retry();
      }
    }
  }
}

/** Resolves once the client is open; fails at once if it gives up. */
async function untilOpen(client: WAClient, timeoutMs = 10_000): Promise<void> {
  if (client.state === 'open') return;
  await Promise.race([
    client.waitFor('open', { timeoutMs }),
    client.waitFor('close', { timeoutMs }).then((event) => Promise.reject(new Error(`the client gave up: ${event.reason} ${event.error?.message ?? ''}`))),
  ]);
}

/** A client logged in by QR on `running` (through `url` when given) that reconnects quickly. */
async function loggedIn(running: RunningSandbox, ledger: Ledger, options: WAClientOptions = {}): Promise<WAClient> {
  const client = new WAClient({
    url: running.url,
    requestTimeoutMs: 5_000,
    reconnect: { initialMs: 20, maxMs: 200, jitter: 0 },
    ...options,
  });
  clients.push(client);
  client.on('qr', ({ qr }) => running.phone.scan(qr));
  ledger.watchClient(client);
  await client.connect();
  return client;
}

/** How often message `id` is in the chat `jid` of the logged-in account on `running`. */
function inHistory(running: RunningSandbox, jid: string, id: string): number {
  const chat = running.world.chat(running.world.requireAccount(ME), jid);
  return chat?.messages.filter((message) => message.id === id).length ?? 0;
}

/** A description of an error for a failed expectation. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name} ${(error as { code?: unknown }).code ?? '(no code)'}: ${error.message}` : String(error);
}

/** Typed: one of the client's or the transport's error classes, with a string code. */
function expectTyped(errors: readonly unknown[]): void {
  for (const error of errors) {
    expect(error instanceof WAClientError || error instanceof TransportError, describeError(error)).toBe(true);
    expect(typeof (error as { code?: unknown }).code, describeError(error)).toBe('string');
    if (error instanceof SendError) {
      expect(error.id, describeError(error)).toMatch(/^3EB0[0-9A-F]{16}$/);
      expect(typeof error.maybeDelivered).toBe('boolean');
    }
  }
}

/**
 * The checks every row ends with: exactly once each way (`history` is the sandbox whose chat
 * history must hold every message), every error typed, the client open.
 */
async function expectExactlyOnce(client: WAClient, ledger: Ledger, history: RunningSandbox, closes = 0): Promise<void> {
  // A repeat of a message the sandbox already had would show up as a second `web-message`.
  await sleep(50);
  for (const id of ledger.sent) {
    expect(ledger.acked.get(id), `send ${id} resolved`).toBe(1);
    expect(ledger.taken.get(id), `sandbox took ${id}`).toBe(1);
    expect(inHistory(history, ALICE, id), `${id} in the history`).toBe(1);
  }
  expect(ledger.taken.size).toBe(ledger.sent.length);
  for (const id of ledger.incoming) {
    expect(inHistory(history, BOB, id), `${id} in the history`).toBe(1);
    expect(ledger.relayed.get(id) ?? 0, `${id} relayed live`).toBeLessThanOrEqual(1);
  }
  expect(ledger.missing(), 'incoming messages the client never got').toEqual([]);
  expect(new Set(ledger.incoming).size).toBe(ledger.incoming.length);
  expectTyped(ledger.errors);
  expect(client.state).toBe('open');
  expect(ledger.closes).toHaveLength(closes);
}

describe('fault matrix: nothing lost, nothing duplicated, every failure typed', () => {
  it('(1) 100 socket drops during 300 messages each way', async () => {
    const running = await start();
    const ledger = new Ledger();
    ledger.watchSandbox(running);
    // Counts the messages whose socket dropped before their ack (sent again under their id).
    let resent = 0;
    const ignore = (): void => undefined;
    const logger = {
      debug: ignore,
      warn: ignore,
      error: ignore,
      info: (message: string) => {
        if (message.startsWith('the connection dropped before the ack')) resent += 1;
      },
    };
    const client = await loggedIn(running, ledger, { logger });
    const streams = new Streams(client, ledger, 1, () => running);
    let drops = 0;
    for (let cycle = 0; cycle < 100; cycle += 1) {
      // Right after the drop (cycle 0: open): these wait in the send queue / Bob's history.
      streams.out(1);
      streams.in(1);
      await untilOpen(client);
      await sleep(10 + ((cycle * 7) % 40));
      streams.out(1);
      streams.in(1);
      await sleep(5 + ((cycle * 13) % 20));
      // In flight when the socket drops.
      streams.out(1);
      streams.in(1);
      const lost = client.waitFor('disconnected', { timeoutMs: 5_000 });
      drops += running.faults.dropSocket();
      await lost;
    }
    await untilOpen(client);
    await streams.settle();
    await until(() => ledger.missing().length === 0, 'every incoming message');
    expect(drops).toBe(100);
    expect(ledger.disconnects).toHaveLength(100);
    expect(ledger.disconnects.every(({ reason, reconnecting }) => reason === 'connection-lost' && reconnecting)).toBe(true);
    expect(ledger.sent).toHaveLength(300);
    expect(ledger.incoming).toHaveLength(300);
    // The queue absorbs every drop: no send fails, none has to be retried by the caller; the
    // ones caught in flight went out again under their ids.
    expect(ledger.sendErrors).toEqual([]);
    expect(resent).toBeGreaterThan(0);
    // Messages Bob sent while the client was away come back with the restore's recent history.
    expect([...ledger.firstSource.values()].some((source) => source === 'last')).toBe(true);
    await expectExactlyOnce(client, ledger, running);
  }, 60_000);

  it('(2) frames delayed beyond the request timeout: SEND_TIMEOUT, and retry() delivers once', async () => {
    const running = await start();
    const ledger = new Ledger();
    ledger.watchSandbox(running);
    let lifted!: () => void;
    const delayOver = new Promise<void>((resolve) => (lifted = resolve));
    const client = await loggedIn(running, ledger, { requestTimeoutMs: 300 });
    const streams = new Streams(client, ledger, 2, () => running, () => delayOver);
    streams.out(10);
    streams.in(10);
    await streams.settle();
    running.faults.delayFrames(700);
    streams.out(20);
    streams.in(20);
    await until(() => ledger.sendErrors.length === 20, '20 timed-out sends', 5_000);
    for (const error of ledger.sendErrors) {
      expect(error).toMatchObject({ code: 'SEND_TIMEOUT', maybeDelivered: true, chat: ALICE, cause: { code: 'REQUEST_TIMEOUT' } });
    }
    // The server had every one of them all along.
    for (const { id } of ledger.sendErrors) expect(ledger.taken.get(id)).toBe(1);
    // Frames already delayed keep their order: let them arrive before anything is retried, or
    // the retries' answers would queue behind them and time out too.
    running.faults.delayFrames(0);
    await sleep(800);
    lifted();
    streams.out(10);
    streams.in(10);
    await streams.settle();
    await until(() => ledger.missing().length === 0, 'every incoming message');
    // Each timed-out send was retried once and acknowledged; nothing else failed.
    expect(ledger.sendErrors).toHaveLength(20);
    expect(ledger.disconnects).toEqual([]);
    expect(ledger.incoming.every((id) => ledger.firstSource.get(id) === 'relay')).toBe(true);
    await expectExactlyOnce(client, ledger, running);
  });

  it('(3) corrupted HMACs on incoming frames: frame-error, the session stays, history recovers the messages', async () => {
    const running = await start();
    const ledger = new Ledger();
    ledger.watchSandbox(running);
    const client = await loggedIn(running, ledger);
    const streams = new Streams(client, ledger, 3, () => running);
    streams.out(20);
    streams.in(10);
    await until(() => ledger.missing().length === 0, 'the first incoming messages');
    // The next five sealed frames the server sends: here Bob's relayed messages (acks and
    // answers to sends are JSON, and a client's own messages are not echoed to it).
    running.faults.corruptHmac(5);
    streams.in(30);
    streams.out(20);
    await streams.settle();
    await until(() => ledger.frameErrors.length === 5 && ledger.missing().length === 5, 'five frame errors');
    expect(ledger.frameErrors.map(({ code }) => code)).toEqual(['BAD_HMAC', 'BAD_HMAC', 'BAD_HMAC', 'BAD_HMAC', 'BAD_HMAC']);
    expect(ledger.frameErrors.every((error) => error instanceof FrameError && typeof error.tag === 'string')).toBe(true);
    expect(ledger.disconnects).toEqual([]);
    expect(client.state).toBe('open');
    // A skipped frame cannot say what it carried; the server has the messages: read the history.
    const lostOnes = ledger.missing();
    const page = await client.loadMessages(BOB, { count: 100 });
    for (const event of page.messages) if (!event.fromMe) ledger.see(event.id, 'before');
    expect(lostOnes.every((id) => ledger.firstSource.get(id) === 'before')).toBe(true);
    await expectExactlyOnce(client, ledger, running);
  });

  it('(4) the phone offline and back during the stream: everything delivered once after it is back', async () => {
    const running = await start();
    const ledger = new Ledger();
    ledger.watchSandbox(running);
    let phoneBack!: () => void;
    const back = new Promise<void>((resolve) => (phoneBack = resolve));
    const client = await loggedIn(running, ledger, { requestTimeoutMs: 1_000 });
    const streams = new Streams(client, ledger, 4, () => running, () => back);
    const phone: boolean[] = [];
    client.on('phone', ({ reachable }) => phone.push(reachable));
    streams.out(20);
    streams.in(20);
    await streams.settle();
    const offline = client.waitFor('phone', { filter: ({ reachable }) => !reachable });
    running.phone.setReachable(false);
    await offline;
    // No answer within the 1 s timeout (the phone relays them): SEND_TIMEOUT.
    streams.out(10);
    streams.in(10);
    await until(() => ledger.sendErrors.length === 10, 'the sends to time out', 5_000);
    for (const error of ledger.sendErrors) expect(error).toMatchObject({ code: 'SEND_TIMEOUT', maybeDelivered: true });
    // These are still waiting when the phone is back, and answered in time.
    streams.out(10);
    streams.in(10);
    await sleep(200);
    expect(ledger.sendErrors).toHaveLength(10);
    for (const id of ledger.incoming.slice(20)) expect(ledger.seen.has(id)).toBe(false);
    const online = client.waitFor('phone', { filter: ({ reachable }) => reachable });
    running.phone.setReachable(true);
    await online;
    phoneBack();
    streams.out(20);
    streams.in(20);
    await streams.settle();
    await until(() => ledger.missing().length === 0, 'every incoming message');
    expect(phone).toEqual([false, true]);
    expect(ledger.sendErrors).toHaveLength(10);
    expect(ledger.disconnects).toEqual([]);
    expect(ledger.incoming.every((id) => ledger.firstSource.get(id) === 'relay')).toBe(true);
    await expectExactlyOnce(client, ledger, running);
  });

  it('(5) a sandbox restart with its state file during the stream: restored with the persisted tokens, nothing lost', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'wa-fault-matrix-'));
    directories.push(directory);
    const statePath = join(directory, 'sandbox-state.json');
    const first = await start({ statePath });
    const ledger = new Ledger();
    ledger.watchSandbox(first);
    let current = first;
    const client = await loggedIn(first, ledger);
    const streams = new Streams(client, ledger, 5, () => current);
    streams.out(20);
    streams.in(20);
    await until(() => ledger.acked.size >= 10, 'the first acks');
    // Some sends are still in flight, some of Bob's messages still on their way.
    streams.out(10);
    streams.in(10);
    const lost = client.waitFor('disconnected', { timeoutMs: 5_000 });
    await first.close();
    sandboxes.splice(sandboxes.indexOf(first), 1);
    expect(await lost).toMatchObject({ reason: 'connection-lost', reconnecting: true });
    const ackedBefore = [...ledger.acked.keys()];
    // While the sandbox is down: sends wait in the queue, attempts fail to connect.
    streams.out(10);
    await sleep(300);
    current = await start({ statePath, port: first.port });
    ledger.watchSandbox(current);
    await untilOpen(client);
    expect(client.me?.via).toBe('restore');
    streams.out(20);
    streams.in(20);
    await streams.settle();
    await until(() => ledger.missing().length === 0, 'every incoming message');
    expect(ledger.attempts.some(({ error }) => error instanceof TransportError && error.code === 'CONNECT_FAILED')).toBe(true);
    expect(ledger.sendErrors).toEqual([]);
    for (const id of ackedBefore) expect(inHistory(current, ALICE, id), `${id} acked before the restart`).toBe(1);
    await expectExactlyOnce(client, ledger, current);
  });

  it('(6) silent half-open links (proxy): keep-alive timeout, reconnect, 409, takeover, three times', async () => {
    // What Bob sends into the silence comes back in the history of the takeover: room for all of
    // it, not just the 20 newest, so a slow machine cannot push one out of the window.
    const running = await start({ recentMessagesPerChat: 200 });
    const proxy = await startLinkProxy(running.url);
    proxies.push(proxy);
    const ledger = new Ledger();
    ledger.watchSandbox(running);
    const client = await loggedIn(running, ledger, { url: proxy.url, keepAliveIntervalMs: 150, keepAliveTimeoutMs: 900 });
    const streams = new Streams(client, ledger, 6, () => running);
    for (let round = 0; round < 3; round += 1) {
      streams.out(10);
      streams.in(10);
      await sleep(30);
      const lost = client.waitFor('disconnected', { timeoutMs: 5_000 });
      expect(proxy.silence()).toBe(1);
      // Into the silence: the frames never arrive, Bob's messages go to the server's old socket.
      streams.out(10);
      streams.in(10);
      expect(await lost).toMatchObject({ reason: 'keep-alive-timeout', reconnecting: true });
      await untilOpen(client);
    }
    streams.out(10);
    streams.in(10);
    await streams.settle();
    await until(() => ledger.missing().length === 0, 'every incoming message');
    expect(ledger.attempts.map(({ mode }) => mode)).toEqual(['reconnect', 'takeover', 'reconnect', 'takeover', 'reconnect', 'takeover']);
    expect(ledger.attempts.filter(({ error }) => error !== undefined).map(({ error }) => (error as LoginError).status)).toEqual([409, 409, 409]);
    expect(running.sessions()).toHaveLength(1);
    expect(ledger.sendErrors).toEqual([]);
    await expectExactlyOnce(client, ledger, running);
  });

  it('(7) a real refusal during the stream (unpaired while away): closed login-refused, queued sends SEND_INTERRUPTED, retry() after a new login delivers them once', async () => {
    const running = await start();
    const ledger = new Ledger();
    ledger.watchSandbox(running);
    let relogged!: () => void;
    const loggedInAgain = new Promise<void>((resolve) => (relogged = resolve));
    const client = await loggedIn(running, ledger, { reconnect: { initialMs: 200, jitter: 0 } });
    const streams = new Streams(client, ledger, 7, () => running, () => loggedInAgain);
    streams.out(20);
    streams.in(20);
    await streams.settle();
    const lost = client.waitFor('disconnected', { timeoutMs: 5_000 });
    running.faults.dropSocket();
    await lost;
    // The phone logs the web session out while the client is away: the reconnect gets 401.
    expect(running.phone.unpair()).toBe(1);
    const closed = client.waitFor('close', { timeoutMs: 5_000 });
    streams.out(10);
    const event = await closed;
    expect(event).toMatchObject({ reason: 'login-refused', error: { code: 'UNPAIRED', status: 401, credentialsCleared: true } });
    expect(client.state).toBe('closed');
    await until(() => ledger.sendErrors.length === 10, 'the queued sends to fail');
    for (const error of ledger.sendErrors) {
      expect(error).toMatchObject({ code: 'SEND_INTERRUPTED', maybeDelivered: false, chat: ALICE });
      expect(error.cause).toBe(event.error);
      expect(ledger.taken.has(error.id)).toBe(false);
    }
    // A new QR login (the credentials were cleared); then the failed sends go out with their ids.
    await client.connect();
    expect(client.me?.via).toBe('qr');
    relogged();
    streams.out(10);
    streams.in(10);
    await streams.settle();
    await until(() => ledger.missing().length === 0, 'every incoming message');
    expect(ledger.sendErrors).toHaveLength(10);
    expect(ledger.closes.map(({ reason }) => reason)).toEqual(['login-refused']);
    await expectExactlyOnce(client, ledger, running, 1);
  });
});
