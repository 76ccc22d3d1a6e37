// A sandbox in its own thread, for benchmarks that time a client alone: startSandbox() in a
// worker, driven by messages. In one thread the sandbox's own work (building, sealing and writing
// every frame) is paid between the client's frames and caps what any client can reach; here it
// runs beside the client, as the server of a real service did.
//
// One worker serves every sandbox of a process, one after the other: each startSandboxThread()
// starts a fresh sandbox in it (its own world, port and state), but the code that runs it stays
// compiled, as in a server that has been up for a while. A new worker per sandbox would time a
// cold JIT: its first 5,000 frames run 1.5–3× slower than later ones, which then bounds every
// client alike.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startSandbox } from '@wa/sandbox';

let shared;

/** The one worker of this process, started on first use. */
function sharedWorker() {
  if (shared) return shared;
  const worker = new Worker(new URL(import.meta.url), { workerData: { sandboxHost: true } });
  const waiting = new Map();
  let next = 0;
  worker.on('message', ({ id, value, error }) => {
    const pending = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    if (error !== undefined) pending?.reject(new Error(error));
    else pending?.resolve(value);
  });
  worker.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    shared = undefined;
  });
  // Kept alive only while a call is waiting for its answer (after the listeners: adding a
  // `message` listener refs the worker again), so the process ends when its work does.
  worker.unref();
  const call = (type, args) =>
    new Promise((resolve, reject) => {
      next += 1;
      waiting.set(next, { resolve, reject });
      worker.ref();
      worker.postMessage({ id: next, type, args });
    });
  shared = { call };
  return shared;
}

/**
 * Starts a sandbox (`options` as for startSandbox) in this process's sandbox thread.
 * @returns {Promise<{ port: number, url: string, configure(jid: string, behaviour: object): Promise<void>, scan(qr: string): Promise<void>, delayFrames(ms: number): Promise<void>, burst(from: string, text: string, count: number): Promise<void>, backlog(from: string, text: string, count: number, timeoutMs?: number): { answered: Promise<void>, timedOut: boolean }, close(): Promise<void> }>}
 */
export async function startSandboxThread(options) {
  const { call } = sharedWorker();
  const { id, port, url } = await call('start', [options]);
  return {
    port,
    url,
    configure: (jid, behaviour) => call('configure', [id, jid, behaviour]),
    scan: (qr) => call('scan', [id, qr]),
    /** The `delayFrames` fault: every frame `ms` later (0: off). */
    delayFrames: (ms) => call('delayFrames', [id, ms]),
    /** Resolves once `count` texts from `from` are queued (one synchronous loop in the worker). */
    burst: (from, text, count) => call('burst', [id, from, text, count]),
    /**
     * A backlog: blocks this thread while the sandbox queues `count` texts from `from` and hands
     * every frame to its sockets (`framesOut` up by `count`), so they wait in the socket buffers
     * as for a client that was busy; returns when they all left, or after `timeoutMs`.
     */
    backlog(from, text, count, timeoutMs = 10_000) {
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const answered = call('backlog', [id, from, text, count, flag]);
      const outcome = Atomics.wait(flag, 0, 0, timeoutMs);
      return { answered, timedOut: outcome === 'timed-out' };
    },
    close: () => call('close', [id]),
  };
}

if (!isMainThread && workerData?.sandboxHost) {
  const sandboxes = new Map();
  let started = 0;
  const of = (id) => {
    const sandbox = sandboxes.get(id);
    if (!sandbox) throw new Error(`no sandbox ${id} in this thread`);
    return sandbox;
  };
  const handlers = {
    start: async (options) => {
      const sandbox = await startSandbox(options);
      started += 1;
      sandboxes.set(started, sandbox);
      return { id: started, port: sandbox.port, url: sandbox.url };
    },
    configure: (id, jid, behaviour) => void of(id).contact(jid).configure(behaviour),
    scan: (id, qr) => void of(id).phone.scan(qr),
    delayFrames: (id, ms) => void of(id).faults.delayFrames(ms),
    burst: (id, from, text, count) => {
      const contact = of(id).contact(from);
      for (let i = 0; i < count; i++) contact.sendText(text);
    },
    backlog: async (id, from, text, count, flag) => {
      const sandbox = of(id);
      const target = sandbox.stats.framesOut + count;
      handlers.burst(id, from, text, count);
      while (sandbox.stats.framesOut < target) await new Promise((resolve) => setImmediate(resolve));
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    },
    close: async (id) => {
      const sandbox = of(id);
      sandboxes.delete(id);
      await sandbox.close();
    },
  };
  parentPort.on('message', async ({ id, type, args }) => {
    try {
      parentPort.postMessage({ id, value: await handlers[type](...args) });
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
