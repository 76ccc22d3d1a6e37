// Sandbox scale (issue 13): how many logged-in sessions one sandbox process holds, and how fast it
// moves messages among many of them.
//   - idle: SCALE_SESSIONS (10,000) accounts, each logged in by QR by a minimal raw client (bench/
//     lib/raw-client.mjs: @wa/transport + @wa/crypto, no @wa/client), then idle with keep-alive;
//     the sandbox's heap per session after global.gc() (heapUsed with every session logged in and
//     the login pushes delivered, minus heapUsed of the same sandbox before the first connection).
//     Goal: < 100 KB per session.
//   - active: SCALE_ACTIVE (1,000) of them text random other active ones at SCALE_RATE (1,000)
//     messages/s in all for SCALE_ACTIVE_SECONDS (20); p50/p90/p99/max of the ack (send → server
//     ack) and of end to end (send → the recipient's relayed push, opened and decoded).
// The sandbox runs in this process (so its heap is what is measured) and the clients in a child
// process (their sockets and keys are not the sandbox's memory). The child asks this process to
// scan each QR code (the phone of the account). Writes bench/results/scale.json. Options
// (environment): SCALE_SESSIONS, SCALE_ACTIVE, SCALE_RATE, SCALE_ACTIVE_SECONDS, SCALE_BATCH (200
// logins at once), SCALE_LATENCY (`default` or ms for both parts; default: the sandbox's default).
import { fork, spawnSync } from 'node:child_process';
import console from 'node:console';
import { fileURLToPath } from 'node:url';

const SESSIONS = Number(process.env.SCALE_SESSIONS ?? 10_000);
const ACTIVE = Math.min(SESSIONS, Number(process.env.SCALE_ACTIVE ?? 1000));
const RATE = Number(process.env.SCALE_RATE ?? 1000);
const ACTIVE_SECONDS = Number(process.env.SCALE_ACTIVE_SECONDS ?? 20);
const BATCH = Number(process.env.SCALE_BATCH ?? 200);
const LATENCY = process.env.SCALE_LATENCY === undefined || process.env.SCALE_LATENCY === 'default' ? undefined : Number(process.env.SCALE_LATENCY);
const GOAL_BYTES_PER_SESSION = 100 * 1024;
const KB = 1024;
const MB = 2 ** 20;
const jidOf = (index) => `${15550300000 + index}@c.us`;

if (process.argv[2] === 'clients') await runClients();
else await runSandbox();

// --- this process: the sandbox ---------------------------------------------------------------------

