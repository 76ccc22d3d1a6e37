/**
 * Where a client keeps its {@link Credentials} between runs. Node's file store lives in
 * `@wa/client/node` so that browser bundles never see `fs`.
 * @module
 */
import { parseCredentials, parseCredentialsJson, type Credentials } from './credentials.js';
import { AuthStoreError } from './errors.js';

/**
 * Storage for the session credentials. The client calls `load` once per `connect()`, `save`
 * after every `Conn` that brings new tokens, and `clear` when the credentials became useless
 * (logout, unpaired, expired).
 * @example
 * ```ts
 * const store: AuthStore = {
 *   load: async () => db.get('wa'),
 *   save: async (credentials) => db.put('wa', credentials),
 *   clear: async () => db.delete('wa'),
 * };
 * new WAClient({ auth: store });
 * ```
 */
export interface AuthStore {
  load(): Promise<Credentials | undefined>;
  save(credentials: Credentials): Promise<void>;
  clear(): Promise<void>;
}

/**
 * Keeps credentials in memory (the default): a session survives `close()`/`connect()` in the
 * same process, not a restart.
 * @example
 * ```ts
 * const auth = new MemoryAuthStore();
 * await new WAClient({ auth }).connect();        // QR
 * await new WAClient({ auth }).connect();        // restored
 * ```
 */
export class MemoryAuthStore implements AuthStore {
  #credentials: Credentials | undefined;

  /** @param initial - credentials to start with (checked). */
  constructor(initial?: Credentials) {
    this.#credentials = initial === undefined ? undefined : parseCredentials(initial);
  }

  /**
   * A copy of the stored credentials, or `undefined`.
   * @example
   * ```ts
   * const credentials = await auth.load();
   * ```
   */
  async load(): Promise<Credentials | undefined> {
    return this.#credentials === undefined ? undefined : structuredClone(this.#credentials);
  }

  /**
   * Stores a checked copy.
   * @example
   * ```ts
   * await auth.save(credentials);
   * ```
   */
  async save(credentials: Credentials): Promise<void> {
    this.#credentials = parseCredentials(credentials);
  }

  /**
   * Forgets the credentials.
   * @example
   * ```ts
   * await auth.clear();
   * ```
   */
  async clear(): Promise<void> {
    this.#credentials = undefined;
  }
}

/** The part of the Web Storage API {@link LocalStorageAuthStore} uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Keeps credentials as JSON in `localStorage` (browsers). Anything that can run script on the
 * page can read them, as with any web session.
 * @example
 * ```ts
 * const client = new WAClient({ auth: new LocalStorageAuthStore('my-app-wa'), url, WebSocket });
 * ```
 */
export class LocalStorageAuthStore implements AuthStore {
  readonly key: string;
  readonly #storage: StorageLike | undefined;

  /**
   * @param key - the storage key. Default `'wa-client-credentials'`.
   * @param storage - default `globalThis.localStorage`; pass `sessionStorage` or a test double.
   */
  constructor(key = 'wa-client-credentials', storage?: StorageLike) {
    this.key = key;
    this.#storage = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  }

  /**
   * The stored credentials, or `undefined` when there are none.
   * @throws InvalidCredentialsError when the stored value is not usable; AuthStoreError when
   * there is no storage.
   * @example
   * ```ts
   * const credentials = await new LocalStorageAuthStore().load();
   * ```
   */
  async load(): Promise<Credentials | undefined> {
    const text = this.#requireStorage().getItem(this.key);
    if (text === null) return undefined;
    return parseCredentialsJson(text, `localStorage[${JSON.stringify(this.key)}]`);
  }

  /**
   * Writes the credentials as JSON.
   * @throws AuthStoreError when the storage refuses (quota, private mode).
   * @example
   * ```ts
   * await store.save(credentials);
   * ```
   */
  async save(credentials: Credentials): Promise<void> {
    const text = JSON.stringify(parseCredentials(credentials));
    try {
      this.#requireStorage().setItem(this.key, text);
    } catch (cause) {
      if (cause instanceof AuthStoreError) throw cause;
      throw new AuthStoreError('localStorage refused the credentials', { cause });
    }
  }

  /**
   * Removes the stored credentials.
   * @example
   * ```ts
   * await store.clear();
   * ```
   */
  async clear(): Promise<void> {
    this.#requireStorage().removeItem(this.key);
  }

  #requireStorage(): StorageLike {
    if (!this.#storage) throw new AuthStoreError('no localStorage here; pass a storage to LocalStorageAuthStore');
    return this.#storage;
  }
}
