// End-to-end helpers shared by session.bench.mjs and session-latency.bench.mjs: @wa/client's
// WAClient against a sandbox started with startSandbox() on 127.0.0.1.
import { performance } from 'node:perf_hooks';
import { MemoryAuthStore, WAClient } from '@wa/client';
import { startSandbox } from '@wa/sandbox';

/** The contact the client sends to: neither delivers nor reads, so no receipts run beside the sends. */
export const DAVE = '15550100005@c.us';
/** The contact whose bursts the client receives. */
export const BOB = '15550100003@c.us';
export const TEXT = 'benchmark message: a short text of about the size people send';

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` `count` times and returns the median of what it returns and all the samples. */
export async function rounds(fn, count) {
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await fn());
  return { median: median(samples), samples: samples.map((value) => round(value, 2)) };
}

/** Runs `total` calls of `task` with at most `width` waiting at once; returns calls per second. */
export async function throughput(task, total, width) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next += 1;
      await task();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: width }, worker));
  return (total * 1000) / (performance.now() - start);
}

/** A client of `sandbox` whose QR codes the sandbox's phone scans the moment they are shown. */
export function newClient(sandbox, auth) {
  const client = new WAClient({ url: sandbox.url, auth });
  client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  return client;
}

/** One connect, timed until `open`; returns the milliseconds and leaves the client closed. */
export async function timedLogin(sandbox, auth, expectedVia) {
  const client = newClient(sandbox, auth);
  let openedAt = 0;
  client.on('open', () => (openedAt = performance.now()));
  const start = performance.now();
  await client.connect();
  if (client.me?.via !== expectedVia) throw new Error(`expected a ${expectedVia} login, got ${client.me?.via}`);
  const ms = openedAt - start;
  await client.close();
  return ms;
}

/** A fresh credentials store, after one QR login on `sandbox`, for timing restores. */
export async function storedLogin(sandbox) {
  const stored = new MemoryAuthStore();
  await timedLogin(sandbox, stored, 'qr');
  return stored;
}

export { MemoryAuthStore, startSandbox };

/**
 * A fresh sandbox (default world, `sandboxOptions` on top of `{ seed: 'bench' }`) with one
 * QR-logged-in client. Each throughput round gets its own: the sandbox checks every relayed id
 * against the account's whole history (a linear scan), so one long-lived session would time the
 * growing history rather than the stack. `settleMs`: how long to let the pushes behind the Conn
 * (chats, contacts, recent messages) arrive before anything is timed.
 */
export async function openSession(sandboxOptions, settleMs = 50) {
  const sandbox = await startSandbox({ seed: 'bench', ...sandboxOptions });
  // Dave neither delivers nor reads: no ack pushes run beside the round trips being timed.
  sandbox.contact(DAVE).configure({ deliverAfterMs: null, readAfterMs: null });
  const client = newClient(sandbox, new MemoryAuthStore());
  const waiting = [];
  client.on('message', (message) => message.source === 'relay' && message.sender === BOB && waiting.at(-1)?.());
  await client.connect();
  await sleep(settleMs);
  return {
    sandbox,
    client,
    send: () => client.sendText(DAVE, TEXT),
    /** Resolves once `count` more messages from Bob reached the client as `message` events. */
    incoming: (count) =>
      new Promise((resolve) => {
        let left = count;
        waiting.push(() => {
          if (--left > 0) return;
          waiting.pop();
          resolve();
        });
      }),
    /**
     * Bob sends `count` texts in one synchronous burst; resolves with the client's messages/s
     * over the whole burst, how long the sandbox took to queue them (`queueMs`, the synchronous
     * loop) and when the first reached the client, counted from the end of that loop (`firstMs`).
     */
    async burst(count) {
      let firstAt = 0;
      const all = this.incoming(count);
      const bob = sandbox.contact(BOB);
      const offFirst = client.on('message', () => (firstAt ||= performance.now()));
      const start = performance.now();
      for (let i = 0; i < count; i++) bob.sendText(TEXT);
      const queued = performance.now();
      await all;
      const ms = performance.now() - start;
      offFirst();
      return { perSec: (count * 1000) / ms, queueMs: queued - start, firstMs: firstAt - queued };
    },
    /** Bob sends one text; resolves with the ms until it reached the client. */
    async single() {
      const one = this.incoming(1);
      const start = performance.now();
      sandbox.contact(BOB).sendText(TEXT);
      await one;
      return performance.now() - start;
    },
    close: async () => {
      await client.close();
      await sandbox.close();
    },
  };
}

/** One round in a fresh session; returns what `fn` returns. */
export async function inSession(sandboxOptions, fn, settleMs) {
  const session = await openSession(sandboxOptions, settleMs);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
