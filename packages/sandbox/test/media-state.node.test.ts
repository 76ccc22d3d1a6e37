import { decryptMedia, sha256 } from '@wa/crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateFile } from '../src/node/state-file.ts';
import { Sandbox } from '../src/sandbox.ts';
import type { SandboxState } from '../src/state.ts';
import { messagesOf } from './support/mini-client.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { wsClient } from './support/ws-link.ts';

const alice = '15550100002@c.us';
const start = trackedSandboxes();

let dir: string;
let statePath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wa-sandbox-media-'));
  statePath = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Holds a TCP port so the next sandbox cannot get it. */
async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

describe('media in the --state file', () => {
  it('a restart on another port serves the blob at the new url, and the history points there', async () => {
    const first = await start({ statePath });
    const client = await wsClient(first.url);
    await client.init();
    first.phone.scan(client.qr());
    await client.completeQrLogin();
    const original = Uint8Array.from({ length: 12_000 }, (_, i) => (i * 29 + 1) & 0xff);
    first.contact(alice).sendImage(original, { caption: 'kept on disk' });
    const image = messagesOf((await client.waitForNode((n) => n[1]?.add === 'relay')).node)[0]!.message!.imageMessage!;
    const blob = new Uint8Array(await (await fetch(image.url!)).arrayBuffer());
    const credentials = client.credentials();
    client.close();
    const oldPort = first.port;
    await first.close();

    const saved = JSON.parse(readFileSync(statePath, 'utf8')) as SandboxState;
    expect(saved.version).toBe(1);
    expect(saved.media).toEqual([{ id: /\/d\/f\/([0-9a-f]+)\.enc$/.exec(image.directPath!)![1], blob: expect.any(String) }]);

    const blocker = await occupy(oldPort);
    try {
      const second = await start({ statePath });
      expect(second.port).not.toBe(oldPort);
      const newUrl = `http://127.0.0.1:${second.port}${image.directPath}`;
      const download = await fetch(newUrl);
      expect(download.status).toBe(200);
      const again = new Uint8Array(await download.arrayBuffer());
      expect(again).toEqual(blob);
      expect(sha256(again)).toEqual(image.fileEncSha256);
      expect(decryptMedia(again, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! })).toEqual(original);

      const restored = await wsClient(second.url);
      expect((await restored.restore(credentials)).status).toBe(200);
      const recent = await restored.waitForNode((n) => n[1]?.add === 'last');
      const replayed = messagesOf(recent.node).find((info) => info.message?.imageMessage)!.message!.imageMessage!;
      expect(replayed.url).toBe(newUrl);
      restored.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('an old state file without media still loads, and is rewritten with media', async () => {
    const old = new Sandbox({ seed: 'old-file' });
    const state = old.exportState();
    old.close();
    delete state.media;
    writeFileSync(statePath, JSON.stringify(state));
    expect(readStateFile(statePath)).toEqual(state);

    const running = await start({ statePath });
    expect(running.world.accounts.map((account) => account.wid)).toEqual(state.world.accounts.map((account) => account.wid));
    expect(running.sandbox.media.usage.blobs).toBe(0);
    running.contact(alice).sendImage(new Uint8Array(100).fill(7));
    await running.close();
    const saved = readStateFile(statePath)!;
    expect(saved.media).toHaveLength(1);
    expect(saved.sessions).toEqual(state.sessions);
  });

  it('refuses a state file whose media is not a list', () => {
    const sandbox = new Sandbox();
    writeFileSync(statePath, JSON.stringify({ ...sandbox.exportState(), media: 'nope' }));
    sandbox.close();
    expect(() => readStateFile(statePath)).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });
});
