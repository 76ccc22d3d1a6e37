/**
 * `@wa/client/node`: the parts of the client that need Node (the file-backed auth store).
 * Kept out of the main entry so browser bundles contain no `fs`.
 *
 * @example
 * ```ts
 * import { WAClient } from '@wa/client';
 * import { FileAuthStore } from '@wa/client/node';
 * const client = new WAClient({ auth: new FileAuthStore('./wa-session.json') });
 * ```
 * @module
 */
export { FileAuthStore } from './node/file-auth-store.js';
