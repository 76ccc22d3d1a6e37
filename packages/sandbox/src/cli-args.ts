import type { LatencyOptions } from './delivery.js';
import { SandboxError } from './errors.js';

/** The Origin the real server demanded, always accepted unless `--only-origin` says otherwise. */
const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

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
      /** `--control-token`: the bearer token control requests must carry. */
      controlToken?: string;
      /** `--no-control-auth`: serve an unprotected control plane on a non-loopback host. */
      controlAuth?: false;
      /** `--max-messages-per-chat`: history each chat keeps (the sandbox's default: 10,000). */
      maxMessagesPerChat?: number;
    }
  | { command: 'scan'; qr: string; port: number; host: string; wid?: string; token?: string }
  | { command: 'status'; port: number; host: string; token?: string }
  | ControlCall
  | { command: 'help' };

/** A control subcommand (`contact … send`, `phone offline`, `fault delay 500`, `export`, …) as the HTTP request it makes. */
export interface ControlCall {
  command: 'call';
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/contacts/15550100002@c.us/messages`. */
  path: string;
  body?: Record<string, unknown>;
  /** A file to send as `body.media.data` (Base64), read by the CLI. */
  mediaFile?: string;
  port: number;
  host: string;
  token?: string;
}

/** Usage text of the CLI. */
export const USAGE = `wa-sandbox: a local legacy WhatsApp Web server with a simulated phone

Usage:
  wa-sandbox [--port 8080] [--host 127.0.0.1] [--seed <text>] [--state <file>]
             [--allow-origin <origin>]... [--only-origin <origin>]... [--any-origin] [--latency <ms>]
             [--server-latency <ms>] [--phone-latency <ms>] [--jitter <0..1>] [--no-tls] [--verbose]
             [--control-token <t>] [--no-control-auth] [--max-messages-per-chat <n>]
  wa-sandbox scan <qr text> [--wid <account>]       play the phone: scan a client's QR
  wa-sandbox status                                 waiting QRs, sessions, counters

Control a running sandbox over its HTTP API (all take --port, --host, --control-token; JSON out):
  wa-sandbox accounts | contacts | groups | sessions | faults
  wa-sandbox chats [--wid <account>]                the account's chat list
  wa-sandbox messages <chat jid> [--wid <account>] [--limit <n>]
  wa-sandbox contact <jid>                          the contact's data
  wa-sandbox contact <jid> send "<text>" [--to <account>] [--group <gid>]
  wa-sandbox contact <jid> send --image|--video|--audio|--document|--sticker <file>
             [--caption <c>] [--file-name <n>] [--mimetype <m>] [--to <account>] [--group <gid>]
  wa-sandbox contact <jid> send --location <lat>,<lng> [--name <n>] [--address <a>] [--to|--group]
  wa-sandbox contact <jid> read | receive | typing | recording | paused [--to <account>] [--group <gid>]
  wa-sandbox contact <jid> online | offline
  wa-sandbox contact <jid> status "<about text>"
  wa-sandbox contact <jid> configure [--deliver-after <ms|never>] [--read-after <ms|never>] [--echo on|off]
  wa-sandbox phone offline | online [--wid <account>]
  wa-sandbox phone unpair [--client-id <id>] [--wid <account>]
  wa-sandbox fault drop [--wid <account>] [--client-id <id>] | delay <ms> | corrupt-hmac [<n>]
             | refuse-refs [on|off] | force-challenge [on|off] | login-status <401|403|405|409|419|off> [--tos <n>]
             | expire-refs | reset
  wa-sandbox export > state.json                    the whole state (secrets included); load it with --state

Options:
  --port <n>            port of the WebSocket and control endpoints (0 = any free port)
  --seed <text>         reproducible refs, tokens, keys and ids
  --state <file>        keep accounts, chats, sessions, tokens and recent media in <file> (restore across restarts)
  --allow-origin <o>    accept this Origin too, besides https://web.whatsapp.com (repeatable)
  --only-origin <o>     accept only this Origin, not even https://web.whatsapp.com (repeatable)
  --any-origin          accept any Origin (browsers cannot set it)
  --latency <ms>        latency of every frame sent to clients (0: none; default 4 ms server, 40 ms phone)
  --server-latency <ms> latency of the server's own answers (default 4)
  --phone-latency <ms>  latency of what the phone supplies: Conn, chat list, messages, receipts (default 40)
  --jitter <0..1>       each latency is drawn from base × (1 ± jitter) (default 0.5)
  --no-tls              plain http/ws only (by default the port also speaks https/wss, test certificate)
  --verbose             log every frame
  --control-token <t>   control requests need "Authorization: Bearer <t>" (also env WA_SANDBOX_TOKEN);
                        required on a host other than loopback unless --no-control-auth
  --no-control-auth     allow an unprotected control plane on a non-loopback --host
  --max-messages-per-chat <n>
                        history each chat keeps, the oldest dropped first (default 10000)

Exit codes: 0 done, 1 refused or failed (no sandbox listening, an error answer), 2 usage error.
`;

/** Subcommands that talk to a running sandbox over HTTP. */
const controlCommands = new Set(['accounts', 'contacts', 'groups', 'sessions', 'faults', 'chats', 'messages', 'contact', 'phone', 'fault', 'export']);


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
  let command = 'serve';
  if (args[0] === 'scan' || args[0] === 'status' || controlCommands.has(args[0] ?? '')) command = args.shift()!;
  let port = DEFAULT_CLI_PORT;
  let host = '127.0.0.1';
  let seed: string | undefined;
  let statePath: string | undefined;
  let wid: string | undefined;
  let extraOrigins: string[] | undefined;
  let onlyOrigins: string[] | undefined;
  let anyOrigin = false;
  let verbose = false;
  let tls = true;
  let latency: LatencyOptions | undefined;
  let token: string | undefined;
  let controlAuth: false | undefined;
  let maxMessagesPerChat: number | undefined;
  /** Options of the control subcommands, checked by {@link controlCall}. */
  const options = new Map<string, string>();
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
        extraOrigins = [...(extraOrigins ?? []), value(arg)];
        break;
      case '--only-origin':
        onlyOrigins = [...(onlyOrigins ?? []), value(arg)];
        break;
      case '--any-origin':
        anyOrigin = true;
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
      case '--control-token':
        token = value(arg);
        break;
      case '--no-control-auth':
        controlAuth = false;
        break;
      case '--max-messages-per-chat': {
        const text = value(arg);
        maxMessagesPerChat = Number(text);
        if (!/^\d+$/.test(text) || maxMessagesPerChat < 1 || !Number.isSafeInteger(maxMessagesPerChat)) {
          throw new SandboxError('INVALID_ARGUMENT', `--max-messages-per-chat must be a whole number of at least 1, got ${text}`);
        }
        break;
      }
      case '--to':
      case '--group':
      case '--limit':
      case '--image':
      case '--video':
      case '--audio':
      case '--document':
      case '--sticker':
      case '--caption':
      case '--file-name':
      case '--mimetype':
      case '--location':
      case '--name':
      case '--address':
      case '--deliver-after':
      case '--read-after':
      case '--echo':
      case '--client-id':
      case '--tos':
        if (command === 'serve' || command === 'scan' || command === 'status') throw new SandboxError('INVALID_ARGUMENT', `${arg} only goes with a control subcommand`);
        if (options.has(arg)) throw new SandboxError('INVALID_ARGUMENT', `${arg} given twice`);
        options.set(arg, value(arg));
        break;
      default:
        if (arg.startsWith('-') && arg.length > 1) throw new SandboxError('INVALID_ARGUMENT', `unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (controlCommands.has(command)) {
    const call = controlCall(command, positional, options, wid);
    const result: ControlCall = { command: 'call', method: call.method, path: call.path, port, host };
    if (call.body !== undefined) result.body = call.body;
    if (call.mediaFile !== undefined) result.mediaFile = call.mediaFile;
    if (token !== undefined) result.token = token;
    return result;
  }
  if (command === 'scan') {
    if (positional.length !== 1) throw new SandboxError('INVALID_ARGUMENT', 'scan needs exactly one QR text (quote it)');
    const scan: CliCommand = { command: 'scan', qr: positional[0]!, port, host };
    if (wid !== undefined) scan.wid = wid;
    if (token !== undefined) scan.token = token;
    return scan;
  }
  if (positional.length > 0) throw new SandboxError('INVALID_ARGUMENT', `unexpected argument ${positional[0]}`);
  if (command === 'status') return token === undefined ? { command: 'status', port, host } : { command: 'status', port, host, token };
  const serve: CliCommand = { command: 'serve', port, host, tls, verbose };
  if (token !== undefined) serve.controlToken = token;
  if (controlAuth !== undefined) serve.controlAuth = controlAuth;
  if (latency !== undefined) serve.latency = latency;
  if (maxMessagesPerChat !== undefined) serve.maxMessagesPerChat = maxMessagesPerChat;
  if (seed !== undefined) serve.seed = seed;
  if (statePath !== undefined) serve.statePath = statePath;
  // --allow-origin adds to the Origin the real server demanded; --only-origin replaces it.
  if (anyOrigin) serve.allowedOrigins = '*';
  else if (onlyOrigins !== undefined) serve.allowedOrigins = [...onlyOrigins, ...(extraOrigins ?? [])];
  else if (extraOrigins !== undefined) serve.allowedOrigins = [WHATSAPP_ORIGIN, ...extraOrigins];
  return serve;
}

