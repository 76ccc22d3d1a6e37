import { buildSecret, constantTimeEqual, fromBase64, KeyAgreementError, signChallenge, toBase64, utf8Encode } from '@wa/crypto';
import type { RefRecord, SandboxContext, SessionRecord } from '../context.js';
import { SandboxError } from '../errors.js';
import { CloseCode } from '../socket.js';
import { normalizeJid } from '../world/jid.js';
import { CONN_FEATURES, MAX_BROWSER_STRING_LENGTH, MAX_BROWSER_STRINGS, MAX_CLIENT_ID_LENGTH, PROPS } from './constants.js';
import { forgetRefs, loginDelivery, type WebConnection } from './connection.js';
import { chatListNode, contactsNode, recentMessagesNode } from './nodes.js';
import { parseQr } from './qr.js';
import { pushBlocklistAtLogin } from '../profile.js';

/** Tokens the sandbox issues are at most 66 characters; anything far longer is not one of them. */
const MAX_TOKEN_LENGTH = 200;

/**
 * The login half of the protocol: `admin init`, `admin Conn reref`, the phone's scan, `admin
 * login` (restore, both forms), `admin challenge` and `admin Conn disconnect`.
 */

/** What a successful scan reports. */
export interface ScanResult {
  /** The account that is now logged in. */
  wid: string;
  clientId: string;
  /** The connection (`c1`, …) that received the `Conn`. */
  connection: string;
}

/** `["admin","init",[version],[browser…],clientId,true]` → 200 with a fresh ref. */
export function handleInit(context: SandboxContext, connection: WebConnection, tag: string, args: unknown[]): void {
  const [version, browser, clientId] = args;
  const validVersion = Array.isArray(version) && version.length >= 2 && version.every((part) => Number.isInteger(part));
  const validBrowser = Array.isArray(browser) && browser.length >= 2 && browser.every((part) => typeof part === 'string');
  if (!validVersion || !validBrowser || typeof clientId !== 'string' || clientId === '' || clientId.includes(',')) {
    connection.reject('bad-init', 'admin init needs [version], [browser strings] and a clientId', { tag, status: 400 });
    return;
  }
  // Both end up in the session table, its state file and `sessions()`: bounded, like any input.
  const browserStrings = browser as string[];
  if (
    clientId.length > MAX_CLIENT_ID_LENGTH ||
    version.length > MAX_BROWSER_STRINGS ||
    browserStrings.length > MAX_BROWSER_STRINGS ||
    browserStrings.some((part) => part.length > MAX_BROWSER_STRING_LENGTH)
  ) {
    connection.reject('bad-init', `admin init with a clientId over ${MAX_CLIENT_ID_LENGTH} or browser strings over ${MAX_BROWSER_STRING_LENGTH} characters`, { tag, status: 400 });
    return;
  }
  if (connection.state === 'open' || connection.state === 'challenged') {
    connection.reject('init-when-logged-in', 'admin init on a logged-in connection', { tag, status: 405 });
    return;
  }
  // A repeated init starts over: the refs of the earlier one go (bounding the table per socket).
  forgetRefs(context, connection);
  connection.ref = undefined;
  connection.clientId = clientId;
  connection.browser = browser as string[];
  connection.rerefs = 0;
  connection.state = 'waiting';
  const record = issueRef(context, connection);
  const now = context.clock.now();
  connection.sendJson(tag, {
    status: 200,
    ref: record.ref,
    ttl: record.ttl,
    update: false,
    curr: context.settings.version,
    time: now,
  });
}

/**
 * `["admin","Conn","reref"]`: 304 while the current ref is still valid (reuse it), 200 with a
 * new ref after it expired (at most `maxRerefs` times per connection), 429 once exhausted or
 * while the `refuseRefs` fault is on.
 */
export function handleReref(context: SandboxContext, connection: WebConnection, tag: string): void {
  if (connection.state !== 'waiting') {
    connection.reject('reref-out-of-order', 'reref needs a connection waiting for a scan', { tag, status: 400 });
    return;
  }
  if (context.faults.refusingRefs || connection.rerefs >= context.settings.maxRerefs) {
    context.log('info', 'reref', 'new ref denied (429)', connection.id);
    connection.sendJson(tag, { status: 429 });
    return;
  }
  const current = connection.ref === undefined ? undefined : context.refs.get(connection.ref);
  if (current && isRefValid(context, current)) {
    connection.sendJson(tag, { status: 304 });
    return;
  }
  connection.rerefs += 1;
  const record = issueRef(context, connection);
  connection.sendJson(tag, { status: 200, ref: record.ref, ttl: record.ttl });
}

