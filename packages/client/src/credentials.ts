/**
 * The session data a restore needs, in a JSON-safe form (keys as Base64), and its validation.
 * @module
 */
import { fromBase64 } from '@wa/crypto';
import { InvalidCredentialsError } from './errors.js';

/**
 * Everything needed to restore a session without a QR scan. Store it like a password: whoever
 * has it can read and send messages as the account. It changes on every login (new tokens), and
 * the client saves it each time.
 */
export interface Credentials {
  /** The 16 random bytes (Base64) the client introduced itself with in `admin init`. */
  clientId: string;
  /** Token for `admin login`, rotated by every `Conn`. */
  clientToken: string;
  /** Token for `admin login` and the challenge answer, rotated by every `Conn`. */
  serverToken: string;
  /** The session's AES-256 key (32 bytes, Base64). */
  encKey: string;
  /** The session's HMAC-SHA256 key (32 bytes, Base64). */
  macKey: string;
  /** The account, e.g. `15550100001@c.us`. */
  wid: string;
  /** The browser description sent in `admin init` (`[long, short, version?]`). */
  browser: string[];
  /** Token for logging out without a socket (kept, not used by this client). */
  browserToken?: string;
}

const requiredStrings = ['clientId', 'clientToken', 'serverToken', 'encKey', 'macKey', 'wid'] as const;

/**
 * Checks stored credentials (e.g. parsed JSON) and returns a clean copy with only the known
 * fields.
 * @throws InvalidCredentialsError for anything that could not be used for a restore.
 * @example
 * ```ts
 * const credentials = parseCredentials(JSON.parse(localStorage.getItem('wa') ?? 'null'));
 * ```
 */
export function parseCredentials(value: unknown): Credentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidCredentialsError('credentials must be an object');
  }
  const record = value as Record<string, unknown>;
  for (const name of requiredStrings) {
    const field = record[name];
    if (typeof field !== 'string' || field.length === 0) throw new InvalidCredentialsError(`credentials.${name} must be a non-empty string`);
  }
  for (const name of ['encKey', 'macKey'] as const) {
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(record[name] as string);
    } catch {
      throw new InvalidCredentialsError(`credentials.${name} is not Base64`);
    }
    if (bytes.length !== 32) throw new InvalidCredentialsError(`credentials.${name} must hold 32 bytes, got ${bytes.length}`);
  }
  const browser = record.browser;
  if (!Array.isArray(browser) || browser.length < 2 || !browser.every((part) => typeof part === 'string')) {
    throw new InvalidCredentialsError('credentials.browser must be an array of at least two strings');
  }
  const credentials: Credentials = {
    clientId: record.clientId as string,
    clientToken: record.clientToken as string,
    serverToken: record.serverToken as string,
    encKey: record.encKey as string,
    macKey: record.macKey as string,
    wid: record.wid as string,
    browser: [...(browser as string[])],
  };
  if (typeof record.browserToken === 'string') credentials.browserToken = record.browserToken;
  return credentials;
}

/**
 * {@link parseCredentials} for the JSON text an auth store kept.
 * @param source - where the text was stored (a file path, a storage key), named in the error.
 * @throws InvalidCredentialsError for text that is not JSON, or not usable credentials.
 * @example
 * ```ts
 * const credentials = parseCredentialsJson(await readFile(path, 'utf8'), path);
 * ```
 */
export function parseCredentialsJson(text: string, source: string): Credentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidCredentialsError(`${source} is not JSON`);
  }
  return parseCredentials(value);
}
