/**
 * Baileys 2.3.1's profile calls (lib/WAClient/Base.js: `setStatus`, `updateProfilePicture`)
 * against the sandbox. It has no push-name or block API and no handlers for the profile pushes.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpV2, login, ME, ME_WA, newV2Client, startWorld, within } from './baileys2-harness.ts';

afterEach(cleanUpV2);

/** The jimp Baileys 2.3.1 itself scales pictures with, found from it. */
const requireFromBaileys2 = createRequire(createRequire(import.meta.url).resolve('baileys2'));
const Jimp = requireFromBaileys2('jimp') as {
  new (width: number, height: number, color: number): { getBufferAsync(mime: string): Promise<Buffer> };
  MIME_JPEG: string;
};

async function session() {
  const world = await startWorld();
  const v2 = newV2Client(world);
  await login(v2);
  return { world, client: v2.client };
}

describe('profile (Baileys 2.3.1)', () => {
  it('setStatus changes the about text that getStatus answers', async () => {
    const { world, client } = await session();
    expect(await within(client.setStatus('Two lines of Baileys'), 5_000, 'setStatus')).toEqual({ status: 200 });
    expect(await within(client.getStatus(), 5_000, 'getStatus')).toEqual(expect.objectContaining({ status: 'Two lines of Baileys' }));
    expect(world.running.world.user(ME)!.status).toBe('Two lines of Baileys');
  });

  it('updateProfilePicture answers the eurl that getProfilePicture answers later, where the JPEG is served', async () => {
    const { world, client } = await session();
    const picture = await new Jimp(20, 30, 0x884400ff).getBufferAsync(Jimp.MIME_JPEG);
    const response = (await within(client.updateProfilePicture(ME_WA, picture), 5_000, 'updateProfilePicture')) as { status: number; eurl: string; tag: string };
    expect(response).toEqual({ status: 200, eurl: expect.stringMatching(/\/pp\/[0-9a-f]{32}\.jpg$/), tag: expect.stringMatching(/^\d+$/) });
    expect(await within(client.getProfilePicture(ME_WA), 5_000, 'getProfilePicture')).toBe(response.eurl);
    const served = Buffer.from(await (await fetch(response.eurl)).arrayBuffer());
    expect(served.toString('base64')).toBe(world.running.world.user(ME)!.picture!.image);
  });
});
