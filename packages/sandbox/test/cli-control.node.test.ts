import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../src/node/start-sandbox.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { wsClient } from './support/ws-link.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(packageDir, 'dist', 'cli.js');
const start = trackedSandboxes();
const ALICE = '15550100002@c.us';
const GROUP = '15550100001-1600000000@g.us';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to its end. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, WA_SANDBOX_TOKEN: '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs a control subcommand against `sandbox` and parses its JSON. */
async function json(sandbox: RunningSandbox, args: string[]): Promise<Record<string, unknown>> {
  const result = await run([...args, '--port', String(sandbox.port)]);
  expect(result, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function loggedIn(sandbox: RunningSandbox): Promise<MiniClient> {
  const client = await wsClient(sandbox.url);
  await client.init();
  const scanned = await run(['scan', client.qr(), '--port', String(sandbox.port)]);
  expect(scanned.stdout).toContain('is logged in');
  await client.completeQrLogin();
  await client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'last');
  return client;
}

let dir: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the package first (pnpm build)`);
  dir = mkdtempSync(join(tmpdir(), 'wa-sandbox-cli-control-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wa-sandbox control subcommands', () => {
  it('list accounts, contacts, groups, sessions, chats, messages, one contact, faults, and export the state', async () => {
    const sandbox = await start({ latency: 0, seed: 'cli-lists' });
    expect((await json(sandbox, ['accounts'])).accounts).toEqual([expect.objectContaining({ wid: '15550100001@c.us' })]);
    expect(((await json(sandbox, ['contacts'])).contacts as unknown[]).length).toBe(6);
    expect((await json(sandbox, ['groups'])).groups).toEqual([expect.objectContaining({ id: GROUP })]);
    expect(await json(sandbox, ['sessions'])).toEqual({ sessions: [] });
    expect((await json(sandbox, ['chats', '--wid', '15550100001@c.us'])).account).toBe('15550100001@c.us');
    expect(((await json(sandbox, ['messages', ALICE, '--limit', '1'])).messages as unknown[]).length).toBe(1);
    expect(await json(sandbox, ['contact', ALICE])).toMatchObject({ jid: ALICE, name: 'Alice' });
    expect(await json(sandbox, ['faults'])).toMatchObject({ frameDelayMs: 0 });
    const exported = await run(['export', '--port', String(sandbox.port)]);
    expect(JSON.parse(exported.stdout)).toEqual(JSON.parse(JSON.stringify(sandbox.exportState())));
  });

  it('a contact sends text, a file and a location, reads, types and goes online; the phone goes offline; faults switch', async () => {
    const sandbox = await start({ latency: 0 });
    const client = await loggedIn(sandbox);
    const relay = async (): Promise<ReturnType<typeof messagesOf>[number]> => messagesOf((await client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'relay')).node)[0]!;

    await json(sandbox, ['contact', ALICE, 'send', 'hello from the CLI']);
    expect((await relay()).message?.conversation).toBe('hello from the CLI');
    await json(sandbox, ['contact', '15550100003@c.us', 'send', 'hi group', '--group', GROUP]);
    expect(await relay()).toMatchObject({ key: { remoteJid: GROUP }, message: { conversation: 'hi group' } });
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'some notes');
    expect((await json(sandbox, ['contact', ALICE, 'send', '--document', file])).message).toMatchObject({ kind: 'document', fileName: 'notes.txt' });
    const document = (await relay()).message?.documentMessage;
    expect(document).toMatchObject({ fileName: 'notes.txt' });
    expect(Number(document?.fileLength)).toBe(10);
    await json(sandbox, ['contact', ALICE, 'send', '--image', file, '--caption', 'a picture']);
    expect((await relay()).message?.imageMessage).toMatchObject({ caption: 'a picture' });
    await json(sandbox, ['contact', ALICE, 'send', '--location', '-33.86,151.21', '--name', 'Sydney']);
    expect((await relay()).message?.locationMessage).toMatchObject({ degreesLatitude: -33.86, degreesLongitude: 151.21, name: 'Sydney' });

    await json(sandbox, ['contact', ALICE, 'typing']);
    expect(await client.waitForJson('Presence', (body) => (body as { type: string }).type === 'composing')).toEqual(['Presence', expect.objectContaining({ id: ALICE })]);
    await client.request(['action', 'presence', 'subscribe', ALICE]);
    await json(sandbox, ['contact', ALICE, 'online']);
    expect(await client.waitForJson('Presence', (body) => (body as { type: string }).type === 'available')).toBeTruthy();
    await json(sandbox, ['contact', ALICE, 'status', 'Busy']);
    expect(sandbox.world.requireUser(ALICE).status).toBe('Busy');
    expect((await json(sandbox, ['contact', ALICE, 'configure', '--read-after', 'never', '--echo', 'off'])).behaviour).toMatchObject({ readAfterMs: null, echo: false });

    const { id } = await client.sendText(ALICE, 'read me');
    await client.waitForJson('Msg', (body) => (body as { id: string; ack: number }).id === id && (body as { ack: number }).ack === 2);
    await json(sandbox, ['contact', ALICE, 'read']);
    expect(await client.waitForJson('Msg', (body) => (body as { id: string; ack: number }).id === id && (body as { ack: number }).ack === 3)).toBeTruthy();

    await json(sandbox, ['phone', 'offline']);
    expect(await client.waitForJson('Pong')).toEqual(['Pong', false]);
    await json(sandbox, ['phone', 'online']);
    expect(await client.waitForJson('Pong')).toEqual(['Pong', true]);

    expect(await json(sandbox, ['fault', 'delay', '20'])).toMatchObject({ frameDelayMs: 20 });
    expect(await json(sandbox, ['fault', 'refuse-refs'])).toMatchObject({ refusingRefs: true });
    expect(await json(sandbox, ['fault', 'force-challenge', 'on'])).toMatchObject({ challengeForced: true });
    expect(await json(sandbox, ['fault', 'login-status', '403', '--tos', '3'])).toMatchObject({ loginStatus: { status: 403, tos: 3 } });
    expect(await json(sandbox, ['fault', 'login-status', 'off'])).toMatchObject({ loginStatus: null });
    await json(sandbox, ['fault', 'corrupt-hmac', '1']);
    expect(sandbox.faults.takeHmacCorruption()).toBe(true);
    expect(await json(sandbox, ['fault', 'expire-refs'])).toEqual({ expired: 0 });
    expect(await json(sandbox, ['fault', 'reset'])).toMatchObject({ frameDelayMs: 0, refusingRefs: false, challengeForced: false });
    expect(await json(sandbox, ['fault', 'drop'])).toEqual({ dropped: 1 });
    expect((await client.waitForClose()).code).toBe(1006);
    expect(await json(sandbox, ['phone', 'unpair'])).toEqual({ account: '15550100001@c.us', unpaired: 1 });
  });

  it('sends the control token (--control-token or WA_SANDBOX_TOKEN) and explains a 401', async () => {
    const sandbox = await start({ latency: 0, controlToken: 'cli-secret' });
    const port = String(sandbox.port);
    const refused = await run(['accounts', '--port', port]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('UNAUTHORIZED');
    expect(refused.stderr).toContain('--control-token');
    expect((await run(['accounts', '--port', port, '--control-token', 'cli-secret'])).code).toBe(0);
    expect((await run(['contact', ALICE, 'send', 'hi', '--port', port], { WA_SANDBOX_TOKEN: 'cli-secret' })).code).toBe(0);
    expect((await run(['status', '--port', port], { WA_SANDBOX_TOKEN: 'cli-secret' })).code).toBe(0);
  });

  it('says which sandbox is missing (exit 1), refuses errors (exit 1) and bad usage (exit 2)', async () => {
    const free = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    for (const args of [['contact', ALICE, 'send', 'hi'], ['scan', 'a,b,c'], ['status'], ['export']]) {
      const missing = await run([...args, '--port', String(free)]);
      expect(missing.code, args.join(' ')).toBe(1);
      expect(missing.stderr).toContain(`no sandbox listening on http://127.0.0.1:${free} (start one with \`wa-sandbox --port ${free}\`)`);
      expect(missing.stderr).not.toContain('fetch failed');
    }
    const sandbox = await start({ latency: 0 });
    const unknown = await run(['contact', '15559999999@c.us', 'send', 'hi', '--port', String(sandbox.port)]);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_FOUND') });
    for (const args of [['contact'], ['contact', ALICE, 'dance'], ['contact', ALICE, 'send'], ['contact', ALICE, 'send', 'a', '--location', '1,2'], ['contact', ALICE, 'read', '--limit', '3'], ['fault', 'delay'], ['fault', 'boom'], ['phone', 'sideways'], ['messages'], ['accounts', 'extra'], ['--to', 'x']]) {
      const result = await run([...args, '--port', String(sandbox.port)]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage:');
    }
    const unreadable = await run(['contact', ALICE, 'send', '--image', join(dir, 'missing.jpg'), '--port', String(sandbox.port)]);
    expect(unreadable).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot read') });
  });

  it('serve refuses a non-loopback --host without a token (exit 1) and names the flags', async () => {
    const result = await run(['--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CONTROL_UNPROTECTED');
    expect(result.stderr).toContain('--no-control-auth');
  });
});
