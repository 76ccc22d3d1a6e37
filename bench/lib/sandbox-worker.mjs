// A sandbox in its own thread, for benchmarks that time a client alone: startSandbox() in a
// worker, driven by messages. In one thread the sandbox's own work (building, sealing and writing
// every frame) is paid between the client's frames and caps what any client can reach; here it
// runs beside the client, as the server of a real service did.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startSandbox } from '@wa/sandbox';

/**
 * Starts a sandbox (`options` as for startSandbox) in a worker thread.
 * @returns {Promise<{ port: number, url: string, configure(jid: string, behaviour: object): Promise<void>, scan(qr: string): Promise<void>, delayFrames(ms: number): Promise<void>, burst(from: string, text: string, count: number): Promise<void>, close(): Promise<void> }>}
 */
export async function startSandboxThread(options) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { options } });
  const waiting = new Map();
  let next = 0;
  worker.on('message', ({ id, value, error }) => {
    const pending = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) pending?.reject(new Error(error));
    else pending?.resolve(value);
  });
  const call = (type, args) =>
    new Promise((resolve, reject) => {
      next += 1;
      waiting.set(next, { resolve, reject });
      worker.postMessage({ id: next, type, args });
    });
  const { port, url } = await call('info', []);
  return {
    port,
    url,
    configure: (jid, behaviour) => call('configure', [jid, behaviour]),
    scan: (qr) => call('scan', [qr]),
    /** The `delayFrames` fault: every frame `ms` later (0: off). */
    delayFrames: (ms) => call('delayFrames', [ms]),
    /** Resolves once `count` texts from `from` are queued (one synchronous loop in the worker). */
    burst: (from, text, count) => call('burst', [from, text, count]),
    async close() {
      await call('close', []);
      await worker.terminate();
    },
  };
}

if (!isMainThread && workerData?.options !== undefined) {
  const sandbox = await startSandbox(workerData.options);
  const handlers = {
    info: () => ({ port: sandbox.port, url: sandbox.url }),
    configure: (jid, behaviour) => void sandbox.contact(jid).configure(behaviour),
    scan: (qr) => void sandbox.phone.scan(qr),
    delayFrames: (ms) => void sandbox.faults.delayFrames(ms),
    burst: (from, text, count) => {
      const contact = sandbox.contact(from);
      for (let i = 0; i < count; i++) contact.sendText(text);
    },
    close: () => sandbox.close(),
  };
  parentPort.on('message', async ({ id, type, args }) => {
    try {
      parentPort.postMessage({ id, value: await handlers[type](...args) });
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
