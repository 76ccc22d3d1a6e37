// Issue 13's client goals, measured against the most used legacy TypeScript client in the same run:
// @wa/client and @adiwajshing/baileys@3.5.3, each against startSandbox({ latency: 0 }) on 127.0.0.1
// (a fresh sandbox and QR login per round, rounds of the subjects interleaved so load changes hit
// all alike, the first WARM_UP_ROUNDS not kept), with the sandbox in a worker thread (`thread`,
// one thread for every round so its code stays compiled, as in a server that has been up for a
// while) and in the client's thread (`inline`: what a test suite sees; the sandbox's work per
// frame is paid between the client's frames).
//   - ingest: a contact (Bob) pushes INGEST texts in one synchronous burst; the rate at which they
//     become @wa/client `message` events, and Baileys `chat-update` events with `hasNewMessage`
//     (from the burst, and from the first message to the last);
//   - backlog (thread only): the same INGEST texts written while the client's thread is held, so
//     they wait in the socket buffers; the rate from its release to the last event: the client's
//     own pace, which the sandbox's one write per frame does not bound;
//   - sends: SENDS texts with 16 in flight, `sendText` and Baileys `sendMessage`, each resolving on
//     the server ack (to Dave, who neither delivers nor reads, so no receipts run beside them);
//   - busy time: messages per second of the client thread's event-loop busy time, beside each rate.
// Two more subjects bound what any client can reach: the floor (bench/lib/raw-client.mjs opening
// and decoding each frame and its WebMessageInfo, nothing kept: the least work of a client) and
// the ceiling (the same raw client counting sealed frames unopened, and sending with nothing but
// encode + seal). Goals: ingest ≥ 2× Baileys and ≥ 20k/s; sends ≥ 2× Baileys.
// Writes bench/results/ingest.json.
//
// Baileys is not a dependency of the benchmarks: the interop package installs it (its
// devDependency @adiwajshing/baileys@3.5.3), so it is resolved from there with createRequire, and
// pointed at the sandbox the way interop/test/harness.ts does: an https.Agent whose every
// connection is a plain TCP socket to the sandbox port.
import console from 'node:console';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { machineInfo, writeResult } from './lib/measure.mjs';
import { rawLogin } from './lib/raw-client.mjs';
import { startSandboxThread } from './lib/sandbox-worker.mjs';
import { BOB, DAVE, median, MemoryAuthStore, round, sleep, startSandbox, TEXT, throughput } from './lib/session.mjs';
import { WAClient } from '@wa/client';

const interopRequire = createRequire(new URL('../interop/package.json', import.meta.url));
const { MessageType, ReconnectMode, WAConnection } = interopRequire('@adiwajshing/baileys');
const baileysVersion = interopRequire('@adiwajshing/baileys/package.json').version;

