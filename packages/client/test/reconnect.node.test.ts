/**
 * Automatic reconnects and the send queue over real sockets: `startSandbox()` on 127.0.0.1,
 * sometimes behind a proxy that makes a link slow, silent or half-open.
 */
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '@wa/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  InvalidArgumentError,
  LoginError,
  NotLoggedInError,
  SendError,
  WAClient,
  type CloseEvent,
  type ReconnectingEvent,
  type SentMessage,
  type WAClientOptions,
} from '../src/index.ts';
import { startLinkProxy, type LinkProxy } from './support/link-proxy.ts';

const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';

let sandbox: RunningSandbox | undefined;
let proxy: LinkProxy | undefined;
const clients: WAClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await proxy?.close();
  proxy = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  sandbox = await startSandbox({ latency: 0, ...options });
  return sandbox;
}

/** A logged-in client (QR) that reconnects quickly, through `url` (default: straight to the sandbox). */
async function loggedIn(running: RunningSandbox, options: WAClientOptions = {}): Promise<WAClient> {
  const client = new WAClient({ url: running.url, requestTimeoutMs: 2_000, reconnect: { initialMs: 20, jitter: 0, maxAttempts: 6 }, ...options });
  client.on('qr', ({ qr }) => running.phone.scan(qr));
  clients.push(client);
  await client.connect();
  return client;
}

/** Every `reconnecting` and `close` event from now on. */
function record(client: WAClient): { attempts: ReconnectingEvent[]; closes: CloseEvent[] } {
  const attempts: ReconnectingEvent[] = [];
  const closes: CloseEvent[] = [];
  client.on('reconnecting', (event) => attempts.push(event));
  client.on('close', (event) => closes.push(event));
  return { attempts, closes };
}

/** How often the sandbox took each message id from a web client (a new message, not a repeat). */
function deliveries(running: RunningSandbox): Map<string, number> {
  const counts = new Map<string, number>();
  running.on('web-message', ({ id }) => counts.set(id, (counts.get(id) ?? 0) + 1));
  return counts;
}

/** Fails the test with the close event, instead of timing out, when the client gives up. */
function untilOpen(client: WAClient, timeoutMs = 8_000): Promise<unknown> {
  return Promise.race([
    client.waitFor('open', { timeoutMs }),
    client.waitFor('close', { timeoutMs }).then((event) => Promise.reject(new Error(`gave up: ${JSON.stringify({ reason: event.reason, code: event.code, error: event.error?.message })}`))),
  ]);
}

