import { SandboxError } from './errors.js';

/** Login statuses a fault can force on `admin login`. */
export type ForcedLoginStatus = 401 | 403 | 405 | 409 | 419;

const forcibleStatuses: readonly ForcedLoginStatus[] = [401, 403, 405, 409, 419];

/** Which form of `admin login` a forced status applies to. */
export type LoginMode = 'takeover' | 'reconnect';

/** What the sandbox asks the fault switches while it works. */
export interface FaultHooks {
  /** Closes sockets abruptly (every one, or the ones `filter` picks). */
  dropSockets(filter?: (info: { connection: string; wid?: string; clientId?: string }) => boolean): number;
  /** Marks every ref issued so far as expired. */
  expireRefs(): number;
}

/**
 * Fault switches: make the sandbox misbehave on purpose so clients can be tested against the
 * failures the real service produced. Switches stay on until turned off or `reset()`.
 * @example
 * ```ts
 * sandbox.faults.corruptHmac(1);        // the next sealed frame fails its HMAC check
 * sandbox.faults.forceLoginStatus(409); // every restore is refused with 409
 * sandbox.faults.reset();
 * ```
 */
export class Faults {
  #delayMs = 0;
  #corruptFrames = 0;
  #refuseRefs = false;
  #forceChallenge = false;
  #loginStatus: ForcedLoginStatus | undefined;
  #loginMode: LoginMode | undefined;
  #tos = 2;
  readonly #hooks: FaultHooks;

  /** @internal Every sandbox has its own, as `sandbox.faults`. */
  constructor(hooks: FaultHooks) {
    this.#hooks = hooks;
  }

  /**
   * Closes sockets without a goodbye (as a network drop would); sessions and tokens stay valid,
   * so a client can come back with `admin login … reconnect`. Returns how many were dropped.
   */
  dropSocket(target?: { wid?: string; clientId?: string }): number {
    return this.#hooks.dropSockets(
      target ? (info) => (target.wid === undefined || info.wid === target.wid) && (target.clientId === undefined || info.clientId === target.clientId) : undefined,
    );
  }

  /** Delays every frame the server sends by `ms` (0 turns it off); order is kept. */
  delayFrames(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new SandboxError('INVALID_ARGUMENT', 'delayFrames needs a non-negative number of ms');
    this.#delayMs = ms;
  }

  /** Corrupts the HMAC of the next `count` sealed binary frames the server sends. */
  corruptHmac(count = 1): void {
    if (!Number.isSafeInteger(count) || count < 0) throw new SandboxError('INVALID_ARGUMENT', 'corruptHmac needs a non-negative integer');
    this.#corruptFrames = count;
  }

  /** While on, `admin Conn reref` is answered with 429 (new ref denied). */
  refuseRefs(on = true): void {
    this.#refuseRefs = on;
  }

  /** While on, every restore (`admin login`) is answered with a `Cmd challenge` first. */
  forceChallenge(on = true): void {
    this.#forceChallenge = on;
  }

  /**
   * While set, every `admin login` (or only those of one form with `mode`, e.g. a 409 for
   * `reconnect` alone, as a half-open old socket causes) is refused with `status` (`tos` goes
   * with 403); `null` turns it off.
   */
  forceLoginStatus(status: ForcedLoginStatus | null, options: { tos?: number; mode?: LoginMode } = {}): void {
    if (options.mode !== undefined && options.mode !== 'takeover' && options.mode !== 'reconnect') {
      throw new SandboxError('INVALID_ARGUMENT', `forceLoginStatus mode is takeover or reconnect, got ${String(options.mode)}`);
    }
    if (status !== null && !(forcibleStatuses as readonly number[]).includes(status)) {
      throw new SandboxError('INVALID_ARGUMENT', `forceLoginStatus takes ${forcibleStatuses.join('/')}, got ${String(status)}`);
    }
    this.#loginStatus = status ?? undefined;
    this.#loginMode = status === null ? undefined : options.mode;
    this.#tos = options.tos ?? 2;
  }

  /** Expires every ref issued so far (a scan of one fails with `REF_EXPIRED`); returns how many. */
  expireRefs(): number {
    return this.#hooks.expireRefs();
  }

  /** Turns every switch off. */
  reset(): void {
    this.#delayMs = 0;
    this.#corruptFrames = 0;
    this.#refuseRefs = false;
    this.#forceChallenge = false;
    this.#loginStatus = undefined;
    this.#loginMode = undefined;
    this.#tos = 2;
  }

  /** Current frame delay in ms. */
  get frameDelayMs(): number {
    return this.#delayMs;
  }

  /** Whether rerefs are refused. */
  get refusingRefs(): boolean {
    return this.#refuseRefs;
  }

  /** Whether restores are always challenged. */
  get challengeForced(): boolean {
    return this.#forceChallenge;
  }

  /** The forced login status, if any, with the `tos` level sent along with 403. */
  get loginStatus(): { status: ForcedLoginStatus; tos: number; mode?: LoginMode } | undefined {
    if (this.#loginStatus === undefined) return undefined;
    return this.#loginMode === undefined ? { status: this.#loginStatus, tos: this.#tos } : { status: this.#loginStatus, tos: this.#tos, mode: this.#loginMode };
  }

  /** Consumes one pending HMAC corruption; true when this frame must be corrupted. */
  takeHmacCorruption(): boolean {
    if (this.#corruptFrames === 0) return false;
    this.#corruptFrames -= 1;
    return true;
  }
}
