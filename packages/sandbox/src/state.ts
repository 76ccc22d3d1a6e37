import { fromBase64, toBase64 } from '@wa/crypto';
import type { SessionRecord } from './context.js';
import { SandboxError } from './errors.js';
import type { PersistedMedia } from './media.js';
import { MAX_CLIENT_ID_LENGTH } from './protocol/constants.js';
import { isUserJid } from './world/jid.js';
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
 * Checks a persisted state (as parsed from JSON) field by field and returns its sessions as live
 * records; the world is checked by `World.fromData`, the media by `MediaStore.restoreBlobs`.
 * @throws SandboxError `STATE_INVALID` naming the first bad field (`sessions[2].macKey …`)
 * @example
 * ```ts
 * const sessions = restoreSessions(JSON.parse(text));
 * ```
 */
export function restoreSessions(state: SandboxState): SessionRecord[] {
  if (!isSandboxState(state)) {
    throw new SandboxError('STATE_INVALID', 'sandbox state must be { version: 1, world, sessions[], media?[] }');
  }
  const seen = new Set<string>();
  return state.sessions.map((value, index) => {
    const path = `sessions[${index}]`;
    const bad = (field: string, expected: string): never => {
      throw new SandboxError('STATE_INVALID', `sandbox state: ${path}.${field} must be ${expected}`);
    };
    if (typeof value !== 'object' || value === null) throw new SandboxError('STATE_INVALID', `sandbox state: ${path} must be an object`);
    const saved = value as Partial<Record<keyof PersistedSession, unknown>>;
    for (const field of ['clientId', 'wid', 'clientToken', 'serverToken', 'browserToken', 'encKey', 'macKey'] as const) {
      if (typeof saved[field] !== 'string') bad(field, 'a string');
    }
    const clientId = saved.clientId as string;
    if (clientId === '' || clientId.length > MAX_CLIENT_ID_LENGTH) bad('clientId', `1 to ${MAX_CLIENT_ID_LENGTH} characters`);
    if (seen.has(clientId)) bad('clientId', 'unique');
    seen.add(clientId);
    if (!isUserJid(saved.wid as string)) bad('wid', 'a user id <digits>@c.us');
    if (typeof saved.tokensIssuedAt !== 'number' || !Number.isFinite(saved.tokensIssuedAt) || saved.tokensIssuedAt < 0) bad('tokensIssuedAt', 'a time in ms ≥ 0');
    if (!Array.isArray(saved.browser) || saved.browser.some((part) => typeof part !== 'string')) bad('browser', 'an array of strings');
    if (!Array.isArray(saved.retiredTokens) || saved.retiredTokens.some((token) => typeof token !== 'string')) bad('retiredTokens', 'an array of strings');
    const key = (field: 'encKey' | 'macKey'): Uint8Array => {
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(saved[field] as string);
      } catch {
        return bad(field, 'Base64');
      }
      return bytes.length === 32 ? bytes : bad(field, '32 bytes');
    };
    return {
      clientId,
      wid: saved.wid as string,
      browser: [...(saved.browser as string[])],
      clientToken: saved.clientToken as string,
      serverToken: saved.serverToken as string,
      browserToken: saved.browserToken as string,
      tokensIssuedAt: saved.tokensIssuedAt as number,
      retiredTokens: [...(saved.retiredTokens as string[])],
      encKey: key('encKey'),
      macKey: key('macKey'),
    };
  });
}
