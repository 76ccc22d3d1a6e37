/**
 * Writing to the auth store. Saves and clears run one after another on one chain, so a late
 * save can never bring cleared credentials back; their failures are reported, not thrown.
 * @module
 */
import { report, type ClientContext } from '../context.js';
import type { Credentials } from '../credentials.js';
import { AuthStoreError, WAClientError } from '../errors.js';

/**
 * Queues a save of `credentials`; `credentials` is emitted once it is stored.
 * @example
 * ```ts
 * saveCredentials(context, credentials);
 * await context.saving;
 * ```
 */
export function saveCredentials(context: ClientContext, credentials: Credentials): void {
  context.saving = context.saving.then(() =>
    context.auth.save(credentials).then(
      () => context.emit('credentials', { ...credentials, browser: [...credentials.browser] }),
      (cause: unknown) => reportStoreFailure(context, 'saving', cause),
    ),
  );
}

/**
 * Queues clearing the auth store; resolves when it (and every save before it) is done.
 * @example
 * ```ts
 * await clearSavedCredentials(context);
 * ```
 */
export function clearSavedCredentials(context: ClientContext): Promise<void> {
  context.saving = context.saving.then(() =>
    context.auth.clear().catch((cause: unknown) => reportStoreFailure(context, 'clearing', cause)),
  );
  return context.saving;
}

/** A store's own typed errors pass as they are; anything else is wrapped so `error` listeners get a `code`. */
function reportStoreFailure(context: ClientContext, what: 'saving' | 'clearing', cause: unknown): void {
  report(context, cause instanceof WAClientError ? cause : new AuthStoreError(`${what} the credentials failed`, { cause }));
}
