import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthStoreError, InvalidCredentialsError, type Credentials } from '../src/index.ts';
import { FileAuthStore } from '../src/node.ts';

const credentials: Credentials = {
  clientId: 'AAECAwQFBgcICQoLDA0ODw==',
  clientToken: 'client-token',
  serverToken: '1@server-token',
  encKey: Buffer.alloc(32, 1).toString('base64'),
  macKey: Buffer.alloc(32, 2).toString('base64'),
  wid: '15550100001@c.us',
  browser: ['@wa/client', 'Chrome', '0.1'],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wa-client-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('FileAuthStore', () => {
  it('writes owner-only JSON (creating the directory), reads it back and deletes it', async () => {
    const path = join(dir, 'nested', 'session.json');
    const store = new FileAuthStore(path);
    expect(await store.load()).toBeUndefined();
    await store.save(credentials);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(credentials);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await store.load()).toEqual(credentials);
    await store.clear();
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });

  it('creates missing directories 0700 and leaves no temporary file behind', async () => {
    const path = join(dir, 'private', 'session.json');
    const store = new FileAuthStore(path);
    await store.save(credentials);
    await store.save({ ...credentials, clientToken: 'rotated' });
    expect((await stat(join(dir, 'private'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, 'private'))).toEqual(['session.json']);
    expect(await store.load()).toMatchObject({ clientToken: 'rotated' });
  });

  it('refuses to write through a symlink at the file path (AuthStoreError), leaving its target alone', async () => {
    await writeFile(join(dir, 'victim'), 'keep me', { mode: 0o644 });
    const path = join(dir, 'session.json');
    await symlink(join(dir, 'victim'), path);
    await expect(new FileAuthStore(path).save(credentials)).rejects.toBeInstanceOf(AuthStoreError);
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('keep me');
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
  });

  it('reports a corrupt file and an unreadable path with typed errors', async () => {
    const path = join(dir, 'session.json');
    await writeFile(path, '{"clientId":');
    await expect(new FileAuthStore(path).load()).rejects.toBeInstanceOf(InvalidCredentialsError);
    await writeFile(path, JSON.stringify({ ...credentials, macKey: 'short' }));
    await expect(new FileAuthStore(path).load()).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(new FileAuthStore(dir).load()).rejects.toBeInstanceOf(AuthStoreError);
    expect(() => new FileAuthStore('')).toThrow(AuthStoreError);
  });
});
