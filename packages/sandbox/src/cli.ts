#!/usr/bin/env node
/**
 * The `wa-sandbox` command: runs the sandbox on a local port and plays the phone over HTTP.
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCliArgs, USAGE, type CliCommand, type ControlCall } from './cli-args.js';
import { SandboxError } from './errors.js';
import { consoleLogger } from './logger.js';
import { startSandbox, type StartSandboxOptions } from './node/start-sandbox.js';

async function serve(command: Extract<CliCommand, { command: 'serve' }>): Promise<void> {
  const options: StartSandboxOptions = { port: command.port, host: command.host };
  if (command.seed !== undefined) options.seed = command.seed;
  if (command.statePath !== undefined) options.statePath = command.statePath;
  if (command.allowedOrigins !== undefined) options.allowedOrigins = command.allowedOrigins;
  // Warnings (refused WebSockets, rejected frames, limits) always; every frame with --verbose.
  options.logger = consoleLogger(command.verbose ? 'debug' : 'warn');
  if (command.latency !== undefined) options.latency = command.latency;
  if (command.maxMessagesPerChat !== undefined) options.maxMessagesPerChat = command.maxMessagesPerChat;
  if (!command.tls) options.tls = false;
  const controlToken = command.controlToken ?? tokenFromEnv();
  if (controlToken !== undefined) options.controlToken = controlToken;
  if (command.controlAuth === false) options.controlAuth = false;
  const sandbox = await startSandbox(options);
  const portFlag = `--port ${sandbox.port}`;
  const owner = sandbox.world.requireUser(sandbox.phone.wid);
  console.log(`wa-sandbox listening on ${sandbox.url}${sandbox.tls ? ` and ${sandbox.tls.url} (test certificate: docs/guides/sandbox-testing.md)` : ''}`);
  const { serverMs, phoneMs, jitter } = sandbox.sandbox.latency;
  console.log(`  latency: server ${serverMs} ms, phone ${phoneMs} ms, jitter ±${Math.round(jitter * 100)}%`);
  console.log(`  phone: ${owner.name} (${owner.jid}); ${sandbox.world.accounts.length} account(s), ${sandbox.world.users.length} user(s)`);
  console.log(`  control: ${sandbox.httpUrl}  (GET /openapi.json lists every route${controlToken === undefined ? '' : '; bearer token required'})`);
  if (command.statePath !== undefined) console.log(`  state: ${command.statePath}`);
  sandbox.on('ref', (event) => {
    console.log(`\nQR waiting: client ${event.clientId} (${event.connection}), ref ${event.ref}, valid ${Math.round(event.ttl / 1000)} s.`);
    console.log('Scan it with the QR text your client shows (ref,publicKey,clientId):');
    console.log(`  wa-sandbox scan '<qr text>' ${portFlag}`);
    console.log(`  curl -X POST --data '<qr text>' ${controlToken === undefined ? '' : "-H 'Authorization: Bearer …' "}${sandbox.httpUrl}/scan`);
  });
  sandbox.on('login', (event) => console.log(`logged in: ${event.wid} (${event.kind}, ${event.connection})`));
  sandbox.on('logout', (event) => console.log(`session ended: ${event.wid} ${event.clientId} (${event.reason})`));
  sandbox.on('web-message', (event) => console.log(`message ${event.wid} → ${event.chat}: ${event.text ?? '(media)'}`));
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The token from the environment (`WA_SANDBOX_TOKEN`), if set and not empty. */
function tokenFromEnv(): string | undefined {
  const token = process.env.WA_SANDBOX_TOKEN;
  return token === undefined || token === '' ? undefined : token;
}

/** A failure that is the user's to fix (nothing listening, an error answer): message, exit 1. */
class CliFailure extends Error {}

/** Sends one request to a running sandbox; names a missing server instead of "fetch failed". */
async function request(target: { host: string; port: number; token?: string }, method: string, path: string, body?: string): Promise<{ status: number; ok: boolean; json: Record<string, unknown> }> {
  const host = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
  const base = `http://${host}:${target.port}`;
  const headers: Record<string, string> = {};
  const token = target.token ?? tokenFromEnv();
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = path === '/scan' ? 'text/plain' : 'application/json';
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, body === undefined ? { method, headers } : { method, headers, body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EHOSTUNREACH') {
      throw new CliFailure(`no sandbox listening on ${base} (start one with \`wa-sandbox --port ${target.port}\`)`);
    }
    throw new CliFailure(`cannot reach ${base}: ${(cause as Error | undefined)?.message ?? (error as Error).message}`);
  }
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CliFailure(`${base}${path} answered ${response.status} without JSON; is that a sandbox?`);
  }
  return { status: response.status, ok: response.ok, json };
}

function refused(what: string, answer: { status: number; json: Record<string, unknown> }): CliFailure {
  const code = typeof answer.json.error === 'string' ? answer.json.error : String(answer.status);
  const hint = answer.status === 401 ? ' (pass --control-token or set WA_SANDBOX_TOKEN)' : '';
  return new CliFailure(`${what}: ${code}: ${String(answer.json.message ?? '')}${hint}`);
}

async function scan(command: Extract<CliCommand, { command: 'scan' }>): Promise<void> {
  const body = command.wid === undefined ? command.qr : JSON.stringify({ qr: command.qr, wid: command.wid });
  const answer = await request(command, 'POST', '/scan', body);
  if (!answer.ok) throw refused('scan refused', answer);
  console.log(`scanned: ${String(answer.json.wid)} is logged in`);
}

async function status(command: Extract<CliCommand, { command: 'status' }>): Promise<void> {
  const answer = await request(command, 'GET', '/status');
  if (!answer.ok) throw refused('status refused', answer);
  console.log(JSON.stringify(answer.json, null, 2));
}

async function call(command: ControlCall): Promise<void> {
  let body = command.body;
  if (command.mediaFile !== undefined) {
    let file: Buffer;
    try {
      file = readFileSync(command.mediaFile);
    } catch (error) {
      throw new CliFailure(`cannot read ${command.mediaFile}: ${(error as Error).message}`);
    }
    const media: Record<string, unknown> = { ...(body?.media as Record<string, unknown>), data: file.toString('base64') };
    if (media.type === 'document' && media.fileName === undefined) media.fileName = basename(command.mediaFile);
    body = { ...body, media };
  }
  const answer = await request(command, command.method, command.path, body === undefined ? undefined : JSON.stringify(body));
  if (!answer.ok) throw refused(`${command.method} ${command.path} refused`, answer);
  console.log(JSON.stringify(answer.json, null, 2));
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  switch (command.command) {
    case 'help':
      console.log(USAGE);
      return;
    case 'serve':
      return serve(command);
    case 'scan':
      return scan(command);
    case 'status':
      return status(command);
    case 'call':
      return call(command);
  }
}

main().catch((error: unknown) => {
  if (error instanceof CliFailure) {
    console.error(`wa-sandbox: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const prefix = error instanceof SandboxError ? `${error.code}: ` : '';
  console.error(`wa-sandbox: ${prefix}${(error as Error).message}`);
  process.exitCode = 1;
});
