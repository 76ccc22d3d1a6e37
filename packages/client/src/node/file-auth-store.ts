import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuthStore } from '../auth-store.js';
import { parseCredentials, parseCredentialsJson, type Credentials } from '../credentials.js';
import { AuthStoreError } from '../errors.js';

/**
 * Keeps credentials in a JSON file (Node). It holds the session keys, so it is written privately:
 * into a temporary file with a random name in the same directory, created exclusively (`wx`:
 * nothing planted there, not even a symlink, is ever opened) with mode 0600, synced, then
 * renamed over the file, so a crash mid-write never leaves half a session behind. Missing
 * directories are created with mode 0700; a symlink at the file's path is refused, never
 * followed.
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
   * Writes the credentials (atomically, mode 0600, never through a symlink).
   * @throws AuthStoreError when the file cannot be written, or its path is a symlink
   * @example
   * ```ts
   * await store.save(credentials);
   * ```
   */
  async save(credentials: Credentials): Promise<void> {
    const text = `${JSON.stringify(parseCredentials(credentials), null, 2)}\n`;
    const directory = dirname(this.path);
    const temporary = join(directory, `.${basename(this.path)}.${randomBytes(8).toString('hex')}.tmp`);
    let created = false;
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      if (await isSymlink(this.path)) throw new Error('the path is a symbolic link; refusing to write credentials through it');
      const file = await open(temporary, 'wx', 0o600);
      created = true;
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (cause) {
      if (created) await rm(temporary, { force: true }).catch(() => undefined);
      throw new AuthStoreError(`cannot write ${this.path}: ${(cause as Error).message}`, { cause });
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

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