describe('reconnect gives up only on real refusals', () => {
  it('retries a reconnect login that timed out on a slow server (delayFrames) and comes back', async () => {
    const running = await start();
    const client = await loggedIn(running, { requestTimeoutMs: 300 });
    const { attempts } = record(client);
    // The first attempt's admin init is answered after the client's 300 ms: LOGIN_TIMEOUT.
    client.on('reconnecting', ({ error }) => {
      if (error instanceof LoginError && error.code === 'LOGIN_TIMEOUT') running.faults.delayFrames(0);
    });
    running.faults.delayFrames(700);
    const open = untilOpen(client);
    expect(running.faults.dropSocket()).toBe(1);
    await open;
    expect(client.state).toBe('open');
    expect(attempts[1]?.error).toMatchObject({ code: 'LOGIN_TIMEOUT' });
    expect((await client.sendText(ALICE, 'back after a slow reconnect')).status).toBe('SERVER_ACK');
  });

  it('retries a reconnect login that timed out on a slow link (proxy) and comes back', async () => {
    const running = await start();
    proxy = await startLinkProxy(running.url);
    const client = await loggedIn(running, { url: proxy.url, requestTimeoutMs: 300 });
    const { attempts } = record(client);
    client.on('reconnecting', ({ error }) => {
      if (error instanceof LoginError && error.code === 'LOGIN_TIMEOUT') proxy?.delay(0);
    });
    proxy.delay(400);
    const open = untilOpen(client);
    running.faults.dropSocket();
    await open;
    expect(attempts.some(({ error }) => error instanceof LoginError && error.code === 'LOGIN_TIMEOUT')).toBe(true);
    const incoming = client.waitFor('message', { filter: (event) => event.source === 'relay' && event.text === 'still here?' });
    running.contact(ALICE).sendText('still here?');
    await incoming;
  });

  it('meets a 409 from the half-open old socket and takes the session over', async () => {
    const running = await start();
    proxy = await startLinkProxy(running.url);
    const client = await loggedIn(running, { url: proxy.url });
    const { attempts } = record(client);
    const open = untilOpen(client);
    // The client's side drops; the server's side of the old socket stays open and silent.
    expect(proxy.cutClients()).toBe(1);
    await open;
    expect(attempts.map(({ attempt, mode }) => ({ attempt, mode }))).toEqual([
      { attempt: 1, mode: 'reconnect' },
      { attempt: 2, mode: 'takeover' },
    ]);
    expect(attempts[1]?.error).toMatchObject({ code: 'LOGGED_IN_ELSEWHERE', status: 409 });
    expect(running.sessions()).toHaveLength(1);
    const sent = await client.sendText(ALICE, 'after the takeover');
    await client.waitFor('receipt', { filter: (receipt) => receipt.id === sent.id && receipt.ack >= 2 });
  });

  it('a link that goes silent is declared dead by the keep-alive, and the 409 that follows is taken over', async () => {
    const running = await start();
    proxy = await startLinkProxy(running.url);
    const client = await loggedIn(running, { url: proxy.url, keepAliveIntervalMs: 100, keepAliveTimeoutMs: 300 });
    const { attempts } = record(client);
    const disconnected = client.waitFor('disconnected', { timeoutMs: 5_000 });
    const open = untilOpen(client);
    expect(proxy.silence()).toBe(1);
    expect(await disconnected).toMatchObject({ reason: 'keep-alive-timeout', reconnecting: true });
    await open;
    expect(attempts.map(({ mode }) => mode)).toEqual(['reconnect', 'takeover']);
    expect(client.state).toBe('open');
  });

  it.each([
    [401, 'UNPAIRED'],
    [403, 'ACCESS_DENIED'],
    [419, 'SESSION_EXPIRED'],
  ] as const)('gives up on a reconnect refused with %i: close { reason: login-refused, error: LoginError %s }', async (status, code) => {
    const running = await start();
    const client = await loggedIn(running);
    const { attempts, closes } = record(client);
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    running.faults.forceLoginStatus(status);
    const closed = client.waitFor('close', { timeoutMs: 5_000 });
    running.faults.dropSocket();
    const event = await closed;
    expect(event).toMatchObject({ reason: 'login-refused', code: 1006 });
    expect(event.error).toBeInstanceOf(LoginError);
    expect(event.error).toMatchObject({ code, status });
    expect(errors).toEqual([event.error]);
    expect(attempts).toHaveLength(1);
    expect(closes).toHaveLength(1);
    expect(client.state).toBe('closed');
    await expect(client.sendText(ALICE, 'anyone?')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('gives up when the phone unpaired the session while the client was away (401), failing the queued sends', async () => {
    const running = await start();
    const client = await loggedIn(running, { reconnect: { initialMs: 200, jitter: 0 } });
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    expect(running.phone.unpair()).toBe(1);
    const queued = client.sendText(ALICE, 'waits in vain').catch((error: unknown) => error);
    const event = await client.waitFor('close', { timeoutMs: 5_000 });
    expect(event).toMatchObject({ reason: 'login-refused', error: { code: 'UNPAIRED', credentialsCleared: true } });
    const error = await queued;
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ code: 'SEND_INTERRUPTED', maybeDelivered: false, chat: ALICE });
    expect((error as SendError).cause).toBe(event.error);
  });

  it('gives up after maxAttempts with reason reconnect-failed and the last failure', async () => {
    const running = await start();
    const client = await loggedIn(running, { requestTimeoutMs: 200, reconnect: { initialMs: 10, jitter: 0, maxAttempts: 2 } });
    running.faults.delayFrames(1_000);
    const closed = client.waitFor('close', { timeoutMs: 5_000 });
    running.faults.dropSocket();
    expect(await closed).toMatchObject({ reason: 'reconnect-failed', error: { code: 'LOGIN_TIMEOUT' } });
  });
});

describe('sends while reconnecting', () => {
  it.each([
    ['no latency', 0],
    ['the default latency', undefined],
  ] as const)('messages sent during a reconnect, and those in flight when the socket dropped, are delivered exactly once after it (%s)', async (_, latency) => {
    const running = await start({ latency });
    const counts = deliveries(running);
    const client = await loggedIn(running, { reconnect: { initialMs: 100, jitter: 0 } });
    const inFlight = Array.from({ length: 10 }, (_, index) => client.sendText(ALICE, `in flight ${index}`));
    expect(running.faults.dropSocket()).toBe(1);
    const disconnected = client.waitFor('disconnected');
    await disconnected;
    expect(client.state).toBe('reconnecting');
    const during = Array.from({ length: 10 }, (_, index) => client.sendText(index % 2 === 0 ? ALICE : BOB, `during ${index}`));
    const sent: SentMessage[] = await Promise.all([...inFlight, ...during]);
    expect(client.state).toBe('open');
    expect(new Set(sent.map(({ id }) => id)).size).toBe(20);
    // Let any repeat of a message that did reach the server before the drop arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const { id } of sent) expect(counts.get(id), id).toBe(1);
    expect(counts.size).toBe(20);
  });

  it('the queue is bounded in size and in time: SEND_QUEUE_FULL, SEND_QUEUE_TIMEOUT, both with retry()', async () => {
    const running = await start();
    const counts = deliveries(running);
    const client = await loggedIn(running, { reconnect: { initialMs: 1_000, jitter: 0 }, sendQueue: { maxSize: 2, maxWaitMs: 300 } });
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    const waiting = [client.sendText(ALICE, 'one'), client.sendText(ALICE, 'two')].map((send) => send.catch((error: unknown) => error));
    const full = await client.sendText(ALICE, 'three').catch((error: unknown) => error);
    expect(full).toBeInstanceOf(SendError);
    expect(full).toMatchObject({ code: 'SEND_QUEUE_FULL', maybeDelivered: false });
    const timedOut = await Promise.all(waiting);
    for (const error of timedOut) expect(error).toMatchObject({ code: 'SEND_QUEUE_TIMEOUT', maybeDelivered: false });
    await client.waitFor('open', { timeoutMs: 5_000 });
    const retried = await (full as SendError).retry();
    expect(retried.id).toBe((full as SendError).id);
    expect(counts.get(retried.id)).toBe(1);
  });

  it('sendQueue: false fails sends during a reconnect at once', async () => {
    const running = await start();
    const client = await loggedIn(running, { reconnect: { initialMs: 500, jitter: 0 }, sendQueue: false });
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    await expect(client.sendText(ALICE, 'now or never')).rejects.toMatchObject({ code: 'SEND_QUEUE_FULL' });
  });

  it('close() while messages wait fails them with SEND_INTERRUPTED and emits close once', async () => {
    const running = await start();
    const client = await loggedIn(running, { reconnect: { initialMs: 1_000, jitter: 0 } });
    const { closes } = record(client);
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    const queued = client.sendText(ALICE, 'never mind').catch((error: unknown) => error);
    await client.close();
    expect(await queued).toMatchObject({ code: 'SEND_INTERRUPTED', maybeDelivered: false });
    expect(closes).toEqual([{ reason: 'closed', code: 1000 }]);
  });
});

describe('requests while reconnecting', () => {
  it('queries and actions made during a reconnect wait for the session and are answered after it, in order with the sends', async () => {
    const running = await start();
    const client = await loggedIn(running, { reconnect: { initialMs: 150, jitter: 0 } });
    const order: string[] = [];
    running.on('web-message', ({ text }) => order.push(`message ${text}`));
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    expect(client.state).toBe('reconnecting');
    const results = Promise.all([
      client.exists(ALICE),
      client.setPresence('available'),
      client.sendText(ALICE, 'between'),
      client.archiveChat(BOB),
      client.status(ALICE),
      client.groupMetadata('15550100001-1600000000@g.us'),
    ]);
    const [exists, , sent, , about, group] = await results;
    expect(client.state).toBe('open');
    expect(exists).toBe(true);
    expect(sent.id).toMatch(/^3EB0/);
    expect(typeof about === 'string' || about === undefined).toBe(true);
    expect(group.id).toBe('15550100001-1600000000@g.us');
    expect(order).toEqual(['message between']);
    const account = running.world.requireAccount(running.phone.wid);
    expect(running.world.chat(account, BOB)?.archived).toBe(true);
  });

  it('fail with NotLoggedInError when the queue is off, and when the session does not come back in time', async () => {
    const running = await start();
    const off = await loggedIn(running, { reconnect: { initialMs: 1_000, jitter: 0 }, sendQueue: false });
    const slow = await loggedIn(running, { reconnect: { initialMs: 1_000, jitter: 0 }, sendQueue: { maxWaitMs: 200 } });
    const dropped = Promise.all([off.waitFor('disconnected'), slow.waitFor('disconnected')]);
    expect(running.faults.dropSocket()).toBe(2);
    await dropped;
    await expect(off.exists(ALICE)).rejects.toBeInstanceOf(NotLoggedInError);
    await expect(off.exists(ALICE)).rejects.toThrow(/send queue is off/);
    const started = Date.now();
    await expect(slow.markRead(ALICE, '3EB0AAAAAAAAAAAAAAAA')).rejects.toThrow(/did not come back within 200 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('logout() during a reconnect waits for the session, then ends it on the server', async () => {
    const running = await start();
    const client = await loggedIn(running, { reconnect: { initialMs: 150, jitter: 0 } });
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    await client.logout();
    expect(client.state).toBe('closed');
    expect(running.sandbox.sessions()).toEqual([]);
  });

  it('close() while a request waits rejects it with ClientClosedError', async () => {
    const running = await start();
    const client = await loggedIn(running, { reconnect: { initialMs: 1_000, jitter: 0 } });
    const disconnected = client.waitFor('disconnected');
    running.faults.dropSocket();
    await disconnected;
    const waiting = client.groupMetadata('15550100001-1600000000@g.us').catch((error: unknown) => error);
    await client.close();
    expect(await waiting).toBeInstanceOf(ClientClosedError);
  });
});

describe('retrying a send with the same id', () => {
  it('sendText(jid, text, { id }) twice: one message, acknowledged twice', async () => {
    const running = await start();
    const counts = deliveries(running);
    const client = await loggedIn(running);
    const id = '3EB0C0FFEE0123456789';
    const first = await client.sendText(ALICE, 'exactly once', { id });
    const again = await client.sendText(ALICE, 'exactly once', { id });
    expect(first.id).toBe(id);
    expect(again.id).toBe(id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts.get(id)).toBe(1);
    expect(client.messages(ALICE).filter((info) => info.key.id === id)).toHaveLength(1);
  });

  it('a send that timed out (the ack came too late) carries its id and retry(): delivered once', async () => {
    const running = await start();
    const counts = deliveries(running);
    const client = await loggedIn(running, { requestTimeoutMs: 300 });
    running.faults.delayFrames(600);
    const error = await client.sendText(ALICE, 'slow ack').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ code: 'SEND_TIMEOUT', maybeDelivered: true, chat: ALICE });
    expect((error as SendError).cause).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    const { id } = error as SendError;
    expect(counts.get(id)).toBe(1); // the server had it all along
    running.faults.delayFrames(0);
    // The late ack arrives meanwhile (nobody waits for it any more); the frames keep their order.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const sent = await (error as SendError).retry();
    expect(sent).toMatchObject({ id, status: 'SERVER_ACK' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts.get(id)).toBe(1);
  });

  it('checks the id: 3EB0 + 16 upper-case hex digits, one send per id at a time', async () => {
    const running = await start();
    const client = await loggedIn(running);
    for (const id of ['3eb0c0ffee0123456789', '3EB0C0FFEE', 'ABCD0123456789ABCDEF', '3EB0C0FFEE012345678,', 42]) {
      await expect(client.sendText(ALICE, 'hi', { id: id as string })).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    const id = '3EB00000000000000001';
    const first = client.sendText(ALICE, 'one', { id });
    await expect(client.sendText(ALICE, 'one', { id })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect((await first).id).toBe(id);
  });
});