async function runSandbox() {
  // Memory is only comparable after a full collection: re-run with --expose-gc when started without it.
  if (typeof globalThis.gc !== 'function') {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  const { performance } = await import('node:perf_hooks');
  const { startSandbox } = await import('@wa/sandbox');
  const { machineInfo, writeResult } = await import('./lib/measure.mjs');
  const { round, sleep } = await import('./lib/session.mjs');

  const heap = async () => {
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await sleep(20);
    }
    const usage = process.memoryUsage();
    return { heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external, arrayBuffers: usage.arrayBuffers };
  };

  // Every account its own user, two ring neighbours as contacts (every login pushes the contact list).
  const jids = Array.from({ length: SESSIONS }, (_, index) => jidOf(index));
  const world = {
    accounts: jids.map((jid, index) => ({ jid, name: `Scale ${index}`, contacts: [jids[(index + 1) % SESSIONS], jids[(index + SESSIONS - 1) % SESSIONS]].filter((contact) => contact !== jid) })),
    users: [],
  };
  const sandbox = await startSandbox({ seed: 'scale', world, ...(LATENCY === undefined ? {} : { latency: LATENCY }) });
  const empty = await heap();

  const child = fork(fileURLToPath(import.meta.url), ['clients'], { execArgv: ['--max-old-space-size=8192'], stdio: 'inherit' });
  const replies = new Map();
  const ask = (message) =>
    new Promise((resolve) => {
      replies.set(message.type, resolve);
      child.send(message);
    });
  child.on('message', (message) => {
    if (message.type === 'scan') {
      let error;
      try {
        sandbox.phoneOf(jids[message.index]).scan(message.qr);
      } catch (caught) {
        error = caught.message;
      }
      child.send({ type: 'scanned', index: message.index, error });
      return;
    }
    const resolve = replies.get(message.type);
    replies.delete(message.type);
    resolve?.(message);
  });
  const childExit = new Promise((resolve) => child.once('exit', resolve));

  console.log(`logging in ${SESSIONS} raw clients (${BATCH} at once)…`);
  const loginStart = performance.now();
  const logins = await ask({ type: 'login', url: sandbox.url, sessions: SESSIONS, batch: BATCH });
  const loginSeconds = (performance.now() - loginStart) / 1000;
  // The pushes behind every Conn (chat list, contacts, recent messages) out, then idle.
  await sleep(3000);
  const idle = await heap();
  const idleStats = sandbox.stats;
  const perSession = (idle.heapUsed - empty.heapUsed) / SESSIONS;
  console.log(`${logins.loggedIn} logged in in ${round(loginSeconds)} s (${logins.failed} failed); sandbox heap ${round(empty.heapUsed / MB)} MB → ${round(idle.heapUsed / MB)} MB: ${round(perSession / KB)} KB per session (RSS ${round((idle.rss - empty.rss) / SESSIONS / KB)} KB, external ${round((idle.external - empty.external) / SESSIONS / KB)} KB per session)`);

  console.log(`${ACTIVE} active sessions, ${RATE} messages/s for ${ACTIVE_SECONDS} s…`);
  const active = await ask({ type: 'active', sessions: ACTIVE, rate: RATE, seconds: ACTIVE_SECONDS });
  const after = await heap();
  const stats = sandbox.stats;
  await ask({ type: 'close' });
  await childExit;
  await sandbox.close();

  const goalMet = perSession < GOAL_BYTES_PER_SESSION;
  const latencyLine = (name, value) => `${name}: p50 ${value.p50} ms, p90 ${value.p90} ms, p99 ${value.p99} ms, max ${value.max} ms`;
  console.log(`sent ${active.sent}, acked ${active.acked}, received ${active.received}, failed ${active.failed}, never received ${active.sent - active.received}`);
  console.log(latencyLine('ack', active.ack));
  console.log(latencyLine('end to end', active.delivery));
  console.log(`goal < 100 KB per idle session: ${round(perSession / KB, 2)} KB ${goalMet ? 'met' : 'MISSED'}`);

  writeResult('scale', {
    benchmark: 'scale',
    date: new Date().toISOString(),
    machine: machineInfo(),
    data: { sessions: SESSIONS, active: ACTIVE, rate: RATE, activeSeconds: ACTIVE_SECONDS, loginBatch: BATCH, latency: sandbox.sandbox.latency },
    notes:
      'The sandbox in this process, the raw clients (bench/lib/raw-client.mjs: @wa/transport + @wa/crypto, QR login, keep-alive) in a child process. Per session: (heapUsed after global.gc() with every session logged in, its login pushes delivered and idle) - (heapUsed of the same sandbox, world of the same accounts, before the first connection), over the sessions. Active: random sender and recipient among the first ACTIVE sessions at an even overall rate; ack = sendText until the server ack, end to end = sendText until the recipient opened and decoded the relayed push (both in the child, one clock).',
    results: {
      logins: { ok: logins.loggedIn, failed: logins.failed, seconds: round(loginSeconds, 1), perLoginMs: logins.perLoginMs },
      idle: {
        heapUsedEmptyMB: round(empty.heapUsed / MB),
        heapUsedIdleMB: round(idle.heapUsed / MB),
        bytesPerSession: Math.round(perSession),
        kbPerSession: round(perSession / KB, 2),
        rssMB: round(idle.rss / MB),
        rssPerSessionKB: round((idle.rss - empty.rss) / SESSIONS / KB, 2),
        externalPerSessionKB: round((idle.external - empty.external) / SESSIONS / KB, 2),
        externalMB: round(idle.external / MB),
        arrayBuffersMB: round(idle.arrayBuffers / MB),
        stats: idleStats,
      },
      active: { ...active, heapUsedAfterMB: round(after.heapUsed / MB), stats },
    },
    goals: { bytesPerIdleSession: { goal: '< 100 KB', value: `${round(perSession / KB, 2)} KB`, met: goalMet } },
  });
}

