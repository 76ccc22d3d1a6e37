// End to end over the whole stack: @wa/client against @wa/sandbox's WebSocket server on 127.0.0.1
// (QR login, restore from stored credentials, sendText round trips sequentially and 16 in flight,
// incoming messages), beside a raw `ws` client/server on 127.0.0.1 doing the same number of
// round trips and pushes with frames of the same sizes, in the same run. The ratios say what the
// protocol (keys, sealing, the binary codec, protobuf, the store and the sandbox's own work) costs
// over bare WebSocket frames. Writes bench/results/session.json.
import console from 'node:console';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { MemoryAuthStore, WAClient } from '@wa/client';
import { startSandbox } from '@wa/sandbox';
import { machineInfo, writeResult } from './lib/measure.mjs';

// `ws` is a dependency of the packages, not of the repository root: resolve it from there.
const { WebSocket, WebSocketServer } = createRequire(import.meta.resolve('@wa/transport/package.json'))('ws');

const LOGINS = Number(process.env.BENCH_LOGINS ?? 25);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 4000);
const ROUNDS = 7;
const WARM_UP = 300;
const IN_FLIGHT = 16;
const DAVE = '15550100005@c.us';
const BOB = '15550100003@c.us';
const TEXT = 'benchmark message: a short text of about the size people send';

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Runs `fn` `rounds` times and returns the median of what it returns and all the samples. */
async function rounds(fn, count = ROUNDS) {
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await fn());
  return { median: median(samples), samples: samples.map((value) => round(value, 2)) };
}

/** Runs `total` calls of `task` with at most `width` waiting at once; returns calls per second. */
async function throughput(task, total, width) {
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

// --- the subject: @wa/client over @wa/sandbox -----------------------------------------------------

/** A client of `sandbox` whose QR codes the sandbox's phone scans the moment they are shown. */
function newClient(sandbox, auth) {
  const client = new WAClient({ url: sandbox.url, auth });
  client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
  return client;
}

/**
 * A fresh sandbox (default world) with one logged-in client. Each throughput round gets its own:
 * the sandbox checks every relayed id against the account's whole history (a linear scan), so
 * one long-lived session would time the growing history rather than the stack.
 */
async function openSession() {
  const sandbox = await startSandbox({ seed: 'bench' });
  // Dave neither delivers nor reads: no ack pushes run beside the round trips being timed.
  sandbox.contact(DAVE).configure({ deliverAfterMs: null, readAfterMs: null });
  const client = newClient(sandbox, new MemoryAuthStore());
  const waiting = [];
  client.on('message', (message) => message.source === 'relay' && message.sender === BOB && waiting.at(-1)?.());
  await client.connect();
  await settle(); // let the pushes behind the Conn (chats, contacts, history) arrive first
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
    close: async () => {
      await client.close();
      await sandbox.close();
    },
  };
}

/** One connect, timed until `open`; returns the milliseconds and leaves the client closed. */
async function timedLogin(sandbox, auth, expectedVia) {
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

// Logins, on a sandbox with no other client connected.
const loginSandbox = await startSandbox({ seed: 'bench' });
const qrLogin = await rounds(() => timedLogin(loginSandbox, new MemoryAuthStore(), 'qr'), LOGINS);
const stored = new MemoryAuthStore();
await timedLogin(loginSandbox, stored, 'qr');
const restore = await rounds(() => timedLogin(loginSandbox, stored, 'restore'), LOGINS);
await loginSandbox.close();

// The wire sizes of one sendText round trip and one incoming message (from the sandbox's
// counters), and an untimed warm-up of the send path.
const first = await openSession();
let before = first.sandbox.stats;
await first.send();
const sendBytes = { request: first.sandbox.stats.bytesIn - before.bytesIn, answer: first.sandbox.stats.bytesOut - before.bytesOut };
before = first.sandbox.stats;
const one = first.incoming(1);
first.sandbox.contact(BOB).sendText(TEXT);
await one;
const pushBytes = first.sandbox.stats.bytesOut - before.bytesOut;
await throughput(first.send, WARM_UP, IN_FLIGHT);
await first.close();

/** One timed round in a fresh session; returns what `fn` returns. */
async function inSession(fn) {
  const session = await openSession();
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

const sendSequential = await rounds(() => inSession((session) => throughput(session.send, MESSAGES, 1)));
const sendParallel = await rounds(() => inSession((session) => throughput(session.send, MESSAGES, IN_FLIGHT)));
let stats;
const receive = await rounds(() =>
  inSession(async (session) => {
    const all = session.incoming(MESSAGES);
    const bob = session.sandbox.contact(BOB);
    const start = performance.now();
    for (let i = 0; i < MESSAGES; i++) bob.sendText(TEXT);
    await all;
    const rate = (MESSAGES * 1000) / (performance.now() - start);
    stats = session.sandbox.stats;
    return rate;
  }),
);

// --- the baseline: raw ws on 127.0.0.1, frames of the same sizes -----------------------------------

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => server.once('listening', resolve));
const baseUrl = `ws://127.0.0.1:${server.address().port}`;
const answer = 'x'.repeat(sendBytes.answer);
const push = new Uint8Array(pushBytes).fill(7);
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    if (isBinary) socket.send(answer);
    else for (let i = 0; i < Number(data.toString()); i++) socket.send(push);
  });
});

async function openRaw() {
  const socket = new WebSocket(baseUrl, { origin: 'https://web.whatsapp.com' });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Echo round trips: a binary request like the sealed relay, a text answer like `tag,{"status":200}`. */
function echoClient(socket) {
  const waiting = [];
  socket.on('message', (_data, isBinary) => !isBinary && waiting.shift()?.());
  const request = new Uint8Array(sendBytes.request).fill(1);
  return () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      socket.send(request);
    });
}