type Request = Pick<ControlCall, 'method' | 'path' | 'body' | 'mediaFile'>;

const mediaFlags = ['--image', '--video', '--audio', '--document', '--sticker'] as const;

/**
 * Turns a control subcommand into its HTTP request.
 * @throws SandboxError `INVALID_ARGUMENT` for a wrong subcommand, argument or option
 */
function controlCall(command: string, positional: string[], options: Map<string, string>, wid: string | undefined): Request {
  const usage = (message: string): never => {
    throw new SandboxError('INVALID_ARGUMENT', message);
  };
  const allow = (...names: string[]): void => {
    for (const name of options.keys()) if (!names.includes(name)) usage(`${name} does not go with ${[command, ...positional.slice(0, 2)].join(' ')}`);
    if (wid !== undefined && !names.includes('--wid')) usage(`--wid does not go with ${command}`);
  };
  const args = (count: number, what: string): string[] => {
    if (positional.length !== count) usage(`${command} ${what}`);
    return positional;
  };
  const segment = (text: string): string => encodeURIComponent(text).replaceAll('%40', '@');
  const target = (): Record<string, unknown> => {
    const body: Record<string, unknown> = {};
    if (options.has('--to')) body.to = options.get('--to');
    if (options.has('--group')) body.group = options.get('--group');
    return body;
  };
  const onOff = (text: string | undefined, name: string): boolean => {
    if (text === undefined || text === 'on') return true;
    if (text === 'off') return false;
    return usage(`${name} takes on or off, got ${text}`);
  };
  const number = (text: string, name: string, integer = false): number => {
    const parsed = Number(text);
    if (text.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isSafeInteger(parsed))) usage(`${name} must be a ${integer ? 'whole ' : ''}number ≥ 0, got ${text}`);
    return parsed;
  };
  const accountQuery = wid === undefined ? '' : `?account=${segment(wid)}`;
  const withAccount = (body: Record<string, unknown> = {}): Record<string, unknown> => (wid === undefined ? body : { ...body, account: wid });
  switch (command) {
    case 'accounts':
    case 'contacts':
    case 'groups':
    case 'sessions':
    case 'faults':
      allow();
      args(0, 'takes no arguments');
      return { method: 'GET', path: `/${command}` };
    case 'export':
      allow();
      args(0, 'takes no arguments');
      return { method: 'GET', path: '/state' };
    case 'chats':
      allow('--wid');
      args(0, 'takes no arguments (--wid picks the account)');
      return { method: 'GET', path: `/chats${accountQuery}` };
    case 'messages': {
      allow('--wid', '--limit');
      const [chat] = args(1, 'needs one chat jid');
      const query = new URLSearchParams();
      if (wid !== undefined) query.set('account', wid);
      if (options.has('--limit')) query.set('limit', String(number(options.get('--limit')!, '--limit', true)));
      const text = query.toString();
      return { method: 'GET', path: `/chats/${segment(chat!)}/messages${text === '' ? '' : `?${text}`}` };
    }
    case 'phone': {
      const action = positional[0];
      if (action === 'offline' || action === 'online') {
        allow('--wid');
        args(1, `${action} takes no further arguments`);
        return { method: 'POST', path: '/phone/reachable', body: withAccount({ reachable: action === 'online' }) };
      }
      if (action === 'unpair') {
        allow('--wid', '--client-id');
        args(1, 'unpair takes no further arguments');
        const body = withAccount();
        if (options.has('--client-id')) body.clientId = options.get('--client-id');
        return { method: 'POST', path: '/phone/unpair', body };
      }
      return usage('phone takes offline, online or unpair');
    }
    case 'fault':
      return faultCall(positional, options, wid, { allow, args, number, onOff, usage });
    case 'contact': {
      const [jid, action, ...rest] = positional;
      if (jid === undefined) return usage('contact needs a jid: wa-sandbox contact <jid> send "hi"');
      const base = `/contacts/${segment(jid)}`;
      switch (action) {
        case undefined:
          allow();
          return { method: 'GET', path: base };
        case 'send': {
          const media = mediaFlags.filter((flag) => options.has(flag));
          const kinds = (rest.length > 0 ? 1 : 0) + media.length + (options.has('--location') ? 1 : 0);
          if (kinds !== 1 || rest.length > 1) usage('contact <jid> send needs one text, one of --image/--video/--audio/--document/--sticker <file>, or --location <lat>,<lng>');
          if (rest.length === 1) {
            allow('--to', '--group');
            return { method: 'POST', path: `${base}/messages`, body: { ...target(), text: rest[0] } };
          }
          if (options.has('--location')) {
            allow('--to', '--group', '--location', '--name', '--address');
            const parts = options.get('--location')!.split(',');
            const [latitude, longitude] = parts.map((part) => Number(part.trim()));
            if (parts.length !== 2 || !Number.isFinite(latitude) || !Number.isFinite(longitude)) usage('--location takes <lat>,<lng>, e.g. 52.52,13.405');
            const location: Record<string, unknown> = { latitude, longitude };
            if (options.has('--name')) location.name = options.get('--name');
            if (options.has('--address')) location.address = options.get('--address');
            return { method: 'POST', path: `${base}/messages`, body: { ...target(), location } };
          }
          const flag = media[0]!;
          allow('--to', '--group', flag, '--caption', '--file-name', '--mimetype');
          const described: Record<string, unknown> = { type: flag.slice(2) };
          if (options.has('--caption')) described.caption = options.get('--caption');
          if (options.has('--file-name')) described.fileName = options.get('--file-name');
          if (options.has('--mimetype')) described.mimetype = options.get('--mimetype');
          return { method: 'POST', path: `${base}/messages`, body: { ...target(), media: described }, mediaFile: options.get(flag)! };
        }
        case 'read':
        case 'receive':
          allow('--to', '--group');
          if (rest.length > 0) usage(`contact <jid> ${action} takes no further arguments`);
          return { method: 'POST', path: `${base}/${action}`, body: target() };
        case 'typing':
        case 'recording':
        case 'paused':
        case 'online':
        case 'offline': {
          const chatState = action === 'typing' || action === 'recording' || action === 'paused';
          if (chatState) allow('--to', '--group');
          else allow();
          if (rest.length > 0) usage(`contact <jid> ${action} takes no further arguments`);
          const type = { typing: 'composing', recording: 'recording', paused: 'paused', online: 'available', offline: 'unavailable' }[action];
          return { method: 'POST', path: `${base}/presence`, body: { ...target(), type } };
        }
        case 'status':
          allow();
          if (rest.length !== 1) usage('contact <jid> status needs one text (quote it)');
          return { method: 'POST', path: `${base}/status`, body: { text: rest[0] } };
        case 'configure': {
          allow('--deliver-after', '--read-after', '--echo');
          if (rest.length > 0 || options.size === 0) usage('contact <jid> configure takes --deliver-after, --read-after and/or --echo');
          const body: Record<string, unknown> = {};
          const delayOf = (name: string): number | null => (options.get(name) === 'never' ? null : number(options.get(name)!, name));
          if (options.has('--deliver-after')) body.deliverAfterMs = delayOf('--deliver-after');
          if (options.has('--read-after')) body.readAfterMs = delayOf('--read-after');
          if (options.has('--echo')) body.echo = onOff(options.get('--echo'), '--echo');
          return { method: 'POST', path: `${base}/behaviour`, body };
        }
        default:
          return usage(`contact <jid> takes send, read, receive, typing, recording, paused, online, offline, status or configure, got ${action}`);
      }
    }
  }
  return usage(`unknown command ${command}`);
}