const INGEST = Number(process.env.BENCH_INGEST ?? 5000);
const SENDS = Number(process.env.BENCH_SENDS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IN_FLIGHT = 16;
const WARM_UP_ROUNDS = Number(process.env.BENCH_WARM_UP ?? 3);
const LOGIN_FRAME_DELAY_MS = 2;
const SANDBOX = { latency: 0 };
/** Issue 13: the least each ratio may be, and the least ingest rate. */
const GOALS = { ingestVsBaileys: 2, ingestPerSec: 20_000, sendInFlight16VsBaileys: 2 };

const toWa = (jid) => jid.replace('@c.us', '@s.whatsapp.net');
const BOB_WA = toWa(BOB);
const DAVE_WA = toWa(DAVE);

/** Every connection Baileys opens is a plain TCP socket to the sandbox (see interop/test/harness.ts). */
class SandboxAgent extends https.Agent {
  #port;
  constructor(port) {
    super({ keepAlive: false });
    this.#port = port;
  }
  createConnection() {
    return net.connect({ host: '127.0.0.1', port: this.#port });
  }
}

/**
 * Where the sandbox runs: `thread`, its own worker thread (the client's cost alone, as against a
 * server elsewhere), or `inline`, the client's thread (what a test suite sees: the sandbox's work
 * per frame is paid between the client's frames, by both clients alike).
 */
const PLACEMENTS = (process.env.BENCH_PLACEMENTS ?? 'thread,inline').split(',');

/** A fresh sandbox of `placement`, behind one interface: port, url, scan, burst, close. */
async function openSandbox(placement) {
  const options = { seed: 'bench', ...SANDBOX };
  let sandbox;
  if (placement === 'thread') sandbox = await startSandboxThread(options);
  else {
    const inline = await startSandbox(options);
    sandbox = {
      port: inline.port,
      url: inline.url,
      configure: async (jid, behaviour) => void inline.contact(jid).configure(behaviour),
      scan: async (qr) => void inline.phone.scan(qr),
      delayFrames: async (ms) => void inline.faults.delayFrames(ms),
      burst: async (from, text, count) => {
        const contact = inline.contact(from);
        for (let i = 0; i < count; i++) contact.sendText(text);
      },
      close: () => inline.close(),
    };
  }
  // Dave neither delivers nor reads: no ack pushes run beside the sends being timed.
  await sandbox.configure(DAVE, { deliverAfterMs: null, readAfterMs: null });
  // Logins get a little latency per frame (both clients alike; off once logged in): with none, a
  // sandbox in its own thread writes the Conn and the sealed pushes behind it before Baileys has
  // read the Conn, and Baileys, reading them in one go, opens the pushes before it has the keys
  // (FACTS.md "Timing": it waits for each frame in a continuation of the one before).
  await sandbox.delayFrames(LOGIN_FRAME_DELAY_MS);
  return sandbox;
}

/**
 * The milliseconds this thread's event loop was busy (not waiting for I/O) from the call until
 * the returned function is called: with the sandbox in its own thread, the client's own work.
 */
function busyTime() {
  const before = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(before).active;
}

/** `throughput` of `send`, with the messages per second of this thread's busy time beside it. */
async function sendRates(send) {
  const busy = busyTime();
  const perSec = await throughput(send, SENDS, IN_FLIGHT);
  return { perSec, capacityPerSec: (SENDS * 1000) / busy() };
}

/**
 * Times a burst: resolves with messages/s from the moment the burst was asked for until `count`
 * more calls of the returned counter, and the rate from the first to the last message.
 */
function burstTimer(sandbox) {
  let waiting;
  /** Counts `count` calls of `count()` from now; `first()` is the time of the first, `all` resolves with the last's. */
  const countdown = (count) => {
    let left = count;
    let first = 0;
    const all = new Promise((resolve) => {
      waiting = () => {
        first ||= performance.now();
        if (--left === 0) resolve(performance.now());
      };
    });
    return { all: all.finally(() => (waiting = undefined)), first: () => first };
  };
  return {
    count: () => waiting?.(),
    async burst(count) {
      const { all, first } = countdown(count);
      const busy = busyTime();
      const start = performance.now();
      await sandbox.burst(BOB, TEXT, count);
      const last = await all;
      return { perSec: (count * 1000) / (last - start), flowingPerSec: ((count - 1) * 1000) / (last - first()), capacityPerSec: (count * 1000) / busy() };
    },
    /** A backlog (sandbox thread only): the rate from the moment `count` frames wait unread until the last is handled. */
    async backlog(count) {
      const { all } = countdown(count);
      const { answered, timedOut } = sandbox.backlog(BOB, TEXT, count);
      const start = performance.now();
      if (timedOut) throw new Error('the sandbox did not hand out the backlog within 10 s');
      await answered;
      return (count * 1000) / ((await all) - start);
    },
  };
}

/** @wa/client logged in by QR, with the pushes behind the Conn received. */
async function openClient(placement) {
  const sandbox = await openSandbox(placement);
  const client = new WAClient({ url: sandbox.url, auth: new MemoryAuthStore() });
  client.on('qr', ({ qr }) => void sandbox.scan(qr));
  const timer = burstTimer(sandbox);
  client.on('message', (message) => message.source === 'relay' && message.sender === BOB && timer.count());
  await client.connect();
  await sleep(50);
  await sandbox.delayFrames(0);
  return {
    send: () => client.sendText(DAVE, TEXT),
    burst: timer.burst,
    backlog: timer.backlog,
    close: async () => {
      await client.close();
      await sandbox.close();
    },
  };
}

/** Baileys logged in by QR, with the chat list and contacts received. */
async function openBaileys(placement) {
  const sandbox = await openSandbox(placement);
  const conn = new WAConnection();
  conn.logger.level = 'silent';
  conn.autoReconnect = ReconnectMode.off;
  Object.assign(conn.connectOptions, { agent: new SandboxAgent(sandbox.port), maxRetries: 1, logQR: false, alwaysUseTakeover: true });
  conn.on('qr', (qr) => setTimeout(() => void sandbox.scan(qr), 0));
  const chats = new Promise((resolve) => conn.once('chats-received', resolve));
  const contacts = new Promise((resolve) => conn.once('contacts-received', resolve));
  await conn.connect();
  await Promise.all([chats, contacts]);
  await sleep(50);
  await sandbox.delayFrames(0);
  const timer = burstTimer(sandbox);
  conn.on('chat-update', (update) => update.jid === BOB_WA && update.hasNewMessage && timer.count());
  return {
    send: () => conn.sendMessage(DAVE_WA, TEXT, MessageType.text),
    burst: timer.burst,
    backlog: timer.backlog,
    close: async () => {
      conn.close();
      await sandbox.close();
    },
  };
}

/**
 * The ceiling: bench/lib/raw-client.mjs, which counts the sealed frames without opening them and
 * sends with nothing but encode + seal. No client can ingest faster than the sandbox delivers to it.
 */
async function openRaw(placement) {
  const sandbox = await openSandbox(placement);
  const timer = burstTimer(sandbox);
  let counting = false;
  const raw = await rawLogin(sandbox.url, (qr) => sandbox.scan(qr), { onSealed: () => counting && timer.count() });
  await sleep(50);
  await sandbox.delayFrames(0);
  let sequence = 0;
  return {
    send: () => raw.sendText(DAVE, TEXT, `3EB0D${(++sequence).toString(16).toUpperCase().padStart(15, '0')}`),
    async burst(count) {
      counting = true;
      const result = await timer.burst(count);
      counting = false;
      return result;
    },
    async backlog(count) {
      counting = true;
      const result = await timer.backlog(count);
      counting = false;
      return result;
    },
    close: async () => {
      await raw.close();
      await sandbox.close();
    },
  };
}

/**
 * The floor: bench/lib/raw-client.mjs doing the least any client must do to know a frame is a
 * message from Bob: check its HMAC, decrypt it, decode the binary node and its `WebMessageInfo`.
 * Nothing is stored and no event is built; a client can only be faster than this by skipping
 * part of the protocol.
 */
async function openFloor(placement) {
  const sandbox = await openSandbox(placement);
  const timer = burstTimer(sandbox);
  const raw = await rawLogin(sandbox.url, (qr) => sandbox.scan(qr), { onMessage: (info) => info.key?.remoteJid === BOB_WA && timer.count() });
  await sleep(50);
  await sandbox.delayFrames(0);
  return {
    send: () => Promise.reject(new Error('the floor subject only ingests')),
    burst: timer.burst,
    backlog: timer.backlog,
    close: async () => {
      await raw.close();
      await sandbox.close();
    },
  };
}

const allSubjects = { client: openClient, baileys: openBaileys, floor: openFloor, raw: openRaw };
const subjects = Object.fromEntries((process.env.BENCH_SUBJECTS ?? 'client,baileys,floor,raw').split(',').map((name) => [name, allSubjects[name]]));

/** Rounds of every subject, alternating; the warm-up rounds are not kept. Samples are what `sample` returns. */
async function interleaved(placement, names, sample) {
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < WARM_UP_ROUNDS + ROUNDS; i++) {
    for (const name of names) {
      const open = subjects[name];
      const session = await open(placement);
      try {
        const value = await sample(session);
        if (process.env.BENCH_VERBOSE) console.error(placement, name, i, JSON.stringify(value));
        if (i >= WARM_UP_ROUNDS) samples[name].push(value);
      } finally {
        await session.close();
      }
      globalThis.gc?.();
    }
  }
  return samples;
}

const summary = (values) => ({ median: round(median(values)), samples: values.map((value) => round(value)) });

const results = {};
const ratios = {};
const complete = Object.keys(allSubjects).every((name) => name in subjects);
for (const placement of PLACEMENTS) {
  const names = Object.keys(subjects);
  const ingest = await interleaved(placement, names, (session) => session.burst(INGEST));
  const sends = await interleaved(placement, names.filter((name) => name !== 'floor'), (session) => sendRates(session.send));
  // Only a sandbox in another thread can fill the socket while the client's thread is held.
  const backlog = placement === 'thread' ? await interleaved(placement, names, (session) => session.backlog(INGEST)) : undefined;
  const of = (samples, field) => Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summary(values.map((value) => value[field]))]));
  results[placement] = {
    ingest: of(ingest, 'perSec'),
    ingestFlowing: of(ingest, 'flowingPerSec'),
    ingestCapacity: of(ingest, 'capacityPerSec'),
    ...(backlog && { ingestBacklog: Object.fromEntries(Object.entries(backlog).map(([name, values]) => [name, summary(values)])) }),
    sendInFlight16: of(sends, 'perSec'),
    sendCapacity: of(sends, 'capacityPerSec'),
  };
  const r = results[placement];
  if (!complete) continue;
  /** `a`'s median over `b`'s in one measure, e.g. vs(r.ingest, 'client', 'baileys'). */
  const vs = (measure, a, b) => round(measure[a].median / measure[b].median, 2);
  ratios[placement] = {
    ingestVsBaileys: vs(r.ingest, 'client', 'baileys'),
    ingestFlowingVsBaileys: vs(r.ingestFlowing, 'client', 'baileys'),
    sendInFlight16VsBaileys: vs(r.sendInFlight16, 'client', 'baileys'),
    // What the sandbox leaves to any client: the raw ceiling over each client's rate.
    ingestCeilingVsClient: vs(r.ingest, 'raw', 'client'),
    ingestCeilingVsBaileys: vs(r.ingest, 'raw', 'baileys'),
    sendCeilingVsClient: vs(r.sendInFlight16, 'raw', 'client'),
    sendCeilingVsBaileys: vs(r.sendInFlight16, 'raw', 'baileys'),
    // The least work of any client (open + decode, nothing kept) over Baileys: what a 2× goal needs.
    ingestFloorVsBaileys: vs(r.ingest, 'floor', 'baileys'),
    ingestFloorVsClient: vs(r.ingest, 'floor', 'client'),
    // The clients' own pace, from a backlog waiting in the socket (sandbox thread only).
    ...(r.ingestBacklog && {
      ingestBacklogVsBaileys: vs(r.ingestBacklog, 'client', 'baileys'),
      ingestBacklogFloorVsBaileys: vs(r.ingestBacklog, 'floor', 'baileys'),
    }),
    // Messages per second of the client thread's busy time (meaningful with the sandbox in its own thread only).
    ingestCapacityVsBaileys: vs(r.ingestCapacity, 'client', 'baileys'),
    sendCapacityVsBaileys: vs(r.sendCapacity, 'client', 'baileys'),
  };
}

