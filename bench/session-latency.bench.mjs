// What the sandbox's default latency costs end to end: the operations of session.bench.mjs (QR
// login, restore, sendText round trips one at a time and 16 in flight, a contact's burst of
// incoming messages), @wa/client against startSandbox() with the default latency (server 4 ms,
// phone 40 ms, ±50 % jitter) and with `latency: 0` (still one frame per macrotask), in the same
// run, the rounds of the two interleaved so a change of load hits both alike. The ratios are
// default/zero of the time each operation takes (> 1: slower with latency). Writes
// bench/results/latency.json. Named session-… so that the client package's `bench` script
// (`run-all.mjs session`) runs it beside session.bench.mjs.
import console from 'node:console';
import { machineInfo, writeResult } from './lib/measure.mjs';
import { inSession, median, MemoryAuthStore, round, startSandbox, storedLogin, throughput, timedLogin } from './lib/session.mjs';

const LOGINS = Number(process.env.BENCH_LOGINS ?? 21);
// Few sends per round: with the default latency one round trip takes ~5 ms.
const SENDS = Number(process.env.BENCH_SENDS ?? 400);
const INCOMING = Number(process.env.BENCH_MESSAGES ?? 2000);
const ROUNDS = 7;
const IN_FLIGHT = 16;
const WARM_UP = 100;
// Lone incoming messages timed per round, before the burst.
const SINGLES = 5;

/** The two sandboxes compared: `options` is passed to startSandbox (with `seed: 'bench'`). */
const CONFIGS = [
  { name: 'default', options: {} },
  { name: 'zero', options: { latency: 0 } },
];

// The settings each sandbox really runs with (Sandbox.latency), and how long to let the pushes
// behind the Conn (chat list, contacts, recent messages: three phone frames, each counted from the
// one before) arrive before a throughput round starts.
for (const config of CONFIGS) {
  const probe = await startSandbox({ seed: 'bench', ...config.options });
  config.latency = { ...probe.sandbox.latency };
  await probe.close();
  config.settleMs = 50 + Math.ceil(3 * config.latency.phoneMs * (1 + config.latency.jitter));
}

/**
 * For each round, one sample per config (in config order); returns { [name]: { median, samples } }.
 * `sample(config, round)`.
 */
async function interleaved(count, sample) {
  const samples = Object.fromEntries(CONFIGS.map((config) => [config.name, []]));
  for (let i = 0; i < count; i++) {
    for (const config of CONFIGS) samples[config.name].push(await sample(config, i));
  }
  return Object.fromEntries(
    CONFIGS.map(({ name }) => [name, { median: median(samples[name]), samples: samples[name].map((value) => round(value, 2)) }]),
  );
}

// Untimed warm-up of every path, per config.
for (const config of CONFIGS) {
  await inSession(
    config.options,
    async (session) => {
      await throughput(session.send, WARM_UP, IN_FLIGHT);
      await session.burst(WARM_UP);
    },
    config.settleMs,
  );
}

// Logins: one long-lived sandbox per config with no other client connected.
const loginSandboxes = new Map();
for (const config of CONFIGS) loginSandboxes.set(config.name, await startSandbox({ seed: 'bench', ...config.options }));
const qrLogin = await interleaved(LOGINS, (config) => timedLogin(loginSandboxes.get(config.name), new MemoryAuthStore(), 'qr'));
const storedAuth = new Map();
for (const config of CONFIGS) storedAuth.set(config.name, await storedLogin(loginSandboxes.get(config.name)));
const restore = await interleaved(LOGINS, (config) => timedLogin(loginSandboxes.get(config.name), storedAuth.get(config.name), 'restore'));
for (const sandbox of loginSandboxes.values()) await sandbox.close();

// Throughput: a fresh sandbox and QR-logged-in client per round (see openSession), seeded by the
// round: each sandbox draws its latencies from its seed, so one seed for all would replay the same
// few latencies every round.
const sessionOptions = (config, index) => ({ ...config.options, seed: `bench:${index}` });
const sendSequential = await interleaved(ROUNDS, (config, i) => inSession(sessionOptions(config, i), (session) => throughput(session.send, SENDS, 1), config.settleMs));
const sendParallel = await interleaved(ROUNDS, (config, i) => inSession(sessionOptions(config, i), (session) => throughput(session.send, SENDS, IN_FLIGHT), config.settleMs));
// Incoming: first SINGLES lone messages (each timed from Bob's send to the client's event), then
// the burst, whose first message is timed from the end of the synchronous loop that queued it.
const perConfig = () => Object.fromEntries(CONFIGS.map((config) => [config.name, []]));
const single = perConfig();
const firstMessage = perConfig();
const queueing = perConfig();
const incoming = await interleaved(ROUNDS, (config, i) =>
  inSession(
    sessionOptions(config, i),
    async (session) => {
      for (let i = 0; i < SINGLES; i++) single[config.name].push(await session.single());
      const { perSec, queueMs, firstMs } = await session.burst(INCOMING);
      firstMessage[config.name].push(firstMs);
      queueing[config.name].push(queueMs);
      return perSec;
    },
    config.settleMs,
  ),
);

// --- report -----------------------------------------------------------------------------------------

const timeResult = (measured, name) => ({ medianMs: round(measured[name].median, 2), samplesMs: measured[name].samples });
const rateResult = (measured, name) => ({
  perSec: round(measured[name].median),
  msPerMessage: round(1000 / measured[name].median, 3),
  samples: measured[name].samples,
});

