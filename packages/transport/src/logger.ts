/**
 * A four-level logger interface so callers can plug in pino, console or nothing.
 * @module
 */

/**
 * What the connection logs to. It passes only tags, sizes, kinds, close codes and counts in
 * `data`, never frame payloads: JSON frames carry tokens and the login secret, binary frames
 * are sealed with the session keys.
 * @example
 * ```ts
 * const logger: Logger = {
 *   debug: () => {},
 *   info: (msg, data) => pino.info(data, msg),
 *   warn: (msg, data) => pino.warn(data, msg),
 *   error: (msg, data) => pino.error(data, msg),
 * };
 * new Connection({ url, logger });
 * ```
 */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const ignore = (): void => {};

/**
 * Drops everything; the default.
 * @example
 * ```ts
 * new Connection({ url, logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = /* @__PURE__ */ Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });

/**
 * Writes to `console` with a `[wa/transport]` prefix.
 * @example
 * ```ts
 * new Connection({ url, logger: consoleLogger });
 * ```
 */
export const consoleLogger: Logger = /* @__PURE__ */ Object.freeze({
  debug: toConsole('debug'),
  info: toConsole('info'),
  warn: toConsole('warn'),
  error: toConsole('error'),
});

/** `console[level]` is looked up per call, so a console replaced or spied on later still receives the lines. */
function toConsole(level: keyof Logger): Logger[keyof Logger] {
  return (message, data) => console[level](`[wa/transport] ${message}`, data ?? '');
}
