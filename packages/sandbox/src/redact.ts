/**
 * What the sandbox's logs must never show: anything that lets a reader take a session over or
 * read media (FACTS.md "Restore": tokens are all a takeover needs). Frames are logged through
 * {@link redactFrame}, sealed nodes with their byte contents cut to a size.
 */

/** Object keys whose values are credentials, wherever they appear in a JSON frame. */
const secretKeys: ReadonlySet<string> = /* @__PURE__ */ new Set(['secret', 'serverToken', 'clientToken', 'browserToken', 'challenge', 'auth', 'encKey', 'macKey']);

/** Positions of credentials in `["admin", <command>, …]` arrays. */
const secretPositions: Readonly<Record<string, readonly number[]>> = /* @__PURE__ */ Object.freeze({
  // ["admin","login",clientToken,serverToken,clientId,"takeover"|"reconnect",wid]
  login: [2, 3],
  // ["admin","challenge",signedChallenge,serverToken,clientId]
  challenge: [2, 3],
});

/** What a redacted value reads as. */
export const REDACTED = '<redacted>';

/**
 * A copy of a JSON frame's value with every credential replaced by `"<redacted>"`: `Conn`
 * tokens and `secret`, the challenge, `media_conn.auth`, the tokens of `admin login` and the
 * answer of `admin challenge`.
 * @example
 * ```ts
 * redactFrame(['admin', 'login', 'ct', 'st', 'client-id', 'takeover']);
 * // ['admin', 'login', '<redacted>', '<redacted>', 'client-id', 'takeover']
 * ```
 */
export function redactFrame(value: unknown, depth = 0): unknown {
  if (depth > 32 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const positions = value[0] === 'admin' && typeof value[1] === 'string' ? secretPositions[value[1]] : undefined;
    return value.map((item, index) => (positions?.includes(index) && item !== undefined ? REDACTED : redactFrame(item, depth + 1)));
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = secretKeys.has(key) && item !== undefined ? REDACTED : redactFrame(item, depth + 1);
  return copy;
}