interface Helpers {
  allow(...names: string[]): void;
  args(count: number, what: string): string[];
  number(text: string, name: string, integer?: boolean): number;
  onOff(text: string | undefined, name: string): boolean;
  usage(message: string): never;
}

function faultCall(positional: string[], options: Map<string, string>, wid: string | undefined, helpers: Helpers): Request {
  const { allow, args, number, onOff, usage } = helpers;
  const [name, argument] = positional;
  switch (name) {
    case 'drop': {
      allow('--wid', '--client-id');
      args(1, 'drop takes no further arguments (--wid, --client-id pick the sockets)');
      const body: Record<string, unknown> = {};
      if (wid !== undefined) body.account = wid;
      if (options.has('--client-id')) body.clientId = options.get('--client-id');
      return { method: 'POST', path: '/faults/drop-socket', body };
    }
    case 'delay':
      allow();
      args(2, 'delay needs the milliseconds (0 turns it off)');
      return { method: 'POST', path: '/faults/delay-frames', body: { ms: number(argument!, 'delay') } };
    case 'corrupt-hmac':
      allow();
      if (positional.length > 2) usage('fault corrupt-hmac takes at most a count');
      return { method: 'POST', path: '/faults/corrupt-hmac', body: { count: argument === undefined ? 1 : number(argument, 'corrupt-hmac', true) } };
    case 'refuse-refs':
    case 'force-challenge':
      allow();
      if (positional.length > 2) usage(`fault ${name} takes at most on or off`);
      return { method: 'POST', path: `/faults/${name}`, body: { on: onOff(argument, name) } };
    case 'login-status': {
      allow('--tos');
      args(2, 'login-status needs 401, 403, 405, 409, 419 or off');
      const body: Record<string, unknown> = { status: argument === 'off' ? null : number(argument!, 'login-status', true) };
      if (options.has('--tos')) body.tos = number(options.get('--tos')!, '--tos', true);
      return { method: 'POST', path: '/faults/login-status', body };
    }
    case 'expire-refs':
    case 'reset':
      allow();
      args(1, `${name} takes no further arguments`);
      return { method: 'POST', path: `/faults/${name}` };
    default:
      return usage('fault takes drop, delay <ms>, corrupt-hmac [n], refuse-refs [on|off], force-challenge [on|off], login-status <status|off>, expire-refs or reset');
  }
}
