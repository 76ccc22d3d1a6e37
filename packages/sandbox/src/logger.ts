/**
 * Pluggable session logging. The sandbox reports what happens per connection (`c1`, `c2`, …) as
 * structured entries, so tests can collect them and the CLI can print them.
 */

/** Severity of a log entry. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log entry. */
export interface LogEntry {
  level: LogLevel;
  /** Short machine-readable event name, e.g. `frame-in`, `login`, `bad-hmac`. */
  event: string;
  /** Human-readable text. */
  message: string;
  /** The connection id (`c1`, …) when the entry is about one socket. */
  connection?: string;
  /** Extra fields (tags, statuses, decoded nodes as text). */
  data?: Readonly<Record<string, unknown>>;
}

/** Receives every log entry. */
export type SandboxLogger = (entry: LogEntry) => void;

const levelRank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger that prints entries at or above `minLevel` with `console`.
 * @example
 * ```ts
 * const sandbox = await startSandbox({ logger: consoleLogger('debug') });
 * ```
 */
export function consoleLogger(minLevel: LogLevel = 'info'): SandboxLogger {
  return (entry) => {
    if (levelRank[entry.level] < levelRank[minLevel]) return;
    const where = entry.connection ? `[${entry.connection}] ` : '';
    const extra = entry.data ? ` ${JSON.stringify(entry.data)}` : '';
    const line = `[wa-sandbox] ${entry.level} ${where}${entry.event}: ${entry.message}${extra}`;
    if (entry.level === 'error') console.error(line);
    else if (entry.level === 'warn') console.warn(line);
    else console.log(line);
  };
}

/**
 * A logger that keeps entries in memory, for tests.
 * @example
 * ```ts
 * const log = memoryLogger();
 * const sandbox = new Sandbox({ logger: log.logger });
 * log.entries.filter((e) => e.event === 'bad-hmac');
 * ```
 */
export function memoryLogger(): { logger: SandboxLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return { logger: (entry) => void entries.push(entry), entries };
}
