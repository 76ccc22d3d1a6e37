// Soak: 1,000 @wa/client WAClients logged in by QR on one startSandbox() (default latency), each
// sending texts to random other accounts at a steady overall rate for a few minutes, everything in
// this one process. Samples process memory (RSS, heapUsed after global.gc()) over time, the
// sandbox's stats and the client-side counts (sent, acked, received, delivery receipts, errors by
// type, disconnects and reconnects), and checks the two verdicts of issue 12:
//   - memory flat after warm-up: the slope of heapUsed over the second half of the messaging
//     phase, less the growth of the chat history both sides keep by design (counted, and priced
//     per stored message by a calibration in the same process), under SOAK_MAX_SLOPE MB/min;
//   - nothing lost: every message sent was acknowledged by the server and received by its
//     recipient, counted by message id (ids carry a sequence number), none twice.
// Writes bench/results/soak.json. Options (environment, or the first argument for the seconds):
//   SOAK_SECONDS (180) length of the messaging phase; SOAK_CLIENTS (1000); SOAK_RATE (300) messages
//   per second in all; SOAK_BATCH (50) logins at once; SOAK_SAMPLE_SECONDS (SOAK_SECONDS / 20,
//   within 5…10); SOAK_MAX_SLOPE (1) MB/min; SOAK_IDLE_SECONDS (15) connected
//   and silent after the drain; SOAK_HEAP_SNAPSHOTS=1 writes a heap snapshot at the
//   start and at the end of the second half (bench/results/soak-*.heapsnapshot, large).
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { fileURLToPath } from 'node:url';

// Memory is only comparable after a full collection: without --expose-gc (a direct `node
// bench/soak.bench.mjs`), run this file again in a child that has it. run-all.mjs passes it.
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { monitorEventLoopDelay, performance } = await import('node:perf_hooks');
const { writeHeapSnapshot } = await import('node:v8');
const { ChatStore, MemoryAuthStore, WAClient } = await import('@wa/client');
const { startSandbox } = await import('@wa/sandbox');
const { Sandbox } = await import('@wa/sandbox/core');
const { fromBase64, toBase64 } = await import('@wa/crypto');
const { machineInfo, writeResult } = await import('./lib/measure.mjs');
const { round, sleep } = await import('./lib/session.mjs');

const SECONDS = Number(process.argv[2] ?? process.env.SOAK_SECONDS ?? 180);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 1000);
const RATE = Number(process.env.SOAK_RATE ?? 300);
const BATCH = Number(process.env.SOAK_BATCH ?? 50);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? Math.min(10, Math.max(5, SECONDS / 20)));
const MAX_SLOPE = Number(process.env.SOAK_MAX_SLOPE ?? 1);
const IDLE_SECONDS = Number(process.env.SOAK_IDLE_SECONDS ?? 15);
const IDLE_SAMPLE_SECONDS = 5;
const HEAP_SNAPSHOTS = process.env.SOAK_HEAP_SNAPSHOTS === '1';
const DRAIN_MS = 20_000;
const TICK_MS = 10;
const LOGIN_ATTEMPTS = 3;
const MB = 2 ** 20;
for (const [name, value] of Object.entries({ SECONDS, CLIENTS, RATE, BATCH, SAMPLE_SECONDS, MAX_SLOPE })) {
  if (!(value > 0)) throw new Error(`soak: ${name} must be a positive number, got ${value}`);
}
if (CLIENTS < 2) throw new Error('soak: needs at least 2 clients');

// --- the world: CLIENTS accounts (each account is its own user), two contacts each ---------------

const jidOf = (index) => `${15550200000 + index}@c.us`;
const jids = Array.from({ length: CLIENTS }, (_, index) => jidOf(index));
const indexOfJid = new Map(jids.map((jid, index) => [jid, index]));
// Messages go to any account without being in its address book; the two ring neighbours only keep
// the contact list of every login (pushed behind the Conn) non-empty and small.
const world = {
  accounts: jids.map((jid, index) => ({
    jid,
    name: `Soak ${index}`,
    contacts: [jids[(index + 1) % CLIENTS], jids[(index + CLIENTS - 1) % CLIENTS]].filter((contact) => contact !== jid),
  })),
  users: [],
};

