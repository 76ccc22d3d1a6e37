import type { LatencyOptions } from './delivery.js';
import { SandboxError } from './errors.js';

/** The default CLI port (DESIGN.md: `wa-sandbox --port 8080`). */
export const DEFAULT_CLI_PORT = 8080;

/** A parsed `wa-sandbox` command line. */
export type CliCommand =
  | {
      command: 'serve';
      port: number;
      host: string;
      seed?: string;
      statePath?: string;
      /** `undefined`: the default (`https://web.whatsapp.com`); `'*'`: any. */
      allowedOrigins?: string[] | '*';
      /** Latency of the frames sent to clients (`--latency`, `--server-latency`, `--phone-latency`, `--jitter`). */
      latency?: LatencyOptions;
      /** `--no-tls`: plain http/ws only on the port. */
      tls: boolean;
      verbose: boolean;
    }
  | { command: 'scan'; qr: string; port: number; host: string; wid?: string }
  | { command: 'status'; port: number; host: string }
  | { command: 'help' };

/** Usage text of the CLI. */
export const USAGE = `wa-sandbox: a local legacy WhatsApp Web server with a simulated phone

Usage:
  wa-sandbox [--port 8080] [--host 127.0.0.1] [--seed <text>] [--state <file>]
             [--allow-origin <origin>]... [--any-origin] [--latency <ms>]
             [--server-latency <ms>] [--phone-latency <ms>] [--jitter <0..1>] [--no-tls] [--verbose]
  wa-sandbox scan <qr text> [--port 8080] [--wid <account>]   play the phone: scan a client's QR
  wa-sandbox status [--port 8080]                             waiting QRs, sessions, counters

Options:
  --port <n>            port of the WebSocket and control endpoints (0 = any free port)
  --seed <text>         reproducible refs, tokens, keys and ids
  --state <file>        keep accounts, chats, sessions, tokens and recent media in <file> (restore across restarts)
  --allow-origin <o>    accept this Origin (repeatable; default https://web.whatsapp.com)
  --any-origin          accept any Origin (browsers cannot set it)
  --latency <ms>        latency of every frame sent to clients (0: none; default 4 ms server, 40 ms phone)
  --server-latency <ms> latency of the server's own answers (default 4)
  --phone-latency <ms>  latency of what the phone supplies: Conn, chat list, messages, receipts (default 40)
  --jitter <0..1>       each latency is drawn from base × (1 ± jitter) (default 0.5)
  --no-tls              plain http/ws only (by default the port also speaks https/wss, test certificate)
  --verbose             log every frame
`;

/**
 * Parses the CLI arguments (without `node` and the script path).
 * @throws SandboxError `INVALID_ARGUMENT` with a message fit for the user
 * @example
 * ```ts
 * parseCliArgs(['--port', '0', '--seed', 'demo']);
 * // { command: 'serve', port: 0, host: '127.0.0.1', seed: 'demo', verbose: false }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const args = [...argv];
  let command: 'serve' | 'scan' | 'status' = 'serve';
  if (args[0] === 'scan' || args[0] === 'status') command = args.shift() as 'scan' | 'status';
  let port = DEFAULT_CLI_PORT;
  let host = '127.0.0.1';
  let seed: string | undefined;
  let statePath: string | undefined;
  let wid: string | undefined;
  let origins: string[] | '*' | undefined;
  let verbose = false;
  let tls = true;
  let latency: LatencyOptions | undefined;
  const positional: string[] = [];
  const milliseconds = (flag: string, max = 60_000): number => {
    const text = value(flag);
    const parsed = Number(text);
    if (text.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > max) {
      throw new SandboxError('INVALID_ARGUMENT', `${flag} must be a number from 0 to ${max}, got ${text}`);
    }
    return parsed;
  };
  const value = (flag: string): string => {
    const next = args.shift();
    if (next === undefined || next.startsWith('--')) throw new SandboxError('INVALID_ARGUMENT', `${flag} needs a value`);
    return next;
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      args.unshift(arg.slice(eq + 1));
      args.unshift(arg.slice(0, eq));
      continue;
    }
    switch (arg) {
      case '-h':
      case '--help':
        return { command: 'help' };
      case '--port': {
        const text = value(arg);
        port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new SandboxError('INVALID_ARGUMENT', `--port must be 0..65535, got ${text}`);
        break;
      }
      case '--host':
        host = value(arg);
        break;
      case '--seed':
        seed = value(arg);
        break;
      case '--state':
        statePath = value(arg);
        break;
      case '--wid':
        wid = value(arg);
        break;
      case '--allow-origin':
        if (origins !== '*') origins = [...(origins ?? []), value(arg)];
        break;
      case '--any-origin':
        origins = '*';
        break;
      case '--latency': {
        const ms = milliseconds(arg);
        latency = { ...latency, serverMs: ms, phoneMs: ms };
        break;
      }
      case '--server-latency':
        latency = { ...latency, serverMs: milliseconds(arg) };
        break;
      case '--phone-latency':
        latency = { ...latency, phoneMs: milliseconds(arg) };
        break;
      case '--jitter':
        latency = { ...latency, jitter: milliseconds(arg, 1) };
        break;
      case '--no-tls':
        tls = false;
        break;
      case '-v':
      case '--verbose':
        verbose = true;
        break;
      default:
        if (arg.startsWith('-') && arg.length > 1) throw new SandboxError('INVALID_ARGUMENT', `unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (command === 'scan') {
    if (positional.length !== 1) throw new SandboxError('INVALID_ARGUMENT', 'scan needs exactly one QR text (quote it)');
    const scan: CliCommand = { command: 'scan', qr: positional[0]!, port, host };
    if (wid !== undefined) scan.wid = wid;
    return scan;
  }
  if (positional.length > 0) throw new SandboxError('INVALID_ARGUMENT', `unexpected argument ${positional[0]}`);
  if (command === 'status') return { command: 'status', port, host };
  const serve: CliCommand = { command: 'serve', port, host, tls, verbose };
  if (latency !== undefined) serve.latency = latency;
  if (seed !== undefined) serve.seed = seed;
  if (statePath !== undefined) serve.statePath = statePath;
  if (origins !== undefined) serve.allowedOrigins = origins;
  return serve;
}