// --- the child process: the clients ------------------------------------------------------------------

async function runClients() {
  const { performance } = await import('node:perf_hooks');
  const { rawLogin } = await import('./lib/raw-client.mjs');
  const clients = [];
  const scans = new Map();
  const sentAt = new Map();
  const ackMs = [];
  const deliveryMs = [];
  let received = 0;
  let counting = false;
  const onMessage = (info, now) => {
    const at = sentAt.get(info.key.id);
    if (!counting || at === undefined || info.key.fromMe) return;
    sentAt.delete(info.key.id);
    received += 1;
    deliveryMs.push(now - at);
  };
  const percentile = (values, p) => {
    if (values.length === 0) return null;
    const sorted = Float64Array.from(values).sort();
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
  };
  const summary = (values) => ({ count: values.length, p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: percentile(values, 100) });

  process.on('message', async (message) => {
    if (message.type === 'scanned') {
      const waiting = scans.get(message.index);
      scans.delete(message.index);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve();
    } else if (message.type === 'login') {
      let failed = 0;
      const loginMs = [];
      const scan = (index) => (qr) =>
        new Promise((resolve, reject) => {
          scans.set(index, { resolve, reject });
          process.send({ type: 'scan', index, qr });
        });
      for (let start = 0; start < message.sessions; start += message.batch) {
        const batch = [];
        for (let index = start; index < Math.min(message.sessions, start + message.batch); index++) {
          const begun = performance.now();
          batch.push(
            rawLogin(message.url, scan(index), { onMessage }).then(
              (client) => {
                clients[index] = client;
                loginMs.push(performance.now() - begun);
              },
              () => (failed += 1),
            ),
          );
        }
        await Promise.all(batch);
      }
      process.send({ type: 'login', loggedIn: clients.filter(Boolean).length, failed, perLoginMs: summary(loginMs) });
    } else if (message.type === 'active') {
      const active = clients.slice(0, message.sessions).filter(Boolean);
      let sent = 0;
      let acked = 0;
      let failed = 0;
      let sequence = 0;
      counting = true;
      const start = performance.now();
      const total = Math.round(message.rate * message.seconds);
      const pending = [];
      await new Promise((resolve) => {
        const tick = setInterval(() => {
          const due = Math.min(total, Math.round(((performance.now() - start) / 1000) * message.rate));
          for (; sent < due; sent++) {
            const from = active[Math.floor(Math.random() * active.length)];
            let to = active[Math.floor(Math.random() * active.length)];
            if (to === from) to = active[(active.indexOf(from) + 1) % active.length];
            sequence += 1;
            const id = `3EB0C${sequence.toString(16).toUpperCase().padStart(15, '0')}`;
            const at = performance.now();
            sentAt.set(id, at);
            pending.push(
              from.sendText(to.wid, 'scale benchmark message', id).then(
                () => {
                  acked += 1;
                  ackMs.push(performance.now() - at);
                },
                () => (failed += 1),
              ),
            );
          }
          if (sent >= total) {
            clearInterval(tick);
            resolve();
          }
        }, 10);
      });
      await Promise.all(pending);
      // The last pushes on their way.
      for (let i = 0; i < 100 && received < sent - failed; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      counting = false;
      const seconds = (performance.now() - start) / 1000;
      process.send({ type: 'active', sessions: active.length, sent, acked, failed, received, seconds: Math.round(seconds * 10) / 10, ack: summary(ackMs), delivery: summary(deliveryMs) });
    } else if (message.type === 'close') {
      await Promise.all(clients.filter(Boolean).map((client) => client.close().catch(() => undefined)));
      process.send({ type: 'close' });
      process.exit(0);
    }
  });
}
