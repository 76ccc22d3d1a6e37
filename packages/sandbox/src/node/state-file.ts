import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SandboxError } from '../errors.js';
import { isSandboxState, type SandboxState } from '../state.js';

/**
 * Reads a persisted sandbox state; `undefined` when the file does not exist yet.
 * @throws SandboxError `STATE_INVALID` when the file is not a sandbox state
 * @example
 * ```ts
 * const state = readStateFile('./sandbox-state.json');
 * ```
 */
export function readStateFile(path: string): SandboxState | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new SandboxError('STATE_INVALID', `${path} is not JSON`, { cause });
  }
  if (!isSandboxState(parsed)) throw new SandboxError('STATE_INVALID', `${path} is not a sandbox state (version 1)`);
  return parsed;
}

/**
 * Writes the state atomically and privately: into a temporary file with a random name in the
 * target's directory, created exclusively (`wx`, so nothing planted there, not even a symlink,
 * is ever opened) with mode 0600, synced, then renamed over the target. A symlink at the target
 * path is refused rather than replaced or followed; missing directories are created with mode
 * 0700. A crash never leaves half a file.
 * @throws SandboxError `STATE_WRITE_FAILED` for a symlink at the path or a file that cannot be written
 * @example
 * ```ts
 * writeStateFile('./sandbox-state.json', sandbox.exportState());
 * ```
 */
export function writeStateFile(path: string, state: SandboxState): void {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  if (isSymlink(path)) throw new SandboxError('STATE_WRITE_FAILED', `${path} is a symbolic link; refusing to write the state through it`);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  let descriptor: number;
  try {
    descriptor = openSync(temporary, 'wx', 0o600);
  } catch (cause) {
    throw new SandboxError('STATE_WRITE_FAILED', `cannot create ${temporary}: ${(cause as Error).message}`, { cause });
  }
  try {
    writeFileSync(descriptor, JSON.stringify(state, null, 1));
    fsyncSync(descriptor);
  } catch (cause) {
    closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw new SandboxError('STATE_WRITE_FAILED', `cannot write ${temporary}: ${(cause as Error).message}`, { cause });
  }
  closeSync(descriptor);
  renameSync(temporary, path);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
