import type { SandboxContext } from '../context.js';
import { normalizeJid } from '../world/jid.js';
import type { WebConnection } from './connection.js';
import { answerGroupMetadata, answerInviteCode, handleGroupJsonAction } from './groups.js';
import { handleChallengeAnswer, handleInit, handleLogin, handleLogout, handleReref } from './login.js';
import { isBlockedBy, pictureAnswer } from '../profile.js';

/**
 * JSON text frames from web clients: `admin …` (login, keep the session) and the JSON queries
 * (`query ProfilePicThumb|Status|exist|GroupMetadata|mediaConn`, `action presence subscribe`).
 * Malformed commands get `{"status":400}`, unknown ones `{"status":404}`, queries before login
 * `{"status":401}`.
 */
export function handleJsonCommand(context: SandboxContext, connection: WebConnection, tag: string, json: unknown): void {
  if (!Array.isArray(json) || typeof json[0] !== 'string') {
    connection.reject('bad-command', 'a command is a JSON array starting with a string', { tag, status: 400 });
    return;
  }
  const [kind, name, ...args] = json as [string, unknown, ...unknown[]];
  if (kind === 'admin') return handleAdmin(context, connection, tag, name, args);
  if (connection.state !== 'open') {
    connection.reject('not-logged-in', `${kind} ${label(name)} before login`, { tag, status: 401 });
    return;
  }
  if (kind === 'query') return handleQuery(context, connection, tag, name, args);
  if (kind === 'action' && name === 'presence' && args[0] === 'subscribe' && typeof args[1] === 'string') {
    // The server's 200 first; the current presence follows from the phone.
    connection.sendJson(tag, { status: 200 });
    context.messenger.subscribe(connection, args[1]);
    return;
  }
  if (kind === 'action' && handleGroupJsonAction(context, connection, tag, name, args)) return;
  connection.reject('unknown-command', `unknown command ${kind} ${label(name)}`, { tag, status: 404 });
}

function handleAdmin(context: SandboxContext, connection: WebConnection, tag: string, name: unknown, args: unknown[]): void {
  switch (name) {
    case 'init':
      return handleInit(context, connection, tag, args);
    case 'login':
      return handleLogin(context, connection, tag, args);
    case 'challenge':
      return handleChallengeAnswer(context, connection, tag, args);
    case 'Conn':
      if (args[0] === 'reref') return handleReref(context, connection, tag);
      if (args[0] === 'disconnect') return handleLogout(context, connection, tag);
      break;
    case 'test': {
      // The phone's reachability; a socket that is not logged in has no phone.
      const wid = connection.wid;
      connection.sendJson(tag, wid !== undefined && context.world.requireAccount(wid).reachable);
      return;
    }
  }
  connection.reject('unknown-command', `unknown command admin ${label(name)}`, { tag, status: 404 });
}

function handleQuery(context: SandboxContext, connection: WebConnection, tag: string, name: unknown, args: unknown[]): void {
  const { world } = context;
  const jid = typeof args[0] === 'string' ? normalizeJid(args[0]) : '';
  switch (name) {
    case 'ProfilePicThumb': {
      // A picture set through the protocol or scripting (profile.ts) wins over a seeded URL.
      const stored = pictureAnswer(context, jid, connection.wid);
      if (stored !== undefined) return connection.sendJson(tag, stored);
      const url = world.user(jid)?.pictureUrl;
      connection.sendJson(tag, url === undefined ? { status: 404 } : { eurl: url, tag: String(hashCode(url)) });
      return;
    }
    case 'Status': {
      // Like the picture: a viewer the owner blocked sees no about text.
      const user = world.user(jid);
      const hidden = connection.wid !== undefined && isBlockedBy(world, jid, connection.wid);
      connection.sendJson(tag, user && !hidden ? { status: user.status } : { status: 404 });
      return;
    }
    case 'exist':
      connection.sendJson(tag, world.user(jid) ? { status: 200, jid } : { status: 404 });
      return;
    case 'GroupMetadata':
      return answerGroupMetadata(context, connection, tag, jid);
    case 'inviteCode':
      return answerInviteCode(context, connection, tag, jid);
    case 'mediaConn':
      // Answered by the server itself, not the phone: no waiting while it is unreachable.
      connection.sendJson(tag, { status: 200, media_conn: context.media.conn() });
      return;
  }
  connection.reject('unknown-query', `unknown query ${label(name)}`, { tag, status: 404 });
}

/**
 * A command word for log lines. `String()` of a client's value would recurse into nested arrays
 * (a frame of 100k nested `[` overflows the stack) and copy megabytes into the log.
 */
function label(value: unknown): string {
  if (typeof value !== 'string') return `<${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}>`;
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/** A stable small number for the picture `tag` (clients use it to cache). */
function hashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) >>> 0;
  return hash;
}