/** mulberry32: a seeded PRNG, so every run picks the same senders and recipients. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const random = prng(12);

// --- counters (fixed-size: the bookkeeping must not grow the heap it measures) -------------------

const MAX_MESSAGES = Math.ceil(RATE * SECONDS) + 1000;
const ACKED = 1;
const RECEIVED = 2;
const FAILED = 4;
const DELIVERED = 8; // the sender got the ack-2 receipt
const flags = new Uint8Array(MAX_MESSAGES);
const sentAt = new Float64Array(MAX_MESSAGES);
const fromOf = new Uint32Array(MAX_MESSAGES);
const toOf = new Uint32Array(MAX_MESSAGES);
const count = { sent: 0, acked: 0, received: 0, delivered: 0, failed: 0, duplicates: 0, misrouted: 0, unknownIds: 0, ackedAfterFailure: 0, receivedAfterFailure: 0 };
const errors = {};
const disconnects = {};
let reconnects = 0;
const addError = (kind, error) => {
  const key = `${kind}:${error?.code ?? error?.name ?? String(error)}`;
  errors[key] = (errors[key] ?? 0) + 1;
};

/** Milliseconds, 1 ms buckets up to 20 s (the last bucket holds everything slower). */
class Histogram {
  buckets = new Uint32Array(20_001);
  total = 0;
  max = 0;
  add(ms) {
    this.buckets[Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms)))] += 1;
    this.total += 1;
    this.max = Math.max(this.max, ms);
  }
  quantile(q) {
    let seen = 0;
    const wanted = Math.ceil(q * this.total);
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms];
      if (seen >= wanted && seen > 0) return ms;
    }
    return 0;
  }
  summary() {
    return { count: this.total, p50: this.quantile(0.5), p90: this.quantile(0.9), p99: this.quantile(0.99), max: round(this.max, 1) };
  }
}
const ackMs = new Histogram();
const deliveryMs = new Histogram();

// Ids: `3EB0A` + the sequence number in 15 hex digits: the shape the client sends, and every id
// tells which send it was.
const idOf = (seq) => `3EB0A${seq.toString(16).toUpperCase().padStart(15, '0')}`;
const seqOf = (id) => (/^3EB0A[0-9A-F]{15}$/.test(id) ? Number.parseInt(id.slice(5), 16) : -1);

function complete(seq) {
  return (flags[seq] & (ACKED | RECEIVED)) === (ACKED | RECEIVED) || (flags[seq] & FAILED) !== 0;
}
let settled = 0;
function setFlag(seq, flag) {
  const before = complete(seq);
  flags[seq] |= flag;
  if (!before && complete(seq)) settled += 1;
}

// --- the sandbox and the clients ----------------------------------------------------------------

const sandbox = await startSandbox({ seed: 'soak', world });
const clients = new Array(CLIENTS);
const loginMs = new Histogram();

function onMessage(index, message) {
  if (message.source !== 'relay' || message.fromMe) return;
  const seq = seqOf(message.id);
  if (seq < 0 || seq >= count.sent) {
    count.unknownIds += 1;
    return;
  }
  if (flags[seq] & RECEIVED) {
    count.duplicates += 1;
    return;
  }
  if (toOf[seq] !== index || indexOfJid.get(message.chat) !== fromOf[seq] || message.text !== `soak ${seq}`) count.misrouted += 1;
  if (flags[seq] & FAILED) count.receivedAfterFailure += 1;
  count.received += 1;
  deliveryMs.add(performance.now() - sentAt[seq]);
  setFlag(seq, RECEIVED);
}

function onReceipt(receipt) {
  const seq = seqOf(receipt.id);
  if (seq < 0 || seq >= count.sent || receipt.ack !== 2 || flags[seq] & DELIVERED) return;
  count.delivered += 1;
  flags[seq] |= DELIVERED;
}

