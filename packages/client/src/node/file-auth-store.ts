import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuthStore } from '../auth-store.js';
import { parseCredentials, parseCredentialsJson, type Credentials } from '../credentials.js';
import { AuthStoreError } from '../errors.js';

/**
 * Keeps credentials in a JSON file (Node). The file is written to a temporary name first and
 * renamed, so a crash mid-write never leaves half a session behind, and it is created readable
 * by its owner only (mode 0600): it holds the session keys.
 * @example
 * ```ts
 * import { WAClient } from '@wa/client';
 * import { FileAuthStore } from '@wa/client/node';
 * const client = new WAClient({ auth: new FileAuthStore('./wa-session.json') });
 * ```
 */
export class FileAuthStore implements AuthStore {
  readonly path: string;

  /** @param path - the JSON file; its directory is created when needed. */
  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0) throw new AuthStoreError('FileAuthStore needs a file path');
    this.path = path;
  }

  /**
   * The stored credentials, or `undefined` when the file does not exist.
   * @throws InvalidCredentialsError for a file that is not usable JSON; AuthStoreError when it cannot be read.
   * @example
   * ```ts
   * const credentials = await new FileAuthStore('./wa-session.json').load();
   * ```
   */
  async load(): Promise<Credentials | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AuthStoreError(`cannot read ${this.path}`, { cause });
    }
    return parseCredentialsJson(text, this.path);
  }

  /**
   * Writes the credentials (atomically, mode 0600).
   * @example
   * ```ts
   * await store.save(credentials);
   * ```
   */
  async save(credentials: Credentials): Promise<void> {
    const text = `${JSON.stringify(parseCredentials(credentials), null, 2)}\n`;
    const temporary = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.path);
    } catch (cause) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new AuthStoreError(`cannot write ${this.path}`, { cause });
    }
  }

  /**
   * Deletes the file (no error when it is already gone).
   * @example
   * ```ts
   * await store.clear();
   * ```
   */
  async clear(): Promise<void> {
    try {
      await rm(this.path, { force: true });
    } catch (cause) {
      throw new AuthStoreError(`cannot delete ${this.path}`, { cause });
    }
  }
}
