import { decryptMedia, encryptMedia, sha256 } from '@wa/crypto';
import type { WebMessageInfo } from '@wa/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { mediaToken } from '../src/media.ts';
import { Sandbox, type SandboxOptions } from '../src/sandbox.ts';
import type { SandboxState } from '../src/state.ts';
import { loggedInClient, memoryClient } from './support/memory.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';

const alice = '15550100002@c.us';
const bob = '15550100003@c.us';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) sandbox.close();
});

function make(options: SandboxOptions = {}): Sandbox {
  const sandbox = new Sandbox({ clock: new ManualClock(1_700_000_000_000), ...options });
  sandboxes.push(sandbox);
  return sandbox;
}

function file(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * seed + 5) & 0xff);
}

/** What a state file or localStorage gives back: JSON, not the live object. */
function roundTrip(state: SandboxState): SandboxState {
  return JSON.parse(JSON.stringify(state)) as SandboxState;
}

/** The blob id of `/d/f/<id>.enc`. */
function idOf(directPath: string | null | undefined): string {
  const id = /^\/d\/f\/([0-9a-f]{32})\.enc$/.exec(directPath ?? '')?.[1];
  if (id === undefined) throw new Error(`not a sandbox direct path: ${String(directPath)}`);
  return id;
}

/** A contact sends an image; the relayed message, as the web client received it. */
async function receiveImage(sandbox: Sandbox, client: MiniClient, from: string, bytes: Uint8Array): Promise<WebMessageInfo> {
  sandbox.contact(from).sendImage(bytes, { caption: `from ${from}` });
  const { node } = await client.waitForNode((n) => n[1]?.add === 'relay' && messagesOf(n)[0]?.message?.imageMessage?.caption === `from ${from}`);
  return messagesOf(node)[0]!;
}

/** Restores a session on `sandbox` and returns the recent-messages push. */
async function restoredHistory(sandbox: Sandbox, credentials: ReturnType<MiniClient['credentials']>): Promise<WebMessageInfo[]> {
  const client = memoryClient(sandbox);
  expect((await client.restore(credentials)).status).toBe(200);
  const { node } = await client.waitForNode((n) => n[1]?.add === 'last');
  return messagesOf(node);
}