/** A client of account `index`, listening before connect() (the login pushes follow the Conn). */
function newClient(index) {
  const client = new WAClient({ url: sandbox.url, auth: new MemoryAuthStore(), reconnect: true });
  let opened = 0;
  client.on('qr', ({ qr }) => {
    try {
      sandbox.phoneOf(jids[index]).scan(qr);
    } catch (error) {
      addError('scan', error);
    }
  });
  client.on('open', () => {
    opened += 1;
    if (opened > 1) reconnects += 1;
  });
  client.on('message', (message) => onMessage(index, message));
  client.on('receipt', onReceipt);
  client.on('frame-error', (error) => addError('frame-error', error));
  client.on('error', (error) => addError('client-error', error));
  client.on('disconnected', ({ reason, reconnecting }) => {
    const key = `${reason}${reconnecting ? ' (reconnecting)' : ''}`;
    disconnects[key] = (disconnects[key] ?? 0) + 1;
  });
  return client;
}

async function logIn(index) {
  for (let attempt = 1; attempt <= LOGIN_ATTEMPTS; attempt++) {
    const client = newClient(index);
    const start = performance.now();
    try {
      await client.connect();
      loginMs.add(performance.now() - start);
      clients[index] = client;
      return;
    } catch (error) {
      addError(`login attempt ${attempt}`, error);
      await client.close().catch(() => {});
    }
  }
  throw new Error(`soak: account ${index} could not log in in ${LOGIN_ATTEMPTS} attempts (errors: ${JSON.stringify(errors)})`);
}

const processStart = performance.now();
const loginStart = performance.now();
for (let first = 0; first < CLIENTS; first += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, CLIENTS - first) }, (_, offset) => logIn(first + offset)));
}
const loginSeconds = (performance.now() - loginStart) / 1000;
console.log(`${CLIENTS} clients logged in by QR in ${round(loginSeconds)} s (${BATCH} at a time; median ${loginMs.quantile(0.5)} ms, p99 ${loginMs.quantile(0.99)} ms)`);
// Let the login pushes (chats, contacts, recent messages: a phone latency apart each) arrive.
await sleep(500);

// --- sampling ---------------------------------------------------------------------------------

/** Messages the sandbox keeps (all chats of all accounts) and the chats holding them. */
function worldHistory() {
  let messages = 0;
  let chats = 0;
  for (const account of sandbox.world.accounts) {
    chats += account.chats.length;
    for (const chat of account.chats) messages += chat.messages.length;
  }
  return { messages, chats };
}

