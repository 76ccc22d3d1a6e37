// Command-line options. Kept apart from main.mjs so the test can check them without a network.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Default home of the session files: inside this example, ignored by git (.gitignore). */
export const DEFAULT_SESSION_DIR = fileURLToPath(new URL('../.sessions/', import.meta.url));

export const USAGE = `Usage: node examples/terminal-client/src/main.mjs [--url ws://…] [--auth <file>]

  --url <ws-url>   connect to this server and wait for a real scan of the QR code
                   (default: start an embedded sandbox whose simulated phone scans it)
  --auth <file>    where the session credentials are kept, so the next start restores
                   without a QR code (default: .sessions/session.json in this
                   example's directory, .sessions/sandbox.json with the embedded sandbox)
  -h, --help       show this help

With the embedded sandbox, its accounts and sessions are kept next to the credentials
(<auth file without .json>.sandbox-state.json), so that restoring works across starts.`;

/** A command-line mistake: main.mjs prints it with the usage and exits 2. */
export class UsageError extends Error {
  code = 'USAGE';
}

/**
 * Parses the command line into `{ url?, authPath, sandboxStatePath?, help }`.
 * @throws UsageError for unknown options, missing values or a URL that is not ws:// or wss://.
 * @example
 * ```js
 * parseOptions(['--auth', 'me.json']); // { authPath: '/cwd/me.json', sandboxStatePath: '/cwd/me.sandbox-state.json', … }
 * parseOptions([]); // { authPath: '<example>/.sessions/sandbox.json', … }
 * ```
 */
export function parseOptions(argv, { cwd = process.cwd(), sessionDir = DEFAULT_SESSION_DIR } = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, auth: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values.url !== undefined && !/^wss?:\/\/[^\s/]+/.test(values.url)) {
    throw new UsageError(`--url must be a ws:// or wss:// URL, got ${JSON.stringify(values.url)}`);
  }
  if (values.auth !== undefined && values.auth.trim() === '') throw new UsageError('--auth needs a file name');
  const embedded = values.url === undefined;
  const authPath = values.auth === undefined ? join(sessionDir, embedded ? 'sandbox.json' : 'session.json') : resolve(cwd, values.auth);
  return {
    url: values.url,
    authPath,
    // The embedded sandbox must remember the session it issued, or the saved tokens mean nothing.
    sandboxStatePath: embedded ? `${authPath.replace(/\.json$/i, '')}.sandbox-state.json` : undefined,
    help: values.help === true,
  };
}
