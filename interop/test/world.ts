/**
 * The client-independent half of the interop plumbing: a sandbox per test with its log in memory,
 * sandbox events and polling with timeouts, and closing what was started.
 *
 * Each client line has its own harness on top of this file (harness.ts for Baileys 3.5.3,
 * baileys2-harness.ts for Baileys 2.3.1). This file imports neither client: the two Baileys lines
 * must never be loaded into one process, because both register their generated protobuf code on
 * protobufjs' shared default root, and the one loaded last replaces the other's `proto` (README).
 */
import { startPacingRelay, type PacingRelay } from './pacing-relay.ts';
import { memoryLogger, startSandbox, type LogEntry, type RunningSandbox, type SandboxEvents, type StartSandboxOptions } from '@wa/sandbox';

/**
 * The account and contacts of the default world, as JSON ids carry them (`c.us`) and as the
 * Baileys clients write them in message keys (`s.whatsapp.net`).
 */
export const ME = '15550100001@c.us';
export const ME_WA = '15550100001@s.whatsapp.net';
export const ALICE = '15550100002@c.us';
export const ALICE_WA = '15550100002@s.whatsapp.net';
export const BOB = '15550100003@c.us';
export const BOB_WA = '15550100003@s.whatsapp.net';
export const ECHO = '15550100099@c.us';
export const ECHO_WA = '15550100099@s.whatsapp.net';
export const GROUP = '15550100001-1600000000@g.us';

/**
 * Diagnostics only: `INTEROP_PACE_MS=<ms>` puts a relay between Baileys and the sandbox that
 * forwards the sandbox's frames one per read, `<ms>` apart (see pacing-relay.ts).
 */
const paceMs = process.env.INTEROP_PACE_MS === undefined ? undefined : Number(process.env.INTEROP_PACE_MS);

/** Diagnostics only: `INTEROP_LATENCY=<ms>` overrides the sandbox's latency for every test (`0`: none). */
const latencyOverride = process.env.INTEROP_LATENCY === undefined ? undefined : Number(process.env.INTEROP_LATENCY);

/** `INTEROP_DEBUG=1` also prints the sandbox's log. */
const debug = process.env.INTEROP_DEBUG === '1';

/** The certificate authority of the sandbox's TLS side (same port as ws/http), unless started with `tls: false`. */
export function sandboxTls(running: RunningSandbox): { ca: string } | undefined {
  return running.tls;
}

/** One sandbox with its log kept in memory. */
export interface World {
  running: RunningSandbox;
  log: LogEntry[];
  /** The port a plain-TCP client connects to: the sandbox's, or the pacing relay's. */
  clientPort: number;
  /** Texts of every frame the sandbox received (JSON frames as sent, binary ones decoded). */
  framesIn(): string[];
}

const openSandboxes: RunningSandbox[] = [];
const openRelays: PacingRelay[] = [];

/** Starts a sandbox that is closed by {@link closeWorlds} (each client harness's clean-up calls it). */
export async function startWorld(options: StartSandboxOptions = {}): Promise<World> {
  const memory = memoryLogger();
  const logger = debug
    ? (entry: LogEntry): void => {
        memory.logger(entry);
        console.log(`[sandbox] ${entry.level} ${entry.connection ?? ''} ${entry.event}: ${resolveMessage(entry)}`);
      }
    : memory.logger;
  const latency = options.latency ?? latencyOverride;
  const running = await startSandbox({ ...options, ...(latency === undefined ? {} : { latency }), logger });
  openSandboxes.push(running);
  let clientPort = running.port;
  if (paceMs !== undefined && Number.isFinite(paceMs)) {
    const relay = await startPacingRelay(running.port, paceMs);
    openRelays.push(relay);
    clientPort = relay.port;
  }
  return {
    running,
    log: memory.entries,
    clientPort,
    framesIn: () => memory.entries.filter((entry) => entry.event === 'frame-in').map(resolveMessage),
  };
}

function resolveMessage(entry: LogEntry): string {
  const message = entry.message as string | (() => string);
  return typeof message === 'function' ? message() : message;
}

/** Resolves with the payload of the next sandbox `event` that passes `accept`; rejects after `timeoutMs`. */
export function sandboxEvent<K extends keyof SandboxEvents>(
  running: RunningSandbox,
  event: K,
  accept: (payload: SandboxEvents[K]) => boolean = () => true,
  timeoutMs = 8_000,
): Promise<SandboxEvents[K]> {
  return new Promise((resolve, reject) => {
    const stop = running.on(event, (payload) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      stop();
      resolve(payload);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no sandbox '${String(event)}' event within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/** Polls `check` every 20 ms until it returns true; rejects after `timeoutMs`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Closes every pacing relay and sandbox {@link startWorld} opened. */
export async function closeWorlds(): Promise<void> {
  await Promise.all(openRelays.splice(0).map((relay) => relay.close()));
  await Promise.all(openSandboxes.splice(0).map((running) => running.close()));
}