if (!complete) {
  // A subset of the subjects (BENCH_SUBJECTS): their medians only, no ratios, no result file.
  console.log(JSON.stringify(results, (key, value) => (key === 'samples' ? undefined : value), 2));
  process.exit(0);
}

const goals = {};
for (const placement of PLACEMENTS) {
  const r = results[placement];
  const q = ratios[placement];
  goals[placement] = {
    ingestVsBaileys: { goal: `≥ ${GOALS.ingestVsBaileys}×`, value: q.ingestVsBaileys, met: q.ingestVsBaileys >= GOALS.ingestVsBaileys },
    ingestPerSec: { goal: `≥ ${GOALS.ingestPerSec} /s`, value: r.ingest.client.median, met: r.ingest.client.median >= GOALS.ingestPerSec },
    sendInFlight16VsBaileys: { goal: `≥ ${GOALS.sendInFlight16VsBaileys}×`, value: q.sendInFlight16VsBaileys, met: q.sendInFlight16VsBaileys >= GOALS.sendInFlight16VsBaileys },
  };
}

console.log(`@wa/client vs @adiwajshing/baileys@${baileysVersion}, startSandbox(${JSON.stringify(SANDBOX)}), median of ${ROUNDS} interleaved rounds`);
for (const placement of PLACEMENTS) {
  const r = results[placement];
  const q = ratios[placement];
  console.log(`[sandbox ${placement}]`);
  console.log(`  ingest (${INGEST} texts, from the burst):  client ${r.ingest.client.median} /s   baileys ${r.ingest.baileys.median} /s   ${q.ingestVsBaileys}×   (floor ${r.ingest.floor.median} /s = ${q.ingestFloorVsBaileys}× Baileys; raw ceiling ${r.ingest.raw.median} /s)`);
  console.log(`  ingest (first → last message):    client ${r.ingestFlowing.client.median} /s   baileys ${r.ingestFlowing.baileys.median} /s   ${q.ingestFlowingVsBaileys}×   (floor ${r.ingestFlowing.floor.median} /s; raw ceiling ${r.ingestFlowing.raw.median} /s)`);
  if (r.ingestBacklog) console.log(`  ingest (a backlog of ${INGEST}):    client ${r.ingestBacklog.client.median} /s   baileys ${r.ingestBacklog.baileys.median} /s   ${q.ingestBacklogVsBaileys}×   (floor ${r.ingestBacklog.floor.median} /s = ${q.ingestBacklogFloorVsBaileys}× Baileys; raw ${r.ingestBacklog.raw.median} /s)`);
  if (placement === 'thread') console.log(`  busy time of the client's thread: ingest client ${r.ingestCapacity.client.median} /s, baileys ${r.ingestCapacity.baileys.median} /s: ${q.ingestCapacityVsBaileys}×; sends ${q.sendCapacityVsBaileys}×`);
  console.log(`  sends (${IN_FLIGHT} in flight, ${SENDS}):         client ${r.sendInFlight16.client.median} /s   baileys ${r.sendInFlight16.baileys.median} /s   ${q.sendInFlight16VsBaileys}×   (raw ceiling ${r.sendInFlight16.raw.median} /s)`);
  for (const [name, goal] of Object.entries(goals[placement])) console.log(`  goal ${name} ${goal.goal}: ${goal.value} ${goal.met ? 'met' : 'MISSED'}`);
}