describe('media in the persisted state', () => {
  it("a contact's image survives exportState → new Sandbox({ state }) and downloads byte-identical", async () => {
    const first = make({ seed: 'media-state' });
    const client = await loggedInClient(first);
    const original = file(7000, 31);
    const image = (await receiveImage(first, client, alice, original)).message!.imageMessage!;
    const blob = first.media.download(image.url!)!;
    const credentials = client.credentials();
    const state = roundTrip(first.exportState());
    first.close();

    expect(state.media).toEqual([{ id: idOf(image.directPath), blob: expect.any(String) }]);
    const second = make({ state });
    expect(second.media.usage).toEqual({ blobs: 1, bytes: blob.length });
    // Same id, same bytes, under the direct path and the URL of the first run.
    const again = second.media.download(image.directPath!)!;
    expect(again).toEqual(blob);
    expect(second.media.download(image.url!)).toEqual(blob);
    expect(sha256(again)).toEqual(image.fileEncSha256);
    expect(decryptMedia(again, image.mediaKey!, 'image', { fileSha256: image.fileSha256!, fileEncSha256: image.fileEncSha256! })).toEqual(original);

    // The history replayed after the restart still names the blob.
    const history = await restoredHistory(second, credentials);
    const replayed = history.find((info) => info.message?.imageMessage)!.message!.imageMessage!;
    expect(replayed.directPath).toBe(image.directPath);
    expect(second.media.download(replayed.url!)).toEqual(blob);
  });

  it('keeps an uploaded blob under its id too', async () => {
    const first = make();
    const client = await loggedInClient(first);
    const media = encryptMedia(file(3000, 17), 'document');
    const { auth } = (await client.mediaConn()).media_conn;
    const answer = first.media.upload({ path: `/mms/document/${mediaToken(media.fileEncSha256)}`, auth, body: media.blob });
    if (answer.status !== 200) throw new Error(`upload refused: ${answer.body.message}`);
    const second = make({ state: roundTrip(first.exportState()) });
    expect(second.media.download(answer.body.direct_path)).toEqual(media.blob);
  });

  it('the persist bound keeps the newest blobs and drops the oldest', async () => {
    // Each 1000-byte file encrypts to 1008 + 10 = 1018 bytes: two fit in 2500, three do not.
    const first = make({ media: { persistMaxBytes: 2500 } });
    const client = await loggedInClient(first);
    const files = [file(1000, 3), file(1000, 5), file(1000, 7)];
    const images = [];
    for (const [index, bytes] of files.entries()) images.push((await receiveImage(first, client, index === 1 ? bob : alice, bytes)).message!.imageMessage!);
    expect(first.media.usage).toEqual({ blobs: 3, bytes: 3 * 1018 });

    const state = roundTrip(first.exportState());
    expect(state.media!.map((entry) => entry.id)).toEqual([idOf(images[1]!.directPath), idOf(images[2]!.directPath)]);
    const second = make({ state });
    expect(second.media.download(images[0]!.directPath!)).toBeUndefined();
    for (const image of images.slice(1)) {
      expect(sha256(second.media.download(image.directPath!)!)).toEqual(image.fileEncSha256);
    }
    expect(second.media.usage).toEqual({ blobs: 2, bytes: 2 * 1018 });

    // A bound of 0 persists no media at all; exportBlobs takes another bound on request.
    expect(make({ state, media: { persistMaxBytes: 0 } }).exportState().media).toEqual([]);
    expect(second.media.exportBlobs(1018).map((entry) => entry.id)).toEqual([idOf(images[2]!.directPath)]);
    expect(() => make({ media: { persistMaxBytes: -1 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('a state without media (written before media were persisted) still loads', async () => {
    const first = make();
    const client = await loggedInClient(first);
    await client.sendText(alice, 'before media were persisted');
    await receiveImage(first, client, alice, file(500, 9));
    const credentials = client.credentials();
    const state = roundTrip(first.exportState());
    delete state.media;
    expect(Object.keys(state).sort()).toEqual(['sessions', 'version', 'world']);

    const second = make({ state });
    expect(second.media.usage).toEqual({ blobs: 0, bytes: 0 });
    const history = await restoredHistory(second, credentials);
    expect(history.map((info) => info.message?.conversation)).toContain('before media were persisted');
    // The image message is still listed; its blob is simply gone (404 over HTTP).
    const image = history.find((info) => info.message?.imageMessage)!.message!.imageMessage!;
    expect(second.media.download(image.directPath!)).toBeUndefined();
  });

  it('refuses broken media entries with STATE_INVALID', () => {
    const state = roundTrip(make().exportState());
    const broken = (media: unknown): SandboxState => ({ ...state, media }) as unknown as SandboxState;
    expect(() => make({ state: broken({}) })).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    expect(() => make({ state: broken([{ id: '../etc', blob: 'AAAA' }]) })).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    expect(() => make({ state: broken([{ id: 'ab'.repeat(16), blob: 'not base64!' }]) })).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });

  it('re-bases replayed media URLs onto the current media host', async () => {
    const first = make();
    first.media.setHost({ hostname: '127.0.0.1:1111', scheme: 'http' });
    const client = await loggedInClient(first);
    const image = (await receiveImage(first, client, alice, file(2000, 11))).message!.imageMessage!;
    expect(image.url).toBe(`http://127.0.0.1:1111${image.directPath}`);
    const credentials = client.credentials();

    const second = make({ state: roundTrip(first.exportState()) });
    second.media.setHost({ hostname: '127.0.0.1:2222', scheme: 'http' });
    expect(second.media.urlOf(image.url!)).toBe(`http://127.0.0.1:2222${image.directPath}`);
    expect(second.media.urlOf('/d/f/0123456789abcdef0123456789abcdef.enc')).toBeUndefined();
    const history = await restoredHistory(second, credentials);
    const replayed = history.find((info) => info.message?.imageMessage)!.message!.imageMessage!;
    expect(replayed.url).toBe(`http://127.0.0.1:2222${image.directPath}`);
    expect({ ...replayed, url: image.url }).toEqual(image);
  });
});
