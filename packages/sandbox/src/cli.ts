#!/usr/bin/env node
/**
 * The `wa-sandbox` command: runs the sandbox on a local port and plays the phone over HTTP.
 * @module
 */
import { parseCliArgs, USAGE, type CliCommand } from './cli-args.js';
import { SandboxError } from './errors.js';
import { consoleLogger } from './logger.js';
import { startSandbox, type StartSandboxOptions } from './node/start-sandbox.js';

async function serve(command: Extract<CliCommand, { command: 'serve' }>): Promise<void> {
  const options: StartSandboxOptions = { port: command.port, host: command.host };
  if (command.seed !== undefined) options.seed = command.seed;
  if (command.statePath !== undefined) options.statePath = command.statePath;
  if (command.allowedOrigins !== undefined) options.allowedOrigins = command.allowedOrigins;
  if (command.verbose) options.logger = consoleLogger('debug');
  if (command.latency !== undefined) options.latency = command.latency;
  if (!command.tls) options.tls = false;
  const sandbox = await startSandbox(options);
  const portFlag = `--port ${sandbox.port}`;
  const owner = sandbox.world.requireUser(sandbox.phone.wid);
  console.log(`wa-sandbox listening on ${sandbox.url}${sandbox.tls ? ` and ${sandbox.tls.url} (test certificate: docs/guides/sandbox-testing.md)` : ''}`);
  const { serverMs, phoneMs, jitter } = sandbox.sandbox.latency;
  console.log(`  latency: server ${serverMs} ms, phone ${phoneMs} ms, jitter ±${Math.round(jitter * 100)}%`);
  console.log(`  phone: ${owner.name} (${owner.jid}); ${sandbox.world.accounts.length} account(s), ${sandbox.world.users.length} user(s)`);
  console.log(`  control: ${sandbox.httpUrl}  (GET /status, POST /scan)`);
  if (command.statePath !== undefined) console.log(`  state: ${command.statePath}`);
  sandbox.on('ref', (event) => {
    console.log(`\nQR waiting: client ${event.clientId} (${event.connection}), ref ${event.ref}, valid ${Math.round(event.ttl / 1000)} s.`);
    console.log('Scan it with the QR text your client shows (ref,publicKey,clientId):');
    console.log(`  wa-sandbox scan '<qr text>' ${portFlag}`);
    console.log(`  curl -X POST --data '<qr text>' ${sandbox.httpUrl}/scan`);
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

async function scan(command: Extract<CliCommand, { command: 'scan' }>): Promise<void> {
  const body = command.wid === undefined ? command.qr : JSON.stringify({ qr: command.qr, wid: command.wid });
  const response = await fetch(`http://${command.host}:${command.port}/scan`, { method: 'POST', body });
  const result = (await response.json()) as { ok?: boolean; wid?: string; error?: string; message?: string };
  if (!response.ok) {
    console.error(`scan refused: ${result.error ?? response.status}: ${result.message ?? ''}`);
    process.exitCode = 1;
    return;
  }
  console.log(`scanned: ${result.wid} is logged in`);
}

async function status(command: Extract<CliCommand, { command: 'status' }>): Promise<void> {
  const response = await fetch(`http://${command.host}:${command.port}/status`);
  console.log(JSON.stringify(await response.json(), null, 2));
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
  }
}

main().catch((error: unknown) => {
  const prefix = error instanceof SandboxError ? `${error.code}: ` : '';
  console.error(`wa-sandbox: ${prefix}${(error as Error).message}`);
  process.exitCode = 1;
});