/**
 * Whether a ref can still be scanned: not expired, and its connection still waits for a scan (a
 * connection that went on to a challenged restore keeps its ref until the login ends, unusable).
 */
export function isRefValid(context: SandboxContext, record: RefRecord): boolean {
  return record.connection.state === 'waiting' && !record.expired && context.clock.now() < record.issuedAt + record.ttl;
}

/** Whether two tokens are equal, compared in constant time (for tokens of the same length). */
function sameToken(given: string, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const left = utf8Encode(given);
  const right = utf8Encode(expected);
  return left.length === right.length && constantTimeEqual(left, right);
}

/** A ref or server/browser token: `1@` and 48 random bytes in Base64, the shape the real server issued. */
function newServerToken(context: SandboxContext): string {
  return `1@${toBase64(context.random.bytes(48))}`;
}

function issueRef(context: SandboxContext, connection: WebConnection): RefRecord {
  if (connection.ref !== undefined) {
    const previous = context.refs.get(connection.ref);
    if (previous) previous.expired = true;
  }
  const ref = newServerToken(context);
  const record: RefRecord = { ref, connection, issuedAt: context.clock.now(), ttl: context.settings.refTtlMs, expired: false };
  context.refs.set(ref, record);
  connection.ref = ref;
  context.log('info', 'ref', `waiting for a scan of ref ${ref}`, connection.id);
  context.emit('ref', {
    connection: connection.id,
    ref,
    clientId: connection.clientId ?? '',
    ttl: record.ttl,
    expiresAt: record.issuedAt + record.ttl,
  });
  return record;
}

/**
 * The phone of `wid` scans `qr`: checks it, builds `Conn.secret` for the client's key and logs
 * the waiting connection in (`s1` Conn, `s2` Stream, `s3` Props, then the sealed pushes).
 * @throws SandboxError QR_MALFORMED, BAD_PUBLIC_KEY, REF_UNKNOWN, REF_EXPIRED, CLIENT_ID_MISMATCH
 */
export function scanQr(context: SandboxContext, qr: string, wid: string): ScanResult {
  const { ref, publicKey, clientId } = parseQr(qr);
  const record = context.refs.get(ref);
  if (!record || record.connection.state !== 'waiting') {
    throw new SandboxError('REF_UNKNOWN', `no web client is waiting with ref ${ref}`);
  }
  if (!isRefValid(context, record)) throw new SandboxError('REF_EXPIRED', `ref ${ref} has expired; the client must reref`);
  const connection = record.connection;
  if (connection.clientId !== clientId) {
    throw new SandboxError('CLIENT_ID_MISMATCH', 'the QR clientId is not the one the client sent in admin init');
  }
  let built: ReturnType<typeof buildSecret>;
  try {
    built = buildSecret(publicKey, { randomBytes: (length) => context.random.bytes(length) });
  } catch (cause) {
    if (cause instanceof KeyAgreementError) throw new SandboxError('BAD_PUBLIC_KEY', 'the QR public key is of low order', { cause });
    throw cause;
  }
  const account = context.world.requireAccount(wid);
  const previous = context.sessions.get(clientId);
  if (previous?.connection && previous.connection !== connection) replace(context, previous.connection);
  context.refs.delete(ref);
  const session: SessionRecord = {
    clientId,
    wid: account.wid,
    browser: connection.browser,
    clientToken: '',
    serverToken: '',
    browserToken: '',
    tokensIssuedAt: 0,
    retiredTokens: [],
    encKey: built.encKey,
    macKey: built.macKey,
  };
  context.sessions.set(clientId, session);
  context.stats.qrLogins += 1;
  finishLogin(context, connection, session, { kind: 'qr', secret: built.secret });
  return { wid: account.wid, clientId, connection: connection.id };
}

/**
 * `["admin","login",clientToken,serverToken,clientId,"takeover"|"reconnect"[,wid]]`.
 * 401 unknown session or wid mismatch, 403 banned (fault, with `tos`), 405 this socket is
 * already logged in, 409 `reconnect` while another socket holds the session, 419 tokens of an
 * earlier connection; else `s1` Conn (or `s1` Cmd challenge) and then 200 under the login tag.
 */
