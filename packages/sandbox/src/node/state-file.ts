import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
 * Writes the state atomically (temporary file, then rename), so a crash never leaves half a file;
 * missing parent directories are created.
 * @example
 * ```ts
 * writeStateFile('./sandbox-state.json', sandbox.exportState());
 * ```
 */
export function writeStateFile(path: string, state: SandboxState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 1), { mode: 0o600 });
  renameSync(temporary, path);
}
