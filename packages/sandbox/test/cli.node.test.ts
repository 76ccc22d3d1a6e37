import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebSocket, wsClient } from './support/ws-link.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(packageDir, 'dist', 'cli.js');
const run = promisify(execFile);

interface RunningCli {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  waitForOutput: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

function startCli(args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitForOutput = (pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in CLI output:\n${output}`)), 10_000);
      const check = (): void => {
        const match = output.match(pattern);
        if (!match) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(match);
      };
      waiters.push(check);
      check();
    });
  return waitForOutput(/listening on (ws:\/\/127\.0\.0\.1:(\d+)\/ws)/).then((match) => ({
    child,
    url: match[1]!,
    port: Number(match[2]),
    output: () => output,
    waitForOutput,
  }));
}

function stop(running: RunningCli): Promise<number | null> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve(running.child.exitCode);
    running.child.once('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

let dir: string;
beforeAll(() => {
  // The smoke test runs the built CLI; turbo's `test` task builds the package first.
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the package first (pnpm build)`);
  dir = mkdtempSync(join(tmpdir(), 'wa-sandbox-cli-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wa-sandbox CLI', () => {
  it('is an executable bin with a shebang that exists before the build (no install warning)', () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    // A committed file: pnpm links bins at install time, before dist/ exists.
    expect(pkg.bin).toEqual({ 'wa-sandbox': './bin/wa-sandbox.mjs' });
    expect(pkg.files).toContain('bin');
    const bin = join(packageDir, 'bin', 'wa-sandbox.mjs');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The bin runs the built CLI.
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('wa-sandbox: a local legacy WhatsApp Web server');
  });

  it('--allow-origin adds to the default Origin, and refused WebSockets are logged', async () => {
    const running = await startCli(['--port', '0', '--allow-origin', 'http://localhost:5173']);
    try {
      (await openWebSocket(running.url)).close();
      (await openWebSocket(running.url, 'http://localhost:5173')).close();
      await expect(openWebSocket(running.url, 'https://evil.example')).rejects.toThrow('HTTP 403');
      await running.waitForOutput(/upgrade-refused: 403: Origin https:\/\/evil\.example is not accepted \(accepted: https:\/\/web\.whatsapp\.com, http:\/\/localhost:5173/);
    } finally {
      await stop(running);
    }
  });

  it('prints the URL, explains how to scan a waiting QR, scans via `wa-sandbox scan`, and restores after a restart', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startCli(['--port', '0', '--seed', 'cli-smoke', '--state', statePath]);
    try {
      const client = await wsClient(first.url);
      await client.init();
      const hint = await first.waitForOutput(/wa-sandbox scan '<qr text>' --port (\d+)/);
      expect(Number(hint[1])).toBe(first.port);
      expect(first.output()).toContain(`curl -X POST --data '<qr text>' http://127.0.0.1:${first.port}/scan`);
      const scanned = await run(process.execPath, [cli, 'scan', client.qr(), '--port', String(first.port)]);
      expect(scanned.stdout).toContain('scanned: 15550100001@c.us is logged in');
      await client.completeQrLogin();
      await first.waitForOutput(/logged in: 15550100001@c\.us \(qr/);

      const refused = await run(process.execPath, [cli, 'scan', client.qr(), '--port', String(first.port)]).catch((error: { code: number; stderr: string }) => error);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('REF_UNKNOWN') });
      const credentials = client.credentials();
      client.close();
      expect(await stop(first)).toBe(0);

      const second = await startCli(['--port', '0', '--state', statePath]);
      try {
        const again = await wsClient(second.url);
        expect((await again.restore(credentials)).status).toBe(200);
        await second.waitForOutput(/logged in: 15550100001@c\.us \(restore/);
        again.close();
      } finally {
        await stop(second);
      }
    } finally {
      await stop(first);
    }
  });

  it('--max-messages-per-chat bounds the history a chat keeps, the oldest dropped first', async () => {
    const running = await startCli(['--port', '0', '--seed', 'cli-history', '--max-messages-per-chat', '2']);
    try {
      const port = ['--port', String(running.port)];
      for (const text of ['one', 'two', 'three']) await run(process.execPath, [cli, 'contact', '15550100002@c.us', 'send', text, ...port]);
      const { stdout } = await run(process.execPath, [cli, 'messages', '15550100002@c.us', ...port]);
      const texts = (JSON.parse(stdout) as { messages: Array<{ text?: string }> }).messages.map((message) => message.text);
      expect(texts).toEqual(['two', 'three']);
    } finally {
      await stop(running);
    }
  });

  it('rejects bad arguments with usage and exit code 2', async () => {
    const result = await run(process.execPath, [cli, '--port', 'x']).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage:') });
  });
});
