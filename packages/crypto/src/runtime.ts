import { backend } from '#backend';

/** Which implementation computes this package's cryptography; see {@link cryptoBackend}. */
export type CryptoBackend = 'node:crypto' | 'noble';

/**
 * The backend this runtime resolved, through the `node` / `browser` / `default` conditions of the
 * package's `#backend` import: `'node:crypto'` in Node (and other runtimes that resolve the `node`
 * condition, such as Deno and Bun), `'noble'` (`@noble/*`, plus WebCrypto for the async media
 * calls) in browsers and everywhere else. Both give the same results and the same errors; this is
 * for logs, diagnostics and checking a bundler's configuration.
 * @example
 * ```ts
 * console.log(`@wa/crypto on ${cryptoBackend}`); // '@wa/crypto on node:crypto' in Node
 * ```
 */
export const cryptoBackend: CryptoBackend = backend.name;
