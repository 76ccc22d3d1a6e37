/**
 * The JSON requests of a login (`admin init`, `admin login`, `admin Conn reref`), whose failures
 * `connect()` reports as {@link LoginError}s.
 * @module
 */
import { RequestTimeoutError } from '@wa/transport';
import type { ClientContext } from '../context.js';
import { LoginError, RequestError, type LoginErrorCode } from '../errors.js';
import { requestJson } from '../outgoing.js';

/**
 * Sends a login command. No answer in time is `LOGIN_TIMEOUT`; an answer that is not JSON is
 * `malformed`.
 * @example
 * ```ts
 * const reply = await loginRequest(context, ['admin', 'Conn', 'reref'], 'UNEXPECTED_STATUS');
 * ```
 */
export async function loginRequest(context: ClientContext, value: unknown[], malformed: LoginErrorCode): Promise<unknown> {
  const what = `admin ${String(value[1])}`;
  try {
    return await requestJson(context, value);
  } catch (error) {
    if (error instanceof RequestTimeoutError) throw new LoginError('LOGIN_TIMEOUT', `${what} was not answered within ${error.timeoutMs} ms`, { cause: error });
    if (error instanceof RequestError) throw new LoginError(malformed, `${what} was answered with a malformed frame`, { cause: error });
    throw error;
  }
}