export function handleLogin(context: SandboxContext, connection: WebConnection, tag: string, args: unknown[]): void {
  const [clientToken, serverToken, clientId, mode, wid] = args;
  if (typeof clientToken !== 'string' || typeof serverToken !== 'string' || typeof clientId !== 'string' || (mode !== 'takeover' && mode !== 'reconnect')) {
    connection.reject('bad-login', 'admin login needs clientToken, serverToken, clientId and takeover|reconnect', { tag, status: 400 });
    return;
  }
  if (clientId.length > MAX_CLIENT_ID_LENGTH || clientToken.length > MAX_TOKEN_LENGTH || serverToken.length > MAX_TOKEN_LENGTH) {
    connection.reject('bad-login', `admin login with a clientId over ${MAX_CLIENT_ID_LENGTH} or tokens over ${MAX_TOKEN_LENGTH} characters`, { tag, status: 400 });
    return;
  }
  const refuse = (status: number, why: string, extra: Record<string, unknown> = {}): void => {
    context.log('info', 'login-refused', `${status}: ${why}`, connection.id);
    connection.sendJson(tag, { status, ...extra }, loginDelivery);
  };
  if (connection.state === 'open' || connection.state === 'challenged') return refuse(405, 'this connection is already logged in');
  if (connection.state !== 'waiting') return refuse(400, 'admin init must come first');
  if (connection.clientId !== clientId) return refuse(401, 'clientId differs from admin init');
  const forced = context.faults.loginStatus;
  if (forced && (forced.mode === undefined || forced.mode === mode)) return refuse(forced.status, 'forced by a fault', forced.status === 403 ? { tos: forced.tos } : {});
  const session = context.sessions.get(clientId);
  // Compared in constant time: the time an answer takes must not tell how much of a token was right.
  const current = session !== undefined && sameToken(session.clientToken, clientToken) && sameToken(session.serverToken, serverToken);
  if (!session || (!current && !session.retiredTokens.some((retired) => sameToken(retired, serverToken)))) {
    return refuse(401, 'no paired session with these tokens');
  }
  if (!current) return refuse(419, 'tokens of an earlier connection; the session was superseded');
  if (mode === 'reconnect') {
    if (typeof wid !== 'string' || normalizeJid(wid) !== session.wid) return refuse(401, 'reconnect wid is not the session owner');
    if (session.connection && session.connection !== connection) return refuse(409, 'logged in from another location');
  }
  if (session.connection && session.connection !== connection) replace(context, session.connection);
  const stale = context.clock.now() - session.tokensIssuedAt >= context.settings.tokenLifetimeMs;
  if (context.faults.challengeForced || stale) {
    const challenge = context.random.bytes(32);
    connection.state = 'challenged';
    connection.session = session;
    connection.challenge = challenge;
    // s1 is the challenge, then the login's own status: two deliveries, in this order.
    connection.sendServerJson(['Cmd', { type: 'challenge', challenge: toBase64(challenge) }]);
    connection.sendJson(tag, { status: 200 }, loginDelivery);
    return;
  }
  context.stats.restores += 1;
  finishLogin(context, connection, session, { kind: 'restore', loginTag: tag });
}

/** `["admin","challenge",b64(HMAC(macKey, challenge)),serverToken,clientId]` → 200, then `s2` Conn. */
export function handleChallengeAnswer(context: SandboxContext, connection: WebConnection, tag: string, args: unknown[]): void {
  const [answer, serverToken, clientId] = args;
  const session = connection.session;
  const challenge = connection.challenge;
  if (connection.state !== 'challenged' || !session || !challenge) {
    connection.reject('challenge-out-of-order', 'no challenge is pending', { tag, status: 400 });
    return;
  }
  let answerBytes: Uint8Array | undefined;
  try {
    answerBytes = typeof answer === 'string' ? fromBase64(answer) : undefined;
  } catch {
    answerBytes = undefined;
  }
  const expected = signChallenge(session.macKey, challenge);
  const valid =
    answerBytes !== undefined &&
    answerBytes.length === expected.length &&
    constantTimeEqual(answerBytes, expected) &&
    sameToken(serverToken as string, session.serverToken) &&
    clientId === session.clientId;
  if (!valid) {
    context.log('warn', 'challenge-failed', 'wrong challenge answer; closing', connection.id);
    connection.sendJson(tag, { status: 401 }, loginDelivery);
    connection.session = undefined;
    connection.close(CloseCode.challengeFailed, 'challenge failed');
    return;
  }
  connection.challenge = undefined;
  connection.sendJson(tag, { status: 200 }, loginDelivery);
  context.stats.restores += 1;
  finishLogin(context, connection, session, { kind: 'restore' });
}

/** `["admin","Conn","disconnect"]`: logs the session out for good and closes. */
export function handleLogout(context: SandboxContext, connection: WebConnection, tag: string): void {
  const session = connection.session;
  if (connection.state !== 'open' || !session) {
    connection.reject('logout-out-of-order', 'logout needs a logged-in connection', { tag, status: 401 });
    return;
  }
  endSession(context, session, 'client');
  connection.sendJson(tag, { status: 200 });
  connection.close(CloseCode.loggedOut, 'logged out');
}