writeResult('ingest', {
  benchmark: 'ingest',
  date: new Date().toISOString(),
  machine: machineInfo(),
  data: { placements: PLACEMENTS, sandboxOptions: SANDBOX, baseline: `@adiwajshing/baileys@${baileysVersion}`, ingestMessages: INGEST, sends: SENDS, inFlight: IN_FLIGHT, rounds: ROUNDS, warmUpRounds: WARM_UP_ROUNDS, text: TEXT },
  notes:
    'A fresh sandbox (seed bench, latency 0) and QR login per round, rounds alternating between the subjects, the first warmUpRounds not kept; placements: thread = the sandbox in a worker thread (one for all rounds, so its code stays compiled), inline = in the clients thread. ingestBacklog (thread only): the texts are written while the client thread is held (Atomics.wait until the sandbox handed out every frame), timed from its release to the last event. ingestCapacity/sendCapacity: messages per second of the client thread event-loop busy time. floor = the raw client opening each frame and decoding its node and WebMessageInfo, nothing kept (the least work of any client). Logins run with the delayFrames fault at 2 ms (off once logged in): with none, a sandbox in its own thread writes the Conn and the sealed pushes behind it before Baileys read the Conn, and Baileys fails with bad_session. Ingest: Bob sends the texts in one synchronous loop, timed from the request until the last became a @wa/client message event (source relay, from Bob), a Baileys chat-update with hasNewMessage for Bob, or a sealed frame at the raw client; ingestFlowing: from the first to the last. Sends: 16 in flight to Dave, each resolving on the server ack (Baileys sendMessage waits for it by default). raw = bench/lib/raw-client.mjs (counts sealed frames unopened; sends encode + seal only): the ceiling the sandbox leaves to any client. Baileys is resolved from interop/node_modules (the interop package depends on @adiwajshing/baileys@3.5.3).',
  results,
  ratios,
  goals,
});
