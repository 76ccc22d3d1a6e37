import { fromBase64, toBase64 } from '@wa/crypto';
import type { SessionRecord } from './context.js';
import { SandboxError } from './errors.js';
import type { PersistedMedia } from './media.js';
import type { WorldData } from './world/types.js';

/**
 * A persisted web session: everything a restore needs on the server side, i.e. the session
 * record without its live socket, with the keys in Base64.
 */
export type PersistedSession = Omit<SessionRecord, 'connection' | 'encKey' | 'macKey'> & {
  encKey: string;
  macKey: string;
};

/**
 * Everything a sandbox persists: the world (with chat history), the paired sessions and the
 * newest media blobs. `media` is optional, so a state written before it existed (same `version`)
 * still loads, just without media.
 */
export interface SandboxState {
  version: 1;
  world: WorldData;
  sessions: PersistedSession[];
  /**
   * The newest media blobs, oldest first, up to `media.persistMaxBytes` in total (8 MiB by
   * default); older blobs are left out and cannot be downloaded after a restart.
   */
  media?: PersistedMedia[];
}

/**
 * Whether a value (parsed JSON, or a state handed to the constructor) has the outline of a
 * {@link SandboxState}; the world and each session are checked when they are loaded.
 * @example
 * ```ts
 * if (!isSandboxState(JSON.parse(text))) throw new Error('not a sandbox state');
 * ```
 */
export function isSandboxState(value: unknown): value is SandboxState {
  const state = value as Partial<SandboxState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    state.version === 1 &&
    typeof state.world === 'object' &&
    state.world !== null &&
    Array.isArray(state.sessions) &&
    (state.media === undefined || Array.isArray(state.media))
  );
}

/**
 * A session as persisted.
 * @example
 * ```ts
 * const saved = persistSession(session);
 * ```
 */
export function persistSession(session: SessionRecord): PersistedSession {
  return {
    clientId: session.clientId,
    wid: session.wid,
    browser: [...session.browser],
    clientToken: session.clientToken,
    serverToken: session.serverToken,
    browserToken: session.browserToken,
    tokensIssuedAt: session.tokensIssuedAt,
    retiredTokens: [...session.retiredTokens],
    encKey: toBase64(session.encKey),
    macKey: toBase64(session.macKey),
  };
}

/**
 * Checks a persisted state (as parsed from JSON) and returns its sessions as live records.
 * @throws SandboxError `STATE_INVALID`
 * @example
 * ```ts
 * const sessions = restoreSessions(JSON.parse(text));
 * ```
 */
export function restoreSessions(state: SandboxState): SessionRecord[] {
  if (!isSandboxState(state)) {
    throw new SandboxError('STATE_INVALID', 'sandbox state must be { version: 1, world, sessions[], media?[] }');
  }
  return state.sessions.map((saved, index) => {
    const strings = [saved.clientId, saved.wid, saved.clientToken, saved.serverToken, saved.browserToken, saved.encKey, saved.macKey];
    if (strings.some((value) => typeof value !== 'string') || typeof saved.tokensIssuedAt !== 'number') {
      throw new SandboxError('STATE_INVALID', `session ${index} of the sandbox state is incomplete`);
    }
    let encKey: Uint8Array;
    let macKey: Uint8Array;
    try {
      encKey = fromBase64(saved.encKey);
      macKey = fromBase64(saved.macKey);
    } catch (cause) {
      throw new SandboxError('STATE_INVALID', `session ${index} has keys that are not Base64`, { cause });
    }
    if (encKey.length !== 32 || macKey.length !== 32) throw new SandboxError('STATE_INVALID', `session ${index} keys must be 32 bytes`);
    return {
      clientId: saved.clientId,
      wid: saved.wid,
      browser: Array.isArray(saved.browser) ? saved.browser.map(String) : [],
      clientToken: saved.clientToken,
      serverToken: saved.serverToken,
      browserToken: saved.browserToken,
      tokensIssuedAt: saved.tokensIssuedAt,
      retiredTokens: Array.isArray(saved.retiredTokens) ? saved.retiredTokens.map(String) : [],
      encKey,
      macKey,
    };
  });
}