/** Forgets a session: its tokens stop working (401) and its socket, if any, is closed. */
export function endSession(context: SandboxContext, session: SessionRecord, reason: 'client' | 'unpaired'): void {
  context.sessions.delete(session.clientId);
  const connection = session.connection;
  session.connection = undefined;
  context.log('info', 'logout', `session ${session.clientId} of ${session.wid} ended (${reason})`, connection?.id);
  context.emit('logout', { wid: session.wid, clientId: session.clientId, reason });
  context.emit('state', {});
  if (connection && reason === 'unpaired') {
    connection.dismiss(['Cmd', { type: 'disconnect' }], CloseCode.unpaired, 'unpaired');
  }
}

function replace(context: SandboxContext, previous: WebConnection): void {
  context.log('info', 'takeover', 'session taken over by another web client', previous.id);
  previous.session = undefined;
  previous.dismiss(['Cmd', { type: 'disconnect', kind: 'replaced' }], CloseCode.replaced, 'replaced', { source: 'server' });
}

/**
 * Rotates the tokens and sends, each as its own delivery and in this order: the `Conn` (from the
 * phone after a scan, from the server on a restore), `Stream` and `Props` after a QR login, the
 * login's `{"status":200}` under `loginTag` for a restore that was not challenged, then the
 * sealed pushes, each a phone round trip after the frame before (clients derive their keys, or
 * take their session lock, only once they have handled the `Conn`).
 */
function finishLogin(
  context: SandboxContext,
  connection: WebConnection,
  session: SessionRecord,
  how: { kind: 'qr' | 'restore'; secret?: Uint8Array; loginTag?: string },
): void {
  const account = context.world.requireAccount(session.wid);
  const user = context.world.requireUser(session.wid);
  const ref = connection.ref ?? newServerToken(context);
  if (session.serverToken !== '') session.retiredTokens = [...session.retiredTokens, session.serverToken].slice(-20);
  session.clientToken = toBase64(context.random.bytes(32));
  session.serverToken = newServerToken(context);
  session.browserToken = newServerToken(context);
  session.tokensIssuedAt = context.clock.now();
  session.browser = connection.browser;
  session.connection = connection;
  connection.session = session;
  connection.state = 'open';
  connection.indexAs(session.wid);
  if (connection.ref !== undefined) context.refs.delete(connection.ref);
  connection.ref = undefined;

  const conn: Record<string, unknown> = {
    ref,
    wid: account.wid,
    connected: true,
    isResponse: 'false',
    serverToken: session.serverToken,
    browserToken: session.browserToken,
    clientToken: session.clientToken,
    lc: account.lc,
    lg: account.lg,
    locales: `${account.lg}-${account.lc}`,
    is24h: true,
    protoVersion: [0, 17],
    binVersion: 10,
    battery: account.battery,
    plugged: account.plugged,
    platform: account.platform,
    features: CONN_FEATURES,
    phone: account.phone,
    pushname: user.name,
    tos: 0,
  };
  if (how.secret) conn.secret = toBase64(how.secret);
  connection.sendServerJson(['Conn', conn], { source: how.kind === 'qr' ? 'phone' : 'server', chained: true });
  if (how.kind === 'qr') {
    connection.sendServerJson(['Stream', 'update', false, context.settings.version]);
    connection.sendServerJson(['Props', PROPS]);
  }
  if (how.loginTag !== undefined) connection.sendJson(how.loginTag, { status: 200 }, loginDelivery);
  const fromPhone = { source: 'phone', chained: true } as const;
  connection.pushNode(chatListNode(context.world, account), connection.preemptTag(), fromPhone);
  connection.pushNode(contactsNode(context.world, account), connection.preemptTag(), fromPhone);
  const recent = recentMessagesNode(context.world, account, context.settings.recentMessagesPerChat, (path) => context.media.urlOf(path));
  connection.pushNode(recent, connection.preemptTag(), fromPhone);
  if (!account.reachable) connection.pushJson(['Pong', false], { source: 'server', chained: true });
  // The block list, under the next server tag (profile.ts; the real service sent it as s2).
  pushBlocklistAtLogin(connection, account);
  // Announced last, so whatever a listener scripts arrives after the initial pushes.
  context.log('info', 'login', `${account.wid} logged in (${how.kind})`, connection.id, { clientId: session.clientId });
  context.emit('login', { connection: connection.id, wid: account.wid, clientId: session.clientId, kind: how.kind });
  context.emit('state', {});
}