const results = {};
for (const { name } of CONFIGS) {
  results[name] = {
    qrLogin: timeResult(qrLogin, name),
    restore: timeResult(restore, name),
    sendTextSequential: rateResult(sendSequential, name),
    sendTextInFlight16: rateResult(sendParallel, name),
    incoming: {
      ...rateResult(incoming, name),
      burstMs: round((INCOMING * 1000) / incoming[name].median, 1),
      queueMs: round(median(queueing[name]), 2),
      firstAfterQueueMs: round(median(firstMessage[name]), 2),
      firstAfterQueueSamplesMs: firstMessage[name].map((value) => round(value, 2)),
    },
    incomingSingle: { medianMs: round(median(single[name]), 2), samplesMs: single[name].map((value) => round(value, 2)) },
  };
}
const d = results.default;
const z = results.zero;
// default/zero of the time per operation (per login, per message); > 1: slower with latency.
const ratios = {
  qrLogin: round(d.qrLogin.medianMs / z.qrLogin.medianMs, 2),
  restore: round(d.restore.medianMs / z.restore.medianMs, 2),
  sendTextSequential: round(z.sendTextSequential.perSec / d.sendTextSequential.perSec, 2),
  sendTextInFlight16: round(z.sendTextInFlight16.perSec / d.sendTextInFlight16.perSec, 2),
  incoming: round(z.incoming.perSec / d.incoming.perSec, 2),
  incomingSingle: round(d.incomingSingle.medianMs / z.incomingSingle.medianMs, 2),
};
// What the latency adds, in ms: per login, per message, per whole burst.
const addedMs = {
  qrLogin: round(d.qrLogin.medianMs - z.qrLogin.medianMs, 2),
  restore: round(d.restore.medianMs - z.restore.medianMs, 2),
  sendTextSequentialPerMessage: round(d.sendTextSequential.msPerMessage - z.sendTextSequential.msPerMessage, 3),
  sendTextInFlight16PerMessage: round(d.sendTextInFlight16.msPerMessage - z.sendTextInFlight16.msPerMessage, 3),
  incomingBurst: round(d.incoming.burstMs - z.incoming.burstMs, 1),
  incomingFirstAfterQueue: round(d.incoming.firstAfterQueueMs - z.incoming.firstAfterQueueMs, 2),
  incomingSingle: round(d.incomingSingle.medianMs - z.incomingSingle.medianMs, 2),
};

const rows = [
  ['', 'default latency', 'latency 0', 'default/zero', 'added'],
  ['QR login (connect → open)', `${d.qrLogin.medianMs} ms`, `${z.qrLogin.medianMs} ms`, `${ratios.qrLogin}×`, `${addedMs.qrLogin} ms`],
  ['restore (connect → open)', `${d.restore.medianMs} ms`, `${z.restore.medianMs} ms`, `${ratios.restore}×`, `${addedMs.restore} ms`],
  ['sendText, sequential', `${d.sendTextSequential.perSec} /s`, `${z.sendTextSequential.perSec} /s`, `${ratios.sendTextSequential}×`, `${addedMs.sendTextSequentialPerMessage} ms/msg`],
  [`sendText, ${IN_FLIGHT} in flight`, `${d.sendTextInFlight16.perSec} /s`, `${z.sendTextInFlight16.perSec} /s`, `${ratios.sendTextInFlight16}×`, `${addedMs.sendTextInFlight16PerMessage} ms/msg`],
  [`incoming, burst of ${INCOMING}`, `${d.incoming.perSec} /s`, `${z.incoming.perSec} /s`, `${ratios.incoming}×`, `${addedMs.incomingBurst} ms/burst`],
  ['incoming, first after queueing', `${d.incoming.firstAfterQueueMs} ms`, `${z.incoming.firstAfterQueueMs} ms`, '', `${addedMs.incomingFirstAfterQueue} ms`],
  ['incoming, one message alone', `${d.incomingSingle.medianMs} ms`, `${z.incomingSingle.medianMs} ms`, `${ratios.incomingSingle}×`, `${addedMs.incomingSingle} ms`],
];
const widths = [0, 1, 2, 3, 4].map((column) => Math.max(...rows.map((row) => row[column].length)));
for (const config of CONFIGS) {
  const { serverMs, phoneMs, jitter } = config.latency;
  console.log(`${config.name}: server ${serverMs} ms, phone ${phoneMs} ms, jitter ±${Math.round(jitter * 100)}%`);
}
console.log(`${SENDS} sends and a burst of ${INCOMING} per round, median of ${ROUNDS} rounds; ${LOGINS} logins each`);
for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join('   '));

writeResult('latency', {
  benchmark: 'latency',
  date: new Date().toISOString(),
  machine: machineInfo(),
  data: {
    configs: CONFIGS.map((config) => ({ name: config.name, sandboxOptions: config.options, latency: config.latency, settleMs: config.settleMs })),
    sendsPerRound: SENDS,
    incomingPerRound: INCOMING,
    rounds: ROUNDS,
    logins: LOGINS,
    inFlight: IN_FLIGHT,
  },
  notes:
    `One process on 127.0.0.1: @wa/client against startSandbox({ seed: "bench" }) with the default latency and with { latency: 0 }, rounds interleaved. Logins: connect → open on a long-lived sandbox per config (QR scanned on the qr event; restore from a MemoryAuthStore). Throughput: a fresh sandbox (seed bench:<round>) and QR-logged-in client per round; sendText resolves on the server ack; incoming = a synchronous burst of contact.sendText counted as client message events (queueMs: the synchronous loop in which the sandbox queued them; firstAfterQueueMs: from its end until the first reached the client); incomingSingle = one contact.sendText until its client message event, ${SINGLES} per round before the burst. Ratios: default/zero of the time per operation (> 1: slower with latency); addedMs: default − zero.`,
  results,
  ratios,
  addedMs,
});
