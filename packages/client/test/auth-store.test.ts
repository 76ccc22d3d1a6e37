import { describe, expect, it } from 'vitest';
import {
  AuthStoreError,
  InvalidCredentialsError,
  LocalStorageAuthStore,
  MemoryAuthStore,
  parseCredentials,
  type Credentials,
  type StorageLike,
} from '../src/index.ts';

const key = (byte: number): string => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));
const credentials: Credentials = {
  clientId: 'AAECAwQFBgcICQoLDA0ODw==',
  clientToken: 'client-token',
  serverToken: '1@server-token',
  encKey: key(1),
  macKey: key(2),
  wid: '15550100001@c.us',
  browser: ['@wa/client', 'Chrome', '0.1'],
};

class MapStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(name: string): string | null {
    return this.map.get(name) ?? null;
  }
  setItem(name: string, value: string): void {
    this.map.set(name, value);
  }
  removeItem(name: string): void {
    this.map.delete(name);
  }
}

describe('parseCredentials', () => {
  it('keeps the known fields only', () => {
    expect(parseCredentials({ ...credentials, extra: 'dropped', browserToken: 'b' })).toEqual({ ...credentials, browserToken: 'b' });
  });

  it.each([
    ['not an object', null],
    ['an array', []],
    ['a missing token', { ...credentials, serverToken: undefined }],
    ['an empty wid', { ...credentials, wid: '' }],
    ['a key that is not Base64', { ...credentials, encKey: 'not base64!' }],
    ['a 16-byte key', { ...credentials, macKey: btoa('0123456789abcdef') }],
    ['a browser of one string', { ...credentials, browser: ['x'] }],
  ])('refuses %s', (_name, value) => {
    expect(() => parseCredentials(value)).toThrow(InvalidCredentialsError);
  });
});

describe('MemoryAuthStore', () => {
  it('saves, loads copies and clears', async () => {
    const store = new MemoryAuthStore();
    expect(await store.load()).toBeUndefined();
    await store.save(credentials);
    const loaded = (await store.load())!;
    expect(loaded).toEqual(credentials);
    loaded.browser.push('changed');
    expect((await store.load())!.browser).toEqual(credentials.browser);
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });

  it('refuses to save unusable credentials', async () => {
    await expect(new MemoryAuthStore().save({ ...credentials, encKey: '' })).rejects.toBeInstanceOf(InvalidCredentialsError);
  });
});

describe('LocalStorageAuthStore', () => {
  it('round-trips JSON under its key', async () => {
    const storage = new MapStorage();
    const store = new LocalStorageAuthStore('wa-test', storage);
    await store.save(credentials);
    expect(JSON.parse(storage.map.get('wa-test')!)).toEqual(credentials);
    expect(await store.load()).toEqual(credentials);
    await store.clear();
    expect(storage.map.has('wa-test')).toBe(false);
    expect(await store.load()).toBeUndefined();
  });

  it('reports corrupt values and refusing storage with typed errors', async () => {
    const storage = new MapStorage();
    storage.setItem('wa-test', '{not json');
    await expect(new LocalStorageAuthStore('wa-test', storage).load()).rejects.toBeInstanceOf(InvalidCredentialsError);
    const full: StorageLike = { ...storage, getItem: () => null, removeItem: () => {}, setItem: () => { throw new Error('QuotaExceededError'); } };
    await expect(new LocalStorageAuthStore('wa-test', full).save(credentials)).rejects.toBeInstanceOf(AuthStoreError);
  });

  it('uses the real localStorage where there is one', async () => {
    const local = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!local) {
      await expect(new LocalStorageAuthStore('wa-test').load()).rejects.toBeInstanceOf(AuthStoreError);
      return;
    }
    const store = new LocalStorageAuthStore('wa-test-real');
    await store.save(credentials);
    expect(JSON.parse(local.getItem('wa-test-real')!)).toEqual(credentials);
    await store.clear();
    expect(local.getItem('wa-test-real')).toBeNull();
  });
});
