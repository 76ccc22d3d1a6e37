// End to end over the whole stack: @wa/client against @wa/sandbox's WebSocket server on 127.0.0.1
// (QR login, restore from stored credentials, sendText round trips sequentially and 16 in flight,
// incoming messages), beside a raw `ws` client/server on 127.0.0.1 doing the same number of
// round trips and pushes with frames of the same sizes, in the same run. The ratios say what the
// protocol (keys, sealing, the binary codec, protobuf, the store and the sandbox's own work) costs
// over bare WebSocket frames. The sandbox runs with `latency: 0` (frames still one per macrotask),
// so the numbers stay comparable with the results from before the sandbox had latency; what the
// default latency adds is session-latency.bench.mjs's subject. Writes bench/results/session.json.
import console from 'node:console';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { machineInfo, writeResult } from './lib/measure.mjs';
import { BOB, inSession, MemoryAuthStore, openSession, round, rounds as roundsOf, startSandbox, storedLogin, TEXT, throughput, timedLogin } from './lib/session.mjs';

// `ws` is a dependency of the packages, not of the repository root: resolve it from there.
const { WebSocket, WebSocketServer } = createRequire(import.meta.resolve('@wa/transport/package.json'))('ws');

const LOGINS = Number(process.env.BENCH_LOGINS ?? 25);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 4000);
const ROUNDS = 7;
const WARM_UP = 300;
const IN_FLIGHT = 16;
// No latency (still one frame per macrotask): these numbers are the stack's own cost, comparable
// with the results from before the sandbox had latency. session-latency.bench.mjs times the default.
const SANDBOX = { latency: 0 };

const rounds = (fn, count = ROUNDS) => roundsOf(fn, count);

// Logins, on a sandbox with no other client connected.
const loginSandbox = await startSandbox({ seed: 'bench', ...SANDBOX });
const qrLogin = await rounds(() => timedLogin(loginSandbox, new MemoryAuthStore(), 'qr'), LOGINS);
const stored = await storedLogin(loginSandbox);
const restore = await rounds(() => timedLogin(loginSandbox, stored, 'restore'), LOGINS);
await loginSandbox.close();

// The wire sizes of one sendText round trip and one incoming message (from the sandbox's
// counters), and an untimed warm-up of the send path.
const first = await openSession(SANDBOX);
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

const sendSequential = await rounds(() => inSession(SANDBOX, (session) => throughput(session.send, MESSAGES, 1)));
const sendParallel = await rounds(() => inSession(SANDBOX, (session) => throughput(session.send, MESSAGES, IN_FLIGHT)));
let stats;
const receive = await rounds(() =>
  inSession(SANDBOX, async (session) => {
    const { perSec: rate } = await session.burst(MESSAGES);
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
    sandboxOptions: SANDBOX,
    messagesPerRound: MESSAGES,
    rounds: ROUNDS,
    logins: LOGINS,
    inFlight: IN_FLIGHT,
    text: TEXT,
    wireBytes: { sendTextRequest: sendBytes.request, sendTextAck: sendBytes.answer, incomingMessage: pushBytes },
    lastSessionFrames: { in: stats.framesIn, out: stats.framesOut, rejected: stats.rejectedFrames, badHmac: stats.badHmac },
  },
  notes:
    'Both sides in one process on 127.0.0.1. Subject: @wa/client against startSandbox({ latency: 0 }) (no latency, one frame per macrotask), a fresh sandbox and QR-logged-in client per throughput round (QR scanned on the qr event; restore from a MemoryAuthStore; sendText resolves on the server ack; incoming = contact.sendText pushes counted as client message events). Baseline: a raw ws client/server with frames of the measured wire sizes (binary request, text answer; binary pushes). Ratios are subject/baseline rates (< 1: slower); logins are also given in raw connects and raw sequential round trips.',
  results,
  ratios,
});