const rawConnect = await rounds(async () => {
  const start = performance.now();
  const socket = await openRaw();
  const ms = performance.now() - start;
  socket.close();
  return ms;
}, LOGINS);
const raw = await openRaw();
const roundTrip = echoClient(raw);
await throughput(roundTrip, WARM_UP, IN_FLIGHT);
const rawSequential = await rounds(() => throughput(roundTrip, MESSAGES, 1));
const rawParallel = await rounds(() => throughput(roundTrip, MESSAGES, IN_FLIGHT));
const rawReceive = await rounds(async () => {
  let left = MESSAGES;
  const start = performance.now();
  await new Promise((resolve) => {
    const onMessage = (_data, isBinary) => {
      if (isBinary && --left === 0) {
        raw.off('message', onMessage);
        resolve();
      }
    };
    raw.on('message', onMessage);
    raw.send(String(MESSAGES));
  });
  return (MESSAGES * 1000) / (performance.now() - start);
});
const rawRoundTripMs = 1000 / rawSequential.median;
raw.close();
for (const socket of server.clients) socket.terminate();
await new Promise((resolve) => server.close(resolve));

// --- report -----------------------------------------------------------------------------------------

const results = {
  qrLogin: { medianMs: round(qrLogin.median, 2), samplesMs: qrLogin.samples, logins: LOGINS },
  restore: { medianMs: round(restore.median, 2), samplesMs: restore.samples, logins: LOGINS },
  sendTextSequential: { perSec: round(sendSequential.median), msPerMessage: round(1000 / sendSequential.median, 3), samples: sendSequential.samples },
  sendTextInFlight16: { perSec: round(sendParallel.median), msPerMessage: round(1000 / sendParallel.median, 3), samples: sendParallel.samples },
  incoming: { perSec: round(receive.median), msPerMessage: round(1000 / receive.median, 3), samples: receive.samples },
  rawConnect: { medianMs: round(rawConnect.median, 2), samplesMs: rawConnect.samples },
  rawEchoSequential: { perSec: round(rawSequential.median), msPerRoundTrip: round(rawRoundTripMs, 3), samples: rawSequential.samples },
  rawEchoInFlight16: { perSec: round(rawParallel.median), samples: rawParallel.samples },
  rawPush: { perSec: round(rawReceive.median), samples: rawReceive.samples },
};
// < 1: slower than raw ws. Logins are expressed as raw connects and as raw echo round trips.
const ratios = {
  sendTextSequentialVsRawEcho: round(sendSequential.median / rawSequential.median, 3),
  sendTextInFlight16VsRawEcho: round(sendParallel.median / rawParallel.median, 3),
  incomingVsRawPush: round(receive.median / rawReceive.median, 3),
  qrLoginInRawConnects: round(qrLogin.median / rawConnect.median, 1),
  qrLoginInRawRoundTrips: round(qrLogin.median / rawRoundTripMs, 1),
  restoreInRawConnects: round(restore.median / rawConnect.median, 1),
  restoreInRawRoundTrips: round(restore.median / rawRoundTripMs, 1),
};

const rows = [
  ['QR login (connect → open)', `${results.qrLogin.medianMs} ms`, `raw connect ${results.rawConnect.medianMs} ms`, `${ratios.qrLoginInRawConnects}× connect, ${ratios.qrLoginInRawRoundTrips} round trips`],
  ['restore (connect → open)', `${results.restore.medianMs} ms`, `raw connect ${results.rawConnect.medianMs} ms`, `${ratios.restoreInRawConnects}× connect, ${ratios.restoreInRawRoundTrips} round trips`],
  ['sendText, sequential', `${results.sendTextSequential.perSec} /s`, `raw echo ${results.rawEchoSequential.perSec} /s`, `${ratios.sendTextSequentialVsRawEcho}×`],
  [`sendText, ${IN_FLIGHT} in flight`, `${results.sendTextInFlight16.perSec} /s`, `raw echo ${results.rawEchoInFlight16.perSec} /s`, `${ratios.sendTextInFlight16VsRawEcho}×`],
  ['incoming messages', `${results.incoming.perSec} /s`, `raw push ${results.rawPush.perSec} /s`, `${ratios.incomingVsRawPush}×`],
];
const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length)));
console.log(`${MESSAGES} messages per round, median of ${ROUNDS} rounds; ${LOGINS} logins each`);
console.log(`wire sizes: sendText ${sendBytes.request} B out, ${sendBytes.answer} B ack; incoming ${pushBytes} B`);
for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join('   '));

writeResult('session', {
  benchmark: 'session',
  date: new Date().toISOString(),
  machine: machineInfo(),
  data: {
    messagesPerRound: MESSAGES,
    rounds: ROUNDS,
    logins: LOGINS,
    inFlight: IN_FLIGHT,
    text: TEXT,
    wireBytes: { sendTextRequest: sendBytes.request, sendTextAck: sendBytes.answer, incomingMessage: pushBytes },
    lastSessionFrames: { in: stats.framesIn, out: stats.framesOut, rejected: stats.rejectedFrames, badHmac: stats.badHmac },
  },
  notes:
    'Both sides in one process on 127.0.0.1. Subject: @wa/client against startSandbox(), a fresh sandbox and QR-logged-in client per throughput round (QR scanned on the qr event; restore from a MemoryAuthStore; sendText resolves on the server ack; incoming = contact.sendText pushes counted as client message events). Baseline: a raw ws client/server with frames of the measured wire sizes (binary request, text answer; binary pushes). Ratios are subject/baseline rates (< 1: slower); logins are also given in raw connects and raw sequential round trips.',
  results,
  ratios,
});