/** Messages the clients' stores keep (the latest 100 per chat) and their chats. */
function clientHistory() {
  let messages = 0;
  let chats = 0;
  for (const client of clients) {
    for (const chat of client.chats()) {
      chats += 1;
      messages += client.messages(chat.jid).length;
    }
  }
  return { messages, chats };
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const samples = [];
let phaseStart = performance.now();
function sample(label) {
  const sandboxHistory = worldHistory();
  const storeHistory = clientHistory();
  const gcStart = performance.now();
  globalThis.gc();
  const gcMs = performance.now() - gcStart;
  const memory = process.memoryUsage();
  const stats = sandbox.stats;
  const entry = {
    label,
    t: round((performance.now() - phaseStart) / 1000, 2),
    rssMB: round(memory.rss / MB, 2),
    heapUsedMB: round(memory.heapUsed / MB, 2),
    heapTotalMB: round(memory.heapTotal / MB, 2),
    externalMB: round(memory.external / MB, 2),
    arrayBuffersMB: round(memory.arrayBuffers / MB, 2),
    gcMs: round(gcMs, 1),
    loopDelayMs: { p50: round(loopDelay.percentile(50) / 1e6, 1), p99: round(loopDelay.percentile(99) / 1e6, 1), max: round(loopDelay.max / 1e6, 1) },
    sent: count.sent,
    acked: count.acked,
    received: count.received,
    failed: count.failed,
    inFlight: count.sent - settled,
    sandboxMessages: sandboxHistory.messages,
    sandboxChats: sandboxHistory.chats,
    clientStoreMessages: storeHistory.messages,
    clientStoreChats: storeHistory.chats,
    connectionsOpen: stats.connectionsOpen,
    framesIn: stats.framesIn,
    framesOut: stats.framesOut,
  };
  loopDelay.reset();
  samples.push(entry);
  console.log(
    `${label.padEnd(6)} t=${String(entry.t).padStart(6)} s  sent ${entry.sent}  acked ${entry.acked}  received ${entry.received}  in flight ${entry.inFlight}  ` +
      `heap ${entry.heapUsedMB} MB  rss ${entry.rssMB} MB  ext ${entry.externalMB} MB  gc ${entry.gcMs} ms  loop p99 ${entry.loopDelayMs.p99} ms`,
  );
  return entry;
}

// --- the messaging phase ----------------------------------------------------------------------

function sendOne() {
  const from = Math.floor(random() * CLIENTS);
  let to = Math.floor(random() * (CLIENTS - 1));
  if (to >= from) to += 1;
  const client = clients[from];
  if (client.state === 'closed') {
    addError('skipped', { code: 'SENDER_CLOSED' });
    return;
  }
  const seq = count.sent++;
  fromOf[seq] = from;
  toOf[seq] = to;
  sentAt[seq] = performance.now();
  const id = idOf(seq);
  client.sendText(jids[to], `soak ${seq}`, { id }).then(
    (sent) => {
      if (sent.id !== id) addError('send', { code: 'WRONG_ID' });
      if (flags[seq] & FAILED) count.ackedAfterFailure += 1;
      count.acked += 1;
      ackMs.add(performance.now() - sentAt[seq]);
      setFlag(seq, ACKED);
    },
    (error) => {
      addError('send', error);
      count.failed += 1;
      setFlag(seq, FAILED);
    },
  );
}

phaseStart = performance.now();
sample('start');
const halfway = phaseStart + (SECONDS * 1000) / 2;
let snapshotsWritten = [];
const snapshot = (name) => {
  if (!HEAP_SNAPSHOTS) return;
  const path = fileURLToPath(new URL(`./results/soak-${name}.heapsnapshot`, import.meta.url));
  writeHeapSnapshot(path);
  snapshotsWritten.push(path);
  console.log(`heap snapshot: ${path}`);
};
await new Promise((resolve) => {
  let nextSample = phaseStart + SAMPLE_SECONDS * 1000;
  let halfSnapshot = false;
  const timer = setInterval(() => {
    const now = performance.now();
    const elapsed = now - phaseStart;
    if (elapsed >= SECONDS * 1000) {
      clearInterval(timer);
      resolve();
      return;
    }
    // Catch up with the schedule (a GC pause or a slow tick sends the missed messages at once).
    const due = Math.min(MAX_MESSAGES - 1000, Math.floor((RATE * elapsed) / 1000));
    while (count.sent < due) sendOne();
    if (!halfSnapshot && now >= halfway) {
      halfSnapshot = true;
      snapshot('half');
    }
    if (now >= nextSample) {
      sample('run');
      nextSample += SAMPLE_SECONDS * 1000;
    }
  }, TICK_MS);
});
const sendingSeconds = (performance.now() - phaseStart) / 1000;
sample('end');

// Drain: wait for the acks and deliveries of the last messages.
const drainStart = performance.now();
while (settled < count.sent && performance.now() - drainStart < DRAIN_MS) await sleep(50);
const drainMs = performance.now() - drainStart;
const final = sample('drain');
snapshot('end');

// Idle: every client still connected (keep-alives every 20 s), no messages, so no history grows;
// whatever the heap does here is per time, not per message.
const idleStart = performance.now();
while (performance.now() - idleStart < IDLE_SECONDS * 1000 - 1) {
  await sleep(Math.min(IDLE_SAMPLE_SECONDS * 1000, IDLE_SECONDS * 1000 - (performance.now() - idleStart)));
  sample('idle');
}

// --- calibration: what one stored message of chat history costs, on each side ---------------------

/** A copy of a string in its own memory (V8 would otherwise share or slice it). */
const fresh = (text) => Buffer.from(text, 'utf8').toString('utf8');
const heapNow = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/**
 * Bytes of heap per message kept in the sandbox's world: the soak's own stored messages as
 * templates (a sender's copy and a recipient's), appended through World.appendMessage to a
 * throwaway sandbox core's world with the soak's number of messages per account and spread over
 * chats as in the soak, with the per-account id index in place as in the soak.
 */
function calibrateSandbox() {
  const sample = sandbox.world.accounts.flatMap((account) => account.chats.flatMap((chat) => chat.messages));
  const sentTemplate = sample.find((message) => message.fromMe && message.raw !== undefined);
  const receivedTemplate = sample.find((message) => !message.fromMe && message.raw !== undefined);
  if (!sentTemplate || !receivedTemplate) return undefined;
  const accounts = CLIENTS;
  const perAccount = Math.max(2, Math.round(final.sandboxMessages / CLIENTS));
  const pairs = (accounts * perAccount) / 2;
  const calJids = Array.from({ length: accounts }, (_, index) => `${15550300000 + index}@c.us`);
  const core = new Sandbox({ seed: 'soak-calibration', latency: 0, world: { accounts: calJids.map((jid, index) => ({ jid, name: `Cal ${index}` })) } });
  const calWorld = core.world;
  for (const account of calWorld.accounts) calWorld.findMessage(account, 'none'); // builds the id index, as every sender's
  const rawSent = fromBase64(sentTemplate.raw);
  const rawReceived = fromBase64(receivedTemplate.raw);
  const pick = prng(7);
  // Spread like the soak: peers drawn at random among all the other accounts of the soak's size.
  const peers = CLIENTS - 1;
  const peerJid = () => `${15550400000 + Math.floor(pick() * peers)}@c.us`;
  // The raws as the sandbox makes them (@wa/crypto's toBase64), then read once as the sandbox
  // does when it builds the relay node (reading flattens the string toBase64 builds piecewise).
  const rawOf = (bytes) => {
    const raw = toBase64(bytes);
    fromBase64(raw);
    return raw;
  };
  const before = heapNow();
  for (let k = 0; k < pairs; k++) {
    const from = calWorld.accounts[Math.floor(pick() * accounts)];
    const to = calWorld.accounts[Math.floor(pick() * accounts)];
    const id = fresh(idOf(k));
    const sent = { id, fromMe: true, t: sentTemplate.t, status: 'SERVER_ACK', raw: rawOf(rawSent) };
    if (sentTemplate.text !== undefined) sent.text = fresh(sentTemplate.text);
    sent.status = 'DELIVERY_ACK';
    const received = { id: fresh(id), fromMe: false, t: receivedTemplate.t, status: 'DELIVERY_ACK' };
    if (receivedTemplate.text !== undefined) received.text = fresh(receivedTemplate.text);
    received.raw = rawOf(rawReceived);
    calWorld.appendMessage(from, peerJid(), sent);
    calWorld.appendMessage(to, peerJid(), { ...received });
  }
  const bytes = heapNow() - before;
  const stored = pairs * 2;
  const result = { bytesPerMessage: round(bytes / stored, 1), storedMessages: stored, chats: calWorld.accounts.reduce((sum, account) => sum + account.chats.length, 0), accounts };
  core.close?.();
  return result;
}

/**
 * Bytes of heap per message kept in a client's ChatStore (the latest 100 per chat): real stored
 * WebMessageInfos of the soak as templates, added to throwaway stores with the soak's messages
 * per client and chats per client.
 */
function calibrateClient() {
  let sentTemplate;
  let receivedTemplate;
  for (const client of clients) {
    for (const chat of client.chats()) {
      for (const info of client.messages(chat.jid)) {
        if (info.key?.fromMe) sentTemplate ??= { info, chat: chat.jid };
        else receivedTemplate ??= { info, chat: chat.jid };
      }
      if (sentTemplate && receivedTemplate) break;
    }
    if (sentTemplate && receivedTemplate) break;
  }
  if (!sentTemplate || !receivedTemplate) return undefined;
  const stores = CLIENTS;
  const perStore = Math.max(2, Math.round(final.clientStoreMessages / CLIENTS));
  const chatsPerStore = Math.max(1, Math.round(final.clientStoreChats / CLIENTS));
  const pick = prng(9);
  const kept = [];
  const before = heapNow();
  let k = 0;
  for (let s = 0; s < stores; s++) {
    const store = new ChatStore();
    kept.push(store);
    for (let m = 0; m < perStore; m++) {
      const template = m % 2 === 0 ? sentTemplate : receivedTemplate;
      const info = structuredClone(template.info);
      const id = fresh(idOf(k++));
      // Every chat gets one message first, the rest go to random chats: chats per store as in the soak.
      const number = 15550400000 + (m < chatsPerStore ? m : Math.floor(pick() * chatsPerStore));
      const fromMe = info.key?.fromMe === true;
      info.key = { ...info.key, id, remoteJid: fresh(`${number}@s.whatsapp.net`) };
      const chat = fresh(`${number}@c.us`);
      // As the client does: its own message stored at SERVER_ACK, then raised by the ack-2 receipt.
      if (fromMe) info.status = 'SERVER_ACK';
      store.addMessage({ info, chat, id, fromMe, sender: chat, text: 'soak', timestamp: Number(info.messageTimestamp ?? 0), source: 'relay' });
      if (fromMe) store.applyReceipt({ id, chat, ack: 2, status: 'DELIVERY_ACK' });
    }
  }
  const bytes = heapNow() - before;
  const stored = stores * perStore;
  return { bytesPerMessage: round(bytes / stored, 1), storedMessages: stored, chats: kept.reduce((sum, store) => sum + store.chats().length, 0), stores, keptStores: kept.length };
}

const sandboxCalibration = calibrateSandbox();
const clientCalibration = calibrateClient();

// --- verdicts ---------------------------------------------------------------------------------

/** Least-squares slope of `y` against `t` (seconds), in units of y per minute. */
function slopePerMinute(points, y) {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mt = points.reduce((sum, p) => sum + p.t, 0) / n;
  const my = points.reduce((sum, p) => sum + y(p), 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (y(p) - my);
    den += (p.t - mt) ** 2;
  }
  return (num / den) * 60;
}

// The second half of the messaging phase: the samples taken from its middle to its end (the
// drain sample is left out: no messages flow there).
const secondHalf = samples.filter((entry) => ['start', 'run', 'end'].includes(entry.label) && entry.t >= sendingSeconds / 2 - 0.5);
const idleSamples = samples.filter((entry) => entry.label === 'drain' || entry.label === 'idle');
const idleSlope = slopePerMinute(idleSamples, (entry) => entry.heapUsedMB);
const historyMB = (entry) =>
  ((sandboxCalibration?.bytesPerMessage ?? 0) * entry.sandboxMessages + (clientCalibration?.bytesPerMessage ?? 0) * entry.clientStoreMessages) / MB;
const heapSlope = slopePerMinute(secondHalf, (entry) => entry.heapUsedMB);
const historySlope = slopePerMinute(secondHalf, historyMB);
const residualSlope = heapSlope - historySlope;
const rssSlope = slopePerMinute(secondHalf, (entry) => entry.rssMB);
const externalSlope = slopePerMinute(secondHalf, (entry) => entry.externalMB + entry.arrayBuffersMB);
const messagesPerMinute = slopePerMinute(secondHalf, (entry) => entry.sent);
const memoryPass = secondHalf.length >= 3 && Number.isFinite(residualSlope) && residualSlope < MAX_SLOPE;

let neverAcked = 0;
let neverReceived = 0;
for (let seq = 0; seq < count.sent; seq++) {
  if (!(flags[seq] & ACKED)) neverAcked += 1;
  if (!(flags[seq] & RECEIVED)) neverReceived += 1;
}
const lostPass = count.sent > 0 && neverAcked === 0 && neverReceived === 0 && count.duplicates === 0 && count.misrouted === 0 && count.unknownIds === 0;

const stats = sandbox.stats;
const verdict = {
  memoryFlat: {
    pass: memoryPass,
    thresholdMBPerMinute: MAX_SLOPE,
    residualHeapSlopeMBPerMinute: round(residualSlope, 3),
    heapUsedSlopeMBPerMinute: round(heapSlope, 3),
    historySlopeMBPerMinute: round(historySlope, 3),
    rssSlopeMBPerMinute: round(rssSlope, 3),
    externalPlusArrayBuffersSlopeMBPerMinute: round(externalSlope, 3),
    heapBytesPerMessageSent: round((heapSlope * MB) / messagesPerMinute, 1),
    samplesInSecondHalf: secondHalf.length,
    idleHeapSlopeMBPerMinute: round(idleSlope, 3),
    idleSeconds: IDLE_SECONDS,
  },
  nothingLost: { pass: lostPass, sent: count.sent, neverAcked, neverReceived, duplicates: count.duplicates, misrouted: count.misrouted, unknownIds: count.unknownIds },
};

console.log(
  `\nheapUsed slope over the second half: ${verdict.memoryFlat.heapUsedSlopeMBPerMinute} MB/min, of which chat history ${verdict.memoryFlat.historySlopeMBPerMinute} MB/min ` +
    `(sandbox ${sandboxCalibration?.bytesPerMessage} B, client store ${clientCalibration?.bytesPerMessage} B per stored message)`,
);
console.log(
  `residual ${verdict.memoryFlat.residualHeapSlopeMBPerMinute} MB/min (threshold ${MAX_SLOPE}): ${memoryPass ? 'PASS' : 'FAIL'}; rss slope ${verdict.memoryFlat.rssSlopeMBPerMinute} MB/min; ` +
    `idle heap slope ${verdict.memoryFlat.idleHeapSlopeMBPerMinute} MB/min over ${IDLE_SECONDS} s`,
);
console.log(
  `messages: sent ${count.sent}, acked ${count.acked}, received ${count.received}, delivery receipts ${count.delivered}, failed ${count.failed}; ` +
    `never acked ${neverAcked}, never received ${neverReceived}, duplicates ${count.duplicates}: ${lostPass ? 'PASS' : 'FAIL'}`,
);
console.log(`ack ms ${JSON.stringify(ackMs.summary())}; delivery ms ${JSON.stringify(deliveryMs.summary())}`);
console.log(`errors ${JSON.stringify(errors)}; disconnects ${JSON.stringify(disconnects)}; reconnects ${reconnects}`);

// --- close ------------------------------------------------------------------------------------

const closeStart = performance.now();
for (let first = 0; first < CLIENTS; first += BATCH) {
  await Promise.all(clients.slice(first, first + BATCH).map((client) => client.close().catch((error) => addError('close', error))));
}
await sandbox.close();
const closeSeconds = (performance.now() - closeStart) / 1000;
loopDelay.disable();

writeResult('soak', {
  benchmark: 'soak',
  date: new Date().toISOString(),
  machine: machineInfo(),
  data: {
    clients: CLIENTS,
    ratePerSecond: RATE,
    seconds: SECONDS,
    loginBatch: BATCH,
    sampleSeconds: SAMPLE_SECONDS,
    sandboxOptions: { seed: 'soak', latency: 'default (server 4 ms, phone 40 ms, ±50 %)' },
    clientOptions: { reconnect: true, auth: 'MemoryAuthStore' },
    timing: {
      loginSeconds: round(loginSeconds, 1),
      sendingSeconds: round(sendingSeconds, 1),
      drainMs: round(drainMs),
      idleSeconds: IDLE_SECONDS,
      closeSeconds: round(closeSeconds, 1),
      totalSeconds: round((performance.now() - processStart) / 1000, 1),
    },
  },
  notes:
    'One process: startSandbox() with its default latency and CLIENTS WAClients (reconnect: true, MemoryAuthStore) logged in by QR, BATCH at a time (qr event → sandbox.phoneOf(wid).scan(qr)); then a 10 ms tick sends texts from random accounts to random other accounts at RATE per second in all, each with its own id (3EB0A + sequence number), for SECONDS; then up to 20 s of drain. Memory sampled every SAMPLE_SECONDS after global.gc(). Both the sandbox (every message, in two copies, plus its id index) and the client stores (the latest 100 per chat) keep chat history by design; that growth is counted in the samples and priced per stored message by calibrating the same structures with the soak\'s own messages as templates; the verdict is on heapUsed less that history.',
  verdict,
  results: {
    login: { ...loginMs.summary(), attemptsFailed: Object.entries(errors).filter(([key]) => key.startsWith('login')).reduce((sum, [, n]) => sum + n, 0) },
    messages: { ...count, neverAcked, neverReceived, sentPerSecond: round(count.sent / sendingSeconds, 1) },
    ackMs: ackMs.summary(),
    deliveryMs: deliveryMs.summary(),
    errors,
    disconnects,
    reconnects,
    calibration: { sandbox: sandboxCalibration, clientStore: clientCalibration },
    sandboxStats: stats,
    heapSnapshots: snapshotsWritten,
  },
  samples,
});
if (!memoryPass || !lostPass) process.exitCode = 1;
